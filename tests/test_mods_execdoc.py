"""fill_execution_document: STEP_CONFIGs computed at generation time, written as literals, filled
only into the entries MODS's default document already has (reference/cursus-steps.md §5).

Uses tests/data/sdk_steps (Cradle with MDS/EDX/ANDES sources, Redshift, DataUploading,
Registration); no SDK is needed to fill the document.
"""

import copy
import shutil

import pytest
from conftest import REPO, ROLE, import_module_from, pipeline_class_of, run_cli

DATA = REPO / "tests" / "data" / "sdk_steps"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("execdoc") / "project"
    shutil.copytree(DATA, folder)
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py"], cwd=folder
    )
    assert code == 0, err
    return folder / "pipeline_gen.py"


@pytest.fixture(scope="module")
def template(generated):
    module = import_module_from(generated, "execdoc_gen")
    return pipeline_class_of(module)(sagemaker_session=object(), execution_role=ROLE)


def default_document():
    """What MODS hands over: every pipeline step keyed by SageMaker name, STEP_CONFIGs empty."""
    return {
        "PIPELINE_STEP_CONFIGS": {
            "CradleDataLoading-Training": {
                "STEP_TYPE": ["WORKFLOW_INPUT", "CradleDataLoadingStep"],
                "STEP_CONFIG": {},
            },
            "RedshiftDataLoading-Calibration": {"STEP_CONFIG": {}},
            "DataUploading-Calibration": {
                "STEP_TYPE": ["PROCESSING_STEP", "DataUploadingStep"],
                "STEP_CONFIG": {},
                "EXTRA": "kept",
            },
            "Registration-EU": {
                "STEP_TYPE": ["PROCESSING_STEP", "MimsModelRegistrationProcessingStep"],
                "STEP_CONFIG": {},
            },
            "XGBoostTraining": {"STEP_CONFIG": {}, "STEP_TYPE": "TRAINING_STEP"},
        },
        "PIPELINE_ADDITIONAL_PARAMS": {"owner": "unchanged"},
    }


def test_the_step_configs_are_literals_in_the_generated_source(generated):
    source = generated.read_text()
    assert (
        "def step_config_cradle_data_loading_training(self) -> dict[str, Any]:"
        in source
    )
    assert (
        '"transformSQL": "SELECT * FROM RAW_MDS JOIN TAGS ON objectId = order_id"'
        in source
    )
    assert (
        "image_uris.retrieve(" in source
    )  # the one value computed when the document is filled


def test_cradle_request_is_the_camel_case_coral_dict(template):
    document = template.fill_execution_document(default_document())
    config = document["PIPELINE_STEP_CONFIGS"]["CradleDataLoading-Training"][
        "STEP_CONFIG"
    ]
    assert config == {
        "dataSources": {
            "dataSources": [
                {
                    "dataSourceName": "RAW_MDS",
                    "dataSourceType": "MDS",
                    "mdsDataSourceProperties": {
                        "serviceName": "SdkSteps",
                        "orgId": "0",
                        "region": "EU",
                        "useHourlyEdxDataSet": False,
                        "outputSchema": [
                            {"fieldName": "objectId", "fieldType": "STRING"}
                        ],
                    },
                },
                {
                    "dataSourceName": "TAGS",
                    "dataSourceType": "EDX",
                    "edxDataSourceProperties": {
                        "edxArn": 'arn:amazon:edx:iad::manifest/prov/subj/ds/["k"]'
                    },
                },
                {
                    "dataSourceName": "ANDES_T",
                    "dataSourceType": "ANDES",
                    "andesDataSourceProperties": {
                        "provider": "booker",
                        "tableName": "orders",
                        "andes3Enabled": True,
                    },
                },
            ],
            "startDate": "2025-01-01T00:00:00",
            "endDate": "2025-02-01T00:00:00",
        },
        "transformSpecification": {
            "transformSQL": "SELECT * FROM RAW_MDS JOIN TAGS ON objectId = order_id",
            "jobSplitOptions": {"splitJob": False, "daysPerSplit": 7, "mergeSql": ""},
        },
        "outputSpecification": {
            "outputSchema": ["objectId", "is_abuse"],
            # the parent's pipeline_s3_loc and job_type, not the nested dict's
            "outputPath": "s3://sdk-steps-bucket/MODS/sdk-tester-SdkSteps-xgboost-EU_0.2.0/data-load/training",
            "outputFormat": "CSV",
            "outputSaveMode": "ERRORIFEXISTS",
            "outputFileCount": 0,
            "keepDotInOutputSchema": False,
            "includeHeaderInS3Output": True,
        },
        "cradleJobSpecification": {
            "clusterType": "STANDARD",
            "cradleAccount": "Sdk-Test-Account",
            "extraSparkJobArguments": "",
            "jobRetryCount": 1,
        },
    }


