"""How far do two trained annotators agree, on the measures the quote extractor is scored with?

Usage::

    python -m helpers.evaluate.quote_agreement ../shared/eval/polnear/train ../shared/eval/polnear/dev [--json OUT]
    python -m helpers.evaluate.quote_agreement ../shared/eval/polnear/dev --extractor

PolNeAR had some articles annotated by all of its annotators (to measure their agreement; listed
in its ``attributions`` folder as ``NAME_ANNOTATOR.ann``, several per text). On those articles this
scores every ordered pair of annotators with :func:`helpers.evaluate.quotes.score` — one annotator's
attributions as the gold, the other's as the predictions (content extent, first source span as the
speaker) — and sums the counts over all pairs, so the figures read exactly as the extractor's:
precision / recall / F1 of content at 30 % and 80 % token overlap and speaker accuracy. That is the
ceiling a system can be expected to reach on this annotation: where trained people disagree, a
system scored against one of them disagrees too.

``--extractor`` also scores the extractor (rules and tagger, beliefs predicted, as in
:mod:`helpers.evaluate.quotes`) against each annotator of the same articles. Use it only on
articles the tagger was not trained on (not PolNeAR ``train``) and that are not held aside.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Sequence

import pandas as pd

from helpers.evaluate.quotes import THRESHOLDS, Doc, Gold, _is_direct, parse_ann, score

COLUMNS = ["article_id", "start", "end", "kind", "speaker_start", "speaker_end"]


def multiply_annotated(path: Path) -> list[tuple[str, str, dict[str, list[Gold]]]]:
    """Articles under ``path`` with at least two annotators: ``(name, text, {annotator: gold items})``,
    sorted by name (PolNeAR layout: ``attributions/NAME_ANNOTATOR.ann`` and ``text/NAME.txt``)."""
    by_name: dict[str, dict[str, Path]] = defaultdict(dict)
    for ann in sorted(path.rglob("*.ann")):
        m = re.fullmatch(r"(.+)_([0-9a-f]{4})", ann.stem)
        if m:
            by_name[m.group(1)][m.group(2)] = ann
    out = []
    for name, anns in sorted(by_name.items()):
        if len(anns) < 2:
            continue
        txt = next((c for c in (path / "text" / f"{name}.txt", anns[min(anns)].parent.parent / "text" / f"{name}.txt")
                    if c.exists()), None)
        if txt is None:
            continue
        out.append((name, txt.read_text(encoding="utf-8"),
                    {who: parse_ann(ann.read_text(encoding="utf-8")) for who, ann in sorted(anns.items())}))
    return out


def as_predictions(article_id: str, text: str, gold: Sequence[Gold]) -> pd.DataFrame:
    """One annotator's attributions as extractor output (:data:`COLUMNS`): the content's extent
    (first to last content span), kind ``direct`` when it holds a quotation mark, and the first
    source span as the speaker (``-1`` when there is none)."""
    rows = []
    for g in gold:
        start, end = min(a for a, _ in g.content), max(b for _, b in g.content)
        ss, se = g.source[0] if g.source else (-1, -1)
        rows.append({"article_id": article_id, "start": start, "end": end,
                     "kind": "direct" if _is_direct(text, g.content) else "indirect",
                     "speaker_start": ss, "speaker_end": se})
    return pd.DataFrame(rows, columns=COLUMNS)


def pairwise(articles: Sequence[tuple[str, str, dict[str, list[Gold]]]]) -> dict[str, dict[str, float]]:
    """:func:`helpers.evaluate.quotes.score` over every ordered pair of annotators of every article
    (counts summed over pairs)."""
    docs, preds = [], []
    for name, text, by_annotator in articles:
        for a, gold in by_annotator.items():
            for b, other in by_annotator.items():
                if a != b:
                    key = f"{name}#{a}>{b}"
                    docs.append(Doc(key, text, gold))
                    preds.append(as_predictions(key, text, other))
    quotes = pd.concat(preds, ignore_index=True) if preds else pd.DataFrame(columns=COLUMNS)
    return score(docs, quotes)


def extractor_against_each(articles: Sequence[tuple[str, str, dict[str, list[Gold]]]]) -> dict[str, dict[str, float]]:
    """The extractor's attributions (beliefs predicted) scored against each annotator in turn (counts
    summed over annotators)."""
    from helpers.evaluate.quotes import predict
    found = predict([Doc(name, text, []) for name, text, _ in articles], beliefs=True)
    docs, preds = [], []
    for name, text, by_annotator in articles:
        mine = found[found["article_id"] == name]
        for who, gold in by_annotator.items():
            key = f"{name}#{who}"
            docs.append(Doc(key, text, gold))
            preds.append(mine.assign(article_id=key))
    return score(docs, pd.concat(preds, ignore_index=True))


def _line(label: str, res: dict[str, dict[str, float]]) -> str:
    a, b = res[str(THRESHOLDS[0])], res[str(THRESHOLDS[-1])]
    return (f"  {label:34s} P/R/F1 at 0.3 {a['precision']:5.1f} / {a['recall']:5.1f} / {a['f1']:5.1f}   "
            f"F1 at 0.8 {b['f1']:5.1f}   speaker {a['speaker_accuracy']:5.1f} % (n={a['speaker_n']})")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m helpers.evaluate.quote_agreement",
                                 description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", type=Path, nargs="+", help="PolNeAR split folders (attributions/ and text/)")
    ap.add_argument("--extractor", action="store_true",
                    help="also score the extractor against each annotator (not on the split it was trained on)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(list(argv) if argv is not None else None)
    missing = [p for p in args.paths if not p.is_dir()]
    if missing:
        print(f"error: {missing[0]} is not a folder", file=sys.stderr)
        return 2
    articles = [a for p in args.paths for a in multiply_annotated(p)]
    if not articles:
        print(f"error: no article with two or more annotators under {' '.join(map(str, args.paths))}", file=sys.stderr)
        return 2
    n_pairs = sum(len(g) * (len(g) - 1) for _, _, g in articles)
    print(f"{len(articles)} articles with 2+ annotators ({n_pairs} ordered annotator pairs), "
          f"{sum(len(x) for _, _, g in articles for x in g.values())} attributions")
    figures = {"paths": [str(p) for p in args.paths], "articles": [n for n, _, _ in articles], "annotators": pairwise(articles)}
    print(_line("annotator against annotator", figures["annotators"]))
    if args.extractor:
        figures["extractor"] = extractor_against_each(articles)
        print(_line("extractor against each annotator", figures["extractor"]))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
