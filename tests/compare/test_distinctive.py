"""Tests for helpers.compare.distinctive: Fightin' Words log-odds, distinctive terms, contexts, actor labels."""

from collections import Counter
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.compare import distinctive
from helpers.compare.distinctive import log_odds_dirichlet


def test_log_odds_worked_example_by_hand():
    # Group A: x=3, y=1 (n_A=4); group B: x=1, y=3 (n_B=4). Default prior: α_w = pooled count,
    # so α_x = 4, α_y = 4, α0 = 8.
    # δ_x(A) = log((3+4)/(4+8-3-4)) - log((1+4)/(4+8-1-4)) = log(7/5) - log(5/7) = 2·log(1.4) = 0.672944
    # σ² = 1/7 + 1/5 + 1/5 + 1/7 = 0.685714;  z = 0.672944 / 0.828079 = 0.812658
    out = log_odds_dirichlet({"A": {"x": 3, "y": 1}, "B": {"x": 1, "y": 3}})
    assert list(out.columns) == distinctive.LOG_ODDS_COLUMNS
    r = out.set_index(["group", "term"])
    delta = math.log(7 / 5) - math.log(5 / 7)
    z = delta / math.sqrt(1 / 7 + 1 / 5 + 1 / 5 + 1 / 7)
    assert r.loc[("A", "x"), "log_odds"] == pytest.approx(delta)
    assert r.loc[("A", "x"), "z"] == pytest.approx(z)
    assert z == pytest.approx(0.812658, abs=1e-6)
    assert r.loc[("A", "y"), "z"] == pytest.approx(-z) and r.loc[("B", "y"), "z"] == pytest.approx(z)
    assert (r.loc[("A", "x"), "count_group"], r.loc[("A", "x"), "count_rest"]) == (3, 1)
    # sorted by z within group: A's top term is x
    assert out[out.group == "A"].term.iloc[0] == "x"


def test_log_odds_scalar_and_explicit_prior():
    counts = pd.DataFrame({"A": [3, 1], "B": [1, 3]}, index=["x", "y"])
    # scalar prior 2: α_w = 2·4/8 = 1 each, α0 = 2
    # δ_x(A) = log((3+1)/(4+2-3-1)) - log((1+1)/(4+2-1-1)) = log(4/2) - log(2/4) = 2·log 2
    out = log_odds_dirichlet(counts, prior=2).set_index(["group", "term"])
    assert out.loc[("A", "x"), "log_odds"] == pytest.approx(2 * math.log(2))
    assert out.loc[("A", "x"), "z"] == pytest.approx(2 * math.log(2) / math.sqrt(1 / 4 + 1 / 2 + 1 / 2 + 1 / 4))
    same = log_odds_dirichlet(counts, prior=pd.Series({"x": 1.0, "y": 1.0})).set_index(["group", "term"])
    assert same.loc[("A", "x"), "z"] == pytest.approx(out.loc[("A", "x"), "z"])
    with pytest.raises(ValueError):
        log_odds_dirichlet(counts, prior=-1)


def test_identical_groups_give_zero_and_n_groups():
    counts = {"A": {"a": 5, "b": 2, "c": 9}, "B": {"a": 5, "b": 2, "c": 9}, "C": {"a": 5, "b": 2, "c": 9}}
    out = log_odds_dirichlet(counts)
    assert len(out) == 9 and set(out.group) == {"A", "B", "C"}
    assert np.allclose(out.z, 0, atol=1e-12) and np.allclose(out.log_odds, 0, atol=1e-12)


def test_degenerate_inputs():
    assert log_odds_dirichlet({"A": {"x": 1}}).empty
    assert log_odds_dirichlet(pd.DataFrame()).empty
    assert log_odds_dirichlet({"A": {"x": 0}, "B": {"x": 0}}).empty


