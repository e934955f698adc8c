"""CreateModel and Transform steps (reference/cursus-steps.md §1.6-§1.7, §3.4)."""

from __future__ import annotations

from collections.abc import Sequence

from cursus_codegen.plan import model as m
from cursus_codegen.plan.common import (
    ROLE,
    SESSION,
    compute_of,
    framework_version,
    image_retrieve,
    lit,
    output_segments,
    resolved_inputs,
    source_dir,
    step_plan,
)
from cursus_codegen.plan.context import NodeContext, UpstreamOf


def plan_create_model(
    ctx: NodeContext, index: int, params: Sequence[str], upstream_of: UpstreamOf
) -> m.StepPlan:
    compute = compute_of(ctx, "framework_version_field")
    fw = framework_version(ctx, compute)
    py = ctx.value(compute.py_version_field) if compute.py_version_field else None
    resolved = resolved_inputs(ctx, upstream_of)
    model_data = next(
        (src for spec, src, _, _ in resolved if spec.logical_name == "model_data"), None
    )
    image = image_retrieve(
        ctx, compute.framework_name, fw, py, ctx.value("instance_type"), "inference"
    )
    kwargs: list[tuple[str, m.Expr]] = [
        ("model_data", model_data or lit(None)),
        ("role", ROLE),
        ("entry_point", ctx.entry_point()),
        ("source_dir", source_dir(ctx)),
        ("framework_version", lit(fw)),
        ("py_version", lit(py)),
        ("image_uri", image),
        ("sagemaker_session", SESSION),
        # A fixed model name keeps the SDK's code-upload key free of a timestamp.
        ("name", lit(ctx.step_name)),
    ]
    inputs = [
        m.InputPlan(s.logical_name, None, src, note, caveat)
        for s, src, note, caveat in resolved
    ]
    # the loader does not require sdk_class: without one the class is written `None`, as always
    cls = compute.sdk_class if compute.sdk_class is not None else "None"
    return step_plan(
        ctx,
        index,
        params,
        "create_model",
        cls,
        kwargs,
        inputs,
        (),
        cache_enabled=None,
    )


def plan_transform(
    ctx: NodeContext, index: int, params: Sequence[str], upstream_of: UpstreamOf
) -> m.StepPlan:
    resolved = {
        spec.logical_name: (src, note, caveat)
        for spec, src, note, caveat in resolved_inputs(ctx, upstream_of)
    }
    first_output = (
        ctx.step.outputs[0].logical_name if ctx.step.outputs else "transform_output"
    )
    model_name = resolved.get("model_name", (lit(None),))[0]
    data = resolved.get("processed_data", (lit(None),))[0]
    kwargs: list[tuple[str, m.Expr]] = [
        ("model_name", model_name),
        ("instance_type", lit(ctx.value("transform_instance_type"))),
        ("instance_count", lit(ctx.value("transform_instance_count"))),
        ("output_path", m.OutputJoin(output_segments(ctx, first_output))),
        ("accept", lit(ctx.value("accept"))),
        ("assemble_with", lit(ctx.value("assemble_with"))),
        ("sagemaker_session", SESSION),
        ("base_transform_job_name", lit(ctx.step_name)),
    ]
    transform_input = (
        ("data", data),
        ("content_type", lit(ctx.value("content_type"))),
        ("split_type", lit(ctx.value("split_type"))),
        ("join_source", lit(ctx.value("join_source"))),
        ("input_filter", lit(ctx.value("input_filter"))),
        ("output_filter", lit(ctx.value("output_filter"))),
    )
    inputs = [
        m.InputPlan(name, None, src, note, caveat)
        for name, (src, note, caveat) in resolved.items()
    ]
    return step_plan(
        ctx,
        index,
        params,
        "transform",
        "Transformer",
        kwargs,
        inputs,
        (),
        extra=transform_input,
        cache_enabled=bool(ctx.value("enable_caching", False)),
    )
