"""The planning request: which inputs to read (paths, and how messages and the module header
name them) and the options that shape the module. `run/generate.py` fills it from the command
line; `build_plan` (plan/build.py) and the plan's assembly (plan/assemble.py) read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Options:
    dag_path: Path
    config_path: Path
    dag_display: str
    config_display: str
    module_dir: Path  # where the module will be written (cwd for stdout)
    command: str  # the regenerate command, run from the module's folder
    dag_header: str = ""  # input paths relative to the module's folder, for the header
    config_header: str = ""
    class_name: str | None = None
    author: str | None = None
    version: str | None = None
    description: str | None = None
    dag_function: str | None = None
    exec_dag: bool = False
    project_root: Path | None = None
    steps_dirs: tuple[Path, ...] = ()
    strict: bool = False
    # (path, display, header): other regions
    more_configs: tuple[tuple[Path, str, str], ...] = ()
    # copy every uploaded file beside the module (output/vendor.py)
    vendor: bool = False