def corpus():
    rows = [("a1", "Fox", ["Insurgents attacked the base.", "The insurgents fled to the hills."]),
            ("a2", "Fox", ["Insurgents returned at night.", "Officials said the base held."]),
            ("b1", "NYT", ["Taliban fighters attacked the base.", "Taliban fighters fled to the hills."]),
            ("b2", "NYT", ["Taliban fighters returned at night.", "Officials said the base held."])]
    sents, arts = [], []
    for aid, outlet, texts in rows:
        arts.append({"article_id": aid, "outlet": outlet})
        for i, t in enumerate(texts):
            sents.append({"article_id": aid, "sent_id": i, "text": t})
    return pd.DataFrame(sents), pd.DataFrame(arts)


def test_distinctive_terms_unigrams_and_bigrams():
    s, a = corpus()
    out = distinctive.distinctive_terms(s, a, min_count=2)
    assert list(out.columns) == distinctive.TERM_COLUMNS
    top = out.groupby("group").head(1).set_index("group").term.to_dict()
    assert top["Fox"] == "insurgents"
    assert out[out.group == "NYT"].head(3).term.tolist()[0] in {"taliban", "fighters", "taliban fighters"}
    assert "taliban fighters" in set(out.term)           # a bigram
    assert "the" not in set(out.term)                     # stop words dropped
    base = out.set_index(["group", "term"]).loc[("Fox", "base")]
    # same count in both, but Fox has fewer words in all, so "base" leans slightly to Fox
    assert 0 < base.z < 0.5 and base.count_group == 2 and base.count_rest == 2
    assert len(distinctive.distinctive_terms(s, a, min_count=2, top=2)) == 4
    kept = distinctive.distinctive_terms(s, a, min_count=1, stop_words=None, ngram_range=(1, 1))
    assert "the" in set(kept.term)


def test_term_contexts():
    s, a = corpus()
    ctx = distinctive.term_contexts(s, a, ["taliban fighters", "base"], n=1)
    assert list(ctx.columns) == distinctive.CONTEXT_COLUMNS
    tf = ctx[(ctx.term == "taliban fighters")]
    assert tf.group.tolist() == ["NYT"] and tf.match.iloc[0] == "Taliban fighters"
    assert tf.right.iloc[0].startswith(" attacked")
    assert set(ctx[ctx.term == "base"].group) == {"Fox", "NYT"}
    terms = distinctive.distinctive_terms(s, a, min_count=2, top=1)
    assert len(distinctive.term_contexts(s, a, terms, n=2)) == 4


def test_empty_inputs():
    e = pd.DataFrame(columns=["article_id", "sent_id", "text"])
    arts = pd.DataFrame(columns=["article_id", "outlet"])
    assert distinctive.distinctive_terms(e, arts).empty
    assert distinctive.term_contexts(e, arts, ["x"]).empty
    assert distinctive.actor_labels(e, pd.DataFrame(columns=["article_id", "sent_id", "start", "end", "text", "label", "canonical"]), arts).empty
    assert distinctive.labels_by_outlet(pd.DataFrame(columns=distinctive.LABEL_COLUMNS)).empty
    s, a = corpus()
    one = a.assign(outlet="same")
    assert distinctive.distinctive_terms(s, one).empty   # one group: nothing to compare


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.text(max_size=60)), max_size=8))
def test_distinctive_terms_never_raises(rows):
    s = pd.DataFrame([{"article_id": f"x{i}", "sent_id": 0, "text": t} for i, (_, t) in enumerate(rows)],
                     columns=["article_id", "sent_id", "text"])
    a = pd.DataFrame([{"article_id": f"x{i}", "outlet": g} for i, (g, _) in enumerate(rows)], columns=["article_id", "outlet"])
    out = distinctive.distinctive_terms(s, a, min_count=1)
    assert list(out.columns) == distinctive.TERM_COLUMNS
    assert np.isfinite(out.z.astype(float)).all()


@pytest.fixture(scope="module")
def nlp():
    from helpers.annotate.nlp import load_model
    try:
        return load_model(disable=("ner",))
    except RuntimeError:
        pytest.skip("no spaCy model installed")


