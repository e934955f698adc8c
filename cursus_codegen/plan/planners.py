"""Which planner builds each SageMaker step kind (the catalog's `sagemaker_step_type`), and
the DAG's steps planned by them in build order."""

from collections.abc import Callable
from dataclasses import replace

from cursus_codegen.inputs import Dag
from cursus_codegen.plan import model as m
from cursus_codegen.plan.context import NodeContext, UpstreamOf, upstream
from cursus_codegen.plan.features import STEP_CLASS
from cursus_codegen.plan.model_steps import plan_create_model, plan_transform
from cursus_codegen.plan.processing import plan_processing
from cursus_codegen.plan.sdk import is_delegation, plan_sdk
from cursus_codegen.plan.training import plan_training
from cursus_codegen.plan.tuning import plan_tuning
from cursus_codegen.plan.wiring import Wire

# (the node, its 1-based build position, the step vars of its predecessors, how to read a
# wired input) -> the node's step
Planner = Callable[[NodeContext, int, list[str], UpstreamOf], m.StepPlan]


def plan_processing_or_delegation(
    ctx: NodeContext, index: int, params: list[str], upstream_of: UpstreamOf
) -> m.StepPlan:
    """cursus routes Processing on patterns.step_assembly: `delegation` is an SDK step."""
    planner: Planner = plan_sdk if is_delegation(ctx) else plan_processing
    return planner(ctx, index, params, upstream_of)


PLANNERS: dict[str, Planner] = {
    "Processing": plan_processing_or_delegation,
    "Training": plan_training,
    "CreateModel": plan_create_model,
    "Transform": plan_transform,
    "Tuning": plan_tuning,  # HyperparameterTuner + TuningStep
    "CradleDataLoading": plan_sdk,
    "RedshiftDataLoading": plan_sdk,
    "MimsModelRegistrationProcessing": plan_sdk,
}


def plan_steps(dag: Dag, contexts: dict[str, NodeContext]) -> tuple[m.StepPlan, ...]:
    """Every node's step in build order, with its place in the DAG's declaration and the step
    classes of its parameters; a node of a kind no planner builds is reported on its context.
    """
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
