"""Tests for helpers.quotes: one per quote layout, edge cases, and a property test."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.annotate.nlp import load_model
from helpers.quotes import (QUOTE_COLUMNS, SOURCE_COLUMNS, VARIANT_COLUMNS, canonical_speaker, classify_source,
                            extract_quotes, extract_sources, quote_variants, strip_titles)


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def frames(*texts: str, outlets: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"a{i}" for i in range(len(texts))]
    arts = pd.DataFrame({"article_id": ids, "text": list(texts),
                         "outlet": list(outlets) if outlets else [""] * len(texts)})
    return arts, pd.DataFrame(columns=["article_id", "sent_id", "start", "end"])


def run(text: str, nlp, **kw) -> pd.DataFrame:
    arts, sents = frames(text)
    q = extract_quotes(arts, sents, nlp=nlp, **kw)
    check_offsets(q, arts, beliefs=kw.get("beliefs", False))
    return q


def check_offsets(q: pd.DataFrame, arts: pd.DataFrame, beliefs: bool = False) -> None:
    assert list(q.columns) == QUOTE_COLUMNS
    texts = dict(zip(arts["article_id"], arts["text"]))
    for r in q.itertuples():
        text = texts[r.article_id]
        assert 0 <= r.start <= r.end <= len(text)
        assert r.quote == text[r.start:r.end]
        assert r.kind in {"direct", "indirect", "according_to"} | ({"belief"} if beliefs else set())
        if r.speaker_start >= 0:
            assert r.speaker_start <= r.speaker_end <= len(text)
            assert text[r.speaker_start:r.speaker_end] == r.speaker


def only(q: pd.DataFrame, contains: str) -> pd.Series:
    rows = q[q["quote"].str.contains(contains, regex=False)]
    assert len(rows) == 1, q[["quote", "speaker"]]
    return rows.iloc[0]


def test_mixed_curly_and_straight_marks(nlp):
    q = run('“We will stay the course in the region," Kirby said on Monday.', nlp)
    r = only(q, "stay the course")
    assert r.quote == "We will stay the course in the region"
    assert (r.kind, r.speaker, r.cue) == ("direct", "Kirby", "said")


def test_odd_number_of_quote_marks(nlp):
    text = 'Kirby said: “We will not abandon our partners in the region.\n\nThe talks ended on Friday.'
    q = run(text, nlp)
    r = only(q, "We will not abandon")
    assert r.kind == "direct" and r.speaker == "Kirby"
    assert "talks ended" not in r.quote  # an unclosed quote stops at its paragraph


def test_dash_name_after_quote(nlp):
    q = run("“The talks were productive and frank.” – Moeed Yusuf", nlp)
    r = only(q, "talks were productive")
    assert r.speaker == "Moeed Yusuf" and r.speaker_canonical == "Moeed Yusuf"


@pytest.mark.parametrize("text", [
    "”The talks were productive and frank, and we will meet again.” ― Ann Lee",   # a closing mark typed to open
    "“The talks were productive and frank, and we will meet again.”― Ann Lee",    # no space before the dash
])
def test_dash_name_is_the_speaker_and_not_part_of_the_quote(nlp, text):
    r = only(run(text, nlp), "talks were productive")
    assert r.quote == "The talks were productive and frank, and we will meet again."
    assert (r.kind, r.speaker) == ("direct", "Ann Lee")


def test_closing_mark_opens_only_when_no_quotation_is_open():
    from helpers.quotes.marks import _find_quote_spans
    text = "He wrote ”never again” in the margin, and “the end” below."
    assert [text[s.start:s.end] for s in _find_quote_spans(text)] == ["never again", "the end"]
    text = "“We will come back next year,” she said. ”Ready or not.”"
    assert [text[s.start:s.end] for s in _find_quote_spans(text)] == ["We will come back next year",
                                                                       "Ready or not."]


def test_quoted_transcript_paragraphs_take_their_label_as_speaker(nlp):
    text = ('Partial transcript as follows:\n\n"HOST: Let us start with the news on the budget vote today.\n\n'
            '"MAYOR: Well, look, this is serious business for the whole city.\n\n'
            '"Note: the rest of the interview was about the weather all week.')
    q = run(text, nlp)
    r = only(q, "start with the news")
    assert (r.quote, r.kind, r.speaker, r.cue) == ("Let us start with the news on the budget vote today.",
                                                  "direct", "HOST", ":")
    assert only(q, "serious business").speaker == "MAYOR"
    assert not (q["speaker"] == "Note").any()  # a mixed-case label is no speaker


@pytest.mark.parametrize("intro, speaker, cue", [
    ("The mayor answered at length. She said:", "She", "said"),
    ("The Valley Gazette reports:", "The Valley Gazette", "reports"),
])
def test_block_quotation_takes_the_speaker_of_the_sentence_introducing_it(nlp, intro, speaker, cue):
    text = f'{intro}\n\n"We have a situation in our city that is dangerous. We have to stop it now."\n\nThe crowd cheered.'
    r = only(run(text, nlp), "We have a situation")
    assert (r.kind, r.speaker, r.cue) == ("direct", speaker, cue)


def test_a_colon_with_no_reporting_verb_introduces_no_speaker(nlp):
    text = ('The list of demands was long. Here are the items:\n\n'
            '"Fix the roads, open the library, and build the new school before the winter comes."')
    q = run(text, nlp)
    assert not (q["speaker"] != "").any()


def test_quote_inside_quote(nlp):
    q = run("“He told me ‘never again’ and I believed every word of it,” Austin said.", nlp)
    assert len(q) == 1
    r = q.iloc[0]
    assert "‘never again’" in r.quote and r.speaker == "Austin" and r.kind == "direct"


def test_multi_sentence_quote(nlp):
    q = run("“We discussed the situation in detail. We agreed to talk again soon,” Kirby said.", nlp)
    assert len(q) == 1
    assert q.iloc[0].quote == "We discussed the situation in detail. We agreed to talk again soon"
    assert q.iloc[0].speaker == "Kirby"


def test_floating_quote_inherits_speaker(nlp):
    text = ("“We discussed the situation at length,” said Pentagon spokesman John Kirby. "
            "“We will talk again next week and expect progress.”")
    q = run(text, nlp)
    r = only(q, "talk again next week")
    assert r.speaker_canonical == "John Kirby"
    assert r.speaker_start >= 0 and "Kirby" in r.speaker


def test_pronoun_and_last_name_speaker(nlp):
    text = ("Pentagon Press Secretary John Kirby said the call with Pakistan was productive. "
            "Kirby said the two sides discussed regional security. "
            "He said the US was deeply concerned about the trend.")
    q = run(text, nlp)
    assert len(q) == 3
    assert set(q["speaker_canonical"]) == {"John Kirby"}
    assert list(q["speaker"]) == ["Pentagon Press Secretary John Kirby", "Kirby", "He"]
    assert set(q["kind"]) == {"indirect"}
    assert only(q, "deeply concerned").quote == "the US was deeply concerned about the trend"


def test_according_to(nlp):
    q = run("According to AP, residents also reported heavy airstrikes in the city.", nlp)
    r = only(q, "airstrikes")
    assert (r.kind, r.speaker, r.cue) == ("according_to", "AP", "according to")
    assert r.quote == "residents also reported heavy airstrikes in the city"


def test_reporting_clause_after_content(nlp):
    q = run("The two leaders discussed the security situation in Afghanistan, ARY NEWS reported.", nlp)
    r = only(q, "security situation")
    assert r.speaker == "ARY NEWS" and r.speaker_canonical == "ARY News" and r.kind == "indirect"


def test_embedded_post_is_a_quote_of_its_author(nlp):
    text = ("Austin also posted about the call.\n\nEarlier today, I spoke with General Bajwa about regional "
            "stability. pic.twitter.com/abc123 — Secretary of Defense Lloyd J. Austin III (@SecDef) August 9, 2021")
    q = run(text, nlp)
    r = only(q, "I spoke with General Bajwa")
    assert r.cue == "posted" and r.speaker_canonical == "Lloyd Austin" and r.kind == "direct"
    assert "pic.twitter" not in r.quote


def test_embeds_table_is_used_when_given(nlp):
    text = "Intro sentence here.\n\nWe stand with our partners today. — Jane Doe (@jdoe) May 1, 2021"
    start = text.index("We stand")
    embeds = pd.DataFrame([{"article_id": "a0", "start": start, "end": len(text), "kind": "tweet",
                            "platform": "twitter", "author": "Jane Doe", "handle": "@jdoe", "posted": "2021-05-01",
                            "text": "We stand with our partners today."}])
    q = run(text, nlp, embeds=embeds)
    r = only(q, "We stand")
    assert r.quote == "We stand with our partners today." and r.speaker_canonical == "Jane Doe"


def test_empty_articles(nlp):
    arts, sents = frames("", "   \n\n ")
    q = extract_quotes(arts, sents, nlp=nlp)
    assert q.empty and list(q.columns) == QUOTE_COLUMNS
    q = extract_quotes(arts.iloc[0:0], sents, nlp=nlp)
    assert q.empty and list(q.columns) == QUOTE_COLUMNS
    assert list(extract_sources(q, arts).columns) == SOURCE_COLUMNS
    assert list(quote_variants(q, arts).columns) == VARIANT_COLUMNS


def test_hostile_text(nlp):
    text = ('"""“”“”‘’’’\'\'" ,” said said said. “' + "x" * 3000 + ' ” — (@) ' + "\x00\x07\u202e🙂 " * 20
            + "\n\n“ ” “ — \n according to , according to\n")
    q = run(text, nlp)
    assert isinstance(q, pd.DataFrame)


