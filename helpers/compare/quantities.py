"""Quantities: the numbers each article gives for a fact, and the facts whose numbers disagree.

Takes the ``facts`` table (:func:`helpers.compare.facts.group_facts`) and ``articles``; gives
:func:`extract_quantities` (one row per number stated in a fact's sentences) and the
``quantity_conflicts`` table (:func:`quantity_conflicts`, ``QUANTITY_COLUMNS``).
"""

from __future__ import annotations

import re
from array import array

import numpy as np
import pandas as pd

from helpers.compare.facts import MULTIPLIERS, NUMBER_WORDS, ORDINAL_WORDS, _stem, _STOP
from helpers.compare.findings.common import STORY_MAX_ARTICLES
from helpers.compare.schema import QUANTITY_COLUMNS
from helpers.dates.conflicts import DEICTIC_REACH_DAYS, names_its_day
from helpers.text import normalize_word


_NUM_ALT = "|".join(sorted(list(NUMBER_WORDS) + list(ORDINAL_WORDS), key=len, reverse=True))
_MULTIPLIER_WORDS = "hundred|thousand|million|billion|trillion|lakh|crore"


_QTY_RE = re.compile(
    rf"(?<![\w.])(?P<num>\d+(?:,\d+)*(?:\.\d+)?(?P<ord>st|nd|rd|th)?|(?P<word>(?:{_NUM_ALT})(?![\w'’])))"
    rf"(?:[\s-]+(?P<mult>{_MULTIPLIER_WORDS})\b|(?P<pct>\s?%|\s+per\s?cent\b|\s+percent\b))?"
    rf"(?=(?P<rest>[\s-][^.,;:!?()“”\"]{{0,60}})?)", re.I)


_UNIT_STOP = _STOP | set(NUMBER_WORDS) | set(ORDINAL_WORDS)


#: Number words too vague to disagree with a count ("dozens", "hundreds of people").
VAGUE_WORDS = frozenset({"dozen", "dozens", "hundreds", "thousands"})


#: Words before a number that make it a bound or an estimate rather than a count ("at least 12" does
#: not contradict "14").
_QUALIFIER_RE = re.compile(
    r"(?:\b(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|over|under|nearly|almost|about|around|"
    r"roughly|some|approximately|up\s+to|as\s+many\s+as|as\s+few\s+as|close\s+to|upwards\s+of|estimated|"
    r"an\s+estimated)\s+)$", re.I)


#: Auxiliaries between a counted noun and its predicate ("12 people *were* injured").
_AUXILIARIES = frozenset({"were", "was", "are", "is", "be", "been", "being", "have", "has", "had", "got", "get",
                          "reportedly", "also", "all", "now", "later", "still", "already"})


#: Irregular past forms of English verbs, to their base (general English, for predicates).
_IRREGULAR = {
    "took": "take", "taken": "take", "held": "hold", "left": "leave", "fled": "flee", "hurt": "hurt", "shot": "shoot",
    "won": "win", "lost": "lose", "fell": "fall", "fallen": "fall", "caught": "catch", "struck": "strike",
    "sent": "send", "spent": "spend", "paid": "pay", "sold": "sell", "bought": "buy", "built": "build", "kept": "keep",
    "found": "find", "gave": "give", "given": "give", "made": "make", "saw": "see", "seen": "see", "brought": "bring",
    "drew": "draw", "drawn": "draw", "rose": "rise", "risen": "rise", "grew": "grow", "grown": "grow",
    "beat": "beat", "beaten": "beat", "hid": "hide", "hidden": "hide", "stole": "steal", "stolen": "steal",
    "slain": "slay", "met": "meet", "led": "lead", "ran": "run", "went": "go", "gone": "go", "came": "come",
    "hit": "hit", "cut": "cut", "put": "put", "set": "set", "bore": "bear", "borne": "bear", "felt": "feel",
    "freed": "free", "dead": "die", "died": "die", "lit": "light", "withdrew": "withdraw", "withdrawn": "withdraw",
    "overran": "overrun", "overrun": "overrun", "underwent": "undergo", "undergone": "undergo",
}


#: Verbs of saying are attribution, not what a number counts.
_NOT_PREDICATES = frozenset({"said", "say", "says", "told", "tell", "reported", "added", "noted", "stated", "according"})


