"""The typed plan between reading and rendering.

Everything the templates need, already decided: names, order, every argument as an `Expr`.
Nothing in here refers back to the raw configuration, and nothing in here is text of code:
values stay values until `output/render.py` turns them into Python source through `pyexpr`.
All containers are tuples so a plan is immutable and its order is explicit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

# The expression vocabulary is part of the plan's language: planners write `m.Literal(...)`.
from cursus_codegen.expr import (
    Call,
    DictOf,
    Expr,
    ListOf,
    Literal,
    LocalFile,
    Name,
    OutputJoin,
    Regional,
    RoleAccountImage,
    SuffixJoin,
    Upstream,
)

if TYPE_CHECKING:
    from cursus_codegen.plan.wiring import Wire

# The plan and, re-exported, the expression vocabulary (mypy --strict exports an imported
# name only when it is listed here).
__all__ = [
    "Call",
    "DictOf",
    "Expr",
    "HeaderInput",
    "InputPlan",
    "ListOf",
    "Literal",
    "LocalFile",
    "Name",
    "OutputJoin",
    "OutputPlan",
    "PipelinePlan",
    "Regional",
    "RoleAccountImage",
    "StepPlan",
    "SuffixJoin",
    "Upstream",
]

# --- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InputPlan:
    name: str  # logical name (ProcessingInput input_name / training channel)
    destination: str | None  # container path (processing); None for training channels
    source: Expr
    note: str  # why this source: "DATA <- CradleDataLoading_training.DATA (exact name, 1.000)"
    # why a reviewer should look twice (cursus wiring that looks accidental)
    caveat: str = ""


@dataclass(frozen=True)
class OutputPlan:
    name: str
    container_path: str
    destination: Expr


@dataclass(frozen=True)
class StepPlan:
    index: int  # 1-based position in build order
    node: str  # DAG node name
    config_key: str
    step_type: str
    step_name: str  # SageMaker step name
    kind: str  # processing | training | create_model | transform
    method: str  # method name in the generated class (identifier)
    var: str  # local variable holding the step in generate_pipeline (identifier)
    # upstream step vars this method takes, in predecessor order
    params: tuple[str, ...]
    compute_class: str  # SKLearnProcessor, XGBoost, XGBoostModel, Transformer, ...
    compute_kwargs: tuple[tuple[str, Expr], ...]
    inputs: tuple[InputPlan, ...]
    outputs: tuple[OutputPlan, ...]
    environment: tuple[tuple[str, Expr], ...]  # literals, or Joins for computed paths
    # job_arguments and cache_enabled: Regional where a multi-region plan's regions differ
    job_arguments: tuple[str, ...] | Regional | None
    code: Expr | None  # processing script (code=) or None
    source_dir: Expr | None  # processing step_args split source dir
    assembly: str  # processing: code | step_args
    depends_on: tuple[str, ...]  # step vars
    cache_enabled: bool | Regional | None  # None: the step kind takes no cache config
    # kind-specific extras (transform input args, ...)
    extra: tuple[tuple[str, Expr], ...] = ()
    notes: tuple[str, ...] = ()  # reviewer notes printed above the step
    # one line per wired input, for the module docstring
    wiring_notes: tuple[str, ...] = ()
    # cursus's wiring of this node (wiring.Wire), for `explain`
    wires: tuple[Wire, ...] = ()
    # position of the node in the DAG's declaration: the order of the methods
    declared: int = 0
    # the step class of each upstream step in `params`
    param_types: tuple[str, ...] = ()
    # (alias, step name) when regions differ
    regional_names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class HeaderInput:
    role: str  # "DAG" / "config"
    path: str  # as given on the command line
    sha256: str


@dataclass(frozen=True)
class PipelinePlan:
    class_name: str
    author: str
    version: str
    description: str
    pipeline_name: str
    regional_alias: str
    steps: tuple[StepPlan, ...]
    imports: tuple[tuple[str, tuple[str, ...]], ...]  # (module, names) sorted
    inputs: tuple[HeaderInput, ...]
    command: str  # the command that regenerates the module
    generator_version: str
    # values several steps use (shared_values.py)
    constants: tuple[tuple[str, Expr], ...] = ()
    # module helpers and names the steps use (features.py)
    features: frozenset[str] = frozenset()
    # (alias, pipeline name) per configuration; () for one
    regions: tuple[tuple[str, str], ...] = ()
    # (alias, description) when they differ
    region_descriptions: tuple[tuple[str, str], ...] = ()
    # --vendor: (path, step names using it)
    vendored: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # --vendor: the project root the copies come from (never emitted)
    vendor_source: str = ""
