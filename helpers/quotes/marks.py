"""Quotation marks and the article as the extractor sees it: direct-quote spans from the marks of
each paragraph (curly, straight, guillemets, single quotes), embedded posts, the sentences (from the
``sentences`` table, else a fallback splitter) and the text handed to the parser.

Takes one row of ``articles`` with its ``sentences`` and ``embeds`` rows; gives private span and
article records read by :mod:`helpers.quotes.extraction`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from helpers.load.clean import dateline_end, detect_dateline


_WORD = re.compile(r"\w+", re.UNICODE)
_OPEN_DOUBLE = "“„«‟"
_CLOSE_DOUBLE = "”»"
_STRAIGHT_DOUBLE = '"'
_DASH_ATTR = re.compile(
    r"^[\s,]*[–—―]{1,2}\s*|^\s+-{1,2}\s+")
_NAME = re.compile(r"(?:[A-Z][\w.'’-]*|of|the)(?:\s+(?:[A-Z][\w.'’-]*|of|the|al|bin|van|von|de)){0,6}")
_EMBED_SIGNATURE = re.compile(
    r"[—–―]\s*(?P<author>[^\n(—–]{1,120}?)\s*\(@(?P<handle>\w{1,30})\)\s*"
    r"(?P<date>[A-Z][a-z]+\.? \d{1,2},? \d{4})")
_PIC_LINK = re.compile(r"\s*(?:pic\.twitter\.com/\S+|https?://t\.co/\S+)\s*$")


@dataclass
class _Span:
    start: int
    end: int
    words: int = 0
    closed: bool = True


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _find_quote_spans(text: str) -> list[_Span]:
    """Content spans (marks excluded) of quotations in ``text``; never crosses a line break."""
    spans: list[_Span] = []
    pos = 0
    for line in text.split("\n"):
        spans.extend(_line_quotes(line, pos))
        pos += len(line) + 1
    return spans


def _double_marks(line: str) -> list[tuple[int, str]]:
    marks = []
    skip = -1
    for i, ch in enumerate(line):
        if i <= skip:
            continue
        if line.startswith("''", i) or line.startswith("``", i):
            # two apostrophes (or backticks) used as a double quotation mark (NYT archive text)
            skip = i + 1
            prev = line[i - 1] if i > 0 else ""
            nxt = line[i + 2] if i + 2 < len(line) else ""
            if ch == "`" or ((_is_space(prev) or prev in "([{—–-/:") and not _is_space(nxt)):
                marks.append((i + 1, "open"))  # content starts after the second mark
            elif not _is_space(prev):
                marks.append((i, "close"))
            continue
        if ch in _OPEN_DOUBLE:
            marks.append((i, "open"))
        elif ch in _CLOSE_DOUBLE:
            prev = line[i - 1] if i > 0 else ""
            nxt = line[i + 1] if i + 1 < len(line) else ""
            if (_is_space(prev) or prev in "([{—–-/:") and (nxt.isalnum() or nxt in "‘'…"):
                # a closing mark where a quotation opens ("”We …” ― Name", typed with the wrong
                # mark): it opens unless a quotation is already open
                marks.append((i, "either"))
            else:
                marks.append((i, "close"))
        elif ch == _STRAIGHT_DOUBLE or ch == "″":
            prev = line[i - 1] if i > 0 else ""
            nxt = line[i + 1] if i + 1 < len(line) else ""
            if _is_space(prev) or prev in "([{—–-/:":
                marks.append((i, "open" if not _is_space(nxt) else "either"))
            elif _is_space(nxt) or nxt in ".,;:!?)]}—–-'’":
                marks.append((i, "close"))
            else:
                marks.append((i, "either"))
    return marks


def _pair(marks: list[tuple[int, str]], n: int) -> list[tuple[int, int, bool]]:
    """Pair open/close marks; returns (content_start, content_end, closed)."""
    out: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for i, kind in marks:
        if kind == "either":
            kind = "close" if open_at is not None else "open"
        if kind == "open":
            if open_at is not None:
                # a second opening mark: the first one was never closed (odd number of marks)
                if i - open_at > 1:
                    out.append((open_at + 1, i, False))
            open_at = i
        else:
            if open_at is None:
                if not out:  # stray closing mark: the opening one was lost
                    out.append((0, i, False))
                continue
            out.append((open_at + 1, i, True))
            open_at = None
    if open_at is not None and n - open_at > 1:
        out.append((open_at + 1, n, False))
    return out


def _line_quotes(line: str, offset: int) -> list[_Span]:
    spans = []
    doubles = _pair(_double_marks(line), len(line))
    taken = [(s, e) for s, e, _ in doubles]
    for s, e, closed in doubles:
        spans.append(_Span(offset + s, offset + e, 0, closed))
    # single quotes, outside double-quoted spans and two-apostrophe marks
    marks = []
    doubled = {j for m in re.finditer(r"''|``", line) for j in (m.start(), m.start() + 1)}
    for i, ch in enumerate(line):
        if i in doubled or any(s - 1 <= i <= e for s, e in taken):
            continue
        if ch not in "‘’'":
            continue
        prev = line[i - 1] if i > 0 else ""
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if ch in "‘" or (ch in "'’" and (_is_space(prev) or prev in "([{—–-\"“") and nxt.isalnum()):
            marks.append((i, "open"))
        elif ch in "’'" and not _is_space(prev) and (_is_space(nxt) or nxt in ".,;:!?)]}\"”—–-"):
            marks.append((i, "close"))
    open_at = None
    for i, kind in marks:
        if kind == "open":
            open_at = i
        elif open_at is not None:
            if 0 < i - open_at - 1 <= 400:
                spans.append(_Span(offset + open_at + 1, offset + i, 0, True))
            open_at = None
    for sp in spans:
        # trim spaces and a trailing comma inside the marks: “…,” -> …
        while sp.start < sp.end and line[sp.start - offset].isspace():
            sp.start += 1
        while sp.end > sp.start and (line[sp.end - 1 - offset].isspace() or line[sp.end - 1 - offset] in ","):
            sp.end -= 1
        sp.words = len(_WORD.findall(line[sp.start - offset:sp.end - offset]))
    return [sp for sp in spans if sp.words > 0]


@dataclass
class _Sent:
    sent_id: int
    start: int
    end: int
    doc: Any = None


@dataclass
class _Article:
    article_id: str
    text: str
    sents: list[_Sent] = field(default_factory=list)
    persons: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, canonical
    embeds: list[dict] = field(default_factory=list)
    body_start: int = 0
    dateline_end: int = -1  # helpers.load.clean.dateline_end: -1 without a dateline
    bodies: set[str] = field(default_factory=set)  # ORG / GPE / NORP names, lower case

    def in_dateline(self, pos: int) -> bool:
        """True when offset ``pos`` is inside the article's dateline."""
        return self.body_start <= pos < self.dateline_end

    def in_quotation(self, pos: int) -> bool:
        """True when offset ``pos`` is inside one of the article's quotations (their content spans,
        ``_quote_spans``, set by the extractor; none before it ran)."""
        return any(a <= pos < b for a, b in getattr(self, "_quote_spans", ()))


