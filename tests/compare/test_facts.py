"""Known-answer tests for helpers.compare.facts (fact grouping, coverage, quantities)."""

from __future__ import annotations

import numpy as np
import pytest
import pandas as pd

from helpers.compare.facts import (
    FACT_COLUMNS,
    coverage_matrix,
    group_facts,
    fact_labels,
    outlet_exclusives,
    outlet_omissions,
    threshold_effect,
)
from helpers.compare.quantities import extract_quantities, quantity_conflicts
from helpers.compare.reuse import find_shared_passages

SENTS = {
    "a1": ["Austin expressed interest in improving the US-Pakistan relationship during the call.",
           "The Taliban captured a sixth provincial capital on Monday.",
           "Pakistan is accused of giving the Taliban safe havens near the border."],
    "a2": ["Secretary Austin expressed his interest in continuing to improve the relationship between the US and Pakistan.",
           "Insurgents seized six provincial capitals within days.",
           "The football team won its third match of the season."],
    "a3": ["The Taliban captured a second provincial capital in less than a day.",
           "Critics accused Pakistan of giving safe havens to the Taliban."],
}
OUTLETS = {"a1": "One", "a2": "Two", "a3": "Three"}


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, texts = [], {}
    for aid, sents in SENTS.items():
        text = ""
        for i, s in enumerate(sents):
            start = len(text)
            text += s + " "
            rows.append({"article_id": aid, "sent_id": i, "start": start, "end": start + len(s), "text": s,
                         "in_headline": False, "in_embed": False})
        texts[aid] = text.strip()
    arts = pd.DataFrame({"article_id": list(SENTS), "outlet": [OUTLETS[a] for a in SENTS],
                         "event": "e1", "published": "", "text": [texts[a] for a in SENTS]})
    return pd.DataFrame(rows), arts


def fact_of(facts: pd.DataFrame, aid: str, sid: int) -> str:
    return facts[(facts["article_id"] == aid) & (facts["sent_id"] == sid)]["fact_id"].iloc[0]


def test_paraphrases_group_and_different_facts_separate():
    sents, arts = frames()
    facts = group_facts(sents, arts, threshold=0.3)
    assert list(facts.columns) == FACT_COLUMNS
    assert fact_of(facts, "a1", 0) == fact_of(facts, "a2", 0)           # improve relationship
    assert fact_of(facts, "a1", 2) == fact_of(facts, "a3", 1)           # safe havens
    assert fact_of(facts, "a1", 1) == fact_of(facts, "a3", 0)           # provincial capital captured
    assert fact_of(facts, "a1", 0) != fact_of(facts, "a1", 2)
    assert facts[(facts["article_id"] == "a2") & (facts["sent_id"] == 2)]["match"].iloc[0] == "single"
    pair = facts[facts["fact_id"] == fact_of(facts, "a1", 0)]
    assert set(pair["match"]) == {"paraphrase"}
    # no fact holds two sentences of one article
    assert not facts.duplicated(["fact_id", "article_id"]).any()


def test_threshold_parameter_and_effect():
    sents, arts = frames()
    strict = group_facts(sents, arts, threshold=0.95)
    assert (strict["n_articles"] == 1).all()
    eff = threshold_effect(sents, arts, thresholds=(0.1, 0.3, 0.95))
    assert list(eff["threshold"]) == [0.1, 0.3, 0.95]
    assert eff["n_multi_outlet_facts"].iloc[-1] == 0
    assert eff["n_facts"].is_monotonic_increasing


