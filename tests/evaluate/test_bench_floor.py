"""The benchmark's sampled floor: a share of the articles, extended to all the words."""

import math

import pandas as pd
import pytest

from helpers.evaluate.bench import (extrapolated_floor_seconds, floor_sample_ids, scaled_floor_seconds,
                                    steady_seconds_per_word)


@pytest.mark.parametrize("sample_seconds, startup, sample_words, words, expected", [
    (60.0, 10.0, 1_000, 10_000, 10.0 + 50.0 * 10),   # start-up once, the rest per word
    (60.0, 0.0, 1_000, 1_000, 60.0),                 # the whole corpus: the measurement itself
    (5.0, 10.0, 1_000, 10_000, 5.0),                 # a start-up longer than the sample: all of it fixed
])
def test_scaled_floor_counts_the_startup_once(sample_seconds, startup, sample_words, words, expected):
    assert scaled_floor_seconds(sample_seconds, startup, sample_words, words) == pytest.approx(expected)


def test_scaled_floor_of_no_words_is_not_a_number():
    assert math.isnan(scaled_floor_seconds(1.0, 0.5, 0, 100))


@pytest.mark.parametrize("share, n", [(0.1, 10), (0.001, 1), (1.0, 100), (2.0, 100)])
def test_floor_sample_is_seeded_and_ordered(share, n):
    articles = pd.DataFrame({"article_id": range(99, -1, -1)})
    ids = floor_sample_ids(articles, share)
    assert len(ids) == n
    assert ids.is_monotonic_increasing
    assert ids.tolist() == floor_sample_ids(articles, share).tolist()
    assert set(ids) <= set(articles["article_id"])


def test_floor_sample_of_no_articles_is_empty():
    assert floor_sample_ids(pd.DataFrame({"article_id": []}), 0.1).empty


def test_steady_rate_leaves_out_the_warm_up_and_the_last_batch():
    """Texts of 100 words each at 0.01 s per word, after a 5 s warm-up, the last ones waiting 3 s
    more: the slope between 10 % and 90 % of the words is the steady 0.01 s per word."""
    words = [100] * 100
    finished = [5.0 + 0.01 * 100 * (i + 1) for i in range(100)]
    finished[-5:] = [t + 3.0 for t in finished[-5:]]
    assert steady_seconds_per_word(words, finished) == pytest.approx(0.01)


def test_steady_rate_of_batched_arrivals_is_the_batches_rate():
    """Docs come back a batch at a time (the same finish time for a batch's texts)."""
    words = [50] * 640
    finished = [2.0 + 1.6 * (i // 64 + 1) for i in range(640)]  # 64 texts × 50 words per 1.6 s
    assert steady_seconds_per_word(words, finished) == pytest.approx(1.6 / (64 * 50), rel=0.05)


@pytest.mark.parametrize("words, finished", [([], []), ([10], [1.0]), ([0, 0], [1.0, 2.0]), ([5, 5], [1.0])])
def test_steady_rate_without_two_points_is_not_a_number(words, finished):
    assert math.isnan(steady_seconds_per_word(words, finished))


@pytest.mark.parametrize("sample_seconds, per_word, sample_words, words, expected", [
    (60.0, 0.01, 1_000, 10_000, 60.0 + 9_000 * 0.01),  # the sample as measured, the rest at the steady rate
    (60.0, 0.01, 1_000, 1_000, 60.0),                   # the whole corpus: the measurement itself
])
def test_extrapolated_floor_adds_the_other_words_at_the_steady_rate(sample_seconds, per_word, sample_words, words,
                                                                     expected):
    assert extrapolated_floor_seconds(sample_seconds, per_word, sample_words, words) == pytest.approx(expected)


@pytest.mark.parametrize("per_word, sample_words", [(float("nan"), 1_000), (0.01, 0)])
def test_extrapolated_floor_without_a_rate_or_words_is_not_a_number(per_word, sample_words):
    assert math.isnan(extrapolated_floor_seconds(1.0, per_word, sample_words, 100))
