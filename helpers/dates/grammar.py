"""Temporal expressions: find, type and normalise them to TIMEX3-style values.

A rule-based extractor in the spirit of HeidelTime/SUTime: a small regex grammar
(precompiled once) proposes candidate spans, each candidate is normalised by its
rule, and overlapping candidates are settled longest-first. No spaCy call is made per
expression; the tense that decides which way a weekday or a year-less date points is
taken from a light verb heuristic on the surrounding sentence.

Values follow TIMEX3: ``2021-08-09``, ``2021-08``, ``2021-W32``, ``2021-W31-WE``,
``2021``, ``199`` (the 1990s), ``2021-Q3``, ``2021-SU``, ``2021-08-10T17:00``,
``2021-08-10TMO``, ``P20Y``, ``PT5H``, ``PXD``, ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF``,
and with no anchor ``XXXX-08-31`` / ``XXXX-WXX-2`` (unresolved).

Known traps of off-the-shelf parsers and what happens here:

* "on Tuesday" reported on a Tuesday: the same day (not a week back);
* "by August 31": deadline prepositions point forward, so the anchor's year;
* "in the 1990s": a decade (``199``), never "seconds ago";
* a bare "2001": the year ``2001``, no invented day or month;
* "Aug. 31": one expression (the dot belongs to the abbreviation);
* "We" is not Wednesday (weekday abbreviations need their dot), "may" is a modal
  (the month "May" must be capitalised and look like a date), "20-year" is a
  duration ``P20Y`` modifier, not a date.

TimeML (TempEval-3) conventions followed, each learnt from a class of errors on the dev part
of TimeBank/AQUAINT (``python -m helpers.evaluate dates PATH --group N`` lists them):

* company results: "a year ago", "the year-earlier period", "the quarter a year ago" are the
  same quarter of the year before (``1988-Q3``) when the nearest reporting-period word before
  them is "quarter"; "the (latest) quarter" is the quarter the text reports on (the ordinal
  quarter it names most often, else the last completed one); "this year's third quarter";
* "the year ended March 31" is ``P1Y``; "for the year" otherwise the anchor's year;
* "three days later/after/on": the DURATION "three days", without the direction word;
* decades and centuries as years (``P20Y``), "2 1/2 years" ``P2Y6M``; "recent months" ``PXM``;
* a clock time takes the weekday/date written after it ("noon Saturday");
* a year-less date a few weeks from the anchor is not pushed a year away by a weak tense cue;
* spoken years ("nineteen ninety-seven") in broadcast transcripts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Literal, NamedTuple, Sequence

import numpy as np
import pandas as pd
import yaml

TenseHint = Literal["auto", "past", "future", "present", "none"]

DATES_COLUMNS: list[str] = [
    "article_id", "sent_id", "start", "end", "expression", "type", "value",
    "anchor", "anchor_source", "resolved",
]
TIMELINE_COLUMNS: list[str] = ["article_id", "outlet", "published", "lag_days"]
CONFLICT_COLUMNS: list[str] = ["fact_id", "article_id", "outlet", "expression", "value", "anchor"]
EVENT_TIMELINE_COLUMNS: list[str] = ["fact_id", "article_id", "outlet", "value", "sentence"]


@dataclass(frozen=True)
class TemporalExpression:
    """One temporal expression found in a text.

    ``start``/``end`` are character offsets into the text given (``text[start:end] ==
    expression``); ``type`` is DATE, TIME, DURATION or SET; ``value`` is the TIMEX3-style
    normalised value; ``resolved`` is False when the value still holds unknown parts
    because no anchor was available (e.g. ``XXXX-WXX-2``); ``candidates`` lists other
    readings considered (e.g. the other direction of a weekday), best first excluded.
    """

    start: int
    end: int
    expression: str
    type: str
    value: str
    resolved: bool
    candidates: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- vocabulary

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
    "sunday": 7, "mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4,
    "fri": 5, "sat": 6, "sun": 7,
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a dozen": 12, "dozen": 12,
    "single": 1,
}
_VAGUE_NUMBERS = {"a few", "few", "several", "many", "some", "the few", "a number of", "numerous"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_UNITS = {
    "second": ("S", True), "minute": ("M", True), "hour": ("H", True), "day": ("D", False),
    "week": ("W", False), "fortnight": ("W", False), "month": ("M", False), "quarter": ("Q", False),
    "year": ("Y", False), "decade": ("DE", False), "century": ("CE", False),
    "centurie": ("CE", False), "weekend": ("WE", False),
}
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_SET_ADVERBS = {
    "hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
    "monthly": "P1M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y",
}

_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![A-Za-z])"
)
_WEEKDAY_RE = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon\.|Tues\.|Tue\.|Wed\.|Thurs\.|Thur\.|Thu\.|Fri\.)(?![A-Za-z])"
)
_UNIT_RE = r"(?:second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ie))"
_DIGITS_RE = r"\d{1,3}(?:,\d{3})*(?:\.\d+)?"
_NUMWORD_RE = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|a\s+hundred|one\s+hundred|hundred"
    r"|a\s+couple\s+of|a\s+couple|couple\s+of|a\s+dozen|dozen|single|an?)"
)
_NUM_RE = rf"(?:\d{{1,3}}\s+1/2(?!\d)|{_DIGITS_RE}|{_NUMWORD_RE}(?:\s+and\s+a\s+half)?)"
_VAGUE_RE = r"(?:a\s+few|few|several|many|some|a\s+number\s+of|numerous)"
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR_RE = r"(?:1[6-9]\d\d|20\d\d)"
_MOD_RE = (
    r"(?:more\s+than|less\s+than|fewer\s+than|nearly|almost|about|around|roughly|approximately"
    r"|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than|just\s+over|just\s+under)"
)

_F = re.IGNORECASE


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern
    handler: Callable[["re.Match", "_Context"], tuple[str, str, tuple[str, ...]] | None]


class _Trimmed(NamedTuple):
    """A handler's answer covering only part of its match (``start``/``end`` into the text)."""
    start: int
    end: int
    type: str
    value: str


@dataclass
class _Context:
    text: str
    anchor: dt.date | None
    tense_hint: str
    anchor_is_bound: bool
    cache: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- tense

_FUTURE_RE = re.compile(
    r"\b(?:will|won't|shall|'ll|going\s+to|plans?\s+to|planned\s+to|scheduled|expected\s+to"
    r"|due\s+to(?!\s+(?:the|a|an|his|her|its|their|this|that|these|those|higher|lower|strong|weak)\b)"
    r"|set\s+to|would|wants?\s+to|aims?\s+to|intends?\s+to|upcoming|next(?!\s+to\b))\b", _F)
_HAD_RE = re.compile(r"\bhad\s+(?:(?:been|previously|already)\s+)*$", _F)
_PAST_RE = re.compile(
    r"\b(?:was|were|had|did|said|told|met|spoke|took|began|came|went|made|gave|held|left|saw"
    r"|ago|earlier|last|[a-z]{2,}ed)\b", _F)
_PRESENT_RE = re.compile(
    r"\b(?:is|are|am|does|do|begins|ends|starts|expires|remains|closes|opens|runs|lasts|falls|comes|takes)\b", _F)
_BE_RE = re.compile(r"\b(?:be|been|being)\s+$", _F)
_SENT_BOUNDARY_RE = re.compile(r"[.!?][\"'”’)]*\s+(?=[A-Z\"“‘(])|\n")
_DEADLINE_RE = re.compile(r"\b(?:by|until|till|before|through|to)\s+(?:the\s+)?$", _F)
_PERFECT_RE = re.compile(r"\b(?:had|has|have)\b", _F)
_POSSESSIVE_RE = re.compile(r"['’]s\b")
_AHEAD_RE = re.compile(r"\bahead\s+of\s+$", _F)
_FROM_RE = re.compile(r"\bfrom\b", _F)
_SINCE_RE = re.compile(r"\b(?:since|from)\s+(?:the\s+)?$", _F)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - 300)
    s = lo
    for m in _SENT_BOUNDARY_RE.finditer(text, lo, start):
        s = m.end()
    hi = min(len(text), end + 300)
    m = _SENT_BOUNDARY_RE.search(text, end, hi)
    return s, (m.start() + 1 if m else hi)


