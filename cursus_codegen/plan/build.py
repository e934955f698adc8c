"""DAG + configuration + catalog -> PipelinePlan.

The one place that looks at the raw inputs and decides: which configuration each node uses,
its step type and SageMaker name, the build order, the wiring, and the module metadata.
Errors are collected, never raised: `build_plan` returns (plan or None, diagnostics).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cursus_codegen.catalog import Catalog, load_catalog
from cursus_codegen.catalog.types import StepType
from cursus_codegen.catalog.validators import failed_validators
from cursus_codegen.catalog.values import config_values, misshapen_fields
from cursus_codegen.catalog.variants import for_job_type
from cursus_codegen.diagnostics import Diagnostic, Location, error, has_errors, warning
from cursus_codegen.fs import reads
from cursus_codegen.inputs import (
    ConfigFile,
    Dag,
    NodeConfig,
    read_config,
    read_dag,
    resolve_nodes,
)
from cursus_codegen.naming import step_name, unique_identifiers
from cursus_codegen.paths import LocalLayout, default_project_root
from cursus_codegen.plan import model as m
from cursus_codegen.plan.assemble import Planned, pipeline_plan, regional_pipeline
from cursus_codegen.plan.context import NodeContext, upstream
from cursus_codegen.plan.features import STEP_CLASS
from cursus_codegen.plan.planners import PLANNERS
from cursus_codegen.plan.sdk import share_related_configs
from cursus_codegen.plan.wiring import Wire, WireNode, compute_wiring

# Names the generated methods use for their own locals: node variables must not shadow them.
RESERVED = {
    "self",
    "environment",
    "processor",
    "inputs",
    "outputs",
    "step_args",
    "estimator",
    "model",
    "transformer",
    "transform_input",
    "os",
    "Path",
    "sagemaker",
    "image_uris",
    "Join",
    "Pipeline",
    "tuner",  # the Tuning step's HyperparameterTuner
    # builtins the module calls or may call: a node variable must not shadow them either
    "list",
    "dict",
    "str",
    "int",
    "float",
    "bool",
    "len",
    "super",
    "type",
    "object",
    "isinstance",
    "sdk_step",  # the local of the secure-sandbox SDK step methods (templates/steps/sdk.py.j2)
}


@dataclass(frozen=True)
class Options:
    dag_path: Path
    config_path: Path
    dag_display: str
    config_display: str
    module_dir: Path  # where the module will be written (cwd for stdout)
    command: str  # the regenerate command, run from the module's folder
    dag_header: str = ""  # input paths relative to the module's folder, for the header
    config_header: str = ""
    class_name: str | None = None
    author: str | None = None
    version: str | None = None
    description: str | None = None
    dag_function: str | None = None
    exec_dag: bool = False
    project_root: Path | None = None
    steps_dirs: tuple[Path, ...] = ()
    strict: bool = False
    more_configs: tuple[
        tuple[Path, str, str], ...
    ] = ()  # (path, display, header): other regions
    vendor: bool = (
        False  # copy every uploaded file beside the module (output/vendor.py)
    )


@dataclass
class _Resolved:
    dag: Dag
    config: ConfigFile
    catalog: Catalog
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_inputs(opts: Options) -> tuple[_Resolved | None, list[Diagnostic]]:
    dag, diags = read_dag(
        opts.dag_path, opts.dag_display, opts.dag_function, opts.exec_dag
    )
    catalog, catalog_diags = load_catalog(opts.steps_dirs)
    diags += catalog_diags
    config = None
    if catalog is not None:
        config, config_diags = read_config(opts.config_path, opts.config_display)
        diags += config_diags
    if dag is None or config is None or catalog is None or has_errors(diags):
        return None, diags
    return _Resolved(dag, config, catalog), diags


def build_plan(opts: Options) -> tuple[m.PipelinePlan | None, list[Diagnostic]]:
    """One configuration: its pipeline. Several (one per region): one pipeline whose values
    that differ between the regions are Regional (plan/regions.py)."""
    planned, diags = _plan_configuration(opts, opts.config_path, opts.config_display)
    if not opts.more_configs:
        return (None if planned is None else pipeline_plan(opts, *planned)), diags
    regions = [planned]
    for path, display, _ in opts.more_configs:
        more, found = _plan_configuration(opts, path, display)
        regions.append(more)
        diags += found
    if any(r is None for r in regions) or has_errors(diags):
        return None, diags
    return regional_pipeline(opts, [r for r in regions if r is not None], diags)


# A configuration's (step type, effective values), as `_effective_values` computes them.
ValuesOf = Callable[[NodeConfig], tuple[StepType | None, Mapping[str, Any]]]


def _plan_configuration(
    opts: Options, config_path: Path, config_display: str
) -> tuple[Planned | None, list[Diagnostic]]:
    """((configuration, steps), diagnostics) for one configuration file, or (None, ...)."""
    resolved, diags = read_inputs(
        replace(opts, config_path=config_path, config_display=config_display)
    )
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
        vendor=opts.vendor,
    )
    contexts = _node_contexts(dag, mapping, catalog, layout, opts.strict, diags)
    share_related_configs(contexts, config, catalog)
    if has_errors(diags):
        return None, diags
    steps = _plan_steps(dag, contexts)
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


def _node_contexts(
    dag: Dag,
    mapping: Mapping[str, NodeConfig],
    catalog: Catalog,
    layout: LocalLayout,
    strict: bool,
    diags: list[Diagnostic],
) -> dict[str, NodeContext]:
    names = dag.build_order()
    variables = dict(zip(names, unique_identifiers(list(names), RESERVED), strict=True))
    contexts: dict[str, NodeContext] = {}
    for node in names:
        cfg = mapping[node]
        base_step = catalog.by_config_class[cfg.class_name]
        values, missing = config_values(base_step, catalog, cfg.values)
        for name in missing:
            diags.append(
                error(
                    f"required field {name!r} of {cfg.class_name} is missing",
                    cfg.location(name),
                )
            )
        for spec in failed_validators(base_step.validators, values):
            field_name = spec.require_any[0].split(".")[0]
            diags.append(
                warning(
                    f"{cfg.class_name} {cfg.key!r}: cursus's validator rejects this "
                    f"configuration ({spec.message}); cursus then builds the step unvalidated",
                    cfg.location(field_name),
                )
            )
        misshapen = misshapen_fields(base_step, catalog, values)
        for name, problem in misshapen:
            diags.append(
                error(
                    f"field {name!r} of {cfg.class_name} {problem}", cfg.location(name)
                )
            )
        if misshapen:
            continue  # the node cannot be planned; its errors are reported with the others
        step = for_job_type(base_step, values.get("job_type"))
        region = values.get("region") if step.step_type == "Registration" else None
        contexts[node] = NodeContext(
            node=node,
            config_key=cfg.key,
            step=step,
            values=values,
            step_name=step_name(step.step_type, values.get("job_type"), region),
            var=variables[node],
            wires=(),
            locate=_locator(cfg),
            layout=layout,
            strict=strict,
        )
    if len(contexts) < len(names):
        return contexts
    wiring = compute_wiring(
        [
            WireNode(n, c.step.step_type, c.step_name, c.step.inputs, c.step.outputs)
            for n, c in contexts.items()
        ],
        [(e.src, e.dst) for e in dag.edges],
    )
    for node, ctx in contexts.items():
        ctx.wires = wiring.get(node, ())
    return contexts


def _locator(cfg: NodeConfig) -> Callable[[str | None], Location]:
    def locate(field_name: str | None) -> Location:
        return (
            cfg.location(field_name) if field_name else cfg.location("__model_type__")
        )

    return locate


def _plan_steps(dag: Dag, contexts: dict[str, NodeContext]) -> tuple[m.StepPlan, ...]:
    steps: list[m.StepPlan] = []
    for index, node in enumerate(dag.build_order(), start=1):
        ctx = contexts[node]
        params = [contexts[p].var for p in dag.predecessors(node)]

        def upstream_of(
            wire: Wire,
            _contexts: dict[str, NodeContext] = contexts,
            _ctx: NodeContext = ctx,  # bound now: the planner calls it for this node only
        ) -> m.Expr:
            producer = _contexts[wire.producer]
            spec = next(
                o for o in producer.step.outputs if o.logical_name == wire.output
            )
            expr = upstream(producer.var, spec)
            if expr is None:
                _ctx.fail(
                    f"step type {producer.step.step_type}: output {spec.logical_name!r} has "
                    f"a property_path that cannot be read: {spec.property_path!r}"
                )
                return m.Literal(None)
            return expr

        planner = PLANNERS.get(ctx.step.sagemaker_step_type)
        if planner is None:
            ctx.fail(
                f"step type {ctx.step.step_type} ({ctx.step.sagemaker_step_type}) "
                "is not supported by this generator yet"
            )
            continue
        steps.append(planner(ctx, index, params, upstream_of))
    declared = {name: position for position, name in enumerate(dag.node_names())}
    returns = {step.var: STEP_CLASS[step.kind] for step in steps}
    return tuple(
        replace(
            step,
            declared=declared[step.node],
            param_types=tuple(returns.get(p, "Any") for p in step.params),
        )
        for step in steps
    )
