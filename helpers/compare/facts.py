"""Facts: sentences in different articles that report the same fact or claim.

Takes ``sentences``, ``articles`` and ``passages``; gives the ``facts`` (``FACT_COLUMNS``) and
``coverage_matrix`` tables (fact ids only; :func:`fact_labels` puts them in words), exclusives and
omissions (quantities: :mod:`helpers.compare.quantities`).

Sentences are turned into TF-IDF vectors (scikit-learn) over normalised, lightly
stemmed content words; numbers, number words and ordinals are *left out* of the
vectors so that "Taliban captured a sixth provincial capital" and "... six provincial
capitals" can group together and their quantities be compared afterwards.

Scaling: similarities are computed only inside candidate blocks (articles of the same
``event``; one block when there is no event column), as thresholded sparse products
``X[chunk] @ X_block.T`` in row chunks, so memory stays bounded and no Python loop runs
over sentence pairs. Grouping is single-link over the edges above ``threshold``, taken
strongest first, with one constraint: a fact never holds two units (sentences, or the
sentences of one embedded post or quoted statement, below) of the same article (this stops
chains of loosely related sentences from merging into one blob).

Choices, stated:
- Headlines are kept (a headline states the story's main fact), but a sentence whose
  normalised text repeats an earlier sentence of the same article (a headline printed
  twice, a repeated subhead) is dropped, as are sentences with fewer than
  ``min_terms`` content words ("Text Size:", "Support Our Journalism").
- Sentences inside embeds are kept: an outlet that embeds a post shows its claim to its
  readers, which is what coverage is about. ``skip_embeds=True`` drops them.
- One embedded post, or one quoted statement running over several sentences, is *one* fact:
  its sentences are grouped as one unit (their terms pooled) and every sentence of the unit
  gets the unit's fact. Otherwise a three-sentence post would be three facts, and an outlet
  that leaves it out would be listed as omitting it three times.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections import defaultdict
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from helpers.compare.schema import FACT_COLUMNS
from helpers.text import normalize_word, WORD_RE

__all__ = [
    "group_facts",
    "threshold_effect",
    "coverage_matrix",
    "fact_labels",
    "outlet_exclusives",
    "outlet_omissions",
    "FACT_COLUMNS",
]

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000,
}
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "twentieth": 20, "hundredth": 100,
}
MULTIPLIERS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
               "lakh": 1e5, "crore": 1e7, "mn": 1e6, "bn": 1e9, "m": 1e6, "k": 1e3}
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "also", "told", "according", "reported"}
_NUMERIC_RE = re.compile(r"^\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th|s)?$")


@functools.lru_cache(maxsize=300_000)
def _stem(word: str) -> str:
    for suf in ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s", "e"):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)] + ("y" if suf == "ies" else "")
    return word


# A word's normal form and its content term, worked out once per distinct word form: a corpus
# repeats a few hundred thousand forms across millions of sentences.
_normal = functools.lru_cache(maxsize=300_000)(normalize_word)


@functools.lru_cache(maxsize=300_000)
def _term(word: str) -> str | None:
    """The content term of one word as written: normalised and stemmed; None for a stop word,
    a number or a word shorter than two letters."""
    w = _normal(word)
    if (len(w) < 2 or w in _STOP or w in NUMBER_WORDS or w in ORDINAL_WORDS or w in MULTIPLIERS
            or _NUMERIC_RE.match(w)):
        return None
    return _stem(w)


def _terms(text: str) -> list[str]:
    """Content terms of a sentence: normalised, stemmed, no stop words, no quantities."""
    # findall, not finditer: the words as strings without a match object each (the pattern has
    # no capturing group, so findall gives whole matches)
    return [t for t in map(_term, WORD_RE.findall(text)) if t is not None]


def _norm_key(text: str) -> str:
    return " ".join(map(_normal, WORD_RE.findall(text)))


def _outlets(articles: pd.DataFrame) -> dict[str, str]:
    ids = articles["article_id"].astype(str)
    if "outlet" in articles:
        out = articles["outlet"].fillna("").astype(str)
        return {a: (o or a) for a, o in zip(ids, out)}
    return {a: a for a in ids}


_QUOTE_MARK = re.compile('[“”"]')

#: A quotation left open for more sentences than this (an unmatched quotation mark) stops being
#: treated as one statement.
MAX_QUOTE_SENTENCES = 8


def _embed_index(s: pd.DataFrame, embeds: pd.DataFrame | None) -> list[int]:
    """For each sentence (sorted by article, sent_id): the embed it lies in, -1 when none. With
    ``embeds`` (``article_id, start, end``) a sentence is in the embed its span overlaps; without,
    a run of consecutive ``in_embed`` sentences counts as one embed."""
    n = len(s)
    if "in_embed" not in s:
        return [-1] * n
    in_embed = s["in_embed"].fillna(False).astype(bool).tolist()
    arts = s["article_id"].tolist()
    out = [-1] * n
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    if embeds is not None and len(embeds) and "start" in s:
        for a, st, en in zip(embeds["article_id"].astype(str), embeds["start"].astype(int), embeds["end"].astype(int)):
            spans[a].append((st, en))
        starts, ends = s["start"].astype(int).tolist(), s["end"].astype(int).tolist()
    run = -1
    embed_ids: dict[tuple[str, int], int] = {}
    for i in range(n):
        if not in_embed[i]:
            continue
        found = -1
        for k, (st, en) in enumerate(spans.get(arts[i], ())):
            if min(en, ends[i]) > max(st, starts[i]):
                found = embed_ids.setdefault((arts[i], k), n + len(embed_ids))  # apart from run ids (< n)
                break
        if found < 0:  # no embeds table: consecutive in-embed sentences of one article are one post
            if not (i > 0 and in_embed[i - 1] and arts[i - 1] == arts[i] and out[i - 1] == run):
                run = i
            found = run
        out[i] = found
    return out


def statement_units(s: pd.DataFrame, embeds: pd.DataFrame | None = None) -> np.ndarray:
    """Unit number of each sentence of ``s`` (sorted by ``article_id, sent_id``): sentences of one
    embedded post, or of one quoted statement running over several sentences, share a unit; every
    other sentence is a unit of its own.

    A quoted statement is followed through its quotation marks (“…” or "…"): a sentence that
    leaves a quotation open is joined by the sentences up to the one that closes it, inside its
    paragraph (``paragraph_id``), or into the next paragraph when that opens with a quotation
    mark (the press convention for a quote running over paragraphs), at most
    :data:`MAX_QUOTE_SENTENCES` sentences. Single quotation marks are not followed: they are
    also apostrophes.
    """
    texts = s["text"].fillna("").astype(str).tolist()
    arts = s["article_id"].astype(str).tolist()
    paras = s["paragraph_id"].tolist() if "paragraph_id" in s else [0] * len(s)
    embed_of = _embed_index(s, embeds)
    units = np.zeros(len(s), dtype=np.int64)
    unit = -1
    open_quote, run = False, 0
    for i, text in enumerate(texts):
        same_article = i > 0 and arts[i] == arts[i - 1]
        if same_article and embed_of[i] >= 0 and embed_of[i] == embed_of[i - 1]:
            units[i] = unit  # the same embedded post
            open_quote = False
            continue
        if not same_article:
            open_quote = False
        elif paras[i] != paras[i - 1] and not text.lstrip().startswith(("“", '"')):
            open_quote = False
        carried = open_quote and embed_of[i] < 0 and (i == 0 or embed_of[i - 1] < 0) and run < MAX_QUOTE_SENTENCES
        if carried:
            run += 1
        else:
            unit += 1
            run = 1
        units[i] = unit
        if embed_of[i] >= 0:
            open_quote = False
            continue
        for ch in _QUOTE_MARK.findall(text):  # the marks alone, not every character
            if ch == "“":
                open_quote = True
            elif ch == "”":
                open_quote = False
            elif ch == '"':
                open_quote = not open_quote
    return units


def _prepare(sentences: pd.DataFrame, articles: pd.DataFrame, min_terms: int, skip_embeds: bool,
             embeds: pd.DataFrame | None = None) -> pd.DataFrame:
    s = sentences.copy()
    s["article_id"] = s["article_id"].astype(str)
    s = s.sort_values(["article_id", "sent_id"], kind="stable")
    # units before any sentence is dropped: a short sentence inside a quotation still carries it
    s["_unit"] = statement_units(s, embeds)
    if skip_embeds and "in_embed" in s:
        s = s[~s["in_embed"].fillna(False).astype(bool)]
    s["_key"] = [_norm_key(t) for t in s["text"].fillna("").astype(str).tolist()]
    s = s[s["_key"] != ""]
    s = s[~s.duplicated(["article_id", "_key"])]
    s["_terms"] = [_terms(t) for t in s["text"].fillna("").astype(str).tolist()]
    s = s[s["_terms"].map(len) >= min_terms]
    known = set(articles["article_id"].astype(str))
    s = s[s["article_id"].isin(known)]
    return s.reset_index(drop=True)


def _unit_frame(s: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per statement unit (see :func:`statement_units`): its first sentence's id, its span,
    its sentences' text and terms pooled; and the unit row of each sentence of ``s``."""
    unit_of = pd.factorize(s["_unit"])[0]
    if unit_of.size == 0 or unit_of.max() + 1 == len(s):
        return s, np.arange(len(s))  # every unit one sentence: nothing to pool
    first = np.unique(unit_of, return_index=True)[1]
    u = s.iloc[first].copy().reset_index(drop=True)
    grouped = s.groupby(unit_of, sort=True)
    # each unit's sentences in their order, pooled in one pass over plain lists (a Python
    # function per group through pandas' aggregation cost seconds on a large event)
    texts: list[list[str]] = [[] for _ in range(len(first))]
    terms: list[list[str]] = [[] for _ in range(len(first))]
    for unit, text, words in zip(unit_of.tolist(), s["text"].tolist(), s["_terms"].tolist()):
        texts[unit].append(str(text))
        terms[unit].extend(words)
    u["text"] = _objects([" ".join(t) for t in texts])
    u["_terms"] = _objects(terms)
    if "start" in s and "end" in s:
        u["start"] = grouped["start"].min().to_numpy()
        u["end"] = grouped["end"].max().to_numpy()
    return u, unit_of


