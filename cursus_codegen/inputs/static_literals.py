"""Literal values in a DAG .py, evaluated without running it: strings, numbers, None/True/False,
lists and tuples of them, loop variables and `x[0]` subscripts. Anything else is `Unreadable`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

Code = Callable[[cst.CSTNode], str]  # how a construct is quoted in a message


class Unreadable(Exception):
    """A construct we cannot evaluate; `hint` is False when running the file would fail too."""

    def __init__(self, node: cst.CSTNode, reason: str, hint: bool = True):
        super().__init__(reason)
        self.node, self.reason, self.hint = node, reason, hint


@dataclass(frozen=True)
class Lit:
    # a Python literal (str/bytes, int/float/bool, None), or a tuple of Lit for a list/tuple
    value: tuple[Lit, ...] | str | bytes | int | float | None
    node: cst.CSTNode  # where it is written


def plain(lit: Lit) -> object:
    return (
        tuple(plain(v) for v in lit.value)
        if isinstance(lit.value, tuple)
        else lit.value
    )


def evaluate(expr: cst.BaseExpression, env: dict[str, Lit], code: Code) -> Lit:
    """The value of a literal (strings, numbers, lists/tuples, loop variables, `x[0]`)."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        if expr.evaluated_value is not None:  # None: an f-string inside
            return Lit(expr.evaluated_value, expr)
    elif isinstance(expr, (cst.Integer, cst.Float)):
        return Lit(expr.evaluated_value, expr)
    elif isinstance(expr, cst.Name) and expr.value in env:
        return env[expr.value]
    elif isinstance(expr, cst.Name) and expr.value in ("None", "True", "False"):
        return Lit({"None": None, "True": True, "False": False}[expr.value], expr)
    elif isinstance(expr, (cst.List, cst.Tuple)):
        if not any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return Lit(tuple(evaluate(e.value, env, code) for e in expr.elements), expr)
    elif isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        base = evaluate(expr.value, env, code)
        if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer):
            position = index.value.evaluated_value
            if isinstance(base.value, tuple) and position < len(base.value):
                return base.value[position]
    raise Unreadable(expr, f"`{code(expr)}` is not a literal")


def bind(target: cst.BaseExpression, item: Lit, code: Code) -> dict[str, Lit]:
    """The loop variables of `for <target> in ...` for one item."""
    if isinstance(target, cst.Name):
        return {target.value: item}
    if isinstance(target, (cst.Tuple, cst.List)) and isinstance(item.value, tuple):
        names = [e.value for e in target.elements if isinstance(e.value, cst.Name)]
        if len(names) == len(target.elements) == len(item.value):  # all plain names
            return {n.value: v for n, v in zip(names, item.value, strict=True)}
    reason = f"`{code(target)}` does not unpack `{code(item.node)}`"
    raise Unreadable(item.node, reason)
