"""Derivations of the Bedrock / label-ruleset family and of the evaluation-side processing steps
(config-class properties a data file cannot express). Merged into derive.DERIVATIONS, which
imports this module: so this one must not import derive.py (that would be circular).

Each function takes the configuration's effective values (values.config_values) and returns what
the cursus v2.9.32 property returns: env text, a LocalPath / S3 string for an input source, or
None when cursus produces nothing. Sources are under src/cursus/steps/configs/.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import PurePosixPath
from typing import Any

from cursus_codegen.catalog.types import LocalPath

Values = Mapping[str, Any]

# config_bedrock_(batch_)processing_step.py effective_inference_profile_required_models
KNOWN_PROFILE_MODELS = (
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "anthropic.claude-sonnet-4-20250514-v1:0",
    "anthropic.claude-opus-4-1-20250805-v1:0",
)
SSL_STRATEGIES = ("confidence_threshold", "top_k_per_class")
ACTIVE_LEARNING_STRATEGIES = ("uncertainty", "diversity", "badge")


# --- Bedrock processing (both variants) ----------------------------------------------------


def profile_required_models(values: Values) -> list[str]:
    """effective_inference_profile_required_models: the configured list plus the primary model
    when it is a known inference-profile model.

    cursus's field validator dedupes with list(set(...)), whose order changes with the process's
    string hash seed; we keep the first occurrence of each model in the order written (the order
    the default and the corpus configurations show) so the output is deterministic.
    """
    raw = values.get("bedrock_inference_profile_required_models") or []
    models = list(dict.fromkeys(str(m).strip() for m in raw if m and str(m).strip()))
    primary = values.get("bedrock_primary_model_id")
    if primary in KNOWN_PROFILE_MODELS and primary not in models:
        models.append(primary)
    return models


def bedrock_profile_required_models_json(values: Values) -> str:
    return json.dumps(profile_required_models(values))


def _text_or_empty(field: str) -> Callable[[Values], str]:
    """`self.<field> or ""` in bedrock_environment_variables."""

    def derive(values: Values) -> str:
        return values.get(field) or ""

    derive.__name__ = f"{field}_text"
    return derive


def _json_or(field: str, empty: str) -> Callable[[Values], str]:
    """`json.dumps(self.<field>) if self.<field> else <empty>`."""

    def derive(values: Values) -> str:
        value = values.get(field)
        return json.dumps(value) if value else empty

    derive.__name__ = f"{field}_json"
    return derive


# --- input sources (contract.input_source_overrides) --------------------------------------


def _effective_source_dir(values: Values) -> str | None:
    """ProcessingStepConfigBase.effective_source_dir without the machine-dependent part.

    cursus first tries to resolve processing_source_dir, then source_dir, to an absolute path on
    the machine that compiles (when the folder exists there); otherwise it returns the raw value.
    Both name the same folder; the generated module addresses it relative to the project, so the
    raw value is the deterministic equivalent.
    """
    folder = values.get("processing_source_dir")
    return folder if folder is not None else values.get("source_dir")


def _under_source_dir(values: Values, sub_field: str) -> str | LocalPath | None:
    """str(Path(effective_source_dir) / <sub_field>); None when the sub-folder is unset.

    cursus raises ValueError when no source folder is configured; without one there is no
    folder to upload, so this returns None and the input is left to wiring (optional input).
    """
    sub = values.get(sub_field)
    base = _effective_source_dir(values)
    if sub is None or base is None:
        return None
    base, sub = str(base), str(sub)
    if base.startswith("s3://"):
        # Path() would collapse "s3://" into "s3:/"; an S3 folder is joined as a URI instead.
        return f"{base.rstrip('/')}/{sub.strip('/')}"
    return LocalPath(str(PurePosixPath(base) / sub))


def resolved_prompt_configs_path(values: Values) -> str | LocalPath | None:
    """BedrockPromptTemplateGenerationConfig.resolved_prompt_configs_path."""
    return _under_source_dir(values, "prompt_configs_path")


def resolved_ruleset_configs_path(values: Values) -> str | LocalPath | None:
    """LabelRulesetGenerationConfig.resolved_ruleset_configs_path."""
    return _under_source_dir(values, "ruleset_configs_path")


# --- other environment values --------------------------------------------------------------


def currency_conversion_dict_json(values: Values) -> str:
    """json.dumps(CurrencyConversionDictConfig.model_dump()): each mapping reduced to its three
    declared fields in declaration order, the rate as a float (pydantic drops extra keys).
    """
    raw = values.get("currency_conversion_dict") or {}
    mappings = raw.get("mappings", []) if isinstance(raw, Mapping) else []
    dumped = [
        {
            "marketplace_id": m.get("marketplace_id"),
            "currency_code": m.get("currency_code"),
            "conversion_rate": _as_float(m.get("conversion_rate")),
        }
        for m in mappings
        if isinstance(m, Mapping)
    ]
    return json.dumps({"mappings": dumped})


def _as_float(value: Any) -> Any:
    try:
        return float(value)
    # cursus rejects such a configuration; keep it visible
    except (TypeError, ValueError):
        return value


def feature_selection_methods_text(values: Values) -> str:
    """The validated feature_selection_methods: items stripped, empty items dropped."""
    methods = str(values.get("feature_selection_methods") or "").split(",")
    return ",".join(m.strip() for m in methods if m.strip())


def wiki_output_formats_text(values: Values) -> str:
    """ModelWikiGeneratorConfig.validate_output_formats: items stripped and lower-cased."""
    formats = str(values.get("output_formats") or "").split(",")
    return ",".join(f.strip().lower() for f in formats)


def _when_strategy(field: str, strategies: tuple[str, ...]) -> Callable[[Values], Any]:
    """ActiveSampleSelectionConfig: a parameter is emitted only for the strategies it serves."""

    def derive(values: Values) -> Any:
        return (
            values.get(field)
            if values.get("selection_strategy") in strategies
            else None
        )

    derive.__name__ = f"{field}_for_strategy"
    return derive


def _manual_ratio(field: str) -> Callable[[Values], Any]:
    """PseudoLabelMergeConfig: a ratio is emitted only when auto split ratios are off."""

    def derive(values: Values) -> Any:
        return None if values.get("use_auto_split_ratios") else values.get(field)

    derive.__name__ = f"manual_{field}"
    return derive


BEDROCK_DERIVATIONS: dict[str, Callable[[Values], Any]] = {
    "bedrock_profile_required_models_json": bedrock_profile_required_models_json,
    "bedrock_fallback_model_id_text": _text_or_empty("bedrock_fallback_model_id"),
    "bedrock_inference_profile_arn_text": _text_or_empty(
        "bedrock_inference_profile_arn"
    ),
    "bedrock_user_prompt_template_text": _text_or_empty("bedrock_user_prompt_template"),
    "bedrock_system_prompt_text": _text_or_empty("bedrock_system_prompt"),
    "bedrock_output_column_map_json": _json_or("bedrock_output_column_map", ""),
    "bedrock_input_placeholders_json": _json_or("bedrock_input_placeholders", "[]"),
    "bedrock_validation_schema_json": _json_or("bedrock_validation_schema", "{}"),
    "resolved_prompt_configs_path": resolved_prompt_configs_path,
    "resolved_ruleset_configs_path": resolved_ruleset_configs_path,
    "currency_code_field_text": _text_or_empty("currency_code_field"),
    "marketplace_id_field_text": _text_or_empty("marketplace_id_field"),
    "currency_conversion_dict_json": currency_conversion_dict_json,
    "feature_selection_methods_text": feature_selection_methods_text,
    "wiki_output_formats_text": wiki_output_formats_text,
    "ssl_confidence_threshold": _when_strategy("confidence_threshold", SSL_STRATEGIES),
    "ssl_max_samples": _when_strategy("max_samples", SSL_STRATEGIES),
    "ssl_k_per_class": _when_strategy("k_per_class", SSL_STRATEGIES),
    "al_uncertainty_mode": _when_strategy(
        "uncertainty_mode", ACTIVE_LEARNING_STRATEGIES
    ),
    "al_batch_size": _when_strategy("batch_size", ACTIVE_LEARNING_STRATEGIES),
    "al_metric": _when_strategy("metric", ACTIVE_LEARNING_STRATEGIES),
    "manual_train_ratio": _manual_ratio("train_ratio"),
    "manual_test_val_ratio": _manual_ratio("test_val_ratio"),
}
