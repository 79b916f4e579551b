"""Broken corpora (built by ``corpus_factory``): every load finishes, every input is in the load
report with a reason a person understands, and the counts add up (inputs = loaded + skipped)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import corpus_factory as factory
from helpers.load import clean
from helpers.load.corpus import CorpusError, load_corpus

STATUSES = {"loaded", "loaded_with_warning", "skipped"}


def check_report(result, expected: factory.Expected, *, strict: bool = True) -> pd.DataFrame:
    """The invariants of any load, then the case's own expectations."""
    report = result.load_report
    assert list(report.columns) == ["input", "status", "reason", "article_id", "encoding"]
    assert set(report["status"]) <= STATUSES
    assert report["input"].is_unique, report[report["input"].duplicated(keep=False)]
    # A reason for everything that was not simply loaded.
    not_plain = report[report["status"] != "loaded"]
    assert (not_plain["reason"].str.len() > 0).all(), not_plain
    # Counts add up: each loaded input is one article, each article one loaded input.
    loads = report[report["status"] != "skipped"]
    assert len(loads) == len(result.raw_articles)
    assert sorted(loads["article_id"]) == sorted(result.raw_articles["article_id"])
    assert (report.loc[report["status"] == "skipped", "article_id"] == "").all()
    assert result.raw_articles["article_id"].is_unique
    if expected.inputs is not None:
        assert len(report) == expected.inputs, sorted(report["input"])
    if expected.loaded is not None:
        assert len(result.raw_articles) == expected.loaded
    by_input = report.set_index("input")
    for name, (statuses, fragment) in expected.reports.items():
        assert name in by_input.index, f"{name} is not in the load report"
        status, reason = by_input.loc[name, "status"], by_input.loc[name, "reason"]
        if strict or statuses == factory.SKIPPED:
            assert status in statuses, (name, status, reason)
        assert fragment in reason, (name, reason)
    return report


@pytest.mark.parametrize("case", sorted(factory.ALL_CASES))
def test_each_broken_case_loads_and_accounts_for_every_input(tmp_path, case):
    expected = factory.ALL_CASES[case](tmp_path / case)
    result = load_corpus(tmp_path / case)
    check_report(result, expected)
    assert not result.raw_articles["raw_text"].str.contains("\r").any()
    assert (result.raw_articles["raw_text"].str.strip().str.len() > 0).all()


def test_metadata_escapes_symlinks_and_hidden_files(tmp_path):
    expected = factory.write_metadata_escapes(tmp_path / "corpus", tmp_path / "outside")
    result = load_corpus(tmp_path / "corpus")
    check_report(result, expected)
    texts = " ".join(result.raw_articles["raw_text"])
    assert "SECRET" not in texts and "root:" not in texts
    raw = result.raw_articles.set_index("article_id")
    assert raw.loc["a", "outlet"] == "Outlet A" and raw.loc["b", "title"] == "Title B"


