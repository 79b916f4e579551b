"""Tests for helpers.attribution_model (the attribution tagger beside the rules) and its training script.

The sentences are made up for these tests; they exercise the general layouts (reported speech
without quotation marks, "according to", an interrupted quote, an attribution without a source).
"""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path

import pandas as pd
import pytest

from helpers.quotes import attribution_model
from helpers.annotate.nlp import load_model
from helpers.quotes import extract_quotes

FIXTURE = Path(__file__).parents[1] / "fixtures" / "quotes" / "brat"


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def run(text: str, nlp, **kw) -> pd.DataFrame:
    arts = pd.DataFrame({"article_id": ["a0"], "text": [text]})
    return extract_quotes(arts, pd.DataFrame(columns=["article_id", "sent_id", "start", "end"]), nlp=nlp, **kw)


def test_shipped_artefact_matches_its_recorded_hash_and_feature_version():
    info = attribution_model.model_info()
    assert info["model_sha256"] == hashlib.sha256(attribution_model.MODEL_PATH.read_bytes()).hexdigest()
    assert info["feature_version"] == attribution_model.FEATURE_VERSION
    assert len(info["training_data_sha256"]) == 64 and info["articles"] > 0
    assert attribution_model.verify()
    assert attribution_model.MODEL_PATH.stat().st_size < 20_000_000


