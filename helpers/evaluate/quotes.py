"""Score :func:`helpers.quotes.extraction.extract_quotes` against brat attribution annotations (PolNeAR).

Usage::

    python -m helpers.evaluate.quotes PATH [--split-aside FRACTION] [--sample N] [--json OUT]

``PATH`` holds brat pairs: ``*.ann`` files (PolNeAR: ``PATH/attributions/NAME_ANNOTATOR.ann``) and the
texts (``PATH/text/NAME.txt``, or ``NAME.txt`` beside the ``.ann``). When an article was annotated by
several annotators, the alphabetically first ``.ann`` is used.

Gold items: one per brat event (``E`` line) ``Attribution`` / ``Attribution-no-source``, made of its
``Content`` spans (discontinuous spans are joined), its ``Source`` spans (none for no-source
attributions) and its ``Cue``. A gold item is *direct* when its content holds a quotation mark (``''``,
two apostrophes, counts as one: NYT archive texts use it).

Matching follows the Gender Gap Tracker's evaluation: spans become sets of word tokens (``\\w+``);
each gold item, in text order, takes the remaining predicted quote that covers the largest share of
its tokens, ``|gold ∩ pred| / |gold|``, when that share is at least the threshold (0.3 and 0.8);
matched pairs are true positives, unmatched gold items false negatives, unmatched predictions false
positives. Consecutive direct quotes with the same speaker mention less than 80 characters apart
("“A,” X said, “B.”") count as one prediction with two spans, as brat annotates them. A stricter symmetric variant divides by ``max(|gold|, |pred|)`` instead, so that an
over-long prediction cannot match. Speaker accuracy: share of matched gold items *that have a
source* whose predicted speaker span overlaps the gold source span by at least one character
(GGT: any overlap).

Beliefs and intentions ("Trump believes …", "polls show …", "she wants to …"): PolNeAR annotates them,
so :func:`predict` asks for kind ``belief`` and the report gives the figures with them and without
them ("all, without beliefs": belief rows removed, gold unchanged). ``--no-beliefs`` does not predict them.

The held-aside part is chosen by file name: ``md5(name) mod 1000 < FRACTION * 1000``; it is meant
to be looked at only for the final figures, never for tuning.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pandas as pd

from helpers.quotes.extraction import extract_quotes

THRESHOLDS: tuple[float, ...] = (0.3, 0.8)
_WORD = re.compile(r"\w+")
_QUOTE_CHARS = set("“”\"«»")


@dataclass
class Gold:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: str = ""
    cue_spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)


@dataclass
class Doc:
    name: str
    text: str
    gold: list[Gold]


def _spans(field_: str) -> list[tuple[int, int]]:
    out = []
    for part in field_.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def parse_ann(ann_text: str) -> list[Gold]:
    """Gold attributions of one brat ``.ann`` file (see module docstring)."""
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, list[str]]] = []
    for line in ann_text.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, _, loc = parts[1].partition(" ")
            try:
                spans[parts[0]] = (label, _spans(loc), parts[2] if len(parts) > 2 else "")
            except ValueError:
                continue
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            roles: dict[str, list[str]] = {}
            for arg in parts[1].split():
                role, _, ref = arg.partition(":")
                roles.setdefault(re.sub(r"\d+$", "", role), []).append(ref)
            events.append(roles)
    gold = []
    for roles in events:
        content = [sp for ref in roles.get("Content", []) if ref in spans for sp in spans[ref][1]]
        if not content:
            continue
        source = [sp for ref in roles.get("Source", []) if ref in spans for sp in spans[ref][1]]
        cue = " ".join(spans[ref][2] for ref in roles.get("Cue", []) if ref in spans)
        cue_spans = [sp for ref in roles.get("Cue", []) if ref in spans for sp in spans[ref][1]]
        gold.append(Gold(content, source, cue, cue_spans))
    gold.sort(key=lambda g: g.start)
    return gold


def load_brat(path: Path) -> list[Doc]:
    """All annotated texts under ``path`` (one ``.ann`` per text; see module docstring)."""
    anns = sorted(path.rglob("*.ann"))
    by_text: dict[Path, Path] = {}
    for ann in anns:
        stem = ann.stem
        candidates = [ann.with_suffix(".txt")]
        base = re.sub(r"_[0-9a-f]{4}$", "", stem)
        candidates += [ann.parent.parent / "text" / f"{base}.txt", ann.parent / f"{base}.txt"]
        txt = next((c for c in candidates if c.exists()), None)
        if txt is not None and txt not in by_text:
            by_text[txt] = ann
    docs = []
    for txt, ann in sorted(by_text.items()):
        docs.append(Doc(txt.stem, txt.read_text(encoding="utf-8"), parse_ann(ann.read_text(encoding="utf-8"))))
    return docs


def is_aside(name: str, fraction: float) -> bool:
    """Deterministic held-aside membership from the file name."""
    return int(hashlib.md5(name.encode("utf-8")).hexdigest(), 16) % 1000 < fraction * 1000


def _tokens(text: str, spans: Sequence[tuple[int, int]]) -> frozenset[int]:
    out = set()
    for m in _WORD.finditer(text):
        if any(m.start() < e and m.end() > s for s, e in spans):
            out.add(m.start())
    return frozenset(out)


def _is_direct(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Gold content holding a quotation mark (or two apostrophes used as one, as in NYT archive text)."""
    return any(c in _QUOTE_CHARS for s, e in spans for c in text[s:e]) or any("''" in text[s:e] for s, e in spans)


