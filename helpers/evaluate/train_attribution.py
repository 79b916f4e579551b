"""Train the attribution tagger of :mod:`helpers.attribution_model` on PolNeAR (brat attributions).

Usage::

    python -m helpers.evaluate.train_attribution ../shared/eval/polnear/train [--out helpers/quotes/models/attribution.crfsuite]
        [--cache-dir /tmp/parallax-attribution] [--max-iterations N]

Deterministic: the articles are read in file-name order, parsed with the project's spaCy model in the
same way as the scorer (:func:`helpers.evaluate.quotes.predict`), each token gets its features
(:func:`helpers.attribution_model.sequence_features`) and a label from the gold attributions, and
CRFsuite's L-BFGS runs a fixed number of iterations with fixed regularisation (no random state).
The artefact's sidecar ``.json`` records the training data's hash, the feature version and the
parameters. ``--cache-dir`` keeps the parsed articles (spaCy ``DocBin``) so that a second run skips
parsing. The tagger is then scored with the rules by ``python -m helpers.evaluate quotes PATH``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Sequence

import pandas as pd

from helpers.quotes import attribution_model
from helpers.quotes import extraction, marks
from helpers.evaluate.quotes import Doc, load_brat, sentences_for

#: CRFsuite training parameters (L-BFGS; fixed, so a run is reproducible).
PARAMS: dict = {"c1": 0.1, "c2": 0.01, "max_iterations": 200, "feature.possible_transitions": True,
                "feature.minfreq": 2}


def data_hash(docs: Sequence[Doc], path: Path) -> str:
    """SHA-256 over the sorted ``.ann`` and text files the documents come from (names and bytes)."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in {".ann", ".txt"}):
        h.update(str(f.relative_to(path)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def prepare(docs: Sequence[Doc], cache: Path | None = None) -> list:
    """The articles as :mod:`helpers.quotes` prepares them (sentence docs parsed), in ``docs`` order;
    cached as DocBin bytes when ``cache`` is given."""
    from spacy.tokens import DocBin
    from helpers.annotate.nlp import load_model
    nlp = load_model()
    if cache is not None and cache.exists():
        stored = pickle.loads(cache.read_bytes())
        arts = []
        db = DocBin().from_bytes(stored["docbin"])
        sdocs = iter(db.get_docs(nlp.vocab))
        for meta in stored["articles"]:
            art = marks._Article(meta["article_id"], meta["text"], body_start=meta["body_start"],
                             dateline_end=meta["dateline_end"])
            art.sents = [marks._Sent(sid, s, e, next(sdocs)) for sid, s, e in meta["sents"]]
            art.persons = meta["persons"]
            art.embeds = meta["embeds"]
            arts.append(art)
        return arts
    articles = pd.DataFrame({"article_id": [d.name for d in docs], "text": [d.text for d in docs]})
    arts = marks._prepare(articles, sentences_for(articles), None, None, nlp)
    if cache is not None:
        db = DocBin(attrs=["ORTH", "TAG", "POS", "DEP", "HEAD", "LEMMA", "ENT_IOB", "ENT_TYPE", "SENT_START",
                           "MORPH", "SPACY"])
        metas = []
        for art in arts:
            for s in art.sents:
                db.add(s.doc)
            metas.append({"article_id": art.article_id, "text": art.text, "body_start": art.body_start,
                          "dateline_end": art.dateline_end, "persons": art.persons, "embeds": art.embeds,
                          "sents": [(s.sent_id, s.start, s.end) for s in art.sents]})
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps({"docbin": db.to_bytes(), "articles": metas}))
    return arts


def examples(docs: Sequence[Doc], arts: Sequence) -> tuple[list, list]:
    """(features, labels) per sequence (paragraph) of every article."""
    xs, ys = [], []
    for d, art in zip(docs, arts):
        rules = extraction._extract_article(art, True)
        for seq in attribution_model.sequences(art):
            xs.append(attribution_model.sequence_features(art, seq, rules))
            ys.append(attribution_model.gold_labels(seq, d.gold, art.text))
    return xs, ys


def train(xs: list, ys: list, out: Path, params: dict | None = None) -> None:
    import pycrfsuite
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(xs, ys):
        trainer.append(x, y)
    trainer.set_params(params or PARAMS)
    trainer.train(str(out))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m helpers.evaluate.train_attribution", description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="PolNeAR training folder (brat .ann + text)")
    ap.add_argument("--out", type=Path, default=attribution_model.MODEL_PATH)
    ap.add_argument("--cache-dir", type=Path, default=None, help="keep parsed articles here between runs")
    ap.add_argument("--max-iterations", type=int, default=PARAMS["max_iterations"],
                    help=f"L-BFGS iterations (default {PARAMS['max_iterations']})")
    args = ap.parse_args(list(argv) if argv is not None else None)
    docs = load_brat(args.path)
    if not docs:
        print(f"error: no .ann/.txt pairs under {args.path}", file=sys.stderr)
        return 2
    digest = data_hash(docs, args.path)
    t0 = time.perf_counter()
    cache = args.cache_dir / f"train-{digest[:16]}.pkl" if args.cache_dir else None
    arts = prepare(docs, cache)
    xs, ys = examples(docs, arts)
    print(f"{len(docs)} articles, {len(xs)} sequences, {sum(map(len, ys))} tokens "
          f"({time.perf_counter() - t0:.0f} s to prepare)")
    t0 = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    params = dict(PARAMS, max_iterations=args.max_iterations)
    train(xs, ys, args.out, params)
    meta = {"training_data": str(args.path.name), "training_data_sha256": digest, "articles": len(docs),
            "feature_version": attribution_model.FEATURE_VERSION, "params": params,
            "model_sha256": hashlib.sha256(args.out.read_bytes()).hexdigest()}
    args.out.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    print(f"trained in {time.perf_counter() - t0:.0f} s -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
