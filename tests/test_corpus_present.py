"""The conformance corpus is part of the suite: CI runs with ../shared/corpus beside the
checkout, and the tests that read it mark themselves `skipif` only so that a developer without
it still runs the rest. This test makes that absence a failure, so no corpus check is ever
skipped silently in a run that counts."""

from conftest import CORPUS


def test_the_shared_corpus_is_present():
    assert (CORPUS / "dags").is_dir() and (
        CORPUS / "configs"
    ).is_dir(), f"{CORPUS} is missing: the corpus tests would skip; run the suite with ../shared beside the checkout"
    assert len(list((CORPUS / "dags").glob("*/*.dag.json"))) >= 40