def infer_tense(text: str, start: int, end: int) -> str:
    """Tense of the clause around ``text[start:end]``: "past", "future" or "none".

    The nearest tense marker (future: will/would/going to/plans to...; past: said/had/
    was/-ed verbs/ago) within the sentence wins; a deadline preposition right before the
    expression ("by", "until") counts as future. Pure string heuristic, no parser.
    """
    if _POSSESSIVE_RE.match(text, end):
        s, e = _sentence_bounds(text, start, end)
        if not _FUTURE_RE.search(text, s, e) and not _AHEAD_RE.search(text, max(s, start - 12), start):
            return "past"  # "Friday's purchases", "Wednesday's ruling": a day that has happened
    dl = _DEADLINE_RE.search(text, max(0, start - 12), start)
    if dl and not _PERFECT_RE.search(text, max(0, start - 60), start) and not (
            dl.group(0).lower().startswith("to") and _FROM_RE.search(text, max(0, start - 40), dl.start())):
        return "future"  # "by Friday", "until Friday" -- but "from Sept. 14 to Thursday" is a range
    s, e = _sentence_bounds(text, start, end)
    best: tuple[int, str] | None = None
    for regex, label in ((_FUTURE_RE, "future"), (_PAST_RE, "past"), (_PRESENT_RE, "none")):
        for m in regex.finditer(text, s, e):
            if start <= m.start() < end:
                continue
            if label == "past" and _BE_RE.search(text, max(0, m.start() - 7), m.start()):
                continue  # "will be held": a participle, not a past tense
            found = label
            if label == "future" and _HAD_RE.search(text, max(0, m.start() - 30), m.start()):
                found = "past"  # "had been due to expire Friday": a plan made in the past
            dist = start - m.end() if m.end() <= start else m.start() - end
            # a marker before the expression binds a little tighter than one after it
            dist = dist if m.end() <= start else dist + 5
            if best is None or dist < best[0]:
                best = (dist, found)
    return best[1] if best else "none"  # present tense counts as no direction


# --------------------------------------------------------------------------- helpers

def _num(token: str) -> float | None:
    """Number from digits or English number words; None for vague quantities."""
    t = re.sub(r"\s+", " ", token.strip().lower())
    if t in _VAGUE_NUMBERS:
        return None
    half = 0.0
    if t.endswith(" and a half"):
        half, t = 0.5, t[: -len(" and a half")]
    elif t.endswith(" 1/2"):
        half, t = 0.5, t[: -len(" 1/2")]
    t = t.replace(",", "")
    try:
        return float(t) + half
    except ValueError:
        pass
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS[t] + half
    total = 0
    for part in re.split(r"[\s-]+", t):
        if part == "hundred":
            total = max(total, 1) * 100
        elif part in _NUMBER_WORDS:
            total += _NUMBER_WORDS[part]
        else:
            return None
    return total + half


def _fmt_num(n: float | None) -> str:
    if n is None:
        return "X"
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


def _duration(n: float | None, unit_word: str) -> str:
    unit = unit_word.lower().rstrip("s")
    if unit.endswith("ie"):
        unit = "centurie"
    code, is_time = _UNITS.get(unit, ("X", False))
    if code == "Q":
        return f"P{_fmt_num(n * 3 if n is not None else None)}M"
    if code in ("DE", "CE") and n is not None:
        # TimeML writes "two decades" as P20Y, "a century" as P100Y
        return f"P{_fmt_num(n * (10 if code == 'DE' else 100))}Y"
    if n is not None and not float(n).is_integer() and n > 1 and float(n * 2).is_integer() and code in ("Y", "H", "D"):
        # "2 1/2 years" = P2Y6M, "5 1/2 hours" = PT5H30M, "1 1/2 days" = P1DT12H
        whole = int(n)
        return {"Y": f"P{whole}Y6M", "H": f"PT{whole}H30M", "D": f"P{whole}DT12H"}[code]
    if n is not None and not float(n).is_integer():
        # half units: go one unit down where TIMEX3 allows it
        down = {"Y": (12, "M"), "D": (24, "H"), "H": (60, "M"), "W": (7, "D"), "M": (None, None)}
        mult, sub = down.get(code, (None, None))
        if mult and not is_time and code in ("Y", "W"):
            return f"P{_fmt_num(n * mult)}{sub}"
        if mult and (is_time or code == "D"):
            return f"PT{_fmt_num(n * mult)}{sub}"
    return f"PT{_fmt_num(n)}{code}" if is_time else f"P{_fmt_num(n)}{code}"


def _month_of(token: str) -> int:
    return _MONTHS[token.rstrip(".").lower()]


def _weekday_of(token: str) -> int:
    return _WEEKDAYS[token.rstrip(".").lower()]


