"""Plan -> Python source text, through jinja2 templates (one per SageMaker step kind).

Templates never see raw configuration text: every value reaches them as an `Expr` and leaves
through the `py` filter (repr-based literals and names the generator built itself), and every
piece of free text in a comment or docstring goes through the `text` filter, which escapes
anything that could end the comment or the docstring (comment_text.py).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from cursus_codegen.fs import reads
from cursus_codegen.output.comment_text import shell_lines, text, wrap_text
from cursus_codegen.output.literals import literal
from cursus_codegen.plan import model as m
from cursus_codegen.plan.features import is_processing_output

TEMPLATE_FOR_KIND = {
    "processing": "steps/processing.py.j2",
    "training": "steps/training.py.j2",
    "create_model": "steps/create_model.py.j2",
    "transform": "steps/transform.py.j2",
    "tuning": "steps/tuning.py.j2",  # HyperparameterTuner + TuningStep (plan/tuning.py)
    "sdk": "steps/sdk.py.j2",  # secure-sandbox SDK steps (plan/sdk.py)
}


def pyexpr(expr: m.Expr) -> str:
    """Python source for an expression of the plan."""
    if isinstance(expr, m.Literal):
        return literal(expr.value)
    if isinstance(expr, m.LocalFile):
        return f"_local({literal(expr.relative)})"
    if isinstance(expr, m.Name):
        return expr.identifier
    if isinstance(expr, m.Upstream):
        if is_processing_output(expr):
            return f"_processing_output({expr.step_var}, {literal(expr.path[2])})"
        text = f"{expr.step_var}.properties"
        for segment, is_key in zip(expr.path, expr.keys, strict=True):
            text += f"[{literal(segment)}]" if is_key else f".{segment}"
        return text
    if isinstance(expr, m.OutputJoin):
        values = ", ".join(
            ["self.execution_prefix", *(literal(s) for s in expr.segments)]
        )
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
    if isinstance(expr, m.Regional):
        by_region = ", ".join(
            f"{literal(alias)}: {pyexpr(value)}" for alias, value in expr.values
        )
        return f"self._regional({{{by_region}}})"
    if isinstance(expr, m.DictOf):
        return (
            "{" + "".join(f"{literal(k)}: {pyexpr(v)}, " for k, v in expr.items) + "}"
        )
    raise TypeError(f"not an expression: {type(expr).__name__}")


def value_source(value: object) -> str:
    """A plain value of the plan (job arguments, the cache flag), or its Regional expression."""
    return pyexpr(value) if isinstance(value, m.Regional) else literal(value)


def step_name_source(step: m.StepPlan) -> str:
    """The SageMaker step name: a literal, or each region's name when they differ."""
    if not step.regional_names:
        return literal(step.step_name)
    return pyexpr(m.Regional(tuple((a, m.Literal(n)) for a, n in step.regional_names)))


class _RecordedLoader(jinja2.BaseLoader):
    """`--templates`: each template, and each file a template includes, read through the
    recording read layer (so the manifest cache sees every file rendering read), and only when
    it is a regular file of a bounded size."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Any]:
        # split_template_path refuses '..': a template name never leaves the folder
        path = self.folder.joinpath(*jinja2.loaders.split_template_path(template))
        if reads.kind(path) != "file":
            raise jinja2.TemplateNotFound(template)
        return reads.read_bytes(path).decode("utf-8"), str(path), lambda: True


def _template_loader(override_dir: Path | None) -> jinja2.BaseLoader:
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None:
        loaders.append(_RecordedLoader(override_dir))
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
    env.filters["val"] = value_source
    env.filters["sm_name"] = step_name_source
    env.filters["wrap_text"] = wrap_text
    env.filters["shell_lines"] = shell_lines
    env.globals["zip"] = zip
    return env


class ModuleParts(NamedTuple):
    """The unformatted module in pieces that black can format independently.

    `head` is everything up to the end of the class's own methods; each of `steps` is one
    method of the class (a step with its comment banner, or a step's execution-document data),
    appended to the class body in order; `tail` is the module-level code after the class (the
    values several steps use). `join()` is the whole module.
    """

    head: str
    steps: tuple[str, ...]
    tail: str = ""

    def join(self) -> str:
        body = self.head + "".join(f"\n{source}\n" for source in self.steps)
        return body + (f"\n\n{self.tail}" if self.tail else "")


def render_parts(plan: m.PipelinePlan, override_dir: Path | None = None) -> ModuleParts:
    """The module as a head, one piece per method and a tail (formatted in pieces by emit.py).

    Step methods follow the DAG's declaration order, so adding, removing or renaming a node
    moves no other method; the build order is generate_pipeline()'s. The execution-document
    data of the steps that have one comes after every step method.
    """
    env = environment(override_dir)
    declared = sorted(plan.steps, key=lambda step: step.declared)
    methods = [
        env.get_template(TEMPLATE_FOR_KIND[step.kind]).render(step=step)
        for step in declared
    ]
    step_config = env.get_template("steps/step_config.py.j2")
    for step in declared:
        config = dict(step.extra).get("step_config")
        if config is not None:
            methods.append(
                step_config.render(step=step, s3_locations=s3_locations(config))
            )
    head = env.get_template("module.py.j2").render(plan=plan)
    tail = (
        env.get_template("constants.py.j2").render(plan=plan) if plan.constants else ""
    )
    return ModuleParts(head, tuple(methods), tail)


def s3_locations(expr: m.Expr, path: str = "") -> list[tuple[str, str]]:
    """(field path, value) of every s3:// string in a value, in order."""
    if isinstance(expr, m.Literal):
        return _s3_in_value(expr.value, path)
    items: tuple[tuple[str, m.Expr], ...] = ()
    if isinstance(expr, m.DictOf):
        items = expr.items
    elif isinstance(expr, m.ListOf):
        items = tuple(
            (f"[{position}]", item) for position, item in enumerate(expr.items)
        )
    found = []
    for key, value in items:
        found += s3_locations(value, _join(path, key))
    return found


def _s3_in_value(value: object, path: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)] if value.startswith("s3://") else []
    if isinstance(value, dict):
        return [
            f for k, v in value.items() for f in _s3_in_value(v, _join(path, str(k)))
        ]
    if isinstance(value, (list, tuple)):
        return [
            f
            for i, v in enumerate(value)
            for f in _s3_in_value(v, _join(path, f"[{i}]"))
        ]
    return []


def _join(path: str, key: str) -> str:
    return path + key if key.startswith("[") or not path else f"{path}.{key}"


def render_module(plan: m.PipelinePlan, override_dir: Path | None = None) -> str:
    """The unformatted module source (black runs afterwards in emit.py)."""
    return render_parts(plan, override_dir).join()
