"""`cursus-codegen explain`: what the generated module will build, without writing it.

From the typed plan (`plan.build_plan`): each node's configuration, step type and SageMaker
step name, and every wire (consumer input <- producer output, how cursus matched it, the
score). An input that cursus wires only by a weak match carries the plan's caveat and is
flagged, in every format. Formats: a text table, a Mermaid flowchart for pull requests, JSON;
each has its module (explain_table, explain_mermaid, explain_json), over the rows all three
share (explain_rows).
"""

from __future__ import annotations

from cursus_codegen.output.explain_json import to_json
from cursus_codegen.output.explain_mermaid import to_mermaid
from cursus_codegen.output.explain_table import to_table
from cursus_codegen.plan import model as m

FORMATS = ("table", "mermaid", "json")


def explain(plan: m.PipelinePlan, fmt: str = "table") -> str:
    render = {"table": to_table, "mermaid": to_mermaid, "json": to_json}[fmt]
    return render(plan)
