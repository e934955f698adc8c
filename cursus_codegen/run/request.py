"""One run's request and result: what the command line, the API and the manifest ask for,
and what generation gives back (the module, diagnostics, what `--check` prints, the files a
write would write)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cursus_codegen import DEFAULT_LINE_LENGTH
from cursus_codegen.diagnostics import Diagnostic
from cursus_codegen.fs import reads
from cursus_codegen.output import outputs
from cursus_codegen.plan import model as m


@dataclass(frozen=True)
class GenerateRequest:
    dag_path: Path
    config_path: Path
    dag_display: str
    config_display: str
    output_path: Path | None  # None: stdout
    output_display: str
    command: str
    class_name: str | None = None
    author: str | None = None
    version: str | None = None
    description: str | None = None
    dag_function: str | None = None
    exec_dag: bool = False
    project_root: Path | None = None
    steps_dirs: tuple[Path, ...] = ()
    strict: bool = False
    check: bool = False
    diff: bool = False
    templates_dir: Path | None = None
    dag_header: str | None = None  # the input paths as the module's header shows them
    config_header: str | None = None
    # one per steps_dirs entry, as the header shows it
    steps_headers: tuple[str, ...] = ()
    templates_header: str | None = None
    omit_version: bool = False  # keep the generator version out of the header
    # black's; recorded in the regenerate command
    line_length: int = DEFAULT_LINE_LENGTH
    # each input's sha256 in the header (provenance, on request)
    input_hashes: bool = False
    # (path, display, header): other regions
    more_configs: tuple[tuple[Path, str, str], ...] = ()
    # copy every uploaded file beside the module (output/vendor.py)
    vendor: bool = False


@dataclass
class GenerateResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: str | None = None  # the formatted module
    stdout: str = ""
    differs: bool = False
    plan: m.PipelinePlan | None = None
    # what a write would write (None: nothing to write)
    outputs: outputs.Outputs | None = None


def module_dir(req: GenerateRequest) -> Path:
    """The module's folder, links resolved (the folder the module's relative paths start from);
    the working directory when the module goes to stdout."""
    out = req.output_path
    return (
        (reads.resolve(out) or out.absolute()).parent if out is not None else Path.cwd()
    )
