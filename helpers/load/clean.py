"""Remove page furniture from raw article text, keeping an audit trail of every removal.

Takes raw articles (``raw_text``, ``outlet``); gives ``articles`` with the clean ``text``,
``body_start`` and ``dateline``, the ``cleaning`` (``CLEANING_COLUMNS``) and ``embeds``
(``EMBED_COLUMNS``) tables.

Furniture is what a page carries around an article: repeated headlines, image captions and
credits, interface strings ("Text Size:"), "Also read: …" cross-links, related-story headlines
at the end, subscription and donation appeals, and lines an outlet repeats across many of its
articles. Each removal is one row of the ``cleaning`` table, so a reader can check that nothing
of substance was dropped. Embedded social posts are kept and flagged (``embeds`` table).

The rules are generic (patterns and corpus statistics), never keyed to one article's strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable

import pandas as pd

from helpers.schema import CLEANING_COLUMNS, EMBED_COLUMNS

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’)\]]\s*$")

_INTERFACE_LINE = re.compile(
    r"^(?:text size:?|a\s*a\s*a|font size:?|share(?: this (?:article|story))?:?|print|e-?mail|"
    r"listen to (?:this )?(?:article|story).*|advertisement|sponsored|comments?|"
    r"follow us on .{0,60}|click here.{0,80}|(?:subscribe|sign up) (?:to|for) our (?:channels?|newsletters?).{0,80}|"
    r"download (?:the|our) app.{0,60}|loading\.*|skip to (?:main )?content|"
    r"(?:updated|published|posted|last updated):? .{0,60}\d{4}.{0,20}|"
    r"(?:photo|image|picture|file photo|representational image|video)(?: credit)?s?\s*[:|].{0,120})$",
    re.IGNORECASE,
)
_CREDIT_TAIL = re.compile(
    r"(?:\|\s*[\w .&'/-]{2,60}$|\((?:left|right|centre|center|top|bottom|file|representational)\)|"
    r"\b(?:photo|image|picture)s? (?:by|courtesy|credit)\b|/\s*(?:twitter|flickr|getty images|reuters|ap|afp|pti|ani)\s*$)",
    re.IGNORECASE,
)
_CROSS_LINK = re.compile(
    r"^(?:also read|read also|read more|read|related|recommended|see also|watch|must read|also see)"
    r"(?:\s*[:|\-–—]\s*|\s+)(?P<rest>.+)$",
    re.IGNORECASE,
)
_APPEAL = re.compile(
    r"(?:support (?:our|independent|quality) journalism|subscribe to (?:our|the)|become a (?:member|subscriber|supporter)|"
    r"news media is in (?:a )?crisis|donate (?:now|today|to)|make a contribution|pay for (?:it|journalism)|"
    r"sign up for (?:our|the) (?:free )?newsletter|your support (?:helps|matters|keeps)|"
    r"we (?:need|rely on) (?:your|readers'?) support)",
    re.IGNORECASE,
)
_TWEET_ATTRIBUTION = re.compile(
    r"[—–-]{1,2}\s*(?P<author>[^()\n]{1,80}?)\s*\(@(?P<handle>\w{1,30})\)\s*"
    r"(?P<posted>(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s+\d{4})",
)
_PIC_LINK = re.compile(r"pic\.twitter\.com/\w+|https?://t\.co/\w+")
_DATELINE = re.compile(
    r"^(?P<dateline>(?:[A-Z][A-Z.'\-]+(?:[ /][A-Z][A-Z.'\-]+){0,3}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?(?:\s*\((?:[A-Z][A-Za-z]{1,12})\))?)\s*(?::|\s[–—―-]{1,2})\s+(?=\S)"
)
_MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class _Line:
    text: str       # whitespace-normalised
    raw_start: int
    raw_end: int


def normalize_spaces(text: str) -> str:
    """Collapse runs of spaces (including no-break and thin spaces) to one space; strip ends."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _lines(raw: str) -> list[_Line]:
    lines, position = [], 0
    for piece in raw.split("\n"):
        text = normalize_spaces(piece)
        if text:
            lines.append(_Line(text, position, position + len(piece)))
        position += len(piece) + 1
    return lines


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _headline_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 25 and not _SENTENCE_END.search(text.rstrip("’'\""))


