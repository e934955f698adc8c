"""The README's "Supported step types" table is the catalog's: one row per step type.

Regenerate the table after adding or changing a step-type file:
    python tests/test_supported_table.py      (prints the section to paste into README.md)
"""

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
HEADING = "## Supported step types"
INTRO = (
    "Every step type the built-in catalog (`cursus_codegen/catalog/steps/`) defines, with the\n"
    "SageMaker step kind it becomes and how it is built (`compute.kind`; steps built by the\n"
    "company-internal secure-sandbox SDK say so). The table is checked against the catalog by\n"
    "`tests/test_supported_table.py`; run that file with Python to print the current section."
)


def built_with(step) -> str:
    if "sdk_step" in dict(step.extra):
        return "secure-sandbox SDK"
    return step.compute.kind if step.compute else "-"


def supported_section() -> str:
    from cursus_codegen.catalog.loader import load_catalog

    catalog, _ = load_catalog()
    rows = [
        f"| {name} | {step.config_class} | {step.sagemaker_step_type} | {built_with(step)} |"
        for name, step in sorted(
            catalog.by_step_type.items(), key=lambda item: item[0].lower()
        )
    ]
    header = [
        "| step type | configuration class | SageMaker step kind | built with |",
        "|---|---|---|---|",
    ]
    return "\n".join([HEADING, "", INTRO, "", *header, *rows, ""])


def readme_section(text: str) -> str:
    """From the heading up to (not including) the next `## ` heading."""
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start : end + 1] if end != -1 else text[start:]


def test_readme_lists_every_catalog_step_type():
    text = README.read_text(encoding="utf-8")
    assert HEADING in text, f"README.md has no {HEADING!r} section"
    assert (
        readme_section(text) == supported_section() + "\n"
    ), "README.md's step-type table is stale: run `python tests/test_supported_table.py`"


def test_the_table_has_one_row_per_step_type():
    """Read from README.md itself (the printed section has one row per step type by
    construction): every catalog step type in exactly one row, and no other row."""
    from cursus_codegen.catalog.loader import load_catalog

    catalog, _ = load_catalog()
    section = readme_section(README.read_text(encoding="utf-8"))
    rows = [
        line
        for line in section.splitlines()
        if line.startswith("| ") and "---" not in line
    ]
    names = [row.split("|")[1].strip() for row in rows[1:]]  # rows[0] is the header
    assert rows[0].startswith("| step type |")
    assert len(names) == len(set(names)) and set(names) == set(catalog.by_step_type)


if __name__ == "__main__":
    print(supported_section())
