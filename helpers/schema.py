"""The table contracts: the columns of the tables the stages write, in one place, by stage.

Imported by whatever writes or checks a table (the stages, :mod:`helpers.run.engine`,
:mod:`helpers.run.pipeline`): the engine and the pipeline agree on a table's columns without
importing each other. Takes nothing; gives column lists (``*_COLUMNS``). A table not listed here
(the findings of :mod:`helpers.compare.findings`, the small per-outlet summaries) keeps its columns
beside the function that makes it. The table names are the keys of
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


# -------------------- compare: reuse (helpers.compare.reuse)

ALIGNMENT_COLUMNS = [
    "article_a", "start_a", "end_a", "article_b", "start_b", "end_b",
    "words_a", "words_b", "matched_words", "tok_start_a", "tok_end_a", "tok_start_b", "tok_end_b",
]
PASSAGE_COLUMNS = [
    "passage_id", "article_id", "start", "end", "text", "words", "n_articles",
    "source_kind", "source_detail", "origin_article_id", "origin_method", "source_agency",
]
PAIR_COLUMNS = ["article_a", "article_b", "shared_words", "shared_words_b", "share_a", "share_b", "n_alignments",
                "copied_share_a", "copied_share_b"]
ORIGINALITY_COLUMNS = ["article_id", "words", "own_share", "shared_share", "main_source_article", "shared_with",
                       "copied_share", "quoted_share", "main_source"]


# -------------------- compare: facts (helpers.compare.facts)

FACT_COLUMNS = ["fact_id", "article_id", "sent_id", "outlet", "match", "similarity", "n_articles",
                "n_outlets", "text"]
QUANTITY_COLUMNS = ["scope", "group", "unit", "values", "fact_id", "outlet", "article_id", "sent_id", "quantity",
                    "value", "kind", "noun", "predicate", "time", "compared"]


# -------------------- compare: framing (helpers.compare.framing)

FRAME_COLUMNS = ["article_id", "sent_id", "frame", "score", "cues"]
ARTICLE_FRAME_COLUMNS = ["article_id", "frame", "weighted_share", "n_sentences"]
SUMMARY_COLUMNS = ["outlet", "frame", "weighted_share", "article_share", "n_articles", "n_sentences"]
AUDIT_COLUMNS = ["sample", "article_id", "sent_id", "frame", "score", "cues", "text",
                 "coder_agrees", "coder_frame", "coder_note"]
CONTRAST_COLUMNS = ["outlet", "frame", "outlet_share", "others_share", "difference", "n_sentences",
                    "n_outlet_sentences", "n_others_with", "n_others_sentences", "p_value", "q_value",
                    "finding", "evidence"]
TONE_CONTRAST_COLUMNS = ["outlet", "actor", "outlet_mean", "others_mean", "difference", "n_sentences",
                         "n_others_sentences", "p_value", "q_value", "finding", "evidence"]


# -------------------- compare: emphasis and tone (helpers.compare.emphasis)

EMPHASIS_COLUMNS = ["article_id", "aspect_kind", "aspect", "in_headline", "in_lead", "first_position",
                    "word_share", "prominence", "n_sentences"]
LEADER_COLUMNS = ["article_id", "outlet", "where", "rank", "actor", "label", "text"]
LEADS_COLUMNS = ["outlet", "role", "rank", "aspect_kind", "aspect", "prominence", "others_prominence",
                 "headline_share", "lead_share", "coverage", "first_position"]
TONE_SENT_COLUMNS = ["article_id", "sent_id", "outlet", "actor", "compound"]
TONE_COLUMNS = ["outlet", "actor", "mean", "n_sentences", "n_articles", "sd"]


# -------------------- compare: distinctive words and actor labels (helpers.compare.distinctive)

LOG_ODDS_COLUMNS = ["group", "term", "log_odds", "z", "count_group", "count_rest"]
CONTEXT_COLUMNS = ["group", "term", "article_id", "sent_id", "left", "match", "right"]
LABEL_COLUMNS = ["outlet", "actor", "label", "rule", "head", "article_id", "sent_id", "start", "end"]
LABEL_SUMMARY_COLUMNS = ["actor", "outlet", "label", "count", "rules", "n_articles"]
