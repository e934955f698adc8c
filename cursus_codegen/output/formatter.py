"""One piece of source through black, and the user cache of formatted pieces.

black is pinned exactly in pyproject.toml and called with an explicit Mode, so the consumer's
own pyproject settings never change our bytes. A formatted piece depends only on its source,
the line width and the formatting code (this module and long_strings.py), so it is kept in the
user cache under a key of all three, and used again only when it is that very code, formatted.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from pathlib import Path

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

from cursus_codegen.fs import store
from cursus_codegen.options.table import DEFAULT_LINE_LENGTH
from cursus_codegen.output import long_strings
from cursus_codegen.output.long_strings import wrap_long_strings

# black's own default width (options/table.py DEFAULT_LINE_LENGTH): a deploy repository that
# runs black with its defaults leaves the module as generated, so the two checks never fight.


def black_mode(line_length: int = DEFAULT_LINE_LENGTH) -> black.Mode:
    return black.Mode(
        target_versions={TargetVersion.PY39},
        line_length=line_length,
        string_normalization=True,
        magic_trailing_comma=True,
    )


BLACK_MODE = black_mode()

# No line of a module is longer than this, except a string literal alone on its line.
LONG_LINE_LIMIT = 100

# The code a formatted piece depends on besides black: a change of any is a new cache key.
_FORMATTING_CODE = (__file__, long_strings.__file__)


class EmitError(Exception):
    """The generator produced source that is not valid Python: a bug, never bad input."""


def format_piece(source: str, line_length: int = DEFAULT_LINE_LENGTH) -> str:
    """black, then a line of its own for each string too long for any (long_strings.py).

    The result depends only on the source, the width and the formatting code, so it is kept in
    the user cache under a key of all three: regenerating after a one-step edit formats one step.
    """
    cached = cached_piece(source, line_length)
    if cached is not None:
        return cached
    key = _piece_key(source, line_length)
    mode = black_mode(line_length)
    try:
        formatted = black.format_str(source, mode=mode)
        formatted = wrap_long_strings(
            formatted,
            max(LONG_LINE_LIMIT, line_length),
            lambda text: black.format_str(text, mode=mode),
        )
    # reached only through a generator bug
    except InvalidInput as exc:  # pragma: no cover
        raise EmitError(
            f"generated source does not parse: {exc}\n{numbered(source)}"
        ) from exc
    # a cache that cannot be written: no error
    store.write("formatted", key, formatted.encode("utf-8"))
    return formatted


def cached_piece(source: str, line_length: int) -> str | None:
    """The cached formatting of `source`, or None when there is none to trust."""
    cached = store.read("formatted", _piece_key(source, line_length)).payload
    if cached is None:
        return None
    try:  # the entry must be this very code, formatted: a damaged or forged piece is a miss
        piece = cached.decode("utf-8")
        same = _same_code(ast.parse(piece), ast.parse(source))
    except (UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return piece if same else None


# no arguments: computed once per process
@functools.cache
def _formatter_id() -> str:
    """black's version and the formatting code: a change of either is a new cache key."""
    # black sets __version__ in its __init__ without listing it as an export
    version: str = black.__version__  # type: ignore[attr-defined]
    digest = hashlib.sha256(version.encode())
    for module in _FORMATTING_CODE:
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _same_code(first: ast.AST, second: ast.AST) -> bool:
    """Whether two trees are the same code: node types and fields, positions aside (a walk, about
    three times faster than comparing `ast.dump` texts)."""
    pending: list[tuple[object, object]] = [(first, second)]
    while pending:
        a, b = pending.pop()
        if type(a) is not type(b):
            return False
        if isinstance(a, ast.AST):
            pending += [
                (getattr(a, name, None), getattr(b, name, None)) for name in a._fields
            ]
        elif isinstance(a, list) and isinstance(b, list):  # type(b) is type(a)
            if len(a) != len(b):
                return False
            pending += zip(a, b, strict=True)
        elif a != b:
            return False
    return True


def _piece_key(source: str, line_length: int) -> str:
    return hashlib.sha256(
        f"{_formatter_id()}\0{line_length}\0{source}".encode()
    ).hexdigest()


def numbered(source: str) -> str:
    """`source` with line numbers, for the message of an EmitError."""
    return "\n".join(f"{i:5d}  {line}" for i, line in enumerate(source.splitlines(), 1))
