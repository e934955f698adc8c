"""`cursus-codegen diff OLD NEW`: resolve both sides, compare, report; exit 0 same, 1 differ,
2 bad input (as `--check`), with one `<where>: error: ...` line on stderr.

A module side (`PATH` or `git:REV:PATH`) is built in a subprocess of its own (`diff/build.py`:
building a module runs its code), both module sides at once, each within `--timeout` seconds;
a `deployed:` side is read with DescribePipeline, given up after `--timeout` seconds or
DESCRIBE_BOUND (60), whichever is less. The options are checked first: `--region`
must look like an AWS region, `--deploy-dir` must be a folder, `--timeout` a number > 0.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from cursus_codegen.diff.sides import (
    DESCRIBE_BOUND,
    Side,
    SideError,
    deployed,
    module_path,
    temporary_folder,
)
from cursus_codegen.outcome import EXIT_BAD_INPUT, EXIT_DIFFERS, EXIT_OK

if TYPE_CHECKING:
    from cursus_codegen.diff.build import Build

REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
DEFAULT_TIMEOUT = 300.0  # seconds; --timeout's default


def side(
    spec: str,
    region: str,
    role: str | None,
    alias: str | None,
    workdir: Path,
    deploy_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Side | Build:
    """A `deployed:` side as read, or a module side's Build, started (its `side()` waits)."""
    if spec.startswith("deployed:"):
        return deployed(spec, region, min(timeout, DESCRIBE_BOUND))
    from cursus_codegen.diff.build import Build

    path, run_dir = module_path(spec, workdir, deploy_dir)
    return Build(path, run_dir, spec, region, role, alias, timeout)


def run_diff(
    old: str,
    new: str,
    region: str,
    role: str | None,
    alias: str | None,
    fmt: str,
    deploy_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr)."""
    from cursus_codegen.diff.compare import compare
    from cursus_codegen.diff.report import to_json, to_text

    try:
        with temporary_folder() as tmp, contextlib.ExitStack() as running:
            pending: list[Side | Build] = []
            for i, spec in enumerate((old, new)):
                started = side(
                    spec, region, role, alias, Path(tmp) / str(i), deploy_dir, timeout
                )
                if not isinstance(started, Side):
                    running.callback(started.close)  # stopped, whatever happens
                pending.append(started)
            sides = [
                item if isinstance(item, Side) else item.side() for item in pending
            ]
    except SideError as exc:
        return EXIT_BAD_INPUT, "", _located(exc)
    a, b = sides
    plan = compare(a.definition, b.definition, a.step_configs, b.step_configs)
    sources = {**a.code_sources, **b.code_sources}
    text = to_json(plan, sources) if fmt == "json" else to_text(plan, old, new, sources)
    return (EXIT_OK if plan.same else EXIT_DIFFERS), text, ""


def _located(exc: SideError) -> str:
    """`<where>: error: <message>`, on one line."""
    return " ".join(str(exc).splitlines()).replace(": ", ": error: ", 1) + "\n"


def _options(args: argparse.Namespace) -> tuple[str, Path | None, float]:
    """(region, deploy dir, timeout) as given, checked; SideError naming the option."""
    given = args.region is not None
    region = (
        args.region if given else os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    )
    if not REGION.fullmatch(region):
        where = "" if given else " (from AWS_DEFAULT_REGION)"
        raise SideError(f"--region: not an AWS region: {region!r}{where}")
    deploy_dir = Path(args.deploy_dir) if args.deploy_dir else None
    if deploy_dir is not None and not deploy_dir.is_dir():
        raise SideError(f"--deploy-dir: not a folder: {args.deploy_dir}")
    try:
        timeout = float(args.timeout)
    except ValueError:
        timeout = math.nan
    if not (math.isfinite(timeout) and timeout > 0):
        raise SideError(
            f"--timeout: expected a number of seconds > 0, got {args.timeout!r}"
        )
    return region, deploy_dir, timeout


def diff_command(args: argparse.Namespace) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `cursus-codegen diff` with its parsed arguments
    (cli/repository_arguments.py), the options checked first."""
    try:
        region, deploy_dir, timeout = _options(args)
    except SideError as exc:
        return EXIT_BAD_INPUT, "", _located(exc)
    return run_diff(
        args.old,
        args.new,
        region,
        args.role,
        args.regional_alias,
        args.format,
        deploy_dir,
        timeout,
    )
