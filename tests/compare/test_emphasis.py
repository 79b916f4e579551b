"""Tests for helpers.compare.emphasis: prominence formula, leaders, leads/buries, tone."""

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from helpers.compare import emphasis


def sentences_table(article_id, texts, headline=True):
    n = len(texts)
    return pd.DataFrame([{"article_id": article_id, "sent_id": i, "text": t, "position": i / (n - 1) if n > 1 else 0.0,
                          "in_headline": headline and i == 0, "in_lead": (i == 1) if headline else (i == 0),
                          "in_embed": False} for i, t in enumerate(texts)])


def ent(article_id, sent_id, start, text, canonical, label="PERSON"):
    return {"article_id": article_id, "sent_id": sent_id, "start": start, "end": start + len(text), "text": text,
            "label": label, "canonical": canonical}


# Hand example: 4 sentences of 5, 10, 10, 5 words (W = 30), positions 0, 1/3, 2/3, 1.
TEXTS = ["Alpha meets Beta in talks",                                   # headline, 5 words
         "Gamma said the talks went well and were very productive",      # lead, 10 words
         "Alpha later added that nothing was agreed on the border",      # 10 words
         "Beta did not comment today"]                                   # 5 words


@pytest.fixture
def tables():
    s = sentences_table("a", TEXTS)
    e = pd.DataFrame([ent("a", 0, 0, "Alpha", "Alpha"), ent("a", 0, 12, "Beta", "Beta"), ent("a", 1, 0, "Gamma", "Gamma"),
                      ent("a", 2, 0, "Alpha", "Alpha"), ent("a", 3, 0, "Beta", "Beta")])
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"]})
    return arts, s, e


def test_prominence_by_hand(tables):
    arts, s, e = tables
    em = emphasis.emphasis(arts, s, e).set_index("aspect")
    assert list(emphasis.emphasis(arts, s, e).columns) == emphasis.EMPHASIS_COLUMNS
    # Alpha: headline (5/30 words, pos 0) + sentence 2 (10/30 words, pos 2/3)
    #   = 1.0·1 + 0.5·0 + (5/30)(1.5 − 0) + (10/30)(1.5 − 2/3) = 1 + 0.25 + 0.27778 = 1.52778
    a = em.loc["Alpha"]
    assert bool(a.in_headline) and not bool(a.in_lead) and a.first_position == 0
    assert a.word_share == pytest.approx(15 / 30)
    assert a.prominence == pytest.approx(1 + 5 / 30 * 1.5 + 10 / 30 * (1.5 - 2 / 3))
    # Gamma: lead only: 0.5 + (10/30)(1.5 − 1/3) = 0.5 + 0.38889
    g = em.loc["Gamma"]
    assert bool(g.in_lead) and not bool(g.in_headline) and g.first_position == pytest.approx(1 / 3)
    assert g.prominence == pytest.approx(0.5 + 10 / 30 * (1.5 - 1 / 3))
    # Beta: headline + last sentence (5/30 words at position 1 → weight 0.5)
    b = em.loc["Beta"]
    assert b.prominence == pytest.approx(1 + 5 / 30 * 1.5 + 5 / 30 * 0.5)
    assert b.n_sentences == 2


def test_frames_and_facts_are_aspects(tables):
    arts, s, e = tables
    frames = pd.DataFrame({"article_id": ["a", "a"], "sent_id": [2, 3], "frame": ["security", "security"]})
    facts = pd.DataFrame({"article_id": ["a"], "sent_id": [1], "fact": ["talks went well"]})
    em = emphasis.emphasis(arts, s, None, frames=frames, facts=facts)
    assert set(em.aspect_kind) == {"frame", "fact"}
    sec = em[em.aspect == "security"].iloc[0]
    assert sec.first_position == pytest.approx(2 / 3) and sec.word_share == pytest.approx(15 / 30)
    assert sec.prominence == pytest.approx(10 / 30 * (1.5 - 2 / 3) + 5 / 30 * 0.5)
    with pytest.raises(ValueError):
        emphasis.emphasis(arts, s, None, facts=pd.DataFrame({"article_id": ["a"], "sent_id": [0]}))


