"""DAG + configuration + catalog -> PipelinePlan.

The one place that looks at the raw inputs and decides: which configuration each node uses,
its step type and SageMaker name, the build order, the wiring, and the module metadata.
Errors are collected, never raised: `build_plan` returns (plan or None, diagnostics).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cursus_codegen.catalog import Catalog, load_catalog
from cursus_codegen.catalog.types import StepType
from cursus_codegen.catalog.values import config_values
from cursus_codegen.diagnostics import Diagnostic, has_errors
from cursus_codegen.fs import reads
from cursus_codegen.inputs import (
    ConfigFile,
    Dag,
    NodeConfig,
    read_config,
    read_dag,
    resolve_nodes,
)
from cursus_codegen.naming import step_name
from cursus_codegen.options.input_file import InputFile
from cursus_codegen.paths import LocalLayout, default_project_root
from cursus_codegen.plan import model as m
from cursus_codegen.plan.assemble import Planned, pipeline_plan, regional_pipeline
from cursus_codegen.plan.node_contexts import node_contexts
from cursus_codegen.plan.options import Options
from cursus_codegen.plan.planners import plan_steps
from cursus_codegen.plan.sdk import share_related_configs


@dataclass
class _Resolved:
    dag: Dag
    config: ConfigFile
    catalog: Catalog
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_inputs(
    opts: Options, config_file: InputFile
) -> tuple[_Resolved | None, list[Diagnostic]]:
    dag, diags = read_dag(
        opts.dag.path,
        opts.dag.display,
        opts.values["dag_function"],
        opts.values["exec_dag"],
    )
    catalog, catalog_diags = load_catalog(opts.steps_dirs)
    diags += catalog_diags
    config = None
    if catalog is not None:
        config, config_diags = read_config(config_file.path, config_file.display)
        diags += config_diags
    if dag is None or config is None or catalog is None or has_errors(diags):
        return None, diags
    return _Resolved(dag, config, catalog), diags


def build_plan(opts: Options) -> tuple[m.PipelinePlan | None, list[Diagnostic]]:
    """One configuration: its pipeline. Several (one per region): one pipeline whose values
    that differ between the regions are Regional (plan/regions.py)."""
    planned, diags = _plan_configuration(opts, opts.configs[0])
    if len(opts.configs) == 1:
        return (None if planned is None else pipeline_plan(opts, *planned)), diags
    regions = [planned]
    for config_file in opts.configs[1:]:
        more, found = _plan_configuration(opts, config_file)
        regions.append(more)
        diags += found
    if any(r is None for r in regions) or has_errors(diags):
        return None, diags
    return regional_pipeline(opts, [r for r in regions if r is not None], diags)


# A configuration's (step type, effective values), as `_effective_values` computes them.
ValuesOf = Callable[[NodeConfig], tuple[StepType | None, Mapping[str, Any]]]


def _plan_configuration(
    opts: Options, config_file: InputFile
) -> tuple[Planned | None, list[Diagnostic]]:
    """((configuration, steps), diagnostics) for one configuration file, or (None, ...)."""
    config_path = config_file.path
    resolved, diags = read_inputs(opts, config_file)
    if resolved is None:
        return None, diags
    dag, config, catalog = resolved.dag, resolved.config, resolved.catalog
    node_locations = {n.name: n.location for n in dag.nodes}
    values_of = _effective_values(catalog)
    mapping, resolve_diags = resolve_nodes(
        dag.node_names(),
        config,
        catalog.step_type_of_class,
        node_locations.__getitem__,  # asked only for dag.node_names(): all are keys
        _emitted_step_name(values_of),
        _declared_job_type(values_of),
        tuple(catalog.by_step_type),
    )
    diags += resolve_diags
    if has_errors(diags):
        return None, diags
    layout = LocalLayout(
        project_root=reads.resolve(
            opts.project_root or default_project_root(config_path)
        )
        or Path(opts.project_root or config_path).absolute(),
        module_dir=reads.resolve(opts.module_dir) or opts.module_dir.absolute(),
        vendor=opts.values["vendor"],
    )
    contexts = node_contexts(
        dag, mapping, catalog, layout, opts.values["strict"], diags
    )
    share_related_configs(contexts, config, catalog)
    if has_errors(diags):
        return None, diags
    steps = plan_steps(dag, contexts)
    for ctx in contexts.values():
        diags += ctx.diagnostics
    if has_errors(diags):
        return None, diags
    return (config, steps), diags


def _effective_values(catalog: Catalog) -> ValuesOf:
    """A configuration's values as its class holds them (defaults applied), once per
    configuration: resolution reads its job_type and its emitted step name from them."""
    cache: dict[str, tuple[StepType | None, Mapping[str, Any]]] = {}

    def values_of(cfg: NodeConfig) -> tuple[StepType | None, Mapping[str, Any]]:
        if cfg.key not in cache:
            step = catalog.by_config_class.get(cfg.class_name)
            cache[cfg.key] = (
                step,
                config_values(step, catalog, cfg.values)[0] if step else cfg.values,
            )
        return cache[cfg.key]

    return values_of


def _emitted_step_name(values_of: ValuesOf) -> Callable[[NodeConfig], str | None]:
    """The SageMaker step name of a configuration as the module will emit it: job_type after
    the class's default is applied (a configuration that leaves it out still has one).
    """

    def name_of(cfg: NodeConfig) -> str | None:
        step, values = values_of(cfg)
        if step is None:
            return None
        region = values.get("region") if step.step_type == "Registration" else None
        return step_name(step.step_type, values.get("job_type"), region)

    return name_of


def _declared_job_type(
    values_of: ValuesOf,
) -> Callable[[NodeConfig], tuple[bool, object]]:
    """(the class declares job_type, its value with the class default): cursus's
    hasattr(config, "job_type") and getattr(config, "job_type") on the built configuration.
    """

    def job_type_of(cfg: NodeConfig) -> tuple[bool, object]:
        _, values = values_of(cfg)
        return "job_type" in values, values.get("job_type")

    return job_type_of
