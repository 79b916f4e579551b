"""The per-article stages on a Dask cluster (2 workers) give the in-process run's tables, row for row."""

import pandas as pd
import pytest

from helpers.run import pipeline

from conftest import write_small_corpus

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    # worker processes, as on a real cluster: every task and result is pickled across
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def test_dask_engine_equals_in_process_run(tmp_path, client):
    # the small corpus's odd inputs (JSON, HTML, an outlet missing), two articles per task; the
    # seeds, in two events, on a Dask cluster and a process pool: tests/run/test_partitions.py
    corpus = write_small_corpus(tmp_path / "small")
    local = pipeline.compute(corpus, cache_dir=None, workers=1)
    on_dask = pipeline.compute(corpus, cache_dir=None, engine="dask", client=client, batch_size=2)
    assert set(local) == set(on_dask)
    for name in local:
        pd.testing.assert_frame_equal(on_dask[name], local[name], check_dtype=True, obj=name)


def test_dask_engine_builds_tasks_a_window_at_a_time(client):
    import operator

    from helpers.run import engine

    built = []

    def tasks():
        for i in range(12):
            built.append(i)
            yield (i, 10)

    dask = engine.DaskEngine(client=client)
    results = dask.map(operator.mul, tasks())
    first = next(results)
    assert len(built) <= 2 * 2 + 1, "two tasks per worker thread in flight, the next built as one finishes"
    rest = dict([first, *results])
    assert rest == {i: i * 10 for i in range(12)}
    assert list(dask.map(operator.mul, iter(()))) == []


def test_unknown_engine_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown engine"):
        pipeline.compute(write_small_corpus(tmp_path / "small"), cache_dir=None, engine="spark")


# ---- gathering the batches: one sort and one copy give what sorting step by step gave


def _batches_table() -> tuple[pd.DataFrame, dict[str, int]]:
    """Rows of three batches in batch order: article keys out of article order, ties on the sort
    columns within and across articles, and a key no longer in the run (an article that failed)."""
    from helpers.run.cache import KEY

    frame = pd.DataFrame({
        KEY: ["k2", "k2", "k0", "gone", "k1", "k0", "k1"],
        "article_id": ["b", "b", "a", "x", "a", "a", "a"],
        "start": [5, 0, 3, 1, 3, 0, 3],
        "text": ["b5", "b0", "a3", "x1", "a3-second", "a0", "a3-third"],
    })
    return frame, {"k0": 0, "k1": 1, "k2": 2}


@pytest.mark.parametrize("sort", [None, ["article_id", "start"]])
def test_gathered_rows_are_in_article_order_then_sorted_stably(sort):
    from helpers.run import engine
    from helpers.run.cache import KEY

    frame, order = _batches_table()
    template = frame.drop(columns=KEY).iloc[0:0]
    # the reference: keep the run's keys, stable sort by article order, then stable sort by ``sort``
    expected = frame[frame[KEY].isin(order.keys())]
    expected = expected.assign(_rank=expected[KEY].map(order)).sort_values("_rank", kind="stable")
    expected = expected[list(template.columns)]
    if sort:
        expected = expected.sort_values(sort, kind="stable")
    got = engine._in_order(frame, order, template, sort)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))
    assert "x1" not in set(got["text"])


@pytest.mark.parametrize("ids", [["b", "a"], ["a"], ["c"], []])
def test_a_batchs_rows_are_picked_article_after_article(ids):
    from helpers.run import engine

    frame, _ = _batches_table()
    frame = frame.drop(columns="_key")
    groups = {a: g for a, g in frame.groupby("article_id", sort=False)}
    chosen = [groups[a] for a in ids if a in groups]
    expected = pd.concat(chosen, ignore_index=True) if chosen else frame.iloc[0:0]
    pd.testing.assert_frame_equal(engine._pick(frame, engine._positions(frame), ids), expected)