def _valid(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(d: dt.date, n: int) -> tuple[int, int]:
    idx = d.year * 12 + (d.month - 1) + n
    return idx // 12, idx % 12 + 1


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _direction(ctx: _Context, m: re.Match, default: str) -> str:
    hint = ctx.tense_hint
    if hint == "auto":
        hint = infer_tense(ctx.text, m.start(), m.end())
    if hint in ("past", "future"):
        return hint
    return default


def _resolve_weekday(wd: int, ctx: _Context, m: re.Match, modifier: str = "") -> tuple[str, tuple[str, ...]]:
    a = ctx.anchor
    if a is None:
        return f"XXXX-WXX-{wd}", ()
    back = a - dt.timedelta(days=(a.isoweekday() - wd) % 7)
    fwd = a + dt.timedelta(days=(wd - a.isoweekday()) % 7)
    mod = modifier.lower()
    if mod == "last":
        best = back if back != a else a - dt.timedelta(days=7)
    elif mod in ("next", "coming"):
        best = fwd if fwd != a else a + dt.timedelta(days=7)
    elif mod == "this":
        best = a + dt.timedelta(days=wd - a.isoweekday())
    elif ctx.anchor_is_bound and ctx.tense_hint == "auto":
        # the anchor is only a lower bound on publication: take the nearest such day
        best = fwd if (fwd - a) < (a - back) else back
    else:
        best = fwd if _direction(ctx, m, "past") == "future" else back
    other = fwd if best == back else back
    return best.isoformat(), ((other.isoformat(),) if other != best else ())


def _pick_year(month: int, day: int | None, ctx: _Context, m: re.Match) -> tuple[str, tuple[str, ...]]:
    """Year for a year-less month(-day): tense decides the side, else the nearest."""
    a = ctx.anchor
    if a is None:
        return (f"XXXX-{month:02d}-{day:02d}" if day else f"XXXX-{month:02d}"), ()
    cands: list[tuple[dt.date, str]] = []
    for y in (a.year - 1, a.year, a.year + 1):
        if day:
            d = _valid(y, month, day)
            if d is None and month == 2 and day == 29:
                continue
            if d is None:
                continue
            cands.append((d, d.isoformat()))
        else:
            cands.append((dt.date(y, month, 15), f"{y}-{month:02d}"))
    if not cands:
        return (f"XXXX-{month:02d}-{day:02d}" if day else f"XXXX-{month:02d}"), ()
    direction = _direction(ctx, m, "none")
    if day:
        past = [c for c in cands if c[0] <= a]
        fut = [c for c in cands if c[0] >= a]
    else:
        am = (a.year, a.month)
        past = [c for c in cands if (c[0].year, c[0].month) <= am]
        fut = [c for c in cands if (c[0].year, c[0].month) >= am]
    ref = a if day else dt.date(a.year, a.month, 15)
    nearest = min(cands, key=lambda c: (abs((c[0] - ref).days), c[0] > ref))
    if direction == "past" and past:
        best = max(past)
    elif direction == "future" and fut:
        best = min(fut)
    else:
        best = nearest
    if abs((best[0] - ref).days) > 270 and abs((nearest[0] - ref).days) <= 75:
        # the tense guess is weak evidence against a date a few weeks away: "payable
        # Dec. 1 to holders of record Nov. 10" written in late October is this year's
        best = nearest
    others = tuple(c[1] for c in sorted(cands, key=lambda c: abs((c[0] - a).days)) if c[1] != best[1])[:1]
    return best[1], others


# --------------------------------------------------------------------------- reporting periods
# Company results compare "the quarter" with "a year ago": in such text TimeBank-style values
# are quarters ("a year earlier" = the same quarter of the year before), not bare years.

_QUARTER_MENTION_RE = re.compile(
    r"\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?quarter\b"
    r"(?:\s+of\s+(?:fiscal\s+)?(?P<y>(?:1[6-9]|20)\d\d)\b)?", re.IGNORECASE)
_PERIOD_CUE_RE = re.compile(
    r"(?<!\w)(?<!three-)quarter(?:ly)?\b(?![\s-]+(?:century|mile|point|of\s+an?\b|to[\s-]+quarter))|\b(?:nine|six)\s+months\b|\b(?:first|second)[\s-]+half\b|\bfiscal\s+(?:year|(?:19|20)\d\d)\b"
    r"|\bfull[\s-]+year\b|\bthe\s+year\b|\bannual\b", re.IGNORECASE)
_Q_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def _quarter_mentions(ctx: "_Context") -> list[tuple[int, int, int]]:
    """(position, year, quarter) of every ordinal quarter written in the text, cached."""
    got = ctx.cache.get("quarters")
    if got is None:
        got = []
        a = ctx.anchor
        for m in _QUARTER_MENTION_RE.finditer(ctx.text):
            q = _Q_WORDS[m.group("q").lower()]
            if m.group("y"):
                y = int(m.group("y"))
            elif a is not None:
                y = a.year if q <= (a.month - 1) // 3 + 1 else a.year - 1
            else:
                continue
            got.append((m.start(), y, q))
        ctx.cache["quarters"] = got
    return got


def _reported_quarter(ctx: "_Context", pos: int) -> tuple[int, int] | None:
    """The quarter a results report is about: the ordinal quarter written most often in the
    text (ties: the first written), else the last quarter completed before the anchor."""
    mentions = _quarter_mentions(ctx)
    if mentions:
        counts: dict[tuple[int, int], int] = {}
        for _, y, q in mentions:
            counts[(y, q)] = counts.get((y, q), 0) + 1
        return max(counts, key=lambda k: counts[k])  # dicts keep first-seen order for ties
    a = ctx.anchor
    if a is None:
        return None
    q = (a.month - 1) // 3  # last completed quarter, 0 = last year's fourth
    return (a.year, q) if q else (a.year - 1, 4)


def _in_quarter_context(ctx: "_Context", pos: int, window: int = 400) -> bool:
    """True when the nearest reporting-period word before ``pos`` names a quarter."""
    last = None
    for m in _PERIOD_CUE_RE.finditer(ctx.text, max(0, pos - window), pos):
        last = m
    return last is not None and last.group(0).lower().startswith("quarter")


def _year_ago_value(ctx: "_Context", pos: int, quarter: bool | None = None, q: int | None = None) -> str:
    """Value of "a year ago" / "the year-earlier quarter": last year, or the quarter a year
    before the reported one when the text is about quarterly results."""
    a = ctx.anchor
    if quarter is None:
        quarter = q is not None or _in_quarter_context(ctx, pos)
    if quarter:
        rq = _reported_quarter(ctx, pos)
        if rq is not None:
            return f"{rq[0] - 1}-Q{q or rq[1]}"
        return f"XXXX-Q{q}" if q else "XXXX-QX"
    return str(a.year - 1) if a else "XXXX"


def _h_year_ago_period(m: re.Match, ctx: "_Context"):
    g = m.groupdict()
    q = _Q_WORDS.get((g.get("yq") or "").lower())
    noun = (g.get("noun") or "").lower()
    quarter = True if (noun == "quarter" or q) else None
    return "DATE", _year_ago_value(ctx, m.start(), quarter, q), ()


def _h_year_quarter(m: re.Match, ctx: "_Context"):
    """"this year's third quarter", "last year's quarter", "the 1988 period"."""
    g = m.groupdict()
    a = ctx.anchor
    if g.get("qyear"):
        y: int | None = int(g["qyear"])
    else:
        off = {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
        y = a.year + off if a else None
    q = _Q_WORDS.get((g.get("oq") or "").lower())
    if q is None:
        if (g.get("pnoun") or "").lower() == "period" and not _in_quarter_context(ctx, m.start()):
            return None
        rq = _reported_quarter(ctx, m.start())
        q = rq[1] if rq else None
    if y is None or q is None:
        return "DATE", f"{y if y else 'XXXX'}-Q{q if q else 'X'}", ()
    return "DATE", f"{y}-Q{q}", ()


def _h_the_quarter(m: re.Match, ctx: "_Context"):
    word = (m.group("qmod") or "").lower().strip()
    if word == "current":
        return "DATE", _period_value("quarter", ctx, 0), ()
    if m.group("pnoun2") and m.group("pnoun2").lower() == "period" and not _in_quarter_context(ctx, m.start()):
        return None
    rq = _reported_quarter(ctx, m.start())
    return "DATE", (f"{rq[0]}-Q{rq[1]}" if rq else "XXXX-QX"), ()


# --------------------------------------------------------------------------- handlers
# Each returns (type, value, candidates) or None to reject the candidate.

def _h_full_date(m: re.Match, ctx: _Context):
    g = m.groupdict()
    month = _month_of(g["month"])
    day = int(re.match(r"\d+", g["day"]).group()) if g.get("day") else None
    if g.get("year"):
        y = int(g["year"])
        if day:
            d = _valid(y, month, day)
            return ("DATE", d.isoformat(), ()) if d else None
        return "DATE", f"{y}-{month:02d}", ()
    if day is None:
        return None
    if _valid(2000, month, day) is None:
        return None
    value, cands = _pick_year(month, day, ctx, m)
    return "DATE", value, cands


_MAY_CONTEXT_RE = re.compile(
    r"\b(?:in|since|of|until|till|by|from|through|during|last|next|this|early|late|mid|and|or|to|before|after)[\s-]+$",
    _F)


def _h_month(m: re.Match, ctx: _Context):
    tok = m.group("month")
    if not tok[0].isupper():
        return None
    if tok.rstrip(".").lower() in ("may", "march") or "." not in tok and len(tok) <= 4:
        # "May"/"March"/"Jan" alone: only as a month when a date-ish word precedes it
        if not _MAY_CONTEXT_RE.search(ctx.text, max(0, m.start("month") - 12), m.start("month")):
            return None
    month = _month_of(tok)
    mod = (m.group("mod") or "").lower()
    a = ctx.anchor
    if mod in ("last", "next", "this") and a is not None:
        if mod == "this":
            y = a.year
        elif mod == "last":
            y = a.year if month < a.month else a.year - 1
        else:
            y = a.year if month > a.month else a.year + 1
        return "DATE", f"{y}-{month:02d}", ()
    value, cands = _pick_year(month, None, ctx, m)
    return "DATE", value, cands


def _h_iso(m: re.Match, ctx: _Context):
    d = _valid(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return ("DATE", d.isoformat(), ()) if d else None


def _h_slash(m: re.Match, ctx: _Context):
    y = int(m.group("y"))
    if y < 100:
        y += 1900 if y >= 50 else 2000
    a, b = int(m.group("a")), int(m.group("b"))
    d = _valid(y, a, b)  # US month/day first
    if d is None:
        d = _valid(y, b, a)
    return ("DATE", d.isoformat(), ()) if d else None


_YEAR_NOUN_RE = re.compile(
    r"\s*(?:%|percent|per\s+cent|people|troops|soldiers|dollars|euros|pounds|rupees|shares|jobs|workers|times"
    r"|units|members|cars|miles|tons|tonnes|feet|foot|meters|metres|km|kilometres|kilometers|votes|acres"
    r"|residents|refugees|cases|deaths|copies|pages|words|points|barrels|hours|minutes|seconds|calories|yen|won|yuan)\b",
    _F)


def _h_year(m: re.Match, ctx: _Context):
    s = m.start("year")
    before = ctx.text[max(0, s - 2):s]
    if re.search(r"[$£€#\d.,/:-]$", before) and not before.endswith(" "):
        return None
    after = ctx.text[m.end():m.end() + 20]
    if re.match(r"[\d,/:]\d|-\d|\.\d|[%]", after) or _YEAR_NOUN_RE.match(after):
        return None
    y = m.group("year")
    if m.group("fiscal"):
        return "DATE", y, ()
    return "DATE", y, ()


def _h_month_spoken_year(m: re.Match, ctx: _Context):
    y = _h_spoken_year(m, ctx)[1]
    return "DATE", f"{y}-{_month_of(m.group('month')):02d}", ()


def _h_spoken_year(m: re.Match, ctx: _Context):
    """Years read out in broadcast transcripts: "nineteen ninety-seven", "two thousand"."""
    if m.group("c19"):
        y = 1900 + _NUMBER_WORDS[m.group("tens").lower()] + _NUMBER_WORDS.get((m.group("ones") or "").lower(), 0)
    else:
        if not re.match(r"(?:the\s+)?year", m.group(0), _F) and not m.group("ones2"):
            return None  # "two thousand" alone is a number
        y = 2000 + _NUMBER_WORDS.get((m.group("ones2") or "").lower(), 0)
    return "DATE", str(y), ()


def _h_decade(m: re.Match, ctx: _Context):
    g = m.group("dec")
    if g.startswith("'"):
        two = int(g[1:3])
        century = 19 if two >= 30 or ctx.anchor is None or ctx.anchor.year < 2000 + two else 20
        return "DATE", f"{century}{two // 10}", ()
    return "DATE", g[:3], ()


def _h_century(m: re.Match, ctx: _Context):
    n = int(re.match(r"\d+", m.group("cent")).group()) if m.group("cent")[0].isdigit() else _ORD_WORDS.get(m.group("cent").lower())
    if not n:
        return None
    return "DATE", f"{n - 1:02d}", ()


_ORD_WORDS = {"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
              "twentieth": 20, "twenty-first": 21, "twenty first": 21}


def _h_weekday(m: re.Match, ctx: _Context):
    wd = _weekday_of(m.group("wd"))
    value, cands = _resolve_weekday(wd, ctx, m, m.group("mod") or "")
    part = m.group("part")
    if part:
        code = _PARTS_OF_DAY[part.lower()]
        return "TIME", f"{value}T{code}", tuple(f"{c}T{code}" for c in cands)
    return "DATE", value, cands


def _shift_day(ctx: _Context, days: int) -> str:
    if ctx.anchor is None:
        return "XXXX-XX-XX"
    return (ctx.anchor + dt.timedelta(days=days)).isoformat()


_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}


def _h_dayword(m: re.Match, ctx: _Context):
    word = m.group("dw").lower()
    value = _shift_day(ctx, _DAY_WORDS[word])
    part = (m.group("part") or "").lower()
    if word == "tonight":
        part = "night"
    if part:
        return "TIME", f"{value}T{_PARTS_OF_DAY[part]}", ()
    return "DATE", value, ()


def _h_part_of_day(m: re.Match, ctx: _Context):
    mod = m.group("mod").lower()
    part = _PARTS_OF_DAY[m.group("part").lower()]
    offset = -1 if mod == "last" else 0
    if mod == "last" and part != "NI":
        offset = -1
    return "TIME", f"{_shift_day(ctx, offset)}T{part}", ()


def _h_ref(m: re.Match, ctx: _Context):
    word = re.sub(r"\s+", " ", m.group(0).lower())
    if word in ("now", "right now", "currently", "current", "at present", "presently", "nowadays",
                "these days", "the present", "present"):
        return "DATE", "PRESENT_REF", ()
    if "future" in word or word in ("soon",):
        return "DATE", "FUTURE_REF", ()
    return "DATE", "PAST_REF", ()


def _period_value(unit: str, ctx: _Context, offset: int, m: re.Match | None = None) -> str:
    a = ctx.anchor
    unit = unit.lower()
    if unit == "week":
        return _week(a + dt.timedelta(weeks=offset)) if a else "XXXX-WXX"
    if unit == "month":
        if a is None:
            return "XXXX-XX"
        y, mo = _add_months(a, offset)
        return f"{y}-{mo:02d}"
    if unit == "year":
        return str(a.year + offset) if a else "XXXX"
    if unit == "quarter":
        if a is None:
            return "XXXX-QX"
        q = (a.month - 1) // 3 + offset
        y = a.year + q // 4
        return f"{y}-Q{q % 4 + 1}"
    if unit == "decade":
        return str(a.year // 10 + offset) if a else "XXX"
    if unit == "century":
        return f"{a.year // 100 + offset:02d}" if a else "XX"
    if unit == "day":
        return _shift_day(ctx, offset)
    if unit == "weekend":
        if a is None:
            return "XXXX-WXX-WE"
        if offset == 0 and m is not None:
            direction = _direction(ctx, m, "past")
            offset = 0 if direction == "future" or a.isoweekday() >= 6 else -1
        base = a + dt.timedelta(days=(6 - a.isoweekday()) + 7 * offset) if a.isoweekday() < 6 else a + dt.timedelta(weeks=offset)
        return _week(base) + "-WE"
    if unit in _SEASONS:
        code = _SEASONS[unit]
        if a is None:
            return f"XXXX-{code}"
        return f"{a.year + offset}-{code}"
    return "XXXX"


_OFFSETS = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1, "this": 0,
            "current": 0, "the current": 0, "earlier this": 0, "later this": 0, "the same": 0,
            "the past": -1, "the previous": -1, "the next": 1, "the coming": 1, "the following": 1,
            "the last": -1, "this past": -1}


def _h_rel_period(m: re.Match, ctx: _Context):
    mod = re.sub(r"\s+", " ", m.group("mod").lower())
    unit = m.group("unit").lower()
    if mod.startswith("the ") and mod not in ("the current", "the same") and unit not in ("weekend",) and unit not in _SEASONS:
        # "the past year", "the next month": a stretch of time, not a calendar unit
        return "DURATION", _duration(1, unit), ()
    if mod in ("past", "this past") and unit not in ("weekend",) and unit not in _SEASONS:
        return "DURATION", _duration(1, unit), ()
    offset = _OFFSETS.get(mod, 0)
    if unit in _SEASONS and ctx.anchor is not None and mod in ("last", "next", "this past"):
        # seasons: last summer when it is winter is this calendar year
        order = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
        smonth = order[_SEASONS[unit]]
        if mod == "last" or mod == "this past":
            offset = 0 if smonth < ctx.anchor.month - 2 else -1
        else:
            offset = 0 if smonth > ctx.anchor.month else 1
    return "DATE", _period_value(unit, ctx, offset, m), ()


def _h_weekend(m: re.Match, ctx: _Context):
    return "DATE", _period_value("weekend", ctx, 0, m), ()


def _h_ago(m: re.Match, ctx: _Context):
    n = _num(m.group("num")) if m.group("num") else None
    unit = m.group("unit").lower().rstrip("s")
    word = m.group("dir").lower()
    if word in ("later", "after", "before", "on"):
        # "three days later", "90 days after the deal": TimeML marks the stretch ("three
        # days", a DURATION) and leaves the direction word out; without a number it is
        # no time expression ("days after he left")
        if m.group("num") is None:
            return None
        return _Trimmed(m.start(), m.start("dir"), "DURATION", _duration(n, m.group("unit")))
    out = _h_ago_value(m, ctx, n, unit, sign_word=word)
    if out is None:
        return None
    pre = _MOD_BEFORE_RE.search(ctx.text, max(0, m.start() - 24), m.start()) if m.group("num") else None
    if pre:  # "nearly four years ago": the modifier belongs to the expression
        return _Trimmed(pre.start(), m.end(), out[0], out[1])
    return out


_MOD_BEFORE_RE = re.compile(rf"\b(?:{_MOD_RE})\s+$", _F)


def _h_ago_value(m: re.Match, ctx: _Context, n, unit: str, sign_word: str):
    word = sign_word
    sign = 1 if word in ("later", "after", "from now", "hence", "on") else -1
    if n is None or not float(n).is_integer():
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", ()
    n = int(n)
    a = ctx.anchor
    if a is None:
        return "DATE", {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "month": "XXXX-XX"}.get(unit, "XXXX"), ()
    if unit in ("hour", "minute", "second"):
        return "TIME", _shift_day(ctx, 0) if unit != "hour" or n < 24 else _shift_day(ctx, sign * (n // 24)), ()
    if unit == "day":
        return "DATE", _shift_day(ctx, sign * n), ()
    if unit == "week":
        return "DATE", _week(a + dt.timedelta(weeks=sign * n)), ()
    if unit == "month":
        y, mo = _add_months(a, sign * n)
        return "DATE", f"{y}-{mo:02d}", ()
    if unit == "quarter":
        return "DATE", _period_value("quarter", ctx, sign * n), ()
    if unit == "year":
        if n == 1 and sign < 0 and _in_quarter_context(ctx, m.start()):
            return "DATE", _year_ago_value(ctx, m.start(), True), ()
        return "DATE", str(a.year + sign * n), ()
    if unit == "decade":
        return "DATE", str((a.year + sign * 10 * n) // 10), ()
    return None


def _h_day_offset(m: re.Match, ctx: _Context):
    word = m.group(0).lower()
    sign = -1 if re.search(r"earlier|before|previous|prior", word) else 1
    return "DATE", _shift_day(ctx, sign), ()


def _h_duration(m: re.Match, ctx: _Context):
    if _AGE_RE.match(ctx.text, m.end()):
        return None  # "6-year-old": an age, not a time expression
    if m.group("unit").lower().startswith("quarter") and _OF_RE.match(ctx.text, m.end()):
        return None  # "about a quarter of the vote": a fraction
    num = m.group("num")
    n = None if num is None or re.fullmatch(_VAGUE_RE, num.strip(), _F) else _num(num)
    if num is not None and n is None and not re.fullmatch(_VAGUE_RE, num.strip(), _F):
        return None
    return "DURATION", _duration(n, m.group("unit")), ()


def _h_the_year(m: re.Match, ctx: _Context):
    """"for the year ended March 31" is a stretch (P1Y); "a high for the year" the current year."""
    if m.group("ended") or m.group("fiscal"):
        return _Trimmed(m.start("the"), m.end("the"), "DURATION", "P1Y")
    return _Trimmed(m.start("the"), m.end("the"), "DATE", str(ctx.anchor.year) if ctx.anchor else "XXXX")


def _h_recent(m: re.Match, ctx: _Context):
    unit = m.group("unit").lower()
    if unit in ("years", "decades"):
        return "DATE", "PAST_REF", ()
    # "in recent days/months": TimeML gives a vague stretch (PXD, PXM)
    return "DURATION", _duration(None, unit), ()


def _h_bare_plural(m: re.Match, ctx: _Context):
    if _AGE_RE.match(ctx.text, m.end()):
        return None  # "52 years old"
    return "DURATION", _duration(None, m.group("unit")), ()


def _h_set(m: re.Match, ctx: _Context):
    g = m.groupdict()
    if g.get("adv"):
        return "SET", _SET_ADVERBS[g["adv"].lower()], ()
    if g.get("swd"):
        return "SET", f"XXXX-WXX-{_weekday_of(g['swd'])}", ()
    if g.get("smonth"):
        return "SET", f"XXXX-{_month_of(g['smonth']):02d}", ()
    n = _num(g["snum"]) if g.get("snum") else 1
    return "SET", _duration(n, g["sunit"]), ()


def _h_clock(m: re.Match, ctx: _Context):
    h = int(m.group("h"))
    mi = int(m.group("mi") or 0)
    ap = (m.group("ap") or "").lower().replace(".", "").replace(" ", "")
    if h > 12 and ap or h > 23 or mi > 59:
        return None
    if ap == "pm" and h != 12:
        h += 12
    if ap == "am" and h == 12:
        h = 0
    day = _clock_day(m, ctx)
    return "TIME", f"{day}T{h:02d}:{mi:02d}", ()


def _clock_day(m: re.Match, ctx: _Context) -> str:
    """The day of a clock time: the weekday or date written right after it ("10 p.m.
    Wednesday", "5 p.m. EST, Nov. 9"), else the anchor day."""
    g = m.groupdict()
    if g.get("cwd"):
        return _resolve_weekday(_weekday_of(g["cwd"]), ctx, m)[0]
    if g.get("cmonth") and g.get("cday"):
        month, day = _month_of(g["cmonth"]), int(re.match(r"\d+", g["cday"]).group())
        if _valid(2000, month, day) is None:
            raise ValueError("no such day")
        return _pick_year(month, day, ctx, m)[0]
    return _shift_day(ctx, 0)


def _h_noon(m: re.Match, ctx: _Context):
    word = m.group("noon").lower()
    return "TIME", f"{_clock_day(m, ctx)}T{'12:00' if word == 'noon' else '24:00'}", ()


def _h_quarter(m: re.Match, ctx: _Context):
    g = m.groupdict()
    qword = g["q"].lower()
    a = ctx.anchor
    year = g.get("qy")
    if qword in ("latest", "last", "current", "fourth", "final", "4th") and not year and qword not in ("fourth", "4th"):
        if a is None:
            return "DATE", "XXXX-QX", ()
        if qword in ("latest", "last"):
            rq = _reported_quarter(ctx, m.start())
            return "DATE", f"{rq[0]}-Q{rq[1]}", ()
        return "DATE", _period_value("quarter", ctx, 0), ()
    q = 4 if qword in ("fourth", "final", "4th") else _ORDINALS.get(qword)
    if q is None:
        return None
    if year:
        return "DATE", f"{year}-Q{q}", ()
    if a is None:
        return "DATE", f"XXXX-Q{q}", ()
    cur = (a.month - 1) // 3 + 1
    direction = _direction(ctx, m, "past")
    y = a.year - 1 if (q > cur and direction != "future") else a.year
    return "DATE", f"{y}-Q{q}", ()


def _h_half(m: re.Match, ctx: _Context):
    h = 1 if m.group("h").lower() in ("first", "1st") else 2
    y = m.group("hy") or (str(ctx.anchor.year) if ctx.anchor else "XXXX")
    return "DATE", f"{y}-H{h}", ()


def _h_season(m: re.Match, ctx: _Context):
    code = _SEASONS[m.group("season").lower()]
    if m.group("sy"):
        return "DATE", f"{m.group('sy')}-{code}", ()
    return "DATE", f"{ctx.anchor.year}-{code}" if ctx.anchor else f"XXXX-{code}", ()


def _h_earlier_later(m: re.Match, ctx: _Context):
    unit = m.group("unit").lower()
    if unit == "today":
        return "DATE", _shift_day(ctx, 0), ()
    return "DATE", _period_value(unit, ctx, 0, m), ()


# --------------------------------------------------------------------------- grammar

_PART_RE = r"(?:morning|afternoon|evening|night)"
# a weekday or month-day written right after a clock time belongs to it ("noon Saturday")
_CLOCK_DAY_RE = (rf"(?:,?\s+(?:on\s+)?(?P<cwd>(?-i:{_WEEKDAY_RE}))"
                 rf"|,?\s+(?:on\s+)?(?P<cmonth>(?-i:{_MONTH_RE}))\s*(?P<cday>{_DAY_RE})(?![,\s]*(?:1[6-9]|20)\d\d))?")


def _r(name: str, pattern: str, handler, flags: int = 0) -> _Rule:
    return _Rule(name, re.compile(pattern, flags), handler)


_RULES: tuple[_Rule, ...] = (
    _r("month_day_year",
       rf"\b(?:{_WEEKDAY_RE},?\s+)?(?P<month>{_MONTH_RE})\s*(?P<day>{_DAY_RE})"
       rf"(?:(?:,\s*|\s+)(?P<year>{_YEAR_RE})(?!\d))?", _h_full_date),
    _r("day_month_year",
       rf"\b(?:{_WEEKDAY_RE},?\s+)?(?:the\s+)?(?P<day>{_DAY_RE})(?:\s+of)?\s+(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>{_YEAR_RE})(?!\d))?",
       _h_full_date),
    _r("month_year", rf"\b(?P<month>{_MONTH_RE}),?\s+(?:of\s+)?(?P<year>{_YEAR_RE})(?!\d)", _h_full_date),
    _r("month_spoken_year",
       rf"\b(?P<month>{_MONTH_RE}),?\s+(?P<c19>[Nn]ineteen)\s+(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
       r"(?:[\s-](?P<ones>one|two|three|four|five|six|seven|eight|nine))?\b", _h_month_spoken_year),
    _r("month", rf"(?:(?P<mod>last|next|this|early|late|mid)[\s-]+)?\b(?P<month>{_MONTH_RE})", _h_month, _F),
    _r("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", _h_iso),
    _r("slash", r"\b(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:19|20)\d\d|\d\d)\b", _h_slash),
    _r("year", rf"(?:\b(?P<fiscal>fiscal(?:\s+year)?|FY)\s*)?\b(?P<year>{_YEAR_RE})\b(?!'?s\b)", _h_year),
    _r("spoken_year",
       r"\b(?:(?:[Tt]he\s+)?[Yy]ear\s+)?(?:(?P<c19>[Nn]ineteen)\s+(?P<tens>ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
       r"(?:[\s-](?P<ones>one|two|three|four|five|six|seven|eight|nine))?"
       r"|(?P<c20>two\s+thousand)(?:\s+(?:and\s+)?(?P<ones2>one|two|three|four|five|six|seven|eight|nine|ten))?)\b",
       _h_spoken_year),
    _r("decade", rf"(?:\bthe\s+)?(?:(?:early|late|mid)[\s-]+)?(?P<dec>\b(?:1[6-9]|20)\d0'?s\b|'\d0s\b)", _h_decade, _F),
    _r("century", r"\b(?:the\s+)?(?P<cent>\d{1,2}(?:st|nd|rd|th)|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[-\s]first)[\s-]+century\b",
       _h_century, _F),
    _r("weekday",
       rf"(?:\b(?:this\s+)?(?P<mod>last|next|this|coming|past)\s+)?(?P<wd>{_WEEKDAY_RE})(?:\s+(?P<part>{_PART_RE})\b)?",
       _h_weekday),
    _r("weekday_lower_mod", rf"\b(?P<mod>[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<wd>{_WEEKDAY_RE})(?:\s+(?P<part>{_PART_RE})\b)?", _h_weekday),
    _r("dayword", rf"\b(?:(?:early|late|earlier|later)\s+)?(?P<dw>today|yesterday|tomorrow|tonight)(?:\s+(?P<part>{_PART_RE}))?\b", _h_dayword, _F),
    _r("part_of_day", rf"\b(?P<mod>this|last|that)\s+(?P<part>{_PART_RE})\b", _h_part_of_day, _F),
    _r("ref", r"\b(?:now|currently|nowadays|these\s+days|at\s+present|presently|(?:[Mm]ore\s+|[Mm]ost\s+)?recently|lately"
              r"|the\s+past|the\s+future)\b(?![-\s]+(?:and\s+then)\b)",
       _h_ref, _F),
    _r("earlier_later",
       r"\b(?:earlier|later)\s+(?:(?:this|the)\s+)?(?P<unit>today|week|month|year|decade)\b"
       r"|\b(?:earlier|later)\s+in\s+the\s+(?P<unit2>week|month|year)\b", None, _F),
    _r("rel_period",
       r"(?:\b(?:early|late|mid)[\s-]+)?\b(?P<mod>(?:the\s+)?(?:past|previous|next|coming|following|last|current|same)|this\s+past|this|earlier\s+this|later\s+this)\s+"
       r"(?:fiscal\s+)?(?P<unit>week|month|year|quarter|decade|century|weekend|spring|summer|fall|autumn|winter)\b", _h_rel_period, _F),
    _r("weekend", r"\b(?:the\s+)?weekend\b", _h_weekend, _F),
    _r("ago",
       rf"\b(?:(?P<num>{_NUM_RE}|{_VAGUE_RE})[\s-]+)?(?P<unit>{_UNIT_RE})s?\s+(?P<dir>ago|earlier|later|before|after|from\s+now|hence|on)\b",
       _h_ago, _F),
    _r("day_offset",
       r"\b(?:a|one)\s+day\s+(?:earlier|later|before|after)\b|\bthe\s+(?:day\s+before|day\s+after|previous\s+day|next\s+day|following\s+day|prior\s+day)\b",
       _h_day_offset, _F),
    _r("duration",
       rf"\b(?:(?:{_MOD_RE})\s+)?(?:(?:the\s+)?(?:past|last|next|first|previous|coming|following|final|remaining|initial)\s+)?"
       rf"(?P<num>{_NUM_RE}|{_VAGUE_RE})[\s-]+(?:(?:more|additional|other|straight|consecutive|full|long)\s+)?(?P<unit>{_UNIT_RE})s?\b(?:[\s-]+long\b)?",
       _h_duration, _F),
    _r("the_year",
       r"\b(?:for|of|in|during|through)\s(?P<the>the\s+(?P<fiscal>fiscal\s+)?year)\b"
       r"(?!\s+(?:before|after|earlier|later|ago|\d)|[\s-]+(?:ago|earlier|end|old|long)\b|'s\b|\s+of\s+the\b)(?P<ended>\s+end(?:ed|ing)\b)?",
       _h_the_year, _F),
    _r("recent_units", r"\b(?:more\s+)?recent\s+(?P<unit>years|months|weeks|days|decades|quarters)\b", _h_recent),
    _r("year_earlier",
       r"\b(?:the\s+)?(?:(?:comparable|corresponding|same)\s+)?year[\s-](?:earlier|ago)\b"
       r"(?:\s+(?:(?P<yq>first|second|third|fourth)[\s-]+)?(?P<noun>quarter|period)\b)?", _h_year_ago_period, _F),
    _r("year_ago_months",
       r"\b(?:the\s+)?year[\s-](?:earlier|ago)\s+(?P<num>three|six|nine|twelve|\d{1,2})\s+(?P<unit>month)s\b",
       _h_duration, _F),
    _r("period_year_ago",
       r"\bthe\s+(?:(?:same|corresponding|comparable)\s+)?(?P<noun>quarter|period)\s+"
       r"(?:a\s+year\s+(?:ago|earlier)|last\s+year|of\s+last\s+year|the\s+year\s+before)\b", _h_year_ago_period, _F),
    _r("year_quarter",
       rf"\b(?:(?P<rel>this|last|next)\s+year's|the\s+(?P<qyear>{_YEAR_RE}))\s+"
       r"(?:(?P<oq>first|second|third|fourth)[\s-]+)?(?:fiscal[\s-]+)?(?P<pnoun>quarter|period)\b", _h_year_quarter, _F),
    _r("the_quarter", r"\bthe\s+(?P<qmod>latest\s+|current\s+|same\s+)?(?:quarter\b(?![\s-]+(?:of|century|mile|to\b))|(?P<pnoun2>period)\b(?!\s+of))",
       _h_the_quarter, _F),
    _r("duration_the",
       rf"\bthe\s+(?P<num>{_NUM_RE}|{_VAGUE_RE})\s+(?P<unit>{_UNIT_RE})s\b", _h_duration, _F),
    _r("bare_plural", r"\b(?:(?:the\s+)?(?:past|last|next|coming|recent)\s+)?(?P<unit>decade|year|month|week|day|hour|minute)s\b", _h_bare_plural, _F),
    _r("set",
       r"\b(?P<adv>hourly|daily|nightly|weekly|biweekly|monthly|quarterly|annually|yearly)\b"
       rf"|\b(?:every|each|per)\s+(?:(?P<snum>{_NUM_RE})\s+)?(?P<sunit>{_UNIT_RE})s?\b"
       rf"|\b(?:every|each)\s+(?P<swd>{_WEEKDAY_RE})|\b(?:every|each)\s+(?P<smonth>{_MONTH_RE})|\b(?P<swd2>Mondays|Tuesdays|Wednesdays|Thursdays|Fridays|Saturdays|Sundays)\b",
       None, _F),
    _r("clock",
       r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.\s?m\.|[ap]m\b|o'clock)(?:\s+(?:[A-Z]{2,4}T|GMT|UTC)\b)?"
       + _CLOCK_DAY_RE, _h_clock, _F),
    _r("noon", r"\b(?P<noon>noon|midnight)\b" + _CLOCK_DAY_RE, _h_noon, _F),
    _r("quarter",
       rf"\b(?:the\s+)?(?:(?:company's|fiscal|its|their)\s+)?(?P<q>first|second|third|fourth|final|1st|2nd|3rd|4th|latest|last|current)[\s-]+(?:fiscal[\s-]+)?quarter\b"
       rf"(?:\s+of\s+(?:fiscal\s+)?(?P<qy>{_YEAR_RE}))?",
       _h_quarter, _F),
    _r("half", rf"\b(?:the\s+)?(?P<h>first|second|1st|2nd)[\s-]+half(?:\s+of\s+(?P<hy>{_YEAR_RE}))?\b", _h_half, _F),
    _r("season", rf"\b(?P<season>spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?(?P<sy>{_YEAR_RE}))?\b(?![-\s]+(?:olympics|games|session|league|wheat|crop))", _h_season),
)


def _dispatch(rule: _Rule, m: re.Match, ctx: _Context):
    if rule.name == "earlier_later":
        unit = m.group("unit") or m.group("unit2")
        if unit.lower() == "today":
            return "DATE", _shift_day(ctx, 0), ()
        return "DATE", _period_value(unit, ctx, 0, m), ()
    if rule.name == "set":
        g = m.groupdict()
        if g.get("swd2"):
            return "SET", f"XXXX-WXX-{_weekday_of(g['swd2'][:-1])}", ()
        if g.get("swd") and not g["swd"][0].isupper():
            return None
        if g.get("smonth") and not g["smonth"][0].isupper():
            return None
        return _h_set(m, ctx)
    if rule.name == "season" and not (m.group("sy") or _SEASON_CONTEXT_RE.search(ctx.text, max(0, m.start() - 12), m.start())):
        return None
    if rule.name == "weekday_lower_mod":
        return _h_weekday(m, ctx)
    return rule.handler(m, ctx)


_AGE_RE = re.compile(r"[\s-]+old\b", _F)
_OF_RE = re.compile(r"\s+of\b", _F)
_END_OF_RE = re.compile(r"\b(?:the\s+)?(?:end|beginning|start|middle|turn|close)\s+of\s+(?:the\s+)?$", _F)
_QUARTER_ADJ_RE = re.compile(
    r"(?:(?:the|its|their|his|her|company's|a)\s+)+(?=(?:fiscal[\s-]+)?\w+-quarter\b)|(?:(?:its|their|his|her|company's)\s+)+", _F)
_SEASON_CONTEXT_RE = re.compile(r"\b(?:in|this|last|next|the|during|by|early|late|until|since)\s+$", _F)
_WS_TRIM_RE = re.compile(r"[\s,]+$")


def find_temporal_expressions(
    text: str,
    *,
    anchor: dt.date | None,
    tense_hint: TenseHint = "auto",
    anchor_is_bound: bool = False,
) -> list[TemporalExpression]:
    """Find and normalise the temporal expressions in ``text``.

    Inputs: ``text`` (any string; non-strings give an empty list); ``anchor`` (the date
    relative expressions are resolved against, normally the publication date, or None);
    ``tense_hint`` ("auto" infers the tense per expression from its sentence, or force
    "past"/"future"/"none"); ``anchor_is_bound`` (the anchor is only a lower bound on the
    publication date: weekdays then resolve to the nearest such day).

    Output: a list of :class:`TemporalExpression` sorted by ``start``, non-overlapping,
    with ``text[start:end] == expression``. Without an anchor, relative values keep
    ``X`` placeholders and ``resolved`` is False.
    """
    if not isinstance(text, str) or not text:
        return []
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    ctx = _Context(text=text, anchor=anchor, tense_hint=tense_hint or "auto", anchor_is_bound=anchor_is_bound)
    found: list[tuple[int, int, int, str, str, tuple[str, ...], bool]] = []
    for priority, rule in enumerate(_RULES):
        for m in rule.pattern.finditer(text):
            s, e = m.start(), m.end()
            seg = text[s:e]
            trimmed = _WS_TRIM_RE.search(seg)
            if trimmed:
                e -= len(trimmed.group())
            if e <= s:
                continue
            if rule.name == "quarter":
                adj = _QUARTER_ADJ_RE.match(text, s, e)
                if adj:
                    s = adj.end()
            try:
                out = _dispatch(rule, m, ctx)
            except (ValueError, KeyError, OverflowError, AttributeError, TypeError):
                out = None
            if out is None:
                continue
            if isinstance(out, _Trimmed):
                s, e = out.start, out.end
                while e > s and text[e - 1] in " \t\r\n,":
                    e -= 1
                if e <= s:
                    continue
                out = (out.type, out.value, ())
            typ, value, cands = out
            if typ in ("DATE", "TIME"):
                pre = _END_OF_RE.search(text, max(0, s - 30), s)
                if pre:
                    s = pre.start()
            # a clock time that names no day of its own ("at 9:40 p.m.") took the anchor's day
            # for now; it is moved to the day the text is talking about below
            dayless = rule.name in ("clock", "noon") and not (m.groupdict().get("cwd") or m.groupdict().get("cmonth"))
            found.append((s, e, priority, typ, value, cands, dayless))
    # longest first, then earliest, then rule order; keep non-overlapping
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0], f[2]))
    taken = np.zeros(len(text) + 1, dtype=bool)
    chosen = []
    dayless_starts: set[int] = set()
    for s, e, _, typ, value, cands, dayless in found:
        if taken[s:e].any():
            continue
        taken[s:e] = True
        resolved = "X" not in value or typ in ("DURATION", "SET")
        chosen.append(TemporalExpression(s, e, text[s:e], typ, value, resolved, cands))
        if dayless:
            dayless_starts.add(s)
    chosen.sort(key=lambda t: (t.start, t.end))
    if dayless_starts:
        chosen = _clock_times_on_their_day(text, chosen, dayless_starts)
    return chosen


_DAY_VALUE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T[A-Z]{2})?$")
CLOCK_DAY_WINDOW = 400  # characters back to look for the day a clock time belongs to


def _clock_times_on_their_day(text: str, chosen: list[TemporalExpression],
                              dayless_starts: set[int]) -> list[TemporalExpression]:
    """Give a clock time without a day of its own the day the text is talking about.

    "9:40 p.m." in a report of a Tuesday-night fire is Tuesday, not the publication day. The
    day is taken from a day-precise DATE/TIME in the same sentence (nearest first), else from
    the nearest one before it within :data:`CLOCK_DAY_WINDOW` characters; a dateline or
    publication date at the very start of the text does not count (it is not an event day).
    Without such a day the anchor day stays.
    """
    days = [(x.start, x.end, m.group(1)) for x in chosen if x.start not in dayless_starts
            and x.type in ("DATE", "TIME") and (m := _DAY_VALUE_RE.match(x.value))
            and not _in_dateline(text, x.start, x.end)]
    if not days:
        return chosen
    out = []
    for x in chosen:
        if x.start in dayless_starts and "T" in x.value:
            lo, hi = _sentence_bounds(text, x.start, x.end)
            same = [d for d in days if lo <= d[0] < hi]
            before = [d for d in days if d[1] <= x.start and x.start - d[1] <= CLOCK_DAY_WINDOW]
            pick = (min(same, key=lambda d: abs(d[0] - x.start)) if same
                    else max(before, key=lambda d: d[0]) if before else None)
            if pick is not None:
                x = TemporalExpression(x.start, x.end, x.expression, x.type,
                                       pick[2] + "T" + x.value.split("T", 1)[1], True, x.candidates)
        out.append(x)
    return out


# a dateline opens an article: a place in capitals or title case, an optional date, then a dash
# or colon ("DUNMORE, Oct. 6 —", "Riverton, 5 March (Agency) -"); a date inside it is the
# publication date, not the date of anything the article reports
_DATELINE_PREFIX_RE = re.compile(
    r"^\s*(?!(?:On|In|By|Since|Until|Before|After|From|Last|Next|This|Early|Late|Then|Since|As)\b)"
    r"(?:[A-Z][\w.'’/-]*(?:[ ,]+[A-Z][\w.'’/-]*)*)?[ ,]*$")
_DATELINE_END_RE = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?[—–:-]")


def _in_dateline(text: str, start: int, end: int, *, max_offset: int = 80) -> bool:
    """True when the expression at ``start:end`` is the date of a dateline that opens a
    paragraph (only place names before it, a dash or colon after it)."""
    if start > len(text) or start - text.rfind("\n", 0, start) - 1 > max_offset:
        return False
    para_start = text.rfind("\n", 0, start) + 1
    return bool(_DATELINE_PREFIX_RE.match(text[para_start:start])) and bool(_DATELINE_END_RE.match(text, end))


# --------------------------------------------------------------------------- publication bounds

_EMBED_DATE_RE = re.compile(
    rf"\(@\w{{1,30}}\)\s*(?P<month>{_MONTH_RE})\s*(?P<day>{_DAY_RE}),?\s+(?P<year>{_YEAR_RE})")


def _to_date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    if not m:
        return None
    return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))


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