def test_redshift_and_data_uploading_configs(template):
    document = template.fill_execution_document(default_document())
    configs = document["PIPELINE_STEP_CONFIGS"]
    redshift = configs["RedshiftDataLoading-Calibration"]
    assert redshift["STEP_TYPE"] == [
        "WORKFLOW_INPUT",
        "RedshiftDataLoadingStep",
    ]  # added: missing
    assert redshift["STEP_CONFIG"] == {
        "clusterSpecification": {
            "clusterId": "cluster-1",
            "dbName": "analytics",
            "roleArn": "arn:aws:iam::111122223333:role/RedshiftRead",
            "clusterEndpoint": "cluster-1.example.eu-west-1.redshift.amazonaws.com",
            "port": 5439,
        },
        "querySpecification": {
            "query": "SELECT * FROM calibration_rows",
            "connectorType": "redshift_connector",
            "isUsingAndes3": True,
        },
        "outputSpecification": {"dropHeader": True},
    }
    uploading = configs["DataUploading-Calibration"]
    assert uploading["STEP_CONFIG"] == {
        "schema": "objectId:STRING,is_abuse:STRING",
        "inputFormat": "CSV",
        "cradleAccount": "Sdk-Test-Account",
        "hasHeader": True,
        "clusterType": "MEDIUM",
        "dataSink": {
            "dataSinkType": "ANDES",
            "andesDataSinkProperties": {
                "providerName": "sdk-provider",
                "tableName": "calibration_upload",
                "tableVersion": 3,
            },
        },
    }
    assert uploading["EXTRA"] == "kept"
    assert uploading["STEP_TYPE"] == ["PROCESSING_STEP", "DataUploadingStep"]


def test_registration_config_with_image_environment_and_load_testing(template):
    document = template.fill_execution_document(default_document())
    entry = document["PIPELINE_STEP_CONFIGS"]["Registration-EU"]
    assert entry["STEP_TYPE"] == [
        "PROCESSING_STEP",
        "MimsModelRegistrationProcessingStep",
    ]  # kept
    config = entry["STEP_CONFIG"]
    assert list(config) == [
        "source_model_inference_image_arn",
        "model_domain",
        "model_objective",
        "source_model_inference_content_types",
        "source_model_inference_response_types",
        "source_model_inference_input_variable_list",
        "source_model_inference_output_variable_list",
        "source_model_region",
        "model_owner",
        "model_registration_region",
        "source_model_environment_variable_map",
        "load_testing_info_map",
    ]
    assert config["source_model_inference_image_arn"].endswith(
        ".dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    )
    assert config["source_model_inference_input_variable_list"] == {
        "objectId": "TEXT",
        "amount": "NUMERIC",
    }
    assert config["source_model_inference_output_variable_list"] == {
        "legacy-score": "NUMERIC"
    }
    assert (config["source_model_region"], config["model_registration_region"]) == (
        "eu-west-1",
        "EU",
    )
    assert config["source_model_environment_variable_map"] == {
        "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
        "SAGEMAKER_PROGRAM": "inference.py",
        "SAGEMAKER_REGION": "eu-west-1",
        "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
    }
    assert config["load_testing_info_map"] == {
        "sample_payload_s3_bucket": "sdk-steps-bucket",
        "expected_tps": 5,
        "max_latency_in_millisecond": 300,
        "max_acceptable_error_rate": 0.2,
        "instance_type_list": ["ml.m5.4xlarge"],
    }


def test_only_entries_already_in_the_document_are_filled_and_nothing_else_changes(
    template,
):
    original = default_document()
    del original["PIPELINE_STEP_CONFIGS"]["CradleDataLoading-Training"]
    original["PIPELINE_STEP_CONFIGS"]["Registration-EU"] = {"STEP_CONFIG": {}}
    document = copy.deepcopy(original)
    result = template.fill_execution_document(document)
    assert result is document  # filled in place, as cursus does
    configs = result["PIPELINE_STEP_CONFIGS"]
    assert (
        "CradleDataLoading-Training" not in configs
    )  # absent from the document: not added
    assert (
        configs["XGBoostTraining"]
        == original["PIPELINE_STEP_CONFIGS"]["XGBoostTraining"]
    )
    assert result["PIPELINE_ADDITIONAL_PARAMS"] == {"owner": "unchanged"}
    assert configs["Registration-EU"]["STEP_TYPE"] == [
        "PROCESSING_STEP",
        "ModelRegistration",
    ]
    assert set(configs) == set(original["PIPELINE_STEP_CONFIGS"])


def test_a_document_without_step_configs_is_returned_unchanged(template):
    document = {"PIPELINE_ADDITIONAL_PARAMS": {}}
    assert template.fill_execution_document(document) == {
        "PIPELINE_ADDITIONAL_PARAMS": {}
    }


def test_a_pipeline_without_sdk_steps_returns_the_document_unchanged():
    module = import_module_from(
        REPO / "generated_examples" / "xgboost_e2e" / "pipeline_gen.py",
        "execdoc_xgb_example",
    )
    template = pipeline_class_of(module)(
        sagemaker_session=object(), execution_role=ROLE
    )
    document = {"PIPELINE_STEP_CONFIGS": {"XGBoostTraining": {"STEP_CONFIG": {}}}}
    assert template.fill_execution_document(copy.deepcopy(document)) == document


def test_filling_is_deterministic_and_fresh_each_time(template):
    first = template.fill_execution_document(default_document())
    second = template.fill_execution_document(default_document())
    assert first == second
    first["PIPELINE_STEP_CONFIGS"]["DataUploading-Calibration"]["STEP_CONFIG"][
        "schema"
    ] = "changed"
    third = template.fill_execution_document(default_document())
    assert (
        third["PIPELINE_STEP_CONFIGS"]["DataUploading-Calibration"]["STEP_CONFIG"][
            "schema"
        ]
        != "changed"
    )
