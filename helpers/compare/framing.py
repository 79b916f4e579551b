"""Frames: which interpretive frames each sentence, article and outlet uses.

Takes ``sentences``, ``articles`` and a YAML codebook (``codebooks/frames.yaml``); gives the
``frames``, ``article_frames``, ``frame_summary``, ``frame_contrasts`` and ``tone_contrasts`` tables
(``FRAME_COLUMNS`` … ``TONE_CONTRAST_COLUMNS``).

The frames and their cues live in an editable YAML codebook (``helpers/compare/codebooks/frames.yaml``:
the 15 Policy Frames Codebook dimensions of Boydstun et al. 2014 and the 5 generic news frames of
Semetko & Valkenburg 2000). A user can pass their own codebook file with the same layout.

Tables produced (tidy, one row per …):

* :func:`score_frames` → ``frames``: ``article_id, sent_id, frame, score, cues`` — one row per
  sentence × frame that has at least ``min_score`` cue hits; ``cues`` is the evidence, the cue
  texts that fired, joined by ``"; "`` (``"taliban; offensive"``).
* :func:`article_frames` → ``article_id, frame, weighted_share, n_sentences``.
* :func:`frame_summary` → ``outlet, frame, weighted_share, article_share, n_articles, n_sentences``.
* :func:`audit_sample` → a seeded random draw of sentence–frame assignments and of unframed
  sentences, with empty columns for a human coder.

Weighting by prominence (used by :func:`article_frames` and :func:`frame_summary`): each sentence
``s`` of an article gets the weight

    w_s = words_s × (1.5 − position_s) × (1 + 1.0·in_headline_s + 0.5·in_lead_s)

(``position`` 0 for the first sentence, 1 for the last, from the sentences table), so the headline
counts 2×1.5 = 3 times as much per word as an average sentence, lead sentences about 1.5×1.4, the
last sentence half. A frame's ``weighted_share`` in an article is Σ w_s over the sentences carrying
the frame / Σ w_s over all its sentences. An outlet's ``weighted_share`` is the mean of its
articles' shares (each article counts once; an article without the frame counts 0).

Speed: every frame's cues compile into one regular expression, run once over all sentences joined
by NUL characters; match offsets map back to sentences with a binary search. No spaCy needed.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd
import yaml

from helpers.compare.schema import (
    ARTICLE_FRAME_COLUMNS, AUDIT_COLUMNS, CONTRAST_COLUMNS, FRAME_COLUMNS, SUMMARY_COLUMNS,
    TONE_CONTRAST_COLUMNS)
from helpers.text import whitespace_word_counts

DEFAULT_CODEBOOK = Path(__file__).resolve().parent / "codebooks" / "frames.yaml"

HEADLINE_BONUS = 1.0
LEAD_BONUS = 0.5
_SEP = "\x00"


class CodebookError(ValueError):
    """A codebook file that cannot be used; the message names the file and the problem."""


@dataclass
class Frame:
    id: str
    family: str = ""
    label: str = ""
    definition: str = ""
    words: list[str] = field(default_factory=list)
    regex: list[str] = field(default_factory=list)
    weight: float = 1.0
    pattern: re.Pattern | None = None


@dataclass
class Codebook:
    name: str
    frames: list[Frame]
    source: str = ""

    @property
    def ids(self) -> list[str]:
        return [f.id for f in self.frames]

    def table(self) -> pd.DataFrame:
        """The codebook as a table (one row per frame) for display in a notebook."""
        return pd.DataFrame([{
            "frame": f.id, "family": f.family, "label": f.label, "definition": f.definition,
            "cues": ", ".join(f.words + f.regex), "weight": f.weight,
        } for f in self.frames])


def _atoms(cue: str) -> list[str]:
    """A cue as regex atoms (one per character, or a wildcard / whitespace / apostrophe class)."""
    out: list[str] = []
    for ch in cue.strip().lower():
        if ch == "*":
            atom = r"\w*"
        elif ch.isspace():
            atom = r"\s+"
            if out and out[-1] == atom:
                continue
        elif ch in "'’":
            atom = "['’]"
        else:
            atom = re.escape(ch)
        out.append(atom)
    return out


def _trie_regex(cues: list[str]) -> str:
    """All cues as one regex shaped like a trie, so matching costs about one pass per character
    rather than one per cue (a plain alternation of hundreds of cues is tried cue by cue)."""
    trie: dict = {}
    for cue in cues:
        node = trie
        for atom in _atoms(cue):
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        alts = [atom + emit(child) for atom, child in sorted(node.items()) if atom != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not end else "(?:" + "|".join(alts) + ")"
        if len(alts) == 1 and end:
            body = "(?:" + alts[0] + ")"
        return body + ("?" if end else "")
    return emit(trie)


def _compile(words: list[str], regexes: list[str]) -> re.Pattern | None:
    cues = [w for w in dict.fromkeys(words) if w.strip()]
    parts = [_trie_regex(cues)] if cues else []
    parts += [f"(?:{r})" for r in regexes]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _as_list(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v is not None and str(v).strip()]
    raise CodebookError(f"{where}: expected a list of strings, got {type(value).__name__}")


def load_codebook(path: str | Path | Mapping | Codebook | None = None) -> Codebook:
    """Read a frames codebook (YAML) and compile its cues; ``None`` gives the bundled default.

    ``path`` may also be an already-parsed mapping (``{"frames": [...]}``) or a Codebook.
    Each frame needs an ``id``; ``cues`` may hold ``words`` (words, phrases, ``stem*``) and
    ``regex`` (raw regular expressions). Raises :class:`CodebookError` with a readable message.
    """
    if isinstance(path, Codebook):
        return path
    if isinstance(path, Mapping):
        data, source = dict(path), "<mapping>"
    else:
        p = Path(path) if path is not None else DEFAULT_CODEBOOK
        source = str(p)
        if not p.is_file():
            raise CodebookError(f"{p}: codebook file not found")
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CodebookError(f"{p}: not valid YAML ({exc})") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("frames"), list):
        raise CodebookError(f"{source}: expected a mapping with a 'frames' list")
    frames: list[Frame] = []
    seen: set[str] = set()
    for i, item in enumerate(data["frames"]):
        where = f"{source}: frame #{i + 1}"
        if not isinstance(item, Mapping) or not str(item.get("id") or "").strip():
            raise CodebookError(f"{where}: every frame needs an 'id'")
        fid = str(item["id"]).strip()
        if fid in seen:
            raise CodebookError(f"{where}: duplicate frame id {fid!r}")
        seen.add(fid)
        cues = item.get("cues") or {}
        if isinstance(cues, list):  # a bare list of words is accepted too
            cues = {"words": cues}
        if not isinstance(cues, Mapping):
            raise CodebookError(f"{where} ({fid}): 'cues' must be a mapping with 'words'/'regex'")
        words = _as_list(cues.get("words"), f"{where} ({fid}) words")
        regexes = _as_list(cues.get("regex"), f"{where} ({fid}) regex")
        for r in regexes:
            try:
                re.compile(r)
            except re.error as exc:
                raise CodebookError(f"{where} ({fid}): bad regex {r!r}: {exc}") from exc
        try:
            weight = float(item.get("weight", 1.0))
        except (TypeError, ValueError) as exc:
            raise CodebookError(f"{where} ({fid}): weight must be a number") from exc
        frames.append(Frame(
            id=fid, family=str(item.get("family") or ""), label=str(item.get("label") or fid),
            definition=" ".join(str(item.get("definition") or "").split()),
            words=words, regex=regexes, weight=weight, pattern=_compile(words, regexes),
        ))
    if not frames:
        raise CodebookError(f"{source}: the codebook has no frames")
    return Codebook(name=str(data.get("name") or Path(source).stem), frames=frames, source=source)


def _texts(sentences: pd.DataFrame) -> list[str]:
    return [str(t).replace(_SEP, " ") if isinstance(t, str) else "" for t in sentences["text"].tolist()]


def _ignorecase_tables() -> tuple[Callable[[int], int], dict[int, tuple[int, ...]]] | None:
    """The two tables ``re`` compiles ``IGNORECASE`` with (CPython 3.11+): a character's simple
    lower case, and the extra characters some lower-case letters also match (the long s for
    "s", the dotless i for "i", the final sigma...). None where they cannot be read."""
    try:
        from _sre import unicode_tolower
        from re._casefix import _EXTRA_CASES
    except ImportError:
        return None
    return unicode_tolower, _EXTRA_CASES


def _case_key(char: str) -> str | None:
    """The character ``re.IGNORECASE`` compares ``char`` as — its simple lower case, or the first of
    the letters matched alike with it ("ı" and "i" match each other) — so that two characters
    match under the flag exactly when their keys are equal. None without Python's tables."""
    tables = _ignorecase_tables()
    if tables is None:
        return None
    tolower, extra = tables
    low = tolower(ord(char))
    return chr(min((low, *extra.get(low, ()))))


