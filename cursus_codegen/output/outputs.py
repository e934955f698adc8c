"""What one run writes, as a value: the module and its vendored copies below one root.

`Outputs` names every file by its path relative to the root (the module's folder, or its
nearest existing parent when `--vendor` creates the folder). `problems` decides, before anything
is written, whether every target may be written through the one writer and whether two targets
collide (a file where another needs a folder); `differences` is what `--check` reports for the
copies; `apply` writes the copies, then the module, then removes the regular files of a
vendored folder that no source has any more.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cursus_codegen.fs import writer
from cursus_codegen.output.vendor import Copy

__all__ = ["Copy", "Outputs", "apply", "differences", "problems"]


@dataclass(frozen=True)
class Outputs:
    root: Path  # an existing folder: every target is below it
    prefix: str  # from the root to the module's folder ("" when they are one)
    module: str  # the module's file name
    source: str  # the module's text
    copies: tuple[
        Copy, ...
    ] = ()  # (target relative to the module's folder, source file)
    mirrored: tuple[str, ...] = ()  # vendored folders, relative to the module's folder

    def below_root(self, relative: str) -> str:
        return f"{self.prefix}/{relative}" if self.prefix else relative

    @property
    def module_dir(self) -> Path:
        return self.root / self.prefix if self.prefix else self.root

    def targets(self) -> list[str]:
        """Every file written, relative to the root, the module last."""
        return [self.below_root(target) for target, _ in self.copies] + [
            self.below_root(self.module)
        ]


def problems(outputs: Outputs) -> list[tuple[str, str]]:
    """(the file as the user sees it, why) for every file that may not be written; [] when all
    may."""
    found = []
    targets = outputs.targets()
    files = set(targets)
    for target in targets:
        parents = {
            "/".join(writer.parts_of(target)[:i])
            for i in range(1, len(writer.parts_of(target)))
        }
        clash = sorted(parents & files)
        why = (
            f"{clash[0]!r} is written as a file, so no file can be written inside it"
            if clash
            else writer.target_problem(outputs.root, target)
        )
        if why is not None:
            found.append((os.path.relpath(outputs.root / target), why))
    for folder in outputs.mirrored:
        _, others = _present(outputs, folder)
        found += [
            (
                _shown(outputs, p),
                "is not a regular file in a vendored folder; remove it by hand",
            )
            for p in others
        ]
    return found


def _present(outputs: Outputs, folder: str) -> tuple[list[Path], list[Path]]:
    path = writer.real_target(outputs.root, outputs.below_root(folder))
    if (
        writer.target_problem(outputs.root, outputs.below_root(folder) + "/_")
        is not None
    ):
        # a linked or missing folder: its target problem is reported instead
        return [], []
    return writer.files_below(path)


def _shown(outputs: Outputs, path: Path) -> str:
    return os.path.relpath(path)


def _extra(outputs: Outputs) -> list[Path]:
    wanted = {
        writer.real_target(outputs.root, outputs.below_root(t))
        for t, _ in outputs.copies
    }
    extra = []
    for folder in outputs.mirrored:
        files, _ = _present(outputs, folder)
        extra += [path for path in files if path not in wanted]
    return extra


def differences(outputs: Outputs) -> list[str]:
    """One line per vendored file that is missing, differs from its source, or is extra."""
    lines = []
    for target, source in outputs.copies:
        path = writer.real_target(outputs.root, outputs.below_root(target))
        shown = os.path.relpath(outputs.module_dir / target)
        if not os.path.isfile(path) or os.path.islink(path):
            lines.append(f"{shown}: vendored file missing (would be copied)")
        elif not writer.same_content(source, path):
            lines.append(f"{shown}: vendored file differs from its source")
    lines += [
        f"{_shown(outputs, p)}: extra file in a vendored folder"
        for p in _extra(outputs)
    ]
    return lines


def _holds(path: Path, content: bytes) -> bool:
    try:
        return os.path.getsize(path) == len(content) and path.read_bytes() == content
    except OSError:
        return False


def apply(outputs: Outputs) -> None:
    """Write the copies, then the module (it never names a file that is not there), then remove
    what no source has any more; a file that already holds its content is not touched. Call
    only when `problems(outputs)` is empty."""
    extra = _extra(outputs)
    for target, source in outputs.copies:
        if not writer.same_content(
            source, writer.real_target(outputs.root, outputs.below_root(target))
        ):
            writer.copy_file(outputs.root, outputs.below_root(target), source)
    module = outputs.below_root(outputs.module)
    if not _holds(
        writer.real_target(outputs.root, module), outputs.source.encode("utf-8")
    ):
        writer.write_file(outputs.root, module, outputs.source)
    real_root = Path(os.path.realpath(outputs.root))
    for path in extra:
        writer.delete_file(outputs.root, path.relative_to(real_root).as_posix())