def _objects(values: list) -> np.ndarray:
    """``values`` as a one-dimensional object array (lists stay elements, not a second axis)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


#: An event with more sentences than this is compared within windows of publication dates.
MAX_BLOCK_SENTENCES = 30_000
#: Window step in days: sentences of articles published up to this many days apart always share
#: a window (windows span two steps and overlap by one).
WINDOW_DAYS = 4


def comparison_blocks(s: pd.DataFrame, articles: pd.DataFrame, *, max_sentences: int | None = None,
            window_days: int | None = None) -> list[np.ndarray]:
    """Candidate blocks of sentence positions: one per event; an event larger than
    ``max_sentences`` (a topic rather than an event, as in a year of "elections" coverage) is cut
    into overlapping publication-date windows, since the same fact is reported around the same
    time. Its undated articles form one more block among themselves."""
    max_sentences = max_sentences or MAX_BLOCK_SENTENCES
    window_days = window_days or WINDOW_DAYS
    if "event" in articles and articles["event"].fillna("").astype(str).ne("").any():
        ev = dict(zip(articles["article_id"].astype(str), articles["event"].fillna("").astype(str)))
        keys = s["article_id"].map(ev).fillna("")
        blocks = [np.flatnonzero((keys == k).to_numpy()) for k in pd.unique(keys)]
    else:
        blocks = [np.arange(len(s))]
    if all(block.size <= max_sentences for block in blocks):
        return blocks
    published = dict(zip(articles["article_id"].astype(str), articles.get("published", pd.Series(dtype=object))))
    days = pd.to_datetime(s["article_id"].map(published), errors="coerce", format="%Y-%m-%d")
    day_number = ((days - pd.Timestamp("1970-01-01")).dt.days).to_numpy(dtype="float64")
    out: list[np.ndarray] = []
    for block in blocks:
        if block.size <= max_sentences:
            out.append(block)
            continue
        block_days = day_number[block]
        undated = block[np.isnan(block_days)]
        if undated.size:
            out.append(undated)
        dated, dated_days = block[~np.isnan(block_days)], block_days[~np.isnan(block_days)]
        if not dated.size:
            continue
        step = np.floor(dated_days / window_days).astype(np.int64)
        order = np.argsort(step, kind="stable")
        dated, step = dated[order], step[order]
        for first in sorted({int(x) for u in np.unique(step) for x in (u - 1, u)}):
            lo, hi = np.searchsorted(step, first, "left"), np.searchsorted(step, first + 1, "right")
            if hi > lo:
                out.append(np.sort(dated[lo:hi]))
    return out


def _edges(s: pd.DataFrame, articles: pd.DataFrame, min_sim: float, chunk: int = 2000
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, sparse.csr_matrix]:
    """Sentence pairs (i < j, different articles, same block) with cosine >= min_sim."""
    if len(s) == 0:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0), sparse.csr_matrix((0, 0))
    vec = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True, norm="l2", min_df=1)
    X = vec.fit_transform(s["_terms"]).tocsr().astype(np.float32)
    art_codes = pd.factorize(s["article_id"])[0]
    I, J, V = [], [], []
    blocks = comparison_blocks(s, articles)
    for block in blocks:
        if block.size < 2:
            continue
        Xb = X[block]
        XbT = Xb.T.tocsc()
        for c0 in range(0, block.size, chunk):
            prod = (Xb[c0: c0 + chunk] @ XbT).tocoo()
            keep = prod.data >= min_sim
            r, c, v = prod.row[keep] + c0, prod.col[keep], prod.data[keep]
            gi, gj = block[r], block[c]
            keep = (gi < gj) & (art_codes[gi] != art_codes[gj])
            I.append(gi[keep]); J.append(gj[keep]); V.append(v[keep])
    if not I:
        e = np.zeros(0, dtype=np.int64)
        return e, e, np.zeros(0), X
    I, J, V = np.concatenate(I), np.concatenate(J), np.concatenate(V).astype(np.float64)
    if len(blocks) > 1 and sum(b.size for b in blocks) > len(s):
        # overlapping date windows find a pair twice: keep one
        _, first = np.unique(I * len(s) + J, return_index=True)
        I, J, V = I[first], J[first], V[first]
    return I, J, V, X


#: A passage shared by more articles than this (boilerplate such as a newsletter footer or a wire
#: credit, found in thousands of articles of a large corpus) links each occurrence's sentences to
#: its first occurrence's only, instead of every occurrence to every other: the occurrences stay
#: connected, and the pairs grow with the occurrences rather than with their square (one footer in
#: 8,396 articles of article_bias_prediction made 42 M pairs and 4.7 GB).
MAX_PASSAGE_ALL_PAIRS = 50


def _passage_pairs(s: pd.DataFrame, passages: pd.DataFrame | None, min_overlap: float = 0.5
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Sentence pairs (i < j, different articles) whose sentences lie (mostly) in the same shared
    passage, as two position arrays, sorted and without repeats."""
    empty = np.zeros(0, dtype=np.int64)
    if passages is None or len(passages) == 0 or "start" not in s:
        return empty, empty
    by_art: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for p in passages.itertuples(index=False):
        by_art[str(p.article_id)].append((int(p.start), int(p.end), p.passage_id))
    members: dict[str, dict[str, list[int]]] = defaultdict(dict)  # passage → article → sentences
    for i, (a, st, en) in enumerate(zip(s["article_id"], s["start"].astype(int), s["end"].astype(int))):
        for ps, pe, pid in by_art.get(a, ()):
            ov = min(pe, en) - max(ps, st)
            if ov > 0 and ov >= min_overlap * (en - st):
                members[pid].setdefault(a, []).append(i)
    left: list[int] = []
    right: list[int] = []
    for by_article in members.values():
        groups = list(by_article.values())
        partners = range(len(groups)) if len(groups) <= MAX_PASSAGE_ALL_PAIRS else range(1)
        for x in partners:
            for other in groups[x + 1:]:
                for i in groups[x]:
                    left.extend([i] * len(other))
                    right.extend(other)
    if not left:
        return empty, empty
    a, b = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    codes = np.unique(np.minimum(a, b) * len(s) + np.maximum(a, b))
    return codes // len(s), codes % len(s)