@pytest.mark.parametrize("sentence, apposition", [
    ("Lakeport: Harbour Commissioner Ana Ruiz, in a call with the mayor, discussed the bridge.", None),  # a dateline
    ("Ana Ruiz, the mayor of Lakeport, opened the new bridge on Monday.", "mayor of Lakeport"),
])
def test_a_dateline_before_a_colon_is_no_apposition(nlp, sentence, apposition):
    start = sentence.index("Ana Ruiz")
    s = pd.DataFrame({"article_id": "a", "sent_id": [0], "start": [0], "end": [len(sentence)], "text": [sentence]})
    e = pd.DataFrame([{"article_id": "a", "sent_id": 0, "start": start, "end": start + 8, "text": "Ana Ruiz",
                       "label": "PERSON", "canonical": "Ana Ruiz"}])
    lab = distinctive.actor_labels(s, e, pd.DataFrame({"article_id": ["a"], "outlet": ["X"]}), nlp=nlp)
    found = [r.label for r in lab.itertuples() if r.rule == "apposition"]
    assert found == ([apposition] if apposition else []), found


def test_actor_labels_modifier_apposition_description(nlp):
    text = ("Michael Steele, chairman of the Republican National Committee, spoke on Friday. "
            "Taliban fighters seized the city. The fundamentalist group ruled the country in the 1990s.")
    sents = ["Michael Steele, chairman of the Republican National Committee, spoke on Friday.",
             "Taliban fighters seized the city.", "The fundamentalist group ruled the country in the 1990s."]
    starts = [text.index(x) for x in sents]
    s = pd.DataFrame({"article_id": "a", "sent_id": [0, 1, 2], "start": starts,
                      "end": [st_ + len(x) for st_, x in zip(starts, sents)], "text": sents})
    e = pd.DataFrame([
        {"article_id": "a", "sent_id": 0, "start": 0, "end": 14, "text": "Michael Steele", "label": "PERSON", "canonical": "Michael Steele"},
        {"article_id": "a", "sent_id": 1, "start": starts[1], "end": starts[1] + 7, "text": "Taliban", "label": "ORG", "canonical": "Taliban"},
    ])
    arts = pd.DataFrame({"article_id": ["a"], "outlet": ["X"]})
    lab = distinctive.actor_labels(s, e, arts, nlp=nlp)
    assert list(lab.columns) == distinctive.LABEL_COLUMNS
    got = {(r.actor, r.label, r.rule) for r in lab.itertuples()}
    assert ("Michael Steele", "chairman of the Republican National Committee", "apposition") in got
    assert ("Taliban", "Taliban fighters", "modifier") in got
    assert ("Taliban", "fundamentalist group", "description") in got
    assert ("Michael Steele", "Michael Steele", "name") in got
    # offsets index into the article text
    for r in lab.itertuples():
        assert text[r.start:r.end] == r.label
    summary = distinctive.labels_by_outlet(lab, rules=("modifier", "description"))
    assert list(summary.columns) == distinctive.LABEL_SUMMARY_COLUMNS
    assert set(summary.label) == {"Taliban fighters", "fundamentalist group"}


@pytest.mark.parametrize("prior", [None, 50.0])
def test_distinctive_terms_equal_the_dense_log_odds_of_the_terms_each_group_uses(prior):
    s, a = corpus()
    got = distinctive.distinctive_terms(s, a, min_count=1, prior=prior)
    counts: dict[str, Counter] = {}
    stop = distinctive._stop_words("english")
    for outlet, texts in s.merge(a, on="article_id").groupby("outlet")["text"]:
        counts[outlet] = _ngrams_by_hand("\n".join(texts), (1, 2), stop)
    dense = distinctive.log_odds_dirichlet(pd.DataFrame(counts).fillna(0), prior=prior)
    used = dense[dense["count_group"] > 0].reset_index(drop=True)
    assert (got["count_group"] > 0).all()
    pd.testing.assert_frame_equal(got.drop(columns="q_value"), used, check_dtype=False)
    # q: every used cell's two-sided p of z, adjusted together (Benjamini–Hochberg)
    from scipy.special import ndtr
    from scipy.stats import false_discovery_control

    expected = false_discovery_control(2 * ndtr(-used["z"].abs().to_numpy()), method="bh")
    np.testing.assert_allclose(got["q_value"].to_numpy(), expected, rtol=1e-12)
    # cutting to each group's top terms happens after the adjustment: the same q
    top = distinctive.distinctive_terms(s, a, min_count=1, prior=prior, top=2)
    pd.testing.assert_frame_equal(top, got.groupby("group", sort=True).head(2).reset_index(drop=True))


