"""A DAG .py as text and as a libcst tree: decoded as Python would, checked to parse, and
the positions, parents and scopes the static reader points with."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable, Sequence
from pathlib import Path

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    ScopeProvider,
)

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.inputs.declarations import decode_error, read_bytes

EXEC_HINT = "pass --exec-dag to execute the file instead"
MODULE_SCOPE = "<module>"
TOO_DEEP = "the DAG file nests expressions too deeply to be read"
# libcst's metadata (positions, parents, scopes) costs ~0.8 ms a line: a real DAG file has a
# few hundred lines, and this bound keeps the static reader under ~20 s whatever the input.
MAX_STATIC_LINES = 20_000
# ... and its cost grows with tokens, not lines: 1.9 MB of dense literals in 19,000 lines took
# ~3 minutes and 2-3 GB. A real DAG file is a few KB; this bound keeps dense input under ~25 s.
MAX_STATIC_CHARS = 256 * 1024


def source_text(path: Path, display_path: str) -> tuple[str | None, list[Diagnostic]]:
    """Decode as Python would (coding cookie, else UTF-8) and reject what Python cannot parse."""
    data, diags = read_bytes(path, display_path)
    if data is None:
        return None, diags
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return None, [decode_error(exc, data, display_path, "UTF-8")]
    except SyntaxError as exc:  # a bad coding cookie
        return None, [
            error(f"syntax error: {exc.msg}", Location(display_path, exc.lineno))
        ]
    except LookupError:  # a codec that is not a text encoding (`# coding: hex`)
        return None, [
            error(
                f"the coding cookie names {encoding!r}, which is not a text encoding",
                Location(display_path, 1),
            )
        ]
    return check_source(text, display_path)


def check_source(
    text: str, display_path: str, hint: str = EXEC_HINT
) -> tuple[str | None, list[Diagnostic]]:
    """`text` when it is small enough to read statically and parses as Python, else errors."""
    # a final newline ends a line
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(text) > MAX_STATIC_CHARS:
        message = (
            f"the DAG file has {len(text):,} characters of code; files over "
            f"{MAX_STATIC_CHARS:,} are not read statically ({hint})"
        )
        return None, [error(message, Location(display_path))]
    if lines > MAX_STATIC_LINES:
        message = (
            f"the DAG file has {lines:,} lines; files over {MAX_STATIC_LINES:,} lines are "
            f"not read statically ({hint})"
        )
        return None, [error(message, Location(display_path))]
    try:
        # Only parses (PyCF_ONLY_AST); CPython's message and position are the familiar ones.
        compile(text, display_path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as exc:
        line, col = exc.lineno, exc.offset
        if line is None and "\0" in text:  # CPython gives no position for a NUL byte
            nul = text.index("\0")
            line, col = text.count("\n", 0, nul) + 1, nul - text.rfind("\n", 0, nul)
        return None, [
            error(f"syntax error: {exc.msg}", Location(display_path, line, col))
        ]
    # CPython's parser gives up on very deep nesting
    except (MemoryError, RecursionError):
        return None, [error(TOO_DEEP, Location(display_path))]
    except ValueError as exc:  # e.g. NUL bytes
        return None, [
            error(f"cannot parse the DAG file: {exc}", Location(display_path))
        ]
    return text, []


class SourceMetadata:
    """Positions, parents and scopes of one parsed module, plus how to point at a node."""

    def __init__(
        self,
        wrapper: MetadataWrapper,
        display_path: str,
        hint: str = EXEC_HINT,
        lines: Callable[[Sequence[int]], str] | None = None,
    ):
        self.positions = wrapper.resolve(PositionProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.scopes = wrapper.resolve(ScopeProvider)
        self.module = wrapper.module
        self.display_path = display_path
        # what to do instead when a construct cannot be read statically
        self.hint = hint
        self.lines = lines or python_lines  # how messages name lines of the source

    def location(self, node: cst.CSTNode) -> Location:
        start = self.positions[node].start
        return Location(self.display_path, start.line, start.column + 1)

    def code(self, node: cst.CSTNode, limit: int = 60) -> str:
        text = " ".join(self.module.code_for_node(node).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def scope_name(self, node: cst.CSTNode) -> str:
        names = []
        current = self.parents.get(node)
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.ClassDef)):
                names.append(current.name.value)
            current = self.parents.get(current)
        return ".".join(reversed(names)) or MODULE_SCOPE


def python_lines(lines: Sequence[int]) -> str:
    """`line 3` or `lines 3, 5`: how a message names lines of a .py."""
    if len(lines) == 1:
        return f"line {lines[0]}"
    return "lines " + ", ".join(str(line) for line in lines)