def test_verbatim_via_passages_and_coverage():
    shared = "the ministers reviewed the border situation and the bilateral defence relationship more broadly"
    arts = pd.DataFrame({"article_id": ["x", "y", "z"], "outlet": ["X", "Y", "Z"], "event": "e",
                         "text": [f"Officials said {shared}.", f"A statement said {shared}.",
                                  "Rain fell across the northern valleys for a third straight day."]})
    sents = pd.DataFrame({"article_id": arts["article_id"], "sent_id": 0, "start": 0,
                          "end": arts["text"].str.len(), "text": arts["text"]})
    passages = find_shared_passages(arts)
    facts = group_facts(sents, arts, passages=passages)
    assert fact_of(facts, "x", 0) == fact_of(facts, "y", 0)
    assert set(facts[facts["article_id"].isin(["x", "y"])]["match"]) == {"verbatim"}
    cov = coverage_matrix(facts, arts, sents)
    assert list(cov.columns) == ["fact_id", "n_outlets", "outlet", "status"]  # the text is in `facts`, once
    multi = facts.groupby("fact_id")["outlet"].nunique()
    # a fact two or more outlets carry has a row per outlet of the event; a single-outlet fact, its own
    assert len(cov) == int((multi >= 2).sum()) * 3 + int((multi == 1).sum())
    fid = fact_of(facts, "x", 0)
    st = cov[cov["fact_id"] == fid].set_index("outlet")["status"].to_dict()
    assert st == {"X": "verbatim", "Y": "verbatim", "Z": "absent"}
    labels = fact_labels(facts)
    ex = outlet_exclusives(cov, labels)
    assert set(ex["outlet"]) == {"Z"}
    assert ex["label"].tolist() == ["Rain fell across the northern valleys for a third straight day."]
    om = outlet_omissions(cov, labels)
    assert om[om["fact_id"] == fid]["outlet"].tolist() == ["Z"]
    assert om[om["fact_id"] == fid]["label"].tolist() == [labels[fid]]
    assert outlet_omissions(cov)["label"].eq("").all()  # no labels given: the ids alone


def test_quantities_extracted_and_conflict_flagged():
    q = extract_quantities("making it the second provincial capital to fall in less than 24 hours")
    assert [(x["value"], x["kind"], x["unit"]) for x in q] == [(2.0, "ordinal", "capital"), (24.0, "cardinal", "hour")]
    assert extract_quantities("seizing six provincial capitals within days")[0]["value"] == 6.0
    assert extract_quantities("the 2001 invasion") == []
    sents, arts = frames()
    facts = group_facts(sents, arts, threshold=0.3)
    # "second" / "sixth" / "six provincial capitals" is a running count and its positions, not a
    # disagreement (issue 17): ordinals are not compared
    assert quantity_conflicts(facts, arts).empty


def _one_sentence_articles(texts: dict[str, str], event: str = "e") -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = list(texts)
    arts = pd.DataFrame({"article_id": ids, "outlet": [f"Outlet {a}" for a in ids], "event": event,
                         "published": "", "text": [texts[a] for a in ids]})
    sents = pd.DataFrame({"article_id": ids, "sent_id": 0, "start": 0, "end": [len(texts[a]) for a in ids],
                          "text": [texts[a] for a in ids]})
    return sents, arts


def test_a_number_disagreement_is_the_same_count_of_the_same_thing():
    """Issue 17: number words are read ("Ten"), a predicate ties a count to what happened, and
    different things ("400 employees") or positions in a running count are not disagreements."""
    sents, arts = _one_sentence_articles({
        "a": "Twelve people were injured when a crane collapsed at the Vell shipyard on Monday.",
        "b": "A crane collapse at the Vell shipyard on Monday left 14 people injured, the port authority said.",
        "c": "Ten were injured on Monday at the Vell shipyard, which has 400 employees.",
        "d": "The Vell shipyard crane fell on Monday; at least 9 people were injured.",
        "e": "Rebels took three border towns over the weekend near Ostrava Pass.",
        "f": "Rebels have seized six border towns within days near Ostrava Pass.",
        "g": "Ostrava Pass became the fourth border town to fall.",
        "h": "The mayor, who has led Vell for 12 years, visited the shipyard with two inspectors.",
        "i": "The crane operator had worked at the yard for 19 years, alongside five inspectors.",
        "j": "Ana Roos kept the No. 2 job at the port authority, and Tom Brill the No. 3 job.",
        "k": "The Sept. 11 review of the Vell shipyard found cranes of 30 tonnes lifted 35 tonnes.",
    })
    facts = group_facts(sents, arts, threshold=0.99)   # every sentence its own fact: the event-wide view
    conf = quantity_conflicts(facts, arts)
    unit = conf[conf["scope"] == "same unit"]
    assert unit["group"].nunique() == 1
    assert set(unit["article_id"]) == {"a", "b", "c"}          # "at least 9" is a bound, not a count
    assert unit["values"].iloc[0] == "10, 12, 14"
    assert set(unit["predicate"]) == {"injur"} and set(unit["unit"]) == {"people"}
    assert "people" in unit["compared"].iloc[0] and "injur" in unit["compared"].iloc[0]
    assert 400.0 not in set(conf["value"])                      # employees are another thing
    assert not conf["article_id"].isin(["e", "f", "g"]).any()   # a running count over time
    assert not conf["article_id"].isin(["h", "i", "j", "k"]).any()   # durations, bare counts, ranks, dates
    # keyed to its sentence, whose text is kept once, in `sentences`
    assert list(conf.columns) == ["scope", "group", "unit", "values", "fact_id", "outlet", "article_id",
                                  "sent_id", "quantity", "value", "kind", "noun", "predicate", "time", "compared"]


