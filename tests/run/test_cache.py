"""The per-article cache: a warm run recomputes nothing, a changed article only itself, and the
tables are the same cold, warm and without a cache."""

import os

import pandas as pd
import pytest

from helpers.run import batches, cache, engine, pipeline
from helpers.run.cache import StageCache

from conftest import ARTICLE_B, write_small_corpus


def _equal(a: dict, b: dict) -> None:
    assert set(a) == set(b)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=True, obj=name)


def _count_calls(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = batches.annotate_batch

    def counting(batch, *args):
        calls.append(len(batch))
        return real(batch, *args)

    monkeypatch.setattr(batches, "annotate_batch", counting)
    return calls


def test_cold_warm_and_uncached_runs_give_the_same_tables(tmp_path, monkeypatch):
    corpus = write_small_corpus(tmp_path / "small")
    reference = pipeline.analyse(pipeline.build_tables(corpus))
    calls = _count_calls(monkeypatch)
    cold = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1)
    assert sum(calls) == 3
    warm = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1)
    assert sum(calls) == 3, "a warm run recomputes no article"
    _equal(cold, reference)
    _equal(warm, reference)
    # one batch: a file per table plus its key file
    assert len(list((tmp_path / "cache" / "annotate" / "parts").glob("*.parquet"))) == len(batches.ANNOTATE_TABLES) + 1


def test_only_new_or_changed_articles_are_recomputed(tmp_path, monkeypatch):
    corpus = write_small_corpus(tmp_path / "small")
    calls = _count_calls(monkeypatch)
    pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1)
    (corpus / "d.txt").write_text(ARTICLE_B.replace("Monday", "Friday"), encoding="utf-8")
    (corpus / "b.txt").write_text(ARTICLE_B + "\nTalks would resume next week, Doe said.\n", encoding="utf-8")
    again = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, batch_size=1)
    assert calls[1:] == [1, 1], "only the changed and the new article"
    _equal(again, pipeline.analyse(pipeline.build_tables(corpus)))


def test_a_damaged_index_is_a_cold_cache(tmp_path):
    folder = tmp_path / "cache" / "annotate"
    folder.mkdir(parents=True)
    (folder / "index.parquet").write_bytes(b"not parquet")
    cache = StageCache(tmp_path / "cache", "annotate", ("articles",))
    assert cache.known(["x"]) == set()


def _store_batch(root, keys: list[str]) -> StageCache:
    stage = StageCache(root, "annotate", ("articles", "sentences"))
    frames = {t: pd.DataFrame({"_key": keys, "value": range(len(keys))}) for t in ("articles", "sentences")}
    stage.store(keys, frames)
    return stage


def test_batches_of_an_interrupted_run_are_adopted_by_the_next(tmp_path):
    _store_batch(tmp_path, ["a", "b"])  # never committed: the run died before the end of the stage
    assert not (tmp_path / "annotate" / "index.parquet").exists()
    again = StageCache(tmp_path, "annotate", ("articles", "sentences"))
    assert again.known(["a", "b", "c"]) == {"a", "b"}
    assert list(again.load(["b"])["sentences"]["value"]) == [1]


@pytest.mark.parametrize("damage", ["no key file", "a table missing", "damaged key file"])
def test_a_half_written_batch_is_not_adopted(tmp_path, damage):
    _store_batch(tmp_path, ["a"])
    parts = tmp_path / "annotate" / "parts"
    keys_file = next(parts.glob("*.keys.parquet"))
    if damage == "no key file":
        keys_file.unlink()
    elif damage == "a table missing":
        next(parts.glob("*.sentences.parquet")).unlink()
    else:
        keys_file.write_bytes(b"not parquet")
    assert StageCache(tmp_path, "annotate", ("articles", "sentences")).known(["a"]) == set()


def test_an_adopted_batch_is_indexed_at_the_next_commit(tmp_path):
    _store_batch(tmp_path, ["a"])
    second = _store_batch(tmp_path, ["b"])
    second.commit()
    index = pd.read_parquet(tmp_path / "annotate" / "index.parquet")
    assert sorted(index["_key"]) == ["a", "b"]


