"""`inputs:` / `outputs:` blocks -> InputSpec / OutputSpec, strictly validated.

Also used by variants.py: a variant is deep-merged over the raw form of the ports
(`port_to_raw`) and parsed again, exactly as cursus re-validates a merged interface.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import fields as dc_fields
from typing import Any

from cursus_codegen.catalog import checks
from cursus_codegen.catalog.types import InputSpec, OutputSpec
from cursus_codegen.catalog.yaml_source import KeyPath, SourceFile

# cursus core/base/step_interface DependencyType
PORT_TYPES = (
    "processing_output",
    "model_artifacts",
    "training_data",
    "hyperparameters",
    "payload_samples",
    "custom_property",
)
INPUT_KEYS = (
    "path",
    "required",
    "type",
    "data_type",
    "compatible_sources",
    "semantic_keywords",
    "channels",
    "source_override",
    "skip",
)
OUTPUT_KEYS = (
    "path",
    "type",
    "data_type",
    "property_path",
    "aliases",
    "semantic_keywords",
)


def parse_inputs(
    src: SourceFile, raw: Any, kp: KeyPath, derivations: Container[str]
) -> tuple[InputSpec, ...]:
    ports = _ports(src, raw, kp)
    return tuple(
        spec
        for name, body in ports.items()
        if (spec := _parse_input(src, name, body, kp + (name,), derivations))
        is not None
    )


def parse_outputs(src: SourceFile, raw: Any, kp: KeyPath) -> tuple[OutputSpec, ...]:
    ports = _ports(src, raw, kp)
    return tuple(
        spec
        for name, body in ports.items()
        if (spec := _parse_output(src, name, body, kp + (name,))) is not None
    )


def port_to_raw(spec: InputSpec | OutputSpec) -> dict[str, Any]:
    """The data-file form of a parsed port (inverse of the parsers)."""
    raw: dict[str, Any] = {}
    for f in dc_fields(spec):
        if f.name == "logical_name":
            continue
        value = getattr(spec, f.name)
        if f.name == "source_override":
            value = dict(value) if value else None
        elif isinstance(value, tuple):
            value = list(value)
        raw[f.name] = value
    return raw


def _ports(src: SourceFile, raw: Any, kp: KeyPath) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        src.fail(
            kp, f"{'/'.join(map(str, kp))} must be a mapping of logical name -> port"
        )
        return {}
    return {str(k): v for k, v in raw.items()}


def _path(src: SourceFile, body: dict[str, Any], kp: KeyPath) -> str:
    # null: no container path (CreateModel / Transform ports)
    return checks.text(src, body, "path", kp) or ""


def _parse_input(
    src: SourceFile, name: str, raw: Any, kp: KeyPath, derivations: Container[str]
) -> InputSpec | None:
    body = checks.section(src, raw, kp, INPUT_KEYS, required=("path",))
    if body is None:
        return None
    return InputSpec(
        logical_name=name,
        path=_path(src, body, kp),
        required=checks.flag(src, body, "required", kp, True),
        type=checks.text(
            src, body, "type", kp, "processing_output", PORT_TYPES, nullable=False
        ),
        data_type=checks.text(src, body, "data_type", kp, "S3Uri", nullable=False),
        compatible_sources=checks.text_list(src, body, "compatible_sources", kp),
        semantic_keywords=checks.text_list(src, body, "semantic_keywords", kp),
        channels=checks.text_list(src, body, "channels", kp),
        source_override=_source_override(
            src, body.get("source_override"), kp + ("source_override",), derivations
        ),
        skip=checks.flag(src, body, "skip", kp, False),
    )


def _source_override(
    src: SourceFile, raw: Any, kp: KeyPath, derivations: Container[str]
) -> tuple[tuple[str, str], ...] | None:
    if raw is None:
        return None
    body = checks.section(src, raw, kp, ("field", "derive"))
    if body is None:
        return None
    kind = checks.exactly_one(src, body, ("field", "derive"), kp)
    if kind is None:
        return None
    name = checks.text(src, body, kind, kp, nullable=False)
    if name is None:
        return None
    if kind == "derive" and name not in derivations:
        src.fail(
            kp + ("derive",), f"unknown derivation {name!r} (see catalog/derive.py)"
        )
    return ((kind, name),)


def _parse_output(
    src: SourceFile, name: str, raw: Any, kp: KeyPath
) -> OutputSpec | None:
    body = checks.section(src, raw, kp, OUTPUT_KEYS, required=("path", "property_path"))
    if body is None:
        return None
    return OutputSpec(
        logical_name=name,
        path=_path(src, body, kp),
        type=checks.text(
            src, body, "type", kp, "processing_output", PORT_TYPES, nullable=False
        ),
        data_type=checks.text(src, body, "data_type", kp, "S3Uri", nullable=False),
        property_path=checks.text(src, body, "property_path", kp, "", nullable=False),
        aliases=checks.text_list(src, body, "aliases", kp),
        semantic_keywords=checks.text_list(src, body, "semantic_keywords", kp),
    )
