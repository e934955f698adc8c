"""What a `--exec-dag` run left behind: the one PipelineDAG it built, read into declarations.

The DAG is a module-level PipelineDAG object, or what a builder function returns (the one named
by --dag-function, else the only zero-argument function that looks like it builds the DAG).
A stand-in PipelineDAG gives the line of every declaration; cursus's own gives none.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Iterable
from typing import Protocol, TypeGuard

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.inputs.dag_exec_stand_in import EVENTS, Event
from cursus_codegen.inputs.declarations import Declaration, EdgeDecl, NodeDecl


class DagLike(Protocol):
    """What is read of a PipelineDAG: cursus's own or the stand-in."""

    @property
    def nodes(self) -> Iterable[object]: ...

    @property
    def edges(self) -> Iterable[object]: ...


def _is_dag(value: object) -> TypeGuard[DagLike]:
    """The stand-in, or a real cursus PipelineDAG (however it was imported)."""
    return (
        type(value).__name__ == "PipelineDAG"
        and hasattr(value, "nodes")
        and hasattr(value, "edges")
    )


def find_dag(
    module: types.ModuleType, dag_function: str | None, filename: str, display_path: str
) -> tuple[DagLike | None, list[Diagnostic]]:
    namespace = module.__dict__
    where = Location(display_path)
    if dag_function not in (None, "<module>"):
        function = namespace.get(dag_function)
        if not callable(function):
            return None, [
                error(f"the DAG file defines no function {dag_function!r}", where)
            ]
        return _call(function, dag_function, where)
    instances = list(
        {id(v): (k, v) for k, v in namespace.items() if _is_dag(v)}.values()
    )
    if len(instances) == 1:
        return instances[0][1], []
    if len(instances) > 1:
        names = ", ".join(k for k, _ in instances)
        return None, [
            error(
                f"the DAG file holds several PipelineDAG objects ({names}); pass --dag-function",
                where,
            )
        ]
    if dag_function == "<module>":
        return None, [
            error("the DAG file holds no module-level PipelineDAG object", where)
        ]
    builders = [(k, v) for k, v in namespace.items() if _builds_dag(k, v, filename)]
    if len(builders) == 1:
        return _call(builders[0][1], builders[0][0], where)
    listing = ", ".join(f"{k} (line {v.__code__.co_firstlineno})" for k, v in builders)
    if builders:
        message = (
            f"several functions may build the DAG: {listing}; pass --dag-function NAME"
        )
    else:
        message = (
            "found no PipelineDAG: no module-level PipelineDAG object and no zero-argument "
            "function named like *dag* or returning a PipelineDAG; pass --dag-function NAME"
        )
    return None, [error(message, where)]


def _builds_dag(name: str, value: object, filename: str) -> bool:
    if not inspect.isfunction(value) or value.__code__.co_filename != filename:
        return False
    parameters = inspect.signature(value).parameters.values()
    if any(
        p.default is p.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        for p in parameters
    ):
        return False
    returns = value.__annotations__.get("return")
    returns_name = (
        returns if isinstance(returns, str) else getattr(returns, "__name__", "")
    )
    return "dag" in name.lower() or returns_name.rsplit(".", 1)[-1] == "PipelineDAG"


def _call(
    function: Callable[[], object], name: str, where: Location
) -> tuple[DagLike | None, list[Diagnostic]]:
    result = function()
    if not _is_dag(result):
        return None, [
            error(
                f"{name}() returned {type(result).__name__}, not a PipelineDAG", where
            )
        ]
    return result, []


def dag_declarations(
    dag: DagLike, display_path: str
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    events: list[Event] | None = getattr(dag, EVENTS, None)
    # A real cursus PipelineDAG: no lines; undeclared (auto-created) nodes left out.
    if events is None:
        declared = getattr(dag, "_declared_nodes", None)
        nodes = [n for n in dag.nodes if declared is None or n in declared]
        events = [("node", n, None) for n in nodes]
        events += [("edge", e, None) for e in dag.edges]
    decls: list[Declaration] = []
    diags: list[Diagnostic] = []
    for kind, values, line in events:
        where = Location(display_path, line)
        if kind == "node":
            decls.append(NodeDecl(values, where))
        elif isinstance(values, (tuple, list)) and len(values) == 2:
            decls.append(EdgeDecl(values[0], values[1], where))
        else:
            diags.append(
                error(f"an edge must be a (src, dst) pair, got {values!r}", where)
            )
    return (None if diags else decls), diags
