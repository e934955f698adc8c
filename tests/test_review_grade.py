"""Review grade: a generated module reads like code a team would commit by hand.

A reviewer reads these modules in pull requests, and the deploy repositories they land in run
black, ruff and mypy on every change, so each module must pass those tools as it is written:

  - ruff with its default rules (pyflakes among them) reports nothing;
  - mypy --strict reports nothing, with the `mods` test double on MYPYPATH and without it
    (outside MODS the package is absent), judging the generated modules' own lines only;
  - black with its defaults leaves the module unchanged;
  - no line is wider than 100 characters unless it is a lone piece of a string (a line that
    holds one string literal, maybe followed by a comma or a closing parenthesis), and no line
    at all is wider than 200 on the largest real configuration (atoz_xgboost);
  - a one-line configuration edit (a line of the Cradle SQL, an environment value) is a
    one-line change of the module, and two such edits made on two branches merge without a
    conflict into the module both edits generate.

The targets are every committed generated_examples/*/pipeline_gen.py, the module of every
catalog DAG with the configuration the conformance test writes for it, and the module each real
(DAG, configuration) pair of conformance/plan.py generates, all with default options. The corpus
tests skip when ../shared/corpus is absent; the committed examples are always checked.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
from collections import defaultdict
from pathlib import Path

import black
import pytest
from conformance.plan import ATOZ, REAL_PAIRS, SDK_DOUBLES_PACKAGE
from conformance.project import generate_case
from conftest import CORPUS, REPO, run_cli

SUPPORT = REPO / "tests" / "support"
HAVE_SDK_DOUBLES = (SUPPORT / SDK_DOUBLES_PACKAGE).is_dir()
EXAMPLES = sorted((REPO / "generated_examples").glob("*/pipeline_gen.py"))
ATOZ_PAIR = ("xgboost/complete_e2e", ATOZ)
MAX_LINE = 100
ATOZ_MAX_LINE = 200
SHOWN = 15  # offending lines shown in a failure message

needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpus is absent"
)


def pair_name(dag_id: str, config_name: str | None) -> str:
    """A distinct module name per pair: mypy refuses two modules of one name in one run."""
    stem = Path(config_name).stem if config_name else "generated"
    return re.sub(r"\W", "_", f"{dag_id.replace('/', '__')}__{stem}")


def example_name(module: Path) -> str:
    return "example__" + re.sub(r"\W", "_", module.parent.name)


# Every catalog DAG with the configuration conformance/configs.py writes for it (every step type
# the corpus uses), and every real pair.
DAG_IDS = (
    sorted(
        f"{p.parent.name}/{p.name[: -len('.dag.json')]}"
        for p in (CORPUS / "dags").glob("*/*.dag.json")
    )
    if CORPUS.is_dir()
    else []
)
# Catalog DAGs the conformance test builds no module for: every node is dropped (test_conformance
# prints why). The fixture below checks that these, and only these, give no module.
NO_MODULE = {"bedrock/bedrock_batch_sopa"}
PAIR_NAMES = {
    pair: pair_name(*pair)
    for pair in [(dag, None) for dag in DAG_IDS if dag not in NO_MODULE]
    + list(REAL_PAIRS)
}
assert len(set(PAIR_NAMES.values())) == len(PAIR_NAMES), PAIR_NAMES
ATOZ_NAME = PAIR_NAMES[ATOZ_PAIR]
TARGETS = [pytest.param(example_name(m), id=example_name(m)) for m in EXAMPLES] + [
    pytest.param(name, id=name, marks=needs_corpus) for name in PAIR_NAMES.values()
]


# --------------------------------------------------------------------------------------------
# The targets: generated once for this file
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pair_projects(tmp_path_factory) -> dict[str, Path | str]:
    """Each real pair's project folder (generated as the conformance test does), or why the
    pair did not generate. Empty when the corpus is absent."""
    if not CORPUS.is_dir():
        return {}
    from cursus_codegen.catalog.loader import load_catalog

    catalog, _ = load_catalog()
    root = tmp_path_factory.mktemp("pairs")
    projects: dict[str, Path | str] = {}
    for dag_id in sorted(NO_MODULE):
        case = generate_case(
            root / "no_module", CORPUS, dag_id, None, catalog, HAVE_SDK_DOUBLES, run_cli
        )
        assert not case.nodes, f"{dag_id} now generates a module: check it here too"
    for (dag_id, config_name), name in PAIR_NAMES.items():
        try:
            case = generate_case(
                root / name,
                CORPUS,
                dag_id,
                config_name,
                catalog,
                HAVE_SDK_DOUBLES,
                run_cli,
            )
        # a generator crash on one pair fails that pair's tests, not every test as a fixture error
        except Exception as error:  # noqa: BLE001
            projects[name] = f"{dag_id} + {config_name} does not generate: {error!r}"
            continue
        if not case.nodes:
            projects[name] = (
                f"{dag_id} + {config_name}: every node was dropped, no module"
            )
            continue
        projects[name] = root / name
    return projects


@pytest.fixture(scope="module")
def modules(pair_projects, tmp_path_factory) -> dict[str, Path | str]:
    """Every target as `<name>.py` in one folder (distinct names for mypy): name -> file, or
    the reason a pair has no module."""
    folder = tmp_path_factory.mktemp("modules")
    found: dict[str, Path | str] = {}
    for module in EXAMPLES:
        name = example_name(module)
        shutil.copy(module, folder / f"{name}.py")
        found[name] = folder / f"{name}.py"
    for name, project in pair_projects.items():
        if isinstance(project, str):
            found[name] = project
            continue
        shutil.copy(project / "pipeline_gen.py", folder / f"{name}.py")
        found[name] = folder / f"{name}.py"
    return found


def module_of(modules, name: str) -> Path:
    target = modules[name]
    if isinstance(target, str):
        pytest.fail(target)
    return target


def split_targets(modules) -> tuple[list[Path], list[str]]:
    files = sorted(m for m in modules.values() if isinstance(m, Path))
    missing = sorted(m for m in modules.values() if isinstance(m, str))
    return files, missing


# --------------------------------------------------------------------------------------------
# 1. ruff, 2. mypy --strict: one invocation each over all targets
# --------------------------------------------------------------------------------------------


def test_ruff_with_its_default_rules_reports_nothing(modules):
    _, missing = split_targets(modules)
    # the committed examples under their own paths, so a message names the file to fix
    pairs = [
        modules[name]
        for name in PAIR_NAMES.values()
        if isinstance(modules.get(name), Path)
    ]
    paths = [str(m) for m in [*EXAMPLES, *pairs]]
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert not missing, "\n".join(missing)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def mypy_run(modules, tmp_path_factory):
    """Run mypy --strict once over every target; the two tests share its cache folder (the
    second run re-reads sagemaker from it). Only the target files are judged: imports
    (sagemaker, the test doubles in tests/support) are followed silently."""
    folder = next(iter(m for m in modules.values() if isinstance(m, Path))).parent
    cache = tmp_path_factory.mktemp("mypy_cache")
    config = tmp_path_factory.mktemp("mypy_config") / "mypy.ini"
    config.write_text(
        "[mypy]\n"
    )  # no project or user configuration decides the verdict

    def run(mypypath: Path | None) -> subprocess.CompletedProcess:
        files, _ = split_targets(modules)
        env = {
            k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")
        }
        if mypypath is not None:
            env["MYPYPATH"] = str(mypypath)
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--config-file",
            str(config),
            "--cache-dir",
            str(cache),
            *(f.name for f in files),
        ]
        return subprocess.run(
            command, cwd=folder, env=env, capture_output=True, text=True, check=False
        )

    return run


def test_mypy_strict_reports_nothing_with_the_mods_double(modules, mypy_run):
    done = mypy_run(SUPPORT)
    _, missing = split_targets(modules)
    assert not missing, "\n".join(missing)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_reports_nothing_without_mods(modules, mypy_run):
    """Outside MODS the `mods` package is absent; the module's fallback must still type-check."""
    done = mypy_run(None)
    _, missing = split_targets(modules)
    assert not missing, "\n".join(missing)
    assert done.returncode == 0, done.stdout + done.stderr


