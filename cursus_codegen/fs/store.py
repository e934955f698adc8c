"""The user cache: one folder of this user's, entries that are data, never an answer that a
damaged or forged entry could give.

Like black's cache, it trusts one folder: `CURSUS_CODEGEN_CACHE_DIR`, else
`$XDG_CACHE_HOME/cursus-codegen`, else `~/.cache/cursus-codegen`. A folder that is not owned
by the user, or that others may write, is not used at all (every lookup a miss, nothing
written); no link inside it is followed; an entry holds the sha256 of its payload, so a
truncated or edited entry is a miss. Entries are written through the one writer.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from cursus_codegen.fs import writer

MAX_ENTRY_BYTES = 64 * 1024 * 1024
# `--no-cache` (and CURSUS_CODEGEN_NO_CACHE=1): every lookup a miss, nothing stored, for every
# cache (the manifest's and the formatted pieces), so a gate can refuse to trust the folder.
_DISABLED: ContextVar[bool] = ContextVar("cursus_codegen_no_cache", default=False)


@contextmanager
def disabled(really: bool = True) -> Iterator[None]:
    """Inside the block (this context only), the cache is neither read nor written."""
    token = _DISABLED.set(really or _DISABLED.get())
    try:
        yield
    finally:
        _DISABLED.reset(token)


def is_disabled() -> bool:
    return _DISABLED.get() or os.environ.get("CURSUS_CODEGEN_NO_CACHE", "") not in (
        "",
        "0",
    )


_KEY = re.compile(r"[0-9a-f]{64}")


def cache_root() -> Path:
    """CURSUS_CODEGEN_CACHE_DIR, else $XDG_CACHE_HOME/cursus-codegen, else ~/.cache/cursus-codegen."""
    configured = os.environ.get("CURSUS_CODEGEN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cursus-codegen"


def _owned_and_private(info: os.stat_result) -> bool:
    owner = getattr(os, "geteuid", lambda: info.st_uid)()
    return info.st_uid == owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def untrusted(folder: Path) -> str | None:
    """Why the cache folder may not be used (None when it may, or does not exist yet)."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        return f"cannot be inspected ({exc})"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if not _owned_and_private(info):
        return "is not owned by you or is writable by others"
    return None


@dataclass(frozen=True)
class Lookup:
    payload: bytes | None  # None: a miss
    problem: str | None = None  # why an entry that exists was not used


def _relative(kind: str, key: str) -> str:
    return f"{kind}/{key[:2]}/{key}"


def read(kind: str, key: str) -> Lookup:
    """The payload stored under (kind, key), or a miss; never follows a link."""
    root = cache_root()
    if is_disabled() or untrusted(root) is not None or not _KEY.fullmatch(key):
        return Lookup(None)
    path = Path(os.path.realpath(root)) / _relative(kind, key)
    for folder in (path.parent.parent, path.parent):
        try:
            info = os.lstat(folder)
        except OSError:
            return Lookup(None)
        if not stat.S_ISDIR(info.st_mode) or not _owned_and_private(info):
            return Lookup(None, f"{folder} is a link, not a folder, or not private")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return Lookup(None)
    except OSError as exc:
        return Lookup(
            None, f"cache entry {path} cannot be read ({exc.strerror or exc})"
        )
    info = os.fstat(fd)
    # not regular: a folder, FIFO, device
    if not stat.S_ISREG(info.st_mode) or not _owned_and_private(info):
        os.close(fd)
        return Lookup(None, f"cache entry {path} is not a private regular file")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_ENTRY_BYTES + 1)
    digest, _, payload = data.partition(b"\n")
    if (
        len(data) > MAX_ENTRY_BYTES
        or hashlib.sha256(payload).hexdigest().encode() != digest
    ):
        return Lookup(None, f"cache entry {path} is damaged")
    return Lookup(payload)


def write(kind: str, key: str, payload: bytes) -> str | None:
    """Store `payload` under (kind, key); the reason when it could not be stored, else None."""
    root = cache_root()
    if is_disabled():
        return None
    problem = untrusted(root)
    if problem is not None:
        return f"the cache folder {root} {problem}; not used"
    if not _KEY.fullmatch(key):
        return f"{key!r} is not a cache key"
    try:
        os.makedirs(root, mode=0o700, exist_ok=True)
        relative = _relative(kind, key)
        problem = writer.target_problem(root, relative)
        if problem is not None:
            return f"cache entry {relative}: {problem}"
        for folder in (Path(root, kind), Path(root, kind, key[:2])):
            if not os.path.lexists(folder):  # private folders, whatever the umask says
                os.mkdir(folder, mode=0o700)
        writer.write_file(
            root,
            relative,
            hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload,
        )
    except OSError as exc:
        return f"cannot write the cache in {root} ({exc.strerror or exc})"
    return None
