"""What a notebook calls first: its tables and where its figures go.

Notebooks receive plain literals as parameters (papermill); this module turns them into the
foundation's tables — read from ``tables_dir`` when the runner already wrote them, otherwise
computed from the corpus, so each notebook also runs on its own in JupyterLab.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.run import pipeline
from helpers.run.paths import default_scratch_dir


def open_tables(*, corpus: str = "", metadata: str = "", tables_dir: str = "", event: str = "",
                sample: int = 0, seed: int = 0, codebook: str = "",
                fact_threshold: float = 0.35, cache: bool = True,
                names: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
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
    """
    if isinstance(names, str):
        raise TypeError("names is a tuple of table names, not one name")
    if tables_dir and (Path(tables_dir) / "articles.parquet").is_file():
        if names is None:
            return pipeline.read_tables(tables_dir, event=event)
        present = tuple(n for n in names if (Path(tables_dir) / f"{n}.parquet").is_file())
        # read_tables reads every table for no names; here none of those asked for was written
        return pipeline.read_tables(tables_dir, present, event=event) if present else {}
    from helpers.run.report import default_cache_dir

    tables = pipeline.compute(corpus or None, metadata=metadata or None, sample=sample or None, seed=seed,
                              event=event, codebook=codebook, fact_threshold=fact_threshold,
                              cache_dir=default_cache_dir() if cache else None, progress=True)
    if event:
        tables = select_event(tables, event)
    return tables if names is None else {n: tables[n] for n in names if n in tables}


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
