"""Tests for helpers.compare.framing: codebook loading, sentence scoring with evidence, aggregation, audit."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, HealthCheck, settings, strategies as st

from helpers.compare import framing
from helpers.compare.framing import CodebookError, load_codebook, score_frames

FIXTURES = Path(__file__).parent.parent / "fixtures" / "framing"


def make_sentences(rows):
    """rows: list of (article_id, text); sent_id / position / flags filled in like the data model."""
    out = []
    by_art = {}
    for aid, text in rows:
        by_art.setdefault(aid, []).append(text)
    for aid, texts in by_art.items():
        n = len(texts)
        for i, t in enumerate(texts):
            out.append({"article_id": aid, "sent_id": i, "text": t, "position": i / (n - 1) if n > 1 else 0.0,
                        "in_headline": i == 0, "in_lead": i == 1, "in_embed": False})
    return pd.DataFrame(out)


def test_default_codebook_has_the_20_frames():
    cb = load_codebook()
    fams = pd.Series([f.family for f in cb.frames]).value_counts().to_dict()
    assert fams == {"policy_frames": 15, "generic_frames": 5}
    assert len(set(cb.ids)) == 20
    for f in cb.frames:
        assert f.definition, f.id
        assert (f.pattern is not None) == (f.id != "other"), f.id
    assert {"economic", "legality", "external_regulation", "sv_conflict", "sv_responsibility"} <= set(cb.ids)
    assert list(cb.table().columns[:3]) == ["frame", "family", "label"]


def test_user_codebook_from_path_and_mapping():
    cb = load_codebook(FIXTURES / "user_codebook.yaml")
    assert cb.ids == ["war", "money"] and cb.name == "my-codebook"
    s = make_sentences([("a", "Troops kept fighting; it cost $500 and many dollars."), ("a", "Nothing here.")])
    fr = score_frames(s, codebook=cb)
    assert list(fr.columns[:5]) == framing.FRAME_COLUMNS
    war = fr[fr.frame == "war"].iloc[0]
    assert war.score == 2 and war.cues == "troops; fighting"
    money = fr[fr.frame == "money"].iloc[0]
    # weight 2 × two hits ($500 via the regex, "dollars" via the stem)
    assert money.score == 4 and money.cues == "$500; dollars"
    assert set(fr.sent_id) == {0}
    # the same codebook given as a path string or as a mapping
    assert score_frames(s, codebook=str(FIXTURES / "user_codebook.yaml")).equals(fr)
    fr2 = score_frames(s, codebook={"frames": [{"id": "war", "cues": ["troops"]}]})
    assert fr2[["frame", "score", "cues"]].values.tolist() == [["war", 1.0, "troops"]]


@pytest.mark.parametrize("data, msg", [
    ({"frames": [{"id": "a"}, {"id": "a"}]}, "duplicate"),
    ({"frames": [{"label": "no id"}]}, "needs an 'id'"),
    ({"frames": [{"id": "a", "cues": {"regex": ["("]}}]}, "bad regex"),
    ({"nothing": 1}, "'frames' list"),
    ({"frames": []}, "no frames"),
])
def test_bad_codebooks_raise_readable_errors(data, msg):
    with pytest.raises(CodebookError, match=msg):
        load_codebook(data)


def test_missing_codebook_file(tmp_path):
    with pytest.raises(CodebookError, match="not found"):
        load_codebook(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("frames: [unclosed", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid YAML"):
        load_codebook(bad)


def test_a_frames_hits_below_min_score_leave_the_tables_dtypes_alone():
    # "war" counts half a hit: one cue in a sentence stays below min_score 1, two reach it
    cb = {"frames": [{"id": "war", "cues": ["troops"], "weight": 0.5}, {"id": "money", "cues": ["budget"]}]}
    s = make_sentences([("a", "Troops moved."), ("a", "The budget grew."), ("b", "Troops and more troops came.")])
    found = score_frames(s, codebook=cb)
    assert list(zip(found["article_id"], found["sent_id"], found["frame"])) == [("a", 1, "money"), ("b", 0, "war")]
    war_dropped = score_frames(s[s["article_id"] == "a"], codebook=cb)
    only_money = score_frames(s[s["sent_id"] == 1], codebook=cb)
    none_kept = score_frames(s[s["article_id"] == "a"].iloc[:1], codebook=cb)
    # dropping one frame's hits changes no column's dtype; dropping all gives the empty table
    assert war_dropped.equals(only_money)
    assert found.dtypes.to_dict() == war_dropped.dtypes.to_dict()
    assert none_kept.empty and none_kept.dtypes.to_dict() == score_frames(s.iloc[:0], codebook=cb).dtypes.to_dict()


def test_cue_regex_stems_phrases_and_curly_apostrophes():
    cb = load_codebook({"frames": [{"id": "x", "cues": {"words": ["kill*", "safe haven*", "women's rights"]}}]})
    s = make_sentences([("a", "Killings rose near safe\n havens."), ("a", "They defended women’s rights."),
                        ("a", "Skills and skillet do not match kill*.")])
    fr = score_frames(s, codebook=cb)
    assert fr.cues.tolist() == ["killings; safe havens", "women's rights", "kill"]
    assert fr.sent_id.tolist() == [0, 1, 2]


def test_default_codebook_evidence_on_news_sentences():
    s = make_sentences([
        ("a", "Taliban insurgents seized the city as US troops withdrew."),
        ("a", "The court ruled the tariffs were illegal and will cost billions of dollars."),
        ("a", "It rained."),
    ])
    fr = score_frames(s)
    sec = fr[(fr.sent_id == 0) & (fr.frame == "security_defense")].iloc[0]
    assert "insurgents" in sec.cues and "troops" in sec.cues
    assert "taliban" not in sec.cues  # a named group is not a frame cue (issue 17: cues are general)
    frames1 = set(fr[fr.sent_id == 1].frame)
    assert {"legality", "economic"} <= frames1
    assert 2 not in set(fr.sent_id)


def test_empty_inputs():
    empty = pd.DataFrame(columns=["article_id", "sent_id", "text"])
    fr = score_frames(empty)
    assert fr.empty and list(fr.columns[:5]) == framing.FRAME_COLUMNS
    assert framing.article_frames(fr, empty).empty
    arts = pd.DataFrame(columns=["article_id", "outlet"])
    assert framing.frame_summary(fr, empty, arts).empty
    assert framing.audit_sample(fr, empty, n=5, seed=1).empty
    # sentences with no cue at all
    s = make_sentences([("a", "Hello."), ("a", "")])
    assert score_frames(s).empty


def test_weighted_share_by_hand():
    # article a: 3 sentences, positions 0, 0.5, 1; headline = sentence 0, lead = sentence 1.
    s = make_sentences([("a", "war war"), ("a", "one two three four"), ("a", "troops x y z")])
    # w0 = 2 words × (1.5 − 0) × (1 + 1) = 6;  w1 = 4 × 1.0 × 1.5 = 6;  w2 = 4 × 0.5 × 1 = 2;  total 14
    w = framing.sentence_weights(s)
    assert w.tolist() == pytest.approx([6.0, 6.0, 2.0])
    cb = load_codebook({"frames": [{"id": "war", "cues": ["war", "troops"]}, {"id": "none", "cues": ["zzz"]}]})
    fr = score_frames(s, codebook=cb)
    af = framing.article_frames(fr, s)
    assert af.weighted_share.tolist() == pytest.approx([8 / 14])
    # a second article of the same outlet without the frame halves the outlet's share
    s2 = pd.concat([s, make_sentences([("b", "nothing at all")])], ignore_index=True)
    arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "X"]})
    summ = framing.frame_summary(score_frames(s2, codebook=cb), s2, arts, codebook=cb)
    assert list(summ.columns) == framing.SUMMARY_COLUMNS
    row = summ.set_index("frame").loc["war"]
    assert row.weighted_share == pytest.approx(4 / 14) and row.article_share == 0.5 and row.n_articles == 2
    assert summ.set_index("frame").loc["none"].weighted_share == 0


def test_audit_sample_is_seeded_and_has_both_kinds():
    s = make_sentences([("a", f"war number {i}") for i in range(10)] + [("b", f"calm {i}") for i in range(10)])
    cb = load_codebook({"frames": [{"id": "war", "cues": ["war"]}]})
    fr = score_frames(s, codebook=cb)
    a1 = framing.audit_sample(fr, s, n=4, seed=7)
    a2 = framing.audit_sample(fr, s, n=4, seed=7)
    a3 = framing.audit_sample(fr, s, n=4, seed=8)
    assert a1.equals(a2) and not a1.equals(a3)
    assert list(a1.columns) == framing.AUDIT_COLUMNS
    assert a1["sample"].value_counts().to_dict() == {"assigned": 4, "unframed": 4}
    assert (a1[a1["sample"] == "unframed"].article_id == "b").all()
    assert a1.text.str.len().gt(0).all()
    # asking for more than there is gives everything there is
    big = framing.audit_sample(fr, s, n=100, seed=0)
    assert big["sample"].value_counts().to_dict() == {"assigned": 10, "unframed": 10}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=80), max_size=6))
def test_score_frames_never_raises_on_arbitrary_text(texts):
    s = make_sentences([("a", t) for t in texts]) if texts else pd.DataFrame(columns=["article_id", "sent_id", "text"])
    fr = score_frames(s)
    assert set(fr.columns) >= set(framing.FRAME_COLUMNS)
    if len(s):
        framing.frame_summary(fr, s, pd.DataFrame({"article_id": ["a"], "outlet": ["X"]}))
        framing.audit_sample(fr, s, n=3, seed=0)


def test_top_cell_evidence_returns_the_sentences_behind_the_largest_cells():
    from helpers.compare.framing import top_cell_evidence

    summary = pd.DataFrame({"outlet": ["X", "Y"], "frame": ["security_defense", "economic"],
                            "weighted_share": [0.9, 0.1]})
    frames = pd.DataFrame({"article_id": ["a", "a", "b"], "sent_id": [0, 1, 0],
                           "frame": ["security_defense", "security_defense", "economic"],
                           "score": [1.0, 2.0, 1.0], "cues": ["troops", "army; troops", "economy"]})
    sentences = pd.DataFrame({"article_id": ["a", "a", "b"], "sent_id": [0, 1, 0], "text": ["s0", "s1", "t0"]})
    articles = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["X", "Y"]})
    evidence = top_cell_evidence(summary, frames, sentences, articles, cells=1, per_cell=2)
    assert evidence[["outlet", "sent_id", "text"]].values.tolist() == [["X", 1, "s1"], ["X", 0, "s0"]]
    assert top_cell_evidence(summary.iloc[0:0], frames, sentences, articles).empty


# ---------------------------------------------------------------- cues in their sense (issue 17)

@pytest.mark.parametrize("text,frame,fires", [
    ("During the phone call on Monday, the two ministers spoke about the dam.", "sv_responsibility", False),
    ("The mayor of Brindle made calls on Thursday night to try to find a way out.", "sv_responsibility", False),
    ("The council called on the mayor of Brindle to resign.", "sv_responsibility", True),
    ("Unions call on the Orlan government to reopen the mill.", "sv_responsibility", True),
    ("The agency charged with protecting the Velt river was praised.", "crime_punishment", False),
    ("The Brindle treasurer was charged with embezzlement.", "crime_punishment", True),
    ("The report was released to the public on Friday.", "public_opinion", False),
    ("The public supports the Velt dam plan.", "public_opinion", True),
    ("The Orlan team needs to win on Sunday.", "policy_prescription", False),
    ("There was a lack of enthusiasm in the Brindle crowd.", "capacity_resources", False),
])
def test_multiword_cues_fire_only_in_their_sense(text, frame, fires):
    fr = score_frames(make_sentences([("a", text)]))
    assert (frame in set(fr.frame)) is fires


def test_codebook_has_no_named_groups_or_places():
    # cues are general words: a named armed group, people, religion's law or one country's agency is not one
    words = {w.lower() for f in load_codebook().frames for w in f.words}
    assert not words & {"taliban", "al-qaeda", "isis", "pashtun*", "sharia", "islamic", "pentagon", "fbi"}


def test_cue_audit_samples_are_deterministic():
    from helpers.evaluate.cue_audit import multiword_cues, sample_cues
    cues = multiword_cues()
    assert ("sv_responsibility", "call on") not in cues and any(c.startswith("re:") for _, c in cues)
    sentences = ["The Velt quality of life improved.", "Nothing here.", "Brindle quality of life fell.",
                 "The council called on the mayor to resign."]
    a = sample_cues(sentences, cues, per_cue=1, seed=3)
    assert a.equals(sample_cues(sentences, cues, per_cue=1, seed=3))
    row = a[a.cue == "quality of life"].iloc[0]
    assert row.hits == 2 and "[quality of life]" in row.sentence


def _contrast_corpus():
    # three invented outlets; each article has 20 sentences; every outlet mentions the economy at
    # the same rate, only Orlan Daily writes about troops and attacks
    rows, arts = [], []
    for outlet in ("Orlan Daily", "Velt Post", "Brindle Times"):
        for k in range(3):
            aid = f"{outlet[:2]}{k}"
            arts.append({"article_id": aid, "outlet": outlet})
            texts = ["The budget will cost the town money."] * 4
            texts += (["Troops repelled an attack on the Velt bridge."] * 8 if outlet == "Orlan Daily" else [])
            texts += ["It rained in the valley."] * (20 - len(texts))
            rows += [(aid, t) for t in texts]
    return make_sentences(rows), pd.DataFrame(arts)


def test_frame_contrasts_test_differences_and_call_shared_frames_context():
    sentences, articles = _contrast_corpus()
    frames = score_frames(sentences)
    out = framing.frame_contrasts(frames, sentences, articles)
    assert list(out.columns) == framing.CONTRAST_COLUMNS
    sec = out[(out.outlet == "Orlan Daily") & (out.frame == "security_defense")].iloc[0]
    assert sec.finding == "contrast" and sec.p_value < 0.001 and sec.n_sentences == 24
    assert sec.outlet_share == pytest.approx(24 / 60) and sec.others_share == 0
    assert len(sec.evidence.split("; ")) == 5 and sec.evidence.startswith("Or")
    econ = out[out.frame == "economic"]
    assert set(econ.finding) == {"context"}  # every outlet carries it at the same level
    assert out[out.frame == "security_defense"].finding.tolist().count("contrast") >= 1
    assert framing.frame_contrasts(frames.iloc[0:0], sentences, articles).empty


def test_tone_contrasts_need_enough_sentences_and_a_test():
    rows = []
    for outlet, compound in (("Orlan Daily", -0.6), ("Velt Post", 0.5), ("Brindle Times", 0.4)):
        for k in range(8):
            rows.append({"article_id": outlet[:2], "sent_id": k, "outlet": outlet, "actor": "Mayor Kessa",
                         "compound": compound + 0.01 * k, "text": "x"})
    rows.append({"article_id": "Or", "sent_id": 99, "outlet": "Orlan Daily", "actor": "Judge Amri", "compound": 0.2, "text": "x"})
    rows.append({"article_id": "Ve", "sent_id": 99, "outlet": "Velt Post", "actor": "Judge Amri", "compound": -0.2, "text": "x"})
    out = framing.tone_contrasts(pd.DataFrame(rows))
    assert list(out.columns) == framing.TONE_CONTRAST_COLUMNS
    mayor = out[(out.actor == "Mayor Kessa") & (out.outlet == "Orlan Daily")].iloc[0]
    assert mayor.finding == "contrast" and mayor.difference < 0 and mayor.evidence.startswith("Or:0")
    assert set(out[out.actor == "Judge Amri"].finding) == {"too few"}


@pytest.mark.parametrize("x, y", [
    ([0.1, 0.5], [0.3]),                                     # tiny, no ties: scipy's exact distribution
    ([0.1, 0.2, 0.3], [0.4, 0.5, 0.6, 0.7]),                 # all of one side above the other
    ([0.0, 0.0, 0.2], [0.0, 0.1]),                           # ties: the normal approximation
    ([0.05 * k for k in range(12)], [0.03 * k for k in range(15)]),  # both sides over 8, with ties
    ([0.1 * (k % 7) - 0.3 for k in range(40)], [0.2] * 9 + [-0.5] * 3),
])
def test_mann_whitney_p_is_scipys_from_ranks_over_the_whole_group(x, y):
    import numpy as np
    from scipy.stats import mannwhitneyu

    values = np.array(x + y, dtype=float)
    ranks, ties = framing._ranks_and_ties(values)
    got = framing._mann_whitney_p(np.array(x), np.array(y), float(ranks[:len(x)].sum()), ties, {})
    assert got == float(mannwhitneyu(x, y, alternative="two-sided").pvalue)  # the same float, not close


@pytest.mark.parametrize("seed", [0, 1])
def test_tone_contrasts_match_each_outlet_tested_against_the_rest_one_by_one(seed):
    # many outlets, actors large and small, ties and no ties: each row is what scipy's test and the
    # plain means of the outlet's and the others' sentences give (the table computes the others'
    # side from the actor's totals)
    import numpy as np
    from scipy.stats import mannwhitneyu

    rng = np.random.default_rng(seed)
    rows = []
    for actor, n, rounding in (("Mayor Kessa", 900, 2), ("Judge Amri", 40, None), ("Harbour Authority", 12, None)):
        for k in range(n):
            outlet = None if k % 97 == 5 else f"Outlet {int(rng.integers(0, 25 if n > 100 else 3)):02d}"
            value = float(rng.uniform(-1, 1))
            rows.append({"article_id": f"a{k % 60:02d}", "sent_id": k, "outlet": outlet, "actor": actor,
                         "compound": round(value, rounding) if rounding else value, "text": "x"})
    table = pd.DataFrame(rows)
    out = framing.tone_contrasts(table, evidence=3)
    assert len(out) > 25
    for row in out.itertuples():
        group = table[table.actor == row.actor]
        mine = (group.outlet == row.outlet).to_numpy()
        x, y = group.compound.to_numpy()[mine], group.compound.to_numpy()[~mine]
        assert row.p_value == float(mannwhitneyu(x, y, alternative="two-sided").pvalue)
        assert (row.n_sentences, row.n_others_sentences) == (len(x), len(y))
        assert row.outlet_mean == pytest.approx(x.mean(), rel=1e-12, abs=1e-15)
        assert row.others_mean == pytest.approx(y.mean(), rel=1e-12, abs=1e-15)
        own = group[mine]
        sign = 1.0 if row.difference < 0 else -1.0
        expected = sorted(zip(sign * own.compound, own.article_id, own.sent_id))[:3]
        assert row.evidence == "; ".join(f"{a}:{s}" for _, a, s in expected)


def test_tone_contrasts_evidence_follows_the_direction_and_ties_break_by_article_and_sentence():
    rows = [{"article_id": aid, "sent_id": k, "outlet": outlet, "actor": "Mayor Kessa", "compound": c, "text": "x"}
            for outlet, aid, values in (("Orlan Daily", "b", [-0.5, -0.9, -0.9]), ("Orlan Daily", "a", [-0.9]),
                                        ("Velt Post", "v", [0.4, 0.6, 0.5, 0.7]))
            for k, c in enumerate(values)]
    rows.append({"article_id": "n", "sent_id": 0, "outlet": None, "actor": "Mayor Kessa", "compound": 0.9, "text": "x"})
    out = framing.tone_contrasts(pd.DataFrame(rows), evidence=3).set_index("outlet")
    assert set(out.index) == {"Orlan Daily", "Velt Post"}  # a row without an outlet is only among the others
    assert out.loc["Orlan Daily", "evidence"] == "a:0; b:1; b:2"  # most negative first, then by article, sentence
    assert out.loc["Velt Post", "evidence"] == "v:3; v:1; v:2"    # most positive first
    assert out.loc["Orlan Daily", "n_others_sentences"] == 5


def test_a_frame_one_outlet_leans_on_without_a_significant_q_is_not_context():
    # every outlet mentions courts, Orlan Daily four times as often: p < 0.05 alone, so it is not
    # "the same level" (context), even when the adjustment leaves no contrast
    rows, arts = [], []
    for outlet, n_court in (("Orlan Daily", 8), ("Velt Post", 2), ("Brindle Times", 2)):
        aid = outlet[:2]
        arts.append({"article_id": aid, "outlet": outlet})
        texts = ["The court ruled on the toll."] * n_court + ["It rained in the valley."] * (30 - n_court)
        rows += [(aid, t) for t in texts]
    sentences, articles = make_sentences(rows), pd.DataFrame(arts)
    out = framing.frame_contrasts(score_frames(sentences), sentences, articles)
    legal = out[out.frame == "legality"].set_index("outlet")
    assert legal.loc["Orlan Daily", "p_value"] < 0.05
    assert "context" not in set(legal.finding)


def test_frame_share_grid_puts_the_outlets_with_the_most_articles_first():
    from helpers.compare.framing import frame_share_grid

    summary = pd.DataFrame({"outlet": ["Alpha", "Alpha", "Zeta", "Zeta", "Mid", "Mid"],
                            "frame": ["economic", "legality"] * 3, "weighted_share": [0.5, 0.0, 0.2, 0.0, 0.1, 0.0],
                            "n_articles": [1, 1, 9, 9, 1, 1]})
    grid = frame_share_grid(summary)
    assert list(grid.columns) == ["Zeta", "Alpha", "Mid"], "most articles first, then by name"
    assert list(grid.index) == ["economic"], "a frame no outlet carries is left out"
    assert grid.loc["economic", "Zeta"] == 0.2
    assert frame_share_grid(summary.iloc[0:0]).empty
    # a share resting on one sentence (one cue match) is left empty, and a frame with no share left out
    counted = summary.assign(n_sentences=[1, 0, 5, 0, 2, 0])
    grid = frame_share_grid(counted)
    assert pd.isna(grid.loc["economic", "Alpha"]) and grid.loc["economic", "Zeta"] == 0.2
    assert grid.loc["economic", "Mid"] == 0.1
    assert frame_share_grid(counted.assign(n_sentences=1)).empty


def _frames_by_pattern(sentences, codebook):
    """score_frames' rows by the plainest reading of its rule: each sentence scanned alone with
    each frame's case-insensitive pattern (the oracle for the faster scan of the whole text)."""
    rows = []
    for art, sid, text in zip(sentences["article_id"], sentences["sent_id"], sentences["text"]):
        for frame in codebook.frames:
            if frame.pattern is None:
                continue
            cues = [" ".join(m.group(0).lower().replace("’", "'").split()) for m in frame.pattern.finditer(text)]
            if cues and len(cues) * frame.weight >= 1.0:
                rows.append((art, sid, frame.id, len(cues) * frame.weight, "; ".join(dict.fromkeys(cues))))
    return sorted(rows)


