"""The `compute:` block of a step type, strictly validated: what runs the step (its kind,
framework and SDK class), how the step is assembled, and the container and network knobs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from cursus_codegen.catalog import checks
from cursus_codegen.catalog.types import ComputeSpec
from cursus_codegen.catalog.yaml_source import KeyPath, SourceFile

COMPUTE_KINDS = (
    "sklearn",
    "xgboost",
    "framework",
    "script",
    "estimator",
    "model",
    "transformer",
    "byo_container",
    "sdk",  # a secure-sandbox SDK step owns its processor (DataUploading)
)
SDK_CLASSES = ("PyTorch", "SKLearn", "XGBoost", "PyTorchModel", "XGBoostModel")
ASSEMBLIES = ("code", "step_args", "delegation")
# cursus's "shared" is reached through kms_network on script
NETWORK_MODES = ("none", "config")


def parse_compute(src: SourceFile, raw: Any, kp: KeyPath) -> ComputeSpec | None:
    if raw is None:
        return None
    body = checks.section(
        src, raw, kp, ComputeSpec.__dataclass_fields__, required=("kind",)
    )
    if body is None:
        return None

    def t(key: str, choices: Iterable[str] | None = None) -> str | None:
        return checks.text(src, body, key, kp, choices=choices)

    return ComputeSpec(
        kind=t("kind", COMPUTE_KINDS) or "sklearn",
        framework_version_field=t("framework_version_field"),
        framework_version_default=t("framework_version_default"),
        py_version_field=t("py_version_field"),
        sdk_class=t("sdk_class", SDK_CLASSES),
        retrieve_image=checks.flag(src, body, "retrieve_image", kp, False),
        retrieve_framework=t("retrieve_framework"),
        lock_training_region=checks.flag(src, body, "lock_training_region", kp, False),
        framework_name=t("framework_name"),
        assembly=t("assembly", ASSEMBLIES) or "code",
        split_source_dir=checks.flag(src, body, "split_source_dir", kp, False),
        **_container_knobs(src, body, kp),
    )


class _ContainerKnobs(TypedDict):
    """ComputeSpec's byo_container / script fields, as _container_knobs reads them."""

    image_uri_field: str | None
    container_entrypoint: tuple[str, ...] | None
    network_mode: str | None
    subnets_field: str | None
    security_group_ids_field: str | None
    enable_network_isolation_field: str | None
    kms_network: bool


def _container_knobs(
    src: SourceFile, body: dict[str, Any], kp: KeyPath
) -> _ContainerKnobs:
    """The byo_container / script knobs (cursus step_interface.ComputeSpec validation)."""

    def t(
        key: str, default: str | None = None, choices: Iterable[str] | None = None
    ) -> str | None:
        return checks.text(src, body, key, kp, default, choices)

    kind = body.get("kind")
    knobs: _ContainerKnobs = {
        "image_uri_field": t("image_uri_field"),
        "container_entrypoint": (
            checks.text_list(src, body, "container_entrypoint", kp)
            if body.get("container_entrypoint") is not None
            else None
        ),
        "network_mode": t("network_mode", "none", NETWORK_MODES),
        "subnets_field": t("subnets_field", "subnets"),
        "security_group_ids_field": t("security_group_ids_field", "security_group_ids"),
        "enable_network_isolation_field": t("enable_network_isolation_field"),
        "kms_network": checks.flag(src, body, "kms_network", kp, False),
    }
    if kind == "byo_container" and not knobs["image_uri_field"]:
        src.fail(
            kp,
            "compute kind byo_container needs image_uri_field (the config field "
            "holding the image)",
        )
    if kind != "byo_container" and (
        knobs["image_uri_field"] or knobs["container_entrypoint"] is not None
    ):
        src.fail(
            kp,
            "image_uri_field / container_entrypoint are only valid for byo_container",
        )
    if knobs["kms_network"] and kind != "script":
        src.fail(
            kp + ("kms_network",), "kms_network is only valid for compute kind script"
        )
    if knobs["network_mode"] == "config" and kind not in ("byo_container", "estimator"):
        src.fail(
            kp + ("network_mode",),
            "network_mode config is only valid for byo_container and estimator",
        )
    return knobs
