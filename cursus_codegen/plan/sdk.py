"""Steps only the secure-sandbox SDK builds: CradleDataLoading, RedshiftDataLoading,
Registration (MimsModelRegistrationProcessing) and DataUploading (Processing + delegation).

cursus builds them with SDKDelegationHandler (core/base/builder_templates.py,
reference/cursus-steps.md §1.8): `<SDK class>(step_name=, role=, sagemaker_session=, ...)` with
no processor, environment or outputs of its own; per kind:
- Cradle / Redshift (input_mode none, caching force_off_attr): when caching is off, switch the
  SDK step's cache_config off; `add_depends_on(<DAG parents>)` when it has any;
- Registration (mims_ordered): `processing_input=[PackagedModel, GeneratedPayloadSamples]` as
  ProcessingInputs (FullyReplicated, File), `performance_metadata_location=None`,
  `depends_on=<DAG parents>` in the constructor, step name + "-<region>" (plan/build.py);
- DataUploading (resolve_s3): `input_s3_location=` the upstream `input_data`, else the
  configuration's input_s3_location; `add_depends_on(<DAG parents>)`.
Each also gets its execution-document STEP_CONFIG (mods/execdoc.py), carried in `extra`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cursus_codegen.catalog.loader import Catalog
from cursus_codegen.catalog.types import InputSpec
from cursus_codegen.catalog.values import config_values
from cursus_codegen.inputs.config import ConfigFile
from cursus_codegen.mods import step_config
from cursus_codegen.naming import is_identifier
from cursus_codegen.plan import model as m
from cursus_codegen.plan.common import ROLE, SESSION, lit, step_plan
from cursus_codegen.plan.context import (
    NodeContext,
    UpstreamOf,
    describe_wire,
    wire_caveat,
)

# sagemaker_step_type (or Processing + delegation) -> cursus's SDKDelegationHandler knobs
INPUT_MODES = {
    "CradleDataLoading": "none",
    "RedshiftDataLoading": "none",
    "MimsModelRegistrationProcessing": "mims_ordered",
    "Processing": "resolve_s3",
}
# caching_mode force_off_attr
FORCE_CACHE_OFF = ("CradleDataLoading", "RedshiftDataLoading")
SDK_PACKAGE = "secure_ai_sandbox_workflow_python_sdk"


def is_delegation(ctx: NodeContext) -> bool:
    compute = ctx.step.compute
    return compute is not None and compute.assembly == "delegation"


def share_related_configs(
    contexts: Mapping[str, NodeContext], config: ConfigFile, catalog: Catalog
) -> None:
    """Give every node the (class name, effective values) of every configuration of the file,
    in file order: cursus's Registration document reads the payload and package ones."""
    if not any(ctx.step.step_type == "Registration" for ctx in contexts.values()):
        return  # nothing reads them
    related: list[tuple[str, Mapping[str, Any]]] = []
    for node_config in config.configs:
        step = catalog.by_config_class.get(node_config.class_name)
        values = (
            config_values(step, catalog, node_config.values)[0]
            if step
            else node_config.values
        )
        related.append((node_config.class_name, values))
    for ctx in contexts.values():
        ctx.related_configs = tuple(related)


def _sdk_class(ctx: NodeContext) -> tuple[str, str]:
    """extra.sdk_step {module, class}; both become code, so both must be plain names (a
    CamelCase class, so it cannot shadow a step variable or a local of the method)."""
    binding = dict(ctx.step.extra).get("sdk_step")
    module = binding.get("module") if isinstance(binding, dict) else None
    cls = binding.get("class") if isinstance(binding, dict) else None
    if (
        isinstance(module, str)
        and all(is_identifier(p) for p in module.split("."))
        and isinstance(cls, str)
        and is_identifier(cls)
        and cls[:1].isupper()
        and cls not in ("ProcessingInput", "Join", "Pipeline", "Path")
    ):
        return module, cls
    ctx.fail(
        f"step type {ctx.step.step_type} ({ctx.step.source_file}) needs extra.sdk_step "
        "{module: dotted.module.path, class: CamelCaseName}: the secure-sandbox SDK "
        "class that builds it"
    )
    return SDK_PACKAGE, "MissingSdkStep"


