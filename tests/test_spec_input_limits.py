"""The size limits on what the generator reads, and the range of --line-length, each tested
exactly at the limit and on both sides of it.

    an input file (DAG, configuration)   at most 32 MiB (33,554,432 bytes)
    a DAG .py read statically            at most 20,000 lines and 262,144 characters
    --line-length                        40 to 400
    the manifest (pyproject.toml)        at most 1,000,000 bytes; a pipeline name at most 100
"""

import shutil

import black
import pytest
from conftest import REPO, run_cli

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
MIB32 = 32 * 1024 * 1024


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "project")
    (tmp_path / "project" / "pipeline_gen.py").unlink()
    return tmp_path / "project"


def run(project, *args):
    return run_cli(list(args), cwd=project)


def refused(result, fragment):
    code, out, err = result
    assert (code, out) == (2, "") and "Traceback" not in err, err
    assert fragment in err, err


@pytest.mark.parametrize("size", [MIB32, MIB32 + 1])
def test_a_configuration_of_32_mib_is_read_and_one_byte_more_is_refused(project, size):
    text = (project / "cfg.json").read_bytes().rstrip()
    assert text.endswith(
        b"}"
    )  # the padding goes before the last byte: every byte is read
    (project / "big.json").write_bytes(text[:-1] + b" " * (size - len(text)) + b"}")
    result = run(project, "dag.py", "big.json", "-o", "-")
    if size == MIB32:
        assert result[0] == 0, result[2]
        assert "class FraudDetectionXgboostPipeline" in result[1]
    else:
        refused(
            result,
            "big.json: error: the file is 33,554,433 bytes; inputs larger than "
            "33,554,432 bytes are refused",
        )


def dag_file_of(project, lines=None, chars=None):
    """dag.py padded with comment lines to `lines` lines (each ending in a newline, as an
    editor saves it: `wc -l` counts them) or to `chars` characters."""
    text = (project / "dag.py").read_text()
    if lines is not None:
        text += "# padding\n" * (lines - text.count("\n"))
        assert len(text.splitlines()) == lines
    if chars is not None:
        filler = "#" + "x" * 98 + "\n"
        text += filler * ((chars - len(text)) // len(filler))
        text += "#" * (chars - len(text) - 1) + "\n"
        assert len(text) == chars
    (project / "big.py").write_text(text)
    return run(project, "big.py", "cfg.json", "-o", "-")


@pytest.mark.parametrize("lines", [19_999, 20_000])
def test_a_dag_file_of_up_to_20000_lines_is_read_statically(project, lines):
    code, out, err = dag_file_of(project, lines=lines)
    assert code == 0, err
    assert "class FraudDetectionXgboostPipeline" in out


def test_a_dag_file_of_20001_lines_is_refused_with_the_way_out(project):
    refused(
        dag_file_of(project, lines=20_001),
        "files over 20,000 lines are not read statically (pass --exec-dag",
    )


@pytest.mark.parametrize("chars", [262_143, 262_144, 262_145])
def test_a_dag_file_of_up_to_262144_characters_is_read_statically(project, chars):
    result = dag_file_of(project, chars=chars)
    if chars <= 262_144:
        assert result[0] == 0, result[2]
    else:
        refused(
            result,
            "big.py: error: the DAG file has 262,145 characters of code; files over "
            "262,144 are not read statically (pass --exec-dag",
        )


@pytest.mark.parametrize("width", [40, 41, 399, 400])
def test_every_line_length_from_40_to_400_gives_a_module_black_keeps(project, width):
    code, out, err = run(
        project, "dag.py", "cfg.json", "-o", "-", "--line-length", str(width)
    )
    assert code == 0, err
    assert black.format_str(out, mode=black.Mode(line_length=width)) == out


@pytest.mark.parametrize("width", ["39", "401"])
def test_a_line_length_outside_40_to_400_is_refused(project, width):
    refused(
        run(project, "dag.py", "cfg.json", "-o", "x.py", "--line-length", width),
        "--line-length",
    )
    assert not (project / "x.py").exists()


MANIFEST = """\
[tool.cursus-codegen]
omit-version = true

[[tool.cursus-codegen.pipelines]]
name = "{name}"
dag = "dag.py"
config = "cfg.json"
output = "pipeline_gen.py"
"""


@pytest.fixture()
def deploy(project, tmp_path, monkeypatch):
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    return project


def write_manifest(root, name="xgb", size=None):
    text = MANIFEST.format(name=name)
    if size is not None:
        filler = "#" * 99 + "\n"
        text += filler * ((size - len(text)) // len(filler))
        text += "#" * (size - len(text) - 1) + "\n"
        assert len(text.encode()) == size
    (root / "pyproject.toml").write_text(text)


@pytest.mark.parametrize("size", [999_999, 1_000_000, 1_000_001])
def test_a_manifest_of_up_to_1000000_bytes_is_read(deploy, size):
    write_manifest(deploy, size=size)
    result = run(deploy, "generate")
    if size <= 1_000_000:
        assert result[:2] == (0, "xgb: written\n"), result[2]
    else:
        refused(result, "pyproject.toml: error: larger than 1000000 bytes")


@pytest.mark.parametrize("length", [99, 100, 101])
def test_a_pipeline_name_of_up_to_100_characters_is_accepted(deploy, length):
    name = "p" * length
    write_manifest(deploy, name=name)
    result = run(deploy, "generate")
    if length <= 100:
        assert result[:2] == (0, f"{name}: written\n"), result[2]
    else:
        refused(result, f"name {name!r} must be letters, digits")


@pytest.mark.parametrize("entries", [20_000, 20_001])
def test_a_steps_folder_of_up_to_20000_entries_is_read_and_one_more_is_refused(
    project, entries
):
    """A folder the generator walks (--steps, --templates) is bounded, so `--steps /` ends fast."""
    folder = project / "many"
    folder.mkdir()
    for number in range(entries):
        (folder / f"note{number}.txt").touch()
    result = run(
        project, "dag.py", "cfg.json", "-o", "pipeline_gen.py", "--steps", "many"
    )
    if entries == 20_000:
        assert result[0] == 0, result[2]
    else:
        refused(result, "--steps: more than 20,000 entries below many")
