"""A configuration entry's effective field values, as the cursus config class holds them.

cursus `load_configs` keeps only the keys that are model fields of the class (derived values
such as pipeline_name or script_path are recomputed, never read back), then pydantic validates:
defaults fill absent fields, lax coercion converts values (an int in a float field becomes a
float, "true" in a bool field becomes True), and some field validators rewrite text
(case-insensitive choices, stripping). Those rewrites change what the step receives, so they are
applied here too.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from cursus_codegen.catalog.loader import Catalog
from cursus_codegen.catalog.types import FieldSpec, StepType

_TRUE = {"true", "1", "yes", "y", "on", "t"}
_FALSE = {"false", "0", "no", "n", "off", "f"}


def config_values(
    step: StepType, catalog: Catalog, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """(effective values of the declared fields, names of required fields that are absent)."""
    fields = catalog.fields_of(step)
    values: dict[str, Any] = {}
    missing: list[str] = []
    pending: list[FieldSpec] = []
    for spec in fields:
        if spec.name in raw:
            values[spec.name] = field_value(spec, raw[spec.name])
        elif spec.required:
            missing.append(spec.name)
        elif spec.default_from is not None:
            pending.append(spec)
            values[spec.name] = None  # keeps the declared order; filled below
        else:
            values[spec.name] = copy.deepcopy(spec.default)
    _fill_default_from(pending, values)
    return values, missing


_SCALARS = {
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
}


def misshapen_fields(
    step: StepType, catalog: Catalog, values: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(field, problem) for a scalar field that holds an object or an array: pydantic refuses
    it, and every rule that reads the field (job_type picks the variant, names, paths) expects
    a scalar."""
    problems = []
    for spec in catalog.fields_of(step):
        value = values.get(spec.name)
        if spec.type in _SCALARS and isinstance(value, (dict, list)):
            found = "an object" if isinstance(value, dict) else "an array"
            problems.append(
                (spec.name, f"must be {_SCALARS[spec.type]}, found {found}")
            )
    return problems


def _fill_default_from(pending: list[FieldSpec], values: dict[str, Any]) -> None:
    """`default_from: other` copies the other field's value; chains resolve in any order."""
    # field -> the field it copies (every pending spec has a default_from)
    unresolved = {
        spec.name: spec.default_from
        for spec in pending
        if spec.default_from is not None
    }
    while unresolved:
        progressed = False
        for name, source in list(unresolved.items()):
            if source not in unresolved:
                values[name] = copy.deepcopy(values.get(source))
                del unresolved[name]
                progressed = True
        if not progressed:  # a cycle: leave those fields None
            break


def field_value(spec: FieldSpec, value: Any) -> Any:
    value = coerce(spec.type, unwrap(value))
    if spec.choices and isinstance(value, str):
        value = next((c for c in spec.choices if c.lower() == value.lower()), value)
    if spec.normalize:
        value = _normalize(spec.normalize, value)
    return value


def unwrap(value: Any) -> Any:
    """Undo the cursus serializer's `{"__type_info__": ..., "value": ...}` wrappers."""
    if isinstance(value, Mapping):
        if "__type_info__" in value and "value" in value:
            return unwrap(value["value"])
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def coerce(type_: str, value: Any) -> Any:
    """pydantic lax-mode conversions that change how a value prints."""
    if value is None:
        return None
    if type_ == "float":
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            return _number(value, float)
    elif type_ == "int":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            return _number(value, int)
    elif type_ == "bool":
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and value in (0, 1)
        ):
            return bool(value)
    elif type_ == "list" and isinstance(value, tuple):
        return list(value)
    return value


def _number(text: str, kind: type[int | float]) -> int | float | str:
    try:
        return kind(text.strip())
    except ValueError:
        # cursus keeps an invalid value unvalidated (model_construct fallback)
        return text


_NORMALIZERS: dict[str, Callable[[str], str]] = {
    "strip": str.strip,
    "upper": str.upper,
    "lower": str.lower,
}


def _normalize(how: str, value: Any) -> Any:
    if isinstance(value, str):
        return _NORMALIZERS[how](value)
    if isinstance(value, list):
        return [_normalize(how, v) for v in value]
    if isinstance(value, dict):
        return {
            (_normalize(how, k) if isinstance(k, str) else k): v
            for k, v in value.items()
        }
    return value
