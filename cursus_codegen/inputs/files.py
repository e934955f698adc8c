"""Which paths the generator may read: regular files of a bounded size, nothing else.

A FIFO would block the run forever, a link to /dev/zero would be read until memory runs out,
and a symlink loop makes `Path.resolve` raise: each is a located error before anything is
read, never a hang or an internal error.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error

# Far above any real DAG or configuration (the largest corpus configuration is ~0.2 MiB),
# and small enough that reading and parsing stay within seconds and a few hundred MiB.
MAX_INPUT_BYTES = 32 * 1024 * 1024


def safe_resolve(path: Path) -> Path | None:
    """The absolute, symlink-free path; None for a symlink loop or an unreadable path."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python 3.11's symlink-loop error
        return None


def file_kind(path: Path) -> str | None:
    """What a path is when it is not a readable regular file (None when it is one)."""
    if str(path) == "-":
        return "'-' (standard input) cannot be read; give a file"
    if safe_resolve(path) is None:
        return "cannot be resolved (a symlink loop?)"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a FIFO, socket or device)"
    return None


def input_file_problem(path: Path, display: str, what: str = "") -> Diagnostic | None:
    """The error for an input that cannot be read safely, else None."""
    where = Location(display)
    prefix = f"{what}: " if what else ""
    kind = file_kind(path)
    if kind is not None:
        return error(prefix + kind, where)
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        return error(f"{prefix}the file is {size:,} bytes; inputs larger than "
                     f"{MAX_INPUT_BYTES:,} bytes are refused", where)
    return None
