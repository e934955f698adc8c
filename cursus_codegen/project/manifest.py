"""The deploy repository's manifest: `[tool.cursus-codegen]` in pyproject.toml.

    [tool.cursus-codegen]
    omit-version = true                # any long option of the command, for every pipeline

    [[tool.cursus-codegen.pipelines]]
    name = "atoz"                      # unique; used in messages and --only
    dag = "pipelines/atoz/dag.py"      # .py, .json or .ipynb
    config = "pipelines/atoz/config_NA.json"   # or a list, one per region
    output = "pipelines/atoz/pipeline_gen.py"
    line-length = 100                  # a long option here overrides the table's

Paths are relative to the pyproject.toml. Every problem is located (`pyproject.toml:12:1`);
reading never raises and never imports the generator's heavy dependencies.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cursus_codegen import LINE_LENGTHS
from cursus_codegen.diagnostics import Diagnostic, Location, error

TABLE = "tool.cursus-codegen"
# Every long option of the command a manifest may set, with its type (cursus_codegen/api.py).
OPTION_TYPES: dict[str, type] = {
    "class-name": str, "author": str, "version": str, "description": str, "dag-function": str,
    "exec-dag": bool, "project-root": str, "steps": list, "strict": bool, "templates": str,
    "omit-version": bool, "input-hashes": bool, "line-length": int, "vendor": bool,
}
PATH_OPTIONS = ("project-root", "templates", "steps")
MAX_MANIFEST_BYTES = 1_000_000


@dataclass(frozen=True)
class Pipeline:
    name: str
    dag: Path  # absolute
    configs: tuple[Path, ...]  # absolute, one per region
    output: Path  # absolute
    options: dict[str, object] = field(default_factory=dict)  # API keywords, paths absolute
    line: int = 0  # where the pipeline's table starts in pyproject.toml


@dataclass(frozen=True)
class Manifest:
    path: Path  # the pyproject.toml
    pipelines: tuple[Pipeline, ...]

    @property
    def root(self) -> Path:
        return self.path.parent


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.cursus-codegen] table, from `start` upwards."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if candidate.stat().st_size > MAX_MANIFEST_BYTES:
                    return candidate  # the nearest one; read_manifest refuses it, located
                if "[tool.cursus-codegen" in candidate.read_text(encoding="utf-8", errors="replace"):
                    return candidate
            except OSError:
                continue
    return None


def read_manifest(path: Path, display: str) -> tuple[Manifest | None, list[Diagnostic]]:
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return None, [error(f"larger than {MAX_MANIFEST_BYTES} bytes", Location(display))]
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [error(f"cannot read: {exc}", Location(display))]
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        where = Location(display, int(found[1]), int(found[2])) if found else Location(display)
        return None, [error(f"not valid TOML: {str(exc).split(' (at line')[0]}", where)]
    lines = _KeyLines(text)
    table = data.get("tool", {}).get("cursus-codegen")
    if not isinstance(table, dict):
        return None, [error(f"no [{TABLE}] table", Location(display))]
    problems: list[Diagnostic] = []
    shared = _options(table, path.parent, display, lines, None, problems, allowed={"pipelines"})
    entries = table.get("pipelines", [])
    if not isinstance(entries, list) or not entries:
        problems.append(error(f"[[{TABLE}.pipelines]]: at least one pipeline is needed",
                              Location(display, lines.of(None, "pipelines") or 1, 1)))
        return None, problems
    pipelines = [_pipeline(entry, i, path.parent, display, lines, shared, problems)
                 for i, entry in enumerate(entries)]
    seen: dict[object, int] = {}
    for pipe in (p for p in pipelines if p is not None):
        # two pipelines writing one module would race in parallel workers
        for what, key in (("pipeline name", pipe.name), ("output", pipe.output)):
            shown = key if isinstance(key, str) else os.path.relpath(key, path.parent)
            if (what, key) in seen:
                problems.append(error(f"{what} {shown!r} is used twice (first at line "
                                      f"{seen[(what, key)]})", Location(display, pipe.line, 1)))
            else:
                seen[(what, key)] = pipe.line
    if problems:
        return None, problems
    return Manifest(path, tuple(p for p in pipelines if p is not None)), []


def _pipeline(entry, index, root, display, lines, shared, problems) -> Pipeline | None:
    start = lines.table_line(index)
    if not isinstance(entry, dict):
        problems.append(error("a pipeline must be a table", Location(display, start, 1)))
        return None
    before = len(problems)
    where = lambda key: Location(display, lines.of(index, key) or start, 1)  # noqa: E731
    for key in ("name", "dag", "config", "output"):
        if key not in entry:
            problems.append(error(f"pipeline: {key!r} is required", Location(display, start, 1)))
    name, dag, config, output = (entry.get(k) for k in ("name", "dag", "config", "output"))
    for key, value in (("name", name), ("dag", dag), ("output", output)):
        if key in entry and (not isinstance(value, str) or not value):
            problems.append(error(f"{key} must be a non-empty string", where(key)))
    configs = [config] if isinstance(config, str) else config
    if "config" in entry and (not isinstance(configs, list) or not configs
                              or not all(isinstance(c, str) and c for c in configs)):
        problems.append(error("config must be a path or a non-empty list of paths", where("config")))
    options = _options(entry, root, display, lines, index, problems,
                       allowed={"name", "dag", "config", "output"})
    if len(problems) > before:
        return None
    for key, value in [("dag", dag)] + [("config", c) for c in configs]:
        if not (root / value).is_file():
            problems.append(error(f"{key}: {value!r} does not exist (paths are relative to "
                                  f"{display})", where(key)))
    return Pipeline(name, (root / dag).absolute(), tuple((root / c).absolute() for c in configs),
                    (root / output).absolute(), {**shared, **options}, start)


def _options(table, root, display, lines, index, problems, allowed) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in table.items():
        where = Location(display, lines.of(index, key) or lines.table_line(index) or 1, 1)
        if key in allowed:
            continue
        kind = OPTION_TYPES.get(key)
        if kind is None:
            problems.append(error(f"unknown key {key!r}; a key is a long option of the command "
                                  f"({', '.join(OPTION_TYPES)})", where))
            continue
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)) or (
                kind is list and not all(isinstance(v, str) for v in value)):
            wanted = "a list of paths" if kind is list else kind.__name__
            problems.append(error(f"{key} must be {wanted}, not {type(value).__name__}", where))
            continue
        if key == "line-length" and not LINE_LENGTHS[0] <= value <= LINE_LENGTHS[1]:
            problems.append(error(f"line-length {value} is outside {LINE_LENGTHS[0]}..{LINE_LENGTHS[1]}", where))
            continue
        if key in PATH_OPTIONS:
            value = [str(root / v) for v in value] if kind is list else str(root / value)
        found[key.replace("-", "_")] = value
    return found


class _KeyLines:
    """Line numbers of the manifest's keys: tomllib gives values, not where they stand."""

    def __init__(self, text: str):
        self.tables: list[int] = []  # line of each [[tool.cursus-codegen.pipelines]]
        self.keys: dict[tuple[int | None, str], int] = {}
        current: int | None | bool = False  # False: another table; None: the main table
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("["):
                header = stripped.strip("[] \t").replace('"', "")
                if header == f"{TABLE}.pipelines" and stripped.startswith("[["):
                    self.tables.append(number)
                    current = len(self.tables) - 1
                else:
                    current = None if header == TABLE else False
                continue
            key = re.match(r"""\s*["']?([A-Za-z0-9_-]+)["']?\s*=""", line)
            if key and current is not False:
                self.keys.setdefault((current, key[1]), number)

    def of(self, index: int | None, key: str) -> int | None:
        return self.keys.get((index, key))

    def table_line(self, index: int | None) -> int:
        return self.tables[index] if index is not None and index < len(self.tables) else 1
