"""One planner per SageMaker step kind: NodeContext -> StepPlan, as cursus's handlers build them.

Sources of each rule: reference/cursus-steps.md §1.6 (compute per kind), §1.7 (handlers),
§2.3 (output locations).
"""

from __future__ import annotations

from cursus_codegen import model as m
from cursus_codegen.catalog import evaluate
from cursus_codegen.catalog.derive import DERIVATIONS
from cursus_codegen.catalog.types import InputSpec
from cursus_codegen.naming import REGION_TO_AWS, canonical_to_snake
from cursus_codegen.paths import join_posix
from cursus_codegen.plan_context import NodeContext, describe_wire, wire_caveat

ROLE = m.Name("self.execution_role")
SESSION = m.Name("self.sagemaker_session")
SDK_CLASSES = {"PyTorch": "PyTorch", "SKLearn": "SKLearn", "XGBoost": "XGBoost"}
PROCESSOR_CLASSES = {"sklearn": "SKLearnProcessor", "xgboost": "XGBoostProcessor"}


def _lit(value: object) -> m.Literal:
    return m.Literal(value)


# --- inputs ---------------------------------------------------------------------------------


def _override_source(ctx: NodeContext, spec: InputSpec) -> m.Expr | None:
    kind, name = spec.source_override[0]
    if kind == "field":
        return ctx.local_value(ctx.value(name), name)
    value = DERIVATIONS[name](ctx.values)
    return ctx.local_value(value, spec.logical_name)


def resolved_inputs(ctx: NodeContext, upstream_of) -> list[tuple[InputSpec, m.Expr, str, str]]:
    """(spec, source, note, caveat) per input that gets a source, in interface order.

    A configuration override wins over wiring; an unwired optional input is left out; an
    unwired required input is an error (cursus: "Required input 'X' not provided").
    """
    wires = {w.input: w for w in ctx.wires}
    result = []
    for spec in ctx.step.inputs:
        if spec.skip:
            continue
        if spec.source_override:
            source = _override_source(ctx, spec)
            if source is not None:
                result.append((spec, source, f"{spec.logical_name} <- configuration", ""))
                continue
        wire = wires.get(spec.logical_name)
        if wire is None:
            if spec.required:
                ctx.fail(
                    f"node {ctx.node!r}: required input {spec.logical_name!r} has no upstream "
                    "step that provides it (add an edge from a step producing it)"
                )
            continue
        result.append((spec, upstream_of(wire), describe_wire(wire), wire_caveat(wire, spec.required)))
    return result


def output_segments(ctx: NodeContext, logical_name: str) -> tuple[str, ...]:
    """Assembler `_generate_outputs`: step_type.lower() + raw job_type + logical name."""
    if ctx.step.output_path_token:
        return (ctx.step.output_path_token,)
    job_type = ctx.value("job_type")
    if job_type:
        return (ctx.step.step_type.lower(), str(job_type), logical_name)
    return (ctx.step.step_type.lower(), logical_name)


# --- processing -----------------------------------------------------------------------------


def _processing_source(ctx: NodeContext) -> str | None:
    """cursus effective_source_dir: the first of processing_source_dir/source_dir that exists."""
    candidates = [("processing_source_dir", ctx.value("processing_source_dir")),
                  ("source_dir", ctx.value("source_dir"))]
    for _, folder in candidates:
        if folder and ctx.layout.exists(folder):
            return folder
    return next((folder for _, folder in candidates if folder), None)


def _processor_kwargs(ctx: NodeContext) -> tuple[str, tuple[tuple[str, m.Expr], ...]]:
    compute = ctx.step.compute
    fw = ctx.value(compute.framework_version_field, compute.framework_version_default)
    large = ctx.value("use_large_processing_instance", False)
    instance = ctx.value("processing_instance_type_large" if large else "processing_instance_type_small")
    head: list[tuple[str, m.Expr]] = []
    if compute.kind == "framework":
        cls = "FrameworkProcessor"
        head.append(("estimator_cls", m.Name(SDK_CLASSES[compute.sdk_class])))
        head.append(("framework_version", _lit(fw)))
        if compute.py_version_field:
            head.append(("py_version", _lit(ctx.value(compute.py_version_field))))
    else:
        cls = PROCESSOR_CLASSES[compute.kind]
        head.append(("framework_version", _lit(fw)))
    common = [
        ("role", ROLE),
        ("instance_type", _lit(instance)),
        ("instance_count", _lit(ctx.value("processing_instance_count"))),
        ("volume_size_in_gb", _lit(ctx.value("processing_volume_size"))),
        ("base_job_name", _lit(ctx.step_name)),
        ("sagemaker_session", SESSION),
    ]
    return cls, tuple(head + common)


