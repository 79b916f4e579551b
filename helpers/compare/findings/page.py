"""The front page's parts: the event in a paragraph, the headlines side by side, the findings as
HTML with their evidence, and each outlet's own and shared words.

Takes ``articles``, ``findings``, ``finding_evidence`` and ``article_originality``; gives small
DataFrames and escaped HTML for notebook ``00-findings``.
"""

from __future__ import annotations

import re
from typing import Callable

import pandas as pd

from helpers.compare.overview import outlet_of
from helpers.compare.findings.common import NAMES_SHOWN, STORY_MAX_ARTICLES, article_labels, human_date, join_names, shorten


def event_overview(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per event: ``event, articles, outlets, countries, words, first_published,
    last_published, undated`` (outlets and countries as readable lists), largest first."""
    columns = ["event", "articles", "outlets", "countries", "words", "first_published", "last_published", "undated"]
    if articles.empty:
        return pd.DataFrame(columns=columns)
    frame = articles.assign(_outlet=outlet_of(articles),
                            _date=pd.to_datetime(articles["published"].where(articles["published"].astype(str).str.len() > 0),
                                                 errors="coerce"))
    rows = []
    for event, g in frame.groupby("event", sort=True):
        countries = sorted({c for c in g["country"].fillna("").astype(str) if c})
        rows.append({"event": event, "articles": len(g), "outlets": g["_outlet"].nunique(),
                     "countries": ", ".join(countries), "words": int(g["word_count"].sum()),
                     "first_published": g["_date"].min().date().isoformat() if g["_date"].notna().any() else "",
                     "last_published": g["_date"].max().date().isoformat() if g["_date"].notna().any() else "",
                     "undated": int(g["_date"].isna().sum())})
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["outlets", "articles", "event"], ascending=[False, False, True], kind="stable").reset_index(drop=True)


def widest_story(articles: pd.DataFrame) -> str:
    """The event a chart of one story shows on a corpus of several events: of the events of at most
    :data:`~helpers.compare.findings.common.STORY_MAX_ARTICLES` articles (stories, not topics —
    the coverage checks' line), the one with the most outlets, then the most articles, then the
    first by name (:func:`event_overview`'s ranking); the widest topic when every event is larger.
    "" for a corpus of one event or none, where every chart already shows one story."""
    if articles.empty:
        return ""
    # only the ranking columns: event_overview's dates and words per event are not needed here
    ranked = (articles.assign(_outlet=outlet_of(articles)).groupby("event", sort=True)
              .agg(outlets=("_outlet", "nunique"), articles=("_outlet", "size")).reset_index())
    if len(ranked) < 2:
        return ""
    stories = ranked[ranked["articles"] <= STORY_MAX_ARTICLES]
    ranked = (stories if len(stories) else ranked).sort_values(["outlets", "articles", "event"],
                                                               ascending=[False, False, True], kind="stable")
    return str(ranked["event"].iloc[0])


def describe_event(articles: pd.DataFrame) -> str:
    """The event in one paragraph: articles, outlets and their countries, publication span, words."""
    if articles.empty:
        return "No article was loaded."
    overview = event_overview(articles)
    outlets = outlet_of(articles)
    by_country = articles.assign(_o=outlets).groupby(articles["country"].fillna("").astype(str))["_o"].agg(lambda s: sorted(set(s)))
    where = "; ".join(f"{join_names(names) if len(names) <= NAMES_SHOWN else ', '.join(names[:NAMES_SHOWN]) + f' and {len(names) - NAMES_SHOWN} more'}"
                      f" ({country or 'unknown country'})" for country, names in sorted(by_country.items()))
    dates = pd.to_datetime(articles["published"].where(articles["published"].astype(str).str.len() > 0), errors="coerce")
    span = ""
    if dates.notna().any():
        first, last = dates.min(), dates.max()
        span = (f" published on {human_date(first.date().isoformat())}" if first.normalize() == last.normalize()
                else f" published between {human_date(first.date().isoformat())} and {human_date(last.date().isoformat())}")
        if dates.isna().any():
            span += f" ({int(dates.isna().sum()):,} undated)"
    else:
        span = " none of them dated"
    events = "" if len(overview) == 1 else f" about {len(overview):,} events"
    return (f"{len(articles):,} article{'s' if len(articles) != 1 else ''}{events} from {outlets.nunique():,} "
            f"outlet{'s' if outlets.nunique() != 1 else ''} — {where} —{span}; "
            f"{int(articles['word_count'].sum()):,} words after cleaning.")


#: Facts quoted in :func:`common_ground`'s sentence.
COMMON_FACTS_SHOWN = 2


def common_ground(facts: pd.DataFrame | Callable[[list[str]], pd.DataFrame], articles: pd.DataFrame, *,
                  shown: int = COMMON_FACTS_SHOWN,
                  checks: pd.DataFrame | Callable[[], pd.DataFrame] | None = None) -> str:
    """What the outlets of one event report alike, in one sentence: the facts the most outlets
    carry (the fact grouping's ``facts`` rows of the event's articles: ``fact_id, article_id,
    sent_id, similarity, n_outlets, text``; or a function giving them for a list of article ids,
    called only for a story), how many there are and of how many outlets, and the first ``shown``
    in words (:func:`helpers.compare.facts.fact_labels`) — a reader learns what happened from what
    everyone says before reading where they differ. An event of more than
    :data:`~helpers.compare.findings.common.STORY_MAX_ARTICLES` articles is a topic, not a story:
    the sentences most of its outlets share are boilerplate ("Reporting by …"), so it is said
    instead. "" without facts.

    ``checks`` (the event's ``coverage_checks`` rows, or a function giving them, called only for
    a story): the facts every outlet but one carries where that one has a sentence that may say it
    in other words (:func:`~helpers.compare.findings.coverage_checks`' verdict) are then named
    too, with that outlet — the grouping compares whole sentences, so a fact an outlet tells inside
    a longer sentence is not among its members."""
    from helpers.compare.facts import fact_labels
    from helpers.compare.findings.coverage import CARRIED_OTHERWISE

    if articles.empty:
        return ""
    if len(articles) > STORY_MAX_ARTICLES:
        return (f"{len(articles):,} articles: a topic rather than one story (more than {STORY_MAX_ARTICLES}), so "
                "what its outlets report alike is not summed up — in a topic the sentences most outlets share "
                "are boilerplate. Select one story with -p event.")
    if callable(facts):
        facts = facts(list(articles["article_id"]))
    if facts is None or facts.empty:
        return ""
    n_outlets = outlet_of(articles).nunique()
    widest = int(facts["n_outlets"].max())
    if widest < 2:
        return f"No fact is carried by two of the {n_outlets} outlets: each reports its own."
    ids = sorted(set(facts.loc[facts["n_outlets"] == widest, "fact_id"]))
    labels = fact_labels(facts[facts["fact_id"].isin(ids[:shown])])

    def quoted(text: str) -> str:  # in quotation marks, unless the sentence has its own
        text = shorten(text, 220)
        return text if any(mark in text for mark in "\"“”") else f"“{text}”"

    facts_word = f"{len(ids)} fact{'s' if len(ids) != 1 else ''}"
    head = (f"All {n_outlets} outlets carry {facts_word}" if widest == n_outlets else
            f"No fact is carried by more than {widest} of the {n_outlets} outlets; {widest} carry {facts_word}")
    said = (f"{head}{', among them' if len(ids) > shown else ''}: "
            + " · ".join(quoted(labels.get(f, "")) for f in ids[:shown]))
    if callable(checks):
        checks = checks()
    if checks is None or checks.empty or n_outlets < 3:
        return said
    # all but one carry it, and that one may say it in other words
    near = set(facts.loc[facts["n_outlets"] == n_outlets - 1, "fact_id"])
    left = checks[(checks["question"] == "left out?") & checks["fact_id"].isin(near)
                  & checks["verdict"].astype(str).str.endswith(CARRIED_OTHERWISE)]
    if left.empty:
        return said
    left = left.drop_duplicates("fact_id").sort_values("fact_id")
    more = fact_labels(facts[facts["fact_id"].isin(set(left["fact_id"].iloc[:shown]))])
    n_more = len(left)
    ended = said if said.endswith((".", ".”", '."', "?”", "!”")) else f"{said}."
    # the outlet named is the one the grouping leaves out, said so: a name in brackets after a
    # quotation reads as its source
    return (f"{ended} {n_more} more {'is' if n_more == 1 else 'are'} carried by {n_outlets - 1} of them, and the "
            f"{'other outlet has' if n_more == 1 else 'outlet left has'} a sentence that may say "
            f"{'it' if n_more == 1 else 'each'} in other words{', among them' if n_more > shown else ''}: "
            + " · ".join(f"{quoted(more.get(f, ''))} (all but {o}, whose sentence may say it)" for f, o in
                         zip(left["fact_id"].iloc[:shown], left["outlet"].iloc[:shown])))


NO_HEADLINE = "(no headline in the text, the metadata or the URL)"


#: A URL path segment read as a headline needs at least this many words ("us-lawmakers-back-bill").
URL_HEADLINE_MIN_WORDS = 4


_URL_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cms)$", re.I)


def headline_from_url(url: object) -> str:
    """The words of a URL's slug, lower case as the URL writes them, for an article whose headline
    is lost: the path segment with the most words (``-``/``_``-separated), numeric ids and a file
    extension dropped; "" when no segment has :data:`URL_HEADLINE_MIN_WORDS` words."""
    from urllib.parse import unquote, urlsplit

    text = str(url or "").strip()
    if not text or text.lower() in {"nan", "none"}:
        return ""
    best: list[str] = []
    for segment in urlsplit(text if "//" in text else "//" + text).path.split("/"):
        words = [w for w in re.split(r"[-_+]+", _URL_EXTENSION.sub("", unquote(segment))) if w]
        words = [w for w in words if not re.fullmatch(r"\d+|[0-9a-f]{8,}", w, re.I)]
        if len(words) > len(best) and all(re.fullmatch(r"[^\W_]+(?:['’.][^\W_]+)*", w) for w in words):
            best = words
    return " ".join(best).lower() if len(best) >= URL_HEADLINE_MIN_WORDS else ""


#: At most this many of the metadata's own columns are shown beside the headlines, each value
#: shortened to :data:`METADATA_VALUE_CHARS` characters.
METADATA_COLUMNS_SHOWN = 3
METADATA_VALUE_CHARS = 160


def metadata_notes(articles: pd.DataFrame) -> list[str]:
    """The articles' own metadata columns worth showing beside their headlines: the columns the
    user's metadata added (not :data:`helpers.schema.ARTICLE_COLUMNS`) whose values differ between
    the articles — what the metadata says about one article and not another ("republishes other
    outlets' stories", an author, a rating); a column every article shares, or none fills, says
    nothing about a difference. At most :data:`METADATA_COLUMNS_SHOWN`, in the table's order."""
    from helpers.schema import ARTICLE_COLUMNS

    shown = []
    for column in articles.columns:
        if column in ARTICLE_COLUMNS or column.startswith("_"):
            continue
        values = articles[column].fillna("").astype(str).str.strip()
        if values.nunique() >= 2 and (values != "").any():
            shown.append(column)
    return shown[:METADATA_COLUMNS_SHOWN]


def headlines(articles: pd.DataFrame) -> pd.DataFrame:
    """The headlines side by side: ``outlet, country, published, headline, headline_from``, then
    the metadata's own columns that tell the articles apart (:func:`metadata_notes`, values
    shortened), then ``article_id``, in publication order (undated last). ``headline_from`` says
    where it was read: ``"text or metadata"``, or ``"URL words"`` when only the URL's slug gives it
    (:func:`headline_from_url`)."""
    notes = metadata_notes(articles)
    columns = ["outlet", "country", "published", "headline", "headline_from", *notes, "article_id"]
    if articles.empty:
        return pd.DataFrame(columns=columns)
    titles = articles["title"].fillna("").astype(str).str.strip()
    urls = articles["url"] if "url" in articles.columns else pd.Series("", index=articles.index)
    from_url = [headline_from_url(u) if not t else "" for t, u in zip(titles, urls)]
    headline = [t or u or NO_HEADLINE for t, u in zip(titles, from_url)]
    source = ["text or metadata" if t else ("URL words" if u else "") for t, u in zip(titles, from_url)]
    frame = pd.DataFrame({"outlet": article_labels(articles).to_numpy(), "country": articles["country"].fillna("").to_numpy(),
                          "published": articles["published"].fillna("").astype(str).to_numpy(),
                          "headline": headline, "headline_from": source,
                          "article_id": articles["article_id"].to_numpy()})
    for column in notes:
        frame[column] = [shorten(v, METADATA_VALUE_CHARS) for v in articles[column].fillna("").astype(str).str.strip()]
    frame["_undated"] = frame["published"] == ""
    return frame.sort_values(["_undated", "published", "outlet"], kind="stable")[columns].reset_index(drop=True)


def evidence_to_show(sentences: pd.DataFrame, limit: int) -> pd.DataFrame:
    """At most ``limit`` of one finding's evidence rows (``outlet, sentence``, in the table's order),
    taken outlet by outlet — each outlet's first sentence, then each one's second, … — so that every
    outlet a statement names shows a sentence before any outlet shows two (a finding about three
    outlets whose first outlet has six sentences would otherwise quote that outlet alone). The rows
    keep the table's order."""
    if len(sentences) <= limit:
        return sentences
    turn = sentences.groupby("outlet", sort=False).cumcount()
    picked = turn.sort_values(kind="stable").index[:limit]
    return sentences.loc[sentences.index.isin(picked)]


def findings_html(findings: pd.DataFrame, evidence: pd.DataFrame, *, top: int = 10, evidence_per_finding: int = 6,
                  link_base: str = "") -> str:
    """The ranked findings as an HTML list: each statement, its rule, links to the notebook section
    and the table behind it (relative to ``link_base``), then its evidence sentences, each after
    its outlet, as printed. Every text from the corpus is escaped; nothing else is written into the page."""
    import html

    e = html.escape
    if findings.empty:
        return "<p>No difference passed the rules' thresholds: the outlets' coverage shows no finding to report.</p>"
    shown = findings.sort_values("rank", kind="stable").head(top)
    by_finding = {fid: g for fid, g in evidence.groupby("finding_id", sort=False)} if not evidence.empty else {}
    items = []
    for _, row in shown.iterrows():
        page = f"{link_base}notebooks/{row['section']}"
        table = f"{link_base}tables/{row['table']}.csv"
        quoted = ""
        sentences = by_finding.get(row["finding_id"])
        if sentences is not None:
            shown_rows = evidence_to_show(sentences, evidence_per_finding)
            # each sentence as the outlet printed it, with no quotation marks of the page's own
            # around it: many open or close with the quotation they carry (“ “Secretary …)
            lines = [f"<li><strong>{e(str(o))}</strong>: {e(shorten(str(t), 300))}</li>"
                     for o, t in zip(shown_rows["outlet"], shown_rows["sentence"])]
            more = len(sentences) - len(shown_rows)
            if more > 0:
                lines.append(f'<li>… and {more} more sentence{"s" if more != 1 else ""} in '
                             f'<a href="{e(link_base)}tables/finding_evidence.csv">finding_evidence.csv</a></li>')
            quoted = '<ul class="evidence">' + "".join(lines) + "</ul>"
        # the score the list is ranked by (kind weight × share of outlets × the rule's strength)
        score = pd.to_numeric(pd.Series([row.get("score")]), errors="coerce").iloc[0]
        scored = f" · score {score:.2f}" if pd.notna(score) else ""
        items.append(
            f'<li id="finding-{e(str(row["finding_id"]))}"><p class="statement">{e(str(row["statement"]))}</p>'
            f'<p class="meta">{e(str(row["finding_id"]))} · {e(str(row["kind"]).replace("_", " "))}{scored} · '
            f'<a href="{e(page)}">notebook section</a> · <a href="{e(table)}">{e(str(row["table"]))}.csv</a> · '
            f'rule: {e(str(row["rule"]))}</p>{quoted}</li>')
    rest = len(findings) - len(shown)
    tail = (f'<p>… and {rest} more finding{"s" if rest != 1 else ""} below and in '
            f'<a href="{e(link_base)}tables/findings.csv">findings.csv</a>.</p>' if rest > 0 else "")
    return '<ol class="findings">' + "".join(items) + "</ol>" + tail


def findings_for_people(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings table as a reader wants it: ``rank, finding, kind, statement, outlets,
    strength, rule`` (no ids to join on, no evidence keys)."""
    if findings.empty:
        return pd.DataFrame(columns=["rank", "finding", "kind", "statement", "outlets", "strength", "rule"])
    out = findings.sort_values(["event", "rank"], kind="stable")
    return pd.DataFrame({"rank": out["rank"].to_numpy(), "finding": out["finding_id"].to_numpy(),
                         "kind": out["kind"].str.replace("_", " ").to_numpy(), "statement": out["statement"].to_numpy(),
                         "outlets": out["outlets"].to_numpy(), "strength": out["strength"].to_numpy(),
                         "rule": out["rule"].to_numpy()})


def own_and_shared_words(articles: pd.DataFrame, originality: pd.DataFrame) -> pd.DataFrame:
    """Per article (labelled by outlet): ``outlet, article_id, words, shared_quotation_words,
    shared_text_words, own_words`` — the words of ``article_originality``'s ``quoted_share``
    (quotations of a common source other outlets also carry) and ``copied_share`` (other shared
    text: wire copy, copied or commonly sourced), and the rest, which no other outlet carries."""
    columns = ["outlet", "article_id", "words", "shared_quotation_words", "shared_text_words", "own_words"]
    if articles.empty:
        return pd.DataFrame(columns=columns)
    labels = article_labels(articles)
    known = "quoted_share" in originality.columns and "copied_share" in originality.columns
    copied = dict(zip(originality["article_id"], originality["copied_share"])) if known else {}
    quoted = dict(zip(originality["article_id"], originality["quoted_share"])) if known else {}
    rows = []
    for art, total in zip(articles["article_id"], articles["word_count"].fillna(0).astype(int)):
        text = min(total, int(round(float(copied.get(art, 0.0)) * total)))
        quotation = min(total - text, int(round(float(quoted.get(art, 0.0)) * total)))
        rows.append({"outlet": labels.get(art, art), "article_id": art, "words": total,
                     "shared_quotation_words": quotation, "shared_text_words": text,
                     "own_words": total - quotation - text})
    return pd.DataFrame(rows, columns=columns).sort_values(["outlet"], kind="stable").reset_index(drop=True)


def shared_words_by_outlet(words: pd.DataFrame, *, top: int = 25) -> tuple[pd.DataFrame, int]:
    """:func:`own_and_shared_words` summed per outlet (an outlet's second article counted with its
    first), long form for a stacked chart: ``outlet, part`` (not shared / shared quotation / other
    shared text), ``words``; the ``top`` outlets by words, and how many more there are."""
    parts = {"own_words": "not shared", "shared_quotation_words": "shared quotation", "shared_text_words": "other shared text"}
    per_outlet = words.assign(outlet=words["outlet"].str.replace(r" \(\d+\)$", "", regex=True)).groupby(
        "outlet", as_index=False)[list(parts)].sum()
    per_outlet["total"] = per_outlet[list(parts)].sum(axis=1)
    kept = per_outlet.sort_values(["total", "outlet"], ascending=[False, True], kind="stable").head(top)
    long = kept.melt(id_vars="outlet", value_vars=list(parts), var_name="part", value_name="words")
    return long.assign(part=long["part"].map(parts)), len(per_outlet) - len(kept)
