"""The ``findings`` table and its evidence: every rule run over the workbook's tables, ranked.

Takes the dict of tables the pipeline holds; gives ``findings`` (columns :data:`.common.FINDING_COLUMNS`)
and ``finding_evidence`` (``finding_id, outlet, article_id, sent_id, in_lead, sentence``).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from helpers.compare.findings.common import (
    FINDING_COLUMNS, KINDS, STORY_MAX_ARTICLES, _PREFIX, article_labels,
)
from helpers.compare.findings.coverage import coverage_findings
from helpers.compare.findings.rules import (
    contrast_findings, date_findings, lead_findings, number_findings, quote_variant_findings,
    shared_source_findings, shared_text_findings, timing_findings,
)


def find_findings(tables: dict[str, pd.DataFrame], *, contrasts: bool = True) -> pd.DataFrame:
    """Every rule over the workbook's tables, ranked within each event: the ``findings`` table
    (columns :data:`FINDING_COLUMNS`). Missing tables count as empty. ``contrasts=False`` leaves
    out the frame and tone contrasts, which compare outlets over the whole corpus: the findings of
    one event computed on its own (:mod:`helpers.run.partitions`), then ranked with the contrasts
    by :func:`rank_findings`, equal this function's over the whole corpus."""
    def get(name: str) -> pd.DataFrame:
        return tables.get(name, pd.DataFrame())

    articles, sentences = get("articles"), get("sentences")
    if articles.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    rows: list[dict] = []
    rows += date_findings(get("date_conflicts"), articles)
    rows += number_findings(get("quantity_conflicts"), articles)
    rows += shared_source_findings(get("passages"), get("embeds"), articles, sentences, get("quotes"),
                                   get("entities"))
    rows += shared_text_findings(get("reuse_pairs"), get("passages"), articles, sentences)
    sizes = articles.groupby("event")["article_id"].size()
    stories = articles[articles["event"].isin(set(sizes[sizes <= STORY_MAX_ARTICLES].index))]
    story_ids = set(stories["article_id"])
    facts, entities = get("facts"), get("entities")
    story_sentences = sentences[sentences["article_id"].isin(story_ids)] if not sentences.empty else sentences
    rows += coverage_findings(facts[facts["article_id"].isin(story_ids)] if not facts.empty else facts, stories,
                              story_sentences, entities[entities["article_id"].isin(story_ids)] if not entities.empty else entities)
    rows += quote_variant_findings(get("quote_variants"), get("quotes"), articles)
    rows += lead_findings(stories, story_sentences,
                          entities[entities["article_id"].isin(story_ids)] if not entities.empty else entities)
    if contrasts:
        rows += contrast_findings(tables.get("frame_contrasts"), tables.get("tone_contrasts"), articles)
    rows += timing_findings(articles)
    return rank_findings(pd.DataFrame(rows, columns=[c for c in FINDING_COLUMNS if c not in ("finding_id", "rank")]))


def rank_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """``findings`` rows (the rules' rows, or findings tables put one after the other; their
    ``finding_id`` and ``rank``, when present, are ignored) ranked within each event — score
    first, then the kind's order in :data:`KINDS`, then the statement, rows that tie keeping
    their order — and numbered by kind in that order (``D1``, ``D2`` … across events, event by
    event). Columns :data:`FINDING_COLUMNS`."""
    if findings.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    frame = findings.drop(columns=["finding_id", "rank"], errors="ignore")
    frame = frame.assign(_kind=frame["kind"].map({k: i for i, k in enumerate(KINDS)}))
    frame = frame.sort_values(["event", "score", "_kind", "statement"], ascending=[True, False, True, True],
                              kind="stable").reset_index(drop=True)
    frame["rank"] = frame.groupby("event").cumcount() + 1
    counters: dict[str, int] = defaultdict(int)
    ids = []
    for kind in frame["kind"]:
        counters[kind] += 1
        ids.append(f"{_PREFIX[kind]}{counters[kind]}")
    frame["finding_id"] = ids
    return frame[FINDING_COLUMNS]


def evidence_sentences(findings: pd.DataFrame) -> pd.DataFrame:
    """``article_id, sent_id`` (text, int64) of every sentence the ``evidence`` of ``findings``
    cites, each once, sorted: the only rows of ``sentences`` :func:`finding_evidence` reads."""
    if findings.empty or "evidence" not in findings.columns:
        return pd.DataFrame({"article_id": pd.Series(dtype=object), "sent_id": pd.Series(dtype="int64")})
    pairs = _evidence_pairs(findings)[["article_id", "sent_id"]].astype({"sent_id": "int64"})
    return pairs.drop_duplicates().sort_values(["article_id", "sent_id"]).reset_index(drop=True)


def _evidence_pairs(findings: pd.DataFrame) -> pd.DataFrame:
    """``finding_id, article_id, sent_id`` (text) of each sentence each finding's ``evidence``
    (``article:sentence`` pairs joined by ``;``) cites, in that order."""
    pairs = [(fid, *p.rsplit(":", 1)) for fid, ev in zip(findings["finding_id"], findings["evidence"])
             for p in str(ev).split(";") if ":" in p]
    return pd.DataFrame(pairs, columns=["finding_id", "article_id", "sent_id"])


def finding_evidence(findings: pd.DataFrame, sentences: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """The sentences behind each finding, one row per (finding, sentence): ``finding_id, outlet,
    article_id, sent_id, in_lead, sentence``, in the finding's rank order, then the outlets it is
    about before any other outlet it cites, then outlet. ``sentences`` needs only the rows of
    :func:`evidence_sentences` (a large corpus's sentences need not be read whole)."""
    columns = ["finding_id", "outlet", "article_id", "sent_id", "in_lead", "sentence"]
    if findings.empty:
        return pd.DataFrame(columns=columns)
    labels = article_labels(articles)
    frame = _evidence_pairs(findings)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["sent_id"] = frame["sent_id"].astype(int)
    merged = frame.merge(sentences[["article_id", "sent_id", "text", "in_lead"]], on=["article_id", "sent_id"],
                         how="left", validate="many_to_one")
    assert merged["text"].notna().all(), "every evidence pair resolves in sentences"
    merged["outlet"] = merged["article_id"].map(labels)
    order = {fid: i for i, fid in enumerate(findings["finding_id"])}
    merged["_order"] = merged["finding_id"].map(order)
    # the outlets the finding is about before another outlet's sentence it cites (an exclusive's
    # caveat: "… as Valley Post does")
    about = {fid: set(str(o).split("; ")) for fid, o in zip(findings["finding_id"], findings["outlets"])} \
        if "outlets" in findings.columns else {}
    merged["_cited"] = [o not in about.get(f, {o}) for f, o in zip(merged["finding_id"], merged["outlet"])]
    merged = merged.sort_values(["_order", "_cited", "outlet", "sent_id"], kind="stable")
    return merged.rename(columns={"text": "sentence"})[columns].reset_index(drop=True)
