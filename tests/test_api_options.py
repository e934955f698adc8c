"""One check of the long options (cursus_codegen/options/) serves the API and the command line:
a bad value is one error located at the option as the command spells it (`--class-name`),
through the API a diagnostic and never an exception, on the command line exit 2."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO, run_cli

import cursus_codegen
from cursus_codegen.cli import arguments
from cursus_codegen.diagnostics import Level
from cursus_codegen.options import checks
from cursus_codegen.options.checks import manifest_option_problem, option_problem
from cursus_codegen.options.table import MANIFEST_KEYS, OPTIONS

GENERATE = ["dag.py", "cfg.json", "-o", "pipeline_gen.py"]
# (API keyword, bad value, the same value on the command line, the flag a diagnostic is located
# at, the problem as written by hand from options/checks.py's rules: text not empty, a path
# without NUL, a class name a Python identifier, a line length within 40..400)
BAD = [
    ("class_name", "", ["--class-name", ""], "--class-name", "must not be empty"),
    (
        "class_name",
        "not valid",
        ["--class-name", "not valid"],
        "--class-name",
        "'not valid' is not a Python identifier",
    ),
    (
        "class_name",
        "class",
        ["--class-name", "class"],
        "--class-name",
        "'class' is not a Python identifier",
    ),
    ("author", "", ["--author", ""], "--author", "must not be empty"),
    ("version", "", ["--version", ""], "--version", "must not be empty"),
    ("description", "", ["--description", ""], "--description", "must not be empty"),
    ("dag_function", "", ["--dag-function", ""], "--dag-function", "must not be empty"),
    ("project_root", "", ["--project-root", ""], "--project-root", "must not be empty"),
    (
        "templates",
        "tpl\0",
        ["--templates", "tpl\0"],
        "--templates",
        "must not contain a NUL character",
    ),
    ("steps", [""], ["--steps", ""], "--steps", "entry 0 must not be empty"),
    (
        "steps",
        ["ok", "a\0b"],
        ["--steps", "ok", "--steps", "a\0b"],
        "--steps",
        "entry 1 must not contain a NUL character",
    ),
    ("line_length", 0, ["--line-length", "0"], "--line-length", "0 is outside 40..400"),
    (
        "line_length",
        39,
        ["--line-length", "39"],
        "--line-length",
        "39 is outside 40..400",
    ),
    (
        "line_length",
        401,
        ["--line-length", "401"],
        "--line-length",
        "401 is outside 40..400",
    ),
]
# The API's keywords in the order of the command's long options, as an unknown option lists them.
KNOWN = (
    "class_name, author, version, description, dag_function, project_root, steps, templates, "
    "exec_dag, omit_version, input_hashes, vendor, line_length, strict"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    folder = tmp_path / "p"
    shutil.copytree(REPO / "generated_examples" / "xgboost_e2e", folder)
    monkeypatch.chdir(folder)
    return folder


def _errors(diagnostics) -> list:
    return [d for d in diagnostics if d.level is Level.ERROR]


@pytest.mark.parametrize(
    "name,value,argv,flag,problem", BAD, ids=lambda v: repr(v)[:20]
)
def test_a_bad_option_through_the_api_is_one_located_diagnostic(
    project, name, value, argv, flag, problem
):
    result = cursus_codegen.generate(
        "dag.py", "cfg.json", output="pipeline_gen.py", **{name: value}
    )
    errors = _errors(result.diagnostics)
    assert (
        not result.ok and result.source is None and len(errors) == 1
    ), result.diagnostics
    assert str(errors[0].location) == flag
    assert errors[0].message == f"{name} {problem}"
    checked = cursus_codegen.check(
        "dag.py", "cfg.json", "pipeline_gen.py", **{name: value}
    )
    assert not checked.current and [d.message for d in checked.diagnostics] == [
        errors[0].message
    ]


@pytest.mark.parametrize(
    "name,value,argv,flag,problem", BAD, ids=lambda v: repr(v)[:20]
)
def test_the_same_value_on_the_command_line_exits_2_with_one_error(
    project, name, value, argv, flag, problem
):
    before = (project / "pipeline_gen.py").read_bytes()
    code, out, err = run_cli([*GENERATE, *argv])
    lines = [line for line in err.splitlines() if "error:" in line]
    assert code == 2 and out == "" and len(lines) == 1, err
    assert flag in lines[0] and problem in lines[0]
    assert (
        "Traceback" not in err and (project / "pipeline_gen.py").read_bytes() == before
    )


def test_an_option_error_names_the_flag_on_the_command_line(project):
    code, _, err = run_cli([*GENERATE, "--class-name", "not valid"])
    assert (
        code == 2
        and err == "--class-name: error: 'not valid' is not a Python identifier\n"
    )
    code, _, err = run_cli([*GENERATE, "--line-length", "0"])
    assert code == 2 and err.splitlines()[-1].endswith(
        "argument --line-length: 0 is outside 40..400"
    )


def test_the_api_and_the_command_line_use_the_one_check(project, monkeypatch):
    """A rule planted in checks.value_problem is obeyed by both."""
    real = checks.value_problem

    def planted(name: str, value: object) -> str | None:
        return "is planted" if value in ("Planted", 77) else real(name, value)

    monkeypatch.setattr(checks, "value_problem", planted)
    result = cursus_codegen.generate("dag.py", "cfg.json", author="Planted")
    assert [(str(d.location), d.message) for d in result.diagnostics] == [
        ("--author", "author is planted")
    ]
    code, _, err = run_cli([*GENERATE, "--author", "Planted"])
    assert code == 2 and err == "--author: error: is planted\n"
    result = cursus_codegen.generate("dag.py", "cfg.json", line_length=77)
    assert [d.message for d in result.diagnostics] == ["line_length is planted"]
    code, _, err = run_cli(
        [*GENERATE, "--line-length", "77"]
    )  # argparse's type function asks it too
    assert code == 2 and err.splitlines()[-1].endswith(
        "argument --line-length: is planted"
    )


def test_good_values_pass_and_none_is_the_default_only_where_the_default_is_none():
    good = {
        "class_name": "MyPipeline",
        "author": "team",
        "steps": ["a", "b"],
        "templates": "tpl",
        "line_length": 40,
        "strict": True,
        "exec_dag": False,
    }
    assert {
        name: option_problem(name, value) for name, value in good.items()
    } == dict.fromkeys(good)
    for option in OPTIONS.values():
        assert (option_problem(option.name, None) is None) == (
            option.default is None
        ), option.name


def test_every_spelling_names_the_same_option():
    assert option_problem("line-length", 0) == "line-length 0 is outside 40..400"
    assert option_problem("--line-length", 0) == "--line-length 0 is outside 40..400"
    assert option_problem("line_length", 0) == "line_length 0 is outside 40..400"
    assert option_problem("colour", True) == f"unknown option 'colour'; known: {KNOWN}"


def test_the_manifest_gets_its_keys_and_the_same_check():
    assert set(MANIFEST_KEYS) == {name.replace("_", "-") for name in OPTIONS}
    assert all(
        MANIFEST_KEYS[key].name == key.replace("-", "_") for key in MANIFEST_KEYS
    )
    assert (
        manifest_option_problem("line-length", "wide")
        == "line-length must be int, not str"
    )
    assert (
        manifest_option_problem("line-length", 500)
        == "line-length 500 is outside 40..400"
    )
    assert (
        manifest_option_problem("steps", ["a", 3])
        == "steps entry 1 must be a path, not int"
    )
    assert manifest_option_problem("omit-version", True) is None
    assert manifest_option_problem("omit_version", True).startswith(
        "unknown key 'omit_version'"
    )


def test_the_command_line_arguments_come_from_the_table():
    actions = arguments.generate_parser()._option_string_actions
    for option in OPTIONS.values():
        action = actions[option.flag]
        assert action.help == option.help and action.dest == option.name
        assert action.default == (
            list(option.default) if option.kind is list else option.default
        )
    assert (
        arguments.generate_parser().parse_args(["d", "c"]).line_length
        == OPTIONS["line_length"].default
    )
