"""Byte-identical output: twice in one process, across PYTHONHASHSEED values, working
directories and checkout locations; black leaves it unchanged; no absolute path or timestamp.
"""

import ast
import os
import re
import shutil
import subprocess
import sys

import black
import pytest
from conftest import REPO, run_cli

EXAMPLES = [
    REPO / "generated_examples" / name for name in ("xgboost_e2e", "pytorch_e2e")
]


def _generate_stdout(folder, cwd, seed):
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    dag, cfg = os.path.relpath(folder / "dag.py", cwd), os.path.relpath(
        folder / "cfg.json", cwd
    )
    out = os.path.relpath(folder / "pipeline_gen.py", cwd)
    result = subprocess.run(
        [sys.executable, "-m", "cursus_codegen", dag, cfg, "-o", out, "--diff"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_twice_in_one_process(folder, tmp_path):
    outputs = []
    for attempt in range(2):
        target = tmp_path / f"run{attempt}" / "pipeline_gen.py"
        shutil.copytree(folder, target.parent)
        code, _, err = run_cli(
            ["dag.py", "cfg.json", "-o", "pipeline_gen.py"], cwd=target.parent
        )
        assert code == 0, err
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_hash_seeds_and_working_directories_change_nothing(folder):
    # --diff prints nothing when the committed module equals what would be generated
    for seed, cwd in ((0, folder), (1, folder), (12345, REPO), (7, REPO / "tests")):
        assert _generate_stdout(folder, cwd, seed) == "", f"seed {seed}, cwd {cwd}"


def test_two_checkout_locations_give_the_same_module(tmp_path):
    a, b = tmp_path / "one" / "x", tmp_path / "two" / "deeper" / "x"
    for target in (a, b):
        shutil.copytree(EXAMPLES[0], target)
        code, _, err = run_cli(
            ["dag.py", "cfg.json", "-o", "pipeline_gen.py"], cwd=target
        )
        assert code == 0, err
    assert (a / "pipeline_gen.py").read_bytes() == (b / "pipeline_gen.py").read_bytes()


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_black_leaves_the_module_unchanged(folder):
    """black as a deploy repository runs it, unconfigured (its own defaults, line length 88),
    not the generator's own mode: the README promises the module passes that black."""
    source = (folder / "pipeline_gen.py").read_text()
    assert black.format_str(source, mode=black.Mode()) == source
    assert ast.parse(source)


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_no_absolute_path_or_timestamp_in_the_module(folder):
    source = (folder / "pipeline_gen.py").read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value
            # container paths are fine; nothing of the generating machine is
            if value != "/":  # the Join separator
                assert not value.startswith("/") or value.startswith(
                    ("/opt/ml/", "/tmp/")
                ), value
            assert not re.match(r"^[A-Za-z]:[\\/]", value), value
    assert str(REPO) not in source and os.path.expanduser("~") + "/" not in source
    assert not re.search(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", source)
