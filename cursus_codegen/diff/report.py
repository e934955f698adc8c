"""A Plan as text (like `terraform plan`) or JSON: the changed top-level properties of the
definition (`pipeline`), then parameters, steps and execution-document STEP_CONFIGs."""

from __future__ import annotations

import difflib
import json

from cursus_codegen.diff.compare import Change, Plan, Section
from cursus_codegen.diff.normalise import code_keys

LONG = 100  # characters: a longer or multi-line value is shown as a unified diff of its lines


def to_text(plan: Plan, old_label: str, new_label: str, sources: dict[str, str]) -> str:
    if plan.same:
        return f"No changes: {old_label} and {new_label} build the same pipeline.\n"
    lines = [f"Changes from {old_label} to {new_label}:", ""]
    if plan.pipeline:
        lines.append("~ pipeline (top-level keys of the definition)")
        lines += [
            "    " + line
            for change in plan.pipeline
            for line in _change(change, sources)
        ]
    lines += _section(plan.parameters, "parameter", sources)
    lines += _section(plan.steps, "step", sources)
    if plan.step_configs is None:
        lines += [
            "  (execution-document STEP_CONFIGs not compared: a deployed pipeline does not hold them)"
        ]
    else:
        lines += _section(
            plan.step_configs, "execution-document STEP_CONFIG of", sources
        )
    steps = plan.steps
    lines += [
        "",
        (
            f"Plan: {len(steps.changed)} steps changed, {len(steps.added)} added, "
            f"{len(steps.removed)} removed; {_count(plan.parameters)} parameters and "
            f"{_count(plan.step_configs)} STEP_CONFIGs changed, added or removed; "
            f"{len(plan.pipeline)} top-level properties changed."
        ),
    ]
    return "\n".join(lines) + "\n"


def _count(section: Section | None) -> int:
    return (
        0
        if section is None
        else len(section.added) + len(section.removed) + len(section.changed)
    )


def _section(section: Section, noun: str, sources: dict[str, str]) -> list[str]:
    lines = [f"+ {noun} {name}" for name in section.added]
    lines += [f"- {noun} {name}" for name in section.removed]
    for name, changes in section.changed.items():
        lines.append(f"~ {noun} {name}")
        for change in changes:
            lines += ["    " + line for line in _change(change, sources)]
    return lines


def _change(change: Change, sources: dict[str, str]) -> list[str]:
    label = {"wiring": " (wiring)", "depends_on": " (DependsOn)", "code": ""}.get(
        change.kind, ""
    )
    if change.kind == "code":
        local = _local(change, sources)
        head = f"code upload changed{f': {local}' if local else ''} ({change.path})"
        return [head, f"  {change.old} ->", f"  {change.new}"]
    old, new = _text(change.old), _text(change.new)
    if "\n" in old + new or len(old) > LONG or len(new) > LONG:
        diff = difflib.unified_diff(
            _lines(change.old), _lines(change.new), lineterm="", n=0
        )
        return [f"{change.path}{label}:"] + ["  " + line for line in list(diff)[2:]]
    return [f"{change.path}{label}: {old} -> {new}"]


def _local(change: Change, sources: dict[str, str]) -> str | None:
    """The local file or folder a changed code key was uploaded from, when it is known."""
    for value in (change.new, change.old):
        for key in code_keys(str(value)):
            if key in sources:
                return sources[key]
    return None


def _text(value: object) -> str:
    return (
        value
        if isinstance(value, str) and "\n" in value
        else json.dumps(value, ensure_ascii=False)
    )


def _lines(value: object) -> list[str]:
    text = (
        value if isinstance(value, str) else json.dumps(value, indent=2, sort_keys=True)
    )
    return text.splitlines()


def to_json(plan: Plan, sources: dict[str, str]) -> str:
    def changes(found: list[Change]) -> list[dict[str, object]]:
        return [
            {
                "path": c.path,
                "kind": c.kind,
                "old": c.old,
                "new": c.new,
                "local": _local(c, sources) if c.kind == "code" else None,
            }
            for c in found
        ]

    def section(part: Section | None) -> dict[str, object] | None:
        if part is None:
            return None
        return {
            "added": part.added,
            "removed": part.removed,
            "changed": {name: changes(found) for name, found in part.changed.items()},
        }

    document = {
        "same": plan.same,
        "pipeline": changes(plan.pipeline),
        "parameters": section(plan.parameters),
        "steps": section(plan.steps),
        "step_configs": section(plan.step_configs),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
