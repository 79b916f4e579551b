"""The findings rules on small hand-made tables: a planted date disagreement, a planted number
disagreement, an omission, a shared quotation, wire copy, copied text, who leads with whom; and
tables where nothing differs (no findings). Invented outlets, people and places throughout."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from helpers.compare import findings
from helpers.run.report import front_page


def make_articles(rows: list[tuple[str, str, str, str]], event: str = "fire") -> pd.DataFrame:
    """(article_id, outlet, country, published) rows; text is filled in by make_sentences."""
    return pd.DataFrame({"article_id": [r[0] for r in rows], "event": event, "outlet": [r[1] for r in rows],
                         "country": [r[2] for r in rows], "published": [r[3] for r in rows],
                         "title": "", "word_count": 100, "text": ""})


def make_sentences(texts: dict[str, list[str]]) -> pd.DataFrame:
    rows = []
    for art, sentences in texts.items():
        offset = 0
        for sid, text in enumerate(sentences):
            rows.append({"article_id": art, "sent_id": sid, "start": offset, "end": offset + len(text), "text": text,
                         "in_lead": sid < 2, "in_headline": False})
            offset += len(text) + 1
    return pd.DataFrame(rows)


def with_text(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    joined = sentences.groupby("article_id")["text"].agg(" ".join)
    return articles.assign(text=articles["article_id"].map(joined).fillna(""))


ARTICLES = make_articles([("a", "Lakeport Herald", "XA", "2030-03-06"), ("b", "Valley Post", "XB", "2030-03-07"),
                          ("c", "Ridge Times", "XB", "2030-03-07"), ("d", "Coast Daily", "XB", "")])


# -- dates ------------------------------------------------------------------------------------


def test_a_planted_date_disagreement_names_each_side_with_its_expression():
    conflicts = pd.DataFrame({
        "fact_id": "h1", "article_id": ["a", "b", "c"], "outlet": ["Lakeport Herald", "Valley Post", "Ridge Times"],
        "expression": ["late on Monday", "Tuesday night", "Tuesday night"],
        "value": ["2030-03-04", "2030-03-05", "2030-03-05"], "anchor": ["2030-03-06", "2030-03-07", "2030-03-07"],
        "sent_id": [0, 1, 0], "anchor_source": ["published", "published", "published"],
        "note": ["one day apart: a time-zone difference can explain it",
                 "one day apart: a time-zone difference can explain it; anchored on 2030-03-06, not its own date",
                 "one day apart: a time-zone difference can explain it"],
        "sentence": ["The mill fire broke out late on Monday.", "The fire broke out on Tuesday night.",
                     "A fire broke out at the mill on Tuesday night."]})
    rows = findings.date_findings(conflicts, ARTICLES)
    assert len(rows) == 1
    statement = rows[0]["statement"]
    assert statement.startswith("Lakeport Herald dates it Mon 4 Mar 2030 (“late on Monday”); "
                                "Ridge Times and Valley Post say Tue 5 Mar 2030 (“Tuesday night”).")
    assert ("Note: one day apart: a time-zone difference can explain it; "
            "Valley Post: anchored on 2030-03-06, not its own date.") in statement
    assert rows[0]["evidence"] == "a:0;b:1;c:0"


def test_one_value_per_happening_is_no_date_finding():
    conflicts = pd.DataFrame({"fact_id": "h1", "article_id": ["a", "b"], "outlet": ["x", "y"], "expression": "Monday",
                              "value": "2030-03-04", "anchor": "2030-03-06", "sent_id": [0, 0],
                              "anchor_source": "published", "sentence": "s"})
    assert findings.date_findings(conflicts, ARTICLES) == []


# -- numbers ----------------------------------------------------------------------------------


def quantities(rows):
    return pd.DataFrame(rows, columns=["group", "unit", "article_id", "sent_id", "quantity", "value", "kind"])


def test_a_planted_number_disagreement_lists_each_value_with_its_outlets():
    table = quantities([("fire:injured", "injured", "a", 1, "12 injured", 12.0, "cardinal"),
                        ("fire:injured", "injured", "b", 2, "14 people injured", 14.0, "cardinal"),
                        ("fire:injured", "injured", "c", 2, "Ten injured", 10.0, "cardinal")])
    rows = findings.number_findings(table, ARTICLES)
    assert len(rows) == 1
    assert rows[0]["statement"] == ("The outlets give different numbers for injured: Ridge Times says “Ten injured”; "
                                    "Lakeport Herald says “12 injured”; Valley Post says “14 people injured”.")


def test_a_running_count_is_no_number_disagreement():
    # One outlet gives two values (the second, then the sixth town taken): not one quantity.
    table = quantities([("war:town", "town", "a", 1, "three towns", 3.0, "cardinal"),
                        ("war:town", "town", "a", 5, "six towns", 6.0, "cardinal"),
                        ("war:town", "town", "b", 2, "six towns", 6.0, "cardinal"),
                        ("war:town", "town", "c", 2, "the second town", 2.0, "ordinal")])
    assert findings.number_findings(table, ARTICLES) == []


# -- shared sources, wire copy and copied text ------------------------------------------------


def passages(rows):
    return pd.DataFrame(rows, columns=["passage_id", "article_id", "start", "end", "text", "words", "n_articles",
                                       "source_kind", "source_detail"])


SHARED_SENTENCES = make_sentences({
    "a": ["The governor said: “We will rebuild the mill and every home the fire took from this valley.”", "Other."],
    "b": ["“We will rebuild the mill and every home the fire took from this valley,” the governor said.", "More."],
    "c": ["Crews worked all night.", "The governor promised to rebuild the mill and every home the fire took from this valley."],
    "d": ["Nothing about it."],
})


def test_a_shared_quotation_says_who_quotes_it_and_who_does_not():
    quote = "We will rebuild the mill and every home the fire took from this valley"
    table = passages([("P1", "a", 22, 94, quote, 14, 3, "quoted statement", ""),
                      ("P1", "b", 1, 73, quote, 14, 3, "quoted statement", ""),
                      ("P1", "c", 55, 120, quote, 12, 3, "quoted statement", "")])
    quotes = pd.DataFrame({"article_id": ["a", "b"], "start": [22, 1], "end": [94, 73], "kind": "direct",
                           "sent_id": 0, "quote_id": ["a:q0", "b:q0"]})
    rows = findings.shared_source_findings(table, pd.DataFrame(), ARTICLES, SHARED_SENTENCES, quotes)
    assert len(rows) == 1 and rows[0]["kind"] == "shared_quotation"
    statement = rows[0]["statement"]
    assert statement.startswith("Lakeport Herald, Ridge Times and Valley Post carry the same statement (12–14 words")
    assert "Lakeport Herald and Valley Post put it in quotation marks; Ridge Times runs it without them." in statement
    assert statement.endswith("Coast Daily does not carry this text.")


OWN_WORDS_SENTENCES = make_sentences({
    "a": ["“We will rebuild the mill and every home the fire took from this valley,” the governor said.", "Other."],
    "b": ["The governor said: “We will rebuild the mill and every home the fire took from this valley.”", "More."],
    "c": ["Crews worked all night.", "The governor vowed that the mill and every home the valley fire took would be rebuilt."],
    "d": ["Crews worked all night to contain the blaze near the county road."],
})


def _quoted_by_two() -> pd.DataFrame:
    quote = "We will rebuild the mill and every home the fire took from this valley"
    return passages([("P1", "a", 1, 73, quote, 14, 2, "quoted statement", ""),
                     ("P1", "b", 22, 94, quote, 14, 2, "quoted statement", "")])


def test_an_outlet_without_the_quotation_is_shown_with_its_closest_sentence_when_it_holds_much_of_it():
    rows = findings.shared_source_findings(_quoted_by_two(), pd.DataFrame(), ARTICLES, OWN_WORDS_SENTENCES)
    assert len(rows) == 1
    statement = rows[0]["statement"]
    assert "Coast Daily does not carry this text." in statement
    assert statement.endswith("Ridge Times does not carry this text word for word; its closest sentence holds 100% of "
                              "the text's content words (each weighted by how few of the event's articles use it): "
                              "“The governor vowed that the mill and every home the valley fire took "
                              "would be rebuilt.”.")
    assert "c:1" in rows[0]["evidence"].split(";") and "d:0" not in rows[0]["evidence"].split(";")


def test_in_a_topic_the_outlets_without_the_quotation_are_not_searched_for_other_words(monkeypatch):
    from helpers.compare.findings import rules

    monkeypatch.setattr(rules, "STORY_MAX_ARTICLES", 3)  # this 4-article event is then a topic
    rows = findings.shared_source_findings(_quoted_by_two(), pd.DataFrame(), ARTICLES, OWN_WORDS_SENTENCES)
    assert rows[0]["statement"].endswith("Coast Daily and Ridge Times do not carry this text.")
    assert "c:1" not in rows[0]["evidence"].split(";")


def test_an_outlet_carrying_only_part_of_the_statement_is_named_apart_with_the_words_it_carries():
    # a passage cluster chains overlapping occurrences: Ridge Times carries a stock phrase inside
    # the quotation, not the quotation
    quote = "We will rebuild the mill and every home the fire took from this valley"
    table = passages([("P1", "a", 1, 73, quote, 14, 3, "quoted statement", ""),
                      ("P1", "b", 22, 94, quote, 14, 3, "quoted statement", ""),
                      ("P1", "c", 55, 85, "every home the fire took", 5, 3, "quoted statement", "")])
    rows = findings.shared_source_findings(table, pd.DataFrame(), ARTICLES, SHARED_SENTENCES)
    statement = rows[0]["statement"]
    assert statement.startswith("Lakeport Herald and Valley Post carry the same statement (14 words, verbatim or nearly)")
    assert "Ridge Times carries only 5 of its words: “every home the fire took”." in statement
    assert rows[0]["outlets"] == "Lakeport Herald; Ridge Times; Valley Post"  # every carrier is evidence


def test_a_statement_one_outlet_carries_whole_and_another_in_part_says_so():
    long = ("We will rebuild the mill and every home the fire took from this valley, and we will not "
            "leave a single family without a roof before the winter comes")
    table = passages([("P1", "a", 1, 150, long, 28, 2, "quoted statement", ""),
                      ("P1", "b", 22, 94, long[:70], 13, 2, "quoted statement", "")])
    statement = findings.shared_source_findings(table, pd.DataFrame(), ARTICLES, SHARED_SENTENCES)[0]["statement"]
    assert statement.startswith("Lakeport Herald carries a statement (28 words, verbatim or nearly)")
    assert "Valley Post carries only 13 of its words: “We will rebuild the mill" in statement


@pytest.mark.parametrize("second", [0, 5, 11])
def test_a_quotation_two_outlets_share_fewer_words_of_than_the_minimum_is_no_finding(second):
    long = ("We will rebuild the mill and every home the fire took from this valley, and we will not "
            "leave a single family without a roof before the winter comes")
    rows = [("P1", "a", 1, 150, long, 28, 2, "quoted statement", "")]
    if second:
        rows.append(("P1", "b", 22, 60, " ".join(long.split()[:second]), second, 2, "quoted statement", ""))
    assert findings.shared_source_findings(passages(rows), pd.DataFrame(), ARTICLES, SHARED_SENTENCES) == []


def _entities_of(article_id: str, text: str, names: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"article_id": article_id, "sent_id": 0, "start": text.index(name),
                          "end": text.index(name) + len(name), "text": name, "label": label, "canonical": name}
                         for name, label in names])


def test_a_shared_run_of_names_and_titles_is_not_a_statement():
    names = "Harbor Mayor Lena Ostrova (D-Lakeport) and Deputy Governor Tomas Reyk of the River Council"
    table = passages([("P1", "a", 0, len(names), names, 14, 2, "quoted statement", ""),
                      ("P1", "b", 0, len(names), names, 14, 2, "quoted statement", "")])
    spans = [("Harbor", "GPE"), ("Lena Ostrova", "PERSON"), ("Tomas Reyk", "PERSON"), ("the River Council", "ORG")]
    entities = pd.concat([_entities_of("a", names, spans), _entities_of("b", names, spans)])
    assert findings.shared_source_findings(table, pd.DataFrame(), ARTICLES, SHARED_SENTENCES, None, entities) == []
    # the same names inside a statement: a statement
    said = "Harbor Mayor Lena Ostrova and Deputy Governor Tomas Reyk promised to rebuild every home the fire took"
    table = passages([("P1", "a", 0, len(said), said, 17, 2, "quoted statement", ""),
                      ("P1", "b", 0, len(said), said, 17, 2, "quoted statement", "")])
    entities = pd.concat([_entities_of("a", said, spans[:3]), _entities_of("b", said, spans[:3])])
    assert len(findings.shared_source_findings(table, pd.DataFrame(), ARTICLES, SHARED_SENTENCES, None, entities)) == 1


@pytest.mark.parametrize("text, spans, low", [
    ("", [], False),
    ("Secretary Vann and General Oduya discussed the situation in Lakeport, regional security and the "
     "bilateral defense relationship more broadly", [("Vann", "PERSON"), ("Oduya", "PERSON"), ("Lakeport", "GPE")],
     False),
    ("Rebuilding The Valley Means Some Families Will Wait. So When Do We Start", [("The Valley", "LOC")], False),
    ("WE WILL REBUILD EVERY HOME THE FIRE TOOK, AND SOONER THAN THEY THINK", [], False),
    ("Valley Sen. Ada Brill, Coast Sen. Omar Tell and former Harbor Gov. Ines Kade", [
        ("Valley", "GPE"), ("Ada Brill", "PERSON"), ("Coast", "GPE"), ("Omar Tell", "PERSON"), ("Harbor", "GPE"),
        ("Ines Kade", "PERSON")], True),
    ("House Speaker Ada Brill, D-Calif., and Senate Minority Leader Omar Tell, R-N.Y., said",
     [("House", "ORG"), ("Ada Brill", "PERSON"), ("Senate", "ORG"), ("Omar Tell", "PERSON")], True),
])
def test_running_word_share_tells_a_list_of_names_from_prose(text, spans, low):
    from helpers.compare.findings.rules import STATEMENT_MIN_RUNNING_SHARE, running_word_share

    offsets = [(text.index(name), text.index(name) + len(name)) for name, _ in spans]
    assert (running_word_share(text, offsets) < STATEMENT_MIN_RUNNING_SHARE) is low
    # the spans are article offsets: the same text further into its article gives the same share
    shifted = [(s + 500, e + 500) for s, e in offsets]
    assert running_word_share(text, shifted, offset=500) == running_word_share(text, offsets)


def test_wire_copy_names_the_outlets_and_the_credit():
    text = "Firefighters from three counties fought the blaze through the night before containing it at dawn"
    table = passages([("P1", "a", 0, 60, text, 30, 2, "wire copy", "credit '(Continental Press)' in a"),
                      ("P1", "b", 0, 60, text, 30, 2, "wire copy", "credit '(Continental Press)' in a")])
    table["source_agency"] = "Continental Press"
    rows = findings.shared_source_findings(table, pd.DataFrame(), ARTICLES, SHARED_SENTENCES)
    assert len(rows) == 1 and rows[0]["kind"] == "wire_copy"
    assert rows[0]["statement"].startswith("Lakeport Herald and Valley Post ran the same agency text from Continental "
                                           "Press (30 words): “Firefighters")
    assert rows[0]["statement"].endswith("(evidence: credit '(Continental Press)' in a).")


def reuse_pair(a: str, b: str, share_a: float, share_b: float) -> pd.DataFrame:
    """One ``reuse_pairs`` row with its copied shares (articles of 100 words here)."""
    return pd.DataFrame({"article_a": [a], "article_b": [b], "copied_share_a": [share_a], "copied_share_b": [share_b]})


def test_copied_text_between_two_outlets_is_a_finding_and_a_short_overlap_is_not():
    long_text = passages([("P1", "a", 0, 90, "x", 25, 2, "unknown", ""), ("P1", "b", 0, 90, "x", 24, 2, "unknown", "")])
    rows = findings.shared_text_findings(reuse_pair("a", "b", 0.25, 0.24), long_text, ARTICLES, SHARED_SENTENCES)
    assert len(rows) == 1 and "Lakeport Herald and Valley Post share 1 passage" in rows[0]["statement"]
    # each side's words from its own wording of the passage (100-word articles)
    assert "(25 words, 25% of Lakeport Herald's article; 24 words, 24% of Valley Post's)" in rows[0]["statement"]
    same = findings.shared_text_findings(reuse_pair("a", "b", 0.25, 0.25), long_text, ARTICLES, SHARED_SENTENCES)
    assert "(25 words: 25% of Lakeport Herald's article, 25% of Valley Post's)" in same[0]["statement"]
    assert rows[0]["statement"].endswith("one copied the other, or both used a source neither names.")
    short = passages([("P1", "a", 0, 90, "x", 9, 2, "unknown", ""), ("P1", "b", 0, 90, "x", 9, 2, "unknown", "")])
    assert findings.shared_text_findings(reuse_pair("a", "b", 0.09, 0.09), short, ARTICLES, SHARED_SENTENCES) == []


def test_two_articles_of_one_outlet_sharing_text_is_not_copying_between_outlets():
    articles = make_articles([("a", "Lakeport Herald", "XA", "2030-03-06"), ("a2", "Lakeport Herald", "XA", "2030-03-07")])
    table = passages([("P1", "a", 0, 90, "x", 40, 2, "unknown", ""), ("P1", "a2", 0, 90, "x", 40, 2, "unknown", "")])
    assert findings.shared_text_findings(reuse_pair("a", "a2", 0.4, 0.4), table, articles,
                                         make_sentences({"a": ["x" * 95], "a2": ["x" * 95]})) == []


# -- omissions and exclusives -----------------------------------------------------------------


OMISSION_SENTENCES = make_sentences({
    "a": ["The mill at Lakeport burned on Monday.", "Twelve workers escaped through the loading dock."],
    "b": ["Fire destroyed the Lakeport mill on Monday.", "Twelve workers escaped via the loading dock, officials said."],
    "c": ["The Lakeport mill was destroyed by fire on Monday.", "All twelve workers escaped through a loading dock."],
    "d": ["A fire destroyed a mill in Lakeport on Monday.", "Mayor Orla Brandt visited the site."],
})


def omission_facts() -> pd.DataFrame:
    rows = [("F1", art, 0) for art in "abcd"] + [("F2", art, 1) for art in "abc"] + [("F3", "d", 1)]
    outlets = dict(zip(ARTICLES["article_id"], ARTICLES["outlet"]))
    return pd.DataFrame({"fact_id": [r[0] for r in rows], "article_id": [r[1] for r in rows],
                         "sent_id": [r[2] for r in rows], "outlet": [outlets[r[1]] for r in rows]})


def test_an_omission_names_the_outlet_that_leaves_out_what_the_others_report():
    entities = pd.DataFrame({"article_id": ["d"], "sent_id": [1], "text": ["Orla Brandt"], "label": ["PERSON"],
                             "canonical": ["Orla Brandt"]})
    articles = with_text(ARTICLES, OMISSION_SENTENCES)
    rows = findings.coverage_findings(omission_facts(), articles, OMISSION_SENTENCES, entities)
    kinds = {r["kind"]: r for r in rows}
    assert set(kinds) == {"omission", "exclusive_facts"}
    assert kinds["omission"]["statement"].startswith(
        "Coast Daily leaves out what Lakeport Herald, Ridge Times and Valley Post report: “Twelve workers escaped")
    assert kinds["omission"]["statement"].endswith("Coast Daily never mentions “twelve”.")
    assert kinds["exclusive_facts"]["statement"].startswith("Only Coast Daily mentions Orla Brandt, in 1 sentence")


def test_an_events_omissions_do_not_depend_on_another_events_words():
    # "Dockside" is a name in the fire's articles; another event writing "dockside" in lower case
    # does not make it a common word there (each event is judged on its own, as in its partition)
    sentences = OMISSION_SENTENCES.copy()
    for art in "abc":
        sentences.loc[(sentences["article_id"] == art) & (sentences["sent_id"] == 1), "text"] = \
            "Twelve workers escaped through Dockside."
    entities = pd.DataFrame({"article_id": list("abc"), "sent_id": 1, "text": "Dockside", "label": "FAC",
                             "canonical": "Dockside"})
    fire = with_text(ARTICLES, sentences)
    storm_sentences = make_sentences({"z": ["The dockside cranes stood idle in the storm."]})
    storm = with_text(make_articles([("z", "Hill Gazette", "XC", "2030-04-01")], event="storm"), storm_sentences)
    alone = findings.coverage_findings(omission_facts(), fire, sentences, entities)
    together = findings.coverage_findings(omission_facts(), pd.concat([fire, storm], ignore_index=True),
                                          pd.concat([sentences, storm_sentences], ignore_index=True), entities)
    assert [r for r in together if r["event"] == "fire"] == alone
    omission = next(r for r in alone if r["kind"] == "omission")
    assert omission["statement"].endswith("Coast Daily never mentions “dockside” and “twelve”.")


def test_a_paraphrase_the_grouping_missed_is_no_omission():
    sentences = OMISSION_SENTENCES.copy()
    sentences.loc[(sentences["article_id"] == "d") & (sentences["sent_id"] == 1), "text"] = \
        "The twelve workers all escaped from the burning mill through its loading dock."
    rows = findings.coverage_findings(omission_facts(), with_text(ARTICLES, sentences), sentences)
    assert [r for r in rows if r["kind"] == "omission"] == []


def test_no_omission_when_the_outlet_gives_the_facts_names_and_numbers_elsewhere():
    sentences = OMISSION_SENTENCES.copy()
    sentences.loc[(sentences["article_id"] == "d") & (sentences["sent_id"] == 0), "text"] = \
        "A fire destroyed a mill in Lakeport on Monday; its twelve night-shift hands got out."
    rows = findings.coverage_findings(omission_facts(), with_text(ARTICLES, sentences), sentences)
    assert [r for r in rows if r["kind"] == "omission"] == []


def test_a_name_another_outlet_also_uses_is_not_exclusive():
    sentences = OMISSION_SENTENCES.copy()
    sentences.loc[(sentences["article_id"] == "a") & (sentences["sent_id"] == 0), "text"] = \
        "The mill at Lakeport burned on Monday, Brandt said."
    entities = pd.DataFrame({"article_id": ["d"], "sent_id": [1], "text": ["Orla Brandt"], "label": ["PERSON"],
                             "canonical": ["Orla Brandt"]})
    rows = findings.coverage_findings(omission_facts(), with_text(ARTICLES, sentences), sentences, entities)
    assert [r for r in rows if r["kind"] == "exclusive_facts"] == []


def test_coverage_checks_judge_every_claim_of_the_grouping_and_show_the_closest_sentence():
    entities = pd.DataFrame({"article_id": ["d"], "sent_id": [1], "text": ["Orla Brandt"], "label": ["PERSON"],
                             "canonical": ["Orla Brandt"]})
    checks = findings.coverage_checks(omission_facts(), with_text(ARTICLES, OMISSION_SENTENCES), OMISSION_SENTENCES,
                                      entities)
    assert list(checks.columns) == findings.COVERAGE_CHECK_COLUMNS
    left_out = checks[checks["question"] == "left out?"].set_index("fact_id")
    assert left_out.loc["F2", "outlet"] == "Coast Daily"
    assert left_out.loc["F2", "verdict"] == "leaves it out: never mentions “twelve”"
    only = checks[checks["question"] == "only this outlet?"].set_index("fact_id")
    assert only.loc["F3", "verdict"] == "only this outlet names Orla Brandt"
    summary = findings.coverage_check_summary(checks, ARTICLES)
    assert summary.startswith("Of 1 fact the grouping says an outlet leaves out, 1 holds up when the text is read")


FIVE_OUTLETS = make_articles([("a", "Lakeport Herald", "XA", "2030-03-06"), ("b", "Valley Post", "XB", "2030-03-07"),
                              ("c", "Ridge Times", "XA", "2030-03-07"), ("d", "Coast Daily", "XB", "2030-03-08"),
                              ("e", "Hill Gazette", "XC", "2030-03-08")])
FIVE_SENTENCES = make_sentences({
    "a": ["The mill at Lakeport burned on Monday.", "Twelve workers escaped through the loading dock.",
          "Inspector Vera Lund found a faulty boiler."],
    "b": ["Fire destroyed the Lakeport mill on Monday.", "Twelve workers escaped via the loading dock.",
          "Inspector Vera Lund blamed a faulty boiler."],
    "c": ["The Lakeport mill was destroyed by fire on Monday.", "All twelve workers escaped through a loading dock.",
          "Vera Lund, an inspector, pointed to the boiler."],
    "d": ["A fire destroyed a mill in Lakeport on Monday.", "Twelve workers got out by the loading dock.",
          "Mayor Orla Brandt visited the site."],
    "e": ["Lakeport's mill burned down on Monday.", "Nobody was hurt.", "Insurers met on Tuesday."],
})


def five_outlet_facts() -> pd.DataFrame:
    # F1: all five; F2: four of five (an omission by Hill Gazette); F3: three of five (left out by
    # two outlets at a 0.5 bar: a checks row, never a finding); F4: Coast Daily alone
    rows = ([("F1", art, 0) for art in "abcde"] + [("F2", art, 1) for art in "abcd"]
            + [("F3", art, 2) for art in "abc"] + [("F4", "d", 2)])
    outlets = dict(zip(FIVE_OUTLETS["article_id"], FIVE_OUTLETS["outlet"]))
    return pd.DataFrame({"fact_id": [r[0] for r in rows], "article_id": [r[1] for r in rows],
                         "sent_id": [r[2] for r in rows], "outlet": [outlets[r[1]] for r in rows]})


def five_outlet_entities() -> pd.DataFrame:
    return pd.DataFrame({"article_id": ["a", "b", "c", "d"], "sent_id": 2,
                         "text": ["Vera Lund", "Vera Lund", "Vera Lund", "Orla Brandt"], "label": "PERSON",
                         "canonical": ["Vera Lund", "Vera Lund", "Vera Lund", "Orla Brandt"]})


def _counting_judge(monkeypatch) -> list[float | None]:
    """Record each time the coverage claims are judged (with its bar) rather than read back."""
    from helpers.compare.findings import coverage

    calls: list[float | None] = []
    judge = coverage._judge_coverage

    def counted(*args, **kwargs):
        calls.append(kwargs.get("min_share"))
        return judge(*args, **kwargs)

    monkeypatch.setattr(coverage, "_judge_coverage", counted)
    monkeypatch.setattr(coverage, "_LAST_JUDGED", {})
    return calls


@pytest.mark.parametrize("bar", [0.5, 0.25])
def test_an_events_findings_read_the_judgement_its_checks_table_made(monkeypatch, bar):
    facts, articles, entities = five_outlet_facts(), with_text(FIVE_OUTLETS, FIVE_SENTENCES), five_outlet_entities()
    calls = _counting_judge(monkeypatch)
    alone = findings.coverage_findings(facts, articles, FIVE_SENTENCES, entities)
    assert calls == [None]
    checks = findings.coverage_checks(facts, articles, FIVE_SENTENCES, entities, min_share=bar)
    after = findings.coverage_findings(facts, articles, FIVE_SENTENCES, entities)
    assert calls == [None, bar]  # the findings judged nothing again
    assert after == alone
    assert {r["kind"] for r in after} == {"omission", "exclusive_facts"}
    # the table judged more claims than the findings use (F3: three of five outlets)
    assert set(checks.loc[checks["question"] == "left out?", "fact_id"]) == {"F2", "F3"}
    # what is read back is what judging with the findings' bar gives, row for row
    from helpers.compare.findings import coverage

    findings.coverage_checks(facts, articles, FIVE_SENTENCES, entities, min_share=bar)
    _, served = coverage._judged(facts, articles, FIVE_SENTENCES, entities, min_share=None)
    fresh = coverage._judge_coverage(facts, articles, coverage._CoverageEvidence(articles, FIVE_SENTENCES, entities),
                                     min_share=None)
    assert repr(served) == repr(fresh) and len(served) < len(checks)
    assert calls == [None, bar, bar, None]
    # the judgement is taken once: judging the same rows again judges them again
    assert findings.coverage_findings(facts, articles, FIVE_SENTENCES, entities) == alone
    assert calls == [None, bar, bar, None, None]


def test_findings_judge_again_when_the_checks_judged_other_rows_or_fewer_claims(monkeypatch):
    facts, articles, entities = five_outlet_facts(), with_text(FIVE_OUTLETS, FIVE_SENTENCES), five_outlet_entities()
    changed = FIVE_SENTENCES.copy()
    changed.loc[(changed["article_id"] == "e") & (changed["sent_id"] == 1), "text"] = \
        "Twelve workers escaped, said a loading dock foreman."
    changed_articles = with_text(FIVE_OUTLETS, changed)
    from helpers.compare.findings import coverage

    calls = _counting_judge(monkeypatch)
    expected = findings.coverage_findings(facts, changed_articles, changed, entities)
    coverage._LAST_JUDGED.clear()
    findings.coverage_checks(facts, articles, FIVE_SENTENCES, entities)
    assert findings.coverage_findings(facts, changed_articles, changed, entities) == expected
    # a bar above "all outlets but one" (0.9 of five: all five) judged fewer claims than the findings need
    coverage._LAST_JUDGED.clear()
    findings.coverage_checks(facts, changed_articles, changed, entities, min_share=0.9)
    assert findings.coverage_findings(facts, changed_articles, changed, entities) == expected
    assert calls == [None, 0.0, None, 0.9, None]
    assert not any(r["kind"] == "omission" for r in expected)  # Hill Gazette gives "twelve" now


def test_coverage_checks_say_when_a_claimed_omission_may_be_a_paraphrase():
    sentences = OMISSION_SENTENCES.copy()
    sentences.loc[(sentences["article_id"] == "d") & (sentences["sent_id"] == 1), "text"] = \
        "The twelve workers all escaped from the burning mill through its loading dock."
    checks = findings.coverage_checks(omission_facts(), with_text(ARTICLES, sentences), sentences)
    row = checks[(checks["question"] == "left out?") & (checks["fact_id"] == "F2")].iloc[0]
    # every content word of "Twelve workers escaped through the loading dock" is in that sentence
    assert row["verdict"] == "has a sentence with every content word of it, so may carry it in other words"
    assert row["closest_sentence"].startswith("The twelve workers all escaped") and row["closest_share"] == 1.0
    # The same sentence is Coast Daily's single-outlet fact F3: the others carry it in other words.
    assert checks.set_index("fact_id").loc["F3", "verdict"] == "another outlet may carry it in other words"
    # A single-outlet fact that no other sentence comes close to and that names nothing cannot be checked.
    lone = OMISSION_SENTENCES.copy()
    lone.loc[(lone["article_id"] == "d") & (lone["sent_id"] == 1), "text"] = "Volunteers served soup to the neighbours."
    verdict = findings.coverage_checks(omission_facts(), with_text(ARTICLES, lone), lone).set_index("fact_id").loc["F3", "verdict"]
    assert verdict == ("cannot be checked: it gives no name of four letters or more that the other outlets' texts lack; "
                       "a number alone is not taken for an exclusive")


def test_a_coverage_check_names_its_fact_with_the_coverage_matrix_label():
    # F2's label beside its id in the coverage matrix is its most similar member's wording (Valley
    # Post's, not the shortest sentence, the Lakeport Herald's): the checks show the same words
    from helpers.compare.facts import fact_labels

    facts = omission_facts().merge(OMISSION_SENTENCES[["article_id", "sent_id", "text"]], on=["article_id", "sent_id"])
    facts["similarity"] = [0.9, 0.8, 0.8, 0.7, 0.5, 0.9, 0.6, 1.0]
    checks = findings.coverage_checks(facts, with_text(ARTICLES, OMISSION_SENTENCES), OMISSION_SENTENCES)
    shown = dict(zip(checks["fact_id"], checks["fact"]))
    assert shown["F2"] == fact_labels(facts)["F2"] == "Twelve workers escaped via the loading dock, officials said."
    assert shown["F3"] == "Mayor Orla Brandt visited the site."
    # without a similarity column, ties go by article and sentence: the Lakeport Herald's
    plain = findings.coverage_checks(omission_facts(), with_text(ARTICLES, OMISSION_SENTENCES), OMISSION_SENTENCES)
    assert dict(zip(plain["fact_id"], plain["fact"]))["F2"] == "Twelve workers escaped through the loading dock."


@pytest.mark.parametrize("facts", [pd.DataFrame(columns=["fact_id", "article_id", "sent_id", "outlet"])])
def test_coverage_checks_of_no_facts_is_an_empty_table_with_its_columns(facts):
    checks = findings.coverage_checks(facts, with_text(ARTICLES, OMISSION_SENTENCES), OMISSION_SENTENCES)
    assert checks.empty and list(checks.columns) == findings.COVERAGE_CHECK_COLUMNS
    assert "marks no fact" in findings.coverage_check_summary(checks, ARTICLES)


# -- quotes, leads, timing --------------------------------------------------------------------


@pytest.mark.parametrize("quote, said", [
    ("that “the harbor fund is not going to be raided.”", "the harbor fund is not going to be raided."),
    ('the vote merely "confirms that the council has lost its way', "confirms that the council has lost its way"),
    ("We will rebuild the mill", "We will rebuild the mill"),                         # the marks' words already
    ("He told me ‘get out’ and left the mill", "He told me ‘get out’ and left the mill"),  # a nested quotation
    ("", ""),
])
def test_a_quotation_span_that_began_before_its_marks_is_read_inside_them(quote, said):
    from helpers.compare.findings.rules import inside_quotation_marks

    assert inside_quotation_marks(quote) == said


def test_words_outside_the_marks_are_no_different_wording():
    table = variants([(3, "a", "a:q0", "It turned out the vote was a grave mistake for the harbor and its people",
                       "direct", "Mara Quill"),
                      (3, "b", "b:q0", "it was nothing more than “a grave mistake for the harbor and its people.”",
                       "direct", "Mara Quill")])
    assert findings.quote_variant_findings(table, quotes_of(table, {"Mara Quill"}), ARTICLES) == []


@pytest.mark.parametrize("a, b", [
    ("I think you're going to find it very interesting", "I think you are going to find it very interesting"),
    ("We don’t want to re-fight the budget", "We do not want to refight the budget"),
    ("We cannot wait and we won't", "We can't wait and we will not"),
])
def test_a_contraction_or_a_hyphen_is_no_different_wording(a, b):
    assert findings.changed_words(a, b) == []


def test_quoting_more_of_a_statement_is_not_a_different_wording_but_changed_words_are():
    assert findings.changed_words("We will rebuild the mill.", "We will rebuild the mill. Every home too.") == []
    assert findings.changed_words("the defence budget", "the defense budget") == []
    assert findings.changed_words("we will rebuild the mill quickly and well", "we will rebuild the old mill slowly and well") == \
        ["+old", "-quickly", "+slowly"]
    # Another stretch of the same statement at either end is not a rewording.
    assert findings.changed_words("I watch it all with a grain of salt", "just with a grain of salt") == []


def test_the_same_person_by_surname_and_full_name_is_no_lead_difference():
    leaders = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["x", "y"], "where": "lead", "rank": 1,
                            "actor": ["Orla Brandt", "Brandt"], "label": "PERSON", "text": ""})
    entities = pd.DataFrame({"article_id": ["a"], "sent_id": [0], "text": ["Orla Brandt"], "label": ["PERSON"],
                             "canonical": ["Orla Brandt"]})
    sentences = make_sentences({"a": ["Orla Brandt toured the mill."], "b": ["Brandt spoke."]})
    assert findings.lead_findings(ARTICLES, sentences, entities) == []


def test_a_title_case_headline_chunk_is_no_person_and_one_surname_is_one_person():
    leaders = pd.DataFrame({"article_id": ["a", "a", "b", "c"], "outlet": "x", "where": ["headline", "lead", "lead", "lead"],
                            "rank": [1, 1, 1, 1], "actor": ["Brandt Vows Rebuild", "Orla Brandt", "Orla Brandt", "O. Brandt"],
                            "label": "PERSON", "text": ""})
    sentences = make_sentences({"a": ["Brandt Vows Rebuild", "Orla Brandt toured the mill."],
                                "b": ["Orla Brandt spoke."], "c": ["O. Brandt spoke."]})
    sentences["in_headline"] = (sentences["article_id"] == "a") & (sentences["sent_id"] == 0)
    entities = pd.DataFrame({"article_id": ["a", "a", "b", "c"], "sent_id": [0, 1, 0, 0],
                             "text": ["Brandt Vows Rebuild", "Orla Brandt", "Orla Brandt", "O. Brandt"], "label": "PERSON",
                             "canonical": ["Brandt Vows Rebuild", "Orla Brandt", "Orla Brandt", "O. Brandt"]})
    assert findings.lead_findings(ARTICLES, sentences, entities) == []


def test_a_number_inside_a_compound_is_not_a_count():
    assert findings.numbers_in("A four-star general, 41, led 300 troops for 2-year-old twins.") == {"41", "300"}


def test_a_bracketed_clarification_is_not_a_different_wording():
    assert findings.changed_words("said that Putin had told him", "said that (Russian President Vladimir) Putin had told him") == []
    assert findings.changed_words("bothered him a lot", "bothered [him] a lot") == []


def test_abbreviation_dots_and_an_ellipsis_are_not_different_wordings():
    assert findings.changed_words("The E.U. should be exempted", "The EU should be exempted") == []
    assert findings.changed_words("the department has consulted the parties",
                                  "the department... consulted the parties") == []


def test_labels_count_an_outlets_articles_within_one_event():
    articles = pd.concat([make_articles([("a1", "Lakeport Herald", "", "2030-03-06")], event="fire"),
                          make_articles([("a2", "Lakeport Herald", "", "2030-03-07")], event="flood")])
    assert findings.article_labels(articles).tolist() == ["Lakeport Herald", "Lakeport Herald"]


def test_text_shared_across_two_events_is_not_a_finding_about_either():
    articles = pd.concat([make_articles([("a", "Lakeport Herald", "", "2030-03-06")], event="fire"),
                          make_articles([("b", "Valley Post", "", "2030-03-07")], event="flood")])
    quote = "We will rebuild the mill and every home the fire took from this valley"
    table = passages([("P1", "a", 22, 94, quote, 14, 2, "quoted statement", ""),
                      ("P1", "b", 1, 73, quote, 14, 2, "quoted statement", "")])
    assert findings.shared_source_findings(table, pd.DataFrame(), articles, SHARED_SENTENCES) == []
    copied = passages([("P1", "a", 0, 90, "x", 40, 2, "unknown", ""), ("P1", "b", 0, 90, "x", 40, 2, "unknown", "")])
    assert findings.shared_text_findings(reuse_pair("a", "b", 0.4, 0.4), copied, articles, SHARED_SENTENCES) == []


def test_who_published_first():
    rows = findings.timing_findings(ARTICLES)
    assert rows[0]["statement"] == ("Of the dated articles, Lakeport Herald published first (Wed 6 Mar 2030); Ridge "
                                    "Times and Valley Post followed 1 day later. Coast Daily carries no publication "
                                    "date, so may have been earlier.")
    every_dated = findings.timing_findings(ARTICLES[ARTICLES["published"] != ""])
    assert every_dated[0]["statement"].startswith("Lakeport Herald published first")
    # where each date was read, so that a reader can weigh it
    sourced = ARTICLES.assign(published_source=["url", "metadata", "url", "none"])
    assert findings.timing_findings(sourced)[0]["statement"].endswith(
        "may have been earlier. Dates from the metadata (Valley Post) and the URL (Lakeport Herald and Ridge Times).")


# -- the whole table --------------------------------------------------------------------------


def test_nothing_differs_gives_no_findings():
    articles = make_articles([("a", "Lakeport Herald", "XA", "2030-03-06"), ("b", "Valley Post", "XA", "2030-03-06")])
    sentences = make_sentences({"a": ["A fire burned the mill."], "b": ["Rain fell on the coast."]})
    tables = {"articles": with_text(articles, sentences), "sentences": sentences}
    assert findings.find_findings(tables).empty


@pytest.mark.parametrize("tables", [{}, {"articles": make_articles([])}])
def test_empty_corpus_gives_an_empty_table_with_its_columns(tables):
    assert list(findings.find_findings(tables).columns) == findings.FINDING_COLUMNS


def test_findings_are_ranked_and_every_evidence_pair_resolves():
    conflicts = pd.DataFrame({"fact_id": "h1", "article_id": ["a", "b"], "outlet": ["x", "y"],
                              "expression": ["Monday", "Tuesday"], "value": ["2030-03-04", "2030-03-05"],
                              "anchor": "2030-03-06", "sent_id": [0, 0], "anchor_source": "published", "sentence": "s"})
    articles = with_text(ARTICLES, OMISSION_SENTENCES)
    tables = {"articles": articles, "sentences": OMISSION_SENTENCES, "date_conflicts": conflicts,
              "facts": omission_facts()}
    found = findings.find_findings(tables)
    assert found["rank"].tolist() == list(range(1, len(found) + 1))
    assert found["score"].is_monotonic_decreasing
    assert set(found["kind"]) == {"date_disagreement", "omission", "first_published"}
    assert found.set_index("kind").loc["date_disagreement", "finding_id"] == "D1"
    evidence = findings.finding_evidence(found, OMISSION_SENTENCES, articles)
    pairs = {f"{a}:{s}" for a, s in zip(evidence["article_id"], evidence["sent_id"])}
    assert pairs == {p for ev in found["evidence"] for p in ev.split(";") if p}
    assert findings.find_findings(tables).equals(found)  # deterministic


def finding_row(event: str, kind: str, score: float, statement: str) -> dict:
    return {**{c: "" for c in findings.FINDING_COLUMNS}, "event": event, "kind": kind, "score": score,
            "statement": statement, "finding_id": "X9", "rank": 99}


def test_rank_findings_ranks_within_each_event_and_numbers_by_kind_across_events():
    rows = pd.DataFrame([finding_row("e2", "omission", 0.5, "later"),
                         finding_row("e1", "omission", 0.2, "low"),
                         finding_row("e1", "date_disagreement", 0.2, "same score, earlier kind"),
                         finding_row("e1", "omission", 0.9, "high")])
    ranked = findings.rank_findings(rows)
    assert ranked["statement"].tolist() == ["high", "same score, earlier kind", "low", "later"]
    assert ranked["rank"].tolist() == [1, 2, 3, 1]
    assert ranked["finding_id"].tolist() == ["O1", "D1", "O2", "O3"]
    assert list(ranked.columns) == findings.FINDING_COLUMNS


def test_ranking_events_apart_then_together_gives_the_whole_ranking():
    rows = pd.DataFrame([finding_row(e, k, sc, st) for e, k, sc, st in (
        ("e1", "omission", 0.5, "a"), ("e2", "omission", 0.7, "b"), ("e1", "omission", 0.6, "c"),
        ("e2", "first_published", 0.1, "d"))])
    apart = [findings.rank_findings(rows[rows["event"] == e]) for e in ("e1", "e2")]
    pd.testing.assert_frame_equal(findings.rank_findings(pd.concat(apart, ignore_index=True)),
                                  findings.rank_findings(rows))


@pytest.mark.parametrize("rows", [pd.DataFrame(), pd.DataFrame(columns=findings.FINDING_COLUMNS)])
def test_rank_findings_of_nothing_is_an_empty_table_with_its_columns(rows):
    assert list(findings.rank_findings(rows).columns) == findings.FINDING_COLUMNS


def test_article_labels_number_an_outlets_second_article():
    articles = make_articles([("a2", "Lakeport Herald", "", "2030-03-07"), ("a1", "Lakeport Herald", "", "2030-03-06"),
                              ("b", "Valley Post", "", "")])
    assert findings.article_labels(articles).tolist() == ["Lakeport Herald (2)", "Lakeport Herald", "Valley Post"]


# -- hostile text on the page -----------------------------------------------------------------


def test_hostile_text_is_escaped_in_the_findings_html_and_front_page():
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    found = pd.DataFrame([{**{c: "" for c in findings.FINDING_COLUMNS}, "finding_id": "D1", "kind": "date_disagreement",
                           "statement": f"{hostile} dates it", "rank": 1, "table": "date_conflicts",
                           "section": "05-dates-and-timeline.html#x", "rule": hostile}])
    evidence = pd.DataFrame({"finding_id": ["D1"], "outlet": [hostile], "article_id": ["a"], "sent_id": [0],
                             "in_lead": [True], "sentence": [hostile]})
    page = findings.findings_html(found, evidence, link_base="../")
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert " · score " not in page  # no score in the row: none shown
    scored = findings.findings_html(found.assign(score=0.8), evidence)
    assert "D1 · date disagreement · score 0.80 · " in scored
    front = front_page(f"<html><head></head><body>{page}</body></html>", "<html><body><h1>Run</h1></body></html>")
    assert "<script" not in front and 'href="notebooks/05-dates-and-timeline.html#x"' in front
    assert re.search(r'Content-Security-Policy" content="default-src \'self\'; script-src \'sha256-[^\']+\';', front)


def test_every_finding_links_to_a_heading_its_notebook_has():
    import nbformat

    from helpers.run.paths import NOTEBOOKS_DIR

    for kind, (page, heading, _table) in findings.SECTION.items():
        notebook = nbformat.read(str(NOTEBOOKS_DIR / page.replace(".html", ".ipynb")), as_version=4)
        headings = {line.lstrip("#").strip() for cell in notebook.cells if cell.cell_type == "markdown"
                    for line in cell.source.splitlines() if line.startswith("#")}
        assert heading in headings, (kind, page, heading)


def test_only_a_contrast_the_test_supports_is_a_finding():
    contrasts = pd.DataFrame({"outlet": ["Valley Post", "Ridge Times"], "frame": ["economic", "legality"],
                              "outlet_share": [0.6, 0.2], "others_share": [0.1, 0.25], "q_value": [0.01, 0.9],
                              "finding": ["contrast", "context"], "evidence": ["b:0; b:1", "c:0"]})
    tone = pd.DataFrame({"outlet": ["Ridge Times"], "actor": ["Orla Brandt"], "outlet_mean": [-0.4],
                         "others_mean": [0.2], "q_value": [0.02], "finding": ["contrast"], "evidence": ["c:0"]})
    rows = findings.contrast_findings(contrasts, tone, ARTICLES)
    assert [r["statement"] for r in rows] == [
        "Valley Post uses the economic frame more than the other outlets: in 60% of its sentences against 10% of theirs (q = 0.010).",
        "Ridge Times writes about Orla Brandt more negatively than the other outlets: mean sentence tone -0.40 against "
        "+0.20 (VADER compound, −1 to +1; q = 0.020)."]
    assert rows[0]["evidence"] == "b:0;b:1"
    two_events = pd.concat([ARTICLES, make_articles([("e", "Valley Post", "XB", "2030-04-01")], event="flood")])
    assert findings.contrast_findings(contrasts, tone, two_events) == []


def test_shared_text_names_the_agency_an_article_credits():
    articles = ARTICLES.assign(text=["LAKEPORT, March 6 (Continental Press) - A fire broke out.", "A fire broke out.", "", ""])
    copied = passages([("P1", "a", 0, 90, "x", 40, 2, "unknown", ""), ("P1", "b", 0, 90, "x", 40, 2, "unknown", "")])
    rows = findings.shared_text_findings(reuse_pair("a", "b", 0.4, 0.4), copied, articles, SHARED_SENTENCES)
    assert rows[0]["statement"].endswith("Lakeport Herald's article credits Continental Press, so the shared text may be "
                                         "that agency's copy.")


def test_an_outlet_naming_itself_is_not_an_exclusive():
    sentences = OMISSION_SENTENCES.copy()
    sentences.loc[(sentences["article_id"] == "d") & (sentences["sent_id"] == 1), "text"] = \
        "Mayor Orla Brandt told the Coast Daily she would visit."
    entities = pd.DataFrame({"article_id": ["d", "d"], "sent_id": [1, 1], "text": ["Coast Daily", "Orla Brandt"],
                             "label": ["ORG", "PERSON"], "canonical": ["Coast Daily", "Orla Brandt"]})
    rows = findings.coverage_findings(omission_facts(), with_text(ARTICLES, sentences), sentences, entities)
    exclusive = [r for r in rows if r["kind"] == "exclusive_facts"]
    assert len(exclusive) == 1 and exclusive[0]["statement"].startswith("Only Coast Daily mentions Orla Brandt, in")


LEAD_ENTITIES = pd.DataFrame({"article_id": ["a", "b", "c", "c"], "sent_id": [1, 1, 1, 1],
                              "text": ["Orla Brandt", "Orla Brandt", "Ivo Marsh", "Orla Brandt"], "label": "PERSON",
                              "canonical": ["Orla Brandt", "Orla Brandt", "Ivo Marsh", "Orla Brandt"]})


def lead_sentences(texts: dict[str, list[str]]) -> pd.DataFrame:
    sentences = make_sentences(texts)
    sentences["in_headline"] = sentences["sent_id"] == 0
    return sentences


def test_outlets_leading_with_different_people():
    sentences = lead_sentences({"a": ["Mill Burns", "Orla Brandt toured the mill."],
                                "b": ["Mayor Vows To Rebuild", "Mayor Orla Brandt spoke."],
                                "c": ["Fire Chief Ivo Marsh Speaks", "Ivo Marsh spoke, then Orla Brandt."]})
    rows = findings.lead_findings(ARTICLES, sentences, LEAD_ENTITIES)
    assert rows[0]["statement"] == ("Outlets name different people first: Lakeport Herald and Valley Post name Orla Brandt "
                                    "first (in the lead); Ridge Times names Ivo Marsh first (in the headline).")
    assert rows[0]["evidence"] == "a:1;b:1;c:0"


def test_a_title_case_headline_is_searched_as_text_for_the_events_people():
    # The model read "Brandt Vows Rebuild" as a person and missed the name in "Marsh Warns …": the
    # headline is searched for the people the articles name in their body, by full name or surname.
    sentences = lead_sentences({"a": ["Brandt Vows Rebuild", "Ivo Marsh and Orla Brandt spoke."],
                                "b": ["Marsh Warns Of More Fires", "Orla Brandt spoke."],
                                "c": ["Mill Burns", "Ivo Marsh spoke."]})
    rows = findings.lead_findings(ARTICLES, sentences, LEAD_ENTITIES)
    assert rows[0]["statement"] == ("Outlets name different people first: Ridge Times and Valley Post name Ivo Marsh first "
                                    "(in the headline / lead); Lakeport Herald names Orla Brandt first (in the headline).")


def test_one_surname_is_one_person_and_no_lead_difference():
    sentences = lead_sentences({"a": ["Mill Burns", "Orla Brandt spoke."], "b": ["Fire", "O. Brandt spoke."]})
    entities = pd.DataFrame({"article_id": ["a", "b"], "sent_id": [1, 1], "text": ["Orla Brandt", "O. Brandt"],
                             "label": "PERSON", "canonical": ["Orla Brandt", "O. Brandt"]})
    assert findings.lead_findings(ARTICLES, sentences, entities) == []


def test_words_shared_and_not_add_up_to_the_article():
    originality = pd.DataFrame({"article_id": ["a", "b"], "copied_share": [0.25, 0.0], "quoted_share": [0.10, 0.0]})
    words = findings.own_and_shared_words(ARTICLES, originality).set_index("article_id")
    assert words.loc["a", ["shared_text_words", "shared_quotation_words", "own_words"]].tolist() == [25, 10, 65]
    assert words.loc["c", "own_words"] == 100


def test_a_long_publication_order_is_summed_up():
    rows = [(f"a{k}", f"Outlet {k}", "", f"2030-03-{k + 1:02d}") for k in range(8)]
    statement = findings.timing_findings(make_articles(rows))[0]["statement"]
    assert statement.endswith("Outlet 3 followed 3 days later; 4 more articles followed, the last 7 days after the first.")


def test_a_long_list_of_names_is_cut():
    assert findings.join_names(["A", "B", "C"]) == "A, B and C"
    assert findings.join_names([f"O{k}" for k in range(20)], limit=3) == "O0, O1, O2 and 17 more"


def test_shared_words_sum_per_outlet_and_keep_the_top():
    words = pd.DataFrame({"outlet": ["Herald", "Herald (2)", "Post"], "article_id": ["a", "b", "c"], "words": [10, 20, 5],
                          "shared_quotation_words": [1, 2, 0], "shared_text_words": [0, 3, 0], "own_words": [9, 15, 5]})
    long, more = findings.shared_words_by_outlet(words, top=1)
    assert more == 1 and set(long["outlet"]) == {"Herald"}
    assert dict(zip(long["part"], long["words"])) == {"not shared": 24, "shared quotation": 3, "other shared text": 3}


@pytest.mark.parametrize("url, words", [
    ("https://example.org/politics/mayor-wins-second-term-in-landslide-1234567.html", "mayor wins second term in landslide"),
    ("https://example.org/2030/03/06/Mill_Fire_Kills_Two_Workers/", "mill fire kills two workers"),
    ("https://example.org/news/2030/03/06/story.html", ""),       # no slug
    ("https://example.org/article?id=51&title=mill-fire", ""),     # words in the query are not a path
    ("https://example.org/a/6f1e2d3c4b5a69788f", ""),              # an id
    ("", ""), (None, ""),
])
def test_headline_from_url_reads_the_slug_only(url, words):
    assert findings.headline_from_url(url) == words


def test_headlines_say_where_each_headline_was_read():
    articles = make_articles([("a", "Lakeport Herald", "XA", "2030-03-06"), ("b", "Valley Post", "XB", "2030-03-07"),
                              ("c", "Ridge Times", "XC", "")])
    articles["title"] = ["Mill burns", "", ""]
    articles["url"] = ["", "https://valley.example/news/fire-destroys-lakeport-mill-overnight", ""]
    table = findings.headlines(articles).set_index("outlet")
    assert table.loc["Valley Post", "headline"] == "fire destroys lakeport mill overnight"
    assert table.loc["Valley Post", "headline_from"] == "URL words"
    assert table.loc["Lakeport Herald", "headline_from"] == "text or metadata"
    assert table.loc["Ridge Times", "headline"] == findings.NO_HEADLINE
    assert list(table.columns) == ["country", "published", "headline", "headline_from", "article_id"]


def test_headlines_show_what_the_metadata_says_about_one_article_and_not_another():
    articles = make_articles([("a", "Lakeport Herald", "XA", "2030-03-06"), ("b", "Valley Post", "XB", "2030-03-07"),
                              ("c", "Ridge Times", "XC", "")])
    articles["provenance"] = ["", "", "reprints other outlets' stories; the original is not named"]
    articles["desk"] = "news"            # the same for every article: says nothing
    articles["keywords"] = ""            # filled for none
    table = findings.headlines(articles).set_index("outlet")
    assert list(table.columns) == ["country", "published", "headline", "headline_from", "provenance", "article_id"]
    assert table.loc["Ridge Times", "provenance"].startswith("reprints other outlets")


def test_with_close_sentences_marks_only_the_absent_cells_the_check_finds_a_close_sentence_for():
    from helpers.compare.facts import coverage_grid

    sentences = OMISSION_SENTENCES.copy()
    sentences.loc[(sentences["article_id"] == "d") & (sentences["sent_id"] == 1), "text"] = \
        "The twelve workers all escaped from the burning mill through its loading dock."
    checks = findings.coverage_checks(omission_facts(), with_text(ARTICLES, sentences), sentences)
    coverage = pd.DataFrame({"fact_id": ["F2", "F2", "F2", "F2", "F1"], "label": "x", "n_outlets": [3, 3, 3, 3, 4],
                             "outlet": ["Lakeport Herald", "Valley Post", "Ridge Times", "Coast Daily", "Coast Daily"],
                             "status": ["verbatim", "paraphrase", "paraphrase", "absent", "paraphrase"]})
    marked = findings.with_close_sentences(coverage, checks)
    assert list(marked["status"]) == ["verbatim", "paraphrase", "paraphrase", "close sentence", "paraphrase"]
    assert coverage_grid(marked).loc["F2", "Coast Daily"] == -1
    # Where the check finds no close sentence, absent stays absent.
    unchecked = findings.with_close_sentences(coverage, checks.iloc[0:0])
    assert list(unchecked["status"]) == list(coverage["status"])
    # A fact one outlet alone is said to carry: the cell of the outlet holding the close sentence.
    row = checks[(checks["question"] == "only this outlet?") & (checks["fact_id"] == "F3")].iloc[0]
    assert row["verdict"].endswith("may carry it in other words") and row["closest_outlet"] not in ("", row["outlet"])
    single = pd.DataFrame({"fact_id": "F3", "label": "x", "n_outlets": 1, "outlet": list(ARTICLES["outlet"]),
                           "status": ["single" if o == row["outlet"] else "absent" for o in ARTICLES["outlet"]]})
    marked = findings.with_close_sentences(single, checks).set_index("outlet")["status"]
    assert marked[row["closest_outlet"]] == "close sentence" and (marked.drop(row["closest_outlet"]) != "close sentence").all()
    # as the matrix holds it: the carrier's row alone; the close outlet's cell is added after it
    alone = pd.concat([coverage, single[single["status"] == "single"]], ignore_index=True)
    added = findings.with_close_sentences(alone, checks)
    assert len(added) == len(alone) + 1 and list(added.columns) == list(alone.columns)
    assert added.iloc[-2:][["outlet", "status"]].values.tolist() == [[row["outlet"], "single"],
                                                                      [row["closest_outlet"], "close sentence"]]


def test_coverage_checks_leave_topics_aside_and_say_so(monkeypatch):
    from helpers.compare.findings import coverage as coverage_module

    monkeypatch.setattr(coverage_module, "STORY_MAX_ARTICLES", 3)  # the four-outlet fire is now a "topic"
    checks = findings.coverage_checks(omission_facts(), with_text(ARTICLES, OMISSION_SENTENCES), OMISSION_SENTENCES)
    assert checks.empty and findings.events_not_checked(ARTICLES) == 1
    assert "1 event of more than 3 articles (a topic, not a story) not checked." in \
        findings.coverage_check_summary(checks, ARTICLES)
    assert findings.events_not_checked(ARTICLES.iloc[0:0]) == 0


def _evidence_of(texts: dict[str, list[str]]):
    from helpers.compare.findings.coverage import _CoverageEvidence

    rows = [{"article_id": art, "sent_id": i, "start": 100 * i, "end": 100 * i + len(t), "text": t}
            for art, sentences in texts.items() for i, t in enumerate(sentences)]
    articles = pd.DataFrame({"article_id": list(texts), "outlet": [f"Outlet {a}" for a in texts],
                             "event": "e", "text": [" ".join(s) for s in texts.values()]})
    return _CoverageEvidence(articles, pd.DataFrame(rows), None)


@pytest.mark.parametrize("searched, stop_at, expected", [
    (["b", "c"], None, (1.0, ("c", 1))),    # the largest share wins, wherever it is
    (["b", "c"], 0.5, (4 / 7, ("b", 1))),   # the first sentence reaching stop_at is enough
    (["c", "b"], 0.5, (1.0, ("c", 1))),     # ... in the order the articles are given
    (["d"], None, (6 / 7, ("d", 0))),       # a tie goes to the first sentence
    (["e"], None, (0.0, None)),             # nothing shared
    ([], None, (0.0, None)),
])
def test_closest_sentence_is_what_a_scan_in_order_finds(searched, stop_at, expected):
    seen = _evidence_of({
        "a": ["Harbour workers ended their strike after wages rose sharply."],  # 7 content words
        "b": ["The mayor spoke.", "Harbour workers ended their strike on Monday."],
        "c": ["Rain fell.", "Harbour workers ended the strike after wages rose sharply."],
        "d": ["Harbour workers ended a strike: wages rose.", "Wages rose; harbour workers ended a strike."],
        "e": ["Nothing in common here at all."],
    })
    share, where = seen.closest(searched, [("a", 0)], stop_at=stop_at)
    assert (round(share, 4), where) == (round(expected[0], 4), expected[1])


def _closest_by_scan(seen, searched: list[str], pairs: list[tuple[str, int]], stop_at: float | None):
    """The rule read literally: every sentence of the searched articles in order, its share of
    each fact sentence's content words; the first reaching ``stop_at``, else the first largest."""
    targets = [t for t in (seen.words_of(a, s) for a, s in pairs) if len(t) >= 3]
    scanned = []
    for art in searched:
        for sid, _ in seen.lookup.by_article.get(art, []):
            words = seen.words_of(art, sid)
            share = max((len(t & words) / len(t) for t in targets), default=0.0)
            if share > 0:
                scanned.append((share, (art, sid)))
    if not scanned:
        return 0.0, None
    if stop_at is not None:
        for share, where in scanned:
            if share >= stop_at:
                return share, where
    top = max(share for share, _ in scanned)
    return next((share, where) for share, where in scanned if share == top)


