"""The comparisons within each event run as partitions: the same tables on one process, a pool or
a Dask cluster; one event's tables do not depend on the other events; an increment recomputes only
the partition it touches."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.run import partitions, pipeline
from helpers.run.cache import KEY

from conftest import SEEDS, two_events

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return two_events(tmp_path_factory.mktemp("events") / "corpus")


@pytest.fixture(scope="module")
def in_process(corpus, tmp_path_factory) -> dict[str, pd.DataFrame]:
    # the per-article results cached once for the module; the partitions computed fresh each time
    return pipeline.compute(corpus, cache_dir=None, workers=1)


def assert_same_tables(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert set(got) == set(expected)
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], check_dtype=True, obj=name)


def test_process_pool_equals_in_process_run(corpus, in_process):
    pooled = pipeline.compute(corpus, cache_dir=None, workers=2, batch_size=2)
    assert_same_tables(pooled, in_process)


def pool_maps(monkeypatch) -> list[tuple[str, int, list[tuple]]]:
    """Every map a local engine is asked for from now on, as ``(function name, workers, tasks)``."""
    from helpers.run.engine import LocalEngine

    submitted: list[tuple[str, int, list[tuple]]] = []
    pool_map = LocalEngine.map

    def recording_map(self, fn, tasks):
        tasks = list(tasks)
        submitted.append((fn.__name__, self.workers, tasks))
        return pool_map(self, fn, tasks)

    monkeypatch.setattr(LocalEngine, "map", recording_map)
    return submitted


def assert_same_files(expected: Path, got: Path) -> None:
    import filecmp

    names = sorted(p.name for p in expected.iterdir())
    assert names == sorted(p.name for p in got.iterdir())
    for name in names:
        assert filecmp.cmp(expected / name, got / name, shallow=False), (got.name, name)


def test_tables_gathered_on_the_pool_are_the_files_gathered_in_process(corpus, in_process, tmp_path, monkeypatch):
    """With a tables folder and a pool, each partition table is put together and written by a task
    of its own on the workers (:func:`partitions.gather_table`): the same files, byte for byte, as
    one process writing them one after the other."""
    pipeline.compute(corpus, cache_dir=None, workers=1, tables_dir=tmp_path / "one")
    submitted = pool_maps(monkeypatch)
    pooled = pipeline.compute(corpus, cache_dir=None, workers=2, batch_size=2, tables_dir=tmp_path / "pooled")
    assert ("gather_table", 2) in [(name, workers) for name, workers, _ in submitted]
    # and each is the table of its name: the in-memory run's
    assert_same_tables({name: pooled[name] for name in pooled}, in_process)
    assert_same_files(tmp_path / "one", tmp_path / "pooled")


def test_per_article_tables_put_in_order_on_the_pool_from_the_cache_are_the_same_files(corpus, in_process, tmp_path,
                                                                                      monkeypatch):
    """With a cache, a tables folder and a pool, each per-article table is put in article order
    from the cache's batches by a task of its own on the workers (the foundation's, the dates, the
    quote tables: :func:`helpers.run.engine.write_cached_in_order`), and the foundation's are
    written to the tables folder so too (:func:`helpers.run.engine.write_foundation_table`): the
    run's files are those of one process without a cache, cold and warm."""
    pipeline.compute(corpus, cache_dir=None, workers=1, tables_dir=tmp_path / "one")
    submitted = pool_maps(monkeypatch)
    for run in ("cold", "warm"):
        submitted.clear()
        # warm: the per-article results from the cache, not the whole run's tables
        shutil.rmtree(tmp_path / "cache" / "runs", ignore_errors=True)
        got = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=2, batch_size=2,
                               tables_dir=tmp_path / run)
        assert_same_tables({name: got[name] for name in got}, in_process)  # each table the in-memory run's
        maps = [(name, workers) for name, workers, _ in submitted]
        assert maps.count(("write_cached_in_order", 2)) == 2, run  # before the quotes stage, and after
        assert ("write_foundation_table", 2) in maps, run  # the foundation's tables and the articles'
        assert_same_files(tmp_path / "one", tmp_path / run)


