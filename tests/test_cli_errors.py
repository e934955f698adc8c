"""Bad input: one clear located error, exit 2, no traceback, and the existing output untouched."""

import json
import shutil

import pytest
from conftest import REPO, run_cli

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
SENTINEL = "# an existing module that must survive a failed run\n"


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "project")
    folder = tmp_path / "project"
    (folder / "pipeline_gen.py").write_text(SENTINEL)
    return folder


def _fails_cleanly(folder, dag="dag.py", cfg="cfg.json", expect=()):
    code, out, err = run_cli([dag, cfg, "-o", "pipeline_gen.py"], cwd=folder)
    assert code == 2, err
    assert "Traceback" not in err and out == ""
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 1, err
    for text in expect:
        assert text in errors[0], errors[0]
    assert (folder / "pipeline_gen.py").read_text() == SENTINEL
    return errors[0]


def _edit_config(folder, change):
    path = folder / "cfg.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def test_malformed_json(project):
    (project / "cfg.json").write_text('{"configuration": {"shared": {,}}}')
    _fails_cleanly(project, expect=["cfg.json:1:", "error:"])


def test_dag_node_without_configuration(project):
    dag = (
        (project / "dag.py")
        .read_text()
        .replace('"Payload",', '"Payload",\n        "Mystery_step",')
    )
    (project / "dag.py").write_text(dag)
    _fails_cleanly(project, expect=["dag.py:", "Mystery_step"])


def test_cycle(project):
    dag = (
        (project / "dag.py")
        .read_text()
        .replace(
            "    return dag",
            '    dag.add_edge("Package", "XGBoostTraining")\n    return dag',
        )
    )
    (project / "dag.py").write_text(dag)
    _fails_cleanly(project, expect=["dag.py:", "cycle", "XGBoostTraining", "Package"])


def test_edge_to_undeclared_node(project):
    dag = (
        (project / "dag.py")
        .read_text()
        .replace(
            "    return dag",
            '    dag.add_edge("Package", "Regstration")\n    return dag',
        )
    )
    (project / "dag.py").write_text(dag)
    line = _fails_cleanly(project, expect=["dag.py:", "Regstration"])
    assert "not a declared node" in line


def test_unknown_configuration_class(project):
    def change(data):
        data["configuration"]["specific"]["Payload"][
            "__model_type__"
        ] = "PayloadConfigV9"
        data["metadata"]["config_types"]["Payload"] = "PayloadConfigV9"

    _edit_config(project, change)
    _fails_cleanly(
        project, expect=["cfg.json#/metadata/config_types/Payload", "PayloadConfigV9"]
    )


def test_dag_py_without_a_dag(project):
    (project / "dag.py").write_text('"""No DAG here."""\nVALUE = 1\n')
    _fails_cleanly(project, expect=["dag.py", "--exec-dag"])


def test_dag_py_with_two_dags(project):
    text = (project / "dag.py").read_text()
    (project / "dag.py").write_text(
        text
        + "\n\n"
        + text.split("\n\n\n", 1)[1].replace(
            "create_xgboost_e2e_dag", "create_other_dag"
        )
    )
    line = _fails_cleanly(project, expect=["dag.py", "--dag-function"])
    assert "create_xgboost_e2e_dag" in line and "create_other_dag" in line


def test_missing_required_field_points_into_the_configuration(project):
    _edit_config(
        project, lambda d: d["configuration"]["specific"]["Payload"].pop("expected_tps")
    )
    _fails_cleanly(
        project, expect=["cfg.json#/configuration/specific/Payload", "expected_tps"]
    )


def test_output_that_is_a_directory(project):
    code, _, err = run_cli(["dag.py", "cfg.json", "-o", "scripts"], cwd=project)
    assert code == 2 and "directory" in err and "Traceback" not in err


def test_output_that_would_overwrite_an_input(project):
    code, _, err = run_cli(["dag.py", "cfg.json", "-o", "cfg.json"], cwd=project)
    assert code == 2 and "overwrite an input" in err
    assert json.loads((project / "cfg.json").read_text())  # still the configuration


def test_missing_input_file(project):
    code, _, err = run_cli(
        ["nope.py", "cfg.json", "-o", "pipeline_gen.py"], cwd=project
    )
    assert code == 2 and "nope.py: error: no such file" in err
    assert (project / "pipeline_gen.py").read_text() == SENTINEL
