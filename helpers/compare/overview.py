"""Who covered the event, when and how much: corpus-level summaries for the first notebook.

Every function takes the foundation's tables and returns a tidy DataFrame keyed so that a reader
can go back to the articles (``article_id``) behind each number.
"""

from __future__ import annotations

import pandas as pd

UNKNOWN_OUTLET = "(unknown outlet)"
#: What a table shows for an outlet whose articles name no country.
UNKNOWN_COUNTRY = "(unknown country)"


def outlet_of(articles: pd.DataFrame) -> pd.Series:
    """The outlet of each article, with a visible placeholder where it is unknown."""
    return articles["outlet"].where(articles["outlet"].astype(str).str.len() > 0, UNKNOWN_OUTLET)


def outlet_summary(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: ``outlet, country`` (:data:`UNKNOWN_COUNTRY` when no article names one),
    ``articles, words, sentences, first_published, last_published, article_ids``
    (semicolon-separated), sorted by words then outlet."""
    columns = ["outlet", "country", "articles", "words", "sentences", "first_published", "last_published", "article_ids"]
    if articles.empty:
        return pd.DataFrame(columns=columns)
    frame = articles[["article_id", "country", "word_count", "published"]].copy()
    frame["outlet"] = outlet_of(articles)
    per_article = sentences.groupby("article_id").size() if not sentences.empty else pd.Series(dtype="int64")
    frame["sentences"] = frame["article_id"].map(per_article).fillna(0).astype("int64")
    frame["published"] = frame["published"].where(frame["published"].astype(str).str.len() > 0)
    grouped = frame.groupby("outlet", sort=True)
    summary = pd.DataFrame({
        "country": grouped["country"].agg(lambda c: "; ".join(sorted({x for x in c if x})) or UNKNOWN_COUNTRY),
        "articles": grouped.size(),
        "words": grouped["word_count"].sum(),
        "sentences": grouped["sentences"].sum(),
        "first_published": grouped["published"].min().fillna(""),
        "last_published": grouped["published"].max().fillna(""),
        "article_ids": grouped["article_id"].agg(lambda ids: ";".join(sorted(ids))),
    }).reset_index()
    return summary.sort_values(["words", "outlet"], ascending=[False, True], kind="stable")[columns].reset_index(drop=True)


def entity_mentions_by_outlet(entities: pd.DataFrame, articles: pd.DataFrame, *, top: int = 15) -> pd.DataFrame:
    """Mentions of each canonical entity per outlet: ``outlet, canonical, label, mentions, articles``
    for the ``top`` entities of the whole corpus (by mentions), sorted by entity rank then outlet."""
    columns = ["outlet", "canonical", "label", "mentions", "articles"]
    if entities.empty:
        return pd.DataFrame(columns=columns)
    outlets = dict(zip(articles["article_id"], outlet_of(articles)))
    frame = entities.assign(outlet=entities["article_id"].map(outlets))
    totals = frame.groupby("canonical").size().rename("total").reset_index()
    ranked = totals.sort_values(["total", "canonical"], ascending=[False, True], kind="stable").head(top)
    frame = frame[frame["canonical"].isin(set(ranked["canonical"]))]
    # each charted entity's label: the one it is tagged with most often, alphabetically first on
    # ties — counted for the top entities only (a corpus has hundreds of thousands of names)
    uses = frame.groupby(["canonical", "label"]).size().rename("uses").reset_index()
    label = (uses.sort_values(["canonical", "uses", "label"], ascending=[True, False, True], kind="stable")
             .drop_duplicates("canonical").set_index("canonical")["label"])
    counts = frame.groupby(["outlet", "canonical"]).agg(mentions=("article_id", "size"),
                                                        articles=("article_id", "nunique")).reset_index()
    counts["label"] = counts["canonical"].map(label)
    rank = {name: i for i, name in enumerate(ranked["canonical"])}
    counts["_rank"] = counts["canonical"].map(rank)
    return counts.sort_values(["_rank", "outlet"], kind="stable")[columns].reset_index(drop=True)


def cleaning_summary(cleaning: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Removals per rule: ``rule, removals, characters, articles`` sorted by removals."""
    columns = ["rule", "removals", "characters", "articles"]
    if cleaning.empty:
        return pd.DataFrame(columns=columns)
    summary = cleaning.assign(characters=cleaning["removed"].str.len()).groupby("rule").agg(
        removals=("article_id", "size"), characters=("characters", "sum"), articles=("article_id", "nunique"))
    return summary.reset_index().sort_values(["removals", "rule"], ascending=[False, True], kind="stable")[columns].reset_index(drop=True)


def load_summary(load_report: pd.DataFrame) -> pd.DataFrame:
    """Inputs per status and reason: ``status, reason, inputs``. Counts add up to the inputs read."""
    if load_report.empty:
        return pd.DataFrame(columns=["status", "reason", "inputs"])
    reasons = load_report["reason"].where(load_report["reason"].astype(str).str.len() > 0, "(none)")
    summary = load_report.assign(reason=reasons).groupby(["status", "reason"]).size().rename("inputs").reset_index()
    return summary.sort_values(["status", "inputs", "reason"], ascending=[True, False, True], kind="stable").reset_index(drop=True)


#: Publication periods from the finest to the coarsest (pandas period codes), with their names.
PERIODS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def period_frequency(published: pd.Series, *, max_periods: int = 39) -> str:
    """The finest publication period (a key of :data:`PERIODS`) in which the dated values of
    ``published`` (ISO dates; blank or unreadable ones are left out) span at most
    ``max_periods`` periods, from the first to the last; ``Y`` when even years are more. A
    chart of words per period then shows every period in date order, none cut: an event's few
    days by day, a corpus of several years by month or quarter. ``D`` when nothing is dated."""
    dates = pd.to_datetime(published.where(published.astype(str).str.len() > 0), errors="coerce").dropna()
    if dates.empty:
        return "D"
    first, last = dates.min(), dates.max()
    for freq in PERIODS:
        if (last.to_period(freq) - first.to_period(freq)).n + 1 <= max_periods:
            return freq
    return "Y"


def coverage_over_time(articles: pd.DataFrame, *, by: str = "outlet", freq: str = "D") -> pd.DataFrame:
    """Articles and words per publication period and group (``by``: outlet or country):
    ``period, <by>, articles, words, article_ids``. Undated articles are one row with period "".
    ``freq`` is a pandas period code: D (day), W (week), M (month), Q (quarter), Y (year);
    :func:`period_frequency` chooses one for a chart. Sorted by period (date order), then group."""
    columns = ["period", by, "articles", "words", "article_ids"]
    if articles.empty:
        return pd.DataFrame(columns=columns)
    frame = articles[["article_id", "published", "word_count"]].copy()
    frame[by] = articles[by].where(articles[by].astype(str).str.len() > 0, f"(unknown {by})")
    dates = pd.to_datetime(frame["published"].where(frame["published"].astype(str).str.len() > 0), errors="coerce")
    frame["period"] = dates.dt.to_period(freq).astype(str).where(dates.notna(), "")
    table = frame.groupby(["period", by]).agg(articles=("article_id", "size"), words=("word_count", "sum"),
                                               article_ids=("article_id", lambda ids: ";".join(sorted(ids)))).reset_index()
    return table.sort_values(["period", by], kind="stable")[columns].reset_index(drop=True)


def describe_over_time(table: pd.DataFrame, *, period_name: str) -> str:
    """One sentence on a :func:`coverage_over_time` table: how many periods hold dated articles,
    the one with the most words and its share of all words, and how many articles are undated."""
    if table.empty:
        return "No articles."
    dated = table[table["period"] != ""]
    undated = int(table.loc[table["period"] == "", "articles"].sum())
    tail = f"; {undated:,} undated article{'s' if undated != 1 else ''}" if undated else ""
    if dated.empty:
        return f"No article has a publication date{tail}."
    words = dated.groupby("period", sort=True)["words"].sum()
    busiest = words.idxmax()  # the earliest of equal maxima: the index is in date order
    total = int(table["words"].sum())
    share = f"{words[busiest] / total:.0%}" if total else "0%"
    plural = "s" if len(words) != 1 else ""
    return (f"Articles were published in {len(words)} {period_name}{plural}; the {period_name} with the most words, "
            f"{busiest}, holds {share} of all words{tail}.")