def test_framing_parts_and_actor_heads_share_the_pool_and_give_the_in_memory_tables(corpus, in_process, tmp_path,
                                                                                     monkeypatch):
    """On a pool, the corpus-wide framing's two parts and the actor labels' first pass (each
    chunk's learned heads) are tasks of one queue, and each range of the labels' table is made by
    a task too: the same tables as the in-memory run."""
    monkeypatch.setattr(pipeline, "_FRAMING_ENGINE_MIN_ROWS", 0)  # the fixture's few sentences on the pool
    monkeypatch.setattr(pipeline, "_FEATURE_ENGINE_MIN_ROWS", 0)
    monkeypatch.setattr(pipeline, "_FEATURE_TASK_ROWS", 5)  # several chunks of actor features
    submitted = pool_maps(monkeypatch)
    got = pipeline.compute(corpus, cache_dir=None, workers=2, batch_size=2, tables_dir=tmp_path / "tables")
    kinds = [[task[0] for task in tasks] for name, _, tasks in submitted if name == "_framing_task"]
    assert len(kinds) == 1 and kinds[0][:2] == ["part", "part"] and kinds[0].count("heads") >= 2
    names = [name for name, _, _ in submitted]
    assert "_actor_heads_of_rows" not in names  # not learned a second time
    assert "_label_range_task" in names  # each range of labels made on the pool
    assert_same_tables({name: got[name] for name in got}, in_process)


def test_dask_local_cluster_equals_in_process_run(corpus, in_process):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with distributed.Client(cluster) as client:
            on_dask = pipeline.compute(corpus, cache_dir=None, engine="dask", client=client, batch_size=2)
    finally:
        cluster.close()
    assert_same_tables(on_dask, in_process)


def test_ids_are_unique_across_events(in_process):
    facts, articles = in_process["facts"], in_process["articles"]
    event_of = dict(zip(articles["article_id"], articles["event"]))
    assert facts.groupby("fact_id")["article_id"].agg(lambda ids: len({event_of[a] for a in ids})).max() == 1
    passages = in_process["passages"]
    if len(passages):
        assert passages.groupby("passage_id")["article_id"].agg(lambda ids: len({event_of[a] for a in ids})).max() == 1
    assert facts["fact_id"].is_monotonic_increasing


def test_findings_made_event_by_event_equal_the_whole_corpus_rules(in_process):
    # each event's findings come from its partition, then are ranked and numbered once
    from helpers.compare import findings

    whole = findings.find_findings(in_process)
    assert set(whole["event"]) == {"a-call", "b-fire"}
    pd.testing.assert_frame_equal(in_process["findings"], whole, check_exact=True)
    pd.testing.assert_frame_equal(in_process["finding_evidence"],
                                  findings.finding_evidence(whole, in_process["sentences"], in_process["articles"]),
                                  check_exact=True)


def test_coverage_checks_made_event_by_event_equal_the_whole_corpus_checks(in_process):
    # each event's checks read that event's rows alone; its fact ids are renumbered as its facts are
    from helpers.compare import findings

    whole = findings.coverage_checks(in_process["facts"], in_process["articles"], in_process["sentences"],
                                     in_process["entities"])
    assert len(whole) and set(whole["fact_id"]) <= set(in_process["facts"]["fact_id"])
    pd.testing.assert_frame_equal(in_process["coverage_checks"], whole, check_exact=True)


def test_an_events_tables_do_not_depend_on_the_other_events(tmp_path, in_process):
    # the first event's ids come first, so its rows are the same, ids included, as a run of it alone
    alone = pipeline.compute(SEEDS, cache_dir=None, workers=1)
    ids = set(in_process["articles"].loc[in_process["articles"]["event"] == "a-call", "article_id"])
    rename = dict(zip(sorted(alone["articles"]["article_id"]), sorted(ids)))
    facts = set(in_process["facts"].loc[in_process["facts"]["article_id"].isin(ids), "fact_id"])
    for name in ("facts", "passages", "coverage_matrix", "quote_variants", "date_conflicts", "emphasis"):
        ours = in_process[name]
        # a table keyed by article keeps the event's articles; the coverage matrix, keyed by outlet,
        # keeps the event's facts
        ours = ours[ours["article_id"].isin(ids) if "article_id" in ours else ours["fact_id"].isin(facts)]
        theirs = alone[name].copy()
        for column in ("article_id", "origin_article_id"):
            if column in theirs:
                theirs[column] = theirs[column].map(lambda a: rename.get(a, a))
        if "quote_id" in theirs:  # <article_id>:q<n>
            theirs["quote_id"] = [rename[a] + ":" + q for a, q in theirs["quote_id"].str.split(":", n=1)]
        columns = [c for c in theirs.columns if c not in ("outlet", "n_outlets")]
        assert len(ours) == len(theirs), name
        pd.testing.assert_frame_equal(ours[columns].reset_index(drop=True), theirs[columns].reset_index(drop=True),
                                      check_dtype=False, obj=name)