def detect_dateline(paragraph: str) -> str:
    """The dateline at the start of a paragraph (``WASHINGTON:``, ``ISLAMABAD/WASHINGTON –``,
    ``Washington:``, ``NEW DELHI (PTI) -``), without its punctuation, or ""."""
    match = _DATELINE.match(paragraph)
    if not match:
        return ""
    dateline = match.group("dateline").strip()
    if dateline.isupper() or len(dateline.split()) <= 2:
        # A capitalised lead-in word ("Meanwhile:") is not a place; datelines are upper case or short names.
        if not dateline.isupper() and dateline.lower() in {"meanwhile", "however", "update", "note", "editor", "photo"}:
            return ""
        return dateline
    return ""


def dateline_end(text: str, body_start: int, dateline: str) -> int:
    """Offset in ``text`` where an article's dateline ends, its punctuation and spaces included
    (``WASHINGTON: |US Defence …``), or -1 when it has none. ``dateline`` is the article's
    ``dateline`` column (:func:`detect_dateline` of the first body paragraph): every stage that
    must skip the dateline (entities, quotes, sources) uses this one notion of it."""
    if not dateline:
        return -1
    match = _DATELINE.match(text[body_start:body_start + 400])
    if not match or match.group("dateline").strip() != dateline:
        return -1
    return body_start + match.end()


def find_repeated_lines(raw_texts: pd.DataFrame, *, min_articles: int = 3, min_share: float = 0.5,
                        max_words: int = 40) -> dict[str, set[str]]:
    """Lines an outlet repeats across many of its articles: outlet → set of normalised line keys.

    ``raw_texts`` has ``outlet`` and ``raw_text``. A line counts when it appears in at least
    ``min_articles`` articles and ``min_share`` of the outlet's articles (outlets with fewer than
    ``min_articles`` articles are never judged), and is at most ``max_words`` long.
    """
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for outlet, raw in zip(raw_texts["outlet"], raw_texts["raw_text"]):
        if not outlet:
            continue
        totals[outlet] += 1
        keys = {_key(line.text) for line in _lines(raw) if len(line.text.split()) <= max_words}
        counts[outlet].update(k for k in keys if k)
    repeated: dict[str, set[str]] = {}
    for outlet, counter in counts.items():
        n = totals[outlet]
        if n < min_articles:
            continue
        keys = {k for k, c in counter.items() if c >= min_articles and c / n >= min_share}
        if keys:
            repeated[outlet] = keys
    return repeated


def repeated_lines_in(raw_text: str, repeated: set[str] | frozenset[str]) -> list[str]:
    """The keys of ``raw_text``'s lines that are among an outlet's ``repeated`` lines (from
    :func:`find_repeated_lines`), sorted: all that cleaning one article reads of that corpus-level
    input, so the part of it an article's cache key must hold."""
    if not repeated:
        return []
    return sorted({k for k in (_key(line.text) for line in _lines(raw_text)) if k in repeated})


@dataclass
class CleanedArticle:
    """One article after cleaning: ``text`` (headline paragraph first when known), ``title``,
    ``dateline``, ``body_start``, and the ``removals`` and ``embeds`` rows (dicts)."""

    text: str
    title: str
    dateline: str
    body_start: int
    removals: list[dict]
    embeds: list[dict]


#: A paragraph repeated word for word inside one article is dropped from its second occurrence on
#: when it has at least this many words (a short line such as "Yes." may repeat in earnest).
MIN_REPEATED_PARAGRAPH_WORDS = 5


