"""Training steps: framework estimators, input_path fan-out into train/val/test channels, the
training output path `[prefix, canonical_to_snake(step type)]` (reference/cursus-steps.md §1.6-§2.3).
"""

from __future__ import annotations

from collections.abc import Sequence

from cursus_codegen.catalog.types import InputSpec
from cursus_codegen.naming import canonical_to_snake
from cursus_codegen.plan import model as m
from cursus_codegen.plan.byo import byo_estimator
from cursus_codegen.plan.common import (
    ROLE,
    SDK_CLASSES,
    SESSION,
    compute_of,
    framework_version,
    image_retrieve,
    lit,
    resolved_inputs,
    source_dir,
    step_plan,
)
from cursus_codegen.plan.context import NodeContext, UpstreamOf


def _channels(spec: InputSpec) -> tuple[tuple[str, ...], bool]:
    """cursus `channels_for`: declared channels, input_path fan-out, /opt/ml/input/data/<ch>."""
    if spec.channels:
        return spec.channels, True
    if spec.logical_name == "input_path":
        return ("train", "val", "test"), True
    parts = spec.path.split("/")
    if spec.path.startswith("/opt/ml/input/data/") and len(parts) > 5 and parts[5]:
        return (parts[5],), False
    return (spec.logical_name,), False


def plan_training(
    ctx: NodeContext, index: int, params: Sequence[str], upstream_of: UpstreamOf
) -> m.StepPlan:
    cls, kwargs = estimator_compute(ctx)
    inputs = training_inputs(ctx, upstream_of)
    # cursus TrainingHandler.build_step raises "No training inputs available"
    if not inputs:
        ctx.fail(
            f"node {ctx.node!r}: no training input is wired (cursus: No training inputs "
            "available); add an edge from a step producing one of its inputs"
        )
    return step_plan(ctx, index, params, "training", cls, kwargs, inputs, ())


def estimator_compute(ctx: NodeContext) -> tuple[str, tuple[tuple[str, m.Expr], ...]]:
    """(class, kwargs) of the estimator (shared with the Tuning planner)."""
    compute = compute_of(ctx, "kind")
    if compute.kind == "byo_container":
        return byo_estimator(ctx)
    fw = framework_version(ctx, compute)
    py = ctx.value(compute.py_version_field) if compute.py_version_field else None
    instance = ctx.value("training_instance_type")
    kwargs: list[tuple[str, m.Expr]] = [
        ("entry_point", ctx.entry_point()),
        ("source_dir", source_dir(ctx)),
        ("framework_version", lit(fw)),
        ("py_version", lit(py)),
        ("role", ROLE),
        ("instance_type", lit(instance)),
        ("instance_count", lit(ctx.value("training_instance_count"))),
        ("volume_size", lit(ctx.value("training_volume_size"))),
        ("base_job_name", lit(ctx.step_name)),
        ("sagemaker_session", SESSION),
        ("output_path", m.OutputJoin((canonical_to_snake(ctx.step.step_type),))),
    ]
    if compute.retrieve_image:
        framework = compute.retrieve_framework or "pytorch"
        kwargs.append(
            ("image_uri", image_retrieve(ctx, framework, fw, py, instance, "training"))
        )
    return SDK_CLASSES[compute.sdk_class], tuple(kwargs)


def training_inputs(
    ctx: NodeContext, upstream_of: UpstreamOf
) -> tuple[m.InputPlan, ...]:
    """TrainingHandler.get_inputs: one InputPlan per channel (shared with the Tuning planner)."""
    skip_hp = ctx.value("skip_hyperparameters_s3_uri", True)
    inputs: list[m.InputPlan] = []
    for spec, source, note, caveat in resolved_inputs(ctx, upstream_of):
        if spec.logical_name == "hyperparameters_s3_uri" and skip_hp:
            continue
        channels, fan_out = _channels(spec)
        for position, channel in enumerate(channels):
            channel_source = m.SuffixJoin(source, f"{channel}/") if fan_out else source
            # every fed channel says where it comes from; the caveat is said once per wire
            first = position == 0
            inputs.append(
                m.InputPlan(
                    channel, None, channel_source, note, caveat if first else ""
                )
            )
    return tuple(inputs)
