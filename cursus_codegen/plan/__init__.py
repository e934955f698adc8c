"""Phase 2, planning: the read inputs and the catalog in; one immutable `PipelinePlan` out,
where everything is decided (names, build order, cursus's wiring, every argument as a value).
The renderer and `explain` read the plan; nothing here writes code or files.
"""

from cursus_codegen.plan.build import Options, build_plan
from cursus_codegen.plan.model import PipelinePlan, StepPlan

__all__ = ["Options", "PipelinePlan", "StepPlan", "build_plan"]
