"""Command line: argument parsing, exit codes, and I/O. Nothing else.

    cursus-codegen DAG CONFIG -o OUT [--check | --diff]   generate (or compare) one module
    cursus-codegen validate DAG CONFIG                    every check, no output
    cursus-codegen explain DAG CONFIG [--format F]        nodes, step names and wiring
    cursus-codegen diff OLD NEW                           what changes between two pipelines
    cursus-codegen generate | check                       every pipeline of the manifest

Exit codes (cursus_codegen/outcome.py): 0 ok; 1 a module differs (`--check`, `check`, `diff`);
2 bad input (every problem printed as `path:line:col: error: message`, nothing written); 3 a
bug in the generator.

`main` is the one crash boundary; `arguments.parse` picks the command and parses its
arguments. The parts are modules: arguments.py and repository_arguments.py (the parsers),
usage.py (the parsed values checked), commands.py and manifest_commands.py (running a command),
streams.py (printing), exits.py (the report of a crash).
"""

from __future__ import annotations

import sys

from cursus_codegen.cli import commands
from cursus_codegen.cli.arguments import parse
from cursus_codegen.cli.exits import internal_error
from cursus_codegen.cli.manifest_commands import run_manifest
from cursus_codegen.cli.streams import print_diagnostics
from cursus_codegen.cli.usage import usage_problems
from cursus_codegen.outcome import EXIT_BAD_INPUT, EXIT_INTERRUPTED


def main(argv: list[str] | None = None) -> int:
    """The one crash boundary: a bug is exit 3, reported as such, never as bad input."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print("cursus-codegen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the crash boundary: a bug is exit 3
        return internal_error(exc)


def _dispatch(argv: list[str]) -> int:
    command, args = parse(argv)
    if isinstance(args, int):
        return args
    if command == "diff":
        return commands.run_diff(args)
    if command in ("generate", "check"):
        return run_manifest(command, args)
    problems = usage_problems(command, args)
    if problems:
        print_diagnostics(problems)
        return EXIT_BAD_INPUT
    from cursus_codegen.fs import store

    with store.disabled(getattr(args, "no_cache", False)):
        return commands.run(command, args)