def test_no_cache_writes_nothing(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    pipeline.compute(corpus, cache_dir=None, workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small"]


def test_an_unchanged_run_is_read_back_whole_and_a_changed_option_is_not(tmp_path, monkeypatch):
    corpus = write_small_corpus(tmp_path / "small")
    cold = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1)
    computed: list[int] = []
    real = engine.compute_tables
    monkeypatch.setattr(engine, "compute_tables", lambda *a, **k: computed.append(1) or real(*a, **k))
    timings: dict[str, float] = {}
    warm = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, timings=timings)
    assert computed == [] and "cached run" in timings
    _equal(warm, cold)
    other = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1, fact_threshold=0.5)
    assert computed == [1], "another fact threshold is another run"
    _equal(other, pipeline.compute(corpus, cache_dir=None, workers=1, fact_threshold=0.5))


def test_a_damaged_run_entry_is_recomputed(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    cold = pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1)
    for table in (tmp_path / "cache" / "runs").glob("*/articles.parquet"):
        table.write_bytes(b"broken")
    _equal(pipeline.compute(corpus, cache_dir=tmp_path / "cache", workers=1), cold)


def test_only_the_most_recent_runs_are_kept(tmp_path):
    tables = {"t": pd.DataFrame({"a": [1]})}
    for n in range(6):
        cache.store_result(tmp_path, f"run{n}", tables, keep=4)
    assert len(list((tmp_path / "runs").iterdir())) == 4
    assert cache.load_result(tmp_path, "run5")["t"].equals(tables["t"])
    assert cache.load_result(tmp_path, "run0") is None


def test_new_articles_change_the_keys_only_of_articles_whose_own_lines_change_status():
    def raw(texts: list[str]) -> pd.DataFrame:
        return pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "raw_text": texts,
                             "title": "", "outlet": "x.com", "published": "2021-08-02", "event": "",
                             "source_file": [f"{i}.txt" for i in range(len(texts))]})

    footer, promo = "Follow us on Twitter", "Subscribe to our newsletter"
    first = [f"Story {i} body text here.\n{footer}" for i in range(3)]
    before, _, _ = engine.article_keys(raw(first))
    grown = [first[0], first[1] + f"\n{promo}", first[2], f"Story 3.\n{footer}\n{promo}", f"Story 4.\n{promo}"]
    after, repeated, _ = engine.article_keys(raw(grown))
    assert repeated["x.com"] == {"follow us on twitter", "subscribe to our newsletter"}
    assert after[0] == before[0] and after[2] == before[2], "their own lines kept their status"
    assert after[1] != before[1], "its text changed"


def test_the_run_key_changes_with_a_word_list(tmp_path):
    # the corpus-level stages read the word lists (helpers/dates/event_words.yaml, ...): editing one must not reuse a cached run
    (tmp_path / "lexicons").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    words = tmp_path / "lexicons" / "event_words.yaml"
    words.write_text("classes: {fire: [fire, blaze]}\n")
    before = engine.code_version(tmp_path)
    words.write_text("classes: {fire: [fire, blaze, inferno]}\n")
    assert engine.code_version(tmp_path) != before


def test_a_batch_without_rows_does_not_change_the_others_dtypes(tmp_path):
    # a partition with no rows of a table stores its key column only
    stage = StageCache(tmp_path, "partitions", ("conflicts",))
    stage.store(["k1"], {"conflicts": pd.DataFrame({"_key": ["k1", "k1"], "sent_id": [3, 7], "text": ["a", "b"]})})
    stage.store(["k2"], {"conflicts": pd.DataFrame({"_key": pd.Series(dtype=object)})})
    stage.commit()
    got = StageCache(tmp_path, "partitions", ("conflicts",)).load(["k1", "k2"])["conflicts"]
    assert got["sent_id"].dtype == "int64" and list(got["sent_id"]) == [3, 7]
    only_empty = StageCache(tmp_path, "partitions", ("conflicts",)).load(["k2"])["conflicts"]
    assert only_empty.empty


