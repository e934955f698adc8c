"""The stand-ins `--exec-dag` puts in place of cursus when cursus is not importable.

`cursus`, `cursus.api`, `cursus.api.dag` and `cursus.api.dag.base_dag` become empty packages
holding a minimal `PipelineDAG`: cursus's lenient behaviour, plus a record of every node and
edge with the line of the user's code that declared it, so diagnostics point into their file.
"""

from __future__ import annotations

import sys
import types

from cursus_codegen.inputs.declarations import kahn_order

STAND_IN_MODULES = ("cursus", "cursus.api", "cursus.api.dag", "cursus.api.dag.base_dag")
# Attribute of a stand-in PipelineDAG: what was declared, where.
EVENTS = "_cursus_codegen_events"
# One declaration: ("node", the node, line) or ("edge", the edge as passed, line); the line is
# None when unknown (a real cursus PipelineDAG, or a call made from outside the DAG file).
Event = tuple[str, object, int | None]


def stand_in_modules(filename: str) -> dict[str, types.ModuleType]:
    """The stand-in modules by name; their PipelineDAG records lines of `filename`."""
    modules = {name: types.ModuleType(name) for name in STAND_IN_MODULES}
    for name, module in modules.items():
        # a package: `import cursus.api.dag.base_dag` walks through it
        module.__path__ = []
        if "." in name:
            parent, _, child = name.rpartition(".")
            setattr(modules[parent], child, module)
    dag_class = _recording_dag_class(filename)
    for name in ("cursus.api", "cursus.api.dag", "cursus.api.dag.base_dag"):
        vars(modules[name])["PipelineDAG"] = dag_class
    return modules


def _recording_dag_class(filename: str) -> type:
    def caller_line() -> int | None:
        frame: types.FrameType | None = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename != filename:
            frame = frame.f_back
        return frame.f_lineno if frame is not None else None

    class PipelineDAG:
        """Stand-in for cursus's PipelineDAG: its lenient behaviour, plus a record of calls."""

        def __init__(
            self,
            nodes: list[str] | None = None,
            edges: list[tuple[str, str]] | None = None,
            strict: bool = False,
        ) -> None:
            self.strict = strict
            self.nodes = nodes or []
            self.edges = edges or []
            line = caller_line()
            events: list[Event] = [("node", n, line) for n in self.nodes]
            events += [("edge", e, line) for e in self.edges]
            setattr(self, EVENTS, events)

        def add_node(self, node: str) -> None:
            getattr(self, EVENTS).append(("node", node, caller_line()))
            if node not in self.nodes:
                self.nodes.append(node)

        def add_edge(self, src: str, dst: str) -> None:
            getattr(self, EVENTS).append(("edge", (src, dst), caller_line()))
            self.nodes.extend(
                n for n in dict.fromkeys((src, dst)) if n not in self.nodes
            )
            if (src, dst) not in self.edges:
                self.edges.append((src, dst))

        def get_dependencies(self, node: str) -> list[str]:
            return [src for src, dst in self.edges if dst == node]

        def topological_sort(self) -> list[str]:
            order = kahn_order(tuple(self.nodes), list(self.edges))
            if len(order) != len(self.nodes):
                raise ValueError("DAG has cycles or disconnected nodes")
            return list(order)

    PipelineDAG.__module__ = "cursus.api.dag.base_dag"
    return PipelineDAG
