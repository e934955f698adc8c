"""Behaviour the mutation run (bench/mutation/run.py) found untested: each test kills the
mutants named in its docstring, as a specification of what a user sees."""

import json
import re
import shutil

import pytest
from conftest import REPO, run_cli


def test_a_cradle_spec_that_is_not_an_object_is_a_located_error(tmp_path):
    """mods/cradle.py: a nested Cradle model that is not an object is reported, not read as {}."""
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "data" / "sdk_steps", project)
    config = json.loads((project / "cfg.json").read_text())
    config["configuration"]["specific"]["CradleDataLoading_training"][
        "transform_spec"
    ] = "SELECT 1"
    (project / "cfg.json").write_text(json.dumps(config, indent=2))
    code, out, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py"], cwd=project
    )
    assert code == 2 and out == "" and not (project / "pipeline_gen.py").exists()
    assert "transform_spec must be an object, got str" in err and err.startswith(
        "cfg.json#/configuration/specific/"
    )


def test_regions_that_set_different_fields_name_a_region_without_any():
    """plan/region_values.py merge_pairs: the message says '(none)' for a region that sets none."""
    from cursus_codegen.expr import Literal
    from cursus_codegen.plan.region_values import RegionsDiffer, merge_pairs

    with pytest.raises(RegionsDiffer) as raised:
        merge_pairs(
            [("NA", ()), ("EU", (("MAX_DEPTH", Literal(6)),))],
            "XGBoostTraining environment",
        )
    assert str(raised.value) == (
        "XGBoostTraining environment: the regions set different fields "
        "(NA: (none), EU: MAX_DEPTH)"
    )


def _entry(claims=None, facts=None):
    from cursus_codegen.project import cache

    payload = {
        "module_sha256": "0" * 64,
        "messages": "",
        "claims": claims if claims is not None else {p: [] for p in cache.CLAIM_PARTS},
        "facts": facts if facts is not None else [["read", "/x", "y"]],
    }
    return cache._entry(json.dumps(payload).encode())


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {"writes": "x", "mirrors": [], "reads": [], "uploads": []},
        {"writes": [1], "mirrors": [], "reads": [], "uploads": []},
    ],
)
def test_a_cache_entry_with_damaged_claims_is_no_answer(claims):
    """project/cache.py: every part of an entry is checked, the claims as much as the facts."""
    assert _entry(claims=claims) is None


def test_the_number_of_facts_an_entry_may_hold_is_bounded_at_its_limit(monkeypatch):
    """project/cache.py MAX_FACTS: exactly the limit is an entry, one more is not."""
    from cursus_codegen.project import cache

    monkeypatch.setattr(cache, "MAX_FACTS", 3)
    fact = ["read", "/x", "y"]
    assert _entry(facts=[fact] * 3) is not None
    assert _entry(facts=[fact] * 4) is None


def test_regions_with_another_author_name_the_first_configuration(tmp_path):
    """plan/assemble.py: the error says which configuration's author the others must match."""
    project = tmp_path / "p"
    shutil.copytree(REPO / "generated_examples" / "multi_region", project)
    path = project / "pipeline_config" / "config_FE.json"
    config = json.loads(path.read_text())
    config["configuration"]["shared"]["author"] = "someone-else"
    path.write_text(json.dumps(config, indent=2))
    configs = [f"pipeline_config/config_{region}.json" for region in ("NA", "EU", "FE")]
    code, _, err = run_cli(["dag.py", *configs, "-o", "pipeline_gen.py"], cwd=project)
    assert code == 2
    assert "MODS author 'someone-else' differs from" in err
    assert (
        "in pipeline_config/config_NA.json: one template has one author and version"
        in err
    )
    assert err.startswith("pipeline_config/config_FE.json")


