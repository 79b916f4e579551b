"""Sentences and named entities of cleaned articles, from one batched spaCy pass.

Takes clean ``articles`` (``text``, ``body_start``) and ``embeds``; gives the ``sentences``
(``SENTENCE_COLUMNS``) and ``entities`` (``ENTITY_COLUMNS``) tables, each article's language and
the load report's language notes (:func:`note_languages`).

Sentences never cross a paragraph boundary: each paragraph is one spaCy document (batched with
``nlp.pipe``, only the tok2vec, senter and ner components). Offsets index into ``articles.text``.
Articles not in English are not analysed as English: they get no sentences or entities.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable, Iterator

import pandas as pd

from helpers.annotate.entities import canonicalize, KEPT_LABELS
from helpers.annotate.nlp import load_model
from helpers.load.clean import dateline_end
from helpers.names import is_title_word, person_in_title
from helpers.schema import ENTITY_COLUMNS, SENTENCE_COLUMNS

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
#: Longest text handed to spaCy in one piece (characters). spaCy refuses a text longer than its
#: ``max_length`` (1,000,000: error E088) and needs about 1 GB per 100,000 characters for the
#: parser and the entity recogniser; a paragraph longer than this (a whole article exported as
#: one line, or megabytes with no line break) is cut into pieces first (:func:`pieces`).
MAX_PIECE_CHARS = 100_000
# A sentence-like end: closing punctuation (with closing quotes or brackets) and the space after.
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s+")
_ENGLISH_STOPWORDS = frozenset(
    "the of and to in a is that for on with as was by at it from he said his are be has have an this not but "
    "they were who its their which will been had or after also would we more about".split())
_SCRIPT_LANGUAGES = (("ARABIC", "ar"), ("CYRILLIC", "ru"), ("DEVANAGARI", "hi"), ("CJK", "zh"),
                     ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("HANGUL", "ko"), ("HEBREW", "he"),
                     ("GREEK", "el"), ("THAI", "th"), ("BENGALI", "bn"), ("GURMUKHI", "pa"), ("TAMIL", "ta"))
_URDU_LETTERS = set("ٹڈڑںھہےۓ")


def detect_language(text: str) -> str:
    """A coarse language code: the script's language for non-Latin scripts (``ur`` for Arabic script
    with Urdu letters), ``en`` for Latin text with English function words, else ``und``."""
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    if not letters:
        return "und"
    scripts: Counter[str] = Counter()
    for ch in letters:
        if ord(ch) < 0x250:
            scripts["LATIN"] += 1
            continue
        name = unicodedata.name(ch, "")
        scripts[next((s for s, _ in _SCRIPT_LANGUAGES if name.startswith(s)), "OTHER")] += 1
    script, count = scripts.most_common(1)[0]
    if script != "LATIN" and count / len(letters) > 0.5:
        if script == "ARABIC" and any(ch in _URDU_LETTERS for ch in text[:20000]):
            return "ur"
        return dict(_SCRIPT_LANGUAGES).get(script, "und")
    words = re.findall(r"[a-z]+", text[:20000].lower())
    if words and sum(w in _ENGLISH_STOPWORDS for w in words) / len(words) >= 0.08:
        return "en"
    return "und"


def paragraphs(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, paragraph text) for each blank-line-separated paragraph of ``text``."""
    for match in _PARAGRAPH.finditer(text):
        chunk = match.group(0)
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            yield match.start() + lead, match.start() + lead + len(stripped), stripped


def pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive pieces of at most ``limit`` characters, as (start, end)
    offsets into ``text`` that together cover it (only the whitespace at a cut is left out).

    Each cut is at the last sentence-like end (``. `` ``? `` ``! `` …, with closing quotes) in the
    window; failing that, at the last whitespace; failing that (one 'word' longer than ``limit``),
    exactly at ``limit``. A text within the limit is one piece. Linear in the length of ``text``.
    """
    if limit < 1:
        raise ValueError(f"limit must be positive, not {limit}")
    spans: list[tuple[int, int]] = []
    start, size = 0, len(text)
    while start < size:
        while start < size and text[start].isspace():
            start += 1
        if start >= size:
            break
        window = min(size, start + limit)
        if window == size:
            cut = size
        else:
            ends = [m.end() for m in _SENTENCE_END.finditer(text, start, window)]
            cut = ends[-1] if ends else 0
            if cut <= start:
                space = max(text.rfind(c, start, window) for c in (" ", "\t", "\n", "\u00a0", "\u3000"))
                cut = space + 1 if space > start else window
        end = cut
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
        start = cut
    return spans


def annotate(articles: pd.DataFrame, *, embeds: pd.DataFrame | None = None, batch_size: int = 256,
             n_process: int = 1, progress: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``articles.text`` into sentences and find named entities.

    Input: ``articles`` with ``article_id, text, body_start, language``; optional ``embeds`` with
    ``article_id, start, end``. Output: ``(sentences, entities)`` with :data:`SENTENCE_COLUMNS` and
    :data:`ENTITY_COLUMNS`, sorted by ``article_id`` then offsets.
    """
    nlp = load_model(disable=("tagger", "parser", "attribute_ruler", "lemmatizer"))
    if "senter" not in nlp.pipe_names or "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    embed_spans: dict[str, list[tuple[int, int]]] = {}
    if embeds is not None and not embeds.empty:
        for article_id, start, end in embeds[["article_id", "start", "end"]].itertuples(index=False):
            embed_spans.setdefault(article_id, []).append((int(start), int(end)))

    # A paragraph longer than spaCy takes is analysed in pieces; sentences never cross a piece.
    limit = min(MAX_PIECE_CHARS, int(nlp.max_length))
    jobs: list[tuple[str, int, int, int, bool]] = []  # article, paragraph id, start, body_start, headline?
    texts: list[str] = []
    # where each article's dateline ends (articles.dateline, from helpers.load.clean.detect_dateline)
    dateline_ends: dict[str, int] = {}
    first_body: dict[str, int] = {}
    datelines = articles["dateline"] if "dateline" in articles else pd.Series("", index=articles.index)
    for row, dateline in zip(articles[["article_id", "text", "body_start", "language"]].itertuples(index=False),
                             datelines.fillna("").astype(str)):
        if row.language != "en":
            continue
        end = dateline_end(row.text, int(row.body_start), dateline)
        if end > 0:
            dateline_ends[row.article_id] = end
        for paragraph_id, (start, _end, chunk) in enumerate(paragraphs(row.text)):
            headline = start < int(row.body_start)
            if start >= int(row.body_start) and row.article_id not in first_body:
                first_body[row.article_id] = paragraph_id
            for piece_start, piece_end in pieces(chunk, limit):
                jobs.append((row.article_id, paragraph_id, start + piece_start, int(row.body_start), headline))
                texts.append(chunk[piece_start:piece_end])

    docs: Iterable = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
    if progress:
        from tqdm.auto import tqdm

        docs = tqdm(docs, total=len(texts), desc="sentences and entities", unit="paragraph")
    sentence_rows: list[dict] = []
    entity_rows: list[dict] = []
    for (article_id, paragraph_id, offset, body_start, headline), doc in zip(jobs, docs):
        # Doc.text is rebuilt from the tokens on every access: read it once per piece (per sentence
        # it made a piece of 100,000 characters quadratic: minutes per megabyte).
        doc_text = doc.text
        spans = [(0, len(doc_text))] if headline else merge_fragments(
            doc_text, [(sent.start_char, sent.end_char) for sent in doc.sents])
        for sent_start, sent_end in spans:
            start, end = offset + sent_start, offset + sent_end
            sentence_rows.append({"article_id": article_id, "paragraph_id": paragraph_id, "start": start,
                                  "end": end, "text": doc_text[sent_start:sent_end], "in_headline": headline})
        skip_to = dateline_ends.get(article_id, -1) - offset if paragraph_id == first_body.get(article_id) else -1
        for ent in doc.ents:
            if ent.label_ in KEPT_LABELS:
                if ent.start_char < skip_to:
                    continue  # the dateline says where the story was filed: never an actor
                start_char, end_char = _whole_hyphenated(doc, ent)
                if ent.label_ == "PERSON":
                    end_char = max(end_char, _extend_person(doc, ent))
                entity_rows.append({"article_id": article_id, "start": offset + start_char,
                                    "end": offset + end_char, "text": doc_text[start_char:end_char],
                                    "label": ent.label_})
    sentences = _finish_sentences(pd.DataFrame(sentence_rows), embed_spans)
    entities = _finish_entities(pd.DataFrame(entity_rows), sentences, articles)
    return sentences, entities


def _whole_hyphenated(doc, ent) -> tuple[int, int]:
    """Start and end offsets (in ``doc``) of a mention, widened so that it never ends or starts
    inside a hyphenated word: the model sometimes keeps one part of a hyphenated name
    ("Tehreek|-e-Taliban", "Jaish|-e-Mohammed"). Parts that belong to another entity are left
    to it."""
    start, end = ent.start, ent.end
    while (end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_
           and not doc[end].whitespace_ and doc[end + 1].is_alpha
           and doc[end].ent_iob_ == "O" and doc[end + 1].ent_iob_ == "O"):
        end += 2
    while (start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
           and not doc[start - 2].whitespace_ and doc[start - 2].is_alpha
           and doc[start - 1].ent_iob_ == "O" and doc[start - 2].ent_iob_ == "O"):
        start -= 2
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def _extend_person(doc, ent) -> int:
    """End offset (in ``doc``) of a PERSON mention, extended over capitalised words that directly
    follow it in the same sentence and belong to no other entity: the model sometimes stops inside
    a name after a title ("Gen Qamar| Javed Bajwa"). At most three words are added."""
    end = ent.end
    while (end < len(doc) and end - ent.end < 3 and doc[end].ent_iob_ == "O" and doc[end].is_alpha
           and doc[end].is_title and not doc[end].is_sent_start and doc[end - 1].whitespace_
           and not is_title_word(doc[end].text)):
        end += 1
    return doc[end - 1].idx + len(doc[end - 1].text) if end > ent.end else ent.end_char