def _cluster(n: int, arts: np.ndarray, I: np.ndarray, J: np.ndarray, V: np.ndarray, threshold: float
             ) -> tuple[np.ndarray, np.ndarray]:
    """Single-link, strongest edges first, never two sentences of one article in a group.

    Returns (group label per sentence, best similarity to a fellow member, 0 if alone).
    """
    parent = list(range(n))
    members_arts: list[set] = [{a} for a in arts]
    best = np.zeros(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keep = V >= threshold
    order = np.argsort(-V[keep], kind="stable")
    for i, j, v in zip(I[keep][order].tolist(), J[keep][order].tolist(), V[keep][order].tolist()):
        ri, rj = find(i), find(j)
        if ri == rj:
            best[i], best[j] = max(best[i], v), max(best[j], v)
            continue
        if members_arts[ri] & members_arts[rj]:
            continue
        if len(members_arts[ri]) < len(members_arts[rj]):
            ri, rj = rj, ri
        parent[rj] = ri
        members_arts[ri] |= members_arts[rj]
        members_arts[rj] = set()
        best[i], best[j] = max(best[i], v), max(best[j], v)
    return np.fromiter((find(x) for x in range(n)), dtype=np.int64, count=n), best


def _all_edges(s, articles, passages, min_sim, verbatim_threshold
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Edges (I, J, V) and whether each is verbatim: cosine >= ``verbatim_threshold``, or both
    sentences in one shared passage (such a pair is linked at ``min_sim`` at least)."""
    I, J, V, X = _edges(s, articles, min_sim)
    verbatim = V >= verbatim_threshold
    PI, PJ = _passage_pairs(s, passages)
    if PI.size:
        codes, passage_codes = I * len(s) + J, PI * len(s) + PJ
        in_passage = np.isin(codes, passage_codes)
        V = np.where(in_passage, np.maximum(V, min_sim), V)
        verbatim |= in_passage
        new = ~np.isin(passage_codes, codes)
        ni, nj = PI[new], PJ[new]
        sims = np.asarray(X[ni].multiply(X[nj]).sum(axis=1)).ravel() if ni.size else np.zeros(0)
        I, J = np.concatenate([I, ni]), np.concatenate([J, nj])
        V = np.concatenate([V, np.maximum(sims, min_sim).astype(np.float64)])
        verbatim = np.concatenate([verbatim, np.ones(ni.size, dtype=bool)])
    return I, J, V, verbatim


def group_facts(
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    threshold: float = 0.35,
    passages: pd.DataFrame | None = None,
    verbatim_threshold: float = 0.9,
    min_terms: int = 3,
    skip_embeds: bool = False,
    embeds: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Group sentences of different articles that report the same fact.

    Inputs: ``sentences`` (``article_id, sent_id, text``; ``start, end`` needed to use
    ``passages``; ``in_embed`` for ``skip_embeds``), ``articles`` (``article_id``;
    ``outlet`` and ``event`` used when present: event = candidate block). ``threshold``:
    TF-IDF cosine above which two sentences are linked. ``passages`` (from
    :func:`helpers.compare.reuse.find_shared_passages`): sentences lying in the same shared
    passage are linked and counted as verbatim whatever their cosine. ``embeds``
    (``article_id, start, end``; optional) tells apart two embedded posts printed one after
    the other. The sentences of one embedded post or one quoted statement are one unit
    (:func:`statement_units`) and share their fact.

    Returns one row per kept sentence: ``fact_id`` (``F00001``..., most-reported first),
    ``article_id, sent_id, outlet``, ``match`` (``verbatim`` when the sentence shares its
    wording with another member: same shared passage or cosine >= verbatim_threshold;
    ``paraphrase`` when the fact is carried by another article in other words;
    ``single`` when no other article carries it), ``similarity`` (best cosine to a fellow
    member; 0 when single), ``n_articles``, ``n_outlets``, ``text`` (the sentence). The
    sentences of one unit have one row each, with the same fact and match.
    """
    s = _prepare(sentences, articles, min_terms, skip_embeds, embeds)
    if len(s) == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "similarity" else
                                          ("int64" if c in ("sent_id", "n_articles", "n_outlets") else str))
                             for c in FACT_COLUMNS})
    u, unit_of = _unit_frame(s)
    I, J, V, verb = _all_edges(u, articles, passages, threshold, verbatim_threshold)
    return _facts_frame(u, articles, I, J, V, verb, threshold, s, unit_of)


