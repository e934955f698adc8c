"""After black: give a string that is too long for any line a line of its own.

black cannot split a line such as `"fieldName": "<a 120-character field name>",`; it leaves
the line long. Wrapped in parentheses, the same literal is put on a line of its own by black:

    "fieldName": (
        "<a 120-character field name>"
    ),

so the only lines over the limit are lone string pieces, which a reviewer reads as one value.
The parentheses change nothing: `("x")` is the string "x". Only a single-line literal that
follows `:` or `=` (a dict value, a keyword argument, an assignment) is wrapped; a docstring,
a piece of an implicit concatenation or a list item (already alone on its line) never is.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Callable

WRAP_AFTER = {":", "="}
_SKIP = {
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.COMMENT,
    tokenize.INDENT,
    tokenize.DEDENT,
}
# (row, column) where a string token starts and where it ends (tokenize positions)
Span = tuple[tuple[int, int], tuple[int, int]]


def wrap_long_strings(source: str, limit: int, reformat: Callable[[str], str]) -> str:
    """The formatted source with each offending string parenthesised, reformatted."""
    for _ in range(2):  # one pass suffices; the second only confirms
        long_rows = {
            n for n, line in enumerate(source.splitlines(), 1) if len(line) > limit
        }
        if not long_rows:
            return source
        spans = _strings_to_wrap(source, long_rows)
        if not spans:
            return source
        source = reformat(_parenthesise(source, spans))
    return source


def _strings_to_wrap(source: str, long_rows: set[int]) -> list[Span]:
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type not in _SKIP
    ]
    spans: list[Span] = []
    for i, token in enumerate(tokens):
        if token.type != tokenize.STRING or token.start[0] not in long_rows:
            continue
        if token.start[0] != token.end[0] or token.string.endswith(('"""', "'''")):
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if before is None or before.string not in WRAP_AFTER:
            continue
        if after is not None and after.type == tokenize.STRING:
            continue  # a piece of an implicit concatenation
        spans.append((token.start, token.end))
    return spans


def _parenthesise(source: str, spans: list[Span]) -> str:
    lines = source.splitlines(keepends=True)
    for (row, start), (_, end) in reversed(spans):
        line = lines[row - 1]
        lines[row - 1] = line[:start] + "(" + line[start:end] + ")" + line[end:]
    return "".join(lines)
