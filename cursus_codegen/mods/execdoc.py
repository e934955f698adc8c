"""MODS execution-document STEP_CONFIGs, computed from the configuration at generation time.

cursus fills the document at run time (mods/exe_doc/generator.py and its helpers,
reference/cursus-steps.md §5). The generated module carries the result as reviewable literals
in one method per step; `fill_execution_document` writes them into the document MODS hands it.
The one value that needs the SageMaker SDK, Registration's inference image, stays a call to
`image_uris.retrieve` with literal arguments, evaluated when the document is filled (as cursus
does): the generator never imports sagemaker.

Each builder returns an `ExecDocEntry` or problems as (message, configuration field) pairs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cursus_codegen import expr as x
from cursus_codegen.catalog.derive import aws_region
from cursus_codegen.mods.cradle import Problems, cradle_step_config


@dataclass(frozen=True)
class ExecDocEntry:
    step_config: x.Expr  # a Literal, or a DictOf holding the image_uris.retrieve call
    # STEP_TYPE cursus adds when the entry lacks one
    step_type: Sequence[str] | None = None


# Registration: cursus picks related configurations by class-name substring, over every
# configuration of the file (generator.py `_fill_registration_configurations`).
def related_kind(class_name: str) -> str | None:
    name = class_name.lower()
    if "registration" in name and "payload" not in name:
        return "registration"
    if "payload" in name:
        return "payload"
    if "package" in name:
        return "package"
    return None


def _input_variables(value: Any) -> Any:
    """RegistrationConfig validator: dict values become upper-case NUMERIC/TEXT; lists stay."""
    if isinstance(value, Mapping):
        return {
            k: str(v).upper() if isinstance(v, str) else v for k, v in value.items()
        }
    return value


def registration_step_config(
    values: Mapping[str, Any], related: Sequence[tuple[str, Mapping[str, Any]]]
) -> tuple[ExecDocEntry, Problems]:
    """registration_helper.py `_create_execution_doc_config`, key for key and in its order."""
    region = aws_region(values)
    image = x.Call(
        "image_uris.retrieve",
        (
            ("framework", x.Literal(values.get("framework"))),
            ("region", x.Literal(region)),
            ("version", x.Literal(values.get("framework_version"))),
            ("py_version", x.Literal(values.get("py_version"))),
            ("instance_type", x.Literal(values.get("inference_instance_type"))),
            ("image_scope", x.Literal("inference")),
        ),
    )
    items: list[tuple[str, x.Expr]] = [("source_model_inference_image_arn", image)]
    copied = {
        "model_domain": values.get("model_domain"),
        "model_objective": values.get("model_objective"),
        "source_model_inference_content_types": values.get(
            "source_model_inference_content_types"
        ),
        "source_model_inference_response_types": values.get(
            "source_model_inference_response_types"
        ),
        "source_model_inference_input_variable_list": _input_variables(
            values.get("source_model_inference_input_variable_list")
        ),
        "source_model_inference_output_variable_list": values.get(
            "source_model_inference_output_variable_list"
        ),
        "source_model_region": region,  # from aws_region
        "model_owner": values.get("model_owner"),
        "model_registration_region": values.get("region"),  # from region
        "source_model_environment_variable_map": {
            "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
            "SAGEMAKER_PROGRAM": values.get("inference_entry_point"),
            "SAGEMAKER_REGION": region,
            "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
        },
    }
    items += [(key, x.Literal(value)) for key, value in copied.items()]
    load_testing = _load_testing(values, related)
    if load_testing:
        items.append(("load_testing_info_map", x.Literal(load_testing)))
    step_type = ["PROCESSING_STEP", "ModelRegistration"]
    return ExecDocEntry(x.DictOf(tuple(items)), step_type), []


def _load_testing(
    values: Mapping[str, Any], related: Sequence[tuple[str, Mapping[str, Any]]]
) -> dict[str, Any] | None:
    """Only when the file has a payload and a package configuration (the last of each)."""
    found = {kind: v for name, v in related if (kind := related_kind(name)) is not None}
    payload, package = found.get("payload"), found.get("package")
    if payload is None or package is None:
        return None
    info: dict[str, Any] = {"sample_payload_s3_bucket": values.get("bucket")}
    for key in (
        "expected_tps",
        "max_latency_in_millisecond",
        "max_acceptable_error_rate",
    ):
        if key in payload:
            info[key] = payload[key]
    info["instance_type_list"] = payload.get("load_test_instance_type_list") or [
        "ml.m5.4xlarge"
    ]
    return info


def redshift_step_config(values: Mapping[str, Any]) -> tuple[ExecDocEntry, Problems]:
    """RedshiftDataLoadingConfig.step_config_json."""
    problems: Problems = []
    output: dict[str, Any] = {}
    if values.get("output_data_source_type") == "EDX":
        if not values.get("edx_arn"):
            problems.append(
                ("edx_arn is required when output_data_source_type is 'EDX'", "edx_arn")
            )
        output = {
            "dataSourceType": "EDX",
            "edxArn": values.get("edx_arn"),
            "dropHeader": values.get("drop_header"),
        }
    elif values.get("drop_header"):
        output = {"dropHeader": True}
    if values.get("connector_type") not in ("pg8000", "redshift_connector"):
        problems.append(
            (
                (
                    "connector_type must be 'pg8000' or 'redshift_connector', got "
                    f"{values.get('connector_type')!r}"
                ),
                "connector_type",
            )
        )
    config = {
        "clusterSpecification": {
            "clusterId": values.get("cluster_id"),
            "dbName": values.get("db_name"),
            "roleArn": values.get("role_arn"),
            "clusterEndpoint": values.get("cluster_endpoint"),
            "port": values.get("port"),
        },
        "querySpecification": {
            "query": values.get("query"),
            "connectorType": values.get("connector_type"),
            "isUsingAndes3": values.get("is_using_andes3"),
        },
        "outputSpecification": output,
    }
    return (
        ExecDocEntry(x.Literal(config), ["WORKFLOW_INPUT", "RedshiftDataLoadingStep"]),
        problems,
    )


def data_uploading_step_config(
    values: Mapping[str, Any],
) -> tuple[ExecDocEntry, Problems]:
    """DataUploadingConfig.job_config (inputS3Url is added by the SDK processor at run time)."""
    problems: Problems = []
    if str(values.get("cluster_type", "")).upper() not in ("SMALL", "MEDIUM", "LARGE"):
        problems.append(
            (
                (
                    "cluster_type must be SMALL, MEDIUM or LARGE, got "
                    f"{values.get('cluster_type')!r}"
                ),
                "cluster_type",
            )
        )
    config = {
        "schema": values.get("schema_sdl"),
        "inputFormat": values.get("input_format"),
        "cradleAccount": values.get("cradle_account"),
        "hasHeader": values.get("has_header"),
        "clusterType": values.get("cluster_type"),
        "dataSink": {
            "dataSinkType": "ANDES",
            "andesDataSinkProperties": {
                "providerName": values.get("provider_name"),
                "tableName": values.get("table_name"),
                "tableVersion": values.get("table_version"),
            },
        },
    }
    return ExecDocEntry(x.Literal(config)), problems


def cradle_entry(values: Mapping[str, Any]) -> tuple[ExecDocEntry, Problems]:
    config, problems = cradle_step_config(values)
    return ExecDocEntry(x.Literal(config)), problems


def step_config(
    step_type: str,
    values: Mapping[str, Any],
    related: Sequence[tuple[str, Mapping[str, Any]]],
) -> tuple[ExecDocEntry | None, Problems]:
    """The entry of one step, or None for a step type that has no execution document."""
    if step_type == "CradleDataLoading":
        return cradle_entry(values)
    if step_type == "Registration":
        return registration_step_config(values, related)
    if step_type == "RedshiftDataLoading":
        return redshift_step_config(values)
    if step_type == "DataUploading":
        return data_uploading_step_config(values)
    return None, []
