"""`compute:`, `environment:` and `job_arguments:` blocks, strictly validated."""

from __future__ import annotations

from collections.abc import Container, Iterable
from typing import Any, TypedDict

from cursus_codegen.catalog import checks
from cursus_codegen.catalog.types import (
    ComputeSpec,
    EnvironmentSpec,
    EnvRule,
    JobArgItem,
    JobArgumentsSpec,
)
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
    "sdk",
)  # sdk: a secure-sandbox SDK step owns its processor (DataUploading)
SDK_CLASSES = ("PyTorch", "SKLearn", "XGBoost", "PyTorchModel", "XGBoostModel")
ASSEMBLIES = ("code", "step_args", "delegation")
WHEN = ("always", "not_none", "truthy")
FORMATS = ("str", "bool", "lower", "csv", "json", "env")
COLLECTORS = ("bespoke", "declared")
NONE_IF = ("never", "job_type_none", "empty")
RULE_KEYS = (
    "name",
    "field",
    "value",
    "derive",
    "each",
    "when",
    "format",
    "if_truthy",
    "if_falsy",
)
ITEM_KEYS = ("flag", "field", "value", "format", "value_flag", "when")


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


NETWORK_MODES = (
    "none",
    "config",
)  # cursus's "shared" is reached through kms_network on script


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
            "network_mode config is only valid for byo_container " "and estimator",
        )
    return knobs


def parse_environment(
    src: SourceFile, raw: Any, kp: KeyPath, derivations: Container[str]
) -> EnvironmentSpec:
    if raw is None:
        return EnvironmentSpec()
    body = checks.section(
        src,
        raw,
        kp,
        ("collector", "rules", "declared_required", "declared_optional"),
        required=("collector",),
    )
    if body is None:
        return EnvironmentSpec()
    rules = body.get("rules") or []
    if not isinstance(rules, list):
        src.fail(kp + ("rules",), "environment/rules must be a list")
        rules = []
    return EnvironmentSpec(
        collector=checks.text(
            src, body, "collector", kp, "declared", COLLECTORS, nullable=False
        ),
        rules=tuple(
            r
            for i, item in enumerate(rules)
            if (r := _rule(src, item, kp + ("rules", i), derivations)) is not None
        ),
        declared_required=checks.text_list(src, body, "declared_required", kp),
        declared_optional=_optional_defaults(
            src, body.get("declared_optional"), kp + ("declared_optional",)
        ),
    )


def _rule(
    src: SourceFile, raw: Any, kp: KeyPath, derivations: Container[str]
) -> EnvRule | None:
    body = checks.section(src, raw, kp, RULE_KEYS, required=("name",))
    if body is None:
        return None
    source = checks.exactly_one(src, body, ("field", "value", "derive", "each"), kp)
    name = checks.text(src, body, "name", kp, nullable=False) or "?"
    if source == "each" and "{KEY}" not in name:
        src.fail(kp + ("name",), "an `each` rule's name must contain {KEY}")
    derive = checks.text(src, body, "derive", kp)
    if derive is not None and derive not in derivations:
        src.fail(
            kp + ("derive",), f"unknown derivation {derive!r} (see catalog/derive.py)"
        )
    return EnvRule(
        name=name,
        field=checks.text(src, body, "field", kp),
        value=checks.text(src, body, "value", kp),
        derive=derive,
        each=checks.text(src, body, "each", kp),
        when=checks.text(src, body, "when", kp, "always", WHEN, nullable=False),
        format=checks.text(src, body, "format", kp, "str", FORMATS, nullable=False),
        if_truthy=checks.text(src, body, "if_truthy", kp),
        if_falsy=checks.text(src, body, "if_falsy", kp),
    )


def _optional_defaults(
    src: SourceFile, raw: Any, kp: KeyPath
) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        src.fail(kp, "environment/declared_optional must be a mapping NAME: default")
        return ()
    pairs = []
    for name, default in raw.items():
        if not isinstance(default, str):
            # An unquoted `true` or `0.5` would be re-spelled by YAML: defaults are exact text.
            src.fail(
                kp + (str(name),),
                f"default of {name} must be a quoted string, got {default!r}",
            )
            continue
        pairs.append((str(name), default))
    return tuple(pairs)


def parse_job_arguments(src: SourceFile, raw: Any, kp: KeyPath) -> JobArgumentsSpec:
    if raw is None:
        return JobArgumentsSpec()
    body = checks.section(src, raw, kp, ("items", "none_if", "passthrough_field"))
    if body is None:
        return JobArgumentsSpec()
    items = body.get("items") or []
    if not isinstance(items, list):
        src.fail(kp + ("items",), "job_arguments/items must be a list")
        items = []
    return JobArgumentsSpec(
        items=tuple(
            a
            for i, item in enumerate(items)
            if (a := _item(src, item, kp + ("items", i))) is not None
        ),
        none_if=checks.text(src, body, "none_if", kp, "never", NONE_IF, nullable=False),
        passthrough_field=checks.text(src, body, "passthrough_field", kp),
    )


def _item(src: SourceFile, raw: Any, kp: KeyPath) -> JobArgItem | None:
    body = checks.section(src, raw, kp, ITEM_KEYS, required=("flag",))
    if body is None:
        return None
    value_flag = checks.flag(src, body, "value_flag", kp, True)
    if value_flag:
        checks.exactly_one(src, body, ("field", "value"), kp)
    return JobArgItem(
        flag=checks.text(src, body, "flag", kp, nullable=False) or "?",
        field=checks.text(src, body, "field", kp),
        value=checks.text(src, body, "value", kp),
        format=checks.text(src, body, "format", kp, "str", FORMATS, nullable=False),
        value_flag=value_flag,
        when=checks.text(src, body, "when", kp, "always", WHEN, nullable=False),
    )
