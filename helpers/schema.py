"""The table contracts of the per-article stages: the columns of the tables load, annotate,
quotes and dates write (and the run's articles and failures), by stage.

Imported by whatever writes or checks a table (the stages, :mod:`helpers.run.engine`,
:mod:`helpers.run.pipeline`): the engine and the pipeline agree on a table's columns without
importing each other. Takes nothing; gives column lists (``*_COLUMNS``). The comparisons' tables
have theirs in :mod:`helpers.compare.schema`: this module is among the per-article cache's
versioned modules (:data:`helpers.run.engine.VERSIONED_MODULES`), so a change here means every
corpus is parsed again, and a comparison's table changing shape must not. A table not listed in
either (the findings of :mod:`helpers.compare.findings`, the small per-outlet summaries) keeps its
columns beside the function that makes it. The table names are the keys of
:func:`helpers.run.pipeline.compute`'s result and the file names under ``tables/``.
"""

from __future__ import annotations


# -------------------- load (helpers.load): the raw articles, the load report, cleaning and embedded posts

RAW_COLUMNS = [
    "article_id", "event", "source_file", "outlet", "outlet_raw", "country", "url", "published",
    "published_source", "title", "raw_text", "encoding",
]
REPORT_COLUMNS = ["input", "status", "reason", "article_id", "encoding"]
CLEANING_COLUMNS = ["article_id", "rule", "removed", "raw_start", "raw_end"]
EMBED_COLUMNS = ["article_id", "start", "end", "kind", "platform", "author", "handle", "posted", "text"]


# -------------------- the articles table and the failures of the per-article stages (helpers.run)

ARTICLE_COLUMNS = [
    "article_id", "event", "source_file", "outlet", "outlet_raw", "country", "url", "published", "published_source",
    "title", "dateline", "text", "body_start", "word_count", "language", "encoding",
]
#: Articles a per-article stage raised on: ``article_id, stage, error`` (exception type and
#: message), with ``_key``. Never cached: a failure is tried again on the next run.
FAILURE_COLUMNS = ["article_id", "stage", "error"]
#: The ``stage_failures`` table: what failed (``annotate: dates``, ``quotes: quotes``, … or a
#: corpus-level stage such as ``framing``), on which ``input`` (as ``load_report`` names it; ""
#: for a corpus-level stage) and the error (exception type and message).
STAGE_FAILURE_COLUMNS = ["stage", "input", "error"]


# -------------------- annotate (helpers.annotate): sentences and entities

SENTENCE_COLUMNS = ["article_id", "sent_id", "paragraph_id", "start", "end", "text", "position",
                    "in_lead", "in_headline", "in_embed"]
ENTITY_COLUMNS = ["article_id", "sent_id", "start", "end", "text", "label", "canonical"]


# -------------------- quotes (helpers.quotes)

QUOTE_COLUMNS: list[str] = [
    "quote_id", "article_id", "sent_id", "start", "end", "quote", "kind", "speaker",
    "speaker_canonical", "speaker_start", "speaker_end", "cue",
]
SOURCE_COLUMNS: list[str] = ["article_id", "source", "source_kind", "n_mentions"]
VARIANT_COLUMNS: list[str] = [
    "variant_group", "article_id", "outlet", "quote_id", "quote", "kind", "speaker_canonical",
    "n_articles", "wording_differs", "wording_diff", "speaker_differs",
]


# -------------------- dates (helpers.dates)

DATES_COLUMNS: list[str] = [
    "article_id", "sent_id", "start", "end", "expression", "type", "value",
    "anchor", "anchor_source", "resolved",
]
TIMELINE_COLUMNS: list[str] = ["article_id", "outlet", "published", "lag_days"]
CONFLICT_COLUMNS: list[str] = ["fact_id", "article_id", "outlet", "expression", "value", "anchor"]
CONFLICT_EXTRA_COLUMNS: list[str] = ["sent_id", "anchor_source", "when", "happening", "happening_id", "note"]
EVENT_TIMELINE_COLUMNS: list[str] = ["fact_id", "article_id", "outlet", "value", "sentence"]
