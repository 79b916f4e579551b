"""Tables written as soon as no later step reads them: the same tables as a run held in memory,
the same files as writing them at the end, and a cached run copied, not recomputed."""

import filecmp
from pathlib import Path

import pandas as pd
import pytest

from helpers.run import article_rows, cache, pipeline
from helpers.run.tables import copy_written, Tables, write_table, write_tables

from conftest import two_events


def _frame(n: int = 3) -> pd.DataFrame:
    # text with a missing value kept as ``object``, as some tables hold it
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(n)],
                         "text": pd.Series(([None, "x", "y"] + ["z"] * n)[:n], dtype=object), "n": list(range(n))})


def test_a_written_table_is_read_back_the_same_and_its_memory_let_go(tmp_path):
    frame = _frame()
    tables = Tables({"t": frame, "u": frame.iloc[0:0]}, folder=tmp_path)
    assert tables.file("t") is None and tables.n_rows("t") == 3
    tables.write("t")
    assert tables.file("t") == tmp_path / "t.parquet" and (tmp_path / "t.csv").is_file()
    assert "t" not in {n for n, e in tables._entries.items() if isinstance(e, pd.DataFrame)}
    pd.testing.assert_frame_equal(tables["t"], frame)
    assert tables["t"]["text"].dtype == object  # text with missing values read back as written
    assert tables.n_rows("t") == 3 and list(tables) == ["t", "u"] and len(tables) == 2
    tables.write("t")  # written already: nothing happens
    tables.write_all()
    pd.testing.assert_frame_equal(tables["u"], frame.iloc[0:0])


def test_without_a_folder_writing_keeps_the_table_in_memory():
    frame = _frame()
    tables = Tables({"t": frame})
    tables.write_all()
    assert tables.file("t") is None and tables["t"] is frame


def test_a_written_table_replaced_or_deleted_is_no_longer_read_from_its_file(tmp_path):
    tables = Tables({"t": _frame()}, folder=tmp_path, csv_max_rows=1)
    tables.write("t")
    assert tables.capped == {"t": 3}
    tables["t"] = _frame(2)
    assert tables.file("t") is None and tables.capped == {} and len(tables["t"]) == 2
    del tables["t"]
    assert "t" not in tables


def test_updating_with_written_tables_keeps_them_files(tmp_path, monkeypatch):
    written = Tables({"t": _frame()}, folder=tmp_path, csv_max_rows=1)
    written.write("t")
    monkeypatch.setattr(cache, "read_parquet", lambda *a, **k: pytest.fail("read back to be copied"))
    merged = Tables({"u": _frame()})
    merged.update(written)
    assert merged.file("t") == tmp_path / "t.parquet" and merged.capped == {"t": 3}


@pytest.mark.parametrize("cap, capped", [(None, {}), (2, {"t": 3})])
def test_writing_tables_already_in_the_folder_leaves_them_and_copies_the_others_bytes(tmp_path, cap, capped):
    written = Tables({"t": _frame()}, folder=tmp_path / "there", csv_max_rows=cap)
    written.write("t")
    before = (tmp_path / "there" / "t.parquet").stat().st_mtime_ns
    assert write_tables(written, tmp_path / "there", csv_max_rows=cap) == capped
    assert (tmp_path / "there" / "t.parquet").stat().st_mtime_ns == before
    assert write_tables(written, tmp_path / "elsewhere", csv_max_rows=cap) == capped
    write_tables({"t": _frame()}, tmp_path / "plain", csv_max_rows=cap)
    for name in ("t.parquet", "t.csv"):
        assert filecmp.cmp(tmp_path / "elsewhere" / name, tmp_path / "plain" / name, shallow=False)
        assert filecmp.cmp(tmp_path / "there" / name, tmp_path / "plain" / name, shallow=False)


