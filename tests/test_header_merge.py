"""Two configuration edits made on two branches merge cleanly into the module both edits
generate together: the header carries no per-input hash by default (--check already compares
the whole module), so it is not a line every edit rewrites."""

import json
import shutil
import subprocess

from conftest import REPO, run_cli

GENERATE = ["dag.py", "cfg.json", "-o", "pipeline_gen.py"]


def _module_for(project, edits, *extra: str) -> str:
    data = json.loads(
        (REPO / "generated_examples" / "xgboost_e2e" / "cfg.json").read_text()
    )
    for key, field, value in edits:
        data["configuration"]["specific"][key][field] = value
    (project / "cfg.json").write_text(json.dumps(data, indent=2))
    code, _, err = run_cli([*GENERATE, *extra], cwd=project)
    assert code == 0, err
    return (project / "pipeline_gen.py").read_text()


def _merge(tmp_path, base: str, ours: str, theirs: str) -> subprocess.CompletedProcess:
    for name, text in (("base.py", base), ("ours.py", ours), ("theirs.py", theirs)):
        (tmp_path / name).write_text(text)
    return subprocess.run(
        [
            "git",
            "merge-file",
            "-p",
            str(tmp_path / "ours.py"),
            str(tmp_path / "base.py"),
            str(tmp_path / "theirs.py"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


EDIT_A = ("XGBoostTraining", "training_volume_size", 250)
EDIT_B = ("ModelCalibration_calibration", "score_field", "prob_class_0")


def test_two_independent_configuration_edits_merge_into_the_module_of_both(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    base, ours, theirs = (
        _module_for(project, edits) for edits in ([], [EDIT_A], [EDIT_B])
    )
    both = _module_for(project, [EDIT_A, EDIT_B])
    assert len({base, ours, theirs, both}) == 4  # each edit changes the module
    done = _merge(tmp_path, base, ours, theirs)
    assert done.returncode == 0, done.stdout  # no conflict
    assert done.stdout == both


def test_with_input_hashes_the_same_edits_conflict_on_the_header(tmp_path):
    """What the default avoids (and why --input-hashes is opt-in)."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    base, ours, theirs = (
        _module_for(project, edits, "--input-hashes")
        for edits in ([], [EDIT_A], [EDIT_B])
    )
    done = _merge(tmp_path, base, ours, theirs)
    assert (
        done.returncode == 1
        and "<<<<<<<" in done.stdout
        and "#   config: cfg.json (sha256" in done.stdout
    )


def test_input_hashes_are_kept_on_request(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", project)
    code, out, err = run_cli(
        ["dag.py", "cfg.json", "-o", "-", "--input-hashes"], cwd=project
    )
    assert code == 0, err
    header = out.split('"""')[0]
    assert "#   config: cfg.json (sha256 " in header and "--input-hashes\n" in header
    assert "sha256" not in (project / "pipeline_gen.py").read_text().split('"""')[0]
