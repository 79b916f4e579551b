"""Shared passages: text that two or more articles carry verbatim or nearly so.

Takes ``articles`` (``text``, ``outlet``, ``published``) and ``embeds``; gives the ``passages``
(``PASSAGE_COLUMNS``), ``reuse_pairs`` (``PAIR_COLUMNS``) and ``article_originality``
(``ORIGINALITY_COLUMNS``) tables.

Method (never all pairs of sentences):

1. Every article is tokenised into words with character offsets; each word is
   normalised (lowercase, punctuation and apostrophes dropped, ``U.S.`` -> ``us``,
   British spellings mapped to American ones: defence/defense, favour/favor,
   organise/organize, centre/center ...). Normalisation is applied to every text in the
   same way, so it only has to be consistent, not linguistically exact.
2. Word n-grams (``ngram`` words, default 5) are hashed into 64-bit integers with numpy.
   An inverted index (a sort by hash) lists the articles holding each n-gram; n-grams
   held by more than ``max_df`` articles (boilerplate, stock phrases) are ignored, so
   candidate generation costs about the number of n-grams, not the square of articles.
3. Matching n-gram positions of a candidate pair are joined into exact diagonal runs
   (vectorised), then runs are chained with gap tolerance (``max_gap`` words in either
   text: a changed word, a dropped clause), and kept when at least ``min_words`` words
   match. Each kept chain is an *alignment* (one passage shared by two articles).
4. Alignment sides that overlap within an article are merged; alignments link these
   blocks across articles; connected components are *passage clusters*.

All functions are pure: DataFrames in, DataFrames out. Steps 1-3 are
:func:`helpers.compare.alignments.find_alignments`, which does the
work; the other functions accept its result through ``alignments=`` so that it is
computed once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

import numpy as np
import pandas as pd

from helpers import wire
from helpers.compare.alignments import article_frame, find_alignments
from helpers.compare.schema import ORIGINALITY_COLUMNS, PAIR_COLUMNS, PASSAGE_COLUMNS
from helpers.text import tokenize, WORD_RE

__all__ = [
    "find_shared_passages",
    "reuse_pairs",
    "article_originality",
    "passages_side_by_side",
    "ALIGNMENT_COLUMNS",
    "PASSAGE_COLUMNS",
    "PAIR_COLUMNS",
    "ORIGINALITY_COLUMNS",
]

#: Passages whose text is a quotation of a source the articles have in common: carrying one is
#: quoting that source, not copying the other articles that quote it too.
COMMON_SOURCE_KINDS = frozenset({"quoted statement", "social post"})

# --------------------------------------------------------------------------------------
# The tokenized corpus (words and their normalizing: helpers.text)
# --------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------
# Candidate seeds: hashed n-gram index
# --------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------
# Passage clusters
# --------------------------------------------------------------------------------------

_QUOTE_RES = (
    re.compile(r"“[^”]{3,3000}”"),
    re.compile(r"\"[^\"\n]{3,3000}\""),
    re.compile(r"(?<![\w'])'[^'\n]{3,600}'(?!\w)"),
    re.compile(r"(?<![\w’])‘[^‘\n]{3,600}’(?!\w)"),
)
_SOCIAL_RE = re.compile(
    r"pic\.twitter\.com/|https?://t\.co/|\(@\w{1,30}\)\s*(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})?|"
    r"instagram\.com/p/|facebook\.com/\S+/posts/", re.I)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for rx in _QUOTE_RES:
        spans.extend((m.start(), m.end()) for m in rx.finditer(text))
    return spans


def _quoted_fraction(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> float:
    if end <= start:
        return 0.0
    covered = np.zeros(end - start, dtype=bool)
    for s, e in spans:
        lo, hi = max(s, start), min(e, end)
        if hi > lo:
            covered[lo - start: hi - start] = True
    return float(covered.mean())


def _merge_intervals(intervals: list[tuple[int, int, int]]) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """Merge overlapping (start, end, key) token intervals; return blocks and key -> block index."""
    blocks: list[tuple[int, int]] = []
    key_to_block: dict[int, int] = {}
    for s, e, k in sorted(intervals):
        if blocks and s < blocks[-1][1]:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], e))
        else:
            blocks.append((s, e))
        key_to_block[k] = len(blocks) - 1
    return blocks, key_to_block


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)



def _blocks_for(alignments: pd.DataFrame, keep: list[int]) -> tuple[list, dict[int, int]]:
    """Merge overlapping alignment sides per article into blocks (nodes)."""
    per_article: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    char_of: dict[int, tuple[int, int]] = {}
    al = alignments.iloc[keep] if keep else alignments.iloc[[]]
    for i, r in zip(keep, al.itertuples(index=False)):
        per_article[r.article_a].append((r.tok_start_a, r.tok_end_a, 2 * i))
        per_article[r.article_b].append((r.tok_start_b, r.tok_end_b, 2 * i + 1))
        char_of[2 * i] = (r.start_a, r.end_a)
        char_of[2 * i + 1] = (r.start_b, r.end_b)
    nodes: list[tuple[str, int, int, int, int]] = []  # article, tok_s, tok_e, char_s, char_e
    key_node: dict[int, int] = {}
    for art, ivs in per_article.items():
        blocks, k2b = _merge_intervals(ivs)
        base = len(nodes)
        block_chars = [[None, None] for _ in blocks]
        for _s, _e, k in ivs:
            b = k2b[k]
            cs, ce = char_of[k]
            bc = block_chars[b]
            bc[0] = cs if bc[0] is None else min(bc[0], cs)
            bc[1] = ce if bc[1] is None else max(bc[1], ce)
            key_node[k] = base + b
        for (s, e), (cs, ce) in zip(blocks, block_chars):
            nodes.append((art, s, e, cs, ce))
    return nodes, key_node


def _occurrence_nodes(alignments: pd.DataFrame, link_share: float, texts: dict[str, str]):
    """Occurrence nodes and the links between them.

    An alignment links the blocks its two sides fall in when it covers at least
    ``link_share`` of one of them (a passage contained in a longer shared text joins
    that text's cluster). An alignment that is only a partial overlap of two longer
    passages (say 10 words of a paraphrase that also match a quoted readout) would chain
    unrelated passages together; it becomes a cluster of its own instead.
    """
    idx = list(range(len(alignments)))
    nodes, key_node = _blocks_for(alignments, idx)
    ta0, ta1 = alignments["tok_start_a"].to_numpy(), alignments["tok_end_a"].to_numpy()
    tb0, tb1 = alignments["tok_start_b"].to_numpy(), alignments["tok_end_b"].to_numpy()
    linked, apart = [], []
    for i in idx:
        na, nb = nodes[key_node[2 * i]], nodes[key_node[2 * i + 1]]
        cov_a = (ta1[i] - ta0[i]) / max(na[2] - na[1], 1)
        cov_b = (tb1[i] - tb0[i]) / max(nb[2] - nb[1], 1)
        (linked if max(cov_a, cov_b) >= link_share else apart).append(i)
    if apart:
        nodes, key_node = _blocks_for(alignments, linked)
        recs = alignments.iloc[apart].itertuples(index=False)
        for i, r in zip(apart, recs):
            key_node[2 * i] = len(nodes)
            nodes.append((r.article_a, int(r.tok_start_a), int(r.tok_end_a), int(r.start_a), int(r.end_a)))
            key_node[2 * i + 1] = len(nodes)
            nodes.append((r.article_b, int(r.tok_start_b), int(r.tok_end_b), int(r.start_b), int(r.end_b)))
    links = [(2 * i, 2 * i + 1) for i in idx]
    # the same partial overlap seen in several pairs (a repeated caption, a stock phrase)
    # is one passage: link apart occurrences whose normalised text is identical
    first_with_text: dict[str, int] = {}
    for i in apart:
        for k in (2 * i, 2 * i + 1):
            key = str(hash(tuple(tokenize(texts[nodes[key_node[k]][0]][nodes[key_node[k]][3]:
                                               nodes[key_node[k]][4]])[0])))
            if key in first_with_text:
                links.append((first_with_text[key], k))
            else:
                first_with_text[key] = k
    return nodes, key_node, links


def _embeds_by_article(embeds: pd.DataFrame | None) -> dict[str, list[tuple[int, int, str]]]:
    """Each article's embedded posts as (start, end, description), for :func:`_embed_overlap`."""
    if embeds is None or len(embeds) == 0:
        return {}
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for r in embeds.itertuples(index=False):
        handle = getattr(r, "handle", "") or getattr(r, "author", "") or ""
        platform = getattr(r, "platform", "") or "social"
        out[str(r.article_id)].append((int(r.start), int(r.end), f"embed: {platform} {handle}".strip()))
    return out


def _embed_overlap(embeds: dict[str, list[tuple[int, int, str]]], article_id: str, start: int, end: int) -> str:
    for embed_start, embed_end, description in embeds.get(article_id, ()):
        if min(embed_end, end) - max(embed_start, start) > 0:
            return description
    return ""


def find_shared_passages(
    articles: pd.DataFrame,
    *,
    embeds: pd.DataFrame | None = None,
    alignments: pd.DataFrame | None = None,
    min_words: int = 8,
    ngram: int = 5,
    max_gap: int = 10,
    max_df: int = 100,
    wire_min_words: int = 30,
    link_share: float = 0.6,
) -> pd.DataFrame:
    """Group the occurrences of each shared passage across articles into passage clusters.

    ``articles`` needs ``article_id, text``; ``published`` (YYYY-MM-DD or "") is used to
    guess the origin when present. ``embeds`` (``article_id, start, end, platform,
    handle``) marks social posts. ``alignments`` (from :func:`find_alignments`) avoids
    recomputation; the other options are passed to it.

    Returns one row per occurrence: ``passage_id`` (cluster, ``P0001``...), ``article_id``,
    ``start, end`` (character offsets into that article's text), ``text``, ``words``,
    ``n_articles`` (articles in the cluster), ``source_kind`` (``social post`` /
    ``quoted statement`` / ``wire copy`` / ``unknown``), ``source_detail`` (the evidence),
    ``origin_article_id`` ("" when undetermined, for quotations of a common source, and for wire
    copy unless the credited agency's own article is in the corpus) and ``origin_method`` (how it
    was decided: ``earliest published`` and ``earliest published, then longest occurrence`` /
    ``longest occurrence (all published the same day)`` only when every carrying article is dated
    — an undated one may have run it first —, ``credited to <agency>``, ``the credited agency's
    own article``, ``its speaker or poster (a quotation of a common source)``, or ``undetermined``), ``source_agency`` (for wire copy, the credited
    agency or agencies, comma-separated; "" otherwise).

    source_kind is decided per cluster, first rule that fires: an occurrence overlaps an
    embed or carries a social-post signature (pic.twitter.com, ``(@handle) Month D,
    YYYY``) -> social post; at least half of some occurrence lies inside quotation marks
    -> quoted statement; a carrying article credits an agency (:func:`helpers.wire.find_wire_credits`:
    a dateline credit, credit line, byline, inputs credit, copyright notice or feed note, not a
    mention such as "according to AP" nor the outlet's own name) and the longest occurrence has
    ``wire_min_words`` words or more, or articles of two outlets credit the same agency -> wire
    copy (with the exceptions of :func:`_wire_agencies`: one outlet's own furniture, a passage
    that is the credit itself); otherwise unknown. The origin of wire copy is the credited agency, never an outlet that
    copied it: "the earliest article" is not asked.
    """
    df = article_frame(articles)
    if alignments is None:
        alignments = find_alignments(df, min_words=min_words, ngram=ngram, max_gap=max_gap, max_df=max_df)
    if len(alignments) == 0 or len(df) == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("start", "end", "words", "n_articles") else str)
                             for c in PASSAGE_COLUMNS})
    text_of = dict(zip(df["article_id"], df["text"]))
    published_of = dict(zip(df["article_id"], df["published"].fillna("").astype(str))) if "published" in df else {}
    order_of = {a: i for i, a in enumerate(df["article_id"])}
    outlet_of = dict(zip(df["article_id"], df["outlet"].fillna("").astype(str))) if "outlet" in df else {}
    credits_of: dict[str, list[wire.WireCredit]] = {}

    def credits(article: str) -> list[wire.WireCredit]:
        if article not in credits_of:
            credits_of[article] = wire.find_wire_credits(text_of[article], outlet=outlet_of.get(article, ""))
        return credits_of[article]

    nodes, key_node, links = _occurrence_nodes(alignments, link_share, text_of)
    uf = _UnionFind(len(nodes))
    for ka, kb in links:
        uf.union(key_node[ka], key_node[kb])
    comps: dict[int, list[int]] = defaultdict(list)
    for i in range(len(nodes)):
        comps[uf.find(i)].append(i)

    def comp_sort_key(members: list[int]) -> tuple:
        first = min(members, key=lambda m: (order_of[nodes[m][0]], nodes[m][3]))
        return (order_of[nodes[first][0]], nodes[first][3])

    embeds_of = _embeds_by_article(embeds)
    quote_cache: dict[str, list[tuple[int, int]]] = {}
    rows = []
    for ci, members in enumerate(sorted(comps.values(), key=comp_sort_key), start=1):
        pid = f"P{ci:04d}"
        members.sort(key=lambda m: (order_of[nodes[m][0]], nodes[m][3]))
        arts = sorted({nodes[m][0] for m in members}, key=order_of.get)
        # --- source kind
        kind, detail = "", ""
        for m in members:
            art, _, _, cs, ce = nodes[m]
            emb = _embed_overlap(embeds_of, art, cs, ce)
            if emb:
                kind, detail = "social post", emb
                break
            sm = _SOCIAL_RE.search(text_of[art][cs: min(len(text_of[art]), ce + 120)])
            if sm:
                kind, detail = "social post", f"signature: {sm.group().strip()}"
                break
        if not kind:
            quoted_in: set[str] = set()
            for m in members:
                art, _, _, cs, ce = nodes[m]
                if art not in quote_cache:
                    quote_cache[art] = _quote_spans(text_of[art])
                if _quoted_fraction(text_of[art], cs, ce, quote_cache[art]) >= 0.5:
                    quoted_in.add(art)
            if quoted_in:
                # Say in how many articles: the others run the same words without quotation marks.
                kind, detail = "quoted statement", f"inside quotation marks in {len(quoted_in)} of {len(arts)} articles"
        longest_words = max(nodes[m][2] - nodes[m][1] for m in members)
        agencies: list[str] = []
        if not kind:
            agencies, evidence = _wire_agencies(members, nodes, arts, credits, outlet_of, longest_words,
                                                wire_min_words)
            if agencies:
                kind, detail = "wire copy", evidence
        if not kind:
            kind = "unknown"
        outlets = {outlet_of.get(a, "") for a in arts}
        if len(arts) >= 3 and len(outlets) == 1 and "" not in outlets:
            detail = (detail + "; " if detail else "") + f"all {len(arts)} articles from {outlets.pop()} (boilerplate?)"
        # --- origin
        origin, method = "", "undetermined"
        dated = {a: published_of.get(a, "") for a in arts if published_of.get(a, "")}
        candidates = arts
        if kind == "wire copy":
            # the credited agency is the origin; an article is the origin only when it is the
            # agency's own (its outlet is the agency), never the earliest outlet that copied it
            own = [a for a in arts if any(wire.agency_name(outlet_of.get(a, "")) == agency or
                                          outlet_of.get(a, "").strip().lower() == agency.lower() for agency in agencies)]
            if own:
                origin, method = own[0], "the credited agency's own article"
            else:
                method = f"credited to {', '.join(agencies)}"
        elif kind in COMMON_SOURCE_KINDS:
            # A quotation or a post comes from its speaker or poster: no article is its origin,
            # whoever ran it first.
            method = "its speaker or poster (a quotation of a common source)"
        elif len(dated) == len(arts) and len(set(dated.values())) >= 2:
            # Only when every carrier is dated: an undated carrier may have run it first.
            earliest = min(dated.values())
            candidates = [a for a in arts if dated.get(a) == earliest]
            if len(candidates) == 1:
                origin, method = candidates[0], "earliest published"
        if not origin and kind not in ("wire copy", *COMMON_SOURCE_KINDS) and len(dated) == len(arts):
            span_words = defaultdict(int)
            for m in members:
                if nodes[m][0] in candidates:
                    span_words[nodes[m][0]] = max(span_words[nodes[m][0]], nodes[m][2] - nodes[m][1])
            ranked = sorted(span_words.items(), key=lambda kv: -kv[1])
            if len(ranked) >= 2 and ranked[0][1] > ranked[1][1]:
                origin = ranked[0][0]
                method = ("earliest published, then longest occurrence" if candidates is not arts
                          else "longest occurrence (all published the same day)")
        # one row per distinct stretch of text: overlapping occurrences in an article are merged
        merged: list[list] = []
        for m in sorted(members, key=lambda m: (order_of[nodes[m][0]], nodes[m][1])):
            art, ts, te, cs, ce = nodes[m]
            if merged and merged[-1][0] == art and ts < merged[-1][2]:
                last = merged[-1]
                last[2], last[4] = max(last[2], te), max(last[4], ce)
            else:
                merged.append([art, ts, te, cs, ce])
        for art, ts, te, cs, ce in merged:
            rows.append((pid, art, cs, ce, text_of[art][cs:ce], te - ts, len(arts), kind, detail, origin, method,
                         ", ".join(agencies)))
    out = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    for c in ("start", "end", "words", "n_articles"):
        out[c] = out[c].astype("int64")
    return out


