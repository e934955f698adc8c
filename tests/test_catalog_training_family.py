"""Training-family step types: their data files load, and environment() / job_arguments() give
what cursus v2.9.32 computes.

Expected values are derived by hand from the cursus sources named next to each case (paths under
src/cursus/). The builder's environment is: the config's collector (a class-level
get_environment_variables() or environment_variables property, else the BasePipelineConfig
convention), then every declared-optional name not produced gets its interface default
(core/base/builder_base.py:560-646). Job arguments are config.get_job_arguments(), None when
empty (builder_base.py:676); `_job_type_arg()` is core/base/config_base.py:629.
"""

import json
from pathlib import Path

import pytest

from cursus_codegen.catalog.evaluate import environment, job_arguments
from cursus_codegen.catalog.loader import load_catalog
from cursus_codegen.catalog.values import config_values
from cursus_codegen.catalog.variants import for_job_type

CORPUS_CONFIGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "configs"

FILES = {
    "RiskTableMapping": "risk_table_mapping.yaml",
    "DummyTraining": "dummy_training.yaml",
    "XGBoostModelEval": "xgboost_model_eval.yaml",
    "XGBoostModelInference": "xgboost_model_inference.yaml",
    "PyTorchModelEval": "pytorch_model_eval.yaml",
    "PercentileModelCalibration": "percentile_model_calibration.yaml",
    "XGBoostTraining": "xgboost_training.yaml",
    "PyTorchTraining": "pytorch_training.yaml",
    "XGBoostModel": "xgboost_model.yaml",
    "BatchTransform": "batch_transform.yaml",
}

# The BasePipelineConfig tier-1 fields every configuration carries.
BASE = {
    "author": "alice",
    "bucket": "bkt",
    "role": "arn:aws:iam::123456789012:role/R",
    "region": "NA",
    "service_name": "Svc",
    "pipeline_version": "1.0.0",
    "project_root_folder": "proj",
    "source_dir": "src",
}


@pytest.fixture(scope="module")
def loaded():
    return load_catalog()


@pytest.fixture(scope="module")
def catalog(loaded):
    cat, _ = loaded
    assert cat is not None
    return cat


def evaluate(catalog, raw):
    """(environment, job arguments) of a configuration entry, through config_values."""
    step = catalog.get(catalog.step_type_of_class(raw["__model_type__"]))
    values, missing = config_values(step, catalog, raw)
    assert missing == []
    return list(environment(step, values)), job_arguments(step, values)


def test_files_load_without_diagnostics(loaded):
    cat, diags = loaded
    mine = [
        d.format()
        for d in diags
        if d.location is not None and Path(d.location.path).name in FILES.values()
    ]
    assert mine == []
    for step_type, filename in FILES.items():
        step = cat.get(step_type)
        assert step is not None, step_type
        assert Path(step.source_file).name == filename


