"""One outcome per module, and the exit code of several: the worst one's."""

from cursus_codegen.outcome import Outcome, exit_code


def test_the_exit_code_of_several_modules_is_the_worst():
    assert exit_code([]) == 0
    assert exit_code([Outcome.CURRENT, Outcome.WRITTEN, Outcome.UNCHANGED]) == 0
    assert exit_code([Outcome.CURRENT, Outcome.STALE]) == 1
    assert exit_code([Outcome.MISSING, Outcome.FAILED, Outcome.CURRENT]) == 2


def test_a_diff_goes_to_stdout_and_messages_to_stderr():
    assert {o for o in Outcome if o.stream == "stdout"} == {
        Outcome.STALE,
        Outcome.MISSING,
    }
    assert {o for o in Outcome if o.differs} == {Outcome.STALE, Outcome.MISSING}


def test_check_through_the_api_tells_missing_from_stale(tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    import cursus_codegen

    example = Path(__file__).resolve().parents[1] / "generated_examples" / "xgboost_e2e"
    for name in ("dag.py", "cfg.json"):
        shutil.copy(example / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    missing = cursus_codegen.check("dag.py", "cfg.json", "gen.py")
    assert (missing.current, missing.missing) == (False, True)
    assert cursus_codegen.generate("dag.py", "cfg.json", output="gen.py").ok
    current = cursus_codegen.check("dag.py", "cfg.json", "gen.py")
    assert (current.current, current.missing, current.diff) == (True, False, "")
    (tmp_path / "gen.py").write_text("# edited\n")
    stale = cursus_codegen.check("dag.py", "cfg.json", "gen.py")
    assert (stale.current, stale.missing) == (False, False)
    assert "-# edited" in stale.diff
