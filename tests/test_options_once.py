"""Each option is defined once (cursus_codegen/options/table.py) and every other place derives
from that definition: which commands take it, and which modules name it."""

from pathlib import Path

import pytest

from cursus_codegen.cli import arguments

PACKAGE = Path(__file__).resolve().parents[1] / "cursus_codegen"

# what each command on a DAG accepts, written out: a command that stops taking an option (or
# starts taking one) is a visible change of this list
TAKES = {
    "generate": {"--templates", "--omit-version", "--input-hashes", "--vendor"},
    "validate": {"--templates"},
    "explain": set(),
}
EVERY_COMMAND = {
    "--class-name",
    "--author",
    "--version",
    "--description",
    "--dag-function",
    "--project-root",
    "--steps",
    "--exec-dag",
    "--strict",
}
PARSERS = {
    "generate": arguments.generate_parser,
    "validate": arguments.validate_parser,
    "explain": arguments.explain_parser,
}


@pytest.mark.parametrize("command", sorted(PARSERS))
def test_each_command_offers_exactly_its_options(command):
    offered = set(PARSERS[command]()._option_string_actions)
    assert EVERY_COMMAND <= offered
    for flag in ("--templates", "--omit-version", "--input-hashes", "--vendor"):
        assert (flag in offered) == (flag in TAKES[command]), (command, flag)
    assert ("--line-length" in offered) == (command == "generate")


@pytest.mark.parametrize("name", ["omit_version", "input_hashes"])
def test_a_header_only_option_is_named_by_its_definition_and_its_consumer(name):
    spellings = (name, name.replace("_", "-"))
    naming = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(s in path.read_text(encoding="utf-8") for s in spellings)
    )
    assert naming == ["options/table.py", "output/provenance.py"]


def test_an_option_only_generate_takes_is_a_usage_error_elsewhere(capsys):
    from cursus_codegen.cli import main

    assert main(["validate", "dag.py", "cfg.json", "--omit-version"]) == 2
    assert "unrecognized arguments: --omit-version" in capsys.readouterr().err


def _key(tmp_path, **options):
    from cursus_codegen.project.cache import key_for
    from cursus_codegen.project.pipelines import Pipeline

    pipeline = Pipeline(
        "p", tmp_path / "dag.py", (tmp_path / "cfg.json",), tmp_path / "gen.py", options
    )
    return key_for(pipeline, tmp_path)


def test_the_cache_key_covers_every_option_at_its_value(tmp_path):
    plain = _key(tmp_path)
    assert plain is not None
    assert (
        _key(tmp_path, line_length=88, strict=False) == plain
    )  # the defaults, spelt out
    assert _key(tmp_path, line_length=100) != plain
    assert _key(tmp_path, strict=True) != plain
    assert _key(tmp_path, omit_version=True) != plain


@pytest.mark.parametrize("name", ["exec_dag", "vendor"])
def test_a_run_that_executes_code_or_copies_files_is_never_cached(tmp_path, name):
    assert _key(tmp_path, **{name: True}) is None
    assert _key(tmp_path, **{name: False}) is not None


def test_help_names_every_command(capsys):
    from cursus_codegen.cli import main

    assert main(["--help"]) == 0
    shown = capsys.readouterr().out
    for command in ("validate", "explain", "diff", "generate", "check"):
        assert f"cursus-codegen {command} " in shown, command
        assert main([command, "--help"]) == 0
        assert f"usage: cursus-codegen {command}" in capsys.readouterr().out


def test_every_command_reports_a_usage_error_the_same_way(capsys):
    from cursus_codegen.cli import main

    for argv in (["diff", "only-one"], ["check", "--jobs", "x"], ["validate"]):
        assert main(argv) == 2, argv
        assert "usage: cursus-codegen" in capsys.readouterr().err