_TRICKY = {"frames": [
    # scanned lower-cased without the flag ("i", "s", "k" are their own case keys)
    {"id": "words", "cues": {"words": ["visit*", "ski", "kelvin", "class action", "istanbul", "o'neill", "café"]}},
    # scanned with the flag: "σ" is not its own case key (the final sigma is), nor is a regex cue
    {"id": "greek", "cues": {"words": ["σοφία", "visit"]}},
    {"id": "with_regex", "cues": {"words": ["visit"], "regex": [r"Ski\s+\w+"]}},
]}


def test_only_word_cues_that_are_their_own_case_keys_are_scanned_lower_cased():
    keyed = {f.id: framing._keyed_cue_pattern(f.pattern, tuple(f.words), tuple(f.regex))
             for f in load_codebook(_TRICKY).frames}
    assert keyed["words"] is not None and keyed["greek"] is None and keyed["with_regex"] is None
    assert framing._case_keyed("The vıSıt of ſki, \u212aELVIN") == "the visit of ski, kelvin"
    assert framing._case_keyed("İstanbul, ΣΟΦΊΑ") == "istanbul, ςοφίας"[:-1]


@pytest.mark.parametrize("texts", [
    ["VISITORS came to Visit.", "no cue here"],
    ["The vıSıt of the dotless i", "a ſki trip with the long s"],          # letters IGNORECASE matches alike
    ["\u212aELVIN and kelvin", "İstanbul and ISTANBUL and istanbul"],       # the Kelvin sign; İ lowers to two characters
    ["ΣΟΦΊΑ, σοφία and ΣΟΦΙΑ", "Class   Action\nsuits", "O’Neill and O'NEILL", "CAFÉ and café"],
    ["", "visit" * 3, "revisit visitation"],                                 # no cue inside a word
])
def test_score_frames_finds_what_the_case_insensitive_pattern_finds(texts):
    codebook = load_codebook(_TRICKY)
    sentences = make_sentences([("a", t) for t in texts] + [("b", t.upper()) for t in texts])
    found = score_frames(sentences, codebook=codebook)
    assert sorted(found[["article_id", "sent_id", "frame", "score", "cues"]].itertuples(index=False, name=None)) \
        == _frames_by_pattern(sentences, codebook)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(list("visktlaoneσςΣıİiIſsK\u212a '’-_.\n") + ["visit", "ski ", "class action"]),
                         max_size=20).map("".join), min_size=1, max_size=6))
