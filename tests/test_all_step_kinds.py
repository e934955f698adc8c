"""Every step type of the core set in one DAG (tests/data/all_kinds), built offline: processing
(code and step_args forms, SKLearn / XGBoost / Framework processors), training, CreateModel and
Transform."""

import json
import shutil

import pytest
from conftest import (
    REPO,
    build_definition,
    generate_in_copy,
    import_module_from,
    run_cli,
)
from support.definitions import (
    is_prefix_join,
    output_locations,
    step_references,
    steps_by_name,
)

DATA = REPO / "tests" / "data" / "all_kinds"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate_in_copy(DATA, tmp_path_factory.mktemp("all_kinds") / "project")


@pytest.fixture(scope="module")
def definition(generated, sm_session):
    return build_definition(import_module_from(generated, "all_kinds_gen"), sm_session)


def test_every_node_becomes_one_step_of_the_right_kind(definition):
    dag = json.loads((DATA / "dag.json").read_text())["dag"]
    kinds = {s["Name"]: s["Type"] for s in definition["Steps"]}
    assert len(kinds) == len(dag["nodes"])
    assert kinds["XGBoostTraining"] == "Training"
    assert kinds["XGBoostModel"] == "Model"
    assert kinds["BatchTransform-Calibration"] == "Transform"
    assert {k for k, v in kinds.items() if v == "Processing"} >= {
        "StratifiedSampling-Training",
        "RiskTableMapping-Calibration",
        "MissingValueImputation-Training",
        "XGBoostModelInference-Calibration",
        "PercentileModelCalibration-Calibration",
        "DummyTraining",
    }


def test_every_reference_points_at_an_earlier_step_and_depends_on_follows_the_dag(
    definition,
):
    seen = set()
    for step in definition["Steps"]:
        for ref in step_references(step["Arguments"]):
            if ref.startswith("Steps."):
                assert (
                    ref.split(".")[1] in seen
                ), f"{step['Name']} refers forward: {ref}"
        assert set(step.get("DependsOn", [])) <= seen
        seen.add(step["Name"])
    steps = steps_by_name(definition)
    assert steps["BatchTransform-Calibration"]["DependsOn"] == [
        "XGBoostModel",
        "MissingValueImputation-Calibration",
    ]
    assert steps["RiskTableMapping-Calibration"]["DependsOn"] == [
        "TabularPreprocessing-Calibration",
        "RiskTableMapping-Training",
    ]


def test_outputs_are_under_the_execution_prefix_and_unique(definition):
    locations = output_locations(definition)
    assert all(is_prefix_join(loc) for _, _, loc in locations)
    assert len({repr(loc) for _, _, loc in locations}) == len(locations)


def test_risk_table_calibration_reads_the_training_tables(definition):
    inputs = {
        i["InputName"]: i["S3Input"]["S3Uri"]
        for i in steps_by_name(definition)["RiskTableMapping-Calibration"]["Arguments"][
            "ProcessingInputs"
        ]
    }
    assert inputs["model_artifacts_input"] == {
        "Get": "Steps.RiskTableMapping-Training.ProcessingOutputConfig.Outputs['model_artifacts_output'].S3Output.S3Uri"
    }


def test_create_model_step_as_cursus_builds_it(definition):
    step = steps_by_name(definition)["XGBoostModel"]
    container = step["Arguments"]["PrimaryContainer"]
    assert (
        container["Image"]
        == "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.5-1"
    )
    assert container["ModelDataUrl"] == {
        "Get": "Steps.XGBoostTraining.ModelArtifacts.S3ModelArtifacts"
    }
    assert container["Environment"]["SAGEMAKER_PROGRAM"] == "inference.py"
    assert "CacheConfig" not in step


def test_transform_step_as_cursus_builds_it(definition):
    args = steps_by_name(definition)["BatchTransform-Calibration"]["Arguments"]
    assert args["ModelName"] == {"Get": "Steps.XGBoostModel.ModelName"}
    assert args["TransformInput"]["ContentType"] == "text/csv"
    assert args["TransformInput"]["SplitType"] == "Line"
    assert (
        args["TransformOutput"]["AssembleWith"] == "Line"
        and args["TransformOutput"]["Accept"] == "text/csv"
    )
    assert args["DataProcessing"] == {
        "InputFilter": "$[1:]",
        "OutputFilter": "$[-1]",
        "JoinSource": "Input",
    }
    assert args["TransformOutput"]["S3OutputPath"]["Std:Join"]["Values"][1:] == [
        "batchtransform",
        "calibration",
        "transform_output",
    ]


def test_framework_processor_steps_split_source_dir_and_entry(definition):
    args = steps_by_name(definition)["RiskTableMapping-Training"]["Arguments"]
    assert args["AppSpecification"]["ContainerEntrypoint"] == [
        "/bin/bash",
        "/opt/ml/processing/input/entrypoint/runproc.sh",
    ]
    assert args["AppSpecification"]["ImageUri"].endswith(
        "sagemaker-scikit-learn:1.2-1-cpu-py3"
    )


def test_generated_module_is_stable(generated, tmp_path):
    shutil.copytree(DATA, tmp_path / "again")
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py"], cwd=tmp_path / "again"
    )
    assert code == 0, err
    assert (
        tmp_path / "again" / "pipeline_gen.py"
    ).read_bytes() == generated.read_bytes()
