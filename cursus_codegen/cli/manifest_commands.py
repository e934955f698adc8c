"""`cursus-codegen generate` and `cursus-codegen check`: every pipeline of the manifest
(`[tool.cursus-codegen]` in the nearest pyproject.toml), one line of state each.

The manifest reader and runner are imported when the command runs; a warm `check` imports
neither black, libcst nor jinja2 (cursus_codegen/project/).
"""

from __future__ import annotations

import os
import sys

from cursus_codegen.cli.arguments import parse_manifest
from cursus_codegen.cli.exits import EXIT_BAD_INPUT, EXIT_DIFFERS, EXIT_OK
from cursus_codegen.cli.streams import print_diagnostics, write_stdout
from cursus_codegen.diagnostics import Location, error


def run_manifest(command: str, argv: list[str]) -> int:
    """Read the manifest, run `command` over its pipelines (or the `--only` ones), print each
    one's state: exit 1 when `check` finds a module STALE or MISSING, 2 when one failed.
    """
    from pathlib import Path

    from cursus_codegen.project.manifest import find_pyproject, read_manifest
    from cursus_codegen.project.runner import run

    args = parse_manifest(command, argv)
    if isinstance(args, int):
        return args
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
    outcomes = run(
        manifest, command, args.only, not args.no_cache, warn, jobs=args.jobs
    )
    for outcome in outcomes:
        write_stdout(
            f"{outcome.name}: {outcome.state}{' (cached)' if outcome.cached else ''}\n"
        )
        if outcome.details:
            stream = (
                sys.stderr
                if outcome.state in ("failed", "written", "unchanged", "current")
                else sys.stdout
            )
            print(outcome.details.rstrip("\n"), file=stream)
    if any(o.state == "failed" for o in outcomes):
        return EXIT_BAD_INPUT
    return (
        EXIT_DIFFERS
        if any(o.state in ("STALE", "MISSING") for o in outcomes)
        else EXIT_OK
    )
