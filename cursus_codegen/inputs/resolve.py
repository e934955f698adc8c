"""DAG node -> configuration, by name only, and refusing whenever the answer is not unique.

Mirrors the deterministic part of cursus's resolver
(`step_catalog/adapters/config_resolver.py::StepConfigResolverAdapter`):
  1a. `_direct_name_matching`: the node is a configuration key;
  1c. the same, ignoring case (cursus takes the first such key; we require exactly one);
  1d. a node without a job-type suffix -> the only configuration whose class's step type is the
      node (compared with `step_catalog/naming.py::canonical_key`: lower-case alphanumerics);
  and, where cursus would fall through to fuzzy scoring, one rule of our own: a node
  `<StepType>_<suffix>` -> the only `<StepType>` configuration whose job_type is the suffix
  (the rule the writer uses to name keys, `generate_step_name`, read backwards).
Not implemented on purpose: 1b (`metadata.config_types[node]`; dead because the loaded keys are
the config_types keys) and the scored job_type/semantic/pattern strategies, which bind nodes to
configurations of another step type (ab_lightgbm: `LightGBMTraining` -> a Cradle config).
Then, like `_raise_on_duplicate_step_names`, two nodes whose SageMaker step names
(`<StepType>[-<Job_type>]`) coincide are an error. The step type always comes from the class.
The name rules themselves are in resolve_by_name.py, cursus's scored fallback in resolve_scored.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cursus_codegen.diagnostics import (
    Diagnostic,
    Location,
    error,
    json_pointer,
    warning,
)
from cursus_codegen.inputs.config import ConfigFile, NodeConfig
from cursus_codegen.inputs.resolve_by_name import resolve_by_name
from cursus_codegen.inputs.resolve_naming import canonical_key, split_job_type_suffix
from cursus_codegen.inputs.resolve_scored import (
    JobTypeOf,
    Scored,
    best_scored,
    legacy_step_type,
)


def resolve_nodes(
    node_names: Sequence[str],
    config: ConfigFile,
    step_type_of_class: Callable[[str], str | None],
    locate_node: Callable[[str], Location] | None = None,
    step_name_of: Callable[[NodeConfig], str | None] | None = None,
    job_type_of: JobTypeOf | None = None,
    known_step_types: Sequence[str] = (),
) -> tuple[dict[str, NodeConfig], list[Diagnostic]]:
    """Every node's configuration (those that resolved) and every problem found.

    `step_name_of` gives the SageMaker step name a configuration will be emitted as (with the
    class's default job_type and Registration's region); without it, the name is computed from
    the configuration's own job_type. `job_type_of` and `known_step_types` (every step type of
    the catalog) feed cursus's scored fallback (resolve_scored.py)."""

    def where(node: str) -> Location:
        found = locate_node(node) if locate_node is not None else None
        return found if found is not None else Location(config.display_path)

    step_types, unknown = _step_types(config, step_type_of_class)
    diagnostics: list[Diagnostic] = []
    resolved: dict[str, NodeConfig] = {}
    known = list(dict.fromkeys([*known_step_types, *step_types.values()]))
    for node in node_names:
        match, problem = resolve_by_name(node, config, step_types)
        same_letters = any(c.key.lower() == node.lower() for c in config.configs)
        # cursus scores only after direct matching fails
        if match is None and not same_letters:
            scored = _scored(node, config, step_types, job_type_of, known)
            other_type = scored is not None and _names_another_step_type(
                node, scored, step_types, known
            )
            if scored is not None and other_type:
                problem = _cross_type_problem(node, scored, step_types)
            elif scored is not None:
                match = scored.config
                diagnostics.append(warning(_scored_note(node, scored), where(node)))
        if match is not None:
            resolved[node] = match
        else:
            diagnostics.append(error(problem, where(node)))
    diagnostics += _unknown_classes(config, resolved, unknown)
    diagnostics += _duplicate_step_names(resolved, step_types, where, step_name_of)
    return resolved, diagnostics


def _scored(
    node: str,
    config: ConfigFile,
    step_types: dict[str, str],
    job_type_of: JobTypeOf | None,
    known: Sequence[str],
) -> Scored | None:
    def step_type_of(cfg: NodeConfig) -> str:
        return step_types.get(cfg.key) or legacy_step_type(cfg.class_name)

    def own_job_type(cfg: NodeConfig) -> tuple[bool, object]:
        return "job_type" in cfg.values, cfg.values.get("job_type")

    base, _ = split_job_type_suffix(node, known)
    return best_scored(
        node, config.configs, step_type_of, job_type_of or own_job_type, base
    )


