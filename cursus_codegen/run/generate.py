"""One generation run: plan, render, format, then write / compare / print.

`generate` never raises for bad input: problems come back as diagnostics, and when there is
any error nothing is written, so an existing output file is never damaged.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jinja2

from cursus_codegen.catalog import SUFFIXES as STEP_FILE_SUFFIXES
from cursus_codegen.diagnostics import Diagnostic, Level, Location, error, has_errors
from cursus_codegen.outcome import Outcome
from cursus_codegen.output import EmitError, format_module, render_parts
from cursus_codegen.output.class_name import class_name_problem
from cursus_codegen.output.protect import overwrite_problems, uploaded_paths
from cursus_codegen.output.provenance import with_provenance
from cursus_codegen.plan import Options, build_plan
from cursus_codegen.plan import model as m
from cursus_codegen.run.preflight import input_problems, output_problems
from cursus_codegen.run.request import GenerateRequest, GenerateResult, module_dir
from cursus_codegen.run.writes import compare, planned_outputs, write_outputs


def plan_options(req: GenerateRequest) -> Options:
    return Options(
        dag=req.dag,
        configs=req.configs,
        module_dir=module_dir(req) if req.output_path else Path.cwd(),
        command=req.command,
        values=req.options,
    )


def _strict(diagnostics: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    if not strict:
        return diagnostics
    return [replace(d, level=Level.ERROR) for d in diagnostics]


def _provenance(plan: m.PipelinePlan, req: GenerateRequest) -> m.PipelinePlan:
    return with_provenance(
        plan, req.steps, req.templates, STEP_FILE_SUFFIXES, req.options
    )


def plan_for(req: GenerateRequest) -> tuple[m.PipelinePlan | None, list[Diagnostic]]:
    """Every check of generation short of rendering: inputs, resolution, wiring, local files."""
    diagnostics = input_problems(req)
    diagnostics += output_problems(req) if not has_errors(diagnostics) else []
    if has_errors(diagnostics):
        return None, diagnostics
    plan, found = build_plan(plan_options(req))
    diagnostics += _strict(found, req.options["strict"])
    if plan is None or has_errors(diagnostics):
        return None, diagnostics
    return _provenance(plan, req), diagnostics


def _render(
    plan: m.PipelinePlan, req: GenerateRequest
) -> tuple[str | None, list[Diagnostic]]:
    """Render and format. With `--templates`, a template that fails or renders something that
    is not Python is the user's problem (exit 2), reported against the template folder.
    """
    line_length = req.options["line_length"]
    if req.templates is None:
        return format_module(render_parts(plan), line_length=line_length), []
    folder = req.templates.path
    where = Location(str(folder))
    try:
        return (
            format_module(render_parts(plan, folder), line_length=line_length),
            [],
        )
    except jinja2.TemplateSyntaxError as exc:
        place = Location(exc.filename or str(folder), exc.lineno)
        return None, [error(f"template syntax error: {exc.message}", place)]
    except jinja2.TemplateError as exc:
        return None, [error(f"a template failed to render: {exc}", where)]
    except EmitError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else "invalid source"
        return None, [
            error(
                f"the templates rendered code that is not valid Python ({first_line})",
                where,
            )
        ]
    except UnicodeDecodeError as exc:
        return None, [
            error(f"a template is not UTF-8 text (byte offset {exc.start})", where)
        ]
    # the user's template code raised (RecursionError, MemoryError too)
    except Exception as exc:  # noqa: BLE001 - reported as the templates' problem
        return None, [
            error(
                f"a template raised {type(exc).__name__}: {exc}",
                _template_frame(exc, where),
            )
        ]


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


def _class_name_problems(
    plan: m.PipelinePlan, req: GenerateRequest, source: str
) -> list[Diagnostic]:
    problem = class_name_problem(plan.class_name, source)
    if problem is None:
        return []
    if req.options["class_name"] is not None:
        return [error(f"{problem}; choose another", Location("--class-name"))]
    return [
        error(
            f"the class name derived from service_name and model_class: {problem}; "
            "pass --class-name NAME",
            Location(req.configs[0].display),
        )
    ]


def generate(
    req: GenerateRequest, validate_only: bool = False, write: bool = True
) -> GenerateResult:
    """Plan, render and format, then compare (`--check`, `--diff`), print (no output path) or
    write; `write=False` leaves `result.outputs` for the caller to write (the manifest does).
    The result's outcome is FAILED whenever a diagnostic is an error.
    """
    result = _generate(req, validate_only, write)
    if has_errors(result.diagnostics):
        result.outcome = Outcome.FAILED
    return result


def _generate(req: GenerateRequest, validate_only: bool, write: bool) -> GenerateResult:
    result = render_source(req)
    if result.source is None:
        return result
    if validate_only:
        result.outcome = Outcome.VALID
        return result
    if req.output_path is None:
        result.stdout = result.source
        result.outcome = Outcome.PRINTED
        return result
    # --check and --diff too: an output generation would refuse is never "current" or "missing"
    result.diagnostics += overwrite_problems(
        req.output_path,
        req.output_display,
        uploaded_paths(result.plan, module_dir(req)),
    )
    result.outputs = planned_outputs(req, result)
    if result.outputs is None or has_errors(result.diagnostics):
        result.outputs = None
        return result
    if req.check or req.diff:
        return compare(req, result)
    if write:
        result.diagnostics += write_outputs(result.outputs, req.output_display)
    result.outcome = (
        Outcome.WRITTEN
    )  # with write=False: the caller writes result.outputs
    return result
