"""The deploy repository: a manifest in pyproject.toml, `generate` and `check` over every
pipeline, in parallel, and a cache that answers an unchanged repository without generating,
and never lets a module pass that differs from what would be generated."""

import json
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, run_cli

import cursus_codegen

MANIFEST = """\
[project]
name = "deploy"

[tool.cursus-codegen]
omit-version = true

[[tool.cursus-codegen.pipelines]]
name = "xgb"
dag = "pipelines/xgb/dag.py"
config = "pipelines/xgb/cfg.json"
output = "pipelines/xgb/pipeline_gen.py"

[[tool.cursus-codegen.pipelines]]
name = "regions"
dag = "pipelines/regions/dag.py"
config = ["pipelines/regions/pipeline_config/config_NA.json", "pipelines/regions/pipeline_config/config_EU.json"]
output = "pipelines/regions/pipeline_gen.py"
line-length = 100
"""


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    root = tmp_path / "deploy"
    shutil.copytree(
        REPO / "generated_examples" / "xgboost_e2e", root / "pipelines" / "xgb"
    )
    shutil.copytree(
        REPO / "generated_examples" / "multi_region", root / "pipelines" / "regions"
    )
    for module in root.rglob("pipeline_gen.py"):
        module.unlink()
    (root / "pyproject.toml").write_text(MANIFEST)
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    return root


def cli(root, *args):
    return run_cli(list(args), cwd=root)


def test_generate_writes_what_the_single_command_writes_and_check_then_passes(
    repo, tmp_path
):
    code, out, err = cli(repo, "generate")
    assert code == 0, err
    assert out == "xgb: written\nregions: written\n"  # manifest order
    single = tmp_path / "single"
    shutil.copytree(repo / "pipelines" / "regions", single)
    code, _, err = run_cli(
        [
            "dag.py",
            "pipeline_config/config_NA.json",
            "pipeline_config/config_EU.json",
            "-o",
            "pipeline_gen.py",
            "--omit-version",
            "--line-length",
            "100",
        ],
        cwd=single,
    )
    assert code == 0, err
    generated = (repo / "pipelines" / "regions" / "pipeline_gen.py").read_text()
    assert generated == (single / "pipeline_gen.py").read_text()
    assert cli(repo, "check") == (
        0,
        "xgb: current (cached)\nregions: current (cached)\n",
        "",
    )


def test_parallel_generation_equals_serial(repo, monkeypatch):
    assert cli(repo, "generate", "--no-cache")[0] == 0
    parallel = {p: p.read_bytes() for p in repo.rglob("pipeline_gen.py")}
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    for path in parallel:
        path.unlink()
    assert cli(repo, "generate", "--no-cache")[0] == 0
    assert {p: p.read_bytes() for p in repo.rglob("pipeline_gen.py")} == parallel


def test_check_reports_stale_missing_and_failed_by_name(repo):
    assert cli(repo, "generate")[0] == 0
    module = repo / "pipelines" / "xgb" / "pipeline_gen.py"
    module.write_text(
        module.read_text() + "# a hand edit\n"
    )  # the cache must not hide it
    (repo / "pipelines" / "regions" / "pipeline_gen.py").unlink()
    code, out, _ = cli(repo, "check")
    assert code == 1
    assert out.startswith("xgb: STALE\n--- pipelines/xgb/pipeline_gen.py (on disk)")
    assert "-# a hand edit" in out and "regions: MISSING\n" in out
    config = repo / "pipelines" / "xgb" / "cfg.json"
    config.write_text("{ not json")
    code, out, err = cli(repo, "check", "--only", "xgb")
    assert (
        code == 2
        and out == "xgb: failed\n"
        and "cfg.json" in err
        and "Traceback" not in err
    )


@pytest.mark.parametrize("change", ["input", "generator", "steps"])
def test_the_cache_misses_whenever_the_module_would_change(repo, monkeypatch, change):
    assert cli(repo, "generate")[0] == 0
    assert cli(repo, "check", "--only", "xgb")[1] == "xgb: current (cached)\n"
    if change == "input":
        config = repo / "pipelines" / "xgb" / "cfg.json"
        data = json.loads(config.read_text())
        data["configuration"]["specific"]["XGBoostTraining"][
            "training_volume_size"
        ] = 250
        config.write_text(json.dumps(data))
        expected = (1, "xgb: STALE")
    elif change == "generator":
        from cursus_codegen.project import cache

        cache.build_id.cache_clear()
        monkeypatch.setattr(cache, "__version__", "99.0.0")
        expected = (
            0,
            "xgb: current\n",
        )  # generated again (not from the cache), same bytes
    else:
        steps = repo / "team_steps"
        steps.mkdir()
        text = (repo / "pyproject.toml").read_text()
        (repo / "pyproject.toml").write_text(
            text.replace(
                "omit-version = true\n", 'omit-version = true\nsteps = ["team_steps"]\n'
            )
        )
        assert cli(repo, "generate", "--only", "xgb")[0] == 0
        (steps / "extra.yaml").write_text("not: [a step type\n")
        expected = (2, "xgb: failed\n")
    code, out, _ = cli(repo, "check", "--only", "xgb")
    assert (code, out[: len(expected[1])]) == expected
    from cursus_codegen.project import cache

    cache.build_id.cache_clear()