def test_uses_given_sentences_and_entities(nlp):
    text = "Pakistan's National Security Adviser Dr Moeed Yusuf said the two countries must work more closely."
    arts = pd.DataFrame({"article_id": ["x"], "text": [text]})
    sents = pd.DataFrame({"article_id": ["x"], "sent_id": [0], "start": [0], "end": [len(text)]})
    s = text.index("Moeed")
    ents = pd.DataFrame({"article_id": ["x"], "sent_id": [0], "start": [s], "end": [s + len("Moeed Yusuf")],
                         "text": ["Moeed Yusuf"], "label": ["PERSON"], "canonical": ["Moeed Yusuf"]})
    q = extract_quotes(arts, sents, entities=ents, nlp=nlp)
    check_offsets(q, arts)
    assert q.iloc[0].speaker_canonical == "Moeed Yusuf" and q.iloc[0].quote_id == "x:q0"


def test_canonical_speaker_and_titles():
    assert strip_titles("Pentagon Press Secretary John Kirby") == "John Kirby"
    assert strip_titles("Secretary of Defense Lloyd J. Austin III") == "Lloyd Austin"
    assert strip_titles("Dr Moeed Yusuf") == "Moeed Yusuf"
    assert canonical_speaker(["Pentagon Press Secretary John Kirby", "Kirby", "he", "the Pentagon spokesperson"]
                             ) == ["John Kirby"] * 3 + ["Pentagon spokesperson"]
    assert canonical_speaker(["Pentagon Spokesperson John Kirby", "the Pentagon spokesperson"])[1] == "John Kirby"
    assert canonical_speaker(["the State Department", "ARY NEWS"]) == ["State Department", "ARY News"]
    assert canonical_speaker(["she"]) == [""]
    assert classify_source("Al Jazeera") == "outlet"
    assert classify_source("the State Department") == "organisation"
    assert classify_source("a readout of the call") == "official statement"


