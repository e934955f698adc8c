"""Hostile values through the Python API: every wrong type or value of every option and of the
dag, config and output arguments is an error diagnostic, never an exception. And hostile input
names: the regenerate command in the module's header reproduces the module, whatever the names.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from conftest import REPO, run_cli

import cursus_codegen
from cursus_codegen.api import request
from cursus_codegen.cli import arguments
from cursus_codegen.diagnostics import Level
from cursus_codegen.options.table import OPTIONS

EXAMPLE = REPO / "generated_examples" / "xgboost_e2e"


class _Opaque:
    """A value of no JSON type, with a stable repr (test ids must not depend on addresses)."""

    def __repr__(self) -> str:
        return "<opaque>"


ANY_BAD = [1.5, b"x", {}, {"a": 1}, [1], _Opaque()]  # wrong for every option
BAD_BY_KIND = {
    str: [1, True, "", "a\0b", ["x"], b"x"],
    bool: [None, 1, 0, "yes", "", [True]],
    int: [None, True, False, "88", 88.0, 0, -1, 10**9, "a\0"],
    list: [None, "x", b"x", [""], ["a\0b"], [None], [1], [b"x"], ["ok", 2], {"x": 1}],
}
# free text (author, description, ...) may hold any character, a NUL too: it is emitted as a literal
CASES = [
    (name, value)
    for name, option in OPTIONS.items()
    for value in ANY_BAD + BAD_BY_KIND[option.kind]
    if not (
        value == "a\0b"
        and option.kind is str
        and not option.path
        and name != "class_name"
    )
]
BAD_PATHS = [None, 1, 2.5, b"dag.py", ["x"], {}, "", "a\0b", _Opaque()]


@pytest.fixture
def project(tmp_path, monkeypatch):
    folder = tmp_path / "p"
    shutil.copytree(EXAMPLE, folder)
    monkeypatch.chdir(folder)
    return folder


def _one_error(diagnostics) -> str:
    errors = [d for d in diagnostics if d.level is Level.ERROR]
    assert len(errors) == 1 and len(diagnostics) == 1, diagnostics
    return errors[0]


@pytest.mark.parametrize("name,value", CASES, ids=lambda v: repr(v)[:24])
def test_a_wrong_option_value_is_one_diagnostic_never_an_exception(
    project, name, value
):
    result = cursus_codegen.generate(
        "dag.py", "cfg.json", output="pipeline_gen.py", **{name: value}
    )
    error = _one_error(result.diagnostics)
    assert result.source is None and not result.ok
    assert str(error.location) == "--" + name.replace(
        "_", "-"
    ) and error.message.startswith(name + " ")
    checked = cursus_codegen.check(
        "dag.py", "cfg.json", "pipeline_gen.py", **{name: value}
    )
    assert not checked.current and _one_error(checked.diagnostics) == error


@pytest.mark.parametrize(
    "value,message",
    [
        ("", "class_name must not be empty"),
        (
            "not an identifier",
            "class_name 'not an identifier' is not a Python identifier",
        ),
        ("def", "class_name 'def' is not a Python identifier"),
    ],
)
def test_a_class_name_that_is_no_identifier_is_refused_before_generation(
    project, value, message
):
    result = cursus_codegen.generate("dag.py", "cfg.json", class_name=value)
    assert [(str(d.location), d.message) for d in result.diagnostics] == [
        ("--class-name", message)
    ]


@pytest.mark.parametrize(
    "value,message",
    [
        (0, "line_length 0 is outside 40..400"),
        (-1, "line_length -1 is outside 40..400"),
        (10**9, f"line_length {10**9} is outside 40..400"),
        (True, "line_length must be int, not bool"),
    ],
)
def test_a_line_length_black_cannot_use_is_refused(project, value, message):
    result = cursus_codegen.generate("dag.py", "cfg.json", line_length=value)
    assert [(str(d.location), d.message) for d in result.diagnostics] == [
        ("--line-length", message)
    ]


PATH_CASES = (
    [("dag", v) for v in BAD_PATHS]
    + [("output", v) for v in BAD_PATHS if v is not None]
    + [
        ("config", v) for v in BAD_PATHS if not isinstance(v, list)
    ]  # a list: several configs
    + [("config[1]", v) for v in BAD_PATHS]
)


@pytest.mark.parametrize("argument,value", PATH_CASES, ids=lambda v: repr(v)[:24])
def test_a_bad_input_path_is_one_diagnostic_never_an_exception(
    project, argument, value
):
    dag, config, output = "dag.py", "cfg.json", "pipeline_gen.py"
    if argument == "dag":
        dag = value
    elif argument == "output":
        output = value
    else:
        config = value if argument == "config" else ["cfg.json", value]
    result = cursus_codegen.generate(dag, config, output=output)
    error = _one_error(result.diagnostics)
    assert result.source is None and error.message.startswith(argument + " "), error
    checked = cursus_codegen.check(dag, config, output)
    assert not checked.current and _one_error(checked.diagnostics) == error


@pytest.mark.parametrize(
    "config", [[], (), [None], [1, "cfg.json"], ["cfg.json", ""]], ids=repr
)
def test_a_bad_configuration_list_is_a_diagnostic(project, config):
    result = cursus_codegen.generate("dag.py", config)
    assert result.source is None and _one_error(result.diagnostics).message.startswith(
        ("config", "no config")
    )


@pytest.mark.parametrize(
    "modes",
    [
        {"check": 1},
        {"diff": "yes"},
        {"check": True, "diff": True},
        {"check": True},
        {"diff": True},
    ],
    ids=repr,
)
def test_check_and_diff_are_bools_and_need_an_output(project, modes):
    result = cursus_codegen.generate("dag.py", "cfg.json", **modes)
    assert result.source is None and _one_error(result.diagnostics)
    assert not cursus_codegen.check("dag.py", "cfg.json", None).current  # type: ignore[arg-type]


# --- the header's regenerate command, for hostile input names ---------------------------------

NAMES = [
    "-cfg.json",
    "--exec-dag",
    "--strict",
    "-o",
    "a b.json",
    "$HOME.json",
    "`x`;rm -rf.json",
    "it's.json",
    'say "hi".json',
    "back\\slash.json",
    "new\nline.json",
]


def _copy(source: Path, target: Path) -> bool:
    try:
        shutil.copy(source, target)
    except OSError:  # a file system that refuses the name
        return False
    return True


def _header_command(module: Path) -> list[str]:
    """The regenerate command the module's header records, split into words by bash itself
    (a name with a newline is written in bash's $'...' form)."""
    import subprocess

    header = module.read_text().split(
        "# Regenerate with (from this file's folder):\n", 1
    )[1]
    lines = header.split('"""', 1)[0].splitlines()
    command = " ".join(line.lstrip("#").rstrip("\\ ") for line in lines)
    done = subprocess.run(
        ["bash", "-c", f"printf '%s\\0' {command}"], capture_output=True, check=True
    )
    return done.stdout.decode().split("\0")[:-1]


def _generate(project: Path, name: str, **options: object) -> Path:
    """The module, beside a configuration called `name`: the header names it `./name`."""
    assert _copy(
        project / "cfg.json", project / name
    ), f"{name!r}: not a file name here"
    result = cursus_codegen.generate(
        "dag.py", name, output="pipeline_gen.py", **options
    )
    assert result.ok, result.diagnostics
    (project / "pipeline_gen.py").write_text(result.source)
    return project / "pipeline_gen.py"


def _flags_only(words: list[str]) -> None:
    """Every word that starts with "-" is a flag of the command (or `--flag=value`)."""
    flags = set(arguments.generate_parser()._option_string_actions)
    assert all(w.split("=", 1)[0] in flags for w in words if w.startswith("-")), words


@pytest.mark.parametrize("name", NAMES, ids=repr)
def test_the_header_command_reproduces_the_module_for_a_hostile_name(project, name):
    module = _generate(project, name, author="-me", description="--strict")
    command = _header_command(module)
    assert (
        command[0] == "cursus-codegen"
        and "--author=-me" in command
        and "--description=--strict" in command
    )
    _flags_only(command[1:])
    code, out, err = run_cli([*command[1:], "--check"], cwd=module.parent)
    assert code == 0, f"{command}\n{out}{err}"


@pytest.mark.parametrize("name", NAMES, ids=repr)
def test_the_recorded_command_reads_each_path_as_a_path(project, name):
    """The command api.request records (before the header renders it), run as its words."""
    module = _generate(project, name, author="-me")
    req, _ = request("dag.py", name, "pipeline_gen.py", {"author": "-me"})
    words = shlex.split(req.command)
    assert words[2] == ("./" + name if name.startswith("-") else name)
    _flags_only(words[1:])
    code, out, err = run_cli([*words[1:], "--check"], cwd=module.parent)
    assert code == 0, f"{words}\n{out}{err}"


def test_a_dash_name_for_every_path_is_written_as_a_path(project):
    shutil.copy(project / "dag.py", project / "-dag.py")
    shutil.copy(project / "cfg.json", project / "--exec-dag")
    (project / "-steps").mkdir()
    result = cursus_codegen.generate(
        "-dag.py", ["--exec-dag"], output="-gen.py", steps=["-steps"], class_name="P"
    )
    assert result.ok, result.diagnostics
    (project / "-gen.py").write_text(result.source)
    req, _ = request(
        "-dag.py", ["--exec-dag"], "-gen.py", {"steps": ["-steps"], "class_name": "P"}
    )
    assert (
        req.command
        == "cursus-codegen ./-dag.py ./--exec-dag -o ./-gen.py --class-name P --steps ./-steps"
    )
    assert run_cli([*_header_command(project / "-gen.py")[1:], "--check"])[0] == 0
