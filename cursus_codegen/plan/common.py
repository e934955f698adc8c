"""What every step planner shares: inputs (wiring or configuration), output locations, and
the StepPlan constructor. Sources: reference/cursus-steps.md §1.4-§1.7 and §2.3.
"""

from __future__ import annotations

from cursus_codegen.catalog import evaluate
from cursus_codegen.catalog.derive import DERIVATIONS
from cursus_codegen.catalog.types import InputSpec
from cursus_codegen.naming import REGION_TO_AWS
from cursus_codegen.plan import model as m
from cursus_codegen.plan.context import NodeContext, describe_wire, wire_caveat

ROLE = m.Name("self.execution_role")
SESSION = m.Name("self.sagemaker_session")
SDK_CLASSES = {"PyTorch": "PyTorch", "SKLearn": "SKLearn", "XGBoost": "XGBoost"}


def lit(value: object) -> m.Literal:
    return m.Literal(value)


def override_source(ctx: NodeContext, spec: InputSpec) -> m.Expr | None:
    kind, name = spec.source_override[0]
    if kind == "field":
        return ctx.local_value(ctx.value(name), name)
    value = DERIVATIONS[name](ctx.values)
    return ctx.local_value(value, spec.logical_name)


def resolved_inputs(
    ctx: NodeContext, upstream_of
) -> list[tuple[InputSpec, m.Expr, str, str]]:
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
            source = override_source(ctx, spec)
            if source is not None:
                result.append(
                    (spec, source, f"{spec.logical_name} <- configuration", "")
                )
                continue
        wire = wires.get(spec.logical_name)
        if wire is None:
            if spec.required:
                ctx.fail(
                    f"node {ctx.node!r}: required input {spec.logical_name!r} has no upstream "
                    "step that provides it (add an edge from a step producing it)"
                )
            continue
        result.append(
            (
                spec,
                upstream_of(wire),
                describe_wire(wire),
                wire_caveat(wire, spec.required),
            )
        )
    return result


def output_segments(ctx: NodeContext, logical_name: str) -> tuple[str, ...]:
    """Assembler `_generate_outputs`: step_type.lower() + raw job_type + logical name."""
    if ctx.step.output_path_token:
        return (ctx.step.output_path_token,)
    job_type = ctx.value("job_type")
    if job_type:
        return (ctx.step.step_type.lower(), str(job_type), logical_name)
    return (ctx.step.step_type.lower(), logical_name)


def step_plan(
    ctx, index, params, kind, cls, kwargs, inputs, outputs, **extra
) -> m.StepPlan:
    defaults = dict(
        code=None,
        source_dir=None,
        assembly="",
        job_arguments=None,
        cache_enabled=bool(ctx.value("enable_caching", False)),
        extra=(),
    )
    defaults.update(extra)
    notes = tuple(dict.fromkeys(i.note for i in inputs if i.note))
    return m.StepPlan(
        index=index,
        node=ctx.node,
        config_key=ctx.config_key,
        step_type=ctx.step.step_type,
        step_name=ctx.step_name,
        kind=kind,
        method=f"build_{ctx.var}",
        var=ctx.var,
        params=tuple(params),
        compute_class=cls,
        compute_kwargs=tuple(kwargs),
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        environment=environment(ctx),
        depends_on=tuple(params),
        wiring_notes=notes,
        wires=tuple(ctx.wires),
        **defaults,
    )


def environment(ctx: NodeContext) -> tuple[tuple[str, m.Expr], ...]:
    """The config's env (evaluate.environment), then cursus's computed_env_paths (builder step
    4): `ENV = Join([<EXECUTION_S3_PREFIX>, *segments])`, replacing a value of the same name.
    """
    env: dict[str, m.Expr] = {
        k: lit(v) for k, v in evaluate.environment(ctx.step, ctx.values)
    }
    computed = dict(ctx.step.extra).get("computed_env_paths") or {}
    for name, segments in computed.items():
        env[name] = m.OutputJoin(tuple(str(s) for s in segments))
    return tuple(env.items())


def image_retrieve(
    ctx: NodeContext, framework: str, fw, py, instance_type, scope: str
) -> m.Call:
    """`image_uris.retrieve(...)` as cursus calls it (us-east-1 when the region is locked)."""
    locked = ctx.step.compute.lock_training_region
    region = (
        "us-east-1" if locked else REGION_TO_AWS.get(ctx.value("region"), "us-east-1")
    )
    return m.Call(
        "image_uris.retrieve",
        (
            ("framework", lit(framework)),
            ("region", lit(region)),
            ("version", lit(fw)),
            ("py_version", lit(py)),
            ("instance_type", lit(instance_type)),
            ("image_scope", lit(scope)),
        ),
    )


def source_dir(ctx: NodeContext) -> m.Expr:
    folder = ctx.value("source_dir")
    return ctx.local(folder, "source_dir") if folder else lit(None)
