import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import write_small_corpus

from helpers.load.corpus import CorpusError
from helpers.run import cache, memory, pipeline, workbook
from helpers.run.tables import write_tables


@pytest.fixture(scope="module")
def small_tables(tmp_path_factory):
    corpus = write_small_corpus(tmp_path_factory.mktemp("corpus") / "small")
    return pipeline.analyse(pipeline.build_tables(corpus))


def test_build_and_analyse_give_every_table_keyed_by_article(small_tables):
    expected = set(pipeline.TABLE_NAMES) | {"quotes", "sources", "quote_variants", "frames", "frame_summary",
                                            "emphasis", "dates", "timeline", "date_conflicts", "distinctive_terms"}
    assert expected <= set(small_tables)
    ids = set(small_tables["articles"]["article_id"])
    for name, frame in small_tables.items():
        if "article_id" in frame.columns and name != "load_report":
            assert set(frame["article_id"]) <= ids, name
    articles = small_tables["articles"].set_index("article_id")
    for row in small_tables["sentences"].itertuples():
        assert articles.loc[row.article_id, "text"][row.start:row.end] == row.text


def test_tables_round_trip_through_parquet(small_tables, tmp_path):
    write_tables(small_tables, tmp_path)
    back = pipeline.read_tables(tmp_path)
    assert set(back) == set(small_tables)
    pd.testing.assert_frame_equal(back["sentences"], small_tables["sentences"], check_dtype=False)
    assert (tmp_path / "articles.csv").is_file()


@pytest.mark.parametrize("cap, expected_rows, capped", [(None, 5, {}), (5, 5, {}), (3, 3, {"big": 5}), (0, 0, {"big": 5})])
def test_a_large_tables_csv_holds_its_first_rows_and_the_parquet_all(tmp_path, cap, expected_rows, capped):
    big = pd.DataFrame({"article_id": list("abcde"), "n": range(5)})
    assert write_tables({"big": big}, tmp_path, csv_max_rows=cap) == capped
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "big.csv", dtype={"article_id": str}),
                                  big.iloc[:expected_rows].astype({"article_id": object}), check_dtype=False)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "big.parquet"), big)


def test_event_selection(small_tables, tmp_path):
    with pytest.raises(ValueError, match="not in the corpus"):
        workbook.select_event(small_tables, "no-such-event")
    chosen = workbook.select_event(small_tables, "small")
    assert len(chosen["articles"]) == len(small_tables["articles"])
    corpus = write_small_corpus(tmp_path / "again")
    with pytest.raises(CorpusError, match="not in the corpus"):
        pipeline.build_tables(corpus, event="other")


def test_unknown_stage_is_refused(small_tables):
    with pytest.raises(ValueError, match="unknown analysis stage"):
        pipeline.analyse(small_tables, stages=("astrology",))


def test_analysis_hands_freed_memory_back_after_each_stage_and_keeps_the_tables(small_tables, monkeypatch):
    calls = []
    def count(*, full=True):
        calls.append(full)

    # the pipeline calls it directly and through memory.released
    monkeypatch.setattr(pipeline, "release_free_memory", count)
    monkeypatch.setattr(memory, "release_free_memory", count)
    foundation = {name: small_tables[name] for name in pipeline.TABLE_NAMES}
    again = pipeline.analyse(foundation)
    assert len(calls) >= len(pipeline.STAGES) and True in calls
    assert set(again) == set(small_tables)
    for name, frame in small_tables.items():
        pd.testing.assert_frame_equal(again[name], frame, obj=name)


# -------------------- read_tables: only the tables asked for, only one event's rows --------------------