def test_copying_written_files_writes_the_same_pair_of_files(tmp_path):
    write_table(_frame(), tmp_path / "a", "t")
    copied = copy_written({"t": tmp_path / "a" / "t.parquet"}, tmp_path / "b")
    assert copied.file("t") == tmp_path / "b" / "t.parquet"
    for name in ("t.parquet", "t.csv"):
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False)


@pytest.mark.parametrize("n, cap, batch", [(0, None, 2), (7, None, 2), (7, 3, 2), (7, 4, 4), (7, 7, 3), (1, 0, 2)])
def test_copying_written_files_reads_them_a_batch_at_a_time_into_the_same_csv(tmp_path, monkeypatch, n, cap, batch):
    """A cached run's tables are copied, and their CSV written from each file a few rows at a time,
    never read whole: the same files and the same capped count as writing the table whole."""
    from helpers.run import tables as tables_module

    frame = _frame(n).assign(score=[i / 3 for i in range(n)])
    capped_whole = write_table(frame, tmp_path / "a", "t", csv_max_rows=cap)
    monkeypatch.setattr(cache, "BATCH_ROWS", (batch, batch))
    real_read = tables_module.read_parquet

    def no_whole_read(path, *args, **kwargs):
        assert kwargs.get("empty"), "a table was read whole"
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(tables_module, "read_parquet", no_whole_read)
    copied = copy_written({"t": tmp_path / "a" / "t.parquet"}, tmp_path / "b", csv_max_rows=cap)
    assert copied.capped == ({} if capped_whole is None else {"t": capped_whole})
    for name in ("t.parquet", "t.csv"):
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False), name
    assert copied.file("t") == tmp_path / "b" / "t.parquet" and copied.n_rows("t") == n


def test_a_stored_run_copies_written_tables_and_reads_them_back_equal(tmp_path):
    tables = Tables({"t": _frame(), "u": _frame(2)}, folder=tmp_path / "tables")
    tables.write("t")
    cache.store_result(tmp_path / "cache", "k", tables)
    assert filecmp.cmp(tmp_path / "tables" / "t.parquet", tmp_path / "cache" / "runs" / "k" / "t.parquet",
                       shallow=False)
    back = cache.load_result(tmp_path / "cache", "k")
    assert list(back) == ["t", "u"]
    for name in back:
        pd.testing.assert_frame_equal(back[name], tables[name])
    (tmp_path / "cache" / "runs" / "k" / "u.parquet").unlink()
    assert cache.result_files(tmp_path / "cache", "k") is None  # not whole: a miss


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return two_events(tmp_path_factory.mktemp("events") / "corpus")


def test_a_run_writing_its_tables_as_it_goes_gives_the_same_tables_and_files(corpus, tmp_path):
    held = pipeline.compute(corpus, cache_dir=None, workers=1)
    assert isinstance(held, dict)
    timings: dict[str, float] = {}
    written = pipeline.compute(corpus, cache_dir=None, workers=1, tables_dir=tmp_path / "tables", timings=timings)
    assert isinstance(written, Tables) and list(written) == list(held)
    assert timings["tables written"] > 0  # reported apart from the steps' own seconds
    assert all(written.file(name) is not None for name in written)  # every table written, none held
    for name in held:
        pd.testing.assert_frame_equal(written[name], held[name], check_dtype=True, obj=name)
    write_tables(held, tmp_path / "at-the-end")
    files = sorted(p.name for p in (tmp_path / "tables").iterdir())  # the scratch pieces are gone
    assert files == sorted(p.name for p in (tmp_path / "at-the-end").iterdir())
    for name in files:
        assert filecmp.cmp(tmp_path / "tables" / name, tmp_path / "at-the-end" / name, shallow=False), name


def test_a_cached_run_is_copied_into_the_tables_folder(corpus, tmp_path):
    first = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, tables_dir=tmp_path / "one")
    timings: dict[str, float] = {}
    again = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, tables_dir=tmp_path / "two",
                             timings=timings)
    assert "cached run" in timings and list(again) == list(first)
    for name in first:
        for suffix in (".parquet", ".csv"):
            assert filecmp.cmp(tmp_path / "one" / f"{name}{suffix}", tmp_path / "two" / f"{name}{suffix}",
                               shallow=False), name


