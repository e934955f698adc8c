"""What every DAG reader produces: node and edge declarations in program order, and the DAG.

The three readers (dag_json, dag_static, dag_exec) share these types and the two helpers that
read a DAG file's bytes and report an undecodable one, so none of them imports another.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.fs import reads


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


def read_bytes(path: Path, display_path: str) -> tuple[bytes | None, list[Diagnostic]]:
    try:
        return reads.read_bytes(path), []
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return None, [
            error(f"cannot read the DAG file: {reason}", Location(display_path))
        ]


def decode_error(
    exc: UnicodeDecodeError, data: bytes, display_path: str, encoding: str
) -> Diagnostic:
    line = data.count(b"\n", 0, exc.start) + 1
    byte = data[exc.start : exc.start + 1].hex()
    message = f"the DAG file is not {encoding} text: byte 0x{byte} at offset {exc.start} cannot be decoded"
    return error(message, Location(display_path, line))


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
