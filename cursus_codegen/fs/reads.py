"""The recording read layer: every file read and every existence, kind, listing or resolution
probe that shapes a generated module goes through these functions.

Inside `recording()`, each call appends a fact `(probe, absolute path, answer)`; `holds(fact)`
asks the same question again. A cache stores the facts of a run beside its answer and gives
the answer only while every fact still holds, so creating a folder the configuration names, or
editing any file generation read, is a miss. Outside `recording()` nothing is kept.

Reads are bounded and never block: a FIFO, a device or a file over the limit is refused
(`NotReadable`) before a byte is read.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

Fact = tuple[str, str, str]  # (probe, absolute path, answer)
# Far above any real DAG or configuration (the largest corpus configuration is ~0.2 MiB),
# and small enough that reading and parsing stay within seconds and a few hundred MiB.
MAX_INPUT_BYTES = 32 * 1024 * 1024
MAX_WALK = (
    20_000  # entries a folder walk reads (--steps, --templates): far above any real one
)
_FACTS: ContextVar[list[Fact] | None] = ContextVar(
    "cursus_codegen_fs_facts", default=None
)


class NotReadable(OSError):
    """A path that is not a regular file of a bounded size: never opened for reading."""

    def __init__(self, reason: str, size: int = 0):
        super().__init__(reason)
        self.strerror = reason
        self.size = size


@contextmanager
def recording() -> Iterator[list[Fact]]:
    """Collect the facts of every read and probe made inside the block (this context only)."""
    facts: list[Fact] = []
    token = _FACTS.set(facts)
    try:
        yield facts
    finally:
        _FACTS.reset(token)


def _note(probe: str, path: str | os.PathLike[str], answer: str) -> None:
    facts = _FACTS.get()
    if facts is not None:
        facts.append((probe, os.path.abspath(path), answer))


def _kind(path: str | os.PathLike[str]) -> str:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except (
        OSError
    ) as exc:  # ELOOP, EACCES, ENOTDIR, a NUL in the path (ValueError below)
        return "error:" + (exc.strerror or type(exc).__name__)
    except ValueError:
        return "error:invalid path"
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def kind(path: str | os.PathLike[str]) -> str:
    """ "file", "dir", "missing", "other" (FIFO, socket, device) or "error:<reason>", links
    followed (a dangling link is "missing")."""
    answer = _kind(path)
    _note("kind", path, answer)
    return answer


def exists(path: str | os.PathLike[str]) -> bool:
    return kind(path) in ("file", "dir", "other")


def is_dir(path: str | os.PathLike[str]) -> bool:
    return kind(path) == "dir"


def is_file(path: str | os.PathLike[str]) -> bool:
    return kind(path) == "file"


def _size(path: str | os.PathLike[str]) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return -1


def size(path: str | os.PathLike[str]) -> int:
    """The size in bytes, links followed (-1 when it cannot be known)."""
    answer = _size(path)
    _note("size", path, str(answer))
    return answer


def is_link(path: str | os.PathLike[str]) -> bool:
    """Whether the path itself is a symbolic link (not followed)."""
    answer = os.path.islink(path)
    _note("link", path, "1" if answer else "0")
    return answer


def _read(path: str | os.PathLike[str], limit: int) -> bytes:
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


def _read_answer(path: str | os.PathLike[str], limit: int) -> tuple[bytes | None, str]:
    try:
        data = _read(path, limit)
    except OSError as exc:
        return None, "!" + (exc.strerror or type(exc).__name__)
    return data, hashlib.sha256(data).hexdigest()


def read_bytes(path: str | os.PathLike[str], limit: int = MAX_INPUT_BYTES) -> bytes:
    """The file's bytes; OSError (NotReadable for a FIFO, device, folder or oversized file)."""
    bound = "" if limit == MAX_INPUT_BYTES else f"@{limit}"
    try:
        data = _read(path, limit)
    except OSError as exc:
        _note("read", path, "!" + (exc.strerror or type(exc).__name__) + bound)
        raise
    _note("read", path, hashlib.sha256(data).hexdigest() + bound)
    return data


def _names(path: str | os.PathLike[str]) -> tuple[list[str] | None, str]:
    try:
        names = sorted(os.listdir(path))
    except (OSError, ValueError) as exc:
        return None, "!" + type(exc).__name__
    return (
        names,
        hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest(),
    )


def list_names(path: str | os.PathLike[str]) -> list[str]:
    """The sorted entry names of a folder ([] when it cannot be listed)."""
    names, answer = _names(path)
    _note("list", path, answer)
    return names or []


def _resolved(path: str | os.PathLike[str]) -> str:
    try:
        return str(Path(path).resolve())
    except (
        OSError,
        RuntimeError,
        ValueError,
    ):  # RuntimeError: Python 3.11's symlink loop
        return "!"


def resolve(path: str | os.PathLike[str]) -> Path | None:
    """The absolute, symlink-free path; None for a symlink loop or an unusable path."""
    answer = _resolved(path)
    _note("resolve", path, answer)
    return None if answer == "!" else Path(answer)


def _read_holds(path: str, answer: str) -> bool:
    digest, _, limit = answer.partition("@")
    size = int(limit) if limit.isdigit() else MAX_INPUT_BYTES
    return _read_answer(path, size)[1] == digest


# Each probe's question, asked again: whether it still gets the recorded answer.
_ASK_AGAIN: dict[str, Callable[[str, str], bool]] = {
    "kind": lambda path, answer: _kind(path) == answer,
    "size": lambda path, answer: str(_size(path)) == answer,
    "link": lambda path, answer: ("1" if os.path.islink(path) else "0") == answer,
    "read": _read_holds,
    "list": lambda path, answer: _names(path)[1] == answer,
    "resolve": lambda path, answer: _resolved(path) == answer,
}
PROBES = tuple(
    _ASK_AGAIN
)  # what a recorded fact may ask; a stored fact asking anything else is no fact


def holds(fact: Fact) -> bool:
    """Whether asking the fact's question again gives the recorded answer (bounded: a read
    never blocks and never reads more than its limit). The probe is one of PROBES."""
    probe, path, answer = fact
    return _ASK_AGAIN[probe](path, answer)


class TooManyFiles(OSError):
    """A folder with more entries than a walk reads (a --templates folder of `/`)."""


def walk(
    folder: str | os.PathLike[str], recursive: bool, limit: int = MAX_WALK
) -> tuple[list[Path], list[Path]]:
    """(regular files, other non-folder entries: FIFOs, devices, dangling links) below
    `folder`, links to files followed, linked folders never entered, each list in sorted
    relative-path order; every listing and probe recorded. More than `limit` entries:
    TooManyFiles."""
    root = Path(folder)
    found: tuple[list[Path], list[Path]] = ([], [])
    pending, seen = [root], 0
    while pending:
        current = pending.pop()
        for name in list_names(current):
            seen += 1
            if seen > limit:
                raise TooManyFiles(f"more than {limit:,} entries below {folder}")
            path = current / name
            what = kind(path)
            if what == "dir":
                if recursive and not is_link(path):
                    pending.append(path)
            else:
                found[0 if what == "file" else 1].append(path)
    order = lambda p: p.relative_to(root).as_posix()
    return sorted(found[0], key=order), sorted(found[1], key=order)


def walk_files(folder: str | os.PathLike[str], recursive: bool) -> list[Path]:
    """The regular files of `walk` (TooManyFiles past its limit)."""
    return walk(folder, recursive)[0]