def _two_events() -> dict[str, pd.DataFrame]:
    """Tables of two events, "quake" (articles a, b) and "flood" (c), with the dtype edge cases of a
    filtered read: an integer and a boolean column whose only null is in the other event's rows
    (pandas reads them whole as float64 and object), a table with no row of "quake", a table with
    no rows at all (its all-null article_id is stored with Arrow's null type), a load report keyed
    by article_id and corpus-wide tables without it."""
    return {
        "articles": pd.DataFrame({"article_id": ["a", "b", "c"], "event": ["quake", "quake", "flood"],
                                  "word_count": [10, 20, 30]}),
        "sentences": pd.DataFrame({"article_id": ["a", "c", "b", "a"], "sent_id": [0, 0, 0, 1],
                                   "in_lead": [True, None, False, False], "n": [1, None, 3, 4],
                                   "text": ["A one.", "C one.", "B one.", "A two."]}),
        "date_conflicts": pd.DataFrame({"article_id": ["c"], "sent_id": [0], "note": ["only the flood"]}),
        "embeds": pd.DataFrame({"article_id": pd.Series([], dtype=object), "start": pd.Series([], dtype="int64")}),
        "load_report": pd.DataFrame({"input": ["a.txt", "c.txt", "x.txt"], "status": ["loaded", "loaded", "skipped"],
                                     "article_id": ["a", "c", ""]}),
        "frame_summary": pd.DataFrame({"outlet": ["O1", "O2"], "frame": ["conflict", "economy"],
                                       "n_sentences": [2, 1]}),
        "findings": pd.DataFrame({"finding_id": ["F1"], "event": ["flood"], "rank": [1]}),
        # event-local tables without article_id: a pair of articles, and facts x outlets
        "facts": pd.DataFrame({"fact_id": ["F00001", "F00001", "F00002"], "article_id": ["a", "b", "c"]}),
        "coverage_matrix": pd.DataFrame({"fact_id": ["F00001", "F00001", "F00002"], "outlet": ["O1", "O2", "O3"],
                                         "status": ["verbatim", "verbatim", "single"]}),
        "reuse_pairs": pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "share_a": [0.5]}),
    }


@pytest.fixture
def two_events_dir(tmp_path):
    write_tables(_two_events(), tmp_path)
    return tmp_path


@pytest.mark.parametrize("event", ["quake", "flood"])
@pytest.mark.parametrize("names", [None, ("sentences", "date_conflicts", "embeds", "load_report", "findings",
                                           "coverage_matrix", "reuse_pairs")])
def test_reading_one_event_equals_reading_all_then_selecting_it(two_events_dir, event, names):
    """The rows filtered in Arrow, before pandas, are those workbook.select_event keeps from the whole
    tables, with the same dtypes (float64 and object where the whole column has a null, the empty
    tables' columns) and a fresh index; the coverage matrix keeps the event's facts (read from
    facts.parquet when the notebook did not ask for facts), reuse pairs the event's articles;
    corpus-wide tables and the load report are whole."""
    expected = workbook.select_event(pipeline.read_tables(two_events_dir), event)
    got = pipeline.read_tables(two_events_dir, names, event=event)
    assert list(got) == list(names or sorted(expected))
    for name, frame in got.items():
        pd.testing.assert_frame_equal(frame, expected[name], obj=name)
    if event == "quake":
        assert got["sentences"]["n"].dtype == "float64" and got["sentences"]["in_lead"].dtype == object
        assert got["date_conflicts"].empty and list(got["date_conflicts"].columns) == ["article_id", "sent_id", "note"]
        assert got["coverage_matrix"]["outlet"].tolist() == ["O1", "O2"] and len(got["reuse_pairs"]) == 1
    else:
        assert got["coverage_matrix"]["fact_id"].tolist() == ["F00002"] and got["reuse_pairs"].empty
    assert len(got["load_report"]) == 3 and len(got["findings"]) == 1, "read whole"


def test_without_a_facts_table_the_coverage_matrix_is_kept_whole(tmp_path):
    tables = {name: frame for name, frame in _two_events().items() if name != "facts"}
    write_tables(tables, tmp_path)
    assert len(pipeline.read_tables(tmp_path, ("coverage_matrix",), event="quake")["coverage_matrix"]) == 3
    assert len(workbook.select_event(tables, "quake")["coverage_matrix"]) == 3


def test_reading_some_tables_reads_only_those(two_events_dir):
    got = pipeline.read_tables(two_events_dir, ("findings", "articles"))
    assert list(got) == ["findings", "articles"]
    pd.testing.assert_frame_equal(got["articles"], _two_events()["articles"], check_dtype=False)
    with pytest.raises(FileNotFoundError):
        pipeline.read_tables(two_events_dir, ("no_such_table",))
    with pytest.raises(TypeError, match="tuple of table names"):
        pipeline.read_tables(two_events_dir, "articles")


