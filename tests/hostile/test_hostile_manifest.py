"""The manifest and the cache under attack: files that are not regular files, names that would
forge report lines, a table in TOML's quoted spelling, and cache folders and entries that are
damaged, forged, shared or linked. Every answer is a located error or the fresh answer.
"""

import ast
import hashlib
import json
import os
import re
import time
from pathlib import Path

import pytest
from conftest import run_cli

from hostile.trust_support import deploy_repo, fails_cleanly, pipeline_table, snapshot


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    return deploy_repo(tmp_path / "repo", pipeline_table("xgb", "xgb"))


def test_a_manifest_that_is_a_fifo_or_a_device_is_refused_in_bounded_time(repo):
    os.mkfifo(repo / "fifo.toml")
    for manifest in ("fifo.toml", "/dev/zero", "bad\0name.toml"):
        started = time.monotonic()
        fails_cleanly(["check", "--manifest", manifest], repo, untouched=[repo])
        assert time.monotonic() - started < 20


@pytest.mark.parametrize(
    "name", ["xgb\\ncurrent: current (cached)", "a b", "", "-x", "x" * 101]
)
def test_a_pipeline_name_cannot_forge_a_report_line(tmp_path, monkeypatch, name):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = deploy_repo(tmp_path / "repo", pipeline_table(name, "xgb"))
    err = fails_cleanly(["check"], root, "pyproject.toml:", untouched=[root])
    assert all(line.count(": error: ") == 1 for line in err.splitlines())


@pytest.mark.parametrize("field", ["config", "output"])
def test_a_nul_in_a_manifest_path_is_located(repo, field):
    spelled = {
        "config": 'config = "xgb/cfg.json"',
        "output": 'output = "xgb/pipeline_gen.py"',
    }[field]
    text = (
        (repo / "pyproject.toml")
        .read_text()
        .replace(spelled, spelled.replace(".", "\\u0000.", 1))
    )
    assert "\\u0000" in text
    (repo / "pyproject.toml").write_text(text)
    for command in (["check"], ["generate"]):
        fails_cleanly(command, repo, "pyproject.toml:", untouched=[repo])


def test_the_quoted_table_name_is_found_without_manifest(repo):
    text = (
        (repo / "pyproject.toml")
        .read_text()
        .replace("tool.cursus-codegen", 'tool."cursus-codegen"')
    )
    (repo / "pyproject.toml").write_text(text)
    code, out, err = run_cli(["generate"], cwd=repo / "xgb")
    assert (code, out) == (0, "xgb: written\n"), err


def test_a_cache_folder_others_may_write_is_not_used(repo, tmp_path):
    assert run_cli(["generate"], cwd=repo)[0] == 0
    os.chmod(tmp_path / "cache", 0o777)
    module = repo / "xgb" / "pipeline_gen.py"
    module.write_text(module.read_text() + "# tampered\n")
    code, out, err = run_cli(["check"], cwd=repo)
    assert code == 1 and "xgb: STALE\n" in out and "(cached)" not in out
    assert (
        f"the cache folder {tmp_path / 'cache'} is not owned by you or is writable by others; "
        "not used (every pipeline is generated)\n" in err
    )
    assert err.count("cache folder") == 1


def _entries(tmp_path):
    return [p for p in (tmp_path / "cache" / "manifest").rglob("*") if p.is_file()]


def _forge(entry: Path, payload: dict) -> None:
    data = json.dumps(payload).encode()
    entry.write_bytes(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)


@pytest.mark.parametrize(
    "forged",
    [
        "not json",
        [],
        {"module_sha256": 1},
        {"module_sha256": "x", "facts": "none"},
        {"module_sha256": "x", "facts": [["exec", "/", "rm -rf"]]},
        {"module_sha256": "x", "facts": []},
        # the entry as written, with one question no version of the tool asks: it cannot hold
        {"module_sha256": "x", "facts": "its own and an unknown probe"},
    ],
    ids=repr,
)
def test_a_forged_or_damaged_entry_is_a_miss(repo, tmp_path, forged):
    assert run_cli(["generate"], cwd=repo)[0] == 0
    module = repo / "xgb" / "pipeline_gen.py"
    module.write_text(module.read_text() + "# stale\n")
    stale = hashlib.sha256(module.read_bytes()).hexdigest()
    (entry,) = _entries(tmp_path)
    if (
        isinstance(forged, dict)
        and forged.get("facts") == "its own and an unknown probe"
    ):
        written = json.loads(entry.read_bytes().partition(b"\n")[2])
        forged = dict(written, facts=[*written["facts"], ["exec", "/", "rm -rf"]])
    if isinstance(forged, dict) and forged.get("module_sha256") == "x":
        forged = dict(forged, module_sha256=stale)  # claims the stale module is current
    if forged == "not json":
        entry.write_bytes(b"\0\1garbage")
    else:
        _forge(entry, forged)
    code, out, _ = run_cli(["check"], cwd=repo)
    assert (code, out.splitlines()[0]) == (1, "xgb: STALE")


