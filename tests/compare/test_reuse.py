"""Known-answer tests for helpers.compare.reuse (shared passages, pairs, originality)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from helpers.compare.alignments import find_alignments
from helpers.compare.reuse import (
    article_originality, find_shared_passages, PAIR_COLUMNS, PASSAGE_COLUMNS, reuse_pairs)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "reuse" / "toy_articles.json"


@pytest.fixture
def toy() -> pd.DataFrame:
    return pd.DataFrame(json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"])


def test_shared_passage_across_three_articles_with_variant_and_dropped_clause(toy):
    passages = find_shared_passages(toy)
    assert list(passages.columns) == PASSAGE_COLUMNS
    carrying = passages.groupby("passage_id")["article_id"].apply(set)
    assert {"A", "B", "C"} in list(carrying)
    pid = carrying[carrying == {"A", "B", "C"}].index[0]
    rows = passages[passages["passage_id"] == pid].set_index("article_id")
    for art in "ABC":
        text = toy.set_index("article_id").loc[art, "text"]
        r = rows.loc[art]
        assert text[r["start"]:r["end"]] == r["text"]
        assert "ministers reviewed the border situation" in r["text"]
    # B's occurrence bridges the spelling variant and the dropped "more broadly"
    assert "defense relationship, according to a joint statement" in rows.loc["B", "text"]
    assert "D" not in set(passages["article_id"])
    # C carries it inside quotation marks, A and B without: the detail says in how many
    assert rows["source_kind"].iloc[0] == "quoted statement"
    assert rows["source_detail"].iloc[0] == "inside quotation marks in 1 of 3 articles"
    # a quotation's origin is its speaker, not the article that ran it first
    assert rows["origin_article_id"].iloc[0] == ""
    assert rows["origin_method"].iloc[0] == "its speaker or poster (a quotation of a common source)"


def test_copied_text_is_given_an_origin_only_when_every_carrier_is_dated():
    text = ("The regional council approved the new flood barrier budget after a long debate about "
            "the cost of the river works and the schedule for the spring construction season.")
    arts = pd.DataFrame({"article_id": ["early", "late", "undated"], "outlet": ["Herald", "Post", "Times"],
                         "published": ["2030-03-06", "2030-03-08", ""],
                         "text": [f"Lakeport news. {text}", f"Valley news. {text}", f"Ridge news. {text} More."]})
    passages = find_shared_passages(arts)
    assert set(passages["origin_article_id"]) == {""} and set(passages["origin_method"]) == {"undetermined"}
    dated = find_shared_passages(arts[arts["article_id"] != "undated"])
    assert set(dated["origin_article_id"]) == {"early"} and set(dated["origin_method"]) == {"earliest published"}


def test_alignment_offsets_and_pairs_containment_both_ways(toy):
    al = find_alignments(toy)
    ab = al[(al["article_a"] == "A") & (al["article_b"] == "B")]
    assert len(ab) == 1 and ab["matched_words"].iloc[0] >= 20
    pairs = reuse_pairs(toy, alignments=al)
    assert list(pairs.columns) == PAIR_COLUMNS
    ac = pairs[(pairs["article_a"] == "A") & (pairs["article_b"] == "C")].iloc[0]
    # C is mostly the quote, A much longer: C is contained in A far more than A in C
    assert ac["share_b"] > 0.6 > 0.5 > ac["share_a"]
    assert not ((pairs["article_a"] == "D") | (pairs["article_b"] == "D")).any()


def test_unrelated_texts_share_nothing():
    arts = pd.DataFrame({"article_id": ["x", "y"], "text": [
        "The central bank raised interest rates by a quarter point to fight inflation on Wednesday.",
        "Heavy rain flooded several villages in the north, and rescue teams evacuated hundreds of families."]})
    assert find_shared_passages(arts).empty
    assert reuse_pairs(arts).empty
    orig = article_originality(arts)
    assert orig["own_share"].tolist() == [1.0, 1.0]
    assert orig["main_source_article"].tolist() == ["", ""]


def test_identical_articles_are_fully_shared(toy):
    text = toy.loc[0, "text"]
    arts = pd.DataFrame({"article_id": ["p", "q"], "text": [text, text], "published": ["", ""]})
    pairs = reuse_pairs(arts)
    assert len(pairs) == 1
    assert pairs["share_a"].iloc[0] == pytest.approx(1.0)
    assert pairs["share_b"].iloc[0] == pytest.approx(1.0)
    orig = article_originality(arts).set_index("article_id")
    assert orig.loc["p", "shared_share"] == pytest.approx(1.0)
    assert orig.loc["p", "main_source_article"] == "q"
    passages = find_shared_passages(arts)
    assert passages["passage_id"].nunique() == 1
    assert passages["origin_method"].iloc[0] == "undetermined"


def test_short_common_phrase_is_not_a_passage():
    arts = pd.DataFrame({"article_id": ["a", "b"], "text": [
        "Officials said on Tuesday that the talks would continue next week in Geneva.",
        "Critics argued that the talks would continue without any real progress being made."]})
    # "that the talks would continue" is 5 words, under min_words=8
    assert find_alignments(arts).empty


def test_empty_inputs():
    empty = pd.DataFrame({"article_id": pd.Series(dtype=str), "text": pd.Series(dtype=str)})
    assert find_alignments(empty).empty
    assert find_shared_passages(empty).empty
    assert list(find_shared_passages(empty).columns) == PASSAGE_COLUMNS
    assert reuse_pairs(empty).empty
    assert article_originality(empty).empty
    blank = pd.DataFrame({"article_id": ["a", "b"], "text": ["", None]})
    assert find_shared_passages(blank).empty


def test_social_post_and_wire_credit_detected():
    tweet = ("Earlier today, I spoke with the visiting delegation about our shared interest in regional stability. "
             "pic.twitter.com/AbCdEf123 — Some Official (@official) August 9, 2021")
    wire = " ".join(f"word{i}" for i in range(40))
    arts = pd.DataFrame({"article_id": ["a", "b", "c", "d"], "text": [
        "Intro line here.\n\n" + tweet, "Another intro.\n\n" + tweet,
        "NEW DELHI (PTI) " + wire, "A reprint: " + wire]})
    p = find_shared_passages(arts).drop_duplicates("passage_id").set_index("passage_id")
    kinds = set(p["source_kind"])
    assert kinds == {"social post", "wire copy"}


def test_embeds_frame_marks_social_post():
    body = "the minister said the new bridge would open to traffic before the end of the rainy season"
    arts = pd.DataFrame({"article_id": ["a", "b"], "text": ["x. " + body, "y. " + body]})
    embeds = pd.DataFrame({"article_id": ["a"], "start": [3], "end": [3 + len(body)], "kind": ["tweet"],
                           "platform": ["twitter"], "author": ["Minister"], "handle": ["@min"],
                           "posted": [""], "text": [body]})
    p = find_shared_passages(arts, embeds=embeds)
    assert set(p["source_kind"]) == {"social post"}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]),
                min_size=0, max_size=60))
def test_offsets_always_index_text(words):
    text = " ".join(words)
    arts = pd.DataFrame({"article_id": ["a", "b"], "text": [text, "intro " + text + " outro"]})
    for r in find_shared_passages(arts).itertuples():
        full = arts.set_index("article_id").loc[r.article_id, "text"]
        assert full[r.start:r.end] == r.text
    for r in reuse_pairs(arts).itertuples():
        assert 0 <= r.share_a <= 1 and 0 <= r.share_b <= 1


def test_containment_matrix_is_square_with_both_directions():
    from helpers.compare.reuse import containment_matrix

    pairs = pd.DataFrame({"article_a": ["a"], "article_b": ["b"], "share_a": [0.5], "share_b": [0.25]})
    articles = pd.DataFrame({"article_id": ["a", "b", "c"]})
    wide = containment_matrix(pairs, articles)
    assert list(wide.index) == ["a", "b"] and list(wide.columns) == ["a", "b"]
    assert wide.loc["a", "b"] == 0.5 and wide.loc["b", "a"] == 0.25 and wide.loc["a", "a"] == 0
    assert containment_matrix(pairs.iloc[0:0], articles).empty


WIRE_STORY = ("Flood barriers on the river Vell failed overnight and water reached the old market of Lakeport, "
              "where shopkeepers moved stock to upper floors while the harbour board opened emergency shelters "
              "in two schools and asked residents of the lower town to leave before the evening high tide.")


def test_wire_copy_is_credited_to_the_agency_not_to_the_first_outlet_that_copied_it():
    """Issue 17: the earliest outlet carrying a credited wire story was named its origin and the
    other copies' main source."""
    arts = pd.DataFrame({
        "article_id": ["courier", "times", "post"],
        "outlet": ["Vell Courier", "Vell Times", "Quay Post"],
        "published": ["2024-03-06", "2024-03-07", "2024-03-07"],
        "text": ["LAKEPORT, March 6 (Continental Press) - " + WIRE_STORY,
                 "Our readers asked about the floods.\n\n" + WIRE_STORY + "\n\n— Continental Press",
                 "Local news in brief.\n\n" + WIRE_STORY]})
    passages = find_shared_passages(arts)
    wire_rows = passages[passages["source_kind"] == "wire copy"]
    assert set(wire_rows["article_id"]) == {"courier", "times", "post"}
    assert set(wire_rows["source_agency"]) == {"Continental Press"}
    assert set(wire_rows["origin_article_id"]) == {""}
    assert set(wire_rows["origin_method"]) == {"credited to Continental Press"}
    orig = article_originality(arts, passages=passages).set_index("article_id")
    assert set(orig["main_source"]) == {"Continental Press"}
    assert set(orig["main_source_article"]) == {""}


