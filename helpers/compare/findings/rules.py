"""The findings rules, one per kind (except the coverage rules, in :mod:`.coverage`): date and
number disagreements, shared quotations and wire copy, shared text, quote variants, who is named
first, frame and tone contrasts, who published first.

Each ``*_findings`` function takes the tables it reads (``date_conflicts``, ``quantity_conflicts``,
``passages``, ``embeds``, ``reuse_pairs``, ``quote_variants``, ``quotes``, ``frame_contrasts``,
``tone_contrasts``, with ``articles`` and ``sentences``) and gives a list of finding rows (dicts
with the ``findings`` columns but id and rank; see :func:`.common._row`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from typing import Callable

import numpy as np
import pandas as pd

from helpers import names, wire
from helpers.compare.overview import outlet_of
from helpers.compare.findings.common import (
    CONTENT_OVERLAP_CARRIES, NAMES_SHOWN, QUOTE_MIN_CHANGED_WORDS, QUOTE_MIN_SHARED, SHARED_QUOTATION_MIN_WORDS,
    SHARED_TEXT_MIN_SHARE, SHARED_TEXT_MIN_WORDS, STORY_MAX_ARTICLES, TIMING_DAYS_SHOWN, _Sentences,
    _outlets_per_event, _row, _word_pattern, article_labels, changed_words, content_words, human_date, join_names,
    shared_word_share, shorten,
)
from helpers.compare.findings.coverage import _CoverageEvidence


def date_findings(date_conflicts: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """Outlets that date the same happening differently (rows of ``date_conflicts``: the dates stage
    lists a happening only when outlets give it different values). One finding per happening:
    each side's outlets with their expressions and the date in words (``when``), then the dates
    stage's ``note`` (a time zone or an anchor that can explain the gap): a note every row shares
    is said once, a note of some rows is said with their outlets."""
    if date_conflicts.empty:
        return []
    labels = article_labels(articles)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    group_key = "happening_id" if "happening_id" in date_conflicts.columns else "fact_id"
    rows = []
    for _key, group in date_conflicts.groupby(group_key, sort=True):
        group = group.assign(label=group["article_id"].map(labels)).sort_values(["value", "label"], kind="stable")
        sides = []
        for value, side in group.groupby("value", sort=True):
            per_article = side.drop_duplicates("article_id")
            exprs = sorted({str(e) for e in side["expression"]})
            when = str(side["when"].iloc[0]) if "when" in side.columns and str(side["when"].iloc[0]) else human_date(value)
            sides.append((when, list(per_article["label"]), exprs))
        if len(sides) < 2 or len({label for _, names, _ in sides for label in names}) < 2:
            continue
        # The side most outlets take is named last: "A dates it X; B, C and D say Y."
        sides.sort(key=lambda s: (len(s[1]), s[0]))
        parts = []
        for i, (when, names, exprs) in enumerate(sides):
            said = " / ".join(f"“{e}”" for e in exprs)
            verb = ("dates it" if len(names) == 1 else "date it") if i == 0 else ("says" if len(names) == 1 else "say")
            parts.append(f"{join_names(names)} {verb} {when} ({said})")
        statement = "; ".join(parts) + "."
        notes = _shared_and_own_notes(group)
        if notes:
            statement += " Note: " + "; ".join(notes) + "."
        if "sentence" in group:
            statement += f" About: “{shorten(str(group['sentence'].iloc[0]), 110)}”"
        outlets = [n for _, names, _ in sides for n in names]
        arts = list(group["article_id"])
        event = event_of.get(arts[0], "")
        rows.append(_row("date_disagreement", event, statement, outlets, arts,
                         zip(group["article_id"], group["sent_id"]), len(sides),
                         "date_conflicts: the same happening resolved to different dates; strength = distinct dates",
                         len(set(outlets)) / max(1, n_outlets.get(event, 1))))
    return rows


def _shared_and_own_notes(group: pd.DataFrame) -> list[str]:
    """The ``note`` parts ("; "-separated) of a happening's rows: those all rows share once, the
    others prefixed with the outlets whose rows carry them."""
    if "note" not in group.columns:
        return []
    per_row = [(label, [p.strip() for p in str(note or "").split(";") if p.strip()])
               for label, note in zip(group["label"], group["note"])]
    shared = [p for p in per_row[0][1] if all(p in parts for _, parts in per_row)]
    own: dict[str, list[str]] = defaultdict(list)
    for label, parts in per_row:
        for part in parts:
            if part not in shared and label not in own[part]:
                own[part].append(label)
    return shared + [f"{join_names(sorted(names))}: {part}" for part, names in own.items()]


def number_findings(quantity_conflicts: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """Outlets that give different numbers for the same quantity (rows of ``quantity_conflicts``,
    ordinals left out: "the sixth capital" counts a sequence, it does not measure it)."""
    if quantity_conflicts.empty:
        return []
    labels = article_labels(articles)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    frame = quantity_conflicts
    if "kind" in frame.columns:
        frame = frame[frame["kind"].astype(str) != "ordinal"]
    rows = []
    for key, group in frame.groupby("group", sort=True):
        group = group.assign(label=group["article_id"].map(labels))
        by_value = group.groupby("value", sort=True)
        if by_value.ngroups < 2 or group["label"].nunique() < 2:
            continue
        sides = []
        for value, side in by_value:
            names = sorted(set(side["label"]))
            said = " / ".join(f"“{q}”" for q in sorted(set(side["quantity"].astype(str))))
            sides.append((names, said))
        # An outlet that gives two values for the "same" quantity shows it is not one quantity (a running
        # count, two things counted): no disagreement between outlets can be read from it.
        if (group.groupby("label")["value"].nunique() > 1).any():
            continue
        unit = str(group["unit"].iloc[0]) if "unit" in group else ""
        statement = (f"The outlets give different numbers for {unit or 'the same quantity'}: "
                     + "; ".join(f"{join_names(n)} {'says' if len(n) == 1 else 'say'} {s}" for n, s in sides) + ".")
        outlets = [n for names, _ in sides for n in names]
        arts = list(group["article_id"])
        event = event_of.get(arts[0], "")
        rows.append(_row("number_disagreement", event, statement, outlets, arts,
                         zip(group["article_id"], group["sent_id"]), by_value.ngroups,
                         "quantity_conflicts: one quantity, different values (ordinals excluded); strength = distinct values",
                         len(set(outlets)) / max(1, n_outlets.get(event, 1))))
    return rows


def _passage_roots(passages: pd.DataFrame) -> list[str]:
    """Each passage row's cluster (its root ``passage_id``), clusters merged when an occurrence of
    one lies mostly (half or more of the shorter) inside an occurrence of the other in the same
    article: a shorter passage inside a longer one is the same shared text."""
    ids, arts = passages["passage_id"].tolist(), passages["article_id"].tolist()
    starts, ends = passages["start"].tolist(), passages["end"].tolist()
    parent = {p: p for p in ids}

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    # by article, then start (a stable sort, as pandas' was)
    order = sorted(range(len(ids)), key=lambda i: (arts[i], starts[i]))
    for _, run in itertools.groupby(order, key=arts.__getitem__):
        spans = [(ids[i], starts[i], ends[i]) for i in run]
        for i, (pid, start, end) in enumerate(spans):
            for other, o_start, o_end in spans[i + 1:]:
                if o_start >= end:
                    break
                overlap = min(end, o_end) - max(start, o_start)
                if overlap >= 0.5 * min(end - start, o_end - o_start):
                    a, b = find(pid), find(other)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
    return [find(p) for p in ids]


def _first_set(values: list) -> str:
    """The first of ``values`` that reads as non-empty text (``str(x or "")``), else ""."""
    return next((str(x) for x in values if str(x or "")), "")


def shared_source_findings(passages: pd.DataFrame, embeds: pd.DataFrame, articles: pd.DataFrame,
                           sentences: pd.DataFrame, quotes: pd.DataFrame | None = None,
                           entities: pd.DataFrame | None = None) -> list[dict]:
    """Text two or more outlets carry verbatim or nearly because they quote the same source (a
    statement, a readout, an embedded post), and agency text several outlets ran (wire copy).
    For a quotation, says which outlets put it inside quotation marks (a ``direct`` row of
    ``quotes`` over the occurrence) and which run it without them, and which of the event's outlets
    do not carry the text — and, in an event of at most :data:`STORY_MAX_ARTICLES` articles, which
    of those have a sentence holding at least :data:`CONTENT_OVERLAP_CARRIES` of the text's content
    words (the coverage checks' test, :class:`_OwnWords`): for such an outlet that sentence is
    quoted with the share it holds, and added to the evidence, so that "does not carry this text"
    is not read as "leaves it out" where the outlet says much of it in other words. It is not
    called a paraphrase: on BASIL a third of such sentences shared only names and a topic.

    What two outlets carry is what the finding says they share: a passage cluster chains
    occurrences that overlap, so an outlet may carry only a few of the statement's words (a stock
    phrase inside it, the half of it that one outlet quoted). The outlets whose occurrence holds at
    least :data:`CARRIES_MOST_SHARE` of the longest one's words *carry the statement*; the others are
    named apart with the words they do carry. A quotation needs two outlets carrying at least
    :data:`SHARED_QUOTATION_MIN_WORDS` of its words, and words of its own: a shared run of names
    and titles ("Senate Minority Leader X (R-Ky.) and Vice President Y", ``entities`` tells the
    names) is not a statement (:func:`running_word_share`).

    Each cluster's rows are read as Python lists, not as a DataFrame per cluster: an event of
    thousands of articles has thousands of clusters, and pandas' per-frame cost (a map, a group-by
    and a sort each) made the rule grow with the square of the event."""
    if passages.empty:
        return []
    label_of = article_labels(articles).to_dict()  # looked up per article of every cluster: a dict, not a Series
    event_of = dict(zip(articles["article_id"], articles["event"]))
    articles_of_event: dict[object, set] = defaultdict(set)
    for article_id, event in event_of.items():
        if not pd.isna(event):  # an article without an event has no fellow articles (== never holds)
            articles_of_event[event].add(article_id)
    # each event's labels in order with how many of its articles carry each: the outlets that do
    # not carry a cluster are read off them, not found again among all the event's articles
    event_labels: dict[object, Counter] = {event: Counter(label_of.get(a, a) for a in members)
                                           for event, members in articles_of_event.items()}
    n_outlets = _outlets_per_event(articles)
    lookup = _Sentences(sentences)
    direct = pd.DataFrame(columns=["article_id", "start", "end"])
    if quotes is not None and not quotes.empty and {"start", "end", "kind"} <= set(quotes.columns):
        direct = quotes[quotes["kind"].astype(str) == "direct"]
    # Direct quotations' spans by article, looked up per passage occurrence (a scan of the whole
    # quotes table per occurrence is quadratic on a large corpus).
    direct_spans = {a: (g["start"].to_numpy(), g["end"].to_numpy()) for a, g in direct.groupby("article_id", sort=False)}
    quoting = passages[passages["source_kind"].astype(str).isin({"quoted statement", "social post", "wire copy"})]
    if quoting.empty:
        return []
    posts = _EmbeddedPosts(embeds)
    own_words = _OwnWords(articles, sentences, label_of)
    outlet_name = dict(zip(articles["article_id"], outlet_of(articles)))
    name_spans = _NameSpans(entities)
    column = {name: quoting[name].tolist() for name in ("article_id", "start", "end", "words", "text", "source_detail")}
    column["source_kind"] = quoting["source_kind"].astype(str).tolist()
    column["source_agency"] = (quoting["source_agency"].tolist() if "source_agency" in quoting.columns
                               else [""] * len(quoting))
    # Passages are found corpus-wide; a finding is about one event, so a cluster is cut by event:
    # the parts in order of cluster, then event ("" for an article without one)
    roots = _passage_roots(quoting)
    events = quoting["article_id"].map(event_of).fillna("").tolist()
    parts: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(zip(roots, events)):
        parts[key].append(i)
    rows = []
    for key in sorted(parts):
        at = parts[key]
        aids = [column["article_id"][i] for i in at]
        kinds = {column["source_kind"][i] for i in at}
        kind = "wire_copy" if "wire copy" in kinds else "shared_quotation"
        arts = sorted(set(aids))
        outlets = sorted({label_of.get(a, a) for a in arts})
        if len({str(label_of.get(a, a)).split(" (")[0] for a in arts}) < 2:
            continue
        sizes = [column["words"][i] for i in at]
        words = int(max(sizes))
        event = event_of.get(arts[0], "")
        missing = _labels_not_carrying(event_labels.get(event), [a for a in arts if a in articles_of_event.get(event, ())],
                                       label_of)
        # the longest occurrence, the first article id among equals, then the first row
        longest = min(range(len(at)), key=lambda j: (-sizes[j], aids[j], j))
        longest_text = column["text"][at[longest]]
        occurrences = [(aids[j], column["start"][i], column["end"][i]) for j, i in enumerate(at)]
        evidence = [(a, s) for a, st, en in occurrences for s in lookup.covering(a, int(st), int(en))]
        if kind == "wire_copy":
            agency = _first_set([column["source_agency"][i] for i in at])
            detail = _first_set([column["source_detail"][i] for i in at])
            statement = (f"{join_names(outlets)} ran the same agency text{f' from {agency}' if agency else ''} "
                         f"({words} words): “{shorten(longest_text, 140)}”" + (f" (evidence: {detail})." if detail else ""))
            rule = "passages: wire copy (an agency credit in a carrying article) shared by two or more outlets; strength = words"
            factor = 1.0
        else:
            # each article's longest occurrence; the outlets carrying most of the longest one
            size_of: dict[str, int] = {}
            for a, n in zip(aids, sizes):
                size_of[a] = max(size_of.get(a, 0), int(n))
            most = {a for a, n in size_of.items() if n >= CARRIES_MOST_SHARE * words}
            per_outlet: dict[str, int] = {}
            for a, n in size_of.items():
                key = outlet_name.get(a, a)
                per_outlet[key] = max(per_outlet.get(key, 0), n)
            # what the second outlet carries is what two outlets share
            if len(per_outlet) < 2 or sorted(per_outlet.values())[-2] < SHARED_QUOTATION_MIN_WORDS:
                continue
            st, en = column["start"][at[longest]], column["end"][at[longest]]
            if running_word_share(longest_text, name_spans.within(aids[longest], int(st), int(en)),
                                  offset=int(st)) < STATEMENT_MIN_RUNNING_SHARE:
                continue
            carrying = sorted({label_of.get(a, a) for a in most})
            social = "social post" in kinds
            both = len({outlet_name.get(a, a) for a in most}) >= 2
            what = (f"the same post{posts.describe(occurrences)}" if social and both else
                    f"a post{posts.describe(occurrences)}" if social else
                    "the same statement" if both else "a statement")
            # an occurrence is "in quotation marks" when direct quotes cover most of it: an outlet
            # that runs a statement as its own words, quoting two of them ("work “more closely”"),
            # does not put it in quotation marks
            marked, partly = set(), set()
            for a, st, en in occurrences:
                if a not in most:
                    continue
                starts, ends = direct_spans.get(a, (np.empty(0), np.empty(0)))
                covered = np.clip(np.minimum(ends, en) - np.maximum(starts, st), 0, None).sum()
                if covered >= QUOTED_MIN_SHARE * max(1, en - st):
                    marked.add(label_of.get(a, a))
                elif covered > 0:
                    partly.add(label_of.get(a, a))
            partly -= marked  # an outlet with two occurrences: the one in quotation marks says it
            unmarked = [o for o in carrying if o not in marked and o not in partly]
            how = ""
            if not social and sum(map(bool, (marked, partly, unmarked))) >= 2:
                ways = [f"{join_names(sorted(group))} {verb if len(group) == 1 else verb[:-1]} {how_said}"
                        for group, verb, how_said in ((marked, "puts", "it in quotation marks"),
                                                      (partly, "puts", "part of it in quotation marks"),
                                                      (unmarked, "runs", "it without them")) if group]
                how = " " + "; ".join(ways) + "."
            low = min(size_of[a] for a in most)
            size = f"{words} words" if low == words else f"{low}–{words} words"
            # outlets carrying only part of it, grouped by the words they carry
            part_of: dict[str, list[str]] = defaultdict(list)
            part_size: dict[str, int] = {}
            for j, i in enumerate(at):
                a = aids[j]
                if a in most or sizes[j] != size_of[a]:
                    continue
                text = shorten(column["text"][i], 100)
                if label_of.get(a, a) not in part_of[text]:
                    part_of[text].append(label_of.get(a, a))
                part_size[text] = size_of[a]
            parts_said = "".join(
                f" {join_names(sorted(labels))} {'carries' if len(labels) == 1 else 'carry'} only "
                f"{part_size[text]} of its words: “{text}”."
                for text, labels in sorted(part_of.items(), key=lambda kv: (-part_size[kv[0]], kv[0])))
            # an outlet without the text may still say much of it in other words: its closest
            # sentence is shown with how much of the text it holds, for the reader to judge (word
            # overlap cannot tell a paraphrase from a sentence about the same people)
            close = {label: found for label in missing
                     if (found := own_words.closest(event, label, longest_text)) is not None}
            lacking = [label for label in missing if label not in close]
            statement = (f"{join_names(carrying)} {'carry' if len(carrying) > 1 else 'carries'} {what} "
                         f"({size}, verbatim or nearly): “{shorten(longest_text, 140)}”" + (how or ".") + parts_said
                         + (f" {join_names(lacking)} {'does' if len(lacking) == 1 else 'do'} not carry this text." if lacking else "")
                         + "".join(f" {label} does not carry this text word for word; "
                                   + ("its closest sentence holds" if len(where) == 1 else
                                      "two of its sentences together hold")
                                   + f" {share:.0%} of the text's content words (each weighted by how few of the "
                                   f"event's articles use it): "
                                   + " and ".join(f"“{shorten(lookup.text.get(key, ''), 140)}”" for key in where) + "."
                                   for label, (share, where) in sorted(close.items())))
            evidence += [key for _, (_, where) in sorted(close.items()) for key in where]
            rule = (f"passages: a quotation or embedded post two or more outlets carry ≥ {SHARED_QUOTATION_MIN_WORDS} "
                    f"words of, not only names and titles; the outlets carrying ≥ {CARRIES_MOST_SHARE:.0%} of its "
                    "longest occurrence carry it, the others part of it; strength = words")
            factor = min(1.0, words / 40)
        rows.append(_row(kind, event, statement, outlets, arts, evidence, words, rule,
                         len(outlets) / max(1, n_outlets.get(event, 1)), 0.5 + 0.5 * factor))
    return rows


#: A shared statement's occurrence is said to be in quotation marks when direct quotes cover at
#: least this share of its characters; covered less, "part of it" is.
QUOTED_MIN_SHARE = 0.5

#: An outlet carries a shared statement when its occurrence holds at least this share of the
#: longest occurrence's words; one holding less carries part of it (and is named apart with the
#: words it carries): "the same statement" is not said of half a sentence.
CARRIES_MOST_SHARE = 0.5

#: A shared text is a statement when at least this share of its words are running words (not a
#: name, a title or a party designation, :func:`running_word_share`). English prose runs at well
#: over half; a list of titled names ("Kentucky Sen. Rand Paul, Texas Sen. Ted Cruz and …") has
#: none or one ("and", "said"); a readout dense with offices and places ("Secretary A and General
#: B discussed the situation in C, regional security …") still has a third.
STATEMENT_MIN_RUNNING_SHARE = 0.2

#: Entity labels that name people, bodies and places (spaCy's OntoNotes labels).
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})

# An AP-style party designation after a legislator's name: "(R-Ky.)", "D-N.Y.,", "I-Vt."
_PARTY_DESIGNATION = re.compile(r"^\(?[A-Z]{1,2}-[A-Z][A-Za-z.]*\)?[,.;:]?$")
_TOKEN = re.compile(r"\S+")


def running_word_share(text: str, name_spans: list[tuple[int, int]] = (), *, offset: int = 0) -> float:
    """The share of ``text``'s words (those with a letter) that are running words: not inside a
    named entity (``name_spans``, character offsets in the article; ``offset`` is where ``text``
    starts there), not a title word (:func:`helpers.names.is_title_word`: forms of address, ranks,
    offices, their connectives "of", "and", "the", countries) and not a party designation. 1.0 for
    a text without words. Case is not used: a headline in title case or a post in capitals is
    still running text."""
    total = running = 0
    for match in _TOKEN.finditer(str(text)):
        token = match.group()
        if not any(ch.isalpha() for ch in token):
            continue
        total += 1
        start, end = offset + match.start(), offset + match.end()
        if any(s < end and start < e for s, e in name_spans):
            continue
        bare = token.strip("\"'“”‘’,.;:!?()[]")
        if not bare or names.is_title_word(bare) or _PARTY_DESIGNATION.match(token):
            continue
        running += 1
    return running / total if total else 1.0


class _NameSpans:
    """Each article's named-entity spans (:data:`NAME_LABELS`) from ``entities``, looked up by a
    character range."""

    def __init__(self, entities: pd.DataFrame | None):
        self._spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if entities is None or entities.empty or not {"article_id", "start", "end", "label"} <= set(entities.columns):
            return
        named = entities[entities["label"].astype(str).isin(NAME_LABELS)]
        for article, start, end in zip(named["article_id"], named["start"], named["end"]):
            self._spans[article].append((int(start), int(end)))

    def within(self, article_id: str, start: int, end: int) -> list[tuple[int, int]]:
        """The spans of ``article_id`` that overlap ``[start, end)``."""
        return [(s, e) for s, e in self._spans.get(article_id, ()) if s < end and start < e]


#: A second sentence is shown beside an outlet's closest sentence to a shared text it does not
#: carry word for word when it holds at least this share of the text's (weighted) content words
#: that the first sentence lacks: a paraphrase split over two sentences.
SECOND_SENTENCE_ADDS = 0.2


class _OwnWords:
    """Where an outlet that does not carry a shared text may say much of it in other words: its
    sentence closest to the text (:meth:`_CoverageEvidence.closest`, content-word stems each weighted
    by how few of the event's articles use it, as the coverage checks weigh them), when it holds at
    least :data:`CONTENT_OVERLAP_CARRIES` of them. Only in an event of at most
    :data:`STORY_MAX_ARTICLES` articles (a story; in a topic the search would cover thousands of
    sentences per outlet, and the coverage checks are not made there either). Each event's
    sentences are indexed once, when first asked about."""

    def __init__(self, articles: pd.DataFrame, sentences: pd.DataFrame, label_of: dict):
        self.articles, self.sentences, self.label_of = articles, sentences, label_of
        self._rows_of_event: dict | None = None
        self._rows_of_article: dict | None = None
        self._events: dict[object, tuple[_CoverageEvidence, dict[str, list[str]]] | None] = {}

    def closest(self, event: object, label: str, text: str) -> tuple[float, list[tuple[str, int]]] | None:
        """The share and the ``(article_id, sent_id)`` keys of the sentence of the event's
        article(s) labelled ``label`` that holds the largest share of ``text``'s content words (the
        whole passage, not one of its sentences: a short part of a long quotation is matched by the
        event's names alone) and, when another sentence holds at least
        :data:`SECOND_SENTENCE_ADDS` of the words the first lacks, of the two together (keys in
        text order), when that share is ≥ :data:`CONTENT_OVERLAP_CARRIES`; else None."""
        if event not in self._events:
            self._events[event] = self._index(event)
        found = self._events[event]
        if found is None:
            return None
        seen, articles_of_label = found
        own = articles_of_label.get(label, [])
        weights = seen.word_weights(tuple(seen.outlet_name))
        words = content_words(text)
        share, where = seen.closest(own, [], targets=[words], weights=weights)
        if where is None or share >= 1.0 - 1e-9:
            return (share, [where]) if where is not None and share >= CONTENT_OVERLAP_CARRIES else None
        # A text said in other words is often split over two sentences (who met whom; what they
        # discussed): the sentence holding most of what the first one lacks is shown beside it
        # when it adds at least SECOND_SENTENCE_ADDS of the text's content words.
        rest = words - seen.words_of(*where)
        unused = max(weights.values(), default=1.0)
        total = math.fsum(weights.get(w, unused) for w in words)
        # what is left may be a word or two ("the mill"): searched however few
        rest_share, second = seen.closest(own, [], targets=[rest], weights=weights, min_words=1)
        added = rest_share * math.fsum(weights.get(w, unused) for w in rest) / total if total else 0.0
        if second is not None and second != where and added >= SECOND_SENTENCE_ADDS:
            return share + added, sorted([where, second])
        return (share, [where]) if share >= CONTENT_OVERLAP_CARRIES else None

    def _index(self, event: object) -> tuple[_CoverageEvidence, dict[str, list[str]]] | None:
        if self._rows_of_event is None:
            self._rows_of_event = self.articles.groupby("event", sort=False).indices
        rows = self._rows_of_event.get(event)
        if rows is None or len(rows) > STORY_MAX_ARTICLES:
            return None
        if self._rows_of_article is None:  # only once a story asks (a topic's partition never does)
            self._rows_of_article = self.sentences.groupby("article_id", sort=False).indices
        in_event = self.articles.iloc[rows]
        sentence_rows = [self._rows_of_article[a] for a in in_event["article_id"] if a in self._rows_of_article]
        sentences = self.sentences.iloc[np.concatenate(sentence_rows) if sentence_rows else []]
        articles_of_label: dict[str, list[str]] = defaultdict(list)
        for article_id in in_event["article_id"]:
            articles_of_label[self.label_of.get(article_id, article_id)].append(article_id)
        return _CoverageEvidence(in_event, sentences, None), articles_of_label


def _labels_not_carrying(labels: Counter | None, carrying: list[str], label_of: dict) -> list[str]:
    """The sorted labels of the event's articles (``labels``: each label with how many of the
    event's articles have it) left when the ``carrying`` articles (of the event) are taken away."""
    if not labels:
        return []
    taken = Counter(label_of.get(a, a) for a in carrying)
    return sorted(label for label, n in labels.items() if n > taken.get(label, 0))


class _EmbeddedPosts:
    """The ``embeds`` rows by article, in the table's order (looked up per passage occurrence)."""

    def __init__(self, embeds: pd.DataFrame | None):
        self.by_article: dict[str, pd.DataFrame] = ({} if embeds is None or embeds.empty else
                                                    dict(tuple(embeds.groupby("article_id", sort=False))))

    def describe(self, occurrences: list[tuple[str, int, int]]) -> str:
        """" by @handle (author, date)" for the first embedded post an occurrence (``article_id,
        start, end``) overlaps, else ""."""
        for art, start, end in occurrences:
            own = self.by_article.get(art)
            if own is None:
                continue
            hit = own[(own["start"] < end) & (own["end"] > start)]
            if not hit.empty:
                row = hit.iloc[0]
                who = f" by @{row['handle']}" if str(row.get("handle", "") or "") else ""
                extra = ", ".join(x for x in (str(row.get("author", "") or ""), human_date(row.get("posted", ""))) if x)
                return who + (f" ({extra})" if extra else "")
        return ""


def shared_text_findings(reuse_pairs: pd.DataFrame, passages: pd.DataFrame, articles: pd.DataFrame,
                         sentences: pd.DataFrame) -> list[dict]:
    """Two outlets of one event that share text which is not a quotation of a common source: one
    copied the other, or both took it from a source neither names (when either article carries a
    wire credit, :func:`helpers.wire.wire_agencies`, the statement names the agency). The shares are
    ``reuse_pairs.copied_share_a/b`` (:mod:`helpers.compare.reuse`: shared words outside quotations of a
    common source); listed when the pair shares at least :data:`SHARED_TEXT_MIN_WORDS` words and
    that is at least :data:`SHARED_TEXT_MIN_SHARE` of one article. Evidence: the sentences of the
    non-quotation ``passages`` both articles carry."""
    if reuse_pairs.empty or "copied_share_a" not in reuse_pairs.columns:
        return []
    labels = article_labels(articles)
    words_of = dict(zip(articles["article_id"], articles["word_count"]))
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    lookup = _Sentences(sentences)
    raw_text = dict(zip(articles["article_id"], articles["text"].fillna("").astype(str))) if "text" in articles else {}
    outlet_name = dict(zip(articles["article_id"], outlet_of(articles)))
    copied = passages[~passages["source_kind"].astype(str).isin({"quoted statement", "social post"})] \
        if not passages.empty else passages
    spans = {a: list(zip(g["passage_id"], g["start"], g["end"])) for a, g in copied.groupby("article_id")} \
        if not copied.empty else {}
    rows = []
    for a, b, share_a, share_b in zip(reuse_pairs["article_a"], reuse_pairs["article_b"],
                                      reuse_pairs["copied_share_a"], reuse_pairs["copied_share_b"]):
        if outlet_name.get(a) == outlet_name.get(b) or event_of.get(a) != event_of.get(b):
            continue
        wa = int(round(share_a * int(words_of.get(a, 0) or 0)))
        wb = int(round(share_b * int(words_of.get(b, 0) or 0)))
        if min(wa, wb) < SHARED_TEXT_MIN_WORDS or max(share_a, share_b) < SHARED_TEXT_MIN_SHARE:
            continue
        common = {pid for pid, _, _ in spans.get(a, [])} & {pid for pid, _, _ in spans.get(b, [])}
        evidence = [(x, sid) for x in (a, b) for pid, start, end in spans.get(x, []) if pid in common
                    for sid in lookup.covering(x, int(start), int(end))]
        la, lb = labels.get(a, a), labels.get(b, b)
        n = len(common)
        credits = {x: wire.wire_agencies(raw_text.get(x, ""), outlet=outlet_name.get(x, "")) for x in (a, b)}
        source = "one copied the other, or both used a source neither names"
        if credits[a] or credits[b]:
            source = "; ".join(f"{labels.get(x, x)}'s article credits {join_names(credits[x])}"
                               for x in (a, b) if credits[x]) + ", so the shared text may be that agency's copy"
        # each side's words and share from its own wording of the passages (two wordings of one
        # passage may differ by a few words: "64 words, 19 %" of one side is not the other's share)
        sizes = (f"{wa} words: {share_a:.0%} of {la}'s article, {share_b:.0%} of {lb}'s" if wa == wb else
                 f"{wa} words, {share_a:.0%} of {la}'s article; {wb} words, {share_b:.0%} of {lb}'s")
        statement = (f"{la} and {lb} share {n} passage{'s' if n != 1 else ''} of text that {'are' if n != 1 else 'is'} "
                     f"not a quotation ({sizes}): {source}.")
        event = event_of.get(a, "")
        rows.append(_row("shared_text", event, statement, [la, lb], [a, b], evidence, max(share_a, share_b),
                         f"reuse_pairs: copied shares (no quotation of a common source) of two outlets: "
                         f"≥ {SHARED_TEXT_MIN_WORDS} words and ≥ {SHARED_TEXT_MIN_SHARE:.0%} of one article; "
                         "strength = the larger share",
                         2 / max(2, n_outlets.get(event, 2)) * 2, 0.5 + max(share_a, share_b)))
    return rows


def quote_variant_findings(quote_variants: pd.DataFrame, quotes: pd.DataFrame, articles: pd.DataFrame) -> list[dict]:
    """The same quotation carried with different words (direct quotations only: a paraphrase is
    expected to differ), ignoring spelling variants, or credited to different named people.

    Each variant group's rows are read as Python lists, not as DataFrames per group (pandas' cost
    per group made the rule grow with the square of a large event)."""
    if quote_variants.empty:
        return []
    labels = article_labels(articles).to_dict()
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    sent_of = dict(zip(quotes["quote_id"], quotes["sent_id"])) if "sent_id" in quotes else {}
    person = set()
    if "speaker_kind" in quotes.columns:
        person = set(quotes.loc[quotes["speaker_kind"].astype(str) == "person", "speaker_canonical"])
    aids = quote_variants["article_id"].tolist()
    label = [labels.get(a, np.nan) for a in aids]  # as Series.map: an article without a label has NaN
    kind = quote_variants["kind"].astype(str).tolist()
    quote, quote_id = quote_variants["quote"].tolist(), quote_variants["quote_id"].tolist()
    speaker = quote_variants["speaker_canonical"].tolist()
    named_row = quote_variants["speaker_canonical"].astype(str).isin(person).tolist() if person else [False] * len(aids)
    groups: dict[object, list[int]] = defaultdict(list)
    for i, group_id in enumerate(quote_variants["variant_group"].tolist()):
        if not pd.isna(group_id):  # as a group-by: rows without a group are left out
            groups[group_id].append(i)
    rows = []
    for group_id in sorted(groups):
        at = groups[group_id]
        # one direct quotation per article, in label order (a stable sort; no label last)
        direct = _first_per_key([i for i in at if kind[i] == "direct"], lambda i: aids[i])
        direct.sort(key=lambda i: (pd.isna(label[i]), "" if pd.isna(label[i]) else label[i]))
        if len({label[i].split(" (")[0] for i in direct if not pd.isna(label[i])}) >= 2:
            base = direct[0]
            for other in direct[1:]:
                # two quotations of one group may be linked only through others ("A" shares half its
                # words with "B", "B" with "C"): only two that share most words are one quotation
                # worded two ways
                said, said_other = inside_quotation_marks(str(quote[base])), inside_quotation_marks(str(quote[other]))
                if shared_word_share(said, said_other) < QUOTE_MIN_SHARED:
                    continue
                diff = changed_words(said, said_other)
                changed = max(sum(w.startswith("-") for w in diff), sum(w.startswith("+") for w in diff))
                if changed < QUOTE_MIN_CHANGED_WORDS:
                    continue
                statement = (f"{label[base]} and {label[other]} quote the same words differently: "
                             f"“{shorten(said, 110)}” vs “{shorten(said_other, 110)}” "
                             f"({changed} words differ: {' '.join(diff[:8])}{' …' if len(diff) > 8 else ''})")
                arts = [aids[base], aids[other]]
                event = event_of.get(arts[0], "")
                rows.append(_row("quote_variant", event, statement, [label[base], label[other]], arts,
                                 [(q.split(":")[0], sent_of.get(q, -1)) for q in (quote_id[base], quote_id[other])
                                  if sent_of.get(q, -1) >= 0], changed,
                                 f"quote_variants: one direct quotation, ≥ {QUOTE_MIN_CHANGED_WORDS} words differ "
                                 "beyond spelling; strength = words that differ",
                                 2 / max(2, n_outlets.get(event, 2)), min(1.0, changed / 10)))
                break
        # Speakers differ: only named people (a person and the institution they speak for is no conflict).
        speakers = _first_per_key([i for i in at if named_row[i]], lambda i: (_key_of(label[i]), _key_of(speaker[i])))
        who_set = {speaker[i] for i in speakers if not pd.isna(speaker[i])}
        outlet_set = {label[i] for i in speakers if not pd.isna(label[i])}
        if len(who_set) >= 2 and len(outlet_set) >= 2:
            parts = []
            for who in sorted(who_set):
                own = {label[i] for i in speakers if speaker[i] == who}
                parts.append(f"{join_names(sorted(own))} credit{'s' if len({x for x in own if not pd.isna(x)}) == 1 else ''} {who}")
            event = event_of.get(aids[at[0]], "")
            statement = f"The same quotation has different speakers: {'; '.join(parts)} — “{shorten(quote[at[0]], 110)}”"
            rows.append(_row("quote_variant", event, statement, sorted({label[i] for i in speakers}),
                             [aids[i] for i in speakers],
                             [(q.split(":")[0], sent_of.get(q, -1)) for q in (quote_id[i] for i in speakers)
                              if sent_of.get(q, -1) >= 0],
                             len(who_set), "quote_variants: one quotation credited to different named people; strength = speakers",
                             len(outlet_set) / max(1, n_outlets.get(event, 1))))
    return rows


# An opening double quotation mark after words of the reporter's: “ or " after a space or a dash
_OPENING_MARK = re.compile(r"(?:^|(?<=[\s(—–-]))[“\"]")
_CLOSING_MARK = re.compile(r"[”\"]")


def inside_quotation_marks(quote: str) -> str:
    """A direct quotation's words: when the extracted span starts with the reporter's words and
    holds an opening double quotation mark (“that “the Department of Justice is not going to be
    extorted.”” — the span began before the marks), the words inside the first pair of marks;
    otherwise the span as it is (a nested quotation uses single marks, ‘…’, and stays)."""
    text = str(quote).strip()
    opening = _OPENING_MARK.search(text, 1)
    if opening is None or not text[: opening.start()].strip():
        return text
    closing = _CLOSING_MARK.search(text, opening.end())
    return text[opening.end(): closing.start() if closing else len(text)].strip()


def _key_of(value: object) -> object:
    """``value`` as a key in which every missing value (``pd.isna``) is the same one (as pandas' duplicates)."""
    return None if pd.isna(value) else value


def _first_per_key(positions: list[int], key: Callable[[int], object]) -> list[int]:
    """``positions`` without those whose ``key`` came before (the first of each kept, in order)."""
    seen, kept = set(), []
    for i in positions:
        k = key(i)
        if k not in seen:
            seen.add(k)
            kept.append(i)
    return kept


def first_person(text: str, people: dict[str, str]) -> tuple[int, str]:
    """The earliest person of ``people`` (search key -> full name) named in ``text``, as
    (position, full name); (-1, "") when none is. A full name found wins over its surname at the
    same place."""
    lowered = str(text).lower().replace("-", " ")  # "Kim Jong-un" is searched as "kim jong un"
    best = (-1, "", 0)
    for key, full in people.items():
        # the compiled pattern is kept (compiling it per headline took most of the rule's time)
        match = _word_pattern(key).search(lowered) if key in lowered else None
        if match and (best[0] < 0 or match.start() < best[0] or (match.start() == best[0] and len(key) > best[2])):
            best = (match.start(), full, len(key))
    return best[0], best[1]


def lead_findings(articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None = None) -> list[dict]:
    """Whom each outlet names first: the first person named in the headline, else in the lead.

    The people are those the event's articles name as persons (``entities``, label PERSON) in
    their body text — a title-case headline is where the model most often misreads a name ("Trump
    Says" as a person, "Trump Accuses …" as none), so headlines and leads are searched as text for
    those people's full names and surnames (a hyphen read as a space: "Kim Jong-un" / "Kim Jong
    Un"). One surname is one person ("James Mattis" / "Jim Mattis"; a surname shared by two people of the event is read as the one named most). A finding
    when two or more outlets name a person first and not all the same. (``story_leaders``, the
    model's view shown in notebook 03, is not used: see above.)"""
    if sentences.empty or entities is None or entities.empty:
        return []
    labels = article_labels(articles)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    n_outlets = _outlets_per_event(articles)
    by_article = {a: g.sort_values("sent_id") for a, g in sentences.groupby("article_id", sort=False)}
    headline_keys = set(zip(sentences.loc[sentences["in_headline"].astype(bool), "article_id"],
                            sentences.loc[sentences["in_headline"].astype(bool), "sent_id"]))
    persons = entities[entities["label"].astype(str) == "PERSON"]
    # A "person" one of whose words the articles mostly tag as a place or group ("U.S. China") is
    # the model's mistake, not a person.
    # A word the articles tag as a place or group more often than as part of a person's name.
    tally: dict[tuple[str, str], int] = defaultdict(int)
    for art, text, label in zip(entities["article_id"], entities["text"], entities["label"].astype(str)):
        side = 1 if label in {"GPE", "NORP", "LOC"} else -1 if label == "PERSON" else 0
        for word in str(text).lower().split():
            tally[(event_of.get(art, ""), word)] += side
    body = [(event_of.get(a, ""), " ".join(str(c).replace("-", " ").split()))
            for a, sid, c in zip(persons["article_id"], persons["sent_id"], persons["canonical"])
            if (a, sid) not in headline_keys and len(str(c).split()) >= 2
            and not any(tally[(event_of.get(a, ""), w.lower())] > 0 for w in str(c).split())]
    counts = pd.Series(1, index=pd.MultiIndex.from_tuples(body)).groupby(level=[0, 1]).sum() if body else pd.Series(dtype=int)
    rows = []
    for event, in_event in articles.groupby("event", sort=True):
        if event not in counts.index.get_level_values(0):
            continue
        named = counts.loc[event].sort_values(ascending=False, kind="stable")
        people: dict[str, str] = {}
        for full in named.index:  # most named first: a shared surname goes to the one named most
            people.setdefault(full.lower(), full)
            if len(full.split()[-1]) >= 4:  # "Un" of "Kim Jong Un" would match too much alone
                people.setdefault(full.split()[-1].lower(), full)
        chosen = []
        for art in in_event["article_id"]:
            mine = by_article.get(art, sentences.iloc[0:0])
            for where, part in (("headline", mine[mine["in_headline"].astype(bool)]),
                                ("lead", mine[mine["in_lead"].astype(bool) & ~mine["in_headline"].astype(bool)])):
                found = [(first_person(text, people), sid) for sid, text in zip(part["sent_id"], part["text"])]
                found = [(pos, full, sid) for (pos, full), sid in found if pos >= 0]
                if found:
                    pos, full, sid = found[0]
                    chosen.append((art, labels.get(art, art), full, where, int(sid)))
                    break
        group = pd.DataFrame(chosen, columns=["article_id", "label", "actor", "where", "sent_id"])
        surname = group["actor"].str.split().str[-1]
        forms = group.groupby(surname)["actor"].agg(lambda a: a.value_counts().sort_index().idxmax())
        group = group.assign(actor=surname.map(forms))
        if group["label"].nunique() < 2 or group["actor"].nunique() < 2:
            continue
        sides = sorted(((actor, sorted(set(g["label"])), sorted(set(g["where"]))) for actor, g in group.groupby("actor")),
                       key=lambda s: (-len(s[1]), s[0]))
        statement = "Outlets name different people first: " + "; ".join(
            f"{join_names(names)} name{'s' if len(names) == 1 else ''} {actor} first (in the {' / '.join(where)})"
            for actor, names, where in sides) + "."
        rows.append(_row("lead_actor", event, statement, [n for _, names, _ in sides for n in names],
                         group["article_id"], zip(group["article_id"], group["sent_id"]), len(sides),
                         "headline, else lead, searched for the people the event's articles name in their body text; "
                         "the first differs between outlets; strength = distinct first people",
                         group["label"].nunique() / max(1, n_outlets.get(event, 1))))
    return rows


def contrast_findings(frame_contrasts: pd.DataFrame | None, tone_contrasts: pd.DataFrame | None,
                      articles: pd.DataFrame) -> list[dict]:
    """An outlet that uses a frame, or writes about an actor in a tone, unlike the other outlets
    beyond chance: the rows the framing stage marks ``finding == "contrast"`` (Fisher's exact test
    for frames, Mann–Whitney for tone, Benjamini–Hochberg q ≤ 0.05, minimum counts; see
    :func:`helpers.compare.framing.frame_contrasts`). Those tables compare outlets over the whole corpus,
    so they make findings only for a corpus of one event."""
    events = articles["event"].unique() if not articles.empty else []
    if len(events) != 1:
        return []
    event = events[0]
    n_outlets = _outlets_per_event(articles).get(event, 1)
    rows = []
    if frame_contrasts is not None and not frame_contrasts.empty and "finding" in frame_contrasts.columns:
        for _, row in frame_contrasts[frame_contrasts["finding"] == "contrast"].iterrows():
            more = row["outlet_share"] > row["others_share"]
            statement = (f"{row['outlet']} uses the {str(row['frame']).replace('_', ' ')} frame "
                         f"{'more' if more else 'less'} than the other outlets: in {row['outlet_share']:.0%} of its "
                         f"sentences against {row['others_share']:.0%} of theirs (q = {row['q_value']:.3f}).")
            evidence = _keys(row.get("evidence", ""))
            rows.append(_row("frame_contrast", event, statement, [row["outlet"]], [a for a, _ in evidence], evidence,
                             float(row["q_value"]), "frame_contrasts: Fisher's exact test of one outlet's sentences "
                             "against the others', Benjamini–Hochberg q ≤ 0.05; strength = q",
                             2 / max(2, n_outlets), 1 - float(row["q_value"]) / 0.05))
    if tone_contrasts is not None and not tone_contrasts.empty and "finding" in tone_contrasts.columns:
        for _, row in tone_contrasts[tone_contrasts["finding"] == "contrast"].iterrows():
            warmer = row["outlet_mean"] > row["others_mean"]
            statement = (f"{row['outlet']} writes about {row['actor']} {'more positively' if warmer else 'more negatively'} "
                         f"than the other outlets: mean sentence tone {row['outlet_mean']:+.2f} against "
                         f"{row['others_mean']:+.2f} (VADER compound, −1 to +1; q = {row['q_value']:.3f}).")
            evidence = _keys(row.get("evidence", ""))
            rows.append(_row("tone_contrast", event, statement, [row["outlet"]], [a for a, _ in evidence], evidence,
                             float(row["q_value"]), "tone_contrasts: Mann–Whitney U test of one outlet's sentences "
                             "naming the actor against the others', Benjamini–Hochberg q ≤ 0.05; strength = q",
                             2 / max(2, n_outlets), 1 - float(row["q_value"]) / 0.05))
    return rows


def _keys(evidence: object) -> list[tuple[str, int]]:
    """``article_id:sent_id`` keys from a ";"-separated string."""
    out = []
    for part in str(evidence or "").split(";"):
        art, _, sid = part.strip().rpartition(":")
        if art and sid.strip().lstrip("-").isdigit():
            out.append((art, int(sid)))
    return out


#: Where an article's publication date was read (``articles.published_source``), in words.
_DATE_SOURCE_WORDS = {"metadata": "the metadata", "column": "the corpus's date column",
                      "marker": "a date line at the top of the text", "html": "the page's HTML", "url": "the URL"}


def _date_sources(dated: pd.DataFrame, labels: dict) -> str:
    """" Dates from the URL (Valley Post) and a date line at the top of the text (Lakeport Herald
    and Ridge Times)." — where each dated article's date was read, so that a reader can weigh it;
    empty when the articles do not say (no ``published_source``)."""
    if "published_source" not in dated.columns:
        return ""
    parts = []
    for source, g in dated.groupby(dated["published_source"].astype(str), sort=True):
        names = sorted(labels[a] for a in g["article_id"])
        who = join_names(names) if len(names) <= NAMES_SHOWN else f"{len(names)} articles"
        parts.append(f"{_DATE_SOURCE_WORDS.get(source, source)} ({who})")
    return " Dates from " + join_names(parts) + "."


def timing_findings(articles: pd.DataFrame) -> list[dict]:
    """Who published first and how late the others were (publication dates, day precision); listed
    when two or more articles of an event are dated and not all on the same day."""
    rows = []
    labels = article_labels(articles)
    for event, group in articles.groupby("event", sort=True):
        dates = pd.to_datetime(group["published"].where(group["published"].astype(str).str.len() > 0), errors="coerce")
        dated = group.assign(_date=dates.dt.normalize(), label=group["article_id"].map(labels)).dropna(subset=["_date"])
        if len(dated) < 2 or dated["_date"].nunique() < 2:
            continue
        first_day = dated["_date"].min()
        parts = []
        days = list(dated.groupby("_date", sort=True))
        shown, rest = days[:TIMING_DAYS_SHOWN], days[TIMING_DAYS_SHOWN:]
        for day, g in shown:
            names = sorted(g["label"])
            lag = (day - first_day).days
            if lag == 0:
                parts.append(f"{join_names(names)} published first ({human_date(day.date().isoformat())})")
            else:
                parts.append(f"{join_names(names)} followed {lag} day{'s' if lag != 1 else ''} later")
        if rest:
            n_rest = sum(len(g) for _, g in rest)
            parts.append(f"{n_rest} more article{'s' if n_rest != 1 else ''} followed, the last "
                         f"{(rest[-1][0] - first_day).days} days after the first")
        undated = sorted(set(group["article_id"]) - set(dated["article_id"]))
        statement = "; ".join(parts) + "."
        if undated:
            # With undated articles, "first" is first among the dated ones only.
            statement = "Of the dated articles, " + statement
            names = [labels[a] for a in undated]
            listed = join_names(names) if len(names) <= NAMES_SHOWN else f"{len(names)} articles"
            statement += (f" {listed} carr{'ies' if len(undated) == 1 else 'y'} no publication date, "
                          "so may have been earlier.")
        statement += _date_sources(dated, labels)
        span = (dated["_date"].max() - first_day).days
        rows.append(_row("first_published", event, statement, list(dated.sort_values("_date")["label"]),
                         dated["article_id"], [], span,
                         "publication dates (day precision) of two or more dated articles differ; strength = days from first to last",
                         len(dated) / max(1, len(group)), min(1.0, span / 3)))
    return rows