_STEMS = ["harbour", "workers", "strike", "wages", "mayor", "council", "bridge", "tolls", "monday", "rain"]


@settings(max_examples=200, deadline=None)
@given(texts=st.dictionaries(st.sampled_from("abcdef"),
                             st.lists(st.lists(st.sampled_from(_STEMS + ["the", "on"]), max_size=8).map(" ".join),
                                      min_size=1, max_size=4), min_size=1, max_size=6),
       data=st.data())
def test_closest_sentence_equals_a_literal_scan(texts, data):
    seen = _evidence_of(texts)
    articles = sorted(texts)
    searched = data.draw(st.lists(st.sampled_from(articles), unique=True, max_size=len(articles)), label="searched")
    fact_article = data.draw(st.sampled_from(articles), label="fact article")
    pairs = [(fact_article, sid) for sid in data.draw(
        st.lists(st.integers(0, len(texts[fact_article]) - 1), min_size=1, max_size=3, unique=True), label="sentences")]
    stop_at = data.draw(st.sampled_from([None, 0.0, 0.3, 0.5, 1.0]), label="stop_at")
    assert seen.closest(searched, pairs, stop_at=stop_at) == _closest_by_scan(seen, searched, pairs, stop_at)


@settings(max_examples=500, deadline=None)
@given(key=st.sampled_from(["ali", "al", "li", "khan", "new york", "u.s", "u.s.", "o'neil", "1,200", ".x", "é",
                            "x_", "'s", "s"]),
       text=st.lists(st.sampled_from(["ali", "al", "i", "li", "khan", "new", " ", "york", "'", "’", "s", ".",
                                      "u", "-", "_", "o", "neil", "x", "\n", "é", "²", "1", ",", "200"]),
                     max_size=14).map("".join))