_TIME_RE = re.compile(
    r"\b(?:(?:on\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|"
    r"(?P<rel>yesterday|today|tonight|overnight|(?:this|last|next|past)\s+(?:week(?:end)?|month|year|night|morning)|"
    r"(?:over|during|at)\s+the\s+weekend|so\s+far|to\s+date)|"
    r"(?P<span>(?:within|in|over|during)\s+(?:the\s+)?(?:(?:past|last|first|next)\s+)?(?:\w+\s+)?"
    r"(?:hours?|days?|weeks?|months?|years?))|"
    r"(?P<date>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2})\b|"
    r"(?P<year>(?<![\d,.$])(?:19|20)\d{2}(?![\d,]|\.\d)))", re.I)


#: Before a number: a rank ("the No. 2 position", "#3"), which is an ordinal, not a count.
_RANK_BEFORE = re.compile(r"(?:\bNo\.|\bno\.|\bNos?\.|\bnumber|#)\s*$", re.I)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"


#: A month name beside a number makes it a date ("Sept. 11 hijackers", "11 March"), not a count.
_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s*$", re.I)


_MONTH_AFTER = re.compile(rf"^[\s-]+{_MONTH}(?![a-z])", re.I)


#: Units of time: a duration ("for 12 years") measures something the sentence names elsewhere, so
#: two durations are compared only inside one fact.
TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"})


def _predicate(word: str) -> str:
    """The base form of a verb-like word (``injured`` -> ``injur``, ``took`` -> ``take``), or "" when
    the word does not look like a verb form (a past form, a participle or an -ing form)."""
    w = word.lower()
    if w in _NOT_PREDICATES:
        return ""
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and (w.endswith("ed") or w.endswith("ing")):
        return _stem(w)
    return ""


def _time_key(text: str) -> str:
    """The time expressions of a sentence, normalised (``on Monday`` -> ``monday``; ``within
    days``; a year ``2014``), sorted and joined; "" when the sentence gives none."""
    keys = set()
    for m in _TIME_RE.finditer(text):
        if m.group("weekday"):
            keys.add(m.group("weekday").lower())
        else:
            keys.add(re.sub(r"\s+", " ", m.group().lower().removeprefix("on ").strip()))
    return "; ".join(sorted(keys))


#: A number joined to the word or number before it by a hyphen or a slash ("COVID-19", "F-16",
#: "9/11"): part of a name, a model or a date. Searched in the text just before the number.
_IN_A_NAME_OR_CODE = re.compile(r"(?:[^\W\d_]-|\d/)$")
#: A capitalised word just before a capitalised number word ("Capital One", "Air Force One"): the
#: number word is part of the name.
_NAME_BEFORE = re.compile(r"\b[A-Z][\w’'&.-]*\s+$")
#: "N of" just before a number: the number is the total of a running index ("17 of 22 photos").
_OF_A_TOTAL_BEFORE = re.compile(r"\b\d+\s+of\s+$")
#: A determiner before "one" makes it a pronoun ("this one", "no one", "the one who"), not a count.
_PRONOUN_ONE_BEFORE = re.compile(r"\b(?:the|this|that|these|those|no|any|every|each|which|what|another|"
                                 r"someone|anyone)\s+$", re.I)
#: A number joined to another by a colon or a hyphen is a clock time, a duration, a score, a split
#: or a range ("01:43", "7:30", "51-49", "5-4", "10-15"), not a count.
_JOINED_AFTER = re.compile(r"[:\-–]\d")
_JOINED_BEFORE = re.compile(r"\d[:\-–]$")
#: "aged 55", "turning 40": an age, and the ages of different people are not one quantity.
_AGE_BEFORE = re.compile(r"\b(?:aged?|ages|turn(?:s|ed|ing)?)\s+$", re.I)


