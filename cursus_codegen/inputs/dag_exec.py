"""`--exec-dag`: run the DAG .py (the user opted in) and record the DAG it builds.

When cursus is not importable, `cursus`, `cursus.api`, `cursus.api.dag` and
`cursus.api.dag.base_dag` are stood in for by a minimal `PipelineDAG` that records every node and
edge with the line of the user's code that declared it (dag_exec_stand_in), so diagnostics point
into their file just as the static reader's do. Nothing else is stubbed: a missing MODS import is reported, not
papered over. Everything the run changes in this process (sys.path, the stand-ins, modules loaded
from the DAG's folder, root logging) is put back afterwards.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import sys
import types
from collections.abc import Iterator
from importlib.machinery import ModuleSpec
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.inputs.dag_exec_result import dag_declarations, find_dag
from cursus_codegen.inputs.dag_exec_stand_in import STAND_IN_MODULES, stand_in_modules
from cursus_codegen.inputs.declarations import Declaration, read_bytes

MODULE_NAME = "__cursus_codegen_dag__"


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
    # CPython's compiler gives up on very deep nesting
    except (MemoryError, RecursionError):
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
            dag, diags = find_dag(module, dag_function, filename, display_path)
        except KeyboardInterrupt:  # the user's Ctrl-C, not the file's doing
            raise
        # Whatever the file raises, SystemExit and GeneratorExit too, is the file's own doing:
        # it becomes one located diagnostic, never a crash of the generator.
        except BaseException as exc:  # noqa: BLE001 - see above
            return None, [_exception_error(exc, filename, display_path)]
    if dag is None:
        return None, diags
    return dag_declarations(dag, display_path)


@contextlib.contextmanager
def _sandbox(folder: Path, filename: str) -> Iterator[types.ModuleType]:
    saved_path, saved_modules = list(sys.path), dict(sys.modules)
    # what a basicConfig in the file changes
    saved_handlers, saved_level = list(logging.root.handlers), logging.root.level
    sys.path.insert(0, str(folder))
    try:
        if _find_spec("cursus") is None:
            sys.modules.update(stand_in_modules(filename))
        module = types.ModuleType(MODULE_NAME)
        module.__file__ = filename
        # dataclasses and the like look their module up
        sys.modules[MODULE_NAME] = module
        # the file's prints are not our output
        with contextlib.redirect_stdout(sys.stderr):
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
