"""The corpus-level comparisons in partitions: one event's articles at a time, on the engine.

Reuse, facts, number and date disagreements, quote variants, frames, emphasis, tone sentences and
the findings compare the articles of one event with each other, never with another event's. So a *partition*
is one event (the whole corpus when it has no ``event`` column): a pure function of its articles'
rows and their per-article results (sentences, entities, embeds, quotes, dates), computed as a task
on the same engine as the per-article stages (``local`` processes, or a Dask cluster) and cached
under a key over exactly those inputs, the code and the options. Adding articles to one event
recomputes that event's partition only; a warm re-run reads every partition back.

What each partition computes is fitted on that partition alone: the TF-IDF weights of fact
grouping, the boilerplate n-grams of reuse, the quote-variant buckets. An event's tables are
therefore the same whether the run holds one event (``-p event``) or a hundred.

The tasks' inputs are split into a scratch folder first and read back task by task, so the main
process holds neither the per-article tables nor every task's inputs while the tasks run. Each
task's tables are written to the scratch folder as it finishes (the partitions' cache, when there
is one, keeps its own copy), and each table is then put together from its pieces alone, so the
main process never holds every partition's pieces at once; with a tables folder, each table is
written there as soon as it is put together (:class:`helpers.run.tables.Tables`) and the
corpus-wide steps read back what they need. The partitions' tables are gathered in event order and
their ids made unique across events (:func:`_renumbered`): facts ``F…``, the dates' happenings
``H…``, passages ``P…`` and quote variant groups are numbered event by event, in each event's
own order; then each table is put in the order its whole-table function gives (:data:`ORDER`).
With a tables folder, a large table (:data:`STREAM_MIN_ROWS` rows or more, numbered event by event,
in article order or sorted by its values) is written piece after piece instead
(:func:`_write_gathered`), so that the main process never holds it whole: the same files, byte for
byte.
The corpus-wide tables (outlet frame and tone summaries and contrasts, distinctive terms, actor
labels) are computed after, in
:func:`helpers.run.pipeline.analyse`, from the gathered tables; the events' findings are then
ranked once with the frame and tone contrasts (:func:`helpers.compare.findings.rank_findings`).

Takes the foundation's tables (``articles, sentences, entities, embeds``) and the per-article
results of :data:`PER_ARTICLE_INPUTS`; gives the tables of :data:`PARTITION_TABLES`, columns as their modules
document them, plus ``stage_failures`` rows (``stage, input, error``; ``input`` = ``event <name>``)
for a partition whose stage raised (its rows of that stage's tables are absent, the others kept).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from helpers.run.cache import (batch_rows, digest, frame_of, join_pieces, KEY, open_parquet, PieceReader, read_batches,
                                read_parquet, StageCache)
from helpers.run.memory import release_free_memory
from helpers.run.tables import (article_ranges, describe_piece, head_of, joined_description, parquet_rows, Tables,
                                 without_rows, write_pieces, write_table)
from helpers.schema import STAGE_FAILURE_COLUMNS

#: The tables each partition gives, by the stage of :data:`helpers.run.pipeline.STAGES` they belong to.
LOCAL_TABLES: dict[str, tuple[str, ...]] = {
    "coverage": ("passages", "reuse_pairs", "article_originality", "facts", "coverage_matrix",
                 "quantity_conflicts", "coverage_checks"),
    "quotes": ("quotes", "sources", "quote_variants"),
    "framing": ("frames", "article_frames", "emphasis", "story_leaders", "tone_sentences"),
    "dates": ("dates", "timeline", "date_conflicts"),
    # ranked again, with the corpus-wide frame and tone contrasts, by the corpus-wide findings step
    "findings": ("findings",),
}
PARTITION_TABLES: tuple[str, ...] = tuple(t for tables in LOCAL_TABLES.values() for t in tables)

#: How each gathered table is ordered, as its whole-table function orders it: columns and whether
#: each ascends (a stable sort, so rows that tie keep their event's order). ``None``: in article
#: order (the corpus's), as the per-article tables are.
ORDER: dict[str, tuple[list[str], list[bool]] | None] = {
    "passages": (["passage_id"], [True]),
    "reuse_pairs": (["_share"], [False]),
    "article_originality": None,
    "facts": (["fact_id", "article_id", "sent_id"], [True, True, True]),
    "coverage_matrix": (["fact_id"], [True]),
    "quantity_conflicts": (["scope", "group", "value", "outlet"], [True, True, True, True]),
    "coverage_checks": (["event", "question", "outlet", "fact_id"], [True, True, True, True]),
    "quotes": None,
    "sources": (["article_id", "n_mentions", "source"], [True, False, True]),
    "quote_variants": (["variant_group"], [True]),
    "frames": (["article_id", "sent_id"], [True, True]),
    "article_frames": (["article_id", "frame"], [True, True]),
    "emphasis": (["article_id", "aspect_kind", "prominence", "aspect"], [True, True, False, True]),
    "story_leaders": (["article_id", "where", "rank"], [True, True, True]),
    "tone_sentences": (["article_id", "sent_id", "actor"], [True, True, True]),
    "dates": (["article_id", "start", "end"], [True, True, True]),
    "timeline": (["_unresolved", "value", "fact_id", "article_id"], [True, True, True, True]),
    "date_conflicts": (["fact_id", "happening", "value", "article_id"], [True, True, True, True]),
    "findings": None,  # in event order; ranked and numbered by the corpus-wide step
}
#: The foundation's tables a partition reads (its articles' rows of each).
_FOUNDATION = ("articles", "sentences", "entities", "embeds")
#: The per-article results a partition reads instead of computing them again (each is optional:
#: without it, the stage computes it for the partition's articles).
PER_ARTICLE_INPUTS = ("quotes", "dates", "sentence_tone")
#: Articles per task at most: small events are packed together up to this many articles (fewer
#: when the engine's slots would otherwise go without tasks: :func:`_task_budget`); a larger event
#: is one task on its own (its partition is never split: its comparisons need all its articles).
TASK_ARTICLES = 400
#: After a partition of at least this many articles, freed memory is handed back to the system
#: (:func:`helpers.run.memory.release_free_memory`; a full collection costs ~0.2 s).
RELEASE_AFTER_ARTICLES = 1000
#: Articles digested at a time when the articles' table is in memory (:func:`_article_digests`):
#: their text as Python strings, a few MB, not the corpus's.
ARTICLE_CHUNK_ROWS = 500


def partition_plan(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per partition, in event order: ``event`` (``""`` for a corpus without events),
    ``article_ids`` (a list, in the corpus's order), ``n_articles``."""
    events = (articles["event"].fillna("").astype(str) if "event" in articles.columns
              else pd.Series("", index=articles.index))
    rows = [(event, list(articles.loc[members.index, "article_id"]))
            for event, members in events.groupby(events, sort=True)]
    return pd.DataFrame({"event": [r[0] for r in rows], "article_ids": [r[1] for r in rows],
                         "n_articles": [len(r[1]) for r in rows]})


