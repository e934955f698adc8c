"""Every hostile input: exit 2, exactly one located error, no traceback, the output untouched."""

import pytest
from conftest import run_cli

from hostile.cases import CASES, SENTINEL, prepare
from hostile.cases_hardening import HARDENING_CASES

ALL_CASES = CASES + HARDENING_CASES


def test_the_corpus_is_large_and_its_ids_unique():
    ids = [case.id for case in ALL_CASES]
    assert len(ids) >= 40 and len(set(ids)) == len(ids)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda case: case.id)
def test_hostile_input_fails_cleanly(case, tmp_path):
    project = prepare(case, tmp_path)
    inputs_before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    code, out, err = run_cli(case.args, cwd=project)
    assert code == 2, err
    assert out == "" and "Traceback" not in err and "internal error" not in err
    errors = [line for line in err.splitlines() if ": error: " in line]
    assert len(errors) == 1, err
    location, message = errors[0].split(": error: ", 1)
    assert location == case.where, errors[0]
    for fragment in case.expect:
        assert fragment in message, errors[0]
    # nothing was written, renamed or left behind: every file is byte-identical
    assert {
        p: p.read_bytes() for p in project.rglob("*") if p.is_file()
    } == inputs_before
    assert (project / "pipeline_gen.py").read_text() == SENTINEL