def test_mentions_equals_a_search_for_the_whole_word(key, text):
    from helpers.compare.findings.common import mentions

    pattern = re.compile(r"\b" + re.escape(key) + r"(?:['’]s?)?\b")
    assert mentions(key, text) == (pattern.search(text) is not None)
    assert mentions("", text) is False


@pytest.mark.parametrize(("events", "outlets", "expected"), [
    ([], [], ""),  # no article
    (["quake", "quake"], ["A", "B"], ""),  # one event: every chart already shows one story
    (["quake", "quake", "flood", "flood", "flood"], ["A", "B", "A", "A", "A"], "quake"),  # outlets before articles
    (["quake", "flood", "flood"], ["A", "A", "A"], "flood"),  # a tie on outlets: more articles
    (["quake", "flood"], ["A", "B"], "flood"),  # a tie on both: the first by name
    (["quake", "quake", "flood"], ["", "", "A"], "quake"),  # unknown outlets count as one outlet
])
def test_widest_story_is_the_one_with_most_outlets_then_articles_then_name(events, outlets, expected):
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(events))], "event": events,
                             "outlet": outlets}, dtype=object)
    assert findings.widest_story(articles) == expected
    if expected:
        assert findings.event_overview(articles.assign(country="", published="", word_count=1))["event"].iloc[0] == expected


