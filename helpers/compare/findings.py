"""Findings: the analyses' tables turned into plain statements of how the outlets differed.

Takes the workbook's tables (``articles``, ``sentences``, ``date_conflicts``, ``quantity_conflicts``,
``facts``, ``passages``, ``embeds``, ``quote_variants``, ``story_leaders``, optionally
``frame_contrasts``) and gives one tidy ``findings`` table, one row per finding:

``finding_id``  stable id within the run (``D1``, ``N1`` … by kind, then rank order)
``event``       the event the finding is about
``kind``        one of :data:`KINDS`
``statement``   one plain sentence that names the outlets
``outlets``     the outlets involved, ``"; "``-separated, in the order the statement names them
``article_ids`` the articles behind it, ``";"``-separated
``evidence``    the ``article_id:sent_id`` pairs behind it, ``";"``-separated; each resolves in ``sentences``
``strength``    the number the rule measured (its meaning is in ``rule``)
``rule``        the rule that produced the finding and what ``strength`` is
``score``       :data:`KIND_WEIGHT` × the share of the event's outlets involved × a kind-specific
                factor in [0, 1] (see each rule); the ranking key
``rank``        1 = the finding a reader should see first, within its event
``table``       the table (in ``tables/``) that holds the rows behind the finding
``section``     the notebook page and heading that shows it (``05-dates-and-timeline.html#...``)

Precision comes first: each rule lists a finding only when its evidence holds (thresholds are the
module's constants, documented in the README), and a kind with no finding simply has no rows.
Every function is a pure function of its input tables.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter, defaultdict
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers import wire
from helpers.compare.overview import UNKNOWN_OUTLET, outlet_of

FINDING_COLUMNS = ["finding_id", "event", "kind", "statement", "outlets", "article_ids", "evidence",
                   "strength", "rule", "score", "rank", "table", "section"]

#: Kinds of finding, in the order a tie in score is broken.
KINDS = ("date_disagreement", "number_disagreement", "shared_quotation", "wire_copy", "shared_text",
         "omission", "quote_variant", "lead_actor", "frame_contrast", "tone_contrast", "first_published",
         "exclusive_facts")

#: How much a kind weighs in the score: disagreements about facts first, then shared sources and
#: copying, then what an outlet left out, then emphasis; timing and exclusives last.
KIND_WEIGHT = {"date_disagreement": 1.0, "number_disagreement": 1.0, "shared_quotation": 0.85,
               "wire_copy": 0.85, "shared_text": 0.85, "omission": 0.7, "quote_variant": 0.65,
               "lead_actor": 0.6, "frame_contrast": 0.55, "tone_contrast": 0.55, "first_published": 0.4,
               "exclusive_facts": 0.3}

_PREFIX = {"date_disagreement": "D", "number_disagreement": "N", "shared_quotation": "Q", "wire_copy": "W",
           "shared_text": "C", "omission": "O", "quote_variant": "V", "lead_actor": "L",
           "frame_contrast": "F", "tone_contrast": "T", "first_published": "P", "exclusive_facts": "E"}

#: Where each kind's rows are shown (notebook page, heading anchor) and kept (table).
SECTION = {
    "date_disagreement": ("05-dates-and-timeline.html", "Where do outlets disagree?", "date_conflicts"),
    "number_disagreement": ("02-coverage-and-reuse.html", "Where do outlets give different numbers for the same thing?", "quantity_conflicts"),
    "shared_quotation": ("02-coverage-and-reuse.html", "Which passages do articles share?", "passages"),
    "wire_copy": ("02-coverage-and-reuse.html", "Which passages do articles share?", "passages"),
    "shared_text": ("02-coverage-and-reuse.html", "Which passages do articles share?", "passages"),
    "omission": ("02-coverage-and-reuse.html", "Which facts does each outlet report?", "coverage_matrix"),
    "exclusive_facts": ("02-coverage-and-reuse.html", "Which facts does each outlet report?", "facts"),
    "quote_variant": ("04-voices.html", "The same quote in several outlets", "quote_variants"),
    "lead_actor": ("03-framing-and-emphasis.html", "Who leads the story?", "story_leaders"),
    "frame_contrast": ("03-framing-and-emphasis.html", "Which frames does each outlet use?", "frame_contrasts"),
    "tone_contrast": ("03-framing-and-emphasis.html", "How positive or negative are the sentences that name each actor?", "tone_contrasts"),
    "first_published": ("01-corpus.html", "When did each outlet publish?", "publication_timeline"),
}

#: Shared text that is not a quotation: at least this many words shared by two articles …
SHARED_TEXT_MIN_WORDS = 20
#: … and at least this share of one of the two articles' words.
SHARED_TEXT_MIN_SHARE = 0.10
#: A quotation carried word for word by two or more outlets: at least this many words.
SHARED_QUOTATION_MIN_WORDS = 12
#: An omission: a fact at least this many outlets carry, all of the event's outlets but one.
OMISSION_MIN_CARRIERS = 2
#: A sentence of the supposedly omitting (or other) article holding at least this share of a fact's
#: content words counts as carrying it: the fact grouping missed a paraphrase, so no finding.
CONTENT_OVERLAP_CARRIES = 0.4
#: Omissions, exclusive names and who leads compare the outlets of one story. An "event" with more
#: articles than this is a topic (or a whole corpus with no event column): those comparisons are
#: not made for it (they would be quadratic, and "only X names Y" among hundreds of outlets says
#: little); the other kinds still are.
STORY_MAX_ARTICLES = 60
#: Publication days a "who published first" finding lists before summing up the rest.
TIMING_DAYS_SHOWN = 4
#: Outlets a sentence lists by name before saying "and N more".
NAMES_SHOWN = 12
#: A direct quotation worded differently: at least this many words differ beyond spelling.
QUOTE_MIN_CHANGED_WORDS = 2

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")


# --------------------------------------------------------------------------------------------
# labels and small text helpers


def article_labels(articles: pd.DataFrame) -> pd.Series:
    """A reader's label for each article, indexed by ``article_id``: the outlet's name, and
    "Herald (2)" for an outlet's second article about the same event (in publication order,
    then id)."""
    if articles.empty:
        return pd.Series(dtype="object")
    frame = articles[["article_id", "published"]].copy()
    frame["event"] = articles["event"].to_numpy() if "event" in articles.columns else ""
    frame["outlet"] = outlet_of(articles).to_numpy()
    frame["_date"] = frame["published"].astype(str)
    frame = frame.sort_values(["event", "outlet", "_date", "article_id"], kind="stable")
    nth = frame.groupby(["event", "outlet"]).cumcount() + 1
    label = frame["outlet"].where(nth == 1, frame["outlet"] + " (" + nth.astype(str) + ")")
    return pd.Series(label.to_numpy(), index=frame["article_id"].to_numpy()).reindex(articles["article_id"])


def join_names(names: Sequence[str], limit: int | None = None) -> str:
    """"A", "A and B", "A, B and C"; past ``limit`` names (default :data:`NAMES_SHOWN`), "A, B
    … and 12 more"."""
    names = [n for n in names if n]
    limit = NAMES_SHOWN if limit is None else limit
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def human_date(value: object) -> str:
    """"Tue 10 Aug 2021" for a full date, "Aug 2021" for a month; anything else as it is."""
    text = str(value or "")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return pd.Timestamp(text).strftime("%a %-d %b %Y")
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return pd.Timestamp(text + "-01").strftime("%b %Y")
    except ValueError:
        return text
    return text


def shorten(text: str, limit: int = 160) -> str:
    """``text`` on one line, cut at a word boundary to ``limit`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def content_words(text: str) -> set[str]:
    """Content-word stems of ``text``: lower-cased words of three letters or more that are not
    English stop words, cut to their first five letters so that inflections match
    ("improve" / "improving", "continue" / "continuing")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return {w[:5] for w in (m.group().lower() for m in _WORD.finditer(str(text))) if len(w) >= 3 and w not in STOP_WORDS}


