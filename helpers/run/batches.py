"""What one batch of articles computes: the per-article stages (``annotate``, ``quotes``), as
top-level functions that are pickled to processes and cluster workers.

Their results are cached per article (:mod:`helpers.run.cache`), so this module is among
:data:`helpers.run.engine.VERSIONED_MODULES`: editing it invalidates every cached result. How
batches are scheduled, gathered and sorted (:mod:`helpers.run.engine`) is not: it may change
without re-parsing anyone's corpus, as long as each batch is handed the same rows
(``tests/run/test_engine.py``).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pandas as pd

from helpers.run.cache import join_pieces, KEY
from helpers.schema import FAILURE_COLUMNS

ANNOTATE_TABLES = ("articles", "cleaning", "embeds", "sentences", "entities", "dates")
QUOTE_TABLES = ("quotes", "actor_features", "sentence_tone")


class StepFailed(Exception):
    """An exception raised inside one step of a per-article stage, with the step's name."""

    def __init__(self, stage: str, cause: BaseException):
        super().__init__(f"{stage}: {describe_error(cause)}")
        self.stage, self.cause = stage, cause


def describe_error(exc: BaseException) -> str:
    """``Type: message`` of an exception (first line, at most 300 characters)."""
    if isinstance(exc, StepFailed):
        exc = exc.cause
    message = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _step(stage: str, fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, its exception (any) wrapped in :class:`StepFailed` naming ``stage``."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        raise StepFailed(stage, exc) from exc


def per_article(batch_fn: Callable[..., dict[str, pd.DataFrame]], batch: pd.DataFrame, *rest: pd.DataFrame,
                tables: tuple[str, ...], default_stage: str, **options: Any) -> dict[str, pd.DataFrame]:
    """``batch_fn`` over a batch of articles (``batch`` has ``article_id`` and ``_key``; each frame
    of ``rest`` is split by ``article_id`` with it), such that one article's failure loses only
    that article: when the whole batch raises, it is redone one article at a time and each article
    that raises is listed in a ``failures`` table (:data:`FAILURE_COLUMNS` plus ``_key``) instead
    of contributing rows. Results are per-article pure, so the rows of the others are the same as
    in one batch. Returns ``tables`` (each with ``_key``) and ``failures``."""
    try:
        out = batch_fn(batch, *rest, **options)
        return {**out, "failures": _no_failures()}
    except Exception:  # noqa: BLE001 — any error of any article; found and listed below
        pass
    parts: list[dict[str, pd.DataFrame]] = []
    failed: list[dict[str, str]] = []
    for position in range(len(batch)):
        one = batch.iloc[[position]]
        aid = one["article_id"].iloc[0]
        own = [frame[frame["article_id"] == aid] if "article_id" in frame.columns else frame for frame in rest]
        try:
            parts.append(batch_fn(one, *own, **options))
        except Exception as exc:  # noqa: BLE001 — this article is listed, the others go on
            failed.append({"article_id": aid, "stage": getattr(exc, "stage", default_stage),
                           "error": describe_error(exc), KEY: one[KEY].iloc[0]})
    out = {}
    for table in tables:
        frames = [p[table] for p in parts]
        out[table] = join_pieces(frames) if frames else pd.DataFrame({KEY: pd.Series(dtype=object)})
    out["failures"] = pd.DataFrame(failed, columns=[*FAILURE_COLUMNS, KEY]) if failed else _no_failures()
    return out


def _no_failures() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in [*FAILURE_COLUMNS, KEY]})


def annotate_batch(batch: pd.DataFrame, boilerplate: dict[str, frozenset[str]],
                   event_first: dict[str, str]) -> dict[str, pd.DataFrame]:
    """Clean, annotate and date a batch of raw articles (columns of
    :data:`helpers.load.corpus.RAW_COLUMNS` plus ``_key``). Returns :data:`ANNOTATE_TABLES`, each with
    ``_key``; ``entities`` without ``canonical`` (added at corpus level); and ``failures``: the
    articles that raised (see :func:`per_article`), which are in no other table."""
    return per_article(_annotate_batch, batch, tables=ANNOTATE_TABLES, default_stage="annotate",
                       boilerplate=boilerplate, event_first=event_first)


