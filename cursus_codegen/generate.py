"""One generation run: plan, render, format, then write / compare / print.

`generate` never raises for bad input: problems come back as diagnostics, and when there is
any error nothing is written, so an existing output file is never damaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Level, Location, error, has_errors
from cursus_codegen.emit import format_source, unified_diff, write_atomically
from cursus_codegen.plan import Options, build_plan
from cursus_codegen.render import render_module


@dataclass(frozen=True)
class GenerateRequest:
    dag_path: Path
    config_path: Path
    dag_display: str
    config_display: str
    output_path: Path | None  # None: stdout
    output_display: str
    command: str
    class_name: str | None = None
    author: str | None = None
    version: str | None = None
    description: str | None = None
    dag_function: str | None = None
    exec_dag: bool = False
    project_root: Path | None = None
    steps_dirs: tuple[Path, ...] = ()
    strict: bool = False
    check: bool = False
    diff: bool = False
    templates_dir: Path | None = None
    dag_header: str | None = None  # the input paths as the module's header shows them
    config_header: str | None = None


@dataclass
class GenerateResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: str | None = None  # the formatted module
    stdout: str = ""
    differs: bool = False


def _output_problems(req: GenerateRequest) -> list[Diagnostic]:
    out = req.output_path
    if out is None:
        return []
    where = Location(req.output_display)
    if out.is_dir():
        return [error("the output path is a directory; give a file name", where)]
    if not out.parent.exists() and str(out.parent) not in ("", "."):
        return [error(f"the output folder {str(out.parent)!r} does not exist", where)]
    resolved = out.resolve()
    for given in (req.dag_path, req.config_path):
        if given.exists() and given.resolve() == resolved:
            return [error("the output would overwrite an input file", where)]
    return []


def _options(req: GenerateRequest) -> Options:
    module_dir = req.output_path.resolve().parent if req.output_path else Path.cwd()
    return Options(
        dag_path=req.dag_path, config_path=req.config_path, dag_display=req.dag_display,
        config_display=req.config_display, module_dir=module_dir, command=req.command,
        dag_header=req.dag_header or req.dag_display,
        config_header=req.config_header or req.config_display,
        class_name=req.class_name, author=req.author, version=req.version,
        description=req.description, dag_function=req.dag_function, exec_dag=req.exec_dag,
        project_root=req.project_root, steps_dirs=req.steps_dirs, strict=req.strict,
    )


def _strict(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    if not strict:
        return diagnostics
    return [replace(d, level=Level.ERROR) for d in diagnostics]


def render_source(req: GenerateRequest) -> GenerateResult:
    """Plan, render and format; no file is touched."""
    result = GenerateResult(diagnostics=_output_problems(req))
    for path, display in ((req.dag_path, req.dag_display), (req.config_path, req.config_display)):
        if not path.is_file():
            result.diagnostics.append(error("no such file", Location(display)))
    if has_errors(result.diagnostics):
        return result
    plan, diagnostics = build_plan(_options(req))
    result.diagnostics += _strict(diagnostics, req.strict)
    if plan is None or has_errors(result.diagnostics):
        return result
    result.source = format_source(render_module(plan, req.templates_dir))
    return result


def generate(req: GenerateRequest, validate_only: bool = False) -> GenerateResult:
    result = render_source(req)
    if result.source is None or validate_only:
        return result
    if req.output_path is None:
        result.stdout = result.source
        return result
    if req.check or req.diff:
        on_disk = req.output_path.read_text(encoding="utf-8") if req.output_path.exists() else ""
        if not req.output_path.exists():
            result.stdout = f"{req.output_display}: missing (would be generated)\n"
        result.stdout += unified_diff(on_disk, result.source, req.output_display)
        result.differs = req.check and on_disk != result.source
        return result
    write_atomically(req.output_path, result.source)
    return result