def _scored_note(node: str, scored: Scored) -> str:
    low = " (below cursus's 0.70 threshold)" if scored.confidence < 0.7 else ""
    return (
        f"no configuration is named after DAG node {node!r}; as cursus does, it is resolved by "
        f"{scored.method} matching to {scored.config.key!r} ({scored.config.class_name}) with "
        f"confidence {scored.confidence:.2f}{low}; name a configuration {node!r} to make this "
        f"explicit (an error under --strict)"
    )


def _names_another_step_type(
    node: str, scored: Scored, step_types: dict[str, str], known: Sequence[str]
) -> bool:
    """The node names a known step type and cursus's winner is a configuration of another one
    (ab_lightgbm: `LightGBMTraining` -> a CradleDataLoading configuration). cursus builds that
    node as the other step; the generator refuses rather than emit a step the DAG does not name.
    """
    base, _ = split_job_type_suffix(node, known)
    if canonical_key(base) not in {canonical_key(k) for k in known}:
        return False
    return canonical_key(step_types.get(scored.config.key, "")) != canonical_key(base)


def _cross_type_problem(node: str, scored: Scored, step_types: dict[str, str]) -> str:
    return (
        f"no configuration for DAG node {node!r}: cursus's {scored.method} matching would bind it "
        f"to {scored.config.key!r} ({scored.config.class_name}, step type "
        f"{step_types.get(scored.config.key, '?')}, confidence {scored.confidence:.2f}), a step of "
        f"another type than the node names; name a configuration {node!r}"
    )


def _step_types(
    config: ConfigFile, step_type_of_class: Callable[[str], str | None]
) -> tuple[dict[str, str], dict[str, Location]]:
    """Key -> step type, and key -> location of each configuration whose class no step type defines.

    cursus refuses a file with any unknown class; we refuse it only when a DAG node uses that
    configuration (see `_unknown_classes`), so a configuration file shared by several DAGs
    still works for the DAGs whose steps we support.
    """
    step_types: dict[str, str] = {}
    unknown: dict[str, Location] = {}
    for cfg in config.configs:
        step_type = step_type_of_class(cfg.class_name)
        if step_type is None:
            unknown[cfg.key] = cfg.class_location or Location(
                config.display_path,
                pointer=json_pointer("metadata", "config_types", cfg.key),
            )
        else:
            step_types[cfg.key] = step_type
    return step_types, unknown


def _unknown_classes(
    config: ConfigFile, resolved: dict[str, NodeConfig], unknown: dict[str, Location]
) -> list[Diagnostic]:
    used = {cfg.key for cfg in resolved.values()}
    diagnostics = []
    for cfg in config.configs:
        if cfg.key not in unknown:
            continue
        message = (
            f"unknown configuration class {cfg.class_name!r} (no step type defines it)"
        )
        if cfg.key in used:
            diagnostics.append(error(message, unknown[cfg.key]))
        else:
            diagnostics.append(
                warning(
                    message + "; no DAG node uses it, so it is ignored",
                    unknown[cfg.key],
                )
            )
    return diagnostics


def _duplicate_step_names(
    resolved: dict[str, NodeConfig],
    step_types: dict[str, str],
    where: Callable[[str], Location],
    step_name_of: Callable[[NodeConfig], str | None] | None = None,
) -> list[Diagnostic]:
    """cursus `_raise_on_duplicate_step_names`: `<StepType>` + `-<job_type.capitalize()>` if job_type."""
    nodes_by_name: dict[str, list[str]] = {}
    for node, cfg in resolved.items():
        step_type = step_types.get(cfg.key)
        if step_type is None:  # unknown class: already reported
            continue
        job_type = cfg.values.get("job_type")
        name = f"{step_type}-{str(job_type).capitalize()}" if job_type else step_type
        if step_name_of is not None:
            name = step_name_of(cfg) or name
        nodes_by_name.setdefault(name, []).append(node)
    diagnostics = []
    for name, nodes in nodes_by_name.items():
        if len(nodes) > 1:
            listed = ", ".join(
                f"{n!r} (configuration {resolved[n].key!r})" for n in nodes
            )
            diagnostics.append(
                error(
                    f"DAG nodes {listed} would all be the SageMaker step {name!r}; "
                    f"each node needs a configuration of its own",
                    where(nodes[1]),
                )
            )
    return diagnostics
