"""The committed generated examples are exactly what the generator emits today."""

from pathlib import Path

import pytest
from conftest import REPO, run_cli

EXAMPLES = sorted(
    p
    for p in (REPO / "generated_examples").iterdir()
    if (p / "pipeline_gen.py").exists()
)


def regenerate_command(module: Path) -> list[str]:
    """The command the module's header records (continued with " \\" over several lines)."""
    import shlex

    header = module.read_text().split(
        "# Regenerate with (from this file's folder):\n", 1
    )[1]
    lines = header.split('"""', 1)[0].splitlines()
    return shlex.split(" ".join(line.lstrip("#").rstrip("\\ ") for line in lines))


def test_there_are_at_least_two_examples():
    assert {p.name for p in EXAMPLES} >= {"xgboost_e2e", "pytorch_e2e", "multi_region"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_committed_module_matches_a_fresh_generation(example: Path):
    command = regenerate_command(example / "pipeline_gen.py")
    assert command[0] == "cursus-codegen" and "-o" in command
    code, out, err = run_cli([*command[1:], "--check"], cwd=example)
    assert (
        code == 0
    ), f"{example.name}/pipeline_gen.py is stale; regenerate it:\n{out}{err}"
    assert "error" not in err


def test_readme_excerpt_is_taken_from_the_current_example():
    import textwrap

    readme = (REPO / "README.md").read_text()
    section = readme.split("## What the generated module looks like", 1)[1]
    excerpt = section.split("```python\n", 1)[1].split("```\n", 1)[0]
    module = (
        REPO / "generated_examples" / "xgboost_e2e" / "pipeline_gen.py"
    ).read_text()
    assert (
        excerpt.strip()
        and textwrap.indent(excerpt, "    ", lambda line: line.strip() != "") in module
    )
