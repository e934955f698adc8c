"""`validators:` blocks: the cursus config-class validators that reject a configuration.

cursus builds a configuration its own validators reject anyway ("Failed to instantiate ...",
then `model_construct` without validation), so such a file still compiles, to a step that
fails or misbehaves when it runs. Each rule here is one of those validators, as data:

    validators:
      - require_any: [score_field, score_fields]     # at least one holds a value
        job_types: [training]                        # optional: only for these job types
        when: targets                                # optional: only when this field holds a value
        test: truthy                                 # truthy (default) | not_none
        message: "At least one of 'score_field' or 'score_fields' must be provided"

A field may be a dotted path into a nested value (`label_config.label_mapping`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cursus_codegen.catalog import checks
from cursus_codegen.catalog.yaml_source import KeyPath, SourceFile

VALIDATOR_KEYS = ("require_any", "job_types", "when", "test", "message")
TESTS = ("truthy", "not_none")


@dataclass(frozen=True)
class ValidatorSpec:
    require_any: tuple[str, ...]
    message: str
    job_types: tuple[str, ...] = ()
    when: str | None = None
    test: str | None = "truthy"  # truthy | not_none; a null in the file acts as truthy


def parse_validators(
    src: SourceFile, raw: Any, kp: KeyPath
) -> tuple[ValidatorSpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        src.fail(kp, "validators must be a list")
        return ()
    specs = []
    for index, item in enumerate(raw):
        ikp = kp + (index,)
        body = checks.section(
            src, item, ikp, VALIDATOR_KEYS, required=("require_any", "message")
        )
        if body is None:
            continue
        fields = checks.text_list(src, body, "require_any", ikp)
        message = checks.text(src, body, "message", ikp, nullable=False)
        if not fields or not message:
            continue
        specs.append(
            ValidatorSpec(
                fields,
                message,
                checks.text_list(src, body, "job_types", ikp),
                checks.text(src, body, "when", ikp),
                checks.text(src, body, "test", ikp, "truthy", TESTS),
            )
        )
    return tuple(specs)


def failed_validators(
    specs: tuple[ValidatorSpec, ...], values: Mapping[str, Any]
) -> list[ValidatorSpec]:
    """The validators the configuration's effective values do not satisfy."""
    failed = []
    for spec in specs:
        if spec.job_types and values.get("job_type") not in spec.job_types:
            continue
        if spec.when is not None and not _value(values, spec.when):
            continue
        present = [_value(values, path) for path in spec.require_any]
        ok = (
            any(v is not None for v in present)
            if spec.test == "not_none"
            else any(present)
        )
        if not ok:
            failed.append(spec)
    return failed


def _value(values: Mapping[str, Any], path: str) -> Any:
    current: Any = values
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return None
        current = current.get(part)
    return current
