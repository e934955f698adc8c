"""`cursus-codegen validate DAG CONFIG` (issue 5 §1): every check of generation, every problem
at once with its location, nothing on stdout, nothing written; exit 0 or 2."""

import json
import shutil

import pytest
from conftest import REPO, run_cli

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "project")
    (tmp_path / "project" / "pipeline_gen.py").unlink()
    return tmp_path / "project"


def _edit_config(project, edit):
    config = json.loads((project / "cfg.json").read_text())
    edit(config["configuration"]["specific"])
    (project / "cfg.json").write_text(json.dumps(config, indent=2))


def _errors(err):
    return [line for line in err.splitlines() if ": error: " in line]


def test_a_valid_pipeline_exits_0_silently_and_writes_nothing(project):
    before = sorted(p.name for p in project.iterdir())
    code, out, err = run_cli(["validate", "dag.py", "cfg.json"], cwd=project)
    assert (code, out, err) == (0, "", "")
    assert sorted(p.name for p in project.iterdir()) == before


def test_every_missing_required_field_is_reported_in_one_run(project):
    def drop(specific):
        del specific["DummyDataLoading_training"]["data_source"]
        del specific["DummyDataLoading_calibration"]["data_source"]

    _edit_config(project, drop)
    code, out, err = run_cli(["validate", "dag.py", "cfg.json"], cwd=project)
    assert code == 2 and out == ""
    errors = _errors(err)
    assert len(errors) == 2, err
    assert any(
        e.startswith("cfg.json#/configuration/specific/DummyDataLoading_training")
        for e in errors
    )
    assert any(
        e.startswith("cfg.json#/configuration/specific/DummyDataLoading_calibration")
        for e in errors
    )
    assert all("data_source" in e for e in errors)
    assert "Traceback" not in err


def test_dag_and_configuration_problems_are_reported_together(project):
    (project / "dag.json").write_text('{"dag": {"nodes": ["A"], "edges": [["A", ')
    (project / "cfg.json").write_text('{"configuration": ')
    code, out, err = run_cli(["validate", "dag.json", "cfg.json"], cwd=project)
    assert code == 2 and out == ""
    errors = _errors(err)
    assert any(e.startswith("dag.json:") for e in errors), err
    assert any(e.startswith("cfg.json:") for e in errors), err


def test_missing_local_files_are_all_warned_and_strict_makes_them_errors(project):
    (project / "scripts" / "package.py").unlink()
    (project / "scripts" / "payload.py").unlink()
    code, out, err = run_cli(["validate", "dag.py", "cfg.json"], cwd=project)
    assert (code, out) == (0, "")
    warnings = [line for line in err.splitlines() if ": warning: " in line]
    assert any(
        w.startswith("cfg.json#/configuration/specific/Package/processing_entry_point:")
        and "scripts/package.py" in w
        for w in warnings
    ), err
    assert any(
        w.startswith("cfg.json#/configuration/specific/Payload/processing_entry_point:")
        and "scripts/payload.py" in w
        for w in warnings
    ), err
    code, _, err = run_cli(["validate", "dag.py", "cfg.json", "--strict"], cwd=project)
    assert code == 2
    assert "package.py" in err and "payload.py" in err and len(_errors(err)) >= 2


def test_validate_checks_templates_too(project, tmp_path):
    broken = tmp_path / "templates" / "steps"
    broken.mkdir(parents=True)
    (broken / "processing.py.j2").write_text("{% for x in %}\n")
    code, out, err = run_cli(
        ["validate", "dag.py", "cfg.json", "--templates", tmp_path / "templates"],
        cwd=project,
    )
    assert code == 2 and out == ""
    assert "processing.py.j2:1" in err and "template syntax error" in err


def test_validate_takes_no_output_option(project):
    code, _, err = run_cli(
        ["validate", "dag.py", "cfg.json", "-o", "x.py"], cwd=project
    )
    assert code == 2 and "-o" in err
    assert not (project / "x.py").exists()