def _facts_frame(u, articles, I, J, V, verb, threshold, s=None, unit_of=None) -> pd.DataFrame:
    """Facts of the units ``u`` grouped over the edges, one row per sentence of ``s`` (each with
    its unit's fact, match and similarity; ``s`` = ``u`` when not given)."""
    arts = u["article_id"].to_numpy()
    unit_labels, best = _cluster(len(u), arts, I, J, V, threshold)
    if s is None or unit_of is None:
        s, unit_of = u, np.arange(len(u))
    labels, best, arts = unit_labels[unit_of], best[unit_of], arts[unit_of]
    out = pd.DataFrame({"_g": labels, "article_id": arts, "sent_id": s["sent_id"].astype("int64").to_numpy(),
                        "similarity": np.round(best, 4), "text": s["text"].to_numpy()})
    outlets = _outlets(articles)
    out["outlet"] = out["article_id"].map(outlets)
    out["n_articles"] = out.groupby("_g")["article_id"].transform("nunique").astype("int64")
    out["n_outlets"] = out.groupby("_g")["outlet"].transform("nunique").astype("int64")
    in_verb_unit = np.zeros(len(u), dtype=bool)
    together = verb & (unit_labels[I] == unit_labels[J])
    in_verb_unit[I[together]] = True
    in_verb_unit[J[together]] = True
    in_verb = in_verb_unit[unit_of]
    out["match"] = np.where(out["n_articles"] < 2, "single", np.where(in_verb, "verbatim", "paraphrase"))
    # facts numbered by articles (most first), then by where their first sentence stands: each
    # group's first row gives both (n_articles is the same on every row of a group)
    groups, first_row = np.unique(out["_g"].to_numpy(), return_index=True)
    order = groups[np.lexsort((first_row, -out["n_articles"].to_numpy()[first_row]))]
    width = max(5, len(str(len(order))))
    ids = {g: f"F{k:0{width}d}" for k, g in enumerate(order.tolist(), start=1)}
    out["fact_id"] = out["_g"].map(ids)
    out = out.sort_values(["fact_id", "article_id", "sent_id"], kind="stable").reset_index(drop=True)
    return out[FACT_COLUMNS]