# ---------------------------------------------------------------- kinds of terms (issue 17)

def _style_corpus():
    # two invented outlets over three invented events: the Orlan Ledger writes "Mr." and names
    # itself ("told the Orlan Ledger"); the Velt Courier writes neither
    rows, arts = [], []
    events = {"e1": "the dam on the Velt river", "e2": "the Brindle mill strike", "e3": "the Kessa bridge toll"}
    for k, (event, topic) in enumerate(events.items()):
        for outlet, url in (("Orlan Ledger", "https://www.orlanledger.example/story"), ("Velt Courier", "https://veltcourier.example/a")):
            aid = f"{outlet[:2]}{k}"
            arts.append({"article_id": aid, "outlet": outlet, "url": url, "event": event})
            if outlet == "Orlan Ledger":
                texts = [f"Mr. Amri opposed {topic}, he told Orlan Ledger.", f"Mr. Amri said {topic} was costly.",
                         f"Critics called {topic} a giveaway.", "Critics called it a giveaway again."]
            else:
                texts = [f"Amri opposed {topic} in a statement.", f"Amri said {topic} was expensive.",
                         f"Supporters praised {topic}.", "Supporters praised the plan."]
            rows += [{"article_id": aid, "sent_id": i, "text": t} for i, t in enumerate(texts)]
    return pd.DataFrame(rows), pd.DataFrame(arts)


def test_classify_terms_separates_self_reference_and_house_style_and_applies_the_bar():
    s, a = _style_corpus()
    terms = distinctive.distinctive_terms(s, a, min_count=2)
    out = distinctive.classify_terms(terms, s, a, min_count=3).set_index(["group", "term"])
    assert out.loc[("Orlan Ledger", "orlan ledger"), "kind"] == "self-reference"
    assert out.loc[("Orlan Ledger", "told orlan"), "kind"] == "self-reference"
    assert out.loc[("Orlan Ledger", "mr"), "kind"] == "house style"
    assert out.loc[("Orlan Ledger", "mr amri"), "kind"] == "house style"
    assert out.loc[("Orlan Ledger", "critics"), "kind"] == "event word"
    assert out.loc[("Velt Courier", "supporters"), "kind"] == "event word"
    # ranked among the event words that pass the bar, without the style and self-references
    ledger = out.loc["Orlan Ledger"]
    assert set(ledger[ledger["rank"] > 0].index) <= set(ledger[(ledger.kind == "event word") & ledger.passes_bar].index)
    assert not ledger.loc["mr", "rank"]
    weak = out[out.passes_bar == False]  # noqa: E712
    assert ((weak.z.abs() < distinctive.TERM_Z_BAR) | (weak.count_group < 3)).all()


def test_classify_terms_keeps_a_place_in_the_outlet_name_as_an_event_word():
    # "Brindle" in the Brindle Gazette's name, but the Gazette writes about the town of Brindle
    s = pd.DataFrame({"article_id": ["g1", "g1", "v1"], "sent_id": [0, 1, 0],
                      "text": ["Brindle voted on the toll.", "The toll splits Brindle, the Brindle Gazette learned.",
                               "Kessa voted on the toll."]})
    a = pd.DataFrame({"article_id": ["g1", "v1"], "outlet": ["Brindle Gazette", "Velt Courier"]})
    out = distinctive.classify_terms(distinctive.distinctive_terms(s, a, min_count=1), s, a).set_index(["group", "term"])
    assert out.loc[("Brindle Gazette", "brindle"), "kind"] == "event word"
    assert out.loc[("Brindle Gazette", "brindle gazette"), "kind"] == "self-reference"