def test_widest_story_passes_over_a_topic_unless_every_event_is_one():
    """A topic (more articles than a story has) carries more outlets but not one story's facts."""
    size = findings.STORY_MAX_ARTICLES
    topic = pd.DataFrame({"article_id": [f"t{i}" for i in range(size + 1)], "event": "politics",
                          "outlet": [f"O{i % 20}" for i in range(size + 1)]})
    story = pd.DataFrame({"article_id": ["s1", "s2", "s3"], "event": "storm", "outlet": ["O1", "O2", "O2"]})
    assert findings.widest_story(pd.concat([topic, story], ignore_index=True)) == "storm"
    other_topic = topic.assign(article_id=lambda t: "u" + t["article_id"], event="economy", outlet="O1")
    assert findings.widest_story(pd.concat([topic, other_topic], ignore_index=True)) == "politics"


def test_a_shared_quotation_lists_each_article_that_does_not_carry_it_and_cuts_clusters_by_event():
    # two events: a cluster's occurrences in another event are that event's own finding; an
    # outlet's second article that does not carry the text is listed by its own label
    quote = "We will rebuild the mill and every home the fire took from this valley"
    articles = pd.concat([make_articles([("a", "Lakeport Herald", "XA", "2030-03-06"),
                                         ("b", "Valley Post", "XB", "2030-03-07"),
                                         ("b2", "Valley Post", "XB", "2030-03-08"),
                                         ("d", "Coast Daily", "XB", "")]),
                          make_articles([("x", "Harbor Mail", "XA", "2030-03-06"),
                                         ("y", "Pine Ledger", "XB", "2030-03-06")], event="flood")],
                         ignore_index=True)
    sentences = make_sentences({k: ["x" * 100] for k in ("a", "b", "b2", "d", "x", "y")})
    table = passages([("P1", "a", 0, 72, quote, 14, 4, "quoted statement", ""),
                      ("P1", "b", 0, 72, quote, 14, 4, "quoted statement", ""),
                      ("P1", "x", 0, 72, quote, 14, 4, "quoted statement", ""),
                      ("P1", "y", 0, 72, quote, 14, 4, "quoted statement", ""),
                      ("P2", "a", 10, 40, quote[10:40], 6, 2, "quoted statement", "")])
    rows = findings.shared_source_findings(table, pd.DataFrame(), articles, sentences)
    assert [(r["event"], r["outlets"]) for r in rows] == [("fire", "Lakeport Herald; Valley Post"),
                                                           ("flood", "Harbor Mail; Pine Ledger")]
    assert rows[0]["statement"].endswith("Coast Daily and Valley Post (2) do not carry this text.")
    assert not rows[1]["statement"].endswith("not carry this text.")


