"""One generation run: plan, render, format, then write / compare / print.

`generate` never raises for bad input: problems come back as diagnostics, and when there is
any error nothing is written, so an existing output file is never damaged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from cursus_codegen import DEFAULT_LINE_LENGTH
from cursus_codegen.catalog import SUFFIXES as STEP_FILE_SUFFIXES
from cursus_codegen.diagnostics import Diagnostic, Level, Location, error, has_errors
from cursus_codegen.fs import reads
from cursus_codegen.inputs.files import input_file_problem
from cursus_codegen.output import EmitError, format_module, outputs, render_parts, unified_diff
from cursus_codegen.output.class_name import class_name_problem
from cursus_codegen.output.protect import (
    output_path_problems,
    overwrite_problems,
    uploaded_paths,
)
from cursus_codegen.output.provenance import folder_files, with_provenance
from cursus_codegen.output.vendor import vendored_copies
from cursus_codegen.plan import Options, build_plan
from cursus_codegen.plan import model as m


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
    steps_headers: tuple[str, ...] = ()  # one per steps_dirs entry, as the header shows it
    templates_header: str | None = None
    omit_version: bool = False  # keep the generator version out of the header
    line_length: int = DEFAULT_LINE_LENGTH  # black's; recorded in the regenerate command
    input_hashes: bool = False  # each input's sha256 in the header (provenance, on request)
    more_configs: tuple[tuple[Path, str, str], ...] = ()  # (path, display, header): other regions
    vendor: bool = False  # copy every uploaded file beside the module (output/vendor.py)


@dataclass
class GenerateResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: str | None = None  # the formatted module
    stdout: str = ""
    differs: bool = False
    plan: m.PipelinePlan | None = None
    outputs: outputs.Outputs | None = None  # what a write would write (None: nothing to write)


def _output_problems(req: GenerateRequest) -> list[Diagnostic]:
    if req.output_path is None:
        return []
    problems = output_path_problems(req.output_path, req.output_display, create_folder=req.vendor)
    return problems or overwrite_problems(req.output_path, req.output_display, read_paths(req))


def read_paths(req: GenerateRequest) -> list[tuple[Path, str]]:
    """The files and folders this run reads, which the output must never replace."""
    paths = [(req.dag_path, "an input file"), (req.config_path, "an input file")]
    paths += [(path, "an input file") for path, _, _ in req.more_configs]
    for folder in req.steps_dirs:
        paths += [(f, "a --steps file") for f in folder_files(folder, STEP_FILE_SUFFIXES, False)]
    if req.templates_dir is not None:
        paths += [(f, "a --templates file") for f in folder_files(req.templates_dir, (".j2",), True)]
    return paths


def _input_problems(req: GenerateRequest) -> list[Diagnostic]:
    problems = []
    inputs = [(req.dag_path, req.dag_display), (req.config_path, req.config_display)]
    for path, display in inputs + [(path, display) for path, display, _ in req.more_configs]:
        problem = input_file_problem(path, display)
        if problem is not None:
            problems.append(problem)
    if req.templates_dir is not None and not reads.is_dir(req.templates_dir):
        problems.append(error("--templates: not a directory", Location(str(req.templates_dir))))
    elif req.templates_dir is not None:  # jinja2 would block on a FIFO, or read /dev/zero forever
        for template in folder_files(req.templates_dir, (".j2",), True):
            problem = input_file_problem(template, str(template), "template")
            problems += [problem] if problem is not None else []
    return problems


def _options(req: GenerateRequest) -> Options:
    module_dir = _module_dir(req) if req.output_path else Path.cwd()
    return Options(
        dag_path=req.dag_path, config_path=req.config_path, dag_display=req.dag_display,
        config_display=req.config_display, module_dir=module_dir, command=req.command,
        dag_header=req.dag_header or req.dag_display,
        config_header=req.config_header or req.config_display,
        class_name=req.class_name, author=req.author, version=req.version,
        description=req.description, dag_function=req.dag_function, exec_dag=req.exec_dag,
        project_root=req.project_root, steps_dirs=req.steps_dirs, strict=req.strict,
        more_configs=req.more_configs, vendor=req.vendor,
    )


def _strict(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    if not strict:
        return diagnostics
    return [replace(d, level=Level.ERROR) for d in diagnostics]


def _module_dir(req: GenerateRequest) -> Path:
    out = req.output_path
    return (reads.resolve(out) or out.absolute()).parent if out is not None else Path.cwd()


def _provenance(plan: m.PipelinePlan, req: GenerateRequest) -> m.PipelinePlan:
    steps = [(folder, header or str(folder)) for folder, header
             in zip(req.steps_dirs, req.steps_headers or (None,) * len(req.steps_dirs))]
    templates = None if req.templates_dir is None else (
        req.templates_dir, req.templates_header or str(req.templates_dir))
    return with_provenance(plan, steps, templates, STEP_FILE_SUFFIXES, req.omit_version,
                           req.input_hashes)


def plan_for(req: GenerateRequest) -> tuple[m.PipelinePlan | None, list[Diagnostic]]:
    """Every check of generation short of rendering: inputs, resolution, wiring, local files."""
    diagnostics = _output_problems(req) + _input_problems(req)
    if has_errors(diagnostics):
        return None, diagnostics
    plan, found = build_plan(_options(req))
    diagnostics += _strict(found, req.strict)
    if plan is None or has_errors(diagnostics):
        return None, diagnostics
    return _provenance(plan, req), diagnostics


def _render(plan: m.PipelinePlan, req: GenerateRequest) -> tuple[str | None, list[Diagnostic]]:
    """Render and format. With `--templates`, a template that fails or renders something that
    is not Python is the user's problem (exit 2), reported against the template folder."""
    if req.templates_dir is None:
        return format_module(render_parts(plan), line_length=req.line_length), []
    where = Location(str(req.templates_dir))
    try:
        return format_module(render_parts(plan, req.templates_dir), line_length=req.line_length), []
    except jinja2.TemplateSyntaxError as exc:
        place = Location(exc.filename or str(req.templates_dir), exc.lineno)
        return None, [error(f"template syntax error: {exc.message}", place)]
    except jinja2.TemplateError as exc:
        return None, [error(f"a template failed to render: {exc}", where)]
    except EmitError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else "invalid source"
        return None, [error(f"the templates rendered code that is not valid Python ({first_line})", where)]
    except UnicodeDecodeError as exc:
        return None, [error(f"a template is not UTF-8 text (byte offset {exc.start})", where)]
    except Exception as exc:  # the user's template code raised (RecursionError, MemoryError too)
        return None, [error(f"a template raised {type(exc).__name__}: {exc}", _template_frame(exc, where))]