def test_classify_terms_reads_initials_and_dotted_abbreviations_written_whatever_the_event_as_house_style():
    # the Orlan Ledger writes a middle initial and "F.B.I." in articles about three events; "a" and "i" are words
    topics = {"e1": "the dam", "e2": "the mill strike", "e3": "the bridge toll"}
    rows, arts = [], []
    for k, (event, topic) in enumerate(topics.items()):
        for outlet, text in (("Orlan Ledger", f"Amri J. Tovo told the F.B.I. about {topic}, a matter I doubt."),
                             ("Velt Courier", f"Amri Tovo spoke about {topic} and a matter I doubt.")):
            aid = f"{outlet[:2]}{k}"
            arts.append({"article_id": aid, "outlet": outlet, "event": event})
            rows.append({"article_id": aid, "sent_id": 0, "text": text})
    s, a = pd.DataFrame(rows), pd.DataFrame(arts)
    out = distinctive.classify_terms(distinctive.distinctive_terms(s, a, min_count=2, stop_words=None), s, a)
    kinds = out.set_index(["group", "term"])["kind"]
    assert kinds[("Orlan Ledger", "amri j")] == "house style"
    assert kinds[("Orlan Ledger", "f.b.i.")] == "house style"
    assert kinds[("Orlan Ledger", "tovo told")] == "event word"
    assert all(kinds[(group, "a")] == "event word" for group in ("Orlan Ledger", "Velt Courier")
               if (group, "a") in kinds.index)


# ---- distinctive_terms counts as numbers, a chunk at a time: the figures of counting the joined text


def _ngrams_by_hand(text: str, ngram_range: tuple[int, int], stop: frozenset[str]) -> Counter:
    """The n-grams of a text without a stop word, counted one window at a time."""
    tokens = distinctive.tokenize(text)
    grams = Counter()
    for n in range(ngram_range[0], ngram_range[1] + 1):
        for i in range(len(tokens) - n + 1):
            if not any(t in stop for t in tokens[i:i + n]):
                grams[" ".join(tokens[i:i + n])] += 1
    return grams


def _terms_by_hand(sentences, articles, *, group_by="outlet", ngram_range=(1, 2), min_count=1, stop_words="english"):
    """The reference: each group's sentences joined into one text, its n-grams counted with a
    Counter, terms under ``min_count`` in all dropped, then log_odds_dirichlet; the cells a group uses."""
    stop = distinctive._stop_words(stop_words)
    outlet = dict(zip(articles["article_id"], articles[group_by].fillna("").astype(str)))
    by_group: dict[str, list[str]] = {}
    for aid, text in zip(sentences["article_id"], sentences["text"]):
        if aid in outlet:
            by_group.setdefault(outlet[aid], [])
            if isinstance(text, str):
                by_group[outlet[aid]].append(text)
    counts = {group: _ngrams_by_hand("\n".join(texts), ngram_range, stop) for group, texts in by_group.items()}
    pooled = Counter()
    for grams in counts.values():
        pooled.update(grams)
    frequent = {t for t, c in pooled.items() if c >= min_count}
    table = {g: {t: c for t, c in grams.items() if t in frequent} for g, grams in counts.items()}
    if len(table) < 2 or not frequent:
        return pd.DataFrame(columns=distinctive.LOG_ODDS_COLUMNS)
    out = log_odds_dirichlet(table)
    return out[out["count_group"] >= 1].reset_index(drop=True)


def _varied_corpus():
    rows = [("a1", "Herald", ["Rebel fighters crossed the river at dawn.", "The rebel fighters held the bridge."]),
            ("a2", "Herald", [None, "Officials said the bridge stood; rebel fighters withdrew."]),
            ("b1", "Courier", ["Insurgents crossed the river.", "Insurgents held the bridge until dusk."]),
            ("b2", "Courier", ["Officials said the bridge stood.", "U.S. officials' statement followed"]),
            ("c1", "Gazette", ["", "the the the"]),  # no term at all
            ("z9", "Nowhere", ["An article missing from the articles table."])]
    sentences = pd.DataFrame([{"article_id": aid, "sent_id": i, "text": t}
                              for aid, _, texts in rows for i, t in enumerate(texts)])
    articles = pd.DataFrame([{"article_id": aid, "outlet": outlet} for aid, outlet, _ in rows if aid != "z9"])
    return sentences, articles


