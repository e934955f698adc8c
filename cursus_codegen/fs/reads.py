"""The recording read layer: every file read and every existence, kind, listing or resolution
probe that shapes a generated module goes through these functions.

Inside `recording()`, each call appends a fact `(probe, absolute path, answer)`; `holds(fact)`
asks the same question again. A cache stores the facts of a run beside its answer and gives
the answer only while every fact still holds, so creating a folder the configuration names, or
editing any file generation read, is a miss. Outside `recording()` nothing is kept.

Reads are bounded and never block: a FIFO, a device or a file over the limit is refused
(`probes.NotReadable`) before a byte is read. The questions themselves are fs/probes.py's.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from cursus_codegen.fs import probes

Fact = tuple[str, str, str]  # (probe, absolute path, answer)
# entries a folder walk reads (--steps, --templates): far above any real one
MAX_WALK = 20_000
_FACTS: ContextVar[list[Fact] | None] = ContextVar(
    "cursus_codegen_fs_facts", default=None
)


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


def kind(path: str | os.PathLike[str]) -> str:
    """ "file", "dir", "missing", "other" (FIFO, socket, device) or "error:<reason>", links
    followed (a dangling link is "missing")."""
    answer = probes.kind(path)
    _note("kind", path, answer)
    return answer


def exists(path: str | os.PathLike[str]) -> bool:
    return kind(path) in ("file", "dir", "other")


def is_dir(path: str | os.PathLike[str]) -> bool:
    return kind(path) == "dir"


def is_file(path: str | os.PathLike[str]) -> bool:
    return kind(path) == "file"


def size(path: str | os.PathLike[str]) -> int:
    """The size in bytes, links followed (-1 when it cannot be known)."""
    answer = probes.size(path)
    _note("size", path, str(answer))
    return answer


def is_link(path: str | os.PathLike[str]) -> bool:
    """Whether the path itself is a symbolic link (not followed)."""
    answer = os.path.islink(path)
    _note("link", path, "1" if answer else "0")
    return answer


def read_bytes(
    path: str | os.PathLike[str], limit: int = probes.MAX_INPUT_BYTES
) -> bytes:
    """The file's bytes; OSError (probes.NotReadable for a FIFO, device, folder or oversized
    file)."""
    bound = "" if limit == probes.MAX_INPUT_BYTES else f"@{limit}"
    try:
        data = probes.read(path, limit)
    except OSError as exc:
        _note("read", path, "!" + (exc.strerror or type(exc).__name__) + bound)
        raise
    _note("read", path, hashlib.sha256(data).hexdigest() + bound)
    return data


def list_names(path: str | os.PathLike[str]) -> list[str]:
    """The sorted entry names of a folder ([] when it cannot be listed)."""
    names, answer = probes.listing(path)
    _note("list", path, answer)
    return names or []


def resolve(path: str | os.PathLike[str]) -> Path | None:
    """The absolute, symlink-free path; None for a symlink loop or an unusable path."""
    answer = probes.resolved(path)
    _note("resolve", path, answer)
    return None if answer == "!" else Path(answer)


def _read_holds(path: str, answer: str) -> bool:
    digest, _, limit = answer.partition("@")
    size = int(limit) if limit.isdigit() else probes.MAX_INPUT_BYTES
    return probes.read_answer(path, size)[1] == digest


# Each probe's question, asked again: whether it still gets the recorded answer.
_ASK_AGAIN: dict[str, Callable[[str, str], bool]] = {
    "kind": lambda path, answer: probes.kind(path) == answer,
    "size": lambda path, answer: str(probes.size(path)) == answer,
    "link": lambda path, answer: ("1" if os.path.islink(path) else "0") == answer,
    "read": _read_holds,
    "list": lambda path, answer: probes.listing(path)[1] == answer,
    "resolve": lambda path, answer: probes.resolved(path) == answer,
}
# what a recorded fact may ask; a stored fact asking anything else is no fact
PROBES = tuple(_ASK_AGAIN)


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