_SENTENCE_END = re.compile(r"[.!?…][\"”’'\])]*\s*$")
_OPEN_PAREN_END = re.compile(r"\([A-Za-z.]{1,12}\)\s*$")
_FRAGMENT_END = re.compile(r"(?:[:–—-]|\(\w+\))\s*$")


def merge_fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentence pieces that are not sentences to the next one: a dateline split off by the
    model ("WASHINGTON:"), a piece with fewer than two words, or a piece cut after a parenthesised
    abbreviation without closing punctuation ("… Chief of Staff (COS)" + "General Ana Ruiz …")."""
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for index, (start, end) in enumerate(spans):
        if carry is not None:
            start, carry = carry, None
        piece = text[start:end]
        words = re.findall(r"\w+", piece)
        # a piece that does not end a sentence (no closing . ! ? …) runs on into the next one: the
        # model may split inside a sentence after a parenthesis ("… Chief of Staff (COS)| General …")
        is_fragment = (len(words) < 2 or (_FRAGMENT_END.search(piece) is not None and len(words) <= 4)
                       or (_SENTENCE_END.search(piece) is None and index + 1 < len(spans)
                           and text[spans[index + 1][0]:spans[index + 1][0] + 1].isupper()
                           and _OPEN_PAREN_END.search(piece) is not None))
        if is_fragment and index + 1 < len(spans):
            carry = start
            continue
        merged.append((start, end))
    return merged


def _finish_sentences(frame: pd.DataFrame, embed_spans: dict[str, list[tuple[int, int]]]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=SENTENCE_COLUMNS).astype(
            {"sent_id": "int64", "paragraph_id": "int64", "start": "int64", "end": "int64",
             "position": "float64", "in_lead": "bool", "in_headline": "bool", "in_embed": "bool"})
    frame = frame.sort_values(["article_id", "start"], kind="stable").reset_index(drop=True)
    frame["sent_id"] = frame.groupby("article_id").cumcount()
    counts = frame.groupby("article_id")["sent_id"].transform("size")
    frame["position"] = (frame["sent_id"] / (counts - 1).where(counts > 1, 1)).round(6)
    body = frame[~frame["in_headline"]]
    first_body_paragraph = body.groupby("article_id")["paragraph_id"].transform("min")
    body_rank = body.groupby("article_id").cumcount()
    lead = (body["paragraph_id"] == first_body_paragraph) | (body_rank < 2)
    frame["in_lead"] = False
    frame.loc[body.index, "in_lead"] = lead.to_numpy()
    frame["in_embed"] = [
        any(s < e_end and e_start < e for e_start, e_end in embed_spans.get(a, ()))
        for a, s, e in zip(frame["article_id"], frame["start"], frame["end"])
    ]
    return frame[SENTENCE_COLUMNS]


def _finish_entities(frame: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=ENTITY_COLUMNS).astype({"sent_id": "int64", "start": "int64", "end": "int64"})
    frame = frame.sort_values(["article_id", "start", "end"], kind="stable").reset_index(drop=True)
    frame["sent_id"] = sentence_of(frame, sentences)
    # a person the model labelled as something else because its mention starts inside a title
    # ("Secretary of |Defence Lloyd Austin|" -> ORG) is a person
    frame.loc[[lab != "PERSON" and bool(person_in_title(t)) for t, lab in zip(frame["text"], frame["label"])],
              "label"] = "PERSON"
    frame["canonical"] = canonicalize(frame, articles)
    return frame[ENTITY_COLUMNS]


def sentence_of(spans: pd.DataFrame, sentences: pd.DataFrame) -> pd.Series:
    """The ``sent_id`` containing each span's ``start`` (spans: ``article_id, start``); -1 when none.

    Vectorised: one sorted merge per article, no loop over pairs.
    """
    if spans.empty:
        return pd.Series([], dtype="int64", index=spans.index)
    left = spans[["article_id", "start"]].reset_index().sort_values("start", kind="stable")
    right = sentences[["article_id", "start", "sent_id"]].sort_values("start", kind="stable")
    merged = pd.merge_asof(left, right, on="start", by="article_id", direction="backward")
    merged = merged.set_index("index").reindex(spans.index)
    return merged["sent_id"].fillna(-1).astype("int64")


def note_languages(report: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The load report with a warning on each article that is not English (it is loaded, kept in
    ``articles``, but not analysed): status ``loaded_with_warning`` and the language in ``reason``."""
    language = dict(zip(articles["article_id"], articles["language"]))
    found = report["article_id"].map(language)
    mask = (found.notna() & (found != "en")).to_numpy()
    if not mask.any():
        return report
    report = report.copy()
    notes = [f"language {lang!r}: loaded but not analysed as English" for lang in found[mask]]
    report.loc[mask, "reason"] = [f"{r}; {n}" if r else n for r, n in zip(report.loc[mask, "reason"], notes)]
    report.loc[mask, "status"] = "loaded_with_warning"
    return report
