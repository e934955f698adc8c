"""The Python API, for tools that embed the generator; the command line is built on it.

    result = cursus_codegen.generate("dag.py", "cfg.json", output="pipeline_gen.py")
    result.source         # the module, byte for byte what the command writes
    result.diagnostics    # bad input is a diagnostic here, never an exception
    cursus_codegen.check("dag.py", "cfg.json", "pipeline_gen.py").current

Options are the command's long options with "_" for "-" (`line_length=100`, `omit_version=True`,
`steps=["team_steps"]`); several configurations (one per region) are a list. Paths are taken
as the command takes them: relative to the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cursus_codegen import DEFAULT_LINE_LENGTH
from cursus_codegen.diagnostics import Diagnostic, error, has_errors
from cursus_codegen.inputs.files import safe_resolve
from cursus_codegen.run import GenerateRequest, generate as run_generate

PathLike = str | os.PathLike[str]
# Every long option of the command, as a keyword of the API: its type and default.
OPTIONS: dict[str, tuple[type, object]] = {
    "class_name": (str, None), "author": (str, None), "version": (str, None),
    "description": (str, None), "dag_function": (str, None), "exec_dag": (bool, False),
    "project_root": (str, None), "steps": (list, []), "strict": (bool, False),
    "templates": (str, None), "omit_version": (bool, False), "input_hashes": (bool, False),
    "line_length": (int, DEFAULT_LINE_LENGTH), "vendor": (bool, False),
}
_HEADER_FLAGS = ("class_name", "author", "version", "description", "dag_function", "project_root")


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


def generate(dag: PathLike, config: PathLike | Sequence[PathLike], *, output: PathLike | None = None,
             **options: object) -> Result:
    """The module for a DAG and its configuration(s); written to `output` when given."""
    req, problems = request(dag, config, output, options)
    if req is None:
        return Result(None, tuple(problems))
    result = run_generate(req)
    return Result(result.source if not has_errors(result.diagnostics) else None, tuple(result.diagnostics))


def check(dag: PathLike, config: PathLike | Sequence[PathLike], output: PathLike,
          **options: object) -> CheckResult:
    """Compare `output` with what would be generated; nothing is written."""
    req, problems = request(dag, config, output, {**options, "check": True})
    if req is None:
        return CheckResult(False, False, "", tuple(problems))
    result = run_generate(req)
    missing = not Path(output).is_file()
    bad = has_errors(result.diagnostics)
    return CheckResult(not bad and not result.differs, missing and not bad,
                       result.stdout if result.differs else "", tuple(result.diagnostics))


def request(dag: PathLike, config: PathLike | Sequence[PathLike], output: PathLike | None,
            options: Mapping[str, object]) -> tuple[GenerateRequest | None, list[Diagnostic]]:
    """A GenerateRequest from the command's inputs and long options, or the problems with them."""
    values = dict(options)
    modes = {k: bool(values.pop(k, False)) for k in ("check", "diff")}
    problems = _option_problems(values)
    configs = [config] if _is_path(config) else list(config) if isinstance(config, Sequence) else [config]
    for name, value in [("dag", dag), ("output", output or "-")] + [("config", c) for c in configs]:
        if not _is_path(value):
            problems.append(error(f"{name} must be a path, not {type(value).__name__}"))
    if not configs:
        problems.append(error("no configuration given"))
    if problems:
        return None, problems
    configs = [os.fspath(c) for c in configs]
    opts = {name: values.get(name, default) for name, (_, default) in OPTIONS.items()}
    dag_text, out = os.fspath(dag), None if output in (None, "-") else os.fspath(output)
    base = _module_dir(out)
    return GenerateRequest(
        dag_path=Path(dag_text), config_path=Path(configs[0]),
        dag_display=display(dag_text), config_display=display(configs[0]),
        dag_header=from_module(dag_text, base), config_header=from_module(configs[0], base),
        more_configs=tuple((Path(c), display(c), from_module(c, base)) for c in configs[1:]),
        output_path=Path(out) if out else None, output_display=out if out else "-",
        command=regenerate_command(dag_text, configs, out, opts, base),
        class_name=opts["class_name"], author=opts["author"], version=opts["version"],
        description=opts["description"], dag_function=opts["dag_function"],
        exec_dag=opts["exec_dag"], strict=opts["strict"],
        project_root=Path(opts["project_root"]) if opts["project_root"] else None,
        steps_dirs=tuple(Path(d) for d in opts["steps"]),
        steps_headers=tuple(from_module(d, base) for d in opts["steps"]),
        templates_dir=Path(opts["templates"]) if opts["templates"] else None,
        templates_header=from_module(opts["templates"], base) if opts["templates"] else None,
        omit_version=opts["omit_version"], input_hashes=opts["input_hashes"],
        line_length=opts["line_length"], vendor=opts["vendor"], **modes,
    ), []


def _is_path(value: object) -> bool:
    return isinstance(value, (str, os.PathLike)) and bool(os.fspath(value))


def _option_problems(values: Mapping[str, object]) -> list[Diagnostic]:
    problems = []
    for name, value in values.items():
        if name not in OPTIONS:
            problems.append(error(f"unknown option {name!r}; known: {', '.join(OPTIONS)}"))
            continue
        kind = OPTIONS[name][0]
        if value is not None and not (isinstance(value, kind) and (kind is not int or not isinstance(value, bool))):
            problems.append(error(f"option {name!r} must be {kind.__name__}, not {type(value).__name__}"))
        elif kind is list and not all(isinstance(v, str) for v in value):  # type: ignore[union-attr]
            problems.append(error(f"option {name!r} must be a list of paths"))
    return problems


def regenerate_command(dag: str, configs: list[str], out: str | None, opts: Mapping[str, object],
                       base: Path) -> str:
    """The regenerate command for the header, run from the module's folder. It carries every
    option that changes the module's bytes, so `--check` with it reproduces the file."""
    import shlex

    words = ["cursus-codegen", from_module(dag, base), *(from_module(c, base) for c in configs)]
    words += ["-o", Path(out).name if out else "-"]
    for name in _HEADER_FLAGS:
        value = opts[name]
        if value is not None:
            flag = "--" + name.replace("_", "-")
            words += [flag, from_module(str(value), base) if name == "project_root" else str(value)]
    for folder in opts["steps"]:  # type: ignore[union-attr]
        words += ["--steps", from_module(folder, base)]
    if opts["templates"]:
        words += ["--templates", from_module(str(opts["templates"]), base)]
    words += [f"--{flag}" for flag in ("exec-dag", "omit-version", "input-hashes", "vendor")
              if opts[flag.replace("-", "_")]]
    if opts["line_length"] != DEFAULT_LINE_LENGTH:
        words += ["--line-length", str(opts["line_length"])]
    return shlex.join(words)


def display(path: str) -> str:
    """The path for messages: as given, made relative if it was absolute."""
    if os.path.isabs(path):
        try:
            return os.path.relpath(path)
        except ValueError:
            return path
    return path


def from_module(path: str, base: Path) -> str:
    """A path as seen from the generated module's folder (POSIX), for the module's header:
    the regenerate command it records is run from the module's own folder."""
    resolved = safe_resolve(Path(path))
    if resolved is None:  # a symlink loop: the input check reports it
        return Path(path).as_posix()
    try:
        return Path(os.path.relpath(resolved, base)).as_posix()
    except ValueError:  # another drive on Windows: nothing relative exists
        return Path(path).name


def _module_dir(out: str | None) -> Path:
    if not out:
        return Path.cwd()
    return (safe_resolve(Path(out)) or Path(out).absolute()).parent  # a loop: reported later
