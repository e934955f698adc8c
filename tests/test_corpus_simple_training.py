"""Corpus pair pytorch/simple_training + rnr_pytorch_bedrock/config.json, built offline.

Expected values are cursus v2.9.32's for this configuration (reference/cursus-steps.md §1.6,
§3.4; the environments were checked against cursus's own builders when the step types were
written). Skips when ../shared/corpus is absent.
"""

import shutil

import pytest
from conftest import CORPUS, build_definition, import_module_from, run_cli
from support.definitions import (
    is_prefix_join,
    output_locations,
    processing_inputs,
    processing_output_ref,
    steps_by_name,
    training_channels,
)

pytestmark = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent"
)

PLACEHOLDERS = [
    "dockers/scripts/dummy_data_loading.py",
    "dockers/scripts/tabular_preprocessing.py",
    "dockers/pytorch_training.py",
]


@pytest.fixture(scope="module")
def definition(tmp_path_factory, sm_session):
    root = tmp_path_factory.mktemp("rnr_project")
    for relative in PLACEHOLDERS:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text('"""placeholder"""\n')
    shutil.copy(
        CORPUS / "configs" / "rnr_pytorch_bedrock" / "config.json", root / "config.json"
    )
    shutil.copy(
        CORPUS / "dags" / "pytorch" / "simple_training.dag.json", root / "dag.json"
    )
    # every configuration class of the file (unused ones included) is a known step type now,
    # so even --strict has nothing to warn about
    code, _, err = run_cli(
        ["dag.json", "config.json", "-o", "pipeline_gen.py", "--strict"], cwd=root
    )
    assert code == 0 and "unknown configuration class" not in err, err
    module = import_module_from(root / "pipeline_gen.py", "corpus_simple_training")
    return build_definition(module, sm_session)


def test_parameters_and_outputs(definition):
    assert [p["Name"] for p in definition["Parameters"]] == [
        "EXECUTION_S3_PREFIX",
        "KMS_ENCRYPTION_KEY_PARAM",
        "SECURITY_GROUP_ID",
        "VPC_SUBNET",
    ]
    locations = output_locations(definition)
    assert (
        len(locations) == 5
    )  # DATA, METADATA, SIGNATURE, processed_data, training output
    assert all(is_prefix_join(location) for _, _, location in locations)
    assert len({repr(location) for _, _, location in locations}) == len(locations)


def test_steps_and_wiring(definition):
    assert [s["Name"] for s in definition["Steps"]] == [
        "DummyDataLoading-Training",
        "TabularPreprocessing-Training",
        "PyTorchTraining",
    ]
    steps = steps_by_name(definition)
    loading = processing_inputs(steps["DummyDataLoading-Training"])
    assert (
        loading["INPUT_DATA"]
        == "s3://example-data-bucket/production-pipeline/raw-input/2025-11-03"
    )
    tp = processing_inputs(steps["TabularPreprocessing-Training"])
    assert tp["DATA"] == processing_output_ref("DummyDataLoading-Training", "DATA")
    assert tp["DATA_SECONDARY"] == processing_output_ref(
        "DummyDataLoading-Training", "METADATA"
    )
    assert tp["SIGNATURE"] == processing_output_ref(
        "DummyDataLoading-Training", "SIGNATURE"
    )
    channels = training_channels(steps["PyTorchTraining"])
    processed = processing_output_ref("TabularPreprocessing-Training", "processed_data")
    assert set(channels) == {"train", "val", "test", "model_artifacts_input"}
    assert channels["val"] == {"Std:Join": {"On": "/", "Values": [processed, "val/"]}}
    assert steps["PyTorchTraining"]["DependsOn"] == ["TabularPreprocessing-Training"]


def test_tabular_preprocessing_training_matches_cursus(definition):
    args = steps_by_name(definition)["TabularPreprocessing-Training"]["Arguments"]
    assert args["AppSpecification"] == {
        "ImageUri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
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
    assert args["Environment"] == {
        "BATCH_SIZE": "5",
        "ENABLE_TRUE_STREAMING": "false",
        "LABEL_FIELD": "",
        "MAX_WORKERS": "0",
        "OPTIMIZE_MEMORY": "false",
        "OUTPUT_FORMAT": "Parquet",
        "STREAMING_BATCH_SIZE": "0",
        "TEST_VAL_RATIO": "0.5",
        "TRAIN_RATIO": "0.7",
    }


def test_pytorch_training_matches_cursus(definition):
    args = steps_by_name(definition)["PyTorchTraining"]["Arguments"]
    assert args["AlgorithmSpecification"]["TrainingImage"] == (
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310"
    )
    assert args["ResourceConfig"] == {
        "InstanceType": "ml.p3.16xlarge",
        "InstanceCount": 1,
        "VolumeSizeInGB": 800,
    }
    assert args["Environment"] == {
        "ENABLE_TRUE_STREAMING": "false",
        "LIMIT_EVAL_TEST_ROWS": "100000",
        "LIMIT_EVAL_VAL_ROWS": "100000",
        "NUM_WORKERS_PER_RANK": "0",
        "PREFETCH_FACTOR": "None",
        "REGION": "NA",
        "USE_PERSISTENT_WORKERS": "false",
        "USE_PRECOMPUTED_FEATURES": "false",
        "USE_PRECOMPUTED_IMPUTATION": "false",
        "USE_PRECOMPUTED_RISK_TABLES": "false",
        "USE_SECURE_PYPI": "true",
    }
    assert args["OutputDataConfig"]["S3OutputPath"]["Std:Join"]["Values"][1:] == [
        "pytorch_training"
    ]
