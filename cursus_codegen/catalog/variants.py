"""Job-type variants: a variant's inputs/outputs deep-merged over the step's own.

cursus `StepInterface.from_yaml(job_type)` (core/base/step_interface.py `_deep_merge`): nested
mappings merge key by key (a variant restating one port keeps the others, and a port restating
one key keeps its other keys); any other value (lists included) replaces the base value. A port
the base lacks is appended after the base ports. An unknown job_type keeps the base step.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import replace
from typing import Any

from cursus_codegen.catalog.derive import DERIVATIONS
from cursus_codegen.catalog.parse_ports import parse_inputs, parse_outputs, port_to_raw
from cursus_codegen.catalog.types import InputSpec, OutputSpec, StepType
from cursus_codegen.catalog.yaml_source import KeyPath, SourceFile

VARIANT_KEYS = ("inputs", "outputs")


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(base)
    for key, value in override.items():
        current = result.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            result[key] = deep_merge(current, value)
        else:
            result[key] = value
    return result


def apply_variant(
    step: StepType,
    override: Mapping[str, Any],
    src: SourceFile,
    kp: KeyPath,
    derivations: Container[str],
) -> StepType:
    """The step with `override` merged in; problems go to `src` at `kp` (the variant's path)."""
    inputs, outputs = step.inputs, step.outputs
    if override.get("inputs") is not None:
        merged = _merged(step.inputs, override["inputs"], src, kp + ("inputs",))
        inputs = parse_inputs(src, merged, kp + ("inputs",), derivations)
    if override.get("outputs") is not None:
        merged = _merged(step.outputs, override["outputs"], src, kp + ("outputs",))
        outputs = parse_outputs(src, merged, kp + ("outputs",))
    return replace(step, inputs=inputs, outputs=outputs)


def for_job_type(step: StepType, job_type: str | None) -> StepType:
    """The step as cursus loads its interface for a configuration with this job_type."""
    if not job_type:
        return step
    override = dict(step.variants).get(job_type)
    if override is None:
        return step
    # Variants were validated when the catalog was loaded, so this scratch file stays empty.
    scratch = SourceFile(step.source_file)
    return apply_variant(step, override, scratch, ("variants", job_type), DERIVATIONS)


def _merged(
    ports: Iterable[InputSpec | OutputSpec], override: Any, src: SourceFile, kp: KeyPath
) -> dict[str, Any]:
    if not isinstance(override, Mapping):
        src.fail(
            kp, f"{'/'.join(map(str, kp))} must be a mapping of logical name -> port"
        )
        return {}
    base = {p.logical_name: port_to_raw(p) for p in ports}
    return deep_merge(base, {str(k): v for k, v in override.items()})
