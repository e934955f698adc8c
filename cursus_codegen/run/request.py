"""One run's request and result: what the command line, the API and the manifest ask for,
and what generation gives back (the module, diagnostics, what `--check` prints, the files a
write would write)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cursus_codegen.diagnostics import Diagnostic
from cursus_codegen.fs import reads
from cursus_codegen.options.input_file import InputFile
from cursus_codegen.options.table import Values, default_values
from cursus_codegen.outcome import Outcome
from cursus_codegen.output import outputs
from cursus_codegen.plan import model as m


@dataclass(frozen=True)
class GenerateRequest:
    """The inputs, the module to write and every option's value (options/table.py)."""

    dag: InputFile
    configs: tuple[InputFile, ...]  # one per region, the first the default
    output_path: Path | None  # None: stdout
    output_display: str
    command: str  # the header's regenerate command (run/regenerate.py)
    options: Values = field(default_factory=default_values)
    steps: tuple[InputFile, ...] = ()  # the options' --steps folders
    templates: InputFile | None = None  # the option's --templates folder
    check: bool = False
    diff: bool = False

    @property
    def project_root(self) -> Path | None:
        root = self.options["project_root"]
        return None if root is None else Path(root)


@dataclass
class GenerateResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: str | None = None  # the formatted module
    stdout: str = ""
    outcome: Outcome = Outcome.FAILED  # set by generate() once the run has an answer
    plan: m.PipelinePlan | None = None
    # what a write would write (None: nothing to write)
    outputs: outputs.Outputs | None = None

    @property
    def differs(self) -> bool:
        """`--check` found the module (or a vendored copy) stale or missing."""
        return self.outcome.differs


def module_dir(req: GenerateRequest) -> Path:
    """The module's folder, links resolved (the folder the module's relative paths start from);
    the working directory when the module goes to stdout."""
    out = req.output_path
    return (
        (reads.resolve(out) or out.absolute()).parent if out is not None else Path.cwd()
    )
