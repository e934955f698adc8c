"""Which planner builds each SageMaker step kind (the catalog's `sagemaker_step_type`)."""

from collections.abc import Callable

from cursus_codegen.plan import model as m
from cursus_codegen.plan.context import NodeContext, UpstreamOf
from cursus_codegen.plan.model_steps import plan_create_model, plan_transform
from cursus_codegen.plan.processing import plan_processing
from cursus_codegen.plan.sdk import is_delegation, plan_sdk
from cursus_codegen.plan.training import plan_training
from cursus_codegen.plan.tuning import plan_tuning

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