@pytest.mark.parametrize("batch_rows", [1, 2, 5, 100])
def test_a_file_read_a_batch_at_a_time_joins_to_the_file_read_whole(tmp_path, monkeypatch, batch_rows):
    """Batches within and across row groups give, joined, the frame a whole read gives (dtypes,
    text with missing values as ``object``, a categorical); a file without rows gives no batch."""
    from helpers.run import cache

    frame = pd.DataFrame({"article_id": list("abcde"), "text": pd.Series(["x", None, "z", "w", None], dtype=object),
                          "n": [1, 2, 3, 4, 5], "kind": pd.Categorical(list("xyxyz"))})
    path = tmp_path / "articles.parquet"
    frame.to_parquet(path, index=False, row_group_size=2)
    monkeypatch.setattr(cache, "batch_rows", lambda metadata: batch_rows)
    batches = list(cache.read_batches(path))
    assert len(batches) > 1 or batch_rows >= 5
    pd.testing.assert_frame_equal(pd.concat(batches, ignore_index=True), cache.read_parquet(path), check_dtype=True)
    only = pd.concat(cache.read_batches(path, columns=["article_id", "n"]), ignore_index=True)
    pd.testing.assert_frame_equal(only, cache.read_parquet(path, columns=["article_id", "n"]))
    frame.iloc[0:0].to_parquet(tmp_path / "empty.parquet", index=False)
    assert list(cache.read_batches(tmp_path / "empty.parquet")) == []


def test_stored_files_come_back_by_name_and_an_incomplete_entry_is_a_miss(tmp_path):
    (tmp_path / "a.txt").write_text("alpha", encoding="utf-8")
    (tmp_path / "b.png").write_bytes(b"\x89PNG")
    cache.store_files(tmp_path / "cache", "pages", "k", {"page.txt": tmp_path / "a.txt",
                                                         "figures/b.png": tmp_path / "b.png"}, keep=4)
    files = cache.stored_files(tmp_path / "cache", "pages", "k")
    assert sorted(files) == ["figures/b.png", "page.txt"]
    assert files["page.txt"].read_text(encoding="utf-8") == "alpha" and files["figures/b.png"].read_bytes() == b"\x89PNG"
    assert cache.stored_files(tmp_path / "cache", "pages", "other") is None
    assert cache.stored_files(None, "pages", "k") is None
    files["figures/b.png"].unlink()
    assert cache.stored_files(tmp_path / "cache", "pages", "k") is None


def test_only_the_most_recently_used_stored_files_are_kept(tmp_path):
    (tmp_path / "a.txt").write_text("alpha", encoding="utf-8")
    for n in range(3):
        cache.store_files(tmp_path / "cache", "pages", f"k{n}", {"a.txt": tmp_path / "a.txt"}, keep=2)
        os.utime(tmp_path / "cache" / "pages" / f"k{n}", (n, n))  # distinct times, oldest first
    assert cache.stored_files(tmp_path / "cache", "pages", "k0") is None
    assert cache.stored_files(tmp_path / "cache", "pages", "k2") is not None


@pytest.mark.parametrize("columns", [None, ["value"]])
def test_part_readers_read_each_stored_batch_of_the_keys_asked_even_in_another_process(tmp_path, columns):
    """One reader per stored batch holding a key asked for: it reads that batch's rows of those
    keys only (``columns``: those, with ``_key``), and is a plain object another process can run."""
    import pickle

    stage = StageCache(tmp_path, "stage", ("rows",))
    stage.store(["k1", "k2"], {"rows": pd.DataFrame({"value": [1, 2, 3], "note": ["a", "b", "c"],
                                                     cache.KEY: ["k1", "k2", "k2"]})})
    stage.store(["k3"], {"rows": pd.DataFrame({"value": [4], "note": ["d"], cache.KEY: ["k3"]})})
    stage.commit()
    readers = StageCache(tmp_path, "stage", ("rows",)).part_readers(["k2", "k3"], "rows")
    assert len(readers) == 2 and all(r.path.is_file() for r in readers)
    frames = sorted((pickle.loads(pickle.dumps(read))(columns) for read in readers), key=lambda f: f["value"].iloc[0])
    assert [f[cache.KEY].tolist() for f in frames] == [["k2", "k2"], ["k3"]]
    assert [f["value"].tolist() for f in frames] == [[2, 3], [4]]
    assert list(frames[0].columns) == ([*columns, cache.KEY] if columns else ["value", "note", cache.KEY])
    assert StageCache(None, "stage", ("rows",)).part_readers(["k1"], "rows") == []