def test_sources_kinds(nlp):
    arts, sents = frames(
        "According to AP, residents reported airstrikes in the city. "
        "Qatar talks will resume soon, the State Department said on Monday. "
        "A press release issued by the Pentagon said that the two sides discussed security.",
        "Al Jazeera reported citing Qader Malia that the forces had retreated to the airport.")
    q = extract_quotes(arts, sents, nlp=nlp)
    src = extract_sources(q, arts)
    got = {(r.article_id, r.source): r.source_kind for r in src.itertuples()}
    assert got[("a0", "AP")] == "outlet"
    assert got[("a0", "State Department")] == "organisation"
    assert got[("a0", "Pentagon release")] == "official statement"
    assert got[("a1", "Al Jazeera")] == "outlet"
    assert got[("a1", "Qader Malia")] == "person"


def test_quote_variants_flags_wording_and_speaker(nlp):
    quote = "the two sides discussed the ongoing situation in Afghanistan and regional security"
    q = pd.DataFrame([
        {"quote_id": "a:q0", "article_id": "a", "quote": quote, "kind": "direct", "speaker_canonical": "John Kirby"},
        {"quote_id": "b:q0", "article_id": "b", "quote": quote.replace("ongoing", "current"), "kind": "direct",
         "speaker_canonical": "John Kirby"},
        {"quote_id": "c:q0", "article_id": "c", "quote": quote, "kind": "indirect", "speaker_canonical": "Lloyd Austin"},
        {"quote_id": "c:q1", "article_id": "c", "quote": "something else entirely different was said here",
         "kind": "direct", "speaker_canonical": "X"},
    ])
    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["A", "B", "C"], "text": ["", "", ""]})
    v = quote_variants(q, arts)
    assert set(v["quote_id"]) == {"a:q0", "b:q0", "c:q0"} and v["variant_group"].nunique() == 1
    row = v.set_index("quote_id")
    assert row.loc["b:q0", "wording_differs"] and "-ongoing" in row.loc["b:q0", "wording_diff"]
    assert not row.loc["a:q0", "wording_differs"]
    assert row.loc["c:q0", "speaker_differs"] and not row.loc["a:q0", "speaker_differs"]
    assert row.loc["b:q0", "outlet"] == "B" and (v["n_articles"] == 3).all()