# --------------------------------------------------------------------------------------------
# 3. line lengths, 4. black
# --------------------------------------------------------------------------------------------

_NOT_CODE = {
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}
_AFTER_STRING = ([], [","], [")"], [",", ")"], [")", ","])


def _tokens_by_line(source: str) -> dict[int, list[tokenize.TokenInfo]]:
    """Every token that covers a physical line (a multi-line string covers all of its lines)."""
    by_line: dict[int, list[tokenize.TokenInfo]] = defaultdict(list)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in _NOT_CODE:
            continue
        for number in range(token.start[0], token.end[0] + 1):
            by_line[number].append(token)
    return by_line


def _string_literal_end(tokens: list[tokenize.TokenInfo]) -> int | None:
    """The index after the string literal that `tokens` starts with, or None if it does not
    start with one (an f-string is one STRING token up to Python 3.11, a START..END group of
    tokens from 3.12 on)."""
    if not tokens:
        return None
    name = tokenize.tok_name[tokens[0].type]
    if name == "STRING":
        return 1
    if name not in ("FSTRING_START", "TSTRING_START"):
        return None
    kind, depth = name[: -len("_START")], 0
    for index, token in enumerate(tokens):
        token_name = tokenize.tok_name[token.type]
        depth += {f"{kind}_START": 1, f"{kind}_END": -1}.get(token_name, 0)
        if depth == 0:
            return index + 1
    return None


