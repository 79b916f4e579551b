"""TIMEX3 values and the vocabulary of the date grammar: the :class:`TemporalExpression` record, the
word lists and regex pieces (months, weekdays, numbers, units, seasons), calendar arithmetic,
the tense heuristic (:func:`infer_tense`), company-quarter context, :func:`values_compatible` and
:func:`describe_timex` (a value in words).

Takes strings and dates; gives values and records read by :mod:`helpers.dates.grammar`, the
``when`` column of the ``date_conflicts`` and ``timeline`` tables.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Callable, Literal, NamedTuple

import numpy as np


TenseHint = Literal["auto", "past", "future", "present", "none"]


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