def test_no_table_is_held_while_the_corpus_wide_steps_run(corpus, tmp_path, monkeypatch):
    seen: dict[str, object] = {}
    original = pipeline._CORPUS_FUNCTIONS["framing"]

    def framing(tables, **options):
        seen["held"] = {n for n in tables if tables.file(n) is None}
        seen["per_article"] = {n: options["per_article"].file(n) for n in options["per_article"]}
        return original(tables, **options)

    monkeypatch.setitem(pipeline._CORPUS_FUNCTIONS, "framing", framing)
    pipeline.compute(corpus, cache_dir=None, workers=1, tables_dir=tmp_path / "tables")
    # every table is in its file, read back by the step when it needs it
    assert seen["held"] == set()
    # the actor features wait in a scratch file, removed at the end
    assert list(seen["per_article"]) == ["actor_features"] and seen["per_article"]["actor_features"] is not None
    assert not seen["per_article"]["actor_features"].exists()


def test_a_failed_corpus_wide_step_writes_its_tables_empty_from_the_files_heads(corpus, tmp_path, monkeypatch):
    def broken(tables, **options):
        if len(tables["sentences"]):
            raise KeyError("injected corpus-wide failure")
        return original(tables, **options)

    original = pipeline._CORPUS_FUNCTIONS["framing"]
    monkeypatch.setitem(pipeline._CORPUS_FUNCTIONS, "framing", broken)
    tables = pipeline.compute(corpus, cache_dir=None, workers=1, tables_dir=tmp_path / "tables")
    failures = tables["stage_failures"]
    assert list(zip(failures["stage"], failures["input"])) == [("framing", "")]
    for name in ("distinctive_terms", "actor_labels", "frame_summary", "tone_contrasts"):
        assert tables[name].empty and len(tables[name].columns) and tables.file(name) is not None, name
    assert len(tables["facts"]) and len(tables["quotes"])


@pytest.mark.parametrize("batch_rows", [1, 2, 50_000])
@pytest.mark.parametrize("rows", [1, 2, 3, 100])
def test_actor_features_are_read_from_their_file_in_chunks_of_whole_articles(tmp_path, monkeypatch, batch_rows, rows):
    import json

    from helpers.run.tables import write_parquet

    features = pd.DataFrame({
        "article_id": ["a", "a", "b", "c", "c", "c", "d"], "sent_id": [0, 3, 1, 0, 2, 4, 0],
        "features": [json.dumps([[{"actor": f"x{i}"}], [["x", "head"]], [[i, "x", "PERSON"]], []]) for i in range(7)]})
    write_parquet(features, tmp_path / "actor_features.parquet")
    monkeypatch.setattr(article_rows, "ID_BATCH_ROWS", batch_rows)
    chunks = list(pipeline._feature_chunks(tmp_path / "actor_features.parquet", rows))
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), features)
    # no article is cut between two chunks; read a row at a time, a chunk per sentence asked for
    # is a chunk per article
    assert all(not set(x["article_id"]) & set(y["article_id"]) for x, y in zip(chunks, chunks[1:]))
    if rows == 1 and batch_rows == 1:
        assert [c["article_id"].unique().tolist() for c in chunks] == [["a"], ["b"], ["c"], ["d"]]


