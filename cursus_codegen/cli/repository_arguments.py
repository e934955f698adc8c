"""The parsers of the commands on a repository rather than on one DAG: `generate` and `check`
(every pipeline of the pyproject.toml manifest) and `diff` (two pipelines). `arguments.parse`
picks them like every other command.
"""

from __future__ import annotations

import argparse


def manifest_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"cursus-codegen {command}",
        description=("Check" if command == "check" else "Generate")
        + " every pipeline of the "
        "[tool.cursus-codegen] manifest in the nearest pyproject.toml.",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="only this pipeline (repeatable)",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="generate everything; ignore the cache"
    )
    parser.add_argument(
        "--manifest",
        metavar="PYPROJECT",
        help="the pyproject.toml (default: found upwards)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="worker processes for the pipelines the cache cannot answer (default: cores)",
    )
    return parser


def diff_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cursus-codegen diff",
        description="What changes between two pipelines: each side a generated module, "
        "git:REV:PATH, or deployed:PIPELINE_NAME. Building a module runs its code "
        "(in a subprocess). Exit 0 same, 1 differ, 2 bad input.",
    )
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument(
        "--region", help="AWS region (default: AWS_DEFAULT_REGION, else us-east-1)"
    )
    parser.add_argument(
        "--role", help="the execution role the modules are built with (as deployed)"
    )
    parser.add_argument("--regional-alias", help="the region of a multi-region module")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--deploy-dir",
        metavar="DIR",
        help="the folder the deploy job runs from (code keys hash the paths it "
        "uploads from); default: each module's own folder",
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        default="300",
        help="how long building each module may take before it is stopped, "
        "and reading each deployed pipeline (at most 60) before it is "
        "given up (default: %(default)s)",
    )
    return parser