def test_decoded_texts_are_right(tmp_path):
    factory.write_encodings(tmp_path / "enc")
    raw = load_corpus(tmp_path / "enc").raw_articles.set_index("article_id")
    for article_id in ("utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "utf16-le-nobom", "utf16-be-nobom"):
        assert "naïve minister said “we agreed” — officials (€5m deal)" in raw.loc[article_id, "raw_text"]
        assert not raw.loc[article_id, "raw_text"].startswith("\ufeff")
    assert raw.loc["cp1252", "raw_text"].startswith("Café talks: the naïve minister said “we agreed” –")
    assert raw.loc["cp1252", "encoding"] == "cp1252"
    assert raw.loc["truncated-utf8", "raw_text"].endswith("日本 \ufffd")
    assert raw.loc["utf16-odd-length", "raw_text"].startswith("Eighth The defence ministers")


def test_mixed_newlines_become_paragraphs(tmp_path):
    factory.write_mixed_newlines(tmp_path / "nl")
    raw = load_corpus(tmp_path / "nl").raw_articles
    text = raw.loc[0, "raw_text"]
    assert text == "First paragraph line one.\nline two.\n\nSecond paragraph.\n\nThird paragraph.\n\nFourth.\n"
    articles, _, _ = clean.clean_corpus(raw)
    assert articles.loc[0, "text"].split("\n\n") == [
        "First paragraph line one.", "line two.", "Second paragraph.", "Third paragraph.", "Fourth."]


def test_html_scripts_and_styles_never_reach_the_text(tmp_path):
    factory.write_html_pages(tmp_path / "html")
    raw = load_corpus(tmp_path / "html").raw_articles
    assert len(raw) == 1
    text = raw.loc[0, "raw_text"]
    assert "defence ministers" in text and "September" in text
    for leak in ("SCRIPT-LEAK", "STYLE-LEAK", "color: red", "alert(", "NOSCRIPT-LEAK"):
        assert leak not in text


def test_other_scripts_are_loaded_and_reported_as_another_language(tmp_path):
    from helpers.run.pipeline import build_tables

    factory.write_other_scripts(tmp_path / "scripts")
    tables = build_tables(tmp_path / "scripts")
    articles = tables["articles"].set_index("article_id")
    assert articles.loc["urdu", "language"] == "ur" and articles.loc["arabic", "language"] == "ar"
    assert articles.loc["english", "language"] == "en"
    report = tables["load_report"].set_index("input")
    for name, code in (("urdu.txt", "ur"), ("arabic.txt", "ar")):
        assert report.loc[name, "status"] == "loaded_with_warning"
        assert f"language '{code}': loaded but not analysed as English" in report.loc[name, "reason"]
    assert report.loc["english.txt", "status"] == "loaded"
    # Not analysed as English: no sentences or entities, but the words are counted.
    assert set(tables["sentences"]["article_id"]) == {"english"}
    assert set(tables["entities"]["article_id"]) <= {"english"}
    assert articles.loc["urdu", "word_count"] > 20


# --------------------------------------------------------------------------- heavy inputs, timed

def test_a_20_mb_article_loads_and_cleans_quickly(tmp_path):
    factory.write_big_article(tmp_path / "big")
    size = (tmp_path / "big" / "big.txt").stat().st_size
    assert size >= 20_000_000
    started = time.perf_counter()
    result = load_corpus(tmp_path / "big")
    loaded = time.perf_counter()
    articles, cleaning, _ = clean.clean_corpus(result.raw_articles)
    cleaned = time.perf_counter()
    check_report(result, factory.Expected({"big.txt": (factory.LOADED, "")}, 1, 1))
    assert len(articles.loc[0, "text"]) >= 0.99 * size and cleaning.empty
    # Measured here: ~0.3 s to load, ~3 s to clean on one shared core. Generous bounds catch a
    # quadratic step (the invalid-UTF-8 count once took 45 s on a 20 MB cp1252 file).
    assert loaded - started < 20, f"loading took {loaded - started:.1f} s"
    assert cleaned - loaded < 60, f"cleaning took {cleaned - loaded:.1f} s"


def test_a_20_mb_legacy_encoded_article_decodes_in_linear_time(tmp_path):
    from helpers.load.text_decoding import decode_bytes

    data = (factory.ENGLISH.replace("officials", "officiáls") + "\n").encode("cp1252") * 160_000
    assert len(data) > 20_000_000
    started = time.perf_counter()
    decoded = decode_bytes(data)
    took = time.perf_counter() - started
    assert decoded.encoding == "cp1252" and "officiáls" in decoded.text[:200]
    assert took < 20, f"decoding took {took:.1f} s"


def test_ten_thousand_one_line_articles(tmp_path):
    expected = factory.write_many_one_liners(tmp_path / "many")
    started = time.perf_counter()
    result = load_corpus(tmp_path / "many")
    loaded = time.perf_counter()
    articles, _, _ = clean.clean_corpus(result.raw_articles)
    cleaned = time.perf_counter()
    check_report(result, expected)
    assert len(articles) == 10_000 and (articles["text"].str.len() > 0).all()
    assert loaded - started < 60, f"loading took {loaded - started:.1f} s"
    assert cleaned - loaded < 60, f"cleaning took {cleaned - loaded:.1f} s"


def test_a_long_article_in_a_csv_cell_is_one_article(tmp_path):
    body = factory.article(5, words=60_000)  # ~400 KB, past the csv module's default field limit
    (tmp_path / "long.csv").write_text('text,title\n"' + body + '",Long\n', encoding="utf-8")
    result = load_corpus(tmp_path / "long.csv")
    assert len(result.raw_articles) == 1 and result.raw_articles.loc[0, "raw_text"] == body


# --------------------------------------------------------------------------- fatal problems

def _one_line(message: str) -> bool:
    return bool(message.strip()) and "\n" not in message.strip()


@pytest.mark.parametrize("kind", ["missing", "empty_folder", "nothing_loadable", "binary_metadata",
                                  "metadata_without_file_column", "metadata_named_but_missing"])
def test_fatal_problems_raise_one_line_naming_the_cause(tmp_path, kind):
    root = tmp_path / "corpus"
    metadata = None
    if kind != "missing":
        root.mkdir()
    if kind == "nothing_loadable":
        factory.write_binary_as_text(root)
        (root / "ok.txt").unlink()
        (root / "empty.txt").write_bytes(b"")
    elif kind in {"binary_metadata", "metadata_without_file_column", "metadata_named_but_missing"}:
        (root / "a.txt").write_text(factory.article(1), encoding="utf-8")
        if kind == "binary_metadata":
            (root / "metadata.csv").write_bytes(bytes(range(256)) * 8)
        elif kind == "metadata_without_file_column":
            (root / "metadata.csv").write_text("name,outlet\na.txt,X\n", encoding="utf-8")
        else:
            metadata = tmp_path / "nope.csv"
    with pytest.raises(CorpusError) as info:
        load_corpus(root, metadata=metadata)
    message = str(info.value)
    assert _one_line(message)
    expected = {"missing": "no such file or folder", "empty_folder": "no article files found",
                "nothing_loadable": "nothing loadable", "binary_metadata": "not text (binary content)",
                "metadata_without_file_column": "no 'file' column", "metadata_named_but_missing": "no such file"}
    assert expected[kind] in message
    assert str(metadata or root) in message or (kind == "binary_metadata" and "metadata.csv" in message)


def test_fatal_problems_exit_non_zero_on_the_command_line(tmp_path):
    # Fatal problems stop before any notebook runs, so these runs are quick.
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    for args, cause in (([], "nothing loadable"), (["--metadata", str(tmp_path / "none.csv")], "no such file")):
        done = subprocess.run([sys.executable, "-m", "helpers", "run", "--quiet", "--corpus", str(root),
                               "--out", str(tmp_path / "out"), *args], capture_output=True, text=True, timeout=300)
        assert done.returncode != 0
        assert _one_line(done.stderr) and done.stderr.startswith("error: ") and cause in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- the one end-to-end run

@pytest.fixture(scope="module")
def end_to_end(tmp_path_factory):
    return factory.end_to_end_run(tmp_path_factory.mktemp("e2e"))


def test_command_line_on_a_broken_corpus_exits_zero_and_reports_every_input(end_to_end):
    done, out, expected = end_to_end["done"], end_to_end["out"], end_to_end["expected"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    report = pd.read_csv(out / "tables" / "load_report.csv", keep_default_na=False, dtype=str)
    articles = pd.read_csv(out / "tables" / "articles.csv", keep_default_na=False, dtype=str)
    assert len(report) == expected.inputs
    assert (report["status"] != "skipped").sum() == len(articles)
    assert set(report.loc[report["status"] != "skipped", "article_id"]) == set(articles["article_id"])
    by_input = report.set_index("input")
    for name, (statuses, fragment) in expected.reports.items():
        assert name in by_input.index, name
        if statuses == factory.SKIPPED:
            assert by_input.loc[name, "status"] == "skipped" and fragment in by_input.loc[name, "reason"], name
    # The non-English articles are flagged in the load report of the real run too.
    assert "language 'ur'" in by_input.loc["other_scripts/urdu.txt", "reason"]
    assert (out / "index.html").is_file()


def test_the_command_line_writes_the_whole_report_and_nothing_beside_it(end_to_end):
    """The same run (every notebook executes once per session): the manifest, every foundation
    table, each notebook with its page, the figures with their CSVs; nothing left beside the
    report (staging folders are renamed or removed) and no kernel chatter on a successful run."""
    done, out = end_to_end["done"], end_to_end["out"]
    assert done.returncode == 0, done.stderr[-3000:]
    assert (out / "index.html").is_file() and (out / "run.json").is_file()
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["engine"] == "local" and manifest["cache"] != "off"
    assert "load" in manifest["seconds"], "where the time went is recorded"
    for name in ("articles", "load_report", "cleaning", "embeds", "sentences", "entities"):
        assert (out / "tables" / f"{name}.csv").is_file()
    executed = sorted((out / "notebooks").glob("*.ipynb"))
    assert len(executed) == 6 and all(p.with_suffix(".html").is_file() for p in executed)
    assert sorted((out / "figures").glob("*.png")) and sorted((out / "figures").glob("*.csv"))
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([out.name, end_to_end["corpus"].name, "outside"])
    assert str(out.parent / f".{out.name}") not in executed[0].read_text(encoding="utf-8")
    # Progress and real errors only: no kernel chatter (one TCP warning per notebook, a
    # KeyboardInterrupt logged when a kernel is stopped).
    assert "without encryption" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr[-3000:]