def test_story_leaders(tables):
    arts, s, e = tables
    lead = emphasis.story_leaders(arts, s, e)
    assert list(lead.columns) == emphasis.LEADER_COLUMNS
    assert lead[lead["where"] == "headline"].actor.tolist() == ["Alpha", "Beta"]
    assert lead[lead["where"] == "lead"].actor.tolist() == ["Gamma"]
    assert emphasis.story_leaders(arts, s, e, top=1)[lambda d: d["where"] == "headline"].actor.tolist() == ["Alpha"]


def test_leads_and_buries():
    # outlet X leads with Alpha and mentions Beta only at the end; outlet Y leads with Beta.
    sx = sentences_table("x", ["Alpha wins", "Alpha spoke at length today", "filler words here", "Beta was there"])
    sy = sentences_table("y", ["Beta wins", "Beta spoke at length today", "filler words here", "Alpha was there"])
    e = pd.DataFrame([ent("x", 0, 0, "Alpha", "Alpha"), ent("x", 1, 0, "Alpha", "Alpha"), ent("x", 3, 0, "Beta", "Beta"),
                      ent("y", 0, 0, "Beta", "Beta"), ent("y", 1, 0, "Beta", "Beta"), ent("y", 3, 0, "Alpha", "Alpha")])
    arts = pd.DataFrame({"article_id": ["x", "y"], "outlet": ["X", "Y"]})
    em = emphasis.emphasis(arts, pd.concat([sx, sy], ignore_index=True), e)
    lb = emphasis.outlet_leads_and_buries(em, arts, top=3)
    assert list(lb.columns) == emphasis.LEADS_COLUMNS
    got = {(r.outlet, r.role): r.aspect for r in lb.itertuples()}
    assert got == {("X", "leads"): "Alpha", ("X", "buries"): "Beta", ("Y", "leads"): "Beta", ("Y", "buries"): "Alpha"}
    bx = lb[(lb.outlet == "X") & (lb.role == "buries")].iloc[0]
    assert bx.others_prominence > bx.prominence and bx.first_position == 1.0


def test_tone_with_sentences_behind(tables):
    arts, _, _ = tables
    s = sentences_table("a", ["Alpha is a wonderful, brilliant leader.", "Alpha was blamed for the terrible disaster.",
                              "Beta is great and happy."], headline=False)
    e = pd.DataFrame([ent("a", 0, 0, "Alpha", "Alpha"), ent("a", 1, 0, "Alpha", "Alpha"), ent("a", 2, 0, "Beta", "Beta")])
    ts = emphasis.tone_sentences(s, e, arts)
    assert list(ts.columns) == emphasis.TONE_SENT_COLUMNS
    assert ts.compound.iloc[0] > 0.5 and ts.compound.iloc[1] < -0.5
    t = emphasis.tone(s, e, arts).set_index("actor")
    assert list(emphasis.tone(s, e, arts).columns) == emphasis.TONE_COLUMNS
    assert t.loc["Alpha", "n_sentences"] == 2
    assert t.loc["Alpha", "mean"] == pytest.approx(ts[ts.actor == "Alpha"].compound.mean())
    assert t.loc["Beta", "mean"] > 0.5
    assert len(emphasis.tone(s, e, arts, min_sentences=2)) == 1
    assert emphasis.tone(s, e, arts, sentence_table=ts).equals(emphasis.tone(s, e, arts))


def test_empty_inputs(tables):
    arts, s, e = tables
    none = pd.DataFrame(columns=["article_id", "sent_id", "text"])
    noent = pd.DataFrame(columns=["article_id", "sent_id", "start", "end", "text", "label", "canonical"])
    assert emphasis.emphasis(arts, none, e).empty
    assert emphasis.emphasis(arts, s, noent).empty
    assert list(emphasis.emphasis(arts, s, noent).columns) == emphasis.EMPHASIS_COLUMNS
    assert emphasis.story_leaders(arts, s, noent).empty
    assert emphasis.outlet_leads_and_buries(emphasis.emphasis(arts, s, noent), arts).empty
    assert emphasis.tone(s, noent, arts).empty
    assert emphasis.tone_sentences(none, e, arts).empty


def test_prominence_by_outlet_counts_unmentioned_articles_as_zero():
    from helpers.compare.emphasis import prominence_by_outlet

    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"]})
    emph = pd.DataFrame({"article_id": ["a", "c", "c"], "aspect_kind": ["entity"] * 3,
                         "aspect": ["Kirby", "Kirby", "Austin"], "prominence": [1.0, 0.5, 2.0]})
    table = prominence_by_outlet(emph, articles, top=2)
    rows = {(r.outlet, r.aspect): (r.prominence, r.articles_mentioning, r.articles) for r in table.itertuples()}
    assert rows[("X", "Kirby")] == (0.5, 1, 2)   # (1.0 + 0) / 2 articles
    assert rows[("Y", "Austin")] == (2.0, 1, 1)
    assert rows[("X", "Austin")] == (0.0, 0, 2)
    assert prominence_by_outlet(emph.iloc[0:0], articles).empty