def test_reading_an_unknown_event_is_refused_as_selecting_it_is(two_events_dir):
    with pytest.raises(ValueError, match="event 'drought' is not in the corpus") as read:
        pipeline.read_tables(two_events_dir, ("sentences",), event="drought")
    with pytest.raises(ValueError) as selected:
        workbook.select_event(pipeline.read_tables(two_events_dir), "drought")
    assert str(read.value) == str(selected.value)


@pytest.mark.parametrize("batch_rows", [2, None])
def test_a_table_in_row_groups_is_read_batch_by_batch_and_groups_without_the_event_skipped(tmp_path, monkeypatch,
                                                                                         batch_rows):
    """Row groups of 3 rows sorted by article_id: the first (a, a, b) and the last (d, d, e) hold "quake"
    articles, the middle one (c, c, c) none and is never read; batches of 2 rows cut groups in two
    (None: the batches a read chooses, here whole groups).
    A categorical column keeps its categories as in a whole read."""
    tables = {"articles": pd.DataFrame({"article_id": list("abcde"),
                                        "event": ["quake", "quake", "flood", "quake", "quake"]})}
    write_tables(tables, tmp_path)
    quotes = pd.DataFrame({"article_id": list("aabcccdde"), "n": [1, 2, 3, None, 5, 6, 7, 8, 9],
                           "kind": pd.Categorical(list("xyxyzzxyx"))})
    quotes.to_parquet(tmp_path / "quotes.parquet", index=False, row_group_size=3)
    if batch_rows:
        monkeypatch.setattr(cache, "batch_rows", lambda metadata: batch_rows)
    got = pipeline.read_tables(tmp_path, ("quotes",), event="quake")["quotes"]
    expected = workbook.select_event({**tables, "quotes": pd.read_parquet(tmp_path / "quotes.parquet")}, "quake")
    pd.testing.assert_frame_equal(got, expected["quotes"])
    assert got["article_id"].tolist() == list("aabdde") and got["n"].dtype == "float64"
    assert pipeline._row_groups_holding(pq.read_metadata(tmp_path / "quotes.parquet"), ["a", "b", "d", "e"]) == [0, 2]


def test_the_raw_text_is_let_go_before_the_quotes_stage(tmp_path, monkeypatch):
    """The raw text (the size of the corpus) is not held while the quotes stage runs: the run
    hands its raw table to the engine, which keeps only ids and input files once the articles
    are cleaned."""
    import gc

    from helpers.run import batches

    real = batches.quotes_batch
    seen: list[int] = []

    def quotes_batch(*args):
        gc.collect()
        seen.append(sum(1 for o in gc.get_objects()
                        if isinstance(o, pd.DataFrame) and "raw_text" in o.columns and len(o)))
        return real(*args)

    monkeypatch.setattr(batches, "quotes_batch", quotes_batch)
    monkeypatch.setattr(pipeline, "analyse", lambda *args, **kwargs: {})  # the comparisons are not the point
    pipeline.compute(write_small_corpus(tmp_path / "small"), cache_dir=None, workers=1)
    assert seen and max(seen) == 0


def test_the_corpus_wide_framing_reads_the_articles_text_for_their_openings_only(small_tables, monkeypatch):
    """Leads and buries read each article's opening; every later framing step gets the articles
    without their text (the size of the corpus), and the tables are the same."""
    from helpers.compare import distinctive, emphasis

    seen: dict[str, bool] = {}
    for module, name in ((emphasis, "outlet_leads_and_buries"), (distinctive, "distinctive_terms"),
                         (emphasis, "tone")):
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            articles = next(a for a in args if isinstance(a, pd.DataFrame) and "outlet" in a.columns)
            seen[_name] = "text" in articles.columns
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    foundation = {name: small_tables[name] for name in pipeline.TABLE_NAMES}
    again = pipeline.analyse(foundation)
    assert seen == {"outlet_leads_and_buries": True, "distinctive_terms": False, "tone": False}
    for name in ("leads_and_buries", "distinctive_terms", "tone", "frame_summary", "actor_labels"):
        pd.testing.assert_frame_equal(again[name], small_tables[name], obj=name)