def test_a_file_read_a_batch_at_a_time_holds_one_row_group_not_the_file(tmp_path, monkeypatch):
    """Reading the actor features chunk by chunk (and any file through ``cache.open_parquet``)
    holds the row group being read, not every row group at once: pyarrow's default pre-buffering
    held the whole file before the first batch."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(7)
    groups, per_group = 8, 4_000
    n = groups * per_group
    features = pa.array([rng.bytes(600) for _ in range(n)], pa.binary())  # incompressible, as encoded features are
    pq.write_table(pa.table({"article_id": [f"a{i // 4:06d}" for i in range(n)], "sent_id": np.arange(n) % 4,
                             "features": features}), tmp_path / "actor_features.parquet", row_group_size=per_group)
    del features
    group_bytes = 600 * per_group
    monkeypatch.setattr(article_rows, "ID_BATCH_ROWS", 1_000)
    before = pa.total_allocated_bytes()
    chunks = pipeline._feature_chunks(tmp_path / "actor_features.parquet", 1_000)
    first = next(chunks)
    assert 0 < len(first) <= 1_000
    assert pa.total_allocated_bytes() - before < 3 * group_bytes  # the whole file would be 8
    assert sum(len(c) for c in chunks) == n - len(first)
    before = pa.total_allocated_bytes()
    with cache.open_parquet(tmp_path / "actor_features.parquet") as file:
        batches = file.iter_batches(batch_size=1_000)
        next(batches)
        assert pa.total_allocated_bytes() - before < 3 * group_bytes


def test_actor_features_of_an_article_that_comes_back_are_refused(tmp_path):
    from helpers.run.tables import write_parquet

    features = pd.DataFrame({"article_id": ["a", "b", "a"], "sent_id": [0, 0, 1], "features": "[[], [], [], []]"})
    write_parquet(features, tmp_path / "actor_features.parquet")
    with pytest.raises(ValueError, match="'a' came back"):
        list(pipeline._feature_chunks(tmp_path / "actor_features.parquet", 1))

def test_asking_whether_a_written_table_is_there_does_not_read_it(tmp_path, monkeypatch):
    from helpers.run import tables as tables_module

    written = Tables({"t": _frame()}, folder=tmp_path)
    written.write("t")
    monkeypatch.setattr(tables_module, "read_parquet", lambda *a, **k: pytest.fail("read to answer `in`"))
    assert "t" in written and "u" not in written


def _pieces_of_mixed_kinds() -> list[pd.DataFrame]:
    """Pieces as partitions give them: one without rows, one whose text column has no value (its
    Arrow type is null alone), one with a missing count (float where the others are int)."""
    def piece(ids, texts, counts):
        return pd.DataFrame({"article_id": ids, "text": pd.Series(texts, dtype=object), "n": counts,
                             "share": [0.5 * i for i in range(len(ids))], "flag": [i % 2 == 0 for i in range(len(ids))]})

    return [piece(["a", "b", "c"], ["x", None, "yy"], [1, 2, 3]),
            piece([], [], pd.Series([], dtype="int64")),
            piece(["d", "e"], [None, None], [4, 5]),
            piece(["f", "g", "h", "i"], ["z", "", "w", None], [6.0, None, 8.0, 9.0]),
            piece(["j"], ["v"], [10])]


@pytest.mark.parametrize("group_rows", [1, 2, 4, 1024 * 1024])
@pytest.mark.parametrize("csv_max_rows", [None, 0, 4, 10, 11])
def test_a_table_written_piece_by_piece_is_the_joined_tables_files(tmp_path, monkeypatch, group_rows, csv_max_rows):
    import filecmp

    from helpers.run import tables as tables_module
    from helpers.run.cache import read_parquet
    from helpers.run.tables import write_pieces, write_table

    monkeypatch.setattr(tables_module, "ROW_GROUP_ROWS", group_rows)
    pieces = _pieces_of_mixed_kinds()
    paths = []
    for i, piece in enumerate(pieces):
        paths.append(tmp_path / f"piece{i}.parquet")
        piece.to_parquet(paths[-1], index=False)
    calls = []

    def reader(path):
        def read():
            calls.append(path)
            return read_parquet(path)
        return read

    joined = pd.concat([read_parquet(p) for p in paths if len(read_parquet(p))], ignore_index=True)
    expected_capped = write_table(joined, tmp_path / "whole", "t", csv_max_rows=csv_max_rows)
    assert write_pieces([reader(p) for p in paths], tmp_path / "pieces", "t", csv_max_rows=csv_max_rows) == (
        True, expected_capped)
    for suffix in (".parquet", ".csv"):
        assert filecmp.cmp(tmp_path / "whole" / f"t{suffix}", tmp_path / "pieces" / f"t{suffix}", shallow=False)
    pd.testing.assert_frame_equal(read_parquet(tmp_path / "pieces" / "t.parquet"), joined, check_dtype=True)
    assert len(calls) <= 3 * len(paths)  # a piece read twice, and once more when its dtypes are not the joined ones


@pytest.mark.parametrize("text_group_rows, groups", [(1, 10), (3, 4), (4096, 1)])
def test_the_articles_table_is_written_in_row_groups_of_a_few_articles(tmp_path, monkeypatch, text_group_rows,
                                                                       groups):
    """A table whose rows hold whole texts (``articles``) is laid out in row groups of
    ``TEXT_ROW_GROUP_ROWS`` rows, written whole or piece by piece alike (one row group of 128k
    rows was a whole corpus's text, held at once by the writer); another table keeps its row groups."""
    import pyarrow.parquet as pq

    from helpers.run import tables as tables_module
    from helpers.run.tables import Tables, write_pieces, write_table

    monkeypatch.setattr(tables_module, "TEXT_ROW_GROUP_ROWS", text_group_rows)
    pieces = [p for p in _pieces_of_mixed_kinds() if len(p)]
    joined = pd.concat(pieces, ignore_index=True)
    assert len(joined) == 10
    for name, expected in (("articles", groups), ("t", 1)):
        write_table(joined, tmp_path / "whole", name)
        write_pieces([lambda p=p: p for p in pieces], tmp_path / "pieces", name)
        Tables({name: joined}, folder=tmp_path / "kept", csv=False).write(name)
        for folder in ("whole", "pieces", "kept"):
            assert pq.ParquetFile(tmp_path / folder / f"{name}.parquet").num_row_groups == expected, (folder, name)
        assert (tmp_path / "whole" / f"{name}.parquet").read_bytes() == (tmp_path / "pieces" / f"{name}.parquet").read_bytes()


@pytest.mark.parametrize("pieces", [
    [pd.DataFrame({"a": pd.Series([], dtype=object)})],  # no rows at all: the caller's empty table
    [pd.DataFrame({"a": pd.Series(["x"], dtype=object)}), pd.DataFrame({"a": pd.Series([1], dtype=object)})],
])
def test_pieces_that_cannot_be_written_one_after_the_other_are_left_to_the_caller(tmp_path, pieces):
    from helpers.run.tables import write_pieces

    assert write_pieces([lambda p=p: p for p in pieces], tmp_path, "t") == (False, None)
    assert not list(tmp_path.iterdir())


def test_a_run_in_batches_writes_its_foundation_piece_by_piece_as_the_tables_held_in_memory(
        corpus, tmp_path, monkeypatch):
    """With a cache and a tables folder, the foundation's large tables are put in order on disk
    (tiny row groups and pieces here), the quotes stage's batches read their rows from there and
    each table is written piece after piece: the same tables and files as a run held in memory —
    an article the quotes stage fails on left out of all of them."""
    from helpers.run import batches, engine, tables as tables_module

    monkeypatch.setattr(tables_module, "ROW_GROUP_ROWS", 7)
    monkeypatch.setattr(engine, "_WRITE_ROWS", 5)
    monkeypatch.setattr(engine, "_ARTICLE_PIECE_ROWS", 2)  # the articles written from their spilled text
    from helpers.load.corpus import load_corpus

    victim = load_corpus(corpus).raw_articles["article_id"].iloc[1]
    real = batches._quotes_batch

    def failing(batch, *rest, **options):
        if victim in set(batch["article_id"]):
            raise RuntimeError("boom")
        return real(batch, *rest, **options)

    monkeypatch.setattr(batches, "_quotes_batch", failing)
    held = pipeline.compute(corpus, cache_dir=None, workers=1)
    assert victim not in set(held["sentences"]["article_id"]) and len(held["stage_failures"]) == 1
    streamed = []
    real_write = engine._write_ordered
    monkeypatch.setattr(engine, "_write_ordered", lambda *a, **k: streamed.append(a[2]) or real_write(*a, **k))
    written = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, tables_dir=tmp_path / "tables",
                               batch_size=3)
    assert sorted(streamed) == sorted(engine.FOUNDATION_ORDER)  # each once, largest first
    write_tables(held, tmp_path / "at-the-end")
    files = sorted(p.name for p in (tmp_path / "tables").iterdir())  # no scratch file left
    assert files == sorted(p.name for p in (tmp_path / "at-the-end").iterdir())
    for name in files:
        assert filecmp.cmp(tmp_path / "tables" / name, tmp_path / "at-the-end" / name, shallow=False), name
    pd.testing.assert_frame_equal(written["entities"], held["entities"])