def test_a_mention_of_an_agency_is_not_a_wire_credit():
    arts = pd.DataFrame({"article_id": ["a", "b"], "outlet": ["Vell Courier", "Quay Post"],
                         "published": ["2024-03-06", "2024-03-07"],
                         "text": ["According to AP, the barriers failed. " + WIRE_STORY, "In brief. " + WIRE_STORY]})
    passages = find_shared_passages(arts)
    assert set(passages["source_kind"]) == {"unknown"}
    assert set(passages["origin_article_id"]) == {"a"}       # the earlier article, as before
    orig = article_originality(arts, passages=passages).set_index("article_id")
    assert orig.loc["b", "main_source_article"] == "a" and orig.loc["a", "main_source_article"] == ""


def test_the_agencys_own_article_is_the_origin_of_its_wire_copy():
    arts = pd.DataFrame({"article_id": ["agency", "copy"], "outlet": ["Reuters", "Vell Courier"],
                         "published": ["2024-03-07", "2024-03-06"],   # dates cannot outrank the credit
                         "text": ["LAKEPORT (Reuters) - " + WIRE_STORY, "LAKEPORT (Reuters) - " + WIRE_STORY]})
    passages = find_shared_passages(arts)
    assert set(passages["source_kind"]) == {"wire copy"}
    assert set(passages["origin_article_id"]) == {"agency"}
    assert article_originality(arts, passages=passages).set_index("article_id").loc["copy", "main_source"] == "agency"


