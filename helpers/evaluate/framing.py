"""Score the framing/labelling module on external data.

    python -m helpers.evaluate.framing newswcl50 PATH   # PATH = folder holding NewsWCL50.conll
    python -m helpers.evaluate.framing basil PATH       # PATH = BASIL folder (articles/YEAR/*.json)
    python -m helpers.evaluate.framing seeds PATH       # PATH = seeds folder (txt + metadata.csv)

``newswcl50``: NewsWCL50 (Hamborg et al. 2019) codes, for 10 events × 5 US outlets, every
mention of each target concept (an actor, group or country) including its labels ("the
president", "Mr. Trump", "the migrant caravan", "those seeking opportunities in the U.S.").
The token-level mentions are read from ``NewsWCL50.conll`` (the CDCR release, which carries the
same codes as ``Annotations.csv`` aligned to the tokens; the csv's sentence indices do not
always line up with the text). We rebuild each article from its tokens, find entities with
spaCy, run :func:`helpers.compare.distinctive.actor_labels`, and measure, for every coded concept of type
ACTOR / GROUP / COUNTRY in every article:

* the concept is *matched* to the actor (our ``canonical``) whose label spans overlap its coded
  mentions most; unmatched concepts count as fully missed;
* **mention recall**: coded mentions overlapped by one of the matched actor's label spans (all
  mentions, and separately the *descriptive* ones, i.e. coded mentions that do not overlap a
  spaCy entity — "the president", "the caravan");
* **label precision**: our non-name labels (modifier / apposition / description) whose span
  overlaps a coded mention of the concept they were attributed to (strict), or of any concept
  (lenient);
* **label-set overlap per outlet**: for each event × concept × outlet, Jaccard and recall of the
  distinct lower-cased labels (determiners stripped) against the coded mention strings.

``basil``: top distinctive unigrams/bigrams (Fightin' Words, each outlet vs the other two) for
Fox News, New York Times and HuffPost over BASIL's 100 events, with a context line for each.

The entity and sentence tables here come from a small built-in pipeline (spaCy sentences and
NER, a simple name-merging rule for ``canonical``) so the scorer does not depend on the rest
of the workbook; the workbook's own tables can be used instead through the library functions.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from helpers.compare import distinctive, framing
from helpers.compare.emphasis import emphasis
from helpers.names import canonical_name

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
TARGET_TYPES = ("ACTOR", "GROUP", "COUNTRY")
PUBLISHERS = {"LL": "HuffPost", "L": "New York Times", "M": "USA Today", "R": "Fox News", "RR": "Breitbart"}
BASIL_SOURCES = {"fox": "Fox News", "foxnews": "Fox News", "nyt": "New York Times", "hpo": "HuffPost",
                 "huffpost": "HuffPost"}

# ----------------------------------------------------------------------------- a small pipeline

def _clean_name(text: str, label: str) -> str:
    # the workbook's one canonicaliser (helpers/names.py): the scorer names actors as the workbook does
    return canonical_name(text, label)


def canonicalize(entities: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """One name per entity within each event: titles dropped, aliases merged, and a name whose
    words are all inside a longer name of the same label (``Oduya`` ⊂ ``Ada Kemi Oduya``)
    mapped to the most frequent such longer name."""
    if len(entities) == 0:
        return pd.Series(dtype=str)
    event = articles.drop_duplicates("article_id").set_index("article_id")["event"] if "event" in articles else None
    ev = entities["article_id"].map(event).fillna("") if event is not None else pd.Series("", index=entities.index)
    clean = [_clean_name(t, lab) for t, lab in zip(entities["text"], entities["label"])]
    df = pd.DataFrame({"ev": ev.to_numpy(), "label": entities["label"].to_numpy(), "name": clean}, index=entities.index)
    out = df["name"].copy()
    for (e, lab), sub in df.groupby(["ev", "label"]):
        freq = Counter(sub["name"])
        names = sorted(freq, key=lambda n: (-len(n.split()), -freq[n]))
        mapping = {}
        for n in names:
            toks = set(n.lower().split())
            best = None
            for m in names:
                if m == n or len(m.split()) <= len(n.split()):
                    continue
                if toks <= set(m.lower().split()) and (best is None or freq[m] > freq[best]):
                    best = m
            mapping[n] = mapping.get(best, best) if best else n
        out.loc[sub.index] = sub["name"].map(mapping)
    return out


def build_tables(articles: pd.DataFrame, *, presplit: dict | None = None, nlp=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentences and entities for ``articles`` (``text`` with blank-line paragraphs; ``body_start``).

    ``presplit``: optional ``{article_id: [(start, end), ...]}`` sentence spans to use instead
    of spaCy's sentence splitter.
    """
    if nlp is None:
        from helpers.annotate.nlp import load_model
        nlp = load_model()
    sent_rows, ent_rows = [], []
    for art in articles.itertuples(index=False):
        text = art.text
        body_start = int(getattr(art, "body_start", 0) or 0)
        if presplit and art.article_id in presplit:
            spans = [(a, b, 0) for a, b in presplit[art.article_id]]
            para_of = None
        else:
            spans = []
            for pi, m in enumerate(re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text)):
                spans.append((m.start(), m.end(), pi))
        items = []
        docs = nlp.pipe([text[a:b] for a, b, _ in spans], batch_size=64)
        for (a, b, pi), doc in zip(spans, docs):
            sents = [doc[:]] if presplit and art.article_id in presplit else list(doc.sents)
            for sent in sents:
                if not sent.text.strip():
                    continue
                items.append((a + sent.start_char, a + sent.end_char, pi, sent))
        n = len(items)
        body_seen = 0
        first_body_para = None
        for i, (s0, e0, pi, sent) in enumerate(items):
            head = s0 < body_start
            if not head:
                if first_body_para is None:
                    first_body_para = pi
                body_seen += 1
            lead = (not head) and (pi == first_body_para or body_seen <= 2)
            sent_rows.append({"article_id": art.article_id, "sent_id": i, "paragraph_id": pi, "start": s0, "end": e0,
                              "text": text[s0:e0], "position": i / (n - 1) if n > 1 else 0.0, "in_lead": lead,
                              "in_headline": head, "in_embed": False})
            for ent in sent.ents:
                if ent.label_ in ENTITY_LABELS:
                    ent_rows.append({"article_id": art.article_id, "sent_id": i, "start": s0 + ent.start_char - sent.start_char,
                                     "end": s0 + ent.end_char - sent.start_char, "text": ent.text, "label": ent.label_})
    sentences = pd.DataFrame(sent_rows)
    entities = pd.DataFrame(ent_rows, columns=["article_id", "sent_id", "start", "end", "text", "label"])
    entities["canonical"] = canonicalize(entities, articles) if len(entities) else pd.Series(dtype=str)
    return sentences, entities


