"""cursus's step-name helpers (`step_catalog/naming.py`), as the resolver compares names:
`canonical_key` (case- and separator-insensitive) and `split_job_type_suffix`.
"""

from __future__ import annotations

from collections.abc import Iterable


def canonical_key(name: str) -> str:
    """cursus `naming.canonical_key`: case- and separator-insensitive form of a step name."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def split_job_type_suffix(
    node: str, known_step_types: Iterable[str]
) -> tuple[str, str | None]:
    """cursus `naming.split_job_type_suffix`: (base step type, suffix or None).

    The base is the longest `_`-separated prefix of the node that is a known step type (cursus
    `resolve_base_step_name`); the suffix is what follows it. A node with no known prefix, or
    that is itself a step type, has no suffix. cursus recomputes the suffix from string lengths;
    taking the segments after the matched prefix gives the same result.
    """
    by_key: dict[str, str] = {}
    for step_type in known_step_types:
        by_key.setdefault(canonical_key(step_type), step_type)
    parts = node.split("_")
    for cut in range(len(parts), 0, -1):
        base = by_key.get(canonical_key("_".join(parts[:cut])))
        if base is not None:
            if canonical_key(base) == canonical_key(node):
                return base, None
            return base, "_".join(parts[cut:]) or None
    return node, None
