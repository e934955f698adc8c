"""Import each committed example module and build its real pipeline definition offline (SPEC §7).

The expected values are the ones cursus v2.9.32 produces for the same configuration, by the
rules recorded in the step-type data (reference/cursus-steps.md §1.4-§2.3, §3.4).
"""

import pytest
from conftest import REPO, build_definition, import_module_from
from support.definitions import (
    is_prefix_join,
    output_locations,
    processing_inputs,
    processing_output_ref,
    steps_by_name,
    training_channels,
)

EXAMPLES = REPO / "generated_examples"
SKLEARN_IMAGE = (
    "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
)
PARAMETERS = [
    {"Name": "EXECUTION_S3_PREFIX", "Type": "String"},
    {"Name": "KMS_ENCRYPTION_KEY_PARAM", "Type": "String"},
    {"Name": "SECURITY_GROUP_ID", "Type": "String"},
    {"Name": "VPC_SUBNET", "Type": "String"},
]
TP_ENV = {
    "LABEL_FIELD": "is_fraud",
    "TRAIN_RATIO": "0.7",
    "TEST_VAL_RATIO": "0.5",
    "OUTPUT_FORMAT": "CSV",
    "MAX_WORKERS": "0",
    "BATCH_SIZE": "5",
    "OPTIMIZE_MEMORY": "false",
    "STREAMING_BATCH_SIZE": "0",
    "ENABLE_TRUE_STREAMING": "false",
}


@pytest.fixture(scope="module")
def xgb(sm_session):
    module = import_module_from(
        EXAMPLES / "xgboost_e2e" / "pipeline_gen.py", "example_xgboost_e2e"
    )
    return build_definition(module, sm_session)


@pytest.fixture(scope="module")
def torch(sm_session):
    module = import_module_from(
        EXAMPLES / "pytorch_e2e" / "pipeline_gen.py", "example_pytorch_e2e"
    )
    return build_definition(module, sm_session)


def _common_checks(definition):
    assert definition["Parameters"] == PARAMETERS
    locations = output_locations(definition)
    assert locations, "no outputs found"
    for step, output, location in locations:
        assert is_prefix_join(
            location
        ), f"{step}.{output} is not under EXECUTION_S3_PREFIX: {location}"
    rendered = [repr(location) for _, _, location in locations]
    assert len(rendered) == len(set(rendered)), "two outputs share a location"


def test_xgboost_parameters_and_output_locations(xgb):
    _common_checks(xgb)


def test_pytorch_parameters_and_output_locations(torch):
    _common_checks(torch)


def test_xgboost_step_names_in_cursus_build_order(xgb):
    assert [s["Name"] for s in xgb["Steps"]] == [
        "DummyDataLoading-Training",
        "DummyDataLoading-Calibration",
        "TabularPreprocessing-Training",
        "TabularPreprocessing-Calibration",
        "XGBoostTraining",
        "XGBoostModelEval-Calibration",
        "Payload",
        "ModelCalibration-Calibration",
        "Package",
    ]


def test_xgboost_wiring_points_at_the_right_upstream_properties(xgb):
    steps = steps_by_name(xgb)
    tp = processing_inputs(steps["TabularPreprocessing-Training"])
    assert tp["DATA"] == processing_output_ref("DummyDataLoading-Training", "DATA")
    # cursus wires the optional DATA_SECONDARY to METADATA by score (reference §5.5)
    assert tp["DATA_SECONDARY"] == processing_output_ref(
        "DummyDataLoading-Training", "METADATA"
    )
    assert tp["SIGNATURE"] == processing_output_ref(
        "DummyDataLoading-Training", "SIGNATURE"
    )
    channels = training_channels(steps["XGBoostTraining"])
    processed = processing_output_ref("TabularPreprocessing-Training", "processed_data")
    for channel in ("train", "val", "test"):
        assert channels[channel] == {
            "Std:Join": {"On": "/", "Values": [processed, f"{channel}/"]}
        }
    assert channels["model_artifacts_input"] == processed  # cursus's second wiring pass
    evaluation = processing_inputs(steps["XGBoostModelEval-Calibration"])
    assert evaluation["model_input"] == {
        "Get": "Steps.XGBoostTraining.ModelArtifacts.S3ModelArtifacts"
    }
    assert evaluation["processed_data"] == processing_output_ref(
        "TabularPreprocessing-Calibration", "processed_data"
    )
    calibration = processing_inputs(steps["ModelCalibration-Calibration"])
    assert calibration["evaluation_data"] == processing_output_ref(
        "XGBoostModelEval-Calibration", "eval_output"
    )
    package = processing_inputs(steps["Package"])
    assert package["model_input"] == {
        "Get": "Steps.XGBoostTraining.ModelArtifacts.S3ModelArtifacts"
    }
    assert package["calibration_model"] == processing_output_ref(
        "ModelCalibration-Calibration", "calibration_output"
    )
    payload = processing_inputs(steps["Payload"])
    assert payload["custom_payload_input"] == {
        "Get": "Steps.XGBoostTraining.OutputDataConfig.S3OutputPath"
    }
    assert steps["Package"]["DependsOn"] == [
        "ModelCalibration-Calibration",
        "XGBoostTraining",
    ]
    assert steps["XGBoostModelEval-Calibration"]["DependsOn"] == [
        "XGBoostTraining",
        "TabularPreprocessing-Calibration",
    ]
    assert "DependsOn" not in steps["DummyDataLoading-Training"]