def _case_keyed(text: str) -> str | None:
    """``text`` with each character replaced by its :func:`_case_key`, the same length: a
    case-sensitive pattern of key characters then matches it exactly where the pattern matches
    ``text`` with ``re.IGNORECASE``, at the same offsets. ``str.lower`` does it for almost every
    character; the few it lower-cases otherwise (to two characters, or to a letter other than the
    key) are replaced first. None when a character's key would change its class (word, space),
    which the cues' boundaries test, or without Python's tables."""
    special = {}
    for char in set(text):
        key = _case_key(char)
        if key is None:
            return None
        if char.isalnum() != key.isalnum() or char.isspace() != key.isspace() or (char == "_") != (key == "_"):
            return None
        if char.lower() != key:
            special[char] = key
    if special:
        text = re.sub("[" + "".join(re.escape(c) for c in special) + "]", lambda m: special[m.group()], text)
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


@functools.lru_cache(maxsize=64)
def _keyed_cue_pattern(pattern: re.Pattern | None, words: tuple[str, ...], regex: tuple[str, ...]) -> re.Pattern | None:
    """A frame's ``pattern`` (compiled from its cue ``words`` and ``regex``) without
    ``re.IGNORECASE``, for :func:`_case_keyed` text; None for a frame with regular-expression cues
    (written for the flag, in any case) or a cue letter that is not its own case key."""
    if pattern is None or regex:
        return None
    if any(_case_key(c) != c for c in set("".join(words).lower()) if c.lower() != c.upper()):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def score_frames(sentences: pd.DataFrame, *, codebook: Any = None, min_score: float = 1.0) -> pd.DataFrame:
    """Score every sentence for every frame of the codebook, keeping the cues that fired.

    Returns ``article_id, sent_id, frame, score, cues`` (plus ``family``): one row per sentence ×
    frame whose score (frame weight × number of cue hits) is at least ``min_score``. Sentences
    with no row are unframed. ``codebook`` is a :class:`Codebook`, a path, or None (the default).
    """
    cb = load_codebook(codebook)
    columns = FRAME_COLUMNS + ["family"]
    if sentences is None or len(sentences) == 0:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "score" else "object") for c in columns})
    texts = _texts(sentences)
    joined = _SEP.join(texts)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    art = sentences["article_id"].to_numpy()
    sid = sentences["sent_id"].to_numpy()
    # Frames whose cues are all words are matched in the lower-cased text without the
    # case-insensitive flag: the same matches (:func:`_case_keyed`), twice as fast, because
    # ``re`` then skips to the positions where a cue's first letter stands.
    keyed = _case_keyed(joined)
    # each frame's kept rows as arrays, made one table at the end: a DataFrame per frame cost more
    # than matching the cues in a story of a few articles (fifteen frames, ~2 ms each)
    found_rows, found_scores, found_cues, found_frames, found_families = [], [], [], [], []
    for frame in cb.frames:
        if frame.pattern is None:
            continue
        plain = _keyed_cue_pattern(frame.pattern, tuple(frame.words), tuple(frame.regex)) if keyed is not None else None
        offsets, hits = [], []
        for m in (plain.finditer(keyed) if plain is not None else frame.pattern.finditer(joined)):
            start, end = m.span()
            offsets.append(start)
            hits.append(" ".join(joined[start:end].lower().replace("’", "'").split()))
        if not offsets:
            continue
        idx = np.searchsorted(starts, np.asarray(offsets), side="right") - 1
        # offsets ascend, so each sentence's hits are consecutive: its cues in the order found
        rows, counts, cues = [], [], []
        for i, found in itertools.groupby(zip(idx.tolist(), hits), key=operator.itemgetter(0)):
            words = [cue for _, cue in found]
            rows.append(i)
            counts.append(len(words))
            cues.append("; ".join(dict.fromkeys(words)))
        score = np.asarray(counts, dtype=float) * frame.weight
        keep = score >= min_score
        rows = np.asarray(rows, dtype=np.int64)[keep]
        found_rows.append(rows)
        found_scores.append(score[keep])
        found_cues.append(np.asarray(cues, dtype=object)[keep])
        found_frames.append(np.full(len(rows), frame.id, dtype=object))
        found_families.append(np.full(len(rows), frame.family, dtype=object))
    rows = np.concatenate(found_rows) if found_rows else np.zeros(0, dtype=np.int64)
    if not len(rows):  # no cue, or every score below min_score: the empty table with its dtypes
        return score_frames(sentences.iloc[:0], codebook=cb)
    out = pd.DataFrame({"article_id": art[rows], "sent_id": sid[rows], "frame": np.concatenate(found_frames),
                        "score": np.concatenate(found_scores), "cues": np.concatenate(found_cues),
                        "family": np.concatenate(found_families)})
    order = {f: i for i, f in enumerate(cb.ids)}
    out["_o"] = out["frame"].map(order)
    out = out.sort_values(["article_id", "sent_id", "_o"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)[columns]


def sentence_weights(sentences: pd.DataFrame, *, headline_bonus: float = HEADLINE_BONUS,
                     lead_bonus: float = LEAD_BONUS) -> pd.Series:
    """Prominence weight of each sentence: words × (1.5 − position) × (1 + H·in_headline + L·in_lead)."""
    if len(sentences) == 0:
        return pd.Series(dtype=float)
    words = pd.Series(whitespace_word_counts(sentences["text"]), index=sentences.index)
    pos = _position(sentences)
    head = _flag(sentences, "in_headline")
    lead = _flag(sentences, "in_lead")
    return words * (1.5 - pos) * (1.0 + headline_bonus * head + lead_bonus * lead)


def _flag(sentences: pd.DataFrame, column: str) -> pd.Series:
    if column not in sentences:
        return pd.Series(0.0, index=sentences.index)
    return sentences[column].fillna(False).astype(bool).astype(float)


def _position(sentences: pd.DataFrame) -> pd.Series:
    """The data model's ``position`` (sent_id / (n − 1)); computed when the column is missing."""
    if "position" in sentences:
        return pd.to_numeric(sentences["position"], errors="coerce").fillna(0.0).clip(0, 1)
    rank = sentences.groupby("article_id")["sent_id"].rank(method="first") - 1
    n = sentences.groupby("article_id")["sent_id"].transform("size") - 1
    return (rank / n.where(n > 0, 1)).fillna(0.0)


def article_frames(frames: pd.DataFrame, sentences: pd.DataFrame, **weights: float) -> pd.DataFrame:
    """Per article × frame: prominence-weighted share of the article carrying the frame.

    Returns ``article_id, frame, weighted_share, n_sentences`` (see module docstring for w_s).
    """
    if frames is None or len(frames) == 0 or sentences is None or len(sentences) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object" if c in ("article_id", "frame") else "float64")
                             for c in ARTICLE_FRAME_COLUMNS})
    s = sentences[["article_id", "sent_id"]].copy()
    s["w"] = sentence_weights(sentences, **weights).to_numpy()
    total = s.groupby("article_id")["w"].sum()
    f = frames[["article_id", "sent_id", "frame"]].drop_duplicates().merge(s, on=["article_id", "sent_id"], how="inner")
    grouped = f.groupby(["article_id", "frame"])  # one reduction per column: cheaper than named aggregations
    g = pd.DataFrame({"w": grouped["w"].sum(), "n_sentences": grouped["sent_id"].nunique()}).reset_index()
    g["weighted_share"] = g["w"] / g["article_id"].map(total).replace(0, np.nan)
    g["weighted_share"] = g["weighted_share"].fillna(0.0)
    return g[ARTICLE_FRAME_COLUMNS].reset_index(drop=True)


