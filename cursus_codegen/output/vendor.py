"""--vendor: every local file and folder the pipeline uploads or reads, copied beside the module.

A copy keeps its project-relative path below the module's folder (`<module folder>/scripts/
train.py`), and the module's `_local(...)` names the copies, so the deploy repository holds
everything that runs. Nothing else is copied (no `__pycache__`, no file the pipeline does not
use). All sources are read before anything is written; `--check` compares every copy with its
source and reports a changed, missing or extra file by path.
"""

from __future__ import annotations

import os
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic, Location, error
from cursus_codegen.output.emit import write_atomically

SKIPPED_PARTS = {"__pycache__", ".git", ".ipynb_checkpoints"}


def _wanted(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    return path.is_file() and not (set(rel.parts) & SKIPPED_PARTS) and path.suffix != ".pyc"


def vendored_files(plan, module_dir: Path) -> tuple[dict[Path, bytes], list[Path], list[Diagnostic]]:
    """(target file -> content, vendored target folders, problems); nothing is written."""
    files: dict[Path, bytes] = {}
    folders: list[Path] = []
    problems: list[Diagnostic] = []
    root = Path(plan.vendor_source)
    for relative, _ in plan.vendored:
        source, target = root / relative, module_dir / relative
        if source.resolve() == target.resolve():
            continue  # the module sits at the project root: the files are already beside it
        try:
            if source.is_dir():
                if target.resolve() != module_dir.resolve():  # never mirror the module's own folder
                    folders.append(target)
                inside = module_dir.resolve()  # a folder holding the module: skip the copies
                for path in sorted(p for p in source.rglob("*") if _wanted(p, source)
                                   and not p.resolve().is_relative_to(inside)):
                    files[target / path.relative_to(source)] = path.read_bytes()
            elif source.is_file():
                files[target] = source.read_bytes()
            else:
                problems.append(error(f"--vendor: {relative!r} does not exist in the project "
                                      f"{root.name}/, so it cannot be copied", Location(relative)))
        except OSError as exc:
            problems.append(error(f"--vendor: cannot read {relative!r}: {exc.strerror or exc}",
                                  Location(relative)))
    return files, folders, problems


def write_vendored(files: dict[Path, bytes], folders: list[Path]) -> None:
    """Write every copy (atomically, file by file) and remove the files no source has any more
    from the vendored folders (below the module's folder, never the module's folder itself)."""
    for target, content in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, content)
    for extra in _extra(files, folders):
        extra.unlink()


def vendor_differences(files: dict[Path, bytes], folders: list[Path], module_dir: Path) -> list[str]:
    """One line per vendored file that is missing, differs from its source, or is extra."""
    lines = []
    for target, content in files.items():
        shown = os.path.relpath(target)
        if not target.is_file():
            lines.append(f"{shown}: vendored file missing (would be copied)")
        elif target.read_bytes() != content:
            lines.append(f"{shown}: vendored file differs from its source")
    lines += [f"{os.path.relpath(p)}: extra file in a vendored folder" for p in _extra(files, folders)]
    return lines


def _extra(files: dict[Path, bytes], folders: list[Path]) -> list[Path]:
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [p for p in sorted(folder.rglob("*")) if _wanted(p, folder) and p not in files]
    return found