def plan_processing(ctx: NodeContext, index: int, params, upstream_of) -> m.StepPlan:
    cls, kwargs = _processor_kwargs(ctx)
    inputs = tuple(
        m.InputPlan(spec.logical_name, spec.path, source, note, caveat)
        for spec, source, note, caveat in resolved_inputs(ctx, upstream_of)
    )
    outputs = () if ctx.step.sink else tuple(
        m.OutputPlan(o.logical_name, o.path, m.OutputJoin(output_segments(ctx, o.logical_name)))
        for o in ctx.step.outputs
    )
    folder = _processing_source(ctx)
    entry = ctx.value(ctx.step.entry_point_field) if ctx.step.entry_point_field else None
    code = source_dir = None
    if entry:
        script = join_posix(folder, entry) if folder else entry
        if ctx.step.compute.assembly == "step_args" and ctx.step.compute.split_source_dir:
            source_dir = ctx.local(folder or ".", "processing_source_dir")
            code = _lit(entry.rsplit("/", 1)[-1])
        else:
            code = ctx.local(script, ctx.step.entry_point_field)
    else:
        ctx.fail(f"node {ctx.node!r}: {ctx.step.entry_point_field or 'entry point'} is not set")
    return _step(ctx, index, params, "processing", cls, kwargs, inputs, outputs,
                 code=code, source_dir=source_dir, assembly=ctx.step.compute.assembly,
                 job_arguments=evaluate.job_arguments(ctx.step, ctx.values))


def _step(ctx, index, params, kind, cls, kwargs, inputs, outputs, **extra) -> m.StepPlan:
    defaults = dict(code=None, source_dir=None, assembly="", job_arguments=None,
                    cache_enabled=bool(ctx.value("enable_caching", False)), extra=())
    defaults.update(extra)
    notes = tuple(dict.fromkeys(i.note for i in inputs if i.note))
    return m.StepPlan(
        index=index, node=ctx.node, config_key=ctx.config_key, step_type=ctx.step.step_type,
        step_name=ctx.step_name, kind=kind, method=f"build_{ctx.var}", var=ctx.var,
        params=tuple(params), compute_class=cls, compute_kwargs=tuple(kwargs),
        inputs=tuple(inputs), outputs=tuple(outputs),
        environment=tuple(evaluate.environment(ctx.step, ctx.values)),
        depends_on=tuple(params), wiring_notes=notes, **defaults,
    )


# --- training -------------------------------------------------------------------------------


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


def _image_retrieve(ctx: NodeContext, framework: str, fw, py, instance_type, scope: str) -> m.Call:
    region = "us-east-1" if ctx.step.compute.lock_training_region else REGION_TO_AWS.get(
        ctx.value("region"), "us-east-1")
    return m.Call("image_uris.retrieve", (
        ("framework", _lit(framework)), ("region", _lit(region)), ("version", _lit(fw)),
        ("py_version", _lit(py)), ("instance_type", _lit(instance_type)),
        ("image_scope", _lit(scope)),
    ))


def _source_dir(ctx: NodeContext) -> m.Expr:
    folder = ctx.value("source_dir")
    return ctx.local(folder, "source_dir") if folder else _lit(None)


