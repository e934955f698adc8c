"""The rule / prompt files cursus writes into the source folder when it loads a
LabelRulesetGeneration or BedrockPromptTemplateGeneration configuration (plan/rule_files.py).

Expected contents are written out by hand from cursus v2.9.32
src/cursus/steps/configs/config_label_ruleset_generation_step.py (generate_ruleset_config_bundle,
LabelConfig / RuleDefinition / RuleCondition.to_script_format) and
config_bedrock_prompt_template_generation_step.py (generate_prompt_config_bundle, the settings
models' defaults, CategoryDefinition.to_script_format). End-to-end cases run the command on a
copy of tests/data/family_bedrock, whose ruleset_configs/ holds what cursus writes.
"""

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, run_cli

from cursus_codegen.catalog.loader import load_catalog
from cursus_codegen.catalog.values import config_values
from cursus_codegen.diagnostics import Level, Location
from cursus_codegen.inputs.config import read_config
from cursus_codegen.paths import LocalLayout
from cursus_codegen.plan.context import NodeContext
from cursus_codegen.plan.rule_file_contents import RANDOM_RULE_ID
from cursus_codegen.plan.rule_files import check_rule_files, expected_files

FAMILY = Path(__file__).resolve().parent / "data" / "family_bedrock"
RULESET = "LabelRulesetGeneration"
PROMPT = "BedrockPromptTemplateGeneration"
SYSTEM_PROMPT_DEFAULTS = {  # SystemPromptConfig's field defaults
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


@pytest.fixture(scope="module")
def catalog():
    loaded, _ = load_catalog()
    return loaded


def family_entry(key: str) -> dict:
    configuration = json.loads((FAMILY / "cfg.json").read_text())["configuration"]
    return {**configuration["shared"], **configuration["specific"][key]}


def expected(catalog, step_type: str, raw: dict) -> dict:
    values, missing = config_values(catalog.get(step_type), catalog, raw)
    assert missing == []
    return {
        name: content
        for name, (_, content, _) in expected_files(step_type, values).items()
    }


# --- what cursus would write ---------------------------------------------------------------


def test_ruleset_bundle_of_the_family_configuration(catalog):
    files = expected(catalog, RULESET, family_entry(RULESET))
    assert files == {
        "label_config.json": {
            "output_label_name": "llm_flag",
            "output_label_type": "binary",
            "label_values": [0, 1],
            "label_mapping": {"0": "no", "1": "yes"},
            "default_label": 0,
            "evaluation_mode": "priority",
            "sparse_representation": True,
        },
        "ruleset.json": [
            {
                "rule_id": RANDOM_RULE_ID,
                "name": "flag_refunds",
                "priority": 1,
                "enabled": True,
                "conditions": {
                    "field": "llm_category",
                    "operator": "equals",
                    "value": "refund",
                },
                "output_label": 1,
                "description": "",
            }
        ],
    }


def test_ruleset_normalisations(catalog):
    raw = family_entry(RULESET)
    raw["label_config"] = {**raw["label_config"], "output_label_name": ["llm_flag"]}
    raw["rule_definitions"] = {
        "rules": [
            {
                "name": "  padded ",
                "priority": 2,
                "output_label": 0,
                "conditions": {
                    "any_of": [
                        {"field": "x", "operator": "is_null", "value": None},
                        {"field": "y", "operator": ">", "value": 3},
                    ],
                    "all_of": None,
                },
            }
        ]
    }
    files = expected(catalog, RULESET, raw)
    # binary + one-item list -> the name itself (LabelConfig.validate_consistency)
    assert files["label_config.json"]["output_label_name"] == "llm_flag"
    (rule,) = files["ruleset.json"]
    assert rule["name"] == "padded"
    # None value and unset logical lists are left out (RuleCondition.to_script_format)
    assert rule["conditions"] == {
        "any_of": [
            {"field": "x", "operator": "is_null"},
            {"field": "y", "operator": ">", "value": 3},
        ]
    }


def test_a_configuration_cursus_refuses_writes_nothing(catalog):
    raw = family_entry(RULESET)
    raw["rule_definitions"] = raw["rule_definitions"][
        "rules"
    ]  # a bare list: not a RulesetDefinitionList
    assert expected(catalog, RULESET, raw) == {}
    raw = family_entry(RULESET)
    del raw["label_config"]["label_mapping"]  # LabelConfig.label_mapping is required
    assert expected(catalog, RULESET, raw) == {}


def test_prompt_bundle_writes_only_the_settings_given(catalog):
    raw = family_entry(PROMPT)
    assert expected(catalog, PROMPT, raw) == {}  # no settings, no categories: no file
    raw.update(
        system_prompt_settings={"tone": "formal", "audience": "ops"},
        instruction_settings={},
        category_definitions=[],
    )
    files = expected(catalog, PROMPT, raw)
    assert set(files) == {
        "system_prompt.json",
        "instruction.json",
    }  # [] -> no category file
    # model_dump(): defaults, the given value, and the extra key (extra="allow")
    assert files["system_prompt.json"] == {
        **SYSTEM_PROMPT_DEFAULTS,
        "tone": "formal",
        "audience": "ops",
    }
    assert files["instruction.json"] == {
        "include_analysis_steps": True,
        "include_decision_criteria": True,
        "include_reasoning_requirements": True,
        "step_by_step_format": True,
        "include_evidence_validation": True,
        "classification_guidelines": None,
    }


def test_category_definitions_in_script_format(catalog):
    raw = family_entry(PROMPT)
    raw["category_definitions"] = [
        {
            "name": " Refund ",
            "description": "asks for money ",
            "conditions": [" c1"],
            "key_indicators": ["k1 "],
            "examples": [],
            "aliases": [" r "],
        }
    ]
    assert expected(catalog, PROMPT, raw)["category_definitions.json"] == [
        {
            "name": "Refund",
            "description": "asks for money",
            "conditions": ["c1"],
            "key_indicators": ["k1"],
            "exceptions": [],
            "priority": 1,
            "aliases": [" r "],
        }
    ]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_prompt_bundle_matches_what_cursus_stored(catalog):
    """The corpus configuration keeps cursus's own effective_* dicts: the files' contents."""
    name = "config.json"
    config, _ = read_config(CORPUS / "configs" / "rnr_pytorch_bedrock" / name, name)
    raw = dict(config.get(PROMPT).values)
    files = expected(catalog, PROMPT, raw)
    assert set(files) == {
        "system_prompt.json",
        "output_format.json",
        "instruction.json",
    }
    for file, stored in (
        ("system_prompt.json", "effective_system_prompt_config"),
        ("output_format.json", "effective_output_format_config"),
        ("instruction.json", "effective_instruction_config"),
    ):
        assert files[file] == raw[stored], file


# --- the diagnostic, end to end ------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    shutil.copytree(FAMILY, tmp_path / "p")
    return tmp_path / "p"


def generate(project: Path, *extra: str):
    return run_cli(["dag.json", "cfg.json", "-o", "gen.py", *extra], cwd=project)


def folder_lines(err: str, folder: str) -> list[str]:
    return [
        line for line in err.splitlines() if f"{folder}/ is uploaded as it is" in line
    ]


def test_files_present_and_matching_give_no_diagnostic(project):
    code, _, err = generate(project, "--strict")
    assert code == 0, err
    assert folder_lines(err, "scripts/ruleset_configs") == []


def test_a_random_rule_id_is_not_compared_but_must_be_there(project):
    ruleset = project / "scripts" / "ruleset_configs" / "ruleset.json"
    rules = json.loads(ruleset.read_text())
    ruleset.write_text(json.dumps([{**rules[0], "rule_id": "rule_0000beef"}]))
    assert folder_lines(generate(project)[2], "scripts/ruleset_configs") == []
    ruleset.write_text(
        json.dumps([{k: v for k, v in rules[0].items() if k != "rule_id"}])
    )
    (line,) = folder_lines(generate(project)[2], "scripts/ruleset_configs")
    assert "content differs: ruleset.json" in line


def test_a_missing_file_is_a_warning_naming_it(project):
    (project / "scripts" / "ruleset_configs" / "ruleset.json").unlink()
    code, _, err = generate(project)
    assert code == 0, err
    (line,) = folder_lines(err, "scripts/ruleset_configs")
    assert "warning:" in line and "(missing: ruleset.json)" in line
    assert "label_config.json" not in line  # that one matches
    assert (
        "load_configs" in line
        and "ruleset.json: the list of rule_definitions.rules" in line
    )
    assert (
        "LabelRulesetGeneration/rule_definitions" in line
    )  # located at the field it comes from


def test_differing_content_is_a_warning(project):
    label = project / "scripts" / "ruleset_configs" / "label_config.json"
    content = json.loads(label.read_text())
    label.write_text(json.dumps({**content, "default_label": 1}, indent=4))
    (line,) = folder_lines(generate(project)[2], "scripts/ruleset_configs")
    assert "warning:" in line and "(content differs: label_config.json)" in line
    # a reformatted file with the same parsed content is fine; a 0 turned into false is not
    label.write_text(json.dumps(dict(reversed(content.items())), indent=None))
    assert folder_lines(generate(project)[2], "scripts/ruleset_configs") == []
    label.write_text(json.dumps({**content, "default_label": False}))
    assert len(folder_lines(generate(project)[2], "scripts/ruleset_configs")) == 1


def test_strict_makes_it_an_error(project):
    (project / "scripts" / "ruleset_configs" / "label_config.json").write_text(
        "not json"
    )
    (project / "scripts" / "ruleset_configs" / "ruleset.json").unlink()
    code, _, err = generate(project, "--strict")
    assert code != 0
    (line,) = folder_lines(err, "scripts/ruleset_configs")
    assert "error:" in line
    assert "(missing: ruleset.json; content differs: label_config.json)" in line


@pytest.mark.parametrize(
    ("strict", "level"), [(False, Level.WARNING), (True, Level.ERROR)]
)
def test_the_planner_reports_as_for_a_missing_local_file(
    catalog, project, strict, level
):
    """NodeContext.local's `error if self.strict else warning` (the command's --strict also
    turns every warning into an error afterwards, so this is checked on the node itself).
    """
    (project / "scripts" / "ruleset_configs" / "ruleset.json").unlink()
    step = catalog.get(RULESET)
    values, _ = config_values(step, catalog, family_entry(RULESET))
    ctx = NodeContext(
        node=RULESET,
        config_key=RULESET,
        step=step,
        values=values,
        step_name=RULESET,
        var="label_ruleset_generation",
        wires=(),
        locate=lambda f: Location("cfg.json", pointer=f),
        layout=LocalLayout(project, project),
        strict=strict,
    )
    check_rule_files(ctx)
    (diagnostic,) = ctx.diagnostics
    assert (
        diagnostic.level is level and diagnostic.location.pointer == "rule_definitions"
    )
    assert "scripts/ruleset_configs/" in diagnostic.message


def test_prompt_settings_need_their_file(project):
    cfg = project / "cfg.json"
    document = json.loads(cfg.read_text())
    document["configuration"]["specific"][PROMPT]["system_prompt_settings"] = {}
    cfg.write_text(json.dumps(document))
    # the fixture's system_prompt.json holds one key only, not SystemPromptConfig().model_dump()
    (line,) = folder_lines(generate(project)[2], "scripts/prompt_configs")
    assert "(content differs: system_prompt.json)" in line
    assert "BedrockPromptTemplateGeneration/system_prompt_settings" in line
    (project / "scripts" / "prompt_configs" / "system_prompt.json").write_text(
        json.dumps(SYSTEM_PROMPT_DEFAULTS, indent=2)
    )
    assert (
        folder_lines(generate(project, "--strict")[2], "scripts/prompt_configs") == []
    )
