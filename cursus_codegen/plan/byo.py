"""Compute objects of the bring-your-own-container and script kinds (reference/cursus-steps.md
§1.6 and §1.11; cursus core/base/builder_base.py `_create_compute`,
`_create_byo_container_compute`, `_resolve_network_config`).

- byo_container, Processing: `ScriptProcessor(image_uri=<config field>, command=<entrypoint>)`,
  with a `NetworkConfig` built from the step's own fields when `network_mode: config`;
- byo_container, Training / Tuning: the generic `sagemaker.estimator.Estimator`;
- script (EdxUploading): `ScriptProcessor` on the SAIS image of the execution role's account,
  with the KMS volume key parameter and the shared network config when `kms_network`.
"""

from __future__ import annotations

from cursus_codegen.catalog.derive import aws_region
from cursus_codegen.naming import canonical_to_snake
from cursus_codegen.plan import model as m
from cursus_codegen.plan.common import ROLE, SESSION, compute_of, lit, source_dir
from cursus_codegen.plan.context import NodeContext

BYO_PROCESSING_KINDS = ("byo_container", "script")
SAIS_IMAGE = "sais_python_lib_docker_image"

Kwargs = list[tuple[str, m.Expr]]


def processing_instance_type(ctx: NodeContext) -> object:
    """cursus `_processing_instance_type` (instance_size_mode large_or_small)."""
    large = ctx.value("use_large_processing_instance", False)
    return ctx.value(
        "processing_instance_type_large" if large else "processing_instance_type_small"
    )


def byo_processor(ctx: NodeContext) -> tuple[str, tuple[tuple[str, m.Expr], ...]]:
    """(class, kwargs) of the ScriptProcessor, in cursus's keyword order; the processing
    template appends `env=environment`."""
    compute = compute_of(ctx, "kind")
    script = compute.kind == "script"
    command = list(compute.container_entrypoint or ()) or ["python3"]
    kwargs: Kwargs = [
        ("image_uri", _role_account_image(ctx) if script else _configured_image(ctx)),
        ("role", ROLE),
        ("instance_count", lit(ctx.value("processing_instance_count"))),
        ("instance_type", lit(processing_instance_type(ctx))),
        ("volume_size_in_gb", lit(ctx.value("processing_volume_size"))),
        ("command", lit(["python3"] if script else command)),
        ("sagemaker_session", SESSION),
        ("base_job_name", lit(ctx.step_name)),
    ]
    if script and compute.kms_network:
        # The module-level parameter objects, as cursus binds the mods_workflow_core constants.
        # Not looked up in self.pipeline_parameters: the definition refers to a parameter by
        # name only, so a replaced list holding a parameter of the same name gives the same
        # definition, and PROCESSING_JOB_SHARED_NETWORK_CONFIG is module-level anyway (it
        # refers to SECURITY_GROUP_ID and VPC_SUBNET by name the same way).
        kwargs.append(("volume_kms_key", m.Name("KMS_ENCRYPTION_KEY_PARAM")))
        kwargs.append(
            ("network_config", m.Name("PROCESSING_JOB_SHARED_NETWORK_CONFIG"))
        )
    elif not script:
        network = _network_config(ctx)
        if network is not None:
            kwargs.append(("network_config", m.Call("NetworkConfig", tuple(network))))
    return "ScriptProcessor", tuple(kwargs)


def processing_notes(ctx: NodeContext) -> tuple[str, ...]:
    """Reviewer notes above a byo / script processing step."""
    compute = compute_of(ctx, "kind")
    if compute.kind == "script" and compute.kms_network:
        return (
            "image: the SAIS python image in the execution role's own AWS account (as cursus)",
            "volume KMS key and network: the module-level pipeline parameters (as cursus)",
        )
    if compute.kind == "byo_container" and compute.container_entrypoint:
        return (
            (
                "the SDK appends the script's container path to the command "
                "(ContainerEntrypoint)"
            ),
        )
    return ()


def byo_estimator(ctx: NodeContext) -> tuple[str, tuple[tuple[str, m.Expr], ...]]:
    """(class, kwargs) of the generic Estimator; the template appends `environment=`."""
    compute = compute_of(ctx, "image_uri_field")
    token = ctx.step.output_path_token or canonical_to_snake(ctx.step.step_type)
    kwargs: Kwargs = [
        ("image_uri", _configured_image(ctx)),
        ("role", ROLE),
        ("instance_type", lit(ctx.value("training_instance_type"))),
        ("instance_count", lit(ctx.value("training_instance_count"))),
        ("volume_size", lit(ctx.value("training_volume_size"))),
        ("base_job_name", lit(ctx.step_name)),
        ("sagemaker_session", SESSION),
        ("output_path", m.OutputJoin((token,))),
    ]
    if compute.container_entrypoint is None:
        # the container runs a script of ours; with an entrypoint of its own, cursus passes
        # neither (and does not forward the entrypoint to the Estimator either)
        kwargs.append(("entry_point", ctx.entry_point()))
        kwargs.append(("source_dir", source_dir(ctx)))
    network = _network_config(ctx)
    if network is not None:
        values = dict(network)
        kwargs += [
            ("subnets", values["subnets"]),
            ("security_group_ids", values["security_group_ids"]),
            ("encrypt_inter_container_traffic", lit(True)),
            ("enable_network_isolation", values["enable_network_isolation"]),
        ]
    return "Estimator", tuple(kwargs)


def _configured_image(ctx: NodeContext) -> m.Expr:
    field_name = compute_of(ctx, "image_uri_field").image_uri_field
    image = ctx.value(field_name) if field_name else None
    if not image:
        ctx.fail(
            f"node {ctx.node!r}: compute kind byo_container needs {field_name} (the ECR image "
            f"URI the container runs verbatim); it is not set",
            field_name,
        )
    return lit(image)


def _role_account_image(ctx: NodeContext) -> m.Expr:
    # cursus: f"{self.role.split(':')[4]}.dkr.ecr.{cfg.aws_region or 'us-east-1'}.amazonaws.com/..."
    # The role is only known when the pipeline is built, so the account is read from it then.
    return m.RoleAccountImage(
        f".dkr.ecr.{aws_region(ctx.values)}.amazonaws.com/{SAIS_IMAGE}"
    )


def _network_config(ctx: NodeContext) -> Kwargs | None:
    """cursus `_resolve_network_config`: NetworkConfig kwargs for network_mode config, else None."""
    compute = compute_of(ctx, "network_mode")
    if compute.network_mode != "config":
        return None
    subnets = ctx.value(compute.subnets_field) if compute.subnets_field else None
    groups_field = compute.security_group_ids_field
    groups = ctx.value(groups_field) if groups_field else None
    if not subnets:
        ctx.fail(
            f"node {ctx.node!r}: network_mode config needs {compute.subnets_field} (the VPC "
            "subnets of this step); it is not set",
            compute.subnets_field,
        )
    isolation = (
        ctx.values.get(compute.enable_network_isolation_field)
        if compute.enable_network_isolation_field
        else None
    )
    return [
        ("subnets", lit(subnets)),
        ("security_group_ids", lit(groups)),
        (
            "enable_network_isolation",
            lit(bool(isolation) if isolation is not None else False),
        ),
    ]