def test_a_tuning_step_type_without_its_limits_uses_the_tuner_defaults(tmp_path):
    """plan/tuning.py: a --steps tuning type that declares no max_jobs / max_parallel_jobs gets
    cursus's HyperparameterTuner defaults, 20 and 1."""
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "data" / "family_byo" / "graph", project)
    builtin = (
        REPO / "cursus_codegen" / "catalog" / "steps" / "graphstorm_gnn_tuning.yaml"
    )
    text = "".join(
        line
        for line in builtin.read_text().splitlines(keepends=True)
        if not line.lstrip().startswith(("max_jobs:", "max_parallel_jobs:"))
    )
    (project / "steps" / "graphstorm_gnn_tuning.yaml").write_text(text)
    code, _, err = run_cli(
        ["dag.json", "cfg.json", "-o", "pipeline_gen.py", "--steps", "steps"],
        cwd=project,
    )
    assert code == 0, err
    source = (project / "pipeline_gen.py").read_text()
    assert "max_jobs=20," in source and "max_parallel_jobs=1," in source


def test_a_cache_that_cannot_store_an_entry_is_one_warning(tmp_path, monkeypatch):
    """project/cache.py Cache.store: the run goes on without the cache, and says so once."""
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / "manifest").write_text("a file where the cache keeps its entries\n")
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(cache))
    root = tmp_path / "repo"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", root / "a")
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", root / "b")
    (root / "pyproject.toml").write_text(
        "".join(
            f'[[tool.cursus-codegen.pipelines]]\nname = "{n}"\ndag = "{n}/dag.py"\nconfig = "{n}/cfg.json"\n'
            f'output = "{n}/pipeline_gen.py"\n'
            for n in "ab"
        )
    )
    code, out, err = run_cli(["generate"], cwd=root)
    assert code == 0 and out == "a: unchanged\nb: unchanged\n"
    assert err.count("continuing without it") == 1 and "manifest" in err


def test_an_unchanged_module_is_formatted_from_the_cache(tmp_path, monkeypatch):
    """output/formatter.py: a genuine cached piece is used (regenerating formats nothing), while a
    piece that is not its source's code is not (tests/hostile/test_hostile_manifest.py).
    """
    import black

    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    project = tmp_path / "p"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    args = ["dag.py", "cfg.json", "-o", "pipeline_gen.py"]
    assert run_cli(args, cwd=project)[0] == 0
    first = (project / "pipeline_gen.py").read_bytes()

    def no_black(*args, **kwargs):
        raise AssertionError("black ran although every piece was in the cache")

    monkeypatch.setattr(black, "format_str", no_black)
    (project / "pipeline_gen.py").unlink()
    code, _, err = run_cli(args, cwd=project)
    assert code == 0, err
    assert (project / "pipeline_gen.py").read_bytes() == first


