"""The pre-commit hook (issue 5 §4, §7): the shipped `.pre-commit-hooks.yaml` is a valid
pre-commit manifest, and a real `pre-commit run` in a temporary git repository fails on a stale
module and passes after regeneration.

pre-commit cannot fetch anything here, so the run uses the shipped hook definitions as a
deploy repository would with `repo: local`: same id, entry, pass_filenames and require_serial,
with `language: system` and the entry's command resolved to the installed console script.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
ARGS = ["pipelines/dag.py", "pipelines/cfg.json", "-o", "pipelines/pipeline_gen.py"]


def _manifest():
    from pre_commit.clientlib import load_manifest

    return {
        hook["id"]: hook for hook in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    }


def test_the_manifest_is_valid_and_offers_the_check_hook():
    hooks = _manifest()  # pre-commit's own schema: raises on an invalid manifest
    check = hooks["cursus-codegen-check"]
    assert check["entry"].split() == ["cursus-codegen", "--check"]
    assert check["language"] == "python"
    assert check["pass_filenames"] is False and check["require_serial"] is True
    assert hooks["cursus-codegen"]["entry"] == "cursus-codegen"
    assert hooks["cursus-codegen"]["pass_filenames"] is False


def _local_hook(hook_id):
    """The shipped hook, as `repo: local` with the installed console script."""
    hook = _manifest()[hook_id]
    script = shutil.which("cursus-codegen", path=str(Path(sys.executable).parent))
    assert script, "the cursus-codegen console script is installed beside this Python"
    entry = " ".join([script, *hook["entry"].split()[1:]])
    return {
        "id": hook["id"],
        "name": hook["name"],
        "entry": entry,
        "language": "system",
        "pass_filenames": hook["pass_filenames"],
        "require_serial": hook["require_serial"],
        "args": ARGS,
    }


def _git(repo, *args):
    subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, env=_env(repo)
    )


def _env(repo):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"),
        HOME=str(repo.parent),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    return env


def _pre_commit(repo, hook_id):
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", hook_id, "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=_env(repo),
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture()
def deploy_repo(tmp_path):
    if (
        shutil.which("git") is None
    ):  # pragma: no cover - git is part of every dev/CI machine here
        pytest.fail("git is needed to run pre-commit")
    repo = tmp_path / "deploy"
    shutil.copytree(EXAMPLE, repo / "pipelines")
    config = {
        "repos": [
            {
                "repo": "local",
                "hooks": [
                    _local_hook("cursus-codegen-check"),
                    _local_hook("cursus-codegen"),
                ],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False)
    )
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "generated pipeline")
    return repo


def test_pre_commit_fails_on_a_stale_module_and_passes_after_regeneration(deploy_repo):
    code, output = _pre_commit(deploy_repo, "cursus-codegen-check")
    assert code == 0, output
    config = deploy_repo / "pipelines" / "cfg.json"
    config.write_text(
        config.read_text().replace(
            '"training_volume_size": 100', '"training_volume_size": 250'
        )
    )
    _git(deploy_repo, "add", "-A")
    code, output = _pre_commit(deploy_repo, "cursus-codegen-check")
    assert code == 1, output
    assert (
        "-            volume_size=100," in output
        and "+            volume_size=250," in output
    )
    assert "pipelines/pipeline_gen.py is out of date" in output
    code, output = _pre_commit(
        deploy_repo, "cursus-codegen"
    )  # regenerates: fails, file modified
    assert code == 1 and "files were modified by this hook" in output, output
    assert (
        "volume_size=250,"
        in (deploy_repo / "pipelines" / "pipeline_gen.py").read_text()
    )
    _git(deploy_repo, "add", "-A")
    code, output = _pre_commit(deploy_repo, "cursus-codegen-check")
    assert code == 0, output
    code, output = _pre_commit(deploy_repo, "cursus-codegen")  # now a no-op
    assert code == 0, output


def test_pre_commit_reports_a_deleted_module(deploy_repo):
    (deploy_repo / "pipelines" / "pipeline_gen.py").unlink()
    _git(deploy_repo, "add", "-A")
    code, output = _pre_commit(deploy_repo, "cursus-codegen-check")
    assert (
        code == 1
        and "pipelines/pipeline_gen.py: missing (would be generated)" in output
    ), output


def test_the_manifest_hook_checks_every_pipeline_of_pyproject(tmp_path):
    """cursus-codegen-manifest: `cursus-codegen check` over the [tool.cursus-codegen] manifest."""
    hook = _manifest()["cursus-codegen-manifest"]
    assert (
        hook["entry"].split() == ["cursus-codegen", "check"]
        and hook["pass_filenames"] is False
    )
    repo = tmp_path / "deploy"
    shutil.copytree(EXAMPLE, repo / "pipelines")
    (repo / "pyproject.toml").write_text(
        '[[tool.cursus-codegen.pipelines]]\nname = "xgb"\ndag = "pipelines/dag.py"\n'
        'config = "pipelines/cfg.json"\noutput = "pipelines/pipeline_gen.py"\n'
    )
    local = dict(_local_hook("cursus-codegen-manifest"), args=[])
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False)
    )
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "generated pipeline")
    code, output = _pre_commit(repo, "cursus-codegen-manifest")
    assert code == 0 and "Passed" in output, output
    config_file = repo / "pipelines" / "cfg.json"
    config_file.write_text(
        config_file.read_text().replace(
            '"training_volume_size": 100', '"training_volume_size": 250'
        )
    )
    _git(repo, "add", "-A")
    code, output = _pre_commit(repo, "cursus-codegen-manifest")
    assert (
        code == 1
        and "xgb: STALE" in output
        and "+            volume_size=250," in output
    ), output
