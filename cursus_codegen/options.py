"""The command's long options: one definition each, and one check of a value.

`OPTIONS` maps each API keyword (`class_name`) to its `Option`: type, default, help text,
whether it is a path (or a list of paths) and whether it changes the module's bytes (then the
header's regenerate command carries it). The command line (cli.py) builds its arguments from
it, the API (api.py) checks its keywords with it, and the manifest can check its keys with it.

    value_problem("line_length", 0)           # "0 is outside 40..400" (the one check)
    option_problem("line_length", 0)          # "line_length 0 is outside 40..400"
    option_problem("class-name", "ok")        # None: any spelling names the option
    path_problem("dag", None)                 # "dag must be a path, not None"

`value_problem` words a problem for a place that already names the option (a diagnostic
located at `--line-length`, argparse's `argument --line-length:`); `option_problem` and
`path_problem` begin the same words with the name as the caller spelled it.

The manifest (project/manifest.py) checks each key with `manifest_option_problem` (keys are
option names with "-" for "_") and finds its option in `MANIFEST_KEYS`; it makes a path
option's value absolute itself. `manifest_option_problem` words a wrong type as
`line-length must be int, not str` and an unknown key as `unknown key 'x'; a key is a long
option of the command (...)`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict

from cursus_codegen import DEFAULT_LINE_LENGTH, LINE_LENGTHS
from cursus_codegen.naming import is_identifier

MAX_TEXT = (
    64 * 1024
)  # an option's text (author, description, ...): far above any real one


@dataclass(frozen=True)
class Option:
    """One long option of the command."""

    name: str  # the API keyword: "class_name"
    kind: type  # str, bool, int or list (a list, or tuple, of paths)
    default: object  # None, False, DEFAULT_LINE_LENGTH or () (no folder)
    help: str
    path: bool = (
        False  # a path, or for a list each entry: relative to the working directory
    )
    header: bool = True  # changes the module's bytes: the regenerate command carries it
    metavar: str | None = None

    @property
    def key(self) -> str:
        """The manifest's spelling: "class-name"."""
        return self.name.replace("_", "-")

    @property
    def flag(self) -> str:
        """The command line's spelling: "--class-name"."""
        return "--" + self.key


# In the order the header's regenerate command writes them (the committed modules depend on it).
_TABLE = (
    Option("class_name", str, None, "name of the generated pipeline class"),
    Option("author", str, None, "MODS author (default: the configuration's author)"),
    Option("version", str, None, "MODS pipeline version"),
    Option("description", str, None, "MODS pipeline description"),
    Option(
        "dag_function",
        str,
        None,
        "the function that builds the DAG, when there are several",
    ),
    Option(
        "project_root",
        str,
        None,
        "folder that source_dir and entry points are relative to",
        path=True,
    ),
    Option(
        "steps",
        list,
        (),
        "a folder of extra step-type files (repeatable)",
        path=True,
        metavar="DIR",
    ),
    Option(
        "templates",
        str,
        None,
        "templates that override the built-in ones by file name (less stable interface)",
        path=True,
        metavar="DIR",
    ),
    Option("exec_dag", bool, False, "execute the DAG .py instead of reading it"),
    Option("omit_version", bool, False, "keep the generator version out of the header"),
    Option(
        "input_hashes",
        bool,
        False,
        "record each input's sha256 in the header (provenance; "
        "every input edit then changes the header)",
    ),
    Option(
        "vendor",
        bool,
        False,
        "copy every file the pipeline uploads beside the module; --check compares them",
    ),
    Option(
        "line_length",
        int,
        DEFAULT_LINE_LENGTH,
        f"black's line length for the module (default {DEFAULT_LINE_LENGTH}, black's own)",
        metavar="N",
    ),
    Option("strict", bool, False, "treat warnings as errors", header=False),
)
OPTIONS: dict[str, Option] = {option.name: option for option in _TABLE}
MANIFEST_KEYS: dict[str, Option] = {option.key: option for option in _TABLE}


class Values(TypedDict):
    """Every option's value (one key per OPTIONS entry) once checked (`value_problem`), its
    default when not given, a path as str: what the API builds a request from (api.py).
    """

    class_name: str | None
    author: str | None
    version: str | None
    description: str | None
    dag_function: str | None
    project_root: str | None
    steps: tuple[str, ...]
    templates: str | None
    exec_dag: bool
    omit_version: bool
    input_hashes: bool
    vendor: bool
    line_length: int
    strict: bool


def find_option(name: str) -> Option | None:
    """The option for an API keyword, a manifest key or a flag ("class_name", "class-name",
    "--class-name"); None for anything else."""
    return OPTIONS.get(name.removeprefix("--").replace("-", "_"))


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
    if (
        isinstance(value, str) and not value
    ):  # free text may hold any character: it is a literal
        return "must not be empty"
    if (
        isinstance(value, str) and len(value) > MAX_TEXT
    ):  # black's time grows with a literal
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