def test_a_manifest_pipeline_that_is_not_a_table_is_located(tmp_path):
    """project/manifest.py: `pipelines = ["x"]` is a located error, not a pipeline."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cursus-codegen]\npipelines = ["atoz"]\n'
    )
    code, out, err = run_cli(["check"], cwd=tmp_path)
    assert (code, out) == (
        2,
        "",
    ) and "pyproject.toml:1:1: error: a pipeline must be a table" in err


def test_explain_lists_each_field_the_regions_differ_in_and_prints_text_as_written(
    tmp_path,
):
    """output/regional.py (a batch transform's input arguments) and output/explain_json.py (the JSON
    layout): a region's own value is listed wherever it is, and non-ASCII text stays readable.
    """
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "data" / "all_kinds", project)
    config = json.loads((project / "cfg.json").read_text())
    config["configuration"]["shared"]["region"] = "NA"
    specific = config["configuration"]["specific"]
    specific["BatchTransform_calibration"]["split_type"] = "None"
    specific["TabularPreprocessing_training"]["label_name"] = "étiquette"
    (project / "cfg_na.json").write_text(json.dumps(config, indent=2))
    code, out, err = run_cli(
        ["explain", "dag.json", "cfg.json", "cfg_na.json", "--format", "json"],
        cwd=project,
    )
    assert code == 0, err
    document = json.loads(out)
    assert (
        out == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        and "'étiquette'" in out
    )
    regional = {
        (v["node"], v["field"]): v["values"] for v in document["regional_values"]
    }
    assert regional[("BatchTransform_calibration", "split_type")] == {
        "EU": "'Line'",
        "NA": "'None'",
    }
    assert regional[("TabularPreprocessing_training", "environment.LABEL_FIELD")] == {
        "EU": "'label'",
        "NA": "'étiquette'",
    }


VALUE_OPTIONS = {"-o", "--class-name", "--author", "--version", "--description"}


@pytest.mark.parametrize("words", [1, 3, 5, 7, 8, 9])
def test_the_regenerate_command_keeps_each_option_beside_its_value(tmp_path, words):
    """output/comment_text.py shell_lines: the header's command, wrapped in comment lines of at most 88
    characters, reads back as the command that was run, and no line ends between an option and
    its value (descriptions of several lengths move where the lines break)."""
    import shlex

    project = tmp_path / "p"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    args = [
        "dag.py",
        "cfg.json",
        "-o",
        "pipeline_gen.py",
        "--class-name",
        "ReviewedFraudPipeline",
        "--author",
        "Jane Q Doe",
        "--version",
        "3.1.4",
        "--description",
        " ".join(["weekly"] * words),
        "--omit-version",
        "--input-hashes",
    ]
    code, _, err = run_cli(args, cwd=project)
    assert code == 0, err
    source = (project / "pipeline_gen.py").read_text().split("\n")
    first = source.index("# Regenerate with (from this file's folder):") + 1
    last = next(i for i in range(first, len(source)) if not source[i].endswith(" \\"))
    comment = source[first : last + 1]
    assert len(comment) > 1 and all(len(line) <= 88 for line in comment)
    lines = [line[1:].removesuffix(" \\").strip() for line in comment]
    # the command as it was run, option order kept
    assert shlex.split(" ".join(lines)) == ["cursus-codegen", *args]
    for line in lines:
        assert shlex.split(line)[-1] not in VALUE_OPTIONS, line


def test_a_null_instance_size_flag_is_the_small_instance_as_when_absent(tmp_path):
    """plan/processing.py: `use_large_processing_instance: null` builds what leaving the field
    out builds (the small instance type), never the large one."""
    project = tmp_path / "p"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    config = json.loads((project / "cfg.json").read_text())
    assert (
        config["configuration"]["specific"]["Package"]["use_large_processing_instance"]
        is False
    )
    config["configuration"]["specific"]["Package"][
        "use_large_processing_instance"
    ] = None
    (project / "cfg.json").write_text(json.dumps(config, indent=2))
    committed = (project / "pipeline_gen.py").read_bytes()
    code, _, err = run_cli(
        ["dag.py", "cfg.json", "-o", "pipeline_gen.py", "--check"], cwd=project
    )
    assert code == 0, err
    assert (project / "pipeline_gen.py").read_bytes() == committed


def test_a_team_sdk_step_without_an_execution_document_is_built_and_never_filled(
    tmp_path,
):
    """plan/sdk.py: a step type of the team's own (--steps) that delegates to an SDK step and has
    no STEP_CONFIG is built; the execution document is filled for the built-in ones only.
    """
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "data" / "sdk_steps", project)
    (project / "steps").mkdir()
    (project / "steps" / "team_uploading.yaml").write_text(
        "step_type: TeamUploading\nconfig_class: TeamUploadingConfig\n"
        "sagemaker_step_type: Processing\nconfig_base: base\n"
        "fields:\n  job_type: {type: str, default: null}\n  input_s3_location: {type: str, default: null}\n"
        "compute: {kind: sdk, assembly: delegation}\n"
        "extra:\n  sdk_step: {module: team_sdk.uploading, class: TeamUploadingStep}\n"
        "inputs:\n  input_data:\n    path: /opt/ml/processing/input/data\n    required: true\n"
        "    type: processing_output\n    compatible_sources: [TabularPreprocessing]\n"
    )
    dag = json.loads((project / "dag.json").read_text())
    dag["dag"]["nodes"].append("TeamUploading_calibration")
    dag["dag"]["edges"].append(
        ["TabularPreprocessing_calibration", "TeamUploading_calibration"]
    )
    (project / "dag.json").write_text(json.dumps(dag))
    config = json.loads((project / "cfg.json").read_text())
    config["configuration"]["specific"]["TeamUploading_calibration"] = {
        "__model_type__": "TeamUploadingConfig",
        "job_type": "calibration",
    }
    config["metadata"]["config_types"][
        "TeamUploading_calibration"
    ] = "TeamUploadingConfig"
    (project / "cfg.json").write_text(json.dumps(config))
    code, source, err = run_cli(
        ["dag.json", "cfg.json", "--steps", "steps"], cwd=project
    )
    assert code == 0, err
    assert '"team_sdk.uploading",' in source and "TeamUploadingStep(" in source
    fillers = source.split("fillers: dict[")[1].split("\n        }\n")[0]
    assert re.findall(r'^            "([^"]+)": \($', fillers, re.MULTILINE) == [
        "CradleDataLoading-Training",
        "RedshiftDataLoading-Calibration",
        "DataUploading-Calibration",
        "Registration-EU",
    ]


def test_regions_may_not_differ_in_whether_an_sdk_step_is_forced_off_the_cache(
    tmp_path,
):
    """plan/regions.py: a Cradle step's cache is forced off unless enable_caching; regions that
    differ there are one error naming the node (the module has one step class call per node).
    """
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "data" / "sdk_steps", project)
    config = json.loads((project / "cfg.json").read_text())
    config["configuration"]["shared"]["region"] = "NA"
    config["configuration"]["specific"]["CradleDataLoading_training"][
        "enable_caching"
    ] = True
    (project / "cfg_na.json").write_text(json.dumps(config))
    code, out, err = run_cli(
        ["dag.json", "cfg.json", "cfg_na.json", "-o", "pipeline_gen.py"], cwd=project
    )
    assert (code, out) == (2, "") and not (project / "pipeline_gen.py").exists()
    assert err == (
        "cfg.json, cfg_na.json: error: DAG node 'CradleDataLoading_training': force_cache_off "
        "differs between regions: the regions' configurations must build the same pipeline "
        "shape\n"
    )


def test_a_reviewer_note_of_a_step_is_written_once_whatever_the_number_of_regions(
    tmp_path,
):
    """plan/regions.py: regions building the same step type share its notes; a note is repeated
    with a region's name only when that region alone has it."""
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "data" / "family_byo" / "graph", project)
    config = json.loads((project / "cfg.json").read_text())
    config["configuration"]["shared"]["region"] = "EU"
    (project / "cfg_eu.json").write_text(json.dumps(config))
    note = "the SDK appends the script's container path to the command (ContainerEntrypoint)"
    code, alone, err = run_cli(
        ["dag.json", "cfg.json", "--steps", "steps"], cwd=project
    )
    assert code == 0, err
    code, both, err = run_cli(
        ["dag.json", "cfg.json", "cfg_eu.json", "--steps", "steps"], cwd=project
    )
    assert code == 0, err
    assert both.count(note) == alone.count(note) == 4
    assert both.count("(ContainerEntrypoint)") == 4 and "#    EU: " not in both


