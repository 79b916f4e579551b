"""The benchmark's sampled floor: a share of the articles, scaled to all the words."""

import math

import pandas as pd
import pytest

from helpers.evaluate.bench import floor_sample_ids, scaled_floor_seconds


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