@pytest.mark.parametrize("given", ["none", "all", "some", "empty"])
def test_tone_sentences_read_scores_from_the_per_article_stage(tables, given):
    """Scores computed per article (helpers.annotate.tone) give the table scoring here gives;
    a sentence without a score is scored here; the scores are only read, never trusted for text."""
    from helpers.annotate import tone as sentence_tone_stage

    arts, _, _ = tables
    s = sentences_table("a", ["Alpha is a wonderful, brilliant leader.", "Alpha was blamed for the terrible disaster.",
                              "Beta is great and happy.", "The weather was calm.", "Alpha is a wonderful, brilliant leader."],
                        headline=False)
    e = pd.DataFrame([ent("a", 0, 0, "Alpha", "Alpha"), ent("a", 1, 0, "Alpha", "Alpha"), ent("a", 2, 0, "Beta", "Beta"),
                      ent("a", 3, 4, "weather", "weather", label="DATE"), ent("a", 4, 0, "Alpha", "Alpha")])
    scored = sentence_tone_stage.sentence_tone(s, e)
    assert list(scored.columns) == sentence_tone_stage.SENTENCE_TONE_COLUMNS
    assert scored["sent_id"].tolist() == [0, 1, 2, 4]  # the DATE-only sentence names no actor
    assert scored["compound"].iloc[0] == scored["compound"].iloc[3]  # the same text, the same score
    scores = {"none": None, "all": scored, "some": scored.iloc[[1, 3]], "empty": scored.iloc[0:0]}[given]
    expected = emphasis.tone_sentences(s, e, arts)
    pd.testing.assert_frame_equal(emphasis.tone_sentences(s, e, arts, scores=scores), expected, check_exact=True)


def test_sentence_tone_of_nothing():
    from helpers.annotate.tone import SENTENCE_TONE_COLUMNS, sentence_tone

    none = pd.DataFrame(columns=["article_id", "sent_id", "text"])
    assert list(sentence_tone(none, none.assign(label=[])).columns) == SENTENCE_TONE_COLUMNS
    s = sentences_table("a", ["Nobody here."], headline=False)
    assert sentence_tone(s, pd.DataFrame([ent("a", 0, 0, "here", "here", label="DATE")])).empty


def test_tone_sentences_use_the_scores_given(tables):
    arts, _, _ = tables
    s = sentences_table("a", ["Alpha is a wonderful, brilliant leader.", "Alpha was blamed for the terrible disaster."],
                        headline=False)
    e = pd.DataFrame([ent("a", 0, 0, "Alpha", "Alpha"), ent("a", 1, 0, "Alpha", "Alpha")])
    given = pd.DataFrame({"article_id": ["a"], "sent_id": [1], "compound": [0.25]})
    out = emphasis.tone_sentences(s, e, arts, scores=given).set_index("sent_id")["compound"]
    assert out[1] == 0.25 and out[0] == emphasis.tone_sentences(s, e, arts).set_index("sent_id")["compound"][0]


def _leaders_by_pandas(articles, sentences, entities, *, labels=("PERSON", "ORG", "NORP", "GPE"), top=3):
    """The leaders as a merge, sorts and a group-by give them (how story_leaders was written
    before it read the rows in plain Python): the oracle of the test below."""
    from helpers.compare.schema import LEADER_COLUMNS

    s = emphasis._sentence_frame(sentences)[["article_id", "sent_id", "in_headline", "in_lead"]]
    e = entities[entities["label"].isin(list(labels))]
    e = e.merge(s, on=["article_id", "sent_id"], how="inner")
    outlet = articles.drop_duplicates("article_id").set_index("article_id")["outlet"]
    rows = []
    for where in ("headline", "lead"):
        sub = e[e[f"in_{where}"]].copy()
        if not len(sub):
            continue
        sub["actor"] = sub["canonical"].fillna("").astype(str)
        sub.loc[sub["actor"].str.strip() == "", "actor"] = sub["text"]
        sub = sub.sort_values(["article_id", "sent_id", "start"]).drop_duplicates(["article_id", "actor"])
        sub["rank"] = sub.groupby("article_id").cumcount() + 1
        sub = sub[sub["rank"] <= top]
        rows.append(pd.DataFrame({"article_id": sub["article_id"], "where": where, "rank": sub["rank"],
                                  "actor": sub["actor"], "label": sub["label"], "text": sub["text"]}))
    if not rows:
        return emphasis._empty(LEADER_COLUMNS)
    out = pd.concat(rows, ignore_index=True)
    out["outlet"] = out["article_id"].map(outlet).fillna("")
    return out.sort_values(["article_id", "where", "rank"]).reset_index(drop=True)[LEADER_COLUMNS]


