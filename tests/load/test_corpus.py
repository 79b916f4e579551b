import json
import os
from pathlib import Path

import pandas as pd
import pytest

from helpers.load import corpus
from helpers.load.corpus import CorpusError, detect_columns, load_corpus
from helpers.load.fields import date_from_url, normalize_date, outlet_from_url


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://en.dailypakistan.com.pk/11-Aug-2021/in-call-with", "2021-08-11"),
        ("https://www.nytimes.com/2016/09/20/nyregion/bomb.html", "2016-09-20"),
        ("https://example.com/news/story-2021-08-10", "2021-08-10"),
        ("https://example.com/2021/02/30/not-a-day", ""),
        ("https://arynews.tv/us-defence-secretary-lloyd-austin/", ""),
        ("", ""),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2021-08-10", "2021-08-10"),
        ("2021-08-10T22:15:00-04:00", "2021-08-10"),
        ("August 9, 2021", "2021-08-09"),
        ("10 Aug 2021", "2021-08-10"),
        ("2021-08", ""),
        ("yesterday", ""),
        ("", ""),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_normalise_date_never_invents_a_day(value, expected):
    assert normalize_date(value) == expected


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://en.dailypakistan.com.pk/11-Aug-2021/x", "dailypakistan.com.pk"),
        ("https://www.republicworld.com/world-news/x.html", "republicworld.com"),
        ("http://news.soft.legal/story", "soft.legal"),
        ("", ""),
        ("not a url", ""),
    ],
)
def test_outlet_from_url_is_the_registered_domain(url, expected):
    assert outlet_from_url(url) == expected


def test_detect_columns_finds_common_names_and_honours_overrides():
    found = detect_columns(["ID", "source", "date", "title", "content_original", "url", "triplet-uuid"])
    assert found["text"] == "content_original" and found["outlet"] == "source" and found["id"] == "ID"
    assert found["event"] == "triplet-uuid" and found["published"] == "date"
    assert detect_columns(["body", "story"], {"text": "story"})["text"] == "story"


def test_seeds_load_with_metadata():
    result = load_corpus(Path(__file__).resolve().parents[2] / "seeds")
    raw = result.raw_articles
    assert len(raw) == 5 and set(result.load_report["status"]) == {"loaded"}
    by_id = raw.set_index("article_id")
    assert by_id.loc["000_ea4ec562772a8bf4", "outlet"] == "Republic World"
    assert by_id.loc["000_ea4ec562772a8bf4", "published_source"] == "marker"
    assert by_id.loc["001_719d90a0ff2d041f", "published"] == "2021-08-11"
    assert by_id.loc["001_719d90a0ff2d041f", "published_source"] == "url"
    assert by_id.loc["002_0a28e0eb56242a93", "published"] == ""
    assert by_id.loc["002_0a28e0eb56242a93", "published_source"] == "none"
    assert by_id.loc["003_435ea67c381fdcd9", "country"] == "PK"
    assert "attribution_evidence" in raw.columns
    assert not raw["raw_text"].str.startswith(" date").any()


def test_small_corpus_formats_and_metadata(small_corpus):
    result = load_corpus(small_corpus)
    raw = result.raw_articles.set_index("article_id")
    assert list(raw.index) == ["a", "b", "c"]
    assert raw.loc["a", "published"] == "2021-08-10" and raw.loc["a", "outlet"] == "Outlet A"
    assert raw.loc["b", "outlet"] == "b-example.com.pk"  # from the URL: metadata has no outlet
    assert raw.loc["b", "published"] == "2021-08-11" and raw.loc["b", "published_source"] == "url"
    assert raw.loc["c", "title"] == "Ministers meet" and raw.loc["c", "outlet"] == "Example Post"
    assert raw.loc["c", "raw_text"] == "The ministers met on Monday. They talked.\n\nNothing else."
    report = result.load_report.set_index("input")
    assert report.loc["c.json", "reason"] == "no metadata row"


def _broken_corpus(root: Path, outside: Path) -> Path:
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_text("  \n\n\t ")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "good.txt").write_text("The talks went well, officials said on Monday.")
    (root / "z-copy.txt").write_text("The talks went  well, officials said on Monday.\n")
    (root / "legacy.txt").write_bytes("Café talks went well, the naïve minister said.".encode("cp1252"))
    (root / "picture.png").write_bytes(b"\x89PNG\r\n")
    (root / "bad.json").write_text("{not json")
    (root / "rows.jsonl").write_text('{"text": "First row article text here."}\n{broken\n{"text": ""}\n')
    (root / "sub").mkdir()
    (root / "sub" / "deep.txt").write_text("A deeper article about the talks.")
    outside.write_text("secret text outside the corpus")
    os.symlink(outside, root / "link.txt")
    (root / "metadata.csv").write_text(
        "file,outlet\n"
        "good.txt,Good Outlet\n"
        "good.txt,Again\n"
        "missing.txt,Nobody\n"
        "../outside.txt,Escape\n"
        f"{outside},Absolute\n"
        ",No file\n")
    return root