def frame_summary(frames: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame, *,
                  by: str = "outlet", codebook: Any = None, **weights: float) -> pd.DataFrame:
    """Per outlet (or another ``articles`` column, ``by``) × frame, weighted by prominence.

    Returns ``outlet, frame, weighted_share, article_share, n_articles, n_sentences``:
    ``weighted_share`` is the mean over the outlet's articles of :func:`article_frames`'s share
    (0 for an article without the frame); ``article_share`` the fraction of its articles with
    the frame at all; ``n_articles`` the outlet's article count; ``n_sentences`` framed sentences.
    Every frame of the codebook appears for every outlet (zeros included) so outlets compare.
    """
    cols = [by] + SUMMARY_COLUMNS[1:]
    if articles is None or len(articles) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object" if c in (by, "frame") else "float64") for c in cols})
    ids = load_codebook(codebook).ids
    extra = [] if frames is None or len(frames) == 0 else sorted(set(frames["frame"]) - set(ids))
    frame_ids = [f for f in ids if f != "other"] + extra
    art = articles[["article_id", by]].drop_duplicates("article_id").copy()
    art[by] = art[by].fillna("").astype(str)
    n_art = art.groupby(by)["article_id"].nunique()
    af = article_frames(frames, sentences, **weights).merge(art, on="article_id", how="inner")
    grid = pd.MultiIndex.from_product([n_art.index, frame_ids], names=[by, "frame"])
    g = af.groupby([by, "frame"]).agg(share_sum=("weighted_share", "sum"), n_with=("article_id", "nunique"),
                                      n_sentences=("n_sentences", "sum"))
    g = g.reindex(grid, fill_value=0).reset_index()
    g["n_articles"] = g[by].map(n_art).astype(int)
    g["weighted_share"] = g["share_sum"] / g["n_articles"]
    g["article_share"] = g["n_with"] / g["n_articles"]
    g["n_sentences"] = g["n_sentences"].astype(int)
    return g[cols].reset_index(drop=True)