def threshold_effect(
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    thresholds: tuple[float, ...] = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8),
    passages: pd.DataFrame | None = None,
    min_terms: int = 3,
    skip_embeds: bool = False,
) -> pd.DataFrame:
    """How the grouping threshold changes the facts found.

    Returns one row per threshold: ``threshold, n_facts`` (groups, singles included),
    ``n_multi_article_facts, n_multi_outlet_facts`` (carried by 2+ articles / outlets),
    ``sentences_in_multi`` (sentences in multi-outlet facts), ``largest_fact`` (articles
    in the biggest fact). Similarities are computed once, at the lowest threshold.
    """
    s = _prepare(sentences, articles, min_terms, skip_embeds)
    rows = []
    if len(s):
        u, unit_of = _unit_frame(s)
        I, J, V, verb = _all_edges(u, articles, passages, min(thresholds), 0.9)
    for t in thresholds:
        if len(s) == 0:
            rows.append((t, 0, 0, 0, 0, 0))
            continue
        f = _facts_frame(u, articles, I, J, V, verb, t, s, unit_of)
        per = f.groupby("fact_id").agg(a=("n_articles", "first"), o=("n_outlets", "first"), n=("sent_id", "size"))
        rows.append((t, len(per), int((per["a"] >= 2).sum()), int((per["o"] >= 2).sum()),
                     int(per.loc[per["o"] >= 2, "n"].sum()), int(per["a"].max())))
    return pd.DataFrame(rows, columns=["threshold", "n_facts", "n_multi_article_facts", "n_multi_outlet_facts",
                                       "sentences_in_multi", "largest_fact"])


