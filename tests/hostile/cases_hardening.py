"""Hostile inputs found by trying the generator as an attacker and a careless user would:
inputs that used to end in an internal error (exit 3), in a module that cannot build, or in a
file destroyed. Same contract as cases.py: exit 2, one located error, every file unchanged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hostile.cases import (
    DEFAULT_ARGS,
    EXAMPLE,
    JSON_ARGS,
    REPO,
    RETURN,
    Case,
    _set,
    _specific,
)

CFG_TEXT = (EXAMPLE / "cfg.json").read_text(encoding="utf-8")
DAG_TEXT = (EXAMPLE / "dag.py").read_text(encoding="utf-8")
CACHING = (
    '"enable_caching": false'  # line 7 of the example's cfg.json, value at column 25
)
assert CACHING in CFG_TEXT
MODULE_TEMPLATE_LINES = len(
    (REPO / "templates" / "module.py.j2").read_text(encoding="utf-8").splitlines()
)


def _cfg_value(text: str) -> dict[str, str]:
    """cfg.json with enable_caching's value replaced by raw JSON text."""
    return {"cfg.json": CFG_TEXT.replace(CACHING, f'"enable_caching": {text}')}


def _symlink_loop(project: Path) -> None:
    os.symlink("loop_b", project / "loop_a")
    os.symlink("loop_a", project / "loop_b")


def _fifo(project: Path) -> None:
    os.mkfifo(project / "fifo")


def _templates_copy(project: Path) -> None:
    shutil.copytree(REPO / "templates", project / "tpl")


def _steps_copy(project: Path) -> None:
    shutil.copytree(
        REPO / "tests" / "data" / "custom_step" / "team_steps", project / "mysteps"
    )


def _template_edit(append: bytes, prepend: bytes = b""):
    """A copy of the built-in templates in tpl/ with module.py.j2 changed."""

    def setup(project: Path) -> None:
        _templates_copy(project)
        module = project / "tpl" / "module.py.j2"
        module.write_bytes(prepend + module.read_bytes() + append)

    return setup


def _job_type(value) -> object:
    return lambda data: _specific(data)["DummyDataLoading_training"].__setitem__(
        "job_type", value
    )


def _eval_without_job_type(data: dict) -> None:
    """A second XGBoostModelEval configuration that leaves job_type to the class default
    ("calibration"), so it becomes the same SageMaker step as XGBoostModelEval_calibration.
    """
    entry = dict(_specific(data)["XGBoostModelEval_calibration"])
    entry.pop("job_type")
    _specific(data)["XGBoostModelEval"] = entry
    data["metadata"]["config_types"]["XGBoostModelEval"] = "XGBoostModelEvalConfig"


def _args(*extra: str) -> tuple[str, ...]:
    return ("dag.py", "cfg.json", *extra)


JOB_TYPE_AT = (
    "cfg.json#/configuration/specific/DummyDataLoading_training/job_type:35:21"
)

