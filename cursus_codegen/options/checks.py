"""The one check of an option's value, and its wordings: `value_problem` for a place that
already names the option, `option_problem`, `manifest_option_problem` and `path_problem` to
stand alone (cursus_codegen/options/__init__.py shows each).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from cursus_codegen.naming import is_identifier
from cursus_codegen.options.table import (
    LINE_LENGTHS,
    MANIFEST_KEYS,
    OPTIONS,
    Option,
    find_option,
)

# an option's text (author, description, ...): far above any real one
MAX_TEXT = 64 * 1024


def value_problem(name: str, value: object) -> str | None:
    """What is wrong with `value` for the option `name` (any spelling), or None: the one check
    of an option's value, worded for a place that already names the option (`--line-length:
    error: 0 is outside 40..400`).

    The type must be the option's (a bool is no int); None only where the default is None;
    a string not empty; a path neither empty nor holding a NUL character; `steps` a list of
    such paths;
    `class_name` a Python identifier; `line_length` within LINE_LENGTHS."""
    option = find_option(name)
    if option is None:
        return f"is no option; known: {', '.join(OPTIONS)}"
    if value is None:
        return None if option.default is None else _wrong_type(option, value)
    if option.kind is list:
        return _list_problem(value)
    if option.path:
        return _path_phrase(value)
    if not isinstance(value, option.kind) or (
        option.kind is int and isinstance(value, bool)
    ):
        return _wrong_type(option, value)
    # free text may hold any character: it is a literal
    if isinstance(value, str) and not value:
        return "must not be empty"
    # black's time grows with a literal
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return f"is {len(value):,} characters; at most {MAX_TEXT:,}"
    check = _VALUE_CHECKS.get(option.name)
    return check(value) if check else None


def option_problem(name: str, value: object) -> str | None:
    """`value_problem` worded to stand alone: it begins with `name` as the caller spelled it
    (`line_length 0 is outside 40..400`); an unknown name is `unknown option 'x'; known: ...`.
    """
    if find_option(name) is None:
        return f"unknown option {name!r}; known: {', '.join(OPTIONS)}"
    problem = value_problem(name, value)
    return f"{name} {problem}" if problem else None


def manifest_option_problem(key: str, value: object) -> str | None:
    """`option_problem` for a key of the manifest ("line-length"); an API keyword or a flag is
    an unknown key there."""
    if key not in MANIFEST_KEYS:
        return (
            f"unknown key {key!r}; a key is a long option of the command "
            f"({', '.join(MANIFEST_KEYS)})"
        )
    return option_problem(key, value)


def path_problem(name: str, value: object) -> str | None:
    """What keeps `value` from being a path (a str or an os.PathLike of str, not empty, no NUL
    character), worded to stand alone (`dag must be a path, not None`), or None."""
    problem = _path_phrase(value)
    return f"{name} {problem}" if problem else None


def path_text(value: object) -> str | None:
    """The path's text when `value` is a str or an os.PathLike of str, else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        try:
            text = os.fspath(value)
        # __fspath__ returned something else, or raised: the caller's object
        except Exception:  # noqa: BLE001 - any failure of it means "not a path"
            return None
        return text if isinstance(text, str) else None
    return None


def _path_phrase(value: object) -> str | None:
    text = path_text(value)
    return (
        f"must be a path, not {_type_name(value)}"
        if text is None
        else _text_problem(text)
    )


def _list_problem(value: object) -> str | None:
    if not isinstance(value, (list, tuple)):
        return f"must be a list of paths, not {_type_name(value)}"
    for index, entry in enumerate(value):
        problem = _path_phrase(entry)
        if problem:
            return f"entry {index} {problem}"
    return None


def _text_problem(text: str) -> str | None:
    if not text:
        return "must not be empty"
    if "\0" in text:
        return "must not contain a NUL character"
    return None


def _wrong_type(option: Option, value: object) -> str:
    wanted = (
        "a list of paths"
        if option.kind is list
        else "a path" if option.path else option.kind.__name__
    )
    return f"must be {wanted}, not {_type_name(value)}"


def _type_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _class_name_problem(value: object) -> str | None:
    if isinstance(value, str) and not is_identifier(value):
        return f"{value!r} is not a Python identifier"
    return None


def _line_length_problem(value: object) -> str | None:
    low, high = LINE_LENGTHS
    if isinstance(value, int) and not low <= value <= high:
        shown = (
            str(value)
            if abs(value) < 10**12
            else ("a huge number" if value > 0 else "a huge negative number")
        )
        return f"{shown} is outside {low}..{high}"
    return None


_VALUE_CHECKS: dict[str, Callable[[object], str | None]] = {
    "class_name": _class_name_problem,
    "line_length": _line_length_problem,
}