def _sentence_rows(articles: pd.DataFrame, sentences: pd.DataFrame | None) -> dict[str, list[_Sent]]:
    out: dict[str, list[_Sent]] = defaultdict(list)
    if sentences is None or len(sentences) == 0:
        return out
    texts = dict(zip(articles["article_id"].astype(str), articles["text"].fillna("").astype(str)))
    for aid, sid, s, e in zip(sentences["article_id"].astype(str), sentences["sent_id"],
                              sentences["start"], sentences["end"]):
        text = texts.get(aid)
        if text is None:
            continue
        s, e = max(0, int(s)), min(len(text), int(e))
        if e > s:
            out[aid].append(_Sent(int(sid), s, e))
    for aid in out:
        out[aid].sort(key=lambda x: (x.start, x.sent_id))
    return out


_ABBREVIATIONS = frozenset("""
mr. mrs. ms. dr. prof. sen. rep. gov. gen. lt. col. capt. sgt. st. jr. sr. rev. fr. u.s. no. vs. mt. ft. adm. maj.
""".split())


def _fallback_sentences(text: str) -> list[tuple[int, int]]:
    """Rule-based split used when an article has no sentence rows: lines, then . ! ? + capital."""
    out = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        for m in re.finditer(r"[.!?][”\"’']?\s+(?=[“\"‘'(]?[A-Z0-9])", line):
            end = pos + m.end()
            last = line[:m.start() + 1].split()[-1:]
            if last and last[0].lower().lstrip("“\"‘'(") in _ABBREVIATIONS:
                continue  # "Mr. Smith", "Sen. Warren"
            if line[:m.start()].split()[-1:] and len(line[start - pos:m.start()].strip()) > 0:
                out.append((start, end))
                start = end
        if line[start - pos:].strip():
            out.append((start, pos + len(line)))
        pos += len(line) + 1
    cleaned = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            cleaned.append((s, e))
    return cleaned


def _detect_embeds(text: str) -> list[dict]:
    """Embedded posts from their signature ``— Name (@handle) Month D, YYYY``."""
    out = []
    for m in _EMBED_SIGNATURE.finditer(text):
        body_end = m.start()
        line_start = text.rfind("\n", 0, body_end) + 1
        if not text[line_start:body_end].strip():  # signature on its own line: the post is above
            body_end = line_start - 1
            while body_end > 0 and text[body_end - 1] == "\n":
                body_end -= 1
            line_start = text.rfind("\n", 0, max(body_end, 0)) + 1
        body = text[line_start:max(body_end, line_start)]
        trimmed = _PIC_LINK.sub("", body)
        body_end = line_start + len(trimmed.rstrip())
        s = line_start + (len(trimmed) - len(trimmed.lstrip()))
        if body_end > s:
            out.append({"start": s, "end": body_end, "author": m.group("author").strip(),
                        "span_start": line_start, "span_end": m.end()})
    return out