def test_the_corpus_wide_framing_on_two_workers_equals_it_in_this_process(tmp_path, monkeypatch):
    """With its tables in files and two local workers, the framing's two parts run side by side as
    tasks reading the files; the tables are those of one part after the other in this process."""
    from conftest import SEEDS

    from helpers.run.engine import LocalEngine
    from helpers.run.tables import Tables

    analysed = pipeline.analyse(pipeline.build_tables(SEEDS))

    class Counting(LocalEngine):
        tasks: list[str] = []

        def map(self, fn, tasks):
            tasks = list(tasks)
            self.tasks += [fn.__name__] * len(tasks)
            return super().map(fn, tasks)

    tables = Tables(analysed, folder=tmp_path)
    tables.write_all()
    here = pipeline._framing_corpus(tables, runner=None)
    monkeypatch.setattr(pipeline, "_FRAMING_ENGINE_MIN_ROWS", 0)  # the few sentences on the workers too
    # the tasks read the articles from their file: this process never reads them whole (their text)
    read_whole = Tables.__getitem__
    monkeypatch.setattr(Tables, "__getitem__", lambda self, name: pytest.fail(f"{name} read whole")
                        if name == "articles" else read_whole(self, name))
    engine = Counting(2)
    on_workers = pipeline._framing_corpus(tables, runner=engine)
    assert engine.tasks == ["_framing_task", "_framing_task"]  # the two parts
    assert list(on_workers) == list(here)
    for name, frame in here.items():
        pd.testing.assert_frame_equal(on_workers[name], frame, obj=name)
    assert len(here["distinctive_terms"]) and len(here["frame_contrasts"]) and len(here["leads_and_buries"])


@pytest.mark.parametrize("rows", [0, 3])
def test_articles_without_text_read_from_their_file_equal_the_frame_without_it(tmp_path, rows):
    """Read from a written table without its text column: the same frame, dtypes too (text with
    missing values stays ``object``), as the whole table read back with its text dropped."""
    from helpers.run.tables import Tables

    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["Lakeport Herald", "", "Ridge Times"],
                             "authors": ["Orla Brandt", None, "Tom Vale"], "word_count": [120, 0, 45],
                             "text": ["One. Two.", "", "Three."]}).head(rows)
    in_memory = Tables({"articles": articles})
    written = Tables({"articles": articles}, folder=tmp_path)
    written.write("articles")
    expected = written["articles"].drop(columns=["text"])
    pd.testing.assert_frame_equal(pipeline.articles_without_text(written), expected)
    pd.testing.assert_frame_equal(pipeline.articles_without_text(in_memory), articles.drop(columns=["text"]))


@pytest.fixture(scope="module")
def seed_actor_features():
    """The seeds' articles and their actor features, encoded and ordered as the engine keeps them."""
    from conftest import SEEDS

    from helpers.run import batches
    from helpers.run.cache import KEY

    foundation = pipeline.build_tables(SEEDS)
    articles = foundation["articles"]
    found = batches.quotes_batch(articles.assign(**{KEY: articles["article_id"]}), foundation["sentences"],
                                 foundation["entities"], foundation["embeds"])
    features = found["actor_features"].drop(columns=[KEY]).sort_values(["article_id", "sent_id"], kind="stable")
    return articles, features.reset_index(drop=True)


@pytest.mark.parametrize("rows", [1, 40, 1_000_000])
def test_actor_labels_on_the_engine_in_chunks_of_articles_equal_one_pass(seed_actor_features, tmp_path, monkeypatch,
                                                                        rows):
    """The actor labels resolved in chunks of whole articles on two worker processes (a chunk per
    article, a few chunks, one chunk run in this process) are the table one pass over the file
    gives."""
    from helpers.compare import distinctive
    from helpers.run import batches
    from helpers.run.engine import LocalEngine
    from helpers.run.tables import write_parquet

    articles, features = seed_actor_features
    assert features["article_id"].nunique() > 3
    write_parquet(features, tmp_path / "actor_features.parquet")
    one_pass = distinctive.resolve_actor_labels(lambda: batches.label_features(features), articles)
    assert len(one_pass) and (one_pass["rule"] == "description").any()
    monkeypatch.setattr(pipeline, "_FEATURE_ENGINE_MIN_ROWS", 0)  # the seeds' few sentences on the workers too
    chunked = pipeline._actor_labels_on_engine(tmp_path / "actor_features.parquet", articles, LocalEngine(2), rows=rows)
    pd.testing.assert_frame_equal(chunked, one_pass)


