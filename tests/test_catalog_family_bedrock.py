"""Bedrock / label-ruleset / evaluation-side step types: their data files load, and
environment() / job_arguments() give what cursus v2.9.32 computes.

Expected values are derived by hand from the cursus sources named next to each case (paths
under src/cursus/steps/configs/). The builder's environment is the config's collector, then
every declared-optional name not produced gets its interface default, in interface order
(core/base/builder_base.py _get_environment_variables); job arguments are
config.get_job_arguments(), None when empty.
"""

import json
from pathlib import Path

import pytest

from cursus_codegen.catalog.derive import DERIVATIONS
from cursus_codegen.catalog.evaluate import environment, job_arguments
from cursus_codegen.catalog.loader import load_catalog
from cursus_codegen.catalog.types import LocalPath
from cursus_codegen.catalog.values import config_values

CORPUS_CONFIGS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "configs"

FILES = {
    "BedrockProcessing": "bedrock_processing.yaml",
    "BedrockBatchProcessing": "bedrock_batch_processing.yaml",
    "BedrockPromptTemplateGeneration": "bedrock_prompt_template_generation.yaml",
    "LabelRulesetGeneration": "label_ruleset_generation.yaml",
    "LabelRulesetExecution": "label_ruleset_execution.yaml",
    "CurrencyConversion": "currency_conversion.yaml",
    "FeatureSelection": "feature_selection.yaml",
    "ModelMetricsComputation": "model_metrics_computation.yaml",
    "ModelWikiGenerator": "model_wiki_generator.yaml",
    "PiperMetricGeneration": "piper_metric_generation.yaml",
    "PseudoLabelMerge": "pseudo_label_merge.yaml",
    "ActiveSampleSelection": "active_sample_selection.yaml",
    "SlipboxKnowledgeRouting": "slipbox_knowledge_routing.yaml",
    "TokenizerTraining": "tokenizer_training.yaml",
}

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

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
SONNET_40 = "anthropic.claude-sonnet-4-20250514-v1:0"
OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
PROFILE_ARN = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/abc"
BATCH_ROLE = "arn:aws:iam::111122223333:role/BedrockBatch"


@pytest.fixture(scope="module")
def loaded():
    return load_catalog()


@pytest.fixture(scope="module")
def catalog(loaded):
    cat, _ = loaded
    assert cat is not None
    return cat


def evaluate(catalog, raw):
    step = catalog.get(catalog.step_type_of_class(raw["__model_type__"]))
    values, missing = config_values(step, catalog, raw)
    assert missing == []
    return list(environment(step, values)), job_arguments(step, values)


def replaced(entries, **changes):
    """A copy of an (name, value) list with some values changed, order kept."""
    return [(name, changes.get(name, value)) for name, value in entries]


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
        assert step.sagemaker_step_type == "Processing"


# config_bedrock_processing_step.py bedrock_environment_variables, all defaults, region EU.
BEDROCK_DEFAULT_ENV = [
    ("BEDROCK_PRIMARY_MODEL_ID", SONNET_45),
    ("BEDROCK_FALLBACK_MODEL_ID", SONNET_40),
    ("BEDROCK_INFERENCE_PROFILE_ARN", PROFILE_ARN),
    (
        "BEDROCK_INFERENCE_PROFILE_REQUIRED_MODELS",
        json.dumps([SONNET_45, SONNET_40, OPUS_41]),
    ),
    ("AWS_DEFAULT_REGION", "eu-west-1"),
    ("BEDROCK_MAX_TOKENS", "32000"),
    ("BEDROCK_TEMPERATURE", "1.0"),
    ("BEDROCK_TOP_P", "0.999"),
    ("BEDROCK_BATCH_SIZE", "10"),
    ("BEDROCK_MAX_RETRIES", "3"),
    ("BEDROCK_OUTPUT_COLUMN_PREFIX", "llm_"),
    ("BEDROCK_OUTPUT_COLUMN_MAP", ""),
    ("BEDROCK_ROUTED_RULES_COLUMN", "selected_rule_names"),
    ("BEDROCK_SKIP_ERROR_RECORDS", "false"),
    ("BEDROCK_CONCURRENCY_MODE", "sequential"),
    ("BEDROCK_MAX_CONCURRENT_WORKERS", "5"),
    ("BEDROCK_RATE_LIMIT_PER_SECOND", "10"),
    ("BEDROCK_MAX_INPUT_FIELD_LENGTH", "400000"),
    ("BEDROCK_TRUNCATION_ENABLED", "true"),
    ("BEDROCK_LOG_TRUNCATIONS", "true"),
    ("USE_SECURE_PYPI", "false"),
    ("BEDROCK_USER_PROMPT_TEMPLATE", ""),
    ("BEDROCK_SYSTEM_PROMPT", ""),
    ("BEDROCK_INPUT_PLACEHOLDERS", "[]"),
    ("BEDROCK_VALIDATION_SCHEMA", "{}"),
    ("BEDROCK_USE_STRUCTURED_OUTPUT", "false"),
    ("BEDROCK_USE_TOOL_CALLING", "false"),
    ("BEDROCK_TOOL_NAME", "submit_classification"),
    (
        "BEDROCK_TOOL_DESCRIPTION",
        "Classify the input data and return structured output",
    ),
    ("BEDROCK_USE_CONVERSE_API", "false"),
    ("BEDROCK_ADAPTIVE_RATE_LIMITING", "false"),
]

