"""Uses of the DAG variable that the static reader did not read: may each one change the DAG?

A use that may change it (a call we do not read, an assignment, passing the DAG to a function
we do not know) makes the file unreadable statically, so a DAG is never silently read wrong.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

DAG_METHODS = {"add_node": ("node",), "add_edge": ("src", "dst")}
# Uses of the DAG variable that cannot change it.
READ_ONLY_METHODS = frozenset(
    {"get_dependencies", "topological_sort", "validate_node_declarations"}
)
READ_ONLY_LIST_METHODS = frozenset(
    {"index", "count", "copy", "get", "keys", "values", "items"}
)
HARMLESS_CALLS = frozenset({"print", "len", "repr", "str", "isinstance", "type", "id"})
LOGGER_METHODS = frozenset(
    {"debug", "info", "warning", "error", "exception", "critical"}
)


def use_problem(
    name: cst.Name, parents: Mapping[cst.CSTNode, cst.CSTNode], handled: set[int]
) -> tuple[cst.CSTNode, str] | None:
    """The construct and the reason when this use of the DAG variable may change the DAG
    and was not read; None when it is harmless or was read (`handled`: ids of add_* calls).
    """
    # the DAG variable, then the outermost `.attr` / `[item]` read through it
    top: cst.BaseExpression = name
    context, depth = parents[name], 0
    while isinstance(context, (cst.Attribute, cst.Subscript)) and context.value is top:
        top, context, depth = context, parents[context], depth + 1
    method = top.attr.value if isinstance(top, cst.Attribute) else None
    construct: cst.CSTNode
    if isinstance(context, cst.Call) and context.func is top:
        if depth == 1 and method in DAG_METHODS:
            if id(context) in handled:
                return None
            reason = (
                "add_node/add_edge calls are read only as plain statements or literal "
                "for-loops after the PipelineDAG(...) assignment, in the same block"
            )
        elif (depth == 1 and method in READ_ONLY_METHODS) or (
            depth > 1 and method in READ_ONLY_LIST_METHODS
        ):
            return None
        else:
            reason = "it may change the DAG"
            if depth == 1:
                reason = "only add_node and add_edge calls are read"
        construct = context
    elif is_target(top, context):
        statement = context if isinstance(context, cst.AugAssign) else parents[context]
        construct, reason = statement, "it changes the DAG"
    elif depth > 0 or isinstance(context, (cst.Return, cst.FormattedStringExpression)):
        return None  # reading an attribute, returning or formatting it
    elif isinstance(context, cst.Arg) and harmless_call(parents[context]):
        return None
    else:
        construct = parents[context] if isinstance(context, cst.Arg) else context
        reason = f"`{name.value}` is used as a value here, which may change it"
    return construct, reason


def is_target(node: cst.CSTNode, context: cst.CSTNode) -> bool:
    if isinstance(
        context, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.Del, cst.For)
    ):
        return context.target is node
    return isinstance(context, cst.AsName) and context.name is node


def harmless_call(call: cst.CSTNode) -> bool:
    """print(dag), len(dag), logger.info("%s", dag): calls that only look at the DAG."""
    if not isinstance(call, cst.Call):
        return False
    func = call.func
    if isinstance(func, cst.Name):
        return func.value in HARMLESS_CALLS
    return isinstance(func, cst.Attribute) and func.attr.value in LOGGER_METHODS
