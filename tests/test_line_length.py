"""The module's width: black's default unless --line-length says otherwise, and the
regenerate command carries it so --check reproduces the file."""

import shutil

import black
import pytest
from conftest import REPO, run_cli

EXAMPLES = sorted((REPO / "generated_examples").glob("*/pipeline_gen.py"))


@pytest.mark.parametrize("module", EXAMPLES, ids=lambda p: p.parent.name)
def test_black_with_its_defaults_leaves_every_committed_module_unchanged(module):
    source = module.read_text(encoding="utf-8")
    assert black.format_str(source, mode=black.Mode()) == source


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", tmp_path / "project")
    return tmp_path / "project"


def test_another_line_length_is_recorded_and_reproduced(project):
    code, _, err = run_cli(
        ["dag.py", "cfg.json", "-o", "wide.py", "--line-length", "120"], cwd=project
    )
    assert code == 0, err
    wide = (project / "wide.py").read_text(encoding="utf-8")
    assert "#   cursus-codegen dag.py cfg.json -o wide.py --line-length 120\n" in wide
    assert black.format_str(wide, mode=black.Mode(line_length=120)) == wide
    assert wide != (project / "pipeline_gen.py").read_text(
        encoding="utf-8"
    )  # the width mattered
    code, _, err = run_cli(
        ["dag.py", "cfg.json", "-o", "wide.py", "--line-length", "120", "--check"],
        cwd=project,
    )
    assert code == 0, err
    code, out, _ = run_cli(
        ["dag.py", "cfg.json", "-o", "wide.py", "--check"], cwd=project
    )
    assert code == 1 and out  # at the default width the file differs


@pytest.mark.parametrize("value", ["0", "39", "401", "wide", "-5"])
def test_a_line_length_black_cannot_use_is_a_usage_error(project, value):
    code, _, err = run_cli(
        ["dag.py", "cfg.json", "-o", "x.py", "--line-length", value], cwd=project
    )
    assert code == 2 and "--line-length" in err and "Traceback" not in err
    assert not (project / "x.py").exists()
