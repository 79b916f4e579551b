"""Parquet files whose rows come article after article, read without reading them whole.

Three files of a run are laid out so: the actor features (in corpus order), the foundation tables
put in order on disk (sorted by ``article_id`` first) and the cleaned texts' scratch file. Each
is read in ranges of whole articles (a task's or a written piece's rows, ending where an article
ends) or article by article, from the row groups holding the rows asked for only:

* :func:`article_starts` — each article and its first row, from the ``article_id`` column read a
  batch at a time (the column of a large corpus is millions of rows);
* :func:`whole_article_ranges` — the rule that cuts a file into ranges of whole articles;
* :func:`whole_article_chunks` — the two together, for a file;
* :func:`read_rows` — a row range of a file (a worker reading its task's rows);
* :class:`ArticleRows` — a file read by article, keeping the row groups it read last.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd

from helpers.run.cache import open_parquet, read_parquet

#: Rows of a file's ``article_id`` column read at a time by :func:`article_starts`.
ID_BATCH_ROWS = 50_000


def article_starts(path: str | os.PathLike[str]) -> Iterator[tuple[Any, int]]:
    """Each article of the Parquet file at ``path`` with the position of its first row, in file
    order, from the file's ``article_id`` column read :data:`ID_BATCH_ROWS` rows at a time. An
    article whose rows are not together raises ValueError."""
    seen: set = set()
    position = 0  # the batch's first row
    previous = None  # the article of the row before the batch
    with open_parquet(path) as file:
        for batch in file.iter_batches(batch_size=ID_BATCH_ROWS, columns=["article_id"]):
            ids = batch.column(0).to_numpy(zero_copy_only=False)
            if not len(ids):
                continue
            changes = np.flatnonzero(np.concatenate([[ids[0] != previous], ids[1:] != ids[:-1]]))
            for at in changes.tolist():  # an article starts at row position + at
                article = ids[at]
                if article in seen:
                    raise ValueError(f"{Path(path).name}: the rows of {article!r} are not together "
                                     f"({article!r} came back after other articles)")
                seen.add(article)
                yield article, position + at
            previous = ids[-1]
            position += len(ids)


def whole_article_ranges(starts: Iterable[int], total: int, rows: int) -> list[tuple[int, int]]:
    """A file of ``total`` rows whose articles start at ``starts`` (increasing) cut into row ranges
    ``(start, stop)`` of whole articles: a range ends at the first article end at or after
    ``rows`` rows (so it has more when one article has more). Every row in one range, in order;
    no range when ``total`` is 0."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for row in starts:  # an article starts here: the one before it ends here
        if row - start >= rows:
            ranges.append((start, row))
            start = row
    if total > start:
        ranges.append((start, total))
    return ranges


def whole_article_chunks(path: str | os.PathLike[str], rows: int) -> list[tuple[int, int]]:
    """The Parquet file at ``path`` cut into ranges of whole articles of about ``rows`` rows
    (:func:`whole_article_ranges`), from its ``article_id`` column alone (:func:`article_starts`)."""
    with open_parquet(path) as file:
        total = file.metadata.num_rows
    return whole_article_ranges((row for _, row in article_starts(path)), total, rows)


def _group_starts(metadata: Any) -> np.ndarray:
    """The first row of each row group of a file (``metadata``: its ``FileMetaData``), then its rows."""
    return np.cumsum([0, *(metadata.row_group(g).num_rows for g in range(metadata.num_row_groups))])


def read_rows(path: str | os.PathLike[str], start: int, stop: int, *,
              columns: list[str] | None = None) -> pd.DataFrame:
    """Rows ``start`` to ``stop`` (excluded) of the Parquet file at ``path`` — ``columns`` of them
    (None: all) — as :func:`helpers.run.cache.read_parquet` gives them, index 0..n-1, reading only
    the row groups that hold them."""
    with open_parquet(path) as file:
        starts = _group_starts(file.metadata)
    if stop <= start:
        return read_parquet(Path(path), columns, empty=True)
    first, last = (int(g) for g in np.searchsorted(starts, [start, stop - 1], side="right") - 1)
    frame = read_parquet(Path(path), columns, row_groups=list(range(first, last + 1)))
    offset = int(starts[first])
    return frame.iloc[start - offset:stop - offset].reset_index(drop=True)


class ArticleRows:
    """The Parquet file at ``path``, its rows article after article, read by article: one pass
    over its ``article_id`` column gives each article's rows (``ranges``: article → ``(start,
    stop)``, in file order; ``rows``: the file's rows); a read takes only the row groups holding
    the rows asked for (the last ones read are kept: consecutive batches of articles share row
    groups). An article whose rows are not together raises ValueError."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        with open_parquet(self.path) as file:
            self._group_starts = _group_starts(file.metadata)
        self.rows = int(self._group_starts[-1])
        starts = list(article_starts(self.path))
        ends = [row for _, row in starts[1:]] + [self.rows]
        self.ranges: dict[Any, tuple[int, int]] = {a: (lo, hi) for (a, lo), hi in zip(starts, ends)}
        self._head = read_parquet(self.path, empty=True)
        self._held: tuple[tuple[int, ...], pd.DataFrame] | None = None

    def take(self, ids: Iterable[Any]) -> pd.DataFrame:
        """The rows of the articles ``ids``, article after article in that order (each article's
        rows in file order); index 0..n-1. An id without rows contributes none."""
        spans = [self.ranges[a] for a in ids if a in self.ranges]
        if not spans:
            return self._head
        return self._rows([np.arange(lo, hi) for lo, hi in spans])

    def chunks(self, rows: int) -> list[tuple[int, int]]:
        """The file's rows cut into ranges of whole articles of about ``rows`` rows
        (:func:`whole_article_ranges`)."""
        return whole_article_ranges((lo for lo, _ in self.ranges.values()), self.rows, rows)

    def read(self, start: int, stop: int) -> pd.DataFrame:
        """Rows ``start`` to ``stop`` (excluded) of the file; index 0..n-1."""
        return self._rows([np.arange(start, stop)]) if stop > start else self._head

    def _rows(self, positions: list[np.ndarray]) -> pd.DataFrame:
        wanted = np.concatenate(positions)
        group_of = np.searchsorted(self._group_starts, wanted, side="right") - 1
        groups = tuple(sorted(set(group_of.tolist())))
        if self._held is None or self._held[0] != groups:
            self._held = None  # the previous groups let go before the next are read
            self._held = (groups, read_parquet(self.path, row_groups=list(groups)))
        frame = self._held[1]
        # a row's place in the groups read: its group's place among them plus its place in the group
        before = np.cumsum([0, *(int(self._group_starts[g + 1] - self._group_starts[g]) for g in groups)])
        at = {g: int(b) for g, b in zip(groups, before)}
        local = wanted - self._group_starts[group_of] + np.array([at[g] for g in group_of.tolist()], dtype=np.int64)
        return frame.take(local).reset_index(drop=True)
