"""Cradle's execution-document STEP_CONFIG, computed from the configuration at generation time.

cursus builds it at run time (mods/exe_doc/cradle_helper.py): the nested cursus models of a
CradleDataLoadingConfig become the SDK's coral models (CreateCradleDataLoadJobRequest and its
parts), and `secure_ai_sandbox_python_lib.utils.coral_utils.convert_coral_to_dict` turns that
request into the camelCase dict MODS stores. Neither package is public, so the same dict is
rebuilt here from the facts: the constructor keywords in cradle_helper.py, the defaults and
validators of config_cradle_data_loading_step.py, and the camelCase shape of a real filled
document (cursus projects/atoz_xgboost/pipeline_config/execute_doc.json): keys in coral field
order, None values left out, `orgId` a string.

Problems (a missing required value, a value cursus's validators reject) are collected as
(message, JSON-pointer-like path under the configuration field) pairs, never raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cursus_codegen.catalog.derive import pipeline_s3_loc

# (message, field path such as "output_spec/output_schema")
Problems = list[tuple[str, str]]

OUTPUT_FORMATS = ("CSV", "UNESCAPED_TSV", "JSON", "ION", "PARQUET")
SAVE_MODES = ("ERRORIFEXISTS", "OVERWRITE", "APPEND", "IGNORE")
CLUSTER_TYPES = ("STANDARD", "SMALL", "MEDIUM", "LARGE")
SOURCE_TYPES = ("MDS", "EDX", "ANDES")
_MISSING = object()


class _Reader:
    """Reads one nested model (a dict from the configuration), recording what is wrong."""

    def __init__(self, raw: Any, path: str, problems: Problems) -> None:
        self.path, self.problems = path, problems
        if isinstance(raw, Mapping):
            self.raw = raw
        else:
            problems.append(
                (f"{path} must be an object, got {type(raw).__name__}", path)
            )
            self.raw = {}

    def get(self, key: str, default: Any = _MISSING) -> Any:
        value = self.raw.get(key)
        if value is not None:
            return value
        if default is _MISSING:
            self.problems.append(
                (f"{self.path}/{key} is required", f"{self.path}/{key}")
            )
            return None
        return default

    def nested(self, key: str, default: Any = _MISSING) -> _Reader:
        return _Reader(self.get(key, default), f"{self.path}/{key}", self.problems)

    def choice(
        self, key: str, allowed: tuple[str, ...], default: Any = _MISSING
    ) -> Any:
        """cursus validators upper-case these enums and reject anything else."""
        value = self.get(key, default)
        if value is None:
            return None
        text = str(value).upper()
        if text not in allowed:
            self.problems.append(
                (
                    (
                        f"{self.path}/{key}: {value!r} is not one of "
                        f"{', '.join(allowed)}"
                    ),
                    f"{self.path}/{key}",
                )
            )
        return text


def _fields(
    reader: _Reader, key: str, default: Any = _MISSING
) -> list[dict[str, Any]] | None:
    """[{field_name, field_type}] -> [{fieldName, fieldType}] (coral `Field`)."""
    items = reader.get(key, default)
    if items is None:
        return None
    if not isinstance(items, list):
        reader.problems.append(
            (f"{reader.path}/{key} must be a list", f"{reader.path}/{key}")
        )
        return []
    result = []
    for index, item in enumerate(items):
        field = _Reader(item, f"{reader.path}/{key}/{index}", reader.problems)
        result.append(
            {"fieldName": field.get("field_name"), "fieldType": field.get("field_type")}
        )
    return result


def _mds(props: _Reader) -> dict[str, Any]:
    return {
        "serviceName": props.get("service_name"),
        # int in cursus, a string in the coral model
        "orgId": str(props.get("org_id", 0)),
        "region": props.get("region"),
        "useHourlyEdxDataSet": props.get("use_hourly_edx_data_set", False),
        "outputSchema": _fields(props, "output_schema"),
    }


def _edx(props: _Reader) -> dict[str, Any]:
    """EdxDataSourceConfig.edx_manifest: edx_arn, else the ARN built from its components."""
    arn = props.get("edx_arn", None)
    if arn is None:
        parts = [
            props.get(k)
            for k in ("edx_provider", "edx_subject", "edx_dataset", "edx_manifest_key")
        ]
        arn = "arn:amazon:edx:iad::manifest/" + "/".join(str(p) for p in parts)
    result: dict[str, Any] = {"edxArn": arn}
    overrides = _fields(props, "schema_overrides", None)
    if overrides is not None:  # cursus passes schema_overrides only when it is set
        result["schemaOverrides"] = overrides
    return result


def _andes(props: _Reader) -> dict[str, Any]:
    return {
        "provider": props.get("provider"),
        "tableName": props.get("table_name"),
        "andes3Enabled": props.get("andes3_enabled", True),
    }


_PROPERTIES = {
    "MDS": ("mds_data_source_properties", "mdsDataSourceProperties", _mds),
    "EDX": ("edx_data_source_properties", "edxDataSourceProperties", _edx),
    "ANDES": ("andes_data_source_properties", "andesDataSourceProperties", _andes),
}


def _data_source(source: _Reader) -> dict[str, Any]:
    kind = source.choice("data_source_type", SOURCE_TYPES)
    result = {"dataSourceName": source.get("data_source_name"), "dataSourceType": kind}
    if kind in _PROPERTIES:
        field, key, build = _PROPERTIES[kind]
        result[key] = build(source.nested(field))
    return result


def _data_sources(spec: _Reader) -> dict[str, Any]:
    sources = spec.get("data_sources")
    if sources is not None and not isinstance(sources, list):
        spec.problems.append(
            (f"{spec.path}/data_sources must be a list", f"{spec.path}/data_sources")
        )
        sources = []
    return {
        "dataSources": [
            _data_source(
                _Reader(item, f"{spec.path}/data_sources/{index}", spec.problems)
            )
            for index, item in enumerate(sources or [])
        ],
        "startDate": spec.get("start_date"),
        "endDate": spec.get("end_date"),
    }


def _transform(spec: _Reader) -> dict[str, Any]:
    split = spec.nested("job_split_options", {})
    return {
        "transformSQL": spec.get("transform_sql"),
        "jobSplitOptions": {
            "splitJob": split.get("split_job", False),
            "daysPerSplit": split.get("days_per_split", 7),
            "mergeSql": split.get("merge_sql", None) or "",
        },
    }


def _output(spec: _Reader, values: Mapping[str, Any]) -> dict[str, Any]:
    """outputPath: OutputSpecificationConfig.output_path, with the job_type and pipeline_s3_loc
    that CradleDataLoadingConfig copies into it (whatever the nested dict says)."""
    return {
        "outputSchema": spec.get("output_schema"),
        "outputPath": f"{pipeline_s3_loc(values)}/data-load/{values.get('job_type')}",
        "outputFormat": spec.choice("output_format", OUTPUT_FORMATS, "PARQUET"),
        "outputSaveMode": spec.choice("output_save_mode", SAVE_MODES, "ERRORIFEXISTS"),
        "outputFileCount": spec.get("output_file_count", 0),
        "keepDotInOutputSchema": spec.get("keep_dot_in_output_schema", False),
        "includeHeaderInS3Output": spec.get("include_header_in_s3_output", True),
    }


def _cradle_job(spec: _Reader) -> dict[str, Any]:
    return {
        "clusterType": spec.choice("cluster_type", CLUSTER_TYPES, "STANDARD"),
        "cradleAccount": spec.get("cradle_account"),
        "extraSparkJobArguments": spec.get("extra_spark_job_arguments", "") or "",
        "jobRetryCount": spec.get("job_retry_count", 1),
    }


def cradle_step_config(values: Mapping[str, Any]) -> tuple[dict[str, Any], Problems]:
    """The camelCase CreateCradleDataLoadJobRequest of one CradleDataLoadingConfig."""
    problems: Problems = []

    def read(key: str) -> _Reader:
        return _Reader(values.get(key), key, problems)

    request = {
        "dataSources": _data_sources(read("data_sources_spec")),
        "transformSpecification": _transform(read("transform_spec")),
        "outputSpecification": _output(read("output_spec"), values),
        "cradleJobSpecification": _cradle_job(read("cradle_job_spec")),
    }
    return request, problems
