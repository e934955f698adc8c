"""Source text -> formatted module -> file: black with a fixed mode, a parse check, atomic writes.

black is pinned exactly in pyproject.toml and called in-process with an explicit Mode, so the
consumer's own pyproject settings never change our bytes.
"""

from __future__ import annotations

import ast
import difflib
import os
import tempfile
from pathlib import Path

import black

BLACK_MODE = black.Mode(
    target_versions={black.TargetVersion.PY39},
    line_length=100,
    string_normalization=True,
    magic_trailing_comma=True,
)


class EmitError(Exception):
    """The generator produced source that is not valid Python: a bug, never bad input."""


def format_source(source: str) -> str:
    try:
        ast.parse(source)
    except SyntaxError as exc:  # pragma: no cover - reached only through a generator bug
        raise EmitError(f"generated source does not parse: {exc}\n{_numbered(source)}") from exc
    formatted = black.format_str(source, mode=BLACK_MODE)
    ast.parse(formatted)
    return formatted


def _numbered(source: str) -> str:
    return "\n".join(f"{i:5d}  {line}" for i, line in enumerate(source.splitlines(), 1))


def write_atomically(path: Path, content: str) -> None:
    """Write via a temporary file in the same folder and rename it over the target.

    Readers see the old file or the new one, never half of either; on any failure the
    temporary file is removed and the old file is untouched.
    """
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def unified_diff(old: str, new: str, path: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"{path} (on disk)",
        tofile=f"{path} (generated)",
    )
    return "".join(lines)
