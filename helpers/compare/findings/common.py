"""What every findings rule shares: the ``findings`` table's columns and kinds, the thresholds
(documented in the README, "Findings"), outlet labels for articles, and the small text tests the
rules use to write and check statements (names, numbers, content words, quote wording).

Takes table columns and strings; gives labels, keys and the one-row dicts the rules return
(:func:`_row`). Pure functions, no I/O.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers.compare.overview import outlet_of


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

#: Two direct quotations of one variant group are compared for their wording only when they share
#: at least this share of the shorter one's content words (:func:`shared_word_share`): a group also
#: holds quotes linked only through others, which may share next to nothing.
QUOTE_MIN_SHARED = 0.5

#: ... and only when each has at least this many content words: a share of one or two words says
#: nothing about whether two quotations are one.
QUOTE_MIN_CONTENT_WORDS = 3


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)


_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")


def article_labels(articles: pd.DataFrame) -> pd.Series:
    """A reader's label for each article, indexed by ``article_id``: the outlet's name, and
    "Herald (2)" for an outlet's second article about the same event (in publication order,
    then id)."""
    if articles.empty:
        return pd.Series(dtype="object")
    # plain Python over the rows: every rule asks for the labels of each event, and pandas' sort
    # and group-by cost ~15 ms even for three articles
    ids = articles["article_id"].tolist()
    events = articles["event"].tolist() if "event" in articles.columns else [""] * len(ids)
    outlets = outlet_of(articles).tolist()
    dates = articles["published"].astype(str).tolist()

    def text_key(value: object) -> tuple[int, str]:
        return (1, "") if not isinstance(value, str) and pd.isna(value) else (0, str(value))  # missing last

    order = sorted(range(len(ids)), key=lambda i: (text_key(events[i]), text_key(outlets[i]), dates[i], str(ids[i])))
    seen: dict[tuple[object, object], int] = defaultdict(int)
    labels = []
    for i in order:
        seen[(events[i], outlets[i])] += 1
        nth = seen[(events[i], outlets[i])]
        labels.append(outlets[i] if nth == 1 else f"{outlets[i]} ({nth})")
    return pd.Series(labels, index=[ids[i] for i in order]).reindex(articles["article_id"])


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
    return set(_content_stems(m.group().lower() for m in _WORD.finditer(str(text))))


def _content_stems(words: Iterable[str]) -> list[str]:
    """The content words of lower-cased ``words``, in order, cut to their first five letters (see
    :func:`content_words`)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return [w[:5] for w in words if len(w) >= 3 and w not in STOP_WORDS]


