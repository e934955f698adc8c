"""The parsed command line checked before anything runs, and its long options as the API's
keywords: every value checked as the API checks it, so a bad one is exit 2 with nothing read.
"""

from __future__ import annotations

import argparse

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.options import checks
from cursus_codegen.options.table import OPTIONS


def output(args: argparse.Namespace) -> str | None:
    """The module to write, or None for stdout (no -o, or `-o -`)."""
    out = getattr(args, "output", None)
    return None if out in (None, "-") else out


def option_values(args: argparse.Namespace) -> dict[str, object]:
    """The parsed long options as the API's keywords (cursus_codegen/api.py)."""
    return {
        name: getattr(args, name)
        for name in (*OPTIONS, "check", "diff")
        if hasattr(args, name)
    }


def usage_problems(command: str, args: argparse.Namespace) -> list[Diagnostic]:
    """Each long option's value checked as the API checks it (checks.value_problem), located
    at the flag; the inputs must be paths; --check and --diff need a file to compare with.
    """
    problems = [
        error(problem, Location(OPTIONS[name].flag))
        for name, value in option_values(args).items()
        if name in OPTIONS and (problem := checks.value_problem(name, value))
    ]
    for name, value in [
        ("dag", args.dag),
        *(("config", c) for c in args.config),
        ("output", getattr(args, "output", None)),
    ]:
        if value not in (None, "-") and (problem := checks.path_problem(name, value)):
            problems.append(error(problem))
    if command == "module" and (args.check or args.diff) and output(args) is None:
        problems.append(
            error("--check and --diff need -o OUT: the file to compare with")
        )
    return problems