def _template_frame(exc: BaseException, fallback: Location) -> Location:
    """The template line that raised: jinja2 puts template frames into the traceback."""
    found = fallback
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = Location(filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_source(req: GenerateRequest) -> GenerateResult:
    """Plan, render and format; no file is touched."""
    plan, diagnostics = plan_for(req)
    result = GenerateResult(diagnostics=diagnostics, plan=plan)
    if plan is None:
        return result
    result.source, problems = _render(plan, req)
    result.diagnostics += problems
    if result.source is not None:
        result.diagnostics += _class_name_problems(plan, req, result.source)
        if has_errors(result.diagnostics):
            result.source = None  # nothing may be written or printed
    return result


def _class_name_problems(plan: m.PipelinePlan, req: GenerateRequest, source: str) -> list[Diagnostic]:
    problem = class_name_problem(plan.class_name, source)
    if problem is None:
        return []
    if req.class_name is not None:
        return [error(f"{problem}; choose another", Location("--class-name"))]
    return [error(f"the class name derived from service_name and model_class: {problem}; "
                  "pass --class-name NAME", Location(req.config_display))]


def _outputs(req: GenerateRequest, result: GenerateResult) -> outputs.Outputs | None:
    """The files a write would write (the module and its vendored copies); every problem with
    them is a diagnostic, decided before anything is written."""
    module_dir = _module_dir(req)
    root = module_dir
    while not os.path.isdir(root) and root != root.parent:  # --vendor creates the folder
        root = root.parent
    prefix = "" if root == module_dir else module_dir.relative_to(root).as_posix()
    copies: list = []
    mirrored: list = []
    if req.vendor:
        copies, mirrored, problems = vendored_copies(result.plan, module_dir)
        inputs = {reads.resolve(path) for path, _ in read_paths(req)}
        problems += [error(f"--vendor: the copy {target} would overwrite an input file", Location(target))
                     for target, source in copies if reads.resolve(module_dir / target) in inputs]
        result.diagnostics += problems
    written = outputs.Outputs(root, prefix, req.output_path.name, result.source, tuple(copies),
                              tuple(mirrored))
    result.diagnostics += [error(f"cannot write {os.path.relpath(written.root / target)}: {why}",
                                 Location(req.output_display))
                           for target, why in outputs.problems(written)]
    return None if has_errors(result.diagnostics) else written


def _compare(req: GenerateRequest, result: GenerateResult) -> GenerateResult:
    """--check / --diff: the diff on stdout, with the output path exactly as given."""
    out = req.output_path
    exists = reads.kind(out) == "file"
    try:
        data = reads.read_bytes(out, limit=1 << 30) if exists else b""
    except OSError as exc:
        result.diagnostics.append(error(f"cannot read the module to compare: {exc.strerror or exc}",
                                        Location(req.output_display)))
        return result
    # A module that is not UTF-8 simply differs; the diff shows it with replacement characters.
    on_disk = data.decode("utf-8", errors="replace")
    if not exists:
        result.stdout = f"{req.output_display}: missing (would be generated)\n"
    result.stdout += unified_diff(on_disk, result.source, req.output_display)
    result.differs = req.check and (not exists or data != result.source.encode("utf-8"))
    if req.vendor and result.outputs is not None:
        lines = outputs.differences(result.outputs)
        result.stdout += "".join(f"{line}\n" for line in lines)
        result.differs = result.differs or (req.check and bool(lines))
    return result


def generate(req: GenerateRequest, validate_only: bool = False, write: bool = True) -> GenerateResult:
    """Plan, render and format, then compare (`--check`, `--diff`), print (no output path) or
    write; `write=False` leaves `result.outputs` for the caller to write (the manifest does)."""
    result = render_source(req)
    if result.source is None or validate_only:
        return result
    if req.output_path is None:
        result.stdout = result.source
        return result
    if not (req.check or req.diff):
        result.diagnostics += overwrite_problems(req.output_path, req.output_display,
                                                 uploaded_paths(result.plan, _module_dir(req)))
    result.outputs = _outputs(req, result)
    if result.outputs is None or has_errors(result.diagnostics):
        result.outputs = None
        return result
    if req.check or req.diff:
        return _compare(req, result)
    if write:
        result.diagnostics += write_outputs(result.outputs, req.output_display)
    return result


def write_outputs(written: outputs.Outputs, display: str) -> list[Diagnostic]:
    """Write a run's files; a full disk or a read-only folder is a diagnostic (the old module is
    intact: every file is replaced atomically, the module after its copies)."""
    try:
        outputs.apply(written)
    except OSError as exc:
        return [error(f"cannot write the module: {exc.strerror or exc}", Location(display))]
    return []
