"""The table contracts: the columns of every table a stage writes, in one place.

Imported by whatever writes or checks a table (the stages, :mod:`helpers.run.engine`,
:mod:`helpers.run.pipeline`), so that the engine and the pipeline need not import each other to
agree on a table's columns. Takes nothing; gives column lists (``*_COLUMNS``).
"""

from __future__ import annotations


QUOTE_COLUMNS: list[str] = [
    "quote_id", "article_id", "sent_id", "start", "end", "quote", "kind", "speaker",
    "speaker_canonical", "speaker_start", "speaker_end", "cue",
]


SOURCE_COLUMNS: list[str] = ["article_id", "source", "source_kind", "n_mentions"]


VARIANT_COLUMNS: list[str] = [
    "variant_group", "article_id", "outlet", "quote_id", "quote", "kind", "speaker_canonical",
    "n_articles", "wording_differs", "wording_diff", "speaker_differs",
]


DATES_COLUMNS: list[str] = [
    "article_id", "sent_id", "start", "end", "expression", "type", "value",
    "anchor", "anchor_source", "resolved",
]


TIMELINE_COLUMNS: list[str] = ["article_id", "outlet", "published", "lag_days"]


CONFLICT_COLUMNS: list[str] = ["fact_id", "article_id", "outlet", "expression", "value", "anchor"]


EVENT_TIMELINE_COLUMNS: list[str] = ["fact_id", "article_id", "outlet", "value", "sentence"]


CONFLICT_EXTRA_COLUMNS: list[str] = ["sent_id", "anchor_source", "when", "happening", "happening_id", "note"]