def extract_quantities(text: str) -> list[dict]:
    """Numbers, number words and ordinals in ``text`` with the thing they count.

    Each item: ``quantity`` (surface text), ``value`` (float; "sixth" and "six" are both
    6), ``kind`` (cardinal / ordinal / percent), ``unit`` (the counted noun: the head of the
    run of up to three content words after the number, singular, e.g. "provincial capitals
    within days" -> "capital"; "" when none), ``noun`` (the whole run, singular: "provincial
    capital"), ``predicate`` (what happened to what is counted, base form: "12 people were
    *injured*", "*seized* six capitals" -> "injur", "seiz"; "" when none), ``qualifier`` ("at
    least", "about", ... before the number, or the vague number word itself; "" for an exact
    count), ``time`` (the sentence's time expressions, see :func:`_time_key`). A quantity with
    neither a counted noun nor a predicate, a year, an age ("a 14-year-old", "turning 55"), a point
    in time ("three years ago", "two days later"), a clock time, score, split or range ("01:43",
    "51-49", "10-15"), a number word inside a longer word ("one’s", "tenure") and the pronoun
    "one" ("this one", "no one") are left out.
    """
    out = []
    time = None
    for m in _QTY_RE.finditer(text):
        if _IN_A_NAME_OR_CODE.search(text, max(0, m.start() - 40), m.start()) or text.startswith("/", m.end()):
            continue  # "COVID-19", "F-16", "9/11", "24/7": a name or a date, not a count
        if m.group("word") and m.group("word")[:1].isupper() and _NAME_BEFORE.search(text, max(0, m.start() - 40),
                                                                                       m.start()):
            continue  # "Capital One", "Air Force One": a capitalised number word after a name is the name's
        if _OF_A_TOTAL_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            continue  # "17 of 22 photos": the total of a running index, not a count of anything
        if m.group("num") and (_JOINED_AFTER.match(text, m.end("num"))
                               or _JOINED_BEFORE.search(text, max(0, m.start() - 2), m.start())):
            continue  # "01:43", "51-49", "10-15": a time, a score, a split or a range
        if (m.group("word") or "").lower() == "one" and _PRONOUN_ONE_BEFORE.search(text, max(0, m.start() - 12),
                                                                                  m.start()):
            continue  # "this one", "no one": a pronoun
        if _AGE_BEFORE.search(text, max(0, m.start() - 10), m.start()):
            continue  # "turning 55": an age
        raw = m.group("num")
        kind = "cardinal"
        word = (m.group("word") or "").lower()
        if word:
            if word in ORDINAL_WORDS:
                value, kind = float(ORDINAL_WORDS[word]), "ordinal"
            else:
                value = float(NUMBER_WORDS[word])
        else:
            digits = raw.replace(",", "")
            if m.group("ord"):
                kind = "ordinal"
                digits = digits[: -2]
            try:
                value = float(digits)
            except ValueError:
                continue
        if m.group("mult"):
            value *= MULTIPLIERS[m.group("mult").lower()]
        rest = m.group("rest") or ""
        before_text = text[max(0, m.start() - 12): m.start()]
        if not word and (_MONTH_BEFORE.search(before_text) or _MONTH_AFTER.match(rest)):
            continue  # a date: "Sept. 11", "11 March"
        if _RANK_BEFORE.search(before_text):
            kind = "ordinal"  # a rank: "the No. 2 position"
        if re.match(r"[\s-]+(?:years?|months?|weeks?|days?)[\s-]+old\b", rest, re.I):
            continue  # an age: the ages of different people are not one quantity
        if re.match(r"[\s-]+(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centur(?:y|ies))"
                    r"\s+(?:ago|earlier|later|before|after|on|back)\b", rest, re.I):
            continue  # a point in time ("three years ago", "two days later"), not a count of anything
        if word == "one" and re.match(r"\s+(?:of|another|after)\b", rest, re.I):
            continue  # "one of the", "one another": not a count
        unit, noun_words, predicate = "", [], ""
        end = m.end("mult") if m.group("mult") else m.end("num")
        if m.group("pct"):
            kind, unit, end = "percent", "%", m.end("pct")
        else:
            rest_start = m.start("rest") if m.group("rest") else end
            after_noun = False
            for wm in re.finditer(r"[^\W\d_]+(?:['’][^\W\d_]+)*", rest):
                lw = normalize_word(wm.group())
                verb = _predicate(wm.group())
                if not after_noun and not verb and lw not in _UNIT_STOP and len(noun_words) < 3:
                    noun_words.append(lw)
                    unit, end = lw, rest_start + wm.end()
                    continue
                after_noun = True
                if wm.group().lower() in _AUXILIARIES:
                    continue
                if wm.group().lower().endswith("ly") and len(wm.group()) > 4:
                    continue  # an adverb: "were *seriously* injured"
                predicate = verb
                break
            if unit.endswith("ies") and len(unit) > 4:
                unit = unit[:-3] + "y"
            elif unit.endswith("s") and not unit.endswith("ss") and len(unit) > 3:
                unit = unit[:-1]
            if noun_words:
                noun_words[-1] = unit
        if not predicate:
            # the verb before the number: "*seized* six capitals", "*killing* 12 people"
            before = _QUALIFIER_RE.sub("", text[max(0, m.start() - 60): m.start()].rstrip() + " ").rstrip()
            bm = re.search(r"([^\W\d_]+)$", before)
            if bm:
                predicate = _predicate(bm.group(1))
        if not unit and not predicate:
            continue
        if kind == "cardinal" and not word and 1800 <= value <= 2100 and "," not in raw:
            continue  # a year
        qm = _QUALIFIER_RE.search(text[max(0, m.start() - 30): m.start()])
        qualifier = re.sub(r"\s+", " ", qm.group().strip().lower()) if qm else (word if word in VAGUE_WORDS else "")
        if time is None:
            time = _time_key(text)
        out.append({"quantity": text[m.start():end], "value": value, "kind": kind, "unit": unit,
                    "noun": " ".join(noun_words) if kind != "percent" else "%", "predicate": predicate,
                    "qualifier": qualifier, "time": time})
    return out


