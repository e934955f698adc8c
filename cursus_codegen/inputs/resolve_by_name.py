"""One DAG node -> its configuration by name alone (the deterministic rules of resolve.py:
1a exact key, 1c key ignoring case, 1d the only configuration of the node's step type, and
`<StepType>_<job_type>`), or the message saying why there is no unique answer.
"""

from __future__ import annotations

from cursus_codegen.inputs.config import ConfigFile, NodeConfig
from cursus_codegen.inputs.resolve_naming import canonical_key, split_job_type_suffix


def resolve_by_name(
    node: str, config: ConfigFile, step_types: dict[str, str]
) -> tuple[NodeConfig | None, str]:
    """(configuration, "") or (None, the error message)."""
    exact = config.get(node)  # 1a
    if exact is not None:
        return exact, ""
    same_letters = [c for c in config.configs if c.key.lower() == node.lower()]  # 1c
    if same_letters:
        return _unique(node, same_letters, "keys equal to it ignoring case")
    known = list(dict.fromkeys(step_types.values()))
    base, suffix = split_job_type_suffix(node, known)
    if suffix is None:  # 1d
        candidates = [
            c
            for c in config.configs
            if canonical_key(step_types.get(c.key, "")) == canonical_key(node)
        ]
        plural = f"configurations of step type {node!r}"
        # not a known step type: say what `<StepType>_<job_type>` would need
        if "_" in node:
            base, suffix = node.rsplit("_", 1)
    else:  # <StepType>_<job_type>
        candidates = [
            c
            for c in config.configs
            if canonical_key(step_types.get(c.key, "")) == canonical_key(base)
            and str(c.values.get("job_type") or "").lower() == suffix.lower()
        ]
        plural = f"{base} configurations with job_type {suffix!r}"
    if not candidates:
        wanted = (
            f"{base} configuration with job_type {suffix!r}"
            if suffix
            else f"configuration of step type {node!r}"
        )
        available = ", ".join(c.key for c in config.configs) or "none"
        return None, (
            f"no configuration for DAG node {node!r}: no key {node!r} and no {wanted} "
            f"(available configuration keys: {available})"
        )
    return _unique(node, candidates, plural)


def _unique(
    node: str, candidates: list[NodeConfig], what: str
) -> tuple[NodeConfig | None, str]:
    """(the one candidate, "") or (None, the error message)."""
    if len(candidates) == 1:
        return candidates[0], ""
    names = ", ".join(repr(c.key) for c in candidates)
    return None, (
        f"DAG node {node!r} matches several configurations ({what}): {names}; "
        f"rename the node to the configuration key it means"
    )
