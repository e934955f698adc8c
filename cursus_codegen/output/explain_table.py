"""`cursus-codegen explain --format table` (the default): the plan as aligned text columns.

The steps in build order; every wire (consumer input <- producer output, how cursus matched it,
the score); the DAG edges that wire no data; the weakly wired inputs with their caveats; and
the values that differ between the regions. No cell can break a row: each is one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from cursus_codegen.diagnostics import one_line
from cursus_codegen.output.explain_rows import (
    CONFIGURATION,
    FLAG,
    HOW,
    WireRow,
    order_only_edges,
    wire_rows,
)
from cursus_codegen.output.regional import regional_values
from cursus_codegen.plan import model as m


def _columns(rows: Sequence[tuple[str, ...]], indent: str = "  ") -> list[str]:
    # a name cannot break a row
    rows = [tuple(one_line(cell) for cell in row) for row in rows]
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
    order_only = order_only_edges(plan, rows)
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