_NAMES = st.sampled_from(["Alpha", "Beta", "Gamma Ray", "Delta", " ", ""])


@settings(max_examples=150, deadline=None)
@given(sentence_rows=st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 3), st.booleans(), st.booleans()),
                              min_size=1, max_size=12),
       entity_rows=st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 3), st.integers(0, 5), _NAMES,
                                      st.one_of(st.none(), _NAMES), st.sampled_from(["PERSON", "ORG", "DATE", "GPE"])),
                            min_size=1, max_size=20),
       outlets=st.lists(st.one_of(st.none(), st.sampled_from(["Herald", "Post", ""])), min_size=3, max_size=3),
       top=st.integers(1, 3))
def test_story_leaders_equal_the_merge_sort_and_group_by_they_replace(sentence_rows, entity_rows, outlets, top):
    # duplicate sentence rows (the first one counts), entities of sentences or articles that are
    # not there, blank and missing canonical names, ties in position, labels that are not actors
    sentences = pd.DataFrame(sentence_rows, columns=["article_id", "sent_id", "in_headline", "in_lead"]).assign(
        text="Some words here.")
    entities = pd.DataFrame(entity_rows, columns=["article_id", "sent_id", "start", "text", "canonical", "label"])
    entities["text"] = entities["text"].replace({"": "Epsilon", " ": "Zeta"})
    articles = pd.DataFrame({"article_id": list("abc"), "outlet": pd.Series(outlets, dtype="str")})  # as loaded
    got = emphasis.story_leaders(articles, sentences, entities, top=top)
    expected = _leaders_by_pandas(articles, sentences, entities, top=top)
    if expected.empty:
        assert got.empty and list(got.columns) == list(expected.columns)
    else:
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


def _fact_emphasis(article_id, fact_id, prominence, *, headline=False, lead=False):
    return {"article_id": article_id, "aspect_kind": "fact", "aspect": fact_id, "in_headline": headline,
            "in_lead": lead, "first_position": 0.0 if headline or lead else 1.0, "word_share": 0.1,
            "prominence": prominence, "n_sentences": 1}


def test_a_fact_an_outlet_states_in_other_words_in_its_headline_is_not_buried():
    """The fact grouping put outlet X's late sentence in F1 but not its headline, which says the
    same in other words: read against the text, X does not bury F1. F2 is nowhere in X's opening."""
    em = pd.DataFrame([_fact_emphasis("x", "F1", 0.1), _fact_emphasis("y", "F1", 0.9, headline=True),
                       _fact_emphasis("x", "F2", 0.1), _fact_emphasis("y", "F2", 0.8, lead=True)])
    arts = pd.DataFrame({"article_id": ["x", "y"], "outlet": ["X", "Y"],
                         "text": ["Mayor pledges new bridge for the river district.\n\nCouncil members met on Tuesday "
                                  "night.\n\nEngineers found cracks in the pier.",
                                  "The mayor pledged a bridge.\n\nEngineers found cracks in the old pier."]})
    # F1: X's own late sentence shares little with its headline, Y's wording of the fact much
    facts = pd.DataFrame({"fact_id": ["F1", "F1", "F2", "F2"], "article_id": ["x", "y", "x", "y"],
                          "text": ["Late on Tuesday night the council's chair confirmed the plan and its funding.",
                                   "The mayor pledged a new bridge for the district.",
                                   "Engineers found cracks in the old pier supports last winter, inspectors said.",
                                   "Engineers found cracks in the old pier."]})
    asked = []

    def fact_rows(ids):
        asked.append(sorted(ids))
        return facts[facts["fact_id"].isin(ids)]

    def buried(table, outlet):
        return table[(table["outlet"] == outlet) & (table["role"] == "buries")]["aspect"].tolist()

    assert buried(emphasis.outlet_leads_and_buries(em, arts), "X") == ["F1", "F2"]  # by the grouping alone
    checked = emphasis.outlet_leads_and_buries(em, arts, fact_rows=fact_rows)
    assert buried(checked, "X") == ["F2"]
    assert asked == [["F1", "F2"]]  # every candidate's rows asked for once
    # a fact sentence of fewer than three content words is not compared (too little to recognise)
    short = emphasis.outlet_leads_and_buries(em, arts, fact_rows=lambda ids: facts.assign(text="Mayor bridge."))
    assert buried(short, "X") == ["F1", "F2"]
    # X's own wording alone is not enough: only Y's says what X's headline says
    own = emphasis.outlet_leads_and_buries(em, arts, fact_rows=lambda ids: facts[facts["article_id"] == "x"])
    assert buried(own, "X") == ["F1", "F2"]