def test_model_loads_and_tags_without_network(nlp, monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network used")
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    attribution_model._tagger.cache_clear()
    q = run("The senator argued that the tax plan would hurt working families in the state.", nlp)
    assert attribution_model.enabled()
    assert len(q) >= 1


def test_reported_speech_without_quotation_marks(nlp):
    text = "The harbour master told reporters that the ferry service would resume once the storm had passed."
    q = run(text, nlp)
    assert len(q) == 1
    r = q.iloc[0]
    assert r.kind == "indirect"
    assert "the ferry service would resume once the storm had passed" in r.quote
    assert r.speaker == "The harbour master"


def test_according_to(nlp):
    text = "The bridge will stay closed until the end of May, according to the regional transport office."
    q = run(text, nlp)
    assert len(q) == 1
    r = q.iloc[0]
    assert r.quote.startswith("The bridge will stay closed until the end of May")
    assert "regional transport office" in r.speaker


def test_interrupted_quote_is_one_attribution(nlp):
    text = "“The new rules,” the inspector said, “will protect every worker on the site.”"
    q = run(text, nlp)
    assert set(q["speaker"]) == {"the inspector"}
    covered = set()
    for r in q.itertuples():
        covered |= set(range(r.start, r.end))
    assert text.index("The new rules") in covered and text.index("every worker") in covered


def test_no_source_attribution_keeps_kind_with_empty_speaker(nlp):
    text = "The plant employs 400 people. It was reported that the factory would close by the end of the year."
    q = run(text, nlp)
    hit = q[q["quote"].str.contains("the factory would close")]
    assert len(hit) == 1
    r = hit.iloc[0]
    assert r.speaker == "" and r.speaker_start == -1 and r.speaker_canonical == ""
    assert r.kind == "indirect"


def test_switch_off_gives_the_rules_alone(nlp, monkeypatch):
    text = "The plant employs 400 people. It was reported that the factory would close by the end of the year."
    monkeypatch.setenv("PARALLAX_ATTRIBUTION_MODEL", "0")
    assert not attribution_model.enabled()
    q = run(text, nlp)
    assert not q["quote"].str.contains("the factory would close").any()


def test_beliefs_only_when_asked(nlp):
    text = "Analysts believe the merger will raise prices for consumers in rural areas."
    assert run(text, nlp).empty
    q = run(text, nlp, beliefs=True)
    assert list(q["kind"]) == ["belief"] and q.iloc[0].speaker == "Analysts"


def test_training_is_deterministic(tmp_path):
    from helpers.evaluate import train_attribution
    outs = []
    for k in range(2):
        out = tmp_path / f"m{k}.crfsuite"
        assert train_attribution.main([str(FIXTURE), "--out", str(out), "--max-iterations", "5"]) == 0
        outs.append(out.read_bytes())
        meta = json.loads(out.with_suffix(".json").read_text())
        assert meta["feature_version"] == attribution_model.FEATURE_VERSION
        assert meta["model_sha256"] == hashlib.sha256(outs[-1]).hexdigest()
    assert outs[0] == outs[1]



@pytest.mark.parametrize("sentence, role", [
    ("The finance minister also posted the plan online, where he promised new jobs.", "The finance minister"),
    ("A spokesperson for the council later said he expected no delay.", "A spokesperson"),
    ("The mill burned on Monday and he said so.", ""),
])
def test_a_pronoun_reads_the_role_named_before_it_in_its_sentence(sentence, role):
    from types import SimpleNamespace

    from helpers.quotes.speakers import _role_before, canonical_speaker

    art = SimpleNamespace(text=sentence, sents=[SimpleNamespace(start=0, end=len(sentence))])
    assert _role_before(art, sentence.index(" he ") + 1) == role
    if role == "The finance minister":
        assert canonical_speaker([role], known_names=["Finance Minister Orla Brandt"]) == ["Orla Brandt"]


def test_quotation_with_unlisted_verb_takes_the_taggers_speaker(nlp):
    # the rules know no speaker for "chanted"; the tagger's source is taken
    text = "“We will not move until the roof is fixed,” the tenants chanted outside the town hall."
    q = run(text, nlp)
    assert len(q) == 1
    r = q.iloc[0]
    assert r.kind == "direct"
    assert r.speaker == "the tenants"
    assert text[r.speaker_start:r.speaker_end] == "the tenants"


def test_reported_demand_as_a_noun_phrase(nlp):
    text = "Teachers at the school asked for smaller classes and more time to prepare lessons."
    q = run(text, nlp)
    assert len(q) == 1
    r = q.iloc[0]
    assert r.kind == "indirect" and r.speaker == "Teachers at the school"
    assert "smaller classes and more time" in r.quote


def test_a_phrase_hanging_from_the_sentence_is_no_reported_speech(nlp):
    # "at the conclusion of his visit" is where the words were said, not what was said
    text = ("“The bridge will reopen in May,” the mayor had said at a press conference at the "
            "conclusion of her tour of the harbour district.")
    q = run(text, nlp)
    assert not any("conclusion of her tour" in s and "bridge" not in s for s in q["quote"])


@pytest.mark.parametrize("text", [
    "President Ann Lee has said the mission in the region will end on Aug. 31, arguing that the people of "
    "the region must decide their own future and that she would not send another generation to the war.",
    "The minister has said the new port will open in the spring, adding that the first ships are already "
    "booked and that the harbour fees will stay as they are.",
])
def test_two_tagged_contents_over_one_rule_span_give_one_attribution(nlp, text):
    q = run(text, nlp)
    assert not q.duplicated(["start", "end"]).any(), q[["quote", "speaker"]]
    assert len(q) >= 1


def _tagged(text: str, content: str, speaker: str = "", cue: str = "", start_at: int = 0) -> dict:
    s = text.index(content, start_at)
    ss = text.index(speaker) if speaker else -1
    return {"start": s, "end": s + len(content), "speaker_start": ss, "speaker_end": ss + len(speaker) if speaker else -1,
            "cue": cue, "outer_cue": False, "quoted": 1.0}


def test_a_floating_quote_takes_the_speaker_named_beside_it():
    from helpers.quotes.marks import _Article, _Found, _Sent
    text = ("Ann Lee called on Tom Ray to apologize.\n\n“My reaction, that was outrageous,” the aide said. "
            "“He really should say sorry now.”")
    art = _Article("a0", text)
    ends = [text.index(".") + 1, text.index("said.") + 5, len(text)]
    art.sents = [_Sent(i, s, e) for i, (s, e) in enumerate(zip([0, ends[0] + 2, ends[1] + 1], ends))]
    q1, q2 = text.index("My reaction"), text.index("He really")
    art._quote_spans = [(q1, text.index(",”")), (q2, len(text) - 1)]
    # the rules: both quotations floating, with the speaker of the attribution before them
    found = [_Found(q1, text.index(",”"), "direct", "called", "Ann Lee", 0, 7, quoted_words=5, floating=True),
             _Found(q2, len(text) - 1, "direct", "called", "Ann Lee", 0, 7, quoted_words=6, floating=True)]
    tagged = [_tagged(text, "My reaction, that was outrageous", "the aide", "said"),
              _tagged(text, "He really should say sorry now", "My reaction", "said")]  # a speaker inside a quotation
    out = attribution_model._model_first(art, found, tagged, beliefs=False)
    assert [(f.speaker, f.cue) for f in out] == [("the aide", "said"), ("the aide", "said")]


def test_one_rule_span_gives_one_attribution():
    from helpers.quotes.marks import _Article, _Found, _Sent
    text = "The minister said the port will open in May, adding that the fees will stay as they are."
    art = _Article("a0", text)
    art.sents = [_Sent(0, 0, len(text))]
    start = text.index("the port")
    found = [_Found(start, len(text) - 1, "indirect", "said", "The minister", 0, 12)]
    tagged = [_tagged(text, "the port will open in May"), _tagged(text, "the fees will stay as they are")]
    out = attribution_model._model_first(art, found, tagged, beliefs=False)
    assert [(f.start, f.end, f.speaker) for f in out] == [(start, len(text) - 1, "The minister")]


@pytest.mark.parametrize("np_object, kept", [(True, True), (False, False)])
def test_a_belief_in_a_noun_phrase_only_as_its_cue_verbs_object(np_object, kept):
    # "The regulator faulted the bank for its lending rules": what was faulted is the belief; a
    # phrase that only hangs from the sentence ("… in its annual report") is none
    from helpers.quotes.marks import _Article, _Sent
    text = "The regulator faulted the bank for its lending rules in its annual report."
    art = _Article("a0", text, sents=[_Sent(0, 0, len(text))])
    d = _tagged(text, "the bank for its lending rules", "The regulator", "faulted")
    d.update(quoted=0.0, cue_lemma="fault", conf=0.9, n_words=6, has_verb=False, np_object=np_object,
             passive_ask=False)
    f = attribution_model._new_found(art, d, beliefs=True)
    assert (f is not None) == kept
    if kept:
        assert (f.kind, f.speaker, text[f.start:f.end]) == ("belief", "The regulator", "the bank for its lending rules")
    assert attribution_model._new_found(art, d, beliefs=False) is None  # beliefs only when asked


@pytest.mark.parametrize("model", ["0", "1"])
@pytest.mark.parametrize("text, speaker", [
    ("The new bridge, Mayor Ana Ruiz said, will carry twice the traffic of the old one.", "Mayor Ana Ruiz"),
    ("Too often, the inspector said, the mill's owners ignored the warnings about its roof.", "the inspector"),
])
def test_reported_speech_interrupted_by_its_reporting_clause(monkeypatch, nlp, model, text, speaker):
    # "The plan, he said, will work" without quotation marks: one attribution over the sentence
    monkeypatch.setenv("PARALLAX_ATTRIBUTION_MODEL", model)
    q = run(text, nlp)
    assert len(q) == 1, q[["quote", "speaker"]]
    r = q.iloc[0]
    assert (r.kind, r.speaker) == ("indirect", speaker)
    assert r.quote == text.rstrip(".")


@pytest.mark.parametrize("text", [
    "The bridge, which opened in May, said little about the city's plans.",   # no reporting clause set off
    "On Monday, Ana Ruiz said the bridge will reopen.",                        # the clause is not interrupting
])
def test_no_interrupted_content_without_a_clause_set_off_by_commas(nlp, text):
    from helpers.quotes.extraction import _interrupted_content, _subject

    doc = nlp(text)
    said = next(t for t in doc if t.lemma_ == "say")
    subject = _subject(said)
    assert subject is None or _interrupted_content(doc, said, subject) is None