@pytest.mark.parametrize("written", [True, False])
def test_fact_rows_for_the_leads_check_read_only_the_facts_asked(tmp_path, written, monkeypatch):
    from helpers.run.tables import Tables

    facts = pd.DataFrame({"fact_id": ["F1", "F1", "F2", "F3"], "article_id": ["a", "b", "a", "c"],
                          "sent_id": [0, 2, 1, 0], "text": ["One way.", "The best way.", "Second fact.", "Third fact."]})
    tables = Tables({"facts": facts}, folder=tmp_path if written else None)
    tables.write("facts")
    assert (tables.file("facts") is not None) == written
    if written:  # read in part, never whole
        monkeypatch.setattr("helpers.run.tables.read_parquet", lambda *a, **k: pytest.fail("facts read whole"))
    rows = pipeline._fact_rows(tables)
    pd.testing.assert_frame_equal(rows(["F3", "F1"]), facts.iloc[[0, 1, 3]].reset_index(drop=True))
    assert rows(["F9"]).empty
    assert pipeline._fact_rows(Tables({"articles": facts})) is None


def _label_rows(article: str, rows: list[tuple], rule: str) -> list[dict]:
    return [{"actor": actor, "label": label, "rule": rule, "head": head, "article_id": article, "sent_id": sent,
             "start": start, "end": end} for actor, label, head, sent, start, end in rows]


def _label_chunks() -> list[tuple[int, tuple[list[pd.DataFrame], list[pd.DataFrame]]]]:
    """Three chunks of whole articles, as the workers return them (records, descriptions): a
    description on a record's span (dropped), equal sort keys with different ends (kept in their
    order), a chunk with no description, a head without a value in a whole chunk."""
    a = _label_rows("lake-2", [("Orla Brandt", "Mayor Orla Brandt", "mayor", 0, 0, 17),
                               ("Valley Post", "Valley Post", None, 1, 30, 41)], "name")
    a_described = _label_rows("lake-2", [("Orla Brandt", "Mayor Orla Brandt", "mayor", 0, 0, 17),
                                         ("Orla Brandt", "the mayor", "mayor", 2, 5, 14),
                                         ("Orla Brandt", "the mayor's office", "office", 2, 5, 23)], "description")
    b = _label_rows("bay-9", [("Ridge Times", "Ridge Times", None, 0, 0, 11)], "name")
    c = _label_rows("coast-1", [("Ivo Kessler", "Ivo Kessler", None, 0, 3, 14),
                                ("Ivo Kessler", "Kessler", None, 4, 0, 7)], "name")
    c_described = _label_rows("coast-1", [("Ivo Kessler", "the minister", "minister", 1, 0, 12)], "description")
    frame = pd.DataFrame
    return [(2, ([frame(c)], [frame(c_described)])),  # the chunks come in the order they finish
            (0, ([frame(a[:1]), frame(a[1:])], [frame(a_described)])),
            (1, ([frame(b)], []))]


@pytest.mark.parametrize("range_rows", [1, 2, 3, 100])
@pytest.mark.parametrize("csv_max_rows", [None, 4])
def test_actor_labels_written_range_after_range_are_the_whole_tables_files(tmp_path, range_rows, csv_max_rows):
    """The actor labels of the chunks, split into ranges of articles, each range put together and
    written after the other: the files of the whole table written at once (duplicates dropped,
    equal keys in the same order, the CSV capped the same), no scratch file left."""
    from helpers.compare import distinctive
    from helpers.run.tables import write_table

    articles = pd.DataFrame({"article_id": ["lake-2", "bay-9", "coast-1", "none-0"],
                             "outlet": ["Lakeport Herald", "Ridge Times", "Coast Daily", "Valley Post"]})
    chunks = _label_chunks()
    by_number = dict(chunks)
    whole = distinctive.actor_label_table([by_number[i][0] for i in sorted(by_number)],
                                          [by_number[i][1] for i in sorted(by_number)], articles)
    assert len(whole) == 8 and whole["article_id"].tolist()[:3] == ["bay-9", "coast-1", "coast-1"]
    expected_capped = write_table(whole, tmp_path / "whole", "actor_labels", csv_max_rows=csv_max_rows)
    path, capped = pipeline._write_actor_labels(iter(chunks), articles, tmp_path / "ranges",
                                                csv_max_rows=csv_max_rows, range_rows=range_rows)
    assert path == tmp_path / "ranges" / "actor_labels.parquet" and capped == expected_capped
    assert sorted(p.name for p in (tmp_path / "ranges").iterdir()) == ["actor_labels.csv", "actor_labels.parquet"]
    for suffix in (".parquet", ".csv"):
        assert ((tmp_path / "ranges" / f"actor_labels{suffix}").read_bytes()
                == (tmp_path / "whole" / f"actor_labels{suffix}").read_bytes()), suffix


