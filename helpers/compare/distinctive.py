"""Distinctive language: words each outlet uses more than the others, and how it labels actors.

Takes ``sentences``, ``entities`` and ``articles`` (and the parse's actor features, from
:mod:`helpers.annotate.actor_features`); gives the ``distinctive_terms`` (``LOG_ODDS_COLUMNS``) and
``actor_labels`` (``LABEL_SUMMARY_COLUMNS``) tables. Everything here is corpus-level: editing it
invalidates no per-article cache.

Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin'
Words", eq. 16–22), for N groups, each group *i* against the rest *j* (all other groups pooled)::

    δ_w = log[(y_iw + α_w) / (n_i + α0 − y_iw − α_w)] − log[(y_jw + α_w) / (n_j + α0 − y_jw − α_w)]
    σ²_w ≈ 1/(y_iw + α_w) + 1/(n_i + α0 − y_iw − α_w) + 1/(y_jw + α_w) + 1/(n_j + α0 − y_jw − α_w)
    z_w = δ_w / σ_w

``y_iw`` the count of term *w* in group *i*, ``n_i`` all term counts in group *i*, ``α_w`` the
prior for *w* and ``α0 = Σ α_w``. By default the prior is the pooled counts themselves
(``α_w = y_w``, the usual choice when no background corpus is given); a number *a* spreads a
total prior mass *a* over the terms by their pooled frequency (``α_w = a · y_w / N``); a
Series / dict gives ``α_w`` per term (e.g. counts from a large background corpus).

Tables:

* :func:`log_odds_dirichlet` → ``group, term, log_odds, z, count_group, count_rest``.
* :func:`distinctive_terms` → the same, from sentences, for unigrams and bigrams.
* :func:`term_contexts` → ``group, term, article_id, sent_id, left, match, right``.
* :func:`actor_labels` → ``outlet, actor, label, rule, head, article_id, sent_id, start, end``:
  the words each outlet uses for the same actor; :func:`labels_by_outlet` summarises them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import sparse

from helpers.annotate.actor_features import actor_label_inputs, sentence_label_features, type_heads
from helpers.compare.schema import CONTEXT_COLUMNS, LABEL_COLUMNS, LABEL_SUMMARY_COLUMNS, LOG_ODDS_COLUMNS, TERM_COLUMNS

_TOKEN = re.compile(r"(?:[a-z]\.){2,}|[a-z][a-z'\-]*[a-z]|[a-z]")
_POSSESSIVE = re.compile(r"'s\b")


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


# ----------------------------------------------------------------------------- log-odds

def _count_matrix(counts_by_group: Any) -> pd.DataFrame:
    if isinstance(counts_by_group, pd.DataFrame):
        m = counts_by_group
    elif isinstance(counts_by_group, Mapping):
        m = pd.DataFrame({g: pd.Series(c, dtype=float) for g, c in counts_by_group.items()})
    else:
        raise TypeError("counts_by_group: a DataFrame (terms × groups) or a mapping group → {term: count}")
    m = m.fillna(0).astype(float)
    if (m.to_numpy() < 0).any():
        raise ValueError("counts must be non-negative")
    return m


def log_odds_dirichlet(counts_by_group: Any, *, prior: float | Mapping | pd.Series | None = None) -> pd.DataFrame:
    """Fightin' Words log-odds with informative Dirichlet prior, each group vs the rest.

    ``counts_by_group``: a DataFrame with terms as index and groups as columns, or a mapping
    ``{group: {term: count}}``. ``prior``: None (α_w = pooled count), a number (total prior
    mass, spread by pooled frequency) or per-term α_w. Returns ``group, term, log_odds, z,
    count_group, count_rest``, sorted by group then z descending. Fewer than two groups, or no
    counts, give an empty table. Terms whose α_w is 0 are dropped (their odds are undefined).
    """
    m = _count_matrix(counts_by_group)
    if m.shape[1] < 2 or m.shape[0] == 0 or m.to_numpy().sum() == 0:
        return _empty(LOG_ODDS_COLUMNS)
    pooled = m.sum(axis=1)
    total = float(pooled.sum())
    if prior is None:
        alpha = pooled.copy()
    elif isinstance(prior, (int, float, np.floating, np.integer)):
        if prior <= 0:
            raise ValueError("prior must be positive")
        alpha = pooled * (float(prior) / total)
    else:
        alpha = pd.Series(prior, dtype=float).reindex(m.index).fillna(0.0)
    keep = alpha.to_numpy() > 0
    m, alpha, pooled = m[keep], alpha[keep], pooled[keep]
    if len(m) == 0:
        return _empty(LOG_ODDS_COLUMNS)
    a = alpha.to_numpy()
    a0 = float(a.sum())
    y_all = pooled.to_numpy()
    n_all = float(m.to_numpy().sum())
    parts = []
    for g in m.columns:
        yi = m[g].to_numpy()
        yj = y_all - yi
        ni = float(yi.sum())
        nj = n_all - ni
        num_i, den_i = yi + a, ni + a0 - yi - a
        num_j, den_j = yj + a, nj + a0 - yj - a
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = np.log(num_i / den_i) - np.log(num_j / den_j)
            var = 1 / num_i + 1 / den_i + 1 / num_j + 1 / den_j
        parts.append(pd.DataFrame({"group": g, "term": m.index, "log_odds": delta, "z": delta / np.sqrt(var),
                                   "count_group": yi.astype(int), "count_rest": yj.astype(int)}))
    out = pd.concat(parts, ignore_index=True)
    # a vocabulary of one term leaves nothing to compare it with (zero denominators): drop such rows
    out = out[np.isfinite(out["z"].to_numpy(dtype=float)) & np.isfinite(out["log_odds"].to_numpy(dtype=float))]
    if len(out) == 0:
        return _empty(LOG_ODDS_COLUMNS)
    return out.sort_values(["group", "z", "term"], ascending=[True, False, True], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------- terms

def _stop_words(stop_words: Any) -> frozenset[str]:
    if stop_words is None:
        return frozenset()
    if stop_words == "english":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
        return frozenset(ENGLISH_STOP_WORDS | {"said", "says"})
    return frozenset(w.lower() for w in stop_words)


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens: letters, inner apostrophes and hyphens, dotted abbreviations
    (``u.s.``, ``f.b.i.``); a possessive 's is dropped."""
    t = text.lower().replace("’", "'").replace("‘", "'")
    return _TOKEN.findall(_POSSESSIVE.sub("", t))