def _wire_agencies(members: list[int], nodes: list, arts: list[str], credits, outlet_of: dict[str, str],
                   longest_words: int, wire_min_words: int) -> tuple[list[str], str]:
    """The agencies a passage cluster is wire copy of, and the evidence; ([], "") when it is not.

    A carrying article must credit the agency (:func:`helpers.wire.find_wire_credits`), and the
    passage must be long (``wire_min_words`` words) or carried by articles of two outlets that both
    credit it: a short phrase two articles share is wire copy only on that double evidence.
    Passages one outlet's articles share among themselves are often its own furniture (a
    newsletter box, a gallery's "Image 1 of 2") or its own updated story: such a passage is wire
    copy only when it is in two articles at most and every one credits the agency. A short passage
    that holds the credit itself ("The Associated Press contributed to this report. Click for
    more") is that credit, not copy.
    """
    credited = [(art, c) for art in arts for c in credits(art)]
    if not credited:
        return [], ""
    outlet = {a: outlet_of.get(a, "") or a for a in arts}
    one_outlet = len(set(outlet.values())) == 1
    crediting: dict[str, set[str]] = defaultdict(set)
    for art, c in credited:
        crediting[c.agency].add(art)
    if longest_words < wire_min_words:
        for m in members:
            art, _, _, cs, ce = nodes[m]
            if any(c.start < ce and cs < c.end for c in credits(art)):
                return [], ""
    eligible = []
    for agency, carriers in crediting.items():
        if one_outlet and (len(arts) > 2 or carriers != set(arts)):
            continue
        if longest_words < wire_min_words and len({outlet[a] for a in carriers}) < 2:
            continue
        eligible.append(agency)
    if not eligible:
        return [], ""
    # the agencies most carrying articles credit, in the order first credited
    most = max(len(crediting[a]) for a in eligible)
    agencies = [a for a in dict.fromkeys(c.agency for _, c in credited) if a in eligible and len(crediting[a]) == most]
    art, c = next((art, c) for art, c in credited if c.agency == agencies[0])
    return agencies, f"{c.kind} '{c.text}' in {art}"


