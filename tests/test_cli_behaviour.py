"""The write / stdout / --check / --diff contract (SPEC §5) and atomic writes."""

import shutil
import subprocess
import sys

import pytest
from conftest import REPO, run_cli

from cursus_codegen.fs import writer

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "project")
    return tmp_path / "project"


def _as_written(stdout: str) -> str:
    """Module text from stdout, with the header's regenerate command naming the file."""
    return stdout.replace("cfg.json -o -\n", "cfg.json -o pipeline_gen.py\n", 1)


def test_stdout_output_equals_the_written_file(project):
    code, out, err = run_cli(["dag.py", "cfg.json", "-o", "-"], cwd=project)
    assert code == 0, err
    assert "cfg.json -o -\n" in out
    assert _as_written(out) == (project / "pipeline_gen.py").read_text()


def test_check_passes_on_a_current_module_and_writes_nothing(project):
    before = (project / "pipeline_gen.py").stat().st_mtime_ns
    code, out, _ = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py", "--check"], cwd=project
    )
    assert (code, out) == (0, "")
    assert (project / "pipeline_gen.py").stat().st_mtime_ns == before


def test_check_fails_with_a_diff_naming_the_changed_lines(project):
    config = (
        (project / "cfg.json")
        .read_text()
        .replace('"training_volume_size": 100', '"training_volume_size": 250')
    )
    (project / "cfg.json").write_text(config)
    stale = (project / "pipeline_gen.py").read_text()
    code, out, _ = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py", "--check"], cwd=project
    )
    assert code == 1
    assert (
        "--- pipeline_gen.py (on disk)" in out
        and "+++ pipeline_gen.py (generated)" in out
    )
    assert (
        "-            volume_size=100," in out
        and "+            volume_size=250," in out
    )
    assert (project / "pipeline_gen.py").read_text() == stale  # --check never writes


def test_check_reports_a_missing_output(project):
    (project / "pipeline_gen.py").unlink()
    code, out, _ = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py", "--check"], cwd=project
    )
    assert code == 1 and out.startswith("pipeline_gen.py: missing")
    assert not (project / "pipeline_gen.py").exists()


def test_check_of_a_module_that_is_not_utf8_reports_it_as_differing(project):
    """Not an internal error: the file on disk simply is not the module."""
    stale = b"# \xff\xfe not UTF-8\n" + (project / "pipeline_gen.py").read_bytes()
    (project / "pipeline_gen.py").write_bytes(stale)
    code, out, err = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py", "--check"], cwd=project
    )
    assert code == 1, err
    assert "-# \ufffd\ufffd not UTF-8" in out and "internal error" not in err
    assert (project / "pipeline_gen.py").read_bytes() == stale


def test_diff_prints_but_does_not_write_or_fail(project):
    (project / "pipeline_gen.py").write_text("# old\n")
    code, out, _ = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py", "--diff"], cwd=project
    )
    assert code == 0 and "-# old" in out
    assert (project / "pipeline_gen.py").read_text() == "# old\n"


def test_metadata_flags_override_the_configuration(project):
    code, out, err = run_cli(
        [
            "dag.py",
            "cfg.json",
            "-o",
            "-",
            "--author",
            "team-x",
            "--version",
            "9.9.9",
            "--description",
            'It said "hi"\nand left',
            "--class-name",
            "MyPipeline",
        ],
        cwd=project,
    )
    assert code == 0, err
    assert 'AUTHOR = "team-x"' in out and 'PIPELINE_VERSION = "9.9.9"' in out
    # a multi-line value is written one line per piece; the pieces join to the same string
    assert 'PIPELINE_DESCRIPTION = \'It said "hi"\\n\' "and left"' in out
    assert "class MyPipeline:" in out
    assert (
        "--author team-x" in out
    )  # the regenerate command in the header keeps the flags


def test_bad_class_name_is_refused(project):
    code, _, err = run_cli(
        ["dag.py", "cfg.json", "-o", "-", "--class-name", "not valid"], cwd=project
    )
    assert code == 2 and "--class-name" in err


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(
    project, monkeypatch
):
    target = project / "pipeline_gen.py"
    target.write_text("# previous\n")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writer.os, "replace", fail)
    with pytest.raises(OSError):
        writer.write_file(target.parent, target.name, "new content\n")
    assert target.read_text() == "# previous\n"
    assert [
        p.name for p in project.iterdir() if p.name.startswith(".pipeline_gen")
    ] == []


def test_python_dash_m_works_like_the_command(project):
    result = subprocess.run(
        [sys.executable, "-m", "cursus_codegen", "dag.py", "cfg.json", "-o", "-"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _as_written(result.stdout) == (project / "pipeline_gen.py").read_text()


def test_validate_checks_everything_and_writes_nothing(project):
    (project / "pipeline_gen.py").unlink()
    code, out, err = run_cli(["validate", "dag.py", "cfg.json"], cwd=project)
    assert (code, out) == (0, "") and "error" not in err
    assert not (project / "pipeline_gen.py").exists()
    (project / "scripts" / "package.py").unlink()
    code, _, err = run_cli(["validate", "dag.py", "cfg.json", "--strict"], cwd=project)
    assert code == 2 and "package.py" in err
