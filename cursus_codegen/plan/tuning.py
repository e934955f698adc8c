"""Tuning steps: the training estimator wrapped in a HyperparameterTuner, built as
`TuningStep(step_args=tuner.fit(inputs=channels))` (reference/cursus-steps.md §1.7; cursus
core/base/builder_templates.py TuningHandler, steps/configs/config_tuning_step_base.py).

The estimator and its channels are exactly the Training planner's; only the search wrapper is
new. Its arguments come from the TuningStepConfigMixin fields, whose validator cursus runs when
it loads the configuration: a malformed search space is an error here, at its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cursus_codegen.plan import model as m
from cursus_codegen.plan.common import compute_of, lit, step_plan
from cursus_codegen.plan.context import NodeContext, UpstreamOf
from cursus_codegen.plan.training import estimator_compute, training_inputs

# search_space kind -> (SDK range class, keys each entry needs); cursus builds the ranges in
# this order (continuous, then integer, then categorical)
RANGE_KINDS = {
    "continuous": ("ContinuousParameter", ("name", "min", "max")),
    "integer": ("IntegerParameter", ("name", "min", "max")),
    "categorical": ("CategoricalParameter", ("name", "values")),
}


def plan_tuning(
    ctx: NodeContext, index: int, params: Sequence[str], upstream_of: UpstreamOf
) -> m.StepPlan:
    cls, kwargs = estimator_compute(ctx)
    inputs = training_inputs(ctx, upstream_of)
    return step_plan(
        ctx, index, params, "tuning", cls, kwargs, inputs, (), extra=tuner_kwargs(ctx)
    )


def tuner_kwargs(ctx: NodeContext) -> tuple[tuple[str, m.Expr], ...]:
    """HyperparameterTuner keyword arguments after `estimator=`, in cursus's order."""
    if compute_of(ctx, "kind").kind == "byo_container" and not ctx.value(
        "metric_definitions"
    ):
        ctx.fail(
            f"node {ctx.node!r}: metric_definitions is required for a byo_container tuning "
            "step: a custom container's objective metric is read from its logs by regex",
            "metric_definitions",
        )
    return (
        ("objective_metric_name", lit(ctx.value("objective_metric_name"))),
        ("objective_type", lit(ctx.value("objective_type", "Maximize"))),
        ("hyperparameter_ranges", parameter_ranges(ctx)),
        ("metric_definitions", lit(ctx.value("metric_definitions"))),
        ("strategy", lit(ctx.value("tuning_strategy", "Bayesian"))),
        ("max_jobs", lit(ctx.value("max_jobs", 20))),
        ("max_parallel_jobs", lit(ctx.value("max_parallel_jobs", 1))),
        ("early_stopping_type", lit(ctx.value("early_stopping_type", "Off"))),
    )


def parameter_ranges(ctx: NodeContext) -> m.DictOf:
    """cursus `_build_parameter_ranges`: {name: ContinuousParameter(min, max, scaling) ...}."""
    space = ctx.value("search_space") or {}
    problem = _search_space_problem(space)
    if problem:
        ctx.fail(f"node {ctx.node!r}: search_space {problem}", "search_space")
        return m.DictOf(())
    # a later entry of the same name replaces it, as in cursus
    ranges: dict[str, m.Expr] = {}
    for kind, (cls, _) in RANGE_KINDS.items():
        for entry in space.get(kind) or []:
            ranges[str(entry["name"])] = m.Call(cls, _range_args(kind, entry))
    return m.DictOf(tuple(ranges.items()))


def _range_args(kind: str, entry: dict[str, Any]) -> tuple[tuple[str, m.Expr], ...]:
    if kind == "categorical":
        return (("values", lit(entry["values"])),)
    return (
        ("min_value", lit(entry["min"])),
        ("max_value", lit(entry["max"])),
        ("scaling_type", lit(entry.get("scaling", "Auto"))),
    )


def _search_space_problem(space: Any) -> str | None:
    """TuningStepConfigMixin._validate_search_space, as a message (None when valid)."""
    if not isinstance(space, dict):
        return "must be a mapping of range kind -> list of ranges"
    unknown = sorted(str(k) for k in space if k not in RANGE_KINDS)
    if unknown:
        return f"has unknown range kinds {unknown}; allowed: {sorted(RANGE_KINDS)}"
    total = 0
    for kind, (_, keys) in RANGE_KINDS.items():
        entries = space.get(kind) or []
        if not isinstance(entries, list):
            return f"{kind} must be a list of ranges"
        for entry in entries:
            missing = [k for k in keys if not isinstance(entry, dict) or k not in entry]
            if missing:
                return f"{kind} entry {entry!r} is missing required key(s) {missing}"
        total += len(entries)
    if total == 0:
        return "must declare at least one tunable range (continuous / integer / categorical)"
    return None
