"""Extension without editing generated files (issue 5 §5): a team's own step type, defined only
in `--steps DIR`, generates and builds offline; `--templates DIR` overrides a template; both
are recorded in the header (path and content hash) and in its regenerate command, so `--check`
with that command reproduces the module."""

import shutil

import pytest
from conftest import REPO, build_definition, import_module_from, run_cli
from support.definitions import is_prefix_join, steps_by_name

CUSTOM = REPO / "tests" / "data" / "custom_step"
GENERATE = ["dag.json", "cfg.json", "-o", "pipeline_gen.py", "--steps", "team_steps"]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("custom") / "project"
    shutil.copytree(CUSTOM, folder)
    code, _, err = run_cli([*GENERATE, "--strict"], cwd=folder)
    assert code == 0, err
    return folder


@pytest.fixture(scope="module")
def definition(project, sm_session):
    return build_definition(
        import_module_from(project / "pipeline_gen.py", "custom_step_gen"), sm_session
    )


def test_without_steps_dir_the_type_is_unknown(tmp_path):
    shutil.copytree(CUSTOM, tmp_path / "p")
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py"], cwd=tmp_path / "p"
    )
    assert code == 2 and "RowCounterConfig" in err
    assert not (tmp_path / "p" / "pipeline_gen.py").exists()


def test_the_teams_step_type_builds_offline_as_its_yaml_says(definition):
    steps = steps_by_name(definition)
    assert list(steps) == ["DummyDataLoading-Training", "RowCounter-Training"]
    step = steps["RowCounter-Training"]
    assert step["Type"] == "Processing"
    args = step["Arguments"]
    assert args["Environment"]["MAX_ROWS"] == "5000"
    assert args["AppSpecification"]["ContainerArguments"] == ["--job_type", "training"]
    assert args["AppSpecification"]["ImageUri"].endswith(
        "sagemaker-scikit-learn:1.2-1-cpu-py3"
    )
    [data] = args["ProcessingInputs"][:1]
    assert (
        data["InputName"] == "DATA"
        and data["S3Input"]["LocalPath"] == "/opt/ml/processing/input/data"
    )
    assert data["S3Input"]["S3Uri"] == {
        "Get": "Steps.DummyDataLoading-Training.ProcessingOutputConfig.Outputs['DATA'].S3Output.S3Uri"
    }
    [output] = args["ProcessingOutputConfig"]["Outputs"]
    assert output["OutputName"] == "row_counts"
    assert output["S3Output"]["LocalPath"] == "/opt/ml/processing/output/row_counts"
    assert is_prefix_join(output["S3Output"]["S3Uri"])
    assert output["S3Output"]["S3Uri"]["Std:Join"]["Values"][1:] == [
        "rowcounter",
        "training",
        "row_counts",
    ]


def test_header_records_the_steps_folder_and_check_reproduces(project):
    header = (project / "pipeline_gen.py").read_text().split('"""')[0]
    assert "#   steps: team_steps\n" in header
    assert (
        "#   cursus-codegen dag.json cfg.json -o pipeline_gen.py --steps team_steps\n"
        in header
    )
    assert run_cli([*GENERATE, "--check"], cwd=project)[:2] == (0, "")


def test_changing_the_step_type_makes_check_fail(project, tmp_path):
    shutil.copytree(project, tmp_path / "p")
    yaml_file = tmp_path / "p" / "team_steps" / "row_counter.yaml"
    yaml_file.write_text(
        yaml_file.read_text().replace("{name: MAX_ROWS,", "{name: ROW_LIMIT,")
    )
    code, out, _ = run_cli([*GENERATE, "--check"], cwd=tmp_path / "p")
    assert code == 1
    assert (
        '+            "ROW_LIMIT": "5000",' in out
        and "#   steps: team_steps" not in out
    )


def test_a_comment_in_the_step_file_changes_nothing_or_only_the_header_hash(
    project, tmp_path
):
    shutil.copytree(project, tmp_path / "p")
    hashed = [*GENERATE, "-o", "hashed.py", "--input-hashes"]
    assert run_cli(hashed, cwd=tmp_path / "p")[0] == 0
    yaml_file = tmp_path / "p" / "team_steps" / "row_counter.yaml"
    yaml_file.write_text(yaml_file.read_text() + "# reviewed\n")
    assert run_cli([*GENERATE, "--check"], cwd=tmp_path / "p")[:2] == (
        0,
        "",
    )  # no hash: unchanged
    code, out, _ = run_cli([*hashed, "--check"], cwd=tmp_path / "p")
    changed = [
        line
        for line in out.splitlines()
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert (
        code == 1
        and len(changed) == 2
        and all("#   steps: team_steps (sha256 " in c for c in changed)
    )


def _override(folder):
    """A team's copy of the processing template with one extra comment line."""
    target = folder / "steps" / "processing.py.j2"
    target.parent.mkdir(parents=True)
    packaged = (REPO / "templates" / "steps" / "processing.py.j2").read_text()
    first, rest = packaged.split("\n", 1)
    target.write_text(
        f"{first}\n    # processing step rendered by the team's template\n{rest}"
    )
    return target


def test_templates_override_is_used_recorded_and_reproduced(project, tmp_path):
    shutil.copytree(project, tmp_path / "p")
    folder = tmp_path / "p"
    template = _override(folder / "my_templates")
    args = [*GENERATE, "--templates", "my_templates"]
    code, _, err = run_cli(args, cwd=folder)
    assert code == 0, err
    text = (folder / "pipeline_gen.py").read_text()
    assert (
        text.count("# processing step rendered by the team's template") == 2
    )  # both steps
    assert "#   templates: my_templates\n" in text
    command = text.split("# Regenerate with (from this file's folder):\n")[1].split(
        '"""'
    )[0]
    command = " ".join(line.lstrip("# ").rstrip(" \\") for line in command.splitlines())
    assert command.endswith("--steps team_steps --templates my_templates")
    assert run_cli([*args, "--check"], cwd=folder)[:2] == (0, "")
    assert (
        run_cli([*GENERATE, "--check"], cwd=folder)[0] == 1
    )  # without the override: stale
    template.write_text(
        template.read_text().replace("team's template", "team's template, v2")
    )
    assert run_cli([*args, "--check"], cwd=folder)[0] == 1


def test_a_broken_template_is_bad_input_and_writes_nothing(project, tmp_path):
    shutil.copytree(project, tmp_path / "p")
    folder = tmp_path / "p"
    before = (folder / "pipeline_gen.py").read_text()
    target = folder / "bad" / "steps" / "processing.py.j2"
    target.parent.mkdir(parents=True)
    target.write_text("        this is not = python (\n")
    code, _, err = run_cli([*GENERATE, "--templates", "bad"], cwd=folder)
    assert code == 2 and "not valid Python" in err and err.startswith("bad: error:")
    target.write_text("{{ step.no_such_field }}\n")
    code, _, err = run_cli([*GENERATE, "--templates", "bad"], cwd=folder)
    assert code == 2 and "no_such_field" in err
    assert run_cli([*GENERATE, "--templates", "missing"], cwd=folder)[0] == 2
    assert (folder / "pipeline_gen.py").read_text() == before


def test_the_readme_worked_example_is_the_tested_step_file():
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Adding a step type") :]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert block == (CUSTOM / "team_steps" / "row_counter.yaml").read_text()
