"""`cursus-codegen generate` and `cursus-codegen check`: every pipeline of the manifest
(`[tool.cursus-codegen]` in the nearest pyproject.toml), one line of state each.

The manifest reader and runner are imported when the command runs; a warm `check` imports
neither black, libcst nor jinja2 (cursus_codegen/project/).
"""

from __future__ import annotations

import argparse
import os
import sys

from cursus_codegen.cli.streams import print_diagnostics, write_stdout
from cursus_codegen.diagnostics import Location, error
from cursus_codegen.outcome import EXIT_BAD_INPUT, exit_code


def run_manifest(command: str, args: argparse.Namespace) -> int:
    """Read the manifest, run `command` over its pipelines (or the `--only` ones), print each
    one's outcome; exit with the worst (outcome.py): 2 when one failed, 1 when `check` finds a
    module STALE or MISSING.
    """
    from pathlib import Path

    from cursus_codegen.project.manifest import find_pyproject, read_manifest
    from cursus_codegen.project.runner import run

    path = Path(args.manifest) if args.manifest else find_pyproject(Path.cwd())
    if path is None:
        print_diagnostics(
            [
                error(
                    "no pyproject.toml with a [tool.cursus-codegen] table here or above"
                )
            ]
        )
        return EXIT_BAD_INPUT
    if args.jobs is not None and args.jobs < 1:
        print_diagnostics(
            [error(f"--jobs must be at least 1, not {args.jobs}", Location("--jobs"))]
        )
        return EXIT_BAD_INPUT
    manifest, problems = read_manifest(path, os.path.relpath(path))
    unknown = [
        n
        for n in args.only
        if manifest and n not in {p.name for p in manifest.pipelines}
    ]
    problems += [
        error(f"--only {name}: no pipeline of that name in the manifest")
        for name in unknown
    ]
    if manifest is None or problems:
        print_diagnostics(problems)
        return EXIT_BAD_INPUT
    warn = lambda message: print(f"cursus-codegen: warning: {message}", file=sys.stderr)
    reports = run(manifest, command, args.only, not args.no_cache, warn, jobs=args.jobs)
    for report in reports:
        cached = " (cached)" if report.cached else ""
        write_stdout(f"{report.name}: {report.outcome.label}{cached}\n")
        if report.details:
            stream = sys.stdout if report.outcome.stream == "stdout" else sys.stderr
            print(report.details.rstrip("\n"), file=stream)
    return exit_code(report.outcome for report in reports)