def test_per_sentence_tables_keep_the_runs_articles_sorted_by_sentence():
    from helpers.run import engine
    from helpers.run.cache import KEY

    frame = pd.DataFrame({KEY: ["k1", "k0", "gone", "k0"], "article_id": ["b", "a", "x", "a"],
                          "sent_id": [0, 2, 0, 1], "features": ["b0", "a2", "x0", "a1"]})
    columns = pd.DataFrame(columns=["article_id", "sent_id", "features"])
    got = engine._in_order(frame, {"k0": 0, "k1": 1}, columns, ["article_id", "sent_id"])
    assert list(got["features"]) == ["a1", "a2", "b0"] and list(got.index) == [0, 1, 2]
    empty = engine._in_order(frame, {}, columns, ["article_id", "sent_id"])
    assert empty.empty and list(empty.columns) == ["article_id", "sent_id", "features"]


@pytest.mark.parametrize("rows", [1, 2, 100])
@pytest.mark.parametrize("order", [{"k0": 0, "k1": 1}, {"k1": 0}, {}])
def test_a_table_written_in_order_a_chunk_at_a_time_reads_back_as_the_ordered_table(tmp_path, rows, order):
    """What the actor features' file holds is the table _in_order gives, however many rows are
    written at a time, when no row's article is in the run, and for a table with no rows."""
    from helpers.run import engine
    from helpers.run.cache import KEY
    import pyarrow.parquet as pq

    frame = pd.DataFrame({KEY: ["k1", "k0", "gone", "k0", "k1"], "article_id": ["b", "a", "x", "a", "b"],
                          "sent_id": [0, 2, 0, 1, 1], "features": ["b0", "a2", "x0", "a1", "b1"]})
    columns = pd.DataFrame(columns=["article_id", "sent_id", "features"])
    by_sentence = ["article_id", "sent_id"]
    for table in (frame, frame.iloc[0:0]):
        path = tmp_path / f"features-{len(table)}.parquet"
        engine._write_in_order(table, order, columns, by_sentence, path, rows=rows)
        expected = engine._in_order(table, order, columns, by_sentence)
        got = pq.read_table(path).to_pandas()
        assert list(got.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_index_type=False)
        assert got["features"].tolist() == expected["features"].tolist()


def _feature_pieces() -> list[pd.DataFrame]:
    """Batches of a per-sentence table as a cache holds them: an article's rows may be split
    across batches, a batch may hold no rows, and one holds only an article not in the run."""
    from helpers.run.cache import KEY

    def piece(rows):
        return pd.DataFrame(rows, columns=[KEY, "article_id", "sent_id", "features"]).astype({"sent_id": "int64"})

    return [piece([("k1", "b", 0, "b0"), ("k0", "a", 2, "a2"), ("gone", "x", 0, "x0")]),
            piece([]),
            piece([("gone", "x", 1, "x1")]),
            piece([("k0", "a", 1, "a1"), ("k1", "b", 1, "b1"), ("k2", "c", 0, "c0"), ("k0", "a", 0, "a0")])]


@pytest.mark.parametrize("rows,max_buckets", [(1, 128), (2, 128), (1, 2), (2, 1), (100, 128)])
@pytest.mark.parametrize("order", [{"k0": 0, "k1": 1, "k2": 2}, {"k2": 0, "k1": 1}, {"k1": 0}, {}])
def test_a_table_ordered_from_its_pieces_on_disk_is_the_file_written_from_the_whole_table(
        tmp_path, rows, max_buckets, order):
    """The bucket sort over the cache's batches writes the very file (byte for byte) that ordering
    the joined table in memory writes: one chunk or many per bucket, no row in the run, pieces
    without rows; and it leaves no scratch file beside it."""
    from helpers.run import engine
    from helpers.run.cache import join_pieces

    pieces = _feature_pieces()
    columns = pd.DataFrame(columns=["article_id", "sent_id", "features"])
    by_sentence = ["article_id", "sent_id"]
    calls = []

    def read_parts(wanted):
        calls.append(wanted)
        return (p if wanted is None else p[wanted] for p in pieces)

    streamed, whole = tmp_path / "streamed" / "features.parquet", tmp_path / "whole" / "features.parquet"
    streamed.parent.mkdir(), whole.parent.mkdir()
    engine._write_parts_in_order(read_parts, order, columns, by_sentence, streamed, rows=rows,
                                 max_buckets=max_buckets)
    engine._write_in_order(join_pieces(list(pieces)), order, columns, by_sentence, whole, rows=rows)
    assert streamed.read_bytes() == whole.read_bytes()
    assert calls[0] is not None and "features" not in calls[0]  # the first reading: key columns only
    assert [p.name for p in streamed.parent.iterdir()] == ["features.parquet"]
    got = pd.read_parquet(streamed)
    expected = engine._in_order(join_pieces(list(pieces)), order, columns, by_sentence)
    assert got["features"].tolist() == expected["features"].tolist()


