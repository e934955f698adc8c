"""Name similarity between a dependency name and an output name.

Reproduces the arithmetic of cursus v2.9.32 `core/deps/semantic_matcher.py::SemanticMatcher`
(our own code; the word lists and weights are transcribed facts). Dependency wiring compares
scores with a strict `> 0.5`, so every operation below keeps cursus's order of floating-point
operations.

similarity(a, b) on the normalised names n1, n2:
    1.0 if n1 == n2, else
    0.3 * SequenceMatcher(n1, n2).ratio() + 0.25 * jaccard(tokens) + 0.25 * synonym_score
    + 0.2 * substring_score           (summed left to right, starting from 0)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

# Words that share a concept; a token pair in one group scores 0.8 (identical tokens score 1).
SYNONYM_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"model", "artifact", "trained", "output"}),
    frozenset({"data", "dataset", "input", "processed", "training"}),
    frozenset(
        {
            "config",
            "configuration",
            "params",
            "parameters",
            "hyperparameters",
            "settings",
        }
    ),
    frozenset({"payload", "sample", "test", "inference", "example"}),
    frozenset({"output", "result", "artifact", "generated", "produced"}),
    frozenset({"training", "train", "fit", "learn"}),
    frozenset({"preprocessing", "preprocess", "processed", "clean", "transform"}),
)

# Whole-word expansions applied during normalisation (before stop words are dropped).
ABBREVIATIONS: dict[str, str] = {
    "config": "configuration",
    "params": "parameters",
    "hyperparams": "hyperparameters",
    "preprocess": "preprocessing",
    "eval": "evaluation",
    "reg": "registration",
    "pkg": "package",
    "packaged": "package",
}

STOP_WORDS: frozenset[str] = frozenset(
    {
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "in",
        "on",
        "at",
        "to",
        "for",
        "of",
        "with",
        "by",
    }
)

_SEPARATORS = re.compile(r"[_\-\.]")
# \s: any (unicode) whitespace survives, as in cursus
_NOT_WORD = re.compile(r"[^a-z0-9\s]")


def normalize_name(name: str) -> str:
    """Lower-case, separators to spaces, drop other symbols, expand abbreviations, drop stop words."""
    text = _NOT_WORD.sub("", _SEPARATORS.sub(" ", name.lower()))
    words = (ABBREVIATIONS.get(word, word) for word in text.split())
    return " ".join(word for word in words if word not in STOP_WORDS)


def _unique_tokens(normalized: str) -> list[str]:
    """The name's distinct words in first-occurrence order (cursus uses a set)."""
    return list(dict.fromkeys(normalized.split()))


def string_similarity(n1: str, n2: str) -> float:
    return SequenceMatcher(None, n1, n2).ratio()


def token_similarity(n1: str, n2: str) -> float:
    """Jaccard index of the two word sets."""
    tokens1, tokens2 = set(n1.split()), set(n2.split())
    if not tokens1 or not tokens2:
        return 0.0
    return len(tokens1 & tokens2) / len(tokens1 | tokens2)


def are_synonyms(word1: str, word2: str) -> bool:
    return any(word1 in group and word2 in group for group in SYNONYM_GROUPS)


def synonym_similarity(n1: str, n2: str) -> float:
    """Mean over all word pairs of 1 (same word), 0.8 (synonyms) or 0.

    cursus iterates Python sets here, so its summation order follows string hashes and can
    differ between processes in the last bit; we sum in first-occurrence order so our result
    is deterministic (it equals cursus's whenever the order does not change the rounding).
    """
    tokens1, tokens2 = _unique_tokens(n1), _unique_tokens(n2)
    matches = 0.0
    comparisons = 0
    for token1 in tokens1:
        for token2 in tokens2:
            comparisons += 1
            if token1 == token2:
                matches += 1
            elif are_synonyms(token1, token2):
                matches += 0.8
    return matches / comparisons if comparisons else 0.0


def substring_similarity(n1: str, n2: str) -> float:
    """Length ratio when one name contains the other, else the best such ratio over word pairs
    whose words both have at least 3 characters."""
    if n1 in n2 or n2 in n1:
        return min(len(n1), len(n2)) / max(len(n1), len(n2))
    best = 0.0
    for word1 in n1.split():
        for word2 in n2.split():
            if (
                len(word1) >= 3
                and len(word2) >= 3
                and (word1 in word2 or word2 in word1)
            ):
                best = max(
                    best, min(len(word1), len(word2)) / max(len(word1), len(word2))
                )
    return best


# pure function of two names; large DAGs repeat the same pairs
@lru_cache(maxsize=65536)
def name_similarity(name1: str, name2: str) -> float:
    """Similarity in [0, 1] of two logical names (cursus `calculate_similarity`)."""
    if not name1 or not name2:
        return 0.0
    n1, n2 = normalize_name(name1), normalize_name(name2)
    if n1 == n2:
        return 1.0
    total = 0.0  # same left-to-right order as cursus's sum() over its weighted parts
    total += string_similarity(n1, n2) * 0.3
    total += token_similarity(n1, n2) * 0.25
    total += synonym_similarity(n1, n2) * 0.25
    total += substring_similarity(n1, n2) * 0.2
    return total


def best_name_similarity(name: str, logical_name: str, aliases: Sequence[str]) -> float:
    """Highest similarity of `name` to an output's logical name or any of its aliases."""
    best = name_similarity(name, logical_name)
    for alias in aliases:
        best = max(best, name_similarity(name, alias))
    return best