# -- quote variants ----------------------------------------------------------------------------


def variants(rows: list[tuple]) -> pd.DataFrame:
    """(variant_group, article_id, quote_id, quote, kind, speaker_canonical) rows of ``quote_variants``."""
    return pd.DataFrame(rows, columns=["variant_group", "article_id", "quote_id", "quote", "kind", "speaker_canonical"])


def quotes_of(table: pd.DataFrame, person: set[str]) -> pd.DataFrame:
    return pd.DataFrame({"quote_id": table["quote_id"], "sent_id": 0, "speaker_canonical": table["speaker_canonical"],
                         "speaker_kind": ["person" if s in person else "organization" for s in table["speaker_canonical"]]})


def test_a_quotation_worded_differently_names_the_first_outlet_that_differs():
    said = "We will rebuild the mill and every home the fire took"
    table = variants([(1, "a", "a:q0", said, "direct", "Mara Quill"),
                      (1, "c", "c:q0", said.replace("took", "t00k"), "direct", "Mara Quill"),  # spelling only
                      (1, "b", "b:q0", "We will rebuild the old mill and all the homes the fire took", "direct",
                       "Mara Quill"),
                      (1, "d", "d:q0", "They will rebuild everything the fire took away", "indirect", "Mara Quill")])
    rows = findings.quote_variant_findings(table, quotes_of(table, {"Mara Quill"}), ARTICLES)
    assert len(rows) == 1
    assert rows[0]["statement"].startswith("Lakeport Herald and Valley Post quote the same words differently: ")
    assert rows[0]["outlets"] == "Lakeport Herald; Valley Post"
    assert rows[0]["evidence"] == "a:0;b:0"


