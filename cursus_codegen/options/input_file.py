"""One input of a run (the DAG, a configuration, a --steps or --templates folder): where it is
read, how messages name it, and how the module's header names it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InputFile:
    path: Path  # as given: relative to the working directory
    display: str  # for messages: as given, made relative if it was absolute
    header: str  # relative to the module's folder: the regenerate command runs there