STATEMENT = ("“The harbour of Lakeport will stay closed to heavy shipping until the flood barriers on the river "
             "Vell have been repaired and inspected by independent engineers,” the harbour master said.")


def test_sharing_a_quotation_of_a_common_source_is_not_copying():
    """Issue 17: two articles quoting one statement were shown as copying each other."""
    own_a = "The Vell Courier spoke to shopkeepers in the old market about the losses of the week. "
    own_b = "Quay Post reporters counted boats stranded in the outer basin on Thursday morning. "
    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["Vell Courier", "Quay Post", "Vell Times"],
                         "published": ["2024-03-06", "2024-03-07", "2024-03-08"],
                         "text": [own_a + STATEMENT, own_b + STATEMENT, "In brief. " + own_b]})
    passages = find_shared_passages(arts)
    kinds = passages.drop_duplicates("passage_id").set_index("passage_id")["source_kind"]
    assert "quoted statement" in set(kinds)
    pairs = reuse_pairs(arts, passages=passages)
    ab = pairs[(pairs["article_a"] == "a") & (pairs["article_b"] == "b")].iloc[0]
    assert ab["share_a"] > 0.3 and ab["copied_share_a"] == 0 and ab["copied_share_b"] == 0
    bc = pairs[(pairs["article_a"] == "b") & (pairs["article_b"] == "c")].iloc[0]
    assert bc["copied_share_b"] == pytest.approx(bc["share_b"]) and bc["copied_share_b"] > 0.5
    orig = article_originality(arts, passages=passages).set_index("article_id")
    assert orig.loc["a", "copied_share"] == 0 and orig.loc["a", "own_share"] == 1.0
    assert orig.loc["a", "quoted_share"] == pytest.approx(orig.loc["a", "shared_share"])
    assert orig.loc["a", "quoted_share"] > 0.3
    assert orig.loc["c", "main_source_article"] == "b" and orig.loc["a", "main_source"] == ""
    # without passages the copied shares are the shares (nothing is known about quotations)
    plain = reuse_pairs(arts)
    assert (plain["copied_share_a"] == plain["share_a"]).all()


