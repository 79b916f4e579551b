"""Voices by outlet, for notebook 04: who each outlet quotes and cites, and how much of its text is quotation.

Takes the ``quotes`` and ``sources`` tables (:mod:`helpers.quotes`) and ``articles``; gives tidy tables
per outlet: speakers, voice types (:func:`voice_type`), the quotation share of the text, sources.
These are comparisons of the extracted tables, not extraction: they live here rather than in
:mod:`helpers.quotes`, whose code is part of the per-article cache key (editing them must not
re-parse a cached corpus). Work grows with the rows: per-row Python only where a regular
expression is needed (words quoted), voice types once per distinct speaker.
"""

from __future__ import annotations

import re
from typing import Mapping

import numpy as np
import pandas as pd

from helpers import names
from helpers.compare.overview import UNKNOWN_OUTLET
from helpers.quotes.lexicon import OFFICIAL_WORDS

_WORD = re.compile(r"\w+")


def voice_type(speaker: str, speaker_canonical: str, source_kind: str = "") -> str:
    """``official``, ``outlet or agency``, ``other`` or ``unresolved`` (no one named) for one attributed speaker.

    Official: the speaker is an official statement or social post of an official, or is described
    with an official title ("Navy Press Secretary Ann Lee", "the Interior Department"), or names
    several people who each are ("Army chief General Ana Ruiz and Interior Minister Tom Vale":
    no one person, but officials all).
    """
    if speaker_canonical == names.UNRESOLVED and speaker:
        parts = [p for p in re.split(r",|\band\b|&", speaker.lower()) if p.strip()]
        if len(parts) >= 2 and all(set(re.findall(r"[a-z]+", p)) & OFFICIAL_WORDS for p in parts):
            return "official"
    if speaker_canonical == names.UNRESOLVED or not (speaker or speaker_canonical):
        return "unresolved"  # no one named: neither an official nor another voice
    if source_kind == "outlet":
        return "outlet or agency"
    if source_kind in {"official statement", "organisation"}:
        return "official"
    words = set(re.findall(r"[a-z]+", f"{speaker} {speaker_canonical}".lower()))
    return "official" if words & OFFICIAL_WORDS else "other"


def _events(articles: pd.DataFrame) -> pd.Series | None:
    """``article_id`` -> event, or None when the articles have no event column."""
    if "event" not in articles.columns:
        return None
    return pd.Series(articles["event"].astype(str).to_numpy(), index=articles["article_id"].to_numpy())


def _outlet_names(articles: pd.DataFrame) -> pd.Series:
    """``article_id`` -> outlet name, ``(unknown outlet)`` for an empty one."""
    return pd.Series(articles["outlet"].where(articles["outlet"] != "", UNKNOWN_OUTLET).to_numpy(),
                     index=articles["article_id"].to_numpy())


def _words(texts: pd.Series) -> list[int]:
    # Python's \w (Unicode), as the quotes table counts words; .tolist() first: iterating an
    # Arrow-backed column value by value is several times slower
    return [len(_WORD.findall(t)) for t in texts.tolist()]


