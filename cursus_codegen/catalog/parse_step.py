"""One step-type file or base file (already read as YAML) -> typed catalog data.

Everything here is structural: key names, value types, enumerations, known derivations. Checks
that need the whole catalog (the base exists, referenced fields are declared) live in loader.py.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, replace
from typing import Any

from cursus_codegen.catalog import checks
from cursus_codegen.catalog.parse_compute import parse_compute
from cursus_codegen.catalog.parse_fields import parse_fields
from cursus_codegen.catalog.parse_ports import parse_inputs, parse_outputs
from cursus_codegen.catalog.parse_rules import parse_environment, parse_job_arguments
from cursus_codegen.catalog.types import FieldSpec, StepType
from cursus_codegen.catalog.validators import parse_validators
from cursus_codegen.catalog.variants import VARIANT_KEYS, apply_variant
from cursus_codegen.catalog.yaml_source import SourceFile

STEP_KEYS = (
    "step_type",
    "config_class",
    "sagemaker_step_type",
    "config_base",
    "fields",
    "compute",
    "entry_point_field",
    "environment",
    "job_arguments",
    "inputs",
    "outputs",
    "output_path_token",
    "sink",
    "variants",
    "extra",
    "validators",
)
REQUIRED_STEP_KEYS = ("step_type", "config_class", "sagemaker_step_type", "config_base")
# cursus registry sagemaker_step_type values that reach a builder
SAGEMAKER_STEP_TYPES = (
    "Processing",
    "Training",
    "CreateModel",
    "Transform",
    "Tuning",
    "CradleDataLoading",
    "RedshiftDataLoading",
    "MimsModelRegistrationProcessing",
)
BASE_KEYS = ("name", "extends", "fields")


@dataclass(frozen=True)
class BaseFile:
    name: str
    extends: str | None
    fields: tuple[FieldSpec, ...]
    source_file: str


def parse_step(src: SourceFile, derivations: Container[str]) -> StepType | None:
    raw = checks.section(src, src.data, (), STEP_KEYS, REQUIRED_STEP_KEYS)
    if raw is None or any(k not in raw for k in REQUIRED_STEP_KEYS):
        return None

    def text(key: str, choices: Iterable[str] | None = None) -> str | None:
        return checks.text(src, raw, key, (), choices=choices)

    step = StepType(
        step_type=text("step_type") or "?",
        config_class=text("config_class") or "?",
        sagemaker_step_type=text("sagemaker_step_type", SAGEMAKER_STEP_TYPES) or "?",
        config_base=text("config_base") or "?",
        fields=parse_fields(src, raw.get("fields"), ("fields",)),
        compute=parse_compute(src, raw.get("compute"), ("compute",)),
        entry_point_field=text("entry_point_field"),
        environment=parse_environment(
            src, raw.get("environment"), ("environment",), derivations
        ),
        job_arguments=parse_job_arguments(
            src, raw.get("job_arguments"), ("job_arguments",)
        ),
        inputs=parse_inputs(src, raw.get("inputs"), ("inputs",), derivations),
        outputs=parse_outputs(src, raw.get("outputs"), ("outputs",)),
        output_path_token=text("output_path_token"),
        sink=checks.flag(src, raw, "sink", (), False),
        variants=(),
        source_file=src.path,
        extra=_extra(src, raw.get("extra")),
        validators=parse_validators(src, raw.get("validators"), ("validators",)),
    )
    _check_compute(src, step)
    variants = _variants(src, step, raw.get("variants"), derivations)
    return replace(step, variants=variants)


# The SageMaker step kinds whose planner builds a processor, estimator or model from `compute:`
NEEDS_COMPUTE = ("Processing", "Training", "CreateModel", "Tuning")
ESTIMATOR_CLASSES = ("PyTorch", "SKLearn", "XGBoost")


def _check_compute(src: SourceFile, step: StepType) -> None:
    """What the planners need of `compute:`, checked where the step type is read (a located
    error, never a crash while planning)."""
    kind = step.sagemaker_step_type
    compute = step.compute
    if compute is None:
        if kind in NEEDS_COMPUTE:
            src.fail((), f"a {kind} step type needs a compute: section")
        return
    estimator = kind in ("Training", "Tuning") and compute.kind != "byo_container"
    if (
        estimator or compute.kind == "framework"
    ) and compute.sdk_class not in ESTIMATOR_CLASSES:
        src.fail(
            ("compute",),
            f"compute.sdk_class must be one of {', '.join(ESTIMATOR_CLASSES)} "
            f"for a {kind} step of kind {compute.kind}, got {compute.sdk_class!r}",
        )
    if kind == "CreateModel" and compute.sdk_class is None:
        src.fail(
            ("compute",), "compute.sdk_class is required for a CreateModel step type"
        )


def _variants(
    src: SourceFile, step: StepType, raw: Any, derivations: Container[str]
) -> tuple[tuple[str, dict[str, Any]], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        src.fail(
            ("variants",), "variants must be a mapping of job_type -> {inputs, outputs}"
        )
        return ()
    variants = []
    for job_type, body in raw.items():
        kp = ("variants", str(job_type))
        override = checks.section(src, body, kp, VARIANT_KEYS)
        if override is None:
            continue
        # reports problems; the result is unused
        apply_variant(step, override, src, kp, derivations)
        variants.append((str(job_type), override))
    return tuple(variants)


def _extra(src: SourceFile, raw: Any) -> tuple[tuple[str, Any], ...]:
    """Free-form knobs for planners (the one place unknown keys are allowed)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        src.fail(("extra",), "extra must be a mapping")
        return ()
    return tuple((str(k), v) for k, v in raw.items())


def parse_base(src: SourceFile) -> BaseFile | None:
    raw = checks.section(src, src.data, (), BASE_KEYS, required=("name",))
    if raw is None or "name" not in raw:
        return None
    return BaseFile(
        name=checks.text(src, raw, "name", (), nullable=False) or "?",
        extends=checks.text(src, raw, "extends", ()),
        fields=parse_fields(src, raw.get("fields"), ("fields",)),
        source_file=src.path,
    )
