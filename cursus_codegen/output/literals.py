"""Configuration values -> Python literals a reviewer can read and diff line by line.

Every value leaves as repr() pieces, never as pasted text. A multi-line string (SQL, a
script, pretty-printed JSON) becomes a parenthesised run of per-line literals (implicit
concatenation, the newline inside each piece), so a one-line edit of the value is a one-line
edit of the module. A long single-line string with ", " separators (JSON in an environment
variable) is cut after each separator the same way. The value is unchanged: Python joins the
pieces back into the very same string.
"""

from __future__ import annotations

import math
import re

# A single-line string longer than this is cut at its ", " separators (black's width: shorter
# strings fit on their line anyway).
SPLIT_SINGLE_LINE_AT = 88

# one line with its newline, or a last line without
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_AFTER_SEPARATOR = re.compile(r".*?, |.+$")


def literal(value: object) -> str:
    """A Python literal for a JSON-like value."""
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f"float({str(value)!r})"
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        body = ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items())
        return "{" + body + "}"
    raise TypeError(f"not a literal value: {type(value).__name__}")


def string_pieces(value: str) -> list[str]:
    """The pieces a string is written in: its lines, or a long line cut after each ", "."""
    lines = _LINE.findall(value)
    if len(lines) > 1:
        return lines
    if len(value) > SPLIT_SINGLE_LINE_AT and ", " in value:
        return _AFTER_SEPARATOR.findall(value)
    return [value]


def string_literal(value: str) -> str:
    """repr() of the string, or of each of its pieces inside parentheses.

    repr() escapes quotes, backslashes, control characters and NUL, so no piece can end early;
    adjacent literals in parentheses are one expression wherever a value may stand.
    """
    pieces = string_pieces(value)
    if len(pieces) == 1:
        return repr(value)
    return "(" + " ".join(repr(piece) for piece in pieces) + ")"