_DECIMALS = re.compile(r"\d[\d,]*\.(\d+)")
_MULTIPLIER = re.compile(rf"\b({_MULTIPLIER_WORDS})\b", re.I)


def precision_of(quantity: str) -> float:
    """The step a written number is precise to: "1.27%" 0.01, "1.3 million" 100,000, "14" and
    "fourteen" 1."""
    decimals = _DECIMALS.search(quantity)
    step = 10.0 ** -len(decimals.group(1)) if decimals else 1.0
    multiplier = _MULTIPLIER.search(quantity)
    return step * (MULTIPLIERS[multiplier.group(1).lower()] if multiplier else 1)


def _compared(noun: str, predicate: str, time: str) -> str:
    """What a conflict group compares, in words: "people, injur, monday"."""
    return " · ".join(p for p in (noun or "(no noun)", f"predicate: {predicate}" if predicate else "",
                                  f"time: {time}" if time else "") if p)


def quantity_conflicts(
    facts: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    scope: str = "both",
) -> pd.DataFrame:
    """Quantities reported differently for the same thing at the same time, side by side.

    Only exact counts are compared: ordinals ("the sixth capital" is a running count's position,
    not a count), bounds and estimates ("at least 12", "about 400") and vague number words
    ("dozens") are left out. Two counts are of the same quantity when they count the same noun
    (singular; a count with no noun, "Ten were injured", joins the only noun counted with that
    predicate), with the same predicate where either has one ("14 people *injured*" and "400
    employees" are two things), and the sentences give the same time expressions ("three
    capitals *over the weekend*" and "six capitals *within days*" are a running count).

    ``scope="fact"``: inside one fact, articles give different values for the same head noun and
    predicate. ``scope="unit"``: across the facts of one event (``articles.event``; all articles
    when absent), outlets give different values for the same noun phrase ("provincial capital"),
    predicate and time; percentages are compared only inside a fact. ``"both"`` (default).

    Returns one row per quantity mention in a conflicting group: ``scope`` (same fact / same
    unit), ``group`` (fact id or event, and what was compared), ``unit`` (head noun), ``values``
    (the distinct values in the group), ``fact_id, outlet, article_id, sent_id, quantity, value,
    kind``, and ``noun, predicate, time`` of the mention and ``compared`` (what the group
    compares, in words). The sentence's text is in ``sentences`` (and ``facts``) by ``article_id,
    sent_id``, not repeated here.
    """
    # the facts row of each quantity, and the quantity: not a dict per row, which for the 1.6 M
    # fact sentences of a 37,000-article corpus repeated nine keys a million times
    positions = array("q")
    found: list[dict] = []
    # bounds and estimates ("at least 90 percent") are not compared, but a sentence that gives one
    # beside an exact count of the same noun and predicate measures two things (below)
    hedged_positions = array("q")
    hedged: list[tuple[str, str, float]] = []
    for position, text in enumerate(facts["text"]):
        for quantity in extract_quantities(str(text)):
            if quantity["kind"] == "ordinal":
                continue
            if quantity["qualifier"]:
                hedged_positions.append(position)
                hedged.append((quantity["unit"], quantity["predicate"], quantity["value"]))
                continue
            positions.append(position)
            found.append(quantity)
    if not found:
        return pd.DataFrame(columns=QUANTITY_COLUMNS)
    carriers = facts[["fact_id", "outlet", "article_id", "sent_id"]].iloc[np.frombuffer(positions, dtype=np.int64)]
    q = pd.concat([carriers.reset_index(drop=True), pd.DataFrame(found).drop(columns="qualifier")], axis=1)
    del found, carriers
    ev = dict(zip(articles["article_id"].astype(str), articles["event"].fillna("").astype(str))) \
        if "event" in articles else {}
    q["event"] = q["article_id"].map(ev).fillna("") if ev else ""
    q = _fill_times(_fill_nouns(q))
    # a sentence giving two values for one noun and predicate ("35.7 percent ... while ... 45.8
    # percent") measures two things the noun does not tell apart: its counts are not compared
    per_sentence = q.groupby(["article_id", "sent_id", "unit", "predicate"])["value"].transform("nunique")
    q = q[per_sentence < 2]
    if hedged:
        # the same with a bound or an estimate beside the count: "a lower rate than the 13.9 percent
        # ... at least 90 percent of Americans" gives two percentages of two things
        beside = facts[["article_id", "sent_id"]].iloc[np.frombuffer(hedged_positions, dtype=np.int64)].reset_index(
            drop=True).assign(unit=[u for u, _, _ in hedged], predicate=[p for _, p, _ in hedged],
                              _hedged=[v for _, _, v in hedged])
        keys = ["article_id", "sent_id", "unit", "predicate"]
        paired = q[keys + ["value"]].reset_index().merge(beside, on=keys)
        two_things = set(paired.loc[paired["_hedged"] != paired["value"], "index"])
        q = q[~q.index.isin(two_things)]
    # a count of no named day ("142,000 jobs were created last month") is of its article's time:
    # counts in articles a week or more apart are two counts, not a disagreement (spells, below)
    days = (pd.to_datetime(articles["published"].astype(str), errors="coerce", utc=True, format="mixed")
            if "published" in articles else None)
    q["_day"] = (q["article_id"].map(dict(zip(articles["article_id"].astype(str), days))) if days is not None
                 else pd.NaT)
    q["_dated"] = [names_its_day(t) for t in q["time"].fillna("").astype(str)]
    q["_precision"] = [precision_of(t) for t in q["quantity"].astype(str)]
    parts = []
    specs = []
    if scope in ("fact", "both"):
        specs.append(("same fact", ["fact_id", "unit", "predicate", "time"], "article_id", q))
    if scope in ("unit", "both"):
        # across facts, only a count tied to what happened ("12 people were *injured*") is the same
        # quantity: two bare counts of a noun ("two women", "five women") are usually two groups,
        # two durations ("for 12 years") measure two different things, and percentages need their
        # fact to say what they are of
        across = q[(q["kind"] != "percent") & (q["predicate"] != "") & ~q["unit"].isin(TIME_UNITS)]
        specs.append(("same unit", ["event", "noun", "predicate", "time"], "outlet", across))
    for name, keys, who, frame in specs:
        frame = frame[(frame["unit"] != "") & frame["time"].notna()]
        if frame.empty:
            continue
        frame = frame.assign(_spell=_spells(frame, keys))
        keys = keys + ["_spell"]
        g = frame.groupby(keys)
        nval = g["value"].transform("nunique")
        nwho = g[who].transform("nunique")
        sel = frame[(nval >= 2) & (nwho >= 2)].copy()
        if sel.empty:
            continue
        # a value is the others' rounded ("1.3%" and "1.27%", "2 million" and "1,960,000"): each is
        # compared at the coarsest precision its group writes
        step = sel.groupby(keys)["_precision"].transform("max")
        sel["_rounded"] = (sel["value"] / step).round() * step
        # the values must differ between the carriers, not only inside one of them
        per = sel.groupby(keys + [who])["_rounded"].apply(frozenset).reset_index()
        differ = per.groupby(keys)["_rounded"].nunique()
        differ = differ[differ >= 2].index
        sel = sel.set_index(keys).loc[lambda d: d.index.isin(differ)].reset_index()
        if sel.empty:
            continue
        sel["scope"] = name
        sel["compared"] = [_compared(n, p, t) for n, p, t in zip(sel["noun"] if name == "same unit" else sel["unit"],
                                                                  sel["predicate"], sel["time"])]
        first = sel["fact_id"] if name == "same fact" else sel["event"].astype(str)
        # a group's second and later spells (its counts a week or more after the first's) are
        # named by their first day
        first_day = sel.groupby(keys, dropna=False)["_day"].transform("min").dt.strftime("%Y-%m-%d").fillna("")
        spell = np.where(sel["_spell"] > 0, " · from " + first_day, "")
        sel["group"] = (first + ":" + sel["compared"]).str.lstrip(":") + spell
        sel["values"] = sel.groupby("group")["value"].transform(
            lambda v: ", ".join(f"{x:g}" for x in sorted(set(v))))
        parts.append(sel)
    if not parts:
        return pd.DataFrame(columns=QUANTITY_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["scope", "group", "value", "outlet"], kind="stable")[QUANTITY_COLUMNS].reset_index(drop=True)


