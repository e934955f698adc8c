"""The values our generated configurations give, written from cursus v2.9.32's config classes.

SHARED is the `configuration.shared` block (BasePipelineConfig's required fields plus the source
folder every step's scripts live under). REQUIRED holds, per config class, a value for each of
its required fields (`src/cursus/steps/configs/config_*_step.py`; our catalog marks the same
fields `required: true`) and nothing else, except where a default would not build offline (said
next to the value). job_type is not here: it comes from the DAG node (see configs.py).
"""

SHARED = {
    "author": "conformance",
    "bucket": "conformance-bucket",
    "role": "arn:aws:iam::123456789012:role/ConformanceRole",
    "region": "NA",
    "service_name": "Conformance",
    "pipeline_version": "1.0.0",
    "project_root_folder": "conformance",
    "model_class": "xgboost",
    "source_dir": "scripts",
}

_IDS = {"id_name": "order_id", "label_name": "is_abuse"}
_MT_IDS = {"id_name": "order_id", "task_label_names": ["is_abuse", "is_fraud"]}
_SCHEMA = [
    {"field_name": "order_id", "field_type": "STRING"},
    {"field_name": "is_abuse", "field_type": "STRING"},
]

REQUIRED: dict[str, dict] = {
    # validate_use_case: ssl | active_learning | auto
    "ActiveSampleSelectionConfig": {
        "use_case": "ssl",
        "id_field": "order_id",
        "label_field": "is_abuse",
        "score_field": "prob_class_1",
    },
    "BedrockBatchProcessingConfig": {
        "bedrock_batch_role_arn": "arn:aws:iam::123456789012:role/BedrockBatchRole"
    },
    "BedrockProcessingConfig": {
        "bedrock_inference_profile_arn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4"
    },
    "BedrockPromptTemplateGenerationConfig": {
        "input_placeholders": ["dialogue", "shiptrack"]
    },
    "CradleDataLoadingConfig": {
        "data_sources_spec": {
            "start_date": "2025-01-01T00:00:00",
            "end_date": "2025-02-01T00:00:00",
            "data_sources": [
                {
                    "data_source_name": "RAW_MDS_NA",
                    "data_source_type": "MDS",
                    "mds_data_source_properties": {
                        "service_name": "Conformance",
                        "region": "NA",
                        "output_schema": _SCHEMA,
                    },
                }
            ],
        },
        "transform_spec": {"transform_sql": "SELECT * FROM RAW_MDS_NA"},
        "output_spec": {"output_schema": ["order_id", "is_abuse"]},
        "cradle_job_spec": {"cradle_account": "Conformance-Account"},
    },
    "DummyDataLoadingConfig": {"data_source": "s3://conformance-data/raw"},
    "DummyTrainingConfig": {
        "pretrained_model_path": "models/model.tar.gz"
    },  # a local file
    # validate_input_mode: edx_arn, or all of provider/subject/dataset/manifest_key
    "EdxUploadingConfig": {
        "edx_arn": 'arn:amazon:edx:iad::manifest/conformance/scores/scored-records/["scores_na"]'
    },
    "FeatureSelectionConfig": {"label_field": "is_abuse"},
    "LabelRulesetExecutionConfig": {},
    "LabelRulesetGenerationConfig": {
        "label_config": {
            "output_label_name": "label",
            "output_label_type": "binary",
            "label_values": [0, 1],
            "default_label": 0,
            "label_mapping": {"0": "negative", "1": "positive"},
        },  # LabelConfig requires it
        "rule_definitions": [
            {
                "name": "any",
                "priority": 1,
                "output_label": 1,
                "conditions": {"field": "category", "operator": "equals", "value": "x"},
            }
        ],
    },
    "LightGBMMTModelEvalConfig": dict(_MT_IDS),
    "LightGBMMTModelInferenceConfig": dict(_MT_IDS),
    "LightGBMMTTrainingConfig": {"training_entry_point": "lightgbmmt_training.py"},
    "LightGBMModelEvalConfig": dict(_IDS),
    "LightGBMModelInferenceConfig": dict(_IDS),
    "LightGBMTrainingConfig": {"training_entry_point": "lightgbm_training.py"},
    "MissingValueImputationConfig": {"label_field": "is_abuse"},
    "ModelCalibrationConfig": {
        "label_field": "is_abuse",
        "score_field": "prob_class_1",
    },  # validator
    "ModelMetricsComputationConfig": dict(_IDS),
    "ModelWikiGeneratorConfig": {"model_name": "conformance-model"},
    "PackageConfig": {},
    "PayloadConfig": {"expected_tps": 10, "max_latency_in_millisecond": 800},
    "PercentileModelCalibrationConfig": {
        "score_field": "prob_class_1"
    },  # validate_config
    "PseudoLabelMergeConfig": {
        "label_field": "is_abuse",
        "id_field": "order_id",
        "pseudo_label_column": "pseudo_label",
    },
    "PyTorchModelEvalConfig": dict(_IDS),
    "PyTorchModelInferenceConfig": dict(_IDS),
    "PyTorchTrainingConfig": {"training_entry_point": "pytorch_training.py"},
    "RegistrationConfig": {
        "model_owner": "amzn1.abacus.team.CONFORMANCE",
        "model_domain": "Conformance",
        "model_objective": "Conformance_Model_NA",
        "framework": "xgboost",
        "inference_entry_point": "inference_handler.py",
    },
    "RiskTableMappingConfig": {},
    "SlipboxKnowledgeRoutingConfig": {},
    # validate_task: return_risk | customer_risk | refund_decision
    "SOPAInstructionTuningConfig": {
        "training_entry_point": "sopa_training.py",
        "task": "return_risk",
    },
    "StratifiedSamplingConfig": {"strata_column": "is_abuse"},
    "TabularPreprocessingConfig": {},
    "TemporalSplitPreprocessingConfig": {
        "date_column": "order_date",
        "group_id_column": "customer_id",
        "split_date": "2025-01-15",
        "label_field": "is_abuse",
    },  # validate_task_configuration: training needs it
    "TokenizerTrainingConfig": {"text_field": "dialogue"},
    "TSAModelCalibrationConfig": {
        "label_field": "is_abuse",
        "score_field": "prob_class_1",
    },
    "TSAModelEvalConfig": {},
    "TSAPreprocessingConfig": {},
    "TSATabularPreprocessingConfig": {},
    "TSATrainingConfig": {"training_entry_point": "tsa_training.py"},
    "XGBoostModelEvalConfig": dict(_IDS),
    "XGBoostModelInferenceConfig": dict(_IDS),
    "XGBoostTrainingConfig": {"training_entry_point": "xgboost_training.py"},
    "XgboostMtModelEvalConfig": dict(_MT_IDS),
    "XgboostMtTrainingConfig": {"training_entry_point": "xgboost_mt_training.py"},
}

# Folders a configuration names that cursus uploads as step inputs (input_source_overrides):
# (config class, field holding the sub-folder under the effective source dir, its default).
LOCAL_FOLDERS = (
    ("BedrockPromptTemplateGenerationConfig", "prompt_configs_path", "prompt_configs"),
    ("LabelRulesetGenerationConfig", "ruleset_configs_path", "ruleset_configs"),
)
