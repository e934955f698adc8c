"""`fields:` blocks (step files and base files) -> FieldSpec tuples, strictly validated."""

from __future__ import annotations

from typing import Any

from cursus_codegen.catalog import checks
from cursus_codegen.catalog.types import MISSING, FieldSpec
from cursus_codegen.catalog.yaml_source import KeyPath, SourceFile

FIELD_TYPES = ("str", "int", "float", "bool", "list", "dict", "any")
NORMALIZERS = ("strip", "upper", "lower")
FIELD_KEYS = ("type", "required", "default", "default_from", "choices", "normalize")


def parse_fields(src: SourceFile, raw: Any, kp: KeyPath) -> tuple[FieldSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        src.fail(
            kp, f"{'/'.join(map(str, kp))} must be a mapping of field name -> spec"
        )
        return ()
    return tuple(
        spec
        for name, body in raw.items()
        if (spec := _parse_field(src, str(name), body, kp + (str(name),))) is not None
    )


def _parse_field(src: SourceFile, name: str, raw: Any, kp: KeyPath) -> FieldSpec | None:
    body = checks.section(src, raw, kp, FIELD_KEYS)
    if body is None:
        return None
    type_ = checks.text(
        src, body, "type", kp, default="any", choices=FIELD_TYPES, nullable=False
    )
    required = checks.flag(src, body, "required", kp, False)
    if required and "default" in body:
        src.fail(
            kp + ("default",), f"field {name!r} is required: it cannot have a default"
        )
    default = (
        MISSING if required else _checked_default(src, body.get("default"), type_, kp)
    )
    return FieldSpec(
        name=name,
        type=type_,
        default=default,
        required=required,
        default_from=checks.text(src, body, "default_from", kp),
        choices=checks.text_list(src, body, "choices", kp),
        normalize=checks.text(src, body, "normalize", kp, choices=NORMALIZERS),
    )


def _checked_default(src: SourceFile, value: Any, type_: str, kp: KeyPath) -> Any:
    if value is None or type_ == "any":
        return value
    if type_ == "float" and isinstance(value, int) and not isinstance(value, bool):
        # pydantic turns an int default of a float field into a float
        return float(value)
    expected = {
        "str": str,
        "int": int,
        "float": float,
        "bool": bool,
        "list": list,
        "dict": dict,
    }
    ok = isinstance(value, expected[type_])
    if type_ == "int" and isinstance(value, bool):
        ok = False
    if not ok:
        src.fail(kp + ("default",), f"default {value!r} does not match type {type_}")
        return None
    return value