def article_digests(articles: pd.DataFrame) -> dict[str, str]:
    """Each article's digest of every column's value as text (the cleaned text among them), by
    ``article_id``: what a partition's cache key covers of each of its articles
    (:func:`partition_keys`)."""
    rows = articles.astype(str).itertuples(index=False, name=None)
    return {article: digest(*row) for article, row in zip(articles["article_id"], rows)}


def partition_keys(plan: pd.DataFrame, digests: Mapping[str, str], *, version: str,
                   options: dict[str, Any]) -> list[str]:
    """The cache key of each partition of ``plan``: a digest of the code ``version``, the
    ``options`` and each of the partition's articles' digest (``digests``:
    :func:`article_digests`; the cleaned text among what they cover, which with the code decides
    every per-article result the partition reads)."""
    settings = repr(sorted((k, v) for k, v in options.items()))
    return [digest(version, "partition", settings, event, *(digests[a] for a in ids))
            for event, ids in zip(plan["event"], plan["article_ids"])]


def _article_digests(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """:func:`article_digests` of ``tables["articles"]``, a few hundred articles at a time: a
    written table is read from its file a batch at a time (:func:`helpers.run.cache.read_batches`),
    never whole with its text."""
    written = tables.file("articles") if isinstance(tables, Tables) else None
    if written is not None:
        chunks: Iterable[pd.DataFrame] = read_batches(written)
    else:
        frame = tables["articles"]
        chunks = (frame.iloc[lo:lo + ARTICLE_CHUNK_ROWS] for lo in range(0, len(frame), ARTICLE_CHUNK_ROWS))
    digests: dict[str, str] = {}
    for chunk in chunks:
        digests.update(article_digests(chunk))
    return digests


def analyse_partitions(tables: Mapping[str, pd.DataFrame], *, stages: tuple[str, ...], options: dict[str, Any],
                       cache_dir: Any = None, runner: Any = None, version: str = "", progress: bool = False,
                       tables_dir: str | os.PathLike[str] | None = None,
                       per_article: MutableMapping[str, pd.DataFrame | Path] | None = None) -> Tables:
    """The :data:`LOCAL_TABLES` of ``stages`` for every partition of ``tables["articles"]``,
    computed on ``runner`` (an engine of :func:`helpers.run.engine.make_engine`; None: in this
    process) and cached in ``cache_dir`` (None: not cached), gathered, renumbered and ordered
    (module docstring). ``options``: ``fact_threshold`` and ``codebook`` as
    :func:`helpers.run.pipeline.analyse` takes them. ``per_article``: the per-article results of
    :data:`PER_ARTICLE_INPUTS` already computed, *handed over*: each is removed from the mapping
    once its rows are split among the tasks, so that nothing keeps it in memory after; a table
    may be its Parquet file, split from it a row group at a time. Returns
    those tables and ``stage_failures``.

    The tasks' inputs (their articles' rows of the foundation's tables and of ``per_article``)
    are split into a scratch folder first, one table at a time, and each task's rows are read back
    only when the task is handed to the engine (:func:`_split_inputs`): the main process holds
    neither the per-article tables nor every task's inputs while the tasks run. A table of
    ``tables`` already written to its file (:class:`~helpers.run.tables.Tables`) is read back once
    for the split.

    Each task's tables are written to a scratch folder as the task finishes, and each table is
    then put together from its pieces on its own, so the pieces are never all in memory. With
    ``tables_dir``, each finished table is written there at once
    (:meth:`helpers.run.tables.Tables.write`) and the returned :class:`~helpers.run.tables.Tables`
    reads it back when asked for; a table of :data:`_STREAMED` with :data:`STREAM_MIN_ROWS` rows or
    more is written there piece after piece, never whole in memory (:func:`_write_gathered`)."""
    from helpers.run.engine import LocalEngine
    from helpers.run.pipeline import articles_without_text

    # ids, events and dates: the text (nearly all of the table's bytes) is read only a batch at a
    # time, for the partitions' keys and their tasks' inputs
    articles = articles_without_text(tables)
    wanted = tuple(s for s in stages if s in LOCAL_TABLES)
    names = tuple(t for s in wanted for t in LOCAL_TABLES[s])
    out = Tables(folder=tables_dir)
    if not wanted:
        out["stage_failures"] = _no_failures()
        return out
    handed = per_article if per_article is not None else {}
    # a per-article table may be handed over as its Parquet file (split from it, never read whole)
    heads = {name: read_parquet(frame, empty=True) if isinstance(frame, Path) else frame.iloc[0:0]
             for name, frame in handed.items() if name in PER_ARTICLE_INPUTS}
    templates = _templates(tables, wanted, options, heads)
    plan = partition_plan(articles)
    settings = {"stages": wanted, "fact_threshold": float(options.get("fact_threshold", 0.35)),
                "codebook": options.get("codebook_digest", options.get("codebook", ""))}
    keys = partition_keys(plan, _article_digests(tables), version=version, options=settings)
    every = (*names, "stage_failures")
    cache = StageCache(cache_dir, "partitions", every)
    runner = runner or LocalEngine(1)
    held = cache.known(keys)
    missing = [i for i, k in enumerate(keys) if k not in held]
    task_options = {"stages": wanted, "fact_threshold": settings["fact_threshold"],
                    "codebook": options.get("codebook", "")}

    sizes = [int(plan.at[i, "n_articles"]) for i in missing]
    slots = runner.slots() if hasattr(runner, "slots") else 1
    chunks = _chunks(sizes, _task_budget(sum(sizes), slots))
    chunks = [[missing[j] for j in chunk] for chunk in chunks]
    # The largest tasks first (longest-processing-time-first): a large event's comparison costs
    # more than linearly in its articles, and started last it would run alone while the other
    # workers wait. The tables do not depend on this order: they are gathered in event order.
    chunks.sort(key=lambda chunk: -int(plan.loc[chunk, "n_articles"].sum()))
    bar = None
    if progress and missing:
        from tqdm.auto import tqdm
        import sys

        bar = tqdm(total=int(plan.loc[missing, "n_articles"].sum()), desc="compare, event by event", unit="article",
                   file=sys.stderr)
    if tables_dir is not None:
        Path(tables_dir).mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".partition-pieces-", dir=tables_dir))
    try:
        task_of = {a: t for t, chunk in enumerate(chunks) for i in chunk for a in plan.at[i, "article_ids"]}
        # a foundation table already written is split from its file, a row group at a time
        sources: dict[str, Callable[[], pd.DataFrame | Path]] = {
            name: (lambda name=name: _file_or_frame(tables, name)) for name in _FOUNDATION}
        sources.update({name: (lambda name=name: handed.pop(name)) for name in PER_ARTICLE_INPUTS if name in handed})
        input_heads = _split_inputs(sources, task_of, scratch / "inputs") if chunks else {}
        del sources
        # split or, every partition read from the cache, not needed: nothing reads them after this step
        for name in PER_ARTICLE_INPUTS:
            handed.pop(name, None)
        release_free_memory(full=False)

        # A local engine's workers see this machine's files: each reads its task's inputs from the
        # scratch folder and writes its tables there itself (partition_file_task), so that neither
        # the inputs nor the results — millions of rows for a large event — pass through this
        # process. A Dask cluster's workers may not: there the rows are shipped both ways.
        on_files = isinstance(runner, LocalEngine)

        def make_task(t: int) -> tuple:
            parts = [(keys[i], plan.at[i, "event"], plan.at[i, "article_ids"]) for i in chunks[t]]
            if on_files:
                return parts, scratch, t, input_heads, task_options
            return (parts, {name: _task_rows(scratch / "inputs", t, name, head) for name, head in input_heads.items()},
                    task_options)

        try:
            for i, result in runner.map(partition_file_task if on_files else partition_task,
                                        (make_task(t) for t in range(len(chunks)))):
                done = [keys[j] for j in chunks[i]]
                files = {table: scratch / f"{i:06d}.{table}.parquet" for table in every}
                failures_of_task = read_parquet(files["stage_failures"]) if on_files else result["stage_failures"]
                # A partition whose stage failed is not cached: the next run tries it again.
                failed = set(failures_of_task[KEY]) if len(failures_of_task) else set()
                cache.store([k for k in done if k not in failed], files if on_files else result)
                for table in every:
                    if on_files:
                        if not result[table]:  # only a task's pieces with rows are gathered
                            files[table].unlink()
                    elif len(result[table]):
                        result[table].to_parquet(files[table], index=False)
                if not on_files:
                    del result
                    # a task's results arrive as gigabytes of short-lived Python and Arrow objects;
                    # what they leave behind is handed back (0.8 GB of main's memory at 10,000 articles)
                    release_free_memory(full=False)
                if bar is not None:
                    bar.update(int(plan.loc[chunks[i], "n_articles"].sum()))
        finally:
            if bar is not None:
                bar.close()
            cache.commit()
        shutil.rmtree(scratch / "inputs", ignore_errors=True)

        def readers(table: str) -> list[PieceReader]:
            """A reader per piece of ``table`` (:class:`~helpers.run.cache.PieceReader`; ``columns=``:
            only those, with ``_key``): every partition's rows (held ones from the cache, computed ones from the
            scratch folder), one task's partitions a piece, in no particular order. Cached ones
            come a stored task at a time, as computed ones do, not joined: a warm run then
            renumbers and sorts piece by piece too, not the whole table at once."""
            computed = [PieceReader(path) for path in sorted(scratch.glob(f"*.{table}.parquet"))]
            return cache.part_readers(held, table) + computed

        def pieces(table: str, columns: list[str] | None = None) -> list[pd.DataFrame]:
            """Every piece of ``table`` (:func:`readers`) read, those with rows."""
            return [frame for frame in (read(columns) for read in readers(table)) if len(frame)]

        order = {k: i for i, k in enumerate(keys)}
        # The offsets first, from the id columns alone; then one table at a time is put together
        # from its pieces, renumbered, ordered, and (with a tables folder) written, so that the
        # gathered tables are held at most once, and only those a later step reads.
        # (each piece's highest id per partition, read one piece at a time: the ids are never joined)
        offsets = _id_offsets({name: [_id_maxima(name, read(columns)) for read in readers(name)]
                               for name, columns in _ID_COLUMNS.items() if name in names}, order)
        rank = {a: i for i, a in enumerate(articles["article_id"])}
        if out.folder is not None:
            # Each table is put together and written by a task of its own (:func:`gather_table`),
            # on the engine's workers, which see this machine's files: the tables are independent
            # once the offsets are known, and one after the other here they left the workers idle
            # (~115 s of the full ABP file's run). The largest first, so that none runs alone last.
            # A Dask cluster's workers may not see the pieces' files: there it is done here, in turn.
            gatherer = runner if isinstance(runner, LocalEngine) else LocalEngine(1)
            sizes = {name: sum(parquet_rows(read.path) for read in readers(name)) for name in names}
            by_size = sorted(names, key=lambda name: -sizes[name])
            tasks = ((name, readers(name), order, offsets, rank, articles["article_id"], out.folder,
                      scratch / f"gather-{name}", out.csv_max_rows, templates.get(name)) for name in by_size)
            gathered: dict[str, tuple[Path, int | None]] = {}
            tables_bar = None
            if progress and len(names) > 1:
                from tqdm.auto import tqdm
                import sys

                tables_bar = tqdm(total=len(names), desc="gather tables", unit="table", file=sys.stderr)
            try:
                for i, result in gatherer.map(gather_table, tasks):
                    gathered[by_size[i]] = result
                    if tables_bar is not None:
                        tables_bar.update(1)
            finally:
                if tables_bar is not None:
                    tables_bar.close()
            for name in names:  # in the tables' own order, whichever finished first
                path, capped = gathered[name]
                out.add_file(name, path)
                if capped is not None:
                    out.capped[name] = capped
        else:
            for name in names:
                out[name] = _gathered(name, pieces(name), order, templates.get(name), offsets, rank)
        failures = _by_partition(pieces("stage_failures"), order, None)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    out["stage_failures"] = (failures[STAGE_FAILURE_COLUMNS].reset_index(drop=True).astype(object)
                             if len(failures) else _no_failures())
    return out