# config_bedrock_batch_processing_step.py bedrock_environment_variables: other order, the batch
# knobs, and the two S3 paths as "" (the builder replaces them with computed Joins).
BATCH_DEFAULT_ENV = [
    ("BEDROCK_PRIMARY_MODEL_ID", SONNET_45),
    ("BEDROCK_FALLBACK_MODEL_ID", SONNET_40),
    ("BEDROCK_INFERENCE_PROFILE_ARN", ""),
    (
        "BEDROCK_INFERENCE_PROFILE_REQUIRED_MODELS",
        json.dumps([SONNET_45, SONNET_40, OPUS_41]),
    ),
    ("AWS_DEFAULT_REGION", "us-west-2"),
    ("BEDROCK_MAX_TOKENS", "32768"),
    ("BEDROCK_TEMPERATURE", "1.0"),
    ("BEDROCK_TOP_P", "0.999"),
    ("BEDROCK_BATCH_SIZE", "10"),
    ("BEDROCK_MAX_RETRIES", "3"),
    ("BEDROCK_OUTPUT_COLUMN_PREFIX", "llm_"),
    ("BEDROCK_SKIP_ERROR_RECORDS", "false"),
    ("BEDROCK_MAX_CONCURRENT_WORKERS", "5"),
    ("BEDROCK_RATE_LIMIT_PER_SECOND", "10"),
    ("BEDROCK_CONCURRENCY_MODE", "sequential"),
    ("USE_SECURE_PYPI", "false"),
    ("BEDROCK_BATCH_MODE", "auto"),
    ("BEDROCK_BATCH_THRESHOLD", "1000"),
    ("BEDROCK_BATCH_ROLE_ARN", BATCH_ROLE),
    ("BEDROCK_BATCH_TIMEOUT_HOURS", "24"),
    ("BEDROCK_MAX_RECORDS_PER_JOB", "45000"),
    ("BEDROCK_MAX_CONCURRENT_BATCH_JOBS", "20"),
    ("BEDROCK_MAX_INPUT_FIELD_LENGTH", "400000"),
    ("BEDROCK_TRUNCATION_ENABLED", "true"),
    ("BEDROCK_LOG_TRUNCATIONS", "true"),
    ("BEDROCK_BATCH_INPUT_S3_PATH", ""),
    ("BEDROCK_BATCH_OUTPUT_S3_PATH", ""),
]

# config_model_metrics_computation_step.py get_environment_variables, id oid / label y.
METRICS_DEFAULT_ENV = [
    ("ID_FIELD", "oid"),
    ("INPUT_FORMAT", "auto"),
    ("COMPUTE_DOLLAR_RECALL", "true"),
    ("COMPUTE_COUNT_RECALL", "true"),
    ("DOLLAR_RECALL_FPR", "0.1"),
    ("COUNT_RECALL_CUTOFF", "0.1"),
    ("GENERATE_PLOTS", "true"),
    ("USE_SECURE_PYPI", "false"),
    ("LABEL_FIELD", "y"),
    ("SCORE_FIELD", "prob_class_1"),
    ("AMOUNT_FIELD", "order_amount"),
    ("COMPARISON_MODE", "false"),
    ("COMPARISON_METRICS", "all"),
    ("STATISTICAL_TESTS", "true"),
    ("COMPARISON_PLOTS", "true"),
    # declared optionals not produced, in model_metrics_computation.step.yaml order
    ("SCORE_FIELDS", ""),
    ("TASK_LABEL_NAMES", ""),
    ("PREVIOUS_SCORE_FIELDS", ""),
    ("PREVIOUS_SCORE_FIELD", ""),
]

