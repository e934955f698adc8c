"""Our own code meets the standard of the code we generate: black with its defaults and ruff
(the rule set in pyproject.toml) over the package, its tests and benchmarks, and
`mypy --strict` over the package. Each runs as a deploy repository's CI would run it."""

import subprocess
import sys

import pytest
from conftest import REPO

CHECKED = ["cursus_codegen", "tests", "bench"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_black_would_change_nothing():
    done = _run("black", "--check", *CHECKED)
    assert done.returncode == 0, done.stderr


def test_ruff_reports_nothing():
    done = _run("ruff", "check", "--no-cache", *CHECKED)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_reports_nothing_for_the_package(tmp_path):
    done = _run(
        "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "cursus_codegen"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found")


@pytest.mark.parametrize("tool", ["black", "ruff", "mypy"])
def test_each_check_fails_on_code_that_breaks_it(tmp_path, tool):
    """The checks above are real: each one fails on a file that breaks its rule."""
    bad = {
        "black": "x = ( 1 )\n",
        "ruff": "import os\n",
        "mypy": "def f(x):\n    return x\n",
    }[tool]
    (tmp_path / "bad.py").write_text(bad)
    args = {
        "black": ["black", "--check"],
        "ruff": ["ruff", "check", "--no-cache", "--isolated"],
        "mypy": ["mypy", "--strict", "--cache-dir", str(tmp_path / "cache")],
    }[tool]
    done = subprocess.run(
        [sys.executable, "-m", *args, str(tmp_path / "bad.py")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stdout + done.stderr