@pytest.mark.parametrize("described, differs", [
    ("Ministry of Health spokeswoman Ana Ruiz", False),     # she speaks for the ministry: one source
    ("the ministry of health's press secretary, Ana Ruiz", False),
    ("Ana Ruiz, a critic of the Ministry of Health", True),  # names it, holds no press role for it
    ("spokeswoman Ana Ruiz", True),                          # a press role, but for no one named
])
def test_a_spokesperson_and_the_body_they_speak_for_are_one_speaker(described, differs):
    quote = "the clinic will stay open through the winter and hire four more nurses"
    q = pd.DataFrame([
        {"quote_id": "a:q0", "article_id": "a", "quote": quote, "kind": "direct", "speaker": "the Ministry of Health",
         "speaker_canonical": "Ministry of Health"},
        {"quote_id": "b:q0", "article_id": "b", "quote": quote, "kind": "direct", "speaker": "the ministry",
         "speaker_canonical": "Ministry of Health"},
        {"quote_id": "c:q0", "article_id": "c", "quote": quote, "kind": "direct", "speaker": "Ruiz",
         "speaker_canonical": "Ana Ruiz"},
        # the description that names her role, elsewhere in the event
        {"quote_id": "d:q1", "article_id": "d", "quote": "we have no further comment on the budget at this time",
         "kind": "direct", "speaker": described, "speaker_canonical": "Ana Ruiz"},
    ])
    arts = pd.DataFrame({"article_id": list("abcd"), "outlet": list("ABCD"), "text": [""] * 4})
    row = quote_variants(q, arts).set_index("quote_id")
    assert bool(row.loc["c:q0", "speaker_differs"]) is differs
    assert not row.loc["a:q0", "speaker_differs"] and not row.loc["b:q0", "speaker_differs"]


