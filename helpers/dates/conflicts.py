"""Dates across articles: the same happening dated differently (:func:`date_conflicts`), the dated
facts of several articles (:func:`event_timeline`) and conflicts in words (:func:`describe_conflicts`).

Takes the ``dates``, ``sentences`` and ``articles`` tables (and optionally fact groups); gives the
``date_conflicts`` (``CONFLICT_COLUMNS`` + ``CONFLICT_EXTRA_COLUMNS``) and ``timeline``
(``EVENT_TIMELINE_COLUMNS``) tables. Event words come from ``event_words.yaml`` beside this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from helpers.dates.grammar import find_temporal_expressions, _in_dateline
from helpers.dates.timex import describe_timex, _to_date, values_compatible
from helpers.schema import CONFLICT_COLUMNS, CONFLICT_EXTRA_COLUMNS, EVENT_TIMELINE_COLUMNS


# Why not helpers.compare.facts.group_facts: a disagreement is one happening dated differently, so
# the dated sentences are compared with their date expressions blanked and with their neighbours
# ("the call was on Monday" / "the call was on Tuesday"), which the coverage grouping of facts does
# not do. Both share facts' comparison blocks; event_timeline takes facts' groups when given them.
# Using facts' groups here changes the date_conflicts table, so both groupings stay.
def _fact_groups_by_similarity(sentences: pd.DataFrame, articles: pd.DataFrame, mask_spans: dict,
                               threshold: float, context: dict | None = None) -> pd.DataFrame:
    """Group date-bearing sentences of different articles by TF-IDF cosine similarity.

    Sentences are compared with their date expressions blanked out, within the same event
    when ``articles.event`` exists; pairs above ``threshold`` are linked and the connected
    components become facts. Sparse products are computed in row blocks.
    """
    from scipy.sparse.csgraph import connected_components
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    if sentences.empty:
        return pd.DataFrame(columns=["article_id", "sent_id", "fact_id"])
    sents = sentences.reset_index(drop=True)
    texts = []
    for rec in sents.itertuples(index=False):
        t = rec.text if isinstance(rec.text, str) else ""
        for s, e in mask_spans.get((rec.article_id, rec.sent_id), ()):
            s0, e0 = max(0, s - rec.start), max(0, e - rec.start)
            t = t[:s0] + " " * (e0 - s0) + t[e0:]
        if context:
            t = t + " " + context.get((rec.article_id, rec.sent_id), "")
        texts.append(t)
    from helpers.compare.facts import comparison_blocks

    art = sents["article_id"].to_numpy()
    n = len(sents)
    rows_i: list[np.ndarray] = []
    rows_j: list[np.ndarray] = []
    # Every sentence's term counts once, over all the blocks' vocabulary (its terms in alphabetical
    # order, as a vectorizer numbers them): the overlapping date windows of a large event held each
    # sentence several times, and each window's vectorizer tokenised it again. A block's matrix is
    # its rows and the columns of the terms it uses — the very counts, in the very column order,
    # that a vectorizer fitted on the block alone gives — weighted by the block's own IDF.
    blocks = [idx for idx in comparison_blocks(sents, articles) if len(idx) >= 2]
    try:
        counts = CountVectorizer(stop_words="english", ngram_range=(1, 2), min_df=1).fit_transform(texts).tocsr() \
            if blocks else None
    except ValueError:  # no term in any sentence
        counts = None
    # one block per event; a very large event in overlapping publication-date windows
    for idx in blocks if counts is not None else ():
        rows = counts[idx]
        used = np.unique(rows.indices)  # the block's terms (columns with a count), in order
        if not len(used):
            continue  # a block without any term: nothing to compare (a vectorizer's ValueError)
        X = TfidfTransformer(sublinear_tf=True).fit_transform(rows[:, used].tocsr())
        block = 2048
        for b0 in range(0, len(idx), block):
            S = (X[b0:b0 + block] @ X.T).tocoo()
            keep = S.data >= threshold
            ii = idx[S.row[keep] + b0]
            jj = idx[S.col[keep]]
            cross = art[ii] != art[jj]
            rows_i.append(ii[cross])
            rows_j.append(jj[cross])
    if rows_i:
        ii = np.concatenate(rows_i)
        jj = np.concatenate(rows_j)
    else:
        ii = jj = np.array([], dtype=np.int64)
    graph = sparse.coo_matrix((np.ones(len(ii)), (ii, jj)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    out = pd.DataFrame({"article_id": art, "sent_id": sents["sent_id"].to_numpy(), "label": labels})
    out = out[sizes[labels] > 1]
    # stable fact ids: order components by their first (article_id, sent_id)
    first = out.sort_values(["article_id", "sent_id"]).drop_duplicates("label")
    fid = {lab: f"H{k:05d}" for k, lab in enumerate(first["label"])}  # H: a happening
    out = out.assign(fact_id=out["label"].map(fid)).drop(columns="label")
    return out.reset_index(drop=True)


def _facts_with_dates(dates, sentences, articles, fact_groups, similarity_threshold, context_sentences=1):
    d = dates[dates["type"].isin(["DATE", "TIME"]) & (dates["sent_id"] >= 0)]
    d = d[~d["value"].isin(["PRESENT_REF", "PAST_REF", "FUTURE_REF"])]
    if "anchor_source" in d.columns:
        d = d[d["anchor_source"] != "embed"]  # a quoted post is the same text everywhere
    if d.empty:
        return None
    if fact_groups is None:
        keys = set(zip(d["article_id"], d["sent_id"]))
        mask = sentences[[k in keys for k in zip(sentences["article_id"], sentences["sent_id"])]]
        spans: dict = {}
        for rec in d.itertuples(index=False):
            spans.setdefault((rec.article_id, rec.sent_id), []).append((rec.start, rec.end))
        # each sentence is compared together with its neighbours (the fact is often
        # spread over two sentences), with the date expressions blanked
        ctx: dict = {}
        ordered = sentences.sort_values(["article_id", "sent_id"])
        for aid, g in ordered.groupby("article_id", sort=False):
            ids = g["sent_id"].tolist()
            txt = g["text"].fillna("").tolist()
            for k, sid in enumerate(ids):
                if (aid, sid) in keys:
                    ctx[(aid, sid)] = " ".join(txt[max(0, k - context_sentences):k] + txt[k + 1:k + 1 + context_sentences])
        fact_groups = _fact_groups_by_similarity(mask, articles, spans, similarity_threshold, ctx)
    if fact_groups is None or fact_groups.empty:
        return None
    merged = d.merge(fact_groups[["article_id", "sent_id", "fact_id"]], on=["article_id", "sent_id"])
    outlets = articles[["article_id"]].assign(
        outlet=articles["outlet"].fillna("").astype(str) if "outlet" in articles else "")
    merged = merged.merge(outlets, on="article_id", how="left")
    merged["outlet"] = merged["outlet"].fillna("")
    merged["outlet"] = np.where(merged["outlet"] == "", merged["article_id"], merged["outlet"])
    return merged


_EVENT_WORDS_FILE = Path(__file__).resolve().parent / "event_words.yaml"


# a day-precise value (optionally with a time or part of day): what a happening is dated with
_EVENT_DAY_RE = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|XXXX-WXX-[1-7]|XXXX-\d{2}-\d{2})(?:T.+)?$")
_TIME_NOUNS = frozenset({"day", "night", "morning", "afternoon", "evening", "week", "weekend", "month", "year",
                         "time", "hour", "minute", "date", "today", "tonight", "yesterday", "tomorrow", "noon",
                         "midnight", "dawn", "dusk", "late", "early"})


@functools.lru_cache(maxsize=1)
def _event_lexicon() -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    """(light verbs, happening verbs, word → its classes) from ``lexicons/event_words.yaml``."""
    data = yaml.safe_load(_EVENT_WORDS_FILE.read_text(encoding="utf-8")) or {}
    classes: dict[str, set[str]] = {}
    for name, words in (data.get("classes") or {}).items():
        for w in words or ():
            classes.setdefault(str(w).lower(), set()).add(str(name))
    return (frozenset(str(w).lower() for w in data.get("light_verbs") or ()),
            frozenset(str(w).lower() for w in data.get("happening_verbs") or ()),
            {w: frozenset(c) for w, c in classes.items()})


def _lemma(token) -> str:
    return (token.lemma_ or token.text).lower()


def event_words(doc: Any, start: int, end: int) -> frozenset[str]:
    """The words naming the happening a date expression is attached to.

    Inputs: a parsed spaCy ``doc`` (tagger, parser, lemmatizer; ner optional) and the character
    offsets of the date expression in it. From the expression's head word, the parse is
    climbed (through "on", "late", "during", …) to the first verb or non-temporal noun: the
    predicate the date modifies ("the phone call on Monday" → call, phone; "telephoned on
    Tuesday" → telephone). A light verb gives way to its object ("had a telephonic
    conversation" → conversation, telephonic); a happening verb ("a fire broke out") and a
    passive ("destroyed by a fire") add the noun that names the event. Output: lower-case
    lemmas; empty when the date modifies nothing the parse can show.
    """
    light, happening, _ = _event_lexicon()
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return frozenset()
    inside = {t.i for t in span}
    t = span.root
    for _ in range(10):
        if (t.i not in inside and t.pos_ in ("VERB", "AUX", "NOUN") and _lemma(t) not in _TIME_NOUNS
                and getattr(t, "ent_type_", "") not in ("DATE", "TIME")):
            break
        if t.head is t or t.head.i == t.i:
            return frozenset()
        t = t.head
    else:
        return frozenset()
    words = {_lemma(t)}

    def nouns(token, deps) -> list:
        return [c for c in token.children if c.dep_ in deps and c.pos_ == "NOUN"]

    def with_modifiers(tokens) -> set[str]:
        out = set()
        for n in tokens:
            out.add(_lemma(n))
            out.update(_lemma(c) for c in n.children if c.dep_ in ("compound", "amod") and c.pos_ in ("NOUN", "ADJ"))
        return out

    if t.pos_ in ("VERB", "AUX"):
        lemma = _lemma(t)
        subjects = nouns(t, ("nsubj", "nsubjpass"))
        if not subjects and t.dep_ == "relcl" and t.head.pos_ == "NOUN":
            subjects = [t.head]  # "a fire that broke out": the relative clause's noun is its subject
        if lemma in light:
            objects = nouns(t, ("dobj", "obj", "attr"))
            words = with_modifiers(objects or subjects) or words
        elif lemma in happening:
            words |= with_modifiers(subjects)
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children):
            for agent in (c for c in t.children if c.dep_ == "agent"):
                words |= with_modifiers(nouns(agent, ("pobj",)))
    else:
        words |= {_lemma(c) for c in t.children if c.dep_ == "compound" and c.pos_ == "NOUN"}
        words |= {_lemma(c) for c in t.children if c.dep_ == "amod" and c.pos_ == "ADJ"}
    return frozenset(w for w in words if w and w not in _TIME_NOUNS)


def same_happening(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> bool:
    """True when two sets of :func:`event_words` can name the same happening: a shared lemma, a
    shared class of ``lexicons/event_words.yaml`` ("call" and "conversation" are both
    communication), or a shared stem of six letters or more ("telephoned" / "telephonic")."""
    if not a or not b:
        return False
    if a & b:
        return True
    _, _, classes = _event_lexicon()
    ca = set().union(*(classes.get(w, frozenset()) for w in a))
    if ca and ca & set().union(*(classes.get(w, frozenset()) for w in b)):
        return True
    return any(len(x) >= 6 and len(y) >= 6 and x[:6] == y[:6] for x in a for y in b)


def _day_of(value: str) -> dt.date | None:
    m = re.match(r"(\d{4}-\d{2}-\d{2})", value or "")
    return _to_date(m.group(1)) if m else None


#: Hours between two places' clocks from which an evening in one can be the next day in the
#: other: a one-day gap between outlets that far apart can be a time-zone difference.
TIME_ZONE_MIN_HOURS = 3.0


@functools.lru_cache(maxsize=1)
def _country_zones() -> dict[str, tuple[str, ...]]:
    """A country's IANA time zones by its ISO 3166 code or English name, lower case (the
    ``tzdata`` package's ``zone.tab`` and ``iso3166.tab``); empty when they cannot be read."""
    from importlib import resources

    try:
        folder = resources.files("tzdata") / "zoneinfo"
        zone_lines = (folder / "zone.tab").read_text(encoding="utf-8").splitlines()
        name_lines = (folder / "iso3166.tab").read_text(encoding="utf-8").splitlines()
    except (ModuleNotFoundError, OSError):
        return {}
    zones: dict[str, list[str]] = {}
    for line in zone_lines:
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#"):
            zones.setdefault(fields[0].lower(), []).append(fields[2])
    out = {code: tuple(z) for code, z in zones.items()}
    for line in name_lines:
        fields = line.split("\t")
        if len(fields) >= 2 and not line.startswith("#") and fields[0].lower() in zones:
            out[fields[1].strip().lower()] = out[fields[0].lower()]
    return out


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> Any:
    """The IANA zone ``name`` from the ``tzdata`` package's own files — not the system's, which
    ``zoneinfo.ZoneInfo`` reads first: every machine then gives the same offsets; None when the
    package lacks it."""
    from importlib import resources
    from zoneinfo import ZoneInfo

    try:
        with resources.files("tzdata").joinpath("zoneinfo", *name.split("/")).open("rb") as data:
            return ZoneInfo.from_file(data, key=name)
    except (ModuleNotFoundError, OSError, ValueError):
        return None


@functools.lru_cache(maxsize=1024)
def utc_offsets(country: str, day: dt.date) -> tuple[float, float] | None:
    """The smallest and largest UTC offset, in hours, of ``country``'s clocks (its ISO code or
    English name) at noon on ``day`` (summer time included); None for a country not known."""
    hours = []
    for name in _country_zones().get(str(country).strip().lower(), ()):
        zone = _zone(name)
        if zone is None:
            continue
        try:
            offset = dt.datetime(day.year, day.month, day.day, 12, tzinfo=zone).utcoffset()
        except ValueError:
            continue
        if offset is not None:
            hours.append(offset.total_seconds() / 3600)
    return (min(hours), max(hours)) if hours else None


def _hours(offset: float) -> str:
    sign = "+" if offset >= 0 else "−"
    whole, minutes = divmod(round(abs(offset) * 60), 60)
    return f"UTC{sign}{whole}" + (f":{minutes:02d}" if minutes else "")


def _time_zone_note(side: list, others: list, country: dict, dateline: dict, day: dt.date,
                    named: dict | None = None) -> str:
    """Why a time zone can explain a one-day gap between ``side`` (rows giving one day) and
    ``others`` (rows giving the next or the day before), or "" when nothing shown does: outlets
    in countries whose clocks are at least :data:`TIME_ZONE_MIN_HOURS` apart, datelines that
    name different places on the two sides (a place in both — "LAKEPORT" on each side — is no
    ground), or else the happening's sentences (either side's) naming countries whose clocks are
    that far apart (``named``: (article_id, sent_id) → the places its sentence names; a call
    between two capitals is an evening in one and the next morning in the other)."""
    def clocks(rows: list) -> dict[str, tuple[float, float]]:
        found = {}
        for row in rows:
            place = country.get(row.article_id, "")
            if place and (span := utc_offsets(place, day)) is not None:
                found[place] = span
        return found

    mine, theirs = clocks(side), clocks(others)
    widest = max(((max(abs(a[1] - b[0]), abs(b[1] - a[0])), p, q) for p, a in mine.items() for q, b in theirs.items()),
                 default=None)
    if widest is not None and widest[0] >= TIME_ZONE_MIN_HOURS:
        hours, p, q = widest
        # the same words from either side (a happening's summary says each note once)
        first, second = sorted([_clock(p, mine[p]), _clock(q, theirs[q])])
        return (f"one day apart (outlets in {first} and {second}: up to {hours:g} hours apart): an evening in "
                "one is the next day in the other, so a time-zone difference can explain it")

    def places(rows: list) -> set[str]:
        return {p.strip() for row in rows for p in dateline.get(row.article_id, "").upper().split("/") if p.strip()}

    here, there = places(side), places(others)
    if here and there and not here & there:
        first, second = sorted([", ".join(sorted(here)), ", ".join(sorted(there))])
        return (f"one day apart, datelined in different places ({first} / {second}): if their clocks are hours "
                "apart, a time-zone difference can explain it")
    # countries by their names only: ISO codes are two letters, and a place a sentence names with
    # two letters is more often an abbreviation ("Va.", "Ga." of a state) than a country's code
    spans = {place: span for row in [*side, *others] for place in sorted((named or {}).get((row.article_id, row.sent_id), ()))
             if len(place.strip(" .")) > 2 and (span := utc_offsets(place, day)) is not None}
    widest = max(((max(abs(a[1] - b[0]), abs(b[1] - a[0])), p, q) for p, a in spans.items() for q, b in spans.items()
                  if p < q), default=None)
    if widest is not None and widest[0] >= TIME_ZONE_MIN_HOURS:
        hours, p, q = widest
        return (f"one day apart; the sentences name places whose clocks are up to {hours:g} hours apart "
                f"({_clock(p, spans[p])} and {_clock(q, spans[q])}): an evening in one is the next day in the "
                "other, so a time-zone difference can explain it")
    return ""


def _clock(name: str, span: tuple[float, float]) -> str:
    """A place and its clock: "Japan, UTC+9", "Brazil, UTC−5 to UTC−2"."""
    return f"{name}, {_hours(span[0])}" + (f" to {_hours(span[1])}" if span[1] != span[0] else "")


def _places_named(entities: pd.DataFrame | None, keys: set) -> dict:
    """(article_id, sent_id) → the places (GPE entities, by canonical name when there is one) the
    sentence names, for the sentences ``keys`` only."""
    if entities is None or entities.empty or not {"article_id", "sent_id", "text", "label"} <= set(entities.columns):
        return {}
    places = entities[entities["label"] == "GPE"]
    # a boolean array, not a list: an empty list would select no columns rather than no rows
    places = places.loc[np.fromiter((key in keys for key in zip(places["article_id"], places["sent_id"])),
                                    dtype=bool, count=len(places))]
    names = places["canonical"] if "canonical" in places.columns else places["text"]
    names = names.where(names.fillna("").astype(str) != "", places["text"]).fillna("").astype(str)
    named: dict = {}
    for key, name in zip(zip(places["article_id"], places["sent_id"]), names):
        if name:
            named.setdefault(key, set()).add(name)
    return named


def _conflict_notes(g: pd.DataFrame, places: tuple[dict, dict], sentence_text: dict,
                    named: dict | None = None) -> list[str]:
    """One note per row of a conflicting happening: what can explain the disagreement.

    * time zone: the sides are one day apart and their outlets' countries have clocks at least
      :data:`TIME_ZONE_MIN_HOURS` apart, or their datelines name different places, or the
      happening's sentences name countries that far apart (``named``; :func:`_time_zone_note`);
    * anchor: re-resolving this row's expression against the other side's anchor makes the two
      agree (a relative day read from a later article's publication date), or this row's
      anchor is not its own publication date (``anchor_source`` other than "published").
    Empty when neither applies (the words themselves differ). ``places``: (article_id → country,
    article_id → dateline).
    """
    country, dateline = places
    notes = []
    rows = list(g.itertuples(index=False))
    for r in rows:
        others = [o for o in rows if o.outlet != r.outlet and not values_compatible(o.value, r.value)]
        parts = []
        dr = _day_of(r.value)
        gaps = [abs((dr - do).days) for o in others if dr and (do := _day_of(o.value))]
        if gaps and min(gaps) == 1:
            side = [o for o in rows if values_compatible(o.value, r.value)]
            apart = [o for o in others if (do := _day_of(o.value)) and abs((dr - do).days) == 1]
            if note := _time_zone_note(side, apart, country, dateline, dr, named):
                parts.append(note)
        text = sentence_text.get((r.article_id, r.sent_id), "")
        for o in others:
            if o.anchor and o.anchor != r.anchor and text:
                again = [x for x in find_temporal_expressions(text, anchor=_to_date(o.anchor))
                         if x.expression == r.expression]
                if again and values_compatible(again[0].value, o.value):
                    parts.append(f"anchor difference: read against {o.anchor} ({o.outlet}'s anchor) instead of "
                                 f"{r.anchor}, '{r.expression}' is {again[0].value}, as {o.outlet} says")
                    break
        if r.anchor_source not in ("published", "embed"):
            parts.append(undated_note(r.anchor, r.anchor_source))
        notes.append("; ".join(parts))
    return notes


#: How an anchor note starts: the article gives no publication date (the note is the same for
#: several outlets: "Valley Post and Ridge Times: no publication date, so …").
UNDATED = "no publication date"


def undated_note(anchor: object, source: object) -> str:
    """The note for an article read against a date that is not its publication date, in plain
    words: which date its "Monday" or "yesterday" was read from, and where that date comes from
    (:func:`helpers.dates.tables.extract_dates`'s ``anchor_source``)."""
    if not anchor:
        return f"{UNDATED} and no other date to read days such as “Monday” from"
    where = {"event_earliest": "the earliest publication date of the event's other articles",
             "latest_mention": "the latest full date the article's text writes"}.get(str(source), str(source))
    return f"{UNDATED}, so days such as “Monday” are read from {describe_timex(str(anchor))}, {where}"


#: A day named only relative to its article's date ("Wednesday", "earlier today", "tomorrow")
#: reaches at most this many days from it: two such mentions in articles whose dates are this far
#: apart or more are not taken for one happening (two "Wednesdays" a week apart are two days).
DEICTIC_REACH_DAYS = 7

_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b\.?", re.I)
_YEAR_PATTERN = r"\b(?:1[5-9]\d\d|20\d\d)\b"
_YEAR_OR_NUMERIC_DATE = re.compile(rf"{_YEAR_PATTERN}|\b\d{{1,2}}[/.-]\d{{1,2}}(?:[/.-]\d{{2,4}})?\b")


def names_its_day(expression: str) -> bool:
    """Whether a date expression names its day outright — a month ("Aug. 9", "9 August"), a year
    or a numeric date ("8/9") — rather than relative to its article's date ("Monday", "earlier
    today", "tomorrow night")."""
    return bool(_MONTH_NAME.search(expression) or _YEAR_OR_NUMERIC_DATE.search(expression))


#: A day named by its month but no year ("June 19th") takes its year from its article's date:
#: two such mentions in articles this many days apart or more may be of two years.
YEARLESS_REACH_DAYS = 183

# a year written out, alone or in a numeric date ("8/9/2021")
_YEAR = re.compile(rf"{_YEAR_PATTERN}|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b")


def reach_days(expression: str) -> int | None:
    """How far from its article's date a date expression can reach: :data:`DEICTIC_REACH_DAYS` for
    a day named relative to it ("Monday", "earlier today"), :data:`YEARLESS_REACH_DAYS` for a day
    named without its year ("June 19th", "Aug. 9"), None (no limit) when the year is written."""
    if not names_its_day(expression):
        return DEICTIC_REACH_DAYS
    return None if _YEAR.search(expression) else YEARLESS_REACH_DAYS


def _anchors_apart(a: dt.date | None, b: dt.date | None, reach: int | None) -> bool:
    """Whether two mentions' anchors (their articles' dates) are too far apart for a mention that
    reaches ``reach`` days from its anchor (:func:`reach_days`; the shorter of the two) to be of the
    other's happening. Unknown anchors, or two dates with their years, are never too far apart."""
    return reach is not None and a is not None and b is not None and abs((a - b).days) >= reach


def date_conflicts(
    dates: pd.DataFrame,
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    fact_groups: pd.DataFrame | None = None,
    similarity_threshold: float = 0.3,
    nlp: Any = None,
    entities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The same happening dated differently by different outlets.

    Inputs: ``dates`` (from :func:`extract_dates`), ``sentences`` (article_id, sent_id,
    start, text), ``articles`` (article_id, outlet, text; optional event, country, dateline);
    ``fact_groups`` (article_id, sent_id, fact_id) from elsewhere, or None to group date-bearing
    sentences by TF-IDF cosine similarity >= ``similarity_threshold`` (dates blanked out, with
    their neighbouring sentences, within an event); ``nlp`` a spaCy pipeline with a parser
    (default: :func:`helpers.annotate.nlp.load_model`); ``entities`` (article_id, sent_id, text,
    label, optional canonical) or None: the places (GPE) each sentence names, for the time-zone
    note of a happening whose sentences name countries hours apart.

    Two dated mentions are about the same happening when their sentences are in the same fact
    group AND the dates attach to the same happening (:func:`event_words`,
    :func:`same_happening`): "the phone call on Monday" and "telephoned on Tuesday" are one,
    "said on Wednesday" and "broke out on Tuesday night" are not; a day named relative to its
    article's date ("Wednesday", "earlier today") is of no happening in an article dated a week
    or more apart (:data:`DEICTIC_REACH_DAYS`), nor a day named without its year ("June 19th") in
    an article dated half a year or more apart (:data:`YEARLESS_REACH_DAYS`). Only day-precise values count
    (a day, a part of a day, a clock time, an unresolved weekday) and a date in a dateline
    ("DUNMORE, Oct. 6 —") is a publication date, not an event date. A happening conflicts
    when two outlets give values that cannot denote the same day (:func:`values_compatible`).

    Output columns :data:`CONFLICT_COLUMNS` + :data:`CONFLICT_EXTRA_COLUMNS`, one row per
    dated mention of a conflicting happening: ``when`` the value in words
    (:func:`describe_timex`), ``happening`` the event words both sides share or that name it
    ("call; conversation; telephone"), ``note`` what can explain the disagreement
    (:func:`_conflict_notes`: a time zone, an anchor) and an embedded post of the event that dates
    the happening itself, with the side it agrees with (:func:`_post_note`), "" when nothing does. Sorted by
    fact_id, happening, value, article_id.
    """
    columns = CONFLICT_COLUMNS + CONFLICT_EXTRA_COLUMNS
    merged = _facts_with_dates(dates, sentences, articles, fact_groups, similarity_threshold)
    if merged is None or merged.empty:
        return pd.DataFrame(columns=columns)
    texts = articles.drop_duplicates("article_id").set_index("article_id")["text"] if "text" in articles else None
    day = merged["value"].astype(str).str.match(_EVENT_DAY_RE)
    if texts is not None:
        in_dateline = [_in_dateline(texts.get(a, "") or "", s, e) if isinstance(texts.get(a, ""), str) else False
                       for a, s, e in zip(merged["article_id"], merged["start"], merged["end"])]
        day &= ~np.asarray(in_dateline, dtype=bool)
    merged = merged[day]
    # cheap first pass: facts where two outlets give incompatible values at all
    candidates = []
    for fid, g in merged.groupby("fact_id", sort=True):
        if g["outlet"].nunique() < 2:
            continue
        distinct = g[["outlet", "value"]].drop_duplicates()
        vals, outs = distinct["value"].tolist(), distinct["outlet"].tolist()
        if any(outs[i] != outs[j] and not values_compatible(vals[i], vals[j])
               for i in range(len(vals)) for j in range(i + 1, len(vals))):
            candidates.append(g)
    if not candidates:
        return pd.DataFrame(columns=columns)
    cand = pd.concat(candidates).sort_values(["fact_id", "article_id", "sent_id", "start"], kind="stable")
    sent = sentences.drop_duplicates(["article_id", "sent_id"]).set_index(["article_id", "sent_id"])
    keys = list(dict.fromkeys(zip(cand["article_id"], cand["sent_id"])))
    sentence_text = {k: (sent.at[k, "text"] if isinstance(sent.at[k, "text"], str) else "") for k in keys}
    sentence_start = {k: int(sent.at[k, "start"]) for k in keys}
    if nlp is None:
        from helpers.annotate.nlp import load_model
        nlp = load_model()
    docs = dict(zip(keys, nlp.pipe([sentence_text[k] for k in keys])))
    posts = _dated_posts(dates, sentences, articles, nlp)
    cand = cand.assign(_words=[
        event_words(docs[(a, s)], st - sentence_start[(a, s)], en - sentence_start[(a, s)])
        for a, s, st, en in zip(cand["article_id"], cand["sent_id"], cand["start"], cand["end"])])
    info = articles.drop_duplicates("article_id").set_index("article_id")
    event_of = info["event"].fillna("").astype(str).to_dict() if "event" in info else {}
    places = tuple((info[c].fillna("").astype(str).to_dict() if c in info else {}) for c in ("country", "dateline"))
    named = _places_named(entities, set(zip(cand["article_id"], cand["sent_id"])))
    rows = []
    for fid, g in cand.groupby("fact_id", sort=True):
        g = g.reset_index(drop=True)
        parent = list(range(len(g)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        words, arts = g["_words"].tolist(), g["article_id"].tolist()
        anchors = [_to_date(a) for a in g["anchor"]]
        reach = [reach_days(str(e)) for e in g["expression"]]
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                shorter = min((r for r in (reach[i], reach[j]) if r is not None), default=None)
                if (arts[i] != arts[j] and not _anchors_apart(anchors[i], anchors[j], shorter)
                        and same_happening(words[i], words[j])):
                    parent[find(i)] = find(j)
        comp = [find(i) for i in range(len(g))]
        for c in dict.fromkeys(comp):
            h = g[[x == c for x in comp]]
            if h["article_id"].nunique() < 2 or h["outlet"].nunique() < 2:
                continue
            distinct = h[["outlet", "value"]].drop_duplicates()
            vals, outs = distinct["value"].tolist(), distinct["outlet"].tolist()
            if not any(outs[i] != outs[j] and not values_compatible(vals[i], vals[j])
                       for i in range(len(vals)) for j in range(i + 1, len(vals))):
                continue
            counts: dict[str, int] = {}
            for ws in h["_words"]:
                for w in ws:
                    counts[w] = counts.get(w, 0) + 1
            shared = sorted(w for w, n in counts.items() if n >= 2) or sorted(counts)
            h = h.assign(happening="; ".join(shared), when=h["value"].map(describe_timex))
            h = h.assign(note=_conflict_notes(h, places, sentence_text, named))
            if post_note := _post_note(h, posts, event_of):
                h = h.assign(note=[f"{n}; {post_note}" if n else post_note for n in h["note"]])
            rows.append(h)
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows)
    out = out.assign(happening_id=out["fact_id"] + "/" + out.groupby(["fact_id", "happening"], sort=False).ngroup().astype(str))
    out = out[columns].astype({"sent_id": "int64"})
    return out.sort_values(["fact_id", "happening", "value", "article_id"], kind="stable").reset_index(drop=True)


def _dated_posts(dates: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame, nlp: Any) -> pd.DataFrame:
    """The day-precise dates inside embedded social posts (``anchor_source`` "embed": read
    against the post's own date), one row per (event, expression, value), with the outlets
    that carry the post and the event words the date attaches to (``words``). A post is a
    primary source's own words, left out of the comparison itself (the same text in every
    outlet carrying it) but evidence of when its happening took place."""
    columns = ["event", "expression", "value", "anchor", "outlets", "words"]
    if "anchor_source" not in dates.columns:
        return pd.DataFrame(columns=columns)
    d = dates[(dates["anchor_source"] == "embed") & dates["type"].isin(["DATE", "TIME"]) & (dates["sent_id"] >= 0)]
    d = d[d["value"].astype(str).str.match(_EVENT_DAY_RE)]
    if d.empty:
        return pd.DataFrame(columns=columns)
    info = articles.drop_duplicates("article_id").set_index("article_id")
    texts = info["text"] if "text" in info else None
    if texts is not None:  # a post's own date line ("August 9, 2021") dates the post, not a happening
        keep = [not _in_dateline(texts.get(a, "") or "", st, en) for a, st, en in zip(d["article_id"], d["start"], d["end"])]
        d = d[np.asarray(keep, dtype=bool)]
    sent = sentences.drop_duplicates(["article_id", "sent_id"]).set_index(["article_id", "sent_id"])
    keys = [k for k in dict.fromkeys(zip(d["article_id"], d["sent_id"])) if k in sent.index]
    d = d[[k in set(keys) for k in zip(d["article_id"], d["sent_id"])]]
    if d.empty:
        return pd.DataFrame(columns=columns)
    text = {k: str(sent.at[k, "text"]) for k in keys}
    docs = dict(zip(keys, nlp.pipe([text[k] for k in keys])))
    words = [event_words(docs[(a, sid)], st - int(sent.at[(a, sid), "start"]), en - int(sent.at[(a, sid), "start"]))
             for a, sid, st, en in zip(d["article_id"], d["sent_id"], d["start"], d["end"])]
    outlet = info["outlet"].fillna("").astype(str) if "outlet" in info else pd.Series(dtype=str)
    event = info["event"].fillna("").astype(str) if "event" in info else pd.Series(dtype=str)
    found: dict[tuple[str, str, str], dict] = {}
    for a, expression, value, anchor, ws in zip(d["article_id"], d["expression"], d["value"], d["anchor"], words):
        if not ws:
            continue
        key = (event.get(a, ""), str(expression), str(value))
        row = found.setdefault(key, {"event": key[0], "expression": key[1], "value": key[2], "anchor": str(anchor),
                                     "outlets": [], "words": set()})
        if (o := outlet.get(a, "") or a) not in row["outlets"]:
            row["outlets"].append(o)
        row["words"] |= set(ws)
    return pd.DataFrame(list(found.values()), columns=columns)


def _post_note(happening: pd.DataFrame, posts: pd.DataFrame, event_of: dict) -> str:
    """A note for a conflicting happening that an embedded post dates: the post's words and day,
    and which side says the same ("an embedded post dated Mon 9 Mar 2030 (carried by A and B)
    dates it “Earlier today”: Mon 9 Mar 2030, as C says"). "" when no post of the event dates
    this happening (its date attaches to the same happening, :func:`same_happening`, and is less
    than :data:`DEICTIC_REACH_DAYS` from a day a side gives)."""
    from helpers.compare.findings.common import join_names

    if posts.empty:
        return ""
    events = {event_of.get(a, "") for a in happening["article_id"]}
    words = [set(ws) for ws in happening["_words"]]
    days = [d for d in (_day_of(str(v)) for v in happening["value"]) if d]
    for post in posts.itertuples(index=False):
        if post.event not in events or not any(same_happening(post.words, ws) for ws in words):
            continue
        # a post dating a day far from every side's is about another time (a topic's other year)
        post_day = _day_of(post.value)
        if post_day is None or not any(abs((post_day - d).days) < DEICTIC_REACH_DAYS for d in days):
            continue
        agreeing = list(dict.fromkeys(o for o, v in zip(happening["outlet"], happening["value"])
                                      if values_compatible(str(v), post.value)))
        side = f", as {join_names(agreeing)} {'say' if len(agreeing) > 1 else 'says'}" if agreeing else ""
        return (f"an embedded post dated {describe_timex(post.anchor)} (carried by {join_names(post.outlets)}) "
                f"dates it “{post.expression}”: {describe_timex(post.value)}{side}")
    return ""


def event_timeline(
    dates: pd.DataFrame,
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    fact_groups: pd.DataFrame | None = None,
    similarity_threshold: float = 0.3,
    conflicts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Facts reported by several articles, each with the date each article gives it.

    Same inputs as :func:`date_conflicts`, plus ``conflicts`` (its output, optional). Output
    ``timeline`` columns :data:`EVENT_TIMELINE_COLUMNS` + ``when, happening_id`` (the value is
    the first DATE/TIME expression of the article's sentence for the fact; ``sentence`` its
    text; ``when`` the value in words, :func:`describe_timex`; ``dated_words`` the words around the
    dated expression (:func:`words_around`), the chart's row label; ``happening_id`` the row the
    chart puts it on: the conflict's happening when the sentence dates one, so "Monday" and
    "Tuesday" for one call share a row, else the fact_id). Sorted by value, fact_id,
    article_id; unresolved values sort after resolved ones.
    """
    columns = EVENT_TIMELINE_COLUMNS + ["when", "happening_id", "dated_words"]
    merged = _facts_with_dates(dates, sentences, articles, fact_groups, similarity_threshold)
    if merged is None or merged.empty:
        return pd.DataFrame(columns=columns)
    key = merged.sort_values(["fact_id", "article_id", "sent_id", "start"]).drop_duplicates(["fact_id", "article_id"])
    if conflicts is not None and len(conflicts) and "happening_id" in conflicts:
        # the conflict's own dated mention replaces the fact's first date, on the happening's row
        hap = conflicts.drop_duplicates(["article_id", "sent_id"])
        # dicts, not Series.get on a two-level index: one lookup per dated fact sentence
        hap_id = dict(zip(zip(hap["article_id"], hap["sent_id"]), hap["happening_id"]))
        hap_value = dict(zip(zip(hap["article_id"], hap["sent_id"]), hap["value"]))
        ids = [hap_id.get((a, s), "") for a, s in zip(key["article_id"], key["sent_id"])]
        vals = [hap_value.get((a, s), v) for a, s, v in zip(key["article_id"], key["sent_id"], key["value"])]
        hap_expr = dict(zip(zip(hap["article_id"], hap["sent_id"]), hap["expression"]))
        exprs = [hap_expr.get((a, s), e) for a, s, e in zip(key["article_id"], key["sent_id"], key["expression"])]
        key = key.assign(happening_id=ids, value=vals, expression=exprs)
        seen = set(zip(key["article_id"], key["sent_id"]))
        extra = conflicts[[(a, s) not in seen for a, s in zip(conflicts["article_id"], conflicts["sent_id"])]]
        if len(extra):
            key = pd.concat([key, extra.drop_duplicates(["article_id", "sent_id"])[
                ["fact_id", "article_id", "sent_id", "outlet", "value", "happening_id", "expression"]]], ignore_index=True)
    else:
        key = key.assign(happening_id="")
    key["happening_id"] = np.where(key["happening_id"].astype(str) == "", key["fact_id"], key["happening_id"])
    unique = sentences.drop_duplicates(["article_id", "sent_id"])
    text = dict(zip(zip(unique["article_id"], unique["sent_id"]), unique["text"]))
    key = key.assign(sentence=[text.get((a, s), "") for a, s in zip(key["article_id"], key["sent_id"])],
                     when=key["value"].map(describe_timex))
    key["dated_words"] = [words_around(t, str(e)) for t, e in zip(key["sentence"], key["expression"].fillna(""))]
    key = key.assign(_unres=key["value"].str.contains("X"))
    out = key.sort_values(["_unres", "value", "fact_id", "article_id"], kind="stable")[columns]
    return out.reset_index(drop=True)


def words_around(sentence: str, expression: str, *, n_words: int = 4) -> str:
    """The words of ``sentence`` around the dated ``expression`` — up to ``n_words`` on each side,
    "…" where the sentence goes on: what the date is the date of ("… fire destroyed its roof on
    Monday, along with two barns …" in "Earlier in the day, the council said the mill was safe
    after fire destroyed …"), where the sentence's first words may be about something else. The sentence's start when the expression is not in it."""
    at = sentence.find(expression) if expression else -1
    if at < 0:
        words = sentence.split()
        return " ".join(words[:2 * n_words]) + (" …" if len(words) > 2 * n_words else "")
    before = sentence[:at].split()
    rest = sentence[at + len(expression):]
    attached = re.match(r"\S*", rest).group()  # what follows with no space: "Monday," keeps its comma
    after = rest[len(attached):].split()
    left = ("… " if len(before) > n_words else "") + " ".join(before[-n_words:] if n_words else [])
    right = " ".join(after[:n_words]) + (" …" if len(after) > n_words else "")
    return " ".join(part for part in (left, expression + attached, right) if part)


def describe_conflicts(conflicts: pd.DataFrame) -> str:
    """The date disagreements in a few sentences, computed from ``conflicts`` (the output of
    :func:`date_conflicts`): for each happening, which outlets give which day (in words) and the
    notes on what can explain it. Returns plain text (one paragraph per happening; a single
    sentence when there is no disagreement)."""
    if conflicts is None or len(conflicts) == 0:
        return "No two outlets date the same happening differently."
    key = "happening_id" if "happening_id" in conflicts else "fact_id"
    paragraphs = []
    for _, g in conflicts.groupby(key, sort=True):
        sides = []
        for value, h in g.groupby("value", sort=True):
            outlets = ", ".join(dict.fromkeys(h["outlet"].astype(str)))
            exprs = ", ".join(f"'{e}'" for e in dict.fromkeys(h["expression"].astype(str)))
            sides.append(f"{outlets} ({exprs}): {describe_timex(value)}")
        what = g["happening"].iloc[0] if "happening" in g and g["happening"].iloc[0] else ""
        # Each row's note holds its side's parts ("one day apart …; anchored on …"): each part once,
        # an anchor part with the outlets it concerns.
        parts: dict[str, list[str]] = {}
        for outlet, note in zip(g["outlet"].astype(str), g["note"].astype(str) if "note" in g else []):
            for part in (p.strip() for p in note.split("; ") if p.strip()):
                parts.setdefault(part, [])
                if part.startswith(UNDATED) and outlet not in parts[part]:
                    parts[part].append(outlet)
        notes = [(f"{', '.join(who)}: {part}" if who else part) for part, who in parts.items()]
        text = (f"About the {what.split('; ')[0]}: " if what else "") + " vs ".join(sides) + "."
        if notes:
            text += " What can explain it: " + "; ".join(notes) + "."
        else:
            text += (" No time-zone or anchor difference the outlets' countries, datelines and dates show "
                     "explains it: the outlets' words differ.")
        # Wrapped here: the notebook prints it as plain text, which would otherwise break mid-word.
        paragraphs.append(textwrap.fill(text, 110, break_long_words=False, break_on_hyphens=False))
    n = len(paragraphs)
    return f"{n} happening{'s' if n != 1 else ''} dated differently by different outlets:\n\n" + "\n\n".join(paragraphs)