# --------------------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------------------

def fact_labels(facts: pd.DataFrame) -> dict[str, str]:
    """Each fact's label, fact id → text: the representative article's wording (the member with
    the highest similarity; ties by article and sentence), all its sentences of the fact when the
    fact is a unit of several (an embedded post, a quoted statement running over sentences).

    ``facts``: rows of the ``facts`` table (``fact_id, article_id, sent_id, similarity, text``),
    every row of each fact wanted — e.g. ``tables["facts"].rows("fact_id", ids)`` in a notebook.
    The ``coverage_matrix`` table holds fact ids only (a fact's text repeated for every outlet
    was most of its size on a large corpus); this is where a reader turns them into words.
    """
    if facts is None or facts.empty:
        return {}
    best = facts.sort_values(["fact_id", "similarity", "article_id", "sent_id"],
                             ascending=[True, False, True, True], kind="stable")
    first = best.drop_duplicates("fact_id")
    labels = dict(zip(first["fact_id"].tolist(), first["text"].tolist()))
    several = facts[facts.duplicated(["fact_id", "article_id"], keep=False)]
    if len(several):
        chosen = set(zip(first["fact_id"], first["article_id"]))
        rows = several[[pair in chosen for pair in zip(several["fact_id"], several["article_id"])]]
        for fid, texts in rows.sort_values(["fact_id", "sent_id"], kind="stable").groupby("fact_id", sort=False)["text"]:
            labels[fid] = " ".join(map(str, texts))
    return labels


def coverage_matrix(
    facts: pd.DataFrame,
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    *,
    min_outlets: int = 1,
) -> pd.DataFrame:
    """Facts x outlets, tidy long.

    Returns ``fact_id``, ``n_outlets`` (outlets carrying the fact), ``outlet``,
    ``status`` (``verbatim``: the outlet carries it in wording shared with another
    outlet; ``paraphrase``: in its own words a fact other outlets also carry; ``single``: a
    fact only this outlet carries, as ``facts.match`` says for a fact of one article;
    ``absent``). Outlet = ``articles.outlet``, or the article id when blank. Facts with
    fewer than ``min_outlets`` outlets are left out. ``sentences`` is accepted for symmetry
    and not needed. A fact's text is not repeated on its rows: :func:`fact_labels` gives it from
    the fact's rows of ``facts``.

    An outlet is ``absent`` from a fact when the fact is carried by two or more outlets and
    the outlet covered the fact's event (``articles.event``; the whole corpus when there is
    none) without it; in an event large enough to be compared in publication-date windows
    (:func:`comparison_blocks`), only an outlet with an article in a window of the fact's
    articles (published within ``WINDOW_DAYS`` steps of them, or undated like them) can be
    absent, since only those were compared with it. A fact only one outlet carries has just that
    outlet's row: every other outlet's absence is implied, and listing it would make the table
    facts x outlets, which is quadratic in a large corpus.
    """
    outlets_of = _outlets(articles)
    ids = articles["article_id"].astype(str).tolist()
    events = (articles["event"].fillna("").astype(str).tolist() if "event" in articles else [""] * len(ids))
    event_of_article = dict(zip(ids, events))
    event_outlets: dict[str, dict[str, None]] = {}  # insertion-ordered sets, in article order
    for article_id, event in zip(ids, events):
        event_outlets.setdefault(event, {})[outlets_of[article_id]] = None
    f = facts[facts["n_outlets"] >= min_outlets]
    windowed = _windowed_events(facts, event_of_article)
    step_of_article, outlets_by_step = _publication_steps(articles, ids, events, outlets_of, windowed)
    rank = {"verbatim": 2, "paraphrase": 1, "single": 1}
    status: dict[tuple[str, str], int] = {}
    fact_steps: dict[str, dict[tuple[str, int | None], None]] = {}
    fact_outlets: dict[str, dict[str, None]] = {}
    for fid, article_id, outlet, m in zip(f["fact_id"].tolist(), f["article_id"].astype(str).tolist(), f["outlet"].tolist(),
                                          f["match"].tolist()):
        status[(fid, outlet)] = max(status.get((fid, outlet), 0), rank.get(m, 1))
        fact_steps.setdefault(fid, {})[(event_of_article.get(article_id, ""), step_of_article.get(article_id))] = None
        fact_outlets.setdefault(fid, {})[outlet] = None
    # a fact only one outlet carries is that outlet's own ("single"), not a paraphrase of anything
    names = np.array(["absent", "paraphrase", "verbatim", "single"], dtype=object)
    single_code = 3
    # one column at a time, not a tuple per row: a 37,000-article corpus has 5.3 M rows
    fact_column: list[str] = []
    outlet_column: list[str] = []
    status_column = array("b")
    n_outlets_column = array("q")
    for fid in sorted(fact_outlets):
        n_outlets = len(fact_outlets[fid])
        if n_outlets >= 2:
            candidates: dict[str, None] = {}
            for event, step in fact_steps[fid]:
                if event not in windowed:
                    candidates.update(event_outlets.get(event, {}))
                    continue
                near = set().union(*(outlets_by_step.get((event, near_step), set())
                                     for near_step in ((None,) if step is None else (step - 1, step, step + 1))))
                candidates.update((o, None) for o in event_outlets[event] if o in near)
        else:
            candidates = fact_outlets[fid]
        fact_column.extend([fid] * len(candidates))
        outlet_column.extend(candidates)
        status_column.extend(status.get((fid, o), 0) if n_outlets >= 2 else single_code for o in candidates)
        n_outlets_column.extend([n_outlets] * len(candidates))
    if not fact_column:
        return pd.DataFrame(columns=["fact_id", "n_outlets", "outlet", "status"])
    return pd.DataFrame({
        "fact_id": fact_column,
        "n_outlets": np.frombuffer(n_outlets_column, dtype=np.int64),
        "outlet": outlet_column,
        "status": names[np.frombuffer(status_column, dtype=np.int8)],
    })


