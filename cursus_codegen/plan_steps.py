"""Which planner builds each SageMaker step kind (the catalog's `sagemaker_step_type`)."""

from cursus_codegen.plan_model import plan_create_model, plan_transform
from cursus_codegen.plan_processing import plan_processing
from cursus_codegen.plan_training import plan_training

PLANNERS = {
    "Processing": plan_processing,
    "Training": plan_training,
    "CreateModel": plan_create_model,
    "Transform": plan_transform,
}