def test_adding_an_article_recomputes_only_its_events_partition(tmp_path, corpus):
    cache = tmp_path / "cache"
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    first = pipeline.compute(work, cache_dir=cache, workers=1)
    index = cache / "partitions" / "index.parquet"
    before = set(pd.read_parquet(index)[KEY])
    assert len(before) == 2
    meta = pd.read_csv(work / "metadata.csv", dtype=str).fillna("")
    (work / "extra.txt").write_text("MILLTOWN — Firefighters said on Friday the mill fire was put out after "
                                    "two days. The owner said the mill would be rebuilt.", encoding="utf-8")
    extra = {"file": "extra.txt", "outlet": "Extra Gazette", "country": "XC", "url": "", "published": "2030-03-08",
             "event": "b-fire"}
    pd.concat([meta, pd.DataFrame([extra])]).to_csv(work / "metadata.csv", index=False)
    second = pipeline.compute(work, cache_dir=cache, workers=1)
    after = set(pd.read_parquet(index)[KEY])
    assert len(after - before) == 1, "one new partition: the event the article joined"
    plan = partitions.partition_plan(second["articles"])
    assert list(plan["event"]) == ["a-call", "b-fire"]
    # the untouched event's tables are read back, the same
    calls = set(first["articles"].loc[first["articles"]["event"] == "a-call", "article_id"])
    for name in ("facts", "passages"):
        old = first[name][first[name]["article_id"].isin(calls)].reset_index(drop=True)
        new = second[name][second[name]["article_id"].isin(calls)].reset_index(drop=True)
        pd.testing.assert_frame_equal(new, old, obj=name)


def test_renumbering_moves_each_partitions_ids_past_the_ones_before():
    facts = pd.DataFrame({"fact_id": ["F00001", "F00002", "F00001"], "article_id": ["a", "b", "c"],
                          KEY: ["k1", "k1", "k2"]})
    conflicts = pd.DataFrame({"fact_id": ["H00000", "H00000"], "happening_id": ["H00000/0", "H00000/0"],
                              KEY: ["k1", "k2"]})
    variants = pd.DataFrame({"variant_group": [0, 1, 0], KEY: ["k1", "k1", "k2"]})
    out = partitions._renumbered({"facts": facts, "date_conflicts": conflicts, "quote_variants": variants})
    assert list(out["facts"]["fact_id"]) == ["F00001", "F00002", "F00003"]
    assert list(out["date_conflicts"]["happening_id"]) == ["H00000/0", "H00001/0"]
    assert list(out["quote_variants"]["variant_group"]) == [0, 1, 2]


@pytest.mark.parametrize("only", [None, [True, True, True, False, True, True]])
def test_shifted_ids_keep_their_rest_and_leave_other_values_alone(only):
    """Each id is moved by its partition's offset (none for a partition without one), keeps what
    follows its number, and gets more digits than the width when it needs them; a missing value,
    one that is no id, and (with ``only``) a row left out stay as they were."""
    frame = pd.DataFrame({"fact_id": pd.Series(["F00001", None, "x F00002", "F00002:a b", "F99999", "F3"], dtype=object),
                          KEY: ["k1", "k1", "k2", "k2", "k2", "gone"]})
    before = pd.Series({"k1": 0, "k2": 10})
    out = partitions._shifted(frame, "fact_id", partitions._FACT_ID, before, "F", 5,
                              only=None if only is None else pd.Series(only))
    moved = "F00012:a b" if only is None else "F00002:a b"
    assert out["fact_id"].tolist()[:1] + out["fact_id"].tolist()[2:] == ["F00001", "x F00002", moved, "F100009", "F00003"]
    assert pd.isna(out["fact_id"].iloc[1])
    assert list(out[KEY]) == list(frame[KEY])
    passages = pd.DataFrame({"passage_id": ["P01", "P02x"], KEY: ["k2", "k2"]})
    assert partitions._shifted(passages, "passage_id", partitions._PASSAGE_ID, before, "P", 4)[
        "passage_id"].tolist() == ["P0011", "P02x"]


