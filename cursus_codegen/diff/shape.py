"""Whether a side's definition (and STEP_CONFIGs) can be compared: a JSON object whose
`Parameters` and `Steps` are lists of JSON objects, whose names are strings, unique in each
list (items are matched by name), nesting at most MAX_DEPTH levels.

The comparison and the report recurse once per level; a pipeline definition nests a few tens of
levels at most, so a deeper one is refused (as bad input naming its side, by the caller) before
anything recurses into it. The depth is measured without recursion.
"""

from __future__ import annotations

MAX_DEPTH = 100


def problem(definition: object, step_configs: object = None) -> str | None:
    """Why the definition and STEP_CONFIGs (None: not known) cannot be compared, or None."""
    if not isinstance(definition, dict):
        return "the pipeline's definition is not a JSON object"
    if step_configs is not None and not isinstance(step_configs, dict):
        return "the execution-document STEP_CONFIGs are not a JSON object"
    parts = (
        ("definition", definition),
        ("execution-document STEP_CONFIGs", step_configs),
    )
    for what, value in parts:
        if deeper_than(value, MAX_DEPTH):
            return f"the pipeline's {what} nests deeper than {MAX_DEPTH} levels"
    for key in ("Parameters", "Steps"):
        items = definition.get(key, [])
        if not isinstance(items, list):
            return f"the pipeline's {key} is not a list"
        names = set()
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                return f"an item of the pipeline's {key} is not a JSON object"
            name = item.get("Name", f"#{index}")  # as compare.py names an unnamed item
            if not isinstance(name, str):
                return f"a name in the pipeline's {key} is not a string"
            if name in names:  # matched by name: a second one would hide the first
                return f"the pipeline's {key} hold two items named {name!r}"
            names.add(name)
    return None


def deeper_than(value: object, limit: int) -> bool:
    """Whether lists and objects nest more than `limit` levels deep in `value`."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list, tuple)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False