def is_lone_string_piece(tokens: list[tokenize.TokenInfo], number: int) -> bool:
    """The line, indentation aside, is one string literal that begins and ends on it,
    followed by nothing but maybe a comma and/or a closing parenthesis."""
    end = _string_literal_end(tokens)
    if end is None or tokens[0].start[0] != number or tokens[end - 1].end[0] != number:
        return False
    rest = tokens[end:]
    return (
        all(t.type == tokenize.OP for t in rest)
        and [t.string for t in rest] in _AFTER_STRING
    )


def long_lines(
    source: str, limit: int, allow_lone_strings: bool
) -> list[tuple[int, str]]:
    by_line = _tokens_by_line(source) if allow_lone_strings else {}
    return [
        (number, line)
        for number, line in enumerate(source.split("\n"), start=1)
        if len(line) > limit
        and not (
            allow_lone_strings and is_lone_string_piece(by_line.get(number, []), number)
        )
    ]


def describe(path: Path, found: list[tuple[int, str]], limit: int) -> str:
    shown = [
        f"  {path.name}:{number}: {len(line)} chars: {line[:160]}"
        + ("..." if len(line) > 160 else "")
        for number, line in found[:SHOWN]
    ]
    more = [f"  ... and {len(found) - SHOWN} more"] if len(found) > SHOWN else []
    return "\n".join(
        [f"{len(found)} lines longer than {limit} characters:", *shown, *more]
    )


def test_the_lone_string_rule_itself():
    """The rule the line-length test applies (so its failures are about the modules)."""
    source = (
        "x = [\n"
        '    "a lone piece"\n'
        "    r'raw piece',\n"
        "    g(\n"
        '        f"formatted {x} piece"),\n'
        "    g(\n"
        '        b"bytes"),\n'
        '    "a piece" + y,\n'
        '    "a piece",  # a comment\n'
        '    """one\n'
        'two""",\n'
        "]\n"
    )
    by_line = _tokens_by_line(source)
    lone = [n for n in range(1, 13) if is_lone_string_piece(by_line.get(n, []), n)]
    assert lone == [2, 3, 5, 7]


@pytest.mark.parametrize("name", TARGETS)
def test_no_line_is_longer_than_100_unless_a_lone_string_piece(modules, name):
    path = module_of(modules, name)
    found = long_lines(
        path.read_text(encoding="utf-8"), MAX_LINE, allow_lone_strings=True
    )
    assert not found, describe(path, found, MAX_LINE)


@needs_corpus
def test_no_line_at_all_is_longer_than_200_on_the_atoz_configuration(modules):
    path = module_of(modules, ATOZ_NAME)
    found = long_lines(
        path.read_text(encoding="utf-8"), ATOZ_MAX_LINE, allow_lone_strings=False
    )
    assert not found, describe(path, found, ATOZ_MAX_LINE)


@pytest.mark.parametrize("name", TARGETS)
def test_black_with_its_defaults_leaves_the_module_unchanged(modules, name):
    source = module_of(modules, name).read_text(encoding="utf-8")
    assert black.format_str(source, mode=black.Mode()) == source


# --------------------------------------------------------------------------------------------
# 5. one-line edits of the atoz configuration
# --------------------------------------------------------------------------------------------

CRADLE_NODES = ("CradleDataLoading_training", "CradleDataLoading_calibration")
SQL_LINE, SQL_EDITED = "WHERE row_num = 1", "WHERE row_num = 2"
ENV_NODE, ENV_FIELD, ENV_VALUE = (
    "TabularPreprocessing_training",
    "label_name",
    "is_abuse_v2",
)


