"""Name similarity (cursus SemanticMatcher arithmetic).

Each expected value is written as the formula worked by hand
(0.3 * SequenceMatcher ratio + 0.25 * Jaccard + 0.25 * synonym score + 0.2 * substring score);
the literal floats were also obtained from cursus v2.9.32's own matcher and agree to the last bit.
"""

import pytest

from cursus_codegen.plan.semantic import (
    best_name_similarity,
    normalize_name,
    substring_similarity,
    synonym_similarity,
)
from cursus_codegen.plan.semantic import name_similarity as sim


def test_normalisation_expands_abbreviations_and_drops_stop_words():
    assert normalize_name("Eval_Output") == "evaluation output"
    assert (
        normalize_name("hyperparams-of.the_config") == "hyperparameters configuration"
    )
    assert (
        normalize_name("the/config") == "theconfig"
    )  # other symbols vanish without a space
    assert normalize_name("PackagedModel") == "packagedmodel"  # camel case is not split
    assert normalize_name("packaged_model") == "package model"


def test_names_equal_after_normalisation_score_one():
    assert sim("hyperparams", "hyperparameters") == 1.0
    assert sim("eval_output", "evaluation_output") == 1.0
    assert sim("the_model", "model") == 1.0
    assert sim("input_path", "input_path") == 1.0


def test_empty_name_scores_zero():
    assert sim("", "x") == 0.0
    assert sim("model", "") == 0.0


def test_contained_name():
    # "data secondary" vs "data": 4 of 18 characters match twice; Jaccard 1/2; token pairs
    # (data, data)=1 and (secondary, data)=0 -> 1/2; "data" is 4/14 of the longer name.
    expected = 0.3 * (8 / 18) + 0.25 * (1 / 2) + 0.25 * (1 / 2) + 0.2 * (4 / 14)
    assert sim("DATA_SECONDARY", "DATA") == pytest.approx(expected, abs=1e-15)
    assert sim("DATA_SECONDARY", "DATA") == 0.44047619047619047


def test_word_inside_word():
    # "data secondary" vs "metadata": the longest common block is "data" (ratio 8/22), no shared
    # token or synonym; the word "data" is half of the word "metadata".
    expected = 0.3 * (8 / 22) + 0.2 * (4 / 8)
    assert sim("DATA_SECONDARY", "METADATA") == pytest.approx(expected, abs=1e-15)
    assert sim("DATA_SECONDARY", "METADATA") == 0.2090909090909091


def test_synonyms_only():
    # "training data" vs "input": matching blocks "in" and "t" (ratio 6/18); both words are in
    # the data synonym group with "input" -> (0.8 + 0.8) / 2.
    expected = 0.3 * (6 / 18) + 0.25 * 0.8
    assert sim("training_data", "input") == pytest.approx(expected, abs=1e-15)
    assert sim("training_data", "input") == 0.3
    assert synonym_similarity("training data", "input") == 0.8


def test_shared_word_plus_synonym():
    # "model output" vs "model artifacts": blocks "model " + "t" + "t" (16/27); Jaccard 1/3;
    # pairs model/model=1, output/model=0.8 (model group), others 0 -> 1.8/4; "model" == "model".
    expected = 0.3 * (16 / 27) + 0.25 * (1 / 3) + 0.25 * (1.8 / 4) + 0.2 * 1.0
    assert sim("model_output", "model_artifacts") == pytest.approx(expected, abs=1e-15)
    assert sim("model_output", "model_artifacts") == 0.5736111111111111


def test_camel_case_name_against_snake_case():
    # "packagedmodel" vs "package model": blocks "package" + "model" (24/26); the word
    # "packagedmodel" contains "package" (7/13).
    expected = 0.3 * (24 / 26) + 0.2 * (7 / 13)
    assert sim("PackagedModel", "packaged_model") == pytest.approx(expected, abs=1e-15)
    assert sim("PackagedModel", "packaged_model") == 0.38461538461538464


def test_short_words_do_not_count_as_substrings():
    assert substring_similarity("ab cd", "abx cdx") == 0.0
    assert substring_similarity("abc", "xabcx") == 3 / 5


def test_alias_similarity_takes_the_best_name():
    aliases = ("input_data", "training_data", "processed_data")
    assert best_name_similarity("processed_data", "DATA", aliases) == 1.0
    # no alias: the logical name's own score (worked out in test_contained_name)
    assert best_name_similarity("DATA_SECONDARY", "DATA", ()) == 0.44047619047619047
    # "data" vs "metadata": ratio 8/12, no shared token or synonym, "data" is 4/8 of "metadata"
    # -> 0.3 * (8/12) + 0.2 * (4/8) = 0.3; "data" vs the alias "input data": ratio 8/14, Jaccard
    # 1/2, pairs (data, input)=0.8 and (data, data)=1 -> 1.8/2, "data" is 4/10 of the name. The
    # alias scores higher, so it is the answer.
    expected = 0.3 * (8 / 14) + 0.25 * (1 / 2) + 0.25 * (1.8 / 2) + 0.2 * (4 / 10)
    assert best_name_similarity("DATA", "METADATA", ("input_data",)) == pytest.approx(
        expected, abs=1e-15
    )
    assert (
        best_name_similarity("DATA", "METADATA", ("input_data",)) == 0.6014285714285714
    )
    logical_only = 0.3 * (8 / 12) + 0.2 * (4 / 8)
    assert best_name_similarity("DATA", "METADATA", ()) == pytest.approx(
        logical_only, abs=1e-15
    )
    assert sim("DATA", "input_data") == 0.6014285714285714
