"""From a corpus on disk to the workbook's tables, and back from disk.

``build_tables`` is the foundation every analysis stands on: load → clean → sentences and
entities. :func:`helpers.run.tables.write_tables` / ``read_tables`` store them (CSV for people,
Parquet for the notebooks) so the runner computes them once for all notebooks.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence, TYPE_CHECKING

import numpy as np
import pandas as pd

from helpers.annotate import sentences as sentence_stage
from helpers.annotate.sentences import note_languages
from helpers.load import clean, corpus
from helpers.text import count_words
from helpers.run.memory import release_free_memory, released
from helpers.run.paths import SEEDS_DIR
from helpers.run.tables import head_of, Tables
from helpers.schema import ARTICLE_COLUMNS, STAGE_FAILURE_COLUMNS

if TYPE_CHECKING:  # workbook imports this module
    from helpers.run.workbook import TableReader

TABLE_NAMES = ("articles", "load_report", "cleaning", "embeds", "sentences", "entities")
# Analysis stages in the order they run; each is a pure function of the tables so far.
STAGES = ("coverage", "quotes", "framing", "dates", "findings")
#: Distinctive terms kept per outlet (and per country), highest z first: the notebooks show the
#: top ten; the whole vocabulary of 491 outlets would be millions of rows no one reads.
DISTINCTIVE_TOP = 200


def build_tables(
    corpus_path: str | os.PathLike[str] | None = None,
    *,
    metadata: str | os.PathLike[str] | None = None,
    columns: dict[str, str | None] | None = None,
    sample: int | None = None,
    seed: int = 0,
    event: str = "",
    progress: bool = False,
) -> dict[str, pd.DataFrame]:
    """Load, clean and annotate a corpus (default: the bundled seeds).

    Returns a dict of tables: ``articles`` (:data:`ARTICLE_COLUMNS` plus metadata extras),
    ``load_report``, ``cleaning``, ``embeds``, ``sentences``, ``entities`` — columns documented
    in the README. ``event`` keeps one event's articles (default: all).
    """
    loaded = corpus.load_corpus(corpus_path or SEEDS_DIR, metadata=metadata, columns=columns,
                                sample=sample, seed=seed)
    raw, report = _select_event(loaded.raw_articles, loaded.load_report.copy(), event)

    articles, cleaning, embeds = clean.clean_corpus(raw)
    articles["word_count"] = [count_words(t) for t in articles["text"]]
    articles["language"] = [sentence_stage.detect_language(t) for t in articles["text"]]
    report = note_languages(report, articles)
    extras = [c for c in articles.columns if c not in ARTICLE_COLUMNS]
    articles = articles[ARTICLE_COLUMNS + extras]
    sentences, entities = sentence_stage.annotate(articles, embeds=embeds, progress=progress)
    return {
        "articles": articles.reset_index(drop=True),
        "load_report": report,
        "cleaning": cleaning.sort_values(["article_id", "raw_start"], kind="stable").reset_index(drop=True),
        "embeds": embeds.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True),
        "sentences": sentences,
        "entities": entities,
    }


def analyse(tables: dict[str, pd.DataFrame], *, stages: tuple[str, ...] = STAGES, codebook: str = "",
            fact_threshold: float = 0.35, progress: bool = False,
            per_article: dict[str, pd.DataFrame] | None = None,
            timings: dict[str, float] | None = None, cache_dir: str | os.PathLike[str] | None = None,
            runner: object = None, tables_dir: str | os.PathLike[str] | None = None) -> Mapping[str, pd.DataFrame]:
    """Run the analysis stages over the foundation's tables; returns the tables with the new ones added.

    ``coverage`` adds ``passages``, ``reuse_pairs``, ``article_originality`` (:mod:`helpers.compare.reuse`),
    ``facts``, ``coverage_matrix`` (:mod:`helpers.compare.facts`), ``quantity_conflicts`` (:mod:`helpers.compare.quantities`; sentences are
    grouped into facts at TF-IDF cosine ≥ ``fact_threshold``);
    ``quotes`` adds ``quotes``, ``sources``, ``quote_variants`` (:mod:`helpers.quotes`);
    ``framing`` adds ``frames``, ``article_frames``, ``frame_summary``, ``emphasis``,
    ``story_leaders``, ``leads_and_buries``, ``tone``, ``tone_sentences``, ``frame_contrasts``, ``tone_contrasts``, ``distinctive_terms``,
    ``actor_labels`` (:mod:`helpers.compare.framing`, :mod:`helpers.compare.emphasis`, :mod:`helpers.compare.distinctive`),
    scored with ``codebook`` (a YAML path; empty: the bundled codebook); ``dates`` adds ``dates``,
    ``timeline``, ``date_conflicts``, ``publication_timeline`` (:mod:`helpers.dates`);
    ``findings`` adds ``findings`` and ``finding_evidence`` (:mod:`helpers.compare.findings`), from
    whatever tables the earlier stages wrote.

    The comparisons within an event (every table of :data:`helpers.run.partitions.LOCAL_TABLES`)
    run event by event (:mod:`helpers.run.partitions`), on ``runner`` (an engine of
    :func:`helpers.run.engine.make_engine`; None: in this process) and cached in ``cache_dir``
    (None: not cached); the corpus-wide tables (outlet summaries and contrasts, distinctive terms,
    actor labels, the publication timeline) then once, over the gathered tables, and the events'
    findings are ranked once with the frame and tone contrasts into ``findings`` and
    ``finding_evidence``.

    ``per_article`` holds per-article results already computed (``quotes``, ``dates``,
    ``sentence_tone`` (:func:`helpers.annotate.tone.sentence_tone`), and
    ``actor_features``, encoded, for :func:`helpers.run.batches.label_features` and
    :func:`helpers.compare.distinctive.resolve_actor_labels`: by
    :mod:`helpers.run.engine`, in batches and cached; a :class:`~helpers.run.tables.Tables` whose
    ``actor_features`` may be a file the engine wrote, read a batch at a time by the actor labels);
    the stages use them instead of recomputing.
    ``timings`` (a dict) receives the seconds of each step.

    A stage that raises does not stop the others: its tables (for an event-by-event stage, that
    event's rows) are left out — a whole table is written empty, with its columns — and it is
    listed in ``stage_failures`` (``stage, input, error``; ``input`` names the event, or is empty
    for a corpus-wide step), which is always among the returned tables.

    ``tables_dir`` (None: every table stays in memory): each table is written there
    (:func:`helpers.run.tables.write_table`: Parquet, and CSV for people) as soon as it is final
    and let go — the foundation's before the events are compared, the partitions' as each is put
    together, the corpus-wide ones after their step — and a step reads back each table it needs
    when it needs it; the per-article results a corpus-wide step reads later wait in a scratch
    Parquet file (removed at the end). The returned :class:`~helpers.run.tables.Tables` reads a
    table back when asked for (without ``tables_dir``: a dict). The tables are the same with and
    without it (``tests/run/test_tables.py``).
    """
    import time

    from helpers.run import partitions
    from helpers.run.batches import describe_error

    for stage in stages:
        if stage not in STAGES:
            raise ValueError(f"unknown analysis stage {stage!r} (known: {', '.join(STAGES)})")
    out = Tables(tables, folder=tables_dir)
    # the caller may hand its own reference over (compute does): then the written tables are freed
    del tables
    failures = [out.get("stage_failures", pd.DataFrame(columns=STAGE_FAILURE_COLUMNS))]
    # a Tables, so that a per-article table the engine already wrote to a file stays a file
    options = {"codebook": codebook, "fact_threshold": float(fact_threshold), "per_article": Tables(per_article or {})}
    del per_article
    # the event-by-event comparisons are the last to read these per-article results: handed over
    # to them (a table the engine wrote as its file, not read back), let go once split among the tasks
    handed: dict[str, pd.DataFrame | Path] = {}
    for name in partitions.PER_ARTICLE_INPUTS:
        if name in options["per_article"]:
            written = options["per_article"].file(name)
            handed[name] = written if written is not None else options["per_article"][name]
            del options["per_article"][name]
    corpus_steps = [stage for stage in stages if stage in _CORPUS_FUNCTIONS]
    # the per-article results a corpus-wide step reads later (actor features) wait in a file, not
    # in memory, while the events are compared
    spill = None
    if tables_dir is not None and options["per_article"]:
        Path(tables_dir).mkdir(parents=True, exist_ok=True)
        spill = Path(tempfile.mkdtemp(prefix=".per-article-", dir=tables_dir))
        options["per_article"] = Tables(options["per_article"], folder=spill, csv=False)
        options["per_article"].write_all()
    try:
        clock = time.perf_counter()
        if progress:
            print("[parallax] analysis: the comparisons within each event", file=sys.stderr, flush=True)
        version = ""
        if cache_dir is not None:
            from helpers.run.engine import code_version

            version = code_version()
        # the foundation's tables are final: written (and let go) before the tasks run; the
        # partitions read their rows back task by task, the corpus-wide steps each table they read.
        # The articles too: their text (the corpus's) is not held while the events are compared
        out.write_all(but=("stage_failures",))
        local = partitions.analyse_partitions(
            out, stages=stages, options={**options, "codebook_digest": _file_digest(codebook)}, cache_dir=cache_dir,
            runner=runner, version=version, progress=progress, tables_dir=tables_dir, per_article=handed)
        del handed
        failures.append(local.pop("stage_failures"))
        out.update(local)
        # the time spent writing tables is reported apart from the steps' own (it was spent after
        # them when the tables were written at the end)
        written = local.write_seconds
        del local
        out.write_all()
        release_free_memory()
        if timings is not None:
            timings["corpus-level: event by event"] = time.perf_counter() - clock - written - out.write_seconds
        for step, stage in enumerate(corpus_steps):
            if progress:
                print(f"[parallax] analysis: {stage}, corpus-wide", file=sys.stderr, flush=True)
            clock, before = time.perf_counter(), out.write_seconds
            try:
                out.update(released(_CORPUS_FUNCTIONS[stage](out, **options, runner=runner)))
            except Exception as exc:  # noqa: BLE001 — listed; the other stages and tables go on
                if progress:
                    print(f"[parallax] analysis: {stage} failed ({describe_error(exc)})", file=sys.stderr,
                          flush=True)
                failures.append(pd.DataFrame([{"stage": stage, "input": "", "error": describe_error(exc)}]))
                out.update(_empty_stage_tables(stage, out, options))
            out.write_all()
            if timings is not None:
                timings[f"corpus-level: {stage}"] = time.perf_counter() - clock - (out.write_seconds - before)
        out["stage_failures"] = pd.concat([f for f in failures if len(f)] or failures[:1],
                                          ignore_index=True)[STAGE_FAILURE_COLUMNS].astype(object)
        out.write_all()
        if timings is not None and tables_dir is not None:
            timings["tables written"] = written + out.write_seconds
        return out if tables_dir is not None else dict(out)
    finally:
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)


def local_stage(stage: str, tables: dict[str, pd.DataFrame], *, fact_threshold: float = 0.35, codebook: str = "",
                per_article: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """The tables ``stage`` compares within one event (:data:`helpers.run.partitions.LOCAL_TABLES`),
    from that event's ``tables`` (``articles, sentences, entities, embeds`` and those of the stages
    before it); ``per_article``: that event's ``quotes``, ``dates`` and ``sentence_tone`` when
    already computed."""
    return _LOCAL_FUNCTIONS[stage](tables, fact_threshold=fact_threshold, codebook=codebook,
                                   per_article=per_article)


def _empty_stage_tables(stage: str, tables: dict[str, pd.DataFrame], options: dict) -> dict[str, pd.DataFrame]:
    """The corpus-wide tables ``stage`` writes, with no rows: the stage run on the tables' empty
    heads, so the notebooks find every table with its columns after a stage failed. Nothing when
    that fails too."""
    empty = {name: head_of(tables, name) for name in _CORPUS_READS[stage] if name in tables}
    held = options.get("per_article") or {}
    bare = {**options, "per_article": {name: head_of(held, name) for name in held}}
    try:
        return {name: frame.iloc[0:0] for name, frame in _CORPUS_FUNCTIONS[stage](empty, **bare).items()}
    except Exception:  # noqa: BLE001 — the failure is already listed; its tables are then absent
        return {}


def compute(
    corpus_path: str | os.PathLike[str] | None = None,
    *,
    metadata: str | os.PathLike[str] | None = None,
    columns: dict[str, str | None] | None = None,
    sample: int | None = None,
    seed: int = 0,
    event: str = "",
    codebook: str = "",
    fact_threshold: float = 0.35,
    cache_dir: str | os.PathLike[str] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    client: object = None,
    batch_size: int = 200,
    progress: bool = False,
    timings: dict[str, float] | None = None,
    dayfirst: bool | None = None,
    tables_dir: str | os.PathLike[str] | None = None,
) -> Mapping[str, pd.DataFrame]:
    """Every table, as :func:`build_tables` then :func:`analyse` give them, at scale: per-article
    stages in batches on ``engine`` (``local`` with ``workers`` processes, or ``dask`` at
    ``scheduler``), cached in ``cache_dir`` (None: no cache), corpus-level stages once.

    With a cache, a run whose inputs (every article's key, the load report, the codebook, the
    fact threshold) and code are unchanged reads its tables back instead of recomputing them.
    ``timings`` (a dict) receives the seconds of each step. ``dayfirst`` goes to
    :func:`helpers.load.corpus.load_corpus` (how ambiguous numeric dates are read).

    ``tables_dir`` (None: the tables are returned in memory, a dict): every table is written there
    as soon as no later step reads it (:func:`analyse`; a cached run's are copied there), and the
    returned :class:`~helpers.run.tables.Tables` reads them back when asked for — what the runner
    does, so that the main process holds the large tables only while a step needs them."""
    import time

    import helpers.run.engine  # a module, not the ``engine`` parameter (local or dask)
    from helpers.run.cache import digest, load_result, result_csv_files, result_files, store_result
    from helpers.run.tables import copy_written, CSV_MAX_ROWS

    clock = time.perf_counter()
    timings = timings if timings is not None else {}
    loaded = corpus.load_corpus(corpus_path or SEEDS_DIR, metadata=metadata, columns=columns,
                                sample=sample, seed=seed, dayfirst=dayfirst)
    raw, report = _select_event(loaded.raw_articles, loaded.load_report.copy(), event)
    del loaded
    raw = raw.reset_index(drop=True)
    # reading the corpus leaves several times its text in freed memory (0.26 of 0.50 GB after
    # 10,000 articles): handed back before the stages that hold the corpus for hours
    release_free_memory()
    timings["load"] = time.perf_counter() - clock
    clock = time.perf_counter()
    prepared = helpers.run.engine.article_keys(raw)
    run_key = None
    if cache_dir is not None:
        # The whole run is a pure function of these: reuse its tables when nothing changed.
        run_key = digest(helpers.run.engine.code_version(), "run", *prepared[0], report.to_csv(index=False),
                         _file_digest(codebook), repr(float(fact_threshold)))
        cached = None
        if tables_dir is None:
            cached = load_result(cache_dir, run_key)
        elif (files := result_files(cache_dir, run_key)) is not None:
            try:
                cached = copy_written(files, tables_dir,
                                      csv_files=result_csv_files(cache_dir, run_key, CSV_MAX_ROWS))
            except Exception:  # a damaged entry is a miss, never an error: its files are written again
                cached = None
        if cached is not None:
            timings["corpus inputs"] = time.perf_counter() - clock
            timings["cached run"] = time.perf_counter() - clock
            if progress:
                print("[parallax] unchanged corpus and code: tables read from the cache", file=sys.stderr, flush=True)
            return cached
    timings["corpus inputs"] = time.perf_counter() - clock
    # with a tables folder, the actor features are written to a scratch folder in it as they are
    # ordered, and read from there by the actor labels (never held whole in this process)
    spill = None
    if tables_dir is not None:
        Path(tables_dir).mkdir(parents=True, exist_ok=True)
        spill = Path(tempfile.mkdtemp(prefix=".per-article-", dir=tables_dir))
    # handed over, not kept here: compute_tables lets the raw text go once the articles are cleaned
    handed_raw = [raw]
    del raw
    try:
        tables, per_article = helpers.run.engine.compute_tables(
            handed_raw.pop(), report, cache_dir=cache_dir, engine=engine, scheduler=scheduler,
            workers=workers, client=client, batch_size=batch_size,
            progress=progress, timings=timings, prepared=prepared, spill_dir=spill, tables_dir=tables_dir)
        # the keys, the lines outlets repeat and the load report as read (the foundation holds its
        # own, with the failures noted) grow with the corpus and no later step reads them here
        del prepared, report
        # the per-article results gathered, the batches read from the cache or the workers are garbage:
        # handed back (0.7 GB of a 10,000-article run's main process), before the longest step starts
        release_free_memory()
        runner = helpers.run.engine.make_engine(engine, scheduler=scheduler, workers=workers, client=client)
        # handed over, not kept here: analyse lets each table go once it is written and nothing else
        # holds it
        handed = [tables, per_article]
        del tables, per_article
        try:
            tables = analyse(handed.pop(0), codebook=codebook, fact_threshold=fact_threshold, progress=progress,
                             per_article=handed.pop(0), timings=timings, cache_dir=cache_dir, runner=runner,
                             tables_dir=tables_dir)
        finally:
            runner.close()
    finally:
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)
    # A run in which something failed is not kept whole: the next run tries the failures again.
    if run_key is not None and tables["stage_failures"].empty:
        store_result(cache_dir, run_key, tables)
    return tables


def _file_digest(path: str | os.PathLike[str] | None) -> str:
    """Digest of a user's file (a codebook), or of its name when it cannot be read."""
    if not path:
        return ""
    try:
        return digest(Path(path).read_bytes().hex())
    except OSError:
        return digest(str(path))


def _select_event(raw: pd.DataFrame, report: pd.DataFrame, event: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    if event:
        if event not in set(raw["event"]):
            raise corpus.CorpusError(f"event {event!r}: not in the corpus (events: {', '.join(sorted(set(raw['event']))[:5])}…)")
        outside = raw.loc[raw["event"] != event, "article_id"]
        mask = report["article_id"].isin(set(outside))
        report.loc[mask, "status"] = "skipped"
        report.loc[mask, "reason"] = f"not in the selected event {event!r}"
        report.loc[mask, "article_id"] = ""
        raw = raw[raw["event"] == event].reset_index(drop=True)
    return raw, report


def _coverage_local(tables: dict[str, pd.DataFrame], *, fact_threshold: float = 0.35,
                    **_: object) -> dict[str, pd.DataFrame]:
    from helpers.compare import facts, findings, quantities, reuse
    from helpers.compare.alignments import find_alignments

    articles, sentences, embeds = tables["articles"], tables["sentences"], tables["embeds"]
    english = articles[articles["language"] == "en"]
    alignments = find_alignments(english)
    passages = reuse.find_shared_passages(english, embeds=embeds, alignments=alignments)
    fact_table = facts.group_facts(sentences, english, threshold=fact_threshold, passages=passages,
                                   embeds=embeds)
    pairs = reuse.reuse_pairs(english, alignments=alignments, passages=passages)
    originality = reuse.article_originality(english, alignments=alignments, passages=passages)
    del alignments  # not needed by the fact tables built next
    return {
        "passages": passages,
        "reuse_pairs": pairs,
        "article_originality": originality,
        "facts": fact_table,
        "coverage_matrix": facts.coverage_matrix(fact_table, english, sentences),
        "quantity_conflicts": quantities.quantity_conflicts(fact_table, english),
        # the grouping's "left out" and "only here" claims read against the text (notebook 02)
        "coverage_checks": findings.coverage_checks(fact_table, articles, sentences, tables["entities"]),
    }


def _quotes_local(tables: dict[str, pd.DataFrame], *, per_article: dict[str, pd.DataFrame] | None = None,
                  **_: object) -> dict[str, pd.DataFrame]:
    from helpers.quotes.extraction import extract_quotes
    from helpers.quotes.sources import extract_sources, with_statement_issuers, without_own_outlet
    from helpers.quotes.variants import quote_variants

    articles, sentences = tables["articles"], tables["sentences"]
    found = (per_article or {}).get("quotes")
    if found is None:
        found = extract_quotes(articles, sentences, entities=tables["entities"], embeds=tables["embeds"])
    # an outlet credited in its own article is its byline, not a source (known only beside the articles)
    found = without_own_outlet(found, articles, tables["entities"])
    # a readout, release or statement is its issuer's voice: one source with "the council said"
    found = with_statement_issuers(found)
    sources = extract_sources(found, articles, sentences, entities=tables["entities"])
    return {"quotes": found, "sources": sources, "quote_variants": quote_variants(found, articles)}


def _framing_local(tables: dict[str, pd.DataFrame], *, codebook: str = "",
                   per_article: dict[str, pd.DataFrame] | None = None, **_: object) -> dict[str, pd.DataFrame]:
    from helpers.compare import emphasis, framing

    articles, sentences, entities = tables["articles"], tables["sentences"], tables["entities"]
    book = _codebook(codebook, _file_digest(codebook))
    frames = framing.score_frames(sentences, codebook=book)
    facts = tables.get("facts")
    return {
        "frames": frames,
        "article_frames": framing.article_frames(frames, sentences),
        "emphasis": emphasis.emphasis(articles, sentences, entities, frames=frames,
                                      facts=facts if facts is not None and not facts.empty else None),
        "story_leaders": emphasis.story_leaders(articles, sentences, entities),
        "tone_sentences": emphasis.tone_sentences(sentences, entities, articles,
                                                  scores=(per_article or {}).get("sentence_tone")),
    }


@functools.lru_cache(maxsize=4)
def _codebook(path: str, content: str):
    """The codebook at ``path`` (empty: the bundled one), read once per process and ``content``
    (its digest: an edited file is read again), not once per event."""
    from helpers.compare import framing

    return framing.load_codebook(path or None)


def _framing_corpus(tables: Mapping[str, pd.DataFrame], *, per_article: Mapping[str, object] | None = None,
                    runner: object = None, **_: object) -> dict[str, pd.DataFrame]:
    """The corpus-wide framing tables. Its two parts that read different tables
    (:func:`_framing_part`: the distinctive terms; the leads, summaries and contrasts) run side by
    side, one task each, on a local engine's workers when the tables they read are files (each
    task reads its own from them, so this process holds none of it); else one after the other here.
    Each table is fetched from ``tables`` when a step needs it and let go after its last step.
    Then the actor labels read the actor features from their scratch file in chunks of whole
    articles, resolved on ``runner``'s workers (:func:`_actor_labels_on_engine`)."""
    from helpers.compare import distinctive
    from helpers.run.batches import label_features
    from helpers.run.engine import LocalEngine

    files = {name: tables.file(name) if isinstance(tables, Tables) and name in tables else None
             for name in _FRAMING_READS}
    out: MutableMapping[str, pd.DataFrame] = {}
    features = (per_article.file("actor_features") if isinstance(per_article, Tables) and "actor_features" in per_article
                else None)
    learned, feature_chunks = None, None
    if (isinstance(runner, LocalEngine) and runner.slots() >= 2 and all(path is not None for path in files.values())
            and tables.n_rows("sentences") >= _FRAMING_ENGINE_MIN_ROWS):
        # a Dask cluster's workers may not see this machine's files: there the parts run here.
        # Each task reads the articles from their file too: sent from here, their text (the
        # bulk of a run's articles table) would be held twice over while the parts run
        tasks = [("part", (part, files)) for part in _FRAMING_PARTS]
        if features is not None and _labels_on_workers(features):
            # the actor labels' first pass (each chunk's learned heads) reads the actor features
            # alone: its tasks go in the same queue as the parts, so that the worker done with
            # the shorter part takes them instead of waiting for the longer one
            from helpers.run.article_rows import whole_article_chunks

            feature_chunks = whole_article_chunks(features, _FEATURE_TASK_ROWS)
            tasks += [("heads", (features, *bounds)) for bounds in feature_chunks]
        heads: dict[int, dict] = {}
        for i, made in runner.map(_framing_task, tasks):
            if tasks[i][0] == "part":
                out.update(made)
            else:
                heads[i] = made
        if feature_chunks is not None:
            learned = distinctive.merge_actor_heads(heads.pop(i) for i in sorted(heads))
    else:
        for part in _FRAMING_PARTS:
            out.update(released(_framing_part(part, tables, _framing_articles(part, tables)), full=False))
    articles = articles_without_text(tables)

    def n_rows(name: str) -> int:  # without reading a written table back
        return tables.n_rows(name) if isinstance(tables, Tables) else len(tables[name])

    # the order in which the tables were returned before they were fetched one step at a time
    order = ("frame_summary", "leads_and_buries", "tone", "frame_contrasts", "tone_contrasts", "distinctive_terms",
             "actor_labels")
    folder = tables.folder if isinstance(tables, Tables) else None
    if folder is not None:
        # written (and let go) before the actor labels: held through them, the tone and term
        # tables of 37,000 articles were 0.12 GB beside the labels' own ranges
        parts_written = Tables(folder=folder, csv_max_rows=tables.csv_max_rows, csv=tables.csv)
        parts_written.update({name: out[name] for name in order if name in out})
        parts_written.write_all()
        out = parts_written
        release_free_memory(full=False)
    labels_file = None
    if per_article and "actor_features" in per_article and not (
            n_rows("sentences") == 0 or n_rows("entities") == 0 or articles.empty):
        written = per_article.file("actor_features") if isinstance(per_article, Tables) else None
        # read twice (heads learned, then labels resolved): from the scratch file a batch at a
        # time when the features wait there, so that they are never held whole — and then in
        # chunks of whole articles on the engine's workers; with a tables folder the table is
        # written there piece after piece, never held whole either
        if written is not None and folder is not None:
            labels_file = _actor_labels_on_engine(written, articles, runner, folder=folder,
                                                  csv_max_rows=tables.csv_max_rows, learned=learned,
                                                  chunks=feature_chunks)
        elif written is not None:
            out["actor_labels"] = _actor_labels_on_engine(written, articles, runner, learned=learned,
                                                          chunks=feature_chunks)
        else:
            out["actor_labels"] = distinctive.resolve_actor_labels(
                lambda: label_features(per_article["actor_features"]), articles)
    else:
        out["actor_labels"] = distinctive.actor_labels(tables["sentences"], tables["entities"], articles)
    if not isinstance(out, Tables):
        return {name: out[name] for name in order if name in out}
    if labels_file is not None:  # the actor labels last, as a file
        out.add_file("actor_labels", labels_file[0])
        if labels_file[1] is not None:
            out.capped["actor_labels"] = labels_file[1]
    return out


#: The two parts of the corpus-wide framing (:func:`_framing_part`), and the tables they read.
_FRAMING_PARTS = ("terms", "summaries")
_FRAMING_READS = ("articles", "sentences", "emphasis", "facts", "frames", "entities", "tone_sentences")
#: Below this many sentences the two parts run in this process: starting two workers (a few
#: seconds) would cost more than they share.
_FRAMING_ENGINE_MIN_ROWS = 200_000


def _framing_part(part: str, tables: Mapping[str, pd.DataFrame], articles: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One part of the corpus-wide framing, from ``tables`` (each read when a step needs it) and
    ``articles``: ``terms`` gives ``distinctive_terms`` (by outlet, and by country when the corpus
    has two or more, each classified: :func:`helpers.compare.distinctive.classify_terms`);
    ``summaries`` gives ``leads_and_buries``, ``frame_summary``, ``frame_contrasts``, ``tone`` and
    ``tone_contrasts``. Neither reads the other's tables."""
    from helpers.compare import distinctive, emphasis, framing
    from helpers.compare.overview import UNKNOWN_OUTLET

    out: dict[str, pd.DataFrame] = {}
    if part == "summaries":
        # first: the one step that reads the articles' text (their openings); every later step
        # needs only their ids and outlets
        out["leads_and_buries"] = released(emphasis.outlet_leads_and_buries(tables["emphasis"], articles,
                                                                            fact_rows=_fact_rows(tables)), full=False)
    articles = articles.drop(columns=["text"], errors="ignore")
    sentences = tables["sentences"]
    if part == "terms":
        with_outlet = articles.assign(outlet=articles["outlet"].where(articles["outlet"].astype(str) != "",
                                                                      UNKNOWN_OUTLET))
        # self-references and house style are told apart from event words and the bar applied
        # (distinctive.classify_terms); a margin above the top N leaves N event words once they go
        by_outlet = released(distinctive.classify_terms(
            released(distinctive.distinctive_terms(sentences, with_outlet, group_by="outlet",
                                                   top=DISTINCTIVE_TOP + 50), full=False),
            sentences, with_outlet, group_by="outlet"), full=False)
        with_country = articles.assign(country=articles["country"].where(articles["country"].astype(str) != "",
                                                                         "(unknown country)"))
        by_country = (released(distinctive.classify_terms(
            released(distinctive.distinctive_terms(sentences, with_country, group_by="country",
                                                   top=DISTINCTIVE_TOP + 50), full=False),
            sentences, with_country, group_by="country"), full=False)
                      if with_country["country"].nunique() > 1 else by_outlet.iloc[0:0])
        del with_outlet, with_country
        out["distinctive_terms"] = released(pd.concat([by_outlet.assign(group_by="outlet"),
                                                       by_country.assign(group_by="country")], ignore_index=True))
        return out
    frames = tables["frames"]
    out["frame_summary"] = released(framing.frame_summary(frames, sentences, articles))
    # outlet-vs-others differences with a test (front-page findings); shared frames are "context"
    out["frame_contrasts"] = released(framing.frame_contrasts(frames, sentences, articles), full=False)
    del frames
    entities, tone_rows = tables["entities"], tables["tone_sentences"]
    out["tone"] = emphasis.tone(sentences, entities, articles, sentence_table=tone_rows)
    out["tone_contrasts"] = released(framing.tone_contrasts(tone_rows), full=False)
    return out


def _framing_task(kind: str, args: tuple) -> Any:
    """A task of the corpus-wide framing on a worker: ``"part"`` — :func:`_framing_part_task`;
    ``"heads"`` — a chunk's learned actor heads (:func:`_actor_heads_of_rows`)."""
    return _framing_part_task(*args) if kind == "part" else _actor_heads_of_rows(*args)


def _labels_on_workers(path: str | os.PathLike[str]) -> bool:
    """Whether the actor features in the Parquet file ``path`` are resolved on an engine's workers
    (:func:`_actor_labels_on_engine`): :data:`_FEATURE_ENGINE_MIN_ROWS` sentences or more."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows >= _FEATURE_ENGINE_MIN_ROWS


def _framing_part_task(part: str, files: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """:func:`_framing_part` on a worker, reading its tables (the articles too) from their Parquet ``files``."""
    tables = Tables(files)
    return _framing_part(part, tables, _framing_articles(part, tables))


def _framing_articles(part: str, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The articles a part of the corpus-wide framing reads: ``summaries`` their text too (the
    leads and buries read each article's opening), ``terms`` all but the text."""
    return tables["articles"] if part == "summaries" else articles_without_text(tables)


def articles_without_text(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Table ``articles`` of ``tables`` without its ``text`` column — what the corpus-wide steps
    need of it (ids, outlets, events, dates). A written table is read without the text, which is
    nearly all of its bytes (120 of 126 MB uncompressed at 20,000 articles); the same frame, with
    the same dtypes, as reading it whole (:class:`Tables`' reader) and dropping the column."""
    from helpers.run.cache import read_parquet

    written = tables.file("articles") if isinstance(tables, Tables) else None
    if written is None:
        return tables["articles"].drop(columns=["text"], errors="ignore")
    return read_parquet(written, columns=[c for c in tables.head("articles").columns if c != "text"])


def _fact_rows(tables: Mapping[str, pd.DataFrame]) -> Callable[[list[str]], pd.DataFrame] | None:
    """The ``facts`` rows of the fact ids asked (:func:`_table_reader`); None without a ``facts`` table."""
    if "facts" not in tables:
        return None
    reader = _table_reader(tables, "facts")
    return lambda fact_ids: reader.rows("fact_id", fact_ids)


def _table_reader(tables: Mapping[str, pd.DataFrame], name: str) -> TableReader:
    """Table ``name`` as a :class:`helpers.run.workbook.TableReader`: of a table written to its file
    only the rows or columns asked for are read (a large corpus's facts, sentences and articles'
    text are millions of rows or gigabytes), never the whole table."""
    from helpers.run.workbook import TableReader

    written = tables.file(name) if isinstance(tables, Tables) else None
    return TableReader(written if written is not None else tables[name])


#: Sentences of actor features per task when the actor labels run on the engine (whole articles:
#: a task's rows end where an article ends). Small, so that the tasks in flight hold little: on
#: 473,368 sentences, chunks of 50,000 took as long as chunks of 200,000 (26 s on 2 workers, 37-40 s
#: in one process) with the main process at 0.94 GB instead of 1.33.
_FEATURE_TASK_ROWS = 50_000
#: Below this many sentences the actor labels are resolved in this process: on 59,171 sentences
#: (1,500 articles) starting the workers and sending them the learned heads cost more than the
#: 4.3 s they would share (6.7 s on 2 workers).
_FEATURE_ENGINE_MIN_ROWS = 200_000


def _actor_labels_on_engine(path: str | os.PathLike[str], articles: pd.DataFrame, runner: object = None, *,
                            rows: int = _FEATURE_TASK_ROWS, window: int = 3, folder: Path | None = None,
                            csv_max_rows: int | None = None, learned: dict | None = None,
                            chunks: list[tuple[int, int]] | None = None) -> pd.DataFrame | tuple[Path, int | None]:
    """:func:`helpers.compare.distinctive.resolve_actor_labels` over the actor features in the
    Parquet file at ``path``, its two passes run on ``runner``'s workers (None: in this process)
    over chunks of whole articles (about ``rows`` sentences each): each chunk's learned heads, merged
    (:func:`~helpers.compare.distinctive.merge_actor_heads`), then each chunk's records and
    descriptions given them, put together in corpus order
    (:func:`~helpers.compare.distinctive.actor_label_table`) — the same table as one pass over the
    file (``tests/run/test_pipeline.py``). On a local engine each worker reads its chunk's rows
    from the file (:func:`helpers.run.article_rows.whole_article_chunks`, :func:`_feature_rows`)
    and this process only the article ids; on a cluster, whose workers may not see the file, this
    process reads each chunk's encoded features and sends it. A file of fewer than :data:`_FEATURE_ENGINE_MIN_ROWS` sentences
    is resolved in this process, chunk by chunk.

    ``folder`` (None: the table is returned): the table is written there as
    :func:`helpers.run.tables.write_table` writes it (``csv_max_rows``), without ever being held
    whole (:func:`_write_actor_labels`); returns the Parquet file's path and the table's rows when
    its CSV holds fewer (else None). ``learned`` and ``chunks``: the first pass done already (the
    merged heads of the chunks ``chunks`` of the file, as :func:`helpers.run.article_rows.whole_article_chunks`
    cuts them), by the caller on a local engine's workers (:func:`_framing_corpus`)."""
    from helpers.compare import distinctive
    from helpers.run.article_rows import whole_article_chunks
    from helpers.run.engine import LocalEngine

    engine = runner
    if runner is None or not _labels_on_workers(path):
        engine = LocalEngine(1)
    if isinstance(engine, LocalEngine):
        # the workers share this machine's disk: each reads its chunk's rows from the file, and
        # this process reads only the article ids (the encoded features of the tasks in flight,
        # sent from here, held ~0.4 GB of it at 10,000 articles)
        bounds = chunks if learned is not None and chunks is not None else whole_article_chunks(path, rows)
        if learned is None or chunks is None:
            # each chunk's heads merged in chunk order, whichever finished first
            heads = dict(engine.map(_actor_heads_of_rows, ((path, *b) for b in bounds)))
            learned = distinctive.merge_actor_heads(heads.pop(i) for i in sorted(heads))
        described = engine.map(_actor_descriptions_of_rows, ((path, *b, learned, window) for b in bounds))
    else:  # a cluster's workers may not see the file: the chunks are sent
        learned = distinctive.merge_actor_heads(
            heads for _, heads in engine.map(_actor_heads_task, ((chunk,) for chunk in _feature_chunks(path, rows))))
        described = engine.map(_actor_descriptions_task,
                               ((chunk, learned, window) for chunk in _feature_chunks(path, rows)))
    if folder is not None:
        return _write_actor_labels(described, articles, Path(folder), csv_max_rows=csv_max_rows, runner=engine)
    parts: dict[int, tuple[list[pd.DataFrame], list[pd.DataFrame]]] = dict(described)
    order = sorted(parts)
    return distinctive.actor_label_table([parts[i][0] for i in order], [parts[i][1] for i in order], articles)


#: Rows of the actor labels sorted at once, on average, when they are written piece after piece
#: (:func:`_write_actor_labels`): rows with their text, put together, sorted and written range
#: after range. At 200,000 (the partition tables' :data:`helpers.run.partitions.SORT_RANGE_ROWS`)
#: one range took the full file's run from 0.98 to 1.20 GiB, the run's peak; a range's labels
#: have more rows than its records, each with its sentence's text.
_LABEL_RANGE_ROWS = 100_000


def _write_actor_labels(described: Iterable[tuple[int, tuple[list[pd.DataFrame], list[pd.DataFrame]]]],
                        articles: pd.DataFrame, folder: Path, *, csv_max_rows: int | None,
                        range_rows: int = _LABEL_RANGE_ROWS, runner: object = None) -> tuple[Path, int | None]:
    """The ``actor_labels`` table of the chunks ``described`` (``(chunk number, (records,
    descriptions))`` in any order, each chunk whole articles: :func:`_actor_descriptions_task`)
    written to ``folder`` — the same files as :func:`helpers.compare.distinctive.actor_label_table`
    of all chunks written whole — while holding one chunk, then one range of articles, at a time:

    1. each chunk's records and descriptions go to scratch files as the chunk comes;
    2. the articles are cut into ranges of ``article_id`` (about ``range_rows`` rows each) and each
       chunk's rows split among them;
    3. each range is :func:`~helpers.compare.distinctive.actor_label_table` of its rows from every
       chunk, in chunk order (an article's rows are all in one chunk, so what the table drops as a
       duplicate and how it orders equal keys is the same), made by a task of its own
       (:func:`_label_range_task`: on ``runner``'s workers when it is a local engine, else here)
       and written one after the other (:func:`helpers.run.tables.write_pieces_or_joined`).

    Returns the Parquet file's path and the table's rows when its CSV holds fewer (else None)."""
    from helpers.compare import distinctive
    from helpers.run.cache import read_parquet
    from helpers.run.engine import LocalEngine
    from helpers.run.tables import article_ranges, write_pieces_or_joined

    folder.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".actor-labels-", dir=folder))
    try:
        chunks: dict[int, dict[str, Path]] = {}
        total = 0
        for number, (found, descriptions) in described:
            chunks[number] = {}
            for kind, frames in (("found", found), ("described", descriptions)):
                frames = [f for f in frames if len(f)]
                if frames:
                    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
                    chunks[number][kind] = scratch / f"{kind}.{number:06d}.parquet"
                    frame.to_parquet(chunks[number][kind], index=False)
                    total += len(frame)
                    del frame
            del found, descriptions, frames
            # each chunk arrives as many small objects: what they leave behind is handed back
            # before the next (the process grew 0.06 GiB over the chunks of the full file)
            release_free_memory(full=False)
        order = sorted(chunks)
        _, bounds = article_ranges(articles["article_id"].astype(str).unique(), total, range_rows)
        ranges: dict[int, dict[str, list[Path]]] = {}
        for number in order:
            for kind, file in chunks[number].items():
                frame = read_parquet(file)
                which = np.searchsorted(bounds, frame["article_id"].astype(str).to_numpy(), side="right")
                for r in np.unique(which).tolist():
                    part = scratch / f"{kind}.{number:06d}.range{r:06d}.parquet"
                    frame[which == r].to_parquet(part, index=False)
                    ranges.setdefault(r, {"found": [], "described": []})[kind].append(part)
                file.unlink()
                del frame
        release_free_memory(full=False)

        # each range's table made by a task of its own (on the engine's workers when it is a local
        # one: they see the scratch files) and kept in its scratch file, then written in order
        numbers = sorted(ranges)
        made = {number: scratch / f"labels.range{number:06d}.parquet" for number in numbers}
        maker = runner if isinstance(runner, LocalEngine) else LocalEngine(1)
        described_ranges = dict(maker.map(_label_range_task, ((ranges[r]["found"], ranges[r]["described"], articles,
                                                               made[r]) for r in numbers)))
        capped = write_pieces_or_joined([lambda path=made[r]: read_parquet(path) for r in numbers], folder,
                                        "actor_labels", csv_max_rows=csv_max_rows,
                                        described=[described_ranges[i] for i in range(len(numbers))],
                                        empty=distinctive.actor_label_table([], [], articles))
        return folder / "actor_labels.parquet", capped
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _label_range_task(found: list[Path], described: list[Path], articles: pd.DataFrame, path: Path) -> Any:
    """One range of articles' actor labels (:func:`helpers.compare.distinctive.actor_label_table`
    of its label records ``found`` and descriptions ``described``, Parquet files in chunk order),
    written to ``path``; returns the table's :func:`helpers.run.tables.describe_piece`. A
    top-level function, run by an engine's worker."""
    from helpers.compare import distinctive
    from helpers.run.cache import read_parquet
    from helpers.run.tables import describe_piece

    frame = distinctive.actor_label_table([[read_parquet(p) for p in found]], [[read_parquet(p) for p in described]],
                                          articles)
    frame.to_parquet(path, index=False)
    return describe_piece(frame)


def _actor_heads_task(chunk: pd.DataFrame) -> dict:
    """A chunk's learned heads (a top-level function: pickled to the workers)."""
    from helpers.compare import distinctive
    from helpers.run.batches import label_features

    return dict(distinctive.learn_actor_heads(label_features(chunk)))


def _actor_descriptions_task(chunk: pd.DataFrame, learned: dict, window: int) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """A chunk's label records and descriptions given the corpus's learned heads."""
    from helpers.compare import distinctive
    from helpers.run.batches import label_features

    return distinctive.describe_actors(label_features(chunk), learned, window=window)


def _actor_heads_of_rows(path: str | os.PathLike[str], start: int, stop: int) -> dict:
    """:func:`_actor_heads_task` of rows ``start:stop`` of the actor features' file, read on the worker."""
    return _actor_heads_task(_feature_rows(path, start, stop))


def _actor_descriptions_of_rows(path: str | os.PathLike[str], start: int, stop: int, learned: dict,
                                window: int) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """:func:`_actor_descriptions_task` of rows ``start:stop`` of the actor features' file, read on the worker."""
    return _actor_descriptions_task(_feature_rows(path, start, stop), learned, window)


def _feature_rows(path: str | os.PathLike[str], start: int, stop: int) -> pd.DataFrame:
    """Rows ``start:stop`` of the actor features' file (``article_id, sent_id, features``), index
    0..n-1, reading only the row groups that hold them (:func:`helpers.run.article_rows.read_rows`)."""
    from helpers.run.article_rows import read_rows

    return read_rows(path, start, stop, columns=["article_id", "sent_id", "features"])


def _feature_chunks(path: str | os.PathLike[str], rows: int) -> Iterator[pd.DataFrame]:
    """The encoded actor features of ``path`` (``article_id, sent_id, features``, in article
    order) in chunks of whole articles, read here one chunk at a time: the rows of each range of
    :func:`helpers.run.article_rows.whole_article_chunks` (for an engine whose workers cannot read
    the file themselves). An article whose rows do not come together raises ValueError."""
    from helpers.run.article_rows import whole_article_chunks

    for start, stop in whole_article_chunks(path, rows):
        yield _feature_rows(path, start, stop)


def _dates_local(tables: dict[str, pd.DataFrame], *, per_article: dict[str, pd.DataFrame] | None = None,
                 **_: object) -> dict[str, pd.DataFrame]:
    from helpers.dates.conflicts import date_conflicts, event_timeline
    from helpers.dates.tables import extract_dates
    from helpers.dates.timex import describe_timex

    articles, sentences = tables["articles"], tables["sentences"]
    found = (per_article or {}).get("dates")
    if found is None:
        found = extract_dates(articles, sentences, embeds=tables["embeds"])
    facts = tables.get("facts")
    groups = facts[["article_id", "sent_id", "fact_id"]] if facts is not None and not facts.empty else None
    # The timeline places every dated sentence under its coverage fact (single-outlet facts too).
    # Disagreements are found with the dates module's own grouping of dated sentences with their
    # neighbours: "the call was on Monday" and "the call was on Tuesday" are one happening even
    # when the rest of the two sentences differ too much to be one coverage fact.
    conflicts = date_conflicts(found, sentences, articles, entities=tables.get("entities"))
    return {
        "dates": found.assign(when=found["value"].map(describe_timex)),
        "timeline": event_timeline(found, sentences, articles, fact_groups=groups, conflicts=conflicts),
        "date_conflicts": _with_sentences(conflicts, found, sentences),
    }


def _dates_corpus(tables: dict[str, pd.DataFrame], **_: object) -> dict[str, pd.DataFrame]:
    from helpers.dates.tables import publication_timeline

    return {"publication_timeline": publication_timeline(articles_without_text(tables))}


def _with_sentences(conflicts: pd.DataFrame, found: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Add ``sentence`` (and ``sent_id``, ``anchor_source`` when missing) to each disagreement row."""
    merged = conflicts
    if "sent_id" not in conflicts or "anchor_source" not in conflicts:
        first = found.drop_duplicates(["article_id", "expression", "value"])[
            ["article_id", "expression", "value", "sent_id", "anchor_source"]]
        merged = conflicts.merge(first, on=["article_id", "expression", "value"], how="left", validate="many_to_one")
    merged = merged.merge(sentences[["article_id", "sent_id", "text"]].rename(columns={"text": "sentence"}),
                          on=["article_id", "sent_id"], how="left", validate="many_to_one")
    assert len(merged) == len(conflicts), "every disagreement keeps one row"
    merged["sent_id"] = merged["sent_id"].fillna(-1).astype("int64")
    merged["sentence"] = merged["sentence"].fillna("")
    return merged


def _findings_local(tables: dict[str, pd.DataFrame], **_: object) -> dict[str, pd.DataFrame]:
    from helpers.compare import findings

    # the frame and tone contrasts compare outlets over the whole corpus: added by _findings_corpus
    return {"findings": findings.find_findings(tables, contrasts=False)}


def _findings_corpus(tables: dict[str, pd.DataFrame], **_options: object) -> dict[str, pd.DataFrame]:
    from helpers.compare import findings

    articles = articles_without_text(tables)
    contrasts = pd.DataFrame(findings.contrast_findings(tables.get("frame_contrasts"), tables.get("tone_contrasts"),
                                                        articles))
    # the events' findings, ranked again with the contrasts: the same table as find_findings over
    # the whole corpus (tests/run/test_partitions.py)
    found = findings.rank_findings(pd.concat([f for f in (tables.get("findings"), contrasts)
                                              if f is not None and len(f)] or [pd.DataFrame()], ignore_index=True))
    # only the cited sentences read (the table is the corpus's every sentence; the findings of a
    # large corpus cite a few sentences of most of its articles)
    cited = _table_reader(tables, "sentences").rows_at(findings.evidence_sentences(found))
    return {"findings": found, "finding_evidence": findings.finding_evidence(found, cited, articles)}


#: Each stage's comparisons within one event (run event by event, :mod:`helpers.run.partitions`)
#: and its corpus-wide tables (run once, after every event's).
_LOCAL_FUNCTIONS = {"coverage": _coverage_local, "quotes": _quotes_local, "framing": _framing_local,
                    "dates": _dates_local, "findings": _findings_local}
_CORPUS_FUNCTIONS = {"framing": _framing_corpus, "dates": _dates_corpus, "findings": _findings_corpus}
#: The tables each corpus-wide step reads (a failed step's empty tables are built from their heads).
_CORPUS_READS = {"framing": ("articles", "sentences", "entities", "frames", "tone_sentences", "emphasis", "facts"),
                 "dates": ("articles",),
                 "findings": ("articles", "sentences", "findings", "frame_contrasts", "tone_contrasts")}


def read_tables(directory: str | os.PathLike[str], names: tuple[str, ...] | None = None, *,
                event: str = "", columns: Mapping[str, Sequence[str]] | None = None) -> dict[str, pd.DataFrame]:
    """Read tables written by :func:`helpers.run.tables.write_tables` (Parquet) back into DataFrames.

    ``directory`` holds ``<name>.parquet`` files; ``names`` are the tables to read (``None`` or
    empty: every ``*.parquet`` in the folder, by name). Returns ``{name: DataFrame}`` in the order
    of ``names``; a name without its file raises :class:`FileNotFoundError`.

    ``event`` (default: all events) keeps the rows of that event's articles only, chosen before
    anything reaches pandas: the event's ``article_id`` values are read from ``articles.parquet``
    (its ``article_id`` and ``event`` columns only), and each table with an ``article_id`` column
    is read a batch of rows at a time, each filtered on them in Arrow (row groups whose id range
    holds none skipped), so neither pandas nor Arrow ever holds the other events' rows at once.
    ``reuse_pairs`` and ``coverage_matrix`` are filtered the same way on their first article and
    on the event's facts (:func:`event_filter`; the fact ids from ``facts.parquet``'s
    ``article_id`` and ``fact_id`` columns). ``load_report`` and the corpus-wide tables (such as
    ``frame_summary``, ``findings``) are read whole. The result equals
    ``helpers.run.workbook.select_event(read_tables(directory, names), event)`` — same rows,
    columns, dtypes and a fresh index — and an event no article has raises the same
    :class:`ValueError`.

    ``columns``: for the tables it names, only those columns, in that order (what a notebook
    shows of the articles needs none of their text: 0.5 GB of a notebook's kernel on 37,547
    articles); the rows are the same.
    """
    if isinstance(names, str):  # read_tables(d, "articles") would read the tables "a", "r", ...
        raise TypeError("names is a tuple of table names, not one name")
    folder = Path(directory)
    wanted = names or tuple(sorted(p.stem for p in folder.glob("*.parquet")))
    columns = columns or {}
    if not event:
        return {name: pd.read_parquet(folder / f"{name}.parquet", columns=_listed(columns.get(name)))
                for name in wanted}
    keep = event_article_ids(folder / "articles.parquet", event)
    out = {}
    for name in wanted:
        path = folder / f"{name}.parquet"
        column, values = event_filter(name, _parquet_columns(path), set(keep), lambda: _event_fact_ids(folder, keep))
        frame = (read_rows_of(path, sorted(values), column=column) if column
                 else pd.read_parquet(path, columns=_listed(columns.get(name))))
        # one event's rows are few: filtered on the whole row, then cut to the columns asked for
        out[name] = frame[list(columns[name])] if column and name in columns else frame
    return out


def _listed(columns: Sequence[str] | None) -> list[str] | None:
    """``columns`` as the list pandas' readers take (None: every column)."""
    if isinstance(columns, str):
        raise TypeError("columns are a sequence of column names, not one name")
    return None if columns is None else list(columns)


#: Tables without ``article_id`` whose rows still belong to one event, and the column that says
#: which: both articles of a reuse pair are of one event (pairs are found within an event), and a
#: coverage-matrix row's fact is one of the event's facts (its ``facts`` rows name the articles).
EVENT_ROW_KEYS = {"reuse_pairs": "article_a", "coverage_matrix": "fact_id"}


def event_filter(name: str, columns: Any, article_ids: set[str],
                 fact_ids: Callable[[], set[str] | None]) -> tuple[str, set[str]] | tuple[None, None]:
    """Which rows of table ``name`` (its ``columns``) are one event's: ``(column, values)`` — keep
    the rows whose ``column`` is among ``values`` — or ``(None, None)``: keep the table whole
    (the load report, and corpus-wide tables such as ``frame_summary`` or ``findings``).
    ``article_ids``: the event's articles; ``fact_ids``: called only for ``coverage_matrix``, the
    ``fact_id`` values of the event's ``facts`` rows (None when there is no facts table: then the
    matrix is kept whole). One rule for :func:`read_tables` and
    :func:`helpers.run.workbook.select_event`."""
    columns = set(columns)
    if name == "load_report":
        return None, None
    if "article_id" in columns:
        return "article_id", article_ids
    column = EVENT_ROW_KEYS.get(name)
    if column is None or column not in columns:
        return None, None
    if column == "fact_id":
        facts = fact_ids()
        return ("fact_id", facts) if facts is not None else (None, None)
    return column, article_ids


def _parquet_columns(path: str | os.PathLike[str]) -> list[str]:
    """The column names of a Parquet file, from its schema alone."""
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def _event_fact_ids(folder: Path, keep: list[str]) -> set[str] | None:
    """The ``fact_id`` values of the ``facts`` rows of the articles ``keep``, reading only those two
    columns of ``facts.parquet``; None when the folder has no facts table."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = folder / "facts.parquet"
    if not path.is_file():
        return None
    table = pq.read_table(path, columns=["article_id", "fact_id"])
    if table.num_rows == 0:
        return set()
    ids = table.column("article_id")
    if not pa.types.is_string(ids.type) and not pa.types.is_large_string(ids.type):
        ids = ids.cast(pa.string())
    chosen = table.filter(pc.is_in(ids, value_set=pa.array(keep, type=ids.type)))
    return set(chosen.column("fact_id").to_pylist())


def event_article_ids(articles_path: str | os.PathLike[str], event: str) -> list[str]:
    """The ``article_id`` values of ``event``'s articles in an ``articles.parquet`` file, sorted;
    only its ``article_id`` and ``event`` columns are read. Raises :class:`ValueError` when no
    article has that event (the message of :func:`helpers.run.workbook.select_event`)."""
    return sorted(event_ids(pd.read_parquet(articles_path, columns=["article_id", "event"]), event))


def event_ids(articles: pd.DataFrame, event: str) -> set[str]:
    """The ``article_id`` values of ``event``'s rows of ``articles`` (``article_id``, ``event``
    columns). Raises :class:`ValueError` when no article has that event. One rule for
    :func:`read_tables` and :func:`helpers.run.workbook.select_event`, so both choose the same
    articles."""
    keep = set(articles.loc[articles["event"] == event, "article_id"])
    if not keep:
        raise ValueError(f"event {event!r} is not in the corpus")
    return keep


def read_rows_of(path: str | os.PathLike[str], keep: list[str], *, column: str = "article_id",
                 at: pd.DataFrame | None = None) -> pd.DataFrame:
    """One Parquet table with only the rows whose ``column`` is in ``keep`` (sorted), index
    0..n-1; whole when it has no such column. Row groups whose ``column`` range holds none of
    ``keep`` are skipped; the others are read a batch at a time and each batch is filtered in
    Arrow before the next is read.

    ``at`` (None: every row of those): a frame of ``column`` and one more column, e.g.
    ``article_id, sent_id`` — only the rows whose two values are one of its rows are kept, in each
    batch as it is read (the sentences a few findings cite, not every sentence of the articles
    they cite)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from helpers.run import cache

    path = Path(path)
    # a batch of cache.batch_rows at a time, filtered before the next: the peak is about one such
    # batch, not the table (a pyarrow read with ``filters`` decodes whole row groups first)
    with cache.open_parquet(path) as file:
        schema = file.schema_arrow
        if column not in schema.names:
            return pd.read_parquet(path)
        id_type = schema.field(column).type
        if not (pa.types.is_string(id_type) or pa.types.is_large_string(id_type) or pa.types.is_string_view(id_type)):
            # ids that are not text (an empty table's all-null column, a categorical): Arrow cannot
            # match them against the text ids, so filter as select_event does, in pandas
            frame = pd.read_parquet(path)
            frame = frame[frame[column].isin(set(keep))]
            return (rows_at(frame, at, column=column) if at is not None else frame).reset_index(drop=True)
        value_set = pa.array(keep, type=id_type)
        matches = (lambda batch: pc.is_in(batch.column(column), value_set=value_set)) if at is None \
            else _pair_matcher(at, column, schema)
        groups = _row_groups_holding(file.metadata, keep, column=column)
        batches = [batch.filter(matches(batch))
                   for batch in file.iter_batches(batch_size=cache.batch_rows(file.metadata), row_groups=groups)]
    chosen = pa.Table.from_batches(batches, schema=schema)
    # pd.read_parquet converts with this same call (pandas' default options; it adds only a pytz
    # time-zone fix for pyarrow < 25), then restores attrs; the tests hold both reads equal
    frame = chosen.to_pandas()
    if schema.metadata and b"PANDAS_ATTRS" in schema.metadata:
        import json

        frame.attrs = json.loads(schema.metadata[b"PANDAS_ATTRS"])
    return _as_read_whole(frame, path)


def rows_at(frame: pd.DataFrame, at: pd.DataFrame, *, column: str = "article_id") -> pd.DataFrame:
    """The rows of ``frame`` whose (``column``, other column of ``at``) values are one of ``at``'s
    rows, in ``frame``'s order (its index kept): what :func:`read_rows_of` with ``at`` reads from a
    file, for a table in memory. The values are compared as text, as there."""
    other = next((c for c in at.columns if c != column), None)
    if len(at.columns) != 2 or other is None or other not in frame.columns:
        raise ValueError(f"at: two columns, {column!r} and one of the table's, expected; got {list(at.columns)}")
    wanted = set(zip(at[column].astype(str), at[other].astype(str)))
    keep = [pair in wanted for pair in zip(frame[column].astype(str), frame[other].astype(str))]
    return frame[np.asarray(keep, dtype=bool)]


#: Joins an id and a second value into one key of :func:`_pair_matcher`. Two pairs give one key
#: only if a second value holds it too — an integer (``sent_id``) never does, so the key's last
#: separator splits it back into its pair.
_PAIR_SEPARATOR = "\x1f"


def _pair_matcher(at: pd.DataFrame, column: str, schema: Any) -> Callable[[Any], Any]:
    """A function of an Arrow record batch giving, per row, whether its (``column``, other column
    of ``at``) values are one of ``at``'s rows. Both values are compared as text, the second
    spelled as Arrow casts the file's column to text (``3`` for an integer ``sent_id``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    other = next(c for c in at.columns if c != column)
    if len(at.columns) != 2 or other not in schema.names:
        raise ValueError(f"at: two columns, {column!r} and one of the table's, expected; got {list(at.columns)}")
    spelled = pc.cast(pa.array(at[other].tolist(), type=schema.field(other).type), pa.string())
    wanted = pc.binary_join_element_wise(pa.array(at[column].astype(str).tolist(), type=pa.string()),
                                         spelled, _PAIR_SEPARATOR)

    def matches(batch: Any) -> Any:
        keys = pc.binary_join_element_wise(pc.cast(batch.column(column), pa.string()),
                                           pc.cast(batch.column(other), pa.string()), _PAIR_SEPARATOR)
        return pc.fill_null(pc.is_in(keys, value_set=wanted), False)

    return matches


def _row_groups_holding(metadata: object, keep: list[str], *, column: str = "article_id") -> list[int]:
    """The row groups of a Parquet file (``metadata``: its ``pyarrow.parquet.FileMetaData``) whose
    ``column`` statistics (min, max) may hold one of ``keep`` (sorted); a row group without
    statistics is kept. Parquet orders text by its UTF-8 bytes, the order of ``str`` comparison."""
    import bisect

    position = next(j for j in range(metadata.num_columns) if metadata.schema.column(j).path == column)
    groups = []
    for g in range(metadata.num_row_groups):
        stats = metadata.row_group(g).column(position).statistics
        if stats is None or not stats.has_min_max:
            groups.append(g)
            continue
        first = bisect.bisect_left(keep, stats.min)  # the first kept id >= the group's smallest
        if first < len(keep) and keep[first] <= stats.max:
            groups.append(g)
    return groups


def _as_read_whole(chosen: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``chosen`` (some rows of the Parquet file at ``path``) with a fresh index and the dtypes
    pandas gives those columns when it reads the whole file: an integer column with a null
    anywhere in the file is float64, a boolean one object — even when none of the chosen rows
    has the null. Other dtypes do not depend on the rows read."""
    chosen = chosen.reset_index(drop=True)
    # NumPy integers and booleans only: pandas' own (Int64, boolean) come back the same either way
    candidates = [c for c, dtype in chosen.dtypes.items()
                  if not isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub"]
    wider = {c: "object" if chosen[c].dtype.kind == "b" else "float64"
             for c in _columns_with_nulls(path, candidates)}
    return chosen.astype(wider) if wider else chosen


def _columns_with_nulls(path: Path, columns: list[str]) -> list[str]:
    """Which of the top-level ``columns`` of a Parquet file hold a null: from the row groups'
    statistics (pyarrow writes their null counts by default), else by reading that column alone."""
    import pyarrow.parquet as pq

    if not columns:
        return []
    metadata = pq.ParquetFile(path).metadata
    position = {metadata.schema.column(j).path: j for j in range(metadata.num_columns)}
    out = []
    for column in columns:
        field = str(column)  # Parquet names columns by text; pandas may restore other labels
        stats = [metadata.row_group(g).column(position[field]).statistics
                 for g in range(metadata.num_row_groups)] if field in position else [None]
        if all(s is not None and s.has_null_count for s in stats):
            has_null = any(s.null_count > 0 for s in stats)
        else:
            has_null = pq.read_table(path, columns=[field]).column(field).null_count > 0
        if has_null:
            out.append(column)
    return out
