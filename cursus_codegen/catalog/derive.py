"""Named derivations: the config-class properties and methods a data file cannot express.

Each function takes the configuration's effective values (values.config_values) and returns
the text cursus computes (or None when cursus produces nothing). A local folder is returned as
LocalPath (relative to the project root), an S3 URI as a plain string. Data files refer to these
by name (`derive: <name>`); the loader rejects unknown names.

Other step-type authors append their functions at the end of this file and register them in
DERIVATIONS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cursus_codegen.catalog.derive_bedrock import BEDROCK_DERIVATIONS
from cursus_codegen.catalog.derive_graph_edx import DERIVATIONS as GRAPH_EDX_DERIVATIONS
from cursus_codegen.catalog.derive_lgbm_tsa import DERIVATIONS as LGBM_TSA_DERIVATIONS
from cursus_codegen.catalog.types import LocalPath

Values = Mapping[str, Any]
# keyed by `object`: it is looked up with the configured region, whatever its JSON type
REGION_TO_AWS: dict[object, str] = {
    "NA": "us-east-1",
    "EU": "eu-west-1",
    "FE": "us-west-2",
}


def _local_or_s3(value: Any) -> str | LocalPath:
    text = str(value)
    return text if text.startswith("s3://") else LocalPath(text)


# --- BasePipelineConfig properties (core/base/config_base.py) -----------------------------


def aws_region(values: Values) -> str:
    return REGION_TO_AWS.get(values.get("region"), "us-east-1")


def pipeline_name(values: Values) -> str:
    return (
        f"{values.get('author')}-{values.get('service_name')}-{values.get('model_class')}-"
        f"{values.get('region')}"
    )


def pipeline_description(values: Values) -> str:
    return f"{values.get('service_name')} {values.get('model_class')} Model {values.get('region')}"


def pipeline_s3_loc(values: Values) -> str:
    return f"s3://{values.get('bucket')}/MODS/{pipeline_name(values)}_{values.get('pipeline_version')}"


# --- input sources (contract.input_source_overrides) --------------------------------------


def data_source_uri(values: Values) -> str | LocalPath | None:
    """DummyDataLoadingConfig.get_data_source_uri(): str(data_source)."""
    source = values.get("data_source")
    return None if source is None else _local_or_s3(source)


def inference_scripts_source(values: Values) -> str | LocalPath:
    """PackageConfig.inference_scripts_source(): inference_scripts_dir, else source_dir, else
    effective_source_dir (processing_source_dir, else source_dir), else "inference".

    cursus returns the hybrid-resolved absolute path when the folder exists and the raw value
    otherwise; both name the same folder, which the generated module addresses relative to itself.
    """
    for candidate in (values.get("inference_scripts_dir"), values.get("source_dir")):
        if candidate:
            return _local_or_s3(candidate)
    effective = values.get("processing_source_dir")
    if effective is None:
        effective = values.get("source_dir")
    return _local_or_s3(effective or "inference")


# --- environment values --------------------------------------------------------------------


def effective_exclude_columns(values: Values) -> str:
    """MissingValueImputationConfig: label_field + exclude_columns, duplicates dropped, joined."""
    columns: list[str] = []
    if values.get("label_field"):
        columns.append(values["label_field"])
    columns.extend(values.get("exclude_columns") or [])
    unique = list(dict.fromkeys(columns))
    return ",".join(unique)


DERIVATIONS: dict[str, Callable[[Values], Any]] = {
    "aws_region": aws_region,
    "pipeline_name": pipeline_name,
    "pipeline_description": pipeline_description,
    "pipeline_s3_loc": pipeline_s3_loc,
    "data_source_uri": data_source_uri,
    "inference_scripts_source": inference_scripts_source,
    "effective_exclude_columns": effective_exclude_columns,
    # the step families with derivations of their own
    **BEDROCK_DERIVATIONS,
    **LGBM_TSA_DERIVATIONS,
    **GRAPH_EDX_DERIVATIONS,
}

# BasePipelineConfig properties every configuration has: the declared-name convention
# (`NAME` -> `self.name`) reaches them through hasattr() just like fields.
BASE_PROPERTIES = (
    "aws_region",
    "pipeline_name",
    "pipeline_description",
    "pipeline_s3_loc",
)