def plan_training(ctx: NodeContext, index: int, params, upstream_of) -> m.StepPlan:
    compute = ctx.step.compute
    fw = ctx.value(compute.framework_version_field, compute.framework_version_default)
    py = ctx.value(compute.py_version_field) if compute.py_version_field else None
    instance = ctx.value("training_instance_type")
    kwargs: list[tuple[str, m.Expr]] = [
        ("entry_point", _lit(ctx.value(ctx.step.entry_point_field))),
        ("source_dir", _source_dir(ctx)),
        ("framework_version", _lit(fw)),
        ("py_version", _lit(py)),
        ("role", ROLE),
        ("instance_type", _lit(instance)),
        ("instance_count", _lit(ctx.value("training_instance_count"))),
        ("volume_size", _lit(ctx.value("training_volume_size"))),
        ("base_job_name", _lit(ctx.step_name)),
        ("sagemaker_session", SESSION),
        ("output_path", m.OutputJoin((canonical_to_snake(ctx.step.step_type),))),
    ]
    if compute.retrieve_image:
        framework = compute.retrieve_framework or "pytorch"
        kwargs.append(("image_uri", _image_retrieve(ctx, framework, fw, py, instance, "training")))
    skip_hp = ctx.value("skip_hyperparameters_s3_uri", True)
    inputs = []
    for spec, source, note, caveat in resolved_inputs(ctx, upstream_of):
        if spec.logical_name == "hyperparameters_s3_uri" and skip_hp:
            continue
        channels, fan_out = _channels(spec)
        for position, channel in enumerate(channels):
            channel_source = m.SuffixJoin(source, f"{channel}/") if fan_out else source
            # one note per wire: fan-out channels share the first channel's comment
            first = position == 0
            inputs.append(m.InputPlan(channel, None, channel_source, note if first else "", caveat if first else ""))
    return _step(ctx, index, params, "training", SDK_CLASSES[compute.sdk_class], kwargs, inputs, ())


# --- create model / transform ---------------------------------------------------------------


def plan_create_model(ctx: NodeContext, index: int, params, upstream_of) -> m.StepPlan:
    compute = ctx.step.compute
    fw = ctx.value(compute.framework_version_field, compute.framework_version_default)
    py = ctx.value(compute.py_version_field) if compute.py_version_field else None
    resolved = resolved_inputs(ctx, upstream_of)
    model_data = next((src for spec, src, _, _ in resolved if spec.logical_name == "model_data"), None)
    image = _image_retrieve(ctx, compute.framework_name, fw, py, ctx.value("instance_type"), "inference")
    kwargs = [
        ("model_data", model_data or _lit(None)),
        ("role", ROLE),
        ("entry_point", _lit(ctx.value(ctx.step.entry_point_field))),
        ("source_dir", _source_dir(ctx)),
        ("framework_version", _lit(fw)),
        ("py_version", _lit(py)),
        ("image_uri", image),
        ("sagemaker_session", SESSION),
        # A fixed model name keeps the SDK's code-upload key free of a timestamp.
        ("name", _lit(ctx.step_name)),
    ]
    inputs = [m.InputPlan(s.logical_name, None, src, note, caveat) for s, src, note, caveat in resolved]
    return _step(ctx, index, params, "create_model", compute.sdk_class, kwargs, inputs, (),
                 cache_enabled=None)


def plan_transform(ctx: NodeContext, index: int, params, upstream_of) -> m.StepPlan:
    resolved = {spec.logical_name: (src, note, caveat) for spec, src, note, caveat in resolved_inputs(ctx, upstream_of)}
    first_output = ctx.step.outputs[0].logical_name if ctx.step.outputs else "transform_output"
    model_name = resolved.get("model_name", (_lit(None),))[0]
    data = resolved.get("processed_data", (_lit(None),))[0]
    kwargs = [
        ("model_name", model_name),
        ("instance_type", _lit(ctx.value("transform_instance_type"))),
        ("instance_count", _lit(ctx.value("transform_instance_count"))),
        ("output_path", m.OutputJoin(output_segments(ctx, first_output))),
        ("accept", _lit(ctx.value("accept"))),
        ("assemble_with", _lit(ctx.value("assemble_with"))),
        ("sagemaker_session", SESSION),
        ("base_transform_job_name", _lit(ctx.step_name)),
    ]
    transform_input = (
        ("data", data),
        ("content_type", _lit(ctx.value("content_type"))),
        ("split_type", _lit(ctx.value("split_type"))),
        ("join_source", _lit(ctx.value("join_source"))),
        ("input_filter", _lit(ctx.value("input_filter"))),
        ("output_filter", _lit(ctx.value("output_filter"))),
    )
    inputs = [m.InputPlan(name, None, src, note, caveat) for name, (src, note, caveat) in resolved.items()]
    return _step(ctx, index, params, "transform", "Transformer", kwargs, inputs, (),
                 extra=transform_input, cache_enabled=bool(ctx.value("enable_caching", False)))


PLANNERS = {
    "Processing": plan_processing,
    "Training": plan_training,
    "CreateModel": plan_create_model,
    "Transform": plan_transform,
}
