"""`cursus-codegen diff OLD NEW`: resolve both sides, compare, report; exit 0 same, 1 differ,
2 bad input (as `--check`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from cursus_codegen.diff.sides import Side, SideError, deployed, module_path, temporary_folder


def side(spec: str, region: str, role: str | None, alias: str | None, workdir: Path,
         deploy_dir: Path | None = None) -> Side:
    if spec.startswith("deployed:"):
        return deployed(spec, region)
    from cursus_codegen.diff.build import built

    path, run_dir = module_path(spec, workdir, deploy_dir)
    return built(path, run_dir, spec, region, role, alias)


def run_diff(old: str, new: str, region: str, role: str | None, alias: str | None,
             fmt: str, deploy_dir: Path | None = None) -> tuple[int, str, str]:
    """(exit code, stdout, stderr)."""
    from cursus_codegen.diff.compare import compare
    from cursus_codegen.diff.report import to_json, to_text

    try:
        with temporary_folder() as tmp:
            sides = [side(spec, region, role, alias, Path(tmp) / str(i), deploy_dir)
                     for i, spec in enumerate((old, new))]
    except SideError as exc:
        return 2, "", f"{exc}\n".replace(": ", ": error: ", 1)
    (a, b) = sides
    plan = compare(a.definition, b.definition, a.step_configs, b.step_configs)
    sources = {**a.code_sources, **b.code_sources}
    text = to_json(plan, sources) if fmt == "json" else to_text(plan, old, new, sources)
    return (0 if plan.same else 1), text, ""


def diff_command(argv: list[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen diff",
        description="What changes between two pipelines: each side a generated module, "
                    "git:REV:PATH, or deployed:PIPELINE_NAME. Exit 0 same, 1 differ, 2 bad input.")
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--region", help="AWS region (default: AWS_DEFAULT_REGION, else us-east-1)")
    parser.add_argument("--role", help="the execution role the modules are built with (as deployed)")
    parser.add_argument("--regional-alias", help="the region of a multi-region module")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--deploy-dir", metavar="DIR",
                        help="the folder the deploy job runs from (code keys hash the paths it "
                             "uploads from); default: each module's own folder")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return (0 if exc.code == 0 else 2), "", ""
    region = args.region or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    return run_diff(args.old, args.new, region, args.role, args.regional_alias, args.format,
                    Path(args.deploy_dir) if args.deploy_dir else None)