HARDENING_CASES = [
    # --- JSON the standard library reads but cannot turn into values (was exit 3) -------------
    Case(
        "cfg-integer-over-the-digit-limit",
        "cfg.json:7:25",
        ("an integer longer than 4300 digits",),
        write=_cfg_value("9" * 5000),
    ),
    Case(
        "dag-json-integer-over-the-digit-limit",
        "dag.json:1:20",
        ("an integer longer than 4300 digits",),
        write={"dag.json": '{"dag": {"nodes": [' + "9" * 5000 + '], "edges": []}}'},
        args=JSON_ARGS,
    ),
    Case(
        "dag-json-nested-100000-deep",
        "dag.json:1:1",
        ("nesting too deep",),
        write={"dag.json": "[" * 100_000 + "]" * 100_000},
        args=JSON_ARGS,
    ),
    Case(
        "cfg-job-type-is-an-object",
        JOB_TYPE_AT,
        ("'job_type'", "must be a string, found an object"),
        edit_cfg=_job_type({"a": 1}),
    ),
    Case(
        "cfg-job-type-is-an-array",
        JOB_TYPE_AT,
        ("'job_type'", "must be a string, found an array"),
        edit_cfg=_job_type(["training"]),
    ),
    # --- numbers JSON does not have: the module's definition() would be invalid JSON ----------
    Case(
        "cfg-nan",
        "cfg.json:7:25",
        ("NaN and infinite numbers",),
        write=_cfg_value("NaN"),
    ),
    Case(
        "cfg-infinity",
        "cfg.json:7:25",
        ("NaN and infinite numbers",),
        write=_cfg_value("-Infinity"),
    ),
    Case(
        "cfg-number-that-overflows-to-infinity",
        "cfg.json:7:25",
        ("NaN and infinite numbers",),
        write=_cfg_value("1e309"),
    ),
    # --- DAG files Python reads but the reader could not (was exit 3) -------------------------
    Case(
        "dag-py-coding-cookie-that-is-not-a-text-encoding",
        "dag.py:1",
        ("'hex'", "not a text encoding"),
        write={"dag.py": "# -*- coding: hex -*-\n" + DAG_TEXT},
    ),
    Case(
        "dag-py-expression-nested-100000-deep",
        "dag.py",
        ("nests expressions too deeply",),
        write={"dag.py": DAG_TEXT + "\nx = " + "-" * 100_000 + "1\n"},
    ),
    # --- inputs that are not regular files ------------------------------------------------------
    Case(
        "cfg-is-a-symlink-loop",
        "loop_a",
        ("symlink loop",),
        setup=_symlink_loop,
        args=("dag.py", "loop_a", "-o", "pipeline_gen.py"),
    ),
    Case(
        "cfg-is-a-fifo",
        "fifo",
        ("not a regular file",),
        setup=_fifo,
        args=("dag.py", "fifo", "-o", "pipeline_gen.py"),
    ),
    Case(
        "cfg-is-a-directory",
        "scripts",
        ("is a directory",),
        args=("dag.py", "scripts", "-o", "pipeline_gen.py"),
    ),
    Case(
        "cfg-is-standard-input",
        "-",
        ("standard input",),
        args=("dag.py", "-", "-o", "pipeline_gen.py"),
    ),
    # --- outputs that would destroy a file ------------------------------------------------------
    Case(
        "output-is-a-fifo",
        "fifo",
        ("not a regular file",),
        setup=_fifo,
        args=_args("-o", "fifo"),
    ),
    Case(
        "output-is-a-symlink-loop",
        "loop_a",
        ("cannot be resolved",),
        setup=_symlink_loop,
        args=_args("-o", "loop_a"),
    ),
    Case(
        "output-overwrites-an-uploaded-script",
        "scripts/payload.py",
        ("inside 'scripts'", "uploads"),
        args=_args("-o", "scripts/payload.py"),
    ),
    Case(
        "output-inside-an-uploaded-data-folder",
        "data/training/pipeline_gen.py",
        ("inside 'data/training'", "uploads"),
        args=_args("-o", "data/training/pipeline_gen.py"),
    ),
    Case(
        "output-overwrites-a-template",
        "tpl/module.py.j2",
        ("would overwrite a --templates file",),
        setup=_templates_copy,
        args=_args("--templates", "tpl", "-o", "tpl/module.py.j2"),
    ),
    Case(
        "output-overwrites-a-step-type-file",
        "mysteps/row_counter.yaml",
        ("would overwrite a --steps file",),
        setup=_steps_copy,
        args=_args("--steps", "mysteps", "-o", "mysteps/row_counter.yaml"),
    ),
    # --- class names the module cannot hold (was exit 3, or exit 0 with a broken module) -------
    Case(
        "class-name-is-a-keyword",
        "--class-name",
        ("'class'", "not a Python identifier"),
        args=DEFAULT_ARGS + ("--class-name", "class"),
    ),
    Case(
        "class-name-shadows-pipeline",
        "--class-name",
        ("'Pipeline'", "already uses"),
        args=DEFAULT_ARGS + ("--class-name", "Pipeline"),
    ),
    Case(
        "class-name-shadows-a-helper",
        "--class-name",
        ("'_local'", "already uses"),
        args=DEFAULT_ARGS + ("--class-name", "_local"),
    ),
    Case(
        "class-name-shadows-os",
        "--class-name",
        ("'os'", "already uses"),
        args=DEFAULT_ARGS + ("--class-name", "os"),
    ),
    Case(
        "class-name-normalises-to-join",
        "--class-name",
        ("'Ｊoin'", "already uses"),
        args=DEFAULT_ARGS + ("--class-name", "Ｊoin"),
    ),
    Case(
        "class-name-from-the-configuration-shadows-pipeline",
        "cfg.json",
        ("derived from service_name",),
        edit_cfg=lambda data: (
            _set(("configuration", "shared", "service_name"), "")(data),
            _set(("configuration", "shared", "model_class"), "")(data),
        ),
    ),
    # --- code the user runs: --templates and --exec-dag (was exit 3, or exit 1) -----------------
    Case(
        "template-raises",
        "tpl/module.py.j2:1",
        ("ZeroDivisionError",),
        setup=_template_edit(b"", b"{{ 1 / 0 }}\n"),
        args=_args("--templates", "tpl", "-o", "pipeline_gen.py"),
    ),
    Case(
        "template-recursive-macro",
        f"tpl/module.py.j2:{MODULE_TEMPLATE_LINES + 1}",
        ("RecursionError",),
        setup=_template_edit(b"{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}\n"),
        args=_args("--templates", "tpl", "-o", "pipeline_gen.py"),
    ),
    Case(
        "template-not-utf8",
        "tpl",
        ("not UTF-8",),
        setup=_template_edit(b"\xff\xfe"),
        args=_args("--templates", "tpl", "-o", "pipeline_gen.py"),
    ),
    Case(
        "exec-dag-calls-exit",
        "dag.py:1",
        ("exit(1)",),
        write={"dag.py": "raise SystemExit(1)\n"},
        args=DEFAULT_ARGS + ("--exec-dag",),
    ),
    Case(
        "exec-dag-raises-a-base-exception",
        "dag.py:1",
        ("GeneratorExit",),
        write={"dag.py": "raise GeneratorExit()\n"},
        args=DEFAULT_ARGS + ("--exec-dag",),
    ),
    # --- text that would forge a second diagnostic or drive the terminal ----------------------
    Case(
        "node-name-forging-a-diagnostic",
        "dag.py:32:5",
        ("\\ncfg.json:1:1: error: FORGED\\x1b[2J",),
        edit_dag=(
            RETURN,
            '    dag.add_node("A\\ncfg.json:1:1: error: FORGED\\x1b[2J")\n' + RETURN,
        ),
    ),
    Case(
        "node-name-with-a-bidi-override",
        "dag.py:32:5",
        ("\\u202e",),
        edit_dag=(RETURN, '    dag.add_node("Pay\\u202eload")\n' + RETURN),
    ),
    # --- what cursus refuses at compile time -------------------------------------------------
    Case(
        "two-nodes-one-step-name-through-a-default-job-type",
        "dag.py:32:5",
        (
            "'XGBoostModelEval_calibration'",
            "'XGBoostModelEval'",
            "'XGBoostModelEval-Calibration'",
        ),
        edit_cfg=_eval_without_job_type,
        edit_dag=(RETURN, '    dag.add_node("XGBoostModelEval")\n' + RETURN),
    ),
    Case(
        "config-cursus-validators-reject-under-strict",
        "cfg.json#/configuration/specific/ModelCalibration_calibration:45:39",
        ("cursus's validator rejects", "'score_field'"),
        args=DEFAULT_ARGS + ("--strict",),
        edit_cfg=lambda data: _specific(data)["ModelCalibration_calibration"].pop(
            "score_field"
        ),
    ),
    # --- paths of the configuration ------------------------------------------------------------
    Case(
        "config-entry-point-leaves-the-project-root",
        "cfg.json#/configuration/specific/Package/processing_entry_point:64:35",
        ("must stay inside the project root", "/etc/passwd' leaves it"),
        edit_cfg=_set(
            ("configuration", "specific", "Package", "processing_entry_point"),
            "../../../../etc/passwd",
        ),
    ),
    Case(
        "node-resolved-by-cursus-scoring-under-strict",
        "dag.py:17:9",
        (
            "'ModelCalibration_training'",
            "'ModelCalibration_calibration'",
            "confidence 0.80",
        ),
        args=DEFAULT_ARGS + ("--strict",),
        edit_dag=('"ModelCalibration_calibration"', '"ModelCalibration_training"'),
    ),
]