def partition_task(partitions: list[tuple[str, str, list[str]]], inputs: dict[str, pd.DataFrame],
                   options: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Compute the partitions of one task (``(key, event, article_ids)`` each) from the rows of
    their articles; every table with ``_key`` (the partition's key), and ``stage_failures``.
    A top-level function: it is pickled to processes and Dask workers."""
    from helpers.run.pipeline import local_stage

    results: dict[str, list[pd.DataFrame]] = {}
    for key, event, ids in partitions:
        own = {name: _rows_of(frame, ids) for name, frame in inputs.items()}
        tables = {name: own[name] for name in _FOUNDATION}
        per_article = {name: own[name] for name in PER_ARTICLE_INPUTS if name in own}
        failures = []
        for stage in options["stages"]:
            try:
                tables.update(local_stage(stage, tables, fact_threshold=options["fact_threshold"],
                                          codebook=options["codebook"], per_article=per_article))
            except Exception as exc:  # noqa: BLE001 — listed; the partition's other stages go on
                from helpers.run.batches import describe_error

                failures.append({"stage": stage, "input": f"event {event}" if event else "the corpus",
                                 "error": describe_error(exc)})
        for stage in options["stages"]:
            for name in LOCAL_TABLES[stage]:
                # a failed stage's tables have no rows of this partition (every table is written,
                # so that the partition's cache entry is whole)
                frame = tables[name] if name in tables else pd.DataFrame()
                results.setdefault(name, []).append(frame.assign(**{KEY: key}) if len(frame)
                                                    else pd.DataFrame({KEY: pd.Series(dtype=object)}))
        results.setdefault("stage_failures", []).append(
            pd.DataFrame(failures, columns=STAGE_FAILURE_COLUMNS).assign(**{KEY: key}))
        if len(ids) >= RELEASE_AFTER_ARTICLES:
            # a large event's temporaries are gigabytes; a small one's are not worth a collection
            release_free_memory()
    return {name: join_pieces(frames) for name, frames in results.items()}


def partition_file_task(partitions: list[tuple[str, str, list[str]]], scratch: Path, task: int,
                        heads: dict[str, pd.DataFrame], options: dict[str, Any]) -> dict[str, int]:
    """:func:`partition_task` for task number ``task`` on a worker that sees ``scratch``: reads the
    task's inputs from ``scratch/inputs`` (:func:`_split_inputs`; ``heads``: each input table with
    no rows, for a task without a file of it) and writes each of its tables, ``stage_failures``
    among them, to ``scratch/<task>.<table>.parquet``, with or without rows. Returns each table's
    number of rows."""
    inputs = {name: _task_rows(scratch / "inputs", task, name, head) for name, head in heads.items()}
    result = partition_task(partitions, inputs, options)
    del inputs
    for name, frame in result.items():
        frame.to_parquet(scratch / f"{task:06d}.{name}.parquet", index=False)
    return {name: len(frame) for name, frame in result.items()}


def gather_table(name: str, readers: list[PieceReader], order: dict[str, int], offsets: dict[str, Any],
                 rank: dict[str, int], article_ids: pd.Series, folder: Path, scratch: Path,
                 csv_max_rows: int | None, template: pd.DataFrame | None) -> tuple[Path, int | None]:
    """Table ``name`` put together from its pieces (``readers``, each with ``_key``), renumbered by
    ``offsets`` and ordered (``order``: the partition keys' ranks; ``rank``: each article's;
    ``article_ids``: the corpus's, in its order), and written to ``folder``
    (:func:`helpers.run.tables.write_table`'s files; ``csv_max_rows`` as it takes them):
    piece after piece (:func:`_write_gathered`, in ``scratch``, emptied after) when it is one of
    :data:`_STREAMED` with :data:`STREAM_MIN_ROWS` rows or more, else whole (:func:`_gathered`;
    ``template``: its columns when no piece has rows). Returns the Parquet file and the table's
    rows when its CSV holds fewer (else None). A top-level function: the engine's worker
    processes run it, one table each."""
    # (the rows counted from the pieces' footers; a cached batch's file may hold other rows too)
    if name in _STREAMED and sum(parquet_rows(read.path) for read in readers) >= STREAM_MIN_ROWS:
        # written piece after piece: the process never holds the whole table
        written = _write_gathered(name, readers, order, offsets, rank, article_ids, folder, scratch,
                                  csv_max_rows=csv_max_rows)
        if written:
            # what its pieces left behind, handed back before the next table's are read
            release_free_memory(full=False)
            return folder / f"{name}.parquet", written[1]
    frame = _gathered(name, [piece for piece in (read() for read in readers) if len(piece)], order, template,
                      offsets, rank)
    large = len(frame) >= 1_000_000
    capped = write_table(frame, folder, name, csv_max_rows=csv_max_rows)
    del frame
    if large:
        release_free_memory()
    return folder / f"{name}.parquet", capped


# ----------------------------------------------------------------------------------------------


def _no_failures() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in STAGE_FAILURE_COLUMNS})


def _file_or_frame(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | Path:
    """Table ``name``'s Parquet file when ``tables`` (a :class:`~helpers.run.tables.Tables`) has
    written it, else the table."""
    written = tables.file(name) if isinstance(tables, Tables) else None
    return written if written is not None else tables[name]


def _split_inputs(sources: Mapping[str, Callable[[], pd.DataFrame | Path]], task_of: Mapping[str, int],
                  folder: Path) -> dict[str, pd.DataFrame]:
    """Write each input table's rows task by task: the rows of the articles ``task_of`` gives task
    ``t``, in the table's order, to ``folder/<t>.<name>.parquet`` (no file for a task without
    rows). ``sources``: each table's getter, called once, the table let go before the next is
    fetched; a getter may give the table's Parquet file instead, split a row group at a time
    (:func:`_split_file`: the table is never held whole). Rows of articles in no task are left
    out. Returns each table with no rows (its columns and dtypes, for a task without a file)."""
    folder.mkdir(parents=True, exist_ok=True)
    heads: dict[str, pd.DataFrame] = {}
    for name, get in sources.items():
        frame = get()
        if isinstance(frame, Path):
            heads[name] = _split_file(frame, name, task_of, folder)
            continue
        heads[name] = without_rows(frame)
        if "article_id" not in frame.columns:
            frame.to_parquet(folder / f"all.{name}.parquet", index=False)
            continue
        task = frame["article_id"].map(task_of).to_numpy(dtype="float64", na_value=np.nan)
        rows = np.flatnonzero(~np.isnan(task))
        rows = rows[np.argsort(task[rows], kind="stable")]
        tasks = task[rows].astype("int64")
        bounds = np.flatnonzero(np.diff(tasks)) + 1
        for part in np.split(rows, bounds) if len(rows) else []:
            t = int(task[part[0]])
            frame.iloc[part].reset_index(drop=True).to_parquet(folder / f"{t:06d}.{name}.parquet", index=False)
        del frame
    return heads


def _split_file(path: Path, name: str, task_of: Mapping[str, int], folder: Path) -> pd.DataFrame:
    """:func:`_split_inputs` of the table in the Parquet file ``path``, read a batch of a few MB
    at a time (:func:`helpers.run.cache.batch_rows`; a row group of the articles' table is the
    whole corpus's text): each task's rows appended, in the table's order, to
    ``folder/<t>.<name>.arrow`` (an Arrow file, written with the file's own schema, so the
    batches need no common type worked out). Returns the table with no rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    head = read_parquet(path, empty=True)
    if "article_id" not in pq.read_schema(path).names:
        shutil.copyfile(path, folder / f"all.{name}.parquet")
        return head
    writers: dict[int, Any] = {}
    try:
        with open_parquet(path) as file:
            for batch in file.iter_batches(batch_size=batch_rows(file.metadata)):
                table = pa.Table.from_batches([batch], schema=file.schema_arrow)
                task = np.array([task_of.get(a, -1) for a in table.column("article_id").to_pylist()], dtype="int64")
                rows = np.flatnonzero(task >= 0)
                rows = rows[np.argsort(task[rows], kind="stable")]
                for part in np.split(rows, np.flatnonzero(np.diff(task[rows])) + 1) if len(rows) else []:
                    t = int(task[part[0]])
                    if t not in writers:
                        writers[t] = pa.ipc.new_file(folder / f"{t:06d}.{name}.arrow", table.schema)
                    writers[t].write_table(table.take(pa.array(part)))
                del table
    finally:
        for writer in writers.values():
            writer.close()
    return head


def _task_rows(folder: Path, task: int, name: str, head: pd.DataFrame) -> pd.DataFrame:
    """Task ``task``'s rows of input table ``name`` as :func:`_split_inputs` wrote them (``head``
    when it has none), with the dtypes they had."""
    import pyarrow as pa

    for path in (folder / f"{task:06d}.{name}.parquet", folder / f"all.{name}.parquet"):
        if path.exists():
            return read_parquet(path)
    path = folder / f"{task:06d}.{name}.arrow"
    if path.exists():
        with pa.OSFile(str(path)) as source:
            return frame_of(pa.ipc.open_file(source).read_all())
    return head


def _rows_of(frame: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """The rows of ``frame`` whose ``article_id`` is among ``ids``, in ``frame``'s order."""
    if "article_id" not in frame.columns:
        return frame
    return frame[frame["article_id"].isin(set(ids))].reset_index(drop=True)


def _task_budget(n_articles: int, slots: int) -> int:
    """Articles per task for ``n_articles`` to compare on an engine running ``slots`` tasks at once:
    :data:`TASK_ARTICLES`, or fewer so that each slot gets two tasks or more when the events are
    small enough (300 articles of 100 three-article events were one task, on one of two workers,
    while the other waited)."""
    return max(1, min(TASK_ARTICLES, -(-n_articles // (2 * max(1, slots)))))


def _chunks(sizes: list[int], budget: int) -> list[list[int]]:
    """Consecutive positions of ``sizes`` packed into chunks of at most ``budget`` (a larger item
    is a chunk of its own)."""
    chunks: list[list[int]] = []
    total = 0
    for i, size in enumerate(sizes):
        if not chunks or total + size > budget:
            chunks.append([])
            total = 0
        chunks[-1].append(i)
        total += size
    return chunks


def _templates(tables: Mapping[str, pd.DataFrame], stages: tuple[str, ...], options: dict[str, Any],
               per_article: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each local table with no rows, as its stage gives it for no articles (columns and dtypes);
    ``per_article``: the per-article inputs' heads (no rows)."""
    from helpers.run.pipeline import local_stage

    empty = {name: head_of(tables, name) for name in _FOUNDATION if name in tables}
    out: dict[str, pd.DataFrame] = {}
    for stage in stages:
        try:
            empty.update(local_stage(stage, empty, fact_threshold=float(options.get("fact_threshold", 0.35)),
                                     codebook=options.get("codebook", ""), per_article=per_article))
        except Exception:  # noqa: BLE001 — no template: the gathered rows stand alone
            continue
        out.update({name: empty[name] for name in LOCAL_TABLES[stage] if name in empty})
    return out


def _by_partition(frames: list[pd.DataFrame], order: dict[str, int], template: pd.DataFrame | None) -> pd.DataFrame:
    """The gathered rows of one table in partition order (stable within a partition), with ``_key``.
    Each partition's rows are in one of ``frames``; ``frames`` is emptied (its pieces let go once
    joined)."""
    rows = [f for f in frames if len(f)]
    if not rows:
        base = template.iloc[0:0] if template is not None else (frames[0].iloc[0:0] if frames else pd.DataFrame())
        return base.assign(**{KEY: pd.Series(dtype=object)}) if KEY not in base.columns else base
    frames.clear()
    # pieces by their first partition: a cold run's tasks hold consecutive partitions, and then the
    # joined rows are in order already (no reordered copy of a table of millions of rows)
    rows.sort(key=lambda f: order.get(f[KEY].iat[0], len(order)))
    # empty parts were left out above: their dtypes (a text column of no rows reads as float) would
    # change the others'
    frame = join_pieces(rows)
    del rows
    known = frame[KEY].isin(order.keys())
    if not known.all():
        frame = frame[known]
    rank = _ranks(frame[KEY], order)
    if len(rank) and (np.diff(rank) >= 0).all():
        return frame.reset_index(drop=True)
    return frame.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


def _ranks(keys: pd.Series, order: dict[str, int]) -> np.ndarray:
    """Each key's value in ``order`` (every key is in it), through the codes of a categorical of
    ``order``'s keys: no Python string is made per row (a gathered table has millions of rows,
    all with one of a few hundred keys)."""
    codes = keys.astype(pd.CategoricalDtype(categories=list(order))).cat.codes.to_numpy()
    return np.fromiter(order.values(), dtype=np.int64, count=len(order))[codes]


#: Tables whose order (:data:`ORDER`) starts with an id numbered partition after partition
#: (:func:`_renumbered`): each piece can be renumbered and ordered on its own (:func:`_gathered`).
_NUMBERED_FIRST = ("facts", "coverage_matrix", "passages", "quote_variants", "date_conflicts")


def _gathered(name: str, frames: list[pd.DataFrame], order: dict[str, int], template: pd.DataFrame | None,
              offsets: dict[str, Any], rank: dict[str, int]) -> pd.DataFrame:
    """Table ``name`` put together from its pieces ``frames`` (each with ``_key``; the list is
    emptied): in partition order, renumbered (``offsets``: :func:`_id_offsets`), in the order of
    :data:`ORDER` (``rank``: each article's position in the corpus), without ``_key``.

    A table of :data:`_NUMBERED_FIRST` is renumbered and sorted piece by piece, so that the
    temporaries of renumbering and sorting are one piece's, not the whole table's; when every
    partition's rows then come before the next partition's in that order (:func:`_partitions_apart`)
    the joined pieces are the whole table's stable sort already. Otherwise, and for the other
    tables, the joined table is sorted whole. Either way the same table."""
    if name in _NUMBERED_FIRST:
        for i, piece in enumerate(frames):
            frames[i] = _sorted(name, _renumber_table(name, piece, offsets))
        frame = _by_partition(frames, order, template)
        if _partitions_apart(name, frame):
            return frame.drop(columns=[KEY], errors="ignore").reset_index(drop=True)
    else:
        frame = _renumber_table(name, _by_partition(frames, order, template), offsets)
    return _ordered(name, frame, rank)


#: Tables in article order, or sorted by ``article_id`` first (:data:`ORDER`): every row of an
#: article is in its event's partition, so the table can be sorted in ranges of articles.
_BY_ARTICLE = tuple(name for name, spec in ORDER.items()
                    if (spec is not None and spec[0][0] == "article_id") or name in ("quotes", "article_originality"))
#: Tables sorted by their values (a share, a date, an event and question): written piece after piece
#: in ranges of the values of their first sort keys (:data:`VALUE_RANGE_KEYS`), each range sorted
#: alone, one after the other.
_BY_VALUE = tuple(name for name, spec in ORDER.items()
                  if spec is not None and name not in _NUMBERED_FIRST and name not in _BY_ARTICLE)
#: The tables written piece after piece when the run has a tables folder (:func:`_write_gathered`).
_STREAMED = (*_NUMBERED_FIRST, *_BY_ARTICLE, *_BY_VALUE)
#: Sort keys of a table of :data:`_BY_VALUE` whose values split it into ranges: the first two, so
#: that a first key of a few values (whether a date is resolved, an event) still splits the table.
#: All rows with the same values of these keys are in one range.
VALUE_RANGE_KEYS = 2
#: A table of :data:`_STREAMED` is written piece after piece when its pieces hold at least this many
#: rows; a smaller one is put together whole, which is faster. So the main process holds at most a
#: table of this many rows, whatever the corpus's size. On the first 20,000 ABP articles (largest
#: tables 1-2.5 million rows) the tables written piece after piece peaked at 0.63-0.74 GB where
#: putting them together whole took 1.0-1.19 GB (emphasis, 1.7 million rows); the gather took 147 s
#: instead of 127. (An earlier measure, "as much memory either way", was a leak since mended: each
#: piece's empty head, a view, kept the piece alive — :func:`helpers.run.tables.without_rows`.)
#: At 500,000 the largest table put together whole set the gather's peak (``quotes``, 390,022 rows
#: at 20,000: 0.89 GB against 0.63-0.74 streamed), and on the full file (row counts of 8009b40)
#: the tables under it (``sources``, ``quote_variants``, ``passages``: 185,000-315,000 rows) were
#: all put together whole: 100,000 keeps what a whole table costs small beside the streamed pieces.
STREAM_MIN_ROWS = 100_000
#: Rows of a range of articles sorted at once, on average (:func:`_write_gathered`): what a
#: table written piece after piece holds at once. At 500,000 a table of 100,000-500,000 rows was
#: still one range, put together whole, and on the full file each of the coverage matrix's and
#: the emphasis's millions of rows went in ranges of that size; 200,000 keeps each range near
#: the size of the tables put together whole for a few more files in the scratch folder.
SORT_RANGE_ROWS = 200_000


def _write_gathered(name: str, readers: list[Callable[..., pd.DataFrame]], order: dict[str, int],
                    offsets: dict[str, Any], rank: dict[str, int], article_ids: pd.Series, folder: Path,
                    scratch: Path, *, csv_max_rows: int | None) -> tuple[bool, int | None] | None:
    """Table ``name`` of :data:`_STREAMED`, the same as :func:`_gathered` puts it together, written
    to ``folder`` (as :func:`helpers.run.tables.write_table` writes it) without ever holding the
    whole table (:func:`helpers.run.tables.write_pieces`). ``readers``: a function per piece
    (``_key`` with each row; ``.path``: the piece's file, whose footer counts its rows); ``article_ids``: the corpus's, in its order; ``scratch``: a folder
    for the pieces in between (emptied after).

    - A table of :data:`_NUMBERED_FIRST`: each piece is renumbered and sorted on its own; when the
      pieces hold runs of partitions that follow each other and each partition's rows come before
      the next one's (:func:`_partitions_apart`), the pieces in partition order are the table.
    - A table of :data:`_BY_ARTICLE`: each piece's rows are split by ranges of articles (in the
      table's order: by ``article_id``, or by the articles' corpus order) of about
      :data:`SORT_RANGE_ROWS` rows in all; each range is then sorted alone, one after the other.
    - A table of :data:`_BY_VALUE`: the same, by ranges of the values of its first sort keys
      (:func:`_value_ranges`; the rows of each value counted piece by piece, then cut in sort order).

    Returns what :func:`~helpers.run.tables.write_pieces` returns (``(True, capped rows or None)``),
    or None when the table has no rows or its pieces cannot be written so (then nothing is
    written: the caller gathers it whole)."""
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        if name in _NUMBERED_FIRST:
            ranges = []  # (first partition, last partition, file, first and last row, description)
            for i, read in enumerate(readers):
                piece = read()
                if not len(piece):
                    continue
                piece = _sorted(name, _renumber_table(name, piece, offsets))
                if not _partitions_apart(name, piece):
                    return None
                ranks = _ranks(piece[KEY], order)
                path = scratch / f"{name}.{i:06d}.parquet"
                piece.to_parquet(path, index=False)
                ranges.append((int(ranks[0]), int(ranks[-1]), path, piece.iloc[[0, -1]],
                               describe_piece(piece.drop(columns=[KEY]))))
                del piece
                release_free_memory(full=False)  # a piece's freed buffers, before the next is read
            ranges.sort(key=lambda r: r[0])
            for before, after in zip(ranges, ranges[1:]):
                if before[1] >= after[0]:  # the pieces' partitions interleave
                    return None
                edge = pd.concat([before[3].iloc[[1]], after[3].iloc[[0]]], ignore_index=True)
                if not _partitions_apart(name, edge):
                    return None
            if not ranges:
                return None
            files = [r[2] for r in ranges]
            loaders = [lambda path=path: read_parquet(path).drop(columns=[KEY]) for path in files]
            described = [r[4] for r in ranges]
        else:
            if name in _BY_VALUE:
                # each piece renumbered once (a range's values may be renumbered ids)
                renumbered = []
                for i, read in enumerate(readers):
                    piece = read()
                    if len(piece):
                        path = scratch / f"{name}.renumbered{i:06d}.parquet"
                        _renumber_table(name, piece, offsets).to_parquet(path, index=False)
                        renumbered.append(path)
                    del piece
                range_of = _value_ranges(name, [lambda path=path: read_parquet(path) for path in renumbered],
                                         SORT_RANGE_ROWS)
                if range_of is None:
                    return None
                readers = [lambda columns=None, path=path: read_parquet(path) for path in renumbered]
            else:
                by_id = ORDER.get(name) is not None
                # the ranges from the rows the pieces' files hold (their footers; a cached batch's
                # file may hold other rows too, which only makes the ranges smaller)
                total = sum(parquet_rows(read.path) for read in readers)
                per_range, bounds = article_ranges(article_ids.astype(str).to_numpy(), total, SORT_RANGE_ROWS)
            # each range's parts, by the first partition of the piece they come from: joined in
            # that order, a range's rows are in partition order
            parts: dict[int, list[tuple[int, Path, tuple]]] = {}
            for i, read in enumerate(readers):
                piece = read()
                if not len(piece):
                    continue
                if name not in _BY_VALUE:
                    piece = _renumber_table(name, piece, offsets)
                first = int(_ranks(piece[KEY].iloc[:1], order)[0])
                if name in _BY_VALUE:
                    which = range_of(piece)
                    if which is None:
                        return None
                elif by_id:
                    which = np.searchsorted(bounds, piece["article_id"].astype(str).to_numpy(), side="right")
                else:
                    which = piece["article_id"].map(rank).to_numpy(dtype="int64") // per_range
                for r in np.unique(which):
                    path = scratch / f"{name}.range{int(r):06d}.{i:06d}.parquet"
                    rows = piece[which == r]
                    rows.to_parquet(path, index=False)
                    parts.setdefault(int(r), []).append((first, path, describe_piece(rows.drop(columns=[KEY]))))
                    del rows
                del piece
                release_free_memory(full=False)  # a piece's freed buffers, before the next is read
            if not parts:
                return None
            for found in parts.values():
                found.sort(key=lambda part: part[0])
            files = {r: [path for _, path, _ in found] for r, found in parts.items()}
            parts_described = {r: [described for _, _, described in found] for r, found in parts.items()}

            def sorted_range(number: int) -> pd.DataFrame:
                # read once when the ranges are described; otherwise write_pieces reads each twice:
                # then sorted once, and read back from its file the second time
                done = scratch / f"{name}.sorted{number:06d}.parquet"
                if done.exists():
                    return read_parquet(done)
                frame = _ordered(name, _by_partition([read_parquet(p) for p in files[number]], order, None), rank)
                if described is None:
                    frame.to_parquet(done, index=False)
                return frame

            loaders = [lambda number=number: sorted_range(number) for number in sorted(files)]
            # a range's rows are its parts' (sorting changes no type): described without reading them
            described = [joined_description(parts_described[number]) for number in sorted(files)]
            if any(d is None for d in described):
                described = None
        written = write_pieces(loaders, folder, name, csv_max_rows=csv_max_rows, described=described)
        return written if written[0] else None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _value_ranges(name: str, pieces: list[Callable[[], pd.DataFrame]],
                  range_rows: int) -> Callable[[pd.DataFrame], np.ndarray | None] | None:
    """Ranges of table ``name`` (of :data:`_BY_VALUE`, ids renumbered) by the values of its first
    :data:`VALUE_RANGE_KEYS` sort keys: every row with the same values in one range, the ranges in
    the table's sort order, each about ``range_rows`` rows (one value's rows may make a range
    larger). A map-reduce over ``pieces`` (functions reading each): the rows of each value counted
    piece by piece, the counts joined and cut in sort order.

    Returns a function giving each row of a piece its range number (None when a value cannot be
    matched: types no joining reconciles), or None when the pieces hold no rows. Sorting each range
    alone, then one after the other, gives the order of sorting the whole (a stable sort's)."""
    columns, ascending = ORDER[name]
    keys, key_ascending = list(columns[:VALUE_RANGE_KEYS]), list(ascending[:VALUE_RANGE_KEYS])
    counts = []
    for read in pieces:
        piece = read()
        if len(piece):
            counts.append(_with_sort_helpers(name, piece)[keys].value_counts(dropna=False, sort=False)
                          .rename("_rows").reset_index())
        del piece
    if not counts:
        return None
    try:
        values = pd.concat(counts, ignore_index=True).groupby(keys, dropna=False, sort=False)["_rows"].sum()
        values = values.reset_index().sort_values(keys, ascending=key_ascending, kind="stable")
    except (TypeError, ValueError):  # values that cannot be compared
        return None
    rows_before = values["_rows"].cumsum() - values["_rows"]
    values = values.assign(_range=(rows_before // max(1, range_rows)).astype("int64")).drop(columns=["_rows"])

    def range_of(piece: pd.DataFrame) -> np.ndarray | None:
        try:
            found = _with_sort_helpers(name, piece)[keys].merge(values, on=keys, how="left", validate="many_to_one")
        except (TypeError, ValueError):  # a key column of another type in this piece
            return None
        if len(found) != len(piece) or found["_range"].isna().any():
            return None
        return found["_range"].to_numpy(dtype="int64")

    return range_of


def _partitions_apart(name: str, frame: pd.DataFrame) -> bool:
    """Whether ``frame`` (in partition order, each partition's rows sorted by :data:`ORDER`) has
    each partition's last row strictly before the next partition's first in that order: then its
    rows are in the order a stable sort of the whole gives (equal keys can only be in one
    partition)."""
    spec = ORDER.get(name)
    if spec is None or frame.empty:
        return spec is not None
    columns, ascending = spec
    # where the partition key changes, compared without a Python string per row
    keys = frame[KEY]
    starts = np.flatnonzero(keys.ne(keys.shift()).to_numpy(dtype=bool, na_value=True)[1:]) + 1
    values = frame[columns]
    for start in starts:
        before, after = values.iloc[start - 1].tolist(), values.iloc[start].tolist()
        for a, b, up in zip(before, after, ascending):
            if pd.isna(a) or pd.isna(b):
                return False
            if a != b:
                if (a < b) != up:
                    return False
                break
        else:  # every column equal: the stable sort would interleave them by their position
            return False
    return True


def _offsets(highest: pd.Series, first: int) -> tuple[pd.Series, int]:
    """For each partition key of ``highest`` (its highest id number, keys in partition order), how
    many ids come before its own (a partition numbers its ids from ``first``, without gaps); and
    how many there are in all."""
    if highest.empty:
        return pd.Series(dtype="int64"), 0
    counts = (highest + 1 - first).astype("int64")
    return counts.cumsum() - counts, int(counts.sum())


def _shifted(frame: pd.DataFrame, column: str, pattern: re.Pattern, before: pd.Series, prefix: str, width: int,
             only: pd.Series | None = None) -> pd.DataFrame:
    """``frame`` with each id of ``column`` matching ``pattern`` (:func:`_id_parts`: its number,
    then the rest) moved up by its partition's offset in ``before`` and written back as ``prefix``,
    the number with zeros in front to ``width`` digits at least, and the rest; ``only``: of the
    rows where it is True. Done by Arrow over the whole column: a Python loop formatting each of
    the coverage matrix's millions of ids took ~3 s a million."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = frame[column].astype(str)
    number, rest = _id_parts(values, pattern)
    hit = pc.is_valid(number).to_numpy(zero_copy_only=False)
    if only is not None:
        hit = hit & only.to_numpy(dtype=bool)
    if not hit.any():
        return frame
    chosen = pa.array(hit)
    shift = frame[KEY].map(before).fillna(0).astype("int64").to_numpy()
    numbers = pc.cast(pc.filter(number, chosen), pa.int64()).to_numpy(zero_copy_only=False) + shift[hit]
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    written = pc.binary_join_element_wise(prefix, digits, pc.filter(rest, chosen), "")
    renamed = values.to_numpy(dtype=object).copy()
    renamed[hit] = written.to_numpy(zero_copy_only=False)
    # a list, as the column was made before: pandas infers its type the same way
    return frame.assign(**{column: renamed.tolist()})


def _id_parts(values: pd.Series, pattern: re.Pattern) -> tuple[Any, Any]:
    """Each of ``values`` (text) matched with ``pattern`` (groups ``number`` and ``rest``) by
    Arrow's regular expressions, which the patterns are written for as well as Python's: the two
    groups as Arrow arrays of text, null where a value does not match (or is missing)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    # flatten(): a field is null where its struct is (a value that does not match), not ""
    number, rest = pc.extract_regex(text, pattern=pattern.pattern).flatten()
    return number, rest


# (ASCII digits and no newline in an id: the syntax Python's re and Arrow's RE2 read alike)
_FACT_ID = re.compile(r"^F(?P<number>[0-9]+)(?P<rest>.*)$")
_HAPPENING_ID = re.compile(r"^H(?P<number>[0-9]+)(?P<rest>.*)$")
_PASSAGE_ID = re.compile(r"^P(?P<number>[0-9]+)(?P<rest>)$")


#: Each renumbered table's id column, the pattern its number is read with (``None``: the column is
#: the number), and the number a partition's ids start from.
_ID_NUMBERS: dict[str, tuple[str, re.Pattern | None, int]] = {
    "facts": ("fact_id", _FACT_ID, 1), "date_conflicts": ("fact_id", _HAPPENING_ID, 0),
    "passages": ("passage_id", _PASSAGE_ID, 1), "quote_variants": ("variant_group", None, 0)}
#: The columns :func:`_id_maxima` reads, by table.
_ID_COLUMNS = {name: [column] for name, (column, _, _) in _ID_NUMBERS.items()}


def _id_maxima(name: str, frame: pd.DataFrame) -> pd.Series:
    """The highest id number of each partition key in ``frame`` (rows of table ``name``, one of
    :data:`_ID_NUMBERS`, with its id column and ``_key``), keys in the order they first appear:
    the map step of :func:`_id_offsets`, run on one piece at a time so that no table's ids are
    ever held whole (the facts of a large corpus have millions)."""
    if frame.empty:
        return pd.Series(dtype="int64")
    column, pattern, _ = _ID_NUMBERS[name]
    values = frame[column]
    if pattern is None:
        numbers = values.astype("int64")
    else:
        import pyarrow as pa
        import pyarrow.compute as pc

        number, _ = _id_parts(values.astype(str), pattern)
        if number.null_count:
            raise ValueError(f"{name}: {number.null_count} {column} value(s) without an id number")
        numbers = pd.Series(pc.cast(number, pa.int64()).to_numpy(zero_copy_only=False), index=values.index)
    return numbers.groupby(frame[KEY].to_numpy(), sort=False).max()


def _highest_in_order(maxima: list[pd.Series], order: Mapping[str, int] | None) -> pd.Series:
    """The reduce step: the pieces' :func:`_id_maxima` as one highest number per partition key, in
    partition ``order`` (keys not in it dropped; ``None``: the order the pieces give)."""
    maxima = [m for m in maxima if len(m)]
    if not maxima:
        return pd.Series(dtype="int64")
    highest = pd.concat(maxima)
    highest = highest.groupby(level=0, sort=False).max()
    if order is None:
        return highest
    highest = highest[highest.index.isin(list(order))]
    ranks = np.fromiter((order[k] for k in highest.index), dtype=np.int64, count=len(highest))
    return highest.iloc[np.argsort(ranks, kind="stable")]


def _id_offsets(maxima: Mapping[str, list[pd.Series]], order: Mapping[str, int] | None = None) -> dict[str, Any]:
    """How far each partition's ids move (module docstring): for facts, the dates' happenings,
    passages and quote variant groups, each partition key's offset and the id width. ``maxima``
    holds, by table (``facts``, ``date_conflicts``, ``passages``, ``quote_variants``, whichever
    exist), its pieces' :func:`_id_maxima`; ``order`` ranks the partition keys (``None``: the
    pieces are in partition order)."""
    offsets: dict[str, Any] = {}

    def counted(name: str) -> tuple[pd.Series, int] | None:
        highest = _highest_in_order(list(maxima.get(name, [])), order)
        return None if highest.empty else _offsets(highest, _ID_NUMBERS[name][2])

    if (facts := counted("facts")) is not None:
        before, total = facts
        offsets["facts"] = (before, max(5, len(str(total))))
    if (happenings := counted("date_conflicts")) is not None:
        offsets["happenings"] = happenings[0]
    if (passages := counted("passages")) is not None:
        before, total = passages
        # one width for every id, so that their text order is their number order (:data:`ORDER`)
        offsets["passages"] = (before, max(4, len(str(total))))
    if (variants := counted("quote_variants")) is not None:
        offsets["variants"] = variants[0]
    return offsets


def _renumber_table(name: str, frame: pd.DataFrame, offsets: dict[str, Any]) -> pd.DataFrame:
    """Table ``name`` (gathered, with ``_key``) with its ids moved by :func:`_id_offsets`'s offsets."""
    if frame.empty:
        return frame
    if "facts" in offsets:
        before, width = offsets["facts"]

        for table, column in (("facts", "fact_id"), ("coverage_matrix", "fact_id"), ("quantity_conflicts", "fact_id"),
                              ("coverage_checks", "fact_id"), ("timeline", "fact_id"), ("timeline", "happening_id")):
            if name == table and column in frame:
                frame = _shifted(frame, column, _FACT_ID, before, "F", width)
        if name == "quantity_conflicts":
            # a "same fact" group is named by its fact ("F00012:…"); an event-wide one by its event
            frame = _shifted(frame, "group", _FACT_ID, before, "F", width, only=frame["scope"] == "same fact")
        if name == "emphasis":
            frame = _shifted(frame, "aspect", _FACT_ID, before, "F", width, only=frame["aspect_kind"] == "fact")
    if "happenings" in offsets:
        for table, column in (("date_conflicts", "fact_id"), ("date_conflicts", "happening_id"),
                              ("timeline", "happening_id")):
            if name == table and column in frame:
                frame = _shifted(frame, column, _HAPPENING_ID, offsets["happenings"], "H", 5)
    if name == "passages" and "passages" in offsets:
        before, passage_width = offsets["passages"]
        frame = _shifted(frame, "passage_id", _PASSAGE_ID, before, "P", passage_width)
    if name == "quote_variants" and "variants" in offsets:
        groups = frame["variant_group"].astype("int64")
        shift = frame[KEY].map(offsets["variants"]).fillna(0).astype("int64")
        frame = frame.assign(variant_group=(groups + shift).astype(frame["variant_group"].dtype))
    return frame


def _renumbered(parts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Ids made unique across partitions, numbered partition after partition (module docstring)."""
    offsets = _id_offsets({name: [_id_maxima(name, parts[name])] for name in _ID_NUMBERS if name in parts})
    return {name: _renumber_table(name, frame, offsets) for name, frame in parts.items()}


def _ordered(name: str, frame: pd.DataFrame, rank: dict[str, int]) -> pd.DataFrame:
    """``frame`` (gathered, with ``_key``) in the order :data:`ORDER` gives, without ``_key``."""
    frame = frame.drop(columns=[KEY], errors="ignore")
    if frame.empty:
        return frame.reset_index(drop=True)
    if ORDER.get(name) is None:
        if "article_id" in frame.columns:
            position = frame["article_id"].map(rank).to_numpy()
            frame = frame.iloc[np.argsort(position, kind="stable")]
        return frame.reset_index(drop=True)
    return _sorted(name, frame)


def _sorted(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` stably sorted as :data:`ORDER` gives for table ``name`` (which has an order),
    its other columns (``_key`` among them) kept."""
    if frame.empty:
        return frame.reset_index(drop=True)
    columns, ascending = ORDER[name]
    with_helpers = _with_sort_helpers(name, frame)
    helpers = [c for c in with_helpers.columns if c not in frame.columns]
    frame = with_helpers.sort_values(columns, ascending=ascending, kind="stable")
    return frame.drop(columns=helpers).reset_index(drop=True)


def _with_sort_helpers(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the columns :data:`ORDER` sorts table ``name`` by that are computed
    (``_share``: both articles' shares; ``_unresolved``: a date with unknown digits, ``X``)."""
    columns = ORDER[name][0] if ORDER.get(name) else []
    helper = {}
    if "_share" in columns:
        helper["_share"] = frame["share_a"] + frame["share_b"]
    if "_unresolved" in columns:
        helper["_unresolved"] = frame["value"].astype(str).str.contains("X")
    return frame.assign(**helper) if helper else frame