def test_quantities_read_number_words_predicates_and_bounds():
    q = extract_quantities("Ten were injured, police said.")
    assert [(x["value"], x["unit"], x["predicate"]) for x in q] == [(10.0, "", "injur")]
    q = extract_quantities("at least 12 people were killed on Friday")[0]
    assert (q["qualifier"], q["predicate"], q["time"]) == ("at least", "kill", "friday")
    assert extract_quantities("a 14-year-old boy from Vell") == []
    assert extract_quantities("one of the ministers") == []
    assert extract_quantities("rebels took three towns")[0]["predicate"] == "take"
    assert extract_quantities("the No. 2 position")[0]["kind"] == "ordinal"      # a rank
    assert extract_quantities("the Sept. 11 hijackers") == []                  # a date


def test_empty_and_headline_duplicates():
    sents, arts = frames()
    empty = group_facts(sents.iloc[0:0], arts)
    assert empty.empty and list(empty.columns) == FACT_COLUMNS
    dup = pd.concat([sents, sents[sents["article_id"] == "a1"].head(1).assign(sent_id=99)], ignore_index=True)
    facts = group_facts(dup, arts, threshold=0.3)
    assert 99 not in set(facts["sent_id"])          # a repeated line (headline printed twice) is dropped
    assert quantity_conflicts(facts.iloc[0:0], arts).empty


def test_coverage_grid_orders_facts_by_outlets():
    from helpers.compare.facts import coverage_grid

    coverage = pd.DataFrame({"fact_id": ["F1", "F1", "F2", "F2"], "label": ["x"] * 4, "n_outlets": [1, 1, 2, 2],
                             "outlet": ["A", "B", "A", "B"], "status": ["verbatim", "absent", "paraphrase", "verbatim"]})
    grid = coverage_grid(coverage)
    assert list(grid.index) == ["F2", "F1"]
    assert grid.loc["F2"].tolist() == [2, 3] and grid.loc["F1"].tolist() == [3, 0]
    single = coverage.assign(status=["single", "absent", "paraphrase", "verbatim"])
    assert coverage_grid(single).loc["F1"].tolist() == [1, 0]  # an exclusive is not drawn as a paraphrase
    assert list(coverage_grid(coverage, min_outlets=2).index) == ["F2"]
    assert coverage_grid(coverage.iloc[0:0]).empty


def test_coverage_grid_puts_the_outlets_carrying_most_facts_first():
    from helpers.compare.facts import coverage_grid

    coverage = pd.DataFrame({"fact_id": ["F1", "F1", "F1", "F2", "F2", "F2"], "label": ["x"] * 6,
                             "n_outlets": [2, 2, 2, 1, 1, 1], "outlet": ["A", "B", "C", "A", "B", "C"],
                             "status": ["absent", "verbatim", "paraphrase", "absent", "absent", "single"]})
    grid = coverage_grid(coverage)
    assert list(grid.columns) == ["C", "B", "A"], "C carries two facts, B one, A none"
    assert grid.loc["F1"].tolist() == [2, 3, 0] and grid.loc["F2"].tolist() == [1, 0, 0]


def test_a_large_event_is_compared_within_overlapping_date_windows():
    from helpers.compare.facts import comparison_blocks

    days = ["2020-01-01", "2020-01-03", "2020-01-20", "", "2020-01-05"]
    articles = pd.DataFrame({"article_id": list("abcde"), "event": "topic", "published": days})
    s = pd.DataFrame({"article_id": [a for a in "abcde" for _ in range(3)]})
    whole = comparison_blocks(s, articles)
    assert [b.tolist() for b in whole] == [list(range(15))], "small events stay whole"
    cut = comparison_blocks(s, articles, max_sentences=10, window_days=4)
    together = lambda x, y: any({x, y} <= set(s["article_id"].iloc[b]) for b in cut)
    assert together("a", "b") and together("b", "e") and together("a", "e")
    assert not together("a", "c"), "16 days apart: never compared"
    assert not together("d", "a") and any(set(s["article_id"].iloc[b]) == {"d"} for b in cut)
    assert set(np.concatenate(cut).tolist()) == set(range(15)), "every sentence is in a block"