def test_broken_corpus_accounts_for_every_input(tmp_path):
    root = _broken_corpus(tmp_path / "broken", tmp_path / "outside.txt")
    result = load_corpus(root)
    report = result.load_report
    reasons = dict(zip(report["input"], report["reason"]))
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "only whitespace"
    assert reasons["binary.txt"] == "not text (binary content)"
    assert reasons["z-copy.txt"].startswith("duplicate of good")
    assert "cp1252" in reasons["legacy.txt"]
    assert reasons["picture.png"].startswith("not an article format")
    assert reasons["bad.json"].startswith("not valid JSON")
    assert reasons["rows.jsonl#line=2"].startswith("not valid JSON")
    assert reasons["rows.jsonl#line=3"].startswith("empty text")
    assert "outside the corpus" in reasons["link.txt"]
    assert reasons["metadata.csv#row=1 (file 'good.txt')"].startswith("duplicate metadata row")
    assert reasons["metadata.csv#row=2 (file 'missing.txt')"].startswith("metadata row without a file")
    assert "outside the corpus" in reasons["metadata.csv#row=3 (file '../outside.txt')"]
    assert "outside the corpus" in reasons[f"metadata.csv#row=4 (file '{tmp_path / 'outside.txt'}')"]
    assert reasons["metadata.csv#row=5 (file '')"] == "metadata row without a file name"
    # Counts add up: every file (but metadata.csv) and every metadata/JSONL row is one report row.
    loaded = report["status"].isin(["loaded", "loaded_with_warning"]).sum()
    assert loaded == len(result.raw_articles) == 4
    # 11 files besides metadata.csv, rows.jsonl counted as its 3 lines, and the 5 unusable metadata rows.
    assert len(report) == (11 - 1 + 3) + 5
    assert set(result.raw_articles["article_id"]) == {"good", "legacy", "deep", "rows-line1"}
    assert "secret" not in " ".join(result.raw_articles["raw_text"])
    assert result.raw_articles.set_index("article_id").loc["good", "outlet"] == "Good Outlet"


@pytest.mark.parametrize(
    "content, problem",
    [
        ("text,title\n\"An article, quoted\nacross lines\",T1\nplain text,T2\n", None),
        ("text;title\nSemicolon article;T1\n", None),
        ("text,title\n\"broken quote,T1\nnext,T2\n", "fields"),
        ("text,title\none,two,three\n", "fields"),
    ],
)
def test_csv_variants(tmp_path, content, problem):
    path = tmp_path / "export.csv"
    path.write_text(content)
    if problem is None:
        result = load_corpus(path)
        assert len(result.raw_articles) >= 1
        assert (result.load_report["status"] != "skipped").all()
    else:
        with pytest.raises(CorpusError):
            load_corpus(path)


def test_parquet_and_jsonl_tables(tmp_path):
    frame = pd.DataFrame({"stories_id": [11, 12, 13], "media_name": ["A", "B", "A"],
                          "publish_date": ["2020-01-02 10:00:00", "", "bad"],
                          "title": ["t1", "t2", "t3"], "text": ["one story", "two story", "three story"]})
    frame.to_parquet(tmp_path / "mc.parquet")
    result = load_corpus(tmp_path / "mc.parquet")
    raw = result.raw_articles.set_index("article_id")
    assert list(raw.index) == ["11", "12", "13"]
    assert raw.loc["11", "published"] == "2020-01-02" and raw.loc["12", "published_source"] == "none"
    assert "unparseable date" in result.load_report.set_index("article_id").loc["13", "reason"]
    lines = "\n".join(json.dumps(r) for r in frame.to_dict("records"))
    (tmp_path / "mc.jsonl").write_text(lines + "\n")
    assert len(load_corpus(tmp_path / "mc.jsonl").raw_articles) == 3


@pytest.mark.parametrize("positions", [[], [0], [4, 4, 4], [6, 0, 3, 1, 5, 2, 4], [2, 3, 4], [6, 5]])
def test_texts_are_taken_in_the_order_asked_across_packs(monkeypatch, positions):
    monkeypatch.setattr(corpus._TextStore, "PACK", 3)
    store = corpus._TextStore()
    texts = [f"text {i} " * (i + 1) for i in range(7)]
    assert [store.add(t) for t in texts] == list(range(7))
    taken = store.take(positions)
    assert taken.to_pylist() == [texts[i] for i in positions]
    assert all(len(chunk) <= 3 for chunk in taken.chunks)


