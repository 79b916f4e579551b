import pytest
import pandas as pd

from helpers.compare.overview import (
    UNKNOWN_COUNTRY, UNKNOWN_OUTLET, cleaning_summary, entity_mentions_by_outlet, load_summary, outlet_summary)

ARTICLES = pd.DataFrame({
    "article_id": ["a1", "a2", "b1", "c1"],
    "outlet": ["A", "A", "B", ""],
    "country": ["IN", "IN", "PK", ""],
    "published": ["2021-08-10", "2021-08-12", "2021-08-11", ""],
    "published_source": ["metadata", "url", "marker", "none"],
    "word_count": [100, 50, 80, 10],
})
SENTENCES = pd.DataFrame({"article_id": ["a1", "a1", "a2", "b1"], "sent_id": [0, 1, 0, 0]})


def test_outlet_summary_counts_and_keeps_the_ids():
    summary = outlet_summary(ARTICLES, SENTENCES).set_index("outlet")
    assert summary.loc["A", ["articles", "words", "sentences"]].tolist() == [2, 150, 3]
    assert summary.loc["A", "article_ids"] == "a1;a2"
    assert summary.loc["A", "first_published"] == "2021-08-10" and summary.loc["A", "last_published"] == "2021-08-12"
    assert summary.loc[UNKNOWN_OUTLET, "sentences"] == 0
    assert summary["articles"].sum() == len(ARTICLES)
    # a blank country reads as unknown, in the words every other table uses for it
    assert summary.loc["A", "country"] == "IN" and summary.loc[UNKNOWN_OUTLET, "country"] == UNKNOWN_COUNTRY


def test_entity_mentions_by_outlet_top_n():
    entities = pd.DataFrame({"article_id": ["a1", "a1", "a2", "b1", "b1"],
                             "canonical": ["X", "X", "Y", "X", "Z"], "label": ["ORG"] * 5})
    table = entity_mentions_by_outlet(entities, ARTICLES, top=2)
    assert table[["outlet", "canonical", "mentions", "articles"]].values.tolist() == [
        ["A", "X", 2, 1], ["B", "X", 1, 1], ["A", "Y", 1, 1]]


def test_an_entitys_label_is_the_one_it_is_tagged_with_most_alphabetically_first_on_ties():
    entities = pd.DataFrame({"article_id": ["a1", "a1", "a2", "b1", "b1", "b1", "a2"],
                             "canonical": ["X", "X", "X", "Y", "Y", "Z", "Z"],
                             "label": ["PERSON", "ORG", "ORG", "ORG", "GPE", "NORP", "NORP"]})
    table = entity_mentions_by_outlet(entities, ARTICLES, top=3)
    assert dict(zip(table["canonical"], table["label"])) == {"X": "ORG", "Y": "GPE", "Z": "NORP"}


def test_summaries_of_empty_tables():
    assert entity_mentions_by_outlet(pd.DataFrame(columns=["article_id", "canonical", "label"]), ARTICLES).empty
    assert cleaning_summary(pd.DataFrame(columns=["article_id", "rule", "removed"]), ARTICLES).empty
    assert load_summary(pd.DataFrame(columns=["input", "status", "reason"])).empty
    assert outlet_summary(ARTICLES.iloc[0:0], SENTENCES.iloc[0:0]).empty


def test_load_summary_adds_up():
    report = pd.DataFrame({"input": list("abcd"), "status": ["loaded", "skipped", "skipped", "loaded"],
                           "reason": ["", "empty file", "empty file", ""]})
    summary = load_summary(report)
    assert summary["inputs"].sum() == 4
    assert summary.values.tolist() == [["loaded", "(none)", 2], ["skipped", "empty file", 2]]


def test_coverage_over_time_by_country_keeps_undated_articles():
    from helpers.compare.overview import coverage_over_time

    table = coverage_over_time(ARTICLES, by="country")
    assert table[["period", "country", "articles", "words"]].values.tolist() == [
        ["", "(unknown country)", 1, 10], ["2021-08-10", "IN", 1, 100], ["2021-08-11", "PK", 1, 80],
        ["2021-08-12", "IN", 1, 50]]
    assert coverage_over_time(ARTICLES, by="outlet", freq="M")["articles"].sum() == 4


@pytest.mark.parametrize("dates, freq", [
    ([], "D"),                                           # nothing dated
    (["", "not a date"], "D"),
    (["2021-08-03"], "D"),                               # one day
    (["2021-08-01", "2021-09-08"], "D"),                 # 39 days: one bar each
    (["2021-08-01", "2021-09-09"], "W"),                 # 40 days: by week
    (["2019-01-01", "2021-12-31", ""], "M"),             # three years: 36 months
    (["2012-01-01", "2020-12-31"], "Q"),                 # nine years: 36 quarters
    (["1929-01-01", "2050-06-01"], "Y"),                 # odd dates as given: years, even past the bar
])
def test_period_frequency_is_the_finest_in_which_the_dates_fit_one_chart(dates, freq):
    from helpers.compare.overview import period_frequency

    assert period_frequency(pd.Series(dates, dtype=object), max_periods=39) == freq


def test_describe_over_time_states_the_busiest_period_and_the_undated():
    from helpers.compare.overview import coverage_over_time, describe_over_time

    table = coverage_over_time(ARTICLES, by="country", freq="D")
    assert describe_over_time(table, period_name="day") == (
        "Articles were published in 3 days; the day with the most words, 2021-08-10, holds 42% of all words; "
        "1 undated article.")
    assert describe_over_time(table.iloc[0:0], period_name="day") == "No articles."
    assert describe_over_time(table[table["period"] == ""], period_name="day") == (
        "No article has a publication date; 1 undated article.")
