"""The command line's parsers: one per command on a DAG, each long option built from the
options table (cursus_codegen/options/), and `parse`, which picks any command (PARSERS, the
repository commands' parsers are repository_arguments.py's) and parses its arguments.

Only light modules at import time: `cursus-codegen check` of an unchanged repository answers
from the cache without importing black, libcst or jinja2 (cursus_codegen/project/).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from typing import Any

from cursus_codegen.cli import repository_arguments as repository
from cursus_codegen.options import checks
from cursus_codegen.options.table import OPTIONS, Option
from cursus_codegen.outcome import EXIT_BAD_INPUT, EXIT_OK
from cursus_codegen.version import __version__

# output/explain.py FORMATS; a test keeps them equal
EXPLAIN_FORMATS = ("table", "mermaid", "json")
# every command, as `cursus-codegen --help` lists them
COMMANDS = """\
commands:
  cursus-codegen DAG CONFIG... -o OUT    generate one module (--check, --diff: compare)
  cursus-codegen validate DAG CONFIG...  every check of generation; nothing written
  cursus-codegen explain DAG CONFIG...   nodes, step names and every wire
  cursus-codegen diff OLD NEW            what changes between two pipelines
  cursus-codegen generate                every pipeline of the pyproject.toml manifest
  cursus-codegen check                   is every module of the manifest current?

Each command takes --help. Exit codes: 0 ok, 1 a module differs (--check, check, diff),
2 bad input, 3 a bug of ours.
"""


def _input_arguments(parser: argparse.ArgumentParser, command: str) -> None:
    """What every command on a DAG reads: the inputs, and each long option the command takes
    (`Option.commands`)."""
    parser.add_argument(
        "dag", help="the DAG: a dag.json, or a .py or .ipynb read statically"
    )
    parser.add_argument(
        "config",
        nargs="+",
        help="the cursus configuration JSON; several: one per region, the first the default",
    )
    for option in OPTIONS.values():
        if command in option.commands:
            _option_argument(parser, option)
    parser.add_argument(
        "-V",
        "--generator-version",
        action="version",
        version=f"cursus-codegen {__version__}",
    )


def _option_argument(parser: argparse.ArgumentParser, option: Option) -> None:
    """A long option as the options table defines it: flag, default, help, metavar.
    Its value is checked by `usage.usage_problems` (and `_line_length`), with the same check.
    """
    # add_argument's keywords, by the option's kind
    by_kind: dict[type, dict[str, Any]] = {
        bool: {"action": "store_true"},
        list: {"action": "append", "default": [], "metavar": option.metavar},
        int: {  # line_length
            "type": _line_length,
            "default": option.default,
            "metavar": option.metavar,
        },
    }
    parser.add_argument(
        option.flag,
        help=option.help,
        **by_kind.get(option.kind, {"metavar": option.metavar}),
    )


def generate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen",
        description="Generate a reviewable SageMaker pipeline module from a cursus DAG and "
        "configuration.",
        epilog=COMMANDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _input_arguments(parser, "generate")
    parser.add_argument("-o", "--output", help="the module to write; '-' for stdout")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="exit 1 with a diff if OUT is stale or missing",
    )
    mode.add_argument(
        "--diff", action="store_true", help="print the diff against OUT, write nothing"
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="use no formatted piece from the user cache (a gate that trusts no cache)",
    )
    return parser


def _line_length(text: str) -> int:
    """A width black can format to (checks.value_problem); else argparse's usage error (exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    problem = checks.value_problem("line_length", value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def validate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen validate",
        description="Run every check of generation and report all problems; write nothing. Exit 0 or 2.",
    )
    _input_arguments(parser, "validate")
    return parser


def explain_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen explain",
        description="Show each node's configuration, step type and SageMaker step name, and every wire.",
    )
    _input_arguments(parser, "explain")
    parser.add_argument(
        "--format",
        choices=EXPLAIN_FORMATS,
        default="table",
        help="table (default), mermaid (a flowchart for a pull request) or json",
    )
    return parser


def parse(argv: list[str]) -> tuple[str, argparse.Namespace | int]:
    """The command (COMMANDS: "module" when the first argument is a DAG) and its parsed
    arguments, or the exit code when argparse ended it (a usage error, --help, -V)."""
    command = argv[0] if argv and argv[0] in PARSERS else "module"
    try:
        return command, PARSERS[command]().parse_args(
            argv[1:] if command != "module" else argv
        )
    except SystemExit as exc:  # argparse already printed usage (or --help / -V)
        return command, EXIT_OK if exc.code == 0 else EXIT_BAD_INPUT


# the first argument that picks each command (anything else is a DAG: "module")
PARSERS: dict[str, Callable[[], argparse.ArgumentParser]] = {
    "module": generate_parser,
    "validate": validate_parser,
    "explain": explain_parser,
    "diff": repository.diff_parser,
    "generate": partial(repository.manifest_parser, "generate"),
    "check": partial(repository.manifest_parser, "check"),
}
