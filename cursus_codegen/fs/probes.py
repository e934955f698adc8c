"""The file-system questions the read layer asks, unrecorded: a path's kind and size, a
bounded read, a folder's listing, a resolution. Each gives the answer a recorded fact keeps
(fs/reads.py records them, and asks them again to see whether a fact still holds).

Reads are bounded and never block: a FIFO, a device or a file over the limit is refused
(`NotReadable`) before a byte is read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

# Far above any real DAG or configuration (the largest corpus configuration is ~0.2 MiB),
# and small enough that reading and parsing stay within seconds and a few hundred MiB.
MAX_INPUT_BYTES = 32 * 1024 * 1024


class NotReadable(OSError):
    """A path that is not a regular file of a bounded size: never opened for reading."""

    def __init__(self, reason: str, size: int = 0):
        super().__init__(reason)
        self.strerror = reason
        self.size = size


def kind(path: str | os.PathLike[str]) -> str:
    """ "file", "dir", "missing", "other" (FIFO, socket, device) or "error:<reason>", links
    followed (a dangling link is "missing")."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    # ELOOP, EACCES, ENOTDIR, a NUL in the path (ValueError below)
    except OSError as exc:
        return "error:" + (exc.strerror or type(exc).__name__)
    except ValueError:
        return "error:invalid path"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def size(path: str | os.PathLike[str]) -> int:
    """The size in bytes, links followed (-1 when it cannot be known)."""
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return -1


def read(path: str | os.PathLike[str], limit: int) -> bytes:
    """The file's bytes; OSError (NotReadable for a FIFO, device, folder or oversized file)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except ValueError:
        raise NotReadable("the path holds a NUL character") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise NotReadable("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable("is not a regular file (a FIFO, socket or device)")
        if info.st_size > limit:
            raise NotReadable(
                f"the file is {info.st_size:,} bytes; more than {limit:,}", info.st_size
            )
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise NotReadable(f"the file is over {limit:,} bytes", len(data))
    return data


def read_answer(path: str | os.PathLike[str], limit: int) -> tuple[bytes | None, str]:
    """The file's bytes (None when it cannot be read) and the answer a fact keeps: their
    sha256, or "!" and why not."""
    try:
        data = read(path, limit)
    except OSError as exc:
        return None, "!" + (exc.strerror or type(exc).__name__)
    return data, hashlib.sha256(data).hexdigest()


def listing(path: str | os.PathLike[str]) -> tuple[list[str] | None, str]:
    """A folder's sorted entry names (None when it cannot be listed) and the answer a fact
    keeps: the sha256 of the names, or "!" and why not."""
    try:
        names = sorted(os.listdir(path))
    except (OSError, ValueError) as exc:
        return None, "!" + type(exc).__name__
    return (
        names,
        hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest(),
    )


def resolved(path: str | os.PathLike[str]) -> str:
    """The absolute, symlink-free path as text; "!" for a symlink loop or an unusable path."""
    try:
        return str(Path(path).resolve())
    # RuntimeError: Python 3.11's symlink loop
    except (OSError, RuntimeError, ValueError):
        return "!"