def test_explain_lists_a_step_name_that_differs_between_regions(tmp_path):
    """output/regional.py: a Registration step is named after its region; explain shows both."""
    project = tmp_path / "p"
    shutil.copytree(REPO / "tests" / "data" / "sdk_steps", project)
    config = json.loads((project / "cfg.json").read_text())
    config["configuration"]["shared"]["region"] = "NA"
    (project / "cfg_na.json").write_text(json.dumps(config))
    code, out, err = run_cli(
        ["explain", "dag.json", "cfg.json", "cfg_na.json", "--format", "json"],
        cwd=project,
    )
    assert code == 0, err
    names = [v for v in json.loads(out)["regional_values"] if v["field"] == "step name"]
    assert names == [
        {
            "node": "Registration",
            "field": "step name",
            "values": {"EU": "'Registration-EU'", "NA": "'Registration-NA'"},
        }
    ]


def test_an_indented_block_tag_of_a_templates_override_leaves_no_indentation(tmp_path):
    """output/render.py: a --templates author may indent a block tag on its own line (as jinja2
    users do); the tag's line vanishes whole, so what it wraps keeps its own indentation.
    """
    project = tmp_path / "p"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    shutil.copytree(REPO / "templates", project / "tpl")
    module = project / "tpl" / "module.py.j2"
    module.write_text(
        module.read_text()
        + "\n    {% if true %}\n# reviewed by the platform team\n    {% endif %}\n"
    )
    code, source, err = run_cli(
        ["dag.py", "cfg.json", "--templates", "tpl"], cwd=project
    )
    assert code == 0, err
    assert "\n# reviewed by the platform team\n" in source