def test_a_table_with_no_pieces_is_written_empty_with_the_templates_columns(tmp_path):
    from helpers.run import engine

    columns = pd.DataFrame(columns=["article_id", "sent_id", "features"])
    path = tmp_path / "features.parquet"
    engine._write_parts_in_order(lambda wanted: iter(()), {"k0": 0}, columns, ["article_id", "sent_id"], path)
    got = pd.read_parquet(path)
    assert got.empty and list(got.columns) == ["article_id", "sent_id", "features"]


def _rows_of_batch(batch: list[str]) -> dict[str, pd.DataFrame]:
    """A stage's batch: two rows per article; the article "k2" fails."""
    kept = [k for k in batch if k != "k2"]
    return {"rows": pd.DataFrame({"_key": [k for k in kept for _ in (0, 1)], "n": list(range(2 * len(kept)))}),
            "failures": pd.DataFrame({"_key": [k for k in batch if k == "k2"], "error": "boom"})}


@pytest.mark.parametrize("cached", [False, True])
def test_a_stage_hands_out_each_table_once_read_back_from_the_cache_or_kept_without_one(tmp_path, cached):
    """With a cache the batches' rows are stored and read back when asked for, never kept as the
    stage runs; without one they are kept. The same rows either way, and on a warm re-run."""
    from helpers.run import engine
    from helpers.run.cache import StageCache

    keys = ["k1", "k2", "k3", "k4", "k5"]
    runs = []
    for _ in ("cold", "warm"):
        cache = StageCache(tmp_path / "cache" if cached else None, "stage", ("rows",))
        got = engine._run_stage(cache, keys, lambda rows: ([keys[i] for i in rows],), _rows_of_batch,
                                engine.LocalEngine(1), 2, False, "rows")
        assert list(got._kept) == (["failures"] if cached else ["rows", "failures"])
        runs.append((got.pop("rows"), got.pop("failures")))
        with pytest.raises(KeyError):
            got.pop("rows")
        assert got.pop("rows", None) is None
    for rows, failures in runs:
        assert sorted(rows["_key"]) == ["k1", "k1", "k3", "k3", "k4", "k4", "k5", "k5"]
        assert failures["_key"].tolist() == ["k2"]


def test_a_stage_writes_a_table_in_order_the_same_from_its_cache_or_from_kept_batches(tmp_path):
    """The cached stage streams the table from its stored batches; without a cache the kept
    batches are joined: the same file."""
    from helpers.run import engine
    from helpers.run.cache import StageCache

    keys = ["k1", "k2", "k3", "k4", "k5"]
    order = {k: i for i, k in enumerate(reversed(keys))}
    files = []
    for cached in (True, False):
        cache = StageCache(tmp_path / "cache" if cached else None, "stage", ("rows",))
        got = engine._run_stage(cache, keys, lambda rows: ([keys[i] for i in rows],), _rows_of_batch,
                                engine.LocalEngine(1), 2, False, "rows")
        path = tmp_path / f"rows-{cached}.parquet"
        got.write_in_order("rows", order, pd.DataFrame(columns=["n"]), None, path, rows=3)
        with pytest.raises(KeyError):
            got.pop("rows")
        files.append(path.read_bytes())
    assert files[0] == files[1]
    assert pd.read_parquet(tmp_path / "rows-True.parquet")["n"].tolist() == [0, 1, 2, 3, 0, 1, 0, 1]  # k5, k4, k3, k1



