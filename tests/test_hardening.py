"""Hardening that the hostile corpus cannot express as one bad file: the stream stdout is, the
property paths a --steps type declares, and Ctrl-C."""

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
