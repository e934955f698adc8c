"""Each DAG node's `NodeContext` (plan/context.py), built once before any step is planned:
its configuration's values with the class defaults (missing, misshapen or validator-rejected
fields reported), its job-type variant and SageMaker step name, its Python variable, and the
wires cursus would give it (plan/wiring.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from cursus_codegen.catalog import Catalog
from cursus_codegen.catalog.validators import failed_validators
from cursus_codegen.catalog.values import config_values, misshapen_fields
from cursus_codegen.catalog.variants import for_job_type
from cursus_codegen.diagnostics import Diagnostic, Location, error, warning
from cursus_codegen.inputs import Dag, NodeConfig
from cursus_codegen.naming import step_name, unique_identifiers
from cursus_codegen.paths import LocalLayout
from cursus_codegen.plan.context import NodeContext
from cursus_codegen.plan.wiring import WireNode, compute_wiring

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


def node_contexts(
    dag: Dag,
    mapping: Mapping[str, NodeConfig],
    catalog: Catalog,
    layout: LocalLayout,
    strict: bool,
    diags: list[Diagnostic],
) -> dict[str, NodeContext]:
    """The nodes' contexts in build order, errors and warnings added to `diags`. A node with a
    misshapen field gets no context, and then no node is wired (the plan stops there).
    """
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
