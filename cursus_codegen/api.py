"""The Python API, for tools that embed the generator; the command line is built on it.

    result = cursus_codegen.generate("dag.py", "cfg.json", output="pipeline_gen.py")
    result.source         # the module, byte for byte what the command writes
    result.diagnostics    # bad input is a diagnostic here, never an exception
    cursus_codegen.check("dag.py", "cfg.json", "pipeline_gen.py").current

Options are the command's long options with "_" for "-" (`line_length=100`,
`steps=["team_steps"]`); several configurations (one per region) are a list or tuple. Paths
(str or os.PathLike) are taken as the command takes them: relative to the working directory.
Every value is checked as the command checks it (cursus_codegen/options/); a bad one is an
error diagnostic located at the option as the command spells it (`--class-name`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors
from cursus_codegen.inputs.files import safe_resolve
from cursus_codegen.options.checks import option_problem, path_problem
from cursus_codegen.options.table import OPTIONS, Option, Values
from cursus_codegen.outcome import Outcome
from cursus_codegen.run import GenerateRequest
from cursus_codegen.run import generate as run_generate
from cursus_codegen.run.regenerate import input_file, regenerate_command

PathLike = str | os.PathLike[str]
MODES = ("check", "diff")  # the command's modes; the API's check() sets "check" itself


@dataclass(frozen=True)
class Result:
    source: str | None  # the formatted module; None when there is an error
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return self.source is not None and not has_errors(list(self.diagnostics))


@dataclass(frozen=True)
class CheckResult:
    current: bool  # the file on disk is exactly what would be generated
    missing: bool  # the file does not exist
    diff: str  # unified diff, on disk -> generated ("" when current)
    diagnostics: tuple[Diagnostic, ...]


def generate(
    dag: PathLike,
    config: PathLike | Sequence[PathLike],
    *,
    output: PathLike | None = None,
    **options: object,
) -> Result:
    """The module for a DAG and its configuration(s); written to `output` when given."""
    req, problems = request(dag, config, output, options)
    if req is None:
        return Result(None, tuple(problems))
    result = run_generate(req)
    return Result(
        result.source if not has_errors(result.diagnostics) else None,
        tuple(result.diagnostics),
    )


def check(
    dag: PathLike,
    config: PathLike | Sequence[PathLike],
    output: PathLike,
    **options: object,
) -> CheckResult:
    """Compare `output` with what would be generated; nothing is written."""
    req, problems = request(dag, config, output, {**options, "check": True})
    if req is None:
        return CheckResult(False, False, "", tuple(problems))
    result = run_generate(req)
    return CheckResult(
        result.outcome is Outcome.CURRENT,
        result.outcome is Outcome.MISSING,
        result.stdout if result.differs else "",
        tuple(result.diagnostics),
    )


def request(
    dag: PathLike,
    config: PathLike | Sequence[PathLike],
    output: PathLike | None,
    options: Mapping[str, object],
) -> tuple[GenerateRequest | None, list[Diagnostic]]:
    """A GenerateRequest from the command's inputs and long options, or the problems with them:
    every value is checked (cursus_codegen/options/) and nothing raises."""
    values = dict(options)
    modes = {name: values.pop(name, False) for name in MODES}
    configs = list(config) if isinstance(config, (list, tuple)) else [config]
    problems = (
        _mode_problems(modes, output)
        + _option_problems(values)
        + _input_problems(dag, configs, output)
    )
    if problems:
        return None, problems
    paths = [os.fspath(c) for c in configs]  # type: ignore[arg-type]  # checked above
    checked = {
        option.name: _normal(option, values.get(option.name, option.default))
        for option in OPTIONS.values()
    }
    opts = cast(Values, checked)  # each value passed its option's check above
    dag_text = os.fspath(dag)
    out = None if _stdout(output) else os.fspath(output)  # type: ignore[arg-type]  # checked above
    base = _module_dir(out)
    return (
        GenerateRequest(
            dag=input_file(dag_text, base),
            configs=tuple(input_file(c, base) for c in paths),
            output_path=Path(out) if out else None,
            output_display=out if out else "-",
            command=regenerate_command(dag_text, paths, out, opts, base),
            options=opts,
            steps=tuple(input_file(d, base) for d in opts["steps"]),
            templates=(
                input_file(opts["templates"], base) if opts["templates"] else None
            ),
            check=modes["check"] is True,  # each a bool, checked above
            diff=modes["diff"] is True,
        ),
        [],
    )


def _mode_problems(modes: Mapping[str, object], output: object) -> list[Diagnostic]:
    """check and diff: each a bool, at most one, and only with a module to compare with."""
    problems = [
        error(f"{name} must be bool, not {type(value).__name__}", Location(f"--{name}"))
        for name, value in modes.items()
        if not isinstance(value, bool)
    ]
    if not problems and all(modes.values()):
        problems.append(error("check and diff exclude each other"))
    if not problems and any(modes.values()) and _stdout(output):
        problems.append(
            error(
                "check and diff need an output: the file to compare with",
                Location("--output"),
            )
        )
    return problems


def _option_problems(values: Mapping[str, object]) -> list[Diagnostic]:
    """One error per bad option (options/checks.py), located at the option as the
    command line spells it (`--class-name`)."""
    problems = []
    # the API's spelling only: "class-name" is unknown here
    for name, value in values.items():
        problem = (
            option_problem(name, value)
            if name in OPTIONS
            else (f"unknown option {name!r}; known: {', '.join(OPTIONS)}")
        )
        if problem:
            problems.append(
                error(
                    problem, Location(OPTIONS[name].flag) if name in OPTIONS else None
                )
            )
    return problems


def _input_problems(
    dag: object, configs: list[object], output: object
) -> list[Diagnostic]:
    """The inputs as paths: the DAG, each configuration, the module ("-" or None: stdout)."""
    found = [path_problem("dag", dag)]
    found += [
        path_problem("config" if len(configs) == 1 else f"config[{i}]", c)
        for i, c in enumerate(configs)
    ]
    problems = [error(p) for p in found if p]
    if not configs:
        problems.append(error("no configuration given"))
    if not _stdout(output) and (problem := path_problem("output", output)):
        problems.append(error(problem, Location("--output")))
    return problems


def _stdout(output: object) -> bool:
    return output is None or (isinstance(output, str) and output == "-")


def _normal(option: Option, value: object) -> object:
    """A checked value with its paths as str."""
    if value is None or not option.path:
        return value
    if option.kind is list:
        return tuple(os.fspath(v) for v in value)  # type: ignore[attr-defined]  # checked: a list of paths
    return os.fspath(value)  # type: ignore[call-overload]  # checked: a path


def _module_dir(out: str | None) -> Path:
    if not out:
        return Path.cwd()
    # safe_resolve gives None for a link loop: reported later
    return (safe_resolve(Path(out)) or Path(out).absolute()).parent