@pytest.mark.parametrize("split", [
    [[0, 1, 2, 3]],              # the whole table in partition order, as one piece
    [[3], [2], [1], [0]],        # a piece per partition, arriving backwards
    [[2, 0], [3, 1]],            # pieces holding partitions that interleave
    [[1], [], [0, 3, 2]],        # an empty piece among them
])
def test_id_offsets_reduced_piece_by_piece_equal_the_whole_tables(split):
    """The offsets come from each piece's highest id per partition (:func:`partitions._id_maxima`),
    never from the table's ids joined: in whatever pieces and order, they are the whole table's.
    A partition the plan does not hold (a cached batch's other rows) moves no one."""
    order = {"k1": 0, "k2": 1, "k3": 2}
    by_key = {"k1": pd.DataFrame({"fact_id": ["F00001", "F00003", "F00002/x"], "passage_id": ["P0001", "P0002", "P0001"],
                                  "variant_group": [0, 2, 1], KEY: "k1"}),
              "k2": pd.DataFrame({"fact_id": ["F00002", "F00001"], "passage_id": ["P0001", "P0002"],
                                  "variant_group": [0, 0], KEY: "k2"}),
              "k3": pd.DataFrame({"fact_id": ["F00001"], "passage_id": ["P0001"], "variant_group": [3], KEY: "k3"}),
              "gone": pd.DataFrame({"fact_id": ["F00009"], "passage_id": ["P0009"], "variant_group": [9], KEY: "gone"})}
    keys = [*order, "gone"]
    pieces = [pd.concat([by_key[keys[i]] for i in piece], ignore_index=True) if piece else by_key["k1"].iloc[0:0]
              for piece in split]
    got = partitions._id_offsets({name: [partitions._id_maxima(name, p) for p in pieces]
                                  for name in ("facts", "passages", "quote_variants")}, order)
    assert got["facts"][0].to_dict() == {"k1": 0, "k2": 3, "k3": 5} and got["facts"][1] == 5
    assert got["passages"][0].to_dict() == {"k1": 0, "k2": 2, "k3": 4} and got["passages"][1] == 4
    assert got["variants"].to_dict() == {"k1": 0, "k2": 3, "k3": 4}
    whole = pd.concat([by_key[k] for k in order], ignore_index=True)
    renumbered = partitions._renumbered({"facts": whole[["fact_id", KEY]]})["facts"]["fact_id"]
    assert list(renumbered) == ["F00001", "F00003", "F00002/x", "F00005", "F00004", "F00006"]


def test_id_offsets_of_no_rows_are_none():
    empty = pd.DataFrame({"fact_id": pd.Series(dtype=str), KEY: pd.Series(dtype=str)})
    assert partitions._id_offsets({"facts": [partitions._id_maxima("facts", empty)]}, {"k1": 0}) == {}
    assert partitions._id_offsets({}) == {}


@pytest.mark.parametrize("sizes, budget, expected", [
    ([], 10, []),
    ([3, 3, 3], 6, [[0, 1], [2]]),
    ([20, 1, 1], 6, [[0], [1, 2]]),
])
def test_small_events_are_packed_into_tasks(sizes, budget, expected):
    assert partitions._chunks(sizes, budget) == expected


@pytest.mark.parametrize("n_articles, slots, budget", [
    (300, 2, 75),      # 100 three-article events: four tasks for two workers, not one
    (300, 1, 150),
    (5, 8, 1),         # more slots than articles: an event per task
    (0, 2, 1),
    (100_000, 2, partitions.TASK_ARTICLES),  # a large corpus: the cap
])
def test_tasks_are_small_enough_for_every_slot_to_get_two(n_articles, slots, budget):
    assert partitions._task_budget(n_articles, slots) == budget


class _RecordingRunner:
    """Runs every task in this process and records each task's events; ``slots`` as an engine has."""

    def __init__(self, slots: int):
        self._slots, self.given = slots, []

    def slots(self) -> int:
        return self._slots

    def map(self, fn, tasks):
        for i, args in enumerate(tasks):
            self.given.append(sorted(event for _, event, _ in args[0]))
            yield i, fn(*args)

    def close(self):
        pass


def test_small_events_are_spread_over_the_engines_slots_with_the_same_tables(in_process, monkeypatch):
    # 9 articles in two events fit one task of 100; four slots get an event each instead
    foundation = {name: in_process[name] for name in pipeline.TABLE_NAMES}
    monkeypatch.setattr(partitions, "TASK_ARTICLES", 100)
    four = _RecordingRunner(4)
    spread = pipeline.analyse(foundation, runner=four)
    assert sorted(four.given) == [["a-call"], ["b-fire"]]
    assert_same_tables(spread, pipeline.analyse(foundation))


def test_passage_ids_keep_one_width_past_ten_thousand():
    # text order is number order (the gathered table is sorted by passage_id)
    passages = pd.DataFrame({"passage_id": [f"P{i:04d}" for i in range(1, 6001)] + [f"P{i:04d}" for i in range(1, 5001)],
                             KEY: ["a"] * 6000 + ["b"] * 5000})
    ids = partitions._renumbered({"passages": passages})["passages"]["passage_id"]
    assert (ids.iloc[0], ids.iloc[6000], ids.iloc[-1]) == ("P00001", "P06001", "P11000")
    assert ids.is_monotonic_increasing


class _ReversingRunner:
    """Runs every task in this process, records the events of each in the order given, and hands
    the results back in the reverse order, as a pool whose first task finishes last would."""

    def __init__(self):
        self.given: list[list[str]] = []

    def map(self, fn, tasks):
        results = []
        for i, args in enumerate(tasks):
            self.given.append([event for _, event, _ in args[0]])
            results.append((i, fn(*args)))
        yield from reversed(results)

    def close(self):
        pass


