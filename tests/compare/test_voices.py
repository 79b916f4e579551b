"""Tests for helpers.compare.voices: the per-outlet summaries of the quote tables (notebook 04)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.compare.voices import (quotation_share, quote_table_with_outlets, sources_by_outlet, speakers_by_outlet,
                                    voice_type, voices_by_outlet)

ARTICLES = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["A", "B", "B"],
                         "text": ["x" * 100, "y" * 50, "z" * 10]})
QUOTES = pd.DataFrame({
    "quote_id": ["a:q0", "a:q1", "b:q0"], "article_id": ["a", "a", "b"], "start": [0, 10, 0], "end": [20, 30, 25],
    "quote": ["one two three", "four five", "six"], "kind": ["direct", "direct", "indirect"],
    "speaker": ["ministry spokesman Tom Reyes", "Reyes", "a resident"],
    "speaker_canonical": ["Tom Reyes", "Tom Reyes", "resident"],
})


@pytest.mark.parametrize(
    "speaker, canonical, kind, expected",
    [("Navy Press Secretary Ann Lee", "Ann Lee", "", "official"),
     ("the Interior Department", "Interior Department", "organisation", "official"),
     ("Al Jazeera", "Al Jazeera", "outlet", "outlet or agency"),
     ("a resident", "resident", "", "other"),
     # no one named (no speaker, or one that names no person or body) is not an "other" voice
     ("", "", "", "unresolved"),
     ("The two sides", "unresolved", "", "unresolved"),
     # two people, each with an official title: officials, though no one person
     ("Army chief General Ana Ruiz and Interior Minister Tom Vale", "unresolved", "", "official"),
     ("Ana Ruiz and her neighbour Tom Vale", "unresolved", "", "unresolved")],
)
def test_voice_type(speaker, canonical, kind, expected):
    assert voice_type(speaker, canonical, kind) == expected


def test_speakers_by_outlet_counts_quotes_and_words():
    grid = speakers_by_outlet(QUOTES, ARTICLES)
    assert grid.values.tolist() == [["Tom Reyes", "A", 2, 5, "a:q0;a:q1"], ["resident", "B", 1, 1, "b:q0"]]
    assert speakers_by_outlet(QUOTES, ARTICLES, top=1)["speaker_canonical"].tolist() == ["Tom Reyes"]


def test_quotation_share_counts_overlaps_once_and_keeps_unquoted_articles():
    share = quotation_share(QUOTES, ARTICLES).set_index(["article_id", "kind"])
    assert share.loc[("a", "direct"), "characters"] == 30 and share.loc[("a", "direct"), "share"] == 0.3
    assert share.loc[("b", "indirect"), "share"] == 0.5
    assert share.loc[("c", "none"), "share"] == 0


@pytest.mark.parametrize("spans, covered", [
    ([], 0),
    ([(0, 10), (0, 10)], 10),            # identical spans once
    ([(0, 10), (2, 5), (8, 20)], 20),    # nested, then overlapping
    ([(0, 10), (10, 20), (30, 40)], 30),  # touching, then apart
    ([(5, 5), (0, 10)], 10),             # an empty span
])
def test_quotation_share_is_the_union_of_spans(spans, covered):
    quotes = pd.DataFrame({"quote_id": [f"a:q{i}" for i in range(len(spans))], "article_id": ["a"] * len(spans),
                           "start": [s for s, _ in spans], "end": [e for _, e in spans], "kind": ["direct"] * len(spans),
                           "quote": [""] * len(spans), "speaker": [""] * len(spans),
                           "speaker_canonical": [""] * len(spans)})
    share = quotation_share(quotes, ARTICLES)
    row = share[share["article_id"] == "a"].iloc[0]
    assert (row["kind"], row["characters"]) == (("direct", covered) if spans else ("none", 0))
    assert share["article_id"].tolist() == ["a", "b", "c"]  # every article, once


def test_voices_by_outlet_and_official_title_carried_over():
    voices = voices_by_outlet(QUOTES, ARTICLES)
    # "Reyes" alone is official: the article named him with his title first
    assert voices.values.tolist() == [["A", "official", 2, 1.0], ["B", "other", 1, 1.0]]
    table = quote_table_with_outlets(QUOTES, ARTICLES)
    assert table["voice"].tolist() == ["official", "official", "other"] and table["words"].tolist() == [3, 2, 1]
    assert voices_by_outlet(QUOTES.iloc[0:0], ARTICLES).empty


def test_source_kind_comes_from_the_same_article():
    sources = pd.DataFrame({"article_id": ["b", "a"], "source": ["resident", "resident"],
                            "source_kind": ["outlet", "person"], "n_mentions": [1, 1]})
    table = quote_table_with_outlets(QUOTES, ARTICLES, sources)
    assert table["voice"].tolist() == ["official", "official", "outlet or agency"]


def test_sources_by_outlet_and_unknown_outlet():
    sources = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "source": ["AP", "AP", "Reyes", "AP"],
                            "source_kind": ["outlet", "outlet", "person", "outlet"], "n_mentions": [1, 2, 1, 1]})
    articles = pd.concat([ARTICLES, pd.DataFrame({"article_id": ["d"], "outlet": [""], "text": ["w"]})])
    table = sources_by_outlet(sources, articles)
    assert table.iloc[0].tolist() == ["AP", "outlet", 3, 3, 4, "(unknown outlet); A; B"]
    assert table.iloc[1].tolist() == ["Reyes", "person", 1, 1, 1, "B"]
    assert sources_by_outlet(sources.iloc[0:0], articles).empty


def test_sources_by_outlet_one_row_per_source_of_its_most_mentioned_kind():
    # the city council's statement in two articles, "the council said" in one: one source
    sources = pd.DataFrame({"article_id": ["a", "b", "c"], "source": ["City Council"] * 3,
                            "source_kind": ["official statement", "organisation", "official statement"],
                            "n_mentions": [1, 2, 2]})
    table = sources_by_outlet(sources, ARTICLES)
    assert table[["source", "source_kind", "articles", "mentions"]].values.tolist() == [
        ["City Council", "official statement", 3, 5]]


@pytest.mark.parametrize("name, issuer", [
    ("Pentagon readout", "Pentagon"), ("Lakeport City Council press release", "Lakeport City Council"),
    ("Harbour Authority statements", "Harbour Authority"), ("Mr. Reyes’s release", "Mr. Reyes"),
    ("statement", "statement"), ("Ana Ruiz", "Ana Ruiz"), ("Valley Post", "Valley Post"), ("", ""),
    ("The statement", "The statement"), ("Friday notice", "Friday notice"),  # no issuer named
])
def test_statement_issuer(name, issuer):
    from helpers.quotes.sources import statement_issuer

    assert statement_issuer(name) == issuer


# ------------------------------------------------------------------ the answers, in a sentence

from helpers.compare.voices import officials_sentence, quotation_share_sentence, sources_sentence, speakers_sentence


def test_sources_sentence_names_the_widest_source_and_counts_single_outlet_ones():
    sources = pd.DataFrame({"article_id": ["a", "b", "c"], "source": ["AP", "AP", "Reyes"],
                            "source_kind": ["outlet", "outlet", "person"], "n_mentions": [1, 2, 1]})
    assert sources_sentence(sources_by_outlet(sources, ARTICLES), ARTICLES) == (
        "The most widely cited source is AP (outlet): cited by 2 of 2 outlets, 3 mentions in all. "
        "1 of 2 sources is cited by one outlet only.")
    assert sources_sentence(sources_by_outlet(sources.iloc[0:0], ARTICLES), ARTICLES) == "No article cites a source."


def test_speakers_sentence_names_the_outlets_that_do_not_quote_the_top_speaker():
    assert speakers_sentence(speakers_by_outlet(QUOTES, ARTICLES), ARTICLES) == (
        "The most quoted speaker is Tom Reyes: 2 attributions in 1 of 2 outlets; B does not quote Tom Reyes.")
    everywhere = QUOTES.assign(speaker_canonical="Tom Reyes")
    assert speakers_sentence(speakers_by_outlet(everywhere, ARTICLES), ARTICLES).endswith("in 2 of 2 outlets, every outlet.")
    assert speakers_sentence(speakers_by_outlet(QUOTES.iloc[0:0], ARTICLES), ARTICLES) == "No attribution names a speaker."
    # "unresolved" (no one named) is never the most quoted speaker, however often it comes
    unnamed = pd.concat([QUOTES, QUOTES.assign(quote_id=lambda d: d["quote_id"] + "x", speaker_canonical="unresolved")])
    assert speakers_sentence(speakers_by_outlet(unnamed, ARTICLES), ARTICLES).startswith(
        "The most quoted speaker is Tom Reyes: 2 attributions")
    assert speakers_sentence(speakers_by_outlet(QUOTES.assign(speaker_canonical="unresolved"), ARTICLES),
                             ARTICLES) == "No attribution names a speaker."


def test_quotation_share_sentence_counts_overlapping_kinds_once():
    # a: direct 0-20 and 10-30, plus an indirect 0-30 over the same characters: 30 of 100, not 60
    quotes = pd.concat([QUOTES, QUOTES.iloc[[0]].assign(quote_id="a:q2", kind="indirect", end=30)])
    assert quotation_share_sentence(quotes, ARTICLES, {"a": "A", "b": "B", "c": "B (2)"}) == (
        "Attributed content takes from 0% (B (2)) to 50% (B) of an article's characters; "
        "the median over 3 articles is 30%.")
    assert quotation_share_sentence(QUOTES.iloc[0:0], ARTICLES) == "No article holds attributed content (3 articles)."
    assert quotation_share_sentence(QUOTES, ARTICLES.iloc[0:0]) == "There are no articles."


def test_officials_sentence_gives_the_counts_behind_each_share():
    assert officials_sentence(voices_by_outlet(QUOTES, ARTICLES)) == (
        "Officials' words make up from 0% of B's attributions (0 of 1) to 100% of A's attributions (2 of 2).")
    same = voices_by_outlet(QUOTES.iloc[:2], ARTICLES)
    assert officials_sentence(same) == "Officials' words are 100% of A's attributions (2 of 2)."
    assert officials_sentence(voices_by_outlet(QUOTES.iloc[0:0], ARTICLES)) == "No outlet carries an attribution."


def test_an_office_named_in_one_article_holds_in_every_article_of_its_event():
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["A", "B", "C"], "event": ["e", "e", "f"],
                             "text": ["x" * 50] * 3})
    quotes = pd.DataFrame({"quote_id": ["a:q0", "b:q0", "c:q0"], "article_id": ["a", "b", "c"], "start": 0, "end": 5,
                           "quote": "words", "kind": "indirect",
                           "speaker": ["Navy Secretary Ann Lee", "Lee", "Lee"],
                           "speaker_canonical": ["Ann Lee", "Ann Lee", "Ann Lee"]})
    voice = dict(zip(quotes["quote_id"], quote_table_with_outlets(quotes, articles)["voice"]))
    # b calls her "Lee" only, in the same event as a: official; c is another event: nothing says so
    assert voice == {"a:q0": "official", "b:q0": "official", "c:q0": "other"}
    # speakers that name no one person are never made official by another such speaker
    several = quotes.assign(speaker=["Navy Secretary Ann Lee and Army chief Tom Vale", "The two sides", "x"],
                            speaker_canonical="unresolved")
    assert quote_table_with_outlets(several, articles)["voice"].tolist() == ["official", "unresolved", "unresolved"]
    assert quote_table_with_outlets(quotes, articles.drop(columns="event"))["voice"].tolist() == ["official", "other", "other"]