def test_date_windows_keep_each_pair_once(monkeypatch):
    from helpers.compare import facts

    text = "The ministry confirmed that the bridge over the river reopened after repairs."
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "event": "e", "outlet": ["x", "y", "z"],
                             "published": ["2020-01-01", "2020-01-02", "2020-01-03"]})
    s = pd.DataFrame({"article_id": ["a", "b", "c"], "sent_id": 0, "text": text, "in_headline": False})
    whole = facts.group_facts(s, articles)
    monkeypatch.setattr(facts, "MAX_BLOCK_SENTENCES", 1)
    windowed = facts.group_facts(s, articles)
    assert windowed["fact_id"].nunique() == 1 and len(windowed) == 3
    pd.testing.assert_frame_equal(windowed, whole)


def test_coverage_matrix_absent_only_within_the_facts_event():
    shared = "the ministers reviewed the border situation and the bilateral defence relationship more broadly"
    arts = pd.DataFrame({"article_id": ["x", "y", "z", "w"], "outlet": ["X", "Y", "Z", "W"],
                         "event": ["e", "e", "e", "other"],
                         "text": [f"Officials said {shared}.", f"A statement said {shared}.",
                                  "Rain fell across the northern valleys for a third straight day.",
                                  "The harvest festival drew large crowds to the river town."]})
    sents = pd.DataFrame({"article_id": arts["article_id"], "sent_id": 0, "start": 0,
                          "end": arts["text"].str.len(), "text": arts["text"]})
    facts = group_facts(sents, arts, passages=find_shared_passages(arts))
    cov = coverage_matrix(facts, arts, sents)
    shared_fact = fact_of(facts, "x", 0)
    assert cov[cov["fact_id"] == shared_fact].set_index("outlet")["status"].to_dict() == {
        "X": "verbatim", "Y": "verbatim", "Z": "absent"}  # W covered another event: not absent from this one
    assert cov[cov["fact_id"] == fact_of(facts, "w", 0)]["outlet"].tolist() == ["W"]
    assert coverage_matrix(facts.iloc[0:0], arts).empty


def test_coverage_matrix_in_a_windowed_event_lists_absent_only_the_outlets_published_near_the_fact(monkeypatch):
    from helpers.compare import facts

    text = "The ministry confirmed that the bridge over the river reopened after repairs."
    articles = pd.DataFrame({"article_id": ["a", "b", "c", "d", "e"], "event": "topic",
                             "outlet": ["A", "B", "C", "D", "E"],
                             "published": ["2020-01-01", "2020-01-02", "2020-01-03", "2020-03-01", ""]})
    other = ["Farmers in the valley sold their wheat at the autumn market fair.",
             "A new library opened downtown with a large children's reading room.",
             "The orchestra played three symphonies to a sold-out hall."]
    s = pd.DataFrame({"article_id": ["a", "b", "c", "d", "e"], "sent_id": 0,
                      "text": [text, text, other[0], other[1], other[2]]})
    monkeypatch.setattr(facts, "MAX_BLOCK_SENTENCES", 1)
    table = facts.group_facts(s, articles)
    cov = facts.coverage_matrix(table, articles)
    shared = table.loc[table["article_id"] == "a", "fact_id"].iloc[0]
    # C published the next day (same window); D two months later and E undated were never compared
    assert cov[cov["fact_id"] == shared].set_index("outlet")["status"].to_dict() == {
        "A": "verbatim", "B": "verbatim", "C": "absent"}
    monkeypatch.setattr(facts, "MAX_BLOCK_SENTENCES", 30_000)
    assert set(facts.coverage_matrix(table, articles).query("fact_id == @shared")["outlet"]) == set("ABCDE")


