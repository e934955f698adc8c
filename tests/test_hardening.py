"""Hardening that the hostile corpus cannot express as one bad file: the stream stdout is, the
property paths a --steps type declares, and Ctrl-C."""

import json
import os
import shutil
import subprocess
import sys

from conftest import REPO
from cursus_codegen.catalog.types import OutputSpec
from cursus_codegen.plan.context import upstream

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"


def test_stdout_is_utf8_whatever_the_locale_says(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    config = (project / "cfg.json").read_text(encoding="utf-8")
    (project / "cfg.json").write_text(config.replace('"ml-platform"', '"ml-plätform ☃"'), encoding="utf-8")
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    done = subprocess.run([sys.executable, "-m", "cursus_codegen", "dag.py", "cfg.json", "-o", "-"],
                          cwd=project, capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert 'AUTHOR = "ml-plätform ☃"' in done.stdout.decode("utf-8")


def test_a_property_path_python_cannot_write_is_unreadable():
    def path(text):
        return upstream("step", OutputSpec("out", "/opt/ml/processing/out", property_path=text))

    assert path("properties.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri") is not None
    assert path("properties.ProcessingOutputConfig.class.S3Uri") is None  # a keyword attribute
    assert path("properties.Outputs[" + "9" * 5000 + "]") is None  # no list is that long


def test_ctrl_c_is_its_own_exit_code(monkeypatch):
    from cursus_codegen import cli

    def interrupted(command, args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    assert cli.main(["dag.py", "cfg.json", "-o", "-"]) == cli.EXIT_INTERRUPTED == 130


def test_a_diagnostic_is_one_line_whatever_it_quotes():
    from cursus_codegen.diagnostics import Location, error

    forged = error("edge A\ncfg.json:1:1: error: FORGED\x1b[2J -> B\u2028\u202e",
                   Location("dag\n.py", 3, 1))
    text = forged.format()
    assert text.count("\n") == 0 and "\x1b" not in text and "\u2028" not in text and "\u202e" not in text
    assert text == "dag\\n.py:3:1: error: edge A\\ncfg.json:1:1: error: FORGED\\x1b[2J -> B\\u2028\\u202e"
    assert error("Ünïcødé_名前 stays readable").format() == "error: Ünïcødé_名前 stays readable"


def test_explain_escapes_names_in_the_table_and_the_chart(tmp_path):
    from conftest import run_cli

    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    odd = "Pack\x1b[2Jage\u2028x"
    for name, quoted in (("dag.py", '"Pack\\x1b[2Jage\\u2028x"'), ("cfg.json", json.dumps(odd))):
        text = (project / name).read_text(encoding="utf-8")
        (project / name).write_text(text.replace('"Package"', quoted), encoding="utf-8")
    for fmt in ("table", "mermaid"):
        code, out, err = run_cli(["explain", "dag.py", "cfg.json", "--format", fmt], cwd=project)
        assert code == 0, err
        assert "\x1b" not in out and "\u2028" not in out
        assert "Pack\\x1b[2Jage\\u2028x" in out