# ----------------------------------------------------------------------------- NewsWCL50

def read_newswcl50(path: Path) -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """Articles (rebuilt from tokens), sentence spans, and coded mentions with character spans."""
    conll = path / "NewsWCL50.conll" if path.is_dir() else path
    if not conll.is_file():
        raise SystemExit(f"{conll}: NewsWCL50.conll not found")
    docs: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for line in conll.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        p = line.split("\t")
        if len(p) < 5:
            continue
        docs[p[0].split("/")[-1]][int(p[1])].append((p[3], p[4].strip()))
    arts, spans, mentions = [], {}, []
    for doc_id, sents in docs.items():
        event, pub = doc_id.split("_", 1)
        pieces, offset, sspans = [], 0, []
        open_stack: dict[str, list] = defaultdict(list)
        for si in sorted(sents):
            toks = sents[si]
            sent_start = offset
            para_break = False
            for tok, coref in toks:
                if tok == "\\n":
                    para_break = True
                    continue
                if offset > sent_start:
                    pieces.append(" ")
                    offset += 1
                t_start = offset
                pieces.append(tok)
                offset += len(tok)
                if coref and coref != "-":
                    for part in coref.split("|"):
                        part = part.strip()
                        name = part.strip("()")
                        if part.startswith("("):
                            open_stack[name].append(t_start)
                        if part.endswith(")") and open_stack[name]:
                            a = open_stack[name].pop()
                            mentions.append({"article_id": doc_id, "concept": name, "start": a, "end": offset})
            sspans.append((sent_start, offset))
            sep = "\n\n" if para_break else " "
            pieces.append(sep)
            offset += len(sep)
        text = "".join(pieces)
        arts.append({"article_id": doc_id, "event": event, "outlet": PUBLISHERS.get(pub, pub), "title": "",
                     "text": text, "body_start": 0})
        spans[doc_id] = sspans
    articles = pd.DataFrame(arts).sort_values("article_id").reset_index(drop=True)
    m = pd.DataFrame(mentions)
    m["type"] = m["concept"].str.rsplit("_", n=1).str[-1]
    text_of = articles.set_index("article_id")["text"]
    m["text"] = [text_of[a][s:e] for a, s, e in zip(m["article_id"], m["start"], m["end"])]
    return articles, spans, m


