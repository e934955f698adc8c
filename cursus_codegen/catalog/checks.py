"""Small strict readers for data-file values: every problem is reported at its key path.

Each reader returns the value (or a fallback) and records a Diagnostic in the SourceFile when
the value has the wrong shape, so one pass over a file reports all of its problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, overload

from cursus_codegen.catalog.yaml_source import KeyPath, SourceFile


def section(
    src: SourceFile,
    raw: Any,
    kp: KeyPath,
    allowed: Iterable[str],
    required: Iterable[str] = (),
) -> dict[str, Any] | None:
    """A mapping with only `allowed` keys and all `required` ones; None if not a mapping."""
    if not isinstance(raw, Mapping):
        src.fail(kp, f"{_where(kp)} must be a mapping, got {_kind(raw)}")
        return None
    allowed = tuple(allowed)
    for key in raw:
        if key not in allowed:
            src.fail(
                kp + (str(key),),
                f"unknown key {key!r} in {_where(kp)} "
                f"(allowed: {', '.join(allowed)})",
            )
    for key in required:
        if key not in raw:
            src.fail(kp, f"{_where(kp)} is missing the required key {key!r}")
    return dict(raw)


@overload
def text(
    src: SourceFile,
    raw: Mapping[str, Any],
    key: str,
    kp: KeyPath,
    default: str,
    choices: Iterable[str] | None = None,
    *,
    nullable: Literal[False],
) -> str: ...


@overload
def text(
    src: SourceFile,
    raw: Mapping[str, Any],
    key: str,
    kp: KeyPath,
    default: str | None = None,
    choices: Iterable[str] | None = None,
    nullable: bool = True,
) -> str | None: ...


def text(
    src: SourceFile,
    raw: Mapping[str, Any],
    key: str,
    kp: KeyPath,
    default: str | None = None,
    choices: Iterable[str] | None = None,
    nullable: bool = True,
) -> str | None:
    """The string at `key` (`default` when the key is absent); None for a null when `nullable`;
    `default` after reporting a value that is not a string or not one of `choices`."""
    value = raw.get(key, default)
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        src.fail(
            kp + (key,), f"{_where(kp + (key,))} must be a string, got {_kind(value)}"
        )
        return default
    if choices is not None and value not in tuple(choices):
        src.fail(
            kp + (key,),
            f"{_where(kp + (key,))}: {value!r} is not one of " f"{', '.join(choices)}",
        )
        return default
    return value


def flag(
    src: SourceFile, raw: Mapping[str, Any], key: str, kp: KeyPath, default: bool
) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        src.fail(
            kp + (key,),
            f"{_where(kp + (key,))} must be true or false, got {_kind(value)}",
        )
        return default
    return value


def text_list(
    src: SourceFile, raw: Mapping[str, Any], key: str, kp: KeyPath
) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        src.fail(
            kp + (key,),
            f"{_where(kp + (key,))} must be a list of strings, got {_kind(value)}",
        )
        return ()
    items = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            src.fail(
                kp + (key, index),
                f"{_where(kp + (key, index))} must be a string, " f"got {_kind(item)}",
            )
        else:
            items.append(item)
    return tuple(items)


def exactly_one(
    src: SourceFile, raw: Mapping[str, Any], keys: tuple[str, ...], kp: KeyPath
) -> str | None:
    present = [k for k in keys if raw.get(k) is not None]
    if len(present) != 1:
        src.fail(
            kp,
            f"{_where(kp)} needs exactly one of {', '.join(keys)}"
            + (f" (found {', '.join(present)})" if present else ""),
        )
        return None
    return present[0]


def _where(kp: KeyPath) -> str:
    return "/".join(str(p) for p in kp) if kp else "the file"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }.get(type(value), type(value).__name__)
