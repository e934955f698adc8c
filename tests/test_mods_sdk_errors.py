"""Wrong inputs around the SDK steps are errors at generation time, located in the inputs;
a missing SDK is an error only when generate_pipeline() runs (test_mods_sdk_steps.py).
"""

import json
import shutil

import pytest
from conftest import REPO, run_cli

DATA = REPO / "tests" / "data" / "sdk_steps"


@pytest.fixture()
def project(tmp_path):
    folder = tmp_path / "project"
    shutil.copytree(DATA, folder)
    return folder


def _edit(path, change):
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def _drop_edge(src, dst):
    def change(data):
        data["dag"]["edges"].remove([src, dst])

    return change


def _generate(folder):
    return run_cli(["dag.json", "cfg.json", "-o", "pipeline_gen.py"], cwd=folder)


@pytest.mark.parametrize(
    "producer, needed",
    [("Payload", "GeneratedPayloadSamples"), ("Package", "PackagedModel")],
)
def test_registration_without_its_upstream_is_a_located_error(
    project, producer, needed
):
    _edit(project / "dag.json", _drop_edge(producer, "Registration"))
    code, out, err = _generate(project)
    assert code == 2 and out == ""
    [line] = [l for l in err.splitlines() if "MIMS registration" in l]
    assert line.startswith("cfg.json#/configuration/specific/Registration")
    assert ": error: " in line and needed in line
    assert f"add an edge from the {producer} node to 'Registration'" in line
    assert not (project / "pipeline_gen.py").exists()


def test_a_missing_nested_cradle_value_is_located_at_its_field(project):
    def change(data):
        del data["configuration"]["specific"]["CradleDataLoading_training"][
            "cradle_job_spec"
        ]["cradle_account"]

    _edit(project / "cfg.json", change)
    code, _, err = _generate(project)
    assert code == 2
    [line] = [l for l in err.splitlines() if "cradle_account" in l]
    assert line.startswith(
        "cfg.json#/configuration/specific/CradleDataLoading_training/cradle_job_spec:"
    )
    assert "cradle_job_spec/cradle_account is required" in line


def test_an_invalid_cradle_enum_is_an_error(project):
    def change(data):
        data["configuration"]["specific"]["CradleDataLoading_training"]["output_spec"][
            "output_format"
        ] = "XLSX"

    _edit(project / "cfg.json", change)
    code, _, err = _generate(project)
    assert code == 2 and "output_spec/output_format: 'XLSX' is not one of" in err


def test_data_uploading_without_upstream_needs_input_s3_location(project):
    _edit(
        project / "dag.json",
        _drop_edge("TabularPreprocessing_calibration", "DataUploading_calibration"),
    )
    code, _, err = _generate(project)
    assert code == 2
    assert "'DataUploading_calibration': input 'input_data' has no upstream step" in err
    assert "input_s3_location is not set" in err


def test_data_uploading_falls_back_to_input_s3_location(project):
    _edit(
        project / "dag.json",
        _drop_edge("TabularPreprocessing_calibration", "DataUploading_calibration"),
    )

    def change(data):
        data["configuration"]["specific"]["DataUploading_calibration"][
            "input_s3_location"
        ] = "s3://manual/upload/"

    _edit(project / "cfg.json", change)
    code, _, err = _generate(project)
    assert code == 0, err
    source = (project / "pipeline_gen.py").read_text()
    assert 'input_s3_location="s3://manual/upload/",' in source
    assert "# input_data <- configuration input_s3_location" in source


def test_an_sdk_class_name_that_is_not_a_plain_name_is_refused(project):
    """The class and module of extra.sdk_step become code: a team's step file cannot inject any."""
    builtin = REPO / "cursus_codegen" / "catalog" / "steps" / "cradle_data_loading.yaml"
    steps = project / "team_steps"
    steps.mkdir()
    (steps / "cradle_data_loading.yaml").write_text(
        builtin.read_text().replace(
            "class: CradleDataLoadingStep", "class: \"print('injected') or X\""
        )
    )
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py", "--steps", "team_steps"],
        cwd=project,
    )
    assert code == 2 and "needs extra.sdk_step" in err
    assert not (project / "pipeline_gen.py").exists()
