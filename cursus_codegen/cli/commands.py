"""The commands on inputs named on the command line: generate (or compare with `--check`,
`--diff`), validate and explain one DAG with its configuration(s), and `diff` of two
pipelines. Each prints what it found and returns the exit code.

The generator is imported when a command runs, never when the command line is parsed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cursus_codegen.cli.streams import print_diagnostics, write_stdout
from cursus_codegen.cli.usage import option_values
from cursus_codegen.diagnostics import has_errors
from cursus_codegen.outcome import EXIT_BAD_INPUT, EXIT_OK, Outcome

if TYPE_CHECKING:
    from cursus_codegen.run.request import GenerateRequest


def run(command: str, args: argparse.Namespace) -> int:
    """One module (generate, or compare with --check / --diff), validate or explain, with
    arguments `usage_problems` found nothing wrong in."""
    from cursus_codegen.output import explain
    from cursus_codegen.run import generate, plan_for

    req = _request(args)
    if command == "explain":
        plan, diagnostics = plan_for(req)
        print_diagnostics(diagnostics)
        if plan is None or has_errors(diagnostics):
            return EXIT_BAD_INPUT
        write_stdout(explain(plan, args.format))
        return EXIT_OK
    result = generate(req, validate_only=command == "validate")
    print_diagnostics(result.diagnostics)
    if result.outcome is Outcome.FAILED:
        return result.outcome.exit_code
    if result.stdout:
        write_stdout(result.stdout)
    if result.differs:
        state = (
            "does not exist" if result.outcome is Outcome.MISSING else "is out of date"
        )
        print(
            f"cursus-codegen: {req.output_display} {state}; run the same command without "
            "--check to regenerate it",
            file=sys.stderr,
        )
    return result.outcome.exit_code


def _request(args: argparse.Namespace) -> GenerateRequest:
    from cursus_codegen.api import request

    req, problems = request(
        args.dag, args.config, getattr(args, "output", None), option_values(args)
    )
    # usage_problems checked every value with the same checks
    assert req is not None, problems
    return req


def run_diff(args: argparse.Namespace) -> int:
    """`cursus-codegen diff OLD NEW ...` with its parsed arguments."""
    from cursus_codegen.diff.run import diff_command

    code, out, err = diff_command(args)
    if err:
        print(err, end="", file=sys.stderr)
    write_stdout(out)
    return code
