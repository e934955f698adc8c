"""Plan -> Python source text, through jinja2 templates (one per SageMaker step kind).

Templates never see raw configuration text: every value reaches them as an `Expr` and leaves
through the `py` filter (repr-based literals and names the generator built itself), and every
piece of free text in a comment or docstring goes through the `text` filter, which escapes
anything that could end the comment or the docstring.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import jinja2

from cursus_codegen.plan import model as m

TEMPLATE_FOR_KIND = {
    "processing": "steps/processing.py.j2",
    "training": "steps/training.py.j2",
    "create_model": "steps/create_model.py.j2",
    "transform": "steps/transform.py.j2",
    "tuning": "steps/tuning.py.j2",  # HyperparameterTuner + TuningStep (plan/tuning.py)
    "sdk": "steps/sdk.py.j2",  # secure-sandbox SDK steps (plan/sdk.py)
}


def literal(value: object) -> str:
    """A Python literal for a JSON-like value. repr() of str escapes quotes, newlines and NUL."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({str(value)!r})"
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        body = ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items())
        return "{" + body + "}"
    raise TypeError(f"not a literal value: {type(value).__name__}")


def _is_processing_output(expr: m.Upstream) -> bool:
    """properties.ProcessingOutputConfig.Outputs['X'].S3Output.S3Uri, the most common wire."""
    return (
        len(expr.path) == 5
        and expr.keys == (False, False, True, False, False)
        and (expr.path[0], expr.path[1], expr.path[3], expr.path[4])
        == ("ProcessingOutputConfig", "Outputs", "S3Output", "S3Uri")
    )


def pyexpr(expr: m.Expr) -> str:
    """Python source for an expression of the plan."""
    if isinstance(expr, m.Literal):
        return literal(expr.value)
    if isinstance(expr, m.LocalFile):
        return f"_local({literal(expr.relative)})"
    if isinstance(expr, m.Name):
        return expr.identifier
    if isinstance(expr, m.Upstream):
        if _is_processing_output(expr):
            return f"_processing_output({expr.step_var}, {literal(expr.path[2])})"
        text = f"{expr.step_var}.properties"
        for segment, is_key in zip(expr.path, expr.keys):
            text += f"[{literal(segment)}]" if is_key else f".{segment}"
        return text
    if isinstance(expr, m.OutputJoin):
        values = ", ".join(["self.execution_prefix", *(literal(s) for s in expr.segments)])
        return f'Join(on="/", values=[{values}])'
    if isinstance(expr, m.SuffixJoin):
        return f'Join(on="/", values=[{pyexpr(expr.source)}, {literal(expr.suffix)}])'
    if isinstance(expr, m.Call):
        args = ", ".join(f"{k}={pyexpr(v)}" for k, v in expr.kwargs)
        return f"{expr.func}({args},)" if expr.kwargs else f"{expr.func}()"
    if isinstance(expr, m.ListOf):
        return "[" + "".join(f"{pyexpr(i)}, " for i in expr.items) + "]"
    if isinstance(expr, m.RoleAccountImage):
        return f'(self.execution_role.split(":")[4] + {literal(expr.suffix)})'
    if isinstance(expr, m.DictOf):
        return "{" + "".join(f"{literal(k)}: {pyexpr(v)}, " for k, v in expr.items) + "}"
    raise TypeError(f"not an expression: {type(expr).__name__}")


def text(value: object) -> str:
    """Free text safe inside a `#` comment or a triple-quoted docstring.

    repr() escapes newlines, backslashes and control characters; double quotes are escaped too,
    so no value can close a docstring or start a new line of code.
    """
    return repr(str(value))[1:-1].replace('"', '\\"')


def _template_loader(override_dir: Path | None) -> jinja2.BaseLoader:
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(override_dir)))
    packaged = resources.files("cursus_codegen.templates")
    loaders.append(jinja2.FileSystemLoader(str(packaged)))
    return jinja2.ChoiceLoader(loaders)


def environment(override_dir: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_template_loader(override_dir),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # this is Python source, not HTML; safety comes from `py` and `text`
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["py"] = pyexpr
    env.filters["lit"] = literal
    env.filters["text"] = text
    return env


class ModuleParts(NamedTuple):
    """The unformatted module in pieces that black can format independently.

    `head` is everything up to the end of the class's own methods; each of `steps` is one step
    method (with its comment banner), appended to the class body in order. `join()` is the
    whole module, exactly as the module template renders it.
    """

    head: str
    steps: tuple[str, ...]

    def join(self) -> str:
        return self.head + "".join(f"\n{source}\n" for source in self.steps)


def render_parts(plan: m.PipelinePlan, override_dir: Path | None = None) -> ModuleParts:
    """The module as a head and one piece per step method (formatted in pieces by emit.py)."""
    env = environment(override_dir)
    step_sources = tuple(
        env.get_template(TEMPLATE_FOR_KIND[step.kind]).render(step=step) for step in plan.steps
    )
    head = env.get_template("module.py.j2").render(plan=plan, step_sources=())
    return ModuleParts(head, step_sources)


def render_module(plan: m.PipelinePlan, override_dir: Path | None = None) -> str:
    """The unformatted module source (black runs afterwards in emit.py)."""
    return render_parts(plan, override_dir).join()
