"""A Jupyter notebook (nbformat 4) as one Python source for the static DAG reader; nothing in
it is ever executed.

The code cells, in order, make the source (markdown and raw cells are left out). IPython syntax
is not Python and never runs: a cell whose first line is a `%%` cell magic is left out whole,
and a line magic or shell escape (`%...`, `!...`, `x = %...`, `x = !...` at the start of a
logical line, with its `\\` continuation lines) becomes `pass` at its indentation (then blank
lines), so every other line keeps its text and columns. `NotebookSource` maps each line of the
source back to the cell and the line within it that it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cursus_codegen.diagnostics import Diagnostic, Location, error, json_pointer
from cursus_codegen.fs import reads
from cursus_codegen.inputs.declarations import decode_error, read_bytes
from cursus_codegen.inputs.files import MAX_INPUT_BYTES
from cursus_codegen.inputs.json_locate import (
    JsonSyntaxError,
    Locator,
    ParsedJson,
    parse_json,
)
from cursus_codegen.inputs.static_source import MAX_STATIC_LINES

LINE_BREAK = re.compile(
    r"\r\n|\r|\n"
)  # the line ends Python's tokenizer knows, no others
_MAGIC = re.compile(r"[%!]|[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]")
_SPECIAL = re.compile(
    r"[#\\\"'()\[\]{}]"
)  # what can change the state between two lines
_STRING_STOP = {
    q: re.compile(r"\\.?|" + re.escape(q)) for q in ('"', "'", '"""', "'''")
}


@dataclass(frozen=True)
class NotebookSource:
    text: str
    origins: tuple[
        tuple[int, int], ...
    ]  # per line of `text`: (cell number, line in the cell)

    def place(self, line: int) -> tuple[int, int] | None:
        """(cell, line in the cell) of a 1-based line of `text`; a line past the end (an error
        at the end of the input) counts on from the last line of the last code cell."""
        if not self.origins or line < 1:
            return None
        index = min(line, len(self.origins)) - 1
        cell, cell_line = self.origins[index]
        return cell, cell_line + line - 1 - index

    def location(self, where: Location, display_path: str) -> Location:
        """`where`, a position in `text`, as a position in its cell; other locations as they are."""
        if (
            where.path != display_path
            or where.pointer is not None
            or where.line is None
        ):
            return where
        place = self.place(where.line)
        if place is None:
            return Location(display_path)
        return Location(cell_display(display_path, place[0]), place[1], where.col)

    def describe(self, lines: Sequence[int]) -> str:
        """How messages name lines of the source: `cell 3, line 7` (`lines` of a .py)."""
        places = [self.place(line) or (0, line) for line in lines]
        if len(places) == 1:
            return f"cell {places[0][0]}, line {places[0][1]}"
        return ", ".join(f"cell {cell} line {line}" for cell, line in places)


def cell_display(display_path: str, cell: int) -> str:
    """What a diagnostic prints for a position in a cell: `demo.ipynb (cell 3):7:5`."""
    return f"{display_path} (cell {cell})"


def read_notebook(
    path: Path, display_path: str
) -> tuple[NotebookSource | None, list[Diagnostic]]:
    """The code of an nbformat 4 notebook, or located errors when it is not one."""
    size = reads.size(path)  # -1: read_bytes reports why the file cannot be read
    if (
        size > MAX_INPUT_BYTES
    ):  # the bound every input has, also when called without the CLI
        message = (
            f"the file is {size:,} bytes; inputs larger than {MAX_INPUT_BYTES:,} bytes "
            "are refused"
        )
        return None, [error(message, Location(display_path))]
    data, diags = read_bytes(path, display_path)
    if data is None:
        return None, diags
    try:
        text = data.decode("utf-8-sig")  # nbformat files are UTF-8 JSON
    except UnicodeDecodeError as exc:
        return None, [decode_error(exc, data, display_path, "UTF-8")]
    parsed = parse_json(text)
    if isinstance(parsed, JsonSyntaxError):
        at = Location(display_path, parsed.line, parsed.col)
        return None, [error(f"the notebook is not valid JSON: {parsed.message}", at)]
    where = _locator(parsed, display_path)
    diags = _shape_errors(parsed.value, where)
    if diags:
        return None, diags
    return _source(parsed.value["cells"], display_path)


