"""Which files the module may be written over: none that the run reads or the pipeline uploads.

`-o` naming the configuration, a script the pipeline uploads as a step's code, a `--steps` or
`--templates` file, or a FIFO or device would destroy that file (or, for a script, upload the
module in its place). Each is refused before anything is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.expr import local_files
from cursus_codegen.inputs.files import safe_resolve


def output_path_problems(
    out: Path, display: str, create_folder: bool = False
) -> list[Diagnostic]:
    """What the output path itself must be: a regular file (or nothing yet) in a folder, never
    a link (replacing it would write where the link points, or silently drop the link).
    `create_folder` (--vendor): a missing folder is created, not an error."""
    where = Location(display)
    if "\0" in str(out):
        return [error("the output path holds a NUL character", where)]
    # Path() drops the slash: `-o newdir/` would write a file
    if display.endswith(("/", os.sep)):
        return [error("the output path ends with a '/'; give a file name", where)]
    if os.path.islink(out) and safe_resolve(out) is not None:
        return [
            error("the output path is a symbolic link; refusing to replace it", where)
        ]
    if safe_resolve(out) is None:
        return [error("the output path cannot be resolved (a symlink loop?)", where)]
    if out.is_dir():
        return [error("the output path is a directory; give a file name", where)]
    if (
        not create_folder
        and not out.parent.exists()
        and str(out.parent) not in ("", ".")
    ):
        return [error(f"the output folder {str(out.parent)!r} does not exist", where)]
    if out.exists() and not stat.S_ISREG(os.stat(out).st_mode):
        return [
            error(
                "the output path is not a regular file (a FIFO, socket or device); "
                "refusing to replace it",
                where,
            )
        ]
    return []


def overwrite_problems(
    out: Path, display: str, protected: Iterable[tuple[Path, str]]
) -> list[Diagnostic]:
    """An error when `out` is, or lies inside, a path the run reads or the pipeline uploads."""
    target = safe_resolve(out)
    for path, what in protected:
        resolved = safe_resolve(path)
        if target is None or resolved is None:
            continue
        if resolved == target:
            return [error(f"the output would overwrite {what}", Location(display))]
        if resolved.is_dir() and resolved in target.parents:
            return [
                error(f"the output would be written inside {what}", Location(display))
            ]
    return []


def uploaded_paths(plan: object, module_dir: Path) -> list[tuple[Path, str]]:
    """Every local file or folder the planned pipeline uploads or reads, as protected paths."""
    relatives = sorted({expr.relative for expr in local_files(plan)})
    paths = [module_dir / rel for rel in relatives]
    return [
        (path, f"{os.path.relpath(path)!r}, which the pipeline uploads")
        for path in paths
    ]