def clean_article(raw: str, *, article_id: str = "", title: str = "",
                  outlet_boilerplate: Iterable[str] = ()) -> CleanedArticle:
    """Clean one article's raw text. See the module docstring for the rules.

    ``title`` is a known headline (metadata or source); when empty, a headline is taken from the
    text only when the first line is headline-like and repeated, or is followed by a repeat.
    ``outlet_boilerplate`` holds normalised line keys from :func:`find_repeated_lines`.
    """
    lines = _lines(raw)
    boilerplate = set(outlet_boilerplate)
    removals: list[dict] = []

    def remove(line: _Line, rule: str) -> None:
        removals.append({"article_id": article_id, "rule": rule, "removed": line.text,
                         "raw_start": line.raw_start, "raw_end": line.raw_end})

    title = normalize_spaces(title)
    title_key = _key(title)
    if not title and lines and _headline_like(lines[0].text):
        first_key = _key(lines[0].text)
        if sum(1 for line in lines[1:] if _key(line.text) == first_key) >= 1:
            title, title_key = lines[0].text, first_key
    seen_title = False
    kept: list[_Line] = []
    kept_keys: set[str] = set()
    for line in lines:
        key = _key(line.text)
        if title_key and (key == title_key or (not seen_title and not kept and _is_title_without_suffix(key, title_key))):
            if not seen_title and not kept:
                seen_title = True
                removals.append({"article_id": article_id, "rule": "headline (moved to the title)",
                                 "removed": line.text, "raw_start": line.raw_start, "raw_end": line.raw_end})
            else:
                remove(line, "repeated headline")
            continue
        if title_key and not seen_title and not kept:
            # the headline line may hold more than the title: a photo caption and credit before it,
            # a section label, or the standfirst or first paragraph run on after it
            split = _title_end(raw, line, title)
            if split > line.raw_start:
                seen_title = True
                removals.append({"article_id": article_id, "rule": "headline (moved to the title)",
                                 "removed": normalize_spaces(raw[line.raw_start:split]),
                                 "raw_start": line.raw_start, "raw_end": split})
                rest = normalize_spaces(raw[split:line.raw_end])
                if not rest:
                    continue
                line = _Line(rest, split, line.raw_end)
                key = _key(rest)
        if key and key in boilerplate:
            remove(line, "line the outlet repeats across its articles")
            continue
        if _INTERFACE_LINE.match(line.text):
            remove(line, "page interface or image credit")
            continue
        if _CREDIT_TAIL.search(line.text) and len(line.text.split()) <= 40 and not _PIC_LINK.search(line.text):
            remove(line, "image caption or credit")
            continue
        cross = _CROSS_LINK.match(line.text)
        if cross and len(line.text.split()) <= 25 and (
                _headline_like(cross.group("rest")) or re.match(r"(?i)^(also read|read more|related)", line.text)):
            remove(line, "cross-link to another story")
            continue
        if key in kept_keys and len(line.text.split()) >= MIN_REPEATED_PARAGRAPH_WORDS:
            # a synopsis or pull quote the page prints twice: kept once, so that it does not
            # count twice in shares, facts and quotes
            remove(line, "paragraph repeated within the article")
            continue
        kept_keys.add(key)
        kept.append(line)

    kept = _drop_trailing_appeal(kept, remove)
    kept = _drop_trailing_headlines(kept, remove)
    paragraphs, embeds_spans = _join_embeds([line.text for line in kept])

    body = "\n\n".join(paragraphs)
    head = f"{title}\n\n" if title else ""
    text = head + body
    body_start = len(head)
    dateline = detect_dateline(paragraphs[0]) if paragraphs else ""
    embeds = []
    for paragraph_index, info in embeds_spans:
        start = body_start + sum(len(p) + 2 for p in paragraphs[:paragraph_index])
        embeds.append({"article_id": article_id, "start": start, "end": start + len(paragraphs[paragraph_index]),
                       "text": paragraphs[paragraph_index], **info})
    return CleanedArticle(text, title, dateline, body_start, removals, embeds)


#: A title shorter than this (in words) is too common a phrase to look for inside a longer line.
_MIN_TITLE_WORDS = 4
#: At most this many words (a photo caption and credit) may stand before the title in its line.
_MAX_WORDS_BEFORE_TITLE = 60


def _is_title_without_suffix(key: str, title_key: str) -> bool:
    """True when a line is the title without the short tail a page title adds ("… : NPR",
    "… | Example Times"): the line's words begin the title, are at least
    :data:`_MIN_TITLE_WORDS`, and at most six words follow them in the title."""
    words, title_words = key.split(), title_key.split()
    return (len(words) >= _MIN_TITLE_WORDS and title_words[:len(words)] == words
            and 0 < len(title_words) - len(words) <= 6)


def _title_end(raw: str, line: _Line, title: str) -> int:
    """Offset in ``raw`` just after the known ``title`` and the separators that follow it, when
    the line holds the title (same words, any punctuation and spacing between them) after at
    most :data:`_MAX_WORDS_BEFORE_TITLE` words and with more text after it or before it; else -1."""
    words = re.findall(r"\w+", title)
    if len(words) < _MIN_TITLE_WORDS:
        return -1
    piece = raw[line.raw_start:line.raw_end]
    pattern = r"(?<!\w)" + r"\W{0,3}".join(re.escape(w) for w in words) + r"(?!\w)"
    match = re.search(pattern, piece, flags=re.IGNORECASE)
    if not match or len(re.findall(r"\w+", piece[:match.start()])) > _MAX_WORDS_BEFORE_TITLE:
        return -1
    end = match.end()
    end += len(re.match(r"[\s:|.,;!?'’\"”\-–—]*", piece[end:]).group(0))
    if normalize_spaces(piece[end:]) and not re.search(r"\w", piece[end:]):
        end = len(piece)  # only punctuation left: part of the headline line
    return line.raw_start + end


