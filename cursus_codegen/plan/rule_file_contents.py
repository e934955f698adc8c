"""What cursus v2.9.32 writes into each rule / prompt JSON file, made from the configuration
field the file comes from: the `to_script_format()` or `model_dump()` of cursus's pydantic
models (src/cursus/steps/configs/), as its config bundle generators write them. A field
cursus's validation refuses raises `Rejected`: cursus then writes no file at all.
plan/rule_files.py says which files each step type gets and compares them with the disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cursus_codegen.inputs.config_decode import MODEL_TYPE

# RuleDefinition._rule_id is `rule_{uuid4().hex[:8]}`, new at every load: only its presence can
# be predicted, so both sides get this marker in its place before they are compared.
RANDOM_RULE_ID = "<random rule_id>"


class Rejected(Exception):
    """cursus's pydantic validation refuses the configuration: the config object is never built,
    so cursus writes no file at all (the catalog's validators report the configuration).
    """


def _need(model: Any, *keys: str) -> Mapping[str, Any]:
    if not isinstance(model, Mapping) or any(k not in model for k in keys):
        raise Rejected
    return model


def _stripped(items: Any) -> list[str]:
    return [str(i).strip() for i in items or []]


# LabelRulesetGenerationConfig: label_config.json and ruleset.json
def label_config(lc: Any) -> dict[str, Any]:
    """LabelConfig.to_script_format(); validate_consistency turns a one-item list into a str."""
    lc = _need(
        lc,
        "output_label_name",
        "output_label_type",
        "label_values",
        "label_mapping",
        "default_label",
    )
    name = lc["output_label_name"]
    if (
        lc["output_label_type"] in ("binary", "multiclass")
        and isinstance(name, list)
        and len(name) == 1
    ):
        name = name[0]
    return {
        "output_label_name": name,
        "output_label_type": lc["output_label_type"],
        "label_values": lc["label_values"],
        "label_mapping": lc["label_mapping"],
        "default_label": lc["default_label"],
        "evaluation_mode": lc.get("evaluation_mode", "priority"),
        "sparse_representation": lc.get("sparse_representation", True),
    }


def _condition(c: Any) -> dict[str, Any]:
    """RuleCondition.to_script_format(): a None value and unset logical lists are left out."""
    c = _need(c)
    out: dict[str, Any] = {}
    if c.get("field") is not None:
        out.update(field=c["field"], operator=c.get("operator"))
        if c.get("value") is not None:
            out["value"] = c["value"]
    for logical in ("all_of", "any_of", "none_of"):
        if c.get(logical) is not None:
            out[logical] = [_condition(x) for x in c[logical]]
    return out


def _rule(r: Any) -> dict[str, Any]:
    """RuleDefinition.to_script_format(); validate_name strips the name."""
    r = _need(r, "name", "priority", "conditions", "output_label")
    return {
        "rule_id": RANDOM_RULE_ID,
        "name": str(r["name"]).strip(),
        "priority": r["priority"],
        "enabled": r.get("enabled", True),
        "conditions": _condition(r["conditions"]),
        "output_label": r["output_label"],
        "description": r.get("description", ""),
    }


def rules(definitions: Any) -> list[dict[str, Any]]:
    """RulesetDefinitionList.to_script_format(): a {"rules": [...]} model (a bare list is refused)."""
    rules = _need(definitions, "rules")["rules"]
    if not isinstance(rules, list) or not rules:
        raise Rejected
    return [_rule(r) for r in rules]


# BedrockPromptTemplateGenerationConfig: the declared defaults of its three settings models
_SYSTEM_PROMPT = {
    "role_definition": "expert analyst",
    "expertise_areas": ["data analysis", "classification", "pattern recognition"],
    "responsibilities": [
        "analyze data accurately",
        "classify content systematically",
        "provide clear reasoning",
    ],
    "behavioral_guidelines": [
        "be precise",
        "be objective",
        "be thorough",
        "be consistent",
    ],
    "tone": "professional",
}
_OUTPUT_FORMAT = {
    "format_type": "structured_json",
    "required_fields": ["category", "confidence", "key_evidence", "reasoning"],
    "field_descriptions": {
        "category": "The classified category name (must be exactly one of the defined categories)",
        "confidence": "Confidence score between 0.0 and 1.0 indicating certainty of classification",
        "key_evidence": "Specific evidence from input data that aligns with the selected category conditions and does NOT match any category exceptions. Reference exact content that supports the classification decision.",
        "reasoning": "Clear explanation of the decision-making process, showing how the evidence supports the selected category while considering why other categories were rejected",
    },
    "json_schema": None,
    "validation_requirements": [
        "category must match one of the predefined category names exactly",
        "confidence must be a number between 0.0 and 1.0",
        "key_evidence must align with category conditions and avoid category exceptions",
        "key_evidence must reference specific content from the input data",
        "reasoning must explain the logical connection between evidence and category selection",
    ],
    "evidence_validation_rules": [
        "Evidence MUST align with at least one condition for the selected category",
        "Evidence MUST NOT match any exceptions listed for the selected category",
        "Evidence should reference specific content from the input data",
        "Multiple pieces of supporting evidence strengthen the classification",
    ],
    "header_text": None,
    "structured_text_sections": None,
    "formatting_rules": None,
    "example_output": None,
}
_INSTRUCTION = {
    "include_analysis_steps": True,
    "include_decision_criteria": True,
    "include_reasoning_requirements": True,
    "step_by_step_format": True,
    "include_evidence_validation": True,
    "classification_guidelines": None,
}


def _settings(defaults: Mapping[str, object]) -> Callable[[Any], dict[str, object]]:
    """<Model>(**settings).model_dump(): the declared defaults, then the given keys, extra keys
    included (the three models are `extra="allow"`)."""
    return lambda given: {
        **defaults,
        **{k: v for k, v in _need(given).items() if k != MODEL_TYPE},
    }


def _category(c: Any) -> dict[str, Any]:
    """CategoryDefinition.to_script_format(): texts stripped (not aliases, validation_rules), empty optionals out."""
    c = _need(c, "name", "description", "conditions", "key_indicators")
    item: dict[str, Any] = {
        "name": str(c["name"]).strip(),
        "description": str(c["description"]).strip(),
        "conditions": _stripped(c["conditions"]),
        "key_indicators": _stripped(c["key_indicators"]),
        "exceptions": _stripped(c.get("exceptions")),
        "priority": c.get("priority", 1),
    }
    for optional, clean in (
        ("examples", _stripped),
        ("aliases", list),
        ("validation_rules", list),
    ):
        if c.get(optional):
            item[optional] = clean(c[optional])
    return item


# The three settings files: <Model>(**<field>).model_dump() with each model's defaults.
system_prompt = _settings(_SYSTEM_PROMPT)
output_format = _settings(_OUTPUT_FORMAT)
instruction = _settings(_INSTRUCTION)


def category_definitions(categories: Any) -> list[dict[str, Any]]:
    """The list of CategoryDefinition.to_script_format()."""
    return [_category(c) for c in categories]
