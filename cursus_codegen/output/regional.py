"""Which values differ between the regions of a multi-region plan, for `explain`.

Every `Regional` of the plan, with the step it belongs to and the field path where it sits
("environment.BUCKET_NAME", "step_config.dataSources.startDate"), each region's value written
as the module writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cursus_codegen.output.render import pyexpr
from cursus_codegen.plan import model as m


@dataclass(frozen=True)
class RegionalValue:
    node: str  # DAG node ("" for the pipeline itself)
    field: str
    values: tuple[tuple[str, str], ...]  # (alias, Python source of the value)


def regional_values(plan: m.PipelinePlan) -> list[RegionalValue]:
    if not plan.regions:
        return []
    found = [
        RegionalValue("", "pipeline name", tuple((a, repr(n)) for a, n in plan.regions))
    ]
    for step in plan.steps:
        if step.regional_names:
            found.append(
                RegionalValue(
                    step.node,
                    "step name",
                    tuple((a, repr(n)) for a, n in step.regional_names),
                )
            )
        fields = [(k, e) for k, e in step.compute_kwargs]
        fields += [(f"environment.{k}", e) for k, e in step.environment]
        fields += [(k, e) for k, e in step.extra]
        fields += [(f"input {i.name}", i.source) for i in step.inputs]
        fields += [(f"output {o.name}", o.destination) for o in step.outputs]
        fields += [
            (name, getattr(step, name))
            for name in ("job_arguments", "cache_enabled", "code", "source_dir")
        ]
        for path, expr in fields:
            found += [
                RegionalValue(step.node, where, values)
                for where, values in _walk(expr, path)
            ]
    return found


def _walk(expr: object, path: str) -> Iterator[tuple[str, tuple[tuple[str, str], ...]]]:
    """(field path, each region's value as source) of every Regional inside `expr`."""
    if isinstance(expr, m.Regional):
        yield path, tuple((alias, pyexpr(value)) for alias, value in expr.values)
    elif isinstance(expr, m.DictOf):
        for key, value in expr.items:
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(expr, m.ListOf):
        for position, value in enumerate(expr.items):
            yield from _walk(value, f"{path}[{position}]")
    elif isinstance(expr, m.Call):
        for key, value in expr.kwargs:
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(expr, m.SuffixJoin):
        yield from _walk(expr.source, path)
