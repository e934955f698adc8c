"""Read the DAG out of a Jupyter notebook statically: its code cells are read as one .py would
be (see dag_static), and every position is given back as a cell and a line within it.

Nothing in the notebook is executed, not even its `!` shell escapes or `%` magics.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from cursus_codegen.diagnostics import Diagnostic
from cursus_codegen.inputs.dag_static import text_declarations
from cursus_codegen.inputs.declarations import Declaration, EdgeDecl, NodeDecl
from cursus_codegen.inputs.notebook_source import NotebookSource, read_notebook
from cursus_codegen.inputs.static_source import check_source

NOTEBOOK_HINT = "move the DAG function into a .py to execute it with --exec-dag"
NO_EXEC = (
    "--exec-dag does not run notebooks: a .ipynb DAG is read statically only (drop --exec-dag, "
    "or move the DAG function into a .py to execute it)"
)
# CPython's syntax errors name other lines of the source: "... on line 57", "(detected at line 3)"
_LINE_IN_MESSAGE = re.compile(r"\b(on|at) line (\d+)\b")


def notebook_declarations(
    path: Path, display_path: str, dag_function: str | None
) -> tuple[list[Declaration] | None, list[Diagnostic]]:
    notebook, diags = read_notebook(path, display_path)
    if notebook is None:
        return None, diags
    text, diags = check_source(notebook.text, display_path, NOTEBOOK_HINT)
    if text is not None:
        decls, diags = text_declarations(
            text, display_path, dag_function, NOTEBOOK_HINT, notebook.describe
        )
    else:
        decls = None
    diags = [_relocated(d, notebook, display_path) for d in diags]
    if decls is None:
        return None, diags
    return [_relocated(d, notebook, display_path) for d in decls], diags


_Located = TypeVar("_Located", bound=NodeDecl | EdgeDecl | Diagnostic)


def _relocated(item: _Located, notebook: NotebookSource, display_path: str) -> _Located:
    """A declaration or diagnostic with its position in the source given as one in its cell."""
    if isinstance(item, Diagnostic) and item.message.startswith("syntax error: "):
        message = _LINE_IN_MESSAGE.sub(
            lambda m: f"{'in' if m[1] == 'on' else m[1]} {notebook.describe([int(m[2])])}",
            item.message,
        )
        item = replace(item, message=message)
    if item.location is None:
        return item
    return replace(item, location=notebook.location(item.location, display_path))
