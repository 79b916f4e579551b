"""Property-based tests: the loader, the cleaner, the sentence splitter and the date resolver
never raise on any input, keep their offsets inside the text, and cleaning never removes more
than it reports. Example counts are modest so the file runs in seconds."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.load import clean
from helpers.load.corpus import CorpusError, load_corpus
from helpers.dates import find_temporal_expressions
from helpers.annotate.sentences import merge_fragments, paragraphs
from helpers.load.text_decoding import decode_bytes

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like news furniture as well as noise: lines the rules act on, in random order.
FURNITURE = st.sampled_from([
    "Text Size:", "Share", "Advertisement", "Image: Reuters", "Photo: AFP", "Also read: Ministers meet in Delhi",
    "Related: Army chief visits Kabul", "Subscribe to our channels on YouTube & Telegram",
    "Support our journalism and subscribe today.", "Ministers meet", "pic.twitter.com/abc123",
    "— Jane Doe (@jdoe) August 10, 2021", "WASHINGTON: The talks went well, officials said.",
    "The minister (left) with the general | Bloomberg/Flickr", "", "   ", "\u00a0\u2009",
])
LINE = st.one_of(FURNITURE, st.text(max_size=80), st.text(alphabet="ab .,:|—\u00a0\u0301e\t", max_size=40))
RAW = st.lists(LINE, max_size=14).map("\n".join)


# --------------------------------------------------------------------------- loader

@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".json", ".csv", ".tsv", ".jsonl"]))
def test_any_bytes_in_a_file_are_loaded_or_skipped_with_a_reason(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        root.mkdir()
        (root / f"input{suffix}").write_bytes(data)
        try:
            result = load_corpus(root)
        except CorpusError as exc:  # nothing loadable: one line naming the cause
            assert "\n" not in str(exc) and "nothing loadable" in str(exc)
            return
        report = result.load_report
        assert len(report) >= 1 and set(report["status"]) <= {"loaded", "loaded_with_warning", "skipped"}
        assert (report.loc[report["status"] != "loaded", "reason"].str.len() > 0).all()
        assert (report["status"] != "skipped").sum() == len(result.raw_articles)
        assert result.raw_articles["raw_text"].str.strip().str.len().gt(0).all()


@FAST
@given(text=st.text(max_size=400), encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1"]))
def test_decoding_never_raises_and_normalises_newlines(text, encoding):
    data = text.encode(encoding, errors="ignore")
    decoded = decode_bytes(data)
    assert (decoded.problem == "") == (decoded.text != "")  # text, or a reason why not
    assert "\r" not in decoded.text and "\x00" not in decoded.text


# --------------------------------------------------------------------------- cleaner

def _tokens(text: str) -> list[str]:
    """Non-whitespace content as the cleaner sees it (NFC, its own space set, any line break)."""
    return clean.normalize_spaces(unicodedata.normalize("NFC", text)).split()


@FAST
@given(raw=RAW, title=st.one_of(st.just(""), FURNITURE, st.text(max_size=30)))
def test_cleaning_never_removes_more_than_it_reports(raw, title):
    cleaned = clean.clean_article(raw, article_id="x", title=title)
    covered = [False] * len(raw)
    for row in cleaned.removals:
        start, end = row["raw_start"], row["raw_end"]
        assert 0 <= start <= end <= len(raw)
        assert row["removed"] == clean.normalize_spaces(raw[start:end]) and row["removed"]
        for i in range(start, end):
            covered[i] = True
    kept_raw = "".join("\n" if covered[i] else ch for i, ch in enumerate(raw))
    body = cleaned.text[cleaned.body_start:]
    kept_lines = [_tokens(line) for line in kept_raw.split("\n")]
    assert [t for line in kept_lines for t in line] == _tokens(body)
    assert 0 <= cleaned.body_start <= len(cleaned.text)
    if cleaned.title:
        assert cleaned.text.startswith(cleaned.title)
    for embed in cleaned.embeds:
        assert 0 <= embed["start"] <= embed["end"] <= len(cleaned.text)
        assert cleaned.text[embed["start"]:embed["end"]] == embed["text"]


@settings(max_examples=25, deadline=None)
@given(raws=st.lists(RAW, min_size=1, max_size=6), outlet=st.sampled_from(["", "Daily"]))
def test_clean_corpus_never_raises(raws, outlet):
    import pandas as pd

    frame = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(raws))], "raw_text": raws,
                          "title": [""] * len(raws), "outlet": [outlet] * len(raws)})
    articles, cleaning, embeds = clean.clean_corpus(frame)
    assert len(articles) == len(raws)
    assert set(cleaning["article_id"]) <= set(frame["article_id"])


# --------------------------------------------------------------------------- sentence splitter

@FAST
@given(text=st.text(alphabet=st.sampled_from(list("ab. \n\t:–-()W\u00a0\u2028")), max_size=200) | st.text(max_size=200))
def test_paragraphs_offsets_are_inside_the_text(text):
    previous_end = 0
    for start, end, chunk in paragraphs(text):
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == chunk and chunk == chunk.strip() and "\n\n" not in chunk
        previous_end = end


@FAST
@given(text=st.text(alphabet=st.sampled_from(list("ab. :–(x)W\n")), min_size=0, max_size=120), data=st.data())
def test_merge_fragments_keeps_spans_inside_and_in_order(text, data):
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=8))) | {0, len(text)})
    spans = [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]
    merged = merge_fragments(text, spans)
    assert len(merged) <= len(spans)
    if spans:
        assert merged and merged[0][0] == spans[0][0] and merged[-1][1] == spans[-1][1]
    for (s1, e1), (s2, e2) in zip(merged, merged[1:]):
        assert e1 <= s2
    for start, end in merged:
        assert 0 <= start < end <= len(text)


# --------------------------------------------------------------------------- date resolver

DATEISH = st.sampled_from([
    "on Tuesday", "last week", "August 31", "Aug. 31, 2021", "in the 1990s", "two days ago", "2021-08-10",
    "10/08/2021", "next month", "this weekend", "Q3 2021", "the summer of 2019", "5 p.m.", "yesterday", "May",
    "20-year", "by the end of the year", "every Monday", "the 21st century", "noon", "Feb 29", "31 April 2021",
])
DATE_TEXT = st.lists(st.one_of(DATEISH, st.text(max_size=20)), max_size=8).map(" ".join)
ANCHOR = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


@FAST
@given(text=DATE_TEXT, anchor=ANCHOR, tense=st.sampled_from(["auto", "past", "future", "present", "none"]),
       bound=st.booleans())
def test_dates_never_raise_and_offsets_match(text, anchor, tense, bound):
    found = find_temporal_expressions(text, anchor=anchor, tense_hint=tense, anchor_is_bound=bound)
    previous_end = 0
    for expression in found:
        assert previous_end <= expression.start < expression.end <= len(text)
        assert text[expression.start:expression.end] == expression.expression
        assert expression.type in {"DATE", "TIME", "DURATION", "SET"}
        if anchor is not None and expression.type == "DATE" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", expression.value):
            dt.date.fromisoformat(expression.value)  # a resolved day is a real day
        previous_end = expression.end
