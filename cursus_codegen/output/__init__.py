"""Phase 3, output: a `PipelinePlan` in; the module's source through the jinja2 templates
(render), formatted with black in pieces (emit, each piece through formatter), then compared or
written through the one writer (outputs), or the plan described as a table, a Mermaid chart or
JSON (explain).
"""

from cursus_codegen.output import outputs
from cursus_codegen.output.emit import format_module, unified_diff
from cursus_codegen.output.explain import FORMATS, explain
from cursus_codegen.output.formatter import EmitError
from cursus_codegen.output.render import ModuleParts, render_parts

__all__ = [
    "FORMATS",
    "EmitError",
    "ModuleParts",
    "explain",
    "format_module",
    "outputs",
    "render_parts",
    "unified_diff",
]
