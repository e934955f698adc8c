"""What every step planner shares: inputs (wiring or configuration), output locations, and
the StepPlan constructor. Sources: reference/cursus-steps.md §1.4-§1.7 and §2.3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict, Unpack

from cursus_codegen.catalog import evaluate
from cursus_codegen.catalog.derive import DERIVATIONS
from cursus_codegen.catalog.types import ComputeSpec, InputSpec
from cursus_codegen.naming import REGION_TO_AWS
from cursus_codegen.plan import model as m
from cursus_codegen.plan.context import (
    NodeContext,
    UpstreamOf,
    describe_wire,
    wire_caveat,
)

ROLE = m.Name("self.execution_role")
SESSION = m.Name("self.sagemaker_session")
# Keyed by ComputeSpec.sdk_class, which the loader does not tie to the step kind: None or a
# Model class there is a KeyError (an internal error at the CLI's crash boundary).
SDK_CLASSES: dict[str | None, str] = {
    "PyTorch": "PyTorch",
    "SKLearn": "SKLearn",
    "XGBoost": "XGBoost",
}


class StepOptions(TypedDict, total=False):
    """The StepPlan fields a planner may set through `step_plan(..., **options)`."""

    code: m.Expr | None
    source_dir: m.Expr | None
    assembly: str
    job_arguments: tuple[str, ...] | None
    cache_enabled: bool | None
    extra: tuple[tuple[str, m.Expr], ...]
    notes: tuple[str, ...]


def compute_of(ctx: NodeContext, reading: str) -> ComputeSpec:
    """The step's compute block, for the planners of the kinds that build a compute object.

    The catalog loader does not require one (a --catalog step may omit it); without one the
    planner fails as it always has: the AttributeError of reading `reading` from None (an
    internal error at the CLI's crash boundary).
    """
    compute = ctx.step.compute
    if compute is None:
        raise AttributeError(f"'NoneType' object has no attribute {reading!r}")
    return compute


def lit(value: object) -> m.Literal:
    return m.Literal(value)


def framework_version(ctx: NodeContext, compute: ComputeSpec) -> object:
    """The configured framework version, else the catalog's default (also when the catalog
    names no framework_version_field)."""
    field_name = compute.framework_version_field
    default = compute.framework_version_default
    return default if field_name is None else ctx.value(field_name, default)


def override_source(ctx: NodeContext, spec: InputSpec) -> m.Expr | None:
    """The source a configuration override gives the input (None when it gives none, or when
    the spec declares no override)."""
    if not spec.source_override:
        return None  # resolved_inputs only asks for a declared override
    kind, name = spec.source_override[0]
    if kind == "field":
        return ctx.local_value(ctx.value(name), name)
    value = DERIVATIONS[name](ctx.values)
    return ctx.local_value(value, spec.logical_name)


def resolved_inputs(
    ctx: NodeContext, upstream_of: UpstreamOf
) -> list[tuple[InputSpec, m.Expr, str, str]]:
    """(spec, source, note, caveat) per input that gets a source, in interface order.

    A configuration override wins over wiring; an unwired optional input is left out; an
    unwired required input is an error (cursus: "Required input 'X' not provided").
    """
    wires = {w.input: w for w in ctx.wires}
    result: list[tuple[InputSpec, m.Expr, str, str]] = []
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
    ctx: NodeContext,
    index: int,
    params: Sequence[str],
    kind: str,
    cls: str,
    kwargs: Sequence[tuple[str, m.Expr]],
    inputs: Sequence[m.InputPlan],
    outputs: Sequence[m.OutputPlan],
    **options: Unpack[StepOptions],
) -> m.StepPlan:
    """The StepPlan of one node; `options` override the defaults of the kind-specific fields."""
    defaults: StepOptions = {
        "code": None,
        "source_dir": None,
        "assembly": "",
        "job_arguments": None,
        "cache_enabled": bool(ctx.value("enable_caching", False)),
        "extra": (),
    }
    defaults.update(options)
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
    ctx: NodeContext,
    framework: str | None,
    fw: object,
    py: object,
    instance_type: object,
    scope: str,
) -> m.Call:
    """`image_uris.retrieve(...)` as cursus calls it (us-east-1 when the region is locked)."""
    locked = compute_of(ctx, "lock_training_region").lock_training_region
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
