"""`--check` compares bytes: a module that differs from what would be generated only in
whitespace around or inside its lines is out of date (exit 1), in every way of checking:
the single command, the manifest's `check` (whose cache must not hide the change) and the
Python API."""

import os
import shutil

import pytest
from conftest import REPO, run_cli

import cursus_codegen

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"
MODULE = "pipeline_gen.py"
VARIANTS = {
    "trailing-newline-added": lambda b: b + b"\n",
    "final-newline-removed": lambda b: b[:-1],
    "leading-blank-line": lambda b: b"\n" + b,
    "trailing-spaces-on-a-line": lambda b: b.replace(
        b"import os\n", b"import os  \n", 1
    ),
    "trailing-tab-on-a-line": lambda b: b.replace(b"import os\n", b"import os\t\n", 1),
    "crlf-line-endings": lambda b: b.replace(b"\n", b"\r\n"),
    "one-crlf-line": lambda b: b.replace(b"import os\n", b"import os\r\n", 1),
    "utf8-byte-order-mark": lambda b: b"\xef\xbb\xbf" + b,
    "blank-line-with-spaces": lambda b: b.replace(b"\n\n", b"\n    \n", 1),
    "indent-space-to-tab-same-size": lambda b: b.replace(b"\n    ", b"\n\t   ", 1),
}
MANIFEST = """\
[tool.cursus-codegen]

[[tool.cursus-codegen.pipelines]]
name = "xgb"
dag = "dag.py"
config = "cfg.json"
output = "pipeline_gen.py"
"""


@pytest.fixture()
def project(tmp_path, monkeypatch):
    folder = tmp_path / "project"
    shutil.copytree(EXAMPLE, folder)
    monkeypatch.setenv("CURSUS_CODEGEN_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def check_command(folder):
    return run_cli(["dag.py", "cfg.json", "-o", MODULE, "--check"], cwd=folder)


def test_the_committed_module_is_current_to_begin_with(project):
    assert check_command(project)[:2] == (0, "")


@pytest.mark.parametrize("variant", VARIANTS)
def test_check_fails_on_a_whitespace_only_difference(project, variant):
    path = project / MODULE
    path.write_bytes(VARIANTS[variant](path.read_bytes()))
    before = path.read_bytes()
    code, out, err = check_command(project)
    assert code == 1, (out, err)
    assert "pipeline_gen.py is out of date" in err and out.startswith(
        "--- pipeline_gen.py"
    )
    assert path.read_bytes() == before  # --check never writes


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_api_check_is_not_current_on_a_whitespace_only_difference(
    project, variant, monkeypatch
):
    path = project / MODULE
    path.write_bytes(VARIANTS[variant](path.read_bytes()))
    monkeypatch.chdir(project)
    result = cursus_codegen.check("dag.py", "cfg.json", MODULE)
    assert (result.current, result.missing) == (False, False) and result.diff


@pytest.mark.parametrize("variant", VARIANTS)
def test_manifest_check_fails_on_a_whitespace_only_difference_even_from_a_warm_cache(
    project, variant
):
    (project / "pyproject.toml").write_text(MANIFEST)
    assert run_cli(["generate"], cwd=project)[0] == 0
    assert (
        run_cli(["check"], cwd=project)[0] == 0
    )  # the cache now knows the module is current
    path = project / MODULE
    stat = path.stat()
    path.write_bytes(VARIANTS[variant](path.read_bytes()))
    os.utime(
        path, ns=(stat.st_atime_ns, stat.st_mtime_ns)
    )  # even with the old time stamp
    code, out, err = run_cli(["check"], cwd=project)
    assert code == 1, (out, err)
    assert "xgb" in out + err