def test_the_largest_events_go_first_and_the_tables_do_not_depend_on_the_order(in_process, monkeypatch):
    # two of the call's five articles left out: the fire (4 articles), which sorts last, is larger
    dropped = set(in_process["articles"].loc[in_process["articles"]["event"] == "a-call", "article_id"][:2])
    foundation = {name: in_process[name][~in_process[name]["article_id"].isin(dropped)].reset_index(drop=True)
                  for name in pipeline.TABLE_NAMES if name != "load_report"}
    foundation["load_report"] = in_process["load_report"]
    expected = pipeline.analyse(foundation)
    runner = _ReversingRunner()
    monkeypatch.setattr(partitions, "TASK_ARTICLES", 1)  # one event per task
    reordered = pipeline.analyse(foundation, runner=runner)
    assert runner.given == [["b-fire"], ["a-call"]]
    assert_same_tables(reordered, expected)


def test_each_tasks_inputs_are_its_articles_rows_read_back_with_their_dtypes(tmp_path):
    frame = pd.DataFrame({"article_id": ["a", "b", "c", "a", "d", "b"], "sent_id": [0, 0, 0, 1, 0, 1],
                          "text": pd.Series(["x", None, "z", "w", "v", "u"], dtype=object),
                          "score": [0.5, float("nan"), 1.0, 2.0, 3.0, 4.0], "flag": [True, False, True, True, False, False]})
    whole = pd.DataFrame({"setting": ["kept whole"]})
    # "c" is in no task (its partition read from the cache): left out; task 1 has no rows of "d"
    task_of = {"a": 0, "b": 2, "d": 0, "e": 1}
    heads = partitions._split_inputs({"rows": lambda: frame, "whole": lambda: whole}, task_of, tmp_path)
    for task in (0, 1, 2):
        ids = [a for a, t in task_of.items() if t == task]
        pd.testing.assert_frame_equal(partitions._task_rows(tmp_path, task, "rows", heads["rows"]),
                                      partitions._rows_of(frame, ids), check_dtype=True)
        pd.testing.assert_frame_equal(partitions._task_rows(tmp_path, task, "whole", heads["whole"]), whole)
    assert sorted(p.name for p in tmp_path.glob("*.rows.parquet")) == ["000000.rows.parquet", "000002.rows.parquet"]


@pytest.mark.parametrize("held", [("articles",), ()], ids=["articles in memory", "articles written"])
def test_the_per_article_results_handed_to_the_partitions_are_let_go(corpus, in_process, tmp_path, held):
    """The same tables whether the articles are in memory or written (then their text is read a
    batch at a time, never whole: see the next test)."""
    from helpers.load.corpus import load_corpus
    from helpers.run import engine
    from helpers.run.tables import Tables

    loaded = load_corpus(corpus)
    foundation, per_article = engine.compute_tables(loaded.raw_articles, loaded.load_report, cache_dir=None, workers=1)
    tables = Tables(foundation, folder=tmp_path / "tables")
    tables.write_all(but=held)
    # computed, then every partition read back from the cache: the handed results go either way
    for _ in ("computed", "from the cache"):
        handed = {name: per_article[name] for name in partitions.PER_ARTICLE_INPUTS}
        got = partitions.analyse_partitions(tables, stages=pipeline.STAGES, options={}, per_article=handed,
                                            cache_dir=tmp_path / "cache")
        assert handed == {}
        for name in partitions.LOCAL_TABLES["coverage"] + partitions.LOCAL_TABLES["dates"]:
            pd.testing.assert_frame_equal(got[name], in_process[name], check_dtype=True, obj=name)


def test_the_articles_text_is_never_read_whole_once_written(corpus, tmp_path, monkeypatch):
    """With the articles written, the partitions read them without their text, and the text only
    a batch at a time (for the partitions' keys and the tasks' inputs): no read of the whole file
    asks for the ``text`` column. The keys are the ones the articles in memory give."""
    from helpers.load.corpus import load_corpus
    from helpers.run import cache, engine
    from helpers.run import tables as tables_module
    from helpers.run.tables import Tables

    loaded = load_corpus(corpus)
    foundation, _ = engine.compute_tables(loaded.raw_articles, loaded.load_report, cache_dir=None, workers=1)
    in_memory = partitions._article_digests(foundation)
    tables = Tables(foundation, folder=tmp_path / "tables")
    tables.write_all()
    whole_reads = []
    real_read = cache.read_parquet

    def recording(path, columns=None, **options):
        if Path(path).name == "articles.parquet" and not options.get("empty") and (columns is None or "text" in columns):
            whole_reads.append(columns)
        return real_read(path, columns, **options)

    for module in (cache, partitions, pipeline, tables_module):
        monkeypatch.setattr(module, "read_parquet", recording, raising=False)
    monkeypatch.setattr(cache, "batch_rows", lambda metadata: 2)  # several batches of a small corpus
    assert partitions._article_digests(tables) == in_memory
    partitions.analyse_partitions(tables, stages=pipeline.STAGES, options={})
    assert whole_reads == []


