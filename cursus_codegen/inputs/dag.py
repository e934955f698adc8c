"""The pipeline DAG: value types, the `read_dag` entry point, and cursus strict-mode checks.

Three readers (dag.json here, a .py read statically, a .py executed on request) all produce the
same thing: the node and edge declarations in program order. `check_declarations` then applies
cursus's `strict=True` rules once for all of them, so every format reports problems alike.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from cursus_codegen.diagnostics import (
    Diagnostic,
    Location,
    error,
    has_errors,
    json_pointer,
    warning,
)


@dataclass(frozen=True)
class DagNode:
    name: str
    location: Location  # where declared


@dataclass(frozen=True)
class DagEdge:
    src: str
    dst: str
    location: Location


@dataclass(frozen=True)
class Dag:
    nodes: tuple[DagNode, ...]  # declaration order, unique
    edges: tuple[DagEdge, ...]  # insertion order, duplicates dropped

    def node_names(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.nodes)

    def predecessors(self, node: str) -> tuple[str, ...]:
        """cursus `get_dependencies`: the sources of the edges into `node`, in edge order."""
        return tuple(e.src for e in self.edges if e.dst == node)

    def build_order(self) -> tuple[str, ...]:
        """cursus `topological_sort`: Kahn, FIFO seeded in node order, successors in edge order."""
        order = kahn_order(self.node_names(), [(e.src, e.dst) for e in self.edges])
        if len(order) != len(self.nodes):
            raise ValueError("DAG has cycles or disconnected nodes")
        return order


@dataclass(frozen=True)
class NodeDecl:
    """One declared node as written; `name` is unchecked (may be any value)."""

    name: object
    location: Location


@dataclass(frozen=True)
class EdgeDecl:
    src: object
    dst: object
    location: Location


Declaration = NodeDecl | EdgeDecl


def read_dag(
    path: Path, display_path: str, dag_function: str | None = None, exec_dag: bool = False
) -> tuple[Dag | None, list[Diagnostic]]:
    """Read a dag.json or a DAG .py; None plus errors when the DAG cannot be used."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        decls, diags = json_declarations(path, display_path)
    elif suffix == ".py" and exec_dag:
        from cursus_codegen.inputs.dag_exec import exec_declarations  # imports this module

        decls, diags = exec_declarations(path, display_path, dag_function)
    elif suffix == ".py":
        from cursus_codegen.inputs.dag_static import static_declarations  # imports this module

        decls, diags = static_declarations(path, display_path, dag_function)
    else:
        message = f"unsupported DAG file type {path.suffix or '(none)'!r}: expected .json or .py"
        return None, [error(message, Location(display_path))]
    if decls is None:
        return None, diags
    dag, check_diags = check_declarations(decls, Location(display_path))
    return dag, diags + check_diags


def read_bytes(path: Path, display_path: str) -> tuple[bytes | None, list[Diagnostic]]:
    try:
        return path.read_bytes(), []
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [error(f"cannot read the DAG file: {reason}", Location(display_path))]


def decode_error(
    exc: UnicodeDecodeError, data: bytes, display_path: str, encoding: str
) -> Diagnostic:
    line = data.count(b"\n", 0, exc.start) + 1
    byte = data[exc.start : exc.start + 1].hex()
    message = f"the DAG file is not {encoding} text: byte 0x{byte} at offset {exc.start} cannot be decoded"
    return error(message, Location(display_path, line))


