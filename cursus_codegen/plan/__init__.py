"""Phase 2, planning: the read inputs and the catalog in; one immutable `PipelinePlan` out,
where everything is decided (names, build order, cursus's wiring, every argument as a value).
The renderer and `explain` read the plan; nothing here writes code or files.
"""

from cursus_codegen.plan.build import build_plan
from cursus_codegen.plan.model import PipelinePlan, StepPlan
from cursus_codegen.plan.options import Options

__all__ = ["Options", "PipelinePlan", "StepPlan", "build_plan"]