def _windowed_events(facts: pd.DataFrame, event_of_article: dict[str, str]) -> set[str]:
    """Events whose sentences :func:`comparison_blocks` compares in date windows: the fact table
    has one row per compared sentence, so its rows per event are the sentences it counted."""
    sizes = facts["article_id"].astype(str).map(event_of_article).value_counts()
    return set(sizes.index[sizes > MAX_BLOCK_SENTENCES])


def _publication_steps(articles: pd.DataFrame, ids: list[str], events: list[str], outlets_of: dict[str, str],
                       windowed: set[str]) -> tuple[dict[str, int | None], dict[tuple[str, int | None], set[str]]]:
    """Each article's window step (publication day // WINDOW_DAYS; None when undated) and the
    outlets with an article at each (event, step), for the windowed events."""
    if not windowed or "published" not in articles:
        return {}, {}
    days = pd.to_datetime(articles["published"], errors="coerce", format="%Y-%m-%d")
    steps = np.floor(((days - pd.Timestamp("1970-01-01")).dt.days).to_numpy(dtype="float64") / WINDOW_DAYS)
    step_of_article: dict[str, int | None] = {}
    outlets_by_step: dict[tuple[str, int | None], set[str]] = {}
    for article_id, event, day_step in zip(ids, events, steps.tolist()):
        if event in windowed:
            step = None if np.isnan(day_step) else int(day_step)
            step_of_article[article_id] = step
            outlets_by_step.setdefault((event, step), set()).add(outlets_of[article_id])
    return step_of_article, outlets_by_step


