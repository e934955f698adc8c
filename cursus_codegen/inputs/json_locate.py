"""Parse JSON text and remember where every value starts, so errors can name a line.

`json.loads` gives the values (and the standard syntax-error messages with line/column).
A second pass over the now-known-valid text walks the structure with an explicit stack and
records, for each JSON pointer (RFC 6901), the 1-based (line, col) of the value's first
character. Strings and scalars are skipped with the stdlib's own scanners, so escapes,
surrogate pairs and non-ASCII text are handled exactly as the decoder handles them.
Duplicate object keys: the last one wins, as in `json.loads`.
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]  # typeshed omits it
from typing import Any, Protocol

from cursus_codegen.diagnostics import Location, json_pointer

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # the JSON whitespace set, as json.decoder uses
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class ParsedJson:
    value: Any
    positions: Mapping[str, tuple[int, int]]  # JSON pointer -> (line, col) of its value

    def position(self, pointer: str) -> tuple[int, int] | None:
        return self.positions.get(pointer)


class Locator(Protocol):
    """The Location (JSON pointer, plus line:col) of the value at `parts` of a parsed file."""

    def __call__(self, *parts: str | int) -> Location: ...


@dataclass(frozen=True)
class JsonSyntaxError:
    message: str
    line: int
    col: int


def parse_json(text: str) -> ParsedJson | JsonSyntaxError:
    """Decode `text`; a syntax error is returned (never raised) with its line and column."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return JsonSyntaxError(exc.msg, exc.lineno, exc.colno)
    except RecursionError:
        return JsonSyntaxError("nesting too deep", 1, 1)
    except ValueError:  # int()'s digit limit; json gives no position for it
        line, col = _LineIndex(text)(_long_integer_offset(text))
        return JsonSyntaxError(
            f"an integer longer than {sys.get_int_max_str_digits()} digits", line, col
        )
    offsets = _value_offsets(text)
    to_line_col = _LineIndex(text)
    positions = {p: to_line_col(o) for p, o in offsets.items()}
    non_finite = _first_non_finite(value)
    # NaN, Infinity, 1e999: Python's json reads them, JSON has none
    if non_finite is not None:
        line, col = positions.get(non_finite, (1, 1))
        return JsonSyntaxError(
            "NaN and infinite numbers are not JSON numbers", line, col
        )
    return ParsedJson(value, positions)


def _long_integer_offset(text: str) -> int:
    """Where the first over-long integer literal starts (0 when the scan cannot tell)."""
    digits = sys.get_int_max_str_digits() + 1
    found = re.search(rf"(?<![\w.\\\"])-?\d{{{digits},}}", text)
    return found.start() if found else 0


def _first_non_finite(value: Any) -> str | None:
    """The JSON pointer of the first float that is NaN or infinite, walked without recursion."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        pointer, item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return pointer
        if isinstance(item, dict):
            stack.extend(
                (pointer + json_pointer(k), v) for k, v in reversed(list(item.items()))
            )
        elif isinstance(item, list):
            stack.extend(
                (pointer + json_pointer(i), v)
                for i, v in reversed(list(enumerate(item)))
            )
    return None


class _LineIndex:
    """Offset -> (line, col), both 1-based, counting lines on "\\n" like json.decoder."""

    def __init__(self, text: str) -> None:
        self._newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def __call__(self, offset: int) -> tuple[int, int]:
        line_index = bisect.bisect_left(self._newlines, offset)
        line_start = self._newlines[line_index - 1] + 1 if line_index else 0
        return line_index + 1, offset - line_start + 1


def _skip_ws(text: str, pos: int) -> int:
    found = _WHITESPACE.match(text, pos)  # `[...]*` matches everywhere, if only ""
    return found.end() if found is not None else pos


def _value_offsets(text: str) -> dict[str, int]:
    """Character offset of every value in valid JSON `text`, keyed by JSON pointer.

    Iterative (a stack of open containers) so deep nesting cannot overflow Python's stack.
    """
    offsets: dict[str, int] = {}
    stack: list[_Frame] = []
    pointer = ""
    pos = _skip_ws(text, 0)
    while True:
        offsets[pointer] = pos
        opener = text[pos]
        if opener in "{[":
            pos = _skip_ws(text, pos + 1)
            if text[pos] not in "}]":  # non-empty: descend into the first member
                stack.append(_Frame(pointer, opener == "{"))
                pointer, pos = _member_start(text, pos, stack[-1])
                continue
            pos += 1
        else:
            _, pos = _DECODER.raw_decode(text, pos)
        # A value just ended: move to the next sibling, closing containers as they end.
        while stack:
            pos = _skip_ws(text, pos)
            if text[pos] == ",":
                stack[-1].index += 1
                pointer, pos = _member_start(text, _skip_ws(text, pos + 1), stack[-1])
                break
            stack.pop()  # text[pos] is the closing bracket
            pos += 1
        else:
            return offsets


@dataclass
class _Frame:
    """An open container of `_value_offsets`' stack."""

    pointer: str  # of the container
    is_object: bool
    index: int = 0  # of the current member


def _member_start(text: str, pos: int, frame: _Frame) -> tuple[str, int]:
    """Pointer and offset of the member value starting at `pos` (at a key for objects)."""
    if not frame.is_object:
        return frame.pointer + json_pointer(frame.index), pos
    key: str
    key, pos = scanstring(text, pos + 1)  # pos is at the opening quote
    pos = _skip_ws(text, pos)  # now at ":"
    return frame.pointer + json_pointer(key), _skip_ws(text, pos + 1)
