"""The same quote carried by several articles: :func:`quote_variants`.

Takes the ``quotes`` table with outlets; gives the ``quote_variants`` table (``VARIANT_COLUMNS``),
with wording and speaker differences flagged.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

import numpy as np
import pandas as pd

from helpers import names
from helpers.quotes.marks import _WORD
from helpers.schema import VARIANT_COLUMNS


def _norm_tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def _shingles(tokens: list[str], n: int) -> set[str]:
    """The quote's word ``n``-grams, as text: compared by equality (no digest that could collide)."""
    if len(tokens) < n:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def _diff(a: list[str], b: list[str]) -> str:
    """Word-level edits turning ``a`` (reference) into ``b``: "-word" removed, "+word" added."""
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            out.append("-" + " ".join(a[i1:i2]))
        if j2 > j1:
            out.append("+" + " ".join(b[j1:j2]))
    return "; ".join(out)


#: Characters that end the sentence around a quote (a conservative end: an abbreviation's full
#: stop ends it early, which only widens a wording less).
_SENTENCE_ENDS = ".!?\n"


def _sentence_words(text: str, start: int, end: int) -> tuple[list[str], list[str], list[str]] | None:
    """The words of the sentence around ``text[start:end]`` before the span, of the span, and
    after it (:func:`_norm_tokens`); None when the offsets do not fit the text."""
    if not isinstance(text, str) or not 0 <= start < end <= len(text):
        return None
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_ENDS) + 1
    right = min((i for i in (text.find(ch, end) for ch in _SENTENCE_ENDS) if i >= 0), default=len(text))
    return _norm_tokens(text[left:start]), _norm_tokens(text[start:end]), _norm_tokens(text[end:right])


#: Words of the article's own between two of the reference's that a widening may step over
#: ("Mayor *Ana* Ruiz and *Fire* Chief *Tom* Lee also discussed").
MAX_WIDENING_GAP = 2


def _widened(ref: list[str], before: list[str], own: list[str], after: list[str]) -> list[str]:
    """The article's wording of a quote, for comparing with the group's reference wording ``ref``:
    its own words ``own``, widened into the same sentence (``before``, ``after``) as far as the
    reference's words continue there. An extractor may cut an attribution's content short of
    what another outlet quotes ("X and Y also discussed [the situation …]" against "'X and Y
    discussed the situation … more broadly,' Z said"): the words the outlet printed just outside
    the span are its wording, not words it dropped. From the span outwards, the words next to it
    must be the reference's (difflib's matching blocks, in order), and each further run of its
    own words (at most :data:`MAX_WIDENING_GAP`) must lead to more of them — so a shared word
    beyond the outlet's own words ("… on the radio, [Mayor Ruiz promised …]" against
    "At the meeting on Friday, Ruiz promised …") pulls nothing in."""
    if not before and not after:
        return own
    words = before + own + after
    lo, hi = len(before), len(before) + len(own)
    is_ref = [False] * len(words)
    for blk in difflib.SequenceMatcher(a=ref, b=words, autojunk=False).get_matching_blocks():
        is_ref[blk.b:blk.b + blk.size] = [True] * blk.size

    def reach(positions: range) -> int | None:
        """The farthest of ``positions`` (outwards from the span) reached through the reference's
        words; None when the word next to the span is not one."""
        last, gap = None, 0
        for i in positions:
            if is_ref[i]:
                last, gap = i, 0
            elif last is None and gap == 0 and i in (lo - 1, hi):
                return None
            else:
                gap += 1
                if gap > MAX_WIDENING_GAP:
                    break
        return last

    first = reach(range(lo - 1, -1, -1))
    last = reach(range(hi, len(words)))
    return words[first if first is not None else lo:(last + 1) if last is not None else hi]