@pytest.mark.parametrize("interleaved", [False, True])
@pytest.mark.parametrize("chunk", [1, 2, 3, 5_000])
@pytest.mark.parametrize("ngram_range, min_count, stop_words", [
    ((1, 2), 1, "english"), ((1, 2), 2, "english"), ((1, 1), 1, None), ((2, 2), 1, None), ((1, 3), 2, None)])
def test_distinctive_terms_equal_counting_the_joined_text_by_hand(monkeypatch, chunk, ngram_range, min_count,
                                                                  stop_words, interleaved):
    # chunks of one sentence: every n-gram across two sentences is counted across two chunks;
    # interleaved: the outlets' sentences alternate in the table, so a chunk holds several groups'
    # sentences and a group's text goes on in the next chunk
    monkeypatch.setattr(distinctive, "_TERM_CHUNK", chunk)
    sentences, articles = _varied_corpus()
    if interleaved:
        sentences = sentences.sort_values(["sent_id", "article_id"], kind="stable").reset_index(drop=True)
    got = distinctive.distinctive_terms(sentences, articles, ngram_range=ngram_range, min_count=min_count,
                                        stop_words=stop_words)
    expected = _terms_by_hand(sentences, articles, ngram_range=ngram_range, min_count=min_count,
                              stop_words=stop_words)
    assert len(got) == len(expected) > 0
    pd.testing.assert_frame_equal(got[["group", "term", "count_group", "count_rest"]],
                                  expected[["group", "term", "count_group", "count_rest"]].astype({"term": object}),
                                  check_dtype=False)
    np.testing.assert_allclose(got["z"], expected["z"], rtol=1e-12)
    np.testing.assert_allclose(got["log_odds"], expected["log_odds"], rtol=1e-12)
    if ngram_range == (1, 2):
        assert "fighters held" not in set(got["term"]) or min_count == 1
        # across two sentences of one outlet: "dawn" ends one, "the rebel" starts the next
        assert ("dawn rebel" in set(got["term"])) == (min_count == 1 and stop_words is None)


def test_distinctive_terms_top_keeps_each_groups_highest_z_first():
    sentences, articles = _varied_corpus()
    every = distinctive.distinctive_terms(sentences, articles, min_count=1)
    top = distinctive.distinctive_terms(sentences, articles, min_count=1, top=2)
    pd.testing.assert_frame_equal(top, every.groupby("group", sort=True).head(2).reset_index(drop=True))


@pytest.mark.parametrize("texts", [[], [None, None], ["the and of"]])
def test_distinctive_terms_without_terms_is_an_empty_table(texts):
    sentences = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "sent_id": 0,
                              "text": pd.Series(texts, dtype=object)})
    articles = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))],
                             "outlet": ["X", "Y", "Z"][:len(texts)]})
    out = distinctive.distinctive_terms(sentences, articles, min_count=1)
    assert out.empty and list(out.columns) == distinctive.TERM_COLUMNS


def test_ngram_numbers_spell_back_and_refuse_to_overflow():
    vocabulary = np.array(["alpha", "beta", "gamma", "the"], dtype=object)
    offsets = distinctive._ngram_offsets(len(vocabulary), 3)
    stream = np.array([0, 1, 3, 2, 1, 0], dtype=np.int32)
    codes = distinctive._ngram_codes(stream, vocabulary == "the", len(vocabulary), offsets, 1, 3)
    spelled = [distinctive._spell(c, vocabulary, offsets) for c in codes.tolist()]
    assert spelled == ["alpha", "beta", "gamma", "beta", "alpha", "alpha beta", "gamma beta", "beta alpha",
                       "gamma beta alpha"]
    with pytest.raises(ValueError, match="shorter ngram_range"):
        distinctive._ngram_offsets(3_000_000, 3)


def test_actor_label_resolution_reads_articles_one_after_another():
    def bare(aid, sid):
        return {"key": (aid, sid), "records": [], "learned": [], "mentions": [], "chunks": []}

    articles = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"]})
    grouped = [bare("a", 0), bare("a", 1), bare("b", 0)]
    assert distinctive.resolve_actor_labels(grouped, articles).empty
    with pytest.raises(ValueError, match="article after article"):
        distinctive.resolve_actor_labels([bare("a", 0), bare("b", 0), bare("a", 1)], articles)


