"""The rule / prompt JSON files cursus v2.9.32 writes into the project when it LOADS a
configuration (src/cursus/steps/configs/: generate_ruleset_config_bundle and
generate_prompt_config_bundle, run by model validators; `json.dump(..., indent=2)`), compared
with the files on disk. The generator never writes into the user's project and the generated
module uploads the folder as it is: a missing or stale file would reach the step unnoticed.
What goes into each file: plan/rule_file_contents.py.
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
from cursus_codegen.inputs.files import file_kind
from cursus_codegen.plan.context import NodeContext
from cursus_codegen.plan.rule_file_contents import (
    RANDOM_RULE_ID,
    Rejected,
    category_definitions,
    instruction,
    label_config,
    output_format,
    rules,
    system_prompt,
)

MISSING, UNREADABLE = object(), object()


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
                label_config,
                "LabelConfig.to_script_format() of label_config",
            ),
            (
                "ruleset.json",
                "rule_definitions",
                rules,
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
                system_prompt,
                "SystemPromptConfig(**system_prompt_settings).model_dump()",
            ),
            (
                "output_format.json",
                "output_format_settings",
                output_format,
                "OutputFormatConfig(**output_format_settings).model_dump()",
            ),
            (
                "instruction.json",
                "instruction_settings",
                instruction,
                "InstructionConfig(**instruction_settings).model_dump()",
            ),
            (
                "category_definitions.json",
                "category_definitions",
                category_definitions,
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
    except (Rejected, TypeError):  # TypeError: e.g. category_definitions not a list
        return {}


def _on_disk(path: Path) -> object:
    """The parsed file; MISSING when absent; UNREADABLE when it cannot be read as JSON."""
    kind = file_kind(path)  # None: a regular file (no FIFO or device is ever read)
    if kind is not None:
        return MISSING if kind == "no such file" else UNREADABLE
    try:
        return json.loads(reads.read_bytes(path).decode("utf-8"))
    # UnicodeDecodeError and JSONDecodeError are ValueErrors
    except (OSError, ValueError):
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
    # in cursus's order
    bad = [
        n for n in expected if n in missing or not _same(n, expected[n][1], found[n])
    ]
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
    # as NodeContext.local reports a missing local file
    make = error if ctx.strict else warning
    ctx.diagnostics.append(make(message, ctx.locate(expected[bad[0]][0])))