def _linked_groups(shingles: list[set[str]], *, min_overlap: float, max_bucket: int) -> dict[int, list[int]]:
    """The quotes linked into groups (see :func:`quote_variants`): quotes ``i`` and ``j`` are linked
    when the n-grams they share, not counting n-grams more than ``max_bucket`` quotes have
    (boilerplate), are at least ``min_overlap`` of the smaller one's n-grams; a group is a set of
    quotes linked directly or through others. Returns each group's members (ascending) by its
    first member, for every quote with an n-gram, alone or not. The shared n-grams of all pairs
    are one sparse product (quotes × n-grams), not a Python loop over each quote's candidates."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    n = len(shingles)
    sizes = np.fromiter((len(s) for s in shingles), dtype=np.int64, count=n)
    column_of: dict[str, int] = {}
    rows = np.repeat(np.arange(n, dtype=np.int64), sizes)
    columns = np.fromiter((column_of.setdefault(h, len(column_of)) for s in shingles for h in s),
                          dtype=np.int64, count=int(sizes.sum()))
    quotes = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(n, len(column_of)))
    common = np.asarray(quotes.sum(axis=0)).ravel() <= max_bucket  # n-grams of at most max_bucket quotes
    quotes = quotes[:, np.flatnonzero(common)]
    shared = sparse.triu(quotes @ quotes.T, k=1).tocoo()  # pairs i < j with the n-grams they share
    smaller = np.maximum(1, np.minimum(sizes[shared.row], sizes[shared.col]))
    linked = shared.data / smaller >= min_overlap
    graph = sparse.coo_matrix((np.ones(int(linked.sum())), (shared.row[linked], shared.col[linked])), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    first: dict[int, int] = {}
    groups: dict[int, list[int]] = defaultdict(list)
    for i in np.flatnonzero(sizes > 0).tolist():
        groups[first.setdefault(int(labels[i]), i)].append(i)
    return groups


#: A press role in a speaker's description: whoever holds it speaks for the body named beside it
#: ("Pentagon Press Secretary John Kirby", "a Foreign Ministry spokeswoman", "the company's
#: communications director").
_PRESS_ROLE = re.compile(r"\b(?:spokes(?:man|men|woman|women|person|persons|people)|press\s+(?:secretary|officer|"
                         r"aide|attach[eé]|office)|communications\s+director)\b", re.I)


def _speaks_for(descriptions: dict[str, set[str]], speakers: set[str]) -> dict[str, str]:
    """Each of ``speakers`` → the source it stands for, as one name (the first in sorted order of
    the speakers joined): a speaker one of whose descriptions (``descriptions``: each speaker's
    speaker spans in the event's quotes) holds a press role (:data:`_PRESS_ROLE`) and names another
    of ``speakers`` (whole words, any case) speaks for that one — crediting the Pentagon and
    crediting its press secretary is one source, not two speakers."""
    parent = {sp: sp for sp in speakers}

    def root(sp: str) -> str:
        while parent[sp] != sp:
            sp = parent[sp]
        return sp

    for speaker in sorted(speakers):
        for text in sorted(descriptions.get(speaker, ())):
            if not _PRESS_ROLE.search(text):
                continue
            for body in sorted(speakers - {speaker}):
                if re.search(rf"(?<!\w){re.escape(body)}(?!\w)", text, re.I):
                    a, b = sorted((root(speaker), root(body)))
                    parent[b] = a
    return {sp: root(sp) for sp in speakers}


def quote_variants(quotes: pd.DataFrame, articles: pd.DataFrame, *, ngram: int = 4, min_overlap: float = 0.5,
                   min_words: int = 5, max_bucket: int = 200) -> pd.DataFrame:
    """Link the same quote across articles and flag wording or speaker differences.

    Candidates share at least one hashed word ``ngram`` (an inverted index, never all pairs; buckets
    larger than ``max_bucket`` -- boilerplate -- are ignored). A pair is linked when the shared
    n-grams cover at least ``min_overlap`` of the shorter quote's n-grams; linked quotes form a group
    (union-find). Only groups spanning two or more articles are returned.

    Output columns: ``variant_group`` (int, by first appearance), ``article_id``, ``outlet``,
    ``quote_id``, ``quote``, ``kind``, ``speaker_canonical``, ``n_articles`` (articles in the group),
    ``wording_differs`` (bool), ``wording_diff`` (word edits against the group's most common wording,
    "" when identical after lowercasing and dropping punctuation; with the quotes' ``start, end``
    and the articles' ``text``, a quote is compared with the words its article prints around it
    in the same sentence as far as they continue the reference wording — :func:`_widened` — so
    that a span cut short is not read as words the outlet left out), ``speaker_differs`` (True
    when the group has several sources and this row's differs from the group's most common one; a
    speaker and the body their press role names are one source: :func:`_speaks_for`).
    """
    if quotes is None or len(quotes) == 0:
        return pd.DataFrame(columns=VARIANT_COLUMNS)
    outlets = {}
    if articles is not None and len(articles) and "outlet" in articles.columns:
        outlets = dict(zip(articles["article_id"].astype(str), articles["outlet"].fillna("").astype(str)))
    texts_of = {}
    if articles is not None and len(articles) and "text" in articles.columns:
        texts_of = dict(zip(articles["article_id"].astype(str), articles["text"]))
    q = quotes.reset_index(drop=True)
    toks = [_norm_tokens(t) for t in q["quote"].tolist()]
    sh = [_shingles(t, ngram) if len(t) >= min_words else set() for t in toks]
    aids = q["article_id"].astype(str).tolist()
    groups = _linked_groups(sh, min_overlap=min_overlap, max_bucket=max_bucket)
    # plain lists, not DataFrame.at per member
    speaker_of = q["speaker_canonical"].tolist()
    quote_ids, texts, kinds = q["quote_id"].tolist(), q["quote"].tolist(), q["kind"].tolist()
    descriptions: dict[str, set[str]] = defaultdict(set)  # each speaker's spans, in all the event's quotes
    if "speaker" in q.columns:
        for speaker, text in zip(speaker_of, q["speaker"].tolist()):
            if isinstance(speaker, str) and isinstance(text, str):
                descriptions[speaker].add(text)
    starts, ends = (q["start"].tolist(), q["end"].tolist()) if {"start", "end"} <= set(q.columns) else (None, None)
    rows = []
    gid = 0
    for root in sorted(groups):
        members = groups[root]
        if len({aids[i] for i in members}) < 2:
            continue
        wordings = Counter(" ".join(toks[i]) for i in members)
        ref = max(wordings.items(), key=lambda kv: (kv[1], len(kv[0])))[0].split()
        # an unresolved speaker differs from no one: it is a missing name, not another speaker
        # a speaker and the body they speak for (its spokesperson) are one source
        named = {speaker_of[i] for i in members if speaker_of[i] and speaker_of[i] != names.UNRESOLVED}
        source = _speaks_for(descriptions, named) if len(named) > 1 else {sp: sp for sp in named}
        speakers = Counter(source[speaker_of[i]] for i in members if speaker_of[i] in source)
        main_speaker = speakers.most_common(1)[0][0] if speakers else ""
        n_articles = len({aids[i] for i in members})
        for i in members:
            around = (_sentence_words(texts_of.get(aids[i]), int(starts[i]), int(ends[i]))
                      if texts_of and starts is not None else None)
            # the span's own words must be the quote's (offsets into this text), else no widening
            wording = _widened(ref, around[0], toks[i], around[2]) if around and around[1] == toks[i] else toks[i]
            d = _diff(ref, wording)
            sp = speaker_of[i]
            rows.append({
                "variant_group": gid, "article_id": aids[i], "outlet": outlets.get(aids[i], ""),
                "quote_id": quote_ids[i], "quote": texts[i], "kind": kinds[i],
                "speaker_canonical": sp, "n_articles": n_articles, "wording_differs": bool(d),
                "wording_diff": d,
                "speaker_differs": bool(len(speakers) > 1 and sp in source and source[sp] != main_speaker),
            })
        gid += 1
    return pd.DataFrame(rows, columns=VARIANT_COLUMNS)
