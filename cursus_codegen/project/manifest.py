"""The deploy repository's manifest: `[tool.cursus-codegen]` in pyproject.toml.

    [tool.cursus-codegen]
    vendor = true                      # any long option of the command, for every pipeline

    [[tool.cursus-codegen.pipelines]]
    name = "atoz"                      # unique; used in messages and --only
    dag = "pipelines/atoz/dag.py"      # .py, .json or .ipynb
    config = "pipelines/atoz/config_NA.json"   # or a list, one per region
    output = "pipelines/atoz/pipeline_gen.py"
    line-length = 100                  # a long option here overrides the table's

Paths are relative to the pyproject.toml. Every problem is located (`pyproject.toml:12:1`);
reading never raises and never imports the generator's heavy dependencies. This module finds
and parses the file; each pipeline's table is checked by project/pipelines.py.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.fs import probes, reads
from cursus_codegen.project.key_lines import KeyLines
from cursus_codegen.project.pipelines import (
    Pipeline,
    read_pipeline,
    shared_path_problems,
    table_options,
)

TABLE = "tool.cursus-codegen"
MAX_MANIFEST_BYTES = 1_000_000


@dataclass(frozen=True)
class Manifest:
    path: Path  # the pyproject.toml
    pipelines: tuple[Pipeline, ...]

    @property
    def root(self) -> Path:
        return self.path.parent


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.cursus-codegen] table (in any TOML spelling of
    the key), from `start` upwards; an unreadable or oversized one is returned, so that
    read_manifest reports it, located."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if not os.path.isfile(candidate):
            continue
        text, problem = _read_text(candidate)
        if problem is not None:
            return candidate
        # cheap: only a file that names the table is parsed
        if "cursus-codegen" in text:
            try:
                tool = tomllib.loads(text).get("tool")
                if isinstance(tool, dict) and isinstance(
                    tool.get("cursus-codegen"), dict
                ):
                    return candidate
            except (ValueError, RecursionError):  # TOMLDecodeError is a ValueError
                return candidate  # read_manifest reports where it is invalid
    return None


def _read_text(path: Path) -> tuple[str, str | None]:
    """The manifest's text, or why it cannot be read: only a regular file of a bounded size is
    opened (a FIFO would block, /dev/zero would be read forever)."""
    try:
        return reads.read_bytes(path, limit=MAX_MANIFEST_BYTES).decode("utf-8"), None
    except probes.NotReadable as exc:
        return "", (
            f"larger than {MAX_MANIFEST_BYTES} bytes"
            if exc.size > MAX_MANIFEST_BYTES
            else f"cannot read: {exc.strerror}"
        )
    except OSError as exc:
        return "", f"cannot read: {exc.strerror or exc}"
    except UnicodeDecodeError as exc:
        return "", f"cannot read: not UTF-8 text ({exc.reason} at byte {exc.start})"


def read_manifest(path: Path, display: str) -> tuple[Manifest | None, list[Diagnostic]]:
    text, problem = _read_text(path)
    if problem is not None:
        return None, [error(problem, Location(display))]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        where = (
            Location(display, int(found[1]), int(found[2]))
            if found
            else Location(display)
        )
        return None, [error(f"not valid TOML: {str(exc).split(' (at line')[0]}", where)]
    # an integer of thousands of digits, deep nesting
    except (ValueError, RecursionError) as exc:
        return None, [
            error(
                f"not valid TOML: {type(exc).__name__}: {str(exc)[:200]}",
                Location(display),
            )
        ]
    lines = KeyLines(text, TABLE)
    tool = data.get("tool")
    table = tool.get("cursus-codegen") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        return None, [error(f"no [{TABLE}] table", Location(display))]
    problems: list[Diagnostic] = []
    shared = table_options(
        table, path.parent, display, lines, None, problems, allowed={"pipelines"}
    )
    entries = table.get("pipelines", [])
    if not isinstance(entries, list) or not entries:
        problems.append(
            error(
                f"[[{TABLE}.pipelines]]: at least one pipeline is needed",
                Location(display, lines.of(None, "pipelines") or 1, 1),
            )
        )
        return None, problems
    pipelines = [
        read_pipeline(entry, i, path.parent, display, lines, shared, problems)
        for i, entry in enumerate(entries)
    ]
    problems += shared_path_problems(
        [p for p in pipelines if p is not None], path, display
    )
    if problems:
        return None, problems
    return Manifest(path, tuple(p for p in pipelines if p is not None)), []