#: A frame share resting on fewer sentences than this is no share to compare: one sentence is one
#: cue match ("trade routes" making an article "economic"), so the grid leaves such a cell empty.
MIN_FRAME_SENTENCES = 2


def frame_share_grid(summary: pd.DataFrame, *, by: str = "outlet",
                     min_sentences: int = MIN_FRAME_SENTENCES) -> pd.DataFrame:
    """:func:`frame_summary` as a frames × outlets grid of ``weighted_share``, the outlets with the
    most articles first (then by name): a chart or table that can show only the first columns shows
    the outlets that wrote the most, not the first names in the alphabet. A share resting on fewer
    than ``min_sentences`` of the outlet's sentences (``n_sentences``, when the summary has it) is
    NaN — shown empty, not charted as a result — and frames with no share left are left out."""
    if summary.empty:
        return pd.DataFrame()
    sizes = summary.groupby(by)["n_articles"].max()
    order = sorted(sizes.index, key=lambda outlet: (-int(sizes[outlet]), str(outlet)))
    shares = summary["weighted_share"].astype(float)
    if "n_sentences" in summary.columns:
        shares = shares.where(summary["n_sentences"] >= min_sentences)
    grid = summary.assign(weighted_share=shares).pivot_table(index="frame", columns=by, values="weighted_share",
                                                             dropna=False)[order]
    grid.columns.name = by
    return grid.loc[grid.max(axis=1).fillna(0) > 0]