def test_xgboost_tabular_preprocessing_training_matches_cursus(xgb):
    args = steps_by_name(xgb)["TabularPreprocessing-Training"]["Arguments"]
    assert args["AppSpecification"] == {
        "ImageUri": SKLEARN_IMAGE,
        "ContainerArguments": ["--job_type", "training"],
        "ContainerEntrypoint": [
            "python3",
            "/opt/ml/processing/input/code/tabular_preprocessing.py",
        ],
    }
    assert args["ProcessingResources"]["ClusterConfig"] == {
        "InstanceType": "ml.m5.12xlarge",
        "InstanceCount": 1,
        "VolumeSizeInGB": 500,
    }
    assert args["Environment"] == TP_ENV
    outputs = args["ProcessingOutputConfig"]["Outputs"]
    assert [o["S3Output"]["S3Uri"]["Std:Join"]["Values"][1:] for o in outputs] == [
        ["tabularpreprocessing", "training", "processed_data"]
    ]
    assert outputs[0]["S3Output"]["LocalPath"] == "/opt/ml/processing/output"


def test_xgboost_training_matches_cursus(xgb):
    step = steps_by_name(xgb)["XGBoostTraining"]
    args = step["Arguments"]
    assert args["AlgorithmSpecification"]["TrainingImage"] == (
        "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    )
    assert args["ResourceConfig"] == {
        "InstanceType": "ml.m5.4xlarge",
        "InstanceCount": 1,
        "VolumeSizeInGB": 100,
    }
    assert args["Environment"] == {
        "REGION": "NA",
        "USE_SECURE_PYPI": "true",
        "USE_PRECOMPUTED_IMPUTATION": "false",
        "USE_PRECOMPUTED_RISK_TABLES": "false",
        "USE_PRECOMPUTED_FEATURES": "false",
    }
    assert args["OutputDataConfig"]["S3OutputPath"]["Std:Join"]["Values"][1:] == [
        "xgboost_training"
    ]
    assert args["HyperParameters"]["sagemaker_program"] == '"xgboost_training.py"'
    assert step["CacheConfig"] == {"Enabled": False, "ExpireAfter": "P30D"}


def test_xgboost_eval_uses_the_xgboost_processor_in_step_args_form(xgb):
    args = steps_by_name(xgb)["XGBoostModelEval-Calibration"]["Arguments"]
    assert args["AppSpecification"]["ImageUri"].endswith("/sagemaker-xgboost:1.5-1")
    assert args["AppSpecification"]["ContainerEntrypoint"] == [
        "/bin/bash",
        "/opt/ml/processing/input/entrypoint/runproc.sh",
    ]
    assert args["AppSpecification"]["ContainerArguments"] == [
        "--job_type",
        "calibration",
    ]
    names = [i["InputName"] for i in args["ProcessingInputs"]]
    assert names == ["model_input", "processed_data", "code", "entrypoint"]


def test_pytorch_training_matches_cursus(torch):
    steps = steps_by_name(torch)
    args = steps["PyTorchTraining"]["Arguments"]
    # cursus retrieves the image itself, region locked to us-east-1 (reference §1.6)
    assert args["AlgorithmSpecification"]["TrainingImage"] == (
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310"
    )
    assert args["ResourceConfig"] == {
        "InstanceType": "ml.g5.2xlarge",
        "InstanceCount": 1,
        "VolumeSizeInGB": 200,
    }
    assert args["Environment"] == {
        "REGION": "NA",
        "USE_SECURE_PYPI": "false",
        "USE_PRECOMPUTED_IMPUTATION": "false",
        "USE_PRECOMPUTED_RISK_TABLES": "false",
        "USE_PRECOMPUTED_FEATURES": "false",
        "ENABLE_TRUE_STREAMING": "false",
        "NUM_WORKERS_PER_RANK": "0",
        "PREFETCH_FACTOR": "None",
        "USE_PERSISTENT_WORKERS": "false",
        "LIMIT_EVAL_TEST_ROWS": "100000",
        "LIMIT_EVAL_VAL_ROWS": "100000",
    }
    assert args["OutputDataConfig"]["S3OutputPath"]["Std:Join"]["Values"][1:] == [
        "pytorch_training"
    ]
    evaluation = steps["PyTorchModelEval-Calibration"]["Arguments"]
    assert evaluation["AppSpecification"]["ImageUri"] == (
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-cpu-py310"
    )
    assert (
        evaluation["ProcessingResources"]["ClusterConfig"]["InstanceType"]
        == "ml.m5.12xlarge"
    )


def test_pytorch_step_names_in_cursus_build_order(torch):
    assert [s["Name"] for s in torch["Steps"]] == [
        "DummyDataLoading-Training",
        "DummyDataLoading-Calibration",
        "TabularPreprocessing-Training",
        "TabularPreprocessing-Calibration",
        "PyTorchTraining",
        "PyTorchModelEval-Calibration",
        "Payload",
        "ModelCalibration-Calibration",
        "Package",
    ]
