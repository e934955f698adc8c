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
    (project / "cfg.json").write_text(
        config.replace('"ml-platform"', '"ml-plätform ☃"'), encoding="utf-8"
    )
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    done = subprocess.run(
        [sys.executable, "-m", "cursus_codegen", "dag.py", "cfg.json", "-o", "-"],
        cwd=project,
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert 'AUTHOR = "ml-plätform ☃"' in done.stdout.decode("utf-8")


def test_a_property_path_python_cannot_write_is_unreadable():
    def path(text):
        return upstream(
            "step", OutputSpec("out", "/opt/ml/processing/out", property_path=text)
        )

    assert (
        path("properties.ProcessingOutputConfig.Outputs['out'].S3Output.S3Uri")
        is not None
    )
    assert (
        path("properties.ProcessingOutputConfig.class.S3Uri") is None
    )  # a keyword attribute
    assert (
        path("properties.Outputs[" + "9" * 5000 + "]") is None
    )  # no list is that long


def test_ctrl_c_is_its_own_exit_code(monkeypatch):
    from cursus_codegen import cli
    from cursus_codegen.cli import commands

    def interrupted(command, args):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "run", interrupted)
    assert cli.main(["dag.py", "cfg.json", "-o", "-"]) == cli.EXIT_INTERRUPTED == 130


def test_a_diagnostic_is_one_line_whatever_it_quotes():
    from cursus_codegen.diagnostics import Location, error

    forged = error(
        "edge A\ncfg.json:1:1: error: FORGED\x1b[2J -> B\u2028\u202e",
        Location("dag\n.py", 3, 1),
    )
    text = forged.format()
    assert (
        text.count("\n") == 0
        and "\x1b" not in text
        and "\u2028" not in text
        and "\u202e" not in text
    )
    assert (
        text
        == "dag\\n.py:3:1: error: edge A\\ncfg.json:1:1: error: FORGED\\x1b[2J -> B\\u2028\\u202e"
    )
    assert (
        error("Ünïcødé_名前 stays readable").format()
        == "error: Ünïcødé_名前 stays readable"
    )


def test_explain_escapes_names_in_the_table_and_the_chart(tmp_path):
    from conftest import run_cli

    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    odd = "Pack\x1b[2Jage\u2028x"
    for name, quoted in (
        ("dag.py", '"Pack\\x1b[2Jage\\u2028x"'),
        ("cfg.json", json.dumps(odd)),
    ):
        text = (project / name).read_text(encoding="utf-8")
        (project / name).write_text(text.replace('"Package"', quoted), encoding="utf-8")
    for fmt in ("table", "mermaid"):
        code, out, err = run_cli(
            ["explain", "dag.py", "cfg.json", "--format", fmt], cwd=project
        )
        assert code == 0, err
        assert "\x1b" not in out and "\u2028" not in out
        assert "Pack\\x1b[2Jage\\u2028x" in out


def test_cursus_validators_as_data_catch_what_cursus_rejects():
    from cursus_codegen.catalog.loader import load_catalog
    from cursus_codegen.catalog.validators import failed_validators

    catalog, _ = load_catalog()

    def failures(step_type, **values):
        return [
            spec.message
            for spec in failed_validators(catalog.get(step_type).validators, values)
        ]

    assert failures("ModelCalibration", score_field=None, score_fields=None)
    assert not failures("ModelCalibration", score_fields=["p1", "p2"])
    assert failures("PercentileModelCalibration", score_field="")
    assert failures("LabelRulesetGeneration", label_config={"label_values": [0, 1]})
    assert not failures(
        "LabelRulesetGeneration", label_config={"label_mapping": {"0": "no"}}
    )
    assert failures(
        "TemporalSplitPreprocessing",
        job_type="training",
        label_field=None,
        targets=None,
    )
    assert not failures(
        "TemporalSplitPreprocessing", job_type="calibration", label_field=None
    )
    assert failures(
        "TemporalSplitPreprocessing",
        job_type="training",
        targets=["a", "b"],
        main_task_index=None,
    ) == ["For multitask mode, 'main_task_index' must be provided"]
    assert not failures(
        "TemporalSplitPreprocessing",
        job_type="training",
        targets=["a"],
        main_task_index=0,
    )


def test_a_cursus_validator_failure_is_a_warning_without_strict(tmp_path):
    from conftest import run_cli

    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    data = json.loads((project / "cfg.json").read_text())
    data["configuration"]["specific"]["ModelCalibration_calibration"].pop("score_field")
    (project / "cfg.json").write_text(json.dumps(data, indent=2))
    code, _, err = run_cli(["dag.py", "cfg.json", "-o", "pipeline_gen.py"], cwd=project)
    assert code == 0, err
    assert (
        "warning: ModelCalibrationConfig 'ModelCalibration_calibration': cursus's validator"
        in err
    )
