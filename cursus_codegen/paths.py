"""Local files named by the configuration: project root, existence checks, module-relative paths.

The configuration names scripts and source folders relative to the project root. The
generated module names them relative to its own folder (`_local("...")`), so it works
wherever it is vendored and never holds an absolute path of the generating machine.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cursus_codegen.fs import reads


def default_project_root(config_path: Path) -> Path:
    """SPEC §2.3 (cursus `_resolve_project_root`): the parent of a `pipeline_config/` folder
    holding the configuration, else the configuration's own folder."""
    folder = (reads.resolve(config_path) or config_path.absolute()).parent
    if folder.name in ("pipeline_config", "pipeline_configs"):
        return folder.parent
    return folder


@dataclass(frozen=True)
class LocalLayout:
    project_root: Path  # absolute
    module_dir: Path  # absolute: where the generated module will live
    # --vendor: files are copied to <module folder>/<project-relative path>
    vendor: bool = False

    def exists(self, relative: str) -> bool:
        return reads.exists(self.project_root / relative)

    def module_relative(self, relative: str) -> str:
        """POSIX path from the module's folder to `<project root>/<relative>`, or to its vendored
        copy, which keeps the project-relative path below the module's folder."""
        if self.vendor:
            return posixpath.normpath(relative.replace("\\", "/"))
        target = os.path.normpath(self.project_root / relative)
        rel = os.path.relpath(target, self.module_dir)
        return PurePosixPath(Path(rel)).as_posix()


def local_path_problem(text: str) -> str | None:
    """Why a local path or entry point cannot name what the SDK uploads (None when it can): a
    control character (a NUL, a newline, a line separator) names no file the SDK can upload,
    and the SDK reads a processing step's code path as a URL, cutting it at ';', '?' or '#'.
    """
    if not text.isprintable():
        return f"{text!r} holds a control character; no file the SDK uploads can be named so"
    cut = "".join(sorted(set(text) & set(";?#")))
    if cut:
        return f"{text!r} holds {cut!r}, where the SageMaker SDK cuts a code path (it reads it as a URL)"
    return None


def is_s3(value: str) -> bool:
    return value.startswith("s3://")


def is_absolute(value: str) -> bool:
    return value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":")


def join_posix(folder: str, name: str) -> str:
    """`str(Path(folder) / name)` with POSIX separators, as cursus builds script paths."""
    if is_s3(folder):
        return f"{folder.rstrip('/')}/{name}"
    return posixpath.normpath(posixpath.join(folder, name))
