"""Per-outlet summaries of the quote tables, for notebook 04 (voices).

Takes ``quotes``, ``sources`` and ``articles``; gives tidy tables per outlet: speakers, voice types
(:func:`voice_type`), the quotation share of the text, sources.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers import names
from helpers.quotes.lexicon import OFFICIAL_WORDS


def voice_type(speaker: str, speaker_canonical: str, source_kind: str = "") -> str:
    """``official``, ``outlet or agency``, ``other`` or ``unresolved`` (no one named) for one attributed speaker.

    Official: the speaker is an official statement or social post of an official, or is described
    with an official title ("Pentagon Press Secretary John Kirby", "the State Department").
    """
    if speaker_canonical == names.UNRESOLVED or not (speaker or speaker_canonical):
        return "unresolved"  # no one named: neither an official nor another voice
    if source_kind == "outlet":
        return "outlet or agency"
    if source_kind in {"official statement", "agency"}:
        return "official"
    words = set(re.findall(r"[a-z]+", f"{speaker} {speaker_canonical}".lower()))
    return "official" if words & OFFICIAL_WORDS else "other"


def quote_table_with_outlets(quotes: pd.DataFrame, articles: pd.DataFrame,
                             sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """``quotes`` plus ``outlet``, ``words`` (words quoted) and ``voice`` (see :func:`voice_type`)."""
    outlets = dict(zip(articles["article_id"], articles["outlet"].where(articles["outlet"] != "", "(unknown outlet)")))
    kinds: dict[tuple[str, str], str] = {}
    if sources is not None and not sources.empty:
        kinds = {(a, s): k for a, s, k in zip(sources["article_id"], sources["source"], sources["source_kind"])}
    frame = quotes.copy()
    frame["outlet"] = frame["article_id"].map(outlets)
    frame["words"] = [len(re.findall(r"\w+", q)) for q in frame["quote"]]
    frame["voice"] = [voice_type(s, c, kinds.get((a, c), "")) for a, s, c in
                      zip(frame["article_id"], frame["speaker"], frame["speaker_canonical"])]
    # A speaker described once with an official title ("Pentagon spokesman John Kirby") stays
    # official when the article later calls him "Kirby" or "he".
    if not frame.empty:
        official = frame["voice"].eq("official").groupby([frame["article_id"], frame["speaker_canonical"]]).transform("any")
        frame.loc[official & (frame["speaker_canonical"].astype(str) != ""), "voice"] = "official"
    return frame


def speakers_by_outlet(quotes: pd.DataFrame, articles: pd.DataFrame, *, top: int = 20) -> pd.DataFrame:
    """Who is quoted by which outlet: ``speaker_canonical, outlet, quotes, words, quote_ids`` for the
    ``top`` speakers of the corpus (by quotes), sorted by speaker rank then outlet."""
    columns = ["speaker_canonical", "outlet", "quotes", "words", "quote_ids"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    frame = quote_table_with_outlets(quotes, articles)
    frame = frame[frame["speaker_canonical"].astype(str) != ""]
    totals = frame.groupby("speaker_canonical").size().rename("n").reset_index()
    ranked = totals.sort_values(["n", "speaker_canonical"], ascending=[False, True], kind="stable").head(top)
    rank = {name: i for i, name in enumerate(ranked["speaker_canonical"])}
    frame = frame[frame["speaker_canonical"].isin(rank)]
    grid = frame.groupby(["speaker_canonical", "outlet"]).agg(
        quotes=("quote_id", "size"), words=("words", "sum"),
        quote_ids=("quote_id", lambda ids: ";".join(sorted(ids)))).reset_index()
    grid["_rank"] = grid["speaker_canonical"].map(rank)
    return grid.sort_values(["_rank", "outlet"], kind="stable")[columns].reset_index(drop=True)


def quotation_share(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Share of each article's characters inside quotes, by kind: ``article_id, outlet, kind,
    characters, share`` (overlapping spans counted once per kind). Articles without quotes get a
    row of kind ``none`` with share 0, so every article appears."""
    columns = ["article_id", "outlet", "kind", "characters", "share"]
    lengths = dict(zip(articles["article_id"], articles["text"].str.len()))
    outlets = dict(zip(articles["article_id"], articles["outlet"]))
    rows = []
    for (article_id, kind), group in quotes.groupby(["article_id", "kind"], sort=True) if not quotes.empty else []:
        covered, last_end = 0, -1
        for start, end in sorted(zip(group["start"], group["end"])):
            start = max(start, last_end)
            if end > start:
                covered += end - start
                last_end = end
        rows.append({"article_id": article_id, "outlet": outlets.get(article_id, ""), "kind": kind,
                     "characters": covered, "share": round(covered / max(lengths.get(article_id, 0), 1), 6)})
    quoted = {r["article_id"] for r in rows}
    for article_id in articles["article_id"]:
        if article_id not in quoted:
            rows.append({"article_id": article_id, "outlet": outlets.get(article_id, ""), "kind": "none",
                         "characters": 0, "share": 0.0})
    return pd.DataFrame(rows, columns=columns).sort_values(["article_id", "kind"], kind="stable").reset_index(drop=True)


def voices_by_outlet(quotes: pd.DataFrame, articles: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Officials vs others: ``outlet, voice, quotes, share`` (share of the outlet's attributions)."""
    columns = ["outlet", "voice", "quotes", "share"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    frame = quote_table_with_outlets(quotes, articles, sources)
    counts = frame.groupby(["outlet", "voice"]).size().rename("quotes").reset_index()
    counts["share"] = (counts["quotes"] / counts.groupby("outlet")["quotes"].transform("sum")).round(6)
    return counts.sort_values(["outlet", "voice"], kind="stable")[columns].reset_index(drop=True)


def sources_by_outlet(sources: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Each cited source with the outlets that carry it: ``source, source_kind, outlets, articles,
    mentions, outlet_names`` sorted by outlets then mentions."""
    columns = ["source", "source_kind", "outlets", "articles", "mentions", "outlet_names"]
    if sources.empty:
        return pd.DataFrame(columns=columns)
    outlets = dict(zip(articles["article_id"], articles["outlet"].where(articles["outlet"] != "", "(unknown outlet)")))
    frame = sources.assign(outlet=sources["article_id"].map(outlets))
    table = frame.groupby(["source", "source_kind"]).agg(
        outlets=("outlet", "nunique"), articles=("article_id", "nunique"), mentions=("n_mentions", "sum"),
        outlet_names=("outlet", lambda o: "; ".join(sorted(set(o))))).reset_index()
    return table.sort_values(["outlets", "mentions", "source"], ascending=[False, False, True],
                             kind="stable")[columns].reset_index(drop=True)