def _spelling_variant(a: str, b: str) -> bool:
    """Two words that differ only as spellings do (defence/defense, organise/organize): same first
    letter, five letters or more, one edit apart."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    changes = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    return len(changes) == 1 and max(changes[0][2] - changes[0][1], changes[0][4] - changes[0][3]) <= 1


def changed_words(a: str, b: str) -> list[str]:
    """Words of ``a`` and ``b`` (lower-cased) that differ between the first and the last word the
    two share, as "-removed" / "+added" items. Spelling variants and punctuation are ignored, and
    so is everything outside that span: one outlet quoting more (or another stretch) of a
    statement than another is not a different wording."""
    def words(text: str) -> list[str]:
        # Words an outlet adds in parentheses ("(Russian President Vladimir) Putin") are its own
        # clarification, and square brackets mark its stand-in for the speaker's words ("[him]"):
        # neither is a rewording. "E.U." and "EU", "U.S." and "US" are one word.
        text = re.sub(r"\([^()]*\)", " ", text).replace("[", " ").replace("]", " ")
        text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
        return [m.group().lower() for m in _WORD.finditer(text)]

    left, right = words(a), words(b)
    # An ellipsis marks words the quoting outlet left out: a gap is not a change of wording.
    elided = any(mark in text for text in (a, b) for mark in ("...", "…"))
    out: list[str] = []
    ops = difflib.SequenceMatcher(None, left, right, autojunk=False).get_opcodes()
    equal = [k for k, op in enumerate(ops) if op[0] == "equal"]
    if not equal:
        return ["-" + w for w in left] + ["+" + w for w in right]
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        if op == "equal" or k < equal[0] or k > equal[-1] or (op in ("insert", "delete") and elided):
            continue
        if op == "replace" and i2 - i1 == j2 - j1 and all(
                _spelling_variant(x, y) for x, y in zip(left[i1:i2], right[j1:j2])):
            continue
        out += ["-" + w for w in left[i1:i2]] + ["+" + w for w in right[j1:j2]]
    return out


class _Sentences:
    """Sentence lookup by article: text by (article_id, sent_id), and the sentences a span covers."""

    def __init__(self, sentences: pd.DataFrame):
        self.text: dict[tuple[str, int], str] = {}
        self.starts: dict[str, np.ndarray] = {}
        self.ends: dict[str, np.ndarray] = {}
        self.ids: dict[str, np.ndarray] = {}
        if sentences.empty:
            return
        ordered = sentences.sort_values(["article_id", "start"], kind="stable")
        for art, group in ordered.groupby("article_id", sort=False):
            self.starts[art] = group["start"].to_numpy()
            self.ends[art] = group["end"].to_numpy()
            self.ids[art] = group["sent_id"].to_numpy()
        self.text = dict(zip(zip(ordered["article_id"], ordered["sent_id"].astype(int)), ordered["text"]))
        self.by_article: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for (art, sid), text in self.text.items():
            self.by_article[art].append((sid, text))

    def covering(self, article_id: str, start: int, end: int) -> list[int]:
        """sent_ids of the article's sentences that overlap ``[start, end)``."""
        if article_id not in self.starts:
            return []
        starts, ends = self.starts[article_id], self.ends[article_id]
        mask = (starts < end) & (ends > start)
        return [int(s) for s in self.ids[article_id][mask]]


def name_key(surface: str, label: str = "PERSON") -> str:
    """What a name is searched by in other texts, lower-cased, without a possessive or surrounding
    punctuation: a person's last word ("Donald Trump's" -> "trump", since later mentions use the
    surname), any other name whole without a leading "the" ("the Democratic Party" -> "democratic
    party": its last word alone may be a common noun)."""
    text = re.sub(r"(['’]s?)$", "", str(surface).strip().strip(".,;:!?()[]\"“”‘’")).lower()
    words = text.split()
    if not words:
        return ""
    if label == "PERSON":
        return words[-1]
    return " ".join(words[1:] if words[0] == "the" and len(words) > 1 else words)


def mentions(key: str, text: str) -> bool:
    """Whether the lower-cased ``text`` holds ``key`` as a whole word (possessives count)."""
    return bool(key) and key in text and _word_pattern(key).search(text) is not None


@functools.lru_cache(maxsize=65536)
def _word_pattern(key: str) -> re.Pattern:
    return re.compile(r"\b" + re.escape(key) + r"(?:['’]s?)?\b")


NUMBER_WORDS = frozenset("""two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
million billion trillion dozen dozens hundreds thousands millions""".split())


def numbers_in(text: str) -> set[str]:
    """Numbers a sentence gives, as searchable keys: digit groups ("1,200" -> "1,200") and English
    number words from two up ("one" is too often not a number), standing alone."""
    lowered = str(text).lower()
    # A number joined to a word by a hyphen ("four-star", "2-year-old") describes, it does not count.
    digits = {m.group() for m in re.finditer(r"(?<![\w-])(?:\d[\d,.]*\d|\d)(?![\w-])", lowered)}
    return digits | {m.group() for m in re.finditer(r"(?<![\w-])[a-z]+(?![\w-])", lowered) if m.group() in NUMBER_WORDS}


def lowercase_words(texts: Iterable[str]) -> set[str]:
    """Words the texts write in lower case somewhere (not at a sentence start only): common words."""
    found: set[str] = set()
    for text in texts:
        found.update(re.findall(r"(?<![.!?]\s)(?<!^)\b([a-z][a-z'’-]{2,})\b", str(text)))
    return found


def _evidence(pairs: Iterable[tuple[str, int]]) -> str:
    seen = sorted({(str(a), int(s)) for a, s in pairs})
    return ";".join(f"{a}:{s}" for a, s in seen)


def _row(kind: str, event: str, statement: str, outlets: Sequence[str], article_ids: Iterable[str],
         evidence: Iterable[tuple[str, int]], strength: float, rule: str, share_of_outlets: float,
         factor: float = 1.0) -> dict:
    page, heading, table = SECTION[kind]
    return {"event": event, "kind": kind, "statement": statement, "outlets": "; ".join(outlets),
            "article_ids": ";".join(sorted(set(article_ids))), "evidence": _evidence(evidence),
            "strength": round(float(strength), 4), "rule": rule,
            "score": round(KIND_WEIGHT[kind] * min(1.0, share_of_outlets) * min(1.0, max(0.0, factor)), 4),
            "table": table, "section": f"{page}#{section_anchor(heading)}"}


def section_anchor(heading: str) -> str:
    """The anchor nbconvert gives a markdown heading (spaces become hyphens)."""
    return heading.strip().replace(" ", "-")


# --------------------------------------------------------------------------------------------
# the rules, one per kind


