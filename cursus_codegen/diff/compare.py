"""Two pipelines -> what changes: the definition's top-level keys, parameters, steps, properties,
execution-document STEP_CONFIGs.

Pure: definitions (already normalised) in, a `Plan` out. Steps and parameters are matched by
name; a changed step lists each property path with its old and new value. Every top-level key
other than `Parameters` and `Steps` (`Version`, `Metadata`, `PipelineExperimentConfig`, any
other) is compared as a property of the pipeline, and so is `Parameters` or `Steps` present on
one side only. A property reference (`{"Get": "Steps.X..."}`) or a Join of them that changes is
reported as wiring, `DependsOn` on its own, and a value holding a content-addressed code key as
a changed code upload.

Values compare as the JSON shows them, with their types: `true` is not `1`, `500` is not
`500.0` (Python's `==` says both are); objects compare regardless of key order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cursus_codegen.diff.normalise import code_keys

MISSING = "<absent>"

_Item = TypeVar("_Item")


@dataclass(frozen=True)
class Change:
    path: str
    old: object
    new: object
    kind: str = "value"  # value | wiring | depends_on | code


@dataclass
class Section:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[Change]] = field(default_factory=dict)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class Plan:
    parameters: Section
    steps: Section
    step_configs: Section | None  # None: one side does not know its execution document
    # the definition's other top-level keys
    pipeline: list[Change] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return (
            not self.pipeline
            and self.parameters.same
            and self.steps.same
            and (self.step_configs is None or self.step_configs.same)
        )


def compare(
    old: dict[str, Any],
    new: dict[str, Any],
    old_configs: dict[str, object] | None,
    new_configs: dict[str, object] | None,
) -> Plan:
    configs = None
    if old_configs is not None and new_configs is not None:
        configs = _section(old_configs, new_configs, lambda a, b: _values(a, b, ""))
    return Plan(
        parameters=_section(
            _by_name(old.get("Parameters", [])),
            _by_name(new.get("Parameters", [])),
            lambda a, b: _values(a, b, ""),
        ),
        steps=_section(
            _by_name(old.get("Steps", [])),
            _by_name(new.get("Steps", [])),
            _step_changes,
        ),
        step_configs=configs,
        pipeline=_values(_top(old, new), _top(new, old), ""),
    )


def _top(side: dict[str, object], other: dict[str, object]) -> dict[str, object]:
    """A definition's top-level keys, but `Parameters` and `Steps` (compared by name) only as
    present (an empty list) when the other side lacks them."""
    return {
        key: ([] if key in ("Parameters", "Steps") else value)
        for key, value in side.items()
        if key not in ("Parameters", "Steps") or key not in other
    }


def _by_name(items: list[Any]) -> dict[str, dict[str, Any]]:
    return {
        item.get("Name", f"#{i}"): item
        for i, item in enumerate(items)
        if isinstance(item, dict)
    }


def _section(
    old: dict[str, _Item],
    new: dict[str, _Item],
    changes_of: Callable[[_Item, _Item], list[Change]],
) -> Section:
    section = Section(
        added=[n for n in new if n not in old], removed=[n for n in old if n not in new]
    )
    for name, item in new.items():
        if name in old:
            found = changes_of(old[name], item)
            if found:
                section.changed[name] = found
    return section


def _step_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    if not same(old.get("DependsOn", []), new.get("DependsOn", [])):
        changes.append(
            Change(
                "DependsOn",
                old.get("DependsOn", []),
                new.get("DependsOn", []),
                "depends_on",
            )
        )
    rest_old = {k: v for k, v in old.items() if k != "DependsOn"}
    rest_new = {k: v for k, v in new.items() if k != "DependsOn"}
    return changes + _values(rest_old, rest_new, "")


def same(old: object, new: object) -> bool:
    """Whether two JSON values are the same as JSON: of one type (bool, int, float, str, None,
    object, array), equal, recursively; a float NaN equals a NaN."""
    if type(old) is not type(new):
        return False
    # of one type: `new` is a dict, list or float when `old` is
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(same(v, new[k]) for k, v in old.items())
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(
            same(a, b) for a, b in zip(old, new, strict=True)
        )
    if isinstance(old, float) and isinstance(new, float):
        return old == new or (math.isnan(old) and math.isnan(new))
    return old == new


def _values(old: object, new: object, path: str) -> list[Change]:
    if same(old, new):
        return []
    # compared whole: a reference or a Join
    if _is_expression(old) or _is_expression(new):
        kind = "wiring" if "'Steps." in repr(old) + repr(new) else "value"
        return [Change(path, old, new, kind)]
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[Change] = []
        for key in list(old) + [k for k in new if k not in old]:
            found += _values(
                old.get(key, MISSING), new.get(key, MISSING), _join(path, key)
            )
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            c
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for c in _values(a, b, f"{path}[{i}]")
        ]
    kind = "code" if code_keys(str(old)) or code_keys(str(new)) else "value"
    return [Change(path, old, new, kind)]


def _is_expression(value: object) -> bool:
    """A pipeline expression (`{"Get": ...}`, `{"Std:Join": ...}`): where data comes from."""
    return isinstance(value, dict) and any(
        k == "Get" or k.startswith("Std:") for k in value
    )


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)
