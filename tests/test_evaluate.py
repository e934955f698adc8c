"""Environment and job arguments of the processing "code" step types, as cursus computes them.

Expected values are derived by hand from the config classes (src/cursus/steps/configs/
config_<name>_step.py: get_environment_variables / environment_variables / _env_overrides,
get_job_arguments) and from StepBuilderBase._get_environment_variables (core/base/
builder_base.py: collector, then declared-optional defaults for names not produced, in the
interface's order). They were cross-checked once by running the cursus v2.9.32 config and
builder classes themselves (`load_configs` + the synthesized builder's
`_get_environment_variables()` / `_get_job_arguments()`) in a scratch environment outside the
project; that run is not part of this suite.
"""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS

from cursus_codegen.catalog import evaluate
from cursus_codegen.catalog.loader import load_catalog
from cursus_codegen.catalog.values import config_values
from cursus_codegen.catalog.variants import for_job_type

SHARED = {
    "author": "ann",
    "bucket": "bkt",
    "role": "arn:aws:iam::123456789012:role/R",
    "region": "EU",
    "service_name": "Svc",
    "pipeline_version": "2.0.0",
    "project_root_folder": "proj",
    "source_dir": "src",
    "model_class": "pytorch",
    "use_secure_pypi": True,
}


@pytest.fixture(scope="module")
def catalog():
    loaded, diags = load_catalog()
    assert diags == []
    return loaded


def _evaluate(catalog, config_class: str, raw: dict):
    step = catalog.by_config_class[config_class]
    values, missing = config_values(step, catalog, raw)
    assert missing == []
    step = for_job_type(step, values.get("job_type"))
    return dict(evaluate.environment(step, values)), evaluate.job_arguments(
        step, values
    )


def _assert_env(actual: dict, expected: list[tuple[str, str]]):
    for name, value in expected:  # entry by entry, for a readable failure
        assert actual.get(name) == value, name
    assert list(actual.items()) == expected  # and cursus's order, nothing more


# --- synthetic configurations -----------------------------------------------------------------


def test_tabular_preprocessing(catalog):
    env, args = _evaluate(
        catalog,
        "TabularPreprocessingConfig",
        {
            **SHARED,
            "job_type": "testing",
            "label_name": "y",
            "train_ratio": 0.8,
            "output_format": "tsv",
            "optimize_memory": True,
            "batch_size": 3,
        },
    )
    _assert_env(
        env,
        [
            ("LABEL_FIELD", "y"),
            ("TRAIN_RATIO", "0.8"),
            ("TEST_VAL_RATIO", "0.5"),
            (
                "OUTPUT_FORMAT",
                "TSV",
            ),  # validator: case-insensitive -> canonical spelling
            ("MAX_WORKERS", "0"),
            ("BATCH_SIZE", "3"),
            ("OPTIMIZE_MEMORY", "true"),
            ("STREAMING_BATCH_SIZE", "0"),
            ("ENABLE_TRUE_STREAMING", "false"),
        ],
    )
    assert args == ("--job_type", "testing")


def test_tabular_preprocessing_without_label_gets_the_declared_default_last(catalog):
    env, _ = _evaluate(
        catalog, "TabularPreprocessingConfig", {**SHARED, "job_type": "calibration"}
    )
    assert list(env)[-1] == "LABEL_FIELD" and env["LABEL_FIELD"] == ""


def test_dummy_data_loading(catalog):
    env, args = _evaluate(
        catalog,
        "DummyDataLoadingConfig",
        {
            **SHARED,
            "data_source": "s3://b/k",
            "job_type": "testing",
            "output_format": "json",
            "metadata_format": "mods",
            "write_data_shards": True,
            "shard_size": 5,
        },
    )
    _assert_env(
        env,
        [
            ("WRITE_DATA_SHARDS", "true"),
            ("SHARD_SIZE", "5"),
            ("OUTPUT_FORMAT", "JSON"),
            ("MAX_WORKERS", "0"),
            ("BATCH_SIZE", "5"),
            ("OPTIMIZE_MEMORY", "false"),
            ("STREAMING_BATCH_SIZE", "0"),
            ("ENABLE_TRUE_STREAMING", "false"),
            ("METADATA_FORMAT", "MODS"),
        ],
    )
    assert args is None  # no get_job_arguments override