def sentences_for(articles: pd.DataFrame) -> pd.DataFrame:
    """Minimal sentence table (``article_id, sent_id, start, end``) from spaCy's rule-based sentencizer,
    within lines."""
    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    rows = []
    for aid, text in zip(articles["article_id"], articles["text"]):
        n = 0
        pos = 0
        for line in text.split("\n"):
            if line.strip():
                for sent in nlp(line).sents:
                    s, e = pos + sent.start_char, pos + sent.end_char
                    if text[s:e].strip():
                        rows.append({"article_id": aid, "sent_id": n, "start": s, "end": e})
                        n += 1
            pos += len(line) + 1
    return pd.DataFrame(rows, columns=["article_id", "sent_id", "start", "end"])


def predict(docs: Sequence[Doc], *, nlp=None, beliefs: bool = True) -> pd.DataFrame:
    """Run the extractor on the raw texts, wrapped as one-article tables. PolNeAR also annotates
    beliefs and intentions, so kind ``belief`` is asked for by default (``beliefs=False``: speech only)."""
    articles = pd.DataFrame({"article_id": [d.name for d in docs], "text": [d.text for d in docs]})
    if not len(articles):
        return extract_quotes(articles, pd.DataFrame(columns=["article_id", "sent_id", "start", "end"]))
    return extract_quotes(articles, sentences_for(articles), nlp=nlp, beliefs=beliefs)


