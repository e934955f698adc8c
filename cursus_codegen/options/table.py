"""The table of the command's long options: each `Option` defined once, in the order the
header's regenerate command writes them, and the spellings that find one (API keyword,
manifest key, flag). Checking a value against its option is checks.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict, cast

# black's own default: a repository running black with its defaults agrees
DEFAULT_LINE_LENGTH = 88
LINE_LENGTHS = (40, 400)  # the widths --line-length accepts


@dataclass(frozen=True)
class Option:
    """One long option of the command."""

    name: str  # the API keyword: "class_name"
    kind: type  # str, bool, int or list (a list, or tuple, of paths)
    default: object  # None, False, DEFAULT_LINE_LENGTH or () (no folder)
    help: str
    # a path, or for a list each entry: relative to the working directory
    path: bool = False
    header: bool = True  # changes the module's bytes: the regenerate command carries it
    metavar: str | None = None
    # the commands on a DAG that take it (every one, or only those that render or write)
    commands: tuple[str, ...] = ("generate", "validate", "explain")
    # a run with it on is never answered from the manifest's cache (project/cache.py)
    uncached: bool = False

    @property
    def key(self) -> str:
        """The manifest's spelling: "class-name"."""
        return self.name.replace("_", "-")

    @property
    def flag(self) -> str:
        """The command line's spelling: "--class-name"."""
        return "--" + self.key


_WRITE = ("generate",)  # shapes only the module written, so generate alone takes it

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
        commands=("generate", "validate"),
    ),
    # an executed DAG may read anything the cache cannot see
    Option(
        "exec_dag",
        bool,
        False,
        "execute the DAG .py instead of reading it",
        uncached=True,
    ),
    Option(
        "omit_version",
        bool,
        False,
        "keep the generator version out of the header",
        commands=_WRITE,
    ),
    Option(
        "input_hashes",
        bool,
        False,
        "record each input's sha256 in the header (provenance; "
        "every input edit then changes the header)",
        commands=_WRITE,
    ),
    Option(
        "vendor",
        bool,
        False,
        "copy every file the pipeline uploads beside the module; --check compares them",
        commands=_WRITE,
        uncached=True,  # the copies are compared on every run
    ),
    Option(
        "line_length",
        int,
        DEFAULT_LINE_LENGTH,
        f"black's line length for the module (default {DEFAULT_LINE_LENGTH}, black's own)",
        metavar="N",
        commands=_WRITE,
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


def default_values() -> Values:
    """Every option at its default."""
    return cast(Values, {option.name: option.default for option in _TABLE})


def find_option(name: str) -> Option | None:
    """The option for an API keyword, a manifest key or a flag ("class_name", "class-name",
    "--class-name"); None for anything else."""
    return OPTIONS.get(name.removeprefix("--").replace("-", "_"))