def test_stratified_sampling_declared_convention(catalog):
    env, args = _evaluate(
        catalog,
        "StratifiedSamplingConfig",
        {
            **SHARED,
            "strata_column": "label",
            "sampling_strategy": "Proportional_Min",
            "target_sample_size": 500,
            "sampling_multiplier": 2,
            "allow_replacement": True,
            "variance_column": "v",
            "job_type": "training",
        },
    )
    _assert_env(
        env,
        [
            ("STRATA_COLUMN", "label"),
            ("SAMPLING_STRATEGY", "proportional_min"),
            ("TARGET_SAMPLE_SIZE", "500"),
            ("MIN_SAMPLES_PER_STRATUM", "10"),
            ("VARIANCE_COLUMN", "v"),
            ("RANDOM_STATE", "42"),
            ("SAMPLING_MULTIPLIER", "2.0"),  # int in a float field -> float
            ("ALLOW_REPLACEMENT", "true"),
            ("ID_COLUMN", "order_id"),
            # None-valued fields are omitted by the resolver, then get their defaults, in order:
            ("VAL_TARGET_SAMPLE_SIZE", "0"),
            ("REFERENCE_COUNTS_JSON", ""),
            ("SAMPLING_FILTER_COLUMN", ""),
            ("SAMPLING_FILTER_VALUE", ""),
        ],
    )
    assert args == ("--job_type", "training")


def test_missing_value_imputation(catalog):
    env, args = _evaluate(
        catalog,
        "MissingValueImputationConfig",
        {
            **SHARED,
            "label_field": " target ",
            "default_numerical_strategy": "MEDIAN",
            "numerical_constant_value": 5,
            "exclude_columns": ["a", " target", "b ", "a"],
            "column_strategies": {"price": "median", " Qty": "constant"},
            "categorical_unique_ratio_threshold": 0.25,
            "enable_true_streaming": True,
            "max_workers": 4,
            "job_type": "training",
        },
    )
    _assert_env(
        env,
        [
            ("LABEL_FIELD", "target"),
            ("DEFAULT_NUMERICAL_STRATEGY", "median"),
            ("DEFAULT_CATEGORICAL_STRATEGY", "mode"),
            ("DEFAULT_TEXT_STRATEGY", "mode"),
            ("NUMERICAL_CONSTANT_VALUE", "5.0"),
            ("CATEGORICAL_CONSTANT_VALUE", "Unknown"),
            ("TEXT_CONSTANT_VALUE", "Unknown"),
            ("CATEGORICAL_PRESERVE_DTYPE", "true"),
            ("AUTO_DETECT_CATEGORICAL", "true"),
            ("CATEGORICAL_UNIQUE_RATIO_THRESHOLD", "0.25"),
            ("VALIDATE_FILL_VALUES", "true"),
            ("EXCLUDE_COLUMNS", "target,a,b"),
            ("COLUMN_STRATEGY_PRICE", "median"),
            ("COLUMN_STRATEGY_QTY", "constant"),
            ("ENABLE_TRUE_STREAMING", "true"),
            ("MAX_WORKERS", "4"),
        ],
    )
    assert args == ("--job_type", "training")


def test_model_calibration_multitask_multiclass(catalog):
    env, args = _evaluate(
        catalog,
        "ModelCalibrationConfig",
        {
            **SHARED,
            "label_field": "t1",
            "score_fields": ["p1", "p2"],
            "task_label_names": ["t1", "t2"],
            "is_binary": False,
            "num_classes": 3,
            "multiclass_categories": ["a", 1, "c"],
            "error_threshold": 0,
            "calibration_method": "Isotonic",
            "monotonic_constraint": False,
        },
    )
    _assert_env(
        env,
        [
            ("CALIBRATION_METHOD", "Isotonic"),
            ("MONOTONIC_CONSTRAINT", "false"),
            ("GAM_SPLINES", "10"),
            ("ERROR_THRESHOLD", "0.0"),
            ("CALIBRATION_SAMPLE_POINTS", "1000"),
            ("IS_BINARY", "false"),
            ("NUM_CLASSES", "3"),
            ("SCORE_FIELD_PREFIX", "prob_class_"),
            ("USE_SECURE_PYPI", "true"),
            ("LABEL_FIELD", "t1"),
            ("SCORE_FIELDS", "p1,p2"),
            ("TASK_LABEL_NAMES", "t1,t2"),
            ("MULTICLASS_CATEGORIES", '["a", 1, "c"]'),
            ("SCORE_FIELD", "prob_class_1"),
        ],
    )  # not produced (no score_field): declared default
    assert args == ("--job_type", "calibration")  # job_type defaults to calibration


def test_model_calibration_task_labels_need_score_fields(catalog):
    env, _ = _evaluate(
        catalog,
        "ModelCalibrationConfig",
        {
            **SHARED,
            "label_field": "l",
            "score_field": "s",
            "task_label_names": ["l"],
            "gam_splines": 12.0,
            "job_type": "training",
        },
    )
    assert env["TASK_LABEL_NAMES"] == ""  # only emitted inside `if self.score_fields:`
    assert env["GAM_SPLINES"] == "12"  # a whole float in an int field -> int
    assert env["MULTICLASS_CATEGORIES"] == ""  # binary: the declared default


