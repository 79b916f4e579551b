"""Tests for helpers.evaluate.quotes on a tiny brat fixture written for this project."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.evaluate.quotes import _is_direct, is_aside, load_brat, main, parse_ann, score

FIXTURE = Path(__file__).parent.parent / "fixtures" / "quotes" / "brat"


def pred_rows(doc, items):
    rows = []
    for n, (content, speaker, kind) in enumerate(items):
        s = doc.text.index(content)
        ss = doc.text.index(speaker) if speaker else -1
        rows.append({"quote_id": f"{doc.name}:q{n}", "article_id": doc.name, "start": s, "end": s + len(content),
                     "kind": kind, "speaker_start": ss, "speaker_end": ss + len(speaker) if speaker else -1})
    return pd.DataFrame(rows)


def test_parse_ann_reads_content_source_and_no_source():
    text = (FIXTURE / "attributions" / "sample_0a1b.ann").read_text()
    gold = parse_ann(text)
    assert len(gold) == 4
    assert gold[0].source == [] and gold[0].content == [(0, 22)]  # no-source headline attribution
    assert [len(g.source) for g in gold[1:]] == [1, 1, 1]
    assert parse_ann("T1\tContent 0 3;5 9\tabc def\nE1\tAttribution:T1 Content:T1\n")[0].content == [(0, 3), (5, 9)]


def test_load_brat_pairs_text_with_annotator_file():
    docs = load_brat(FIXTURE)
    assert [d.name for d in docs] == ["sample"] and len(docs[0].gold) == 4


def test_score_thresholds_and_speaker():
    doc = load_brat(FIXTURE)[0]
    preds = pred_rows(doc, [
        ("We had a useful exchange", "the envoy", "direct"),           # full match, right speaker
        ("the next round would", "Officials", "indirect"),              # 4 of 7 tokens: matches at 0.3 only
        ("the delegates left on Friday", "According", "according_to"),  # wrong speaker span
        ("Officials said", "", "indirect"),                             # false positive
    ])
    res = score([doc], preds)
    low, high = res["0.3"], res["0.8"]
    assert (low["tp"], low["fp"], low["fn"]) == (3, 1, 1)
    assert (high["tp"], high["fp"], high["fn"]) == (2, 2, 2)
    assert round(low["speaker_accuracy"], 1) == 66.7 and low["speaker_n"] == 3
    assert high["speaker_accuracy"] == 50.0
    direct = score([doc], preds, direct_only=True)["0.3"]
    assert (direct["tp"], direct["fp"], direct["fn"]) == (1, 0, 0)
    # an over-long prediction matches in GGT's coverage measure but not in the symmetric one
    long = pred_rows(doc, [(doc.text.split("\n\n")[1], "", "indirect")])
    assert score([doc], long)["0.8"]["tp"] == 1
    assert score([doc], long, symmetric=True)["0.8"]["tp"] == 0


def test_split_is_deterministic():
    names = [f"doc{i}" for i in range(200)]
    first = [is_aside(n, 0.3) for n in names]
    assert first == [is_aside(n, 0.3) for n in names]
    assert 30 < sum(first) < 90
    assert not any(is_aside(n, 0.0) for n in names)


def test_main_runs_on_fixture(tmp_path, capsys):
    out = tmp_path / "figures.json"
    assert main([str(FIXTURE), "--split-aside", "0.5", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "P " in printed and "speaker" in printed and out.exists()
    assert "docs/s" in printed and "all, without beliefs" in printed
    assert main([str(tmp_path / "missing")]) == 2


def test_two_apostrophes_count_as_a_quotation_mark():
    text = "He said ''we will win,'' and left. He said we will win."
    assert _is_direct(text, [(8, 24)])
    assert not _is_direct(text, [(43, 54)])
