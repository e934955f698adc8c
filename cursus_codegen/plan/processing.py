"""Processing steps: SKLearn / XGBoost / Framework processors, cursus's `code` and `step_args`
assemblies (reference/cursus-steps.md §1.6-§1.7)."""

from __future__ import annotations

from collections.abc import Sequence

from cursus_codegen.catalog import evaluate
from cursus_codegen.paths import join_posix
from cursus_codegen.plan import model as m
from cursus_codegen.plan.byo import (
    BYO_PROCESSING_KINDS,
    byo_processor,
    processing_instance_type,
    processing_notes,
)
from cursus_codegen.plan.common import (
    ROLE,
    SDK_CLASSES,
    SESSION,
    compute_of,
    framework_version,
    lit,
    output_segments,
    resolved_inputs,
    step_plan,
)
from cursus_codegen.plan.context import NodeContext, UpstreamOf
from cursus_codegen.plan.rule_files import check_rule_files

PROCESSOR_CLASSES = {"sklearn": "SKLearnProcessor", "xgboost": "XGBoostProcessor"}


def _processing_source(ctx: NodeContext) -> str | None:
    """cursus effective_source_dir: the first of processing_source_dir/source_dir that exists."""
    candidates: list[tuple[str, str | None]] = [
        ("processing_source_dir", ctx.value("processing_source_dir")),
        ("source_dir", ctx.value("source_dir")),
    ]
    for _, folder in candidates:
        if folder and ctx.layout.exists(folder):
            return folder
    return next((folder for _, folder in candidates if folder), None)


def _processor_kwargs(ctx: NodeContext) -> tuple[str, tuple[tuple[str, m.Expr], ...]]:
    compute = compute_of(ctx, "kind")
    if compute.kind in BYO_PROCESSING_KINDS:
        return byo_processor(ctx)
    fw = framework_version(ctx, compute)
    instance = processing_instance_type(ctx)
    head: list[tuple[str, m.Expr]] = []
    if compute.kind == "framework":
        cls = "FrameworkProcessor"
        head.append(("estimator_cls", m.Name(SDK_CLASSES[compute.sdk_class])))
        head.append(("framework_version", lit(fw)))
        if compute.py_version_field:
            head.append(("py_version", lit(ctx.value(compute.py_version_field))))
    else:
        cls = PROCESSOR_CLASSES[compute.kind]
        head.append(("framework_version", lit(fw)))
    common: list[tuple[str, m.Expr]] = [
        ("role", ROLE),
        ("instance_type", lit(instance)),
        ("instance_count", lit(ctx.value("processing_instance_count"))),
        ("volume_size_in_gb", lit(ctx.value("processing_volume_size"))),
        ("base_job_name", lit(ctx.step_name)),
        ("sagemaker_session", SESSION),
    ]
    return cls, tuple(head + common)


def plan_processing(
    ctx: NodeContext, index: int, params: Sequence[str], upstream_of: UpstreamOf
) -> m.StepPlan:
    cls, kwargs = _processor_kwargs(ctx)
    inputs = tuple(
        m.InputPlan(spec.logical_name, spec.path, source, note, caveat)
        for spec, source, note, caveat in resolved_inputs(ctx, upstream_of)
    )
    outputs = (
        ()
        if ctx.step.sink
        else tuple(
            m.OutputPlan(
                o.logical_name,
                o.path,
                m.OutputJoin(output_segments(ctx, o.logical_name)),
            )
            for o in ctx.step.outputs
        )
    )
    check_rule_files(ctx)  # the rule / prompt files cursus writes into the project
    folder = _processing_source(ctx)
    compute = compute_of(ctx, "assembly")
    entry_field = ctx.step.entry_point_field
    entry = ctx.value(entry_field) if entry_field else None
    code: m.Expr | None = None
    source_dir: m.Expr | None = None
    if entry_field and entry:  # entry is only set when entry_field is
        script = join_posix(folder, entry) if folder else entry
        if compute.assembly == "step_args" and compute.split_source_dir:
            source_dir = ctx.local(folder or ".", "processing_source_dir")
            code = lit(entry.rsplit("/", 1)[-1])
        else:
            code = ctx.local(script, entry_field)
    else:
        ctx.fail(
            f"node {ctx.node!r}: {ctx.step.entry_point_field or 'entry point'} is not set"
        )
    return step_plan(
        ctx,
        index,
        params,
        "processing",
        cls,
        kwargs,
        inputs,
        outputs,
        code=code,
        source_dir=source_dir,
        assembly=compute.assembly,
        job_arguments=evaluate.job_arguments(ctx.step, ctx.values),
        notes=processing_notes(ctx),
    )