@pytest.mark.parametrize("title, url, buried", [
    ("", "", ["Beta"]),
    ("", "https://x.example/news/2030/03/beta-rallies-voters-in-the-valley-1234", []),  # the URL's words stand in
    ("Beta rallies voters", "", []),                                                   # a title the text lacks
    ("", "https://x.example/news/alpha-rallies-voters-in-the-valley", ["Beta"]),
])
def test_a_headline_the_text_lacks_counts_as_the_outlets_headline(title, url, buried):
    """The front page shows an article's title, or its URL's words, when its text holds no
    headline: an actor that headline names is not said to be buried."""
    sx = sentences_table("x", ["Alpha wins", "Alpha spoke at length today", "filler words here", "Beta was there"])
    sy = sentences_table("y", ["Beta wins", "Beta spoke at length today", "filler words here", "Alpha was there"])
    e = pd.DataFrame([ent("x", 0, 0, "Alpha", "Alpha"), ent("x", 1, 0, "Alpha", "Alpha"), ent("x", 3, 0, "Beta", "Beta"),
                      ent("y", 0, 0, "Beta", "Beta"), ent("y", 1, 0, "Beta", "Beta"), ent("y", 3, 0, "Alpha", "Alpha")])
    arts = pd.DataFrame({"article_id": ["x", "y"], "outlet": ["X", "Y"], "title": [title, ""], "url": [url, ""],
                         "body_start": 0, "text": ["Alpha spoke at length today.\n\nFiller words here.\n\nBeta was there.",
                                                   "Beta spoke at length today.\n\nFiller words here."]})
    em = emphasis.emphasis(arts, pd.concat([sx, sy], ignore_index=True), e)
    lb = emphasis.outlet_leads_and_buries(em, arts, top=3)
    assert lb[(lb.outlet == "X") & (lb.role == "buries")]["aspect"].tolist() == buried


@pytest.mark.parametrize("x_sentences, buried", [
    # X names Beta in its third sentence, Z in its last of five: X gives it twice Z's prominence
    (["Alpha wins", "Alpha spoke at length today", "Beta was there", "filler words here"], {"Z"}),
    # X names it last of four, Z last of five: about the same place — neither buries it (the
    # other's prominence is not half as much again as its own)
    (["Alpha wins", "Alpha spoke at length today", "filler words here", "Beta was there"], set()),
])
def test_an_aspect_is_buried_only_when_the_others_give_it_clearly_more_prominence(x_sentences, buried):
    z_sentences = ["Alpha wins", "Alpha spoke at length today", "filler words here", "more filler words", "Beta was there"]
    sx, sz = sentences_table("x", x_sentences), sentences_table("z", z_sentences)
    e = pd.DataFrame([ent("x", 0, 0, "Alpha", "Alpha"), ent("x", x_sentences.index("Beta was there"), 0, "Beta", "Beta"),
                      ent("z", 0, 0, "Alpha", "Alpha"), ent("z", 4, 0, "Beta", "Beta")])
    arts = pd.DataFrame({"article_id": ["x", "z"], "outlet": ["X", "Z"]})
    em = emphasis.emphasis(arts, pd.concat([sx, sz], ignore_index=True), e)
    rows = emphasis.outlet_leads_and_buries(em, arts, top=3).query("role == 'buries' and aspect == 'Beta'")
    assert set(rows.outlet) == buried
    assert (rows.others_prominence >= emphasis.BURY_MIN_RATIO * rows.prominence).all()