def _embeds_from_table(text: str, rows: pd.DataFrame) -> list[dict]:
    out = []
    for r in rows.itertuples(index=False):
        s, e = int(getattr(r, "start", 0)), int(getattr(r, "end", 0))
        s, e = max(0, s), min(len(text), e)
        if e <= s:
            continue
        body = str(getattr(r, "text", "") or "")
        found = text.find(body, s, e) if body else -1
        if found >= 0 and body.strip():
            bs, be = found, found + len(body)
        else:
            region = text[s:e]
            cut = len(region)
            for pat in ("pic.twitter.com", "https://t.co", "— ", "– "):
                k = region.find(pat)
                if 0 < k < cut:
                    cut = k
            bs, be = s, s + cut
        chunk = _PIC_LINK.sub("", text[bs:be])
        be = bs + len(chunk.rstrip())
        bs += len(chunk) - len(chunk.lstrip())
        if be > bs:
            out.append({"start": bs, "end": be, "author": str(getattr(r, "author", "") or getattr(r, "handle", "") or ""),
                        "span_start": s, "span_end": e})
    return out


def _for_parser(text: str) -> str:
    """Two apostrophes used as a quotation mark become a curly mark plus a space (same length, so
    offsets are unchanged): the parser reads ``''We will win,'' he said`` as a quotation."""
    if "''" not in text:
        return text
    text = re.sub(r"(?<=\S)''(?!\w)", "” ", text)
    return re.sub(r"''(?=\S)", " “", text)


def _prepare(articles: pd.DataFrame, sentences: pd.DataFrame | None, entities: pd.DataFrame | None,
             embeds: pd.DataFrame | None, nlp) -> list[_Article]:
    rows = _sentence_rows(articles, sentences)
    prepared: list[_Article] = []
    starts = articles["body_start"] if "body_start" in articles else pd.Series(0, index=articles.index)
    datelines = articles["dateline"] if "dateline" in articles else pd.Series(None, index=articles.index, dtype=object)
    for aid, text, body_start, dateline in zip(articles["article_id"].astype(str), articles["text"],
                                               starts.fillna(0).astype(int), datelines):
        text = text if isinstance(text, str) else ""
        if not isinstance(dateline, str):
            # no cleaning step before: the same rule on the text, upper-case datelines only (a
            # title-case "Warren: Trump Is …" may be a headline naming a speaker)
            dateline = detect_dateline(text[body_start:].split("\n", 1)[0])
            dateline = dateline if dateline.isupper() else ""
        art = _Article(aid, text, body_start=int(body_start),
                       dateline_end=dateline_end(text, int(body_start), dateline))
        sents = rows.get(aid) or []
        if not sents:
            sents = [_Sent(i, s, e) for i, (s, e) in enumerate(_fallback_sentences(text))]
        art.sents = sents
        if embeds is not None:
            if len(embeds) and "article_id" in embeds.columns:
                art.embeds = _embeds_from_table(text, embeds[embeds["article_id"].astype(str) == aid])
        else:
            art.embeds = _detect_embeds(text)
        prepared.append(art)
    if entities is not None and len(entities):
        ents = entities[entities["label"] == "PERSON"]
        canon_col = "canonical" if "canonical" in ents.columns else "text"
        by_article: dict[str, list] = defaultdict(list)
        for aid, s, e, c in zip(ents["article_id"].astype(str), ents["start"], ents["end"], ents[canon_col]):
            by_article[aid].append((int(s), int(e), str(c)))
        for art in prepared:
            art.persons = sorted(by_article.get(art.article_id, []))
        groups = entities[entities["label"].isin(["ORG", "GPE", "NORP"])]
        bodies_by: dict[str, set[str]] = defaultdict(set)
        for aid, t, c in zip(groups["article_id"].astype(str), groups["text"].astype(str),
                             groups[canon_col].astype(str)):
            bodies_by[aid].update({t.lower(), c.lower()})
        for art in prepared:
            art.bodies = bodies_by.get(art.article_id, set())
    # parse every sentence once, in one batched stream
    flat = [(art, sent) for art in prepared for sent in art.sents]
    if flat:
        if nlp is None:
            from helpers.annotate.nlp import load_model
            nlp = load_model()
        wanted = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"}
        if entities is None:
            wanted.add("ner")
        disable = [p for p in nlp.pipe_names if p not in wanted]
        texts = (_for_parser(art.text[s.start:s.end][:20000]) for art, s in flat)
        for (art, sent), doc in zip(flat, nlp.pipe(texts, batch_size=64, disable=disable)):
            sent.doc = doc
            if entities is None:
                art.persons.extend((sent.start + e.start_char, sent.start + e.end_char, e.text)
                                   for e in doc.ents if e.label_ == "PERSON")
        for art in prepared:
            art.persons.sort()
    return prepared


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    cue: str = ""
    speaker: str = ""
    speaker_start: int = -1
    speaker_end: int = -1
    quoted_words: int = 0
    floating: bool = False