def score(docs: Sequence[Doc], quotes: pd.DataFrame, *, direct_only: bool = False,
          symmetric: bool = False) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and speaker accuracy at each threshold in :data:`THRESHOLDS`."""
    by_doc = {name: g for name, g in quotes.groupby("article_id")} if len(quotes) else {}
    result: dict[str, dict[str, float]] = {}
    for thr in THRESHOLDS:
        tp = fp = fn = sp_ok = sp_n = 0
        for d in docs:
            gold = [g for g in d.gold if not direct_only or _is_direct(d.text, g.content)]
            pred = by_doc.get(d.name)
            preds: list[tuple[frozenset[int], int, int]] = []
            last_key = None
            if pred is not None:
                for r in pred.sort_values("start").itertuples(index=False):
                    if direct_only and r.kind != "direct":
                        continue
                    toks = _tokens(d.text, [(r.start, r.end)])
                    key = (r.kind, r.speaker_start, r.speaker_end)
                    # "“A,” X said, “B.”": one attribution with two content spans, as brat annotates it
                    if (r.kind == "direct" and r.speaker_start >= 0 and key == last_key and preds
                            and r.start - last_end <= 80):
                        preds[-1] = (preds[-1][0] | toks, r.speaker_start, r.speaker_end)
                    else:
                        preds.append((toks, r.speaker_start, r.speaker_end))
                    last_key, last_end = key, r.end
            remaining = list(range(len(preds)))
            for g in gold:
                gt = _tokens(d.text, g.content)
                if not gt:
                    continue
                best, best_score = None, 0.0
                for k in remaining:
                    pt = preds[k][0]
                    inter = len(gt & pt)
                    sc = inter / (max(len(gt), len(pt)) if symmetric else len(gt))
                    if sc >= thr and sc > best_score:
                        best, best_score = k, sc
                if best is None:
                    fn += 1
                    continue
                tp += 1
                remaining.remove(best)
                if g.source:
                    sp_n += 1
                    ss, se = preds[best][1], preds[best][2]
                    if ss >= 0 and any(ss < b and se > a for a, b in g.source):
                        sp_ok += 1
            fp += len(remaining)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        result[str(thr)] = {"precision": 100 * p, "recall": 100 * r, "f1": 100 * f, "tp": tp, "fp": fp, "fn": fn,
                            "speaker_accuracy": 100 * sp_ok / sp_n if sp_n else 0.0, "speaker_n": sp_n}
    return result


def _report(title: str, docs: Sequence[Doc], quotes: pd.DataFrame) -> dict:
    out = {"documents": len(docs), "gold": sum(len(d.gold) for d in docs),
           "predicted": int(quotes["article_id"].isin({d.name for d in docs}).sum()) if len(quotes) else 0}
    print(f"== {title}: {out['documents']} documents, {out['gold']} gold attributions, {out['predicted']} predicted")
    speech = quotes[quotes["kind"] != "belief"] if len(quotes) else quotes
    for label, kw in (("all attributions", {}), ("all, symmetric overlap", {"symmetric": True}),
                      ("all, without beliefs", {"speech_only": True}),
                      ("direct quotes only", {"direct_only": True})):
        res = score(docs, speech if kw.pop("speech_only", False) else quotes, **kw)
        out[label] = res
        for thr, m in res.items():
            print(f"  {label:24s} @{thr}: P {m['precision']:5.1f}  R {m['recall']:5.1f}  F1 {m['f1']:5.1f}"
                  f"  speaker {m['speaker_accuracy']:5.1f}% (n={m['speaker_n']})  tp={m['tp']} fp={m['fp']} fn={m['fn']}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m helpers.evaluate.quotes", description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="folder of brat .ann/.txt pairs")
    ap.add_argument("--split-aside", type=float, default=0.3, metavar="FRACTION",
                    help="share of documents (by file-name hash) reported separately as held aside (default 0.3)")
    ap.add_argument("--sample", type=int, default=0, metavar="N",
                    help="score only the N documents with the smallest file-name hash (0: all)")
    ap.add_argument("--no-beliefs", action="store_true",
                    help="do not predict beliefs/intentions (kind 'belief'); by default they are predicted and "
                         "counted, since PolNeAR annotates them, and also reported excluded")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(list(argv) if argv is not None else None)
    if not args.path.is_dir():
        print(f"error: {args.path} is not a folder", file=sys.stderr)
        return 2
    docs = load_brat(args.path)
    if args.sample:
        docs = sorted(docs, key=lambda d: hashlib.md5(d.name.encode()).hexdigest())[:args.sample]
        docs.sort(key=lambda d: d.name)
    if not docs:
        print(f"error: no .ann/.txt pairs under {args.path}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    quotes = predict(docs, beliefs=not args.no_beliefs)
    elapsed = time.perf_counter() - t0
    print(f"extraction: {len(docs)} documents in {elapsed:.1f} s ({len(docs) / max(elapsed, 1e-9):.2f} docs/s, "
          f"model load included)")
    main_part = [d for d in docs if not is_aside(d.name, args.split_aside)]
    aside = [d for d in docs if is_aside(d.name, args.split_aside)]
    figures = {"path": str(args.path), "sample": args.sample, "split_aside": args.split_aside,
               "all": _report("all documents", docs, quotes)}
    if args.split_aside > 0:
        figures["main"] = _report("main part", main_part, quotes)
        figures["held_aside"] = _report("held-aside part", aside, quotes)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
