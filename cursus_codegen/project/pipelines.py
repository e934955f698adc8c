"""The manifest's pipelines: each `[[tool.cursus-codegen.pipelines]]` table checked into a
`Pipeline`, a table's option keys as the API's keywords, and what two pipelines must not
share (a name, an output, an output that is another's input). Every problem is located.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.fs.writer import relative_problem, target_problem
from cursus_codegen.inputs.files import file_kind
from cursus_codegen.options.checks import manifest_option_problem
from cursus_codegen.options.table import MANIFEST_KEYS
from cursus_codegen.project.key_lines import KeyLines

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Pipeline:
    name: str
    dag: Path  # absolute
    configs: tuple[Path, ...]  # absolute, one per region
    output: Path  # absolute
    # API keywords, paths absolute
    options: dict[str, object] = field(default_factory=dict)
    line: int = 0  # where the pipeline's table starts in pyproject.toml


def read_pipeline(
    entry: object,
    index: int,
    root: Path,
    display: str,
    lines: KeyLines,
    shared: dict[str, object],
    problems: list[Diagnostic],
) -> Pipeline | None:
    """The pipeline table at `index` of the manifest, checked (its own keys, then its option
    keys over the shared ones); None, with its problems appended, when anything is wrong.
    """
    start = lines.table_line(index)
    if not isinstance(entry, dict):
        problems.append(
            error("a pipeline must be a table", Location(display, start, 1))
        )
        return None
    before = len(problems)

    def where(key: str) -> Location:
        return Location(display, lines.of(index, key) or start, 1)

    for key in ("name", "dag", "config", "output"):
        if key not in entry:
            problems.append(
                error(f"pipeline: {key!r} is required", Location(display, start, 1))
            )
    name, dag, config, output = (
        entry.get(k) for k in ("name", "dag", "config", "output")
    )
    for key, value in (("name", name), ("dag", dag), ("output", output)):
        if key in entry and (not isinstance(value, str) or not value):
            problems.append(error(f"{key} must be a non-empty string", where(key)))
        elif isinstance(value, str) and "\0" in value:
            problems.append(error(f"{key} holds a NUL character", where(key)))
    if isinstance(name, str) and name and not NAME.fullmatch(name):
        problems.append(
            error(
                f"name {name!r} must be letters, digits, '.', '_' or '-' (at most "
                "100, starting with a letter or digit): it is printed in reports",
                where("name"),
            )
        )
    if isinstance(output, str) and output and "\0" not in output:
        why = relative_problem(output) or target_problem(root, output)
        if why is not None:
            problems.append(
                error(
                    f"output {output!r} cannot be written inside the repository "
                    f"({display}'s folder): {why}",
                    where("output"),
                )
            )
    configs = [config] if isinstance(config, str) else config
    if "config" in entry and (
        not isinstance(configs, list)
        or not configs
        or not all(isinstance(c, str) and c and "\0" not in c for c in configs)
    ):
        problems.append(
            error("config must be a path or a non-empty list of paths", where("config"))
        )
    options = table_options(
        entry,
        root,
        display,
        lines,
        index,
        problems,
        allowed={"name", "dag", "config", "output"},
    )
    if len(problems) > before:
        return None
    # the checks above refused any other
    assert isinstance(name, str) and isinstance(dag, str) and isinstance(output, str)
    assert isinstance(configs, list)
    for key, value in [("dag", dag)] + [("config", c) for c in configs]:
        kind = file_kind(root / value)
        if kind == "no such file":
            problems.append(
                error(
                    f"{key}: {value!r} does not exist (paths are relative to "
                    f"{display})",
                    where(key),
                )
            )
        elif kind is not None:
            problems.append(error(f"{key}: {value!r} {kind}", where(key)))
    return Pipeline(
        name,
        (root / dag).absolute(),
        tuple((root / c).absolute() for c in configs),
        (root / output).absolute(),
        {**shared, **options},
        start,
    )


def table_options(
    table: dict[str, Any],  # parsed TOML
    root: Path,
    display: str,
    lines: KeyLines,
    index: int | None,
    problems: list[Diagnostic],
    allowed: set[str],
) -> dict[str, object]:
    """The table's option keys as API keywords, each checked by the one option check
    (cursus_codegen/options/); path options made absolute against the manifest's folder.
    """
    found: dict[str, object] = {}
    for key, value in table.items():
        where = Location(
            display, lines.of(index, key) or lines.table_line(index) or 1, 1
        )
        if key in allowed:
            continue
        problem = manifest_option_problem(key, value)
        if problem is not None:
            problems.append(error(problem, where))
            continue
        option = MANIFEST_KEYS[key]
        if option.path:
            value = (
                [str(root / v) for v in value]
                if isinstance(value, list)
                else str(root / value)
            )
        found[option.name] = value
    return found


def shared_path_problems(
    pipelines: list[Pipeline], path: Path, display: str
) -> list[Diagnostic]:
    """Two pipelines writing one module would race in parallel workers and `check` would then
    fail forever; an output must never replace the manifest or any pipeline's input. Paths are
    compared once links and `..` are resolved."""
    problems: list[Diagnostic] = []
    inputs = {os.path.realpath(path): "the manifest itself"}
    for pipe in pipelines:
        inputs.update(
            {
                os.path.realpath(p): f"the {what} of pipeline {pipe.name!r}"
                for what, p in [("DAG", pipe.dag)]
                + [("configuration", c) for c in pipe.configs]
            }
        )
    seen: dict[tuple[str, str], int] = {}
    for pipe in pipelines:
        where = Location(display, pipe.line, 1)
        output = os.path.realpath(pipe.output)
        for what, key in (("pipeline name", pipe.name), ("output", output)):
            shown = (
                pipe.name
                if what == "pipeline name"
                else os.path.relpath(pipe.output, path.parent)
            )
            if (what, key) in seen:
                problems.append(
                    error(
                        f"{what} {shown!r} is used twice (first at line "
                        f"{seen[(what, key)]})",
                        where,
                    )
                )
            else:
                seen[(what, key)] = pipe.line
        if output in inputs:
            problems.append(
                error(
                    f"output {os.path.relpath(pipe.output, path.parent)!r} would "
                    f"overwrite {inputs[output]}",
                    where,
                )
            )
    return problems