def _variant_rows(*articles: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quotes at the given spans (article text, quoted part) and their articles, outlets A, B, …."""
    rows = []
    for i, (text, part) in enumerate(articles):
        start = text.index(part)
        rows.append({"quote_id": f"a{i}:q0", "article_id": f"a{i}", "quote": part, "kind": "indirect",
                     "speaker_canonical": "Ana Ruiz", "start": start, "end": start + len(part)})
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(articles))],
                         "outlet": [chr(65 + i) for i in range(len(articles))], "text": [t for t, _ in articles]})
    return pd.DataFrame(rows), arts


@pytest.mark.parametrize("third, diff", [
    # the span cut short of what the others quote: the words printed around it are the outlet's
    # wording, not words it dropped; what it words otherwise still differs
    ("Mayor Ana Ruiz and Chief Tom Lee also discussed the flood defences and the harbour budget more broadly.",
     "+ana; +tom; +also"),
    # words of its own next to the span: nothing is pulled in, and what it left out is said
    ("On the radio, the flood defences and the harbour budget more broadly were the topic.",
     "-mayor ruiz and chief lee discussed"),
])
def test_quote_variants_compare_the_words_printed_around_a_span_cut_short(third, diff):
    quoted = "mayor Ruiz and chief Lee discussed the flood defences and the harbour budget more broadly"
    q, arts = _variant_rows((f"'{quoted.capitalize()},' Kim Ode said.", quoted.capitalize()),
                            (f"'{quoted.capitalize()},' the council said.", quoted.capitalize()),
                            (third, "the flood defences and the harbour budget"))
    row = quote_variants(q, arts).set_index("quote_id").loc["a2:q0"]
    assert row["wording_diff"] == diff


def test_quote_variants_without_offsets_compare_the_spans():
    q, arts = _variant_rows(("Ruiz said the flood defences and the harbour budget were discussed.",
                             "the flood defences and the harbour budget were discussed"),
                            ("Lee said the flood defences and the harbour budget came first.",
                             "the flood defences and the harbour budget"))
    row = quote_variants(q.drop(columns=["start", "end"]), arts).set_index("quote_id").loc["a1:q0"]
    assert row["wording_diff"] == "-were discussed"


_ALPHABET = st.sampled_from(list("ab Kirby said“”\"‘’'.,:;–—\n(@)") + ["according to ", " said ", " he ", "pic.twitter.com/x "])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_property_never_raises_and_offsets_inside(nlp, text):
    q = run(text, nlp)
    extract_sources(q, frames(text)[0])


# ------------------------------------------------------------------ classes of PolNeAR misses (train split)


def test_two_apostrophes_as_quote_marks(nlp):
    q = run("''We will win this state,'' Mr. Smith said on Monday. He left at noon.", nlp)
    r = only(q, "win this state")
    assert r.quote == "We will win this state"
    assert (r.kind, r.speaker, r.cue) == ("direct", "Mr. Smith", "said")


def test_participle_inherits_subject(nlp):
    q = run("Trump spoke in Ohio on Monday, saying that the plan would create jobs for workers.", nlp)
    r = only(q, "the plan would create jobs")
    assert (r.kind, r.speaker, r.cue) == ("indirect", "Trump", "saying")


def test_relative_clause_speaker(nlp):
    q = run("Paul Ryan, who said the party must unite behind its nominee, met Trump on Thursday.", nlp)
    r = only(q, "the party must unite")
    assert r.speaker == "Paul Ryan" and r.kind == "indirect"


def test_speech_act_objects_and_infinitives(nlp):
    q = run("Graham called both Trump and Hillary Clinton “crazy” on Sunday. Trump called for a special prosecutor to investigate the "
            "emails. The senator urged Congress to pass the bill before the recess.", nlp)
    assert only(q, "Hillary Clinton “crazy")["speaker"] == "Graham"
    assert only(q, "a special prosecutor")[["speaker", "cue"]].tolist() == ["Trump", "called"]
    r = only(q, "pass the bill")
    assert r.quote.startswith("Congress to pass") and r.speaker == "The senator"


def test_content_runs_to_sentence_end(nlp):
    q = run("Kirby said the talks were useful, although no agreement was reached on the border.", nlp)
    r = only(q, "the talks were useful")
    assert r.quote == "the talks were useful, although no agreement was reached on the border"


def test_beliefs_only_when_asked(nlp):
    text = "Trump believes the election is rigged against him. I think the rally was loud."
    assert not run(text, nlp)["quote"].str.contains("rigged").any()
    q = run(text, nlp, beliefs=True)
    r = only(q, "the election is rigged")
    assert (r.kind, r.speaker, r.cue) == ("belief", "Trump", "believes")
    assert not q["quote"].str.contains("rally").any()  # first-person asides are not attributions


def test_colon_lines_transcripts_and_headlines(nlp):
    q = run("Warren: Trump Is a Proven Failure in Business\n\nTAPPER: Do you think he can win the election?\n\n"
            "Note: this article was updated on Monday.", nlp)
    r = only(q, "Proven Failure")
    assert (r.kind, r.speaker, r.cue) == ("indirect", "Warren", ":")
    r = only(q, "Do you think")
    assert (r.kind, r.speaker) == ("direct", "TAPPER")
    assert not q["quote"].str.contains("updated").any()


@pytest.mark.parametrize("surface, kwargs, kind", [
    ("Al Jazeera correspondent Ann Lee", {}, "outlet"),                    # a listed two-word outlet, then more
    ("Reuters", {"is_person": True}, "person"),                            # a one-word listed name NER calls a person
    ("Reuters reporter Ann Lee", {"is_person": True}, "person"),            # one word, not the corpus's: NER wins
    ("Herald reporter Ann Lee", {"outlets": {"herald"}, "is_person": True}, "outlet"),  # the corpus's own outlet
    ("the Valley Gazette said", {"outlets": frozenset({"valley gazette"})}, "outlet"),
    ("Valley Gazetteer staff", {"outlets": ["valley gazette"]}, "person"),  # a prefix of a word is not the outlet
    ("Tigray Command", {"bodies": ["tigray command"]}, "organisation"),
    ("the valley", {"bodies": iter(["valley"])}, "organisation"),                # any iterable of bodies
])
def test_classify_source_outlet_prefixes_and_bodies(surface, kwargs, kind):
    assert classify_source(surface, **kwargs) == kind


@pytest.mark.parametrize("outlet, kept", [
    ("Lakeport Herald", ["a0:q1"]),          # its own name, in any case: its byline, not a source
    ("Valley Post", ["a0:q0", "a0:q1"]),     # another outlet's report is a source
    ("", ["a0:q0", "a0:q1"]),                # no outlet: nothing to compare with
])
def test_without_own_outlet_drops_an_article_crediting_itself(outlet, kept):
    from helpers.quotes.sources import without_own_outlet

    q = pd.DataFrame({"quote_id": ["a0:q0", "a0:q1"], "article_id": ["a0", "a0"],
                      "speaker_canonical": ["LAKEPORT  HERALD", "Ana Ruiz"]})
    arts = pd.DataFrame({"article_id": ["a0"], "outlet": [outlet]})
    assert without_own_outlet(q, arts)["quote_id"].tolist() == kept
    assert without_own_outlet(q.iloc[0:0], arts).empty


def test_a_person_named_like_the_outlet_is_still_quoted():
    from helpers.quotes.sources import without_own_outlet

    q = pd.DataFrame({"quote_id": ["a0:q0", "a0:q1"], "article_id": ["a0", "a0"], "speaker_canonical": ["Fox", "Fox"]})
    arts = pd.DataFrame({"article_id": ["a0"], "outlet": ["fox"]})
    person = pd.DataFrame({"article_id": ["a0"], "label": ["PERSON"], "canonical": ["Ana Fox"]})
    assert without_own_outlet(q, arts, person)["quote_id"].tolist() == ["a0:q0", "a0:q1"]  # Ana Fox said it
    assert without_own_outlet(q, arts, person.assign(label="ORG")).empty                   # the outlet did


@pytest.mark.parametrize("shingles, expected", [
    ([], {}),
    ([set(), set()], {}),                                             # no n-gram: in no group
    ([{"a b", "c d"}, {"a b", "c d"}], {0: [0, 1]}),                   # identical quotes
    ([{"a", "b"}, {"b", "c"}, {"c", "d"}], {0: [0, 1, 2]}),            # linked through the middle one
    ([{"a", "b", "c"}, {"a", "x", "y", "z"}], {0: [0], 1: [1]}),       # 1 of the smaller's 3 shared: too few
    ([{"a", "b"}, {"a", "x", "y", "z"}], {0: [0, 1]}),                 # exactly min_overlap of the smaller
    ([{"x", "a"}, {"y", "a"}, {"z", "a"}, {"w", "b"}, {"w", "c"}],    # "a" in more than max_bucket quotes
     {0: [0], 1: [1], 2: [2], 3: [3, 4]}),
])
def test_linked_groups_of_quotes_by_their_shared_ngrams(shingles, expected):
    from helpers.quotes.variants import _linked_groups

    got = _linked_groups(shingles, min_overlap=0.5, max_bucket=2)
    assert dict(got) == expected
    assert list(got) == sorted(got)  # by first member
