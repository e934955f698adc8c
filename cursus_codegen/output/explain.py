"""`cursus-codegen explain`: what the generated module will build, without writing it.

From the typed plan (`plan.build_plan`): each node's configuration, step type and SageMaker
step name, and every wire (consumer input <- producer output, how cursus matched it, the
score). An input that cursus wires only by a weak match carries the plan's caveat and is
flagged, in every format. Formats: a text table, a Mermaid flowchart for pull requests, JSON.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from cursus_codegen.diagnostics import one_line
from cursus_codegen.output.regional import regional_values
from cursus_codegen.plan import model as m
from cursus_codegen.plan.context import describe_wire
from cursus_codegen.plan.wiring import Wire

FORMATS = ("table", "mermaid", "json")
CONFIGURATION = "configuration"
HOW = {
    "name": "exact name",
    "alias": "alias",
    "score": "match score",
    CONFIGURATION: CONFIGURATION,
}
FLAG = "(!)"


@dataclass(frozen=True)
class WireRow:
    """One input the module feeds: from an upstream output, or from the configuration."""

    consumer: str  # DAG node
    step_name: str  # the consumer's SageMaker step name
    input: str
    producer: str | None  # DAG node; None when the configuration supplies the input
    output: str | None
    match: str  # name | alias | score | configuration
    score: float | None
    phase: str | None  # assembler | resolver (cursus's two wiring passes)
    caveat: str  # non-empty: cursus wires this only weakly; the module keeps it for fidelity


def wire_rows(plan: m.PipelinePlan) -> list[WireRow]:
    """The inputs each step actually gets, in build order then input order.

    The plan's inputs say what the module emits (a configuration override beats wiring);
    the step's wires say how cursus matched each one.
    """
    rows = []
    for step in plan.steps:
        wires = {describe_wire(w): w for w in step.wires}
        seen = set()
        for item in step.inputs:
            if not item.note or item.note in seen:  # training channels share one note
                continue
            seen.add(item.note)
            rows.append(_row(step, item, wires.get(item.note)))
    return rows


def _row(step: m.StepPlan, item: m.InputPlan, wire: Wire | None) -> WireRow:
    if wire is None:  # "<input> <- configuration"
        name = item.note.split(" <- ", 1)[0]
        return WireRow(
            step.node,
            step.step_name,
            name,
            None,
            None,
            CONFIGURATION,
            None,
            None,
            item.caveat,
        )
    return WireRow(
        step.node,
        step.step_name,
        wire.input,
        wire.producer,
        wire.output,
        wire.match,
        wire.score,
        wire.phase,
        item.caveat,
    )


def dag_edges(plan: m.PipelinePlan) -> list[tuple[str, str]]:
    """(producer node, consumer node) for every DAG edge, in build order then predecessor order."""
    node_of = {step.var: step.node for step in plan.steps}
    return [(node_of[var], step.node) for step in plan.steps for var in step.params]


def explain(plan: m.PipelinePlan, fmt: str = "table") -> str:
    render = {"table": to_table, "mermaid": to_mermaid, "json": to_json}[fmt]
    return render(plan)


# --- json --------------------------------------------------------------------------------------


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


# --- table -------------------------------------------------------------------------------------


def _columns(rows: Sequence[tuple[str, ...]], indent: str = "  ") -> list[str]:
    rows = [
        tuple(one_line(cell) for cell in row) for row in rows
    ]  # a name cannot break a row
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (
            indent
            + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def _source(row: WireRow) -> str:
    return CONFIGURATION if row.producer is None else f"{row.producer}.{row.output}"


def to_table(plan: m.PipelinePlan) -> str:
    lines = [
        f"Pipeline {plan.pipeline_name} (class {plan.class_name}): {len(plan.steps)} steps in build order",
        "",
    ]
    lines += _columns(
        [("#", "DAG node", "configuration", "step type", "SageMaker step name")]
        + [
            (str(s.index), s.node, s.config_key, s.step_type, s.step_name)
            for s in plan.steps
        ]
    )
    rows = wire_rows(plan)
    lines += ["", "Wires (consumer input <- producer output):", ""]
    table = [("step", "input", "", "source", "how", "score", "")]
    previous = None
    for r in rows:
        score = "" if r.score is None else f"{r.score:.3f}"
        how = "" if r.producer is None else HOW.get(r.match, r.match)
        table.append(
            (
                r.step_name if r.step_name != previous else "",
                r.input,
                "<-",
                _source(r),
                how,
                score,
                FLAG if r.caveat else "",
            )
        )
        previous = r.step_name
    lines += _columns(table) if rows else ["  (none)"]
    order_only = _order_only_edges(plan, rows)
    if order_only:
        lines += ["", "DAG edges that wire no data (they only order the steps):", ""]
        lines += [f"  {producer} -> {consumer}" for producer, consumer in order_only]
    flagged = [r for r in rows if r.caveat]
    if flagged:
        lines += [
            "",
            f"{FLAG} inputs cursus wires only weakly; the module keeps them for fidelity:",
            "",
        ]
        lines += [f"  {r.step_name} {r.input}: {r.caveat}" for r in flagged]
    differing = regional_values(plan)
    if differing:
        aliases = [alias for alias, _ in plan.regions]
        lines += [
            "",
            (
                f"Values that differ between the regions ({', '.join(aliases)}); every "
                "other value is the same in all:"
            ),
            "",
        ]
        lines += _columns(
            [("node", "field", *aliases)]
            + [
                (v.node or "(pipeline)", v.field, *(text for _, text in v.values))
                for v in differing
            ]
        )
    return "\n".join(one_line(line) for line in lines) + "\n"


def _order_only_edges(
    plan: m.PipelinePlan, rows: list[WireRow]
) -> list[tuple[str, str]]:
    wired = {(r.producer, r.consumer) for r in rows}
    return [edge for edge in dag_edges(plan) if edge not in wired]


# --- mermaid -----------------------------------------------------------------------------------

# Characters that would end a quoted Mermaid label or be read as markup, as Mermaid entity codes.
_ESCAPES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "|": "#124;",
    "`": "#96;",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}


def mermaid_label(*lines: str) -> str:
    """A quoted label, one `<br/>` line per argument: no character of the text can close the
    quotes or start markup."""
    return (
        '"'
        + "<br/>".join(
            one_line("".join(_ESCAPES.get(ch, ch) for ch in line)) for line in lines
        )
        + '"'
    )


def mermaid_ids(plan: m.PipelinePlan) -> dict[str, str]:
    """Node id per DAG node: `n<index>_<python variable>`, only [A-Za-z0-9_], unique by index,
    never a Mermaid keyword (`end`, `graph`, ...) and never starting an `o`/`x` edge end.
    """
    ids = {}
    for step in plan.steps:
        safe = "".join(
            ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_"
            for ch in step.var
        )
        ids[step.node] = f"n{step.index}_{safe}"
    return ids


def to_mermaid(plan: m.PipelinePlan) -> str:
    """A flowchart: one box per step, one arrow per wire (dotted and flagged when weak), a
    plain arrow for a DAG edge that wires no data. Paste it into a ```mermaid block."""
    ids = mermaid_ids(plan)
    lines = ["flowchart TD"]
    for step in plan.steps:
        text = mermaid_label(
            step.step_name, f"node {step.node}", f"step type {step.step_type}"
        )
        lines.append(f"    {ids[step.node]}[{text}]")
    rows = wire_rows(plan)
    for r in rows:
        if r.producer is None:
            continue
        how = HOW.get(r.match, r.match)
        text = f"{r.output} → {r.input} ({how}, {r.score:.3f})"
        arrow = "-.->" if r.caveat else "-->"
        text = f"{FLAG} {text}" if r.caveat else text
        lines.append(
            f"    {ids[r.producer]} {arrow}|{mermaid_label(text)}| {ids[r.consumer]}"
        )
    for producer, consumer in _order_only_edges(plan, rows):
        lines.append(f"    {ids[producer]} --> {ids[consumer]}")
    return "\n".join(lines) + "\n"
