"""`cursus-codegen explain --format mermaid`: the plan as a Mermaid flowchart for pull requests.

One box per step, one arrow per wire (dotted and flagged when cursus wires it only weakly), a
plain arrow for a DAG edge that wires no data. Node ids and quoted labels are built so that no
name or text in the plan can break the chart's syntax.
"""

from __future__ import annotations

from cursus_codegen.diagnostics import one_line
from cursus_codegen.output.explain_rows import FLAG, HOW, order_only_edges, wire_rows
from cursus_codegen.plan import model as m

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
    for producer, consumer in order_only_edges(plan, rows):
        lines.append(f"    {ids[producer]} --> {ids[consumer]}")
    return "\n".join(lines) + "\n"