# --------------------------------------------------------------------------- tables

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
    (``<NA>``) when the article has no date, as in :func:`helpers.compare.overview.publication_timeline`
    (a -1 read as "a day early" would be a false number). Sorted by published (undated last),
    then article_id.
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


# --------------------------------------------------------------------------- conflicts

_DATEISH_RE = re.compile(r"^(\d{4}|X{4})-(\d{2}|X{2}|W\d{2}|WXX)(?:-(\d{2}|X{2}|\d))?")


def values_compatible(a: str, b: str) -> bool:
    """True when two TIMEX3 values can denote the same day or period.

    Equal values, one containing the other ("2021-08" and "2021-08-10"), and unresolved
    patterns matching a concrete date ("XXXX-WXX-2" and the Tuesday "2021-08-10";
    "XXXX-08-31" and "2021-08-31") are compatible.
    """
    if a == b:
        return True
    if not a or not b:
        return True
    ca, cb = a.split("T")[0], b.split("T")[0]
    if ca == cb or ca.startswith(cb) or cb.startswith(ca):
        return not (re.fullmatch(r"\d+", ca) and re.fullmatch(r"\d+", cb) and len(ca) == len(cb))
    for pat, val in ((ca, cb), (cb, ca)):
        if "X" in pat and "X" not in val:
            d = _to_date(val)
            wm = re.fullmatch(r"XXXX-WXX-(\d)", pat)
            if wm and d:
                return d.isoweekday() == int(wm.group(1))
            if wm:
                return False
            if len(pat) == len(val) and all(p == "X" or p == v for p, v in zip(pat, val)):
                return True
            if len(pat) <= len(val) and all(p == "X" or p == v for p, v in zip(pat, val[: len(pat)])):
                return True
            return False
    return False


