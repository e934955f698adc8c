"""Container environment and job arguments of a step, computed from the data file's rules.

Mirrors cursus `StepBuilderBase._get_environment_variables` (core/base/builder_base.py) steps
1-3: (1) the declared names = contract env_vars required + optional; (2) the config's
collector — a bespoke one (the config class builds its whole dict: our ordered `rules`) or the
BasePipelineConfig convention over the declared names (`_env_overrides()` = our rules, else
`self.<name.lower()>`, else `self.hyperparameters.<name.lower()>`); (3) each declared-optional
name the collector did not produce gets its interface default. Step 4 (computed_env_paths) and
step 5 (`config.env`, which a configuration JSON cannot carry) are not handled here.
Insertion order is cursus's dict order, which is the order the definition lists them in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from cursus_codegen.catalog.derive import BASE_PROPERTIES, DERIVATIONS
from cursus_codegen.catalog.types import EnvRule, JobArgItem, StepType

_ABSENT: Any = object()


def environment(
    step: StepType, values: Mapping[str, Any]
) -> tuple[tuple[str, str], ...]:
    spec = step.environment
    if spec.collector == "bespoke":
        env = _bespoke(spec.rules, values)
    else:
        declared = list(spec.declared_required) + [
            name for name, _ in spec.declared_optional
        ]
        env = _declared(declared, spec.rules, values)
    for name, default in spec.declared_optional:
        if name not in env:
            env[name] = default
    return tuple(env.items())


def job_arguments(step: StepType, values: Mapping[str, Any]) -> tuple[str, ...] | None:
    """config.get_job_arguments(); the builder turns an empty list into None."""
    spec = step.job_arguments
    if spec.none_if == "job_type_none" and values.get("job_type") is None:
        return None
    args: list[str] = []
    for item in spec.items:
        args += _job_argument(item, values)
    if spec.passthrough_field is not None:
        extra = values.get(spec.passthrough_field)
        if extra:
            args += [str(a) for a in extra]
    return tuple(args) if args else None


# --- collectors ----------------------------------------------------------------------------


def _bespoke(rules: Iterable[EnvRule], values: Mapping[str, Any]) -> dict[str, str]:
    env: dict[str, str] = {}
    for rule in rules:
        env.update(_rule_entries(rule, values))
    return env


def _declared(
    names: list[str], rules: Iterable[EnvRule], values: Mapping[str, Any]
) -> dict[str, str]:
    """BasePipelineConfig.get_environment_variables(declared names)."""
    by_name = {rule.name: rule for rule in rules}
    hyper = values.get("hyperparameters")
    env: dict[str, str] = {}
    for name in names:
        if name in by_name:  # an _env_overrides entry: used as is, None omits the name
            env.update(_rule_entries(by_name[name], values))
            continue
        attr = name.lower()
        value = _attribute(attr, values)
        if value is _ABSENT and isinstance(hyper, Mapping):
            value = hyper.get(attr, _ABSENT)
        if value is not _ABSENT and value is not None:
            env[name] = format_value("env", value)
    return env


def _attribute(attr: str, values: Mapping[str, Any]) -> Any:
    """hasattr(config, attr): a declared field, or a BasePipelineConfig property."""
    if attr in values:
        return values[attr]
    if attr in BASE_PROPERTIES:
        return DERIVATIONS[attr](values)
    return _ABSENT


# --- one rule ------------------------------------------------------------------------------


def _rule_entries(rule: EnvRule, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    if rule.if_truthy is not None and not values.get(rule.if_truthy):
        return []
    if rule.if_falsy is not None and values.get(rule.if_falsy):
        return []
    if rule.each is not None:
        items = values.get(rule.each) or {}
        return [
            (
                rule.name.replace("{KEY}", str(key).upper()),
                format_value(rule.format, item),
            )
            for key, item in items.items()
            if _passes(rule.when, item)
        ]
    value = _rule_value(rule, values)
    if not _passes(rule.when, value):
        return []
    return [(rule.name, format_value(rule.format, value))]


def _rule_value(rule: EnvRule, values: Mapping[str, Any]) -> Any:
    if rule.field is not None:
        return values.get(rule.field)
    if rule.derive is not None:
        return DERIVATIONS[rule.derive](values)
    return rule.value


def _job_argument(item: JobArgItem, values: Mapping[str, Any]) -> list[str]:
    value = values.get(item.field) if item.field is not None else item.value
    if not _passes(item.when, value):
        return []
    return (
        [item.flag, format_value(item.format, value)]
        if item.value_flag
        else [item.flag]
    )


def _passes(when: str, value: Any) -> bool:
    if when == "not_none":
        return value is not None
    if when == "truthy":
        return bool(value)
    return True


def format_value(fmt: str, value: Any) -> str:
    """How cursus turns a config value into environment text, per the rule's `format`."""
    if fmt == "bool":
        return "true" if value else "false"
    if fmt == "lower":
        return str(value).lower()
    if fmt == "csv" and isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if fmt == "json":
        return json.dumps(value)
    if fmt == "env":  # BasePipelineConfig._format_env_value
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, (list, tuple)):
            return ",".join(str(v) for v in value)
        if isinstance(value, dict):
            return json.dumps(value)
    return str(value)