def test_score_frames_matches_the_oracle_on_any_text(texts):
    codebook = load_codebook(_TRICKY)
    sentences = make_sentences([("a", t) for t in texts])
    found = score_frames(sentences, codebook=codebook)
    assert sorted(found[["article_id", "sent_id", "frame", "score", "cues"]].itertuples(index=False, name=None)) \
        == _frames_by_pattern(sentences, codebook)


def _evidence_with_every_text_joined(summary, frames, sentences, articles, *, cells, per_cell, by="outlet"):
    """The evidence as first written: every frame row joined to its sentence's text, then chosen."""
    columns = [by, "frame", "weighted_share", "article_id", "sent_id", "score", "cues", "text"]
    top = summary[summary["weighted_share"] > 0].sort_values(["weighted_share", by, "frame"],
                                                             ascending=[False, True, True], kind="stable").head(cells)
    groups = articles[["article_id", by]].assign(**{by: articles[by].where(articles[by].astype(str) != "", f"(unknown {by})")})
    evidence = frames.merge(groups, on="article_id", how="left").merge(
        sentences[["article_id", "sent_id", "text"]], on=["article_id", "sent_id"], how="left")
    rows = []
    for cell in top.itertuples(index=False):
        chosen = evidence[(evidence[by] == getattr(cell, by)) & (evidence["frame"] == cell.frame)].sort_values(
            ["score", "article_id", "sent_id"], ascending=[False, True, True], kind="stable")
        rows += [{by: getattr(cell, by), "frame": cell.frame, "weighted_share": cell.weighted_share,
                  "article_id": r.article_id, "sent_id": r.sent_id, "score": r.score, "cues": r.cues, "text": r.text}
                 for r in chosen.head(per_cell).itertuples(index=False)]
    return pd.DataFrame(rows, columns=columns)


