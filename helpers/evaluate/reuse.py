"""Score and benchmark the shared-passage finder (helpers.compare.reuse) and fact grouping (helpers.compare.facts).

Usage (from the project root)::

    python -m helpers.evaluate.reuse bbc ../shared/eval/bbc_news
    python -m helpers.evaluate.reuse basil ../shared/eval/basil
    python -m helpers.evaluate.reuse bench ../shared/eval/article_bias_prediction.parquet --sizes 1000 2000 5000
    python -m helpers.evaluate.reuse seeds seeds

The readers here are deliberately small and self-contained (they do not use the
project loader): each builds an ``articles`` frame (article_id, event, outlet,
published, text) and, where needed, a ``sentences`` frame from a regex splitter.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.compare import facts, quantities, reuse
from helpers.compare.alignments import find_alignments

# --------------------------------------------------------------------------------------
# Small readers
# --------------------------------------------------------------------------------------

_ABBREV = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|St|Jr|Sr|Prof|No|Inc|Corp|Co|Ltd|vs|etc|"
                     r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z])\.$")
_SPLIT = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")


def split_sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """Regex sentence splitter: ``article_id, sent_id, start, end, text, in_headline, in_embed``."""
    rows = []
    for aid, text in zip(articles["article_id"], articles["text"]):
        sid = 0
        for para in re.finditer(r"[^\n]+", text):
            p0 = para.start()
            cuts = [0]
            for m in _SPLIT.finditer(para.group()):
                if _ABBREV.search(para.group()[: m.start()].rstrip("\"”’'")):
                    continue
                cuts.append(m.end())
            cuts.append(len(para.group()))
            for a, b in zip(cuts[:-1], cuts[1:]):
                seg = para.group()[a:b]
                s = p0 + a + (len(seg) - len(seg.lstrip()))
                e = p0 + a + len(seg.rstrip())
                if e > s:
                    rows.append((aid, sid, s, e, text[s:e], False, False))
                    sid += 1
    return pd.DataFrame(rows, columns=["article_id", "sent_id", "start", "end", "text", "in_headline", "in_embed"])


def read_bbc(path: str | Path) -> pd.DataFrame:
    """BBC News folders: article_id = ``category/file`` stem, headline = first line."""
    root = Path(path)
    rows = []
    for f in sorted(root.glob("*/*.txt")):
        raw = f.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        rows.append({"article_id": f"{f.parent.name}/{f.stem}", "event": f.parent.name, "outlet": "BBC",
                     "published": "", "text": text.strip()})
    return pd.DataFrame(rows)


def read_basil(path: str | Path) -> pd.DataFrame:
    """BASIL articles JSON: event = triplet-uuid, outlet = source, text = title + paragraphs."""
    rows = []
    for f in sorted(Path(path).glob("articles/*/*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        paras = d.get("body-paragraphs") or []
        if isinstance(paras, str):
            import ast
            paras = ast.literal_eval(paras)
        body = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paras)
        rows.append({"article_id": f.stem, "event": d.get("triplet-uuid", ""), "outlet": d.get("source", ""),
                     "published": d.get("date", "") or "", "text": (d.get("title", "") + "\n\n" + body).strip()})
    return pd.DataFrame(rows)


def read_bias_parquet(path: str | Path, n: int, *, seed: int = 13) -> pd.DataFrame:
    """First ``n`` of a fixed random order of Article-Bias-Prediction rows (nested samples)."""
    df = pd.read_parquet(path, columns=["ID", "topic", "source", "date", "title", "content_original"])
    df = df[df["content_original"].fillna("").str.len() > 0]
    order = np.random.default_rng(seed).permutation(len(df))
    df = df.iloc[order[:n]]
    return pd.DataFrame({"article_id": df["ID"].astype(str).to_numpy(), "event": df["topic"].fillna("").to_numpy(),
                         "outlet": df["source"].fillna("").to_numpy(),
                         "published": df["date"].fillna("").astype(str).str[:10].to_numpy(),
                         "text": (df["title"].fillna("") + "\n\n" + df["content_original"].fillna("")).to_numpy()})


def read_seeds(path: str | Path) -> pd.DataFrame:
    """Seed .txt files + metadata.csv; published from metadata or a ``date YYYY-MM-DD`` marker."""
    root = Path(path)
    meta = pd.read_csv(root / "metadata.csv", dtype=str).fillna("") if (root / "metadata.csv").exists() else None
    rows = []
    for f in sorted(root.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        m = re.match(r"\s*date (\d{4}-\d\d-\d\d)\s*", text)
        row = meta[meta["file"] == f.name].iloc[0].to_dict() if meta is not None and (meta["file"] == f.name).any() else {}
        rows.append({"article_id": f.stem, "event": "seeds", "outlet": row.get("outlet", ""),
                     "published": row.get("published", "") or (m.group(1) if m else ""),
                     "text": text[m.end():] if m else text})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------

def _ws(text: str) -> str:
    return " ".join(text.split())


def cmd_bbc(path: str) -> dict:
    arts = read_bbc(path)
    t0 = time.perf_counter()
    al = find_alignments(arts)
    pairs = reuse.reuse_pairs(arts, alignments=al)
    elapsed = time.perf_counter() - t0
    key = arts["text"].map(_ws)
    truth = set()
    for _, g in arts.groupby(key):
        ids = sorted(g["article_id"])
        truth |= {tuple(p) for p in itertools.combinations(ids, 2)}
    found = {tuple(sorted(p)) for p in zip(pairs["article_a"], pairs["article_b"])}
    dup_pred = {tuple(sorted((a, b))) for a, b, sa, sb in
                zip(pairs["article_a"], pairs["article_b"], pairs["share_a"], pairs["share_b"]) if min(sa, sb) >= 0.9}
    near = pairs[[tuple(sorted(p)) not in truth for p in zip(pairs["article_a"], pairs["article_b"])]]
    near_dup = near[near[["share_a", "share_b"]].min(axis=1) >= 0.5]

    def pr(pred: set) -> tuple[float, float]:
        tp = len(pred & truth)
        return (tp / len(pred) if pred else 0.0, tp / len(truth) if truth else 0.0)

    p_any, r_any = pr(found)
    p_dup, r_dup = pr(dup_pred)
    res = {"articles": len(arts), "exact_duplicate_pairs": len(truth), "seconds": round(elapsed, 1),
           "pairs_sharing_a_passage": len(found), "any_passage_precision": round(p_any, 3),
           "any_passage_recall": round(r_any, 3),
           "duplicate_rule": "share_a >= 0.9 and share_b >= 0.9",
           "duplicate_precision": round(p_dup, 3), "duplicate_recall": round(r_dup, 3),
           "non_exact_pairs_with_both_shares_ge_0.5": len(near_dup),
           "non_exact_pairs_share_ge_0.9": int((near[["share_a", "share_b"]].min(axis=1) >= 0.9).sum()),
           "missed_exact": sorted(truth - found)[:10]}
    print(json.dumps(res, indent=1))
    if len(near):
        print("\nTop pairs that are not exact duplicates (near duplicates / shared quotes):")
        print(near.head(12).to_string(index=False))
    return res


def cmd_basil(path: str) -> dict:
    arts = read_basil(path)
    t0 = time.perf_counter()
    al = find_alignments(arts)
    pas = reuse.find_shared_passages(arts, alignments=al)
    pairs = reuse.reuse_pairs(arts, alignments=al)
    orig = reuse.article_originality(arts, alignments=al)
    elapsed = time.perf_counter() - t0
    ev = dict(zip(arts["article_id"], arts["event"]))
    pairs["same_event"] = [ev[a] == ev[b] for a, b in zip(pairs["article_a"], pairs["article_b"])]
    within = pairs[pairs["same_event"]]
    n_event_pairs = sum(len(g) * (len(g) - 1) // 2 for _, g in arts.groupby("event"))
    kinds = pas.drop_duplicates("passage_id")["source_kind"].value_counts().to_dict()
    res = {"articles": len(arts), "events": arts["event"].nunique(), "seconds": round(elapsed, 1),
           "same_event_pairs": n_event_pairs, "same_event_pairs_sharing": len(within),
           "same_event_pair_reuse_rate": round(len(within) / max(n_event_pairs, 1), 3),
           "cross_event_pairs_sharing": int((~pairs["same_event"]).sum()),
           "mean_shared_share_per_article": round(float(orig["shared_share"].mean()), 4),
           "articles_with_shared_share_gt_0.2": int((orig["shared_share"] > 0.2).sum()),
           "passage_clusters": int(pas["passage_id"].nunique()), "clusters_by_kind": kinds,
           "median_shared_words_within_event_pairs": float(within["shared_words"].median()) if len(within) else 0.0}
    print(json.dumps(res, indent=1))
    if len(pas):
        print("\nLargest shared passages:")
        top = pas.sort_values("words", ascending=False).drop_duplicates("passage_id").head(8)
        for r in top.itertuples():
            print(f"  {r.passage_id} {r.n_articles} arts {r.words}w {r.source_kind}: {r.text[:110]!r}")
    return res


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak_rss() -> int:
    """Reset the peak-RSS mark (Linux clear_refs) and return the current RSS in kB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_kb("VmRSS")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_rss() -> int:
    """Peak RSS in kB since the last reset (VmHWM), falling back to ru_maxrss."""
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _bench_one(sample_path: str) -> dict:
    """Time and memory of reuse + fact grouping on one pickled sample (run in a fresh process)."""
    arts = pd.read_pickle(sample_path)
    n = len(arts)
    sents = split_sentences(arts)
    base = _reset_peak_rss()
    c0, t0 = time.process_time(), time.perf_counter()
    al = find_alignments(arts)
    pas = reuse.find_shared_passages(arts, alignments=al)
    pairs = reuse.reuse_pairs(arts, alignments=al)
    reuse.article_originality(arts, alignments=al)
    c1, t1 = time.process_time(), time.perf_counter()
    fact_rows = facts.group_facts(sents, arts, passages=pas)
    c2, t2 = time.process_time(), time.perf_counter()
    peak = _peak_rss()
    return {"n": n, "words": int(arts["text"].str.split().map(len).sum()), "sentences": len(sents),
            "reuse_s": round(t1 - t0, 2), "facts_s": round(t2 - t1, 2), "total_s": round(t2 - t0, 2),
            "reuse_cpu_s": round(c1 - c0, 2), "facts_cpu_s": round(c2 - c1, 2), "total_cpu_s": round(c2 - c0, 2),
            "rss_before_mb": round(base / 1024, 1), "peak_rss_mb": round(peak / 1024, 1),
            "rss_growth_mb": round((peak - base) / 1024, 1),
            "pairs": len(pairs), "passages": int(pas["passage_id"].nunique()) if len(pas) else 0,
            "multi_outlet_facts": int(fact_rows.loc[fact_rows["n_outlets"] >= 2, "fact_id"].nunique())}


