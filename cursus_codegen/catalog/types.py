"""Typed view of a step-type data file (see SCHEMA.md). Frozen: the catalog is read-only data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cursus_codegen.catalog.validators import ValidatorSpec

MISSING: Any = object()  # a field with no default (required)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str = "any"
    default: Any = None
    required: bool = False
    default_from: str | None = None
    # cursus field validators that rewrite a value (they change the text the step receives):
    choices: tuple[str, ...] = ()  # case-insensitive match -> the canonical spelling
    normalize: str | None = None  # strip | upper | lower


@dataclass(frozen=True)
class ComputeSpec:
    kind: str
    framework_version_field: str | None = None
    framework_version_default: str | None = None
    py_version_field: str | None = None
    sdk_class: str | None = None
    retrieve_image: bool = False
    retrieve_framework: str | None = None
    lock_training_region: bool = False
    framework_name: str | None = None
    assembly: str = "code"
    split_source_dir: bool = False
    # byo_container / script kinds (cursus core/base/step_interface.py ComputeSpec):
    # byo_container: the config field holding the ECR image
    image_uri_field: str | None = None
    # None: ["python3"] (processing)
    container_entrypoint: tuple[str, ...] | None = None
    # none | config (NetworkConfig from the step's own fields); a null in the file acts as none
    network_mode: str | None = "none"
    subnets_field: str | None = "subnets"
    security_group_ids_field: str | None = "security_group_ids"
    enable_network_isolation_field: str | None = None
    kms_network: bool = False  # script: KMS volume key + the shared network config


@dataclass(frozen=True)
class EnvRule:
    name: str
    field: str | None = None
    value: str | None = None
    derive: str | None = None
    when: str = "always"
    format: str = "str"
    # a dict field: one entry per item, `{KEY}` in name = key.upper()
    each: str | None = None
    if_truthy: str | None = None  # the entry exists only if this other field is truthy
    if_falsy: str | None = None  # ... and only if this other field is falsy


@dataclass(frozen=True)
class EnvironmentSpec:
    collector: str = "declared"
    rules: tuple[EnvRule, ...] = ()
    declared_required: tuple[str, ...] = ()
    declared_optional: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class JobArgItem:
    flag: str
    field: str | None = None
    value: str | None = None
    format: str = "str"
    value_flag: bool = True
    when: str = "always"


@dataclass(frozen=True)
class JobArgumentsSpec:
    items: tuple[JobArgItem, ...] = ()
    none_if: str = "never"
    passthrough_field: str | None = None


@dataclass(frozen=True)
class InputSpec:
    logical_name: str
    path: str
    required: bool = True
    type: str = "processing_output"
    data_type: str = "S3Uri"
    compatible_sources: tuple[str, ...] = ()
    semantic_keywords: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    # (("field", x),) or (("derive", fn),)
    source_override: tuple[tuple[str, str], ...] | None = None
    skip: bool = False


@dataclass(frozen=True)
class OutputSpec:
    logical_name: str
    path: str
    type: str = "processing_output"
    data_type: str = "S3Uri"
    property_path: str = ""
    aliases: tuple[str, ...] = ()
    semantic_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepType:
    step_type: str
    config_class: str
    sagemaker_step_type: str
    config_base: str
    fields: tuple[FieldSpec, ...]
    compute: ComputeSpec | None
    entry_point_field: str | None
    environment: EnvironmentSpec
    job_arguments: JobArgumentsSpec
    inputs: tuple[InputSpec, ...]
    outputs: tuple[OutputSpec, ...]
    output_path_token: str | None = None
    sink: bool = False
    variants: tuple[tuple[str, Mapping[str, Any]], ...] = ()  # (job_type, raw override)
    source_file: str = ""
    extra: tuple[tuple[str, Any], ...] = field(default=())
    # cursus's rejecting validators (catalog/validators.py)
    validators: tuple[ValidatorSpec, ...] = ()


@dataclass(frozen=True)
class LocalPath:
    """A local file or folder, relative to the project root (POSIX separators).

    The generated module refers to it relative to its own folder, never by an absolute path.
    """

    relative: str
