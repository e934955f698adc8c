"""`--exec-dag`: run the DAG .py (the user opted in) and record the DAG it builds.

When cursus is not importable, `cursus`, `cursus.api`, `cursus.api.dag` and
`cursus.api.dag.base_dag` are stood in for by a minimal `PipelineDAG` that records every node and
edge with the line of the user's code that declared it, so diagnostics point into their file
just as the static reader's do. Nothing else is stubbed: a missing MODS import is reported, not
papered over. Everything the run changes in this process (sys.path, the stand-ins, modules loaded
from the DAG's folder, root logging) is put back afterwards.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import logging
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Protocol, TypeGuard

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.inputs.declarations import (
    Declaration,
    EdgeDecl,
    NodeDecl,
    kahn_order,
    read_bytes,
)

STAND_IN_MODULES = ("cursus", "cursus.api", "cursus.api.dag", "cursus.api.dag.base_dag")
MODULE_NAME = "__cursus_codegen_dag__"
EVENTS = "_cursus_codegen_events"  # attribute of a stand-in PipelineDAG: what was declared, where
# One declaration: ("node", the node, line) or ("edge", the edge as passed, line); the line is
# None when unknown (a real cursus PipelineDAG, or a call made from outside the DAG file).
Event = tuple[str, object, int | None]


class _DagLike(Protocol):
    """What is read of a PipelineDAG: cursus's own or the stand-in."""

    @property
    def nodes(self) -> Iterable[object]: ...

    @property
    def edges(self) -> Iterable[object]: ...


def exec_declarations(
    path: Path, display_path: str, dag_function: str | None
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    data, diags = read_bytes(path, display_path)
    if data is None:
        return None, diags
    filename = str(path.resolve())
    try:
        code = compile(data, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return None, [
            error(
                f"syntax error: {exc.msg}",
                Location(display_path, exc.lineno, exc.offset),
            )
        ]
    except ValueError as exc:  # e.g. NUL bytes
        return None, [
            error(f"cannot compile the DAG file: {exc}", Location(display_path))
        ]
    except (
        MemoryError,
        RecursionError,
    ):  # CPython's compiler gives up on very deep nesting
        return None, [
            error(
                "the DAG file nests expressions too deeply to be compiled",
                Location(display_path),
            )
        ]
    with _sandbox(Path(filename).parent, filename) as module:
        try:
            # Running the user's file is what --exec-dag is for (they opted in).
            exec(code, module.__dict__)  # noqa: S102
            dag, diags = _find_dag(module, dag_function, filename, display_path)
        except KeyboardInterrupt:  # the user's Ctrl-C, not the file's doing
            raise
        # Whatever the file raises, SystemExit and GeneratorExit too, is the file's own doing:
        # it becomes one located diagnostic, never a crash of the generator.
        except BaseException as exc:  # noqa: BLE001 - see above
            return None, [_exception_error(exc, filename, display_path)]
    if dag is None:
        return None, diags
    return _declarations(dag, display_path)


@contextlib.contextmanager
def _sandbox(folder: Path, filename: str) -> Iterator[types.ModuleType]:
    saved_path, saved_modules = list(sys.path), dict(sys.modules)
    saved_handlers, saved_level = (
        list(logging.root.handlers),
        logging.root.level,
    )  # basicConfig
    sys.path.insert(0, str(folder))
    try:
        if _find_spec("cursus") is None:
            sys.modules.update(_stand_in_modules(filename))
        module = types.ModuleType(MODULE_NAME)
        module.__file__ = filename
        sys.modules[MODULE_NAME] = (
            module  # dataclasses and the like look their module up
        )
        with contextlib.redirect_stdout(
            sys.stderr
        ):  # the file's prints are not our output
            yield module
    finally:
        sys.path[:] = saved_path
        logging.root.handlers[:] = saved_handlers
        logging.root.setLevel(saved_level)
        _restore_modules(saved_modules, folder)


def _find_spec(name: str) -> ModuleSpec | None:
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def _restore_modules(saved: dict[str, types.ModuleType], folder: Path) -> None:
    """Drop what only this run could import (stand-ins, the DAG's folder); keep other imports.

    Third-party modules the file imported stay cached: they were importable anyway, and some
    (numpy and its kind) must never be imported twice in one process.
    """
    for name in list(sys.modules):
        if name in saved:
            sys.modules[name] = saved[name]
        elif (
            name in STAND_IN_MODULES
            or name == MODULE_NAME
            or _loaded_from(sys.modules[name], folder)
        ):
            del sys.modules[name]
    for name, module in saved.items():
        sys.modules.setdefault(name, module)


def _loaded_from(module: object, folder: Path) -> bool:
    file = getattr(module, "__file__", None)
    if not file:
        return False
    return Path(file).resolve().is_relative_to(folder)


def _stand_in_modules(filename: str) -> dict[str, types.ModuleType]:
    modules = {name: types.ModuleType(name) for name in STAND_IN_MODULES}
    for name, module in modules.items():
        module.__path__ = (
            []
        )  # a package: `import cursus.api.dag.base_dag` walks through it
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


def _is_dag(value: object) -> TypeGuard[_DagLike]:
    """The stand-in, or a real cursus PipelineDAG (however it was imported)."""
    return (
        type(value).__name__ == "PipelineDAG"
        and hasattr(value, "nodes")
        and hasattr(value, "edges")
    )


def _find_dag(
    module: types.ModuleType, dag_function: str | None, filename: str, display_path: str
) -> tuple[_DagLike | None, list[Diagnostic]]:
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
) -> tuple[_DagLike | None, list[Diagnostic]]:
    result = function()
    if not _is_dag(result):
        return None, [
            error(
                f"{name}() returned {type(result).__name__}, not a PipelineDAG", where
            )
        ]
    return result, []


def _exception_error(
    exc: BaseException, filename: str, display_path: str
) -> Diagnostic:
    """One diagnostic at the innermost line of the user's file; never a traceback."""
    line = None
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == filename:
            line = trace.tb_lineno
        trace = trace.tb_next
    if isinstance(exc, ModuleNotFoundError):
        message = (
            f"executing the DAG file: module {exc.name!r} is not installed "
            f"(--exec-dag stands in only for cursus's PipelineDAG)"
        )
    elif isinstance(exc, SystemExit):
        message = f"executing the DAG file: it called exit({exc.code!r})"
    else:
        message = f"executing the DAG file raised {type(exc).__name__}: {exc}"
    return error(message, Location(display_path, line))


def _declarations(
    dag: _DagLike, display_path: str
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    events: list[Event] | None = getattr(dag, EVENTS, None)
    if (
        events is None
    ):  # a real cursus PipelineDAG: no lines; undeclared (auto-created) nodes left out
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
