"""Configuration values decoded as cursus's `TypeAwareConfigSerializer.deserialize` does,
without building classes: `__type_info__` wrappers unwrapped, nested models kept as dicts
that keep their class name. Problems go to the document being read, with their JSON pointer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from cursus_codegen.diagnostics import json_pointer

MODEL_TYPE = "__model_type__"
MODEL_MODULE = "__model_module__"  # legacy writers; never meaningful
TYPE_INFO = "__type_info__"


class Problems(Protocol):
    """Where the decoder reports what it cannot decode (the configuration document)."""

    def error(self, message: str, pointer: str) -> None: ...

    def warning(self, message: str, pointer: str) -> None: ...


# __type_info__ kind -> the JSON type its "value" must have (None: any scalar).
_WRAPPED = {
    "list": list,
    "tuple": list,
    "set": list,
    "frozenset": list,
    "dict": dict,
    "datetime": str,
    "path": str,
    "enum": None,
}


class Decoder:
    """`TypeAwareConfigSerializer.deserialize` without building classes; problems go to `doc`."""

    def __init__(self, doc: Problems) -> None:
        self.doc = doc

    def decode(self, value: Any, pointer: str) -> Any:
        if isinstance(value, list):
            return [
                self.decode(v, pointer + json_pointer(i)) for i, v in enumerate(value)
            ]
        if not isinstance(value, dict):
            return value
        if TYPE_INFO in value:  # checked before __model_type__, as cursus does
            return self._unwrap(value, pointer)
        if MODEL_TYPE in value:
            return self._nested_model(value, pointer)
        return self._plain_dict(value, pointer)

    def _plain_dict(self, value: dict[str, Any], pointer: str) -> dict[str, Any]:
        return {
            k: self.decode(v, pointer + json_pointer(k))
            for k, v in value.items()
            if k != MODEL_MODULE
        }

    def _nested_model(
        self, value: dict[str, Any], pointer: str
    ) -> dict[str, Any] | None:
        """A nested model stays a dict that keeps its class name; its "_" keys are dropped."""
        class_name = value[MODEL_TYPE]
        if not isinstance(class_name, str) or not class_name:
            self.doc.error(
                f"__model_type__ must be a class name, found {kind_of(class_name)}",
                pointer + json_pointer(MODEL_TYPE),
            )
            return None
        if value.get("_serialization_error") or value.get("_circular_ref"):
            # the writer's failure markers: the model's fields were lost when the file was written
            detail = value.get("_error") or value.get("_ref_message") or "no detail"
            self.doc.warning(
                f"the writer could not serialise this {class_name} value ({detail})",
                pointer,
            )
        fields = {k: v for k, v in value.items() if not k.startswith("_")}
        return {MODEL_TYPE: class_name, **self._plain_dict(fields, pointer)}

    def _unwrap(self, value: dict[str, Any], pointer: str) -> Any:
        kind = value[TYPE_INFO]
        if not isinstance(kind, str) or kind not in _WRAPPED:
            self.doc.error(
                f"malformed __type_info__: unknown kind {kind!r} (known: {', '.join(_WRAPPED)})",
                pointer + json_pointer(TYPE_INFO),
            )
            return None
        if "value" not in value:
            self.doc.error(
                f"malformed __type_info__ {kind!r} wrapper: it has no 'value'", pointer
            )
            return None
        inner, inner_pointer = value["value"], pointer + "/value"
        expected = _WRAPPED[kind]
        if (
            isinstance(inner, (dict, list))
            if expected is None
            else not isinstance(inner, expected)
        ):
            wanted = {
                list: "an array",
                dict: "an object",
                str: "a string",
                None: "a scalar",
            }[expected]
            self.doc.error(
                f"malformed __type_info__ {kind!r} wrapper: 'value' must be {wanted}, "
                f"found {kind_of(inner)}",
                inner_pointer,
            )
            return None
        if kind == "datetime" and not _is_iso_datetime(inner):
            self.doc.error(
                f"malformed __type_info__ 'datetime' wrapper: {inner!r} is not an ISO date-time",
                inner_pointer,
            )
            return None
        if kind == "dict":
            return self._plain_dict(inner, inner_pointer)
        decoded = self.decode(inner, inner_pointer)
        return _set_items(decoded) if kind in ("set", "frozenset") else decoded


def _set_items(items: list[Any]) -> list[Any]:
    """A set as a list: duplicates removed, sorted when the items allow it, else in file order."""
    unique: list[Any] = []
    for item in items:
        if item not in unique:
            unique.append(item)
    try:
        return sorted(unique)
    except TypeError:
        return unique


def _is_iso_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)  # what cursus calls to rebuild the value
    except ValueError:
        return False
    return True


def kind_of(value: Any) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        type(None): "null",
    }
    return names.get(type(value), "a number")
