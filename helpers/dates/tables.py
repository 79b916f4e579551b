"""The per-article dates table and the publication timeline.

Takes ``articles`` (``text``, ``published``), ``sentences`` and ``embeds``; gives the ``dates``
table (:func:`extract_dates`, ``DATES_COLUMNS``: one row per temporal expression with its TIMEX3
value, anchor and tense) and ``publication_timeline`` (``TIMELINE_COLUMNS``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from helpers.dates.anchors import bound_publication_date, embed_spans
from helpers.dates.grammar import find_temporal_expressions
from helpers.dates.timex import TemporalExpression, _to_date
from helpers.schema import DATES_COLUMNS, TIMELINE_COLUMNS


def extract_dates(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    embeds: pd.DataFrame | None = None,
    event_anchor: bool = True,
    event_dates: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Temporal expressions of every article, one row per expression.

    With ``event_anchor`` (default), an article with no publication date and no bound in its
    own text is anchored on the earliest publication date of the other articles of its
    ``event`` (anchor_source "event_earliest"): coverage of one event is published within days,
    and the anchor is shown beside every value so a reader can discount it. ``event_dates``
    (event → earliest ISO publication date) gives those dates when ``articles`` is one batch of
    a larger corpus; by default they are taken from ``articles``.

    Inputs: ``articles`` (article_id, text, published; language is honoured when present:
    only "en" or "" is analysed), ``sentences`` (article_id, sent_id, start, end) and
    optionally ``embeds`` (article_id, posted). Output columns: :data:`DATES_COLUMNS` —
    ``start``/``end`` index ``articles.text``; ``anchor`` is ``published`` when known
    (anchor_source "published"), else the lower bound from :func:`bound_publication_date`
    ("embed" / "latest_mention"), else "" ("none"); ``resolved`` is "yes"/"no".
    ``sent_id`` is -1 for an expression outside every sentence. Sorted by article_id, start, end.
    """
    rows: list[dict] = []
    sents = sentences if sentences is not None else pd.DataFrame(columns=["article_id", "sent_id", "start", "end"])
    sent_groups = {k: g for k, g in sents.groupby("article_id", sort=False)} if len(sents) else {}
    embed_groups: dict[str, list] = {}
    if embeds is not None and len(embeds) and "posted" in embeds.columns:
        for aid, g in embeds.groupby("article_id", sort=False):
            embed_groups[aid] = [v for v in g["posted"].tolist() if isinstance(v, str) and v]
    has_lang = "language" in articles.columns
    event_first: dict[str, dt.date] = {}
    if event_anchor and event_dates is not None:
        event_first = {event: day for event, day in ((e, _to_date(d)) for e, d in event_dates.items()) if day}
    elif event_anchor and "event" in articles.columns:
        for event, published in zip(articles["event"], articles.get("published", pd.Series(dtype=str))):
            day = _to_date(published)
            if day is not None and (event not in event_first or day < event_first[event]):
                event_first[event] = day
    for rec in articles.itertuples(index=False):
        aid = rec.article_id
        text = rec.text if isinstance(rec.text, str) else ""
        if has_lang and getattr(rec, "language") not in ("en", "", None):
            continue
        published = _to_date(getattr(rec, "published", ""))
        if published is not None:
            anchor, source, bound = published, "published", False
            exprs = find_temporal_expressions(text, anchor=anchor)
        else:
            unanchored = find_temporal_expressions(text, anchor=None)
            anchor, source = bound_publication_date(text, embed_dates=embed_groups.get(aid, ()), expressions=unanchored)
            if anchor is None and getattr(rec, "event", None) in event_first:
                anchor, source = event_first[rec.event], "event_earliest"
            bound = anchor is not None
            exprs = find_temporal_expressions(text, anchor=anchor, anchor_is_bound=True) if bound else unanchored
        posts = embed_spans(text, embeds[embeds["article_id"] == aid] if embeds is not None and len(embeds) and "start" in embeds.columns else None)
        if posts:
            # text quoted from an embedded post is anchored on the post's own date
            inside = [(s, e, d) for s, e, d in posts]
            redone = {}
            for s, e, d in inside:
                for x in find_temporal_expressions(text[s:e], anchor=d):
                    redone[(x.start + s)] = (TemporalExpression(x.start + s, x.end + s, x.expression, x.type, x.value,
                                                                x.resolved, x.candidates), d)
            kept = [x for x in exprs if not any(s <= x.start < e for s, e, _ in inside)]
            exprs = sorted(kept + [v[0] for v in redone.values()], key=lambda x: (x.start, x.end))
            embed_anchor = {v[0].start: v[1] for v in redone.values()}
        else:
            embed_anchor = {}
        g = sent_groups.get(aid)
        if g is not None and len(g):
            starts = g["start"].to_numpy(dtype=np.int64)
            ends = g["end"].to_numpy(dtype=np.int64)
            ids = g["sent_id"].to_numpy()
            order = np.argsort(starts, kind="stable")
            starts, ends, ids = starts[order], ends[order], ids[order]
        else:
            starts = ends = ids = np.array([], dtype=np.int64)
        for e in exprs:
            sid = -1
            if len(starts):
                i = int(np.searchsorted(starts, e.start, side="right")) - 1
                if i >= 0 and e.start < ends[i]:
                    sid = int(ids[i])
            rows.append({
                "article_id": aid, "sent_id": sid, "start": e.start, "end": e.end,
                "expression": e.expression, "type": e.type, "value": e.value,
                "anchor": (embed_anchor[e.start] if e.start in embed_anchor else anchor).isoformat()
                if (e.start in embed_anchor or anchor) else "",
                "anchor_source": "embed" if e.start in embed_anchor else source,
                "resolved": "yes" if e.resolved else "no",
            })
    out = pd.DataFrame(rows, columns=DATES_COLUMNS)
    out = out.astype({"start": "int64", "end": "int64", "sent_id": "int64"})
    return out.sort_values(["article_id", "start", "end"], kind="stable").reset_index(drop=True)


def publication_timeline(articles: pd.DataFrame) -> pd.DataFrame:
    """When each outlet published: columns article_id, outlet, published, lag_days.

    ``lag_days`` is days after the earliest known publication date in ``articles``, empty
    (``<NA>``) when the article has no date (a -1 read as "a day early" would be a false number).
    Sorted by published (undated last), then article_id. The workbook's one publication timeline:
    the ``publication_timeline`` table and notebook 01's chart (with ``published_source`` added).
    """
    dates = [_to_date(v) for v in articles.get("published", pd.Series([""] * len(articles)))]
    known = [d for d in dates if d]
    first = min(known) if known else None
    out = pd.DataFrame({
        "article_id": articles["article_id"].astype(str).to_numpy(),
        "outlet": articles["outlet"].fillna("").astype(str).to_numpy() if "outlet" in articles else "",
        "published": [d.isoformat() if d else "" for d in dates],
        "lag_days": [(d - first).days if d and first else pd.NA for d in dates],
    }, columns=TIMELINE_COLUMNS)
    out["lag_days"] = out["lag_days"].astype("Int64")
    out["_undated"] = out["published"] == ""
    out = out.sort_values(["_undated", "published", "article_id"], kind="stable").drop(columns="_undated")
    return out.reset_index(drop=True)