def test_texts_packed_apart_give_the_same_table(tmp_path, monkeypatch):
    # rows read in one order and sorted by id in another, a duplicate text, texts spanning several
    # packs: the table is the same whatever the pack size
    ids = [17, 3, 11, 5, 2, 13, 7, 19, 23, 1]
    texts = [f"Valley Post story {i}: the Lakeport council met on day {i}." for i in ids]
    texts[6] = texts[2]
    pd.DataFrame({"id": ids, "text": texts, "outlet": ["Valley Post"] * 10}).to_parquet(tmp_path / "c.parquet")
    whole = load_corpus(tmp_path / "c.parquet")
    monkeypatch.setattr(corpus._TextStore, "PACK", 2)
    packed = load_corpus(tmp_path / "c.parquet")
    pd.testing.assert_frame_equal(whole.raw_articles, packed.raw_articles)
    pd.testing.assert_frame_equal(whole.load_report, packed.load_report)
    raw = packed.raw_articles.set_index("article_id")
    assert list(raw.index) == sorted(str(i) for i in ids if i != 7)
    assert raw.loc["13", "raw_text"] == texts[5] and raw.loc["1", "raw_text"] == texts[9]
    assert str(raw["raw_text"].dtype) == "str"
    report = packed.load_report.set_index("input")
    assert report.loc["c.parquet#row=6", "reason"].startswith("duplicate of 11")


def test_row_ids_follow_the_input_row_not_the_count_of_good_rows(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("text,title\nfirst article,T0\n,T1\nthird article,T2\n")
    result = load_corpus(path)
    assert list(result.raw_articles["article_id"]) == ["row0", "row2"]
    assert dict(zip(result.load_report["input"], result.load_report["status"]))["export.csv#row=1"] == "skipped"


def test_sample_is_seeded_and_reported(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(20):
        (folder / f"{i:02d}.txt").write_text(f"Article number {i} about the talks.")
    first = load_corpus(folder, sample=5, seed=3)
    again = load_corpus(folder, sample=5, seed=3)
    other = load_corpus(folder, sample=5, seed=4)
    assert list(first.raw_articles["article_id"]) == list(again.raw_articles["article_id"])
    assert list(first.raw_articles["article_id"]) != list(other.raw_articles["article_id"])
    assert (first.load_report["reason"].str.startswith("not drawn")).sum() == 15
    assert len(first.load_report) == 20


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p / "nowhere", "no such file or folder"),
        (lambda p: (p / "empty").mkdir() or p / "empty", "no article files found"),
        (lambda p: (p / "junk").mkdir() or (p / "junk" / "x.txt").write_bytes(b"") or p / "junk", "nothing loadable"),
    ],
)
def test_fatal_problems_are_one_line_errors(tmp_path, make, message):
    with pytest.raises(CorpusError) as caught:
        load_corpus(make(tmp_path))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_unreadable_metadata_is_fatal(small_corpus):
    (small_corpus / "meta.csv").write_text("outlet\nX\n")
    with pytest.raises(CorpusError, match="no 'file' column"):
        load_corpus(small_corpus, metadata=small_corpus / "meta.csv")
    with pytest.raises(CorpusError, match="no such file"):
        load_corpus(small_corpus, metadata=small_corpus / "absent.csv")


def test_one_outlet_one_name_merges_case_spacing_and_its_own_domain(tmp_path):
    """Issue 17: an export spelling one outlet "VELL" / "vell" across years counted as two outlets."""
    rows = [
        ("1", "Vell Courier", "https://www.vellcourier.com/2019/a"),
        ("2", "Vell Courier", "https://www.vellcourier.com/2019/b"),
        ("3", "VELL  COURIER", "https://www.vellcourier.com/2020/c"),
        ("4", "vellcourier.com", ""),                                   # the domain the corpus pairs with it
        ("5", "The Quay Post", "https://quaypost.com/x"),
        ("6", "quay post", "https://quaypost.com/y"),
        ("7", "Harbour Wire", "https://newsaggregator.com/1"),         # an aggregator's domain: two names
        ("8", "Lakeport Daily", "https://newsaggregator.com/2"),
        ("9", "newsaggregator.com", ""),
    ]
    frame = pd.DataFrame({"id": [r[0] for r in rows], "outlet": [r[1] for r in rows], "url": [r[2] for r in rows],
                          "text": [f"Story number {r[0]} about the harbour of Lakeport and its quay." for r in rows]})
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    result = load_corpus(path)
    arts = result.raw_articles.set_index("article_id")
    assert arts["outlet"].to_dict() == {
        "1": "Vell Courier", "2": "Vell Courier", "3": "Vell Courier", "4": "Vell Courier",
        "5": "The Quay Post", "6": "The Quay Post", "7": "Harbour Wire", "8": "Lakeport Daily",
        "9": "newsaggregator.com"}
    assert arts.loc["3", "outlet_raw"] == "VELL  COURIER" and arts.loc["4", "outlet_raw"] == "vellcourier.com"
    report = result.load_report.set_index("article_id")
    assert "outlet 'VELL  COURIER' merged into 'Vell Courier'" in report.loc["3", "reason"]
    assert "outlet 'vellcourier.com' merged into 'Vell Courier' (the corpus pairs vellcourier.com" in report.loc["4", "reason"]
    assert report.loc["1", "reason"] == "" and report.loc["9", "reason"] == ""
    merged = report[report["reason"].str.contains("merged into")]
    assert set(merged.index) == {"3", "4", "6"} and set(merged["status"]) == {"loaded_with_warning"}
