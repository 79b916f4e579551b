"""Error classes of the quote extractor on PolNeAR (brat), per part of the split.

Usage::

    python -m helpers.evaluate.quote_errors ../shared/eval/polnear/dev [--part development|held-aside]
        [--no-beliefs] [--split-aside 0.3]

Scores the part (the same measures as :mod:`helpers.evaluate.quotes`) and sorts each gold attribution
once, against the prediction that covers most of its word tokens (any prediction, even one another
gold item matched):

* found (≥ 30 % covered): *span right* (≥ 80 % covered and ≤ 20 % of the prediction outside the
  gold's extent), *too short* (< 80 % covered), *too long* (> 20 % outside);
* missed: *no source*, *interrupted content* (several content spans), else by the gold cue's
  words in the parse: *non-verb cue*, *reporting verb*, *belief verb*, *other verb* (outside the
  lexicons of :mod:`helpers.quotes.lexicon`);
* speaker right / wrong / missing: found items whose gold has a source.

The articles are parsed as for training (:func:`helpers.evaluate.train_attribution.prepare`; ``--cache-dir``
keeps the parse). The held-aside part is meant for the final figures only.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Sequence

import pandas as pd

from helpers.evaluate.quotes import _tokens, is_aside, load_brat, score
from helpers.evaluate.train_attribution import data_hash, prepare
from helpers.quotes import attribution_model, extraction
from helpers.quotes.lexicon import BELIEF_VERBS, REPORTING_VERBS

CLASSES = ("found, span right", "found, too short", "found, too long", "missed, no source",
           "missed, interrupted content", "missed, non-verb cue", "missed, reporting verb",
           "missed, belief verb", "missed, other verb", "predictions matching no gold",
           "speaker right", "speaker wrong", "speaker missing")


def predict(arts: Sequence, beliefs: bool) -> pd.DataFrame:
    """The extractor's attributions (rules, then the tagger unless switched off) on prepared articles."""
    rows = []
    for art in arts:
        found = attribution_model.refine(art, extraction._extract_article(art, beliefs), beliefs)
        rows += [{"article_id": art.article_id, "start": f.start, "end": f.end, "kind": f.kind,
                  "speaker_start": f.speaker_start, "speaker_end": f.speaker_end} for f in found]
    return pd.DataFrame(rows, columns=["article_id", "start", "end", "kind", "speaker_start", "speaker_end"])


def classify(docs: Sequence, arts: Sequence, quotes: pd.DataFrame) -> Counter:
    """Counts of :data:`CLASSES` (see the module docstring)."""
    c: Counter = Counter({k: 0 for k in CLASSES})
    by = {n: g for n, g in quotes.groupby("article_id")} if len(quotes) else {}
    for d, art in zip(docs, arts):
        pred = by.get(d.name)
        preds = [] if pred is None else [(_tokens(d.text, [(r.start, r.end)]), r) for r in pred.itertuples()]
        used = set()
        toks = [(s.start + t.idx, t) for s in art.sents if s.doc is not None for t in s.doc]
        for g in d.gold:
            gt = _tokens(d.text, g.content)
            if not gt:
                continue
            ext = _tokens(d.text, [(min(a for a, _ in g.content), max(b for _, b in g.content))])
            best = max(range(len(preds)), key=lambda k: len(gt & preds[k][0]), default=None)
            share = len(gt & preds[best][0]) / len(gt) if best is not None else 0.0
            if share >= 0.3:
                used.add(best)
                pt, r = preds[best]
                if share < 0.8:
                    c["found, too short"] += 1
                elif len(pt - ext) / max(len(pt), 1) > 0.2:
                    c["found, too long"] += 1
                else:
                    c["found, span right"] += 1
                if g.source:
                    if r.speaker_start < 0:
                        c["speaker missing"] += 1
                    elif any(r.speaker_start < b and r.speaker_end > a for a, b in g.source):
                        c["speaker right"] += 1
                    else:
                        c["speaker wrong"] += 1
                continue
            if not g.source:
                c["missed, no source"] += 1
            elif len(g.content) > 1:
                c["missed, interrupted content"] += 1
            else:
                verbs = [t for o, t in toks if any(a <= o < b for a, b in g.cue_spans) and t.pos_ in ("VERB", "AUX")]
                if not verbs:
                    c["missed, non-verb cue"] += 1
                elif any(t.lemma_.lower() in REPORTING_VERBS for t in verbs):
                    c["missed, reporting verb"] += 1
                elif any(t.lemma_.lower() in BELIEF_VERBS for t in verbs):
                    c["missed, belief verb"] += 1
                else:
                    c["missed, other verb"] += 1
        c["predictions matching no gold"] += len(preds) - len(used)
    return c


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.evaluate.quote_errors", description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--part", choices=("development", "held-aside"), default="development")
    ap.add_argument("--split-aside", type=float, default=0.3)
    ap.add_argument("--no-beliefs", action="store_true")
    ap.add_argument("--cache-dir", type=Path, default=None)
    args = ap.parse_args(list(argv) if argv is not None else None)
    docs = [d for d in load_brat(args.path) if is_aside(d.name, args.split_aside) == (args.part == "held-aside")]
    cache = (args.cache_dir / f"{args.part}-{data_hash(docs, args.path)[:16]}.pkl") if args.cache_dir else None
    arts = prepare(docs, cache)
    quotes = predict(arts, not args.no_beliefs)
    res = score(docs, quotes)
    a, b = res["0.3"], res["0.8"]
    print(f"{args.part} part, {len(docs)} documents, {sum(len(d.gold) for d in docs)} gold, "
          f"{'without' if args.no_beliefs else 'with'} beliefs: P/R/F1 at 0.3 {a['precision']:.1f} / "
          f"{a['recall']:.1f} / {a['f1']:.1f}, F1 at 0.8 {b['f1']:.1f}, speaker {a['speaker_accuracy']:.1f} %")
    for k, v in classify(docs, arts, quotes).items():
        print(f"  {k:32s} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
