"""The checks that a parsed notebook is one the DAG reader can use: a JSON object of
nbformat 4 whose cells are objects with a `cell_type` and (for code cells) a text `source`.
Each problem is located by JSON pointer and line:col.
"""

from __future__ import annotations

from cursus_codegen.diagnostics import Diagnostic, Location, error, json_pointer
from cursus_codegen.inputs.json_locate import Locator, ParsedJson


def shape_errors(document: object, where: Locator) -> list[Diagnostic]:
    if not isinstance(document, dict):
        return [error("a notebook must be a JSON object (nbformat 4)", where())]
    version = document.get("nbformat")
    if "nbformat" not in document:
        return [error('missing the "nbformat" key: not a Jupyter notebook', where())]
    if type(version) is not int or version != 4:
        message = (
            f"unsupported nbformat {version!r}: only nbformat 4 notebooks are read"
        )
        return [error(message, where("nbformat"))]
    if not isinstance(document.get("cells"), list):
        if "cells" in document:
            return [error('"cells" must be a list', where("cells"))]
        return [error('missing the "cells" key', where())]
    diags = []
    for index, cell in enumerate(document["cells"]):
        diags += _cell_errors(index, cell, where)
    return diags


def _cell_errors(index: int, cell: object, where: Locator) -> list[Diagnostic]:
    name = f"cell {index + 1}"  # numbered as Jupyter shows it: the position among all cells
    if not isinstance(cell, dict):
        return [error(f"{name} must be a JSON object", where("cells", index))]
    if not isinstance(cell.get("cell_type"), str):
        return [error(f'{name}: "cell_type" must be a string', where("cells", index))]
    if "source" not in cell:
        if cell["cell_type"] != "code":
            return []
        return [error(f'{name}: missing the "source" key', where("cells", index))]
    source = cell["source"]
    if isinstance(source, list):
        for part, item in enumerate(source):
            if not isinstance(item, str):
                message = f'{name}: "source" must be a string or a list of strings'
                return [error(message, where("cells", index, "source", part))]
    elif not isinstance(source, str):
        message = f'{name}: "source" must be a string or a list of strings'
        return [error(message, where("cells", index, "source"))]
    return []


def notebook_locator(parsed: ParsedJson, display_path: str) -> Locator:
    """Location (JSON pointer, plus line:col) of a value of the notebook."""

    def where(*parts: str | int) -> Location:
        pointer = json_pointer(*parts)
        position = parsed.position(pointer)
        line, col = position if position is not None else (None, None)
        return Location(display_path, line, col, pointer or None)

    return where
