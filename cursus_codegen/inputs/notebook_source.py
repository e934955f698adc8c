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

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.fs import reads
from cursus_codegen.inputs.declarations import decode_error, read_bytes
from cursus_codegen.inputs.files import MAX_INPUT_BYTES
from cursus_codegen.inputs.json_locate import JsonSyntaxError, parse_json
from cursus_codegen.inputs.logical_lines import LineState
from cursus_codegen.inputs.notebook_shape import notebook_locator, shape_errors
from cursus_codegen.inputs.static_source import MAX_STATIC_LINES

# the line ends Python's tokenizer knows, no others
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MAGIC = re.compile(r"[%!]|[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*[%!]")


@dataclass(frozen=True)
class NotebookSource:
    text: str
    # per line of `text`: (cell number, line in the cell)
    origins: tuple[tuple[int, int], ...]

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
    # the bound every input has, also when called without the CLI
    if size > MAX_INPUT_BYTES:
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
    where = notebook_locator(parsed, display_path)
    diags = shape_errors(parsed.value, where)
    if diags:
        return None, diags
    return _source(parsed.value["cells"], display_path)


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
    state = LineState()
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