def _fact_groups_by_similarity(sentences: pd.DataFrame, articles: pd.DataFrame, mask_spans: dict,
                               threshold: float, context: dict | None = None) -> pd.DataFrame:
    """Group date-bearing sentences of different articles by TF-IDF cosine similarity.

    Sentences are compared with their date expressions blanked out, within the same event
    when ``articles.event`` exists; pairs above ``threshold`` are linked and the connected
    components become facts. Sparse products are computed in row blocks.
    """
    from scipy.sparse.csgraph import connected_components
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

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
    # one block per event; a very large event in overlapping publication-date windows
    for idx in comparison_blocks(sents, articles):
        if len(idx) < 2:
            continue
        try:
            vec = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2), min_df=1)
            X = vec.fit_transform([texts[i] for i in idx])
        except ValueError:
            continue
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
    fid = {lab: f"fact{k:05d}" for k, lab in enumerate(first["label"])}
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
CONFLICT_EXTRA_COLUMNS: list[str] = ["sent_id", "anchor_source", "when", "happening", "happening_id", "note"]


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


def _conflict_notes(g: pd.DataFrame, places: tuple[dict, dict], sentence_text: dict) -> list[str]:
    """One note per row of a conflicting happening: what can explain the disagreement.

    * time zone: the sides are one day apart and the outlets are in different countries, or
      their datelines name different places (an evening in one time zone is the next day in
      another);
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
            cs = sorted({country.get(x.article_id, "") for x in rows} - {""})
            places = sorted({dateline.get(x.article_id, "").upper() for x in rows} - {""})
            if len(cs) >= 2 or len(places) >= 2:
                where = "; ".join(filter(None, [f"outlets in {', '.join(cs)}" if len(cs) >= 2 else "",
                                                f"datelines {', '.join(places)}" if len(places) >= 2 else ""]))
                parts.append(f"one day apart ({where}): an evening in one time zone is the next day in another, "
                             "so a time-zone difference can explain it")
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
            parts.append(f"anchored on {r.anchor or 'nothing'} ({r.anchor_source}), not its own publication date")
        notes.append("; ".join(parts))
    return notes


def date_conflicts(
    dates: pd.DataFrame,
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    fact_groups: pd.DataFrame | None = None,
    similarity_threshold: float = 0.3,
    nlp: Any = None,
) -> pd.DataFrame:
    """The same happening dated differently by different outlets.

    Inputs: ``dates`` (from :func:`extract_dates`), ``sentences`` (article_id, sent_id,
    start, text), ``articles`` (article_id, outlet, text; optional event, country, dateline);
    ``fact_groups`` (article_id, sent_id, fact_id) from elsewhere, or None to group date-bearing
    sentences by TF-IDF cosine similarity >= ``similarity_threshold`` (dates blanked out, with
    their neighbouring sentences, within an event); ``nlp`` a spaCy pipeline with a parser
    (default: :func:`helpers.annotate.nlp.load_model`).

    Two dated mentions are about the same happening when their sentences are in the same fact
    group AND the dates attach to the same happening (:func:`event_words`,
    :func:`same_happening`): "the phone call on Monday" and "telephoned on Tuesday" are one,
    "said on Wednesday" and "broke out on Tuesday night" are not. Only day-precise values count
    (a day, a part of a day, a clock time, an unresolved weekday) and a date in a dateline
    ("DUNMORE, Oct. 6 —") is a publication date, not an event date. A happening conflicts
    when two outlets give values that cannot denote the same day (:func:`values_compatible`).

    Output columns :data:`CONFLICT_COLUMNS` + :data:`CONFLICT_EXTRA_COLUMNS`, one row per
    dated mention of a conflicting happening: ``when`` the value in words
    (:func:`describe_timex`), ``happening`` the event words both sides share or that name it
    ("call; conversation; telephone"), ``note`` what can explain the disagreement
    (:func:`_conflict_notes`: a time zone, an anchor), "" when nothing does. Sorted by
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
    cand = cand.assign(_words=[
        event_words(docs[(a, s)], st - sentence_start[(a, s)], en - sentence_start[(a, s)])
        for a, s, st, en in zip(cand["article_id"], cand["sent_id"], cand["start"], cand["end"])])
    info = articles.drop_duplicates("article_id").set_index("article_id")
    places = tuple((info[c].fillna("").astype(str).to_dict() if c in info else {}) for c in ("country", "dateline"))
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
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                if arts[i] != arts[j] and same_happening(words[i], words[j]):
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
            h = h.assign(note=_conflict_notes(h, places, sentence_text))
            rows.append(h)
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows)
    out = out.assign(happening_id=out["fact_id"] + "/" + out.groupby(["fact_id", "happening"], sort=False).ngroup().astype(str))
    out = out[columns].astype({"sent_id": "int64"})
    return out.sort_values(["fact_id", "happening", "value", "article_id"], kind="stable").reset_index(drop=True)


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
    text; ``when`` the value in words, :func:`describe_timex`; ``happening_id`` the row the
    chart puts it on: the conflict's happening when the sentence dates one, so "Monday" and
    "Tuesday" for one call share a row, else the fact_id). Sorted by value, fact_id,
    article_id; unresolved values sort after resolved ones.
    """
    columns = EVENT_TIMELINE_COLUMNS + ["when", "happening_id"]
    merged = _facts_with_dates(dates, sentences, articles, fact_groups, similarity_threshold)
    if merged is None or merged.empty:
        return pd.DataFrame(columns=columns)
    key = merged.sort_values(["fact_id", "article_id", "sent_id", "start"]).drop_duplicates(["fact_id", "article_id"])
    if conflicts is not None and len(conflicts) and "happening_id" in conflicts:
        # the conflict's own dated mention replaces the fact's first date, on the happening's row
        hap = conflicts.drop_duplicates(["article_id", "sent_id"]).set_index(["article_id", "sent_id"])
        ids = [hap["happening_id"].get((a, s), "") for a, s in zip(key["article_id"], key["sent_id"])]
        vals = [hap["value"].get((a, s), v) for a, s, v in zip(key["article_id"], key["sent_id"], key["value"])]
        key = key.assign(happening_id=ids, value=vals)
        seen = set(zip(key["article_id"], key["sent_id"]))
        extra = conflicts[[(a, s) not in seen for a, s in zip(conflicts["article_id"], conflicts["sent_id"])]]
        if len(extra):
            key = pd.concat([key, extra.drop_duplicates(["article_id", "sent_id"])[
                ["fact_id", "article_id", "sent_id", "outlet", "value", "happening_id"]]], ignore_index=True)
    else:
        key = key.assign(happening_id="")
    key["happening_id"] = np.where(key["happening_id"].astype(str) == "", key["fact_id"], key["happening_id"])
    text = sentences.drop_duplicates(["article_id", "sent_id"]).set_index(["article_id", "sent_id"])["text"]
    key = key.assign(sentence=[text.get((a, s), "") for a, s in zip(key["article_id"], key["sent_id"])],
                     when=key["value"].map(describe_timex))
    key = key.assign(_unres=key["value"].str.contains("X"))
    out = key.sort_values(["_unres", "value", "fact_id", "article_id"], kind="stable")[columns]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- readable values

_PART_NAMES = {"MO": "morning", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_MONTH_ABBR = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_WEEKDAY_NAMES = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DURATION_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day", "H": "hour", "S": "second",
                   "DE": "decade", "CE": "century", "WE": "weekend", "Q": "quarter"}


def _day_words(d: dt.date) -> str:
    return f"{d.strftime('%a')} {d.day} {_MONTH_ABBR[d.month]} {d.year}"


def describe_timex(value: str) -> str:
    """A TIMEX3 value in words, for readers: ``"2021-08-10TNI"`` → ``"night of Tue 10 Aug 2021"``,
    ``"199"`` → ``"1990s"``, ``"2021-W32"`` → ``"week 32 of 2021 (from Mon 9 Aug)"``,
    ``"XXXX-WXX-2"`` → ``"a Tuesday (week not known)"``, ``"P3D"`` → ``"3 days"``,
    ``"PRESENT_REF"`` → ``"the present"``.

    Input: any string (values as :func:`find_temporal_expressions` writes them). Output: a short
    English phrase; a value it cannot read is returned unchanged, "" for an empty value.
    """
    v = value.strip() if isinstance(value, str) else ""
    if not v:
        return ""
    refs = {"PRESENT_REF": "the present", "PAST_REF": "the past", "FUTURE_REF": "the future"}
    if v in refs:
        return refs[v]
    m = re.fullmatch(r"P(T)?(\d+(?:\.\d+)?|X)(Y|M|W|D|H|S|DE|CE|WE|Q)", v)
    if m:
        unit = "minute" if m.group(1) and m.group(3) == "M" else _DURATION_UNITS.get(m.group(3), m.group(3))
        n = m.group(2)
        plural = "centuries" if unit == "century" else unit + "s"
        if n == "X":
            return f"{plural} (how many not said)"
        return f"{n} {unit if n == '1' else plural}"
    if v.startswith("P"):
        return f"a duration ({v})"
    date_part, _, time_part = v.partition("T")
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date_part):
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        when = _day_words(d) if d else date_part
    elif (m := re.fullmatch(r"XXXX-(\d{2})-(\d{2})", date_part)) and 1 <= int(m.group(1)) <= 12:
        when = f"{int(m.group(2))} {_MONTH_ABBR[int(m.group(1))]} (year not known)"
    elif re.fullmatch(r"XXXX-WXX-[1-7]", date_part):
        when = f"a {_WEEKDAY_NAMES[int(date_part[-1])]} (week not known)"
    elif re.fullmatch(r"X{4}-X{2}-X{2}", date_part):
        when = "a day (not resolved)"
    elif (m := re.fullmatch(r"(\d{4}|XXXX)-(\d{2})", date_part)) and 1 <= int(m.group(2)) <= 12:
        year = m.group(1) if m.group(1) != "XXXX" else "(year not known)"
        when = f"{_MONTH_ABBR[int(m.group(2))]} {year}"
    elif m := re.fullmatch(r"(\d{4})-W(\d{2})(-WE)?", date_part):
        try:
            monday = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            start = f" (from Mon {monday.day} {_MONTH_ABBR[monday.month]})"
        except ValueError:
            start = ""
        when = (f"weekend of week {int(m.group(2))} of {m.group(1)}" if m.group(3)
                else f"week {int(m.group(2))} of {m.group(1)}{start}")
    elif m := re.fullmatch(r"(\d{4}|XXXX)-Q([1-4X])", date_part):
        year = m.group(1) if m.group(1) != "XXXX" else "(year not known)"
        when = f"quarter {m.group(2)} of {year}" if m.group(2) != "X" else f"a quarter of {year}"
    elif m := re.fullmatch(r"(\d{4}|XXXX)-H([12])", date_part):
        year = m.group(1) if m.group(1) != "XXXX" else "(year not known)"
        when = f"{'first' if m.group(2) == '1' else 'second'} half of {year}"
    elif m := re.fullmatch(r"(\d{4}|XXXX)-(SP|SU|FA|WI)", date_part):
        year = m.group(1) if m.group(1) != "XXXX" else "(year not known)"
        when = f"{_SEASON_NAMES[m.group(2)]} {year}"
    elif re.fullmatch(r"\d{4}", date_part):
        when = date_part
    elif re.fullmatch(r"\d{3}", date_part):
        when = f"{date_part}0s"
    elif re.fullmatch(r"\d{2}", date_part):
        n = int(date_part) + 1
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        when = f"{n}{suffix} century ({date_part}00s)"
    else:
        return v
    if not time_part:
        return when
    if time_part in _PART_NAMES:
        return f"{_PART_NAMES[time_part]} of {when}"
    if re.fullmatch(r"\d{2}:\d{2}", time_part):
        return f"midnight at the end of {when}" if time_part == "24:00" else f"{time_part} on {when}"
    return f"{when}, {time_part}"


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
        what = g["happening"].iloc[0] if "happening" in g and g["happening"].iloc[0] else "the same happening"
        notes = [n for n in dict.fromkeys(g["note"].astype(str)) if n] if "note" in g else []
        text = f"[{what}] " + " vs ".join(sides) + "."
        if notes:
            text += " What can explain it: " + " | ".join(notes) + "."
        else:
            text += " Neither a time zone nor an anchor explains it: the outlets' words differ."
        paragraphs.append(text)
    n = len(paragraphs)
    return f"{n} happening{'s' if n != 1 else ''} dated differently by different outlets:\n\n" + "\n\n".join(paragraphs)