def test_two_quotations_linked_only_through_a_third_are_not_one_quotation_worded_two_ways():
    """A variant group chains quotes (a shares half its words with b, b with c): a and c, which
    share next to nothing, are two statements, not one quotation reworded."""
    table = variants([(1, "a", "a:q0", "We will rebuild the mill and every home the fire took", "direct", "Mara Quill"),
                      (1, "c", "c:q0", "Our harbour budget cannot cover new cranes this year, the fire took it", "direct",
                       "Mara Quill")])
    assert findings.shared_word_share(table["quote"][0], table["quote"][1]) < findings.QUOTE_MIN_SHARED
    assert findings.quote_variant_findings(table, quotes_of(table, {"Mara Quill"}), ARTICLES) == []


@pytest.mark.parametrize("a, b, share", [
    ("we will rebuild the burned mill", "We will rebuild the burned mill and every home", 1.0),  # one quotes more
    ("We will rebuild the burned mill", "we shall rebuild a burned mill", 1.0),  # worded two ways: the same content
    ("We will rebuild the burned mill", "we shall rebuild a burned granary", 2 / 3),
    # two statements sharing function words and one content word: not one quotation
    ("We don't need a liberal person in there, a Democrat", "We don't need a celebrity; we need a leader", 0.25),
    ("", "we will", 0.0),
    ("we will", "we will", 0.0),                                           # no content word: nothing to share
    ("We're angry that it's not even more", "the angry mill workers rebuilt it", 0.0),  # one content word
])
def test_shared_word_share_is_of_the_shorter_quotation(a, b, share):
    assert findings.shared_word_share(a, b) == pytest.approx(share)


