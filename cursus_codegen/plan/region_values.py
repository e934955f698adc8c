"""One value or plan expression as each region has it -> one expression: the plain value or
expression when every region agrees, else `Regional(((alias, value), ...))`, merged as deep
inside dicts, lists and calls as the regions' shapes agree. What the module cannot show side
by side (a wire, fields set in some regions only) raises `RegionsDiffer`.
plan/regions.py applies this to every step of the regions' plans.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from cursus_codegen.plan import model as m

_T = TypeVar("_T")


class RegionsDiffer(Exception):
    """The regions' plans differ in something the module cannot show side by side."""


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
    # repr: 1 and True, 1 and 1.0 differ
    return type(a) is type(b) and repr(a) == repr(b)


def _same_keys(dicts: Sequence[Mapping[object, object]]) -> bool:
    return len({tuple(d) for d in dicts}) == 1 and all(
        isinstance(k, str) for k in dicts[0]
    )


def merge_plain(values: list[tuple[str, _T]]) -> _T | m.Regional:
    """A plain template value (job arguments, the cache flag): kept when equal, else Regional."""
    first = values[0][1]
    if all(_same(v, first) for _, v in values):
        return first
    return m.Regional(tuple((alias, m.Literal(v)) for alias, v in values))


def merge_optional(
    values: list[tuple[str, m.Expr | None]], where: str
) -> m.Expr | None:
    """An optional expression (a step's code, its source_dir): None in every region or none."""
    if all(v is None for _, v in values):
        return None
    if any(v is None for _, v in values):
        raise RegionsDiffer(f"{where}: set in some regions only")
    return merge_expr([(a, v) for a, v in values if v is not None], where)