_DET = re.compile(r"^(the|a|an|this|that|these|those)\s+", re.IGNORECASE)


def _norm(label: str) -> str:
    t = " ".join(label.lower().replace("’", "'").split())
    t = re.sub(r"\s*'\s*s$", "", t)
    return _DET.sub("", t).strip(" ,.\"'")


def _overlap(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


def score_newswcl50(articles, entities, labels, coded) -> dict:
    coded = coded[coded["type"].isin(TARGET_TYPES)].copy()
    ent_by_art = {a: list(zip(g["start"], g["end"])) for a, g in entities.groupby("article_id")}
    lab_by_art = {a: g for a, g in labels.groupby("article_id")}
    coded["descriptive"] = [not any(_overlap(s, e, a, b) for a, b in ent_by_art.get(aid, []))
                            for aid, s, e in zip(coded["article_id"], coded["start"], coded["end"])]
    per_concept, set_rows = [], []
    matched_actor: dict[tuple, str] = {}
    for (aid, concept), g in coded.groupby(["article_id", "concept"]):
        labs = lab_by_art.get(aid)
        votes = Counter()
        if labs is not None:
            for actor, s, e in zip(labs["actor"], labs["start"], labs["end"]):
                if any(_overlap(s, e, a, b) for a, b in zip(g["start"], g["end"])):
                    votes[actor] += 1
        actor = votes.most_common(1)[0][0] if votes else None
        matched_actor[(aid, concept)] = actor
        mine = labs[labs["actor"] == actor] if actor is not None and labs is not None else labels.iloc[:0]
        hit = [any(_overlap(s, e, a, b) for a, b in zip(mine["start"], mine["end"])) for s, e in zip(g["start"], g["end"])]
        per_concept.append({"article_id": aid, "concept": concept, "type": g["type"].iloc[0], "actor": actor,
                            "n": len(g), "hit": sum(hit),
                            "n_desc": int(g["descriptive"].sum()),
                            "hit_desc": sum(h for h, d in zip(hit, g["descriptive"]) if d)})
        coded_set = {_norm(t) for t in g["text"]} - {""}
        our_set = {_norm(t) for t in mine["label"]} - {""}
        inter = coded_set & our_set
        set_rows.append({"article_id": aid, "concept": concept, "n_coded": len(coded_set), "n_ours": len(our_set),
                         "n_both": len(inter), "jaccard": len(inter) / len(coded_set | our_set) if coded_set | our_set else 1.0,
                         "recall": len(inter) / len(coded_set) if coded_set else 1.0})
    pc = pd.DataFrame(per_concept)
    sets = pd.DataFrame(set_rows)
    # precision of non-name labels
    desc = labels[labels["rule"] != "name"]
    coded_by_art = {a: g for a, g in coded.groupby("article_id")}
    all_by_art = {a: g for a, g in coded.groupby("article_id")}
    strict = lenient = 0
    for aid, actor, s, e in zip(desc["article_id"], desc["actor"], desc["start"], desc["end"]):
        g = coded_by_art.get(aid)
        if g is None:
            continue
        ov = [c for c, a, b in zip(g["concept"], g["start"], g["end"]) if _overlap(s, e, a, b)]
        if ov:
            lenient += 1
            if any(matched_actor.get((aid, c)) == actor for c in ov):
                strict += 1
    return {
        "concepts": len(pc), "matched": int(pc["actor"].notna().sum()),
        "mention_recall": pc["hit"].sum() / max(1, pc["n"].sum()),
        "descriptive_mentions": int(pc["n_desc"].sum()),
        "descriptive_recall": pc["hit_desc"].sum() / max(1, pc["n_desc"].sum()),
        "labels_nonname": len(desc),
        "precision_strict": strict / max(1, len(desc)), "precision_lenient": lenient / max(1, len(desc)),
        "set_jaccard_mean": sets["jaccard"].mean(), "set_recall_mean": sets["recall"].mean(),
        "by_type": pc.groupby("type")[["n", "hit", "n_desc", "hit_desc"]].sum(),
        "per_concept": pc, "sets": sets,
    }


def run_newswcl50(path: Path) -> dict:
    articles, spans, coded = read_newswcl50(path)
    sentences, entities = build_tables(articles, presplit=spans)
    labels = distinctive.actor_labels(sentences, entities, articles)
    res = score_newswcl50(articles, entities, labels, coded)
    print(f"NewsWCL50: {len(articles)} articles, {len(sentences)} sentences, {len(entities)} entities, "
          f"{len(labels)} label mentions ({(labels['rule'] != 'name').sum()} non-name)")
    print(f"coded target concepts (article × concept, types {', '.join(TARGET_TYPES)}): {res['concepts']}, "
          f"matched to one of our actors: {res['matched']} ({res['matched'] / max(1, res['concepts']):.1%})")
    print(f"mention recall (any label of the matched actor overlaps the coded mention): {res['mention_recall']:.3f}")
    print(f"descriptive-mention recall ({res['descriptive_mentions']} coded mentions not overlapping a spaCy entity): "
          f"{res['descriptive_recall']:.3f}")
    print(f"non-name label precision: strict (same concept) {res['precision_strict']:.3f}, "
          f"lenient (any coded mention) {res['precision_lenient']:.3f}")
    print(f"label-set overlap per article × concept: mean Jaccard {res['set_jaccard_mean']:.3f}, "
          f"mean recall {res['set_recall_mean']:.3f}")
    bt = res["by_type"]
    bt = bt.assign(recall=bt["hit"] / bt["n"], desc_recall=bt["hit_desc"] / bt["n_desc"].where(bt["n_desc"] > 0))
    print(bt.round(3).to_string())
    # a worked example of labelling differences: the most-mentioned concept of event 6 per outlet
    summary = distinctive.labels_by_outlet(labels, rules=("modifier", "apposition", "description"))
    for actor in ("Donald Trump", "Trump"):
        sub = summary[summary["actor"] == actor]
        if len(sub):
            print(f"\nnon-name labels for {actor!r} per outlet (top 6):")
            for outlet, g in sub.groupby("outlet"):
                print(f"  {outlet}: " + "; ".join(f"{l} ({c})" for l, c in zip(g["label"].head(6), g["count"].head(6))))
            break
    return res


# ----------------------------------------------------------------------------- BASIL

def read_basil(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    files = sorted((path / "articles").glob("*/*.json")) if (path / "articles").is_dir() else sorted(path.glob("**/*.json"))
    files = [f for f in files if not f.name.endswith("_ann.json")]
    if not files:
        raise SystemExit(f"{path}: no BASIL article json files found")
    arts, sents = [], []
    for f in files:
        d = json.loads(f.read_text(encoding="utf-8"))
        aid = f.stem
        paras = [[s for s in p if isinstance(s, str) and s.strip()] for p in d.get("body-paragraphs", [])]
        title = d.get("title", "") or ""
        parts = ([title] if title else []) + [" ".join(p) for p in paras if p]
        text = "\n\n".join(parts)
        arts.append({"article_id": aid, "event": d.get("triplet-uuid", ""), "outlet": BASIL_SOURCES.get(str(d.get("source", "")).lower().replace(" ", ""), d.get("source", "")),
                     "title": title, "text": text, "body_start": len(title) + 2 if title else 0})
        offset, items = 0, []
        if title:
            items.append((title, -1))
            offset = len(title) + 2
        for pi, p in enumerate(paras):
            for s in p:
                items.append((s, pi))
        pos = 0
        for i, (s, pi) in enumerate(items):
            start = text.find(s, pos)
            if start < 0:
                start = pos
            sents.append({"article_id": aid, "sent_id": i, "paragraph_id": pi + 1, "start": start, "end": start + len(s),
                          "text": s, "position": i / (len(items) - 1) if len(items) > 1 else 0.0,
                          "in_headline": pi == -1, "in_lead": pi == 0, "in_embed": False})
            pos = start + len(s)
    return pd.DataFrame(arts), pd.DataFrame(sents)


def run_basil(path: Path, top: int = 15) -> pd.DataFrame:
    articles, sentences = read_basil(path)
    print(f"BASIL: {len(articles)} articles, {articles['event'].nunique()} events, {len(sentences)} sentences; "
          f"outlets: {dict(articles['outlet'].value_counts())}")
    terms = distinctive.distinctive_terms(sentences, articles, min_count=10, top=top)
    ctx = distinctive.term_contexts(sentences, articles, terms, n=1, width=45)
    ctx = ctx.set_index(["group", "term"])
    for group, g in terms.groupby("group"):
        print(f"\n{group}: top {top} terms vs the other two outlets (z, count in outlet / in others)")
        for r in g.itertuples(index=False):
            c = ctx.loc[(group, r.term)] if (group, r.term) in ctx.index else None
            line = f"  {r.term:<22} z={r.z:5.2f}  {r.count_group:>4}/{r.count_rest:<4}"
            if c is not None:
                c = c.iloc[0] if isinstance(c, pd.DataFrame) else c
                line += f"  …{c['left'][-40:]}[{c['match']}]{c['right'][:35]}…".replace("\n", " ")
            print(line)
    frames = framing.score_frames(sentences, codebook=None)
    summ = framing.frame_summary(frames, sentences, articles)
    piv = summ.pivot(index="frame", columns="outlet", values="weighted_share")
    print("\nprominence-weighted frame shares per outlet:")
    print(piv.round(3).to_string())
    return terms


# ----------------------------------------------------------------------------- seeds

def read_seeds(path: Path) -> pd.DataFrame:
    meta = pd.read_csv(path / "metadata.csv", dtype=str).fillna("")
    rows = []
    for r in meta.itertuples(index=False):
        f = path / r.file
        if not f.is_file():
            continue
        raw = f.read_text(encoding="utf-8", errors="replace")
        raw = re.sub(r"\A\s*date\s+\d{4}-\d{2}-\d{2}\s*", "", raw)
        rows.append({"article_id": f.stem, "event": "seeds", "outlet": r.outlet, "title": "", "text": raw.strip(),
                     "body_start": 0})
    return pd.DataFrame(rows)


def run_seeds(path: Path) -> None:
    articles = read_seeds(path)
    sentences, entities = build_tables(articles)
    frames = framing.score_frames(sentences)
    emph = emphasis.emphasis(articles, sentences, entities, frames=frames)
    pd.set_option("display.width", 200)
    print("story leaders (first named actors in the lead):")
    lead = emphasis.story_leaders(articles, sentences, entities)
    print(lead.groupby(["outlet", "where"])["actor"].agg(", ".join).to_string())
    print("\nleads and buries (entities):")
    lb = emphasis.outlet_leads_and_buries(emph, articles, top=4, kinds=["entity"])
    print(lb.groupby(["outlet", "role"])["aspect"].agg(", ".join).to_string())
    print("\nleads (frames):")
    lbf = emphasis.outlet_leads_and_buries(emph, articles, top=3, kinds=["frame"])
    print(lbf[lbf["role"] == "leads"].groupby("outlet")["aspect"].agg(", ".join).to_string())
    print("\nframe shares:")
    summ = framing.frame_summary(frames, sentences, articles)
    print(summ.pivot(index="frame", columns="outlet", values="weighted_share").round(3).to_string())
    print("\ntone (actors with ≥2 sentences):")
    print(emphasis.tone(sentences, entities, articles, min_sentences=2).round(3).to_string())
    labels = distinctive.actor_labels(sentences, entities, articles)
    print("\nnon-name labels per actor and outlet:")
    lab = distinctive.labels_by_outlet(labels, rules=("modifier", "apposition", "description"))
    print(lab.groupby(["actor", "outlet"])["label"].agg("; ".join).to_string())
    print("\ndistinctive terms (top 6 per outlet):")
    terms = distinctive.distinctive_terms(sentences, articles, min_count=2, top=6)
    print(terms.groupby("group")["term"].agg(", ".join).to_string())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers.evaluate.framing", description=__doc__.split("\n\n")[0])
    p.add_argument("dataset", choices=["newswcl50", "basil", "seeds"])
    p.add_argument("path", type=Path)
    p.add_argument("--top", type=int, default=15)
    args = p.parse_args(argv)
    pd.set_option("display.width", 200)
    if not args.path.exists():
        print(f"{args.path}: no such file or folder", file=sys.stderr)
        return 2
    if args.dataset == "newswcl50":
        run_newswcl50(args.path)
    elif args.dataset == "basil":
        run_basil(args.path, top=args.top)
    else:
        run_seeds(args.path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
