"""Anchors: the date an expression is resolved against -- the publication date, bounded by the
text (:func:`bound_publication_date`), or the date of an embedded post for text inside it
(:func:`embed_spans`), and datelines.

Takes ``articles`` rows (``published``, ``text``) and ``embeds``; gives dates and spans read by
:func:`helpers.dates.tables.extract_dates` (the ``anchor`` and ``anchor_source`` columns).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Sequence

import pandas as pd

from helpers.dates.grammar import find_temporal_expressions
from helpers.dates.timex import _DAY_RE, _month_of, _MONTH_RE, TemporalExpression, _to_date, _valid, _YEAR_RE


_EMBED_DATE_RE = re.compile(
    rf"\(@\w{{1,30}}\)\s*(?P<month>{_MONTH_RE})\s*(?P<day>{_DAY_RE}),?\s+(?P<year>{_YEAR_RE})")


def bound_publication_date(
    text: str,
    *,
    embed_dates: Iterable[str | dt.date] = (),
    expressions: Sequence[TemporalExpression] | None = None,
) -> tuple[dt.date | None, str]:
    """Lower bound on an undated article's publication date, from evidence in its text.

    Inputs: the article ``text``; ``embed_dates`` (``embeds.posted`` values for the
    article; when empty, tweet signatures "— Name (@handle) Month D, YYYY" are looked for
    in the text); ``expressions`` (already found expressions; found without an anchor when
    None). Output: ``(date, source)`` where source is "embed" (latest embedded post), or
    "latest_mention" (latest fully specified date written in the text), or ``(None,
    "none")``. The article cannot predate the returned date; it may be later.
    """
    if not isinstance(text, str):
        text = ""
    embeds = [d for d in (_to_date(v) for v in embed_dates) if d is not None]
    if not embeds:
        for m in _EMBED_DATE_RE.finditer(text):
            d = _valid(int(m.group("year")), _month_of(m.group("month")), int(re.match(r"\d+", m.group("day")).group()))
            if d:
                embeds.append(d)
    if expressions is None:
        expressions = find_temporal_expressions(text, anchor=None, tense_hint="none")
    mentions = [
        d for d in (_to_date(e.value) for e in expressions
                    if e.type in ("DATE", "TIME") and re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", e.value))
        if d is not None
    ]
    best_embed = max(embeds) if embeds else None
    best_mention = max(mentions) if mentions else None
    if best_embed and (best_mention is None or best_embed >= best_mention):
        return best_embed, "embed"
    if best_mention:
        return best_mention, "latest_mention"
    return None, "none"


def embed_spans(text: str, embeds: pd.DataFrame | None = None) -> list[tuple[int, int, dt.date]]:
    """Spans of embedded posts with their posting dates: ``[(start, end, posted), ...]``.

    From ``embeds`` rows (start, end, posted) of one article when given; otherwise from
    tweet signatures "— Name (@handle) Month D, YYYY" in ``text``: the span runs from the
    start of the signature's paragraph (or of the line before, when the signature line
    starts with a dash) to the end of the signature.
    """
    out: list[tuple[int, int, dt.date]] = []
    if embeds is not None and len(embeds) and {"start", "end", "posted"} <= set(embeds.columns):
        for rec in embeds.itertuples(index=False):
            d = _to_date(rec.posted)
            if d is not None:
                out.append((int(rec.start), int(rec.end), d))
        return sorted(out)
    if not isinstance(text, str):
        return out
    for m in _EMBED_DATE_RE.finditer(text):
        d = _valid(int(m.group("year")), _month_of(m.group("month")), int(re.match(r"\d+", m.group("day")).group()))
        if d is None:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:m.start()].lstrip().startswith(("—", "-", "–")):
            line_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        out.append((line_start, m.end(), d))
    return out