def json_declarations(
    path: Path, display_path: str
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    """cursus dag.json (`PipelineDAGReader` validation): version major 1, dag.nodes, dag.edges."""
    data, diags = read_bytes(path, display_path)
    if data is None:
        return None, diags
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [decode_error(exc, data, display_path, "UTF-8")]
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [
            error(f"malformed JSON: {exc.msg}", Location(display_path, exc.lineno, exc.colno))
        ]
    where = _json_locator(text, display_path)
    diags = _json_shape_errors(document, where)
    if diags:
        return None, diags
    nodes = document["dag"]["nodes"]
    edges = document["dag"]["edges"]
    decls: list[Declaration] = [NodeDecl(n, where("dag", "nodes", i)) for i, n in enumerate(nodes)]
    decls += [EdgeDecl(e[0], e[1], where("dag", "edges", i)) for i, e in enumerate(edges)]
    return decls, []


def _json_shape_errors(document: object, where) -> list[Diagnostic]:
    if not isinstance(document, dict):
        return [error('a dag.json must be a JSON object with a "dag" key', where())]
    if "version" in document and str(document["version"]).split(".")[0] != "1":
        message = (
            f"unsupported dag.json version {document['version']!r}: only major version 1 is read"
        )
        return [error(message, where("version"))]
    dag = document.get("dag")
    if not isinstance(dag, dict):
        problem = '"dag" must be an object' if "dag" in document else 'missing the "dag" key'
        return [error(problem, where("dag") if "dag" in document else where())]
    diags = []
    for key in ("nodes", "edges"):
        if not isinstance(dag.get(key), list):
            problem = (
                f'"dag.{key}" must be a list' if key in dag else f'missing the "dag.{key}" key'
            )
            diags.append(error(problem, where("dag", key) if key in dag else where("dag")))
    if diags:
        return diags
    for i, edge in enumerate(dag["edges"]):
        if not (isinstance(edge, list) and len(edge) == 2):
            message = f"an edge must be a 2-element list [src, dst], got {json.dumps(edge)}"
            diags.append(error(message, where("dag", "edges", i)))
    return diags


def _json_locator(text: str, display_path: str):
    """Location (JSON pointer, plus line:col when the text scan found the value) of a value."""
    try:
        offsets: dict[str, int] = {}
        _scan_json(text, _skip_space(text, 0), "", offsets)
    except (RecursionError, ValueError, IndexError):
        offsets = {}  # only line numbers are lost; the pointer still says where

    def where(*parts: str | int) -> Location:
        pointer = json_pointer(*parts)
        offset = offsets.get(pointer)
        if offset is None:
            return Location(display_path, pointer=pointer or None)
        line_start = text.rfind("\n", 0, offset) + 1
        line = text.count("\n", 0, offset) + 1
        return Location(display_path, line, offset - line_start + 1, pointer or None)

    return where


_DECODER = json.JSONDecoder()


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _scan_json(text: str, index: int, pointer: str, offsets: dict[str, int]) -> int:
    """Record where each value starts; the text is already known to be valid JSON."""
    offsets[pointer] = index
    opener = text[index]
    if opener not in "[{":
        return _DECODER.raw_decode(text, index)[1]
    closer = "]" if opener == "[" else "}"
    index = _skip_space(text, index + 1)
    position = 0
    while text[index] != closer:
        key: object = position
        if opener == "{":
            key, index = _DECODER.raw_decode(text, index)
            index = _skip_space(text, _skip_space(text, index) + 1)  # past ":"
        index = _scan_json(text, index, pointer + json_pointer(key), offsets)
        index = _skip_space(text, index)
        if text[index] == ",":
            index = _skip_space(text, index + 1)
        position += 1
    return index + 1


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


def _add_node(decl: NodeDecl, nodes: dict[str, DagNode], diags: list[Diagnostic]) -> None:
    problem = _name_problem(decl.name)
    if problem:
        diags.append(error(problem, decl.location))
    elif decl.name in nodes:
        first = nodes[decl.name].location
        diags.append(
            error(f"node {decl.name!r} is declared twice (first at {first})", decl.location)
        )
    else:
        nodes[decl.name] = DagNode(decl.name, decl.location)


def _add_edge(decl, nodes, edges, later, diags) -> None:
    for end in (decl.src, decl.dst):
        if _name_problem(end):
            diags.append(error(f"edge endpoint: {_name_problem(end)}", decl.location))
            return
    label = f"edge {decl.src} -> {decl.dst}"
    if decl.src == decl.dst:
        diags.append(error(f"{label}: self-loop (a node cannot depend on itself)", decl.location))
        return
    missing = [end for end in (decl.src, decl.dst) if end not in nodes]
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
    key = (decl.src, decl.dst)
    if key in edges:
        first = edges[key].location
        diags.append(warning(f"duplicate {label} dropped (first at {first})", decl.location))
    else:
        edges[key] = DagEdge(decl.src, decl.dst, decl.location)


def kahn_order(names: tuple[str, ...], pairs: list[tuple[str, str]]) -> tuple[str, ...]:
    """Kahn's algorithm exactly as cursus runs it; shorter than `names` when there is a cycle."""
    in_degree = {n: 0 for n in names}
    successors: dict[str, list[str]] = {n: [] for n in names}
    for src, dst in pairs:
        successors.setdefault(src, []).append(dst)
        if dst in in_degree:
            in_degree[dst] += 1
    queue = deque(n for n in names if in_degree[n] == 0)
    order: list[str] = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for succ in successors.get(node, []):
            if succ in in_degree:
                in_degree[succ] -= 1
                if in_degree[succ] == 0:
                    queue.append(succ)
    return tuple(order)


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
