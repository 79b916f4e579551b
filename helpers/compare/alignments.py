"""Alignments: word runs that two articles share verbatim or nearly so (:func:`find_alignments`).

Takes ``articles`` (``article_id``, ``text``); gives the ``ALIGNMENT_COLUMNS`` rows (article pair,
word and character offsets of each shared run) from which :mod:`helpers.compare.reuse` builds
passages, pairs and originality. Words and their normalizing come from :mod:`helpers.text`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.compare.schema import ALIGNMENT_COLUMNS
from helpers.text import normalize_word, WORD_RE


class _Tokens:
    """Tokenised corpus: one concatenated array of normalised word ids plus per-article offsets.

    Raw words are interned first (one dict lookup per word) and normalised once per
    distinct word; character offsets are recomputed only for articles that need them.
    """

    def __init__(self, article_ids: list[str], texts: list[str]):
        self.article_ids = article_ids
        self.texts = texts
        raw_vocab: dict[str, int] = {}
        ids: list[np.ndarray] = []
        lengths = []
        for text in texts:
            raw = WORD_RE.findall(text or "")
            ids.append(np.fromiter((raw_vocab.setdefault(w, len(raw_vocab)) for w in raw), dtype=np.int64,
                                   count=len(raw)))
            lengths.append(len(raw))
        norm_vocab: dict[str, int] = {}
        raw_to_norm = np.fromiter((norm_vocab.setdefault(normalize_word(w), len(norm_vocab)) for w in raw_vocab),
                                  dtype=np.int64, count=len(raw_vocab))
        self.lengths = np.asarray(lengths, dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.lengths)]).astype(np.int64)
        self.ids = raw_to_norm[np.concatenate(ids)] if ids and len(raw_to_norm) else np.zeros(0, dtype=np.int64)
        self.vocab_size = len(norm_vocab)
        self._spans: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def spans(self, doc: int) -> tuple[np.ndarray, np.ndarray]:
        """Character (starts, ends) of the words of article ``doc``."""
        if doc not in self._spans:
            sp = np.array([m.span() for m in WORD_RE.finditer(self.texts[doc] or "")], dtype=np.int64).reshape(-1, 2)
            self._spans[doc] = (sp[:, 0], sp[:, 1])
        return self._spans[doc]


def _ngram_hashes(tok: _Tokens, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Hashes of every word n-gram that lies inside one article: (hash, doc, pos)."""
    if tok.ids.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty.astype(np.uint64), empty, empty
    rng = np.random.default_rng(20240611)
    word_hash = rng.integers(1, 2**63 - 1, size=max(tok.vocab_size, 1), dtype=np.int64).astype(np.uint64)
    h_tok = word_hash[tok.ids]
    total = h_tok.size
    # int32 documents and positions: the index of a 37,000-article corpus holds 37 M n-grams
    doc_of = np.repeat(np.arange(len(tok.lengths), dtype=np.int32), tok.lengths)
    pos_of = (np.arange(total, dtype=np.int64) - tok.offsets[doc_of]).astype(np.int32)
    valid = pos_of <= (tok.lengths[doc_of] - n)
    m = total - n + 1
    if m <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty.astype(np.uint64), empty, empty
    mult = np.uint64(0x100000001B3)
    with np.errstate(over="ignore"):
        h = np.zeros(m, dtype=np.uint64)
        for k in range(n):
            h = h * mult + h_tok[k: k + m]
            h ^= h >> np.uint64(29)
    valid = valid[:m]
    return h[valid], doc_of[:m][valid], pos_of[:m][valid]