def test_a_quotation_credited_to_different_people_names_each_outlet_and_speaker():
    said = "We will rebuild the mill and every home the fire took"
    table = variants([(7, "a", "a:q0", said, "direct", "Mara Quill"),
                      (7, "b", "b:q0", said, "direct", "Tom Reyes"),
                      (7, "c", "c:q0", said, "direct", "Mara Quill"),
                      (7, "c", "c:q1", said, "direct", "Mara Quill"),
                      (7, "d", "d:q0", said, "direct", "Harbor Council")])  # an institution: no conflict
    rows = findings.quote_variant_findings(table, quotes_of(table, {"Mara Quill", "Tom Reyes"}), ARTICLES)
    assert len(rows) == 1
    assert rows[0]["statement"] == ("The same quotation has different speakers: Lakeport Herald and Ridge Times credit "
                                    "Mara Quill; Valley Post credits Tom Reyes — “" + said + "”")
    assert rows[0]["outlets"] == "Lakeport Herald; Ridge Times; Valley Post"


@pytest.mark.parametrize("second", [
    ("a2", "Lakeport Herald"),  # the same outlet's second article: not two outlets
    None,                       # one article alone
])
def test_no_quote_variant_within_one_outlet_or_one_article(second):
    # (an outlet's two articles crediting two people is a finding: "Herald credits X; Herald (2) credits Y")
    rows = [(1, "a", "a:q0", "We will rebuild the mill and every home", "direct", "Mara Quill")]
    articles = ARTICLES
    if second:
        articles = pd.concat([ARTICLES, make_articles([(second[0], second[1], "XA", "2030-03-08")])], ignore_index=True)
        rows.append((1, second[0], f"{second[0]}:q0", "We shall rebuild a mill and all the homes", "direct", "Mara Quill"))
    table = variants(rows)
    assert findings.quote_variant_findings(table, quotes_of(table, {"Mara Quill", "Tom Reyes"}), articles) == []
    assert findings.quote_variant_findings(table.iloc[0:0], quotes_of(table, set()), articles) == []


@pytest.mark.parametrize("outlets, limit, shown", [
    (["Valley Post"] * 4 + ["Ridge Times"] * 2 + ["Lakeport Herald"], 4,
     ["Valley Post", "Valley Post", "Ridge Times", "Lakeport Herald"]),
    (["Valley Post", "Ridge Times"], 6, ["Valley Post", "Ridge Times"]),
    ([], 6, []),
])
def test_the_page_quotes_every_outlet_of_a_finding_before_a_second_sentence_of_one(outlets, limit, shown):
    from helpers.compare.findings.page import evidence_to_show

    evidence = pd.DataFrame({"finding_id": "Q1", "outlet": outlets, "sentence": [f"s{k}" for k in range(len(outlets))]})
    picked = evidence_to_show(evidence, limit)
    assert picked["outlet"].tolist() == shown
    assert picked["sentence"].tolist() == sorted(picked["sentence"], key=lambda t: int(t[1:]))  # the table's order
    if len(outlets) > limit:
        found = pd.DataFrame([{**{c: "" for c in findings.FINDING_COLUMNS}, "finding_id": "Q1", "kind": "shared_quotation",
                               "statement": "s", "rank": 1, "table": "passages", "section": "02.html#x", "rule": "r"}])
        page = findings.findings_html(found, evidence, evidence_per_finding=limit)
        assert "Lakeport Herald" in page and f"and {len(outlets) - limit} more sentences" in page


@pytest.mark.parametrize("b_second, carried", [
    ("Fire chief Anna Vale said the roof fell in.", False),                        # only the event's own words
    ("Fire chief Anna Vale said the owners had ignored safety warnings.", True),  # the fact's own words too
])
def test_sharing_only_the_words_every_article_writes_is_no_paraphrase(b_second, carried):
    # Every article quotes the fire chief: "Fire chief Anna Vale said" is 5 of the single-outlet
    # fact's 10 content words, but none of what she said about the owners.
    sentences = make_sentences({
        "a": ["Fire chief Anna Vale said the Lakeport mill burned on Monday.", "Fire chief Anna Vale said twelve workers escaped."],
        "b": ["Fire chief Anna Vale said the Lakeport mill was destroyed on Monday.", b_second],
        "c": ["Fire chief Anna Vale said fire destroyed the Lakeport mill on Monday.", "Fire chief Anna Vale said crews worked all night."],
        "d": ["Fire chief Anna Vale said the Lakeport mill burned on Monday.",
              "Fire chief Anna Vale said the owners ignored three safety warnings in March."],
    })
    outlets = dict(zip(ARTICLES["article_id"], ARTICLES["outlet"]))
    rows = [("F1", art, 0) for art in "abcd"] + [("F3", "d", 1)]
    facts = pd.DataFrame({"fact_id": [r[0] for r in rows], "article_id": [r[1] for r in rows],
                          "sent_id": [r[2] for r in rows], "outlet": [outlets[r[1]] for r in rows]})
    row = findings.coverage_checks(facts, with_text(ARTICLES, sentences), sentences).set_index("fact_id").loc["F3"]
    assert (row["verdict"] == "another outlet may carry it in other words") == carried, row["verdict"]
    if carried:
        assert (row["closest_outlet"], row["closest_sentence"]) == ("Valley Post", b_second) and row["closest_share"] >= 0.4


@pytest.mark.parametrize("key, forms", [
    ("six", ("six", "6", "6th", "sixth")), ("12", ("12", "12th", "twelve", "twelfth")),
    ("21", ("21", "21st")), ("1,200", ("1,200",)), ("brandt", ("brandt",)),
])
def test_number_forms(key, forms):
    from helpers.compare.findings.common import number_forms

    assert number_forms(key) == forms


@pytest.mark.parametrize("second_sentence, left_out", [
    ("Mayor Orla Brandt visited the site.", True),
    # the twelfth of them, or 12: the number is in its text, so the omission cannot be claimed
    ("Mayor Orla Brandt said the twelfth and last worker left at dawn.", False),
    ("Mayor Orla Brandt said 12 people left at dawn.", False),
])
def test_an_outlet_writing_the_number_otherwise_does_not_leave_it_out(second_sentence, left_out):
    sentences = OMISSION_SENTENCES.copy()
    sentences.loc[(sentences["article_id"] == "d") & (sentences["sent_id"] == 1), "text"] = second_sentence
    checks = findings.coverage_checks(omission_facts(), with_text(ARTICLES, sentences), sentences)
    row = checks[(checks["question"] == "left out?") & (checks["fact_id"] == "F2")].iloc[0]
    assert row["verdict"].startswith("leaves it out") == left_out, row["verdict"]


@pytest.mark.parametrize("n_outlets, expected", [
    ([4, 4, 4, 4, 2, 2, 1], "All 4 outlets carry 1 fact: “The mill at Lakeport burned on Monday.”"),
    ([3, 3, 3, 2, 2, 1], "No fact is carried by more than 3 of the 4 outlets; 3 carry 1 fact: "
                         "“The mill at Lakeport burned on Monday.”"),
    ([1, 1], "No fact is carried by two of the 4 outlets: each reports its own."),
])
def test_common_ground_says_what_the_most_outlets_report_alike(n_outlets, expected):
    texts = ["The mill at Lakeport burned on Monday.", "Twelve workers escaped.", "Mayor Orla Brandt visited."]
    fact_of = {4: "F1", 3: "F1", 2: "F2", 1: "F3"}
    facts = pd.DataFrame({"fact_id": [fact_of[n] for n in n_outlets], "article_id": list("abcdabc")[:len(n_outlets)],
                          "sent_id": range(len(n_outlets)), "similarity": 0.9, "n_outlets": n_outlets,
                          "text": [texts[int(fact_of[n][1]) - 1] for n in n_outlets]})
    assert findings.common_ground(facts, ARTICLES) == expected
    assert findings.common_ground(facts.iloc[0:0], ARTICLES) == ""


