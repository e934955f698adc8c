"""The pipeline DAG: `read_dag` picks the reader for the file and applies cursus's checks.

Four readers (dag.json, a .py read statically, a .py executed on request, a Jupyter notebook
read statically) all produce the same thing: the node and edge declarations in program order. `check_declarations` then applies
cursus's `strict=True` rules once for all of them, so every format reports problems alike.
"""

from __future__ import annotations

from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.inputs.dag_checks import check_declarations
from cursus_codegen.inputs.dag_exec import exec_declarations
from cursus_codegen.inputs.dag_json import json_declarations
from cursus_codegen.inputs.declarations import Dag


def read_dag(
    path: Path,
    display_path: str,
    dag_function: str | None = None,
    exec_dag: bool = False,
) -> tuple[Dag | None, list[Diagnostic]]:
    """Read a dag.json, a DAG .py or a notebook; None plus errors when the DAG cannot be used."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        decls, diags = json_declarations(path, display_path)
    elif suffix == ".py" and exec_dag:
        decls, diags = exec_declarations(path, display_path, dag_function)
    elif suffix == ".py":
        # libcst loads only for a .py DAG: a dag.json run never pays for it
        from cursus_codegen.inputs.dag_static import static_declarations

        decls, diags = static_declarations(path, display_path, dag_function)
    elif suffix == ".ipynb":  # read statically only, as a .py is; libcst loads here too
        from cursus_codegen.inputs.dag_notebook import NO_EXEC, notebook_declarations

        if exec_dag:
            return None, [error(NO_EXEC, Location(display_path))]
        decls, diags = notebook_declarations(path, display_path, dag_function)
    else:
        message = (
            f"unsupported DAG file type {path.suffix or '(none)'!r}: "
            "expected .json, .py or .ipynb"
        )
        return None, [error(message, Location(display_path))]
    if decls is None:
        return None, diags
    dag, check_diags = check_declarations(decls, Location(display_path))
    return dag, diags + check_diags