def audit_sample(frames: pd.DataFrame, sentences: pd.DataFrame, *, n: int = 50, seed: int = 0,
                 n_unframed: int | None = None) -> pd.DataFrame:
    """A seeded random draw for hand coding: ``n`` sentence–frame assignments and ``n_unframed``
    (default ``n``) sentences with no frame at all.

    Returns ``sample ("assigned"/"unframed"), article_id, sent_id, frame, score, cues, text`` and
    empty ``coder_agrees, coder_frame, coder_note`` columns for the coder to fill in. The same
    inputs and seed always give the same rows; the rows are shuffled so a coder cannot tell the
    two samples apart by position (the ``sample`` column can be hidden while coding).
    """
    rng = np.random.default_rng(seed)
    n_unframed = n if n_unframed is None else n_unframed
    if sentences is None or len(sentences) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in AUDIT_COLUMNS})
    text = sentences.set_index(["article_id", "sent_id"])["text"]
    text = text[~text.index.duplicated()]
    parts = []
    if frames is not None and len(frames):
        f = frames.sort_values(["article_id", "sent_id", "frame"]).reset_index(drop=True)
        take = rng.choice(len(f), size=min(n, len(f)), replace=False) if n > 0 else []
        a = f.iloc[np.sort(take)][["article_id", "sent_id", "frame", "score", "cues"]].copy()
        a.insert(0, "sample", "assigned")
        parts.append(a)
        framed = pd.MultiIndex.from_frame(frames[["article_id", "sent_id"]].drop_duplicates())
    else:
        framed = pd.MultiIndex.from_tuples([], names=["article_id", "sent_id"])
    keys = sentences[["article_id", "sent_id"]].drop_duplicates().sort_values(["article_id", "sent_id"])
    unframed = keys[~pd.MultiIndex.from_frame(keys).isin(framed)].reset_index(drop=True)
    if len(unframed) and n_unframed > 0:
        take = rng.choice(len(unframed), size=min(n_unframed, len(unframed)), replace=False)
        u = unframed.iloc[np.sort(take)].copy()
        u.insert(0, "sample", "unframed")
        u["frame"], u["score"], u["cues"] = "", 0.0, ""
        parts.append(u)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in AUDIT_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out = out.iloc[rng.permutation(len(out))].reset_index(drop=True)
    out["text"] = [text.get((a, s), "") for a, s in zip(out["article_id"], out["sent_id"])]
    out["coder_agrees"], out["coder_frame"], out["coder_note"] = "", "", ""
    return out[AUDIT_COLUMNS]


def top_cell_evidence(summary: pd.DataFrame, frames: pd.DataFrame, sentences: pd.DataFrame,
                      articles: pd.DataFrame, *, cells: int = 6, per_cell: int = 2, by: str = "outlet") -> pd.DataFrame:
    """The sentences behind the strongest outlet × frame cells of ``summary`` (from :func:`frame_summary`):
    ``outlet, frame, weighted_share, article_id, sent_id, score, cues, text`` — for the ``cells``
    largest shares, the ``per_cell`` highest-scoring sentences (earliest first on ties)."""
    columns = [by, "frame", "weighted_share", "article_id", "sent_id", "score", "cues", "text"]
    if summary.empty or frames.empty:
        return pd.DataFrame(columns=columns)
    top = summary[summary["weighted_share"] > 0].sort_values(["weighted_share", by, "frame"],
                                                             ascending=[False, True, True], kind="stable").head(cells)
    groups = articles[["article_id", by]].assign(**{by: articles[by].where(articles[by].astype(str) != "", f"(unknown {by})")})
    evidence = frames[["article_id", "sent_id", "frame", "score", "cues"]].merge(
        groups, on="article_id", how="left", validate="many_to_one")
    rows = []
    for cell in top.itertuples(index=False):
        group_value = getattr(cell, by)
        chosen = evidence[(evidence[by] == group_value) & (evidence["frame"] == cell.frame)]
        chosen = chosen.sort_values(["score", "article_id", "sent_id"], ascending=[False, True, True], kind="stable")
        for row in chosen.head(per_cell).itertuples(index=False):
            rows.append({by: group_value, "frame": cell.frame, "weighted_share": cell.weighted_share,
                         "article_id": row.article_id, "sent_id": row.sent_id, "score": row.score,
                         "cues": row.cues})
    out = pd.DataFrame(rows, columns=columns[:-1])
    # the text of the chosen sentences only: joined to every frame row first, it held the text of
    # millions of sentences (0.9 GB of notebook 03's kernel on 37,547 articles) to show sixteen
    shown = sentences.loc[sentences["article_id"].isin(set(out["article_id"])), ["article_id", "sent_id", "text"]]
    return out.merge(shown, on=["article_id", "sent_id"], how="left", validate="many_to_one")[columns]


# --------------------------------------------------------------------------- contrasts with a test

CONTRAST_ALPHA = 0.05   # false discovery rate for a reported contrast (Benjamini-Hochberg)
CONTRAST_MIN_COUNT = 5  # sentences with the frame (outlet + others) / sentences about the actor (each side)


def _bh(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values), in input order."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty(n)
    out[order] = q
    return out