#: Counts of no named day in articles this many days apart or more are of two times.
SPELL_GAP_DAYS = DEICTIC_REACH_DAYS


def _spells(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Each row's spell within its group (``keys``): counts whose sentences name their day
    (``_dated``: "on Oct. 5", "in 2014") are all of spell 0; the others are cut where their
    articles' dates (``_day``) leave a gap of :data:`SPELL_GAP_DAYS` or more, spell 0 the earliest
    — "last month" or no time at all in articles a month apart are two months. An undated article
    is in the latest spell of its group (with one spell, as before: with all of them)."""
    ordered = frame.sort_values(keys + ["_day"], kind="stable", na_position="last")
    group = ordered.groupby(keys, sort=False, dropna=False).ngroup()
    gap = ordered["_day"].groupby(group).diff().dt.days
    cut = (gap >= SPELL_GAP_DAYS) & ~ordered["_dated"].to_numpy()
    spell = cut.astype(int).groupby(group).cumsum().where(~ordered["_dated"], 0)
    return spell.reindex(frame.index)


def _fill_times(q: pd.DataFrame) -> pd.DataFrame:
    """A count whose sentence gives no time is of the time the other counts of the same noun and
    predicate in its event give, when they give one; when they give several ("three capitals over
    the weekend", "six within days": a running count) it cannot be placed and gets no time (None),
    which leaves it out of every comparison."""
    timed = q[q["time"] != ""].groupby(["event", "noun", "predicate"])["time"].agg(lambda t: sorted(set(t)))
    if timed.empty or not (q["time"] == "").any():
        return q
    q = q.copy()
    times = q["time"].astype(object).tolist()
    for i, (event, noun, predicate, time) in enumerate(zip(q["event"], q["noun"], q["predicate"], q["time"])):
        if time == "" and (event, noun, predicate) in timed.index:
            known = timed.loc[(event, noun, predicate)]
            times[i] = known[0] if len(known) == 1 else None
    q["time"] = times
    return q


#: A bare count ("Ten were injured") takes the noun its predicate counts elsewhere only in a story
#: (an event of at most :data:`helpers.compare.findings.STORY_MAX_ARTICLES` articles): in a topic of
#: thousands of articles a predicate ("controlled", "voted") counts many things, and "this one
#: turned out" or "people turning 55" would be counted as whatever it counts elsewhere.
FILL_NOUN_MAX_ARTICLES = STORY_MAX_ARTICLES


def _fill_nouns(q: pd.DataFrame) -> pd.DataFrame:
    """A count with a predicate but no noun ("Ten were injured") takes the noun of the other counts
    with that predicate in its event, when they count exactly one noun ("12 people were injured")
    and the event is a story (:data:`FILL_NOUN_MAX_ARTICLES`); otherwise it is left without one (and
    compared with nothing)."""
    bare = (q["unit"] == "") & (q["predicate"] != "")
    if bare.any():
        articles_in = q.groupby("event")["article_id"].transform("nunique")
        bare &= articles_in <= FILL_NOUN_MAX_ARTICLES
    if not bare.any():
        return q
    counted = q[~bare & (q["predicate"] != "")].groupby(["event", "predicate"])
    only = counted["unit"].nunique()
    only = only[only == 1].index
    first = counted[["unit", "noun"]].first()
    q = q.copy()
    for i in np.flatnonzero(bare.to_numpy()):
        key = (q.at[i, "event"], q.at[i, "predicate"])
        if key in only:
            q.at[i, "unit"], q.at[i, "noun"] = first.loc[key, "unit"], first.loc[key, "noun"]
    return q
