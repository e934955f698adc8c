"""The literal arguments of the calls that build a DAG, read without running them:
`PipelineDAG(nodes, edges, strict)` as declarations, and `add_node(node)` /
`add_edge(src, dst)` bound to their parameters. What is not a literal raises Unreadable.
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import ensure_type

from cursus_codegen.inputs.declarations import Declaration, EdgeDecl, NodeDecl
from cursus_codegen.inputs.static_literals import Lit, Unreadable, evaluate, plain
from cursus_codegen.inputs.static_source import SourceMetadata

CONSTRUCTOR_PARAMETERS = ("nodes", "edges", "strict")


def constructor_declarations(m: SourceMetadata, call: cst.Call) -> list[Declaration]:
    """The nodes, then the edges, that `PipelineDAG(...)` is given."""
    bound: dict[str, cst.BaseExpression] = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            raise Unreadable(arg, f"`{arg.star}{m.code(arg.value)}` is not a literal")
        positional = (
            CONSTRUCTOR_PARAMETERS[index] if index < len(CONSTRUCTOR_PARAMETERS) else ""
        )
        name = arg.keyword.value if arg.keyword else positional
        if name not in CONSTRUCTOR_PARAMETERS:
            raise Unreadable(
                arg, "PipelineDAG takes nodes, edges and strict", hint=False
            )
        bound[name] = arg.value
    decls: list[Declaration] = []
    for item in _sequence(m, bound.get("nodes")):
        decls.append(NodeDecl(plain(item), m.location(item.node)))
    for item in _sequence(m, bound.get("edges")):
        if not (isinstance(item.value, tuple) and len(item.value) == 2):
            reason = f"an edge must be a (src, dst) pair, got `{m.code(item.node)}`"
            raise Unreadable(item.node, reason, hint=False)
        src, dst = (plain(end) for end in item.value)
        decls.append(EdgeDecl(src, dst, m.location(item.node)))
    return decls


def _sequence(m: SourceMetadata, expr: cst.BaseExpression | None) -> tuple[Lit, ...]:
    if expr is None:
        return ()
    lit = evaluate(expr, {}, m.code)
    if lit.value is None:
        return ()
    if not isinstance(lit.value, tuple):
        raise Unreadable(expr, f"`{m.code(expr)}` is not a literal list", hint=False)
    return lit.value


def call_arguments(
    m: SourceMetadata, call: cst.Call, params: tuple[str, ...], env: dict[str, Lit]
) -> list[Lit]:
    """The values of `params`, in order, that an add_node/add_edge call passes."""
    values: list[Lit] = []
    named: dict[str, Lit] = {}
    for arg in call.args:
        if arg.star == "**":
            raise Unreadable(arg, f"`**{m.code(arg.value)}` is not read")
        lit = evaluate(arg.value, env, m.code)
        if arg.star == "*":
            if not isinstance(lit.value, tuple):
                raise Unreadable(
                    arg.value, f"`{m.code(arg.value)}` is not a literal pair"
                )
            values.extend(lit.value)
        elif arg.keyword:
            named[arg.keyword.value] = lit
        else:
            values.append(lit)
    values += [named.pop(p) for p in params[len(values) :] if p in named]
    if named or len(values) != len(params):
        method = ensure_type(call.func, cst.Attribute).attr.value
        raise Unreadable(call, f"{method} takes ({', '.join(params)})", hint=False)
    return values