def _label_rows(*rows):
    """actor_labels rows from (article_id, outlet, actor, label, rule) tuples."""
    return pd.DataFrame([dict(zip(("article_id", "outlet", "actor", "label", "rule"), r), sent_id=0, start=0, end=1)
                         for r in rows], columns=distinctive.LABEL_COLUMNS)


def _labels_by_outlet_by_hand(labels, min_count=1):
    """The summary counted row by row with Counters (the definition the whole-column version keeps)."""
    groups: dict[tuple, list] = {}
    for r in labels.itertuples():
        if pd.isna(r.actor) or pd.isna(r.outlet) or pd.isna(r.label):
            continue
        groups.setdefault((r.actor, r.outlet, r.label.lower()), []).append(r)
    out = []
    for (actor, outlet, _), rs in groups.items():
        uses = Counter(r.label for r in rs)
        most = max(uses.values())
        shown = next(r.label for r in rs if uses[r.label] == most)  # the first spelling used most
        if len(rs) >= min_count:
            out.append({"actor": actor, "outlet": outlet, "label": shown, "count": len(rs),
                        "rules": ", ".join(sorted({r.rule for r in rs})), "n_articles": len({r.article_id for r in rs})})
    frame = pd.DataFrame(out, columns=distinctive.LABEL_SUMMARY_COLUMNS)
    return frame.sort_values(["actor", "outlet", "count", "label"], ascending=[True, True, False, True]).reset_index(drop=True)


@pytest.mark.parametrize("min_count", [1, 2])
def test_labels_by_outlet_counts_case_insensitive_labels_per_actor_and_outlet(min_count):
    labels = _label_rows(
        ("a1", "Herald", "Ann Lee", "the envoy", "description"),
        ("a1", "Herald", "Ann Lee", "The Envoy", "apposition"),
        ("a2", "Herald", "Ann Lee", "The Envoy", "description"),
        ("a2", "Herald", "Ann Lee", "the envoy", "description"),  # a tie, 2 and 2: the first spelling shown
        ("a3", "Courier", "Ann Lee", "veteran envoy", "modifier"),
        ("a3", "Courier", "Ann Lee", "Ann Lee", "name"),
        ("a3", "Courier", None, "a spokesman", "description"),  # no actor: left out
        ("a4", "Courier", "Ann Lee", "Veteran envoy", "modifier"),
        ("a4", "Courier", "Ann Lee", "Veteran envoy", "modifier"),  # used more: shown over the first spelling
    )
    got = distinctive.labels_by_outlet(labels, min_count=min_count)
    pd.testing.assert_frame_equal(got, _labels_by_outlet_by_hand(labels, min_count), check_dtype=False)
    herald = got[got["outlet"] == "Herald"].iloc[0]
    assert (herald["label"], herald["count"], herald["rules"], herald["n_articles"]) == \
        ("the envoy", 4, "apposition, description", 2)
    assert got.loc[got["outlet"] == "Courier", "label"].iloc[0] == "Veteran envoy"
    assert ("Ann Lee" in set(got["label"])) == (min_count == 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["a1", "a2"]), st.sampled_from(["X", "Y"]), st.sampled_from(["P", "Q"]),
                          st.sampled_from(["envoy", "Envoy", "ENVOY", "minister", "the Minister"]),
                          st.sampled_from(["modifier", "description"])), max_size=12))
def test_labels_by_outlet_equals_counting_row_by_row(rows):
    labels = _label_rows(*rows)
    got = distinctive.labels_by_outlet(labels)
    want = _labels_by_outlet_by_hand(labels)
    if want.empty:
        assert got.empty and list(got.columns) == distinctive.LABEL_SUMMARY_COLUMNS
    else:
        pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_self_reference_splits_a_run_together_url_label_into_the_words_the_outlet_writes():
    texts = ["The Valley Post reported the vote.", "Valley voters stayed home.", "Post offices closed."]
    tokens = distinctive._self_reference_tokens("Valley Post", texts, ["https://www.valleypost.com/news/1"])
    # "valley": 1 of its 2 uses inside the name (at least half); "post": 1 of 2
    assert tokens == {"valleypost", "valley", "post"}
    assert distinctive._self_reference_tokens("Valley Post", texts[1:], []) == {"valleypost"}


