"""A cached answer is the answer a fresh run would give: `check` from the cache equals
`check --no-cache` after every change of the inputs or of the file system, including creating
and removing each kind of path a configuration names (a source folder used only when it
exists, scripts, data folders, a link replacing a folder, a --steps file)."""

import json
import os
import shutil

import pytest
from conftest import REPO, run_cli

MANIFEST = """\
[tool.cursus-codegen]
omit-version = true
steps = ["team_steps"]

[[tool.cursus-codegen.pipelines]]
name = "xgb"
dag = "xgb/dag.py"
config = "xgb/cfg.json"
output = "xgb/pipeline_gen.py"
"""


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    root = tmp_path / "deploy"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", root / "xgb")
    (root / "team_steps").mkdir()
    config = root / "xgb" / "cfg.json"
    data = json.loads(config.read_text())
    for node in data["configuration"]["specific"].values():
        if (
            "processing_source_dir" in node
        ):  # cursus uses it only while the folder exists
            node["processing_source_dir"] = "proc_scripts"
    config.write_text(json.dumps(data, indent=2))
    (root / "pyproject.toml").write_text(MANIFEST)
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    assert run_cli(["generate"], cwd=root)[0] == 0
    return root


def answers(root):
    """(cached answer, fresh answer): exit code and report, the '(cached)' marks aside."""
    cached = run_cli(["check"], cwd=root)
    fresh = run_cli(["check", "--no-cache"], cwd=root)
    return (cached[0], cached[1].replace(" (cached)", "")), fresh[:2]


def _make_proc_scripts(root):
    shutil.copytree(root / "xgb" / "scripts", root / "xgb" / "proc_scripts")


def _link_data_folder(root):
    data = root / "xgb" / "data"
    shutil.move(data, root / "elsewhere")
    os.symlink(root / "elsewhere", data)


def _steps_file(root):
    text = (REPO / "cursus_codegen" / "catalog" / "steps" / "payload.yaml").read_text()
    (root / "team_steps" / "payload.yaml").write_text(
        text.replace("DEFAULT_TEXT", "TEAM_TEXT")
    )


def _remove_script(root):
    (root / "xgb" / "scripts" / "payload.py").unlink()


def _edit_script(root):
    path = root / "xgb" / "scripts" / "payload.py"
    path.write_text(path.read_text() + "# edited\n")


def _swap_source_for_file(root):
    shutil.rmtree(root / "xgb" / "scripts" / "hyperparams")
    (root / "xgb" / "scripts" / "hyperparams").write_text("")


CHANGES = {
    "create-processing-source-dir": _make_proc_scripts,
    "data-folder-becomes-a-link": _link_data_folder,
    "a-steps-file-appears": _steps_file,
    "remove-an-uploaded-script": _remove_script,
    "edit-an-uploaded-script": _edit_script,
    "a-folder-becomes-a-file": _swap_source_for_file,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_cached_answer_is_the_fresh_answer_after_a_change(repo, change):
    assert answers(repo) == ((0, "xgb: current\n"), (0, "xgb: current\n"))
    CHANGES[change](repo)
    cached, fresh = answers(repo)
    assert cached == fresh


def test_creating_then_removing_the_source_folder_changes_the_module_both_ways(repo):
    _make_proc_scripts(repo)
    cached, fresh = answers(repo)
    assert (
        cached == fresh and fresh[0] == 1 and "STALE" in fresh[1]
    )  # the module now names it
    assert run_cli(["generate"], cwd=repo)[0] == 0
    assert answers(repo) == ((0, "xgb: current\n"), (0, "xgb: current\n"))
    shutil.rmtree(repo / "xgb" / "proc_scripts")
    cached, fresh = answers(repo)
    assert cached == fresh and fresh[0] == 1
