"""Phase 6, run: one generation run, its request and result. A request in (from the command
line, the API or a manifest worker); the plan, rendered and formatted; then the files it would
write, compared (`--check`, `--diff`), printed, or written through the one writer."""

from cursus_codegen.run.generate import generate, plan_for, plan_options, render_source
from cursus_codegen.run.preflight import read_paths
from cursus_codegen.run.request import GenerateRequest, GenerateResult
from cursus_codegen.run.writes import write_outputs

__all__ = [
    "GenerateRequest",
    "GenerateResult",
    "generate",
    "plan_for",
    "plan_options",
    "read_paths",
    "render_source",
    "write_outputs",
]