# --------------------------------------------------------------------------------------
# Pairs and per-article originality
# --------------------------------------------------------------------------------------

def _union_length(intervals: Iterable[tuple[int, int]]) -> int:
    total, cur_s, cur_e = 0, None, None
    for s, e in sorted(intervals):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


def _word_counts(df: pd.DataFrame) -> dict[str, int]:
    return {a: len(WORD_RE.findall(t)) for a, t in zip(df["article_id"], df["text"])}


def _common_source_words(df: pd.DataFrame, passages: pd.DataFrame | None) -> dict[str, np.ndarray]:
    """Per article carrying a quotation of a common source (a passage of a kind in
    :data:`COMMON_SOURCE_KINDS`): the running count of its words that lie in one, so that the
    quoted words of any word range [s, e) are ``counts[e] - counts[s]``."""
    if passages is None or len(passages) == 0:
        return {}
    common = passages[passages["source_kind"].isin(COMMON_SOURCE_KINDS)]
    if common.empty:
        return {}
    text_of = dict(zip(df["article_id"], df["text"]))
    out: dict[str, np.ndarray] = {}
    for article, spans in common.groupby("article_id", sort=False):
        text = text_of.get(str(article))
        if text is None:
            continue
        word_spans = np.array([m.span() for m in WORD_RE.finditer(text)], dtype=np.int64).reshape(-1, 2)
        inside = np.zeros(len(word_spans), dtype=bool)
        # words lie in text order without overlapping, so the words inside [start, end) are one
        # run: from the first starting at or after start to the last ending at or before end (a
        # mask over every word per span made an article quoted in many passages quadratic)
        first = np.searchsorted(word_spans[:, 0], spans["start"].to_numpy(dtype=np.int64), side="left")
        last = np.searchsorted(word_spans[:, 1], spans["end"].to_numpy(dtype=np.int64), side="right")
        for lo, hi in zip(first.tolist(), last.tolist()):
            inside[lo:hi] = True
        out[str(article)] = np.concatenate([[0], np.cumsum(inside)])
    return out