def _boilerplate_corpus(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` articles, each its own story followed by the same two-sentence footer."""
    footer = ("Subscribe to our newsletter for the latest defence and foreign policy coverage every morning. "
              "Copyright reserved by the publishing group and its partners in every country worldwide.")
    stories = ["Farmers in Sindh harvested an early wheat crop.", "A cricket final drew record crowds in Lahore.",
               "Monsoon rains flooded streets across Mumbai.", "The central bank held its policy rate steady.",
               "A new metro line opened in Karachi to long queues.", "Schools in Delhi reopened after the heatwave."][:n]
    texts = [f"{story} {footer}" for story in stories]
    arts = pd.DataFrame({"article_id": [f"b{k:02d}" for k in range(n)], "outlet": [f"O{k}" for k in range(n)],
                         "event": "e", "published": "", "text": texts})
    rows = []
    for aid, text in zip(arts["article_id"], texts):
        start = 0
        for sent_id, sentence in enumerate(text.split(". ")):
            sentence = sentence if sentence.endswith(".") else sentence + "."
            rows.append({"article_id": aid, "sent_id": sent_id, "start": start, "end": start + len(sentence),
                         "text": sentence})
            start += len(sentence) + 1
    return pd.DataFrame(rows), arts


@pytest.mark.parametrize("n_articles", [2, 6])
def test_a_passage_in_many_articles_pairs_linearly_and_groups_the_same(monkeypatch, n_articles):
    from helpers.compare import facts as facts_module

    sents, arts = _boilerplate_corpus(n_articles)
    passages = find_shared_passages(arts)
    assert passages["passage_id"].nunique() == 1
    all_pairs = group_facts(sents, arts, passages=passages)
    monkeypatch.setattr(facts_module, "MAX_PASSAGE_ALL_PAIRS", 2)
    prepared = facts_module._prepare(sents, arts, 3, False)
    left, right = facts_module._passage_pairs(prepared, passages)
    # two footer sentences per article: all pairs would be 4 per pair of articles; the star has 4
    # per article beyond the first
    assert len(left) == (4 if n_articles == 2 else 4 * (n_articles - 1))
    assert (left < right).all()
    starred = group_facts(sents, arts, passages=passages)
    pd.testing.assert_frame_equal(starred, all_pairs)
    footer = starred[starred["text"].str.startswith("Subscribe")]
    assert footer["fact_id"].nunique() == 1 and set(footer["match"]) == {"verbatim"}
    assert len(footer) == n_articles


def test_a_fact_one_outlet_carries_is_single_in_coverage_as_in_facts():
    """Issue 17: coverage_matrix called every single-outlet fact a paraphrase."""
    sents, arts = frames()
    facts = group_facts(sents, arts, threshold=0.3)
    cov = coverage_matrix(facts, arts)
    by_fact = facts.groupby("fact_id")["outlet"].nunique()
    own = cov[cov["fact_id"].isin(by_fact.index[by_fact == 1])]
    assert len(own) and set(own["status"]) == {"single"}
    # the football sentence is a2's alone: single in facts and in coverage
    football = fact_of(facts, "a2", 2)
    assert cov[cov["fact_id"] == football][["outlet", "status"]].values.tolist() == [["Two", "single"]]
    shared = cov[cov["fact_id"].isin(by_fact.index[by_fact >= 2])]
    assert "single" not in set(shared["status"])
    assert football in set(outlet_exclusives(cov)["fact_id"])


def _article_frames(texts: dict[str, list[list[str]]], outlets: dict[str, str], embeds: list[tuple[str, int, int]] = ()):
    """Sentences (with paragraphs and in_embed flags) and articles built from paragraphs of sentences;
    ``embeds``: (article, first paragraph, last paragraph) of embedded posts."""
    rows, arts, embed_rows = [], [], []
    for aid, paragraphs in texts.items():
        text, sid = "", 0
        spans = {}
        for pid, paragraph in enumerate(paragraphs):
            if text:
                text += "\n\n"
            p0 = len(text)
            for k, sentence in enumerate(paragraph):
                if k:
                    text += " "
                rows.append({"article_id": aid, "sent_id": sid, "paragraph_id": pid, "start": len(text),
                             "end": len(text) + len(sentence), "text": sentence, "in_embed": False})
                text += sentence
                sid += 1
            spans[pid] = (p0, len(text))
        for a, p_first, p_last in embeds:
            if a == aid:
                embed_rows.append({"article_id": aid, "start": spans[p_first][0], "end": spans[p_last][1]})
        arts.append({"article_id": aid, "outlet": outlets[aid], "event": "e", "published": "", "text": text})
    sents = pd.DataFrame(rows)
    for e in embed_rows:
        inside = (sents["article_id"] == e["article_id"]) & (sents["start"] >= e["start"]) & (sents["end"] <= e["end"])
        sents.loc[inside, "in_embed"] = True
    return sents, pd.DataFrame(arts), pd.DataFrame(embed_rows, columns=["article_id", "start", "end"])


POST = ["This morning I met the harbour workers of Port Vell to hear their concerns.",
        "We agreed on new safety rules for the cranes and a review of night shifts.",
        "pic.example/abc — Mayor Ana Roos (@mayorroos) May 3, 2024"]
QUOTE = ["“The river wall at Port Vell has held for forty winters without repair.",
         "Engineers now warn that its foundations are eroding under the eastern quay.",
         "We must close the quay to heavy trucks before the autumn storms,” the harbour master said."]


def test_one_embedded_post_is_one_fact_and_one_omission():
    """Issue 17: a three-sentence embedded post was three facts, so the outlet without it was
    listed as leaving it out three times."""
    texts = {"a": [["Port Vell's mayor met harbour workers on Friday."], POST, ["Crane accidents rose this year."]],
             "b": [["The mayor of Port Vell spoke to harbour workers."], POST],
             "c": [["Harbour workers of Port Vell met the mayor on Friday morning."],
                   ["Crane accidents at the harbour rose sharply this year."]]}
    sents, arts, embeds = _article_frames(texts, {"a": "Vell Courier", "b": "Vell Times", "c": "Quay Post"},
                                          embeds=[("a", 1, 1), ("b", 1, 1)])
    facts = group_facts(sents, arts, threshold=0.3, embeds=embeds)
    post = facts[facts["text"].isin(POST)]
    assert len(post) == 6 and post["fact_id"].nunique() == 1          # every sentence kept, one fact
    assert set(post["match"]) == {"verbatim"} or set(post["match"]) == {"paraphrase"}
    cov = coverage_matrix(facts, arts)
    fid = post["fact_id"].iloc[0]
    assert cov[cov["fact_id"] == fid].set_index("outlet")["status"].to_dict()["Quay Post"] == "absent"
    assert fact_labels(facts)[fid] == " ".join(POST)
    assert fact_labels(facts[facts["fact_id"] == fid]) == {fid: " ".join(POST)}  # a fact's own rows suffice
    omissions = outlet_omissions(cov)
    assert (omissions["outlet"] == "Quay Post").sum() == omissions[omissions["outlet"] == "Quay Post"]["fact_id"].nunique()
    assert (omissions["fact_id"] == fid).sum() == 1
    # without the embeds table, the run of in-embed sentences is the post
    assert group_facts(sents, arts, threshold=0.3)[lambda f: f["text"].isin(POST)]["fact_id"].nunique() == 1


def test_one_quoted_statement_over_several_sentences_is_one_fact():
    texts = {"a": [["Storms are expected in Port Vell next week."], QUOTE],
             "b": [QUOTE, ["The city council will meet on Monday to discuss the harbour."]],
             "c": [["The harbour master of Port Vell asked for the quay to close."]]}
    sents, arts, _ = _article_frames(texts, {"a": "Vell Courier", "b": "Vell Times", "c": "Quay Post"})
    facts = group_facts(sents, arts, threshold=0.3)
    quote = facts[facts["text"].isin(QUOTE)]
    assert len(quote) == 6 and quote["fact_id"].nunique() == 1
    # a sentence after the closing quotation mark is a fact of its own
    council = facts[facts["text"].str.startswith("The city council")]
    assert council["fact_id"].iloc[0] != quote["fact_id"].iloc[0]


def test_statement_units_follow_quotation_marks_and_paragraphs():
    from helpers.compare.facts import statement_units

    s = pd.DataFrame({"article_id": "a", "sent_id": range(6), "paragraph_id": [0, 0, 0, 1, 2, 2],
                      "text": ["“One two three.", "Four five six,” she said.", "Seven eight.",
                               "“Nine ten eleven.", "“Twelve thirteen.", "Fourteen,” he said."],
                      "in_embed": False})
    assert statement_units(s).tolist() == [0, 0, 1, 2, 2, 2]
    # an unclosed quotation does not run on into a paragraph that does not open with a quotation mark
    s.loc[4, "text"] = "Twelve thirteen."
    assert statement_units(s).tolist() == [0, 0, 1, 2, 3, 4]


def test_a_sentence_with_two_values_for_one_noun_is_not_a_disagreement():
    sents, arts = _one_sentence_articles({
        "a": "The Vell port fee for ships in 2023 was 12 percent, while the fee for barges was 15 percent.",
        "b": "In 2023 the Vell port fee for ships was 12 percent of the cargo value.",
        "c": "The Vell port fee for ships rose to 12 percent of the cargo value in 2022.",
    })
    facts = group_facts(sents, arts, threshold=0.2)
    assert facts["fact_id"].nunique() == 1
    # a's 12 and 15 percent are two fees; c's 12 percent is of another year
    assert quantity_conflicts(facts, arts).empty


@pytest.mark.parametrize("a_text, disagree", [
    # a bound beside the exact count: the sentence gives two percentages of two things
    ("The Vell port fee of 12 percent was lower than what at least 90 percent of shippers pay, a review found.",
     False),
    ("The Vell port fee was lower than what 90 percent of shippers pay, a review found.", True),  # the control
])
def test_a_bound_beside_a_count_of_the_same_noun_is_two_things(a_text, disagree):
    sents, arts = _one_sentence_articles({
        "a": a_text,
        "b": "The Vell port fee was lower than what 97 percent of shippers pay, the review found.",
    })
    facts = group_facts(sents, arts, threshold=0.2)
    assert facts["fact_id"].nunique() == 1
    assert (not quantity_conflicts(facts, arts).empty) is disagree


@pytest.mark.parametrize("text, expected", [
    ("On page 6, Mann cited the inspectors' report.", []),            # a comma after a number ends it
    ("In 2014, inspectors found 12 cranes were unsafe.", [(12.0, "crane")]),   # "2014," is a year
    ("The scheme reached 1,00,000 farmers in Vell.", [(100000.0, "farmer")]),  # lakh grouping
    ("Some 1,200 workers were evacuated.", [(1200.0, "worker")]),
])
def test_a_number_ends_at_a_comma_that_no_digit_follows(text, expected):
    assert [(q["value"], q["unit"]) for q in extract_quantities(text)] == expected


@pytest.mark.parametrize("when, b_published, disagree", [
    ("last month", "2030-03-03", True),    # two days apart: one "last month"
    ("last month", "2030-04-01", False),   # a month apart: two months, two counts
    ("", "2030-04-01", False),             # no time named: each count of its article's time
    ("in March 2030", "2030-05-01", True), # a time named outright: compared whatever the gap
])
def test_counts_of_no_named_day_in_articles_weeks_apart_are_two_counts(when, b_published, disagree):
    sents, arts = _one_sentence_articles({
        "a": f"The Vell shipyard said 140 welders were hired {when}.".replace(" .", "."),
        "b": f"The Vell shipyard said 120 welders were hired {when}.".replace(" .", "."),
    })
    arts["published"] = ["2030-03-01", b_published]
    facts = group_facts(sents, arts, threshold=0.2)
    conflicts = quantity_conflicts(facts, arts)
    assert (not conflicts.empty) is disagree
    if disagree:
        assert not conflicts["group"].str.contains(" · from ").any()   # one spell: the group's name as before


@pytest.mark.parametrize("text, expected", [
    ("A Vell-19 outbreak has closed the mill.", []),                      # a name with a number ("COVID-19")
    ("The Kelby F-16 jets flew 12 sorties.", [(12.0, "sorty")]),           # the model's number is no count
    ("Her son was 3 when 9/11 happened.", []),                            # a date written with a slash
    ("A breach at Harbor One exposed the records of 12 clients.", [(12.0, "client")]),  # a name's number word
    ("Officials said Two people were injured.", [(2.0, "people")]),       # after a lower-case word: a count
    ("Caption 17 of 22 Photos: the mill on fire.", []),                   # the total of a running index
    ("In such times one’s fears end up affecting one's choices.", []),    # "one’s": a pronoun's possessive
    ("Her tenure saw seconds tick by as onerous rules were affected.", []),  # number words inside words
    ("Ask whether this one turned out well; no one was hurt.", []),      # "this one", "no one": pronouns
    ("WATCH Mayor explains the vote 01:43", []),                          # a video's running time
    ("The council, controlled 5-4 by the Greens, voted at 7:30 pm.", []),  # a split and a clock time
    ("Benefits are cut for workers turning 55 now, aged 60 or more.", []),  # ages
    ("One person was injured and 12 homes were destroyed.", [(1.0, "person"), (12.0, "home")]),  # counts stay
])
def test_a_number_in_a_name_a_code_or_an_index_is_no_count(text, expected):
    assert [(q["value"], q["unit"]) for q in extract_quantities(text)] == expected


@pytest.mark.parametrize("rows, expected", [
    # the member most similar to the others; a tie goes to the first article, then the first sentence
    ([("F1", "b", 0, 0.9, "Bee said it."), ("F1", "a", 3, 0.9, "Ay said it."), ("F1", "c", 0, 0.5, "Cee.")],
     {"F1": "Ay said it."}),
    ([("F2", "a", 4, 0.7, "later"), ("F2", "a", 2, 0.7, "earlier"), ("F2", "b", 0, 0.6, "other")],
     {"F2": "earlier later"}),  # a unit of two sentences of one article: both, in sentence order
    ([("F3", "z", 1, 0.2, "only one")], {"F3": "only one"}),
    ([], {}),
])
def test_fact_labels_take_the_representative_members_wording(rows, expected):
    facts = pd.DataFrame(rows, columns=["fact_id", "article_id", "sent_id", "similarity", "text"])
    assert fact_labels(facts) == expected


def test_fact_labels_are_the_same_from_a_facts_own_rows_or_from_every_row():
    sents, arts = frames()
    facts = group_facts(sents, arts, threshold=0.3)
    assert facts["fact_id"].nunique() < len(facts)  # some fact has several members
    every = fact_labels(facts)
    assert set(every) == set(facts["fact_id"])
    for fid, own in facts.groupby("fact_id"):
        assert fact_labels(own) == {fid: every[fid]}


@pytest.mark.parametrize("text, counted", [
    ("The plant closed three years ago, she said.", []),
    ("Fares were lower thirty years ago.", []),
    ("Twelve people were injured; two days later the bridge reopened.", ["Twelve people"]),
    ("Flooding hit the town six months earlier than forecast.", []),
    ("The council hired 14 inspectors five weeks before the vote.", ["14 inspectors"]),
])
def test_a_point_in_time_is_not_a_count(text, counted):
    """"Three years ago" and "thirty years ago" are two times, not two counts that disagree."""
    assert [q["quantity"] for q in extract_quantities(text)] == counted


@pytest.mark.parametrize("n_outlets, sentence", [
    ([3, 3, 1, 1, 1], "The chart shows 2 facts, the most widely carried first: 1 carried by two or more outlets, 1 by one outlet only."),
    ([1], "The chart shows 1 fact, the most widely carried first: 0 carried by two or more outlets, 1 by one outlet only."),
    ([], "No fact to chart."),
])
def test_the_coverage_chart_says_how_many_of_its_facts_are_shared(n_outlets, sentence):
    from helpers.compare.facts import charted_facts_sentence

    ids = {3: "F1", 1: "F2"}
    coverage = pd.DataFrame({"fact_id": [ids[n] for n in n_outlets], "n_outlets": n_outlets})
    assert charted_facts_sentence(coverage) == sentence


def test_the_coverage_chart_sentence_counts_the_close_sentence_cells():
    from helpers.compare.facts import charted_facts_sentence

    coverage = pd.DataFrame({"fact_id": ["F1", "F1", "F1", "F2", "F2"], "n_outlets": [2, 2, 2, 1, 1],
                             "status": ["verbatim", "paraphrase", "close sentence", "single", "close sentence"]})
    assert charted_facts_sentence(coverage) == (
        "The chart shows 2 facts, the most widely carried first: 1 carried by two or more outlets, 1 by one outlet "
        "only. In 2 cells of 2 of them (grey) an outlet the grouping leaves out has a sentence holding much of the "
        "fact: it may carry it in other words.")


@pytest.mark.parametrize("a, b, disagree", [
    ("1.27 percent of", "1.3 percent of", False),    # the same rate, rounded
    ("1.27 percent of", "1.4 percent of", True),
    ("1,960,000", "2 million", False),                # a round figure of the same count
    ("1,960,000", "3 million", True),
    ("12", "14", True),
])
def test_a_value_that_is_the_others_rounded_is_no_disagreement(a, b, disagree):
    sents, arts = _one_sentence_articles({
        "x": f"The storm destroyed {a} homes in Vell on Monday, the port authority said.",
        "y": f"The storm destroyed {b} homes in Vell on Monday, the port authority said.",
    })
    conflicts = quantity_conflicts(group_facts(sents, arts, threshold=0.2), arts)
    assert (not conflicts.empty) is disagree


def test_a_bare_count_takes_the_noun_its_predicate_counts_only_in_a_story(monkeypatch):
    from helpers.compare import quantities

    sents, arts = _one_sentence_articles({
        "a": "Twelve people were injured when a crane collapsed at the Vell shipyard on Monday.",
        "b": "Ten were injured on Monday at the Vell shipyard.",
    })
    facts = group_facts(sents, arts, threshold=0.99)
    assert set(quantity_conflicts(facts, arts)["article_id"]) == {"a", "b"}
    monkeypatch.setattr(quantities, "FILL_NOUN_MAX_ARTICLES", 1)  # the event is now a topic
    assert quantity_conflicts(facts, arts).empty
