"""Parquet files whose rows come article after article, read in ranges of whole articles or by
article (:mod:`helpers.run.article_rows`): the actor features, the foundation tables put in order
on disk, the cleaned texts' scratch file."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.run import article_rows
from helpers.run.article_rows import ArticleRows, article_starts, read_rows, whole_article_chunks, whole_article_ranges

SIZES = [("a", 3), ("b", 1), ("c", 5), ("d", 2), ("e", 1), ("f", 4)]


def _file(path: Path, sizes: list[tuple[str, int]], *, row_group_size: int | None = None) -> pd.DataFrame:
    """A file of each article's rows one after the other (``sent_id`` counts them, ``text`` names
    the row, missing in every third)."""
    ids = [a for a, n in sizes for _ in range(n)]
    sents = [s for _, n in sizes for s in range(n)]
    frame = pd.DataFrame({"article_id": ids, "sent_id": sents,
                          "text": [None if i % 3 == 2 else f"{a}/{s}" for i, (a, s) in enumerate(zip(ids, sents))]})
    frame.to_parquet(path, index=False, row_group_size=row_group_size)
    return frame


@pytest.mark.parametrize("batch_rows", [1, 3, 1000])
@pytest.mark.parametrize("row_group_size", [None, 2])
def test_each_article_starts_where_its_first_row_is_whatever_the_batches(tmp_path, monkeypatch, batch_rows,
                                                                          row_group_size):
    monkeypatch.setattr(article_rows, "ID_BATCH_ROWS", batch_rows)
    _file(tmp_path / "f.parquet", SIZES, row_group_size=row_group_size)
    firsts = np.cumsum([0, *(n for _, n in SIZES)])[:-1].tolist()
    assert list(article_starts(tmp_path / "f.parquet")) == list(zip([a for a, _ in SIZES], firsts))


@pytest.mark.parametrize("batch_rows", [1, 2, 1000])
def test_an_article_that_comes_back_is_refused_naming_it(tmp_path, monkeypatch, batch_rows):
    monkeypatch.setattr(article_rows, "ID_BATCH_ROWS", batch_rows)
    _file(tmp_path / "apart.parquet", [("a", 2), ("b", 1), ("a", 1)])
    for read in (lambda p: list(article_starts(p)), lambda p: whole_article_chunks(p, 1), ArticleRows):
        with pytest.raises(ValueError, match=r"apart\.parquet: the rows of 'a' are not together"):
            read(tmp_path / "apart.parquet")


@pytest.mark.parametrize("batch_rows", [1, 3, 1000])
@pytest.mark.parametrize("rows", [1, 4, 7, 100])
def test_chunks_are_whole_articles_cut_once_enough_rows_are_held(tmp_path, monkeypatch, batch_rows, rows):
    """Every row once, whole articles, each chunk ended at the first article end at or after
    ``rows`` rows — whatever the batches the ids are read in; the file read by article cuts the same."""
    monkeypatch.setattr(article_rows, "ID_BATCH_ROWS", batch_rows)
    frame = _file(tmp_path / "f.parquet", SIZES)
    chunks = whole_article_chunks(tmp_path / "f.parquet", rows)
    assert chunks[0][0] == 0 and chunks[-1][1] == len(frame)
    assert all(stop == start for (_, stop), (start, _) in zip(chunks, chunks[1:]))
    ends = set(np.cumsum([n for _, n in SIZES]).tolist())
    for start, stop in chunks:
        assert stop in ends  # whole articles
        # no article end before ``stop`` (and after ``start``) already held ``rows`` rows
        assert all(end - start < rows for end in ends if start < end < stop)
    for start, stop in chunks[:-1]:
        assert stop - start >= rows
    assert ArticleRows(tmp_path / "f.parquet").chunks(rows) == chunks


@pytest.mark.parametrize("starts, total, rows, expected", [
    ([], 0, 5, []),                                   # no rows: no range
    ([0], 4, 1, [(0, 4)]),                            # one article larger than asked: not cut
    ([0, 1, 2, 3], 4, 1, [(0, 1), (1, 2), (2, 3), (3, 4)]),
    ([0, 1, 2, 3], 4, 2, [(0, 2), (2, 4)]),
    ([0, 1, 2, 3], 4, 100, [(0, 4)]),
    ([0, 3, 4, 9], 11, 4, [(0, 4), (4, 9), (9, 11)]),
])
def test_the_cutting_rule(starts, total, rows, expected):
    assert whole_article_ranges(starts, total, rows) == expected


@pytest.mark.parametrize("row_group_size", [None, 1, 3])
@pytest.mark.parametrize("start, stop", [(0, 16), (0, 3), (3, 4), (4, 9), (9, 16), (15, 16), (5, 5)])
def test_a_row_range_is_that_slice_of_the_file(tmp_path, row_group_size, start, stop):
    frame = _file(tmp_path / "f.parquet", SIZES, row_group_size=row_group_size)
    expected = frame.iloc[start:stop].reset_index(drop=True)
    got = read_rows(tmp_path / "f.parquet", start, stop)
    pd.testing.assert_frame_equal(got, expected, check_index_type=start < stop)
    pd.testing.assert_frame_equal(read_rows(tmp_path / "f.parquet", start, stop, columns=["sent_id"]),
                                  expected[["sent_id"]], check_index_type=start < stop)


def test_an_empty_file(tmp_path):
    _file(tmp_path / "empty.parquet", [])
    assert list(article_starts(tmp_path / "empty.parquet")) == []
    assert whole_article_chunks(tmp_path / "empty.parquet", 10) == []
    rows = ArticleRows(tmp_path / "empty.parquet")
    assert rows.rows == 0 and rows.ranges == {} and rows.chunks(3) == []
    assert rows.take(["a"]).empty and list(rows.read(0, 0).columns) == ["article_id", "sent_id", "text"]


def _sorted_by_article(tmp_path: Path, rows_per_group: int) -> tuple[Path, pd.DataFrame]:
    frame = pd.DataFrame({"article_id": list("aaabccddddf"), "start": [0, 5, 9, 0, 0, 4, 0, 1, 2, 3, 0],
                          "text": ["x", None, "y", "z", "p", "q", "r", "s", "t", "u", "v"]})
    path = tmp_path / "sorted.parquet"
    frame.to_parquet(path, index=False, row_group_size=rows_per_group)
    return path, frame


@pytest.mark.parametrize("rows_per_group", [1, 2, 4, 100])
def test_an_ordered_files_rows_are_read_by_article_from_the_row_groups_holding_them(tmp_path, rows_per_group):
    """Rows of whole articles, in the order asked for (an id without rows gives none), from any
    row groups; ranges cut on article edges; a range read as it lies in the file."""
    path, frame = _sorted_by_article(tmp_path, rows_per_group)
    rows = ArticleRows(path)
    assert rows.rows == 11 and rows.ranges["d"] == (6, 10) and list(rows.ranges) == list("abcdf")
    got = rows.take(["d", "zz", "a", "f"])
    expected = pd.concat([frame[frame["article_id"] == a] for a in "daf"], ignore_index=True)
    pd.testing.assert_frame_equal(got, expected)
    assert rows.take(["zz"]).empty and list(rows.take([]).columns) == ["article_id", "start", "text"]
    assert rows.take(["b"]).equals(rows.take(["b"]))  # the groups kept from the last read
    chunks = rows.chunks(3)
    assert chunks == [(0, 3), (3, 6), (6, 10), (10, 11)]  # "d" (four rows) is not cut
    assert [frame["article_id"].iloc[lo] != frame["article_id"].iloc[lo - 1] for lo, _ in chunks[1:]] == [True] * 3
    pd.testing.assert_frame_equal(rows.read(4, 9), frame.iloc[4:9].reset_index(drop=True))
    pd.testing.assert_frame_equal(rows.read(4, 9), read_rows(path, 4, 9))
    assert rows.chunks(100) == [(0, 11)]