def _shape_errors(document: object, where: Locator) -> list[Diagnostic]:
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


def _source(
    cells: list[dict[str, Any]], display_path: str
) -> tuple[NotebookSource | None, list[Diagnostic]]:
    chunks: list[tuple[int, list[str]]] = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = (
            cell["source"]
            if isinstance(cell["source"], str)
            else "".join(cell["source"])
        )
        lines = LINE_BREAK.split(source)
        if lines[-1] == "":
            lines.pop()  # the line end of the last line
        first = next((line.lstrip() for line in lines if line.strip()), "")
        if not first.startswith("%%"):  # a cell magic: the whole cell is not Python
            # The cell number is the 1-based position among ALL cells, markdown and raw cells
            # included: the position Jupyter shows, so `cell 3` is the third cell on screen.
            chunks.append((index + 1, lines))
    total = sum(len(lines) for _, lines in chunks)
    if total > MAX_STATIC_LINES:
        message = (
            f"the notebook's code cells have {total:,} lines; DAG sources over "
            f"{MAX_STATIC_LINES:,} lines are not read statically"
        )
        return None, [error(message, Location(display_path))]
    text: list[str] = []
    origins: list[tuple[int, int]] = []
    for cell_number, lines in chunks:
        text += _without_magics(lines)
        origins += [(cell_number, number) for number in range(1, len(lines) + 1)]
    # Joined without a final line end: the source has exactly as many lines as `origins`.
    return NotebookSource("\n".join(text), tuple(origins)), []


def _without_magics(lines: list[str]) -> list[str]:
    """The cell's lines with each IPython magic or shell escape replaced, line for line."""
    state = _LineState()
    result: list[str] = []
    in_magic = False  # on a `\` continuation line of a magic
    for line in lines:
        if in_magic:
            result.append("")
        elif state.at_statement_start() and _MAGIC.match(line.lstrip()):
            result.append(line[: len(line) - len(line.lstrip())] + "pass")
        else:
            result.append(line)
            state.feed(line)
            continue
        in_magic = line.endswith("\\")
    return result


class _LineState:
    """Enough of Python's tokenizer to tell whether a line starts a logical line: open
    brackets, an open string, a `\\` continuation. A misjudged line only ever turns into a
    syntax error: neither `%` nor `!` can start a Python statement."""

    def __init__(self) -> None:
        self.depth, self.quote, self.continued = 0, "", False

    def at_statement_start(self) -> bool:
        return self.depth == 0 and not self.quote and not self.continued

    def feed(self, line: str) -> None:
        pos, self.continued = 0, False
        while True:
            if self.quote:
                stop = _STRING_STOP[self.quote].search(line, pos)
                while stop and stop.group().startswith("\\") and len(stop.group()) == 2:
                    stop = _STRING_STOP[self.quote].search(line, stop.end())
                if (
                    stop is None or stop.group() == "\\"
                ):  # the string goes on (or is broken)
                    if len(self.quote) == 1 and stop is None:
                        self.quote = ""  # an unclosed '...': a syntax error either way
                    return
                pos, self.quote = stop.end(), ""
            found = _SPECIAL.search(line, pos)
            if found is None:
                return
            char, pos = found.group(), found.end()
            if char == "#":
                return
            if char == "\\":
                self.continued = pos == len(line)
                pos += 1
            elif char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            else:
                self.quote = (
                    char * 3 if line.startswith(char * 3, found.start()) else char
                )
                pos = found.start() + len(self.quote)


def _locator(parsed: ParsedJson, display_path: str) -> Locator:
    """Location (JSON pointer, plus line:col) of a value of the notebook."""

    def where(*parts: str | int) -> Location:
        pointer = json_pointer(*parts)
        position = parsed.position(pointer)
        line, col = position if position is not None else (None, None)
        return Location(display_path, line, col, pointer or None)

    return where