def outlet_exclusives(coverage: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Facts only one outlet reports: ``outlet, fact_id, label, status``, by outlet and fact id.
    ``coverage``: the ``coverage_matrix`` table; ``labels``: fact id → text (:func:`fact_labels`
    of the ``facts`` table; None or a missing fact: ``""``)."""
    present = coverage[coverage["status"] != "absent"]
    only = present[present["n_outlets"] == 1]
    only = only.assign(label=_labelled(only["fact_id"], labels))
    return only[["outlet", "fact_id", "label", "status"]].sort_values(["outlet", "fact_id"]).reset_index(drop=True)


def outlet_omissions(coverage: pd.DataFrame, labels: Mapping[str, str] | None = None, *,
                     min_share: float = 0.5) -> pd.DataFrame:
    """Facts most outlets report that an outlet leaves out.

    A fact counts when at least ``min_share`` of the outlets (and at least two) carry it.
    ``coverage``: the ``coverage_matrix`` table; ``labels``: fact id → text (:func:`fact_labels`;
    None or a missing fact: ``""``). Returns ``outlet, fact_id, label, n_outlets, share`` (share
    of outlets carrying it), by outlet, most outlets first, then fact id.
    """
    n_all = coverage["outlet"].nunique()
    need = max(2, int(np.ceil(min_share * n_all)))
    wide = coverage[(coverage["n_outlets"] >= need) & (coverage["status"] == "absent")].copy()
    wide["share"] = wide["n_outlets"] / max(n_all, 1)
    wide["label"] = _labelled(wide["fact_id"], labels)
    return wide[["outlet", "fact_id", "label", "n_outlets", "share"]].sort_values(
        ["outlet", "n_outlets", "fact_id"], ascending=[True, False, True]).reset_index(drop=True)


def _labelled(fact_ids: pd.Series, labels: Mapping[str, str] | None) -> pd.Series:
    """Each fact id's text from ``labels`` (``""`` when it has none), as a column beside it."""
    found = labels or {}
    return pd.Series([found.get(f, "") for f in fact_ids.tolist()], index=fact_ids.index, dtype="str")


# --------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------

# single: only this outlet carries the fact; close sentence: absent from the grouping, but a
# sentence of the outlet holds much of the fact (helpers.compare.findings.with_close_sentences).
# Each its own code, so that a chart can tell an exclusive from a paraphrase.
STATUS_CODES = {"absent": 0, "single": 1, "paraphrase": 2, "verbatim": 3, "close sentence": -1}


def top_facts(coverage: pd.DataFrame, *, max_facts: int = 40, min_outlets: int = 1,
              among: Collection[str] | None = None) -> list[str]:
    """The facts a coverage chart shows, in its order: at most ``max_facts`` fact ids carried by at
    least ``min_outlets`` outlets, those most outlets carry first (then by fact id). ``coverage``
    needs the ``fact_id`` and ``n_outlets`` columns of the ``coverage_matrix`` table only, so a
    notebook can choose the facts before it reads their rows. ``among`` (None: every fact): only
    these fact ids — one event's, so that a chart of a corpus of many events shows one story
    rather than the text most outlets repeat across all of them (a sign-off, a newsletter line)."""
    if coverage.empty:
        return []
    keep = coverage["n_outlets"] >= min_outlets
    if among is not None:
        keep &= coverage["fact_id"].isin(set(among))
    chosen = coverage.loc[keep, ["fact_id", "n_outlets"]].drop_duplicates("fact_id")
    return chosen.sort_values(["n_outlets", "fact_id"], ascending=[False, True],
                              kind="stable")["fact_id"].head(max_facts).tolist()


def charted_facts_sentence(coverage: pd.DataFrame) -> str:
    """What a coverage chart of ``coverage`` (rows of :func:`coverage_matrix`: ``fact_id,
    n_outlets``) shows, in one sentence: how many facts, and how many of them more than one
    outlet carries — a chart of the facts "most outlets carry" is mostly exclusives when few are
    shared — and, with ``status``, in how many cells a close sentence stands for "absent"."""
    per_fact = coverage.drop_duplicates("fact_id")["n_outlets"] if len(coverage) else pd.Series(dtype="int64")
    n, shared = len(per_fact), int((per_fact >= 2).sum())
    if not n:
        return "No fact to chart."
    close = (coverage[coverage["status"] == "close sentence"] if "status" in coverage.columns else coverage.iloc[0:0])
    grey = (f" In {len(close)} cell{'s' if len(close) != 1 else ''} of {close['fact_id'].nunique()} of them (grey) an "
            "outlet the grouping leaves out has a sentence holding much of the fact: it may carry it in other words."
            if len(close) else "")
    return (f"The chart shows {n} fact{'s' if n != 1 else ''}, the most widely carried first: {shared} carried by "
            f"two or more outlets, {n - shared} by one outlet only.{grey}")


def coverage_grid(coverage: pd.DataFrame, *, max_facts: int = 40, min_outlets: int = 1) -> pd.DataFrame:
    """Facts × outlets for a chart: 3 = verbatim, 2 = paraphrase, 1 = single (only this outlet),
    0 = absent, -1 = a close sentence the grouping missed (:data:`STATUS_CODES`).

    The facts of :func:`top_facts` (``max_facts``, ``min_outlets``), in its order. The index is
    the fact id. The outlets (columns) that carry most of these facts come first, then by name: a
    chart that shows only the first columns of a wide event shows who carries the story.
    """
    if coverage.empty:
        return pd.DataFrame(dtype=int)
    order = top_facts(coverage, max_facts=max_facts, min_outlets=min_outlets)
    chosen = coverage[coverage["fact_id"].isin(order)].assign(code=lambda d: d["status"].map(STATUS_CODES).fillna(0))
    # A cell with no row is absent (0); "max" keeps a carried status over a close sentence (-1).
    wide = chosen.pivot_table(index="fact_id", columns="outlet", values="code", aggfunc="max", fill_value=0)
    carried = (wide > 0).sum()
    outlets = sorted(wide.columns, key=lambda outlet: (-int(carried[outlet]), str(outlet)))
    return wide.reindex(index=order, columns=outlets).astype(int)