def _grouped_sentences(sentences: pd.DataFrame, articles: pd.DataFrame, group_by: str,
                       exclude_embeds: bool = True) -> pd.DataFrame:
    s = sentences
    if exclude_embeds and "in_embed" in s:
        s = s[~s["in_embed"].fillna(False).astype(bool)]
    art = articles[["article_id", group_by]].drop_duplicates("article_id")
    s = s[["article_id", "sent_id", "text"]].merge(art, on="article_id", how="inner")
    s = s.rename(columns={group_by: "group"})
    s["group"] = s["group"].fillna("").astype(str)
    return s


#: Buckets of the first counting pass of :func:`distinctive_terms` (2**24 counters, 128 MB): a
#: term's bucket count is at least its own count, so no term used ``min_count`` times is dropped,
#: and with this many buckets few rare terms share a bucket with frequent ones.
TERM_BUCKETS = 1 << 24
#: Sentences tokenised at a time.
_TERM_CHUNK = 5_000


def distinctive_terms(sentences: pd.DataFrame, articles: pd.DataFrame, *, group_by: str = "outlet",
                      ngram_range: tuple[int, int] = (1, 2), min_count: int = 3,
                      stop_words: Any = "english", prior: Any = None, top: int | None = None,
                      exclude_embeds: bool = True) -> pd.DataFrame:
    """Terms (unigrams and bigrams) each group uses distinctively more, each group vs the rest.

    Terms are lower-cased word tokens (possessive 's dropped); an n-gram containing a stop word
    is skipped (``stop_words=None`` keeps everything). A group's text is its sentences one after
    the other (in table order), so an n-gram may span two consecutive sentences. Terms used
    fewer than ``min_count`` times overall are dropped before scoring. Returns ``group, term,
    log_odds, z, count_group, count_rest`` (see :func:`log_odds_dirichlet`) and ``q_value`` (z's
    two-sided p adjusted over every cell compared: :func:`_log_odds_of_used_terms`) for the terms each
    group uses (``count_group`` ≥ 1: a term a group never uses is not one that sets it apart,
    and listing it would make the table groups x vocabulary), by group, highest z first; ``top``
    keeps the ``top`` highest-z terms per group. Sentences inside embedded social posts are left
    out by default.

    Each sentence is tokenised once, :data:`_TERM_CHUNK` sentences at a time, into word numbers
    (:func:`_group_streams`);
    n-grams are counted as numbers, group by group, in two passes: the first adds each group's
    counts into :data:`TERM_BUCKETS` buckets, the second keeps the n-grams whose bucket reached
    ``min_count`` (every n-gram that did, and the few sharing a bucket with one) before the
    exact filter. Only the kept n-grams are spelled out, and only the kept rows become a table:
    neither a group's whole text nor the corpus's whole vocabulary of n-grams (millions of mostly
    once-used bigrams) is held as text. The figures are those of counting everything at once.
    """
    if sentences is None or articles is None or len(sentences) == 0 or len(articles) == 0:
        return _empty(TERM_COLUMNS)
    groups, positions, codes = _group_positions(sentences, articles, group_by, exclude_embeds)
    if len(groups) < 2:
        return _empty(TERM_COLUMNS)
    lo, hi = (int(n) for n in ngram_range)
    stop = _stop_words(stop_words)
    streams, vocabulary = _group_streams(sentences["text"], positions, codes, len(groups))
    if not len(vocabulary):
        return _empty(TERM_COLUMNS)
    is_stop = np.fromiter((w in stop for w in vocabulary), dtype=bool, count=len(vocabulary))
    offsets = _ngram_offsets(len(vocabulary), hi)
    minimum = max(1, min_count)

    def counted(stream: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.unique(_ngram_codes(stream, is_stop, len(vocabulary), offsets, lo, hi), return_counts=True)

    buckets = np.zeros(TERM_BUCKETS, dtype=np.int64)
    for stream in streams:
        codes, n = counted(stream)
        np.add.at(buckets, _bucket(codes), n)
    frequent = buckets >= minimum
    del buckets
    kept_group, kept_code, kept_count = [], [], []
    for g, stream in enumerate(streams):
        codes, n = counted(stream)
        chosen = frequent[_bucket(codes)]
        kept_group.append(np.full(int(chosen.sum()), g, dtype=np.int64))
        kept_code.append(codes[chosen])
        kept_count.append(n[chosen])
    del streams, frequent
    codes, column = np.unique(np.concatenate(kept_code), return_inverse=True)
    count = np.concatenate(kept_count)
    pooled = np.bincount(column, weights=count, minlength=len(codes))
    keep = pooled >= minimum
    if not keep.any():
        return _empty(TERM_COLUMNS)
    # the kept n-grams spelled out, numbered in alphabetical order (as a vectorizer numbers them)
    terms = np.array([_spell(code, vocabulary, offsets) for code in codes[keep].tolist()], dtype=object)
    order = np.argsort(terms, kind="stable")
    rank = np.full(len(codes), -1, dtype=np.int64)
    rank[np.flatnonzero(keep)[order]] = np.arange(len(terms))
    cell = rank[column] >= 0
    counts = sparse.csr_matrix((count[cell], (np.concatenate(kept_group)[cell], rank[column][cell])),
                               shape=(len(groups), len(terms)))
    return _log_odds_of_used_terms(counts, terms[order], groups, prior, top=top)


def _group_streams(texts: pd.Series, positions: np.ndarray, codes: np.ndarray,
                   n_groups: int) -> tuple[list[np.ndarray], np.ndarray]:
    """Each group's tokens (:func:`tokenize`) as word numbers, its sentences one after the other
    in table order (text that is not a string skipped), and the vocabulary the numbers index.
    ``positions``: the table positions read, ascending; ``codes``: each one's group (0 …
    ``n_groups`` − 1).

    The table is read in contiguous blocks of :data:`_TERM_CHUNK` read rows (a slice of an Arrow
    column is free; a take of scattered rows copied the column each time: 23 s of the 54 this
    function took on a 37,000-article corpus); each block's sentences of one group are tokenised as one text (a
    token never crosses the line break between two sentences) and numbered through the block's
    distinct words, not word by word."""
    words: dict[str, int] = {}
    pieces: list[list[np.ndarray]] = [[] for _ in range(n_groups)]
    for begin in range(0, len(positions), _TERM_CHUNK):
        where = positions[begin:begin + _TERM_CHUNK]
        first = int(where[0])
        block = texts.iloc[first:int(where[-1]) + 1].tolist()
        group = codes[begin:begin + _TERM_CHUNK]
        order = np.argsort(group, kind="stable")
        in_order = group[order]
        bounds = np.flatnonzero(np.r_[True, in_order[1:] != in_order[:-1], True]).tolist()
        for b, e in zip(bounds[:-1], bounds[1:]):
            text = "\n".join(t for t in (block[int(where[i]) - first] for i in order[b:e].tolist()) if isinstance(t, str))
            tokens = tokenize(text)
            if not tokens:
                continue
            local, distinct = pd.factorize(pd.Series(tokens, dtype=object), sort=False)
            numbers = np.fromiter((words.setdefault(w, len(words)) for w in distinct.tolist()), dtype=np.int32,
                                  count=len(distinct))
            pieces[int(in_order[b])].append(numbers[local])
    streams = [np.concatenate(p) if p else np.zeros(0, dtype=np.int32) for p in pieces]
    return streams, np.array(list(words), dtype=object)


def _ngram_offsets(n_words: int, hi: int) -> list[int]:
    """Where the numbers of the n-grams of each length start: unigrams are the words' numbers,
    bigrams follow them (``n_words`` of them), and so on; a ValueError when they would not fit
    in 63 bits (n-grams far longer than bigrams over a very large vocabulary)."""
    offsets = [0, 0]
    for n in range(1, hi + 1):
        offsets.append(offsets[-1] + n_words ** n)
    if offsets[-1] >= 2 ** 63:
        raise ValueError(f"{hi}-grams over {n_words:,} words cannot be counted: use a shorter ngram_range")
    return offsets


def _ngram_codes(stream: np.ndarray, is_stop: np.ndarray, n_words: int, offsets: list[int],
                 lo: int, hi: int) -> np.ndarray:
    """The numbers of the ``lo``..``hi``-grams of a stream of word numbers that hold no stop word:
    an n-gram of words w1..wn is ``offsets[n] + w1·V^(n-1) + … + wn`` (V = ``n_words``)."""
    stops_before = np.concatenate([[0], np.cumsum(is_stop[stream], dtype=np.int64)])
    out = []
    for n in range(lo, hi + 1):
        m = len(stream) - n + 1
        if m <= 0:
            continue
        code = np.zeros(m, dtype=np.int64)
        for k in range(n):
            code = code * n_words + stream[k:k + m]
        out.append(code[stops_before[n:n + m] == stops_before[:m]] + offsets[n])
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _bucket(codes: np.ndarray) -> np.ndarray:
    """Each n-gram number's bucket among :data:`TERM_BUCKETS` (Fibonacci hashing: the high bits
    of the number times 2^64/φ)."""
    mixed = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return (mixed >> np.uint64(64 - TERM_BUCKETS.bit_length() + 1)).astype(np.int64)


def _spell(code: int, vocabulary: np.ndarray, offsets: list[int]) -> str:
    """The n-gram a number of :func:`_ngram_codes` stands for, its words joined by spaces."""
    n = next(k for k in range(1, len(offsets) - 1) if code < offsets[k + 1])
    code -= offsets[n]
    n_words = len(vocabulary)
    words = []
    for _ in range(n):
        code, word = divmod(code, n_words)
        words.append(vocabulary[word])
    return " ".join(reversed(words))


def _group_positions(sentences: pd.DataFrame, articles: pd.DataFrame, group_by: str,
                     exclude_embeds: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The groups (``articles[group_by]``, missing as ``""``, sorted), the table positions of the
    sentences counted (ascending: those of an article in ``articles``, outside embedded posts when
    ``exclude_embeds``) and each one's group number — the rows :func:`_grouped_sentences` gives,
    without copying them."""
    art = articles[["article_id", group_by]].drop_duplicates("article_id")
    group_of = pd.Series(art[group_by].fillna("").astype(str).to_numpy(), index=art["article_id"].to_numpy())
    group = sentences["article_id"].map(group_of)
    kept = group.notna().to_numpy()
    if exclude_embeds and "in_embed" in sentences:
        kept = kept & ~sentences["in_embed"].fillna(False).astype(bool).to_numpy()
    positions = np.flatnonzero(kept)
    codes, groups = pd.factorize(group.to_numpy(dtype=object)[positions], sort=True)
    return np.asarray(groups, dtype=object), positions, codes


def _log_odds_of_used_terms(counts: Any, terms: np.ndarray, groups: np.ndarray, prior: Any, *,
                            top: int | None = None) -> pd.DataFrame:
    """:func:`log_odds_dirichlet` of a sparse groups x terms count matrix, for the (group, term)
    cells the group uses: the same figures, without a dense groups x vocabulary table (491
    outlets x a million terms in a large corpus), and ``q_value``: the two-sided p of ``z``
    adjusted by Benjamini–Hochberg over every cell compared (scipy's
    ``false_discovery_control``). ``groups`` and ``terms`` are sorted; rows by group, highest z
    first, then by term; ``top``: the first ``top`` of each group only, chosen before any row is
    made (after the adjustment)."""
    pooled = np.asarray(counts.sum(axis=0), dtype=float).ravel()
    total = float(pooled.sum())
    if prior is None:
        alpha = pooled.copy()
    elif isinstance(prior, (int, float, np.floating, np.integer)):
        if prior <= 0:
            raise ValueError("prior must be positive")
        alpha = pooled * (float(prior) / total)
    else:
        alpha = pd.Series(prior, dtype=float).reindex(terms).fillna(0.0).to_numpy()
    keep = alpha > 0
    counts, alpha, pooled, terms = counts[:, np.flatnonzero(keep)], alpha[keep], pooled[keep], terms[keep]
    if counts.shape[1] == 0 or counts.nnz == 0:
        return _empty(TERM_COLUMNS)
    a0 = float(alpha.sum())
    n_all = float(pooled.sum())
    n_group = np.asarray(counts.sum(axis=1), dtype=float).ravel()
    cells = counts.tocoo()
    g, t, yi = cells.row, cells.col, cells.data.astype(float)
    a, yj = alpha[t], pooled[t] - yi
    ni = n_group[g]
    nj = n_all - ni
    num_i, den_i = yi + a, ni + a0 - yi - a
    num_j, den_j = yj + a, nj + a0 - yj - a
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log(num_i / den_i) - np.log(num_j / den_j)
        var = 1 / num_i + 1 / den_i + 1 / num_j + 1 / den_j
        z = delta / np.sqrt(var)
    # a vocabulary of one term leaves nothing to compare it with (zero denominators): drop such rows
    finite = np.flatnonzero(np.isfinite(z) & np.isfinite(delta))
    if not len(finite):
        return _empty(TERM_COLUMNS)
    # each cell a test (two-sided, from z): Benjamini–Hochberg over every cell tested, before any
    # is cut, so that a group's top terms are judged among everything that was compared
    from scipy.special import ndtr
    from scipy.stats import false_discovery_control

    q = np.full(len(z), np.nan)
    q[finite] = false_discovery_control(np.clip(2 * ndtr(-np.abs(z[finite])), 0.0, 1.0), method="bh")
    # by group, highest z first, then by term (groups and terms are sorted: their positions order them)
    chosen = finite[np.lexsort((t[finite], -z[finite], g[finite]))]
    if top is not None:
        # the position of each row within its group
        first = np.r_[0, np.flatnonzero(np.diff(g[chosen])) + 1]
        within = np.arange(len(chosen)) - np.repeat(first, np.diff(np.r_[first, len(chosen)]))
        chosen = chosen[within < top]
    return pd.DataFrame({"group": groups[g[chosen]], "term": terms[t[chosen]], "log_odds": delta[chosen],
                         "z": z[chosen], "count_group": yi[chosen].astype(int), "count_rest": yj[chosen].astype(int),
                         "q_value": q[chosen]})


TERM_Q_BAR = 0.05        # q (Benjamini–Hochberg) a distinctive term must reach to be charted or reported
TERM_Z_BAR = 1.96        # |z| it must reach when a table has no q_value (log_odds_dirichlet's)
TERM_MIN_COUNT = 5       # uses of the term in the group it is distinctive of
TERM_KINDS = ("event word", "self-reference", "house style")
_HOUSE_STYLE_FILE = Path(__file__).resolve().parent / "house_style.yaml"
#: Single-letter tokens read as initials ("donald j"): every letter but the words "a" and "i".
_INITIALS = frozenset("bcdefghjklmnopqrstuvwxyz")
_NAME_TOKEN = re.compile(r"[a-z0-9]+")
_WORD_RUN = re.compile(r"\w+")


def _house_style_forms() -> frozenset[str]:
    import yaml
    data = yaml.safe_load(_HOUSE_STYLE_FILE.read_text(encoding="utf-8")) or {}
    return frozenset(str(w).lower() for key in ("honorifics", "title_abbreviations") for w in data.get(key) or ())


def _self_reference_tokens(group: str, texts: list[str], urls: Iterable[str]) -> frozenset[str]:
    """The tokens by which a group (an outlet) names itself in its own text.

    The outlet's name run together ("huffpost", "foxnews") and its URL's registered-domain label
    ("nytimes") always; each word of a multi-word name ("fox" of Fox News, "herald" of Lakeport Herald)
    when, in the outlet's own sentences, at least half its uses are inside the full name — so
    "york" of New York Times, mostly the city, and "jordan" of a Jordan Times, mostly the
    country, stay event words.
    """
    words = [w for w in _NAME_TOKEN.findall(group.lower()) if w != "the"]
    if not words:
        return frozenset()
    out = {"".join(words)}
    for url in urls:
        host = re.sub(r"^[a-z]+://", "", str(url).lower()).split("/")[0].split(":")[0]
        parts = [p for p in host.split(".") if p and p != "www"]
        if len(parts) >= 2:
            # the label before the public suffix ("co.uk" counts as one suffix when its first part is short)
            label = parts[-3] if len(parts) >= 3 and len(parts[-2]) <= 3 else parts[-2]
            out.add(label)
    joined = "\n".join(t.lower() for t in texts)
    # how often each word the rules below may ask about stands as a whole word, in one scan: "\bA\W+B\b"
    # can only match when A and B are both whole words, so a split whose halves are not among them
    # is ruled out without scanning the whole text again (only these words counted: a count of
    # every word of each outlet's text cost more than the scan)
    asked = {w for w in words if _WORD_RUN.fullmatch(w)}
    for label in out:
        asked.update(part for k in range(4, len(label) - 1) for part in (label[:k], label[k:])
                     if _WORD_RUN.fullmatch(part))
    present = Counter(re.findall(r"\b(?:" + "|".join(map(re.escape, sorted(asked, key=lambda w: (-len(w), w))))
                                 + r")\b", joined)) if asked else Counter()

    def word_count(w: str) -> int:  # len(re.findall(r"\bw\b", joined)), from the counts when w is a word
        return present[w] if _WORD_RUN.fullmatch(w) else len(re.findall(r"\b" + re.escape(w) + r"\b", joined))

    # a label written as two words ("Huffington Post" for huffingtonpost): its first word too,
    # under the same at-least-half rule below
    for label in sorted(out):
        for k in range(4, len(label) - 1):
            if _WORD_RUN.fullmatch(label[:k]) and _WORD_RUN.fullmatch(label[k:]):
                if label[:k] not in present or label[k:] not in present:
                    continue
            elif label[:k] not in joined or label[k:] not in joined:
                continue
            if re.search(r"\b" + re.escape(label[:k]) + r"\W+" + re.escape(label[k:]) + r"\b", joined):
                words = words + [label[:k]] if label[:k] not in words else words
                n_word = word_count(label[:k])
                n_phrase = len(re.findall(r"\b" + re.escape(label[:k]) + r"\W+" + re.escape(label[k:]) + r"\b", joined))
                if n_word and n_phrase / n_word >= 0.5:
                    out.add(label[:k])
    if len(words) > 1:
        phrase = re.compile(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b")
        n_phrase = len(phrase.findall(joined))
        for w in words:
            if len(w) < 2:
                continue
            n_word = word_count(w)
            if n_word and n_phrase / n_word >= 0.5:
                out.add(w)
    return frozenset(out)


def classify_terms(terms: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame, *,
                   group_by: str = "outlet", min_share: float = 0.5, min_events: int = 3,
                   q_bar: float = TERM_Q_BAR, z_bar: float = TERM_Z_BAR,
                   min_count: int = TERM_MIN_COUNT) -> pd.DataFrame:
    """Tell the words an outlet chose about the event from how it names itself and its house style.

    Inputs: ``terms`` from :func:`distinctive_terms` (``group, term, z, count_group, …``), the
    ``sentences`` and ``articles`` (``article_id``, ``group_by``, optional ``url``) they came from.
    Adds three columns:

    * ``kind`` — ``self-reference`` when a token of the term is one by which the group names
      itself (:func:`_self_reference_tokens`: "huffpost", "told fox"); ``house style`` when a token
      is an honorific, an abbreviated title (``lexicons/house_style.yaml``), a dotted abbreviation
      or a middle initial ("mr", "mrs clinton", "f.b.i.", "donald j") that the group writes
      whatever the event: in
      articles about at least ``min_events`` different events (``articles.event``), or, when the
      corpus holds fewer events, in at least ``min_share`` of its articles (and two or more);
      else ``event word``.
    * ``passes_bar`` — ``q_value ≤ q_bar`` (every group × term compared, adjusted together:
      one outlet's lone z of 2 among hundreds of tests is what chance gives) and
      ``count_group ≥ min_count``: the bar a term must pass to be charted or reported. A table
      without ``q_value`` (:func:`log_odds_dirichlet`'s) uses ``|z| ≥ z_bar`` instead.
    * ``rank`` — 1, 2, … by z within the group among its event words that pass the bar; 0 otherwise.
    """
    out = terms.copy()
    if out.empty:
        return out.assign(kind=pd.Series(dtype="object"), passes_bar=pd.Series(dtype="bool"),
                          rank=pd.Series(dtype="int64"))
    forms = _house_style_forms()
    candidates = forms | _INITIALS
    s = _grouped_sentences(sentences, articles, group_by, exclude_embeds=False)
    urls = (articles[[group_by, "url"]].fillna("").astype(str).groupby(group_by)["url"].apply(list).to_dict()
            if "url" in articles else {})
    n_articles = s.groupby("group")["article_id"].nunique().to_dict()
    event_of = (articles.drop_duplicates("article_id").set_index("article_id")["event"].astype(str).to_dict()
                if "event" in articles else {})
    n_events = len(set(event_of.values()))
    self_tokens: dict[str, frozenset[str]] = {}
    style_tokens: dict[str, frozenset[str]] = {}
    for group, g in s.groupby("group", sort=True):
        texts = [t for t in g["text"].tolist() if isinstance(t, str)]
        self_tokens[group] = _self_reference_tokens(group, texts, urls.get(group, ()))
        used: dict[str, set] = defaultdict(set)
        # an article's sentences read as one text: a token never crosses the line break between
        # two sentences, so its tokens are those of its sentences (one call per article, not
        # per sentence)
        by_article: dict[str, list[str]] = defaultdict(list)
        for aid, text in zip(g["article_id"].tolist(), g["text"].tolist()):
            if isinstance(text, str):
                by_article[aid].append(text)
        for aid, parts in by_article.items():
            text = "\n".join(parts)
            tokens = set(tokenize(text))
            # honorifics and titles, and initials (single letters but "a" and "i"), by set
            # intersection; dotted abbreviations ("f.b.i.") are the only tokens with a "."
            hits = tokens & candidates
            if "." in text:
                hits.update(tok for tok in tokens if "." in tok)
            for tok in hits:
                used[tok].add(aid)
        if n_events >= min_events:
            # written about several different events: the form is the outlet's, not the event's
            style_tokens[group] = frozenset(t for t, arts in used.items()
                                            if len({event_of.get(a, a) for a in arts}) >= min_events)
        else:
            need = max(2, min_share * n_articles.get(group, 0))
            style_tokens[group] = frozenset(t for t, arts in used.items() if len(arts) >= need)
    kinds = []
    for group, term in zip(out["group"].astype(str), out["term"].astype(str)):
        toks = term.split()
        if set(toks) & self_tokens.get(group, frozenset()) or "".join(toks) in self_tokens.get(group, frozenset()):
            kinds.append("self-reference")
        elif set(toks) & style_tokens.get(group, frozenset()):
            kinds.append("house style")
        else:
            kinds.append("event word")
    out["kind"] = kinds
    strong = (out["q_value"] <= q_bar) if "q_value" in out else (out["z"].abs() >= z_bar)
    out["passes_bar"] = strong.fillna(False).astype(bool) & (out["count_group"] >= min_count)
    event = (out["kind"] == "event word") & out["passes_bar"]
    out["rank"] = 0
    ranked = out[event].sort_values(["group", "z", "term"], ascending=[True, False, True], kind="stable")
    out.loc[ranked.index, "rank"] = ranked.groupby("group").cumcount().to_numpy() + 1
    out["rank"] = out["rank"].astype("int64")
    return out


def _term_regex(term: str) -> re.Pattern:
    toks = [re.escape(t).replace("'", "['’]") for t in term.split()]
    return re.compile(r"(?<![\w'’])" + r"(?:['’]s)?[^\w]+".join(toks) + r"(?![\w])", re.IGNORECASE)


def term_contexts(sentences: pd.DataFrame, articles: pd.DataFrame, terms: Iterable[str] | pd.DataFrame, *,
                  group_by: str = "outlet", groups: Iterable[str] | None = None, n: int = 3,
                  width: int = 60) -> pd.DataFrame:
    """Keyword-in-context lines: up to ``n`` sentences per group × term, in reading order.

    ``terms`` is a list of terms (looked up in every group) or a :func:`distinctive_terms`
    table (each term looked up in its own group). Returns ``group, term, article_id, sent_id,
    left, match, right`` with ``width`` characters of context either side.
    """
    if sentences is None or articles is None or len(sentences) == 0 or len(articles) == 0:
        return _empty(CONTEXT_COLUMNS)
    s = _grouped_sentences(sentences, articles, group_by, exclude_embeds=False)
    s = s.sort_values(["group", "article_id", "sent_id"])
    if isinstance(terms, pd.DataFrame):
        pairs = list(dict.fromkeys(zip(terms["group"].astype(str), terms["term"].astype(str))))
    else:
        wanted = sorted(set(s["group"])) if groups is None else [str(g) for g in groups]
        pairs = [(g, t) for t in dict.fromkeys(terms) for g in wanted]
    by_group = {g: sub for g, sub in s.groupby("group")}
    rows = []
    for g, term in pairs:
        sub = by_group.get(g)
        if sub is None:
            continue
        rx = _term_regex(term)
        found = 0
        for aid, sid, text in zip(sub["article_id"], sub["sent_id"], sub["text"]):
            if not isinstance(text, str):
                continue
            mt = rx.search(text)
            if mt is None:
                continue
            rows.append({"group": g, "term": term, "article_id": aid, "sent_id": sid,
                         "left": text[max(0, mt.start() - width):mt.start()], "match": mt.group(0),
                         "right": text[mt.end():mt.end() + width]})
            found += 1
            if found >= n:
                break
    return pd.DataFrame(rows, columns=CONTEXT_COLUMNS) if rows else _empty(CONTEXT_COLUMNS)


# ----------------------------------------------------------------------------- actor labels

def actor_labels(sentences: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame, *,
                 labels: Iterable[str] = ("PERSON", "ORG", "NORP", "GPE"), window: int = 3,
                 include_names: bool = True, nlp: Any = None, batch_size: int = 256) -> pd.DataFrame:
    """How each outlet labels each actor: the words that refer to or describe it.

    For every actor (entity ``canonical``), spaCy's parse of the sentences gives, with ``rule``:

    * ``name``: the mention's own words (``General Oduya``, ``Mr. Trump``), if ``include_names``;
    * ``modifier``: a noun chunk headed by the mention that adds words (``Kelby Army chief
      General Oduya``), or a chunk the mention modifies whose head is a group/role noun
      (``Taliban fighters``, ``Taliban insurgents``; not possessives like ``Taliban's offensive``);
    * ``apposition``: an apposition to the mention or the mention's apposition
      (``Michael Steele, chairman of the RNC``);
    * ``description``: a definite or bare-plural noun phrase with no name in it, in the same
      sentence after the mention or later in the article, whose head noun is a known label head
      for that actor — one it got from a modifier/apposition anywhere in the corpus (``the
      president`` after ``President Trump``), or a role/group/place noun matching its entity
      type (``the fundamentalist group``, ``the insurgents``). It goes to the most recent actor
      in the article with that learned head; failing that, to the most recent actor of a
      compatible type named at most ``window`` sentences earlier.

    Returns ``outlet, actor, label, rule, head, article_id, sent_id, start, end`` (offsets into
    the article text when the sentences table has ``start``; otherwise into the sentence).
    Heuristic: descriptions are attributed without coreference resolution; check with
    :func:`labels_by_outlet` and the sentences.
    """
    if any(x is None or len(x) == 0 for x in (sentences, entities, articles)):
        return _empty(LABEL_COLUMNS)
    prepared = actor_label_inputs(sentences, entities, labels=labels, window=window)
    if prepared is None:
        return _empty(LABEL_COLUMNS)
    keys, texts, offsets, ents_by_sent = prepared
    if nlp is None:
        from helpers.annotate.nlp import load_model
        nlp = load_model(disable=("ner",))
    # docs are streamed: only the compact features of each sentence are kept
    features = [sentence_label_features(key, doc, off, ents_by_sent.get(key, []), include_names=include_names)
                for key, off, doc in zip(keys, offsets, nlp.pipe(texts, batch_size=batch_size))]
    return resolve_actor_labels(features, articles, window=window)


def resolve_actor_labels(features: Iterable[dict] | Callable[[], Iterable[dict]], articles: pd.DataFrame, *,
                         window: int = 3) -> pd.DataFrame:
    """The corpus-level part of :func:`actor_labels` over the sentences' features (from
    :func:`sentence_label_features`, in article, sentence order — an article whose sentences do
    not come together raises ValueError): heads learned anywhere in the corpus
    (:func:`learn_actor_heads`), then descriptions attributed to the most recent compatible actor
    (:func:`describe_actors`), put together by :func:`actor_label_table`.

    ``features`` is the features, or a function returning a fresh iterator over them: they are
    read twice and, that way, never held whole (a large corpus's run to gigabytes as Python
    objects). Rows are gathered in frames of :data:`_RECORD_CHUNK` as they are found. The second
    pass reads each article alone given the learned heads, so it can run on articles in chunks
    (:func:`helpers.run.pipeline` does, on the engine's workers): the same table."""
    read = features if callable(features) else (lambda held=list(features): held)
    learned = learn_actor_heads(read())
    found, described = describe_actors(read(), learned, window=window)
    return actor_label_table([found], [described], articles)


def learn_actor_heads(features: Iterable[dict]) -> dict[str, Counter]:
    """Pass 1 of :func:`resolve_actor_labels`: for each actor, how often each head noun labels it
    in ``features`` (a modifier or apposition). Counts of chunks of the corpus add up
    (:func:`merge_actor_heads`)."""
    learned: dict[str, Counter] = defaultdict(Counter)
    for f in features:
        for actor, head in f["learned"]:
            learned[actor][head] += 1
    return learned


def merge_actor_heads(parts: Iterable[dict[str, Counter]]) -> dict[str, Counter]:
    """The learned heads of several chunks of a corpus (:func:`learn_actor_heads`) as one."""
    learned: dict[str, Counter] = defaultdict(Counter)
    for part in parts:
        for actor, heads in part.items():
            learned[actor].update(heads)
    return learned


def describe_actors(features: Iterable[dict], learned: Mapping[str, Counter], *,
                    window: int = 3) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Pass 2 of :func:`resolve_actor_labels` over ``features`` (whole articles, in article,
    sentence order) given the corpus's ``learned`` heads: the sentences' own label records and the
    descriptions attributed to an actor, each as a list of frames (rows in reading order)."""
    learned = defaultdict(Counter, learned)
    found, described = _RecordFrames(), _RecordFrames()
    # Per article, the mentions of earlier sentences in reading order, and each actor's latest
    # mention (with its arrival number). The most recent mention of an actor that learned a head
    # is the latest mention among those actors, and only mentions at most ``window`` sentences back
    # can take a type head: neither needs every earlier mention per description, which made an
    # article of thousands of sentences quadratic (hours for a one-paragraph megabyte article).
    # Only the current article's are kept: the features come article after article, and a
    # description looks back within its own article only (the corpus's would grow with it).
    earlier: list = []  # [(sent_id, token_i, actor, label)]
    latest: dict = {}  # actor -> (sent_id, token_i, actor, label, n)
    current, done = None, set()
    by_position = lambda c: (c[0], c[1])  # noqa: E731 — most recent first when reversed
    for f in features:
        found.extend(f["records"])
        aid, sid = f["key"]
        mentions = f["mentions"]
        if aid != current:
            if aid in done:
                raise ValueError(f"actor features must come article after article: {aid!r} came back")
            if current is not None:
                done.add(current)
            current, earlier, latest = aid, [], {}
        for start, head, root_lower, text, a, b in f["chunks"]:
            own = sorted([(sid, i0, a0, l0) for i0, a0, l0 in mentions if i0 < start], key=by_position, reverse=True)
            chosen = next((c for c in own if learned[c[2]].get(head, 0) > 0), None)
            if chosen is None:
                fits = [c for c in latest.values() if learned[c[2]].get(head, 0) > 0]
                chosen = max(fits, key=lambda c: (c[0], c[1], -c[4]))[:4] if fits else None
            if chosen is None:
                first = len(earlier)
                while first and sid - earlier[first - 1][0] <= window:
                    first -= 1
                recent = own + sorted(earlier[first:], key=by_position, reverse=True)
                chosen = next((c for c in recent if sid - c[0] <= window and
                               (head in type_heads(c[3]) or root_lower in type_heads(c[3]))), None)
            if chosen is None:
                continue
            if text:
                described.append({"actor": chosen[2], "label": text, "rule": "description", "head": head,
                                  "article_id": aid, "sent_id": sid, "start": a, "end": b})
        for i0, a0, l0 in mentions:
            earlier.append((sid, i0, a0, l0))
            held = latest.get(a0)
            if held is None or (sid, i0) > (held[0], held[1]):
                latest[a0] = (sid, i0, a0, l0, len(earlier))
    return found.frames(), described.frames()


def actor_label_table(found: list[list[pd.DataFrame]], described: list[list[pd.DataFrame]],
                      articles: pd.DataFrame) -> pd.DataFrame:
    """The ``actor_labels`` table (:data:`LABEL_COLUMNS`) from :func:`describe_actors`' frames of
    each chunk of the corpus, chunks in corpus order: every chunk's own records first, then the
    descriptions (which of two rows on one span is kept), duplicates on a span dropped, rows by
    article, start and actor, each with its article's outlet."""
    frames = [f for part in found for f in part] + [f for part in described for f in part]
    if not frames:
        return _empty(LABEL_COLUMNS)
    outlet = articles.drop_duplicates("article_id").set_index("article_id")["outlet"] if "outlet" in articles else None
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    del frames
    out = out[~out.duplicated(["actor", "article_id", "start", "end"]).to_numpy()]
    # the order from the sort keys alone, then the rows taken once in it (a table of millions of rows)
    order = out[["article_id", "start", "actor"]].sort_values(["article_id", "start", "actor"]).index
    out = out.loc[order].reset_index(drop=True)
    out["outlet"] = out["article_id"].map(outlet).fillna("") if outlet is not None else ""
    return out[LABEL_COLUMNS]


#: Label rows gathered as Python dicts before they are turned into a frame.
_RECORD_CHUNK = 100_000


class _RecordFrames:
    """Rows (dicts) collected into DataFrames of :data:`_RECORD_CHUNK` rows as they come."""

    def __init__(self) -> None:
        self._rows: list[dict] = []
        self._frames: list[pd.DataFrame] = []

    def append(self, row: dict) -> None:
        self._rows.append(row)
        if len(self._rows) >= _RECORD_CHUNK:
            self._flush()

    def extend(self, rows: Iterable[dict]) -> None:
        for row in rows:
            self.append(row)

    def _flush(self) -> None:
        if self._rows:
            self._frames.append(pd.DataFrame(self._rows))
            self._rows = []

    def frames(self) -> list[pd.DataFrame]:
        self._flush()
        return self._frames


def labels_by_outlet(labels: pd.DataFrame, *, rules: Iterable[str] | None = None,
                     min_count: int = 1) -> pd.DataFrame:
    """Summarise :func:`actor_labels`: ``actor, outlet, label, count, rules, n_articles``.

    Labels are compared case-insensitively: one row per actor, outlet and lower-cased label, with
    the spelling used most (of spellings used as often, the first in ``labels``), its uses
    (``count``, at least ``min_count``), its rules (sorted, comma-separated) and how many articles
    use it. ``rules`` keeps only some rules (e.g. ``("modifier", "apposition", "description")`` to
    hide names). Rows with no actor, outlet or label are left out. Rows by actor and outlet, the
    most used label first.

    Counted on whole columns (group numbers, sorts), not group by group: on a corpus of tens of
    thousands of articles the actor-labels table has millions of rows and hundreds of thousands of
    groups.
    """
    if labels is None or len(labels) == 0:
        return _empty(LABEL_SUMMARY_COLUMNS)
    lab = labels if rules is None else labels[labels["rule"].isin(list(rules))]
    lab = lab[lab["actor"].notna() & lab["outlet"].notna() & lab["label"].notna()].reset_index(drop=True)
    if not len(lab):
        return _empty(LABEL_SUMMARY_COLUMNS)
    key = lab["label"].str.lower()
    group = lab.groupby([lab["actor"], lab["outlet"], key], sort=True).ngroup().to_numpy()
    rows = pd.DataFrame({"group": group, "label": lab["label"].to_numpy(), "position": np.arange(len(lab))})
    spellings = rows.groupby(["group", "label"], sort=False).agg(uses=("position", "size"),
                                                                  first=("position", "min")).reset_index()
    shown = (spellings.sort_values(["group", "uses", "first"], ascending=[True, False, True], kind="stable")
             .drop_duplicates("group").set_index("group")["label"])
    # each group's set of rules as the bits of a Python integer (bit i: the i-th rule name in sorted
    # order), so that the text is joined once per distinct set, not once per group
    names, codes = np.unique(lab["rule"].to_numpy(dtype=object), return_inverse=True)
    sets = np.zeros(group.max() + 1, dtype=object)
    np.bitwise_or.at(sets, group, np.array([1 << i for i in range(len(names))], dtype=object)[codes])
    spelled = {bits: ", ".join(str(n) for i, n in enumerate(names) if bits >> i & 1) for bits in set(sets)}
    articles = pd.DataFrame({"group": group, "article_id": lab["article_id"].to_numpy()}).dropna().drop_duplicates()
    first = np.unique(group, return_index=True)[1]
    out = pd.DataFrame({"actor": lab["actor"].to_numpy()[first], "outlet": lab["outlet"].to_numpy()[first],
                        "label": shown.to_numpy(), "count": np.bincount(group).astype("int64"),
                        "rules": [spelled[bits] for bits in sets],
                        "n_articles": articles.groupby("group").size().reindex(np.arange(len(first)), fill_value=0)
                        .to_numpy().astype("int64")})
    out = out[out["count"] >= min_count]
    return out.sort_values(["actor", "outlet", "count", "label"], ascending=[True, True, False, True],
                           kind="stable").reset_index(drop=True)[LABEL_SUMMARY_COLUMNS]
