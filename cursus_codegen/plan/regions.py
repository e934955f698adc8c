"""Several regions' plans of one DAG -> one plan whose differing values are `Regional`.

Each configuration (one per region) is planned on its own, exactly as a single configuration
is; this module then walks the plans side by side. A value every region agrees on stays the
plain value; a value that differs becomes `Regional(((alias, value), ...))`, which the module
writes as `self._regional({"NA": ..., "EU": ...})` at its point of use, so a reviewer compares
the regions in one place. What cannot differ without changing the pipeline's shape (the step
types, the wiring, which settings a step has) is an error naming the node. Each value is
merged by plan/region_values.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cursus_codegen.plan import model as m
from cursus_codegen.plan.region_values import (
    RegionsDiffer,
    merge_expr,
    merge_optional,
    merge_pairs,
    merge_plain,
)

# Extras the templates read as plain values (`extra[...].value`): they must agree.
FIXED_EXTRAS = ("input_mode", "force_cache_off", "sdk_module", "step_type")


@dataclass(frozen=True)
class RegionPlan:
    alias: str
    steps: tuple[m.StepPlan, ...]


def merge_steps(regions: list[RegionPlan]) -> tuple[m.StepPlan, ...]:
    """The steps of every region as one tuple of steps (raises RegionsDiffer)."""
    first = regions[0]
    for other in regions[1:]:
        if [s.node for s in other.steps] != [s.node for s in first.steps]:
            raise RegionsDiffer(
                f"region {other.alias} builds other steps than {first.alias}"
            )
    return tuple(
        _merge_step([(r.alias, r.steps[i]) for r in regions])
        for i in range(len(first.steps))
    )


def _merge_step(steps: list[tuple[str, m.StepPlan]]) -> m.StepPlan:
    alias0, step = steps[0]
    where = f"DAG node {step.node!r}"
    for alias, other in steps[1:]:
        for name in (
            "step_type",
            "kind",
            "compute_class",
            "assembly",
            "params",
            "depends_on",
            "wires",
        ):
            if getattr(other, name) != getattr(step, name):
                what = "wiring" if name == "wires" else name.replace("_", " ")
                raise RegionsDiffer(
                    f"{where}: the {what} differs between {alias0} and {alias}"
                )
        if step.kind == "transform" and other.cache_enabled != step.cache_enabled:
            raise RegionsDiffer(
                f"{where}: caching differs between {alias0} and {alias}"
            )
        if [(i.name, i.destination) for i in other.inputs] != [
            (i.name, i.destination) for i in step.inputs
        ] or [o.name for o in other.outputs] != [o.name for o in step.outputs]:
            raise RegionsDiffer(
                f"{where}: the inputs or outputs differ between {alias0} and {alias}"
            )
    inputs = tuple(
        replace(
            inp,
            source=merge_expr(
                [(a, s.inputs[i].source) for a, s in steps], f"{where} input {inp.name}"
            ),
        )
        for i, inp in enumerate(step.inputs)
    )
    outputs = tuple(
        replace(
            out,
            destination=merge_expr(
                [(a, s.outputs[i].destination) for a, s in steps],
                f"{where} output {out.name}",
            ),
        )
        for i, out in enumerate(step.outputs)
    )
    extra = merge_pairs([(a, s.extra) for a, s in steps], where)
    for key, value in extra:
        if key in FIXED_EXTRAS and isinstance(value, m.Regional):
            raise RegionsDiffer(f"{where}: {key} differs between regions")
    return replace(
        step,
        inputs=inputs,
        outputs=outputs,
        extra=extra,
        compute_kwargs=merge_pairs([(a, s.compute_kwargs) for a, s in steps], where),
        environment=merge_pairs(
            [(a, s.environment) for a, s in steps], f"{where} environment"
        ),
        job_arguments=merge_plain([(a, s.job_arguments) for a, s in steps]),
        cache_enabled=merge_plain([(a, s.cache_enabled) for a, s in steps]),
        code=merge_optional([(a, s.code) for a, s in steps], f"{where} code"),
        source_dir=merge_optional(
            [(a, s.source_dir) for a, s in steps], f"{where} source_dir"
        ),
        regional_names=_names([(a, s.step_name) for a, s in steps]),
        notes=_merge_notes(steps),
    )


def _names(values: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return () if len({name for _, name in values}) == 1 else tuple(values)


def _merge_notes(steps: list[tuple[str, m.StepPlan]]) -> tuple[str, ...]:
    notes = [note for note in steps[0][1].notes]
    for alias, step in steps[1:]:
        notes += [
            f"{alias}: {note}" for note in step.notes if note not in steps[0][1].notes
        ]
    return tuple(notes)