def test_a_corrupt_or_unwritable_cache_is_a_warning_only(repo, tmp_path, monkeypatch):
    assert cli(repo, "generate")[0] == 0
    entries = [p for p in (tmp_path / "cache" / "manifest").rglob("*") if p.is_file()]
    assert len(entries) == 2
    for entry in entries:
        entry.write_text("{ corrupt")
    code, out, err = cli(repo, "check")
    assert code == 0 and out == "xgb: current\nregions: current\n"
    assert "warning: cache entry" in err and "damaged; ignored" in err
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(blocker))
    code, out, err = cli(repo, "check")
    assert code == 0 and out == "xgb: current\nregions: current\n"
    assert "is not a folder; not used" in err and err.count("warning") == 1


def test_a_warm_check_imports_no_black_libcst_or_jinja2(repo):
    assert cli(repo, "generate")[0] == 0
    probe = (
        "import sys; from cursus_codegen.cli import main; code = main(['check']); "
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('black', 'libcst', 'jinja2')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr


BAD = [
    ("[tool.cursus-codegen]\nomit-versions = true\n", 2, "unknown key 'omit-versions'"),
    (
        '[tool.cursus-codegen]\nline-length = "wide"\n',
        2,
        "line-length must be int, not str",
    ),
    (
        (
            '[tool.cursus-codegen]\n\n[[tool.cursus-codegen.pipelines]]\nname = "a"\ndag = "nope.py"\n'
            'config = "pipelines/xgb/cfg.json"\noutput = "x.py"\n'
        ),
        5,
        "dag: 'nope.py' does not exist",
    ),
    (
        '[tool.cursus-codegen]\n\n[[tool.cursus-codegen.pipelines]]\nname = "a"\n',
        3,
        "'dag' is required",
    ),
    ("[tool.cursus-codegen\n", 1, "not valid TOML"),
]


@pytest.mark.parametrize("text,line,message", BAD)
def test_a_bad_manifest_is_a_located_error_and_nothing_is_written(
    repo, text, line, message
):
    (repo / "pyproject.toml").write_text(text)
    code, out, err = cli(repo, "generate")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"pyproject.toml:{line}:") and message in err, err
    assert not list(repo.rglob("pipeline_gen.py"))


def test_duplicate_names_and_unknown_only_names_are_errors(repo):
    text = MANIFEST.replace('name = "regions"', 'name = "xgb"')
    (repo / "pyproject.toml").write_text(text)
    code, _, err = cli(repo, "check")
    assert (
        code == 2
        and "pyproject.toml:13:1: error: pipeline name 'xgb' is used twice (first at line 7)"
        in err
    )
    (repo / "pyproject.toml").write_text(
        MANIFEST.replace(
            "pipelines/regions/pipeline_gen.py", "pipelines/xgb/pipeline_gen.py"
        )
    )
    code, _, err = cli(repo, "generate")
    assert (
        code == 2
        and "pyproject.toml:13:1: error: output 'pipelines/xgb/pipeline_gen.py' is used twice"
        in err
    )
    assert not list(repo.rglob("pipeline_gen.py"))
    (repo / "pyproject.toml").write_text(MANIFEST)
    code, _, err = cli(repo, "check", "--only", "atoz")
    assert code == 2 and "--only atoz: no pipeline of that name" in err


def test_the_manifest_is_found_in_a_parent_folder(repo):
    code, out, _ = cli(repo / "pipelines" / "xgb", "generate", "--only", "xgb")
    assert code == 0 and out == "xgb: written\n"


# --- the Python API ---------------------------------------------------------------------------


def test_the_api_returns_what_the_command_writes(tmp_path, monkeypatch):
    project = tmp_path / "p"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    monkeypatch.chdir(project)
    result = cursus_codegen.generate("dag.py", "cfg.json", output="pipeline_gen.py")
    assert result.ok and result.source == (project / "pipeline_gen.py").read_text()
    assert cursus_codegen.check("dag.py", "cfg.json", "pipeline_gen.py").current
    wide = cursus_codegen.check(
        "dag.py", "cfg.json", "pipeline_gen.py", line_length=120
    )
    assert not wide.current and wide.diff.startswith("--- pipeline_gen.py (on disk)")


@pytest.mark.parametrize(
    "call",
    [
        lambda: cursus_codegen.generate("missing.py", "cfg.json"),
        lambda: cursus_codegen.generate("dag.py", "cfg.json", line_length="wide"),
        lambda: cursus_codegen.generate("dag.py", "cfg.json", colour=True),
        lambda: cursus_codegen.generate("dag.py", []),
        lambda: cursus_codegen.generate(42, "cfg.json"),  # type: ignore[arg-type]
        lambda: cursus_codegen.generate("dag.py", None),  # type: ignore[arg-type]
    ],
)
def test_bad_input_to_the_api_is_a_diagnostic_never_an_exception(
    tmp_path, monkeypatch, call
):
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    result = call()
    assert not result.ok and result.source is None and result.diagnostics


def test_bad_input_to_check_is_a_diagnostic_too(tmp_path, monkeypatch):
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    result = cursus_codegen.check("dag.py", "cfg.json", 3.5)  # type: ignore[arg-type]
    assert not result.current and [d.message for d in result.diagnostics] == [
        "output must be a path, not float"
    ]


def test_the_package_ships_its_types():
    assert (REPO / "cursus_codegen" / "py.typed").is_file()
    text = (REPO / "pyproject.toml").read_text()
    assert '"cursus_codegen" = ["py.typed"]' in text
