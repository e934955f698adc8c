"""The rule / prompt JSON files cursus v2.9.32 writes into the project when it LOADS a
configuration (src/cursus/steps/configs/: generate_ruleset_config_bundle and
generate_prompt_config_bundle, run by model validators; `json.dump(..., indent=2)`), compared
with the files on disk. The generator never writes into the user's project and the generated
module uploads the folder as it is: a missing or stale file would reach the step unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cursus_codegen.catalog.derive_bedrock import (
    resolved_prompt_configs_path,
    resolved_ruleset_configs_path,
)
from cursus_codegen.catalog.types import LocalPath
from cursus_codegen.diagnostics import error, warning
from cursus_codegen.fs import reads
from cursus_codegen.inputs.config_decode import MODEL_TYPE
from cursus_codegen.inputs.files import file_kind
from cursus_codegen.plan.context import NodeContext

# RuleDefinition._rule_id is `rule_{uuid4().hex[:8]}`, new at every load: only its presence can
# be predicted, so both sides get this marker in its place before they are compared.
RANDOM_RULE_ID = "<random rule_id>"
MISSING, UNREADABLE = object(), object()


class _Rejected(Exception):
    """cursus's pydantic validation refuses the configuration: the config object is never built,
    so cursus writes no file at all (the catalog's validators report the configuration).
    """


def _need(model: Any, *keys: str) -> Mapping[str, Any]:
    if not isinstance(model, Mapping) or any(k not in model for k in keys):
        raise _Rejected
    return model


def _stripped(items: Any) -> list[str]:
    return [str(i).strip() for i in items or []]


# LabelRulesetGenerationConfig: label_config.json and ruleset.json
def _label_config(lc: Any) -> dict[str, Any]:
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


def _rules(definitions: Any) -> list[dict[str, Any]]:
    """RulesetDefinitionList.to_script_format(): a {"rules": [...]} model (a bare list is refused)."""
    rules = _need(definitions, "rules")["rules"]
    if not isinstance(rules, list) or not rules:
        raise _Rejected
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


# step type -> (its folder's derivation, its files); a file is (name, the field it is made from,
# how cursus makes its content from the field, how to write it by hand).
_File = tuple[str, str, Callable[[Any], object], str]
_BUNDLES: dict[
    str,
    tuple[Callable[[Mapping[str, Any]], str | LocalPath | None], tuple[_File, ...]],
] = {
    "LabelRulesetGeneration": (
        resolved_ruleset_configs_path,
        (
            (
                "label_config.json",
                "label_config",
                _label_config,
                "LabelConfig.to_script_format() of label_config",
            ),
            (
                "ruleset.json",
                "rule_definitions",
                _rules,
                (
                    "the list of rule_definitions.rules in "
                    "RuleDefinition.to_script_format(), each with a rule_id (random: only its presence is compared)"
                ),
            ),
        ),
    ),
    "BedrockPromptTemplateGeneration": (
        resolved_prompt_configs_path,
        (
            (
                "system_prompt.json",
                "system_prompt_settings",
                _settings(_SYSTEM_PROMPT),
                "SystemPromptConfig(**system_prompt_settings).model_dump()",
            ),
            (
                "output_format.json",
                "output_format_settings",
                _settings(_OUTPUT_FORMAT),
                "OutputFormatConfig(**output_format_settings).model_dump()",
            ),
            (
                "instruction.json",
                "instruction_settings",
                _settings(_INSTRUCTION),
                "InstructionConfig(**instruction_settings).model_dump()",
            ),
            (
                "category_definitions.json",
                "category_definitions",
                lambda cs: [_category(c) for c in cs],
                "the list of CategoryDefinition.to_script_format() of category_definitions",
            ),
        ),
    ),
}


def expected_files(
    step_type: str, values: Mapping[str, Any]
) -> dict[str, tuple[str, Any, str]]:
    """file name -> (field, content cursus writes, how to write it); {} when cursus writes none.
    A file is written when its field is not None; category_definitions.json: a non-empty list.
    """
    try:
        return {
            name: (field, make(values[field]), how)
            for name, field, make, how in _BUNDLES[step_type][1]
            if values.get(field) is not None
            and (field != "category_definitions" or values[field])
        }
    except (_Rejected, TypeError):  # TypeError: e.g. category_definitions not a list
        return {}


def _on_disk(path: Path) -> object:
    """The parsed file; MISSING when absent; UNREADABLE when it cannot be read as JSON."""
    kind = file_kind(path)  # None: a regular file (no FIFO or device is ever read)
    if kind is not None:
        return MISSING if kind == "no such file" else UNREADABLE
    try:
        return json.loads(reads.read_bytes(path).decode("utf-8"))
    except (
        OSError,
        ValueError,
    ):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return UNREADABLE


def _same(name: str, expected: object, found: object) -> bool:
    """Parsed-JSON equality keeping types apart (1, 1.0, true differ; key order does not matter),
    a ruleset.json rule's string rule_id replaced by the marker: nothing else is random or dated.
    """
    if name == "ruleset.json" and isinstance(found, list):
        found = [
            (
                {**r, "rule_id": RANDOM_RULE_ID}
                if isinstance(r, dict) and isinstance(r.get("rule_id"), str)
                else r
            )
            for r in found
        ]
    return found is not UNREADABLE and json.dumps(
        expected, sort_keys=True
    ) == json.dumps(found, sort_keys=True)


def check_rule_files(ctx: NodeContext) -> None:
    """One diagnostic when a file cursus would write is missing or differs (error under --strict)."""
    bundle = _BUNDLES.get(ctx.step.step_type)
    folder = bundle[0](ctx.values) if bundle else None
    if not isinstance(folder, LocalPath):
        return  # another step type, no source folder, or one on S3: nothing local to compare
    expected = expected_files(ctx.step.step_type, ctx.values)
    found = {
        n: _on_disk(ctx.layout.project_root / folder.relative / n) for n in expected
    }
    missing = [n for n in expected if found[n] is MISSING]
    bad = [
        n for n in expected if n in missing or not _same(n, expected[n][1], found[n])
    ]  # cursus's order
    if not bad:
        return
    differ = [n for n in bad if n not in missing]
    problems = "; ".join(
        f"{w}: {', '.join(ns)}"
        for w, ns in (("missing", missing), ("content differs", differ))
        if ns
    )
    how = "; ".join(f"{n}: {expected[n][2]}" for n in bad)
    message = (
        f"{folder.relative}/ is uploaded as it is, but it lacks what cursus writes there when it "
        f"loads this configuration ({problems}): load the configuration once with cursus "
        f"(load_configs) to write them, or write them as {how}"
    )
    make = (
        error if ctx.strict else warning
    )  # as NodeContext.local reports a missing local file
    ctx.diagnostics.append(make(message, ctx.locate(expected[bad[0]][0])))
