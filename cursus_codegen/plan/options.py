"""The planning request: the inputs to read (options/input_file.py), the module's folder, the
header's regenerate command and every option's value (options/table.py). `run/generate.py`
builds it from the run's request; `build_plan` (plan/build.py) and the plan's assembly
(plan/assemble.py) read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cursus_codegen.options.input_file import InputFile
from cursus_codegen.options.table import Values


@dataclass(frozen=True)
class Options:
    dag: InputFile
    configs: tuple[InputFile, ...]  # one per region, the first the default
    module_dir: Path  # where the module will be written (cwd for stdout)
    command: str  # the regenerate command, run from the module's folder
    values: Values

    @property
    def project_root(self) -> Path | None:
        root = self.values["project_root"]
        return None if root is None else Path(root)

    @property
    def steps_dirs(self) -> tuple[Path, ...]:
        return tuple(Path(folder) for folder in self.values["steps"])
