"""cursus's scored node resolution, for a DAG node that no configuration is named after.

`step_catalog/adapters/config_resolver.py::_resolve_single_node` (cursus v2.9.32): when direct
name matching fails, three strategies each propose (configuration, confidence, method) and the
first proposal of the highest confidence wins, in strategy order then configuration order:
  - job_type: the node names a job type (JOB_TYPE_KEYWORDS) that the configuration's job_type
    shares, and the class's base name and the node's `<prefix>_` are substrings one of the other:
    0.7 + 0.3 x (0.8 if the class's base name is in the node, else their SequenceMatcher ratio);
  - semantic: a keyword category hits both the node and the configuration key, and the class's
    step type is the node's base step type: 0.7;
  - pattern: the node matches a STEP_TYPE_PATTERNS regex of the class's step type:
    0.6 (+0.2 when the node and the configuration's job_type share a job-type keyword), max 0.9.
cursus builds with the winner and only logs a warning below 0.7; the generator always warns
(naming the node, the configuration and the confidence), and `--strict` makes that an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from cursus_codegen.inputs.config import NodeConfig

JOB_TYPE_KEYWORDS = {
    "training": ("training", "train"),
    "calibration": ("calibration", "calib"),
    "evaluation": ("evaluation", "eval", "test"),
    "inference": ("inference", "infer", "predict"),
}
SEMANTIC_KEYWORDS = {
    "data": ("loading", "load", "cradle"),
    "preprocess": ("preprocessing", "tabular"),
    "train": ("training", "xgboost", "pytorch"),
    "evaluate": ("evaluation", "eval", "test"),
    "transform": ("transformation", "batch"),
}
# Legacy names (MIMSPackaging, ModelRegistration, ...) are kept as cursus has them: no step
# type is called that any more, so those patterns match nothing, in cursus as here.
STEP_TYPE_PATTERNS = {
    r".*data_load.*": ("CradleDataLoading",),
    r".*preprocess.*": ("TabularPreprocessing",),
    r".*train.*": ("XGBoostTraining", "PyTorchTraining", "DummyTraining"),
    r".*eval.*": ("XGBoostModelEval",),
    r".*model.*": ("XGBoostModel", "PyTorchModel"),
    r".*calibrat.*": ("ModelCalibration",),
    r".*packag.*": ("MIMSPackaging",),
    r".*payload.*": ("MIMSPayload",),
    r".*regist.*": ("ModelRegistration",),
    r".*transform.*": ("BatchTransform",),
    r".*currency.*": ("CurrencyConversion",),
    r".*risk.*": ("RiskTableMapping",),
    r".*hyperparam.*": ("HyperparameterPrep",),
}

# (the class declares a job_type field, its effective value): cursus's hasattr/getattr
JobTypeOf = Callable[[NodeConfig], tuple[bool, object]]


@dataclass(frozen=True)
class Scored:
    config: NodeConfig
    confidence: float
    method: str


def best_scored(
    node: str,
    configs: Sequence[NodeConfig],
    step_type_of: Callable[[NodeConfig], str],
    job_type_of: JobTypeOf,
    node_base: str,
) -> Scored | None:
    """cursus's winner for `node` (`node_base`: its base step type, or the node itself)."""
    proposals = [
        *_job_type(node, configs, job_type_of),
        *_semantic(node, configs, step_type_of, node_base),
        *_pattern(node, configs, step_type_of, job_type_of),
    ]
    return max(proposals, key=lambda p: p.confidence) if proposals else None


def _has_any(text: str, keywords: Iterable[str]) -> bool:
    return any(keyword in text for keyword in keywords)


def _class_base(cfg: NodeConfig) -> str:
    return cfg.class_name.lower().replace("config", "").replace("step", "")


def _job_type(
    node: str, configs: Sequence[NodeConfig], job_type_of: JobTypeOf
) -> list[Scored]:
    lower = node.lower()
    detected = next(
        (kws for kws in JOB_TYPE_KEYWORDS.values() if _has_any(lower, kws)), None
    )
    if detected is None:
        return []
    node_type = node.rsplit("_", 1)[0].lower() if "_" in node else None
    found = []
    for cfg in configs:
        has_job_type, job_type = job_type_of(cfg)
        if not has_job_type or not _has_any(str(job_type or "").lower(), detected):
            continue
        base = _class_base(cfg)
        if node_type and base and base not in node_type and node_type not in base:
            continue  # cursus's cross-check: a Cradle configuration never serves a calibration node
        close = (
            0.8
            if base in lower or _has_any(lower, base.split("_"))
            else SequenceMatcher(None, lower, base).ratio()
        )
        found.append(Scored(cfg, 0.7 + close * 0.3, "job_type"))
    return found


def _semantic(
    node: str,
    configs: Sequence[NodeConfig],
    step_type_of: Callable[[NodeConfig], str],
    node_base: str,
) -> list[Scored]:
    lower = node.lower()
    found = []
    for cfg in configs:
        key = cfg.key.lower()
        if not any(
            _has_any(lower, kws) and _has_any(key, kws)
            for kws in SEMANTIC_KEYWORDS.values()
        ):
            continue
        # cursus's gate: the same step type
        if step_type_of(cfg).lower() == node_base.lower():
            found.append(Scored(cfg, 0.7, "semantic"))
    return found


def _pattern(
    node: str,
    configs: Sequence[NodeConfig],
    step_type_of: Callable[[NodeConfig], str],
    job_type_of: JobTypeOf,
) -> list[Scored]:
    lower = node.lower()
    types = [
        t
        for pattern, listed in STEP_TYPE_PATTERNS.items()
        if re.match(pattern, lower)
        for t in listed
    ]
    found = []
    for cfg in configs:
        if step_type_of(cfg) not in types:
            continue
        confidence = 0.6
        has_job_type, job_type = job_type_of(cfg)
        if has_job_type and _shares_job_type(lower, str(job_type or "").lower()):
            confidence += 0.2
        found.append(Scored(cfg, min(confidence, 0.9), "pattern"))
    return found


def _shares_job_type(node_lower: str, job_type: str) -> bool:
    """cursus `_calculate_job_type_boost`: a job type whose keywords hit both."""
    return any(
        _has_any(job_type, kws) and _has_any(node_lower, kws)
        for kws in JOB_TYPE_KEYWORDS.values()
    )


def legacy_step_type(class_name: str) -> str:
    """cursus `_config_class_to_step_type`'s fallback for a class no step type defines."""
    step_type = class_name.removesuffix("Config")
    step_type = step_type.removesuffix("Step")
    if step_type == "CradleDataLoad":
        return "CradleDataLoading"
    return "MIMSPackaging" if step_type in ("PackageStep", "Package") else step_type