def frame_contrasts(frames: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame, *,
                    by: str = "outlet", alpha: float = CONTRAST_ALPHA, min_count: int = CONTRAST_MIN_COUNT,
                    evidence: int = 5) -> pd.DataFrame:
    """Which outlet uses which frame more or less than the others, with a test of the difference.

    For every outlet (or another ``articles`` column, ``by``) × frame: the share of the outlet's
    sentences carrying the frame against the share of all other outlets' sentences, tested with
    Fisher's exact test (two-sided) on the 2 × 2 sentence counts; p-values are adjusted for the
    number of tests with Benjamini–Hochberg (``q_value``).

    Output columns :data:`CONTRAST_COLUMNS`: ``outlet_share``/``others_share`` (sentences with the
    frame / all sentences, on each side), ``difference`` (outlet − others), ``n_sentences`` (the
    outlet's sentences with the frame), ``n_outlet_sentences``, ``n_others_with``,
    ``n_others_sentences``, ``p_value``, ``q_value``, ``finding``:

    * ``contrast`` — q ≤ ``alpha`` and at least ``min_count`` sentences carry the frame: a finding;
    * ``context`` — every outlet carries the frame and no outlet differs even before the
      adjustment (every unadjusted p > ``alpha``): the frame is the event's context, not a
      difference between outlets;
    * ``too few`` — fewer than ``min_count`` sentences carry the frame: nothing can be said;
    * ``no difference`` — otherwise.

    ``evidence``: up to ``evidence`` ``article_id:sent_id`` keys ("; "-joined) of the outlet's
    sentences with the frame, highest score first (of the other outlets' when the outlet has
    none). Sorted by finding (contrasts first), q_value, outlet, frame. Deterministic.
    """
    from scipy.stats import fisher_exact

    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in CONTRAST_COLUMNS})
    if sentences is None or len(sentences) == 0 or articles is None or len(articles) == 0:
        return empty
    groups = articles[["article_id", by]].drop_duplicates("article_id").copy()
    groups[by] = groups[by].fillna("").astype(str).replace("", f"(unknown {by})")
    sents = sentences[["article_id", "sent_id"]].drop_duplicates().merge(groups, on="article_id", how="inner")
    if sents[by].nunique() < 2:
        return empty
    total = sents.groupby(by).size()
    f = pd.DataFrame(columns=["article_id", "sent_id", "frame", "score"]) if frames is None or len(frames) == 0 \
        else frames[["article_id", "sent_id", "frame", "score"]]
    f = f.merge(groups, on="article_id", how="inner")
    with_frame = f.drop_duplicates(["article_id", "sent_id", "frame"]).groupby([by, "frame"]).size()
    f = f.sort_values(["score", "article_id", "sent_id"], ascending=[False, True, True], kind="stable")
    # the evidence of each outlet × frame (its best-scored sentences), and of each frame across
    # all outlets (for an outlet without it), gathered once rather than filtered per pair
    best = f.drop_duplicates(["article_id", "sent_id", "frame"])
    best = best.assign(_key=best["article_id"].astype(str) + ":" + best["sent_id"].astype(str))
    mine_keys = best.groupby([by, "frame"], sort=False).head(evidence).groupby([by, "frame"], sort=False)["_key"] \
        .agg("; ".join).to_dict()
    frame_keys = best.groupby("frame", sort=False).head(evidence).groupby("frame", sort=False)["_key"] \
        .agg("; ".join).to_dict()
    rows = []
    all_n = int(total.sum())
    for frame in sorted(f["frame"].unique()):
        frame_total = int(with_frame.xs(frame, level="frame").sum()) if frame in with_frame.index.get_level_values(1) else 0
        for outlet in sorted(total.index):
            a = int(with_frame.get((outlet, frame), 0))
            n_out = int(total[outlet])
            c = frame_total - a
            n_oth = all_n - n_out
            p = float(fisher_exact([[a, n_out - a], [c, n_oth - c]])[1])
            keys = mine_keys.get((outlet, frame), frame_keys.get(frame, ""))
            rows.append({"outlet": outlet, "frame": frame, "outlet_share": a / n_out if n_out else 0.0,
                         "others_share": c / n_oth if n_oth else 0.0, "n_sentences": a, "n_outlet_sentences": n_out,
                         "n_others_with": c, "n_others_sentences": n_oth, "p_value": p, "evidence": keys})
    out = pd.DataFrame(rows)
    if out.empty:
        return empty
    out["difference"] = out["outlet_share"] - out["others_share"]
    out["q_value"] = _bh(out["p_value"].to_numpy())
    enough = (out["n_sentences"] + out["n_others_with"]) >= min_count
    significant = enough & (out["q_value"] <= alpha)
    everywhere = out.groupby("frame")["n_sentences"].transform(lambda s: bool((s > 0).all()))
    # "the same level": not even one outlet's unadjusted p reaches alpha (a q above alpha alone
    # can mean too little text to tell, which is not the same as no difference)
    none_differs = ~(enough & (out["p_value"] <= alpha)).groupby(out["frame"]).transform("any")
    out["finding"] = np.select([significant, ~enough, everywhere & none_differs],
                               ["contrast", "too few", "context"], "no difference")
    order = {"contrast": 0, "context": 1, "no difference": 2, "too few": 3}
    out["_o"] = out["finding"].map(order)
    out = out.sort_values(["_o", "q_value", "outlet", "frame"], kind="stable").drop(columns="_o")
    return out[CONTRAST_COLUMNS].rename(columns={"outlet": by} if by != "outlet" else {}).reset_index(drop=True)


