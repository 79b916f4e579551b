import pandas as pd
import pytest
from conftest import write_small_corpus

from helpers.load.corpus import CorpusError
from helpers.run import pipeline, workbook


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
    pipeline.write_tables(small_tables, tmp_path)
    back = pipeline.read_tables(tmp_path)
    assert set(back) == set(small_tables)
    pd.testing.assert_frame_equal(back["sentences"], small_tables["sentences"], check_dtype=False)
    assert (tmp_path / "articles.csv").is_file()


@pytest.mark.parametrize("cap, expected_rows, capped", [(None, 5, {}), (5, 5, {}), (3, 3, {"big": 5}), (0, 0, {"big": 5})])
def test_a_large_tables_csv_holds_its_first_rows_and_the_parquet_all(tmp_path, cap, expected_rows, capped):
    big = pd.DataFrame({"article_id": list("abcde"), "n": range(5)})
    assert pipeline.write_tables({"big": big}, tmp_path, csv_max_rows=cap) == capped
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
    monkeypatch.setattr(pipeline, "release_free_memory", lambda: calls.append(1))
    foundation = {name: small_tables[name] for name in pipeline.TABLE_NAMES}
    again = pipeline.analyse(foundation)
    assert len(calls) >= len(pipeline.STAGES)
    assert set(again) == set(small_tables)
    for name, frame in small_tables.items():
        pd.testing.assert_frame_equal(again[name], frame, obj=name)


def test_release_free_memory_is_safe_to_call():
    assert pipeline.release_free_memory() is None
    assert pipeline.released("table") == "table"