def _wired_input(
    ctx: NodeContext, spec: InputSpec, upstream_of: UpstreamOf
) -> m.InputPlan | None:
    wire = next((w for w in ctx.wires if w.input == spec.logical_name), None)
    if wire is None:
        return None
    return m.InputPlan(
        spec.logical_name,
        spec.path,
        upstream_of(wire),
        describe_wire(wire),
        wire_caveat(wire, spec.required),
    )


def _registration_inputs(
    ctx: NodeContext, upstream_of: UpstreamOf
) -> tuple[m.InputPlan, ...]:
    """PackagedModel then GeneratedPayloadSamples (interface order), both from upstream steps.

    cursus only logs a missing GeneratedPayloadSamples and registers without payload samples
    (MIMS load testing then has nothing to run); the interface declares it required, so a
    missing one is an error here, at generation time, with the edge that fixes it.
    """
    producers = {"PackagedModel": "Package", "GeneratedPayloadSamples": "Payload"}
    inputs: list[m.InputPlan] = []
    for spec in ctx.step.inputs:
        planned = _wired_input(ctx, spec, upstream_of)
        if planned is None:
            producer = producers.get(spec.logical_name, "upstream")
            ctx.fail(
                f"node {ctx.node!r}: MIMS registration needs {spec.logical_name} from a "
                f"{producer} step, and no DAG predecessor provides it: add an edge from "
                f"the {producer} node to {ctx.node!r}"
            )
            continue
        inputs.append(planned)
    return tuple(inputs)


def _uploading_input(
    ctx: NodeContext, upstream_of: UpstreamOf
) -> tuple[m.InputPlan, ...]:
    """input_data from upstream, else config.input_s3_location (cursus resolve_s3)."""
    spec = next((s for s in ctx.step.inputs if s.logical_name == "input_data"), None)
    planned = _wired_input(ctx, spec, upstream_of) if spec is not None else None
    if planned is not None:
        return (planned,)
    fallback = ctx.value("input_s3_location")
    if fallback:
        return (
            m.InputPlan(
                "input_data",
                spec.path if spec else None,
                lit(fallback),
                "input_data <- configuration input_s3_location",
            ),
        )
    ctx.fail(
        f"node {ctx.node!r}: input 'input_data' has no upstream step that provides it and "
        "input_s3_location is not set (add an edge from a step producing it, or set it)",
        "input_s3_location",
    )
    return ()


def _execution_document(ctx: NodeContext) -> tuple[tuple[str, m.Expr], ...]:
    entry, problems = step_config(ctx.step.step_type, ctx.values, ctx.related_configs)
    for message, path in problems:
        ctx.fail(
            f"node {ctx.node!r}: execution document: {message}", path.split("/")[0]
        )
    if entry is None:
        return ()
    step_type = lit(list(entry.step_type) if entry.step_type else None)
    return (("step_config", entry.step_config), ("step_type", step_type))


def plan_sdk(
    ctx: NodeContext, index: int, params: Sequence[str], upstream_of: UpstreamOf
) -> m.StepPlan:
    kind = "Processing" if is_delegation(ctx) else ctx.step.sagemaker_step_type
    mode = INPUT_MODES[kind]
    module, cls = _sdk_class(ctx)
    inputs: tuple[m.InputPlan, ...] = ()
    if mode == "mims_ordered":
        inputs = _registration_inputs(ctx, upstream_of)
    elif mode == "resolve_s3":
        inputs = _uploading_input(ctx, upstream_of)
    kwargs = (
        ("step_name", lit(ctx.step_name)),
        ("role", ROLE),
        ("sagemaker_session", SESSION),
    )
    extra = (
        ("sdk_module", lit(module)),
        ("input_mode", lit(mode)),
        (
            "force_cache_off",
            lit(kind in FORCE_CACHE_OFF and not ctx.value("enable_caching", False)),
        ),
        *_execution_document(ctx),
    )
    return step_plan(ctx, index, params, "sdk", cls, kwargs, inputs, (), extra=extra)
