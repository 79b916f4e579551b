"""Issue 18, inputs and stages: hand-made inputs that used to abort a run or mislead, each now
loaded or listed with its reason (invented outlets, people and places; no seed text)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

import corpus_factory as factory
from helpers.load.corpus import CorpusError, load_corpus


def _report(result) -> pd.DataFrame:
    return result.load_report.set_index("input")


# --------------------------------------------------------------------------- JSON that cannot be read

def test_json_nested_too_deeply_or_with_a_huge_integer_is_skipped_with_its_reason(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "ok.json").write_text(json.dumps({"text": factory.article(1), "outlet": "Norland Post"}))
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (root / "huge.json").write_text('{"text": "A story.", "n": ' + "9" * 5000 + "}")
    lines = [json.dumps({"text": factory.article(2)}), "[" * 100_000 + "]" * 100_000,
             '{"text": "Another.", "n": ' + "7" * 5000 + "}", json.dumps({"text": factory.article(3)})]
    (root / "rows.jsonl").write_text("\n".join(lines) + "\n")
    result = load_corpus(root)
    report = _report(result)
    assert report.loc["deep.json", "status"] == "skipped"
    assert "not valid JSON (nested too deeply" in report.loc["deep.json", "reason"]
    assert report.loc["huge.json", "status"] == "skipped"
    assert "not valid JSON" in report.loc["huge.json", "reason"] and "digits" in report.loc["huge.json", "reason"]
    assert "nested too deeply" in report.loc["rows.jsonl#line=2", "reason"]
    assert "digits" in report.loc["rows.jsonl#line=3", "reason"]
    assert len(result.raw_articles) == 3


# --------------------------------------------------------------------------- metadata outside the folder

def test_default_metadata_symlinked_out_of_the_corpus_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "metadata.csv").write_text("file,outlet\na.txt,Secret Outlet\n", encoding="utf-8")
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(factory.article(1), encoding="utf-8")
    os.symlink(outside / "metadata.csv", root / "metadata.csv")
    result = load_corpus(root)
    report = _report(result)
    assert report.loc["metadata.csv", "status"] == "skipped"
    assert "outside the corpus folder" in report.loc["metadata.csv", "reason"]
    assert (result.raw_articles["outlet"] != "Secret Outlet").all()
    # Given explicitly, the same file is the user's choice and is read.
    explicit = load_corpus(root, metadata=outside / "metadata.csv")
    assert list(explicit.raw_articles["outlet"]) == ["Secret Outlet"]


# --------------------------------------------------------------------------- column overrides

def test_a_wrong_text_column_override_names_the_column_and_lists_the_files_columns(tmp_path):
    path = tmp_path / "export.csv"
    pd.DataFrame({"story_id": [1, 2], "body": [factory.article(1), factory.article(2)],
                  "paper": ["Norland Post", "Eastmark Herald"]}).to_csv(path, index=False)
    with pytest.raises(CorpusError) as caught:
        load_corpus(path, columns={"text": "bdy"})
    message = str(caught.value)
    assert "'bdy'" in message and "story_id, body, paper" in message
    assert "pass --text-column" not in message
    # A wrong override of another column is named on every row it affects, not silently empty.
    result = load_corpus(path, columns={"outlet": "papper"})
    assert (result.load_report["status"] == "loaded_with_warning").all()
    assert result.load_report["reason"].str.contains("outlet column 'papper'").all()


def test_no_text_column_lists_the_columns_the_file_has(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"headline": "A", "summary": "B"}) + "\n")
    with pytest.raises(CorpusError) as caught:
        load_corpus(path)
    assert "headline, summary" in str(caught.value)


# --------------------------------------------------------------------------- paragraphs longer than spaCy takes

@pytest.mark.parametrize("text, limit", [
    ("One short sentence.", 100),
    ("Alpha went home. " * 40, 50),                        # sentence ends
    ("word " * 300, 64),                                    # whitespace only
    ("x" * 1000 + " tail", 128),                            # one 'word' longer than the limit: hard cuts
    ("“Go now,” said Bel Arno. " * 30 + "no end " * 40, 90),  # closing quotes, then no punctuation
])
def test_pieces_cover_the_text_within_the_limit(text, limit):
    from helpers.annotate.sentences import pieces

    spans = pieces(text, limit)
    assert spans and all(0 < e - s <= limit for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    # Only whitespace is left between and around the pieces.
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
    if "Alpha" in text:
        assert all(text[s:e].endswith(".") for s, e in spans)


def test_a_paragraph_longer_than_spacy_takes_is_analysed_in_pieces(monkeypatch):
    """A one-line article longer than the model's max_length used to raise E088 and stop the run.
    The limit is lowered here so that a small text stands for a 9 MB one."""
    from helpers.annotate import sentences as sentence_stage
    from helpers.annotate.nlp import load_model

    nlp = load_model(disable=("tagger", "parser", "attribute_ruler", "lemmatizer"))
    monkeypatch.setattr(nlp, "max_length", 3000)
    body = " ".join(f"Mayor Tilda Varn of Oskerby met {n} traders in Lunden on Monday." for n in range(200))
    text = "Varn meets traders\n\n" + body
    articles = pd.DataFrame({"article_id": ["a1"], "text": [text], "body_start": [len("Varn meets traders\n\n")],
                             "language": ["en"]})
    found, entities = sentence_stage.annotate(articles)
    assert len(found) >= 150  # the whole paragraph, not one piece of it
    assert (found["end"] - found["start"] <= 3000).all()
    for start, end, sentence in zip(found["start"], found["end"], found["text"]):
        assert text[start:end] == sentence
    assert found["end"].max() == len(text)
    for start, end, name in zip(entities["start"], entities["end"], entities["text"]):
        assert text[start:end] == name
    assert "Tilda Varn" in set(entities["text"])


# --------------------------------------------------------------------------- one article's failure

def _stage_corpus(root: Path) -> Path:
    """Four invented articles with people, places, quotes and dates, and their metadata."""
    root.mkdir(parents=True, exist_ok=True)
    people = ["Tilda Varn", "Oskar Bellin", "Maren Holt", "Ivo Lantz"]
    rows = ["file,outlet,published,country"]
    for n, person in enumerate(people):
        text = (f"Mayor {person} of Oskerby met traders in Lunden on Monday, August {n + 2}, 2024.\n\n"
                f"\"We will open the bridge next week,\" {person} said. The Lunden council said the toll "
                f"would fall by {n + 3} percent, according to a statement from the Harbour Authority.\n\n"
                f"Story {n}: the traders, who met {person} twice this year, welcomed the decision.")
        (root / f"a{n}.txt").write_text(text, encoding="utf-8")
        rows.append(f"a{n}.txt,Outlet {'ABCD'[n]},2024-08-0{n + 2},{'Norland' if n % 2 else 'Eastmark'}")
    (root / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


ARTICLE_COLUMNS = ("article_id", "article_a", "article_b", "origin_article_id", "main_source_article")


def _no_orphans(tables: dict[str, pd.DataFrame]) -> None:
    known = set(tables["articles"]["article_id"])
    for name, frame in tables.items():
        for column in ARTICLE_COLUMNS:
            if name != "load_report" and column in frame.columns:
                ids = set(frame[column].dropna().astype(str)) - {""}
                assert ids <= known, (name, column, ids - known)
    loads = tables["load_report"]
    assert set(loads.loc[loads["status"].isin(["loaded", "loaded_with_warning"]), "article_id"]) == known


def _raise_for(target: str, fn, *, by_key: bool = False):
    def wrapped(first, *args, **kwargs):
        ids = {first[0]} if by_key else set(first["article_id"])
        if target in ids:
            raise RuntimeError(f"injected failure for {target}")
        return fn(first, *args, **kwargs)
    return wrapped


@pytest.mark.parametrize("stage, module, name", [
    ("annotate: cleaning", "load.clean", "clean_corpus"),
    ("annotate: sentences and entities", "annotate.sentences", "annotate"),
    ("annotate: dates", "dates.tables", "extract_dates"),
    ("quotes: quotes", "quotes.extraction", "extract_quotes"),
    ("quotes: actor labels", "annotate.actor_features", "sentence_label_features"),
])
def test_one_articles_failure_in_a_per_article_stage_drops_only_that_article(tmp_path, monkeypatch, stage,
                                                                              module, name):
    import importlib

    from helpers.run import pipeline

    corpus = _stage_corpus(tmp_path / "corpus")
    target = importlib.import_module(f"helpers.{module}")
    monkeypatch.setattr(target, name, _raise_for("a2", getattr(target, name), by_key=name.startswith("sentence_")))
    tables = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, batch_size=10)
    report = tables["load_report"].set_index("input")
    assert report.loc["a2.txt", "status"] == "failed"
    assert f"failed in {stage} (RuntimeError: injected failure for a2)" in report.loc["a2.txt", "reason"]
    assert sorted(tables["articles"]["article_id"]) == ["a0", "a1", "a3"]
    _no_orphans(tables)
    assert list(tables["stage_failures"].itertuples(index=False, name=None)) == [
        (stage, "a2.txt", "RuntimeError: injected failure for a2")]
    # The others are analysed as usual.
    assert set(tables["sentences"]["article_id"]) == {"a0", "a1", "a3"}
    assert set(tables["quotes"]["article_id"]) == {"a0", "a1", "a3"}
    # The failure is not cached: without the injected fault, the article comes back.
    monkeypatch.undo()
    again = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, batch_size=10)
    assert sorted(again["articles"]["article_id"]) == ["a0", "a1", "a2", "a3"]
    assert again["stage_failures"].empty and "failed" not in set(again["load_report"]["status"])


def test_a_failing_corpus_level_stage_is_listed_and_the_others_still_run(tmp_path, monkeypatch):
    from helpers.compare import framing
    from helpers.run import pipeline

    real = framing.score_frames

    def broken(sentences, **kwargs):  # fails on the corpus, not on an empty table
        if len(sentences):
            raise KeyError("injected corpus failure")
        return real(sentences, **kwargs)

    monkeypatch.setattr(framing, "score_frames", broken)
    tables = pipeline.compute(_stage_corpus(tmp_path / "corpus"), cache_dir=None, workers=1)
    failures = tables["stage_failures"]
    assert list(failures["stage"]) == ["framing"] and "KeyError" in failures["error"].iloc[0]
    # without an event column the corpus is one event, named after its folder
    assert list(failures["input"]) == ["event corpus"]
    # The stage's tables exist, empty, with their columns; the other stages' tables are filled.
    assert tables["frames"].empty and "frame" in tables["frames"].columns
    assert tables["article_frames"].empty and "frame" in tables["article_frames"].columns
    assert len(tables["quotes"]) and len(tables["dates"]) and len(tables["facts"])
    _no_orphans(tables)


# --------------------------------------------------------------------------- day-first and month-first dates

@pytest.mark.parametrize("value, dayfirst, expected", [
    ("11/08/2021", None, ""),              # 11 August or 8 November: not guessed
    ("11/08/2021", True, "2021-08-11"),
    ("11/08/2021", False, "2021-11-08"),
    ("13/08/2021", None, "2021-08-13"),    # only one reading is a date
    ("08/13/2021", None, "2021-08-13"),
    ("25.12.2020 18:30", None, "2020-12-25"),
    ("05/05/2021", None, "2021-05-05"),    # both readings are the same day
    ("31/02/2021", None, ""),              # neither is a date
    ("2021-08-11", False, "2021-08-11"),
    ("11 August 2021", False, "2021-08-11"),
])
def test_numeric_dates_are_read_only_when_their_order_is_known(value, dayfirst, expected):
    from helpers.load.fields import normalize_date

    assert normalize_date(value, dayfirst=dayfirst) == expected


def _dated_export(path: Path, dates: list[str]) -> Path:
    pd.DataFrame({"id": [f"s{i}" for i in range(len(dates))], "date": dates,
                  "text": [factory.article(i) for i in range(len(dates))],
                  "source": ["Norland Post"] * len(dates)}).to_csv(path, index=False)
    return path


def test_ambiguous_dates_are_left_empty_with_the_reason_or_read_as_told(tmp_path):
    path = _dated_export(tmp_path / "export.csv", ["11/08/2021", "12/08/2021"])
    result = load_corpus(path)
    assert list(result.raw_articles["published"]) == ["", ""]
    reasons = result.load_report["reason"]
    assert reasons.str.contains("ambiguous date '11/08/2021'").any()
    assert reasons.str.contains("pass --dayfirst or --monthfirst").all()
    assert list(load_corpus(path, dayfirst=True).raw_articles["published"]) == ["2021-08-11", "2021-08-12"]
    assert list(load_corpus(path, dayfirst=False).raw_articles["published"]) == ["2021-11-08", "2021-12-08"]


def test_a_column_with_unambiguous_day_first_dates_settles_its_ambiguous_ones(tmp_path):
    path = _dated_export(tmp_path / "export.csv", ["11/08/2021", "25/08/2021", "03/09/2021"])
    result = load_corpus(path)
    assert list(result.raw_articles["published"]) == ["2021-08-11", "2021-08-25", "2021-09-03"]
    report = result.load_report.set_index("input")
    assert "read day-first" in report.loc["export.csv#row=0", "reason"] and "'25/08/2021'" in report.loc[
        "export.csv#row=0", "reason"]
    # A column written both ways tells nothing: its ambiguous dates stay empty.
    mixed = load_corpus(_dated_export(tmp_path / "mixed.csv", ["11/08/2021", "25/08/2021", "08/26/2021"]))
    assert list(mixed.raw_articles["published"]) == ["", "2021-08-25", "2021-08-26"]
    assert "both ways" in mixed.load_report.set_index("input").loc["mixed.csv#row=0", "reason"]


def test_dayfirst_and_monthfirst_on_the_command_line():
    from helpers.run.command import build_parser

    parse = build_parser().parse_args
    assert parse(["run"]).dayfirst is None
    assert parse(["run", "--dayfirst"]).dayfirst is True and parse(["run", "--monthfirst"]).dayfirst is False
    with pytest.raises(SystemExit):
        parse(["run", "--dayfirst", "--monthfirst"])
