"""What the parse says about each actor mention, sentence by sentence: the per-article part of
the actor labels (:func:`helpers.compare.distinctive.actor_labels`).

:func:`sentence_label_features` turns one parsed sentence into plain data — the mentions' own
words (``name``), ``modifier`` and ``apposition`` records, the (actor, head) pairs they teach,
the actor mentions and the description candidates — which the per-article stage encodes into the
``actor_features`` table (:func:`helpers.run.batches.quotes_batch`) and
:func:`helpers.compare.distinctive.resolve_actor_labels` reads corpus-wide. It depends on the
sentence alone, so it is computed and cached with the article (this module is among
:data:`helpers.run.engine.VERSIONED_MODULES`); the corpus-level resolution is not.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

import pandas as pd

from helpers import names

PERSON_HEADS = frozenset("""
president leader chief general secretary minister premier chancellor director spokesman spokeswoman
spokesperson official ambassador envoy commander counterpart senator congressman congresswoman
representative governor mayor chairman chairwoman chair head king queen prince dictator despot tyrant
strongman autocrat billionaire mogul businessman tycoon candidate nominee lawmaker lawyer attorney
adviser advisor aide diplomat founder boss man woman politician populist hardliner demagogue
successor predecessor incumbent host guest
""".split())
GROUP_HEADS = frozenset("""
group militants militant insurgents insurgent fighters fighter rebels rebel terrorists terrorist
extremists extremist jihadists jihadist guerrillas movement organization organisation outfit regime
government administration militia militias forces troops army military leadership caravan migrants
migrant immigrants immigrants asylum-seekers refugees party lawmakers caucus members supporters
loyalists allies coalition establishment agency bureau department team camp faction side network
""".split())
PLACE_HEADS = frozenset("""
country nation state kingdom republic regime government ally neighbour neighbor superpower power
nuclear-armed administration capital island peninsula
""".split())
# forms of address are part of a name, not a label ("Mr", "Dr."): from helpers/names.yaml
_HONORIFICS = names.data().forms_of_address | {w + "." for w in names.data().forms_of_address}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her"}
_DEFINITE = {"the", "this", "that", "these", "those"}


def type_heads(label: str) -> frozenset[str]:
    """The label heads an actor of entity type ``label`` may be described by (role, group or
    place nouns); none for other types."""
    if label == "PERSON":
        return PERSON_HEADS
    if label in ("ORG", "NORP"):
        return GROUP_HEADS
    if label in ("GPE", "LOC"):
        return PLACE_HEADS
    return frozenset()


def _trimmed(span) -> list:
    """The span's tokens without its leading determiners, punctuation and case markers and its
    trailing punctuation and case markers."""
    toks = list(span)
    while toks and (toks[0].lower_ in _DETERMINERS or toks[0].is_punct or toks[0].dep_ == "case"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "case"):
        toks = toks[:-1]
    return toks


def _clean_label(span) -> str:
    toks = _trimmed(span)
    if not toks:
        return ""
    doc = toks[0].doc
    return " ".join(doc[toks[0].i:toks[-1].i + 1].text.split())


def _span_bounds(span) -> tuple[int, int]:
    toks = _trimmed(span)
    if not toks:
        return span.start_char, span.start_char
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def actor_label_inputs(sentences: pd.DataFrame, entities: pd.DataFrame, *,
                       labels: Iterable[str] = ("PERSON", "ORG", "NORP", "GPE"), window: int = 3):
    """The sentences :func:`helpers.compare.distinctive.actor_labels` parses: ``(keys, texts,
    offsets, entities by key)`` with keys ``(article_id, sent_id)`` in article, sentence order;
    None when there are none. Per article: a batch of articles gives the rows the whole corpus
    gives for them."""
    labels = tuple(labels)
    ents = entities[entities["label"].isin(labels)].copy() if "label" in entities else entities.copy()
    ents["actor"] = (ents["canonical"] if "canonical" in ents else ents["text"]).fillna("").astype(str)
    ents.loc[ents["actor"].str.strip() == "", "actor"] = ents["text"]
    s = sentences[sentences["article_id"].isin(set(ents["article_id"]))]
    s = s.drop_duplicates(["article_id", "sent_id"]).sort_values(["article_id", "sent_id"])
    if not len(s):
        return None
    # parse only sentences that mention an actor or follow one within the window
    ent_sents = set(zip(ents["article_id"], ents["sent_id"]))
    keep = [any((a, sid - k) in ent_sents for k in range(0, window + 1)) for a, sid in zip(s["article_id"], s["sent_id"])]
    s = s[keep]
    has_start = "start" in s
    ents_by_sent: dict[tuple, list] = defaultdict(list)
    for row in ents.itertuples(index=False):
        ents_by_sent[(row.article_id, row.sent_id)].append(row)
    texts = [t if isinstance(t, str) else "" for t in s["text"]]
    keys = list(zip(s["article_id"], s["sent_id"]))
    offsets = list(s["start"]) if has_start else [None] * len(s)
    return keys, texts, offsets, ents_by_sent


def sentence_label_features(key: tuple, doc: Any, off: int | None, sentence_ents: list, *,
                            include_names: bool = True) -> dict:
    """What :func:`helpers.compare.distinctive.actor_labels` needs from one parsed sentence, as plain data: the name /
    modifier / apposition ``records``, the ``learned`` (actor, head) pairs, the actor
    ``mentions`` (token, actor, label) and the description candidate ``chunks``."""
    has_start = off is not None
    off = int(off) if has_start else 0
    records: list[dict] = []
    learned: list[tuple[str, str]] = []
    spans = []
    for e in sentence_ents:
        local_s = int(e.start) - off if has_start and pd.notna(e.start) else -1
        span = None
        if 0 <= local_s <= len(doc.text):
            span = doc.char_span(local_s, local_s + len(str(e.text)), alignment_mode="expand")
        if span is None or span.text.strip() != str(e.text).strip():
            pos = doc.text.find(str(e.text))
            span = doc.char_span(pos, pos + len(str(e.text)), alignment_mode="expand") if pos >= 0 else None
        if span is None or len(span) == 0:
            continue
        spans.append((span, e.actor, getattr(e, "label", "")))
    all_ent_tokens = {t.i for sp, _, _ in spans for t in sp}

    def add(actor, span_or_bounds, rule, head):
        if isinstance(span_or_bounds, tuple):
            (a, b) = span_or_bounds
            text = " ".join(doc.text[a:b].split())
        else:
            text = _clean_label(span_or_bounds)
            a, b = _span_bounds(span_or_bounds)
        if not text:
            return
        records.append({"actor": actor, "label": text, "rule": rule, "head": head, "article_id": key[0],
                        "sent_id": key[1], "start": a + off, "end": b + off})

    chunks = list(doc.noun_chunks)
    for span, actor, elabel in spans:
        ent_tok = {t.i for t in span}
        if include_names:
            add(actor, span, "name", span.root.lemma_.lower())
        for ch in chunks:
            if not (ch.start <= span.start and span.end <= ch.end):
                continue
            extra = [t for t in ch if t.i not in ent_tok and t.lower_ not in _DETERMINERS and not t.is_punct]
            if not extra:
                continue
            root = ch.root
            if root.i in ent_tok:
                if any(t.i in all_ent_tokens - ent_tok for t in extra):
                    # keep only the part of the chunk from after any other entity
                    other_end = max(t.i for t in ch if t.i in all_ent_tokens - ent_tok) + 1
                    sub = doc[other_end:ch.end]
                    if sub.start < span.start:
                        add(actor, sub, "modifier", root.lemma_.lower())
                    continue
                nouns = [t for t in extra if t.pos_ in ("NOUN", "PROPN") and t.lower_ not in _HONORIFICS]
                head = (nouns[-1] if nouns else extra[-1]).lemma_.lower()
                add(actor, ch, "modifier", head)
                if nouns:
                    learned.append((actor, head))
            else:
                mod_deps = {t.dep_ for t in span if t.head.i not in ent_tok}
                if "poss" in mod_deps or not (mod_deps & {"compound", "amod", "nmod", "npadvmod"}):
                    continue
                head = root.lemma_.lower()
                if head in GROUP_HEADS or root.lower_ in GROUP_HEADS:
                    add(actor, ch, "modifier", head)
                    learned.append((actor, head))
        # appositions: X, the Y   /   the Y, X — not "Lakeport: Mayor Ana Ruiz …", a dateline
        # the parser takes for one (a colon introduces, it does not rename)
        def colon_between(sub) -> bool:
            lo, hi = (sub.end, span.start) if sub.end <= span.start else (span.end, sub.start)
            return any(t.text == ":" for t in doc[lo:hi])

        eroot = span.root
        for child in eroot.children:
            if child.dep_ == "appos" and child.i not in all_ent_tokens and child.pos_ in ("NOUN", "PROPN"):
                sub = doc[child.left_edge.i:child.right_edge.i + 1]
                if len(sub) <= 12 and not colon_between(sub):
                    add(actor, sub, "apposition", child.lemma_.lower())
                    learned.append((actor, child.lemma_.lower()))
        if eroot.dep_ == "appos" and eroot.head.i not in all_ent_tokens:
            h = eroot.head
            left = [t for t in h.subtree if t.i < eroot.left_edge.i and not (t.is_punct and t.i == eroot.left_edge.i - 1)]
            if left and len(left) <= 12 and h.pos_ in ("NOUN", "PROPN") and not colon_between(doc[left[0].i:left[-1].i + 1]):
                sub = doc[left[0].i:left[-1].i + 1]
                add(actor, sub, "apposition", h.lemma_.lower())
                learned.append((actor, h.lemma_.lower()))

    # description candidates: definite or bare-plural noun phrases without an actor in them
    mentions = sorted(((sp.start, a, lab) for sp, a, lab in spans), key=lambda x: x[0])
    candidates = []
    for ch in chunks:
        if any(t.i in all_ent_tokens for t in ch):
            continue
        root = ch.root
        first = ch[0].lower_
        if not (first in _DEFINITE or (root.tag_ in ("NNS", "NNPS") and first not in _DETERMINERS
                                       and ch[0].pos_ not in ("PRON", "NUM"))):
            continue
        if root.pos_ not in ("NOUN", "PROPN"):
            continue
        a, b = _span_bounds(ch)
        candidates.append((ch.start, root.lemma_.lower(), root.lower_, _clean_label(ch), a + off, b + off))
    return {"key": key, "records": records, "learned": learned, "mentions": mentions, "chunks": candidates}