def test_an_outlets_own_furniture_and_the_credit_itself_are_not_wire_copy():
    footer = "Sign up for the Vell Courier morning letter and read every story on our harbour pages today"
    credit = "Continental Press contributed to this report. Click for more from the Vell harbour pages"
    stories = [f"Story {k} about the quay, told in its own words number {k} by the desk." for k in range(3)]
    arts = pd.DataFrame({
        "article_id": ["c1", "c2", "c3", "t1"],
        "outlet": ["Vell Courier", "Vell Courier", "Vell Courier", "Vell Times"],
        "published": ["2024-03-06", "2024-03-07", "2024-03-08", "2024-03-08"],
        "text": [f"{stories[0]}\n\n{credit}\n\n{footer}", f"{stories[1]}\n\n{credit}\n\n{footer}",
                 f"{stories[2]}\n\n{footer}", f"The Vell Times story.\n\n{credit}"]})
    passages = find_shared_passages(arts)
    assert len(passages) and "wire copy" not in set(passages["source_kind"])
    # one outlet's two articles, one of them without a credit: its own updated story, not wire copy
    same = pd.DataFrame({"article_id": ["u1", "u2"], "outlet": ["Vell Courier", "Vell Courier"],
                         "published": ["2024-03-06", "2024-03-07"],
                         "text": ["LAKEPORT (Reuters) - " + WIRE_STORY, "Update. " + WIRE_STORY]})
    assert set(find_shared_passages(same)["source_kind"]) == {"unknown"}


def _passages(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["passage_id", "article_id", "words", "text"])


@pytest.mark.parametrize("rows", [[], [("P1", "a", 5, "one two")]])
def test_side_by_side_of_no_passage_or_one(rows):
    from helpers.compare.reuse import passages_side_by_side

    got = passages_side_by_side(_passages(rows), {"a": "Herald"})
    assert got.columns[0] == "passage_id" and len(got) == len({r[0] for r in rows})
    if rows:
        assert got.loc[0, "Herald"] == "one two"


def test_side_by_side_keeps_the_most_carried_passages_and_the_articles_carrying_most_of_them():
    """Bounded on a large corpus: the passages carried by most articles (then most words, then
    id), and among their articles those carrying most of them (then label); "" where an article
    does not carry a passage; an id without a label stands for itself."""
    from helpers.compare.reuse import passages_side_by_side

    rows = [("P1", a, 4, f"p1 {a}") for a in "abc"] + [("P2", a, 9, f"p2 {a}") for a in "bc"] \
        + [("P3", a, 3, f"p3 {a}") for a in "cd"] + [("P4", "e", 50, "p4 e"), ("P4", "a", 50, "p4 a")]
    labels = {"a": "Alpha", "b": "Bravo", "c": "Charlie", "d": "Delta"}
    got = passages_side_by_side(_passages(rows), labels, max_passages=3, max_articles=3)
    # P1 (3 articles), then P2 and P4 (2 each; P4 has more words, P2 beats P3 on words)
    assert got["passage_id"].tolist() == ["P1", "P2", "P4"]
    # a carries P1, P4; b P1, P2; c P1, P2; e P4 only: a, b, c kept (2 each), in label order
    assert got.columns.tolist() == ["passage_id", "Alpha", "Bravo", "Charlie"]
    assert got.set_index("passage_id").loc["P4"].tolist() == ["p4 a", "", ""]
    everything = passages_side_by_side(_passages(rows), labels)
    assert everything.columns.tolist() == ["passage_id", "Alpha", "Bravo", "Charlie", "Delta", "e"]
    assert len(everything) == 4
    story = passages_side_by_side(_passages(rows), labels, among=["c", "d"])  # one story's articles only
    assert story["passage_id"].tolist() == ["P1", "P2", "P3"] and story.columns.tolist() == ["passage_id", "Charlie", "Delta"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 70), st.integers(0, 40)), max_size=6))
def test_words_in_common_source_quotations_are_the_words_wholly_inside_one(spans):
    # the running count against a word-by-word reading: a word counts when it lies wholly inside
    # some quoted span (overlapping spans, spans that cut a word, empty spans)
    from helpers.compare.reuse import WORD_RE, _common_source_words

    text = "The mayor said the bridge will reopen in May, after a long repair of its deck."
    frame = pd.DataFrame({"article_id": ["a"], "text": [text]})
    passages = pd.DataFrame({"article_id": "a", "start": [s for s, _ in spans], "end": [s + n for s, n in spans],
                             "source_kind": "quoted statement"})
    counts = _common_source_words(frame, passages)
    words = [m.span() for m in WORD_RE.finditer(text)]
    inside = [any(ws >= s and we <= s + n for s, n in spans) for ws, we in words]
    expected = [0] + list(pd.Series(inside, dtype=int).cumsum()) if spans else None
    assert (counts.get("a") is None) if not spans else counts["a"].tolist() == expected
