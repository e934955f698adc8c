"""How well one upstream output suits one step dependency, as cursus v2.9.32 scores it
(`UnifiedDependencyResolver._calculate_compatibility` in `dependency_resolver.py`):
the kinds and data types of the two, the names' similarity, an exact name or alias, the
dependency's compatible sources and its keywords. plan/wiring.py keeps the pairs scoring
above its threshold and assigns them as cursus's two passes do.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from cursus_codegen.catalog.types import InputSpec, OutputSpec
from cursus_codegen.plan.semantic import best_name_similarity

# Dependency type -> output types it accepts at half weight (`_are_types_compatible`).
_COMPATIBLE_TYPES: dict[str, tuple[str, ...]] = {
    "model_artifacts": ("model_artifacts",),
    "training_data": ("processing_output", "training_data"),
    "processing_output": ("processing_output", "training_data"),
    "hyperparameters": ("hyperparameters", "custom_property"),
    "payload_samples": ("payload_samples", "processing_output"),
    "custom_property": ("custom_property",),
}
# Dependency data type -> output data types it accepts (`_are_data_types_compatible`).
_COMPATIBLE_DATA_TYPES: dict[str, tuple[str, ...]] = {
    "S3Uri": ("S3Uri", "String"),
    "String": ("String", "S3Uri"),
    "Integer": ("Integer", "Float"),
    "Float": ("Float", "Integer"),
    "Boolean": ("Boolean",),
}
# `step_catalog/step_catalog.py::StepCatalog.LEGACY_ALIASES`: legacy name -> canonical step type.
LEGACY_ALIASES: dict[str, str] = {
    "MIMSPackaging": "Package",
    "MIMSPayload": "Payload",
    "ModelRegistration": "Registration",
    "PytorchTraining": "PyTorchTraining",
    "PytorchModel": "PyTorchModel",
}
_JOB_TYPE_SUFFIXES = ("_Training", "_Testing", "_Validation", "_Calibration")


def normalize_provider_type(step_type: str) -> str:
    """The provider identity cursus checks against `compatible_sources`.

    cursus (`_normalize_step_type_for_compatibility` via `registry/step_names.py`) maps `X_Y` to
    `X` when `X` is a registered step type, else keeps the name if it is registered, else strips
    a job-type suffix (_Training/_Testing/_Validation/_Calibration). The provider is the
    producer builder's `spec.step_type`, always the interface's base name (variants never change
    it), and no registered step type contains "_", so for canonical step types this is the
    identity. Without the registry we apply only the suffix strip: a hand-written `X_Other`
    with a registered `X` would normalise to `X` in cursus but stay `X_Other` here.
    """
    for suffix in _JOB_TYPE_SUFFIXES:
        if step_type.endswith(suffix):
            return step_type[: -len(suffix)]
    return step_type


def _strip_step(name: str) -> str:
    return name.removesuffix("Step")


def provider_in_sources(provider: str, sources: Sequence[str]) -> bool:
    """`_provider_in_compatible_sources`: exact, a legacy alias, or equal after dropping "Step"."""
    equivalents = {provider, provider + "Step"}
    equivalents.update(
        legacy for legacy, canonical in LEGACY_ALIASES.items() if canonical == provider
    )
    stripped = _strip_step(provider)
    return any(src in equivalents or _strip_step(src) == stripped for src in sources)


def keyword_score(keywords: Sequence[str], output_name: str) -> float:
    """Share of the dependency's keywords found (case-insensitively) inside the output name."""
    if not keywords:
        return 0.0
    lowered = output_name.lower()
    return sum(1 for keyword in keywords if keyword.lower() in lowered) / len(keywords)


# pure: both passes and every same-typed edge ask the same question
@lru_cache(maxsize=65536)
def compatibility(dep: InputSpec, out: OutputSpec, provider_step_type: str) -> float:
    """`UnifiedDependencyResolver._calculate_compatibility`, term by term in cursus's order."""
    score = 0.0
    if dep.type == out.type:
        score += 0.4
    elif out.type in _COMPATIBLE_TYPES.get(dep.type, ()):
        score += 0.2
    else:
        return 0.0  # incompatible kinds of data never match
    if dep.data_type == out.data_type:
        score += 0.2
    elif out.data_type in _COMPATIBLE_DATA_TYPES.get(dep.data_type, (dep.data_type,)):
        score += 0.1
    score += (
        best_name_similarity(dep.logical_name, out.logical_name, out.aliases) * 0.25
    )
    if match_kind(dep, out) != "score":
        score += 0.05
    if dep.compatible_sources:  # an empty list neither rewards nor penalises
        provider = normalize_provider_type(provider_step_type)
        if provider_in_sources(provider, dep.compatible_sources):
            score += 0.1
        else:
            score -= 0.1
    if dep.semantic_keywords:
        score += keyword_score(dep.semantic_keywords, out.logical_name) * 0.05
    return min(score, 1.0)


def match_kind(dep: InputSpec, out: OutputSpec) -> str:
    """How the names relate (case-sensitive, as cursus's exact-match bonus)."""
    if dep.logical_name == out.logical_name:
        return "name"
    if dep.logical_name in out.aliases:
        return "alias"
    return "score"
