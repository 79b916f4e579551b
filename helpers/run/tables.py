"""A run's tables, each held in memory or written to its files as soon as it is final.

On a corpus of tens of thousands of articles a run's tables are gigabytes, and most of them are
read by no step after the one that makes them (the coverage matrix, facts, timelines…). A
:class:`Tables` maps each table's name to its DataFrame, or — once :meth:`Tables.write` has put
it in the tables folder — to that Parquet file, read back whole when someone asks for it. The
main process then holds a table only while a step reads it.

A table written to a folder is the report's pair of files (:func:`write_table`): ``<name>.parquet``
(whole; what the notebooks read) and ``<name>.csv`` (for people: its first ``csv_max_rows`` rows,
in the table's order — :data:`CSV_MAX_ROWS`, what a spreadsheet opens).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, Callable, Collection, Sequence

import pandas as pd

from helpers.run.cache import read_batches, read_parquet
from helpers.run.memory import release_free_memory

#: Rows a table's CSV copy holds at most: the most a spreadsheet opens (1,048,576 rows with the
#: header). The Parquet file always holds the whole table; on a corpus of tens of thousands of
#: articles a few tables (the coverage matrix, emphasis, actor labels) have millions of rows.
CSV_MAX_ROWS = 1_048_575
#: Rows of a Parquet row group, whole tables and tables written piece after piece alike (so that
#: both lay a table out the same): what :func:`write_pieces` holds of a table at most, besides one
#: piece (pyarrow's default, 1,048,576, would hold a million rows of a table before writing any).
ROW_GROUP_ROWS = 128 * 1024
#: Tables each of whose rows holds a whole article's text (~6 kB): their row groups are
#: :data:`TEXT_ROW_GROUP_ROWS` rows, or one row group would be the text of a whole corpus of up to
#: :data:`ROW_GROUP_ROWS` articles — held at once when the table is written piece by piece (0.45 GB
#: more for the full Article-Bias-Prediction file) and by any reader of a row group.
TEXT_TABLES = frozenset({"articles"})
TEXT_ROW_GROUP_ROWS = 2_048


def row_group_rows(name: str) -> int:
    """Rows of a Parquet row group of table ``name`` (the same whether it is written whole or piece
    after piece): :data:`TEXT_ROW_GROUP_ROWS` for :data:`TEXT_TABLES` (never more than
    :data:`ROW_GROUP_ROWS`), else :data:`ROW_GROUP_ROWS`."""
    return min(TEXT_ROW_GROUP_ROWS, ROW_GROUP_ROWS) if name in TEXT_TABLES else ROW_GROUP_ROWS


def write_table(frame: pd.DataFrame, folder: str | os.PathLike[str], name: str, *,
                csv_max_rows: int | None = CSV_MAX_ROWS) -> int | None:
    """Write ``frame`` as ``<name>.parquet`` (whole) and ``<name>.csv`` (its first
    ``csv_max_rows`` rows; None: all) in ``folder``. Returns the table's rows when its CSV holds
    fewer, else None."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    capped = None
    if csv_max_rows is not None and len(frame) > csv_max_rows:
        capped = len(frame)
        frame.iloc[:csv_max_rows].to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    else:
        frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    write_parquet(frame, folder / f"{name}.parquet", group_rows=row_group_rows(name))
    return capped


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike[str], *, group_rows: int | None = None) -> None:
    """``frame`` as a Parquet file (as ``frame.to_parquet(path, index=False)`` writes it), each
    column first made one contiguous array: how a column was put together (one piece, or many
    events' pieces joined) would otherwise change the file's bytes — the writer checks its text
    dictionaries' size chunk by chunk — while the table is the same. ``group_rows``: rows per row
    group (None: :data:`ROW_GROUP_ROWS`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False).combine_chunks(), path, compression="snappy",
                   row_group_size=group_rows or ROW_GROUP_ROWS)


def write_pieces(pieces: Sequence[Callable[[], pd.DataFrame]], folder: str | os.PathLike[str], name: str, *,
                 csv_max_rows: int | None = CSV_MAX_ROWS, csv: bool = True,
                 described: Sequence[tuple[pd.DataFrame, Any]] | None = None) -> tuple[bool, int | None]:
    """Write the table whose rows are the pieces ``pieces`` give, one after the other (each a
    function that reads or makes its piece; each is called twice, or once with ``described``), as :func:`write_table` writes
    the joined table — the same Parquet bytes and CSV text — while holding at most one piece and
    one row group (:func:`row_group_rows`) of the table, never the whole of it.

    The first pass reads each piece's dtypes and Arrow types (a column without values in one
    piece takes the others' type, as joining the pieces would give it); the second converts each
    piece to those and writes it (``described``: each piece's :func:`describe_piece`, when the
    caller has it already: the first pass is skipped). Pieces whose types cannot be put together so (one column text in
    one piece and numbers in another, say) are not written: returns ``(False, None)`` and the
    caller writes the joined table. Otherwise ``(True, rows)``: ``rows`` the table's rows when its
    CSV holds fewer (``csv_max_rows``), else None. ``csv``: whether the CSV copy is written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if described is None:
        described = []
        for load in pieces:
            described.append(describe_piece(load()))
            release_free_memory(full=False)  # each piece's freed buffers, as in the second pass
    heads = [head for head, _ in described]
    schemas = [schema for _, schema in described]
    if all(s is None for s in schemas):
        return False, None  # no rows: the caller's empty table, with its template's columns
    # the dtypes joining the pieces would give (pandas decides them from the dtypes alone)
    with_rows = [h for h, s in zip(heads, schemas) if s is not None]
    joined = pd.concat(with_rows, ignore_index=True)
    dtypes = joined.dtypes
    for i, (head, schema) in enumerate(zip(heads, schemas)):
        if schema is not None and not head.dtypes.equals(dtypes):
            schemas[i] = pa.Schema.from_pandas(pieces[i]().astype(dtypes), preserve_index=False)
    schema = joined_schema(joined, [s for s in schemas if s is not None])
    if schema is None:
        return False, None

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    group_rows = row_group_rows(name)
    rows = 0
    held: list[pa.Table] = []
    held_rows = 0
    csv_file = (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") if csv else None
    try:
        if csv_file is not None:
            joined.to_csv(csv_file, index=False, lineterminator="\n")  # the header
        with pq.ParquetWriter(folder / f"{name}.parquet", schema, compression="snappy") as writer:
            for load, piece_schema in zip(pieces, schemas):
                if piece_schema is None:  # no rows
                    continue
                piece = load()
                if not piece.dtypes.equals(dtypes):
                    piece = piece.astype(dtypes)
                if csv_file is not None and (csv_max_rows is None or rows < csv_max_rows):
                    room = len(piece) if csv_max_rows is None else min(len(piece), csv_max_rows - rows)
                    piece.iloc[:room].to_csv(csv_file, index=False, header=False, lineterminator="\n")
                rows += len(piece)
                held.append(pa.Table.from_pandas(piece, schema=schema, preserve_index=False))
                held_rows += len(piece)
                del piece
                # with Arrow's system pool a piece's freed buffers stay resident until trimmed:
                # without this the full file's sentences and entities took the process from
                # 0.90 to 1.01 GiB piece after piece
                release_free_memory(full=False)
                if held_rows >= group_rows:
                    # whole row groups out, each one contiguous block as the whole table's would be
                    table = pa.concat_tables(held)
                    while table.num_rows >= group_rows:
                        writer.write_table(table.slice(0, group_rows).combine_chunks())
                        table = table.slice(group_rows)
                    held, held_rows = ([table], table.num_rows) if table.num_rows else ([], 0)
                    del table
            if held:
                writer.write_table(pa.concat_tables(held).combine_chunks())
            elif rows == 0:
                writer.write_table(schema.empty_table())
    finally:
        if csv_file is not None:
            csv_file.close()
    return True, (rows if csv_max_rows is not None and rows > csv_max_rows else None)


def write_pieces_or_joined(pieces: Sequence[Callable[[], pd.DataFrame]], folder: str | os.PathLike[str], name: str,
                           *, csv_max_rows: int | None = CSV_MAX_ROWS, empty: pd.DataFrame | None = None,
                           csv: bool = True, described: Sequence[tuple[pd.DataFrame, Any]] | None = None) -> int | None:
    """:func:`write_pieces`, or, when the pieces cannot be written so (none has rows; types that only
    joining reconciles), the pieces joined (``empty`` when there are none) written by
    :func:`write_table` (``csv``: False — the Parquet file only). ``described``: as
    :func:`write_pieces` takes it. Returns the table's rows when its CSV holds fewer, else None."""
    from helpers.run.cache import join_pieces

    if pieces:
        written, capped = write_pieces(pieces, folder, name, csv_max_rows=csv_max_rows, csv=csv, described=described)
        if written:
            return capped
    whole = join_pieces([load() for load in pieces]) if pieces else empty
    if csv:
        return write_table(whole, folder, name, csv_max_rows=csv_max_rows)
    Path(folder).mkdir(parents=True, exist_ok=True)
    write_parquet(whole, Path(folder) / f"{name}.parquet", group_rows=row_group_rows(name))
    return None


def article_ranges(article_ids: Any, rows: int, range_rows: int) -> tuple[int, Any]:
    """Ranges of articles over which a table of ``rows`` rows is put in order piece by piece, about
    ``range_rows`` rows each: ``(articles per range, bounds)``, ``bounds`` the sorted ids that open
    every range but the first (``numpy.searchsorted(bounds, ids, side="right")`` gives each id's
    range)."""
    import numpy as np

    ids = np.asarray(article_ids, dtype=object)
    n_ranges = max(1, -(-rows // range_rows))
    per_range = max(1, -(-len(ids) // n_ranges))
    return per_range, np.sort(ids)[per_range::per_range]


def without_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s columns and dtypes with no rows (index 0..-1), holding none of its memory.

    ``frame.iloc[0:0]`` (and its ``copy()``) is a view: each numpy column keeps its parent array
    and each Arrow-backed one its buffers, so a list of such heads keeps every piece they came
    from alive — a table "written piece after piece" was held whole that way. ``take([])`` makes
    new, empty arrays of the same types."""
    return frame.take([]).reset_index(drop=True)


def describe_piece(piece: pd.DataFrame) -> tuple[pd.DataFrame, Any]:
    """What :func:`write_pieces` needs to know of a piece before writing: its columns and dtypes
    (the piece without rows, :func:`without_rows`: it keeps none of the piece's memory) and its
    Arrow schema (None when it has no rows)."""
    import pyarrow as pa

    return without_rows(piece), (pa.Schema.from_pandas(piece, preserve_index=False) if len(piece) else None)


def joined_description(described: Sequence[tuple[pd.DataFrame, Any]]) -> tuple[pd.DataFrame, Any] | None:
    """:func:`describe_piece` of the pieces ``described`` joined (None when their types cannot be
    put together: :func:`write_pieces` would not write them)."""
    with_rows = [(head, schema) for head, schema in described if schema is not None]
    if not with_rows:
        return described[0][0], None
    joined = pd.concat([head for head, _ in with_rows], ignore_index=True)
    if any(not head.dtypes.equals(joined.dtypes) for head, _ in with_rows):
        return None  # a cast would change some piece's Arrow types: not known without its rows
    schema = joined_schema(joined, [schema for _, schema in with_rows])
    return None if schema is None else (joined, schema)


def joined_schema(joined_head: pd.DataFrame | None, schemas: list[Any]) -> Any:
    """The Arrow schema (with pandas' metadata) of the pieces of ``schemas`` joined, as
    ``pa.Table.from_pandas`` of the joined frame gives it (``joined_head``: that frame without
    rows): a column with no values in a piece (Arrow type ``null``, pandas type ``empty``) takes
    the other pieces' type. None when the pieces' types differ otherwise."""
    import json

    import pyarrow as pa

    if not schemas:
        return pa.Schema.from_pandas(joined_head, preserve_index=False)
    first = schemas[0]
    fields = []
    for position, field in enumerate(first):
        types = {s.field(position).type for s in schemas} - {pa.null()}
        if len(types) > 1 or any(s.field(position).name != field.name for s in schemas):
            return None
        fields.append(field.with_type(types.pop()) if types else field)
    metadata = json.loads(first.metadata[b"pandas"])
    described = [json.loads(s.metadata[b"pandas"])["columns"] for s in schemas]
    for position, column in enumerate(metadata["columns"]):
        kinds = {d[position]["pandas_type"] for d in described} - {"empty"}
        if len(kinds) > 1:
            return None
        if kinds:
            kind = kinds.pop()
            source = next(d[position] for d in described if d[position]["pandas_type"] == kind)
            metadata["columns"][position] = source
    return pa.schema(fields, metadata={**first.metadata, b"pandas": json.dumps(metadata).encode()})


def head_of(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """Table ``name`` of ``tables`` with no rows (its columns and dtypes); a written table of a
    :class:`Tables` is not read back (:meth:`Tables.head`)."""
    return tables.head(name) if isinstance(tables, Tables) else tables[name].iloc[0:0]


def parquet_rows(path: str | os.PathLike[str]) -> int:
    """The rows of a Parquet file, from its footer (nothing else is read)."""
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


class Tables(MutableMapping[str, pd.DataFrame]):
    """Tables by name, in the order they were added: each a DataFrame in memory, or the Parquet
    file :meth:`write` put it in (read back, whole, each time it is asked for).

    ``folder``: where :meth:`write` writes (None: :meth:`write` keeps the table in memory, so
    code that writes as it goes runs unchanged without a folder); ``csv``: whether it writes the
    CSV copy too (False: the Parquet file only, for tables kept aside rather than reported).
    ``capped``: the tables written whose CSV holds fewer rows than the table (name → rows);
    ``write_seconds``: the time :meth:`write` has taken (a run reports it apart from its steps')."""

    def __init__(self, frames: Mapping[str, pd.DataFrame] | None = None, *,
                 folder: str | os.PathLike[str] | None = None, csv_max_rows: int | None = CSV_MAX_ROWS,
                 csv: bool = True) -> None:
        self.folder = Path(folder) if folder is not None else None
        self.csv_max_rows = csv_max_rows
        self.csv = csv
        self.capped: dict[str, int] = {}
        self.write_seconds = 0.0
        self._entries: dict[str, pd.DataFrame | Path] = {}
        if frames is not None:
            self.update(frames)

    def __getitem__(self, name: str) -> pd.DataFrame:
        entry = self._entries[name]
        return read_parquet(entry) if isinstance(entry, Path) else entry

    def __setitem__(self, name: str, frame: pd.DataFrame) -> None:
        self._entries[name] = frame
        self.capped.pop(name, None)

    def __delitem__(self, name: str) -> None:
        del self._entries[name]
        self.capped.pop(name, None)

    def __contains__(self, name: object) -> bool:
        # Mapping's own test reads the value: a written table would be read whole to answer it
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        held = ", ".join(f"{n}{'' if isinstance(e, pd.DataFrame) else ' (file)'}" for n, e in self._entries.items())
        return f"Tables({held})"

    def update(self, other: Any = (), /, **frames: pd.DataFrame) -> None:
        """As a dict's, except that another :class:`Tables`' written tables stay files (they are
        not read to be copied)."""
        if isinstance(other, Tables):
            for name in other:
                self._entries[name] = other._entries[name]
                self.capped.pop(name, None)
            self.capped.update(other.capped)
            other = ()
        super().update(other, **frames)

    def add_file(self, name: str, path: str | os.PathLike[str]) -> None:
        """Table ``name`` as the Parquet file at ``path``, written by another step (read back when
        asked for; :meth:`write` leaves it where it is)."""
        self._entries[name] = Path(path)
        self.capped.pop(name, None)

    def head(self, name: str) -> pd.DataFrame:
        """Table ``name`` with no rows (its columns and dtypes), without reading a written one back."""
        entry = self._entries[name]
        return read_parquet(entry, empty=True) if isinstance(entry, Path) else entry.iloc[0:0]

    def file(self, name: str) -> Path | None:
        """The Parquet file table ``name`` was written to, or None while it is in memory."""
        entry = self._entries[name]
        return entry if isinstance(entry, Path) else None

    def n_rows(self, name: str) -> int:
        """The rows of table ``name``, without reading a written one back."""
        path = self.file(name)
        return parquet_rows(path) if path is not None else len(self._entries[name])

    def write(self, name: str) -> None:
        """Write table ``name`` to :attr:`folder` (:func:`write_table`) and let its DataFrame go;
        without a folder, or when it is written already, nothing happens."""
        entry = self._entries[name]
        if self.folder is None or isinstance(entry, Path):
            return
        clock = time.perf_counter()
        if self.csv:
            capped = write_table(entry, self.folder, name, csv_max_rows=self.csv_max_rows)
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_parquet(entry, self.folder / f"{name}.parquet", group_rows=row_group_rows(name))
            capped = None
        self.write_seconds += time.perf_counter() - clock
        self._entries[name] = self.folder / f"{name}.parquet"
        if capped is not None:
            self.capped[name] = capped

    def write_all(self, *, but: Collection[str] = ()) -> None:
        """:meth:`write` every table not named in ``but``."""
        for name in list(self._entries):
            if name not in but:
                self.write(name)


def copy_written(files: Mapping[str, Path], folder: str | os.PathLike[str], *,
                 csv_max_rows: int | None = CSV_MAX_ROWS, csv_files: Mapping[str, Path] | None = None) -> Tables:
    """Tables already written as Parquet files elsewhere (a cached run's, by name), written into
    ``folder`` one at a time: each file copied (the same bytes) and its CSV copied from
    ``csv_files`` (by name: the CSVs written beside those files with the same ``csv_max_rows``) or
    else written from it a batch at a time (:func:`csv_from_parquet`) — a re-run of an unchanged
    corpus never holds a whole table (the actor labels of 37,000 articles are 4.7 million rows).
    Returns them as written tables of ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = Tables(folder=folder, csv_max_rows=csv_max_rows)
    for name, path in files.items():
        target = folder / f"{name}.parquet"
        shutil.copyfile(path, target)
        if csv_files is not None and name in csv_files:
            shutil.copyfile(csv_files[name], folder / f"{name}.csv")
            rows = parquet_rows(target)
            capped = rows if csv_max_rows is not None and rows > csv_max_rows else None
        else:
            capped = csv_from_parquet(target, folder / f"{name}.csv", csv_max_rows=csv_max_rows)
        out.add_file(name, target)
        if capped is not None:
            out.capped[name] = capped
    return out


def csv_from_parquet(path: str | os.PathLike[str], csv_path: str | os.PathLike[str], *,
                     csv_max_rows: int | None = CSV_MAX_ROWS) -> int | None:
    """Write the CSV copy of the table in the Parquet file ``path`` to ``csv_path``, the bytes
    :func:`write_table` writes for it (its first ``csv_max_rows`` rows; None: all), reading the
    file a batch at a time and no further than those rows. Returns the table's rows when the CSV
    holds fewer, else None."""
    rows = parquet_rows(path)
    written = 0
    with Path(csv_path).open("w", encoding="utf-8", newline="") as csv_file:
        read_parquet(Path(path), empty=True).to_csv(csv_file, index=False, lineterminator="\n")  # the header
        for batch in read_batches(path):
            if csv_max_rows is not None and written >= csv_max_rows:
                break
            room = len(batch) if csv_max_rows is None else min(len(batch), csv_max_rows - written)
            batch.iloc[:room].to_csv(csv_file, index=False, header=False, lineterminator="\n")
            written += room
    return rows if csv_max_rows is not None and rows > csv_max_rows else None


def write_tables(tables: Mapping[str, pd.DataFrame], directory: str | os.PathLike[str], *,
                 csv_max_rows: int | None = CSV_MAX_ROWS) -> dict[str, int]:
    """Write each table of ``tables`` as :func:`write_table` does, in ``directory``. A table of a
    :class:`Tables` already written there is left as it is; one written elsewhere has its Parquet
    file copied (the same bytes) and its CSV written from it (:func:`csv_from_parquet`). Returns the tables whose CSV holds
    fewer rows than the table: name → the table's rows."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    capped = {}
    for name in tables:
        source = tables.file(name) if isinstance(tables, Tables) else None
        if source is not None and source.resolve() == (folder / f"{name}.parquet").resolve():
            if name in tables.capped:
                capped[name] = tables.capped[name]
            continue
        if source is not None:
            # the written file as the table was first written (the same bytes), its CSV from it a
            # batch at a time: the table is never read back whole
            shutil.copyfile(source, folder / f"{name}.parquet")
            rows = csv_from_parquet(folder / f"{name}.parquet", folder / f"{name}.csv", csv_max_rows=csv_max_rows)
        else:
            rows = write_table(tables[name], folder, name, csv_max_rows=csv_max_rows)
        if rows is not None:
            capped[name] = rows
    return capped
