"""Temporal expressions: find, type and normalize them to TIMEX3-style values (:func:`find_temporal_expressions`).

Takes a text, its anchor date and tense hints; gives :class:`helpers.dates.timex.TemporalExpression`
records (span, type, value) that :func:`helpers.dates.tables.extract_dates` turns into the ``dates`` table.

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
import re

import numpy as np

from helpers.dates.timex import (
    _add_months, _Context, _DAY_RE, _direction, _duration, _F, _in_quarter_context, _MOD_RE, _month_of,
    _MONTH_RE, _num, _NUM_RE, _NUMBER_WORDS, _ORDINALS, _PARTS_OF_DAY, _pick_year, _Q_WORDS,
    _reported_quarter, _resolve_weekday, _Rule, _SEASONS, _sentence_bounds, _SET_ADVERBS,
    TemporalExpression, TenseHint, _Trimmed, _UNIT_RE, _VAGUE_RE, _valid, _week, _weekday_of, _WEEKDAY_RE,
    _YEAR_RE)

# --------------------------------------------------------------------------- vocabulary

# --------------------------------------------------------------------------- tense

# --------------------------------------------------------------------------- helpers

# --------------------------------------------------------------------------- reporting periods
# Company results compare "the quarter" with "a year ago": in such text TimeBank-style values
# are quarters ("a year earlier" = the same quarter of the year before), not bare years.

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

# --------------------------------------------------------------------------- tables

# --------------------------------------------------------------------------- conflicts

# --------------------------------------------------------------------------- readable values