def _annotate_batch(batch: pd.DataFrame, *, boilerplate: dict[str, frozenset[str]],
                    event_first: dict[str, str]) -> dict[str, pd.DataFrame]:
    from helpers.annotate import sentences as sentence_stage
    from helpers.dates.tables import extract_dates
    from helpers.load import clean
    from helpers.text import count_words

    articles, cleaning, embed_frame = _step("annotate: cleaning", clean.clean_corpus, batch, repeated=boilerplate)
    articles["word_count"] = [count_words(t) for t in articles["text"]]
    articles["language"] = [sentence_stage.detect_language(t) for t in articles["text"]]
    sentences, entities = _step("annotate: sentences and entities", sentence_stage.annotate, articles,
                                embeds=embed_frame)
    entities = entities.drop(columns=["canonical"])
    dated = _step("annotate: dates", extract_dates, articles, sentences, embeds=embed_frame,
                  event_dates=event_first)
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
    sentences, canonical entities and embeds: one parser pass serves both. Returns
    :data:`QUOTE_TABLES` (with ``_key``) and ``failures``, the articles that raised
    (see :func:`per_article`), which are in no other table."""
    return per_article(_quotes_batch, articles, sentences, entities, embeds, tables=QUOTE_TABLES,
                       default_stage="quotes")


def _quotes_batch(articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame,
                  embeds: pd.DataFrame) -> dict[str, pd.DataFrame]:
    import json

    from helpers.annotate import tone
    from helpers.annotate.nlp import load_model
    from helpers.annotate import actor_features
    from helpers.quotes import extraction

    parser = load_model(disable=("ner",))
    kept = _KeepDocs(load_model())
    found = _step("quotes: quotes", extraction.extract_quotes, articles.drop(columns=[KEY]), sentences,
                  entities=entities, embeds=embeds, nlp=kept)
    keys = dict(zip(articles["article_id"], articles[KEY]))
    rows = {"article_id": [], "sent_id": [], "features": []}
    prepared = actor_features.actor_label_inputs(sentences, entities) if len(sentences) and len(entities) else None
    if prepared is not None:
        sent_keys, texts, offsets, ents_by_sent = prepared
        missing = [t for t in dict.fromkeys(texts) if t not in kept.docs]
        docs = dict(kept.docs)
        docs.update({doc.text: doc for doc in parser.pipe(missing, batch_size=256)})
        for key, text, off in zip(sent_keys, texts, offsets):
            f = _step("quotes: actor labels", actor_features.sentence_label_features, key, docs[text], off,
                      ents_by_sent.get(key, []))
            rows["article_id"].append(key[0])
            rows["sent_id"].append(int(key[1]))
            rows["features"].append(json.dumps([f["records"], f["learned"], f["mentions"], f["chunks"]],
                                               default=int, ensure_ascii=False))
    kept.docs.clear()
    features = pd.DataFrame(rows).astype({"sent_id": "int64"})
    # each actor sentence's tone depends on that sentence alone: scored here, cached with the
    # article, rather than in every event-by-event run
    scored = _step("quotes: sentence tone", tone.sentence_tone, sentences, entities)
    return {"quotes": found.assign(**{KEY: found["article_id"].map(keys).astype(object)}),
            "actor_features": features.assign(**{KEY: features["article_id"].map(keys).astype(object)}),
            "sentence_tone": scored.assign(**{KEY: scored["article_id"].map(keys).astype(object)})}


def label_features(frame: pd.DataFrame) -> Iterator[dict]:
    """Actor-label features (from :func:`quotes_batch`, sorted by ``article_id, sent_id`` as
    :func:`helpers.run.engine.compute_tables` keeps them), decoded one sentence at a time, in that
    order, as :func:`helpers.compare.distinctive.resolve_actor_labels` takes them. They stay
    encoded until read: decoded all at once, the 1.65 M sentences of a 37,547-article corpus took
    7 GB."""
    import json

    for aid, sid, payload in zip(frame["article_id"], frame["sent_id"], frame["features"]):
        records, learned, mentions, chunks = json.loads(payload)
        yield {"key": (aid, sid), "records": records, "learned": learned, "mentions": mentions, "chunks": chunks}