def test_a_generator_whose_code_differs_has_another_build_id(tmp_path):
    """project/cache.py build_id: a cache entry is answered only by the very generator that
    wrote it; one changed line of the package's code is another build."""
    import os
    import subprocess
    import sys

    copy = tmp_path / "cursus_codegen"
    shutil.copytree(
        REPO / "cursus_codegen", copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    env = dict(os.environ, PYTHONPATH=str(tmp_path), PYTHONDONTWRITEBYTECODE="1")
    script = (
        "import cursus_codegen; from cursus_codegen.project.cache import build_id; "
        "print(cursus_codegen.__file__, build_id())"
    )

    def build() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            cwd=tmp_path,
        )
        return done.stdout.split()

    where, first = build()
    assert where == str(copy / "__init__.py")
    (copy / "naming.py").write_text(
        (copy / "naming.py").read_text() + "# one more line\n"
    )
    assert build() == [where, build()[1]] and build()[1] != first


@pytest.mark.parametrize(
    "compute,message",
    [
        ("", "a Processing step type needs a compute: section"),
        (
            "compute: {kind: framework, assembly: code}\n",
            (
                "compute.sdk_class must be one of PyTorch, SKLearn, XGBoost for a Processing "
                "step of kind framework, got None"
            ),
        ),
    ],
)
def test_a_team_step_type_missing_what_its_planner_needs_is_a_located_error(
    tmp_path, compute, message
):
    """catalog/parse_step.py: a --steps file whose compute section cannot build its step is
    reported at the file (exit 2), never a crash while planning (exit 3)."""
    from test_spec_wiring_threshold import write_threshold_project

    folder = write_threshold_project(tmp_path / "p")
    maker = folder / "steps" / "makerat.yaml"
    text = maker.read_text()
    start = text.index("compute:")
    maker.write_text(text[:start] + compute + text[text.index("entry_point_field:") :])
    code, out, err = run_cli(
        ["dag.json", "cfg.json", "-o", "gen.py", "--steps", "steps"], cwd=folder
    )
    assert (
        (code, out) == (2, "")
        and "Traceback" not in err
        and not (folder / "gen.py").exists()
    )
    assert err.startswith("steps/makerat.yaml") and f": error: {message}\n" in err, err


def test_the_user_cache_lives_under_xdg_cache_home_when_it_is_set(
    monkeypatch, tmp_path
):
    """fs/store.py cache_root: CURSUS_CODEGEN_CACHE_DIR, else $XDG_CACHE_HOME/cursus-codegen,
    else ~/.cache/cursus-codegen."""
    from cursus_codegen.fs import store

    monkeypatch.delenv("CURSUS_CODEGEN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert store.cache_root() == tmp_path / "xdg" / "cursus-codegen"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert store.cache_root() == tmp_path / "home" / ".cache" / "cursus-codegen"