@pytest.mark.parametrize("changed, reparses", [
    ("schema.py", True),               # the per-article stages' tables
    ("annotate/sentences.py", True),
    ("compare/schema.py", False),      # a comparison's table may change shape without a re-parse
    ("compare/facts.py", False),
    ("run/pipeline.py", False),
    ("quotes/extraction.py", True),
    ("quotes/variants.py", False),     # compared across articles, event by event
    ("dates/conflicts.py", False),
])
def test_only_what_the_per_article_results_depend_on_keys_their_cache(tmp_path, monkeypatch, changed, reparses):
    import shutil

    from helpers.run import engine

    copy = tmp_path / "helpers"
    shutil.copytree(engine.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(engine, "PACKAGE_DIR", copy)
    before = engine.pipeline_version()
    with open(copy / changed, "a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert (engine.pipeline_version() != before) == reparses


def test_no_per_article_module_imports_a_corpus_level_file():
    """The files left out of the per-article cache's key (``engine.CORPUS_LEVEL_FILES``) are not
    imported by any versioned module — by module or by a name the package re-exports — except
    the package ``__init__`` that re-exports them: a per-article result cannot depend on them."""
    import ast

    from helpers.run import engine

    def module_of(relative: str) -> str:
        return "helpers." + relative.removesuffix(".py").replace("/", ".")

    corpus_level = {module_of(f) for f in engine.CORPUS_LEVEL_FILES}
    exported = {}  # package -> names the corpus-level files define
    for relative in engine.CORPUS_LEVEL_FILES:
        tree = ast.parse((engine.PACKAGE_DIR / relative).read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        names |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        exported.setdefault(module_of(relative).rsplit(".", 1)[0], set()).update(names)
    files = []
    for entry in engine.VERSIONED_MODULES:
        path = engine.PACKAGE_DIR / entry
        files += sorted(path.glob("*.py")) if path.is_dir() else [path] if path.suffix == ".py" else []
    offending = []
    for file in files:
        relative = file.relative_to(engine.PACKAGE_DIR).as_posix()
        if relative in engine.CORPUS_LEVEL_FILES or file.name == "__init__.py":
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                offending += [(relative, a.name) for a in node.names if a.name in corpus_level]
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.module in corpus_level:
                    offending.append((relative, node.module))
                offending += [(relative, f"{node.module}.{a.name}") for a in node.names
                              if f"{node.module}.{a.name}" in corpus_level or a.name in exported.get(node.module, ())]
    assert not offending


def _text_pieces(late_text: object) -> list[pd.DataFrame]:
    """Three batches of one table: a column without values in the first, values in the next."""
    def piece(rows):
        return pd.DataFrame(rows, columns=["_key", "article_id", "sent_id", "note"]).astype({"note": object})
    return [piece([("k1", "b", 0, None), ("k0", "a", 1, None)]),
            piece([("k0", "a", 0, late_text), ("k2", "c", 0, None)]),
            piece([("k1", "b", 1, late_text)])]


@pytest.mark.parametrize("rows", [1, 2, 100])
def test_a_column_without_values_in_the_first_pieces_takes_the_type_of_the_later_ones(tmp_path, rows):
    """The bucket sort on disk widens a column that had no value so far (rows already in buckets
    too): the same file as ordering the joined table in memory."""
    from helpers.run import engine
    from helpers.run.cache import join_pieces

    pieces = _text_pieces("a note")
    order = {"k0": 0, "k1": 1, "k2": 2}
    columns = pd.DataFrame(columns=["article_id", "sent_id", "note"])
    streamed, whole = tmp_path / "streamed.parquet", tmp_path / "whole.parquet"
    engine._write_parts_in_order(lambda wanted: (p if wanted is None else p[wanted] for p in pieces), order,
                                 columns, ["article_id", "sent_id"], streamed, rows=rows, max_buckets=2)
    engine._write_in_order(join_pieces(list(pieces)), order, columns, ["article_id", "sent_id"], whole, rows=rows)
    assert streamed.read_bytes() == whole.read_bytes()
    assert pd.read_parquet(streamed)["note"].fillna("-").tolist() == ["a note", "-", "-", "a note", "-"]


def test_pieces_holding_a_column_as_integers_and_as_decimals_are_ordered_in_memory(tmp_path):
    """Whole numbers in one batch, decimals in another: not put in order on disk
    (:class:`PiecesDiffer`: which type the file takes is pandas' decision when it joins them); the
    stage's results then join them in memory and write the same file."""
    from helpers.run import engine
    from helpers.run.cache import join_pieces, StageCache

    columns_of = ["_key", "article_id", "sent_id", "note"]
    pieces = [pd.DataFrame([("k1", "b", 1, 1), ("k1", "b", 0, 2)], columns=columns_of),  # one batch per key,
              pd.DataFrame([("k0", "a", 0, 0.5), ("k0", "a", 1, None)], columns=columns_of),  # as cached
              pd.DataFrame([("k2", "c", 0, 3)], columns=columns_of)]
    order = {"k0": 0, "k1": 1, "k2": 2}
    columns = pd.DataFrame(columns=["article_id", "sent_id", "note"])
    with pytest.raises(engine.PiecesDiffer):
        engine._write_parts_in_order(lambda wanted: (p if wanted is None else p[wanted] for p in pieces), order,
                                     columns, ["article_id", "sent_id"], tmp_path / "streamed.parquet")
    assert not (tmp_path / "streamed.parquet").exists()
    cache = StageCache(tmp_path / "cache", "stage", ("rows",))
    for piece in pieces:
        cache.store(sorted(set(piece["_key"])), {"rows": piece})
    cache.commit()
    got = engine._StageResults(cache, ["k0", "k1", "k2"], {"failures": []})
    got.write_in_order("rows", order, columns, ["article_id", "sent_id"], tmp_path / "fallback.parquet")
    engine._write_in_order(join_pieces(list(pieces)), order, columns, ["article_id", "sent_id"],
                           tmp_path / "whole.parquet")
    assert (tmp_path / "fallback.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    assert pd.read_parquet(tmp_path / "fallback.parquet")["note"].fillna(-1).tolist() == [0.5, -1, 2, 1, 3]


@pytest.mark.parametrize("gone", [set(), {"b"}, {"a", "b", "c"}, {"not-there"}])
def test_a_written_tables_rows_of_failed_articles_are_dropped_row_group_by_row_group(tmp_path, gone):
    from helpers.run import engine
    import pyarrow.parquet as pq

    from helpers.run.cache import read_parquet

    frame = pd.DataFrame({"article_id": ["a", "a", "b", "c", "c", "c"], "start": [0, 5, 1, 2, 3, 9],
                          "value": ["Lakeport", "", "Ridge Times", "x", "y", "z"]})
    path = tmp_path / "dates.parquet"
    frame.to_parquet(path, index=False, row_group_size=2)
    assert pq.ParquetFile(path).num_row_groups == 3
    engine._drop_articles(path, gone)
    kept = frame[~frame["article_id"].isin(gone)].reset_index(drop=True)
    pd.testing.assert_frame_equal(read_parquet(path), kept)
    assert [p.name for p in tmp_path.iterdir()] == ["dates.parquet"]


@pytest.mark.parametrize("cached", [True, False])
@pytest.mark.parametrize("keys", [["k0", "k1", "k2"], ["k2", "k0"], []])
def test_a_tables_columns_read_one_at_a_time_are_the_columns_of_the_table_read_whole(tmp_path, cached, keys):
    """:meth:`_StageResults.pop_columns` (the cleaned articles, their text read back a column at a
    time) gives each column of the table :meth:`pop` gives, its rows in the same order and dtype —
    batches of several keys, a key not asked for, an integer column, missing values, no key at all."""
    from helpers.run import engine
    from helpers.run.cache import StageCache

    pieces = [pd.DataFrame({"_key": ["k1", "k1", "k3"], "text": ["Lakeport Herald", None, "x"],
                            "word_count": [2, 0, 1]}),
              pd.DataFrame({"_key": ["k0", "k2"], "text": ["Valley Post", "Ridge"], "word_count": [2, 1]})]
    columns = ["_key", "text", "word_count"]

    cache = StageCache(tmp_path / "cache" if cached else None, "stage", ("rows",))
    if cached:
        for piece in pieces:
            cache.store(sorted(set(piece["_key"])), {"rows": piece})
        cache.commit()

    def results() -> "engine._StageResults":
        """The stage's results as the engine hands them out, over the one cache (its batches'
        order is the cache's own: another cache may order them otherwise)."""
        if not cached:
            return engine._StageResults(cache, [], {"rows": [p[p["_key"].isin(keys)] for p in pieces],
                                                    "failures": []})
        return engine._StageResults(cache, sorted(cache.known(keys)), {"failures": []})

    whole = results().pop("rows")
    got = results()
    by_column = dict(got.pop_columns("rows", columns))
    if not keys:
        assert all(len(v) == 0 for v in by_column.values())
        return
    pd.testing.assert_frame_equal(pd.DataFrame(by_column), whole[columns])
    with pytest.raises(KeyError):
        list(got.pop_columns("rows", columns))  # handed out once, as pop


@pytest.mark.parametrize("kept", [None, ["b", "d"], ["d", "a"], []])
@pytest.mark.parametrize("group_rows", [1, 2, 500])
def test_articles_text_spilled_to_disk_comes_back_as_it_was(tmp_path, monkeypatch, kept, group_rows):
    """The cleaned text waits on disk through the quotes stage (:func:`engine._spill_texts`) and is
    put back (:func:`engine._with_texts`): the same column, dtype and missing values, for all the
    articles in order, a subset (articles a stage failed on left out), another order, none; and a
    quote task's texts, read by article, are the articles' own."""
    from helpers.run import engine

    monkeypatch.setattr(engine, "_TEXT_GROUP_ROWS", group_rows)
    articles = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "outlet": ["Lakeport Herald"] * 4,
                             "text": pd.array(["First.", "", None, "Valley Post said so."], dtype="str")})
    rows = engine._spill_texts(articles, tmp_path / "articles.text.parquet")
    assert [len(list(rows.take([a])["text"])) for a in ("d", "a")] == [1, 1]
    assert rows.take(["d", "a"])["text"].tolist() == ["Valley Post said so.", "First."]
    subset = articles if kept is None else articles.set_index("article_id").loc[kept].reset_index()
    back = engine._with_texts(subset.drop(columns=["text"]), rows)[list(articles.columns)]
    pd.testing.assert_frame_equal(back, subset[list(articles.columns)].reset_index(drop=True))


@pytest.mark.parametrize("kept", [None, ["b", "d", "e"], []])
@pytest.mark.parametrize("piece_rows", [1, 2, 5_000])
def test_the_articles_table_written_from_the_spilled_text_is_the_whole_tables_files(tmp_path, monkeypatch, kept,
                                                                                     piece_rows):
    """Streamed, the text is never put back into the articles' frame: the table is written from the
    texts' scratch file a piece of articles at a time (:func:`engine._write_articles`) — the same
    Parquet bytes and CSV as the whole table written at once, with a column that has values in one
    piece only, and with the articles a stage failed on left out."""
    from helpers.run import engine, tables as tables_module

    monkeypatch.setattr(engine, "_ARTICLE_PIECE_ROWS", piece_rows)
    monkeypatch.setattr(tables_module, "ROW_GROUP_ROWS", 2)
    articles = pd.DataFrame({"article_id": list("abcde"), "outlet": ["Lakeport Herald"] * 3 + ["Valley Post"] * 2,
                             "text": pd.array(["First.", "", None, "Valley Post said so.", "Last."], dtype="str"),
                             "word_count": [1, 0, 0, 4, 1],
                             "meta_section": pd.Series([None, None, None, "Metro", None], dtype=object)})
    columns = list(articles.columns)
    rows = engine._spill_texts(articles, tmp_path / "articles.text.parquet")
    subset = articles if kept is None else articles.set_index("article_id").loc[kept].reset_index()[columns]
    engine._write_articles(subset.drop(columns=["text"]), rows, tmp_path / "pieces", columns)
    tables_module.write_table(subset.reset_index(drop=True), tmp_path / "whole", "articles")
    for name in ("articles.parquet", "articles.csv"):
        assert (tmp_path / "pieces" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
