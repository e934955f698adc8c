"""--vendor: every local file and folder the pipeline uploads or reads, copied beside the module.

A copy keeps its project-relative path below the module's folder (`<module folder>/scripts/
train.py`), and the module's `_local(...)` names the copies, so the deploy repository holds
everything that runs. Nothing else is copied (no `__pycache__`, no file the pipeline does not
use). Sources are listed here, never read into memory: the writer copies each one a chunk at a
time. A path that leaves the project (`..`), a source that is a link to a file outside the
project, and a link to a folder are located errors, decided before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.fs.writer import parts_of, relative_problem
from cursus_codegen.plan import model as m

SKIPPED_PARTS = {"__pycache__", ".git", ".ipynb_checkpoints"}
Copy = tuple[str, Path]  # (target relative to the module's folder, source file)


def _wanted(relative: str) -> bool:
    parts = set(parts_of(relative))
    return not parts & SKIPPED_PARTS and not relative.endswith(".pyc")


def _inside(path: Path, folder: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def vendored_copies(
    plan: m.PipelinePlan, module_dir: Path
) -> tuple[list[Copy], list[str], list[Diagnostic]]:
    """(copies, vendored folders relative to the module's folder, problems); nothing is read
    or written. A folder holding the module never copies the module's own folder into itself.
    """
    copies: list[Copy] = []
    folders: list[str] = []
    problems: list[Diagnostic] = []
    root = Path(plan.vendor_source)
    for relative, _ in plan.vendored:

        def fail(message: str, relative: str = relative) -> None:
            problems.append(
                error(f"--vendor: {relative!r} {message}", Location(relative))
            )

        why = relative_problem(relative)
        source = root / relative
        if why is not None:
            fail(f"cannot be copied beside the module: {why}")
        elif os.path.realpath(source) == os.path.realpath(module_dir / relative):
            continue  # the module sits at the project root: the files are already beside it
        elif not _inside(source, root):
            fail("is a link to a path outside the project; refusing to copy it")
        elif os.path.isdir(source):
            if os.path.realpath(module_dir / relative) != os.path.realpath(module_dir):
                folders.append(relative)  # never mirror the module's own folder
            copies += _folder_copies(source, relative, root, module_dir, fail)
        elif os.path.isfile(source):
            copies.append((relative, source))
        else:
            fail(f"does not exist in the project {root.name}/, so it cannot be copied")
    unique = dict(reversed(copies))  # a file inside a vendored folder is named once
    return (
        [(target, unique[target]) for target in dict.fromkeys(t for t, _ in copies)],
        folders,
        problems,
    )


def _folder_copies(
    source: Path,
    relative: str,
    root: Path,
    module_dir: Path,
    fail: Callable[[str], None],
) -> list[Copy]:
    found: list[Copy] = []
    holds_module = _inside(module_dir, source) and os.path.realpath(
        module_dir
    ) != os.path.realpath(source)
    for base, dirs, names in os.walk(source, followlinks=False):
        here = Path(base)
        if holds_module and _inside(here, module_dir):
            # a source folder holding the module: its copies are not copied again
            dirs[:] = []
            continue
        for name in sorted(dirs):
            if os.path.islink(here / name):
                fail(
                    f"holds {(here / name).relative_to(root).as_posix()!r}, a link to a folder; "
                    "vendoring does not follow it"
                )
        for name in sorted(names):
            path = here / name
            inner = f"{relative.rstrip('/')}/{path.relative_to(source).as_posix()}"
            if not _wanted(inner):
                continue
            if not _inside(path, root):
                fail(
                    f"holds {inner!r}, a link to a file outside the project; refusing to copy it"
                )
            elif os.path.isfile(path):
                found.append((os.path.normpath(inner).replace(os.sep, "/"), path))
            else:  # the SDK would fail on it, or upload something else than was reviewed
                fail(
                    f"holds {inner!r}, which is not a regular file (a FIFO, device or dangling link)"
                )
    return sorted(found)