def edit_sql(data: dict) -> None:
    """One line of the Cradle transform SQL, in both Cradle nodes' copies of it."""
    specific = data["configuration"]["specific"]
    copies = [
        specific[node]["transform_spec"]["transform_sql"] for node in CRADLE_NODES
    ]
    assert copies[0] == copies[1], "the two Cradle nodes no longer hold the same SQL"
    for node in CRADLE_NODES:
        spec = specific[node]["transform_spec"]
        lines = spec["transform_sql"].split("\n")
        assert (
            lines.count(SQL_LINE) == 1
        ), f"{node}: the SQL has no single line {SQL_LINE!r}"
        spec["transform_sql"] = "\n".join(
            SQL_EDITED if line == SQL_LINE else line for line in lines
        )


def edit_env(data: dict) -> None:
    """label_name of TabularPreprocessing_training: its LABEL_FIELD environment entry."""
    step = data["configuration"]["specific"][ENV_NODE]
    assert step[ENV_FIELD] == "is_abuse"
    step[ENV_FIELD] = ENV_VALUE


@pytest.fixture()
def atoz_project(pair_projects, tmp_path) -> Path:
    project = pair_projects[ATOZ_NAME]
    if isinstance(project, str):
        pytest.fail(project)
    shutil.copytree(project, tmp_path / "project")  # dag.json and the placeholder files
    return tmp_path / "project"


def module_for(project: Path, *edits) -> str:
    """The module the atoz configuration generates with `edits` applied (default options)."""
    data = json.loads((CORPUS / "configs" / ATOZ).read_text())
    for edit in edits:
        edit(data)
    with (project / "config.json").open("w") as out:
        json.dump(data, out, indent=2)
    code, _, err = run_cli(
        ["dag.json", "config.json", "-o", "pipeline_gen.py"], cwd=project
    )
    assert code == 0, err
    return (project / "pipeline_gen.py").read_text(encoding="utf-8")


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The removed and the added lines of the unified diff (n=0) of old and new."""
    diff = list(
        difflib.unified_diff(old.splitlines(), new.splitlines(), n=0, lineterm="")
    )[2:]
    body = [line for line in diff if not line.startswith("@@")]
    return [line[1:] for line in body if line[0] == "-"], [
        line[1:] for line in body if line[0] == "+"
    ]


def describe_diff(removed: list[str], added: list[str]) -> str:
    def cut(line: str) -> str:
        return line if len(line) <= 160 else f"{line[:160]}... ({len(line)} chars)"

    return "\n".join(
        [
            f"{len(removed)} lines removed, {len(added)} added:",
            *(f"  -{cut(line)}" for line in removed[:SHOWN]),
            *(f"  +{cut(line)}" for line in added[:SHOWN]),
        ]
    )


@needs_corpus
def test_one_line_of_the_cradle_sql_is_one_line_of_the_module(atoz_project):
    base, edited = module_for(atoz_project), module_for(atoz_project, edit_sql)
    removed, added = changed_lines(base, edited)
    assert (len(removed), len(added)) == (1, 1), describe_diff(removed, added)
    assert "row_num = 2" in added[0], describe_diff(removed, added)


@needs_corpus
def test_one_environment_value_is_one_line_of_the_module(atoz_project):
    base, edited = module_for(atoz_project), module_for(atoz_project, edit_env)
    removed, added = changed_lines(base, edited)
    assert (len(removed), len(added)) == (1, 1), describe_diff(removed, added)
    assert ENV_VALUE in added[0], describe_diff(removed, added)


@needs_corpus
def test_the_two_edits_made_on_two_branches_merge_into_the_module_of_both(
    atoz_project, tmp_path
):
    base = module_for(atoz_project)
    ours = module_for(atoz_project, edit_sql)
    theirs = module_for(atoz_project, edit_env)
    both = module_for(atoz_project, edit_sql, edit_env)
    assert len({base, ours, theirs, both}) == 4  # each edit changes the module
    for name, text in (("base.py", base), ("ours.py", ours), ("theirs.py", theirs)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            "git",
            "merge-file",
            "-p",
            str(tmp_path / "ours.py"),
            str(tmp_path / "base.py"),
            str(tmp_path / "theirs.py"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    conflicts = [
        line
        for line in done.stdout.splitlines()
        if line.startswith(("<<<<<<<", ">>>>>>>"))
    ]
    assert (
        done.returncode == 0
    ), f"{done.returncode} conflicts: {conflicts[:SHOWN]} {done.stderr}"
    assert done.stdout == both
