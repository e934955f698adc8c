"""What every `explain` format shows, read off the typed plan: the inputs each step gets.

A `WireRow` per input the module feeds (from an upstream output, or from the configuration),
the DAG edges, and the edges that wire no data and only order the steps. How cursus matched
each wire is named the same way in every format (`HOW`); a weakly wired input is flagged
(`FLAG`) and carries the plan's caveat.
"""

from __future__ import annotations

from dataclasses import dataclass

from cursus_codegen.plan import model as m
from cursus_codegen.plan.context import describe_wire
from cursus_codegen.plan.wiring import Wire

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


def order_only_edges(
    plan: m.PipelinePlan, rows: list[WireRow]
) -> list[tuple[str, str]]:
    """The DAG edges no wire runs along: they only order the steps."""
    wired = {(r.producer, r.consumer) for r in rows}
    return [edge for edge in dag_edges(plan) if edge not in wired]
