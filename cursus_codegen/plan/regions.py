"""Several regions' plans of one DAG -> one plan whose differing values are `Regional`.

Each configuration (one per region) is planned on its own, exactly as a single configuration
is; this module then walks the plans side by side. A value every region agrees on stays the
plain value; a value that differs becomes `Regional(((alias, value), ...))`, which the module
writes as `self._regional({"NA": ..., "EU": ...})` at its point of use, so a reviewer compares
the regions in one place. What cannot differ without changing the pipeline's shape (the step
types, the wiring, which settings a step has) is an error naming the node.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from cursus_codegen.plan import model as m

_T = TypeVar("_T")

# Extras the templates read as plain values (`extra[...].value`): they must agree.
FIXED_EXTRAS = ("input_mode", "force_cache_off", "sdk_module", "step_type")


class RegionsDiffer(Exception):
    """The regions' plans differ in something the module cannot show side by side."""


@dataclass(frozen=True)
class RegionPlan:
    alias: str
    steps: tuple[m.StepPlan, ...]


def merge_values(values: list[tuple[str, object]]) -> m.Expr:
    """One expression for a configuration value as each region has it."""
    first = values[0][1]
    if all(_same(v, first) for _, v in values):
        return m.Literal(first)
    dicts = [(a, v) for a, v in values if isinstance(v, dict)]
    if len(dicts) == len(values) and _same_keys([v for _, v in dicts]):
        return m.DictOf(
            tuple(
                (key, merge_values([(a, v[key]) for a, v in dicts]))
                for key in dicts[0][1]
            )
        )
    lists = [(a, v) for a, v in values if isinstance(v, list)]
    if len(lists) == len(values) and len({len(v) for _, v in lists}) == 1:
        return m.ListOf(
            tuple(
                merge_values([(a, v[i]) for a, v in lists])
                for i in range(len(lists[0][1]))
            )
        )
    return m.Regional(tuple((alias, m.Literal(v)) for alias, v in values))


def merge_expr(values: list[tuple[str, m.Expr]], where: str) -> m.Expr:
    """One expression for an expression of the plan as each region has it."""
    first = values[0][1]
    exprs = [e for _, e in values]
    if all(e == first for e in exprs):
        return first
    kinds = {type(e) for e in exprs}
    # Below, every branch first checks that all the expressions are of one kind, then
    # `_as` gives them that type; a branch whose inner check fails falls through to the
    # end (no later branch matches one kind of another).
    if kinds == {m.Literal}:
        return merge_values([(a, e.value) for a, e in _as(values, m.Literal)])
    if kinds == {m.DictOf}:
        dicts = _as(values, m.DictOf)
        if len({tuple(k for k, _ in e.items) for _, e in dicts}) == 1:
            return m.DictOf(
                tuple(
                    (
                        key,
                        merge_expr([(a, dict(e.items)[key]) for a, e in dicts], where),
                    )
                    for key, _ in dicts[0][1].items
                )
            )
    if kinds == {m.ListOf}:
        lists = _as(values, m.ListOf)
        if len({len(e.items) for _, e in lists}) == 1:
            return m.ListOf(
                tuple(
                    merge_expr([(a, e.items[i]) for a, e in lists], where)
                    for i in range(len(lists[0][1].items))
                )
            )
    if kinds == {m.Call}:
        calls = _as(values, m.Call)
        if len({(e.func, tuple(k for k, _ in e.kwargs)) for _, e in calls}) == 1:
            return m.Call(
                calls[0][1].func,
                merge_pairs([(a, e.kwargs) for a, e in calls], where),
            )
    if kinds == {m.SuffixJoin}:
        joins = _as(values, m.SuffixJoin)
        if len({e.suffix for _, e in joins}) == 1:
            return m.SuffixJoin(
                merge_expr([(a, e.source) for a, e in joins], where),
                joins[0][1].suffix,
            )
    if m.Upstream in kinds or m.Name in kinds:
        raise RegionsDiffer(f"{where}: the regions wire it differently")
    return m.Regional(tuple(values))


def _as(values: list[tuple[str, m.Expr]], kind: type[_T]) -> list[tuple[str, _T]]:
    """`values` typed as `kind`: the caller has checked every expression is one."""
    return [(a, e) for a, e in values if isinstance(e, kind)]


def merge_pairs(
    values: list[tuple[str, tuple[tuple[str, m.Expr], ...]]], where: str
) -> tuple[tuple[str, m.Expr], ...]:
    """(name, expr) pairs (keyword arguments, environment entries) as each region has them."""
    names = [tuple(k for k, _ in pairs) for _, pairs in values]
    if len(set(names)) != 1:
        sets = ", ".join(
            f"{alias}: {', '.join(n) or '(none)'}"
            for (alias, _), n in zip(values, names, strict=True)
        )
        raise RegionsDiffer(f"{where}: the regions set different fields ({sets})")
    return tuple(
        (key, merge_expr([(a, pairs[i][1]) for a, pairs in values], f"{where} {key}"))
        for i, key in enumerate(names[0])
    )


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and repr(a) == repr(
        b
    )  # repr: 1 and True, 1 and 1.0 differ


def _same_keys(dicts: Sequence[Mapping[object, object]]) -> bool:
    return len({tuple(d) for d in dicts}) == 1 and all(
        isinstance(k, str) for k in dicts[0]
    )


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
        job_arguments=_merge_plain([(a, s.job_arguments) for a, s in steps]),
        cache_enabled=_merge_plain([(a, s.cache_enabled) for a, s in steps]),
        code=_merge_optional([(a, s.code) for a, s in steps], f"{where} code"),
        source_dir=_merge_optional(
            [(a, s.source_dir) for a, s in steps], f"{where} source_dir"
        ),
        regional_names=_names([(a, s.step_name) for a, s in steps]),
        notes=_merge_notes(steps),
    )


def _merge_plain(values: list[tuple[str, _T]]) -> _T | m.Regional:
    """A plain template value (job arguments, the cache flag): kept when equal, else Regional."""
    first = values[0][1]
    if all(_same(v, first) for _, v in values):
        return first
    return m.Regional(tuple((alias, m.Literal(v)) for alias, v in values))


def _merge_optional(
    values: list[tuple[str, m.Expr | None]], where: str
) -> m.Expr | None:
    if all(v is None for _, v in values):
        return None
    if any(v is None for _, v in values):
        raise RegionsDiffer(f"{where}: set in some regions only")
    return merge_expr([(a, v) for a, v in values if v is not None], where)


def _names(values: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return () if len({name for _, name in values}) == 1 else tuple(values)


def _merge_notes(steps: list[tuple[str, m.StepPlan]]) -> tuple[str, ...]:
    notes = [note for note in steps[0][1].notes]
    for alias, step in steps[1:]:
        notes += [
            f"{alias}: {note}" for note in step.notes if note not in steps[0][1].notes
        ]
    return tuple(notes)