@pytest.mark.parametrize("cells, per_cell", [(1, 1), (3, 2), (10, 5)])
def test_top_cell_evidence_joins_only_the_chosen_sentences_text_with_the_same_rows(cells, per_cell):
    """Ties in score (earliest first), an outlet left empty, a frame row whose sentence is missing
    (no text), several cells of one outlet: the rows of joining every sentence's text first."""
    rng = np.random.default_rng(3)
    ids = [f"a{i}" for i in range(12)]
    articles = pd.DataFrame({"article_id": ids, "outlet": ["X", "Y", "", "Z"] * 3})
    frames = pd.DataFrame({"article_id": rng.choice(ids, 80), "sent_id": rng.integers(0, 6, 80),
                           "frame": rng.choice(["economic", "security_defense", "morality"], 80),
                           "score": rng.choice([1.0, 1.5, 2.0], 80)}).drop_duplicates(["article_id", "sent_id", "frame"])
    frames = frames.assign(cues=[f"cue{i}" for i in range(len(frames))]).reset_index(drop=True)
    sentences = pd.DataFrame([(a, s, f"{a} sentence {s}") for a in ids for s in range(6) if (a, s) != ("a1", 2)],
                             columns=["article_id", "sent_id", "text"])
    summary = (frames.merge(articles, on="article_id").assign(
        outlet=lambda f: f["outlet"].where(f["outlet"] != "", "(unknown outlet)"))
        .groupby(["outlet", "frame"]).size().rename("weighted_share").reset_index())
    summary["weighted_share"] = summary["weighted_share"] / summary["weighted_share"].sum()
    got = framing.top_cell_evidence(summary, frames, sentences, articles, cells=cells, per_cell=per_cell)
    expected = _evidence_with_every_text_joined(summary, frames, sentences, articles, cells=cells, per_cell=per_cell)
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, expected)
