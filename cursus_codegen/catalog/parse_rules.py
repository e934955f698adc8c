"""`environment:` and `job_arguments:` blocks, strictly validated: the rules that derive a
step's environment variables and its job arguments from configuration fields.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from cursus_codegen.catalog import checks
from cursus_codegen.catalog.types import (
    EnvironmentSpec,
    EnvRule,
    JobArgItem,
    JobArgumentsSpec,
)
from cursus_codegen.catalog.yaml_source import KeyPath, SourceFile

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
