"""helpers.text: word normalizing and word counts."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.text import count_words, normalize_word, tokenize, whitespace_word_counts



def test_normalisation_maps_spelling_and_punctuation():
    assert normalize_word("Defence") == normalize_word("defense") == "defense"
    assert normalize_word("favour") == normalize_word("favor")
    assert normalize_word("organised") == normalize_word("organized")
    assert normalize_word("U.S.") == normalize_word("US") == "us"
    words, starts, ends = tokenize("Pakistan’s U.S. ties, re-set.")
    assert words == ["pakistans", "us", "ties", "re", "set"]
    assert starts[1] == 11 and ends[1] == 15


@pytest.mark.parametrize("texts, expected", [
    ([], []),
    (["", "   ", "one"], [0, 0, 1]),
    (["two  words", "tab\tand\nnewline", "no\u00a0break\u2009thin"], [2, 3, 3]),
    ([None, "a b c"], [0, 3]),
])
def test_whitespace_word_counts_match_str_split(texts, expected):
    for dtype in (object, "str"):
        counts = whitespace_word_counts(pd.Series(texts, dtype=dtype))
        assert counts.dtype == "float64"
        assert counts.tolist() == expected


@given(st.lists(st.text(max_size=40), max_size=20))
@settings(max_examples=60, deadline=None)
def test_whitespace_word_counts_equal_the_vectorised_split(texts):
    series = pd.Series(texts, dtype="str")
    assert whitespace_word_counts(series).tolist() == series.str.split().str.len().astype(float).tolist()


@pytest.mark.parametrize("text, words", [("", 0), ("One two three.", 3), ("Pakistan’s army-chief said", 3),
                                         ("U.S. – Pakistan", 3)])
def test_count_words(text, words):
    assert count_words(text) == words
