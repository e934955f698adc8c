"""Which paths the generator may read: regular files of a bounded size, nothing else.

A FIFO would block the run forever, a link to /dev/zero would be read until memory runs out,
and a symlink loop makes `Path.resolve` raise: each is a located error before anything is
read, never a hang or an internal error. Every probe goes through the recording read layer
(cursus_codegen/fs/reads.py).
"""

from __future__ import annotations

from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.fs import reads
from cursus_codegen.fs.probes import MAX_INPUT_BYTES

__all__ = ["MAX_INPUT_BYTES", "file_kind", "input_file_problem", "safe_resolve"]


def safe_resolve(path: Path) -> Path | None:
    """The absolute, symlink-free path; None for a symlink loop or an unreadable path."""
    return reads.resolve(path)


def file_kind(path: Path) -> str | None:
    """What a path is when it is not a readable regular file (None when it is one)."""
    if str(path) == "-":
        return "'-' (standard input) cannot be read; give a file"
    if "\0" in str(path):
        return "the path holds a NUL character"
    if safe_resolve(path) is None:
        return "cannot be resolved (a symlink loop?)"
    kind = reads.kind(path)
    if kind == "missing":
        return "no such file"
    if kind.startswith("error:"):
        return f"cannot be read: {kind[len('error:'):]}"
    if kind == "dir":
        return "is a directory, not a file"
    if kind == "other":
        return "is not a regular file (a FIFO, socket or device)"
    return None


def input_file_problem(path: Path, display: str, what: str = "") -> Diagnostic | None:
    """The error for an input that cannot be read safely, else None."""
    where = Location(display)
    prefix = f"{what}: " if what else ""
    kind = file_kind(path)
    if kind is not None:
        return error(prefix + kind, where)
    size = reads.size(path)
    if size > MAX_INPUT_BYTES:
        return error(
            f"{prefix}the file is {size:,} bytes; inputs larger than "
            f"{MAX_INPUT_BYTES:,} bytes are refused",
            where,
        )
    return None