def test_package(catalog):
    env, args = _evaluate(
        catalog, "PackageConfig", {**SHARED, "inference_scripts_dir": "inf"}
    )
    _assert_env(
        env,
        [
            ("PIPELINE_NAME", "ann-Svc-pytorch-EU"),
            ("REGION", "EU"),
            ("BUCKET_NAME", "bkt"),
            ("PIPELINE_VERSION", "2.0.0"),
            ("WORKING_DIRECTORY", "/tmp/mims_packaging_directory"),
        ],
    )
    assert args is None


def test_payload(catalog):
    env, args = _evaluate(
        catalog,
        "PayloadConfig",
        {
            **SHARED,
            "expected_tps": 5,
            "max_latency_in_millisecond": 300,
            "source_model_inference_content_types": ["application/json", "text/csv"],
            "default_numeric_value": 1,
            "default_text_value": "T",
            "processing_script_arguments": ["--a", "1"],
        },
    )
    _assert_env(
        env,
        [
            ("CONTENT_TYPES", "application/json,text/csv"),
            ("DEFAULT_NUMERIC_VALUE", "1.0"),
            ("DEFAULT_TEXT_VALUE", "T"),
            (
                "FIELD_DEFAULTS",
                "{}",
            ),  # empty field_defaults: override None -> declared default
            ("WORKING_DIRECTORY", "/tmp/mims_payload_work"),
        ],
    )
    assert args == ("--a", "1")
    env, _ = _evaluate(
        catalog,
        "PayloadConfig",
        {
            **SHARED,
            "expected_tps": 5,
            "max_latency_in_millisecond": 300,
            "field_defaults": {"chat": "hi"},
        },
    )
    assert env["FIELD_DEFAULTS"] == '{"chat": "hi"}'


# --- corpus configurations --------------------------------------------------------------------


def _corpus_entry(relative: str, key: str) -> tuple[str, dict]:
    path = CORPUS / "configs" / relative
    if not path.exists():
        pytest.skip(f"corpus file {relative} is absent")
    data = json.loads(path.read_text())
    specific = data["configuration"]["specific"][key]
    return data["metadata"]["config_types"][key], {
        **data["configuration"]["shared"],
        **specific,
    }


ATOZ = "atoz_xgboost/config.json"


def test_corpus_atoz_tabular_preprocessing_training(catalog):
    env, args = _evaluate(
        catalog, *_corpus_entry(ATOZ, "TabularPreprocessing_training")
    )
    _assert_env(
        env,
        [
            ("LABEL_FIELD", "is_abuse"),
            ("TRAIN_RATIO", "0.7"),
            ("TEST_VAL_RATIO", "0.5"),
            ("OUTPUT_FORMAT", "CSV"),
            ("MAX_WORKERS", "0"),
            ("BATCH_SIZE", "5"),
            ("OPTIMIZE_MEMORY", "false"),
            ("STREAMING_BATCH_SIZE", "0"),
            ("ENABLE_TRUE_STREAMING", "false"),
        ],
    )
    assert args == (
        "--job_type",
        "training",
    )  # reference/cursus-steps.md §3.4 ContainerArguments


def test_corpus_atoz_package(catalog):
    env, args = _evaluate(catalog, *_corpus_entry(ATOZ, "Package"))
    _assert_env(
        env,
        [
            ("PIPELINE_NAME", "lukexie-AtoZ-xgboost-NA"),
            ("REGION", "NA"),
            ("BUCKET_NAME", "example-team-share-bucket"),
            ("PIPELINE_VERSION", "1.3.1"),
            ("WORKING_DIRECTORY", "/tmp/mims_packaging_directory"),
        ],
    )
    assert args is None


def test_corpus_atoz_payload(catalog):
    env, args = _evaluate(catalog, *_corpus_entry(ATOZ, "Payload"))
    _assert_env(
        env,
        [
            ("CONTENT_TYPES", "text/csv"),
            ("DEFAULT_NUMERIC_VALUE", "0.0"),
            ("DEFAULT_TEXT_VALUE", "DEFAULT_TEXT"),
            ("FIELD_DEFAULTS", "{}"),
            ("WORKING_DIRECTORY", "/tmp/mims_payload_work"),
        ],
    )
    assert args is None


