"""Benchmark: ``python -m helpers.evaluate.bench PARQUET [--sizes 1000 2000 5000] [--workers N] [--full]``
(``--sizes --full``: the full run only).

For each size (the first N rows of a tabular corpus such as article_bias_prediction.parquet):

* words per second of the whole per-article pipeline (cold, no cache) beside the floor measured in
  the same run — spaCy's own ``nlp.pipe`` over the same cleaned texts with only the components the
  workbook needs for sentences and entities (senter + ner), on the same number of processes — and
  their ratio (target ≥ 0.70); and beside a second floor that adds the parse quotes and actor
  labels need (tagger + parser + lemmatizer over the sentences), the spaCy work the pipeline
  cannot avoid;
* seconds of each corpus-level stage, and the growth exponent between consecutive sizes
  (log t₂/t₁ ÷ log n₂/n₁; target ≤ 1.2);
* with ``--floor-sample F`` (0 < F < 1), the floors measured on a seeded random share F of the
  articles (and those articles' sentences) instead of all of them, and extended to all the words:
  the sample's own seconds (its processes' start-up, first batches and last batch, each of which
  the whole floor has once) plus the other words at the steady rate — each text's finish time on
  the words done by then, between 10 % and 90 % of the words (:func:`steady_seconds_per_word`) —
  so a side-by-side ratio on the full file fits beside its ~2 h cold run. Checked on 2,000 ABP
  articles against their whole floor (312.7 s): three 10 % samples gave 322.0, 320.1 and 305.8 s
  (−2 to +3 %); scaling in proportion to the words, as before, gave 353–402 s (printed beside it);
* the warm re-run of the tables (same cache, nothing changed) as a share of the cold run;
* peak memory (this process, and the largest worker process);
* with ``--report``, the report the user waits for: ``python -m helpers run``'s own steps after the
  tables (Parquet and CSV copies, the six notebooks, the front page), run on the warm cache, and
  the whole cold run with its report (cold tables + that), and its ratio to the floor with every
  component (target ≤ 1.15); then the same command again, the whole report's warm re-run, as a
  share of that whole cold run (target ≤ 1 %).

Nothing here is a test: it only prints measurements.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def timed_pipe(nlp: Any, texts: list[str], n_process: int) -> tuple[float, list[float]]:
    """``nlp.pipe`` over ``texts`` (batches of 64, ``n_process`` processes): its seconds, and the
    seconds at which each text's doc came back (in the texts' order, as ``nlp.pipe`` yields them)."""
    finished: list[float] = []
    clock = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
        finished.append(time.perf_counter() - clock)
    return time.perf_counter() - clock, finished


def floor_words_per_second(texts: list[str], n_process: int) -> tuple[float, float]:
    """spaCy alone over ``texts`` (senter + ner, as the workbook's sentence pass); (words/s, seconds)."""
    from helpers.text import count_words

    words = sum(count_words(t) for t in texts)
    seconds, _ = timed_pipe(_sentence_floor_model(), texts, n_process)
    return words / seconds if seconds else float("nan"), seconds


def _sentence_floor_model() -> Any:
    """The spaCy model as the workbook's sentence pass runs it: senter + ner."""
    from helpers.annotate.nlp import load_model

    nlp = load_model(disable=("tagger", "parser", "attribute_ruler", "lemmatizer"))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def _parse_floor_model() -> Any:
    """The spaCy model as quotes and actor labels parse sentences: all but ner."""
    from helpers.annotate.nlp import load_model

    return load_model(disable=("ner",))


def steady_seconds_per_word(words: list[int], finished: list[float], *, low: float = 0.1,
                            high: float = 0.9) -> float:
    """Seconds per word once a pipe runs steadily: the least-squares slope of each text's finish
    time (``finished``, from :func:`timed_pipe`) on the words done by then (``words``: each text's,
    in the same order), over the texts finished between the ``low`` and ``high`` shares of the
    words — past the processes' first batches, before the last batch one process waits for. NaN
    with fewer than two distinct points there."""
    import numpy as np

    done = np.cumsum(np.asarray(words, dtype=float))
    times = np.asarray(finished, dtype=float)
    if len(done) != len(times) or not len(done) or done[-1] <= 0:
        return float("nan")
    inside = (done >= low * done[-1]) & (done <= high * done[-1])
    x, y = done[inside], times[inside]
    if len(np.unique(x)) < 2:
        return float("nan")
    x_mean = x.mean()
    return float(((x - x_mean) * (y - y.mean())).sum() / ((x - x_mean) ** 2).sum())


def extrapolated_floor_seconds(sample_seconds: float, seconds_per_word: float, sample_words: int,
                               words: int) -> float:
    """A floor measured on ``sample_words`` of ``words``, extended to all of them: the sample's own
    seconds (its start-up, first batches and last batch, each of which the whole run has once)
    plus the words not in it at the steady rate (:func:`steady_seconds_per_word`)."""
    if sample_words <= 0 or math.isnan(seconds_per_word):
        return float("nan")
    return sample_seconds + max(words - sample_words, 0) * seconds_per_word


def floor_startup_seconds(n_process: int) -> tuple[float, float]:
    """The floors' fixed costs: :func:`floor_words_per_second` and :func:`parse_floor_seconds` each
    over ``2 × n_process`` one-word texts — spawning the processes and loading the model into them,
    which a floor measured on a sample must count once, not scale with the words."""
    texts = ["word"] * (2 * n_process)
    return floor_words_per_second(texts, n_process)[1], parse_floor_seconds(texts, n_process)


def scaled_floor_seconds(sample_seconds: float, startup_seconds: float, sample_words: int, words: int) -> float:
    """A floor measured on ``sample_words`` of ``words``, scaled to all of them: the start-up once,
    the rest in proportion to the words (spaCy's cost per word does not depend on how many there are;
    a measurement's warm-up and last batch, not in ``startup_seconds``, are scaled too: it reads high)."""
    if sample_words <= 0:
        return float("nan")
    startup = min(startup_seconds, sample_seconds)
    return startup + (sample_seconds - startup) * words / sample_words


def floor_sample_ids(articles: pd.DataFrame, share: float, *, seed: int = 0) -> pd.Series:
    """The ``article_id`` values of a seeded random ``share`` of ``articles`` (at least one), in
    ``article_id`` order; every id when ``share`` >= 1."""
    if share >= 1 or articles.empty:
        return articles["article_id"].sort_values()
    n = max(1, round(share * len(articles)))
    return articles["article_id"].sample(n=n, random_state=seed).sort_values()


def parse_floor_seconds(sentence_texts: list[str], n_process: int) -> float:
    """spaCy alone parsing ``sentence_texts`` with the components quotes and actor labels need
    (tok2vec, tagger, parser, attribute_ruler, lemmatizer): seconds."""
    return timed_pipe(_parse_floor_model(), sentence_texts, n_process)[0]


def sampled_floor(texts: list[str], n_process: int, *, parse: bool, article_words: int) -> dict[str, float]:
    """One floor (``parse``: the parse over sentences; else senter + ner over the texts) over a
    sample's ``texts``: ``seconds`` measured, and ``seconds_per_word`` at the steady rate
    (:func:`steady_seconds_per_word`), per word of the sample's articles (``article_words``) so
    that both floors extend by the same words."""
    from helpers.text import count_words

    words = [count_words(t) for t in texts]
    seconds, finished = timed_pipe(_parse_floor_model() if parse else _sentence_floor_model(), texts, n_process)
    per_text_word = steady_seconds_per_word(words, finished)
    return {"seconds": seconds,
            "seconds_per_word": per_text_word * sum(words) / article_words if article_words else float("nan")}


def _partitions_held(cache: str) -> int:
    from helpers.run.cache import KEY

    index = Path(cache) / "partitions" / "index.parquet"
    return int(pd.read_parquet(index)[KEY].nunique()) if index.exists() else 0


def report_seconds(path: Path, cache: str, workers: int, batch_size: int,
                   columns: dict[str, str | None] | None, out: Path) -> tuple[float, dict]:
    """``python -m helpers run`` on ``path`` with ``cache`` already warm (its tables are read back):
    the seconds of everything the runner does after the tables — write them, run every notebook,
    write the front page — and its manifest (``run.json``)."""
    import json

    from helpers.run import report

    clock = time.perf_counter()
    try:
        report.run(corpus=path, out=out, cache_dir=cache, workers=workers, batch_size=batch_size, columns=columns,
                   progress=False)
    except report.NotebooksFailed:
        pass  # the report was written; the manifest lists the failed notebooks
    return time.perf_counter() - clock, json.loads((out / "run.json").read_text(encoding="utf-8"))


def _sentence_texts(tables: Any, article_ids: pd.Series) -> list[str]:
    """The text of every sentence of ``article_ids``, in the sentences table's order, read from its
    Parquet file (only those rows) when the table is held on disk."""
    wanted = set(article_ids.tolist())
    path = tables.file("sentences") if hasattr(tables, "file") else None
    if path is not None:
        frame = pd.read_parquet(path, columns=["article_id", "text"],
                                filters=[("article_id", "in", sorted(wanted))])
    else:
        frame = tables["sentences"][["article_id", "text"]]
    return list(frame.loc[frame["article_id"].isin(wanted), "text"])


def measure(path: Path, workers: int, batch_size: int, columns: dict[str, str | None] | None = None,
            increment: Path | None = None, with_report: bool = False, floor_sample: float = 1.0) -> dict:
    """Cold run, warm re-run, the floors; with ``increment`` (the corpus plus some articles) also
    a run of that corpus on the same cache: its seconds and how many partitions it computed; with
    ``with_report``, the report's seconds on the warm cache (:func:`report_seconds`); with
    ``floor_sample`` < 1, the floors measured on that share of the articles and scaled to all the
    words (:func:`scaled_floor_seconds`)."""
    from helpers.run import pipeline

    with tempfile.TemporaryDirectory(prefix="parallax-bench-") as cache:
        cold: dict[str, float] = {}
        clock = time.perf_counter()
        # the tables written as they finish, as the runner writes them (the memory it needs)
        tables = pipeline.compute(path, cache_dir=cache, workers=workers, batch_size=batch_size, timings=cold,
                                  columns=columns, tables_dir=Path(cache) / "tables-cold")
        cold_total = time.perf_counter() - clock
        warm: dict[str, float] = {}
        clock = time.perf_counter()
        pipeline.compute(path, cache_dir=cache, workers=workers, batch_size=batch_size, timings=warm,
                         columns=columns, tables_dir=Path(cache) / "tables-warm")
        warm_total = time.perf_counter() - clock
        reported: dict[str, object] = {}
        if with_report:
            seconds, manifest = report_seconds(path, cache, workers, batch_size, columns,
                                               Path(cache) / "report" / path.stem)
            # the same command again, nothing changed: what a user waits for on a re-run
            again, repeated = report_seconds(path, cache, workers, batch_size, columns,
                                             Path(cache) / "report-again" / path.stem)
            reported = {"seconds": seconds, "failed_notebooks": manifest.get("failed_notebooks", []),
                        "capped_tables": manifest.get("capped_tables", {}), "again_seconds": again,
                        "reused_notebooks": len(repeated.get("reused_notebooks", []))}
        grown: dict[str, object] = {}
        if increment is not None:
            before = _partitions_held(cache)
            timing: dict[str, float] = {}
            clock = time.perf_counter()
            more = pipeline.compute(increment, cache_dir=cache, workers=workers, batch_size=batch_size,
                                    timings=timing, columns=columns, tables_dir=Path(cache) / "tables-grown")
            grown_articles = more["articles"]
            grown = {"seconds": time.perf_counter() - clock, "timings": timing,
                     "articles": len(grown_articles), "new_partitions": _partitions_held(cache) - before,
                     "partitions": int(grown_articles["event"].nunique())}
            del more, grown_articles
        articles = tables["articles"]
        english = articles[articles["language"] == "en"]
        sample_ids = floor_sample_ids(english, floor_sample)
        sentence_texts = _sentence_texts(tables, sample_ids)
        del tables
    words = int(english["word_count"].sum())
    sampled = english[english["article_id"].isin(set(sample_ids.tolist()))]
    sample_words = int(sampled["word_count"].sum())
    per_article = sum(v for k, v in cold.items() if k.startswith("per-article"))
    sentence_floor = sampled_floor(list(sampled["text"]), workers, parse=False, article_words=sample_words)
    parse_floor = sampled_floor(sentence_texts, workers, parse=True, article_words=sample_words)
    floor_seconds, parse_seconds = sentence_floor["seconds"], parse_floor["seconds"]
    sample = {}
    if len(sampled) < len(english):
        sentence_startup, parse_startup = floor_startup_seconds(workers)
        # proportional scaling, printed beside the extrapolation for comparison: it reads high
        scaled = (scaled_floor_seconds(floor_seconds, sentence_startup, sample_words, words)
                  + scaled_floor_seconds(parse_seconds, parse_startup, sample_words, words))
        sample = {"articles": len(sampled), "words": sample_words, "share": floor_sample,
                  "startup_seconds": sentence_startup + parse_startup,
                  "measured_seconds": floor_seconds + parse_seconds, "scaled_seconds": scaled,
                  "steady_words_per_second": 1 / (sentence_floor["seconds_per_word"]
                                                  + parse_floor["seconds_per_word"])}
        floor_seconds = extrapolated_floor_seconds(floor_seconds, sentence_floor["seconds_per_word"],
                                                   sample_words, words)
        parse_seconds = extrapolated_floor_seconds(parse_seconds, parse_floor["seconds_per_word"],
                                                   sample_words, words)
    floor = words / floor_seconds if floor_seconds else float("nan")
    full_floor_seconds = floor_seconds + parse_seconds
    return {"full_floor_wps": words / full_floor_seconds, "full_floor_seconds": full_floor_seconds,
            "floor_sample": sample, "articles": len(articles), "words": words,
            "cold": cold, "cold_total": cold_total,
            "warm": warm, "warm_total": warm_total, "per_article_seconds": per_article,
            "pipeline_wps": words / per_article if per_article else float("nan"),
            "floor_wps": floor, "floor_seconds": floor_seconds, "increment": grown, "report": reported}


def list_notebooks() -> list[Path]:
    from helpers.run.report import list_notebooks as notebooks

    return notebooks()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.evaluate.bench", description=__doc__.splitlines()[0])
    parser.add_argument("parquet", help="a tabular corpus (e.g. ../shared/eval/article_bias_prediction.parquet)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 2000, 5000],
                        help="corpus sizes (first N rows); none with --full: the full run only")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--full", action="store_true", help="also one cold run over the whole file")
    parser.add_argument("--cache-dir", default=None,
                        help="with --full: keep the per-article cache in this folder (a second run reuses it, "
                             "so the corpus-level stages can be measured again without an hour of parsing)")
    parser.add_argument("--event-column", default=None,
                        help="the column that names each article's event (e.g. topic): the comparisons run "
                             "event by event, one partition each (default: the loader's own detection)")
    parser.add_argument("--increment", type=int, default=0, metavar="N",
                        help="after the warm re-run of each size, add N more rows of the file, all of one "
                             "event (the --event-column value most common among the rows after the first "
                             "size), and run again on the same cache: how long, and how many partitions "
                             "it computed")
    parser.add_argument("--report", action="store_true",
                        help="after the warm re-run of each size, run python -m helpers run (notebooks and "
                             "report) on the warm cache, and print its seconds and the whole cold run with it")
    parser.add_argument("--floor-sample", type=float, default=1.0, metavar="F",
                        help="measure the floors on a seeded random share F (0 < F <= 1) of each size's "
                             "articles and scale them to all its words, the start-up counted once (default 1: "
                             "all of them)")
    args = parser.parse_args(argv)
    if not 0 < args.floor_sample <= 1:
        parser.error("--floor-sample must be in (0, 1]")
    columns = {"event": args.event_column} if args.event_column else None
    if args.increment and not args.event_column:
        parser.error("--increment needs --event-column (the event the added rows join)")

    print(f"corpus {args.parquet}; event column {args.event_column or '(detected)'}; workers {args.workers}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="parallax-bench-data-") as folder:
        for size in sorted(args.sizes):
            part = Path(folder) / f"first-{size}.parquet"
            # read per size, so the full run's peak memory is the pipeline's, not the bench's copy
            whole = pd.read_parquet(args.parquet)
            whole.head(size).to_parquet(part, index=False)
            grown = None
            if args.increment:
                rest = whole.iloc[size:]
                event = rest[args.event_column].value_counts().index[0]
                # the same file name in another folder: an article's id and source are its file's
                # name and row, so the first rows are the same articles, found in the cache
                grown = Path(folder) / "grown" / part.name
                grown.parent.mkdir(exist_ok=True)
                pd.concat([whole.head(size), rest[rest[args.event_column] == event].head(args.increment)]
                          ).to_parquet(grown, index=False)
            del whole
            r = measure(part, args.workers, args.batch_size, columns, grown, with_report=args.report,
                        floor_sample=args.floor_sample)
            results.append(r)
            own, child = _peak_mb()
            print(f"\n== {r['articles']} articles, {r['words']} words (load average {os.getloadavg()[0]:.2f})")
            print(f"per-article pipeline: {r['pipeline_wps']:.0f} words/s ({r['per_article_seconds']:.1f} s); "
                  f"spaCy floor (senter+ner, {args.workers} process(es)): {r['floor_wps']:.0f} words/s; "
                  f"ratio {r['pipeline_wps'] / r['floor_wps']:.2f} (target >= 0.70)")
            print(f"  floor with every component the workbook runs (senter+ner, then tagger+parser+lemmatizer "
                  f"over the sentences): {r['full_floor_wps']:.0f} words/s; ratio "
                  f"{r['pipeline_wps'] / r['full_floor_wps']:.2f}")
            if r["floor_sample"]:
                f = r["floor_sample"]
                print(f"  the floors measured on {f['articles']} articles ({100 * f['share']:.0f}% sample, seed 0; "
                      f"{f['words']} words) in {f['measured_seconds']:.1f} s, the other words at their steady "
                      f"rate ({f['steady_words_per_second']:.0f} words/s): {r['full_floor_seconds']:.1f} s "
                      f"(scaled in proportion to the words, start-up {f['startup_seconds']:.1f} s once, it reads "
                      f"{f['scaled_seconds']:.1f} s)")
            for name, seconds in r["cold"].items():
                print(f"  {name:45s} {seconds:8.2f} s")
            print(f"cold {r['cold_total']:.1f} s; warm re-run {r['warm_total']:.1f} s = "
                  f"{100 * r['warm_total'] / r['cold_total']:.1f}% of cold")
            if r["report"]:
                rep = r["report"]
                whole = r["cold_total"] + rep["seconds"] - r["warm_total"]
                print(f"report (tables written, {len(list_notebooks())} notebooks, front page; warm cache): "
                      f"{rep['seconds']:.1f} s, {len(rep['failed_notebooks'])} notebook(s) failed"
                      + (f", CSV copies capped: {', '.join(rep['capped_tables'])}" if rep["capped_tables"] else "")
                      + f"; the whole cold run with its report ≈ {whole:.1f} s = {whole / r['full_floor_seconds']:.2f}× "
                      f"the floor with every component ({r['full_floor_seconds']:.1f} s; target <= 1.15)")
                print(f"the same command again, nothing changed (tables and notebooks' pages from the cache, "
                      f"{rep['reused_notebooks']} notebook(s) reused): {rep['again_seconds']:.1f} s = "
                      f"{100 * rep['again_seconds'] / whole:.2f}% of the whole cold run (target <= 1%)")
            if r["increment"]:
                g = r["increment"]
                print(f"increment: {g['articles'] - r['articles']} articles added to one event → "
                      f"{g['new_partitions']} partition(s) computed of {g['partitions']}; {g['seconds']:.1f} s "
                      f"({100 * g['seconds'] / r['cold_total']:.1f}% of cold): "
                      + "; ".join(f"{k} {v:.1f} s" for k, v in g["timings"].items()))
            print(f"peak memory: this process {own:.0f} MB, largest worker {child:.0f} MB", flush=True)
        if len(results) > 1:
            print("\ngrowth exponents of corpus-level stages (target <= 1.2):")
            stages = [k for k in results[0]["cold"] if k.startswith("corpus")]
            for a, b in zip(results, results[1:]):
                ratio = math.log(b["articles"] / a["articles"])
                parts = []
                for stage in stages:
                    ta, tb = a["cold"].get(stage, 0), b["cold"].get(stage, 0)
                    parts.append(f"{stage.split(': ')[-1]} {math.log(tb / ta) / ratio:.2f}" if ta > 0.05 and tb > 0
                                 else f"{stage.split(': ')[-1]} (too short)")
                print(f"  {a['articles']} → {b['articles']}: " + "; ".join(parts))
    if args.full:
        from helpers.run import pipeline

        timings: dict[str, float] = {}
        clock = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="parallax-bench-") as scratch:
            cache = args.cache_dir or scratch
            tables = pipeline.compute(args.parquet, cache_dir=cache, workers=args.workers,
                                      batch_size=args.batch_size, timings=timings, progress=True,
                                      columns=columns, tables_dir=Path(scratch) / "tables")
            rows = {name: tables.n_rows(name) for name in tables}
        own, child = _peak_mb()
        print(f"\n== full corpus: {rows['articles']} articles in {time.perf_counter() - clock:.0f} s; "
              f"peak memory this process {own:.0f} MB, largest worker {child:.0f} MB")
        for name, seconds in timings.items():
            print(f"  {name:45s} {seconds:8.1f} s")
        print("rows: " + ", ".join(f"{name} {n:,}" for name, n in rows.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