def _ranks_and_ties(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average ranks of ``values`` and the size of each group of equal values."""
    from scipy.stats import rankdata

    _, counts = np.unique(values, return_counts=True)
    return rankdata(values), counts.astype(float)


def _mann_whitney_p(x: np.ndarray, y: np.ndarray, rank_sum: float, ties: np.ndarray,
                    exact: dict[tuple[int, int, float], float]) -> float:
    """Two-sided p-value of scipy's ``mannwhitneyu(x, y)`` from the sum of ``x``'s ranks among
    ``x`` and ``y`` together and the sizes of their groups of equal values: one test of
    :func:`_mann_whitney_p_values`."""
    got = _mann_whitney_p_values(np.array([len(x)]), np.array([len(y)]), np.array([rank_sum], dtype=float),
                                 tie_term=np.array([np.sum(ties ** 3 - ties)]),
                                 has_ties=np.array([bool((ties > 1).any())]), sides=lambda _: (x, y), exact=exact)
    return float(got[0])


def _mann_whitney_p_values(n1: np.ndarray, n2: np.ndarray, rank_sum: np.ndarray, *, tie_term: np.ndarray,
                           has_ties: np.ndarray, sides: Callable[[int], tuple[np.ndarray, np.ndarray]],
                           exact: dict[tuple[int, int, float], float]) -> np.ndarray:
    """Two-sided p-values of scipy's ``mannwhitneyu(x, y)`` (method "auto", continuity
    correction) for many tests at once, from each test's sizes, the sum of ``x``'s ranks among
    ``x`` and ``y`` together, and ``sum(t**3 - t)`` over their groups of ``t`` equal values
    (``tie_term``; ``has_ties``: whether any group has two or more). The ranks of one group
    against the rest are the ranks within the whole group, so they are computed once per actor,
    not once per outlet. Follows scipy's formula step by step, element by element (the same
    floats); the exact distribution, used for small samples without ties, is scipy's own on the
    values ``sides(i)`` gives for test ``i`` (made only then), memoized by (n1, n2, U) in ``exact``."""
    from scipy.special import ndtr
    from scipy.stats import mannwhitneyu

    n1 = np.asarray(n1, dtype=np.int64)
    n2 = np.asarray(n2, dtype=np.int64)
    u1 = np.asarray(rank_sum, dtype=float) - n1 * (n1 + 1) / 2
    u = np.maximum(u1, n1 * n2 - u1)
    n = n1 + n2
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.sqrt(n1 * n2 / 12 * ((n + 1) - np.asarray(tie_term, dtype=float) / (n * (n - 1))))
        z = (u - n1 * n2 / 2 - 0.5) / spread
    p = np.clip(ndtr(-z) * 2, 0.0, 1.0)
    for i in np.flatnonzero(~((n1 > 8) & (n2 > 8)) & ~np.asarray(has_ties, dtype=bool)).tolist():
        key = (int(n1[i]), int(n2[i]), float(u1[i]))
        if key not in exact:
            x, y = sides(i)
            exact[key] = float(mannwhitneyu(x, y, alternative="two-sided").pvalue)
        p[i] = exact[key]
    return p


def _tone_evidence(rows: pd.DataFrame, pairs: pd.DataFrame, evidence: int) -> list[str]:
    """For each ``pairs`` row (``actor, outlet, difference``), the ``article_id:sent_id`` keys of
    the outlet's ``rows`` on the actor furthest from the others' mean in the direction of the
    difference (most negative first when the outlet is more negative, else most positive),
    ties by article and sentence; at most ``evidence`` of them."""
    sign = pairs.set_index(["actor", "outlet"])["difference"].map(lambda d: 1.0 if d < 0 else -1.0)
    keyed = rows[["actor", "outlet", "compound", "article_id", "sent_id"]].copy()
    keyed["_sign"] = sign.reindex(pd.MultiIndex.from_frame(keyed[["actor", "outlet"]])).to_numpy()
    keyed["_nan"] = keyed["compound"].isna()
    keyed["_key"] = keyed["_sign"] * keyed["compound"]
    keyed = keyed.sort_values(["actor", "outlet", "_nan", "_key", "article_id", "sent_id"], kind="stable")
    chosen = keyed.groupby(["actor", "outlet"], sort=False).head(evidence)
    text = (chosen["article_id"].astype(str) + ":" + chosen["sent_id"].astype(str)).tolist()
    # the chosen rows come pair after pair: each pair's keys are one run of them
    actor, outlet = chosen["actor"].to_numpy(dtype=object), chosen["outlet"].to_numpy(dtype=object)
    starts = np.flatnonzero(np.r_[True, (actor[1:] != actor[:-1]) | (outlet[1:] != outlet[:-1])]) if len(text) else []
    bounds = np.r_[starts, len(text)].astype(np.int64).tolist()
    joined = {(actor[b], outlet[b]): "; ".join(text[b:e]) for b, e in zip(bounds[:-1], bounds[1:])}
    return [joined.get(key, "") for key in zip(pairs["actor"].tolist(), pairs["outlet"].tolist())]


def tone_contrasts(tone_sentences: pd.DataFrame, *, alpha: float = CONTRAST_ALPHA,
                   min_count: int = CONTRAST_MIN_COUNT, evidence: int = 5) -> pd.DataFrame:
    """Which outlet writes about which actor more positively or negatively than the others, with a test.

    Input: ``tone_sentences`` (``article_id, sent_id, outlet, actor, compound``: one row per
    sentence naming the actor, from :func:`helpers.compare.emphasis.tone_sentences`). For every outlet ×
    actor, the outlet's sentence compounds are compared with the other outlets' for the same
    actor by a two-sided Mann–Whitney U test; Benjamini–Hochberg ``q_value`` over all tests.

    Output columns :data:`TONE_CONTRAST_COLUMNS`; ``finding`` is ``contrast`` (q ≤ ``alpha``,
    each side at least ``min_count`` sentences), ``too few`` (a side has fewer) or
    ``no difference``; ``evidence`` the outlet's ``article_id:sent_id`` keys furthest from the
    others' mean in the direction of the difference. Sorted by finding, q_value, outlet, actor.
    """
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in TONE_CONTRAST_COLUMNS})
    if tone_sentences is None or len(tone_sentences) == 0:
        return empty
    t = tone_sentences.drop_duplicates(["article_id", "sent_id", "actor"])
    # Every outlet × actor at once, from group sums (a full corpus names ~170,000 actors across
    # ~500 outlets: a loop over the pairs cost most of a minute): the outlet's side from its own
    # rows, the others' side from the actor's totals less the outlet's. Rows with no outlet are
    # among every outlet's "others", as in a groupby that drops them.
    frame = pd.DataFrame({"actor": t["actor"].astype(object).to_numpy(),
                          "outlet": t["outlet"].astype(object).to_numpy(),
                          "compound": t["compound"].to_numpy(dtype=float),
                          "article_id": t["article_id"].to_numpy(), "sent_id": t["sent_id"].to_numpy()})
    frame["named"] = [isinstance(o, str) for o in frame["outlet"].tolist()]
    frame["missing"] = frame["compound"].isna()
    frame["rank"] = frame.groupby("actor", sort=False)["compound"].rank(method="average")
    by_actor = frame.groupby("actor", sort=False)
    actors = pd.DataFrame({"n": by_actor.size(), "total": by_actor["compound"].sum(),
                           "low": by_actor["compound"].min(), "high": by_actor["compound"].max(),
                           "has_nan": by_actor["missing"].any(),
                           "n_outlets": frame[frame["named"]].groupby("actor", sort=False)["outlet"].nunique()})
    actors = actors[actors["n_outlets"].fillna(0) >= 2]
    if actors.empty:
        return empty
    frame = frame[frame["actor"].isin(actors.index)]
    # ties among each actor's values (all of its rows): the normal approximation's correction
    equal = frame.groupby(["actor", "compound"], sort=False).size().astype(float)
    actors["tie_term"] = (equal ** 3 - equal).groupby(level="actor", sort=False).sum()
    actors["has_ties"] = (equal > 1).groupby(level="actor", sort=False).any()
    own = frame[frame["named"]]
    pairs = own.groupby(["actor", "outlet"], sort=True).agg(n_sentences=("compound", "size"),
                                                            own_total=("compound", "sum"),
                                                            rank_sum=("rank", "sum")).reset_index()
    of_pair = actors.reindex(pairs["actor"])
    n_x = pairs["n_sentences"].to_numpy(dtype=np.int64)
    n_y = of_pair["n"].to_numpy(dtype=np.int64) - n_x
    own_total = pairs["own_total"].to_numpy(dtype=float)
    outlet_mean = own_total / n_x
    with np.errstate(divide="ignore", invalid="ignore"):
        others_mean = (of_pair["total"].to_numpy(dtype=float) - own_total) / n_y
    # NaN or all equal: nothing to test (p = 1)
    varies = np.flatnonzero((of_pair["high"].to_numpy(dtype=float) > of_pair["low"].to_numpy(dtype=float))
                            & ~of_pair["has_nan"].fillna(False).to_numpy(dtype=bool))
    rows_of = frame.groupby("actor", sort=False).indices
    compounds, outlet_of = frame["compound"].to_numpy(dtype=float), frame["outlet"].to_numpy(dtype=object)
    pair_actor, pair_outlet = pairs["actor"].tolist(), pairs["outlet"].tolist()

    def sides(i: int) -> tuple[np.ndarray, np.ndarray]:
        where = rows_of[pair_actor[varies[i]]]
        mine = outlet_of[where] == pair_outlet[varies[i]]
        return compounds[where][mine], compounds[where][~mine]

    p_value = np.ones(len(pairs))
    p_value[varies] = _mann_whitney_p_values(n_x[varies], n_y[varies], pairs["rank_sum"].to_numpy(dtype=float)[varies],
                                             tie_term=of_pair["tie_term"].to_numpy(dtype=float)[varies],
                                             has_ties=of_pair["has_ties"].fillna(False).to_numpy(dtype=bool)[varies],
                                             sides=sides, exact={})
    out = pd.DataFrame({"outlet": pairs["outlet"].to_numpy(dtype=object), "actor": pairs["actor"].to_numpy(dtype=object),
                        "outlet_mean": outlet_mean, "others_mean": others_mean, "difference": outlet_mean - others_mean,
                        "n_sentences": n_x, "n_others_sentences": n_y, "p_value": p_value})
    out["evidence"] = _tone_evidence(own, out, evidence)
    out["q_value"] = _bh(out["p_value"].to_numpy())
    enough = (out["n_sentences"] >= min_count) & (out["n_others_sentences"] >= min_count)
    out["finding"] = np.select([enough & (out["q_value"] <= alpha), ~enough], ["contrast", "too few"], "no difference")
    out["_o"] = out["finding"].map({"contrast": 0, "no difference": 1, "too few": 2})
    out = out.sort_values(["_o", "q_value", "outlet", "actor"], kind="stable").drop(columns="_o")
    return out[TONE_CONTRAST_COLUMNS].reset_index(drop=True)