def test_a_partitions_key_changes_with_its_own_articles_only():
    articles = pd.DataFrame({"article_id": ["a1", "a2", "b1"], "event": ["a", "a", "b"],
                             "text": ["One text.", "Two text.", "Three text."], "body_start": [0, 0, 4]})
    plan = partitions.partition_plan(articles)

    def keys(frame, version="v", options=None):
        return partitions.partition_keys(plan, partitions.article_digests(frame), version=version,
                                         options=options or {"x": 1})

    before = keys(articles)
    assert len(set(before)) == 2
    edited = articles.assign(text=["One text, edited.", "Two text.", "Three text."])
    assert keys(edited)[0] != before[0] and keys(edited)[1] == before[1]
    # the code's version and the options are in every key
    for other in (keys(articles, version="w"), keys(articles, options={"x": 2})):
        assert all(a != b for a, b in zip(other, before))


def _whole_table_sort(name, frames, order, offsets):
    """The table as sorting it whole gives it (what :func:`partitions._gathered` must equal)."""
    joined = partitions._by_partition([f.copy() for f in frames], order, None)
    return partitions._ordered(name, partitions._renumber_table(name, joined, offsets), {})


@pytest.mark.parametrize("fact_ids, apart", [
    # each partition numbers its facts from F00001: renumbered, they follow each other
    ([["F00002", "F00001", "F00002"], ["F00001", "F00001"], ["F00003", "F00001"]], True),
    # ids that are not renumbered interleave across partitions: the table is sorted whole
    ([["b", "a"], ["a", "c"], ["b"]], False),
    # one id in two partitions (its rows tie): sorted whole, so ties keep the partition order
    ([["x"], ["x"], ["y"]], False),
])
def test_a_table_gathered_piece_by_piece_equals_the_whole_tables_sort(fact_ids, apart):
    keys = ["k1", "k2", "k3"]
    order = {k: i for i, k in enumerate(keys)}
    pieces = [pd.DataFrame({"fact_id": ids, "article_id": [f"{key}-{i}" for i in range(len(ids))], KEY: key})
              for key, ids in zip(keys, fact_ids)]
    # the cache's pieces and the tasks' arrive in no particular order; one piece holds two partitions
    frames = [pieces[2], pd.concat([pieces[0], pieces[1]], ignore_index=True)]
    # (ids other than F… have nothing to renumber)
    offsets = (partitions._id_offsets({"facts": [partitions._id_maxima("facts", f) for f in frames]}, order)
               if apart else {})
    expected = _whole_table_sort("coverage_matrix", frames, order, offsets)
    given = [f.copy() for f in frames]
    got = partitions._gathered("coverage_matrix", given, order, None, offsets, {})
    pd.testing.assert_frame_equal(got, expected, check_dtype=True)
    assert given == []  # the pieces are let go
    renumbered = [partitions._sorted("coverage_matrix", partitions._renumber_table("coverage_matrix", f, offsets))
                  for f in frames]
    assert partitions._partitions_apart("coverage_matrix", partitions._by_partition(renumbered, order, None)) is apart


@pytest.mark.parametrize("range_rows, group_rows", [(1, 3), (40, 1024 * 1024)])
def test_tables_written_piece_by_piece_are_the_files_of_the_whole_tables(corpus, tmp_path, monkeypatch,
                                                                           range_rows, group_rows):
    """With a tables folder the partitions' tables are written piece after piece, sorted in ranges
    of articles and in row groups (:func:`partitions._write_gathered`): the same files as the
    tables put together whole, computed or read back from the cache."""
    import filecmp

    from helpers.run import tables as tables_module

    monkeypatch.setattr(tables_module, "ROW_GROUP_ROWS", group_rows)  # for the whole tables too
    streamed_tables = partitions._STREAMED
    monkeypatch.setattr(partitions, "_STREAMED", ())
    pipeline.compute(corpus, cache_dir=None, workers=1, tables_dir=tmp_path / "whole")
    monkeypatch.setattr(partitions, "_STREAMED", streamed_tables)
    monkeypatch.setattr(partitions, "SORT_RANGE_ROWS", range_rows)
    monkeypatch.setattr(partitions, "STREAM_MIN_ROWS", 0)  # every table, however small
    streamed = []
    monkeypatch.setattr(partitions, "_write_gathered", _recording(partitions._write_gathered, streamed))
    for run in ("computed", "from the cache"):
        pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, tables_dir=tmp_path / run)
        names = sorted(p.name for p in (tmp_path / "whole").iterdir())
        assert names == sorted(p.name for p in (tmp_path / run).iterdir())
        for name in names:
            assert filecmp.cmp(tmp_path / "whole" / name, tmp_path / run / name, shallow=False), (run, name)
    # every streamed table of the partitions with rows was written so, none gathered whole
    assert {"coverage_matrix", "facts", "tone_sentences", "quotes", "emphasis", "timeline", "reuse_pairs",
            "coverage_checks"} <= set(streamed)