# (config class, configuration fields beyond BASE, expected env in order, expected job args)
CASES = {
    # config_bedrock_processing_step.py:380 get_environment_variables -> bedrock_environment_variables;
    # get_job_arguments (l.560): job_type, --batch-size, --max-retries.
    "bedrock-defaults": (
        "BedrockProcessingConfig",
        {
            "region": "EU",
            "bedrock_inference_profile_arn": PROFILE_ARN,
        },
        BEDROCK_DEFAULT_ENV,
        ("--job_type", "training", "--batch-size", "10", "--max-retries", "3"),
    ),
    # The primary model is a known profile model missing from the list: appended. A float field
    # given an int prints as a float; dict/list fields are JSON when non-empty.
    "bedrock-configured": (
        "BedrockProcessingConfig",
        {
            "region": "EU",
            "bedrock_inference_profile_arn": PROFILE_ARN,
            "job_type": "calibration",
            "bedrock_primary_model_id": HAIKU_45,
            "bedrock_fallback_model_id": None,
            "bedrock_inference_profile_required_models": [OPUS_41],
            "bedrock_temperature": 0,
            "bedrock_batch_size": 25,
            "bedrock_output_column_map": {"llm_category": "category"},
            "bedrock_user_prompt_template": "Classify {text}",
            "bedrock_input_placeholders": ["text"],
            "bedrock_validation_schema": {"type": "object"},
            "bedrock_use_converse_api": True,
            "bedrock_concurrency_mode": "concurrent",
            "use_secure_pypi": True,
        },
        replaced(
            BEDROCK_DEFAULT_ENV,
            BEDROCK_PRIMARY_MODEL_ID=HAIKU_45,
            BEDROCK_FALLBACK_MODEL_ID="",
            BEDROCK_INFERENCE_PROFILE_REQUIRED_MODELS=json.dumps([OPUS_41, HAIKU_45]),
            BEDROCK_TEMPERATURE="0.0",
            BEDROCK_BATCH_SIZE="25",
            BEDROCK_OUTPUT_COLUMN_MAP='{"llm_category": "category"}',
            BEDROCK_CONCURRENCY_MODE="concurrent",
            USE_SECURE_PYPI="true",
            BEDROCK_USER_PROMPT_TEMPLATE="Classify {text}",
            BEDROCK_INPUT_PLACEHOLDERS='["text"]',
            BEDROCK_VALIDATION_SCHEMA='{"type": "object"}',
            BEDROCK_USE_CONVERSE_API="true",
        ),
        ("--job_type", "calibration", "--batch-size", "25", "--max-retries", "3"),
    ),
    # config_bedrock_batch_processing_step.py:253; inference profile ARN None -> "".
    "batch-defaults": (
        "BedrockBatchProcessingConfig",
        {
            "region": "FE",
            "bedrock_batch_role_arn": BATCH_ROLE,
        },
        BATCH_DEFAULT_ENV,
        ("--job_type", "training", "--batch-size", "10", "--max-retries", "3"),
    ),
    "batch-configured": (
        "BedrockBatchProcessingConfig",
        {
            "region": "FE",
            "bedrock_batch_role_arn": BATCH_ROLE,
            "job_type": "calibration",
            "bedrock_inference_profile_arn": PROFILE_ARN,
            "bedrock_batch_mode": "batch",
            "bedrock_max_retries": 5,
            "bedrock_max_records_per_job": 1000,
        },
        replaced(
            BATCH_DEFAULT_ENV,
            BEDROCK_INFERENCE_PROFILE_ARN=PROFILE_ARN,
            BEDROCK_MAX_RETRIES="5",
            BEDROCK_BATCH_MODE="batch",
            BEDROCK_MAX_RECORDS_PER_JOB="1000",
        ),
        ("--job_type", "calibration", "--batch-size", "10", "--max-retries", "5"),
    ),
    # config_bedrock_prompt_template_generation_step.py environment_variables property; job args:
    # the bare --include-examples only when true, then --template-version.
    "prompt-template": (
        "BedrockPromptTemplateGenerationConfig",
        {
            "input_placeholders": ["dialogue", "shiptrack"],
            "template_version": "2.1",
        },
        [
            ("TEMPLATE_TASK_TYPE", "classification"),
            ("TEMPLATE_STYLE", "structured"),
            ("VALIDATION_LEVEL", "standard"),
            ("INPUT_PLACEHOLDERS", '["dialogue", "shiptrack"]'),
            ("INCLUDE_EXAMPLES", "true"),
            ("TEMPLATE_VERSION", "2.1"),
        ],
        ("--include-examples", "--template-version", "2.1"),
    ),
    "prompt-template-no-examples": (
        "BedrockPromptTemplateGenerationConfig",
        {
            "input_placeholders": ["text"],
            "include_examples": False,
            "template_style": "technical",
        },
        [
            ("TEMPLATE_TASK_TYPE", "classification"),
            ("TEMPLATE_STYLE", "technical"),
            ("VALIDATION_LEVEL", "standard"),
            ("INPUT_PLACEHOLDERS", '["text"]'),
            ("INCLUDE_EXAMPLES", "false"),
            ("TEMPLATE_VERSION", "1.0"),
        ],
        ("--template-version", "1.0"),
    ),
    # config_label_ruleset_generation_step.py environment_variables; no get_job_arguments.
    "ruleset-generation": (
        "LabelRulesetGenerationConfig",
        {
            "label_config": {
                "output_label_name": "y",
                "output_label_type": "binary",
                "label_values": [0, 1],
                "label_mapping": {"0": "no", "1": "yes"},
                "default_label": 0,
            },
            "rule_definitions": {
                "rules": [
                    {
                        "name": "r1",
                        "priority": 1,
                        "output_label": 1,
                        "conditions": {"field": "x", "operator": "equals", "value": 1},
                    }
                ]
            },
            "enable_logic_validation": False,
        },
        [
            ("ENABLE_FIELD_VALIDATION", "true"),
            ("ENABLE_LABEL_VALIDATION", "true"),
            ("ENABLE_LOGIC_VALIDATION", "false"),
            ("ENABLE_RULE_OPTIMIZATION", "true"),
        ],
        None,
    ),
    # config_label_ruleset_execution_step.py execution_environment_variables; the format is
    # matched case-insensitively to "TSV", then lower-cased; _job_type_arg(flag="--job-type").
    "ruleset-execution": (
        "LabelRulesetExecutionConfig",
        {
            "job_type": "validation",
            "preferred_input_format": "tsv",
            "fail_on_missing_fields": False,
            "use_secure_pypi": True,
        },
        [
            ("FAIL_ON_MISSING_FIELDS", "false"),
            ("ENABLE_RULE_MATCH_TRACKING", "true"),
            ("ENABLE_PROGRESS_LOGGING", "true"),
            ("PREFERRED_INPUT_FORMAT", "tsv"),
            ("USE_SECURE_PYPI", "true"),
        ],
        ("--job-type", "validation"),
    ),
    # config_currency_conversion_step.py get_environment_variables: the dict is the JSON of the
    # pydantic model dump (rates as floats); None fields become "".
    "currency": (
        "CurrencyConversionConfig",
        {
            "currency_conversion_vars": ["price"],
            "marketplace_id_field": "mp_id",
            "n_workers": 8,
            "currency_conversion_dict": {
                "mappings": [
                    {
                        "marketplace_id": "1",
                        "currency_code": "USD",
                        "conversion_rate": 1,
                    },
                    {
                        "marketplace_id": "3",
                        "currency_code": "GBP",
                        "conversion_rate": 1.25,
                    },
                ]
            },
        },
        [
            ("CURRENCY_CONVERSION_VARS", '["price"]'),
            (
                "CURRENCY_CONVERSION_DICT",
                (
                    '{"mappings": [{"marketplace_id": "1", "currency_code": "USD", '
                    '"conversion_rate": 1.0}, {"marketplace_id": "3", "currency_code": "GBP", '
                    '"conversion_rate": 1.25}]}'
                ),
            ),
            ("CURRENCY_CODE_FIELD", ""),
            ("MARKETPLACE_ID_FIELD", "mp_id"),
            ("DEFAULT_CURRENCY", "USD"),
            ("N_WORKERS", "8"),
        ],
        ("--job_type", "training"),
    ),
    # config_feature_selection_step.py: validators strip label_field, clean the method list and
    # canonicalise the strategy; environment_variables property.
    "feature-selection": (
        "FeatureSelectionConfig",
        {
            "label_field": " is_abuse ",
            "feature_selection_methods": "variance, mutual_info,,rfe",
            "combination_strategy": "Ranking",
            "job_type": "validation",
            "correlation_threshold": 1,
        },
        [
            ("LABEL_FIELD", "is_abuse"),
            ("FEATURE_SELECTION_METHODS", "variance,mutual_info,rfe"),
            ("N_FEATURES_TO_SELECT", "10"),
            ("CORRELATION_THRESHOLD", "1.0"),
            ("VARIANCE_THRESHOLD", "0.01"),
            ("RANDOM_STATE", "42"),
            ("COMBINATION_STRATEGY", "ranking"),
            ("USE_SECURE_PYPI", "false"),
        ],
        ("--job_type", "validation"),
    ),
    "metrics-defaults": (
        "ModelMetricsComputationConfig",
        {"id_name": "oid", "label_name": "y"},
        METRICS_DEFAULT_ENV,
        ("--job_type", "calibration"),
    ),
    # Multi-task: SCORE_FIELD keeps its default and is still emitted; TASK_LABEL_NAMES only with
    # score_fields; no AMOUNT_FIELD (None) -> its interface default "" at the end.
    "metrics-multitask": (
        "ModelMetricsComputationConfig",
        {
            "id_name": "oid",
            "label_name": "y",
            "score_fields": ["a_prob", "b_prob"],
            "task_label_names": ["a", "b"],
            "amount_field": None,
            "input_format": "CSV",
            "comparison_mode": True,
            "previous_score_field": "old",
            "previous_score_fields": ["a_old", "b_old"],
            "job_type": "testing",
        },
        [
            ("ID_FIELD", "oid"),
            ("INPUT_FORMAT", "csv"),
            ("COMPUTE_DOLLAR_RECALL", "true"),
            ("COMPUTE_COUNT_RECALL", "true"),
            ("DOLLAR_RECALL_FPR", "0.1"),
            ("COUNT_RECALL_CUTOFF", "0.1"),
            ("GENERATE_PLOTS", "true"),
            ("USE_SECURE_PYPI", "false"),
            ("LABEL_FIELD", "y"),
            ("SCORE_FIELD", "prob_class_1"),
            ("SCORE_FIELDS", "a_prob,b_prob"),
            ("TASK_LABEL_NAMES", "a,b"),
            ("COMPARISON_MODE", "true"),
            ("COMPARISON_METRICS", "all"),
            ("STATISTICAL_TESTS", "true"),
            ("COMPARISON_PLOTS", "true"),
            ("PREVIOUS_SCORE_FIELD", "old"),
            ("PREVIOUS_SCORE_FIELDS", "a_old,b_old"),
            ("AMOUNT_FIELD", ""),
        ],
        ("--job_type", "testing"),
    ),
    # config_model_wiki_generator_step.py get_environment_variables: MODEL_VERSION is the
    # pipeline version, PIPELINE_NAME the base property; no job arguments.
    "wiki": (
        "ModelWikiGeneratorConfig",
        {
            "model_name": " fraud_model ",
            "output_formats": "Wiki, HTML",
        },
        [
            ("MODEL_NAME", "fraud_model"),
            ("MODEL_USE_CASE", "Machine Learning Model"),
            ("MODEL_VERSION", "1.0.0"),
            ("PIPELINE_NAME", "alice-Svc-xgboost-NA"),
            ("AUTHOR", "alice"),
            ("TEAM_ALIAS", "ml-team@"),
            ("CONTACT_EMAIL", "ml-team@company.com"),
            ("CTI_CLASSIFICATION", "Internal"),
            ("REGION", "NA"),
            ("OUTPUT_FORMATS", "wiki,html"),
            ("INCLUDE_TECHNICAL_DETAILS", "true"),
            ("MODEL_PURPOSE", "perform classification tasks"),
            ("MODEL_DESCRIPTION", ""),
        ],
        None,
    ),
    "wiki-described": (
        "ModelWikiGeneratorConfig",
        {
            "model_name": "m",
            "model_description": "Scores orders",
            "include_technical_details": False,
        },
        [
            ("MODEL_NAME", "m"),
            ("MODEL_USE_CASE", "Machine Learning Model"),
            ("MODEL_VERSION", "1.0.0"),
            ("PIPELINE_NAME", "alice-Svc-xgboost-NA"),
            ("AUTHOR", "alice"),
            ("TEAM_ALIAS", "ml-team@"),
            ("CONTACT_EMAIL", "ml-team@company.com"),
            ("CTI_CLASSIFICATION", "Internal"),
            ("REGION", "NA"),
            ("OUTPUT_FORMATS", "wiki,html,markdown"),
            ("INCLUDE_TECHNICAL_DETAILS", "false"),
            ("MODEL_PURPOSE", "perform classification tasks"),
            ("MODEL_DESCRIPTION", "Scores orders"),
        ],
        None,
    ),
    # config_piper_metric_generation_step.py get_environment_variables: the metrics set, then
    # the series identity, CONTROL_MODEL_ID when set and PIPELINE_NAME.
    "piper": (
        "PiperMetricGenerationConfig",
        {
            "id_name": "oid",
            "label_name": "y",
            "variant_model_id": "m-2",
            "score_field": "prob_class_1",
            "control_model_id": "m-1",
            "comparison_mode": True,
            "previous_score_field": "old_prob",
            "metrics_to_render": ["auc_roc"],
        },
        [
            ("ID_FIELD", "oid"),
            ("INPUT_FORMAT", "auto"),
            ("COMPUTE_DOLLAR_RECALL", "true"),
            ("COMPUTE_COUNT_RECALL", "true"),
            ("DOLLAR_RECALL_FPR", "0.1"),
            ("COUNT_RECALL_CUTOFF", "0.1"),
            ("GENERATE_PLOTS", "true"),
            ("USE_SECURE_PYPI", "false"),
            ("LABEL_FIELD", "y"),
            ("SCORE_FIELD", "prob_class_1"),
            ("AMOUNT_FIELD", "order_amount"),
            ("COMPARISON_MODE", "true"),
            ("COMPARISON_METRICS", "all"),
            ("STATISTICAL_TESTS", "true"),
            ("COMPARISON_PLOTS", "true"),
            ("PREVIOUS_SCORE_FIELD", "old_prob"),
            ("VARIANT_MODEL_ID", "m-2"),
            ("DATASET_TYPE", "Validation"),
            ("METRICS_TO_RENDER", "auc_roc"),
            ("CONTROL_MODEL_ID", "m-1"),
            ("PIPELINE_NAME", "alice-Svc-xgboost-NA"),
            ("SCORE_FIELDS", ""),
            ("TASK_LABEL_NAMES", ""),
            ("PREVIOUS_SCORE_FIELDS", ""),
        ],
        ("--job_type", "calibration"),
    ),
    # config_pseudo_label_merge_step.py: the manual ratios only when auto ratios are off ...
    "merge-manual": (
        "PseudoLabelMergeConfig",
        {
            "label_field": "y",
            "id_field": "oid",
            "pseudo_label_column": "pseudo",
            "use_auto_split_ratios": False,
            "train_ratio": 0.8,
            "test_val_ratio": 0.5,
            "output_format": "parquet",
        },
        [
            ("LABEL_FIELD", "y"),
            ("ID_FIELD", "oid"),
            ("PSEUDO_LABEL_COLUMN", "pseudo"),
            ("ADD_PROVENANCE", "true"),
            ("OUTPUT_FORMAT", "parquet"),
            ("USE_AUTO_SPLIT_RATIOS", "false"),
            ("PRESERVE_CONFIDENCE", "true"),
            ("STRATIFY", "true"),
            ("RANDOM_SEED", "42"),
            ("TRAIN_RATIO", "0.8"),
            ("TEST_VAL_RATIO", "0.5"),
        ],
        ("--job_type", "training"),
    ),
    # ... else the interface defaults "" fill them in.
    "merge-auto": (
        "PseudoLabelMergeConfig",
        {
            "label_field": "y",
            "id_field": "oid",
            "pseudo_label_column": "pseudo",
            "job_type": "validation",
            "stratify": False,
        },
        [
            ("LABEL_FIELD", "y"),
            ("ID_FIELD", "oid"),
            ("PSEUDO_LABEL_COLUMN", "pseudo"),
            ("ADD_PROVENANCE", "true"),
            ("OUTPUT_FORMAT", "csv"),
            ("USE_AUTO_SPLIT_RATIOS", "true"),
            ("PRESERVE_CONFIDENCE", "true"),
            ("STRATIFY", "false"),
            ("RANDOM_SEED", "42"),
            ("TRAIN_RATIO", ""),
            ("TEST_VAL_RATIO", ""),
        ],
        ("--job_type", "validation"),
    ),
    # config_active_sample_selection_step.py: SSL strategies emit the SSL knobs; the others come
    # from the interface defaults afterwards. job_type defaults to "ssl_selection".
    "active-ssl": (
        "ActiveSampleSelectionConfig",
        {
            "use_case": "ssl",
            "id_field": "id",
            "label_field": "label",
            "score_field": "prob_class_1",
        },
        [
            ("SELECTION_STRATEGY", "confidence_threshold"),
            ("USE_CASE", "ssl"),
            ("ID_FIELD", "id"),
            ("LABEL_FIELD", "label"),
            ("OUTPUT_FORMAT", "csv"),
            ("RANDOM_SEED", "42"),
            ("SCORE_FIELD", "prob_class_1"),
            ("SCORE_FIELD_PREFIX", "prob_class_"),
            ("CONFIDENCE_THRESHOLD", "0.9"),
            ("MAX_SAMPLES", "0"),
            ("K_PER_CLASS", "100"),
            ("UNCERTAINTY_MODE", "margin"),
            ("BATCH_SIZE", "32"),
            ("METRIC", "euclidean"),
        ],
        ("--job_type", "ssl_selection"),
    ),
    "active-learning": (
        "ActiveSampleSelectionConfig",
        {
            "use_case": "active_learning",
            "id_field": "id",
            "label_field": "label",
            "score_field": None,
            "selection_strategy": "uncertainty",
            "uncertainty_mode": "entropy",
            "batch_size": 64,
        },
        [
            ("SELECTION_STRATEGY", "uncertainty"),
            ("USE_CASE", "active_learning"),
            ("ID_FIELD", "id"),
            ("LABEL_FIELD", "label"),
            ("OUTPUT_FORMAT", "csv"),
            ("RANDOM_SEED", "42"),
            ("SCORE_FIELD_PREFIX", "prob_class_"),
            ("UNCERTAINTY_MODE", "entropy"),
            ("BATCH_SIZE", "64"),
            ("METRIC", "euclidean"),
            ("CONFIDENCE_THRESHOLD", "0.9"),
            ("MAX_SAMPLES", "0"),
            ("K_PER_CLASS", "100"),
            ("SCORE_FIELD", ""),
        ],
        ("--job_type", "ssl_selection"),
    ),
    # config_slipbox_knowledge_routing_step.py get_environment_variables; the scoring mode is
    # matched case-insensitively.
    "slipbox": (
        "SlipboxKnowledgeRoutingConfig",
        {
            "routing_scoring_mode": "Similarity",
            "routing_top_k": 3,
        },
        [
            ("USE_SECURE_PYPI", "false"),
            ("ROUTING_SCORING_MODE", "similarity"),
            ("ROUTING_THRESHOLD", "0.3"),
            ("ROUTING_TOP_K", "3"),
            ("ROUTING_ENCODE_BATCH_SIZE", "256"),
            ("ROUTING_NUM_THREADS", "0"),
            ("EMBEDDING_MODEL_NAME", "all-MiniLM-L6-v2"),
            ("DEFAULT_CORPUS_VAULT", ""),
            ("DEFAULT_PROMPTS_DIR", ""),
            ("ROUTING_INDEX_PATH", "/tmp/pattern_routing_index.pkl"),
        ],
        ("--job_type", "training"),
    ),
    # config_tokenizer_training_step.py environment_variables property.
    "tokenizer": (
        "TokenizerTrainingConfig",
        {
            "text_field": " dialogue ",
            "target_compression": 3,
        },
        [
            ("TEXT_FIELD", "dialogue"),
            ("TARGET_COMPRESSION", "3.0"),
            ("MIN_FREQUENCY", "25"),
            ("MAX_VOCAB_SIZE", "50000"),
            ("USE_SECURE_PYPI", "false"),
        ],
        ("--job_type", "training"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_environment_and_job_arguments(catalog, case):
    config_class, fields, want_env, want_args = CASES[case]
    env, args = evaluate(catalog, {**BASE, **fields, "__model_type__": config_class})
    assert env == want_env
    assert args == want_args


# --- the rnr_pytorch_bedrock corpus configurations ------------------------------------------

CORPUS_FILES = ("config.json", "config_full.json")


def corpus_entry(filename: str, key: str) -> dict:
    path = CORPUS_CONFIGS / "rnr_pytorch_bedrock" / filename
    if not path.is_file():
        pytest.skip(f"corpus config {path} is absent")
    configuration = json.loads(path.read_text())["configuration"]
    return {**configuration["shared"], **configuration["specific"][key]}


@pytest.mark.parametrize("filename", CORPUS_FILES)
@pytest.mark.parametrize("job_type", ["training", "calibration"])
def test_corpus_bedrock_batch_processing(catalog, filename, job_type):
    raw = corpus_entry(filename, f"BedrockBatchProcessing_{job_type}")
    env, args = evaluate(catalog, raw)
    # The entry carries the dict cursus computed when it saved the configuration
    # (bedrock_environment_variables, a derived value the loader drops): same names and values.
    assert dict(env) == raw["bedrock_environment_variables"]
    # Hand-derived: the entry's fields, the shared use_secure_pypi, region NA.
    assert env[:5] == [
        ("BEDROCK_PRIMARY_MODEL_ID", SONNET_45),
        ("BEDROCK_FALLBACK_MODEL_ID", SONNET_40),
        (
            "BEDROCK_INFERENCE_PROFILE_ARN",
            (
                "arn:aws:bedrock:us-east-1:333333333333:"
                "inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0"
            ),
        ),
        (
            "BEDROCK_INFERENCE_PROFILE_REQUIRED_MODELS",
            json.dumps([SONNET_45, SONNET_40, OPUS_41]),
        ),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ]
    assert ("USE_SECURE_PYPI", "true" if raw["use_secure_pypi"] else "false") in env
    assert env[-2:] == [
        ("BEDROCK_BATCH_INPUT_S3_PATH", ""),
        ("BEDROCK_BATCH_OUTPUT_S3_PATH", ""),
    ]
    assert args == ("--job_type", job_type, "--batch-size", "10", "--max-retries", "3")


@pytest.mark.parametrize("filename", CORPUS_FILES)
@pytest.mark.parametrize("job_type", ["training", "calibration"])
def test_corpus_label_ruleset_execution(catalog, filename, job_type):
    raw = corpus_entry(filename, f"LabelRulesetExecution_{job_type}")
    env, args = evaluate(catalog, raw)
    assert dict(env) == raw["execution_environment_variables"]
    secure = "true" if raw["use_secure_pypi"] else "false"
    assert env == [
        ("FAIL_ON_MISSING_FIELDS", "true"),
        ("ENABLE_RULE_MATCH_TRACKING", "true"),
        ("ENABLE_PROGRESS_LOGGING", "true"),
        ("PREFERRED_INPUT_FORMAT", "parquet"),
        ("USE_SECURE_PYPI", secure),
    ]
    assert args == ("--job-type", job_type)


@pytest.mark.parametrize("filename", CORPUS_FILES)
def test_corpus_label_ruleset_generation(catalog, filename):
    raw = corpus_entry(filename, "LabelRulesetGeneration")
    env, args = evaluate(catalog, raw)
    assert dict(env) == raw["environment_variables"]
    assert env == [
        (name, "true")
        for name in (
            "ENABLE_FIELD_VALIDATION",
            "ENABLE_LABEL_VALIDATION",
            "ENABLE_LOGIC_VALIDATION",
            "ENABLE_RULE_OPTIMIZATION",
        )
    ]
    assert args is None
    # The ruleset folder: cursus stored the absolute path of <processing_source_dir>/ruleset_configs
    # on the author's machine; the derivation keeps it relative to the project.
    source = source_override_of(catalog, raw, "ruleset_configs")
    assert source == LocalPath("dockers/scripts/ruleset_configs")
    assert raw["resolved_ruleset_configs_path"].endswith("/" + source.relative)


@pytest.mark.parametrize("filename", CORPUS_FILES)
def test_corpus_prompt_template_generation(catalog, filename):
    raw = corpus_entry(filename, "BedrockPromptTemplateGeneration")
    env, args = evaluate(catalog, raw)
    placeholders = [
        "dialogue",
        "shiptrack_event_history_by_order",
        "shiptrack_max_estimated_arrival_date_by_order",
    ]
    assert env == [
        ("TEMPLATE_TASK_TYPE", "buyer_seller_classification"),
        ("TEMPLATE_STYLE", "structured"),
        ("VALIDATION_LEVEL", "comprehensive"),
        ("INPUT_PLACEHOLDERS", json.dumps(placeholders)),
        ("INCLUDE_EXAMPLES", "true"),
        ("TEMPLATE_VERSION", "2.0"),
    ]
    # The stored dict also has GENERATE_VALIDATION_SCHEMA, from a field v2.9.32 no longer has.
    stored = dict(raw["environment_variables"])
    assert stored.pop("GENERATE_VALIDATION_SCHEMA") == "true"
    assert dict(env) == stored
    assert args == ("--include-examples", "--template-version", "2.0")
    source = source_override_of(catalog, raw, "prompt_configs")
    assert source == LocalPath("dockers/scripts/prompt_configs")
    assert raw["resolved_prompt_configs_path"].endswith("/" + source.relative)


def source_override_of(catalog, raw, input_name):
    step = catalog.get(catalog.step_type_of_class(raw["__model_type__"]))
    values, _ = config_values(step, catalog, raw)
    port = next(p for p in step.inputs if p.logical_name == input_name)
    ((kind, name),) = port.source_override
    assert kind == "derive"
    return DERIVATIONS[name](values)


# --- derivations ---------------------------------------------------------------------------


def test_configuration_folders_follow_the_effective_source_dir():
    derive = DERIVATIONS["resolved_prompt_configs_path"]
    # processing_source_dir wins over source_dir; a nested relative sub-folder is kept.
    assert derive(
        {
            "processing_source_dir": "scripts/",
            "source_dir": "src",
            "prompt_configs_path": "config/prompts",
        }
    ) == LocalPath("scripts/config/prompts")
    assert derive(
        {
            "processing_source_dir": None,
            "source_dir": "src",
            "prompt_configs_path": "prompt_configs",
        }
    ) == LocalPath("src/prompt_configs")
    # An S3 source folder stays a URI (Path() would turn "s3://" into "s3:/").
    assert (
        DERIVATIONS["resolved_ruleset_configs_path"](
            {
                "processing_source_dir": "s3://b/code/",
                "ruleset_configs_path": "ruleset_configs",
            }
        )
        == "s3://b/code/ruleset_configs"
    )
    # cursus raises without any source folder; there is then nothing to upload.
    assert (
        derive(
            {
                "processing_source_dir": None,
                "source_dir": None,
                "prompt_configs_path": "prompt_configs",
            }
        )
        is None
    )


def test_profile_models_keep_their_written_order():
    derive = DERIVATIONS["bedrock_profile_required_models_json"]
    # cursus dedupes through set() (hash-seed order); we keep the first of each, in order.
    values = {
        "bedrock_inference_profile_required_models": [" m2 ", "m1", "m2", ""],
        "bedrock_primary_model_id": SONNET_40,
    }
    assert json.loads(derive(values)) == ["m2", "m1", SONNET_40]
    values["bedrock_primary_model_id"] = "amazon.nova-pro-v1:0"  # not a profile model
    assert json.loads(derive(values)) == ["m2", "m1"]


# --- end to end: a DAG of these types, generated and built offline -------------------------

FAMILY = Path(__file__).resolve().parent / "data" / "family_bedrock"


@pytest.fixture(scope="module")
def family_module(tmp_path_factory):
    from conftest import generate_in_copy

    return generate_in_copy(
        FAMILY, tmp_path_factory.mktemp("family_bedrock") / "project"
    )


@pytest.fixture(scope="module")
def family_definition(family_module, sm_session):
    from conftest import build_definition, import_module_from

    return build_definition(
        import_module_from(family_module, "family_bedrock_gen"), sm_session
    )


def test_family_dag_builds_one_processing_step_per_node(family_definition):
    dag = json.loads((FAMILY / "dag.json").read_text())["dag"]
    kinds = {step["Name"]: step["Type"] for step in family_definition["Steps"]}
    assert len(kinds) == len(dag["nodes"]) and set(kinds.values()) == {"Processing"}
    # step names: <StepType>[-<Job_type>] (ActiveSampleSelection's default job type included)
    assert {
        "BedrockBatchProcessing-Training",
        "BedrockPromptTemplateGeneration",
        "LabelRulesetGeneration",
        "LabelRulesetExecution-Training",
        "ModelWikiGenerator",
        "PiperMetricGeneration-Calibration",
        "ActiveSampleSelection-Ssl_selection",
    } <= set(kinds)


def test_family_outputs_are_under_the_execution_prefix_and_unique(family_definition):
    from support.definitions import is_prefix_join, output_locations

    locations = output_locations(family_definition)
    assert (
        len(locations) == 27
    )  # the outputs of the 16 nodes (cfg.json), counted by hand
    assert all(is_prefix_join(loc) for _, _, loc in locations)
    assert len({json.dumps(loc, sort_keys=True) for _, _, loc in locations}) == len(
        locations
    )


def test_bedrock_batch_paths_are_computed_joins(family_definition):
    from support.definitions import PREFIX, steps_by_name

    env = steps_by_name(family_definition)["BedrockBatchProcessing-Training"][
        "Arguments"
    ]["Environment"]
    for name, leaf in (
        ("BEDROCK_BATCH_INPUT_S3_PATH", "input"),
        ("BEDROCK_BATCH_OUTPUT_S3_PATH", "output"),
    ):
        assert env[name] == {
            "Std:Join": {"On": "/", "Values": [PREFIX, "bedrock-batch", leaf]}
        }
    # Every other entry is the configuration's text, written out by hand: the entry sets only
    # job_type, the batch role (BATCH_ROLE) and its source folder, so it is BATCH_DEFAULT_ENV with
    # the shared region NA (us-east-1) and the shared use_secure_pypi true; same names, same order.
    assert (
        family_config("BedrockBatchProcessing_training")["bedrock_batch_role_arn"]
        == BATCH_ROLE
    )
    expected = replaced(
        BATCH_DEFAULT_ENV, AWS_DEFAULT_REGION="us-east-1", USE_SECURE_PYPI="true"
    )
    assert {k: v for k, v in env.items() if isinstance(v, str)} == {
        k: v for k, v in expected if not k.endswith("_S3_PATH")
    }
    assert list(env) == [name for name, _ in expected]


def test_piper_outputs_use_the_flat_token(family_definition):
    from support.definitions import PREFIX, steps_by_name

    args = steps_by_name(family_definition)["PiperMetricGeneration-Calibration"][
        "Arguments"
    ]
    (output,) = args["ProcessingOutputConfig"]["Outputs"]
    assert output["S3Output"]["S3Uri"] == {
        "Std:Join": {"On": "/", "Values": [PREFIX, "Model_Metric_Generation_Step"]}
    }


def test_configuration_folders_become_inputs(family_module, family_definition):
    from support.definitions import steps_by_name

    source = family_module.read_text()
    assert '_local("scripts/prompt_configs")' in source
    assert '_local("scripts/ruleset_configs")' in source
    steps = steps_by_name(family_definition)
    for step, name in (
        ("BedrockPromptTemplateGeneration", "prompt_configs"),
        ("LabelRulesetGeneration", "ruleset_configs"),
    ):
        inputs = data_inputs(steps[step])
        assert list(inputs) == [name]
        assert inputs[name].startswith("s3://")  # the SDK uploaded the local folder


def test_family_wiring_and_arguments(family_definition):
    from support.definitions import processing_output_ref, steps_by_name

    steps = steps_by_name(family_definition)
    execution = data_inputs(steps["LabelRulesetExecution-Training"])
    assert execution == {
        "validated_ruleset": processing_output_ref(
            "LabelRulesetGeneration", "validated_ruleset"
        ),
        "input_data": processing_output_ref(
            "BedrockBatchProcessing-Training", "processed_data"
        ),
    }
    batch = data_inputs(steps["BedrockBatchProcessing-Training"])
    assert batch["prompt_templates"] == processing_output_ref(
        "BedrockPromptTemplateGeneration", "prompt_templates"
    )
    wiki = data_inputs(steps["ModelWikiGenerator"])
    assert set(wiki) == {"metrics_output", "plots_output"}
    # contract.skip_inputs: declared, never mounted
    assert list(data_inputs(steps["SlipboxKnowledgeRouting-Training"])) == ["records"]

    def container_arguments(name):
        return steps[name]["Arguments"]["AppSpecification"].get("ContainerArguments")

    assert container_arguments("BedrockPromptTemplateGeneration") == [
        "--include-examples",
        "--template-version",
        "2.0",
    ]
    assert container_arguments("BedrockBatchProcessing-Training") == [
        "--job_type",
        "training",
        "--batch-size",
        "10",
        "--max-retries",
        "3",
    ]
    assert container_arguments("LabelRulesetExecution-Training") == [
        "--job-type",
        "training",
    ]
    assert container_arguments("ActiveSampleSelection-Ssl_selection") == [
        "--job_type",
        "ssl_selection",
    ]
    assert container_arguments("ModelWikiGenerator") is None


def data_inputs(step: dict) -> dict:
    """The step's ProcessingInputs without the SDK's own code / entrypoint uploads."""
    from support.definitions import processing_inputs

    return {
        k: v
        for k, v in processing_inputs(step).items()
        if k not in ("code", "entrypoint")
    }


def family_config(key: str) -> dict:
    configuration = json.loads((FAMILY / "cfg.json").read_text())["configuration"]
    return {**configuration["shared"], **configuration["specific"][key]}