def date_findings(date_conflicts: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """Outlets that date the same happening differently (rows of ``date_conflicts``: the dates stage
    lists a happening only when outlets give it different values). One finding per happening:
    each side's outlets with their expressions and the date in words (``when``), then the dates
    stage's ``note`` (a time zone or an anchor that can explain the gap): a note every row shares
    is said once, a note of some rows is said with their outlets."""
    if date_conflicts.empty:
        return []
    labels = article_labels(articles)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    group_key = "happening_id" if "happening_id" in date_conflicts.columns else "fact_id"
    rows = []
    for _key, group in date_conflicts.groupby(group_key, sort=True):
        group = group.assign(label=group["article_id"].map(labels)).sort_values(["value", "label"], kind="stable")
        sides = []
        for value, side in group.groupby("value", sort=True):
            per_article = side.drop_duplicates("article_id")
            exprs = sorted({str(e) for e in side["expression"]})
            when = str(side["when"].iloc[0]) if "when" in side.columns and str(side["when"].iloc[0]) else human_date(value)
            sides.append((when, list(per_article["label"]), exprs))
        if len(sides) < 2 or len({label for _, names, _ in sides for label in names}) < 2:
            continue
        # The side most outlets take is named last: "A dates it X; B, C and D say Y."
        sides.sort(key=lambda s: (len(s[1]), s[0]))
        parts = []
        for i, (when, names, exprs) in enumerate(sides):
            said = " / ".join(f"“{e}”" for e in exprs)
            verb = ("dates it" if len(names) == 1 else "date it") if i == 0 else ("says" if len(names) == 1 else "say")
            parts.append(f"{join_names(names)} {verb} {when} ({said})")
        statement = "; ".join(parts) + "."
        notes = _shared_and_own_notes(group)
        if notes:
            statement += " Note: " + "; ".join(notes) + "."
        if "sentence" in group:
            statement += f" About: “{shorten(str(group['sentence'].iloc[0]), 110)}”"
        outlets = [n for _, names, _ in sides for n in names]
        arts = list(group["article_id"])
        event = event_of.get(arts[0], "")
        rows.append(_row("date_disagreement", event, statement, outlets, arts,
                         zip(group["article_id"], group["sent_id"]), len(sides),
                         "date_conflicts: the same happening resolved to different dates; strength = distinct dates",
                         len(set(outlets)) / max(1, n_outlets.get(event, 1))))
    return rows


def _shared_and_own_notes(group: pd.DataFrame) -> list[str]:
    """The ``note`` parts ("; "-separated) of a happening's rows: those all rows share once, the
    others prefixed with the outlets whose rows carry them."""
    if "note" not in group.columns:
        return []
    per_row = [(label, [p.strip() for p in str(note or "").split(";") if p.strip()])
               for label, note in zip(group["label"], group["note"])]
    shared = [p for p in per_row[0][1] if all(p in parts for _, parts in per_row)]
    own: dict[str, list[str]] = defaultdict(list)
    for label, parts in per_row:
        for part in parts:
            if part not in shared and label not in own[part]:
                own[part].append(label)
    return shared + [f"{join_names(sorted(names))}: {part}" for part, names in own.items()]


def number_findings(quantity_conflicts: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """Outlets that give different numbers for the same quantity (rows of ``quantity_conflicts``,
    ordinals left out: "the sixth capital" counts a sequence, it does not measure it)."""
    if quantity_conflicts.empty:
        return []
    labels = article_labels(articles)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    frame = quantity_conflicts
    if "kind" in frame.columns:
        frame = frame[frame["kind"].astype(str) != "ordinal"]
    rows = []
    for key, group in frame.groupby("group", sort=True):
        group = group.assign(label=group["article_id"].map(labels))
        by_value = group.groupby("value", sort=True)
        if by_value.ngroups < 2 or group["label"].nunique() < 2:
            continue
        sides = []
        for value, side in by_value:
            names = sorted(set(side["label"]))
            said = " / ".join(f"“{q}”" for q in sorted(set(side["quantity"].astype(str))))
            sides.append((names, said))
        # An outlet that gives two values for the "same" quantity shows it is not one quantity (a running
        # count, two things counted): no disagreement between outlets can be read from it.
        if (group.groupby("label")["value"].nunique() > 1).any():
            continue
        unit = str(group["unit"].iloc[0]) if "unit" in group else ""
        statement = (f"The outlets give different numbers for {unit or 'the same quantity'}: "
                     + "; ".join(f"{join_names(n)} {'says' if len(n) == 1 else 'say'} {s}" for n, s in sides) + ".")
        outlets = [n for names, _ in sides for n in names]
        arts = list(group["article_id"])
        event = event_of.get(arts[0], "")
        rows.append(_row("number_disagreement", event, statement, outlets, arts,
                         zip(group["article_id"], group["sent_id"]), by_value.ngroups,
                         "quantity_conflicts: one quantity, different values (ordinals excluded); strength = distinct values",
                         len(set(outlets)) / max(1, n_outlets.get(event, 1))))
    return rows


def _passage_clusters(passages: pd.DataFrame) -> list[pd.DataFrame]:
    """Passage clusters merged when an occurrence of one lies mostly (half or more of the shorter)
    inside an occurrence of the other in the same article: a shorter passage inside a longer one
    is the same shared text."""
    if passages.empty:
        return []
    parent = {p: p for p in passages["passage_id"].unique()}

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for _, group in passages.sort_values(["article_id", "start"], kind="stable").groupby("article_id", sort=False):
        spans = list(zip(group["passage_id"], group["start"], group["end"]))
        for i, (pid, start, end) in enumerate(spans):
            for other, o_start, o_end in spans[i + 1:]:
                if o_start >= end:
                    break
                overlap = min(end, o_end) - max(start, o_start)
                if overlap >= 0.5 * min(end - start, o_end - o_start):
                    a, b = find(pid), find(other)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
    roots = passages["passage_id"].map(find)
    return [group for _, group in passages.assign(_cluster=roots).groupby("_cluster", sort=True)]


def shared_source_findings(passages: pd.DataFrame, embeds: pd.DataFrame, articles: pd.DataFrame,
                           sentences: pd.DataFrame, quotes: pd.DataFrame | None = None) -> list[dict]:
    """Text two or more outlets carry verbatim or nearly because they quote the same source (a
    statement, a readout, an embedded post), and agency text several outlets ran (wire copy).
    For a quotation, says which outlets put it inside quotation marks (a ``direct`` row of
    ``quotes`` over the occurrence) and which run it without them."""
    if passages.empty:
        return []
    labels = article_labels(articles)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    lookup = _Sentences(sentences)
    direct = pd.DataFrame(columns=["article_id", "start", "end"])
    if quotes is not None and not quotes.empty and {"start", "end", "kind"} <= set(quotes.columns):
        direct = quotes[quotes["kind"].astype(str) == "direct"]
    # Direct quotations' spans by article, looked up per passage occurrence (a scan of the whole
    # quotes table per occurrence is quadratic on a large corpus).
    direct_spans = {a: (g["start"].to_numpy(), g["end"].to_numpy()) for a, g in direct.groupby("article_id", sort=False)}
    quoting = passages[passages["source_kind"].astype(str).isin({"quoted statement", "social post", "wire copy"})]
    rows = []
    # Passages are found corpus-wide; a finding is about one event, so a cluster is cut by event.
    per_event = [part for cluster in _passage_clusters(quoting)
                 for _, part in cluster.groupby(cluster["article_id"].map(event_of).fillna(""), sort=True)]
    for cluster in per_event:
        kinds = set(cluster["source_kind"].astype(str))
        kind = "wire_copy" if "wire copy" in kinds else "shared_quotation"
        arts = sorted(set(cluster["article_id"]))
        outlets = sorted({labels.get(a, a) for a in arts})
        if len({str(labels.get(a, a)).split(" (")[0] for a in arts}) < 2:
            continue
        words = int(cluster["words"].max())
        event = event_of.get(arts[0], "")
        event_arts = set(articles.loc[articles["event"] == event, "article_id"])
        missing = sorted({labels.get(a, a) for a in event_arts - set(arts)})
        longest = cluster.sort_values(["words", "article_id"], ascending=[False, True], kind="stable").iloc[0]
        evidence = [(a, s) for a, st, en in zip(cluster["article_id"], cluster["start"], cluster["end"])
                    for s in lookup.covering(a, int(st), int(en))]
        if kind == "wire_copy":
            agency = ""
            if "source_agency" in cluster.columns:
                agency = next((str(x) for x in cluster["source_agency"] if str(x or "")), "")
            detail = next((str(x) for x in cluster["source_detail"] if str(x or "")), "")
            statement = (f"{join_names(outlets)} ran the same agency text{f' from {agency}' if agency else ''} "
                         f"({words} words): “{shorten(longest['text'], 140)}”" + (f" (evidence: {detail})." if detail else ""))
            rule = "passages: wire copy (an agency credit in a carrying article) shared by two or more outlets; strength = words"
            factor = 1.0
        else:
            if words < SHARED_QUOTATION_MIN_WORDS:
                continue
            social = "social post" in kinds
            what = f"the same post{_post_of(cluster, embeds)}" if social else "the same statement"
            marked = set()
            for a, st, en in zip(cluster["article_id"], cluster["start"], cluster["end"]):
                starts, ends = direct_spans.get(a, (np.empty(0), np.empty(0)))
                if ((starts < en) & (ends > st)).any():
                    marked.add(labels.get(a, a))
            unmarked = [o for o in outlets if o not in marked]
            how = ""
            if not social and marked and unmarked:
                how = (f" {join_names(sorted(marked))} {'puts' if len(marked) == 1 else 'put'} it in quotation marks; "
                       f"{join_names(unmarked)} {'runs' if len(unmarked) == 1 else 'run'} it without them.")
            low = int(cluster["words"].min())
            size = f"{words} words" if low == words else f"{low}–{words} words"
            statement = (f"{join_names(outlets)} carry {what} ({size}, verbatim or nearly): "
                         f"“{shorten(longest['text'], 140)}”" + (how or ".")
                         + (f" {join_names(missing)} {'does' if len(missing) == 1 else 'do'} not carry this text." if missing else ""))
            rule = (f"passages: a quotation or embedded post of ≥ {SHARED_QUOTATION_MIN_WORDS} words carried by "
                    "two or more outlets; strength = words")
            factor = min(1.0, words / 40)
        rows.append(_row(kind, event, statement, outlets, arts, evidence, words, rule,
                         len(outlets) / max(1, n_outlets.get(event, 1)), 0.5 + 0.5 * factor))
    return rows


def _post_of(cluster: pd.DataFrame, embeds: pd.DataFrame) -> str:
    """" by @handle (author, date)" for the embedded post a cluster overlaps, else ""."""
    if embeds is None or embeds.empty:
        return ""
    for art, start, end in zip(cluster["article_id"], cluster["start"], cluster["end"]):
        hit = embeds[(embeds["article_id"] == art) & (embeds["start"] < end) & (embeds["end"] > start)]
        if not hit.empty:
            row = hit.iloc[0]
            who = f" by @{row['handle']}" if str(row.get("handle", "") or "") else ""
            extra = ", ".join(x for x in (str(row.get("author", "") or ""), human_date(row.get("posted", ""))) if x)
            return who + (f" ({extra})" if extra else "")
    return ""


def shared_text_findings(reuse_pairs: pd.DataFrame, passages: pd.DataFrame, articles: pd.DataFrame,
                         sentences: pd.DataFrame) -> list[dict]:
    """Two outlets of one event that share text which is not a quotation of a common source: one
    copied the other, or both took it from a source neither names (when either article carries a
    wire credit, :func:`helpers.wire.wire_agencies`, the statement names the agency). The shares are
    ``reuse_pairs.copied_share_a/b`` (:mod:`helpers.compare.reuse`: shared words outside quotations of a
    common source); listed when the pair shares at least :data:`SHARED_TEXT_MIN_WORDS` words and
    that is at least :data:`SHARED_TEXT_MIN_SHARE` of one article. Evidence: the sentences of the
    non-quotation ``passages`` both articles carry."""
    if reuse_pairs.empty or "copied_share_a" not in reuse_pairs.columns:
        return []
    labels = article_labels(articles)
    words_of = dict(zip(articles["article_id"], articles["word_count"]))
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    lookup = _Sentences(sentences)
    raw_text = dict(zip(articles["article_id"], articles["text"].fillna("").astype(str))) if "text" in articles else {}
    outlet_name = dict(zip(articles["article_id"], outlet_of(articles)))
    copied = passages[~passages["source_kind"].astype(str).isin({"quoted statement", "social post"})] \
        if not passages.empty else passages
    spans = {a: list(zip(g["passage_id"], g["start"], g["end"])) for a, g in copied.groupby("article_id")} \
        if not copied.empty else {}
    rows = []
    for a, b, share_a, share_b in zip(reuse_pairs["article_a"], reuse_pairs["article_b"],
                                      reuse_pairs["copied_share_a"], reuse_pairs["copied_share_b"]):
        if outlet_name.get(a) == outlet_name.get(b) or event_of.get(a) != event_of.get(b):
            continue
        wa = int(round(share_a * int(words_of.get(a, 0) or 0)))
        wb = int(round(share_b * int(words_of.get(b, 0) or 0)))
        if min(wa, wb) < SHARED_TEXT_MIN_WORDS or max(share_a, share_b) < SHARED_TEXT_MIN_SHARE:
            continue
        common = {pid for pid, _, _ in spans.get(a, [])} & {pid for pid, _, _ in spans.get(b, [])}
        evidence = [(x, sid) for x in (a, b) for pid, start, end in spans.get(x, []) if pid in common
                    for sid in lookup.covering(x, int(start), int(end))]
        la, lb = labels.get(a, a), labels.get(b, b)
        n = len(common)
        credits = {x: wire.wire_agencies(raw_text.get(x, ""), outlet=outlet_name.get(x, "")) for x in (a, b)}
        source = "one copied the other, or both used a source neither names"
        if credits[a] or credits[b]:
            source = "; ".join(f"{labels.get(x, x)}'s article credits {join_names(credits[x])}"
                               for x in (a, b) if credits[x]) + ", so the shared text may be that agency's copy"
        statement = (f"{la} and {lb} share {n} passage{'s' if n != 1 else ''} of text that {'are' if n != 1 else 'is'} "
                     f"not a quotation ({wa} words, {share_a:.0%} of {la}'s article; {share_b:.0%} of {lb}'s): "
                     f"{source}.")
        event = event_of.get(a, "")
        rows.append(_row("shared_text", event, statement, [la, lb], [a, b], evidence, max(share_a, share_b),
                         f"reuse_pairs: copied shares (no quotation of a common source) of two outlets: "
                         f"≥ {SHARED_TEXT_MIN_WORDS} words and ≥ {SHARED_TEXT_MIN_SHARE:.0%} of one article; "
                         "strength = the larger share",
                         2 / max(2, n_outlets.get(event, 2)) * 2, 0.5 + max(share_a, share_b)))
    return rows


def _fact_text(pairs: list[tuple[str, int]], lookup: "_Sentences") -> str:
    """A fact in words: its shortest sentence (the fact table's own label rule)."""
    example = min(pairs, key=lambda p: (len(lookup.text.get(p, "")), p))
    return lookup.text.get(example, "")


class _CoverageEvidence:
    """What the coverage rules read, built once per call: sentence text and content-word stems,
    the names (entities) and numbers each sentence gives, and each article's lower-cased text."""

    def __init__(self, articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None):
        self.lookup = _Sentences(sentences)
        self.outlet_name = dict(zip(articles["article_id"], outlet_of(articles)))
        self.texts = dict(zip(articles["article_id"], articles["text"].fillna("").astype(str).str.lower())) \
            if "text" in articles.columns else {}
        self.lead: set[tuple[str, int]] = set()
        if "in_lead" in sentences.columns:
            flagged = sentences[sentences["in_lead"].astype(bool) | sentences.get("in_headline", False)]
            self.lead = set(zip(flagged["article_id"], flagged["sent_id"].astype(int)))
        self._words: dict[tuple[str, int], set[str]] = {}
        # A one-word "name" the corpus also writes in lower case ("State", "House") is a common word:
        # its absence from an article proves nothing.
        common_words = lowercase_words(articles["text"]) if "text" in articles.columns else set()
        self.names_in: dict[tuple[str, int], set[str]] = defaultdict(set)
        # (article, sentence) -> [(key, canonical form, surface)] for the exclusive-name test
        self.named: dict[tuple[str, int], list[tuple[str, str, str]]] = defaultdict(list)
        if entities is not None and not entities.empty:
            named = entities[entities["label"].isin(EXCLUSIVE_LABELS)]
            canonical = named["canonical"] if "canonical" in named.columns else named["text"]
            for art, sid, surface, label, canon in zip(named["article_id"], named["sent_id"].astype(int), named["text"],
                                                       named["label"], canonical):
                key = name_key(surface, label)
                self.named[(art, sid)].append((key, str(canon), str(surface)))
                if (str(surface)[:1].isupper() and not str(surface).isupper() and len(key) >= 4
                        and not (" " not in key and key in common_words)):
                    self.names_in[(art, sid)].add(key)

    def words_of(self, art: str, sid: int) -> set[str]:
        key = (art, sid)
        if key not in self._words:
            self._words[key] = content_words(self.lookup.text.get(key, ""))
        return self._words[key]

    def closest(self, articles: Iterable[str], pairs: list[tuple[str, int]], *,
                stop_at: float | None = None) -> tuple[float, tuple[str, int] | None]:
        """The sentence of ``articles`` holding the largest share of any of the fact sentences'
        content-word stems (facts of fewer than three content words are not compared): that
        share and the sentence's key. With ``stop_at``, the first sentence reaching it is enough."""
        targets = [t for t in (self.words_of(a, s) for a, s in pairs) if len(t) >= 3]
        best, where = 0.0, None
        if not targets:
            return best, where
        for art in articles:
            for sid, _ in self.lookup.by_article.get(art, []):
                mine = self.words_of(art, sid)
                share = max(len(t & mine) / len(t) for t in targets)
                if share > best:
                    best, where = share, (art, sid)
                    if stop_at is not None and best >= stop_at:
                        return best, where
        return best, where

    def fact_keys(self, pairs: list[tuple[str, int]]) -> list[str]:
        """Names and numbers most of the fact's sentences give (a strict majority), most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        for pair in set(pairs):
            for key in self.names_in.get(pair, set()) | numbers_in(self.lookup.text.get(pair, "")):
                counts[key] += 1
        need = len(set(pairs)) // 2 + 1  # a strict majority: with two sentences, both
        return sorted((k for k, n in counts.items() if n >= need), key=lambda k: (-counts[k], k))

    def exclusive_names(self, pairs: list[tuple[str, int]], others_text: str, common: set[str],
                        outlet_keys: set[str]) -> dict[str, list[tuple[tuple[str, int], str]]]:
        """Names in the fact's sentences that no other outlet's text names: key -> [(sentence, canonical)].
        An acronym may be spelled out by the others ("NSA" / "National Security Adviser"), a
        lower-case "name" is the model's mistake, and an outlet naming itself ("told Fox News") is
        a signature: none of them is ever exclusive."""
        found: dict[str, list[tuple[tuple[str, int], str]]] = defaultdict(list)
        for pair in sorted(set(pairs)):
            for key, canonical, surface in self.named.get(pair, ()):
                if (surface.isupper() or not surface[:1].isupper() or len(key) < 4 or mentions(key, others_text)
                        or (" " not in key and key in common)
                        or any(mentions(key, own) or mentions(own, key) for own in outlet_keys)):
                    continue
                found[key].append((pair, canonical))
        return found


#: Columns of :func:`coverage_checks`.
COVERAGE_CHECK_COLUMNS = ["event", "outlet", "question", "fact_id", "fact", "carried_by", "verdict", "closest_sentence",
                          "closest_share", "names", "evidence"]

LEFT_OUT, CARRIED_OTHERWISE, NOT_CHECKABLE, ONLY_HERE = (
    "leaves it out", "may carry it in other words", "cannot be checked", "only this outlet names")


def _judge_coverage(facts: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame,
                    entities: pd.DataFrame | None, *, min_share: float | None) -> list[dict]:
    """Every coverage candidate of every event, judged: facts at least ``min_share`` of the
    event's outlets (and two; ``None``: all outlets but one) carry that another outlet's fact
    grouping says it lacks, and facts a
    single outlet carries. One dict per (outlet, fact) with :data:`COVERAGE_CHECK_COLUMNS` plus
    the evidence the findings need (``_pairs``, ``_absent``, ``_exclusive``, ``_n_outlets``,
    ``_carriers``, ``_omitting``)."""
    if facts.empty or articles.empty:
        return []
    seen = _CoverageEvidence(articles, sentences, entities)
    outlet_name, lookup = seen.outlet_name, seen.lookup
    event_of = dict(zip(articles["article_id"], articles["event"]))
    frame = facts.assign(outlet_name=facts["article_id"].map(outlet_name), event=facts["article_id"].map(event_of))
    checks: list[dict] = []
    for event, in_event in frame.groupby("event", sort=True):
        event_articles = articles[articles["event"] == event]
        outlets_here = sorted(set(outlet_of(event_articles)) - {UNKNOWN_OUTLET}) or sorted(set(outlet_of(event_articles)))
        n_outlets = len(outlets_here)
        if n_outlets < 2:
            continue
        need = max(OMISSION_MIN_CARRIERS,
                   n_outlets - 1 if min_share is None else int(np.ceil(min_share * n_outlets)))
        by_outlet: dict[str, list[str]] = defaultdict(list)
        for art in event_articles["article_id"]:
            by_outlet[outlet_name.get(art)].append(art)
        others_text = {o: " \n ".join(seen.texts.get(a, "") for a in event_articles["article_id"]
                                      if outlet_name.get(a) != o) for o in outlets_here}
        common = lowercase_words(event_articles["text"]) if "text" in event_articles.columns else set()
        outlet_keys = {k for k in (name_key(o, "ORG") for o in set(outlet_name.values())) if len(k) >= 3}
        for fact_id, group in in_event.groupby("fact_id", sort=True):
            carriers = sorted(set(group["outlet_name"]) & set(outlets_here))
            pairs = sorted(set(zip(group["article_id"], group["sent_id"].astype(int))))
            base = {"event": event, "fact_id": fact_id, "fact": _fact_text(pairs, lookup),
                    "carried_by": join_names(carriers), "_pairs": pairs, "_n_outlets": n_outlets,
                    "_carriers": carriers, "_absent": [], "_exclusive": {}, "closest_sentence": "",
                    "closest_share": np.nan, "names": "", "evidence": _evidence(pairs)}
            if len(carriers) == 1:
                outlet = carriers[0]
                others = [a for a in event_articles["article_id"] if outlet_name.get(a) != outlet]
                exclusive = seen.exclusive_names(pairs, others_text.get(outlet, ""), common, outlet_keys)
                row = dict(base, outlet=outlet, question="only this outlet?", _omitting=[])
                # In a topic of thousands of articles the sentence-by-sentence paraphrase test (every
                # sentence of the event) is slow: there it runs only on facts that could be an
                # exclusive, those naming something no other outlet's text names.
                if not exclusive and len(event_articles) > STORY_MAX_ARTICLES:
                    row["verdict"] = f"{NOT_CHECKABLE}: it names nothing the other outlets' texts lack"
                    checks.append(row)
                    continue
                share, where = seen.closest(others, pairs)
                if where is not None and share >= CONTENT_OVERLAP_CARRIES:
                    row.update(verdict="another outlet " + CARRIED_OTHERWISE,
                               closest_sentence=f"{outlet_name.get(where[0])}: {lookup.text.get(where, '')}",
                               closest_share=share)
                elif not exclusive:
                    row["verdict"] = f"{NOT_CHECKABLE}: it names nothing the other outlets' texts lack"
                else:
                    names = list(dict.fromkeys(max((c for _, c in exclusive[k]), key=len) for k in exclusive))
                    row.update(verdict=f"{ONLY_HERE} {join_names(names, NAMES_SHOWN)}", names="; ".join(names),
                               _exclusive=dict(exclusive))
                checks.append(row)
                continue
            if len(carriers) < need:
                continue
            for outlet in sorted(set(outlets_here) - set(carriers)):
                omitting = by_outlet.get(outlet, [])
                row = dict(base, outlet=outlet, question="left out?", _omitting=omitting)
                share, where = seen.closest(omitting, pairs)
                if where is not None:
                    row.update(closest_sentence=lookup.text.get(where, ""), closest_share=share)
                if share >= CONTENT_OVERLAP_CARRIES:
                    row["verdict"] = CARRIED_OTHERWISE
                else:
                    # The omission must be checkable: a name or number the carriers give is nowhere
                    # in the omitting outlet's text. Without one, "leaves out" could be a paraphrase.
                    own_text = " ".join(seen.texts.get(a, "") for a in omitting)
                    absent = [k for k in seen.fact_keys(pairs) if not mentions(k, own_text)]
                    if absent:
                        row.update(verdict=f"{LEFT_OUT}: never mentions " + join_names([f"“{k}”" for k in absent[:4]]),
                                   names="; ".join(absent), _absent=absent)
                    else:
                        row["verdict"] = f"{NOT_CHECKABLE}: every name and number it gives is in {outlet}'s text"
                checks.append(row)
    return checks


def coverage_checks(facts: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame,
                    entities: pd.DataFrame | None = None, *, min_share: float = 0.5) -> pd.DataFrame:
    """The fact grouping's coverage claims, each checked against the text by the findings' rules.

    Two questions: *left out?* — a fact at least ``min_share`` of the event's outlets (and at least
    :data:`OMISSION_MIN_CARRIERS`) carry that an outlet's articles have no grouped sentence for; and
    *only this outlet?* — a fact one outlet carries. The fact grouping answers both by sentence
    similarity, which misses paraphrases; the check reads the text:

    - ``may carry it in other words``: a sentence of the outlet (for *only this outlet?*: of another
      outlet) holds ≥ :data:`CONTENT_OVERLAP_CARRIES` of the fact's content-word stems (shown, with
      that share, for the reader to judge: the rule declines to claim a difference, it does not
      prove the sentence says the same);
    - ``leaves it out: never mentions …``: no such sentence, and names or numbers most carrying
      sentences give are absent from the outlet's text (a finding when every other outlet carries it);
    - ``only this outlet names …``: no such sentence elsewhere, and the fact names people, places
      or organisations no other outlet's text names (an ``exclusive_facts`` finding);
    - ``cannot be checked``: no name or number to look for; the grouping alone cannot tell.

    Takes the ``facts``, ``articles`` (with ``text`` and ``event``), ``sentences`` and ``entities``
    tables; gives one row per (outlet, fact): :data:`COVERAGE_CHECK_COLUMNS` (``closest_share`` a
    fraction, ``names`` the absent or exclusive names, ``evidence`` the fact's ``article_id:sent_id``
    pairs), ordered by event, question, outlet and fact.
    """
    rows = _judge_coverage(facts, articles, sentences, entities, min_share=min_share)
    if not rows:
        return pd.DataFrame(columns=COVERAGE_CHECK_COLUMNS)
    frame = pd.DataFrame(rows)[COVERAGE_CHECK_COLUMNS]
    return frame.sort_values(["event", "question", "outlet", "fact_id"], kind="stable").reset_index(drop=True)


def coverage_check_summary(checks: pd.DataFrame) -> str:
    """One sentence per question of :func:`coverage_checks`: how many of the fact grouping's
    claims the text bears out ("Of 6 facts the grouping says an outlet leaves out, 1 holds up …")."""
    if checks.empty:
        return "The fact grouping marks no fact as left out by one outlet or carried by one outlet alone."
    sentences = []
    for question, claim, holds in (("left out?", "says an outlet leaves out", LEFT_OUT),
                                   ("only this outlet?", "says only one outlet carries", ONLY_HERE)):
        part = checks[checks["question"] == question]
        if part.empty:
            continue
        verdicts = part["verdict"].str.split(":").str[0].str.replace(r"^only this outlet names .*", ONLY_HERE, regex=True)
        held = int((verdicts == holds).sum())
        other_words = int(verdicts.str.endswith(CARRIED_OTHERWISE).sum())
        unknown = int((verdicts == NOT_CHECKABLE).sum())
        sentences.append(f"Of {len(part)} fact{'s' if len(part) != 1 else ''} the grouping {claim}, {held} "
                         f"hold{'s' if held == 1 else ''} up when the text is read; for {other_words} a sentence "
                         f"holds ≥ {CONTENT_OVERLAP_CARRIES:.0%} of the fact's content words (it may carry it in "
                         f"other words), and {unknown} cannot be checked (no name or number to look for).")
    return " ".join(sentences)


def coverage_findings(facts: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame,
                      entities: pd.DataFrame | None = None) -> list[dict]:
    """Facts all of an event's outlets but one carry (that one is said to leave it out), and per
    outlet what only it reports, from the checks of :func:`coverage_checks`: an omission is a
    *leaves it out* verdict on a fact every other outlet (at least :data:`OMISSION_MIN_CARRIERS`,
    of three or more outlets) carries; an outlet's exclusive names are its *only this outlet names*
    verdicts, one finding per outlet."""
    checks = _judge_coverage(facts, articles, sentences, entities, min_share=None)
    if not checks:
        return []
    lookup = _Sentences(sentences)
    lead: set[tuple[str, int]] = set()
    if "in_lead" in sentences.columns:
        flagged = sentences[sentences["in_lead"].astype(bool) | sentences.get("in_headline", False)]
        lead = set(zip(flagged["article_id"], flagged["sent_id"].astype(int)))
    rows = []
    exclusive: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for check in checks:
        if check["_exclusive"]:
            exclusive[(check["event"], check["outlet"])].append(check)
            continue
        n_outlets, carriers, pairs = check["_n_outlets"], check["_carriers"], check["_pairs"]
        if not check["_absent"] or n_outlets < 3 or len(carriers) != n_outlets - 1:
            continue
        missing, example = check["outlet"], min(pairs, key=lambda p: (len(lookup.text.get(p, "")), p))
        in_lead = sum(1 for p in pairs if p in lead)
        statement = (f"{missing} leaves out what {join_names(carriers)} report: "
                     f"“{shorten(lookup.text.get(example, ''), 150)}”"
                     + (f" ({in_lead} of these sentences in a headline or lead)" if in_lead else "")
                     + f" — {missing} never mentions " + join_names([f"“{k}”" for k in check["_absent"][:4]]) + ".")
        rows.append(_row("omission", check["event"], statement, [missing] + carriers,
                         [a for a, _ in pairs] + check["_omitting"], pairs, len(carriers) / n_outlets,
                         "facts: a fact every outlet of the event but one carries; no sentence of that outlet "
                         f"holds ≥ {CONTENT_OVERLAP_CARRIES:.0%} of its content-word stems, and a name or number "
                         "most carrying sentences give is absent from its text; strength = share of outlets carrying it",
                         1.0, 0.6 + 0.4 * min(1.0, in_lead / max(1, len(pairs)))))
    for (event, outlet), outlet_checks in sorted(exclusive.items()):
        names: dict[str, list[tuple[str, int]]] = defaultdict(list)
        forms: dict[str, Counter] = defaultdict(Counter)
        for check in outlet_checks:
            for key, found in check["_exclusive"].items():
                for pair, canonical in found:
                    names[key].append(pair)
                    forms[key][canonical] += 1
        # One name per key ("Patrick Shanahan", "Shanahan"): a full form over a bare surname, then
        # the form read most often, then the shortest ("Zalmay Khalilzad" over the model's
        # "Afghanistan Zalmay Khalilzad").
        shown_as = {key: min(counts, key=lambda f: (len(f.split()) < 2, -counts[f], len(f), f))
                    for key, counts in forms.items()}
        keys = sorted(names, key=lambda k: (min(names[k]), k))
        ordered = list(dict.fromkeys(shown_as[k] for k in keys))
        evidence = sorted({p for k in keys for p in names[k]})
        example = min(evidence, key=lambda p: (p not in lead, p))
        shown = join_names(ordered[:5]) + (f" and {len(ordered) - 5} more" if len(ordered) > 5 else "")
        in_lead = sum(1 for p in evidence if p in lead)
        n_outlets = outlet_checks[0]["_n_outlets"]
        statement = (f"Only {outlet} mentions {shown}, in {len(evidence)} sentence{'s' if len(evidence) != 1 else ''} "
                     f"that no other outlet's reporting matches; e.g. “{shorten(lookup.text.get(example, ''), 140)}”"
                     + (f" ({in_lead} in its headline or lead)." if in_lead else ""))
        rows.append(_row("exclusive_facts", event, statement, [outlet], sorted({a for a, _ in evidence}), evidence,
                         len(ordered),
                         "facts: single-outlet facts that name an entity no other outlet's text names; "
                         "strength = such names", 2 / max(2, n_outlets), 0.3 + 0.1 * len(ordered) + 0.3 * bool(in_lead)))
    return rows


#: Entity labels whose names make a sentence checkably exclusive ("only X names Y").
#: Nationalities (NORP) are left out: "Norlandic" vs "Norland's" is wording, not a fact.
EXCLUSIVE_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})


def quote_variant_findings(quote_variants: pd.DataFrame, quotes: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """The same quotation carried with different words (direct quotations only: a paraphrase is
    expected to differ), ignoring spelling variants, or credited to different named people."""
    if quote_variants.empty:
        return []
    labels = article_labels(articles)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    sent_of = dict(zip(quotes["quote_id"], quotes["sent_id"])) if "sent_id" in quotes else {}
    person = set()
    if "speaker_kind" in quotes.columns:
        person = set(quotes.loc[quotes["speaker_kind"].astype(str) == "person", "speaker_canonical"])
    rows = []
    for group_id, group in quote_variants.groupby("variant_group", sort=True):
        direct = group[group["kind"].astype(str) == "direct"].assign(label=lambda g: g["article_id"].map(labels))
        direct = direct.drop_duplicates("article_id").sort_values("label", kind="stable")
        if direct["label"].str.split(" (", regex=False).str[0].nunique() >= 2:
            base = direct.iloc[0]
            for _, other in direct.iloc[1:].iterrows():
                diff = changed_words(str(base["quote"]), str(other["quote"]))
                changed = max(sum(w.startswith("-") for w in diff), sum(w.startswith("+") for w in diff))
                if changed < QUOTE_MIN_CHANGED_WORDS:
                    continue
                statement = (f"{base['label']} and {other['label']} quote the same words differently: "
                             f"“{shorten(base['quote'], 110)}” vs “{shorten(other['quote'], 110)}” "
                             f"({changed} words differ: {' '.join(diff[:8])}{' …' if len(diff) > 8 else ''})")
                arts = [base["article_id"], other["article_id"]]
                event = event_of.get(arts[0], "")
                rows.append(_row("quote_variant", event, statement, [base["label"], other["label"]], arts,
                                 [(q.split(":")[0], sent_of.get(q, -1)) for q in (base["quote_id"], other["quote_id"])
                                  if sent_of.get(q, -1) >= 0], changed,
                                 f"quote_variants: one direct quotation, ≥ {QUOTE_MIN_CHANGED_WORDS} words differ "
                                 "beyond spelling; strength = words that differ",
                                 2 / max(2, n_outlets.get(event, 2)), min(1.0, changed / 10)))
                break
        # Speakers differ: only named people (a person and the institution they speak for is no conflict).
        named = group.assign(label=group["article_id"].map(labels))
        named = named[named["speaker_canonical"].astype(str).isin(person)] if person else named.iloc[0:0]
        speakers = named.drop_duplicates(["label", "speaker_canonical"])
        if speakers["speaker_canonical"].nunique() >= 2 and speakers["label"].nunique() >= 2:
            parts = [f"{join_names(sorted(set(g['label'])))} credit{'s' if g['label'].nunique() == 1 else ''} {who}"
                     for who, g in speakers.groupby("speaker_canonical", sort=True)]
            event = event_of.get(group["article_id"].iloc[0], "")
            statement = f"The same quotation has different speakers: {'; '.join(parts)} — “{shorten(group['quote'].iloc[0], 110)}”"
            rows.append(_row("quote_variant", event, statement, sorted(set(speakers["label"])), list(speakers["article_id"]),
                             [(q.split(":")[0], sent_of.get(q, -1)) for q in speakers["quote_id"] if sent_of.get(q, -1) >= 0],
                             speakers["speaker_canonical"].nunique(),
                             "quote_variants: one quotation credited to different named people; strength = speakers",
                             speakers["label"].nunique() / max(1, n_outlets.get(event, 1))))
    return rows


def first_person(text: str, people: dict[str, str]) -> tuple[int, str]:
    """The earliest person of ``people`` (search key -> full name) named in ``text``, as
    (position, full name); (-1, "") when none is. A full name found wins over its surname at the
    same place."""
    lowered = str(text).lower().replace("-", " ")  # "Kim Jong-un" is searched as "kim jong un"
    best = (-1, "", 0)
    for key, full in people.items():
        match = re.search(r"\b" + re.escape(key) + r"(?:['’]s?)?\b", lowered)
        if match and (best[0] < 0 or match.start() < best[0] or (match.start() == best[0] and len(key) > best[2])):
            best = (match.start(), full, len(key))
    return best[0], best[1]


def lead_findings(articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None = None) -> list[dict]:
    """Whom each outlet names first: the first person named in the headline, else in the lead.

    The people are those the event's articles name as persons (``entities``, label PERSON) in
    their body text — a title-case headline is where the model most often misreads a name ("Trump
    Says" as a person, "Trump Accuses …" as none), so headlines and leads are searched as text for
    those people's full names and surnames (a hyphen read as a space: "Kim Jong-un" / "Kim Jong
    Un"). One surname is one person ("James Mattis" / "Jim Mattis"; a surname shared by two people of the event is read as the one named most). A finding
    when two or more outlets name a person first and not all the same. (``story_leaders``, the
    model's view shown in notebook 03, is not used: see above.)"""
    if sentences.empty or entities is None or entities.empty:
        return []
    labels = article_labels(articles)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    by_article = {a: g.sort_values("sent_id") for a, g in sentences.groupby("article_id", sort=False)}
    headline_keys = set(zip(sentences.loc[sentences["in_headline"].astype(bool), "article_id"],
                            sentences.loc[sentences["in_headline"].astype(bool), "sent_id"]))
    persons = entities[entities["label"].astype(str) == "PERSON"]
    # A "person" one of whose words the articles mostly tag as a place or group ("U.S. China") is
    # the model's mistake, not a person.
    # A word the articles tag as a place or group more often than as part of a person's name.
    tally: dict[tuple[str, str], int] = defaultdict(int)
    for art, text, label in zip(entities["article_id"], entities["text"], entities["label"].astype(str)):
        side = 1 if label in {"GPE", "NORP", "LOC"} else -1 if label == "PERSON" else 0
        for word in str(text).lower().split():
            tally[(event_of.get(art, ""), word)] += side
    body = [(event_of.get(a, ""), " ".join(str(c).replace("-", " ").split()))
            for a, sid, c in zip(persons["article_id"], persons["sent_id"], persons["canonical"])
            if (a, sid) not in headline_keys and len(str(c).split()) >= 2
            and not any(tally[(event_of.get(a, ""), w.lower())] > 0 for w in str(c).split())]
    counts = pd.Series(1, index=pd.MultiIndex.from_tuples(body)).groupby(level=[0, 1]).sum() if body else pd.Series(dtype=int)
    rows = []
    for event, in_event in articles.groupby("event", sort=True):
        if event not in counts.index.get_level_values(0):
            continue
        named = counts.loc[event].sort_values(ascending=False, kind="stable")
        people: dict[str, str] = {}
        for full in named.index:  # most named first: a shared surname goes to the one named most
            people.setdefault(full.lower(), full)
            if len(full.split()[-1]) >= 4:  # "Un" of "Kim Jong Un" would match too much alone
                people.setdefault(full.split()[-1].lower(), full)
        chosen = []
        for art in in_event["article_id"]:
            mine = by_article.get(art, sentences.iloc[0:0])
            for where, part in (("headline", mine[mine["in_headline"].astype(bool)]),
                                ("lead", mine[mine["in_lead"].astype(bool) & ~mine["in_headline"].astype(bool)])):
                found = [(first_person(text, people), sid) for sid, text in zip(part["sent_id"], part["text"])]
                found = [(pos, full, sid) for (pos, full), sid in found if pos >= 0]
                if found:
                    pos, full, sid = found[0]
                    chosen.append((art, labels.get(art, art), full, where, int(sid)))
                    break
        group = pd.DataFrame(chosen, columns=["article_id", "label", "actor", "where", "sent_id"])
        surname = group["actor"].str.split().str[-1]
        forms = group.groupby(surname)["actor"].agg(lambda a: a.value_counts().sort_index().idxmax())
        group = group.assign(actor=surname.map(forms))
        if group["label"].nunique() < 2 or group["actor"].nunique() < 2:
            continue
        sides = sorted(((actor, sorted(set(g["label"])), sorted(set(g["where"]))) for actor, g in group.groupby("actor")),
                       key=lambda s: (-len(s[1]), s[0]))
        statement = "Outlets name different people first: " + "; ".join(
            f"{join_names(names)} name{'s' if len(names) == 1 else ''} {actor} first (in the {' / '.join(where)})"
            for actor, names, where in sides) + "."
        rows.append(_row("lead_actor", event, statement, [n for _, names, _ in sides for n in names],
                         group["article_id"], zip(group["article_id"], group["sent_id"]), len(sides),
                         "headline, else lead, searched for the people the event's articles name in their body text; "
                         "the first differs between outlets; strength = distinct first people",
                         group["label"].nunique() / max(1, n_outlets.get(event, 1))))
    return rows


def contrast_findings(frame_contrasts: pd.DataFrame | None, tone_contrasts: pd.DataFrame | None,
                      articles: pd.DataFrame) -> list[dict]:
    """An outlet that uses a frame, or writes about an actor in a tone, unlike the other outlets
    beyond chance: the rows the framing stage marks ``finding == "contrast"`` (Fisher's exact test
    for frames, Mann–Whitney for tone, Benjamini–Hochberg q ≤ 0.05, minimum counts; see
    :func:`helpers.compare.framing.frame_contrasts`). Those tables compare outlets over the whole corpus,
    so they make findings only for a corpus of one event."""
    events = articles["event"].unique() if not articles.empty else []
    if len(events) != 1:
        return []
    event = events[0]
    n_outlets = _outlets_per_event(articles).get(event, 1)
    rows = []
    if frame_contrasts is not None and not frame_contrasts.empty and "finding" in frame_contrasts.columns:
        for _, row in frame_contrasts[frame_contrasts["finding"] == "contrast"].iterrows():
            more = row["outlet_share"] > row["others_share"]
            statement = (f"{row['outlet']} uses the {str(row['frame']).replace('_', ' ')} frame "
                         f"{'more' if more else 'less'} than the other outlets: in {row['outlet_share']:.0%} of its "
                         f"sentences against {row['others_share']:.0%} of theirs (q = {row['q_value']:.3f}).")
            evidence = _keys(row.get("evidence", ""))
            rows.append(_row("frame_contrast", event, statement, [row["outlet"]], [a for a, _ in evidence], evidence,
                             float(row["q_value"]), "frame_contrasts: Fisher's exact test of one outlet's sentences "
                             "against the others', Benjamini–Hochberg q ≤ 0.05; strength = q",
                             2 / max(2, n_outlets), 1 - float(row["q_value"]) / 0.05))
    if tone_contrasts is not None and not tone_contrasts.empty and "finding" in tone_contrasts.columns:
        for _, row in tone_contrasts[tone_contrasts["finding"] == "contrast"].iterrows():
            warmer = row["outlet_mean"] > row["others_mean"]
            statement = (f"{row['outlet']} writes about {row['actor']} {'more positively' if warmer else 'more negatively'} "
                         f"than the other outlets: mean sentence tone {row['outlet_mean']:+.2f} against "
                         f"{row['others_mean']:+.2f} (VADER compound, −1 to +1; q = {row['q_value']:.3f}).")
            evidence = _keys(row.get("evidence", ""))
            rows.append(_row("tone_contrast", event, statement, [row["outlet"]], [a for a, _ in evidence], evidence,
                             float(row["q_value"]), "tone_contrasts: Mann–Whitney U test of one outlet's sentences "
                             "naming the actor against the others', Benjamini–Hochberg q ≤ 0.05; strength = q",
                             2 / max(2, n_outlets), 1 - float(row["q_value"]) / 0.05))
    return rows


def _keys(evidence: object) -> list[tuple[str, int]]:
    """``article_id:sent_id`` keys from a ";"-separated string."""
    out = []
    for part in str(evidence or "").split(";"):
        art, _, sid = part.strip().rpartition(":")
        if art and sid.strip().lstrip("-").isdigit():
            out.append((art, int(sid)))
    return out


def timing_findings(articles: pd.DataFrame) -> list[dict]:
    """Who published first and how late the others were (publication dates, day precision); listed
    when two or more articles of an event are dated and not all on the same day."""
    rows = []
    labels = article_labels(articles)
    for event, group in articles.groupby("event", sort=True):
        dates = pd.to_datetime(group["published"].where(group["published"].astype(str).str.len() > 0), errors="coerce")
        dated = group.assign(_date=dates.dt.normalize(), label=group["article_id"].map(labels)).dropna(subset=["_date"])
        if len(dated) < 2 or dated["_date"].nunique() < 2:
            continue
        first_day = dated["_date"].min()
        parts = []
        days = list(dated.groupby("_date", sort=True))
        shown, rest = days[:TIMING_DAYS_SHOWN], days[TIMING_DAYS_SHOWN:]
        for day, g in shown:
            names = sorted(g["label"])
            lag = (day - first_day).days
            if lag == 0:
                parts.append(f"{join_names(names)} published first ({human_date(day.date().isoformat())})")
            else:
                parts.append(f"{join_names(names)} followed {lag} day{'s' if lag != 1 else ''} later")
        if rest:
            n_rest = sum(len(g) for _, g in rest)
            parts.append(f"{n_rest} more article{'s' if n_rest != 1 else ''} followed, the last "
                         f"{(rest[-1][0] - first_day).days} days after the first")
        undated = sorted(set(group["article_id"]) - set(dated["article_id"]))
        statement = "; ".join(parts) + "."
        if undated:
            # With undated articles, "first" is first among the dated ones only.
            statement = "Of the dated articles, " + statement
            names = [labels[a] for a in undated]
            listed = join_names(names) if len(names) <= NAMES_SHOWN else f"{len(names)} articles"
            statement += (f" {listed} carr{'ies' if len(undated) == 1 else 'y'} no publication date, "
                          "so may have been earlier.")
        span = (dated["_date"].max() - first_day).days
        rows.append(_row("first_published", event, statement, list(dated.sort_values("_date")["label"]),
                         dated["article_id"], [], span,
                         "publication dates (day precision) of two or more dated articles differ; strength = days from first to last",
                         len(dated) / max(1, len(group)), min(1.0, span / 3)))
    return rows


def _outlets_per_event(articles: pd.DataFrame) -> dict[str, int]:
    if articles.empty:
        return {}
    return articles.assign(_o=outlet_of(articles)).groupby("event")["_o"].nunique().to_dict()


# --------------------------------------------------------------------------------------------
# all together


def find_findings(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every rule over the workbook's tables, ranked within each event: the ``findings`` table
    (columns :data:`FINDING_COLUMNS`). Missing tables count as empty."""
    def get(name: str) -> pd.DataFrame:
        return tables.get(name, pd.DataFrame())

    articles, sentences = get("articles"), get("sentences")
    if articles.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    rows: list[dict] = []
    rows += date_findings(get("date_conflicts"), articles)
    rows += number_findings(get("quantity_conflicts"), articles)
    rows += shared_source_findings(get("passages"), get("embeds"), articles, sentences, get("quotes"))
    rows += shared_text_findings(get("reuse_pairs"), get("passages"), articles, sentences)
    sizes = articles.groupby("event")["article_id"].size()
    stories = articles[articles["event"].isin(set(sizes[sizes <= STORY_MAX_ARTICLES].index))]
    story_ids = set(stories["article_id"])
    facts, entities = get("facts"), get("entities")
    story_sentences = sentences[sentences["article_id"].isin(story_ids)] if not sentences.empty else sentences
    rows += coverage_findings(facts[facts["article_id"].isin(story_ids)] if not facts.empty else facts, stories,
                              story_sentences, entities[entities["article_id"].isin(story_ids)] if not entities.empty else entities)
    rows += quote_variant_findings(get("quote_variants"), get("quotes"), articles)
    rows += lead_findings(stories, story_sentences,
                          entities[entities["article_id"].isin(story_ids)] if not entities.empty else entities)
    rows += contrast_findings(tables.get("frame_contrasts"), tables.get("tone_contrasts"), articles)
    rows += timing_findings(articles)
    if not rows:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    frame = pd.DataFrame(rows)
    frame["_kind"] = frame["kind"].map({k: i for i, k in enumerate(KINDS)})
    frame = frame.sort_values(["event", "score", "_kind", "statement"], ascending=[True, False, True, True],
                              kind="stable").reset_index(drop=True)
    frame["rank"] = frame.groupby("event").cumcount() + 1
    counters: dict[str, int] = defaultdict(int)
    ids = []
    for kind in frame["kind"]:
        counters[kind] += 1
        ids.append(f"{_PREFIX[kind]}{counters[kind]}")
    frame["finding_id"] = ids
    return frame[FINDING_COLUMNS]


def finding_evidence(findings: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The sentences behind each finding, one row per (finding, sentence): ``finding_id, outlet,
    article_id, sent_id, in_lead, sentence``, in the finding's rank order then outlet."""
    columns = ["finding_id", "outlet", "article_id", "sent_id", "in_lead", "sentence"]
    if findings.empty:
        return pd.DataFrame(columns=columns)
    labels = article_labels(articles)
    pairs = [(fid, *p.rsplit(":", 1)) for fid, ev in zip(findings["finding_id"], findings["evidence"])
             for p in str(ev).split(";") if ":" in p]
    frame = pd.DataFrame(pairs, columns=["finding_id", "article_id", "sent_id"])
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["sent_id"] = frame["sent_id"].astype(int)
    merged = frame.merge(sentences[["article_id", "sent_id", "text", "in_lead"]], on=["article_id", "sent_id"],
                         how="left", validate="many_to_one")
    assert merged["text"].notna().all(), "every evidence pair resolves in sentences"
    merged["outlet"] = merged["article_id"].map(labels)
    order = {fid: i for i, fid in enumerate(findings["finding_id"])}
    merged["_order"] = merged["finding_id"].map(order)
    merged = merged.sort_values(["_order", "outlet", "sent_id"], kind="stable")
    return merged.rename(columns={"text": "sentence"})[columns].reset_index(drop=True)


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


def describe_event(articles: pd.DataFrame) -> str:
    """The event in one paragraph: articles, outlets and their countries, publication span, words."""
    if articles.empty:
        return "No article was loaded."
    overview = event_overview(articles)
    outlets = outlet_of(articles)
    by_country = articles.assign(_o=outlets).groupby(articles["country"].fillna("").astype(str))["_o"].agg(lambda s: sorted(set(s)))
    where = "; ".join(f"{join_names(names) if len(names) <= NAMES_SHOWN else ', '.join(names[:NAMES_SHOWN]) + f' and {len(names) - NAMES_SHOWN} more'}"
                      f" ({country or 'country unknown'})" for country, names in sorted(by_country.items()))
    dates = pd.to_datetime(articles["published"].where(articles["published"].astype(str).str.len() > 0), errors="coerce")
    span = ""
    if dates.notna().any():
        first, last = dates.min(), dates.max()
        span = (f" published on {human_date(first.date().isoformat())}" if first.normalize() == last.normalize()
                else f" published between {human_date(first.date().isoformat())} and {human_date(last.date().isoformat())}")
        if dates.isna().any():
            span += f" ({int(dates.isna().sum())} undated)"
    else:
        span = " none of them dated"
    events = "" if len(overview) == 1 else f" about {len(overview)} events"
    return (f"{len(articles)} article{'s' if len(articles) != 1 else ''}{events} from {outlets.nunique()} "
            f"outlet{'s' if outlets.nunique() != 1 else ''} — {where} —{span}; "
            f"{int(articles['word_count'].sum()):,} words after cleaning.")


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


def headlines(articles: pd.DataFrame) -> pd.DataFrame:
    """The headlines side by side: ``outlet, country, published, headline, headline_from, article_id``
    in publication order (undated last). ``headline_from`` says where it was read: ``"text or
    metadata"``, or ``"URL words"`` when only the URL's slug gives it (:func:`headline_from_url`)."""
    columns = ["outlet", "country", "published", "headline", "headline_from", "article_id"]
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
    frame["_undated"] = frame["published"] == ""
    return frame.sort_values(["_undated", "published", "outlet"], kind="stable")[columns].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# for the page


def findings_html(findings: pd.DataFrame, evidence: pd.DataFrame, *, top: int = 10, evidence_per_finding: int = 6,
                  link_base: str = "") -> str:
    """The ranked findings as an HTML list: each statement, its rule, links to the notebook section
    and the table behind it (relative to ``link_base``), then its evidence sentences quoted with
    their outlets. Every text from the corpus is escaped; nothing else is written into the page."""
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
            lines = [f"<li><strong>{e(str(o))}</strong>: “{e(shorten(str(t), 300))}”</li>"
                     for o, t in zip(sentences["outlet"].head(evidence_per_finding),
                                     sentences["sentence"].head(evidence_per_finding))]
            more = len(sentences) - evidence_per_finding
            if more > 0:
                lines.append(f'<li>… and {more} more sentence{"s" if more != 1 else ""} in '
                             f'<a href="{e(link_base)}tables/finding_evidence.csv">finding_evidence.csv</a></li>')
            quoted = '<ul class="evidence">' + "".join(lines) + "</ul>"
        items.append(
            f'<li id="finding-{e(str(row["finding_id"]))}"><p class="statement">{e(str(row["statement"]))}</p>'
            f'<p class="meta">{e(str(row["finding_id"]))} · {e(str(row["kind"]).replace("_", " "))} · '
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