def _timeline_pieces() -> list[pd.DataFrame]:
    """Three partitions' timeline rows in two pieces (one holding the first and third partition):
    dates that tie across partitions, unresolved ones (``X``), a missing value and fact ids that
    are renumbered."""
    def rows(key, values, facts):
        return pd.DataFrame({"value": values, "fact_id": facts, "happening_id": [f"{f}-H1" for f in facts],
                             "article_id": [f"{key}-a{i % 2}" for i in range(len(values))],
                             "outlet": pd.Series([None, "Lakeport Herald", "Valley Post"] * 2, dtype=object)[:len(values)],
                             KEY: key})
    k1 = rows("k1", ["2020-05-03", "2020-05-XX", "2020-05-03", None], ["F00002", "F00001", "F00001", "F00003"])
    k2 = rows("k2", ["2020-05-03", "2019-XX-XX", "2021-01-01"], ["F00001", "F00002", "F00001"])
    k3 = rows("k3", ["2020-05-03", "2020-05-02"], ["F00001", "F00001"])
    return [pd.concat([k1, k3], ignore_index=True), k2]


def _pairs_pieces() -> list[pd.DataFrame]:
    """Reuse pairs of three partitions in two pieces: shares that tie across partitions, and a
    missing share."""
    def rows(key, shares):
        return pd.DataFrame({"article_a": [f"{key}-a"] * len(shares), "article_b": [f"{key}-b{i}" for i in range(len(shares))],
                             "share_a": [a for a, _ in shares], "share_b": [b for _, b in shares], KEY: key})
    k1 = rows("k1", [(0.5, 0.25), (0.1, 0.2), (float("nan"), 0.5)])
    k2 = rows("k2", [(0.25, 0.5), (0.9, 0.9)])
    k3 = rows("k3", [(0.3, 0.0), (0.5, 0.25)])
    return [k2, pd.concat([k3, k1], ignore_index=True)]


@pytest.mark.parametrize("range_rows", [1, 2, 3, 1000])
@pytest.mark.parametrize("name, make_pieces", [("timeline", _timeline_pieces), ("reuse_pairs", _pairs_pieces)])
def test_a_table_sorted_by_its_values_written_in_ranges_is_the_whole_tables_file(tmp_path, monkeypatch, range_rows,
                                                                                  name, make_pieces):
    """A table sorted by its values (a date, a share), its pieces in no partition order, written
    range of values after range (:func:`partitions._value_ranges`): the file of the table sorted
    whole, ties in partition order, for any range size (one row a range, or all in one)."""
    import filecmp

    from helpers.run.tables import write_table

    assert name in partitions._BY_VALUE
    monkeypatch.setattr(partitions, "SORT_RANGE_ROWS", range_rows)
    order = {"k1": 0, "k2": 1, "k3": 2}
    frames = make_pieces()
    offsets = (partitions._id_offsets({"facts": [partitions._id_maxima("facts", f) for f in frames]}, order)
               if "fact_id" in frames[0] else {})
    write_table(_whole_table_sort(name, frames, order, offsets), tmp_path / "whole", name, csv_max_rows=None)
    readers = [lambda columns=None, f=f: f.copy() for f in frames]
    for read, frame in zip(readers, frames):
        path = tmp_path / f"piece{len(list(tmp_path.glob('piece*')))}.parquet"
        frame.to_parquet(path, index=False)
        read.path = path
    written = partitions._write_gathered(name, readers, order, offsets, {}, pd.Series(["x"]), tmp_path / "out",
                                         tmp_path / "scratch", csv_max_rows=None)
    assert written == (True, None)
    for file in (f"{name}.parquet", f"{name}.csv"):
        assert filecmp.cmp(tmp_path / "whole" / file, tmp_path / "out" / file, shallow=False), file
    assert not (tmp_path / "scratch").exists()