# (config class, configuration fields beyond BASE, expected env in order, expected job args)
CASES = {
    # steps/configs/config_risk_table_mapping_step.py:100 environment_variables property;
    # job_type defaults to "training" (l.49); :166 _job_type_arg.
    "rtm-defaults": (
        "RiskTableMappingConfig",
        {},
        [
            ("SMOOTH_FACTOR", "0.01"),
            ("COUNT_THRESHOLD", "5"),
            ("MAX_UNIQUE_THRESHOLD", "100"),
            ("ENABLE_TRUE_STREAMING", "false"),
            ("MAX_WORKERS", "0"),
        ],
        ("--job_type", "training"),
    ),
    # smooth_factor is a float field: the int 1 becomes 1.0, so str() gives "1.0".
    "rtm-calibration": (
        "RiskTableMappingConfig",
        {
            "job_type": "calibration",
            "smooth_factor": 1,
            "count_threshold": 7,
            "enable_true_streaming": True,
            "max_workers": 3,
        },
        [
            ("SMOOTH_FACTOR", "1.0"),
            ("COUNT_THRESHOLD", "7"),
            ("MAX_UNIQUE_THRESHOLD", "100"),
            ("ENABLE_TRUE_STREAMING", "true"),
            ("MAX_WORKERS", "3"),
        ],
        ("--job_type", "calibration"),
    ),
    # config_dummy_training_step.py: no collector, no declared env names, no get_job_arguments.
    "dummy": ("DummyTrainingConfig", {"pretrained_model_path": None}, [], None),
    # config_xgboost_model_eval_step.py:177 — EVAL_METRIC_CHOICES only when the list is truthy
    # (l.200-201); bools via str(x).lower().
    "xgb-eval": (
        "XGBoostModelEvalConfig",
        {
            "id_name": "oid",
            "label_name": "y",
            "eval_metric_choices": [],
            "comparison_mode": True,
            "previous_score_field": "old",
            "comparison_metrics": "basic",
            "statistical_tests": False,
            "job_type": "testing",
        },
        [
            ("ID_FIELD", "oid"),
            ("LABEL_FIELD", "y"),
            ("COMPARISON_MODE", "true"),
            ("PREVIOUS_SCORE_FIELD", "old"),
            ("COMPARISON_METRICS", "basic"),
            ("STATISTICAL_TESTS", "false"),
            ("COMPARISON_PLOTS", "true"),
        ],
        ("--job_type", "testing"),
    ),
    # config_xgboost_model_inference_step.py:156; the output_format / json_orient validators
    # lowercase the stored value (l.98-114).
    "xgb-inference": (
        "XGBoostModelInferenceConfig",
        {
            "id_name": "oid",
            "label_name": "y",
            "output_format": "JSON",
            "json_orient": "Index",
            "job_type": "validation",
        },
        [
            ("ID_FIELD", "oid"),
            ("LABEL_FIELD", "y"),
            ("OUTPUT_FORMAT", "json"),
            ("JSON_ORIENT", "index"),
        ],
        ("--job_type", "validation"),
    ),
    # config_pytorch_model_eval_step.py:258 — then DEVICE/ACCELERATOR/BATCH_SIZE/NUM_WORKERS
    # from the interface's optional defaults (pytorch_model_eval.step.yaml), after the rest.
    "pt-eval": (
        "PyTorchModelEvalConfig",
        {
            "id_name": "oid",
            "label_name": "y",
            "use_secure_pypi": True,
            "prefetch_factor": 3,
            "num_workers_per_rank": 4,
            "enable_true_streaming": True,
        },
        [
            ("ID_FIELD", "oid"),
            ("LABEL_FIELD", "y"),
            ("USE_SECURE_PYPI", "true"),
            ("EVAL_METRIC_CHOICES", "auroc,average_precision,f1_score"),
            ("COMPARISON_MODE", "false"),
            ("PREVIOUS_SCORE_FIELD", ""),
            ("COMPARISON_METRICS", "all"),
            ("STATISTICAL_TESTS", "true"),
            ("COMPARISON_PLOTS", "true"),
            ("ENABLE_TRUE_STREAMING", "true"),
            ("NUM_WORKERS_PER_RANK", "4"),
            ("PREFETCH_FACTOR", "3"),
            ("USE_PERSISTENT_WORKERS", "false"),
            ("DEVICE", "auto"),
            ("ACCELERATOR", "auto"),
            ("BATCH_SIZE", "32"),
            ("NUM_WORKERS", "0"),
        ],
        ("--job_type", "calibration"),
    ),
    # config_percentile_model_calibration_step.py:168 — score_fields wins (l.187-191):
    # SCORE_FIELDS then SCORE_FIELD="" ...
    "percentile-multi": (
        "PercentileModelCalibrationConfig",
        {
            "job_type": "training",
            "score_field": "s",
            "score_fields": ["a", "b"],
            "accuracy": 1e-5,
            "n_bins": 50,
        },
        [
            ("N_BINS", "50"),
            ("ACCURACY", "1e-05"),
            ("SCORE_FIELDS", "a,b"),
            ("SCORE_FIELD", ""),
        ],
        ("--job_type", "training"),
    ),
    # ... else score_field (l.192-195): SCORE_FIELD then SCORE_FIELDS="" (the other order).
    "percentile-single": (
        "PercentileModelCalibrationConfig",
        {
            "job_type": "calibration",
            "score_field": "prob",
        },
        [
            ("N_BINS", "1000"),
            ("ACCURACY", "0.001"),
            ("SCORE_FIELD", "prob"),
            ("SCORE_FIELDS", ""),
        ],
        ("--job_type", "calibration"),
    ),
    # config_xgboost_training_step.py:167; job_type matched case-insensitively to the
    # canonical spelling (validate_job_type, l.151); REGION is the region code, not aws_region.
    "xgb-training": (
        "XGBoostTrainingConfig",
        {
            "training_entry_point": "train.py",
            "use_secure_pypi": False,
            "use_precomputed_features": True,
            "job_type": "PreTrain",
            "region": "EU",
        },
        [
            ("REGION", "EU"),
            ("USE_SECURE_PYPI", "false"),
            ("USE_PRECOMPUTED_IMPUTATION", "false"),
            ("USE_PRECOMPUTED_RISK_TABLES", "false"),
            ("USE_PRECOMPUTED_FEATURES", "true"),
        ],
        ("--job_type", "pretrain"),
    ),
    # config_pytorch_training_step.py:256 — PREFETCH_FACTOR is str(None) == "None" (l.285).
    "pt-training": (
        "PyTorchTrainingConfig",
        {
            "training_entry_point": "train.py",
            "region": "FE",
            "num_workers_per_rank": 2,
            "use_persistent_workers": True,
            "limit_eval_val_rows": 0,
        },
        [
            ("REGION", "FE"),
            ("USE_SECURE_PYPI", "false"),
            ("USE_PRECOMPUTED_IMPUTATION", "false"),
            ("USE_PRECOMPUTED_RISK_TABLES", "false"),
            ("USE_PRECOMPUTED_FEATURES", "false"),
            ("ENABLE_TRUE_STREAMING", "false"),
            ("NUM_WORKERS_PER_RANK", "2"),
            ("PREFETCH_FACTOR", "None"),
            ("USE_PERSISTENT_WORKERS", "true"),
            ("LIMIT_EVAL_TEST_ROWS", "100000"),
            ("LIMIT_EVAL_VAL_ROWS", "0"),
        ],
        None,
    ),
    # config_xgboost_model_step.py / config_batch_transform_step.py: no collector, no names.
    "xgb-model": ("XGBoostModelStepConfig", {}, [], None),
    "batch-transform": (
        "BatchTransformStepConfig",
        {"job_type": "calibration"},
        [],
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_environment_and_job_arguments(catalog, case):
    config_class, fields, want_env, want_args = CASES[case]
    env, args = evaluate(catalog, {**BASE, **fields, "__model_type__": config_class})
    assert env == want_env
    assert args == want_args


def corpus_entry(project: str, key: str) -> dict:
    path = CORPUS_CONFIGS / project / "config.json"
    if not path.is_file():
        pytest.skip(f"corpus config {path} is absent")
    configuration = json.loads(path.read_text())["configuration"]
    return {**configuration["shared"], **configuration["specific"][key]}


def assert_env_entries(env: list, expected: list) -> None:
    produced = dict(env)
    for name, value in expected:
        assert produced.get(name) == value, name
    assert [name for name, _ in env] == [name for name, _ in expected]


def test_corpus_atoz_xgboost_training(catalog):
    # cursus-steps.md §3.4: Environment {REGION, USE_SECURE_PYPI, USE_PRECOMPUTED_*}. The entry
    # sets none of them: use_secure_pypi defaults to True in XGBoostTrainingConfig.
    env, args = evaluate(catalog, corpus_entry("atoz_xgboost", "XGBoostTraining"))
    assert_env_entries(
        env,
        [
            ("REGION", "NA"),
            ("USE_SECURE_PYPI", "true"),
            ("USE_PRECOMPUTED_IMPUTATION", "false"),
            ("USE_PRECOMPUTED_RISK_TABLES", "false"),
            ("USE_PRECOMPUTED_FEATURES", "false"),
        ],
    )
    assert args is None


def test_corpus_atoz_xgboost_model_eval(catalog):
    env, args = evaluate(
        catalog, corpus_entry("atoz_xgboost", "XGBoostModelEval_calibration")
    )
    assert_env_entries(
        env,
        [
            ("ID_FIELD", "order_id"),
            ("LABEL_FIELD", "is_abuse"),
            ("EVAL_METRIC_CHOICES", "auc,average_precision,f1_score"),
            ("COMPARISON_MODE", "false"),
            ("PREVIOUS_SCORE_FIELD", ""),
            ("COMPARISON_METRICS", "all"),
            ("STATISTICAL_TESTS", "true"),
            ("COMPARISON_PLOTS", "true"),
        ],
    )
    assert args == ("--job_type", "calibration")


def test_corpus_rnr_pytorch_training(catalog):
    # shared use_secure_pypi true; prefetch_factor unset -> "None"
    env, args = evaluate(
        catalog, corpus_entry("rnr_pytorch_bedrock", "PyTorchTraining")
    )
    assert_env_entries(
        env,
        [
            ("REGION", "NA"),
            ("USE_SECURE_PYPI", "true"),
            ("USE_PRECOMPUTED_IMPUTATION", "false"),
            ("USE_PRECOMPUTED_RISK_TABLES", "false"),
            ("USE_PRECOMPUTED_FEATURES", "false"),
            ("ENABLE_TRUE_STREAMING", "false"),
            ("NUM_WORKERS_PER_RANK", "0"),
            ("PREFETCH_FACTOR", "None"),
            ("USE_PERSISTENT_WORKERS", "false"),
            ("LIMIT_EVAL_TEST_ROWS", "100000"),
            ("LIMIT_EVAL_VAL_ROWS", "100000"),
        ],
    )
    assert args is None


def test_corpus_rnr_pytorch_model_eval(catalog):
    # The entry's ca_repository_arn is not a PyTorchModelEvalConfig field: dropped on load.
    raw = corpus_entry("rnr_pytorch_bedrock", "PyTorchModelEval_calibration")
    env, args = evaluate(catalog, raw)
    assert_env_entries(
        env,
        [
            ("ID_FIELD", "order_id"),
            ("LABEL_FIELD", "llm_reversal_flag"),
            ("USE_SECURE_PYPI", "true"),
            ("EVAL_METRIC_CHOICES", "auroc,average_precision,f1_score"),
            ("COMPARISON_MODE", "false"),
            ("PREVIOUS_SCORE_FIELD", ""),
            ("COMPARISON_METRICS", "all"),
            ("STATISTICAL_TESTS", "true"),
            ("COMPARISON_PLOTS", "true"),
            ("ENABLE_TRUE_STREAMING", "false"),
            ("NUM_WORKERS_PER_RANK", "0"),
            ("PREFETCH_FACTOR", "None"),
            ("USE_PERSISTENT_WORKERS", "false"),
            ("DEVICE", "auto"),
            ("ACCELERATOR", "auto"),
            ("BATCH_SIZE", "32"),
            ("NUM_WORKERS", "0"),
        ],
    )
    assert args == ("--job_type", "calibration")


def resolved_values(catalog, raw):
    step = catalog.get(catalog.step_type_of_class(raw["__model_type__"]))
    values, _ = config_values(step, catalog, raw)
    return step, values


def test_xgboost_processor_uses_its_own_framework_version(catalog):
    # xgboost_model_eval.step.yaml compute.framework_version_field: xgboost_framework_version;
    # the atoz entry also carries processing_framework_version 1.2-1, which the processor ignores.
    raw = corpus_entry("atoz_xgboost", "XGBoostModelEval_calibration")
    step, values = resolved_values(catalog, raw)
    assert values[step.compute.framework_version_field] == "1.5-1"
    inference = catalog.get("XGBoostModelInference")
    assert inference.compute.kind == "xgboost"
    assert inference.compute.framework_version_field == "xgboost_framework_version"


def test_estimator_images(catalog):
    # builder_base.py:833-871: XGBoost gets no image_uri (SDK-derived); PyTorch retrieves one
    # with region pinned to us-east-1 (lock_training_region) and framework "pytorch".
    xgb, pt = (
        catalog.get("XGBoostTraining").compute,
        catalog.get("PyTorchTraining").compute,
    )
    assert (xgb.kind, xgb.sdk_class, xgb.retrieve_image) == (
        "estimator",
        "XGBoost",
        False,
    )
    assert (pt.kind, pt.sdk_class, pt.retrieve_image, pt.lock_training_region) == (
        "estimator",
        "PyTorch",
        True,
        True,
    )
    assert pt.retrieve_framework in (None, "pytorch")
    model = catalog.get("XGBoostModel").compute  # builder_base.py:874-905
    assert (
        model.kind,
        model.sdk_class,
        model.framework_name,
        model.lock_training_region,
    ) == ("model", "XGBoostModel", "xgboost", True)


def test_entry_point_fields(catalog):
    want = {
        "XGBoostTraining": "training_entry_point",
        "PyTorchTraining": "training_entry_point",
        "XGBoostModel": "entry_point",
        "BatchTransform": None,
        "PyTorchModelEval": "processing_entry_point",
        "DummyTraining": "processing_entry_point",
    }
    assert {name: catalog.get(name).entry_point_field for name in want} == want


@pytest.mark.parametrize("step_type", ["XGBoostTraining", "PyTorchTraining"])
def test_training_channels_and_hyperparameters_skip(catalog, step_type):
    # builder_templates.py:509 train/val/test fan-out; :550 hyperparameters_s3_uri skipped while
    # skip_hyperparameters_s3_uri (default True in both config classes).
    step = catalog.get(step_type)
    ports = {p.logical_name: p for p in step.inputs}
    assert list(ports) == [
        "input_path",
        "hyperparameters_s3_uri",
        "model_artifacts_input",
    ]
    assert ports["input_path"].channels == ("train", "val", "test")
    assert (
        ports["model_artifacts_input"].path
        == "/opt/ml/input/data/model_artifacts_input"
    )
    _, values = resolved_values(
        catalog,
        {**BASE, "training_entry_point": "t.py", "__model_type__": step.config_class},
    )
    assert values["skip_hyperparameters_s3_uri"] is True


def test_variants_by_job_type(catalog):
    # risk_table_mapping.step.yaml variants: non-training job types require the training
    # step's risk tables.
    rtm = catalog.get("RiskTableMapping")
    for job_type, required in (
        ("training", False),
        ("calibration", True),
        ("testing", True),
    ):
        ports = {p.logical_name: p for p in for_job_type(rtm, job_type).inputs}
        assert ports["model_artifacts_input"].required is required, job_type
    calibration = {p.logical_name: p for p in for_job_type(rtm, "calibration").inputs}
    assert calibration["model_artifacts_input"].compatible_sources == (
        "RiskTableMapping_Training",
    )
    transform = for_job_type(catalog.get("BatchTransform"), "calibration")
    bt = {p.logical_name: p for p in transform.inputs}
    assert bt["processed_data"].compatible_sources == (
        "TabularPreprocessing-Calibration",
    )
    pmc = {p.logical_name: p for p in catalog.get("PercentileModelCalibration").inputs}
    assert pmc["calibration_config"].skip is True  # contract.skip_inputs