def test_actor_labels_of_no_chunk_are_written_empty_with_their_columns(tmp_path):
    from helpers.compare import distinctive
    from helpers.run.tables import write_table

    articles = pd.DataFrame({"article_id": ["lake-2"], "outlet": ["Lakeport Herald"]})
    pipeline._write_actor_labels(iter(()), articles, tmp_path / "ranges", csv_max_rows=None)
    write_table(distinctive.actor_label_table([], [], articles), tmp_path / "whole", "actor_labels")
    for suffix in (".parquet", ".csv"):
        assert ((tmp_path / "ranges" / f"actor_labels{suffix}").read_bytes()
                == (tmp_path / "whole" / f"actor_labels{suffix}").read_bytes())


@pytest.mark.parametrize("written", [False, True])
def test_a_corpus_wide_step_reads_a_written_table_in_part_never_whole(tmp_path, monkeypatch, written):
    from helpers.run.tables import Tables

    frame = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["Valley Post", "Ridge Times", "Valley Post"],
                          "text": ["x", "y", "z"]})
    held = Tables({"articles": frame}, folder=tmp_path)
    if written:
        held.write("articles")
        # the whole table is never read back
        monkeypatch.setattr(Tables, "__getitem__", lambda self, name: pytest.fail(f"{name} read whole"))
    reader = pipeline._table_reader(held, "articles")
    pd.testing.assert_frame_equal(reader.columns("article_id", "outlet"), frame[["article_id", "outlet"]])
    pd.testing.assert_frame_equal(reader.rows("article_id", ["c", "a"]),
                                  frame.iloc[[0, 2]].reset_index(drop=True))


def _features_file(path, articles: list[tuple[str, int]], *, row_group_size: int | None = None):
    """A file of actor features: each article's sentences one after the other (``features`` a
    placeholder: only the rows' positions matter here)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = [a for a, n in articles for _ in range(n)]
    sents = [s for _, n in articles for s in range(n)]
    frame = pd.DataFrame({"article_id": ids, "sent_id": sents, "features": [f"{a}/{s}" for a, s in zip(ids, sents)]})
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=row_group_size)
    return frame


@pytest.mark.parametrize("row_group_size", [None, 3])
def test_feature_rows_are_that_slice_of_the_file_with_its_three_columns(tmp_path, row_group_size):
    frame = _features_file(tmp_path / "f.parquet", [("a", 3), ("b", 1), ("c", 5)], row_group_size=row_group_size)
    frame.assign(extra=1).to_parquet(tmp_path / "g.parquet", index=False, row_group_size=row_group_size)
    for name in ("f", "g"):
        pd.testing.assert_frame_equal(pipeline._feature_rows(tmp_path / f"{name}.parquet", 2, 7),
                                      frame.iloc[2:7].reset_index(drop=True))


def test_actor_labels_on_a_local_engine_never_read_the_features_here(seed_actor_features, tmp_path, monkeypatch):
    """With a local engine of workers each task reads its chunk from the file: this process reads
    the article ids only (the features of the tasks in flight were its largest holding)."""
    from helpers.run.engine import LocalEngine
    from helpers.run.tables import write_parquet

    articles, features = seed_actor_features
    write_parquet(features, tmp_path / "actor_features.parquet")
    expected = pipeline._actor_labels_on_engine(tmp_path / "actor_features.parquet", articles, None)
    monkeypatch.setattr(pipeline, "_FEATURE_ENGINE_MIN_ROWS", 0)
    monkeypatch.setattr(pipeline, "_feature_chunks", lambda *a, **k: pytest.fail("features read in this process"))
    monkeypatch.setattr(pipeline, "_feature_rows", lambda *a, **k: pytest.fail("features read in this process"))
    chunked = pipeline._actor_labels_on_engine(tmp_path / "actor_features.parquet", articles, LocalEngine(2), rows=40)
    pd.testing.assert_frame_equal(chunked, expected)
