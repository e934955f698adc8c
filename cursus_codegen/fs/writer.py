"""The one writer: every file a command writes or deletes goes through here, inside its root.

A target is named by a root (the folder the command owns: the module's folder for the module
and its vendored copies, the manifest's folder for its outputs, the cache folder for entries)
and a path relative to it. `target_problem` decides before anything is written: the relative
path is not absolute and has no `..`; no folder between the root and the target is a symbolic
link or anything but a folder; the target is absent or a regular file, never a link, FIFO or
device. Writes are atomic (a temporary file in the target's folder, renamed over it); copies
stream in bounded memory; a deletion takes a regular file only.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

CHUNK = 1024 * 1024  # copies and comparisons hold at most this much of a file at once


def relative_problem(relative: str) -> str | None:
    """Why `relative` cannot name a file below a root (None when it can)."""
    if not relative or "\0" in relative:
        return "the path is empty or holds a NUL character"
    path = PurePosixPath(relative.replace("\\", "/"))
    if path.is_absolute() or (len(relative) > 1 and relative[1] == ":"):
        return "the path is absolute"
    if ".." in path.parts:
        return "the path leaves its folder ('..')"
    return None


def parts_of(relative: str) -> tuple[str, ...]:
    return tuple(
        p for p in PurePosixPath(relative.replace("\\", "/")).parts if p != "."
    )


def target_problem(
    root: Path, relative: str, existing_only: bool = False
) -> str | None:
    """Why `root/relative` may not be written (None when it may): decided on the real root,
    walking every component without following a link."""
    problem = relative_problem(relative)
    if problem is not None:
        return problem
    current = Path(os.path.realpath(root))
    if not current.is_dir():
        return f"its folder {str(root)!r} is not a folder"
    parts = parts_of(relative)
    if not parts:
        return "the path names the folder itself, not a file"
    for index, part in enumerate(parts):
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return (
                "its folder does not exist"
                if existing_only and index < len(parts) - 1
                else None
            )
        except OSError as exc:
            return f"cannot be inspected: {exc.strerror or exc}"
        last = index == len(parts) - 1
        if stat.S_ISLNK(mode):
            where = "it is" if last else f"{'/'.join(parts[: index + 1])!r} is"
            return f"{where} a symbolic link; refusing to write through it"
        if not last and not stat.S_ISDIR(mode):
            return f"{'/'.join(parts[: index + 1])!r} is not a folder"
        if last and not stat.S_ISREG(mode):
            what = (
                "a folder"
                if stat.S_ISDIR(mode)
                else "not a regular file (a FIFO, socket or device)"
            )
            return f"it is {what}; refusing to replace it"
    return None


def real_target(root: Path, relative: str) -> Path:
    """The path a write lands on: the real root joined with the relative path."""
    return Path(os.path.realpath(root)).joinpath(*parts_of(relative))


def _checked(root: Path, relative: str) -> Path:
    problem = target_problem(root, relative)
    # every caller checked first: this is the last line of defence
    if problem is not None:
        raise OSError(f"{relative}: {problem}")
    return real_target(root, relative)


def _make_folders(target: Path) -> None:
    missing = []
    folder = target.parent
    while not os.path.lexists(folder):
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        os.mkdir(path)  # a new, real folder (the walk refused links on the way)


def write_file(root: Path, relative: str, content: str | bytes) -> None:
    """Write `content` to `root/relative` atomically, creating missing folders inside root."""
    target = _checked(root, relative)
    _make_folders(target)
    data = content.encode("utf-8") if isinstance(content, str) else content
    _replace(target, lambda handle: handle.write(data))


def copy_file(root: Path, relative: str, source: Path) -> None:
    """Copy `source` to `root/relative` atomically, a chunk at a time."""
    target = _checked(root, relative)
    _make_folders(target)
    with open(source, "rb") as src:
        _replace(target, lambda handle: shutil.copyfileobj(src, handle, CHUNK))


def delete_file(root: Path, relative: str) -> None:
    """Remove `root/relative`, a regular file (never a link or a folder)."""
    os.unlink(_checked(root, relative))


def _replace(target: Path, fill: Callable[[BinaryIO], object]) -> None:
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = os.lstat(target).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise


def same_content(a: Path, b: Path) -> bool:
    """Whether two regular files hold the same bytes, read a chunk at a time."""
    try:
        if os.path.getsize(a) != os.path.getsize(b):
            return False
        with open(a, "rb") as first, open(b, "rb") as second:
            while True:
                x, y = first.read(CHUNK), second.read(CHUNK)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


def files_below(folder: Path) -> tuple[list[Path], list[Path]]:
    """(regular files, anything else) below `folder`, links never followed, sorted."""
    files: list[Path] = []
    others: list[Path] = []
    for base, dirs, names in os.walk(folder, followlinks=False):
        for name in names + [d for d in dirs if os.path.islink(os.path.join(base, d))]:
            path = Path(base, name)
            (files if stat.S_ISREG(os.lstat(path).st_mode) else others).append(path)
    return sorted(files), sorted(others)