def _drop_trailing_appeal(kept: list[_Line], remove) -> list[_Line]:
    """An appeal to subscribe or donate in the last part of an article starts a block of page
    furniture that runs to the end; the whole block goes (each line listed)."""
    if len(kept) < 2:
        return kept
    cutoff = int(len(kept) * 0.5)
    for index in range(max(1, cutoff), len(kept)):
        if _APPEAL.search(kept[index].text) and len(kept[index].text.split()) <= 60:
            for line in kept[index:]:
                remove(line, "subscription or donation appeal")
            return kept[:index]
    return kept


def _drop_trailing_headlines(kept: list[_Line], remove) -> list[_Line]:
    """Related-story headlines after the last sentence: short lines without closing punctuation
    at the very end of the article (at most three), when the article has a body before them."""
    end = len(kept)
    while end > 1 and len(kept) - end < 3 and _headline_like(kept[end - 1].text) \
            and len(kept[end - 1].text.split()) >= 4 and not _PIC_LINK.search(kept[end - 1].text) \
            and not _TWEET_ATTRIBUTION.search(kept[end - 1].text):
        end -= 1
    if end == len(kept) or end < 1:
        return kept
    for line in kept[end:]:
        remove(line, "related-story headline at the end")
    return kept[:end]


def _join_embeds(paragraphs: list[str]) -> tuple[list[str], list[tuple[int, dict]]]:
    """Find embedded social posts; an attribution line that follows the post text is joined to it."""
    out: list[str] = []
    found: list[tuple[int, dict]] = []
    for paragraph in paragraphs:
        attribution = _TWEET_ATTRIBUTION.search(paragraph)
        if attribution and attribution.start() < 3 and out and _PIC_LINK.search(out[-1]) is not None:
            out[-1] = f"{out[-1]} {paragraph}"
            paragraph_index = len(out) - 1
            found = [f for f in found if f[0] != paragraph_index]
            found.append((paragraph_index, _embed_info(out[-1])))
            continue
        out.append(paragraph)
        if attribution or _PIC_LINK.search(paragraph):
            found.append((len(out) - 1, _embed_info(paragraph)))
    return out, found


def _embed_info(paragraph: str) -> dict:
    attribution = _TWEET_ATTRIBUTION.search(paragraph)
    posted = ""
    if attribution:
        month, day, year = re.match(r"(\w+)\s+(\d{1,2}),\s+(\d{4})", attribution.group("posted")).groups()
        posted = f"{int(year):04d}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}"
    return {
        "kind": "social post",
        "platform": "twitter" if _PIC_LINK.search(paragraph) or attribution else "unknown",
        "author": attribution.group("author").strip() if attribution else "",
        "handle": attribution.group("handle") if attribution else "",
        "posted": posted,
    }


def clean_corpus(raw_articles: pd.DataFrame, *, repeated: dict[str, set[str] | frozenset[str]] | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Clean every article of a raw-articles table (:func:`helpers.load.corpus.load_corpus`).

    ``repeated`` (outlet → repeated line keys) defaults to :func:`find_repeated_lines` over
    ``raw_articles``; a batch of a larger corpus passes the whole corpus's.

    Returns ``(articles, cleaning, embeds)``: ``articles`` is ``raw_articles`` without
    ``raw_text`` and with ``text``, ``title``, ``dateline``, ``body_start``; ``cleaning`` has
    :data:`CLEANING_COLUMNS`; ``embeds`` has :data:`EMBED_COLUMNS`.
    """
    repeated = find_repeated_lines(raw_articles) if repeated is None else repeated
    texts, titles, datelines, starts, removals, embeds = [], [], [], [], [], []
    for row in raw_articles[["article_id", "raw_text", "title", "outlet"]].itertuples(index=False):
        cleaned = clean_article(row.raw_text, article_id=row.article_id, title=row.title or "",
                                outlet_boilerplate=repeated.get(row.outlet, ()))
        texts.append(cleaned.text)
        titles.append(cleaned.title)
        datelines.append(cleaned.dateline)
        starts.append(cleaned.body_start)
        removals.extend(cleaned.removals)
        embeds.extend(cleaned.embeds)
    articles = raw_articles.drop(columns=["raw_text"]).copy()
    articles["title"] = titles
    articles["dateline"] = datelines
    articles["text"] = texts
    articles["body_start"] = starts
    cleaning = pd.DataFrame(removals, columns=CLEANING_COLUMNS)
    embed_frame = pd.DataFrame(embeds, columns=EMBED_COLUMNS)
    return articles, cleaning, embed_frame