def cmd_bench(path: str, sizes: list[int]) -> list[dict]:
    """Nested random samples (seeded) of the parquet; each size measured in a fresh process."""
    import tempfile
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        full = read_bias_parquet(path, max(sizes))
        for n in sizes:
            sample = Path(tmp) / f"sample_{n}.pkl"
            full.iloc[:n].to_pickle(sample)
        del full
        for n in sizes:
            out = subprocess.run([sys.executable, "-m", "helpers.evaluate.reuse", "_bench_one",
                                  str(Path(tmp) / f"sample_{n}.pkl")], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(r)
            print(json.dumps(r), flush=True)
    for a, b in zip(results[:-1], results[1:]):
        def k(key: str) -> float:
            return float(np.log(b[key] / a[key]) / np.log(b["n"] / a["n"]))
        print(f"growth exponent {a['n']} -> {b['n']}: wall total {k('total_s'):.2f} "
              f"(reuse {k('reuse_s'):.2f}, facts {k('facts_s'):.2f}); cpu total {k('total_cpu_s'):.2f} "
              f"(reuse {k('reuse_cpu_s'):.2f}, facts {k('facts_cpu_s'):.2f})")
    return results


def cmd_seeds(path: str) -> None:
    arts = read_seeds(path)
    sents = split_sentences(arts)
    pd.set_option("display.width", 220)
    pd.set_option("display.max_colwidth", 90)
    al = find_alignments(arts)
    pas = reuse.find_shared_passages(arts, alignments=al)
    print(pas[["passage_id", "article_id", "words", "source_kind", "origin_article_id", "origin_method", "text"]]
          .to_string(index=False))
    print(reuse.reuse_pairs(arts, alignments=al).to_string(index=False))
    print(reuse.article_originality(arts, alignments=al).to_string(index=False))
    print(facts.threshold_effect(sents, arts, passages=pas).to_string(index=False))
    fact_rows = facts.group_facts(sents, arts, passages=pas)
    multi = fact_rows[fact_rows["n_articles"] >= 2]
    print(multi[["fact_id", "article_id", "match", "similarity", "text"]].to_string(index=False))
    cov = facts.coverage_matrix(fact_rows, arts)
    print(cov.pivot(index="fact_id", columns="outlet", values="status").head(15).to_string())
    labels = facts.fact_labels(fact_rows)
    print(facts.outlet_exclusives(cov, labels).to_string(index=False))
    print(facts.outlet_omissions(cov, labels).to_string(index=False))
    print(quantities.quantity_conflicts(fact_rows, arts)[["scope", "group", "outlet", "quantity", "value", "kind"]]
          .to_string(index=False))


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; see the module docstring."""
    ap = argparse.ArgumentParser(prog="python -m helpers.evaluate.reuse", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("bbc").add_argument("path")
    sub.add_parser("basil").add_argument("path")
    b = sub.add_parser("bench")
    b.add_argument("path")
    b.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000])
    sub.add_parser("seeds").add_argument("path")
    one = sub.add_parser("_bench_one")
    one.add_argument("path")
    args = ap.parse_args(argv)
    if args.cmd == "bbc":
        cmd_bbc(args.path)
    elif args.cmd == "basil":
        cmd_basil(args.path)
    elif args.cmd == "bench":
        cmd_bench(args.path, args.sizes)
    elif args.cmd == "seeds":
        cmd_seeds(args.path)
    else:
        print(json.dumps(_bench_one(args.path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