def _seed_pairs(hashes: np.ndarray, docs: np.ndarray, pos: np.ndarray, max_df: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All (doc_a < doc_b, pos_a, pos_b) that share an n-gram held by 2..max_df articles."""
    empty = np.zeros(0, dtype=np.int64)
    if hashes.size == 0:
        return empty, empty, empty, empty
    order = np.lexsort((pos, docs, hashes))
    h, d, p = hashes[order], docs[order], pos[order]
    del order
    new_group = np.ones(h.size, dtype=bool)
    new_group[1:] = h[1:] != h[:-1]
    starts = np.flatnonzero(new_group)
    sizes = np.diff(np.append(starts, h.size))
    # distinct articles per group
    new_doc = new_group.copy()
    new_doc[1:] |= d[1:] != d[:-1]
    ndocs = np.add.reduceat(new_doc.astype(np.int64), starts)
    keep = (ndocs >= 2) & (ndocs <= max_df) & (sizes <= 3 * max_df)
    starts, sizes = starts[keep], sizes[keep]
    del h, new_group, new_doc
    parts: list[tuple[np.ndarray, ...]] = []
    for s in np.unique(sizes):
        gstarts = starts[sizes == s]
        iu, ju = np.triu_indices(int(s), 1)
        ia = (gstarts[:, None] + iu[None, :]).ravel()
        ib = (gstarts[:, None] + ju[None, :]).ravel()
        differ = d[ia] != d[ib]
        ia, ib = ia[differ], ib[differ]
        parts.append((d[ia], d[ib], p[ia], p[ib]))
    if not parts:
        return empty, empty, empty, empty
    da, db, pa, pb = (np.concatenate(column) for column in zip(*parts))
    del parts
    swap = da > db
    da, db = np.where(swap, db, da), np.where(swap, da, db)
    pa, pb = np.where(swap, pb, pa), np.where(swap, pa, pb)
    return da, db, pa, pb


def _diagonal_runs(da, db, pa, pb, n: int) -> np.ndarray:
    """Join seeds on the same diagonal with consecutive positions into exact runs.

    Returns an int64 array with columns doc_a, doc_b, a_start, a_end, b_start, b_end
    (token offsets, end exclusive), sorted by doc pair then a_start.
    """
    if da.size == 0:
        return np.zeros((0, 6), dtype=np.int64)
    diag = pb - pa
    order = np.lexsort((pa, diag, db, da))
    da, db, pa, pb, diag = da[order], db[order], pa[order], pb[order], diag[order]
    brk = np.ones(da.size, dtype=bool)
    brk[1:] = (da[1:] != da[:-1]) | (db[1:] != db[:-1]) | (diag[1:] != diag[:-1]) | (pa[1:] != pa[:-1] + 1)
    first = np.flatnonzero(brk)
    last = np.append(first[1:], da.size) - 1
    runs = np.stack([da[first], db[first], pa[first], pa[last] + n, pb[first], pb[last] + n], axis=1).astype(np.int64)
    order = np.lexsort((runs[:, 4], runs[:, 2], runs[:, 1], runs[:, 0]))
    return runs[order]


def _chain_runs(runs: np.ndarray, n: int, max_gap: int, min_words: int) -> list[tuple[int, int, int, int, int, int, int]]:
    """Chain exact runs of each doc pair into gapped alignments.

    A run continues a chain when it starts after the chain (overlap of fewer than n words
    allowed) and no more than ``max_gap`` words later in both articles. Returns tuples
    (doc_a, doc_b, a_start, a_end, b_start, b_end, matched_words).
    """
    out = []
    if runs.size == 0:
        return out
    pair_key = runs[:, 0] * (int(runs[:, 1].max()) + 1) + runs[:, 1]
    brk = np.flatnonzero(np.r_[True, pair_key[1:] != pair_key[:-1]])
    bounds = np.append(brk, runs.shape[0])
    for gi in range(len(brk)):
        # one doc pair's runs as Python lists at a time: the whole table as lists would hold
        # 66 M Python ints (3 GB) for the 11 M runs of a 37,000-article corpus
        rl = runs[bounds[gi]: bounds[gi + 1]].tolist()
        chains: list[list[int]] = []  # [a_start, a_end, b_start, b_end, matched]
        done: list[list[int]] = []
        for r in rl:
            _, _, a0, a1, b0, b1 = r
            best = None
            best_gap = None
            still_open = []
            for c in chains:
                if a0 - c[1] > max_gap:
                    done.append(c)
                    continue
                still_open.append(c)
                ga, gb = a0 - c[1], b0 - c[3]
                if -n < ga <= max_gap and -n < gb <= max_gap and a1 > c[1] and b1 > c[3]:
                    g = max(ga, 0) + max(gb, 0)
                    if best is None or g < best_gap:
                        best, best_gap = c, g
            chains = still_open
            if best is None:
                chains.append([a0, a1, b0, b1, a1 - a0])
            else:
                best[4] += a1 - max(a0, best[1])
                best[1], best[3] = a1, max(b1, best[3])
        done.extend(chains)
        da, db = rl[0][0], rl[0][1]
        for c in done:
            if c[4] >= min_words:
                out.append((da, db, c[0], c[1], c[2], c[3], c[4]))
    return out


def article_frame(articles: pd.DataFrame) -> pd.DataFrame:
    if articles is None or len(articles) == 0:
        return pd.DataFrame({"article_id": pd.Series(dtype=str), "text": pd.Series(dtype=str)})
    df = articles.copy()
    df["article_id"] = df["article_id"].astype(str)
    df["text"] = df["text"].fillna("").astype(str)
    return df.reset_index(drop=True)


def find_alignments(
    articles: pd.DataFrame,
    *,
    min_words: int = 8,
    ngram: int = 5,
    max_gap: int = 10,
    max_df: int = 100,
) -> pd.DataFrame:
    """Find every passage shared by two articles (pairwise alignments).

    Parameters: ``articles`` needs ``article_id, text``. ``min_words``: words that must
    match (after normalisation); ``ngram``: seed length in words (must be <= min_words);
    ``max_gap``: words an edit may add or drop between two exact runs; ``max_df``:
    n-grams held by more articles than this are ignored as boilerplate.

    Returns one row per alignment: ``article_a, start_a, end_a, article_b, start_b,
    end_b`` (character offsets into each article's text, end exclusive), ``words_a,
    words_b`` (words the aligned span covers in each text), ``matched_words`` (words in
    exact matching runs), ``tok_start_a, tok_end_a, tok_start_b, tok_end_b`` (word
    offsets). ``article_a`` comes before ``article_b`` in the input order.
    """
    if ngram < 2:
        raise ValueError("ngram must be at least 2")
    ngram = min(ngram, max(min_words, 2))
    df = article_frame(articles)
    tok = _Tokens(df["article_id"].tolist(), df["text"].tolist())
    h, d, p = _ngram_hashes(tok, ngram)
    da, db, pa, pb = _seed_pairs(h, d, p, max_df)
    runs = _diagonal_runs(da, db, pa, pb, ngram)
    chained = _chain_runs(runs, ngram, max_gap, min_words)
    rows = []
    ids = tok.article_ids
    for a, b, a0, a1, b0, b1, matched in chained:
        (sa, ea), (sb, eb) = tok.spans(a), tok.spans(b)
        rows.append((ids[a], int(sa[a0]), int(ea[a1 - 1]),
                     ids[b], int(sb[b0]), int(eb[b1 - 1]),
                     a1 - a0, b1 - b0, matched, a0, a1, b0, b1))
    out = pd.DataFrame(rows, columns=ALIGNMENT_COLUMNS)
    for c in ALIGNMENT_COLUMNS:
        if c not in ("article_a", "article_b"):
            out[c] = out[c].astype("int64")
        else:
            out[c] = out[c].astype(str)
    return out.sort_values(["article_a", "article_b", "start_a"], kind="stable").reset_index(drop=True)
