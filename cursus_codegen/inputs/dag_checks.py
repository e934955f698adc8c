"""cursus's `strict=True` rules, applied once to the declarations of any reader.

Duplicate nodes, edges to undeclared nodes, self-loops, duplicate edges and cycles are
reported alike whatever the DAG's format, each at the declaration that causes it.
"""

from __future__ import annotations

from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors, warning
from cursus_codegen.inputs.declarations import (
    Dag,
    DagEdge,
    DagNode,
    Declaration,
    EdgeDecl,
    NodeDecl,
    kahn_order,
)


def check_declarations(
    decls: list[Declaration], file_location: Location
) -> tuple[Dag | None, list[Diagnostic]]:
    """cursus strict mode over declarations in program order."""
    diags: list[Diagnostic] = []
    nodes: dict[str, DagNode] = {}
    edges: dict[tuple[str, str], DagEdge] = {}
    later = _first_declarations(decls)
    for decl in decls:
        if isinstance(decl, NodeDecl):
            _add_node(decl, nodes, diags)
        else:
            _add_edge(decl, nodes, edges, later, diags)
    if not any(isinstance(decl, NodeDecl) for decl in decls):
        diags.append(error("the DAG is empty: it declares no nodes", file_location))
    if not has_errors(diags):
        diags += _cycle_errors(tuple(nodes), list(edges.values()))
    if has_errors(diags):
        return None, diags
    return Dag(tuple(nodes.values()), tuple(edges.values())), diags


def _name_problem(name: object) -> str | None:
    if not isinstance(name, str):
        return f"node names must be strings, got {name!r}"
    if not name.strip():
        return f"node names must be non-empty, got {name!r}"
    return None


def _first_declarations(decls: list[Declaration]) -> dict[str, Location]:
    first: dict[str, Location] = {}
    for decl in decls:
        if isinstance(decl, NodeDecl) and isinstance(decl.name, str):
            first.setdefault(decl.name, decl.location)
    return first


def _add_node(
    decl: NodeDecl, nodes: dict[str, DagNode], diags: list[Diagnostic]
) -> None:
    name = decl.name
    problem = _name_problem(name)
    if problem:
        diags.append(error(problem, decl.location))
        return
    assert isinstance(name, str)  # _name_problem reports every other value
    if name in nodes:
        first = nodes[name].location
        diags.append(
            error(
                f"node {name!r} is declared twice (first at {first})",
                decl.location,
            )
        )
    else:
        nodes[name] = DagNode(name, decl.location)


def _add_edge(
    decl: EdgeDecl,
    nodes: dict[str, DagNode],
    edges: dict[tuple[str, str], DagEdge],
    later: dict[str, Location],
    diags: list[Diagnostic],
) -> None:
    src, dst = decl.src, decl.dst
    for end in (src, dst):
        problem = _name_problem(end)
        if problem:
            diags.append(error(f"edge endpoint: {problem}", decl.location))
            return
    assert isinstance(src, str) and isinstance(dst, str)  # as _name_problem checked
    label = f"edge {src} -> {dst}"
    if src == dst:
        diags.append(
            error(f"{label}: self-loop (a node cannot depend on itself)", decl.location)
        )
        return
    missing = [end for end in (src, dst) if end not in nodes]
    for end in missing:
        if end in later:
            message = (
                f"{label}: {end!r} is not a declared node yet (it is declared later, at "
                f"{later[end]}); cursus strict mode needs nodes declared before their edges"
            )
        else:
            message = f"{label}: {end!r} is not a declared node"
        diags.append(error(message, decl.location))
    if missing:
        return
    key = (src, dst)
    if key in edges:
        first = edges[key].location
        diags.append(
            warning(f"duplicate {label} dropped (first at {first})", decl.location)
        )
    else:
        edges[key] = DagEdge(src, dst, decl.location)


def _cycle_errors(names: tuple[str, ...], edges: list[DagEdge]) -> list[Diagnostic]:
    """One error per distinct cycle, each named in edge direction from its earliest node."""
    order = kahn_order(names, [(e.src, e.dst) for e in edges])
    done = set(order)
    left = [n for n in names if n not in done]
    position = {n: i for i, n in enumerate(names)}
    reported: set[str] = set()
    diags = []
    for start in left:
        cycle = _walk_back_to_cycle(start, set(left), edges)
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        first = min(range(len(cycle)), key=lambda i: position[cycle[i]])
        cycle = cycle[first:] + cycle[:first]
        closing = next(e for e in edges if e.src == cycle[-1] and e.dst == cycle[0])
        text = " -> ".join(cycle + [cycle[0]])
        diags.append(error(f"cycle: {text}", closing.location))
    return diags


def _walk_back_to_cycle(start: str, left: set[str], edges: list[DagEdge]) -> list[str]:
    """Every node Kahn left over has a left-over predecessor, so walking back must loop."""
    path: list[str] = []
    seen: dict[str, int] = {}
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = next(e.src for e in edges if e.dst == node and e.src in left)
    return list(reversed(path[seen[node] :]))
