"""How a per-article stage cuts its articles into tasks: whole batches, then small ones at the end."""

import pytest

from helpers.run.engine import TAIL_BATCHES, TAIL_SPLIT, article_batches


@pytest.mark.parametrize("n, batch_size, slots", [
    (0, 200, 2), (1, 200, 2), (199, 200, 2), (800, 200, 2), (801, 200, 2), (5_000, 200, 2),
    (5_003, 200, 4), (7, 3, 2), (10, 1, 2), (1_000, 200, 1),
])
def test_batches_keep_every_position_once_in_order(n, batch_size, slots):
    batches = article_batches(list(range(n)), batch_size, slots=slots)
    assert [p for batch in batches for p in batch] == list(range(n))
    assert all(batch for batch in batches)
    assert all(len(batch) <= batch_size for batch in batches)


def test_one_worker_gets_plain_batches():
    assert [len(b) for b in article_batches(list(range(450)), 200, slots=1)] == [200, 200, 50]


def test_the_last_batches_are_cut_small_with_several_workers():
    sizes = [len(b) for b in article_batches(list(range(5_000)), 200, slots=2)]
    tail = TAIL_BATCHES * 2 * 200
    small = 200 // TAIL_SPLIT
    assert sizes[:(5_000 - tail) // 200] == [200] * ((5_000 - tail) // 200)
    assert sizes[(5_000 - tail) // 200:] == [small] * (tail // small)


def test_a_head_that_is_not_whole_batches_does_not_reach_into_the_tail():
    sizes = [len(b) for b in article_batches(list(range(950)), 200, slots=2)]
    assert sizes == [150] + [50] * 16