def _spelling_variant(a: str, b: str) -> bool:
    """Two words that differ only as spellings do (defence/defense, organise/organize): same first
    letter, five letters or more, one edit apart."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or a[0] != b[0] or abs(len(a) - len(b)) > 1:
        return False
    changes = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    return len(changes) == 1 and max(changes[0][2] - changes[0][1], changes[0][4] - changes[0][3]) <= 1


#: Contractions whose long form is certain ("you're" is "you are"; "he's" and "I'd" are left as
#: they are: "is" or "has", "would" or "had"): how an outlet transcribes speech, not a rewording.
_CONTRACTED_WHOLE = {"can't": ["can", "not"], "won't": ["will", "not"], "shan't": ["shall", "not"],
                     "cannot": ["can", "not"]}
_CONTRACTED_ENDING = (("n't", "not"), ("'re", "are"), ("'m", "am"), ("'ll", "will"), ("'ve", "have"))


def _expanded(word: str) -> list[str]:
    word = word.replace("’", "'")
    if word in _CONTRACTED_WHOLE:
        return _CONTRACTED_WHOLE[word]
    for ending, long_form in _CONTRACTED_ENDING:
        if word.endswith(ending) and len(word) > len(ending):
            return [word[: -len(ending)], long_form]
    return [word]


def _quoted_words(text: str) -> list[str]:
    """A quotation's words as :func:`changed_words` compares them, lower-cased. Words an outlet
    adds in parentheses ("(Russian President Vladimir) Putin") are its own clarification, and
    square brackets mark its stand-in for the speaker's words ("[him]"): neither is a rewording.
    "E.U." and "EU", "U.S." and "US" are one word; a contraction whose long form is certain is
    that form ("you're" and "you are", "don't" and "do not")."""
    text = re.sub(r"\([^()]*\)", " ", text).replace("[", " ").replace("]", " ")
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    return [part for m in _WORD.finditer(text) for part in _expanded(m.group().lower())]


def shared_word_share(a: str, b: str) -> float:
    """How much of the shorter of two quotations the other carries: the content words (stems, as
    :func:`content_words`) the two share in order (difflib's matching blocks) over the shorter
    one's content words. One outlet quoting more of a statement than another shares all of the
    shorter; two statements that share only function words and a name ("We don't need a liberal
    person in there" / "We don't need a celebrity; we need a leader") share little. 0.0 when
    either has fewer than :data:`QUOTE_MIN_CONTENT_WORDS` content words."""
    left, right = _content_stems(_quoted_words(a)), _content_stems(_quoted_words(b))
    if min(len(left), len(right)) < QUOTE_MIN_CONTENT_WORDS:
        return 0.0  # "We're angry that it's not even more": one content word matches anything
    matched = sum(block.size for block in difflib.SequenceMatcher(None, left, right, autojunk=False)
                  .get_matching_blocks())
    return matched / min(len(left), len(right))


def changed_words(a: str, b: str) -> list[str]:
    """Words of ``a`` and ``b`` (lower-cased) that differ between the first and the last word the
    two share, as "-removed" / "+added" items. Spelling variants and punctuation are ignored, and
    so is everything outside that span: one outlet quoting more (or another stretch) of a
    statement than another is not a different wording."""
    left, right = _quoted_words(a), _quoted_words(b)
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
        if op == "replace" and "".join(left[i1:i2]) == "".join(right[j1:j2]):
            continue  # "re-fight" and "refight": one word written with a hyphen or without
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
        self.text = dict(zip(zip(ordered["article_id"].tolist(), ordered["sent_id"].astype(int).tolist()),
                             ordered["text"].tolist()))
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
    """Whether the lower-cased ``text`` holds ``key`` as a whole word (possessives count).

    :func:`_word_pattern` is tried only where ``key`` stands (``str.find``): a search with it would
    try every position of the text, as the pattern starts with a word boundary, not a letter, and
    the text is often every other outlet's articles of an event, asked about for each name."""
    if not key:
        return False
    at = text.find(key)
    while at >= 0:
        # match() at a position still reads the character before it for the word boundary
        if _word_pattern(key).match(text, at):
            return True
        at = text.find(key, at + 1)
    return False


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


def _number_words() -> tuple[dict[int, str], dict[int, str]]:
    """Number words a count may be written with besides its digits, by value (cardinals,
    ordinals): the fact grouping's own tables (:data:`helpers.compare.facts.NUMBER_WORDS`,
    ``ORDINAL_WORDS``), without the vague ones ("dozens", "hundreds") and "zero" / "one" /
    "first", too often not a count."""
    from helpers.compare.facts import NUMBER_WORDS as CARDINALS, ORDINAL_WORDS as ORDINALS

    cardinals = {v: w for w, v in CARDINALS.items() if v >= 2 and not w.endswith("s") and w != "dozen"}
    return cardinals, {v: w for w, v in ORDINALS.items() if v >= 2}


def number_forms(key: str) -> tuple[str, ...]:
    """The ways a text may write the number ``key`` (a key of :func:`numbers_in`): "six" -> "six",
    "6", "sixth", "6th" — a count and the place in a running count ("a sixth provincial capital"
    after "six provincial capitals") are one number when asking whether an outlet mentions it.
    Any other key stands for itself."""
    cardinals, ordinals = _number_words()
    value = next((v for v, w in cardinals.items() if w == key), None) or (
        int(key) if key.isdigit() and len(key) <= 4 and key[0] != "0" else None)
    if not value:
        return (key,)
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    forms = [key, str(value), f"{value}{suffix}", cardinals.get(value, ""), ordinals.get(value, "")]
    return tuple(dict.fromkeys(f for f in forms if f))


def mentions_number(key: str, text: str) -> bool:
    """:func:`mentions` of any of ``key``'s :func:`number_forms` (a name: of the name itself)."""
    return any(mentions(form, text) for form in number_forms(key))


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


def _outlets_per_event(articles: pd.DataFrame) -> dict[str, int]:
    if articles.empty:
        return {}
    return articles.assign(_o=outlet_of(articles)).groupby("event")["_o"].nunique().to_dict()