def quote_table_with_outlets(quotes: pd.DataFrame, articles: pd.DataFrame,
                             sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """``quotes`` plus ``outlet``, ``words`` (words quoted) and ``voice`` (see :func:`voice_type`)."""
    frame = quotes.copy()
    frame["outlet"] = frame["article_id"].map(_outlet_names(articles))
    frame["words"] = _words(frame["quote"])
    frame["voice"] = _voices(quotes, sources, _events(articles))
    return frame


def _voices(quotes: pd.DataFrame, sources: pd.DataFrame | None, events: pd.Series | None = None) -> np.ndarray:
    """:func:`voice_type` of each attribution, its source kind read from ``sources`` (same article,
    source = canonical speaker); a speaker described once with an official title ("ministry
    spokesman Tom Reyes") stays official when the article later calls him "Reyes" or "he" — and,
    with ``events`` (``article_id`` -> event), in every article of the event: an office does not
    change from one outlet to the next, and an outlet that calls her "Lee" after a title given only
    in a sentence about two people still quotes the Navy Secretary."""
    keys = quotes[["article_id", "speaker", "speaker_canonical"]].astype(str)
    if sources is not None and not sources.empty:
        kinds = (sources[["article_id", "source", "source_kind"]].astype(str)
                 .drop_duplicates(["article_id", "source"], keep="last")
                 .rename(columns={"source": "speaker_canonical"}))
        keys = keys.merge(kinds, on=["article_id", "speaker_canonical"], how="left", validate="many_to_one")
    else:
        keys["source_kind"] = ""
    keys["source_kind"] = keys["source_kind"].fillna("")
    assert len(keys) == len(quotes)
    # one call per distinct (speaker, canonical name, source kind), not per attribution
    distinct = keys[["speaker", "speaker_canonical", "source_kind"]].drop_duplicates()
    distinct["voice"] = [voice_type(s, c, k) for s, c, k in zip(distinct["speaker"].tolist(),
                                                                 distinct["speaker_canonical"].tolist(),
                                                                 distinct["source_kind"].tolist())]
    voiced = keys.merge(distinct, on=["speaker", "speaker_canonical", "source_kind"], how="left", validate="many_to_one")
    assert len(voiced) == len(quotes)
    voice = voiced["voice"]
    if len(voice):
        within = voiced["article_id"].map(events).fillna(voiced["article_id"]) if events is not None else voiced["article_id"]
        official = voice.eq("official").groupby([within.astype(str), voiced["speaker_canonical"]]).transform("any")
        # "unresolved" names no one: one such official speaker ("General A and Minister B") says
        # nothing about another ("the two sides")
        named = (voiced["speaker_canonical"] != "") & (voiced["speaker_canonical"] != names.UNRESOLVED)
        voice = voice.mask(official & named, "official")
    return voice.to_numpy()


def speakers_by_outlet(quotes: pd.DataFrame, articles: pd.DataFrame, *, top: int = 20) -> pd.DataFrame:
    """Who is quoted by which outlet: ``speaker_canonical, outlet, quotes, words, quote_ids`` for the
    ``top`` speakers of the corpus (by quotes), sorted by speaker rank then outlet."""
    columns = ["speaker_canonical", "outlet", "quotes", "words", "quote_ids"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    named = quotes[quotes["speaker_canonical"].astype(str) != ""]
    totals = named.groupby("speaker_canonical").size().rename("n").reset_index()
    ranked = totals.sort_values(["n", "speaker_canonical"], ascending=[False, True], kind="stable").head(top)
    rank = {name: i for i, name in enumerate(ranked["speaker_canonical"])}
    frame = named[named["speaker_canonical"].isin(rank)]
    frame = frame.assign(outlet=frame["article_id"].map(_outlet_names(articles)), words=_words(frame["quote"]))
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
    lengths = pd.Series(articles["text"].str.len().to_numpy(), index=articles["article_id"].to_numpy())
    outlets = pd.Series(articles["outlet"].to_numpy(), index=articles["article_id"].to_numpy())
    spans = quotes[["article_id", "kind", "start", "end"]].sort_values(["article_id", "kind", "start", "end"],
                                                                       kind="stable").reset_index(drop=True)
    # each span counts from the furthest end reached before it in its (article, kind): overlaps once
    group = [spans["article_id"], spans["kind"]]
    reached = spans["end"].groupby(group).cummax().groupby(group).shift(1).fillna(-1).to_numpy()
    new = np.clip(spans["end"].to_numpy() - np.maximum(spans["start"].to_numpy(), reached), 0, None)
    covered = (spans.assign(characters=new).groupby(["article_id", "kind"], sort=True)["characters"].sum()
               .astype("int64").reset_index())
    covered["outlet"] = covered["article_id"].map(outlets).fillna("")
    # Python's round, as the table always rounded (numpy's can differ in the last digit)
    covered["share"] = [round(c / max(n, 1), 6) for c, n in zip(covered["characters"].tolist(),
                                                                 covered["article_id"].map(lengths).fillna(0).tolist())]
    unquoted = articles.loc[~articles["article_id"].isin(covered["article_id"]), ["article_id", "outlet"]]
    none = pd.DataFrame({"article_id": unquoted["article_id"].to_numpy(), "outlet": unquoted["outlet"].to_numpy(),
                         "kind": "none", "characters": 0, "share": 0.0})
    out = pd.concat([covered[columns], none[columns]], ignore_index=True) if len(none) else covered[columns]
    return out.sort_values(["article_id", "kind"], kind="stable").reset_index(drop=True)


def voices_by_outlet(quotes: pd.DataFrame, articles: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Officials vs others: ``outlet, voice, quotes, share`` (share of the outlet's attributions)."""
    columns = ["outlet", "voice", "quotes", "share"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"outlet": quotes["article_id"].map(_outlet_names(articles)).to_numpy(),
                          "voice": _voices(quotes, sources, _events(articles))})
    counts = frame.groupby(["outlet", "voice"]).size().rename("quotes").reset_index()
    counts["share"] = (counts["quotes"] / counts.groupby("outlet")["quotes"].transform("sum")).round(6)
    return counts.sort_values(["outlet", "voice"], kind="stable")[columns].reset_index(drop=True)


def sources_by_outlet(sources: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Each cited source with the outlets that carry it: ``source, source_kind, outlets, articles,
    mentions, outlet_names`` sorted by outlets then mentions. A source is one row whatever the
    kind each article gives it ("the Harbour Authority said" an agency, its readout an
    official statement): its kind is the one of most mentions (a tie: the first in alphabetical order)."""
    columns = ["source", "source_kind", "outlets", "articles", "mentions", "outlet_names"]
    if sources.empty:
        return pd.DataFrame(columns=columns)
    by_kind = sources.groupby(["source", "source_kind"], as_index=False)["n_mentions"].sum()
    kind_of = (by_kind.sort_values(["source", "n_mentions", "source_kind"], ascending=[True, False, True], kind="stable")
               .drop_duplicates("source").set_index("source")["source_kind"])
    frame = sources.assign(outlet=sources["article_id"].map(_outlet_names(articles)),
                           source_kind=sources["source"].map(kind_of))
    table = frame.groupby(["source", "source_kind"]).agg(
        outlets=("outlet", "nunique"), articles=("article_id", "nunique"), mentions=("n_mentions", "sum")).reset_index()
    # the outlet names of each source: distinct pairs sorted once, then joined per source
    pairs = frame[["source", "source_kind", "outlet"]].drop_duplicates().sort_values(
        ["source", "source_kind", "outlet"], kind="stable")
    joined = pairs.groupby(["source", "source_kind"])["outlet"].agg("; ".join).rename("outlet_names").reset_index()
    table = table.merge(joined, on=["source", "source_kind"], how="left", validate="one_to_one")
    return table.sort_values(["outlets", "mentions", "source"], ascending=[False, False, True],
                             kind="stable")[columns].reset_index(drop=True)


# ------------------------------------------------------------------ the answers, in a sentence


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _names(names: list[str], limit: int = 5) -> str:
    shown = names[:limit] + ([f"{len(names) - limit} more"] if len(names) > limit else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _n_outlets(articles: pd.DataFrame) -> int:
    return int(_outlet_names(articles).nunique())


def sources_sentence(cited: pd.DataFrame, articles: pd.DataFrame) -> str:
    """The answer to "who is cited, and by which outlets?" from :func:`sources_by_outlet`'s table:
    the source cited by most outlets (ties: most mentions, then name) and how many sources only one
    outlet cites."""
    if cited.empty:
        return "No article cites a source."
    top = cited.iloc[0]
    alone = int((cited["outlets"] == 1).sum())
    return (f"The most widely cited source is {top['source']} ({top['source_kind']}): cited by {top['outlets']:,} of "
            f"{_n_outlets(articles):,} outlets, {_plural(int(top['mentions']), 'mention')} in all. "
            f"{alone:,} of {_plural(len(cited), 'source')} {'is' if alone == 1 else 'are'} cited by one outlet only.")


def speakers_sentence(speakers: pd.DataFrame, articles: pd.DataFrame) -> str:
    """The answer to "who gets quoted by which outlet?" from :func:`speakers_by_outlet`'s table: the
    most quoted speaker (never ``unresolved``), in how many outlets, and the outlets that do not
    quote them."""
    named = speakers[speakers["speaker_canonical"] != names.UNRESOLVED]  # "unresolved" names no one
    if named.empty:
        return "No attribution names a speaker."
    top = named["speaker_canonical"].iloc[0]
    rows = speakers[speakers["speaker_canonical"] == top]
    quoting = sorted(rows["outlet"].astype(str))
    everyone = sorted(set(_outlet_names(articles).astype(str)))
    missing = [o for o in everyone if o not in set(quoting)]
    sentence = (f"The most quoted speaker is {top}: {_plural(int(rows['quotes'].sum()), 'attribution')} in "
                f"{len(quoting):,} of {len(everyone):,} outlets")
    return sentence + (f"; {_names(missing)} {'does' if len(missing) == 1 else 'do'} not quote {top}." if missing
                       else ", every outlet.")


def quotation_share_sentence(quotes: pd.DataFrame, articles: pd.DataFrame,
                             labels: Mapping[str, str] | pd.Series | None = None) -> str:
    """The answer to "how much of each article is quotation?": the least and the most quoted article
    and the median, attributed content of any kind counted once (spans of different kinds may
    overlap: the chart stacks them, this sentence does not). ``labels``: ``article_id`` -> the
    name shown for it (default the id)."""
    if articles.empty:
        return "There are no articles."
    union = quotation_share(quotes.assign(kind="any"), articles)
    per_article = union.set_index("article_id")["share"]
    labels = {} if labels is None else labels
    if not per_article.max():
        return f"No article holds attributed content ({_plural(len(per_article), 'article')})."
    lo, hi = per_article.idxmin(), per_article.idxmax()
    return (f"Attributed content takes from {per_article[lo]:.0%} ({labels.get(lo, lo)}) to {per_article[hi]:.0%} "
            f"({labels.get(hi, hi)}) of an article's characters; the median over "
            f"{_plural(len(per_article), 'article')} is {per_article.median():.0%}.")


def officials_sentence(officials: pd.DataFrame) -> str:
    """The answer to "officials or others?" from :func:`voices_by_outlet`'s table: the outlets with the
    smallest and the largest share of officials' attributions, with the counts behind them."""
    if officials.empty:
        return "No outlet carries an attribution."
    totals = officials.groupby("outlet", sort=True)["quotes"].sum()
    official = officials[officials["voice"] == "official"].set_index("outlet")["quotes"].reindex(totals.index,
                                                                                                   fill_value=0)
    share = (official / totals).sort_values(kind="stable")
    lo, hi = share.index[0], share.index[-1]

    def part(outlet: str) -> str:
        return f"{share[outlet]:.0%} of {outlet}'s attributions ({int(official[outlet])} of {int(totals[outlet])})"

    if len(share) == 1 or share[lo] == share[hi]:
        return f"Officials' words are {part(hi)}" + ("" if len(share) == 1 else f", the same share in all {len(share)} outlets") + "."
    return f"Officials' words make up from {part(lo)} to {part(hi)}."
