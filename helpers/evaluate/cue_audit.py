"""Audit the codebook's multi-word frame cues against real news sentences.

    python -m helpers.evaluate.cue_audit EVAL_DIR [--codebook PATH] [--per-cue 10] [--seed 0]
                                [--abp-articles 3000] [--out reports/cue-audit-sample.csv]

``EVAL_DIR`` is the shared evaluation folder (``../shared/eval``): sentences come from BASIL
events of 2010–2017 (``basil/articles/<year>/*.json``; 2018 and 2019 are held aside) and a seeded
draw of ``--abp-articles`` Article-Bias-Prediction articles (``content_original``, split into
sentences at ., ! or ? followed by a capital). For every cue of the codebook that has more than
one word, the script counts the sentences it fires in and draws ``--per-cue`` of them with a fixed
seed, the match in [brackets], for a person to judge whether the cue is used in the frame's
sense. Output: a CSV (``cue, frame, hits, sample, sentence``) and a summary printed per cue.
Deterministic: the same inputs and seed give the same file. The judged result is kept in
``docs/cue-audit.csv`` (README, "Frames").
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.compare import framing

AUDIT_YEARS = tuple(str(y) for y in range(2010, 2018))
_SPLIT_RE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z])")


def audit_sentences(eval_dir: Path, *, abp_articles: int = 3000, seed: int = 0) -> list[str]:
    """Sentences for the audit: BASIL 2010–2017 (one per annotated sentence) and the seeded draw of
    Article-Bias-Prediction articles, split by :data:`_SPLIT_RE`. Returns unique sentences in a
    fixed order."""
    from helpers.evaluate.framing import read_basil

    texts: list[str] = []
    basil = eval_dir / "basil" / "articles"
    for year in AUDIT_YEARS:
        if (basil / year).is_dir():
            texts += read_basil(basil / year)[1]["text"].astype(str).tolist()
    parquet = eval_dir / "article_bias_prediction.parquet"
    if parquet.is_file() and abp_articles > 0:
        content = pd.read_parquet(parquet, columns=["ID", "content_original"]).sort_values("ID", kind="stable")
        take = np.random.default_rng(seed).choice(len(content), size=min(abp_articles, len(content)), replace=False)
        for body in content["content_original"].iloc[np.sort(take)]:
            if isinstance(body, str):
                texts += [s.strip() for s in _SPLIT_RE.split(" ".join(body.split())) if s.strip()]
    return list(dict.fromkeys(t for t in texts if len(t) > 20))


def multiword_cues(codebook=None) -> list[tuple[str, str]]:
    """(frame, cue) for every cue of more than one word and every regex cue (a regex is written
    ``re:<pattern>``), in codebook order."""
    book = framing.load_codebook(codebook)
    return [(f.id, c) for f in book.frames for c in
            [w for w in f.words if len(w.split()) > 1] + [f"re:{r}" for r in f.regex]]


def sample_cues(sentences: list[str], cues: list[tuple[str, str]], *, per_cue: int = 10,
                seed: int = 0) -> pd.DataFrame:
    """For each (frame, cue): ``hits`` (sentences it fires in) and up to ``per_cue`` of them drawn
    with ``seed`` (the match in [brackets]). Columns ``cue, frame, hits, sample, sentence``."""
    joined = "\x00".join(sentences)
    starts = np.cumsum([0] + [len(s) + 1 for s in sentences[:-1]])
    rows = []
    for k, (frame, cue) in enumerate(cues):
        pattern = framing._compile([], [cue[3:]]) if cue.startswith("re:") else framing._compile([cue], [])
        where: dict[int, tuple[int, int]] = {}
        for m in pattern.finditer(joined):
            i = int(np.searchsorted(starts, m.start(), side="right") - 1)
            where.setdefault(i, (m.start() - starts[i], m.end() - starts[i]))
        idx = sorted(where)
        rng = np.random.default_rng([seed, k])
        take = sorted(rng.choice(len(idx), size=min(per_cue, len(idx)), replace=False)) if idx else []
        for n, j in enumerate(take):
            s = sentences[idx[j]]
            a, b = where[idx[j]]
            rows.append({"cue": cue, "frame": frame, "hits": len(idx), "sample": n + 1,
                         "sentence": s[:a] + "[" + s[a:b] + "]" + s[b:]})
        if not idx:
            rows.append({"cue": cue, "frame": frame, "hits": 0, "sample": 0, "sentence": ""})
    return pd.DataFrame(rows, columns=["cue", "frame", "hits", "sample", "sentence"])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers.evaluate.cue_audit", description=__doc__.split("\n\n")[0])
    p.add_argument("eval_dir", type=Path)
    p.add_argument("--codebook", default=None)
    p.add_argument("--per-cue", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--abp-articles", type=int, default=3000)
    # the sample holds article text (the outlets' copyright): written beside the reports, not committed
    p.add_argument("--out", type=Path, default=Path("reports/cue-audit-sample.csv"))
    args = p.parse_args(argv)
    sentences = audit_sentences(args.eval_dir, abp_articles=args.abp_articles, seed=args.seed)
    table = sample_cues(sentences, multiword_cues(args.codebook), per_cue=args.per_cue, seed=args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, lineterminator="\n")
    print(f"{len(sentences)} sentences; {table['cue'].nunique()} multi-word cues; sample written to {args.out}")
    print(table.drop_duplicates("cue")[["frame", "cue", "hits"]].sort_values("hits", ascending=False).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
