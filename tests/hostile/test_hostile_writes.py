"""Writes and deletions stay inside what a command owns: never through a link, never outside
the module's folder (vendored copies) or the repository (manifest outputs), never onto another
pipeline's files; every refusal is a located error decided before anything is written.
"""

import os
import shutil

import pytest
from conftest import run_cli

from hostile.trust_support import (
    EXAMPLE,
    deploy_repo,
    fails_cleanly,
    pipeline_table,
    snapshot,
)

VENDOR = [
    "project/dag.py",
    "project/cfg.json",
    "-o",
    "deploy/pipeline_gen.py",
    "--vendor",
]


@pytest.fixture()
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(EXAMPLE, tmp_path / "project")
    (tmp_path / "project" / "pipeline_gen.py").unlink()
    (tmp_path / "deploy").mkdir()
    return tmp_path


def test_vendor_never_writes_or_mirrors_through_a_linked_folder(workspace):
    shared = workspace / "shared"
    shared.mkdir()
    (shared / "precious.txt").write_text("another team's file\n")
    os.symlink(shared, workspace / "deploy" / "scripts")
    fails_cleanly(
        VENDOR, workspace, "symbolic link", untouched=[shared, workspace / "deploy"]
    )


def test_a_vendored_source_linking_outside_the_project_is_refused(workspace):
    secret = workspace / "secret.txt"
    secret.write_text("a file outside the project\n")
    os.symlink(secret, workspace / "project" / "scripts" / "stolen.txt")
    fails_cleanly(
        VENDOR, workspace, "outside the project", untouched=[workspace / "deploy"]
    )


def test_a_vendored_source_folder_that_links_outside_the_project_is_refused(workspace):
    outside = workspace / "elsewhere"
    shutil.move(workspace / "project" / "scripts", outside)
    os.symlink(outside, workspace / "project" / "scripts")
    err = fails_cleanly(
        VENDOR,
        workspace,
        "--vendor: 'scripts' is a link to a path outside the project",
        untouched=[workspace / "deploy", outside],
    )
    assert err.startswith("scripts: error: ")


def test_vendor_creates_the_module_folder(workspace):
    args = [*VENDOR[:3], "deploy/atoz/pipeline_gen.py", "--vendor"]
    code, _, err = run_cli(args, cwd=workspace)
    assert code == 0, err
    assert (workspace / "deploy" / "atoz" / "scripts" / "payload.py").is_file()
    assert run_cli([*args, "--check"], cwd=workspace)[0] == 0


def test_a_module_path_that_is_a_vendored_folder_writes_nothing(workspace):
    args = [*VENDOR[:3], "deploy/scripts", "--vendor"]
    fails_cleanly(
        args,
        workspace,
        "no file can be written inside it",
        untouched=[workspace / "deploy"],
    )


def test_an_output_that_is_a_link_is_not_replaced(workspace):
    target = workspace / "elsewhere.py"
    target.write_text("# not the module\n")
    os.symlink(target, workspace / "deploy" / "pipeline_gen.py")
    fails_cleanly(
        VENDOR[:4], workspace, "symbolic link", untouched=[workspace / "deploy"]
    )
    assert target.read_text() == "# not the module\n"


def _peak_of_a_run(args, cwd):
    import tracemalloc

    tracemalloc.start()
    code, _, err = run_cli(args, cwd=cwd)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert code == 0, err
    return peak


def test_vendor_copies_in_bounded_memory(workspace):
    _peak_of_a_run(
        VENDOR, workspace
    )  # warm: the catalog parsed, the formatted pieces cached
    before = _peak_of_a_run(VENDOR, workspace)
    big = workspace / "project" / "data" / "training" / "big.bin"
    with big.open("wb") as handle:
        for _ in range(24):
            handle.write(os.urandom(1024 * 1024))
    after = _peak_of_a_run(VENDOR, workspace)
    assert (
        workspace / "deploy" / "data" / "training" / "big.bin"
    ).stat().st_size == 24 * 1024 * 1024
    assert after - before < 8 * 1024 * 1024, (
        before,
        after,
    )  # a 24 MiB file never whole in memory


@pytest.mark.parametrize(
    "output, fragment",
    [
        ("../outside.py", "'..'"),
        ("{tmp}/absolute.py", "absolute"),
        ("linked/pipeline_gen.py", "symbolic link"),
        ("pyproject.toml", "the manifest itself"),
        ("xgb/cfg.json", "configuration of pipeline"),
        ("xgb/dag.py", "DAG of pipeline"),
        ("fifo", "not a regular file"),
    ],
)
def test_a_manifest_output_stays_inside_the_repository(
    tmp_path, monkeypatch, output, fragment
):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    output = output.replace(
        "{tmp}", str(tmp_path)
    )  # an absolute path inside the test's own folder
    root = deploy_repo(tmp_path / "repo", pipeline_table("xgb", "xgb", output))
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", root / "linked")
    os.mkfifo(root / "fifo")
    for command in ("generate", "check"):
        err = fails_cleanly(
            [command, "--no-cache"], root, fragment, untouched=[tmp_path]
        )
        assert "pyproject.toml:" in err  # located at the manifest


def test_pipelines_colliding_through_vendored_folders_are_both_refused(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = deploy_repo(
        tmp_path / "repo",
        pipeline_table("a", "xgb", "deploy/a.py"),
        pipeline_table("b", "xgb", "deploy/b.py"),
        head="vendor = true",
    )
    (root / "deploy").mkdir()
    err = fails_cleanly(
        ["generate"],
        root,
        "pipeline 'b' writes too",
        "pipeline 'a' writes too",
        untouched=[root],
    )
    assert "a: failed" in run_cli(["generate"], cwd=root)[1]
    assert "pyproject.toml:" in err


def test_an_output_inside_a_folder_another_pipeline_uploads_is_refused(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    shutil.copytree(EXAMPLE, tmp_path / "repo" / "other")
    root = deploy_repo(
        tmp_path / "repo",
        pipeline_table("xgb", "xgb"),
        pipeline_table("intruder", "other", "xgb/scripts/generated.py"),
    )
    fails_cleanly(
        ["generate"],
        root,
        "pipeline 'xgb' uploads",
        untouched=[root / "xgb" / "scripts"],
    )


def test_a_cache_folder_holding_links_is_never_written_through(workspace, monkeypatch):
    cache = workspace / "cache"
    elsewhere = workspace / "elsewhere"
    (cache).mkdir(mode=0o700)
    elsewhere.mkdir()
    os.symlink(elsewhere, cache / "formatted")
    os.symlink(elsewhere, cache / "manifest")
    root = deploy_repo(workspace / "repo", pipeline_table("xgb", "xgb"))
    assert run_cli(["generate"], cwd=root)[0] == 0
    assert run_cli(["check"], cwd=root)[:2] == (0, "xgb: current\n")
    assert snapshot(elsewhere) == {}
