"""Problems found in the inputs, carried as values.

Readers and planners never raise for bad input: they return what they could build together
with a list of `Diagnostic`s. Only the CLI boundary turns them into text and an exit code,
so every problem in a run is reported at once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, optionally a line/column, optionally a JSON pointer."""

    path: str
    line: int | None = None
    col: int | None = None
    pointer: str | None = None

    def __str__(self) -> str:
        text = self.path
        if self.pointer is not None:
            text += "#" + self.pointer
        if self.line is not None:
            text += f":{self.line}"
            if self.col is not None:
                text += f":{self.col}"
        return text


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    message: str
    location: Location | None = None

    def format(self) -> str:
        """One line, whatever the message quotes: a node name, a path or an exception text with
        a newline or a terminal escape cannot forge a second diagnostic or drive the terminal.
        """
        prefix = f"{one_line(str(self.location))}: " if self.location else ""
        return f"{prefix}{self.level.value}: {one_line(self.message)}"


# Control characters, format characters (bidi overrides, zero-width) and line/paragraph
# separators: what would break a diagnostic's single line or reach the terminal as a command.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Zl", "Zp"})


def one_line(text: str) -> str:
    """`text` with every unprintable character written as its Python escape."""
    if text.isprintable():
        return text
    return "".join(
        repr(ch)[1:-1] if unicodedata.category(ch) in _UNPRINTABLE else ch
        for ch in text
    )


def error(message: str, location: Location | None = None) -> Diagnostic:
    return Diagnostic(Level.ERROR, message, location)


def warning(message: str, location: Location | None = None) -> Diagnostic:
    return Diagnostic(Level.WARNING, message, location)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)


def json_pointer(*parts: str | int) -> str:
    """RFC 6901 pointer from raw segments ("~" and "/" escaped)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
