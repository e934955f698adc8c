"""Atomic writes: a failure at any point of writing leaves the previous file byte-identical and
no temporary file behind (fs/writer.py, the one writer of every output)."""

import os
import re

import pytest
from conftest import REPO, run_cli

from cursus_codegen.fs import writer

PREVIOUS = b"# previous module \xe2\x80\x94 must survive\n" * 50
NEW = "# new module\n" * 5000


class _FailingHandle:
    """A text file whose write() puts part of the text on disk, then fails (a full disk)."""

    def __init__(self, real, fail_after_chars, error):
        self.real, self.fail_after, self.error = real, fail_after_chars, error

    def write(self, text):
        self.real.write(text[: self.fail_after])
        self.real.flush()
        raise self.error

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()
        return False


def _fail_mid_write(monkeypatch, error, fail_after_chars=1234):
    real_fdopen = os.fdopen
    seen = []

    def fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        seen.append(handle.name if hasattr(handle, "name") else fd)
        return _FailingHandle(handle, fail_after_chars, error)

    monkeypatch.setattr(writer.os, "fdopen", fdopen)
    return seen


def _leftovers(folder, keep):
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


@pytest.mark.parametrize(
    "error",
    [OSError(28, "No space left on device"), KeyboardInterrupt()],
    ids=["disk-full", "interrupted"],
)
def test_a_failure_inside_write_keeps_the_previous_file(tmp_path, monkeypatch, error):
    target = tmp_path / "pipeline_gen.py"
    target.write_bytes(PREVIOUS)
    os.chmod(target, 0o640)
    seen = _fail_mid_write(monkeypatch, error)
    with pytest.raises(type(error)):
        writer.write_file(target.parent, target.name, NEW)
    assert seen, "the failure was not injected"
    assert target.read_bytes() == PREVIOUS
    assert os.stat(target).st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path, "pipeline_gen.py") == []


def test_a_failure_inside_write_creates_nothing_when_there_was_no_file(
    tmp_path, monkeypatch
):
    _fail_mid_write(monkeypatch, OSError(5, "Input/output error"), fail_after_chars=0)
    with pytest.raises(OSError):
        writer.write_file(tmp_path, "pipeline_gen.py", NEW)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_in_fsync_after_the_full_write_keeps_the_previous_file(
    tmp_path, monkeypatch
):
    target = tmp_path / "pipeline_gen.py"
    target.write_bytes(PREVIOUS)

    def fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(writer.os, "fsync", fsync)
    with pytest.raises(OSError):
        writer.write_file(target.parent, target.name, NEW)
    assert (
        target.read_bytes() == PREVIOUS
        and _leftovers(tmp_path, "pipeline_gen.py") == []
    )


def test_the_command_reports_a_failed_write_and_keeps_the_previous_module(
    tmp_path, monkeypatch
):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    (project / "pipeline_gen.py").write_bytes(PREVIOUS)
    before = sorted(p.name for p in project.iterdir())
    _fail_mid_write(monkeypatch, OSError(28, "No space left on device"))
    code, _out, err = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py"], cwd=project
    )
    assert code != 0 and "No space left on device" in err and "Traceback" not in err
    assert (project / "pipeline_gen.py").read_bytes() == PREVIOUS
    assert sorted(p.name for p in project.iterdir()) == before


def test_a_successful_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "pipeline_gen.py"
    target.write_bytes(PREVIOUS)
    writer.write_file(target.parent, target.name, NEW)
    assert target.read_text() == NEW and _leftovers(tmp_path, "pipeline_gen.py") == []


def test_a_write_failure_at_the_cli_is_a_clear_error_not_an_internal_one(
    tmp_path, monkeypatch
):
    import shutil

    from conftest import REPO, run_cli

    from cursus_codegen.fs import writer as emit_module

    project = tmp_path / "p"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    (project / "pipeline_gen.py").write_text("# previous\n")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(emit_module.os, "replace", disk_full)
    code, out, err = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py"], cwd=project
    )
    assert code == 2 and out == ""
    assert (
        "pipeline_gen.py: error: cannot write the module: No space left on device"
        in err
    )
    assert "internal error" not in err and "Traceback" not in err
    assert (project / "pipeline_gen.py").read_text() == "# previous\n"


@pytest.mark.parametrize(
    "relative,problem",
    [
        ("", "the path is empty or holds a NUL character"),
        ("a\0b.py", "the path is empty or holds a NUL character"),
        ("/etc/passwd", "the path is absolute"),
        ("C:/x.py", "the path is absolute"),
        ("../x.py", "the path leaves its folder ('..')"),
        ("a/../../x.py", "the path leaves its folder ('..')"),
        (".", "the path names the folder itself, not a file"),
    ],
)
def test_the_writer_refuses_a_path_that_names_no_file_below_its_root(
    tmp_path, relative, problem
):
    """The writer's own check, whatever its callers checked before: a refusal, never an
    exception, and nothing written."""
    assert writer.target_problem(tmp_path, relative) == problem
    with pytest.raises(OSError, match=re.escape(problem)):
        writer.write_file(tmp_path, relative, b"x")
    assert list(tmp_path.iterdir()) == []


def test_the_writer_names_the_linked_folder_on_the_way(tmp_path):
    """A link anywhere on the way is refused, and the message names that very component."""
    (tmp_path / "real").mkdir()
    (tmp_path / "deploy").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "deploy" / "linked")
    problem = writer.target_problem(tmp_path, "deploy/linked/sub/x.py")
    assert problem == "'deploy/linked' is a symbolic link; refusing to write through it"
    assert (
        writer.target_problem(tmp_path, "deploy/linked")
        == "it is a symbolic link; refusing to write through it"
    )
