"""`cursus-codegen explain --format json`: the plan's steps, regions and wires as one document.

Every step with its DAG node, configuration, step type, SageMaker step name and upstream nodes;
the regions and the values that differ between them; every wire, a weak one marked `weak` with
its caveat. Text stays as written (non-ASCII is not escaped).
"""

from __future__ import annotations

import json

from cursus_codegen.output.explain_rows import dag_edges, wire_rows
from cursus_codegen.output.regional import regional_values
from cursus_codegen.plan import model as m


def to_json(plan: m.PipelinePlan) -> str:
    upstream: dict[str, list[str]] = {step.node: [] for step in plan.steps}
    for producer, consumer in dag_edges(plan):
        upstream[consumer].append(producer)
    document = {
        "pipeline_name": plan.pipeline_name,
        "class_name": plan.class_name,
        "steps": [
            {
                "index": s.index,
                "node": s.node,
                "configuration": s.config_key,
                "step_type": s.step_type,
                "step_name": s.step_name,
                "kind": s.kind,
                "upstream": upstream[s.node],
            }
            for s in plan.steps
        ],
        "regions": [alias for alias, _ in plan.regions],
        "regional_values": [
            {"node": v.node or None, "field": v.field, "values": dict(v.values)}
            for v in regional_values(plan)
        ],
        "wires": [
            {
                "consumer": r.consumer,
                "step_name": r.step_name,
                "input": r.input,
                "producer": r.producer,
                "output": r.output,
                "match": r.match,
                "score": None if r.score is None else round(r.score, 6),
                "phase": r.phase,
                "weak": bool(r.caveat),
                "caveat": r.caveat or None,
            }
            for r in wire_rows(plan)
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