def test_corpus_atoz_model_calibration(catalog):
    env, args = _evaluate(catalog, *_corpus_entry(ATOZ, "ModelCalibration_calibration"))
    _assert_env(
        env,
        [
            ("CALIBRATION_METHOD", "gam"),
            ("MONOTONIC_CONSTRAINT", "true"),
            ("GAM_SPLINES", "10"),
            ("ERROR_THRESHOLD", "0.05"),
            ("CALIBRATION_SAMPLE_POINTS", "1000"),
            ("IS_BINARY", "true"),
            ("NUM_CLASSES", "2"),
            ("SCORE_FIELD_PREFIX", "prob_class_"),
            ("USE_SECURE_PYPI", "false"),
            ("LABEL_FIELD", "is_abuse"),
            ("SCORE_FIELD", "prob_class_1"),
            ("SCORE_FIELDS", ""),
            ("TASK_LABEL_NAMES", ""),
            ("MULTICLASS_CATEGORIES", ""),
        ],
    )
    assert args == ("--job_type", "calibration")


def test_corpus_rnr_dummy_data_loading_training(catalog):
    config_class, raw = _corpus_entry(
        "rnr_pytorch_bedrock/config.json", "DummyDataLoading_training"
    )
    env, args = _evaluate(catalog, config_class, raw)
    _assert_env(
        env,
        [
            ("WRITE_DATA_SHARDS", "true"),
            ("SHARD_SIZE", "10000"),
            ("OUTPUT_FORMAT", "PARQUET"),
            ("MAX_WORKERS", "0"),
            ("BATCH_SIZE", "5"),
            ("OPTIMIZE_MEMORY", "false"),
            ("STREAMING_BATCH_SIZE", "0"),
            ("ENABLE_TRUE_STREAMING", "false"),
            ("METADATA_FORMAT", "JSON"),
        ],
    )
    assert args is None
    step = catalog.by_config_class[config_class]
    values, _ = config_values(step, catalog, raw)
    from cursus_codegen.catalog.derive import DERIVATIONS

    # INPUT_DATA <- get_data_source_uri(): an S3 URI stays a string
    assert DERIVATIONS["data_source_uri"](values) == raw["data_source"]


# --- rule semantics on a team step type ---------------------------------------------------------

TEAM_STEP = """\
step_type: TeamTraining
config_class: TeamTrainingConfig
sagemaker_step_type: Processing
config_base: processing
compute: {kind: sklearn}
fields:
  job_type: {type: str, default: null}
  hyperparameters: {type: dict, default: null}
  verbose: {type: bool, default: false}
environment:
  collector: declared
  rules:
    - {name: MODE, value: fast, if_falsy: verbose}
  declared_required: [PIPELINE_NAME]
  declared_optional: {MODE: slow, LEARNING_RATE: '0.1', REGION: '', UNKNOWN: dflt}
job_arguments:
  items:
    - {flag: --job_type, field: job_type}
    - {flag: --verbose, field: verbose, value_flag: false, when: truthy}
  none_if: job_type_none
"""


def test_declared_convention_properties_hyperparameters_and_defaults(tmp_path):
    (tmp_path / "team.yaml").write_text(TEAM_STEP)
    catalog, diags = load_catalog([tmp_path])
    assert diags == []
    step = catalog.get("TeamTraining")
    values, _ = config_values(
        step,
        catalog,
        {
            **SHARED,
            "hyperparameters": {"__model_type__": "Hp", "learning_rate": 0.3},
            "job_type": "pretrain",
            "verbose": True,
        },
    )
    assert evaluate.environment(step, values) == (
        (
            "PIPELINE_NAME",
            "ann-Svc-pytorch-EU",
        ),  # BasePipelineConfig property via hasattr
        ("LEARNING_RATE", "0.3"),  # self.hyperparameters.learning_rate
        ("REGION", "EU"),
        (
            "MODE",
            "slow",
        ),  # the override yields nothing (verbose): omitted, then the default
        ("UNKNOWN", "dflt"),
    )
    assert evaluate.job_arguments(step, values) == (
        "--job_type",
        "pretrain",
        "--verbose",
    )
    values["verbose"] = False
    assert dict(evaluate.environment(step, values))["MODE"] == "fast"
    values["job_type"] = None
    assert evaluate.job_arguments(step, values) is None


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"inference_scripts_dir": "inf", "source_dir": "src"}, "inf"),
        ({"source_dir": "src", "processing_source_dir": "src/scripts"}, "src"),
        ({"processing_source_dir": "src/scripts"}, "src/scripts"),
        ({}, "inference"),
        ({"source_dir": "s3://bkt/code"}, "s3://bkt/code"),
    ],
)
def test_package_inference_scripts_source(fields, expected):
    from cursus_codegen.catalog.derive import DERIVATIONS
    from cursus_codegen.catalog.types import LocalPath

    result = DERIVATIONS["inference_scripts_source"](fields)
    assert result == (expected if expected.startswith("s3://") else LocalPath(expected))