def _merged(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _copied_length(intervals: Iterable[tuple[int, int]], quoted: np.ndarray | None) -> int:
    """Words in the union of token ``intervals`` that are not in a common source's quotation."""
    merged = _merged(intervals)
    total = sum(e - s for s, e in merged)
    if quoted is None:
        return total
    last = len(quoted) - 1
    return total - sum(int(quoted[min(e, last)] - quoted[min(s, last)]) for s, e in merged)


def reuse_pairs(
    articles: pd.DataFrame,
    *,
    alignments: pd.DataFrame | None = None,
    passages: pd.DataFrame | None = None,
    min_words: int = 8,
    ngram: int = 5,
    max_gap: int = 10,
    max_df: int = 100,
) -> pd.DataFrame:
    """Containment both ways for every pair of articles that share a passage.

    Returns ``article_a, article_b`` (input order), ``shared_words`` (words of a inside
    passages shared with b), ``shared_words_b`` (the same counted in b), ``share_a``
    (shared_words / words of a: how much of a is contained in b), ``share_b`` (how much
    of b is contained in a), ``n_alignments``, and ``copied_share_a``, ``copied_share_b``: the
    same shares without the words in quotations of a common source (passages of
    :func:`find_shared_passages` whose ``source_kind`` is quoted statement or social post, given
    as ``passages``): two articles quoting one statement are not copying each other. Without
    ``passages`` the copied shares equal the shares. Pairs sharing nothing are omitted.
    Sorted by share_a + share_b, highest first.
    """
    df = article_frame(articles)
    if alignments is None:
        alignments = find_alignments(df, min_words=min_words, ngram=ngram, max_gap=max_gap, max_df=max_df)
    if len(alignments) == 0:
        return pd.DataFrame({c: pd.Series(dtype=str if c.startswith("article") else
                                          ("float64" if "share" in c else "int64"))
                             for c in PAIR_COLUMNS})
    words = _word_counts(df)
    quoted = _common_source_words(df, passages)
    rows = []
    for (a, b), g in alignments.groupby(["article_a", "article_b"], sort=False):
        ia, ib = list(zip(g["tok_start_a"], g["tok_end_a"])), list(zip(g["tok_start_b"], g["tok_end_b"]))
        wa, wb = _union_length(ia), _union_length(ib)
        na, nb = max(words.get(a, 0), 1), max(words.get(b, 0), 1)
        rows.append((a, b, wa, wb, wa / na, wb / nb, len(g),
                     _copied_length(ia, quoted.get(a)) / na, _copied_length(ib, quoted.get(b)) / nb))
    out = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    out = out.assign(_k=out["share_a"] + out["share_b"]).sort_values("_k", ascending=False, kind="stable")
    return out.drop(columns="_k").reset_index(drop=True)


def article_originality(
    articles: pd.DataFrame,
    *,
    alignments: pd.DataFrame | None = None,
    passages: pd.DataFrame | None = None,
    min_words: int = 8,
    ngram: int = 5,
    max_gap: int = 10,
    max_df: int = 100,
) -> pd.DataFrame:
    """Per article: how much of its text it shares with other articles, how much it copied, and
    from whom.

    Returns ``article_id, words`` (word count, same tokeniser as the finder),
    ``shared_share`` (share of its words inside any shared passage, quotations of a common
    source included), ``quoted_share`` (share of its words inside shared quotations of a common
    source: quoted statements and social posts of ``passages``), ``copied_share`` (shared, but
    not such a quotation: what it may have copied; equals shared_share without ``passages``),
    ``own_share`` (1 - copied_share), ``shared_with`` (comma-separated ids, most shared first),
    ``main_source`` and ``main_source_article``: where most of its copied words come from. With
    ``passages``: for wire copy the credited agency (``main_source_article`` stays "": the
    agency's text is not another outlet's), otherwise the passage's origin article when another
    article is the origin ("" when the article is the origin or the origin is undetermined).
    Without ``passages``: the article it shares most words with, as both. One row per input
    article, in input order.
    """
    df = article_frame(articles)
    if alignments is None:
        alignments = find_alignments(df, min_words=min_words, ngram=ngram, max_gap=max_gap, max_df=max_df)
    words = _word_counts(df)
    quoted = _common_source_words(df, passages)
    intervals: dict[str, list[tuple[int, int]]] = defaultdict(list)
    partner_words: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for r in alignments.itertuples(index=False):
        intervals[r.article_a].append((r.tok_start_a, r.tok_end_a))
        intervals[r.article_b].append((r.tok_start_b, r.tok_end_b))
        partner_words[r.article_a][r.article_b].append((r.tok_start_a, r.tok_end_a))
        partner_words[r.article_b][r.article_a].append((r.tok_start_b, r.tok_end_b))
    source_words = _copied_from(passages) if passages is not None else None
    article_ids = set(df["article_id"])
    rows = []
    for a in df["article_id"]:
        n = words.get(a, 0)
        shared = _union_length(intervals.get(a, []))
        copied = _copied_length(intervals.get(a, []), quoted.get(a))
        share = shared / n if n else 0.0
        copied_share = copied / n if n else 0.0
        partners = sorted(((p, _union_length(iv)) for p, iv in partner_words.get(a, {}).items()),
                          key=lambda kv: -kv[1])
        if source_words is None:
            main = partners[0][0] if partners else ""
            main_article = main
        else:
            ranked = sorted(source_words.get(a, {}).items(), key=lambda kv: (-kv[1], kv[0]))
            main = ranked[0][0] if ranked else ""
            main_article = main if main in article_ids else ""
        rows.append((a, n, 1.0 - copied_share if n else 0.0, share, main_article,
                     ", ".join(p for p, _ in partners), copied_share, share - copied_share if n else 0.0, main))
    out = pd.DataFrame(rows, columns=ORIGINALITY_COLUMNS)
    out["words"] = out["words"].astype("int64")
    return out[ORIGINALITY_COLUMNS]


def _copied_from(passages: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per article: words it carries in shared passages that are not common-source quotations, by
    where they came from: the credited agency for wire copy, the origin article otherwise (none
    when the article is the origin or the origin is undetermined)."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    copied = passages[~passages["source_kind"].isin(COMMON_SOURCE_KINDS)]
    agency = copied["source_agency"] if "source_agency" in copied else pd.Series("", index=copied.index)
    for article, kind, origin, credited, n in zip(copied["article_id"].astype(str), copied["source_kind"],
                                                 copied["origin_article_id"].fillna("").astype(str),
                                                 agency.fillna("").astype(str), copied["words"]):
        if kind == "wire copy" and credited and origin != article:
            source = origin or credited.split(", ")[0]
        elif origin and origin != article:
            source = origin
        else:
            continue
        out[article][source] += int(n)
    return out


def passages_side_by_side(passages: pd.DataFrame, labels: dict[str, str], *, max_passages: int = 40,
                          max_articles: int = 12, among: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per shared passage, one column per article carrying it, the article's wording in
    the cell ("" where it does not carry the passage): ``passage_id`` then the articles' labels
    (``labels``: article id -> label; an id without one is its own label), in label order; rows
    in ``passage_id`` order.

    Bounded however large the corpus: only the ``max_passages`` most widely carried passages
    (most articles, then most words, then id) and, among their articles, the ``max_articles``
    carrying most of them (then label order) — on a corpus of thousands of articles every
    passage beside every article would be a table of passages × articles of text. ``among``:
    only the passages of these articles (one story of a corpus of many events; None: all).
    """
    if passages is not None and among is not None:
        passages = passages[passages["article_id"].isin(set(among))]
    if passages is None or passages.empty:
        return pd.DataFrame(columns=["passage_id"])
    per_passage = passages.groupby("passage_id", sort=True).agg(n_articles=("article_id", "nunique"),
                                                                words=("words", "max")).reset_index()
    chosen = per_passage.sort_values(["n_articles", "words", "passage_id"], ascending=[False, False, True],
                                     kind="stable").head(max_passages)["passage_id"]
    rows = passages[passages["passage_id"].isin(set(chosen))]
    rows = rows.assign(article=rows["article_id"].map(lambda a: labels.get(a, a)))
    carried = rows.groupby("article")["passage_id"].nunique().reset_index()
    articles = carried.sort_values(["passage_id", "article"], ascending=[False, True], kind="stable").head(max_articles)
    rows = rows[rows["article"].isin(set(articles["article"]))]
    wide = rows.pivot_table(index="passage_id", columns="article", values="text", aggfunc="first").fillna("")
    return wide.reset_index()


def containment_matrix(pairs: pd.DataFrame, articles: pd.DataFrame, *, max_articles: int = 40,
                       share: str = "share") -> pd.DataFrame:
    """Square table for a heatmap: cell (row a, column b) = share of a's words it shares with b.

    Built from :func:`reuse_pairs` (both directions); the diagonal is 0. ``share``: which pair of
    columns, ``share`` (``share_a``/``share_b``: all shared text) or ``copied_share`` (without
    quotations of a common source). Only the ``max_articles`` articles with the most shared words
    are kept, so the chart stays readable on a large corpus.
    """
    ids = list(articles["article_id"])
    if pairs.empty or not ids:
        return pd.DataFrame(index=pd.Index([], name="article"), columns=pd.Index([], name="shares with"), dtype=float)
    forward = pairs[["article_a", "article_b", f"{share}_a"]].rename(
        columns={"article_a": "a", "article_b": "b", f"{share}_a": "share"})
    backward = pairs[["article_b", "article_a", f"{share}_b"]].rename(
        columns={"article_b": "a", "article_a": "b", f"{share}_b": "share"})
    both = pd.concat([forward, backward], ignore_index=True)
    busiest = both.groupby("a")["share"].sum().sort_values(ascending=False, kind="stable").head(max_articles)
    keep = sorted(busiest.index)
    both = both[both["a"].isin(keep) & both["b"].isin(keep)]
    wide = both.pivot_table(index="a", columns="b", values="share", aggfunc="max", fill_value=0.0)
    wide = wide.reindex(index=keep, columns=keep, fill_value=0.0)
    wide.index.name, wide.columns.name = "article", "shares with"
    return wide