def _large_frame(rows: int, *, lists: bool = False) -> pd.DataFrame:
    """A frame of each kind of column a table has: numbers, Arrow-backed text, categories (and
    with ``lists``, Arrow lists)."""
    import numpy as np
    import pyarrow as pa

    frame = pd.DataFrame({"n": np.arange(rows), "share": np.linspace(0, 1, rows),
                          "text": pd.array([f"sentence number {i} of the piece" for i in range(rows)], dtype="str"),
                          "label": pd.Categorical(["a", "b"] * (rows // 2))})
    if lists:
        frame["values"] = pd.array([[i, i + 1] for i in range(rows)], dtype=pd.ArrowDtype(pa.list_(pa.int64())))
    return frame


@pytest.mark.parametrize("rows", [0, 2, 200_000])
def test_a_frame_without_rows_has_its_columns_and_types_and_holds_none_of_its_memory(rows):
    import gc
    import tracemalloc

    import pyarrow as pa

    from helpers.run.tables import without_rows

    tracemalloc.start()
    try:
        arrow_before, numpy_before = pa.total_allocated_bytes(), tracemalloc.get_traced_memory()[0]
        frame = _large_frame(rows, lists=True)
        head = without_rows(frame)
        view = frame.iloc[0:0]
        assert len(head) == 0 and head.columns.equals(view.columns) and head.dtypes.equals(view.dtypes)
        assert head.index.equals(pd.RangeIndex(0))
        assert pa.Schema.from_pandas(head, preserve_index=False).equals(
            pa.Schema.from_pandas(view, preserve_index=False), check_metadata=True)
        del frame, view
        gc.collect()
        # the 200,000 rows weigh ~15 MB of Arrow buffers and ~3 MB of numpy arrays; the head nothing
        assert pa.total_allocated_bytes() - arrow_before < 64 * 1024
        assert tracemalloc.get_traced_memory()[0] - numpy_before < 256 * 1024
    finally:
        tracemalloc.stop()


def test_a_table_written_piece_by_piece_holds_no_earlier_piece(tmp_path, monkeypatch):
    import gc

    import pyarrow as pa

    from helpers.run import tables as tables_module
    from helpers.run.tables import write_pieces

    rows = 20_000
    monkeypatch.setattr(tables_module, "ROW_GROUP_ROWS", rows)  # each piece a whole row group: none is kept
    gc.collect()
    before = pa.total_allocated_bytes()
    held_at_each_read = []

    def read() -> pd.DataFrame:
        gc.collect()
        held_at_each_read.append(pa.total_allocated_bytes() - before)
        return _large_frame(rows)

    assert write_pieces([read] * 12, tmp_path, "t", csv=False) == (True, None)
    piece_bytes = pa.Table.from_pandas(_large_frame(rows), preserve_index=False).nbytes
    # both passes over the pieces (describing them, then writing them): at most a piece and a
    # row group held, never the pieces read before
    assert len(held_at_each_read) == 24 and max(held_at_each_read) < 3 * piece_bytes
    assert len(pd.read_parquet(tmp_path / "t.parquet")) == 12 * rows



def test_a_stored_run_keeps_the_csv_copies_and_a_rerun_copies_them(tmp_path, monkeypatch):
    """A re-run of an unchanged corpus copies each table's CSV from the cache (seconds) rather than
    writing it again from the Parquet file (a minute on 37,000 articles): the same bytes and the
    same capped count."""
    from helpers.run import tables as tables_module

    tables = Tables({"t": _frame(7), "u": _frame(2)}, folder=tmp_path / "tables", csv_max_rows=3)
    tables.write_all()
    cache.store_result(tmp_path / "cache", "k", tables)
    assert cache.result_csv_files(tmp_path / "cache", "k", 4) is None, "written with another cap"
    csv_files = cache.result_csv_files(tmp_path / "cache", "k", 3)
    assert sorted(csv_files) == ["t", "u"]

    def no_csv_from_parquet(*args, **kwargs):
        raise AssertionError("a CSV was written again rather than copied")

    monkeypatch.setattr(tables_module, "csv_from_parquet", no_csv_from_parquet)
    copied = copy_written(cache.result_files(tmp_path / "cache", "k"), tmp_path / "again", csv_max_rows=3,
                          csv_files=csv_files)
    assert copied.capped == tables.capped == {"t": 7}
    for name in ("t.parquet", "t.csv", "u.parquet", "u.csv"):
        assert filecmp.cmp(tmp_path / "tables" / name, tmp_path / "again" / name, shallow=False), name


@pytest.mark.parametrize("damage", ["missing", "truncated", "no record"])
def test_damaged_csv_copies_in_the_cache_are_a_miss(tmp_path, damage):
    tables = Tables({"t": _frame(5)}, folder=tmp_path / "tables")
    tables.write_all()
    cache.store_result(tmp_path / "cache", "k", tables)
    entry = tmp_path / "cache" / "runs" / "k"
    if damage == "missing":
        (entry / "t.csv").unlink()
    elif damage == "truncated":
        (entry / "t.csv").write_bytes((entry / "t.csv").read_bytes()[:-5])
    else:
        (entry / "csv.json").unlink()
    assert cache.result_csv_files(tmp_path / "cache", "k", tables.csv_max_rows) is None
    assert cache.result_files(tmp_path / "cache", "k") is not None, "the tables themselves are still reused"


def test_tables_kept_in_memory_are_stored_without_csv_copies(tmp_path):
    cache.store_result(tmp_path / "cache", "k", {"t": _frame(3)})
    assert cache.result_files(tmp_path / "cache", "k") is not None
    assert cache.result_csv_files(tmp_path / "cache", "k", None) is None


@pytest.mark.parametrize("pieces", [
    [pd.DataFrame({"a": ["x", "y"]}), pd.DataFrame({"a": ["z"]})],                     # written piece after piece
    [pd.DataFrame({"a": pd.Series([], dtype=object)})],                                  # no rows: joined
    [],                                                                                   # none: the empty table
])
@pytest.mark.parametrize("csv", [True, False])
def test_pieces_or_joined_write_the_table_with_or_without_its_csv_copy(tmp_path, pieces, csv):
    from helpers.run.cache import join_pieces, read_parquet
    from helpers.run.tables import describe_piece, write_pieces_or_joined

    empty = pd.DataFrame({"a": pd.Series([], dtype=object)})
    described = [describe_piece(p) for p in pieces]
    assert write_pieces_or_joined([lambda p=p: p for p in pieces], tmp_path, "t", csv=csv, empty=empty,
                                  described=described) is None
    expected = join_pieces(list(pieces)) if pieces else empty
    pd.testing.assert_frame_equal(read_parquet(tmp_path / "t.parquet"), expected.reset_index(drop=True))
    assert (tmp_path / "t.csv").exists() == csv