def test_common_ground_of_a_topic_says_so_without_reading_its_facts():
    big = pd.DataFrame({"article_id": [f"t{i}" for i in range(findings.STORY_MAX_ARTICLES + 1)], "outlet": "Valley Post",
                        "country": "", "event": "topic"})
    asked = []
    said = findings.common_ground(lambda ids: asked.append(ids), big)
    assert said.startswith(f"{len(big)} articles: a topic rather than one story") and not asked
    # a story: its facts are asked for its articles
    assert findings.common_ground(lambda ids: asked.append(ids), ARTICLES) == "" and asked == [list(ARTICLES["article_id"])]


def test_an_outlet_that_says_the_quotation_over_two_sentences_is_shown_with_both():
    split = make_sentences({
        "a": ["“We will rebuild the mill and every home the fire took from this valley,” the governor said.", "Other."],
        "b": ["The governor said: “We will rebuild the mill and every home the fire took from this valley.”", "More."],
        "c": ["Crews worked all night.", "The governor vowed to rebuild the mill.",
              "Every home the fire took from the valley will follow, she said."],
        "d": ["Crews worked all night to contain the blaze near the county road."],
    })
    rows = findings.shared_source_findings(_quoted_by_two(), pd.DataFrame(), ARTICLES, split)
    statement = rows[0]["statement"]
    assert "Ridge Times does not carry this text word for word; two of its sentences together hold 100% of" in statement
    assert statement.endswith("“The governor vowed to rebuild the mill.” and “Every home the fire took from the valley "
                              "will follow, she said.”.")
    assert {"c:1", "c:2"} <= set(rows[0]["evidence"].split(";"))


def test_a_second_sentence_adding_little_is_not_shown():
    rows = findings.shared_source_findings(_quoted_by_two(), pd.DataFrame(), ARTICLES, OWN_WORDS_SENTENCES)
    assert "two of its sentences" not in rows[0]["statement"]


def test_an_exclusive_that_shares_a_detail_with_one_other_outlet_says_so_and_shows_its_sentence():
    sentences = make_sentences({
        "a": ["The mill at Lakeport burned on Monday.", "Twelve workers escaped through the loading dock.",
              "Crews closed Ferrow Bridge for the night."],
        "b": ["Fire destroyed the Lakeport mill on Monday.", "Twelve workers escaped via the loading dock, officials said."],
        "c": ["The Lakeport mill was destroyed by fire on Monday.", "All twelve workers escaped through a loading dock."],
        "d": ["A fire destroyed a mill in Lakeport on Monday.",
              "Mayor Orla Brandt visited the site in Lakeport and drove on to Ferrow Bridge."],
    })
    entities = pd.DataFrame({
        "article_id": ["d", "d", "d", "a", "a", "b", "c", "d"], "sent_id": [1, 1, 1, 2, 0, 0, 0, 0],
        "text": ["Orla Brandt", "Lakeport", "Ferrow Bridge", "Ferrow Bridge", "Lakeport", "Lakeport", "Lakeport",
                 "Lakeport"],
        "label": ["PERSON", "GPE", "FAC", "FAC", "GPE", "GPE", "GPE", "GPE"]})
    entities["canonical"] = entities["text"]
    rows = findings.coverage_findings(omission_facts(), with_text(ARTICLES, sentences), sentences, entities)
    exclusive = next(r for r in rows if r["kind"] == "exclusive_facts")
    # Lakeport is every outlet's: the story's place, not a shared detail
    assert exclusive["statement"].endswith(
        "But these sentences also name Ferrow Bridge, as Lakeport Herald does (“Crews closed Ferrow Bridge for the "
        "night.”): the outlets may report the same thing in other words.")
    assert "a:2" in exclusive["evidence"].split(";")


def test_an_exclusive_naming_only_what_every_outlet_names_besides_its_own_names_has_no_caveat():
    entities = pd.DataFrame({"article_id": ["d", "d", "a", "b", "c"], "sent_id": [1, 1, 0, 0, 0],
                             "text": ["Orla Brandt", "Lakeport", "Lakeport", "Lakeport", "Lakeport"],
                             "label": ["PERSON", "GPE", "GPE", "GPE", "GPE"]})
    entities["canonical"] = entities["text"]
    sentences = OMISSION_SENTENCES.copy()
    sentences.loc[(sentences["article_id"] == "d") & (sentences["sent_id"] == 1), "text"] = \
        "Mayor Orla Brandt visited the site in Lakeport."
    rows = findings.coverage_findings(omission_facts(), with_text(ARTICLES, sentences), sentences, entities)
    exclusive = next(r for r in rows if r["kind"] == "exclusive_facts")
    assert exclusive["statement"].endswith("“Mayor Orla Brandt visited the site in Lakeport.” (1 in its headline or "
                                           "lead).")


def test_common_ground_names_the_facts_the_one_outlet_left_may_say_in_other_words():
    texts = {"F1": "The mill at Lakeport burned on Monday.", "F2": "Twelve workers escaped."}
    facts = pd.DataFrame({"fact_id": ["F1"] * 4 + ["F2"] * 3, "article_id": list("abcdabc"), "sent_id": range(7),
                          "similarity": 0.9, "n_outlets": [4] * 4 + [3] * 3})
    facts["text"] = facts["fact_id"].map(texts)
    checks = pd.DataFrame({"event": "", "outlet": ["Coast Daily"], "question": ["left out?"], "fact_id": ["F2"],
                           "verdict": ["may carry it in other words"]})
    said = findings.common_ground(facts, ARTICLES, checks=checks)
    assert said == ("All 4 outlets carry 1 fact: “The mill at Lakeport burned on Monday.” 1 more is carried by 3 of "
                    "them, and the other outlet has a sentence that may say it in other words: "
                    "“Twelve workers escaped.” (all but Coast Daily, whose sentence may say it)")
    # a fact it leaves out (the check holds) is not common ground
    left_out = checks.assign(verdict="leaves it out: never mentions “twelve”")
    assert findings.common_ground(facts, ARTICLES, checks=left_out) == findings.common_ground(facts, ARTICLES)


def test_an_outlet_quoting_two_words_of_a_shared_statement_puts_only_part_of_it_in_quotation_marks():
    quote = "We will rebuild the mill and every home the fire took from this valley"
    table = passages([("P1", "a", 22, 94, quote, 14, 2, "quoted statement", ""),
                      ("P1", "c", 55, 120, quote, 14, 2, "quoted statement", "")])
    # a's whole statement is quoted; c quotes only "the mill" inside it
    quotes = pd.DataFrame({"article_id": ["a", "c"], "start": [22, 70], "end": [94, 78], "kind": "direct",
                           "sent_id": 0, "quote_id": ["a:q0", "c:q0"]})
    rows = findings.shared_source_findings(table, pd.DataFrame(), ARTICLES, SHARED_SENTENCES, quotes)
    assert "Lakeport Herald puts it in quotation marks; Ridge Times puts part of it in quotation marks." in \
        rows[0]["statement"]


def test_a_findings_evidence_shows_the_outlets_it_is_about_before_another_outlet_it_cites():
    found = pd.DataFrame({"finding_id": ["E1"], "outlets": ["Ridge Times"], "evidence": ["a:0;c:1"]})
    evidence = findings.finding_evidence(found, OMISSION_SENTENCES, ARTICLES)
    # Lakeport Herald (a) sorts before Ridge Times (c), but the finding is about Ridge Times
    assert evidence["outlet"].tolist() == ["Ridge Times", "Lakeport Herald"]


@pytest.mark.parametrize("evidence, cited", [
    (["a:0;c:1", "c:0"], [("a", 0), ("c", 0), ("c", 1)]),
    (["c:1;a:0", "a:0"], [("a", 0), ("c", 1)]),  # each sentence once, sorted
    (["", "b:1"], [("b", 1)]),
    ([""], []),
])
def test_a_findings_evidence_needs_only_the_sentences_it_cites(evidence, cited):
    found = pd.DataFrame({"finding_id": [f"E{i}" for i in range(len(evidence))], "outlets": "Ridge Times",
                          "evidence": evidence})
    wanted = findings.evidence_sentences(found)
    assert list(zip(wanted["article_id"], wanted["sent_id"])) == cited
    assert wanted["sent_id"].dtype == "int64"
    keys = pd.MultiIndex.from_frame(OMISSION_SENTENCES[["article_id", "sent_id"]])
    only_cited = OMISSION_SENTENCES[keys.isin(cited)]
    assert len(only_cited) < len(OMISSION_SENTENCES)  # the fixture has sentences no finding cites
    pd.testing.assert_frame_equal(findings.finding_evidence(found, only_cited, ARTICLES),
                                  findings.finding_evidence(found, OMISSION_SENTENCES, ARTICLES))


def test_no_findings_cite_no_sentence():
    assert findings.evidence_sentences(pd.DataFrame(columns=["finding_id", "evidence"])).empty


def test_an_evidence_sentence_that_opens_with_a_quotation_is_not_quoted_twice():
    """The page shows each evidence sentence as printed, without quotation marks of its own: a
    sentence that opens with the quotation it carries reads “Secretary…, not ““Secretary…."""
    found = pd.DataFrame([{**{c: "" for c in findings.FINDING_COLUMNS}, "finding_id": "Q1", "kind": "shared_quotation",
                           "statement": "s", "rank": 1, "table": "passages", "section": "02.html#x", "rule": "r"}])
    evidence = pd.DataFrame({"finding_id": ["Q1", "Q1"], "outlet": ["Valley Post", "Lakeport Herald"],
                             "article_id": ["a", "b"], "sent_id": [0, 3], "in_lead": [True, False],
                             "sentence": ["“The bridge is closed,” the mayor said.", "The mayor said the bridge is closed."]})
    page = findings.findings_html(found, evidence)
    assert "<strong>Valley Post</strong>: “The bridge is closed,” the mayor said.</li>" in page
    assert "<strong>Lakeport Herald</strong>: The mayor said the bridge is closed.</li>" in page
    assert "““" not in page


@pytest.mark.parametrize("name, places, shown", [
    ("Valleria Ana Ruiz", {"Valleria"}, "Ana Ruiz"),              # "the envoy for Valleria Ana Ruiz"
    ("North Valleria Ana Ruiz", {"North Valleria", "Valleria"}, "Ana Ruiz"),  # the longest place first
    ("Jordan Peterson", {"Jordan"}, "Jordan Peterson"),           # one word would be left: a name, kept
    ("Ana Ruiz", {"Valleria"}, "Ana Ruiz"),
    ("Valleria Ana Ruiz", set(), "Valleria Ana Ruiz"),            # no place read on its own: kept
    ("", {"Valleria"}, ""),
])
def test_a_place_glued_before_a_name_is_taken_off(name, places, shown):
    from helpers.compare.findings.coverage import without_leading_place

    assert without_leading_place(name, places) == shown