def test_a_linked_cache_entry_is_never_read(repo, tmp_path):
    assert run_cli(["generate"], cwd=repo)[0] == 0
    (entry,) = _entries(tmp_path)
    elsewhere = tmp_path / "planted"
    elsewhere.write_bytes(entry.read_bytes())
    module = repo / "xgb" / "pipeline_gen.py"
    module.write_text(module.read_text() + "# stale\n")
    payload = json.loads(entry.read_bytes().partition(b"\n")[2])
    _forge(
        elsewhere,
        dict(payload, module_sha256=hashlib.sha256(module.read_bytes()).hexdigest()),
    )
    entry.unlink()
    os.symlink(elsewhere, entry)
    assert run_cli(["check"], cwd=repo)[0] == 1


def _forge_pieces(cache: Path, change) -> int:
    """Rewrite every formatted piece with `change` (text -> text), its checksum made valid, as
    someone with write access to the cache would; the number of pieces whose code it changed.
    """
    changed = 0
    for entry in (p for p in (cache / "formatted").rglob("*") if p.is_file()):
        piece = entry.read_bytes().partition(b"\n")[2].decode()
        forged = change(piece)
        changed += ast.dump(ast.parse(forged)) != ast.dump(ast.parse(piece))
        data = forged.encode()
        entry.write_bytes(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
    return changed


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda piece: piece + "\nimport os\nos.system('echo pwned')\n",
            id="appended",
        ),
        # the same statements, one value changed deep inside: only a full comparison tells them apart
        pytest.param(
            lambda piece: re.sub(r'"([A-Za-z])', r'"PWNED\1', piece, count=1),
            id="one-value",
        ),
    ],
)
def test_a_forged_formatted_piece_never_reaches_the_module(
    tmp_path, monkeypatch, change
):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = deploy_repo(tmp_path / "repo", pipeline_table("xgb", "xgb"))
    assert run_cli(["generate"], cwd=root)[0] == 0  # stores the formatted pieces
    expected = (root / "xgb" / "pipeline_gen.py").read_bytes()
    assert _forge_pieces(tmp_path / "cache", change) >= 1
    (root / "xgb" / "pipeline_gen.py").unlink()
    assert (
        run_cli(["generate"], cwd=root)[0] == 0
    )  # reads the cache: every forged piece a miss
    assert (root / "xgb" / "pipeline_gen.py").read_bytes() == expected


def test_the_cache_never_writes_outside_its_folder(repo, tmp_path):
    outside = snapshot(tmp_path / "repo")
    assert run_cli(["check"], cwd=repo)[0] == 1  # MISSING: nothing was generated yet
    assert snapshot(tmp_path / "repo") == outside
    for path in [tmp_path / "cache", *(tmp_path / "cache").rglob("*")]:
        assert not path.is_symlink() and os.stat(path).st_mode & 0o022 == 0
        if path.is_dir():  # the cache's own folders are the user's alone
            assert os.stat(path).st_mode & 0o777 == 0o700, path


@pytest.mark.parametrize("command", ["generate", "check"])
def test_a_pipeline_whose_output_lands_in_its_own_uploads_fails_and_writes_nothing(
    tmp_path, monkeypatch, command
):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = deploy_repo(
        tmp_path / "repo",
        pipeline_table("xgb", "xgb", output="xgb/scripts/pipeline_gen.py"),
    )
    before = snapshot(root)
    code, out, err = run_cli([command], cwd=root)
    assert (code, out) == (2, "xgb: failed\n"), (code, out, err)
    assert err == (
        "xgb/scripts/pipeline_gen.py: error: the output would be written inside "
        "'xgb/scripts', which the pipeline uploads\n"
    )
    assert snapshot(root) == before
