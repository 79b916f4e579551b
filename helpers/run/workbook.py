"""What a notebook calls first: its tables and where its figures go.

Notebooks receive plain literals as parameters (papermill); this module turns them into the
foundation's tables — read from ``tables_dir`` when the runner already wrote them, otherwise
computed from the corpus, so each notebook also runs on its own in JupyterLab.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import pandas as pd

from helpers.run import pipeline
from helpers.run.tables import parquet_rows
from helpers.run.paths import default_scratch_dir


class TableReader:
    """One table a notebook reads part of: some of its columns, or the rows whose ``column`` is
    among some values, never the whole table unless asked for (:meth:`whole`). Backed by a
    runner's Parquet file (each read goes to the file: only the columns asked for, or the rows
    filtered batch by batch, :func:`helpers.run.pipeline.read_rows_of`) or by a DataFrame already
    in memory (a table computed in the notebook, or one event's rows); both give the same rows,
    columns and dtypes as filtering the whole table.

    Use it for the tables that grow fastest with the corpus, whose charts show a few of their
    rows: the coverage matrix has millions of rows on a corpus of tens of thousands of articles.
    """

    def __init__(self, source: pd.DataFrame | str | Path) -> None:
        self._frame = source if isinstance(source, pd.DataFrame) else None
        self._path = None if isinstance(source, pd.DataFrame) else Path(source)

    def __repr__(self) -> str:
        return f"TableReader({self._path or f'{len(self._frame):,} rows in memory'})"

    def columns(self, *names: str) -> pd.DataFrame:
        """Every row, only the columns ``names``."""
        if self._frame is not None:
            return self._frame[list(names)].reset_index(drop=True)
        return pd.read_parquet(self._path, columns=list(names))

    def rows(self, column: str, values: Collection[str]) -> pd.DataFrame:
        """Every column, only the rows whose ``column`` is among ``values`` (missing values among
        them match nothing), in table order."""
        wanted = {v for v in values if not pd.isna(v)}
        if self._frame is not None:
            return self._frame[self._frame[column].isin(wanted)].reset_index(drop=True)
        return pipeline.read_rows_of(self._path, sorted(wanted), column=column)

    def rows_at(self, at: pd.DataFrame, *, column: str = "article_id") -> pd.DataFrame:
        """Every column, only the rows whose (``column``, other column of ``at``) values are one of
        ``at``'s rows — e.g. ``at`` of ``article_id, sent_id``: those sentences — in table order,
        index 0..n-1 (:func:`helpers.run.pipeline.read_rows_of`, :func:`~helpers.run.pipeline.rows_at`)."""
        if self._frame is not None:
            return pipeline.rows_at(self._frame, at, column=column).reset_index(drop=True)
        ids = sorted({str(v) for v in at[column] if not pd.isna(v)})
        return pipeline.read_rows_of(self._path, ids, column=column, at=at)

    def first_rows(self, by: list[str], n: int, *, within: str = "article_id") -> pd.DataFrame:
        """Every column of the first ``n`` rows in the order of ``by`` (a stable sort: rows that
        tie stay in table order), index 0..n-1 — what sorting the whole table gives, without
        reading a wide column (a sentence's text) of rows not among them: the ``by`` columns and
        ``within`` (an id column) are read first, then the chosen rows' ``within`` values'
        rows, and the chosen rows picked from those by their position in the table."""
        import numpy as np

        keys = self.columns(*dict.fromkeys([*by, within]))
        chosen = keys.sort_values(by, kind="stable").head(max(0, n)).index.to_numpy()
        ids = keys[within].iloc[chosen]
        if ids.isna().any():  # a row without an id cannot be read by its id: sort the whole table
            return self.whole().take(chosen).reset_index(drop=True)
        # rows() gives the rows of these ids in table order: the k-th is the table's k-th row among them
        held = np.flatnonzero(keys[within].isin(set(ids)).to_numpy())
        rows = self.rows(within, ids)
        if len(rows) != len(held):
            raise RuntimeError(f"the table changed while it was read ({len(held)} rows expected, {len(rows)} read)")
        return rows.take(np.searchsorted(held, chosen)).reset_index(drop=True)

    def n_rows(self) -> int:
        """The table's rows, counted without reading them (a file's footer)."""
        return len(self._frame) if self._frame is not None else parquet_rows(self._path)

    def whole(self) -> pd.DataFrame:
        """The whole table."""
        return self._frame if self._frame is not None else pd.read_parquet(self._path)


def open_tables(*, corpus: str = "", metadata: str = "", tables_dir: str = "", event: str = "",
                sample: int = 0, seed: int = 0, codebook: str = "",
                fact_threshold: float = 0.35, cache: bool = True,
                names: tuple[str, ...] | None = None,
                readers: tuple[str, ...] = (),
                columns: Mapping[str, Sequence[str]] | None = None) -> dict[str, pd.DataFrame | TableReader]:
    """All the workbook's tables for one notebook: the foundation's (:func:`helpers.run.pipeline.build_tables`)
    and the analyses' (:func:`helpers.run.pipeline.analyse`, with ``codebook`` for the frames and
    ``fact_threshold`` for grouping sentences into facts).

    ``tables_dir`` (written by the runner) wins when it holds the tables; ``event`` keeps one
    event's articles in every table keyed by ``article_id``; ``sample`` 0 means all articles.
    Computed tables come from :func:`helpers.run.pipeline.compute` with a progress bar and the
    project's per-article cache (``cache=False``: none), as the runner computes them.

    ``names`` are the tables the notebook shows (``None``: all); a name without its Parquet file
    in ``tables_dir`` is left out, as reading every table leaves it out (01 asks for
    ``stage_failures`` with ``tables.get``). From
    ``tables_dir`` only those are read, and with ``event`` only that event's rows
    (:func:`helpers.run.pipeline.read_tables`), so a notebook never holds the other tables or
    events; computed tables are all computed, then only ``names`` kept.

    ``readers``: tables (among ``names``) given as a :class:`TableReader` instead of a DataFrame,
    for a notebook that shows a few of their rows: from ``tables_dir`` without ``event`` nothing
    of them is read until the notebook asks for some columns or rows; otherwise the reader holds
    the table (or the event's rows) already in memory.

    ``columns``: for the tables it names (not readers), only those columns, in that order — the
    same rows (:func:`helpers.run.pipeline.read_tables`); e.g. the articles without their text.
    """
    if isinstance(names, str) or isinstance(readers, str):
        raise TypeError("names and readers are tuples of table names, not one name")
    columns = dict(columns or {})
    if set(columns) & set(readers):
        raise ValueError(f"columns are chosen by a reader's own calls, not here: {sorted(set(columns) & set(readers))}")
    if tables_dir and (Path(tables_dir) / "articles.parquet").is_file():
        folder = Path(tables_dir)
        if names is None:
            return _as_readers(pipeline.read_tables(tables_dir, event=event, columns=columns), readers)
        present = tuple(n for n in names if (folder / f"{n}.parquet").is_file())
        lazy = () if event else tuple(n for n in present if n in readers)
        # read_tables reads every table for no names; here none of those asked for was written
        read = tuple(n for n in present if n not in lazy)
        tables = _as_readers(pipeline.read_tables(tables_dir, read, event=event, columns=columns) if read else {},
                             readers)
        return {n: tables[n] if n in tables else TableReader(folder / f"{n}.parquet") for n in present}
    from helpers.run.report import default_cache_dir

    tables = pipeline.compute(corpus or None, metadata=metadata or None, sample=sample or None, seed=seed,
                              event=event, codebook=codebook, fact_threshold=fact_threshold,
                              cache_dir=default_cache_dir() if cache else None, progress=True)
    if event:
        tables = select_event(tables, event)
    kept = tables if names is None else {n: tables[n] for n in names if n in tables}
    return _as_readers({n: frame[list(columns[n])] if n in columns else frame for n, frame in kept.items()}, readers)


def _as_readers(tables: dict[str, pd.DataFrame], readers: tuple[str, ...]) -> dict[str, pd.DataFrame | TableReader]:
    """``tables`` with each table named in ``readers`` wrapped in a :class:`TableReader`."""
    return {n: TableReader(frame) if n in readers else frame for n, frame in tables.items()}


def select_event(tables: dict[str, pd.DataFrame], event: str) -> dict[str, pd.DataFrame]:
    """Keep only the rows of ``event``'s articles: of every table keyed by ``article_id``, and of
    the event-local tables without it (``reuse_pairs`` by their first article, ``coverage_matrix``
    by the event's facts; :func:`helpers.run.pipeline.event_filter`). The load report and the
    corpus-wide tables are kept whole."""
    keep = pipeline.event_ids(tables["articles"], event)

    def fact_ids() -> set[str] | None:
        facts = tables.get("facts")
        return None if facts is None else set(facts.loc[facts["article_id"].isin(keep), "fact_id"])

    out = {}
    for name, frame in tables.items():
        column, values = pipeline.event_filter(name, frame.columns, keep, fact_ids)
        out[name] = frame[frame[column].isin(values)].reset_index(drop=True) if column else frame
    return out


def figures_folder(figures_dir: str, corpus: str) -> str:
    """Where a notebook saves its charts: ``figures_dir`` (the runner passes its report's), else
    ``reports/.scratch/<corpus name>/figures`` — a notebook run by hand or by nbval with default
    parameters never writes into a report the runner made (``reports/<corpus name>/``)."""
    return figures_dir or str(default_scratch_dir(corpus or None) / "figures")
