"""An embedded cache of per-article results: Parquet batch files plus one key index.

Layout under the cache folder (default ``.cache/`` in the project, or beside ``--out``)::

    <cache>/<stage>/index.parquet            key → part (one row per cached article)
    <cache>/<stage>/parts/<part>.<table>.parquet   the rows of a batch of articles, with a ``_key`` column
    <cache>/<stage>/parts/<part>.keys.parquet      the batch's keys, written last: the batch is complete

A key is the SHA-256 of everything one article's result depends on: its content, the pipeline's
version (:func:`helpers.run.engine.pipeline_version`) and any corpus-level input the result reads
(lines its outlet repeats, the event's earliest publication date, canonical person names).
Batches are written as they finish; the index is rewritten atomically at the end of a stage. A run
that is interrupted (killed, out of memory, a lost machine) keeps its finished batches: the next run
adopts every batch whose key file exists and whose tables are all present, so an hour of parsing is
not lost to a crash in the last minute. A half-written batch has no key file and is ignored, so an
interruption never gives a wrong answer. No server, no one file per article.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import pandas as pd

KEY = "_key"


def digest(*parts: object) -> str:
    """SHA-256 (hex) over the parts' text, each followed by a separator byte."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def open_parquet(path: str | os.PathLike[str]) -> Any:
    """A ``pyarrow.parquet.ParquetFile`` that reads a row group's data only when it gets to it.
    pyarrow's default (``pre_buffer=True``) first buffers every row group a read asks for, so
    iterating a file's batches (``iter_batches``) held the whole file before the first batch: on
    an actor-features file of 530 MB in 8 row groups, 570 MB of Arrow memory at once against
    190 MB with this. Use it wherever a file's batches are iterated or several row groups read
    at once (a loop of ``read_row_group`` buffers one group either way)."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path, pre_buffer=False)


def read_parquet(path: Path, columns: list[str] | None = None, *, empty: bool = False,
                 row_groups: list[int] | None = None) -> pd.DataFrame:
    """A Parquet file written from pandas, back with the dtypes it was written with: text as
    ``large_string`` (as pandas builds it from Python strings), and columns that were ``object``
    (text with missing values) as ``object`` again rather than pandas' ``str``, so that tables
    from the cache equal the computed ones and write byte-identical files. ``columns``: only
    those the file has (None: all). ``empty``: no rows, only the columns and their dtypes (from
    the file's footer; no data is read). ``row_groups``: only the rows of those row groups, in
    that order (None: all)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if columns is not None:
        # a piece with no rows was written with its key column only
        present = set(pq.read_schema(path).names)
        columns = [c for c in columns if c in present]
    if empty:
        schema = pq.read_schema(path)
        table = (schema if columns is None else pa.schema([schema.field(c) for c in columns],
                                                          metadata=schema.metadata)).empty_table()
    elif row_groups is not None:
        table = open_parquet(path).read_row_groups(row_groups, columns=columns)
    else:
        table = pq.read_table(path, columns=columns)
    return frame_of(table)


#: A batch of a Parquet file read a batch at a time holds about this many bytes of its rows as
#: stored (uncompressed), within :data:`BATCH_ROWS` rows (:func:`batch_rows`). By bytes, not rows:
#: an ``articles`` row holds a whole text (~6 kB), an ``entities`` row ~10 bytes.
BATCH_BYTES = 2 * 2**20
BATCH_ROWS = (256, 16_384)  # fewer rows per batch cost time, more add memory and no speed


def batch_rows(metadata: Any) -> int:
    """Rows per batch of a Parquet file read a batch at a time (``metadata``: its
    ``pyarrow.parquet.FileMetaData``): about :data:`BATCH_BYTES` of its rows as stored, within
    :data:`BATCH_ROWS` — a few hundred articles with their text, thousands of sentences."""
    stored = sum(metadata.row_group(g).total_byte_size for g in range(metadata.num_row_groups))
    low, high = BATCH_ROWS
    return max(low, min(high, BATCH_BYTES * metadata.num_rows // max(stored, 1)))


def read_batches(path: str | os.PathLike[str], columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """A Parquet file written from pandas, a batch of :func:`batch_rows` rows at a time, each as
    :func:`read_parquet` gives the whole (:func:`frame_of`): for a table too large to hold whole,
    such as the articles with their text. ``columns``: only those (None: all). A file without
    rows gives no batch."""
    import pyarrow as pa

    with open_parquet(path) as file:
        schema = file.schema_arrow
        if columns is not None:
            schema = pa.schema([schema.field(c) for c in columns], metadata=schema.metadata)
        for batch in file.iter_batches(batch_size=batch_rows(file.metadata), columns=columns):
            yield frame_of(pa.Table.from_batches([batch], schema=schema))


def frame_of(table: Any) -> pd.DataFrame:
    """An Arrow table written from pandas (read from a Parquet or Arrow file) as the DataFrame
    :func:`read_parquet` gives: text as ``large_string``, ``object`` columns ``object`` again."""
    import pyarrow as pa

    schema = pa.schema([f.with_type(pa.large_string()) if f.type == pa.string() else f for f in table.schema],
                       metadata=table.schema.metadata)
    frame = table.cast(schema).to_pandas()
    described = (table.schema.pandas_metadata or {}).get("columns", [])
    for column in described:
        name = column.get("name")
        if column.get("numpy_type") == "object" and name in frame.columns and frame[name].dtype != object:
            values = frame[name]
            frame[name] = values.astype(object).where(values.notna(), None)
    return frame


def join_pieces(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Pieces of one table (cached batches, or a task's partitions), one after the other. A piece
    without rows is left out when another has rows: it may hold only the key column (a partition
    without rows of the table), and joined it would turn the others' integer columns to float — a
    table's dtypes would then depend on whether it came from the cache or on which events shared
    a task. No pieces: an empty frame."""
    rows = [f for f in frames if len(f)]
    if rows:
        return pd.concat(rows, ignore_index=True)
    return frames[0] if frames else pd.DataFrame()


class PieceReader:
    """A function reading one piece of a table from its Parquet file ``path`` when called:
    ``reader(columns=None)`` gives the file's rows (``columns``: only those, with ``_key``), of the
    partition or article keys ``keys`` only when the file holds others too (None: every row).
    A plain object, not a closure, so that the work on the pieces can be sent to another process."""

    def __init__(self, path: str | os.PathLike[str], keys: frozenset[str] | None = None) -> None:
        self.path = Path(path)
        self.keys = keys

    def __call__(self, columns: list[str] | None = None) -> pd.DataFrame:
        frame = read_parquet(self.path, columns=None if columns is None else [*dict.fromkeys([*columns, KEY])])
        if self.keys is not None and len(self.keys) < frame[KEY].nunique():
            frame = frame[frame[KEY].isin(self.keys)].reset_index(drop=True)
        return frame

    def __repr__(self) -> str:
        return f"PieceReader({str(self.path)!r})"


class StageCache:
    """Per-article results of one stage (``tables`` names the tables each article contributes to)."""

    def __init__(self, root: str | os.PathLike[str] | None, stage: str, tables: tuple[str, ...]):
        self.enabled = root is not None
        self.folder = Path(root) / stage if root is not None else None
        self.tables = tables
        self._index = pd.DataFrame({KEY: pd.Series(dtype=object), "part": pd.Series(dtype=object)})
        self._new: list[pd.DataFrame] = []
        if self.enabled and (self.folder / "index.parquet").is_file():
            try:
                self._index = pd.read_parquet(self.folder / "index.parquet")
            except Exception:  # a damaged index is a cold cache, never an error
                self._index = self._index.iloc[0:0]
        if self.enabled:
            self._index = pd.concat([self._index, *self._unindexed_batches()], ignore_index=True)

    def _unindexed_batches(self) -> list[pd.DataFrame]:
        """Key → part rows of finished batches the index does not list (left by an interrupted run)."""
        folder = self.folder / "parts"
        if not folder.is_dir():
            return []
        indexed = set(self._index["part"])
        found = []
        for keys_file in sorted(folder.glob("*.keys.parquet")):
            part = keys_file.name[: -len(".keys.parquet")]
            if part in indexed or not all((folder / f"{part}.{t}.parquet").is_file() for t in self.tables):
                continue
            try:
                keys = pd.read_parquet(keys_file)[KEY]
            except Exception:  # a damaged key file: the batch is recomputed
                continue
            found.append(pd.DataFrame({KEY: keys.astype(object), "part": part}))
        return found

    def known(self, keys: Iterable[str]) -> set[str]:
        """The keys among ``keys`` that the cache holds."""
        if not self.enabled or self._index.empty:
            return set()
        held = set(self._index[KEY])
        return {k for k in keys if k in held}

    def load(self, keys: Iterable[str], *, tables: tuple[str, ...] | None = None,
             columns: list[str] | None = None) -> dict[str, pd.DataFrame]:
        """Rows of the cached ``keys``, per table (each with its ``_key`` column). ``tables``:
        only those (None: all of :attr:`tables`); ``columns``: only those columns (with ``_key``)."""
        names = self.tables if tables is None else tables
        keys = set(keys)
        if not self.enabled or not keys:
            return {t: pd.DataFrame() for t in names}
        return {t: join_pieces(list(self.parts(keys, t, columns=columns))) for t in names}

    def parts(self, keys: Iterable[str], table: str, *, columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
        """The cached rows of ``keys`` in ``table``, one stored batch at a time (each with its
        ``_key`` column, only ``columns`` if given), in the same order on every call: joined,
        they are :meth:`load`'s table. Nothing when the cache is off."""
        if not self.enabled:
            return
        wanted = set(keys)
        if columns is not None and KEY not in columns:
            columns = [*columns, KEY]
        index = self._index[self._index[KEY].isin(wanted)]
        for part, group in index.groupby("part", sort=True):
            part_keys = set(group[KEY])
            frame = read_parquet(self.folder / "parts" / f"{part}.{table}.parquet", columns=columns)
            if len(part_keys) < frame[KEY].nunique():
                frame = frame[frame[KEY].isin(part_keys)]
            yield frame

    def part_readers(self, keys: Iterable[str], table: str) -> list[PieceReader]:
        """:meth:`parts` as readers (:class:`PieceReader`), one per stored batch, that read it when
        called (each takes ``columns=`` as :func:`read_parquet` does; ``_key`` is always read;
        ``.path``: the batch's file, which may hold other keys' rows too): the pieces can be read
        one at a time, and again, in any order, in this process or another."""
        if not self.enabled:
            return []
        wanted = set(keys)
        index = self._index[self._index[KEY].isin(wanted)]
        return [PieceReader(self.folder / "parts" / f"{part}.{table}.parquet", frozenset(group[KEY]))
                for part, group in index.groupby("part", sort=True)]

    def store(self, keys: list[str], frames: Mapping[str, pd.DataFrame | Path]) -> None:
        """Write one batch: ``frames`` (each with a ``_key`` column) for the articles ``keys``; a
        table given as the path of a Parquet file already written (by a worker) is copied."""
        import shutil

        if not self.enabled or not keys:
            return
        part = uuid.uuid4().hex
        folder = self.folder / "parts"
        folder.mkdir(parents=True, exist_ok=True)
        for table in self.tables:
            target = folder / f"{part}.{table}.parquet"
            if isinstance(frames[table], Path):
                shutil.copyfile(frames[table], target)
            else:
                frames[table].to_parquet(target, index=False)
        # The key file is the batch's commit mark: written last and renamed into place whole.
        scratch = folder / f".{part}.keys-{uuid.uuid4().hex}.parquet"
        pd.DataFrame({KEY: keys}).to_parquet(scratch, index=False)
        os.replace(scratch, folder / f"{part}.keys.parquet")
        self._new.append(pd.DataFrame({KEY: keys, "part": part}))

    def commit(self) -> None:
        """Rewrite the index with this run's batches (atomically)."""
        if not self.enabled or not self._new:
            return
        index = pd.concat([self._index, *self._new], ignore_index=True).drop_duplicates(KEY, keep="last")
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".index-{uuid.uuid4().hex}.parquet"
        index.to_parquet(tmp, index=False)
        os.replace(tmp, self.folder / "index.parquet")
        self._index, self._new = index, []


def result_files(root: str | os.PathLike[str] | None, key: str) -> dict[str, Path] | None:
    """The Parquet file of each table of a whole earlier run with the same ``key`` (see
    :func:`store_result`), by name in the run's order, or None when there is none whole."""
    if root is None:
        return None
    folder = Path(root) / "runs" / key
    names_file = folder / "tables.txt"
    if not names_file.is_file():
        return None
    try:
        files = {name: folder / f"{name}.parquet" for name in names_file.read_text(encoding="utf-8").split()}
    except Exception:  # a damaged entry is a miss, never an error
        return None
    if not all(path.is_file() for path in files.values()):
        return None
    os.utime(folder)  # most recently used: kept longest
    return files


def result_csv_files(root: str | os.PathLike[str] | None, key: str,
                     csv_max_rows: int | None) -> dict[str, Path] | None:
    """The CSV copy of each table of the earlier run ``key`` (see :func:`store_result`), by name,
    when the entry holds one for every table, written with the same ``csv_max_rows`` (None: whole
    tables) and of the size it was stored with; else None (the caller writes them from the
    Parquet files)."""
    files = result_files(root, key)
    if files is None:
        return None
    try:
        stored = json.loads((Path(root) / "runs" / key / "csv.json").read_text(encoding="utf-8"))
        if stored["csv_max_rows"] != csv_max_rows:
            return None
        csv_files = {name: path.with_suffix(".csv") for name, path in files.items()}
        if all(path.stat().st_size == stored["bytes"][name] for name, path in csv_files.items()):
            return csv_files
    except Exception:  # none, or a damaged entry: a miss, never an error
        return None
    return None


def load_result(root: str | os.PathLike[str] | None, key: str) -> dict[str, pd.DataFrame] | None:
    """The tables of a whole earlier run with the same ``key`` (see :func:`store_result`), or None."""
    files = result_files(root, key)
    if files is None:
        return None
    try:
        return {name: read_parquet(path) for name, path in files.items()}
    except Exception:  # a damaged entry is a miss, never an error
        return None


def store_result(root: str | os.PathLike[str] | None, key: str, tables: Mapping[str, pd.DataFrame], *,
                 keep: int = 4) -> None:
    """Keep every table of a run under ``key`` (a digest of all its inputs and the code), so that
    an unchanged corpus re-runs without recomputing its corpus-level stages either. Only the
    ``keep`` most recently used runs are kept: the per-article cache is what incremental runs need.
    A table of a :class:`helpers.run.tables.Tables` already written to a file is copied from it
    (not read back), with its CSV copy when every table has one (``csv.json`` records their cap
    and sizes, :func:`result_csv_files`): a re-run then copies them rather than writing them again
    from the Parquet files (a minute on a corpus of 37,000 articles, against seconds)."""
    import shutil

    from helpers.run.tables import Tables

    if root is None:
        return
    runs = Path(root) / "runs"
    staging = runs / f".{key}-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    csv_copies = isinstance(tables, Tables) and tables.csv and all(
        tables.file(name) is not None and tables.file(name).with_suffix(".csv").is_file() for name in tables)
    for name in tables:
        written = tables.file(name) if isinstance(tables, Tables) else None
        if written is not None:
            shutil.copyfile(written, staging / f"{name}.parquet")
            if csv_copies:
                shutil.copyfile(written.with_suffix(".csv"), staging / f"{name}.csv")
        else:
            tables[name].to_parquet(staging / f"{name}.parquet", index=False)
    if csv_copies:
        sizes = {name: (staging / f"{name}.csv").stat().st_size for name in tables}
        (staging / "csv.json").write_text(json.dumps({"csv_max_rows": tables.csv_max_rows, "bytes": sizes}),
                                          encoding="utf-8")
    (staging / "tables.txt").write_text("\n".join(tables), encoding="utf-8")
    place_entry(staging, runs / key, keep=keep)


def place_entry(staging: Path, target: Path, *, keep: int) -> None:
    """Rename the finished cache entry ``staging`` to ``target`` (replacing an entry of the same
    key that could not be read back), then remove all but the ``keep`` most recently used entries
    beside it (folders not starting with a dot: one being written is never removed)."""
    import shutil

    if target.exists():
        shutil.rmtree(target, ignore_errors=True)
    os.replace(staging, target)
    entries = sorted((p for p in target.parent.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def store_files(root: str | os.PathLike[str], kind: str, key: str, files: Mapping[str, Path], *,
                keep: int) -> None:
    """Keep copies of ``files`` (name relative to the entry, ``/`` between folders → the file to
    copy) as the entry ``key`` of ``<root>/<kind>/``, listed in its ``files.txt`` (written last:
    an entry without it is incomplete, a miss); only the ``keep`` most recently used entries of
    ``kind`` are kept."""
    import shutil

    folder = Path(root) / kind
    staging = folder / f".{key}-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    for name, source in files.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (staging / "files.txt").write_text("\n".join(files), encoding="utf-8")
    place_entry(staging, folder / key, keep=keep)


def stored_files(root: str | os.PathLike[str] | None, kind: str, key: str) -> dict[str, Path] | None:
    """The files of entry ``key`` of ``<root>/<kind>/`` (:func:`store_files`), by the names they
    were stored under, or None when there is no complete entry."""
    if root is None:
        return None
    folder = Path(root) / kind / key
    try:
        names = (folder / "files.txt").read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    files = {name: folder / name for name in names if name}
    if not all(path.is_file() for path in files.values()):
        return None
    os.utime(folder)  # most recently used: kept longest
    return files