def test_a_nationality_counts_as_its_country():
    s = sentences_table("x", ["German officials met Ana Ruiz", "Germany sent aid", "The Kurdish delegation left"])
    e = pd.DataFrame([ent("x", 0, 0, "German", "German", "NORP"), ent("x", 1, 0, "Germany", "Germany", "GPE"),
                      ent("x", 2, 4, "Kurdish", "Kurdish", "NORP")])
    arts = pd.DataFrame({"article_id": ["x"], "outlet": ["X"]})
    em = emphasis.emphasis(arts, s, e)
    entities = em[em.aspect_kind == "entity"].set_index("aspect")
    # one actor, first named in the headline; a nationality naming no country stays itself
    assert set(entities.index) == {"Germany", "Kurdish"} and entities.loc["Germany", "in_headline"]


@pytest.mark.parametrize("body_start, title, url, in_headline", [
    (0, "Ana Ruiz wins the harbour vote", "", {"Ana Ruiz"}),            # no headline in the text: its title
    (0, "", "https://example.org/2030/03/ana-ruiz-wins-harbour-vote", {"Ana Ruiz"}),  # else its URL's words
    (0, "Harbour vote counted", "", set()),                             # a title naming no one
    (12, "Ana Ruiz wins the harbour vote", "", set()),                   # a headline in the text: that one
])
def test_an_article_without_a_headline_in_its_text_is_read_with_its_title_or_url(body_start, title, url, in_headline):
    s = sentences_table("x", ["The vote was counted on Friday", "Ana Ruiz won it", "Tom Lee conceded"], headline=False)
    e = pd.DataFrame([ent("x", 1, 0, "Ana Ruiz", "Ana Ruiz"), ent("x", 2, 0, "Tom Lee", "Tom Lee")])
    arts = pd.DataFrame({"article_id": ["x"], "outlet": ["X"], "body_start": [body_start], "title": [title],
                         "url": [url]})
    em = emphasis.emphasis(arts, s, e).set_index("aspect")
    assert set(em.index[em["in_headline"]]) == in_headline
    assert em.loc["Ana Ruiz", "prominence"] > em.loc["Tom Lee", "prominence"] + (0.9 if in_headline else 0)


@pytest.mark.parametrize("x_beta_sentences, buried", [
    # X names Beta only in its last sentence, briefly: the other gives it the lead — buried
    (["Beta was there"], {"X"}),
    # X names Beta late but says much more about Beta than Z does: late, not buried
    (["Beta was there", "Beta spoke for an hour about the harbour plan and the budget",
      "Beta then took questions from the crowd for another hour"], set()),
])
def test_an_outlet_that_gives_an_actor_more_space_late_does_not_bury_it(x_beta_sentences, buried):
    x_sentences = ["Alpha wins", "Alpha spoke at length today", "filler words here", "more filler words",
                   *x_beta_sentences]
    z_sentences = ["Alpha and Beta win", "Alpha spoke at length today", "filler words here", "more filler words"]
    sx, sz = sentences_table("x", x_sentences), sentences_table("z", z_sentences)
    e = pd.DataFrame([ent("x", 0, 0, "Alpha", "Alpha"), ent("z", 0, 0, "Alpha", "Alpha"), ent("z", 0, 10, "Beta", "Beta"),
                      *(ent("x", 4 + i, 0, "Beta", "Beta") for i in range(len(x_beta_sentences)))])
    arts = pd.DataFrame({"article_id": ["x", "z"], "outlet": ["X", "Z"]})
    em = emphasis.emphasis(arts, pd.concat([sx, sz], ignore_index=True), e)
    rows = emphasis.outlet_leads_and_buries(em, arts, top=3).query("role == 'buries' and aspect == 'Beta'")
    assert set(rows.outlet) == buried


@pytest.mark.parametrize("headline, named", [
    ("Aus-NZ relations warm after the harbour talks", True),   # a clipped form in a hyphenated pair
    ("Australia and NZ warm after the harbour talks", True),
    ("Au-pair rules change after the harbour talks", False),   # two letters, lower case: no place
    ("Austrian-NZ relations warm after the harbour talks", False),  # "Austrian" does not begin "Australia"
])
def test_a_country_clipped_in_a_hyphenated_pair_is_named(headline, named):
    assert emphasis._named_in("Australia", headline) is named