@pytest.mark.parametrize("range_rows", [1, 2, 4, 100])
def test_value_ranges_keep_each_value_whole_and_follow_the_sort(range_rows):
    """Every row with the same values of the first sort keys gets one range; ranges never go
    down in the table's sort order; none is larger than ``range_rows`` unless one value is."""
    frames = _timeline_pieces()
    range_of = partitions._value_ranges("timeline", [lambda f=f: f for f in frames], range_rows)
    joined = pd.concat(frames, ignore_index=True)
    joined = joined.assign(_range=range_of(joined))
    keys = ["_unresolved", "value"]
    per_value = partitions._with_sort_helpers("timeline", joined).groupby(keys, dropna=False)["_range"].nunique()
    assert (per_value == 1).all()
    in_order = partitions._sorted("timeline", joined)["_range"].to_numpy()
    assert (in_order[1:] >= in_order[:-1]).all()
    sizes = joined.groupby("_range").size()
    largest_value = joined.groupby(["value"], dropna=False).size().max()
    assert sizes.max() <= max(range_rows, largest_value) + range_rows - 1
    assert partitions._value_ranges("timeline", [], range_rows) is None


def _recording(function, names: list):
    def record(name, *args, **kwargs):
        written = function(name, *args, **kwargs)
        if written:
            names.append(name)
        return written
    return record


def test_pieces_whose_partitions_interleave_are_gathered_whole(tmp_path):
    """A piece holding partitions 1 and 3 and another holding 2 cannot be written one after the
    other: nothing is written and the caller sorts the table whole."""
    order = {"k1": 0, "k2": 1, "k3": 2}
    frames = [pd.DataFrame({"fact_id": ["F00001", "F00001"], "outlet": ["a", "b"], KEY: ["k1", "k3"]}),
              pd.DataFrame({"fact_id": ["F00001"], "outlet": ["c"], KEY: ["k2"]})]
    offsets = partitions._id_offsets({"facts": [partitions._id_maxima("facts", f) for f in frames]}, order)
    readers = [lambda columns=None, f=f: f.copy() for f in frames]
    assert partitions._write_gathered("coverage_matrix", readers, order, offsets, {}, pd.Series(["x"]),
                                      tmp_path / "out", tmp_path / "scratch", csv_max_rows=None) is None
    assert not (tmp_path / "out" / "coverage_matrix.parquet").exists() and not (tmp_path / "scratch").exists()


def test_tables_smaller_than_the_streaming_size_are_put_together_whole(corpus, tmp_path, monkeypatch):
    streamed = []
    monkeypatch.setattr(partitions, "_write_gathered", _recording(partitions._write_gathered, streamed))
    pipeline.compute(corpus, cache_dir=None, workers=1, tables_dir=tmp_path / "tables")
    assert streamed == []  # the fixture's tables are far below partitions.STREAM_MIN_ROWS
    monkeypatch.setattr(partitions, "STREAM_MIN_ROWS", 1)
    pipeline.compute(corpus, cache_dir=None, workers=1, tables_dir=tmp_path / "again")
    assert "coverage_matrix" in streamed


@pytest.mark.parametrize("group_rows, batch_rows", [(1, 100), (2, 1), (3, 2), (100, 3), (100, 100)])
def test_a_written_table_is_split_among_the_tasks_a_batch_at_a_time_as_the_table_itself(tmp_path, monkeypatch,
                                                                                       group_rows, batch_rows):
    """Split from its Parquet file a batch at a time (batches within or across row groups), a
    table gives each task the rows that splitting the table in memory gives it (same order,
    values and dtypes; a column without values in a batch; an article in no task left out); a
    table without articles goes to every task."""
    from helpers.run import partitions

    monkeypatch.setattr(partitions, "batch_rows", lambda metadata: batch_rows)
    frame = pd.DataFrame({"article_id": list("abcabdca"), "sent_id": [0, 0, 0, 1, 1, 0, 1, 2],
                          "note": pd.Series([None, None, "x", None, "y", "z", None, None], dtype=object),
                          "score": [0.5, 1.0, None, 2.0, 0.0, 1.5, 3.0, 0.25]})
    path = tmp_path / "sentences.parquet"
    frame.to_parquet(path, index=False, row_group_size=group_rows)
    no_articles = pd.DataFrame({"outlet": ["Valley Post"], "n": [3]})
    no_articles.to_parquet(tmp_path / "outlets.parquet", index=False)
    task_of = {"a": 1, "b": 0, "c": 1}  # "d" is in no task
    in_memory = partitions._split_inputs({"sentences": lambda: frame, "outlets": lambda: no_articles}, task_of,
                                         tmp_path / "memory")
    from_files = partitions._split_inputs({"sentences": lambda: path, "outlets": lambda: tmp_path / "outlets.parquet"},
                                          task_of, tmp_path / "files")
    for name, head in in_memory.items():
        pd.testing.assert_frame_equal(from_files[name], head)
        for task in (0, 1, 2):
            pd.testing.assert_frame_equal(partitions._task_rows(tmp_path / "files", task, name, from_files[name]),
                                          partitions._task_rows(tmp_path / "memory", task, name, head))
    assert partitions._task_rows(tmp_path / "files", 1, "sentences", frame)["article_id"].tolist() == list("acaca")