def test_self_reference_counts_whole_words_not_parts_of_longer_ones():
    # "ridge" stands alone twice, both times in the name: a self-reference, however often
    # "ridges" or "ridgeline" contain it; "times" stands alone three times, twice in the name
    texts = ["Ridge Times reporters said so.", "The ridges and times of old.", "Ridgeline ridges near Ridgeway.",
             "Ridge Times again.", "ridgetimes.com posted it"]
    tokens = distinctive._self_reference_tokens("Ridge Times", texts, ["https://ridgetimes.com/a"])
    assert tokens == {"ridgetimes", "ridge", "times"}
    # three lone uses of "ridge" outside the name: 2 of 5, under half
    more = texts + ["A ridge.", "Another ridge.", "The ridge, again."]
    assert distinctive._self_reference_tokens("Ridge Times", more, []) == {"ridgetimes", "times"}


def test_house_style_counts_articles_not_sentences():
    # "mr" three times in one of four articles: not written in half of them, so not house style
    s = pd.DataFrame({"article_id": ["a1", "a1", "a1", "a2", "a3", "a4", "b1"], "sent_id": [0, 1, 2, 0, 0, 0, 0],
                      "text": ["Mr. Amri spoke.", "Mr. Amri left.", "Mr. Amri returned.", "Tovo spoke.",
                               "Tovo left.", "Tovo returned.", "Amri and Tovo spoke."]})
    a = pd.DataFrame({"article_id": ["a1", "a2", "a3", "a4", "b1"], "outlet": ["L"] * 4 + ["V"]})
    out = distinctive.classify_terms(distinctive.distinctive_terms(s, a, min_count=1, stop_words=None), s, a)
    assert out.set_index(["group", "term"])["kind"][("L", "mr")] == "event word"
    # in three of the four articles it is
    s.loc[3:4, "text"] = ["Mr. Tovo spoke.", "Mr. Tovo left."]
    out = distinctive.classify_terms(distinctive.distinctive_terms(s, a, min_count=1, stop_words=None), s, a)
    assert out.set_index(["group", "term"])["kind"][("L", "mr")] == "house style"


def test_a_lone_z_of_two_among_many_compared_terms_does_not_pass_the_bar():
    """Hundreds of outlet × term comparisons give a few |z| ≈ 2 by chance: the bar is a q value
    (Benjamini–Hochberg over every cell compared), not |z| ≥ 1.96 alone."""
    rows = pd.DataFrame({"group": ["A"] * 400, "term": [f"t{i:03d}" for i in range(400)],
                         "log_odds": 0.1, "z": [2.2] + [0.1] * 399, "count_group": 9, "count_rest": 9})
    from scipy.special import ndtr
    from scipy.stats import false_discovery_control

    rows["q_value"] = false_discovery_control(2 * ndtr(-rows["z"].abs().to_numpy()), method="bh")
    s = pd.DataFrame({"article_id": ["a", "b"], "sent_id": 0, "text": ["Words here.", "Other words."]})
    a = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["A", "B"]})
    judged = distinctive.classify_terms(rows, s, a)
    assert not judged["passes_bar"].any() and judged["rank"].eq(0).all()
    # one comparison alone, or a table without q values: |z| ≥ 1.96 is the bar
    assert distinctive.classify_terms(rows.head(1), s, a)["passes_bar"].tolist() == [False]  # its q is of 400
    assert distinctive.classify_terms(rows.head(1).drop(columns="q_value"), s, a)["passes_bar"].tolist() == [True]
    strong = rows.assign(z=[9.0] + [0.1] * 399)
    strong["q_value"] = false_discovery_control(2 * ndtr(-strong["z"].abs().to_numpy()), method="bh")
    assert distinctive.classify_terms(strong, s, a)["passes_bar"].tolist()[0]
