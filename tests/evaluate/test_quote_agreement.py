"""Tests for helpers.evaluate.quote_agreement: annotators scored against each other on hand-made brat files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.evaluate.quote_agreement import as_predictions, main, multiply_annotated, pairwise
from helpers.evaluate.quotes import Doc, parse_ann, score

FIXTURE = Path(__file__).parent.parent / "fixtures" / "quotes" / "brat"
FIRST = (FIXTURE / "attributions" / "sample_0a1b.ann").read_text()
# a second annotator: no "According to the ministry" attribution, and a shorter content for
# "Officials said the next round would start in May" (5 of its 7 words)
SECOND = "\n".join(line for line in FIRST.splitlines() if not line.startswith(("T7", "T8", "T9", "E3"))).replace(
    "T4\tContent 83 116\tthe next round would start in May", "T4\tContent 83 109\tthe next round would start")


def _corpus(tmp_path: Path, annotations: dict[str, str], single: bool = True) -> Path:
    (tmp_path / "attributions").mkdir()
    shutil.copytree(FIXTURE / "text", tmp_path / "text")
    for who, ann in annotations.items():
        (tmp_path / "attributions" / f"sample_{who}.ann").write_text(ann)
    if single:  # an article only one annotator read: not an agreement article
        (tmp_path / "text" / "alone.txt").write_text((FIXTURE / "text" / "sample.txt").read_text())
        (tmp_path / "attributions" / "alone_0a1b.ann").write_text(FIRST)
    return tmp_path


def test_only_articles_with_two_annotators(tmp_path):
    arts = multiply_annotated(_corpus(tmp_path, {"0a1b": FIRST, "0c2d": SECOND}))
    assert [(name, sorted(by)) for name, _, by in arts] == [("sample", ["0a1b", "0c2d"])]
    assert [len(g) for g in arts[0][2].values()] == [4, 3]


def test_identical_annotators_agree_fully(tmp_path):
    res = pairwise(multiply_annotated(_corpus(tmp_path, {"0a1b": FIRST, "0c2d": FIRST, "0e3f": FIRST})))
    for thr in ("0.3", "0.8"):
        assert (res[thr]["tp"], res[thr]["fp"], res[thr]["fn"]) == (24, 0, 0)  # 6 ordered pairs x 4
        assert res[thr]["f1"] == 100.0 and res[thr]["speaker_accuracy"] == 100.0


def test_counts_sum_over_both_directions(tmp_path):
    res = pairwise(multiply_annotated(_corpus(tmp_path, {"0a1b": FIRST, "0c2d": SECOND})))
    low, high = res["0.3"], res["0.8"]
    # first as gold: the ministry attribution missed; second as gold: it is an extra prediction
    assert (low["tp"], low["fp"], low["fn"]) == (6, 1, 1)
    # the shorter content covers 5 of 7 words: below 80 % one way, fully covered the other
    assert (high["tp"], high["fp"], high["fn"]) == (5, 2, 2)
    assert low["speaker_accuracy"] == 100.0


@pytest.mark.parametrize("ann", ["", "T1\tContent 0 5\tTalks\n"])
def test_an_annotator_with_nothing_agrees_with_nothing(tmp_path, ann):
    res = pairwise(multiply_annotated(_corpus(tmp_path, {"0a1b": FIRST, "0c2d": ann})))
    assert (res["0.3"]["tp"], res["0.3"]["fp"], res["0.3"]["fn"]) == (0, 4, 4)


def test_as_predictions_takes_content_extent_and_first_source():
    text = (FIXTURE / "text" / "sample.txt").read_text()
    gold = parse_ann(FIRST) + parse_ann("T1\tContent 24 30;40 51\tx\nT2\tSource 68 77\tOfficials\n"
                                        "E1\tAttribution:T1 Content:T1 Source:T2\n")
    preds = as_predictions("sample", text, gold)
    assert list(preds["kind"]) == ["indirect", "direct", "indirect", "indirect", "direct"]
    assert preds.iloc[-1][["start", "end", "speaker_start", "speaker_end"]].tolist() == [24, 51, 68, 77]
    assert preds.iloc[0]["speaker_start"] == -1  # no-source attribution
    # the annotator scored as the extractor is: against itself everything matches
    res = score([Doc("sample", text, parse_ann(FIRST))], as_predictions("sample", text, parse_ann(FIRST)))
    assert res["0.8"]["f1"] == 100.0


def test_main_reports_and_refuses_a_corpus_without_agreement_articles(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    corpus = _corpus(tmp_path / "a", {"0a1b": FIRST, "0c2d": SECOND})
    assert main([str(corpus), "--json", str(tmp_path / "out.json")]) == 0
    assert "1 articles with 2+ annotators (2 ordered annotator pairs)" in capsys.readouterr().out
    assert (tmp_path / "out.json").exists()
    assert main([str(FIXTURE)]) == 2
    assert "no article with two or more annotators" in capsys.readouterr().err
    assert main([str(tmp_path / "missing")]) == 2
