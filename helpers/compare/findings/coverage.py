"""Coverage, checked against the text: what one outlet leaves out and what only one outlet reports.

Takes ``facts``, ``articles`` (with ``text`` and ``event``), ``sentences`` and ``entities``; gives
:func:`coverage_checks` (every claim the fact grouping makes, with a verdict and the closest
sentence: columns :data:`COVERAGE_CHECK_COLUMNS`) and :func:`coverage_findings` (the ``omission``
and ``exclusive_facts`` findings: the claims whose verdict holds).
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections import Counter, defaultdict
from typing import Iterable

import numpy as np
import pandas as pd

from helpers.compare.overview import UNKNOWN_OUTLET, outlet_of
from helpers.compare.findings.common import (
    CONTENT_OVERLAP_CARRIES, NAMES_SHOWN, OMISSION_MIN_CARRIERS, STORY_MAX_ARTICLES, _Sentences,
    _evidence, _row, content_words, join_names, lowercase_words, mentions, mentions_number, name_key, numbers_in,
    shorten,
)


def _fact_texts(facts: pd.DataFrame, lookup: "_Sentences") -> dict[str, str]:
    """Each fact in words, fact id → text: the label the coverage matrix shows beside it
    (:func:`helpers.compare.facts.fact_labels`), so that a fact id reads the same on every page;
    a facts table without ``similarity`` or ``text`` takes its members as equally similar and
    their text from the sentences."""
    from helpers.compare.facts import fact_labels

    keyed = facts[["fact_id", "article_id", "sent_id"]]
    similarity = facts["similarity"] if "similarity" in facts.columns else 0.0
    text = facts["text"] if "text" in facts.columns else [
        lookup.text.get((art, int(sid)), "") for art, sid in zip(facts["article_id"], facts["sent_id"])]
    return fact_labels(keyed.assign(similarity=similarity, text=text))


class _CoverageEvidence:
    """What the coverage rules read, built once per call: sentence text and content-word stems,
    the names (entities) and numbers each sentence gives, and each article's lower-cased text."""

    def __init__(self, articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None):
        self.lookup = _Sentences(sentences)
        self.outlet_name = dict(zip(articles["article_id"], outlet_of(articles)))
        self.texts = dict(zip(articles["article_id"], articles["text"].fillna("").astype(str).str.lower())) \
            if "text" in articles.columns else {}
        self.lead: set[tuple[str, int]] = set()
        if "in_lead" in sentences.columns:
            flagged = sentences[sentences["in_lead"].astype(bool) | sentences.get("in_headline", False)]
            self.lead = set(zip(flagged["article_id"], flagged["sent_id"].astype(int)))
        self._words: dict[tuple[str, int], set[str]] = {}
        self._vocabulary: dict[str, int] = {}
        self._blocks: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
        self._searches: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self._mentioned: dict[tuple[str, str], bool] = {}
        self._weights: tuple[tuple[str, ...], dict[str, float]] | None = None
        # A one-word "name" its event's articles also write in lower case ("State", "House") is a
        # common word: its absence from an article proves nothing. Judged within the event (as
        # the exclusive-name test does), so that an event's findings do not depend on the others.
        events = articles["event"] if "event" in articles.columns else pd.Series("", index=articles.index)
        event_of = dict(zip(articles["article_id"], events))
        self.common_in: dict[object, set[str]] = (
            {event: lowercase_words(group["text"]) for event, group in articles.groupby(events, sort=False)}
            if "text" in articles.columns else {})
        self.names_in: dict[tuple[str, int], set[str]] = defaultdict(set)
        # (article, sentence) -> [(key, canonical form, surface)] for the exclusive-name test
        self.named: dict[tuple[str, int], list[tuple[str, str, str]]] = defaultdict(list)
        # each event's places as the model read them on their own ("Afghanistan"), to take one off
        # a name it glued to a person's (:func:`without_leading_place`)
        self.places_in: dict[object, set[str]] = defaultdict(set)
        if entities is not None and not entities.empty:
            placed = entities[entities["label"].isin(PLACE_LABELS)]
            for art, surface in zip(placed["article_id"], placed["text"].astype(str)):
                self.places_in[event_of.get(art)].add(surface)
            named = entities[entities["label"].isin(EXCLUSIVE_LABELS)]
            canonical = named["canonical"] if "canonical" in named.columns else named["text"]
            for art, sid, surface, label, canon in zip(named["article_id"], named["sent_id"].astype(int), named["text"],
                                                       named["label"], canonical):
                key = name_key(surface, label)
                self.named[(art, sid)].append((key, str(canon), str(surface)))
                if (str(surface)[:1].isupper() and not str(surface).isupper() and len(key) >= 4
                        and not (" " not in key and key in self.common_in.get(event_of.get(art), ()))):
                    self.names_in[(art, sid)].add(key)

    def words_of(self, art: str, sid: int) -> set[str]:
        key = (art, sid)
        if key not in self._words:
            self._words[key] = content_words(self.lookup.text.get(key, ""))
        return self._words[key]

    def word_weights(self, articles: Iterable[str]) -> dict[str, float]:
        """Each content-word stem of ``articles`` (one event's) weighted by how few of them use it:
        the smooth inverse document frequency scikit-learn's ``TfidfVectorizer`` uses by default,
        ``ln((1 + n) / (1 + df)) + 1``, with the articles as documents. A word every article of the
        event writes ("said", the main actors' names) weighs least, so that sharing only those is
        not taken for carrying a fact in other words."""
        articles = articles if isinstance(articles, tuple) else tuple(articles)
        # the same tuple object for one event's facts: found without comparing its ids
        if self._weights is not None and (self._weights[0] is articles or self._weights[0] == articles):
            return self._weights[1]
        df: dict[str, int] = defaultdict(int)
        for art in articles:
            for word in set().union(*(self.words_of(art, sid) for sid, _ in self.lookup.by_article.get(art, []))):
                df[word] += 1
        n = len(articles)
        weights = {word: math.log((1 + n) / (1 + count)) + 1.0 for word, count in df.items()}
        self._weights = (articles, weights)  # one event's facts ask again and again
        return weights

    def closest(self, articles: Iterable[str], pairs: list[tuple[str, int]], *,
                stop_at: float | None = None, targets: Iterable[set[str]] | None = None,
                weights: dict[str, float] | None = None, min_words: int = 3) -> tuple[float, tuple[str, int] | None]:
        """The sentence of ``articles`` holding the largest share of any of the fact sentences'
        content-word stems (facts of fewer than ``min_words`` content words are not compared): that
        share and the sentence's key. With ``stop_at``, the first sentence reaching it is enough.
        ``targets``: content-word sets to look for instead of those of the sentences at ``pairs``
        (a passage's own words, which may be part of a sentence or run over several).
        ``weights`` (:meth:`word_weights`): the share is of the target's summed word weights
        instead of its word count (a word missing from ``weights`` weighs as one no article uses).

        The answer is the one a scan in article and sentence order gives: the first to reach
        ``stop_at``, else the first with the largest share; a sentence sharing no word has share 0
        and is never the answer. Each article's sentences are held as word numbers
        (:meth:`_article_words`), so a fact's shares in every sentence of the searched articles
        are counted by numpy at once (a single-outlet fact of a 60-article event is compared
        with a thousand sentences)."""
        targets = [t for t in (targets if targets is not None else (self.words_of(a, s) for a, s in pairs))
                   if len(t) >= min_words]
        articles = tuple(articles)
        if not targets or not articles:
            return 0.0, None
        word_ids, postings, ends = self._searched(articles)
        if not len(postings):
            return 0.0, None
        n_rows = int(ends[-1])
        best = np.zeros(n_rows)
        unused = max(weights.values(), default=1.0) if weights is not None else 1.0
        for target in targets:
            # words in spelling order: with weights, each sentence's sum is then added up in the
            # same order on every run (the word numbers depend on set order)
            in_vocabulary = sorted(w for w in target if w in self._vocabulary)
            known = np.fromiter((self._vocabulary[w] for w in in_vocabulary), dtype=np.int64, count=len(in_vocabulary))
            if not len(known):
                continue
            # the rows holding each of the target's words, from the searched sentences' word index
            lo, hi = np.searchsorted(word_ids, known, side="left"), np.searchsorted(word_ids, known, side="right")
            rows = np.concatenate([postings[a:b] for a, b in zip(lo.tolist(), hi.tolist())])
            if weights is None:
                shared = np.bincount(rows, minlength=n_rows)
                # n / len(target) for each sentence, as the scan divided (the same float)
                np.maximum(best, shared / len(target), out=best)
                continue
            weight_of = np.array([weights.get(w, unused) for w in in_vocabulary])
            shared = np.bincount(rows, weights=np.repeat(weight_of, hi - lo), minlength=n_rows)
            total = math.fsum(weights.get(w, unused) for w in target)
            np.maximum(best, shared / total, out=best)
        top = float(best.max())
        if top <= 0.0:
            return 0.0, None
        first = -1
        if stop_at is not None:
            reaching = np.flatnonzero((best >= stop_at) & (best > 0.0))
            first = int(reaching[0]) if len(reaching) else -1
        if first < 0:
            first = int(np.flatnonzero(best == top)[0])
        i = int(np.searchsorted(ends, first, side="right"))
        j = first - (int(ends[i - 1]) if i else 0)
        art = articles[i]
        return float(best[first]), (art, self.lookup.by_article[art][j][0])

    def _searched(self, articles: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The sentences of ``articles``, one article after the other, as an index of their words:
        the word numbers (:meth:`_article_words`) in ascending order, the sentence row holding
        each, and where each article's rows end. Remembered: an event's facts search the same
        outlets' articles again and again."""
        found = self._searches.get(articles)
        if found is None:
            blocks = [self._article_words(art) for art in articles]
            sizes = np.fromiter((block[2] for block in blocks), dtype=np.int64, count=len(blocks))
            ends = np.cumsum(sizes)
            words = np.concatenate([block[0] for block in blocks])
            row_of = np.concatenate([block[1] + offset for block, offset in zip(blocks, ends - sizes)])
            order = np.argsort(words, kind="stable")
            if len(self._searches) >= 1_000:
                self._searches.clear()
            found = self._searches[articles] = (words[order], row_of[order], ends)
        return found

    def _article_words(self, art: str) -> tuple[np.ndarray, np.ndarray, int]:
        """Article ``art``'s sentences as word numbers (:attr:`_vocabulary`, grown as new words come):
        the numbers of each sentence's content-word stems one sentence after the other, each
        number's sentence position (in :attr:`lookup`'s order), and how many sentences it has."""
        if art not in self._blocks:
            sentences = self.lookup.by_article.get(art, [])
            numbers: list[int] = []
            rows: list[int] = []
            for j, (sid, _) in enumerate(sentences):
                for word in self.words_of(art, sid):
                    numbers.append(self._vocabulary.setdefault(word, len(self._vocabulary)))
                    rows.append(j)
            self._blocks[art] = (np.asarray(numbers, dtype=np.int64), np.asarray(rows, dtype=np.int64), len(sentences))
        return self._blocks[art]

    def mentioned(self, key: str, text: str) -> bool:
        """:func:`mentions`, remembered: one event's facts ask about the same names in the same
        other outlets' text again and again."""
        found = self._mentioned.get((key, text))
        if found is None:
            if len(self._mentioned) >= 200_000:
                self._mentioned.clear()
            found = self._mentioned[(key, text)] = mentions(key, text)
        return found

    def fact_keys(self, pairs: list[tuple[str, int]]) -> list[str]:
        """Names and numbers most of the fact's sentences give (a strict majority), most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        for pair in set(pairs):
            for key in self.names_in.get(pair, set()) | numbers_in(self.lookup.text.get(pair, "")):
                counts[key] += 1
        need = len(set(pairs)) // 2 + 1  # a strict majority: with two sentences, both
        return sorted((k for k, n in counts.items() if n >= need), key=lambda k: (-counts[k], k))

    def exclusive_names(self, pairs: list[tuple[str, int]], others_text: str, common: set[str],
                        outlet_keys: set[str]) -> dict[str, list[tuple[tuple[str, int], str]]]:
        """Names in the fact's sentences that no other outlet's text names: key -> [(sentence, canonical)].
        An acronym may be spelled out by the others ("NSA" / "National Security Adviser"), a
        lower-case "name" is the model's mistake, and an outlet naming itself ("told Fox News") is
        a signature: none of them is ever exclusive."""
        found: dict[str, list[tuple[tuple[str, int], str]]] = defaultdict(list)
        for pair in sorted(set(pairs)):
            for key, canonical, surface in self.named.get(pair, ()):
                if (surface.isupper() or not surface[:1].isupper() or len(key) < 4 or self.mentioned(key, others_text)
                        or (" " not in key and key in common)
                        or any(mentions(key, own) or mentions(own, key) for own in outlet_keys)):
                    continue
                found[key].append((pair, canonical))
        return found


#: Entity labels of places: a name of one of them the model glued before a person's is taken off.
PLACE_LABELS = frozenset({"GPE", "LOC"})


def without_leading_place(name: str, places: set[str]) -> str:
    """``name`` without a place the entity model glued before a full name — "UN envoy for
    Veldoria Mara Quill" read as the one name "Veldoria Mara Quill": its leading
    words when they are one of ``places`` (the event's place entities, as written) and at least
    two words remain ("Jordan Peterson" stays whole). Else ``name`` as it is."""
    words = name.split()
    for k in range(len(words) - 2, 0, -1):  # the longest place first
        if " ".join(words[:k]) in places:
            return " ".join(words[k:])
    return name


#: Columns of :func:`coverage_checks`.
COVERAGE_CHECK_COLUMNS = ["event", "outlet", "question", "fact_id", "fact", "carried_by", "verdict", "closest_outlet",
                          "closest_sentence", "closest_share", "names", "evidence"]


#: Why a single-outlet fact cannot be checked: what the test looks for, said exactly (a short
#: acronym may be spelled out elsewhere, and a number is not compared for an exclusive).
EXCLUSIVE_UNCHECKABLE = ("it gives no name of four letters or more that the other outlets' texts lack; "
                         "a number alone is not taken for an exclusive")
#: Why an omission cannot be checked, in the summary's words.
OMISSION_UNCHECKABLE = "every name and number the fact gives is in that outlet's text"

LEFT_OUT, CARRIED_OTHERWISE, NOT_CHECKABLE, ONLY_HERE = (
    "leaves it out", "may carry it in other words", "cannot be checked", "only this outlet names")


def _judge_coverage(facts: pd.DataFrame, articles: pd.DataFrame, seen: _CoverageEvidence, *,
                    min_share: float | None) -> list[dict]:
    """Every coverage candidate of every event, judged: facts at least ``min_share`` of the
    event's outlets (and two; ``None``: all outlets but one) carry that another outlet's fact
    grouping says it lacks, and facts a single outlet carries. ``seen``: the articles' sentences,
    names and texts (:class:`_CoverageEvidence`). One dict per (outlet, fact) with
    :data:`COVERAGE_CHECK_COLUMNS` plus the evidence the findings need (``_pairs``, ``_absent``,
    ``_exclusive``, ``_n_outlets``, ``_carriers``, ``_omitting``)."""
    if facts.empty or articles.empty:
        return []
    outlet_name, lookup = seen.outlet_name, seen.lookup
    fact_text = _fact_texts(facts[facts["fact_id"].map(lambda f: isinstance(f, str))], lookup)
    event_of = dict(zip(articles["article_id"], articles["event"]))
    frame = facts.assign(outlet_name=facts["article_id"].map(outlet_name), event=facts["article_id"].map(event_of))
    checks: list[dict] = []
    articles_of = dict(tuple(articles.groupby("event", sort=False)))
    for event, in_event in frame.groupby("event", sort=True):
        event_articles = articles_of.get(event, articles.iloc[0:0])
        outlets_here = sorted(set(outlet_of(event_articles)) - {UNKNOWN_OUTLET}) or sorted(set(outlet_of(event_articles)))
        n_outlets = len(outlets_here)
        if n_outlets < 2:
            continue
        need = _needed_carriers(n_outlets, min_share)
        by_outlet: dict[str, list[str]] = defaultdict(list)
        for art in event_articles["article_id"]:
            by_outlet[outlet_name.get(art)].append(art)
        others_text = {o: " \n ".join(seen.texts.get(a, "") for a in event_articles["article_id"]
                                      if outlet_name.get(a) != o) for o in outlets_here}
        common = seen.common_in.get(event, set())
        # the event's own outlets: an event's findings do not depend on the other events
        outlet_keys = {k for k in (name_key(o, "ORG") for o in set(outlet_of(event_articles))) if len(k) >= 3}
        event_ids = tuple(event_articles["article_id"])
        others_of = {o: [a for a in event_ids if outlet_name.get(a) != o] for o in outlets_here}
        # each fact's sentences, read once from the event's rows (not a DataFrame per fact)
        members: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
        for fact_id, art, sid, name in zip(in_event["fact_id"], in_event["article_id"],
                                           in_event["sent_id"].astype(int), in_event["outlet_name"]):
            if isinstance(fact_id, str):
                members[fact_id].append((art, int(sid), name))
        for fact_id in sorted(members):
            rows_of_fact = members[fact_id]
            carriers = sorted({name for _, _, name in rows_of_fact} & set(outlets_here))
            pairs = sorted({(art, sid) for art, sid, _ in rows_of_fact})
            base = {"event": event, "fact_id": fact_id, "fact": fact_text.get(fact_id, ""),
                    "carried_by": join_names(carriers), "_pairs": pairs, "_n_outlets": n_outlets,
                    "_carriers": carriers, "_absent": [], "_exclusive": {}, "closest_outlet": "", "closest_sentence": "",
                    "closest_share": np.nan, "names": "", "evidence": _evidence(pairs)}
            if len(carriers) == 1:
                outlet = carriers[0]
                others = others_of[outlet]
                exclusive = seen.exclusive_names(pairs, others_text.get(outlet, ""), common, outlet_keys)
                row = dict(base, outlet=outlet, question="only this outlet?", _omitting=[])
                # In a topic of thousands of articles the sentence-by-sentence paraphrase test (every
                # sentence of the event) is slow: there it runs only on facts that could be an
                # exclusive, those naming something no other outlet's text names.
                if not exclusive and len(event_articles) > STORY_MAX_ARTICLES:
                    row["verdict"] = f"{NOT_CHECKABLE}: {EXCLUSIVE_UNCHECKABLE}"
                    checks.append(row)
                    continue
                share, where = seen.closest(others, pairs, weights=seen.word_weights(event_ids))
                if where is not None and share >= CONTENT_OVERLAP_CARRIES:
                    row.update(verdict="another outlet " + _carried_verdict(share),
                               closest_outlet=outlet_name.get(where[0], ""), closest_sentence=lookup.text.get(where, ""),
                               closest_share=share)
                elif not exclusive:
                    row["verdict"] = f"{NOT_CHECKABLE}: {EXCLUSIVE_UNCHECKABLE}"
                else:
                    names = list(dict.fromkeys(max((c for _, c in exclusive[k]), key=len) for k in exclusive))
                    row.update(verdict=f"{ONLY_HERE} {join_names(names, NAMES_SHOWN)}", names="; ".join(names),
                               _exclusive=dict(exclusive))
                checks.append(row)
                continue
            if len(carriers) < need:
                continue
            for outlet in sorted(set(outlets_here) - set(carriers)):
                omitting = by_outlet.get(outlet, [])
                row = dict(base, outlet=outlet, question="left out?", _omitting=omitting)
                share, where = seen.closest(omitting, pairs, weights=seen.word_weights(event_ids))
                if where is not None:
                    row.update(closest_outlet=outlet, closest_sentence=lookup.text.get(where, ""), closest_share=share)
                if share >= CONTENT_OVERLAP_CARRIES:
                    row["verdict"] = _carried_verdict(share)
                else:
                    # The omission must be checkable: a name or number the carriers give is nowhere
                    # in the omitting outlet's text. Without one, "leaves out" could be a paraphrase.
                    own_text = " ".join(seen.texts.get(a, "") for a in omitting)
                    # "six" is mentioned by "a sixth capital" or "6": the same number (number_forms)
                    absent = [k for k in seen.fact_keys(pairs) if not mentions_number(k, own_text)]
                    if absent:
                        row.update(verdict=f"{LEFT_OUT}: never mentions " + join_names([f"“{k}”" for k in absent[:4]]),
                                   names="; ".join(absent), _absent=absent)
                    else:
                        row["verdict"] = f"{NOT_CHECKABLE}: every name and number it gives is in {outlet}'s text"
                checks.append(row)
    return checks


#: The start of the verdict for a close sentence holding every content word of the fact: the
#: same words in a sentence the grouping left apart, not "other words".
EVERY_WORD = "has a sentence with every content word of it, so"


def _carried_verdict(share: float) -> str:
    """The verdict for a close sentence holding ``share`` of the fact's (weighted) content words:
    :data:`CARRIED_OTHERWISE`, said as :data:`EVERY_WORD` … when it holds them all."""
    return f"{EVERY_WORD} {CARRIED_OTHERWISE}" if share >= 1.0 - 1e-9 else CARRIED_OTHERWISE


def _needed_carriers(n_outlets: int, min_share: float | None) -> int:
    """How many of an event's ``n_outlets`` outlets must carry a fact for another outlet's lack
    of it to be judged (:func:`_judge_coverage`'s rule)."""
    return max(OMISSION_MIN_CARRIERS, n_outlets - 1 if min_share is None else int(np.ceil(min_share * n_outlets)))


#: The last coverage judgement (:func:`_judged`): the digest of its inputs, its ``min_share``, the
#: evidence it read and its rows. One entry, taken by the call that uses it.
_LAST_JUDGED: dict[str, tuple] = {}


def _inputs_digest(*frames: pd.DataFrame | None) -> str | None:
    """A digest of the frames as pickled, their index left aside (columns, dtypes and values:
    equal digests are equal frames; a tenth of hashing their values column by column in a
    3-article event); None when one cannot be pickled."""
    try:
        bare = tuple(None if frame is None else frame.reset_index(drop=True) for frame in frames)
        return hashlib.sha256(pickle.dumps(bare, protocol=5)).hexdigest()
    except Exception:  # noqa: BLE001 — no digest: the claims are judged again
        return None


def _judged(facts: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None,
            *, min_share: float | None) -> tuple[_CoverageEvidence, list[dict]]:
    """:func:`_judge_coverage` of these rows, with the evidence it read. An event's claims are
    judged twice in one task — for the ``coverage_checks`` table (``min_share`` 0.5), then for
    its findings (``None``: all outlets but one), from the same rows — and judging is most of
    both: the second call reads the first's judgement when the inputs are the same (their
    digest) and the first judged every claim the second needs (a lower or equal bar for every
    number of outlets). Each claim's verdict does not depend on ``min_share``, which only decides
    which claims are judged, so the rows are those judging again would give."""
    key = _inputs_digest(facts, articles, sentences, entities)
    last = _LAST_JUDGED.pop("last", None)
    if key is not None and last is not None and last[0] == key:
        _, judged_share, seen, rows = last
        most_outlets = max(2, len(set(outlet_of(articles))))
        if all(_needed_carriers(n, judged_share) <= _needed_carriers(n, min_share) for n in range(2, most_outlets + 1)):
            kept = [row for row in rows if row["question"] != "left out?"
                    or len(row["_carriers"]) >= _needed_carriers(row["_n_outlets"], min_share)]
            return seen, kept
    seen = _CoverageEvidence(articles, sentences, entities)
    rows = _judge_coverage(facts, articles, seen, min_share=min_share)
    if key is not None:
        _LAST_JUDGED["last"] = (key, min_share, seen, rows)
    return seen, rows


def coverage_checks(facts: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame,
                    entities: pd.DataFrame | None = None, *, min_share: float = 0.0) -> pd.DataFrame:
    """The fact grouping's coverage claims, each checked against the text by the findings' rules.

    Two questions: *left out?* — a fact at least ``min_share`` of the event's outlets (and at least
    :data:`OMISSION_MIN_CARRIERS`; by default every fact two outlets carry, so that every "absent"
    cell of a shared fact the coverage chart shows is read against the text) carry that an
    outlet's articles have no grouped sentence for; and *only this outlet?* — a fact one outlet
    carries. The fact grouping answers both by sentence similarity, which misses paraphrases; the
    check reads the text:

    - ``may carry it in other words``: a sentence of the outlet (for *only this outlet?*: of another
      outlet) holds ≥ :data:`CONTENT_OVERLAP_CARRIES` of the fact's content-word stems (shown, with
      that share, for the reader to judge: the rule declines to claim a difference, it does not
      prove the sentence says the same); when it holds every one of them, the verdict says so
      (``has a sentence with every content word of it, so may carry it in other words``);
    - ``leaves it out: never mentions …``: no such sentence, and names or numbers most carrying
      sentences give are absent from the outlet's text (a finding when every other outlet carries it);
    - ``only this outlet names …``: no such sentence elsewhere, and the fact names people, places
      or organisations no other outlet's text names (an ``exclusive_facts`` finding);
    - ``cannot be checked``: for *left out?*, every name and number the fact gives is in the
      outlet's text; for *only this outlet?*, it gives no name of four letters or more the other
      outlets' texts lack (numbers are not compared for an exclusive); the grouping alone cannot
      tell.

    Takes the ``facts``, ``articles`` (with ``text`` and ``event``), ``sentences`` and ``entities``
    tables; checks events of at most :data:`STORY_MAX_ARTICLES` articles (:func:`events_not_checked`
    counts the larger ones); gives one row per (outlet, fact): :data:`COVERAGE_CHECK_COLUMNS`
    (``closest_outlet`` the outlet of ``closest_sentence``: for *left out?* the row's outlet, for
    *only this outlet?* another; ``closest_share`` a fraction, ``names`` the absent or exclusive
    names, ``evidence`` the fact's ``article_id:sent_id`` pairs), ordered by event, question,
    outlet and fact. An event's rows
    depend on its own rows alone: the runner computes the ``coverage_checks`` table event by event.
    """
    # Stories only, as the findings: in a topic of thousands of articles "only this outlet" and
    # "leaves out" mean little, and reading every sentence against every other is slow.
    sizes = _event_sizes(articles)
    in_story = articles[articles["event"].isin(set(sizes[sizes <= STORY_MAX_ARTICLES].index))]
    ids = set(in_story["article_id"])
    _, rows = _judged(facts[facts["article_id"].isin(ids)] if not facts.empty else facts, in_story,
                      sentences[sentences["article_id"].isin(ids)] if not sentences.empty else sentences,
                      entities[entities["article_id"].isin(ids)] if entities is not None and not entities.empty
                      else entities, min_share=min_share)
    frame = pd.DataFrame(rows)[COVERAGE_CHECK_COLUMNS] if rows else pd.DataFrame(columns=COVERAGE_CHECK_COLUMNS)
    return frame.sort_values(["event", "question", "outlet", "fact_id"], kind="stable").reset_index(drop=True)


def events_not_checked(articles: pd.DataFrame) -> int:
    """How many events of ``articles`` (``article_id``, ``event``) have more than
    :data:`STORY_MAX_ARTICLES` articles: topics, not stories, which :func:`coverage_checks` leaves
    aside."""
    return int((_event_sizes(articles) > STORY_MAX_ARTICLES).sum())


def _event_sizes(articles: pd.DataFrame) -> pd.Series:
    """Articles per event: the one count that tells a story from a topic (:data:`STORY_MAX_ARTICLES`)."""
    return articles.groupby("event")["article_id"].size() if not articles.empty else pd.Series(dtype=int)


def coverage_check_summary(checks: pd.DataFrame, articles: pd.DataFrame) -> str:
    """One sentence per question of :func:`coverage_checks` (``checks``, the ``coverage_checks``
    table): how many of the fact grouping's claims the text bears out ("Of 6 facts the grouping
    says an outlet leaves out, 1 holds up …"), and how many events of ``articles`` (its ``event``
    column) are too large to be checked."""
    skipped = events_not_checked(articles)
    aside = (f" {skipped} event{'s' if skipped != 1 else ''} of more than {STORY_MAX_ARTICLES} articles (a topic, not "
             "a story) not checked." if skipped else "")
    if checks.empty:
        return ("The fact grouping marks no fact as left out by one outlet or carried by one outlet alone in an event "
                f"of at most {STORY_MAX_ARTICLES} articles." + aside) if skipped else \
            "The fact grouping marks no fact as left out by one outlet or carried by one outlet alone."
    sentences = []
    for question, claim, holds, why in (("left out?", "says an outlet leaves out", LEFT_OUT, OMISSION_UNCHECKABLE),
                                        ("only this outlet?", "says only one outlet carries", ONLY_HERE,
                                         EXCLUSIVE_UNCHECKABLE)):
        part = checks[checks["question"] == question]
        if part.empty:
            continue
        verdicts = part["verdict"].str.split(":").str[0].str.replace(r"^only this outlet names .*", ONLY_HERE, regex=True)
        held = int((verdicts == holds).sum())
        other_words = int(verdicts.str.endswith(CARRIED_OTHERWISE).sum())
        unknown = int((verdicts == NOT_CHECKABLE).sum())
        sentences.append(f"Of {len(part)} fact{'s' if len(part) != 1 else ''} the grouping {claim}, {held} "
                         f"hold{'s' if held == 1 else ''} up when the text is read; for {other_words} a sentence "
                         f"holds ≥ {CONTENT_OVERLAP_CARRIES:.0%} of the fact's content words, weighted by how few of "
                         f"the event's articles use each (it may carry it in "
                         f"other words), and {unknown} cannot be checked ({why}).")
    return " ".join(sentences) + aside


def coverage_findings(facts: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame,
                      entities: pd.DataFrame | None = None) -> list[dict]:
    """Facts all of an event's outlets but one carry (that one is said to leave it out), and per
    outlet what only it reports, from the checks of :func:`coverage_checks`: an omission is a
    *leaves it out* verdict on a fact every other outlet (at least :data:`OMISSION_MIN_CARRIERS`,
    of three or more outlets) carries; an outlet's exclusive names are its *only this outlet names*
    verdicts, one finding per outlet."""
    if facts.empty or articles.empty:
        return []
    seen, checks = _judged(facts, articles, sentences, entities, min_share=None)
    lookup, lead = seen.lookup, seen.lead
    rows = []
    exclusive: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for check in checks:
        if check["_exclusive"]:
            exclusive[(check["event"], check["outlet"])].append(check)
            continue
        n_outlets, carriers, pairs = check["_n_outlets"], check["_carriers"], check["_pairs"]
        if not check["_absent"] or n_outlets < 3 or len(carriers) != n_outlets - 1:
            continue
        missing, example = check["outlet"], min(pairs, key=lambda p: (len(lookup.text.get(p, "")), p))
        in_lead = sum(1 for p in pairs if p in lead)
        statement = (f"{missing} leaves out what {join_names(carriers)} report: "
                     f"“{shorten(lookup.text.get(example, ''), 150)}”"
                     + (f" ({in_lead} of these sentences in a headline or lead)" if in_lead else "")
                     + f" — {missing} never mentions " + join_names([f"“{k}”" for k in check["_absent"][:4]]) + ".")
        rows.append(_row("omission", check["event"], statement, [missing] + carriers,
                         [a for a, _ in pairs] + check["_omitting"], pairs, len(carriers) / n_outlets,
                         "facts: a fact every outlet of the event but one carries; no sentence of that outlet "
                         f"holds ≥ {CONTENT_OVERLAP_CARRIES:.0%} of its content-word stems, and a name or number "
                         "most carrying sentences give is absent from its text; strength = share of outlets carrying it",
                         1.0, 0.6 + 0.4 * min(1.0, in_lead / max(1, len(pairs)))))
    events_articles = ({event: list(group["article_id"]) for event, group in articles.groupby("event", sort=False)}
                       if exclusive else {})
    for (event, outlet), outlet_checks in sorted(exclusive.items()):
        names: dict[str, list[tuple[str, int]]] = defaultdict(list)
        forms: dict[str, Counter] = defaultdict(Counter)
        for check in outlet_checks:
            for key, found in check["_exclusive"].items():
                for pair, canonical in found:
                    names[key].append(pair)
                    forms[key][canonical] += 1
        # One name per key ("Patrick Shanahan", "Shanahan"): a full form over a bare surname, then
        # the form read most often, then the shortest ("Mara Quill" over the model's
        # "Veldoria Mara Quill").
        places = seen.places_in.get(event, set())
        shown_as = {key: without_leading_place(min(counts, key=lambda f: (len(f.split()) < 2, -counts[f], len(f), f)),
                                               places)
                    for key, counts in forms.items()}
        keys = sorted(names, key=lambda k: (min(names[k]), k))
        ordered = list(dict.fromkeys(shown_as[k] for k in keys))
        evidence = sorted({p for k in keys for p in names[k]})
        example = min(evidence, key=lambda p: (p not in lead, p))
        shown = join_names(ordered[:5]) + (f" and {len(ordered) - 5} more" if len(ordered) > 5 else "")
        in_lead = sum(1 for p in evidence if p in lead)
        n_outlets = outlet_checks[0]["_n_outlets"]
        statement = (f"Only {outlet} mentions {shown}, in {len(evidence)} sentence{'s' if len(evidence) != 1 else ''} "
                     f"that no other outlet's reporting matches; e.g. “{shorten(lookup.text.get(example, ''), 140)}”"
                     + (f" ({in_lead} in its headline or lead)." if in_lead else "."))
        caveat, elsewhere = _shared_details(seen, evidence, outlet, set(keys), events_articles.get(event, []))
        statement += caveat
        rows.append(_row("exclusive_facts", event, statement, [outlet], sorted({a for a, _ in evidence}),
                         evidence + elsewhere,
                         len(ordered),
                         "facts: single-outlet facts that name an entity no other outlet's text names; "
                         "strength = such names", 2 / max(2, n_outlets), 0.3 + 0.1 * len(ordered) + 0.3 * bool(in_lead)))
    return rows


def _shared_details(seen: _CoverageEvidence, evidence: list[tuple[str, int]], outlet: str, exclusive_keys: set[str],
                    event_articles: list[str]) -> tuple[str, list[tuple[str, int]]]:
    """What an outlet's exclusive sentences (``evidence``) share with few other outlets: a name
    they give (not among ``exclusive_keys``) that at least one other outlet of the event names too
    but at most half of the others — a detail, not the story's main actors — so that "no other
    outlet's reporting matches" is not read as "no other outlet reports it": the two may tell the
    same thing in other words. Returns the sentence saying so ("" when there is none) and, for
    evidence, each such outlet's first sentence giving one of those names."""
    others = sorted({seen.outlet_name.get(a, "") for a in event_articles} - {outlet, "", UNKNOWN_OUTLET})
    if not others:
        return "", []
    own_keys: dict[str, str] = {}
    for pair in evidence:
        for key, canonical, _ in seen.named.get(pair, ()):
            if key in seen.names_in.get(pair, ()) and key not in exclusive_keys:
                own_keys.setdefault(key, canonical)
    if not own_keys:
        return "", []
    # each other outlet's first sentence (article, then sentence order) naming each key
    first: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for art in event_articles:
        name = seen.outlet_name.get(art, "")
        if name not in others:
            continue
        for sid, _ in seen.lookup.by_article.get(art, []):
            for key in seen.names_in.get((art, sid), ()):
                if key in own_keys:
                    first[key].setdefault(name, (art, sid))
    details = {key: outlets for key, outlets in first.items() if 2 * len(outlets) <= len(others)}
    if not details:
        return "", []
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for key in sorted(details, key=lambda k: (min(p for p in evidence if k in seen.names_in.get(p, ())), k)):
        for name in details[key]:
            by_outlet[name].append(own_keys[key])
    parts, where = [], []
    for name in sorted(by_outlet):
        pair = min(outlets[name] for outlets in details.values() if name in outlets)
        where.append(pair)
        parts.append(f"{join_names(list(dict.fromkeys(by_outlet[name])))}, as {name} does "
                     f"(“{shorten(seen.lookup.text.get(pair, ''), 120)}”)")
    return (f" But these sentences also name {'; and '.join(parts)}: the outlets may report the same thing "
            "in other words.", where)


#: Entity labels whose names make a sentence checkably exclusive ("only X names Y").
#: Nationalities (NORP) are left out: "Norlandic" vs "Norland's" is wording, not a fact.
EXCLUSIVE_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})


#: The ``coverage_matrix`` status of a cell the grouping calls absent but :func:`coverage_checks`
#: finds a close sentence for: the outlet may carry the fact in other words.
CLOSE_SENTENCE = "close sentence"


def with_close_sentences(coverage: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """``coverage`` (the ``coverage_matrix`` table) with each ``absent`` cell that
    :func:`coverage_checks` answers *may carry it in other words* marked :data:`CLOSE_SENTENCE`, so
    a chart of the matrix does not show as missing what the outlet may say in other words: the
    outlet's cell of a fact it is said to leave out, and for a fact one outlet alone is said to
    carry, the cell of the outlet holding the close sentence (a row added, as the matrix has no
    "absent" row for a one-outlet fact). Same columns; no row changes but its status."""
    if coverage.empty or checks.empty:
        return coverage
    close = checks[checks["verdict"].astype(str).str.endswith(CARRIED_OTHERWISE)]
    outlets = (close["closest_outlet"] if "closest_outlet" in close.columns else close["outlet"]).where(
        close["question"] != "left out?", close["outlet"])
    keys = set(zip(outlets, close["fact_id"]))
    hit = [(o, f) in keys and st == "absent" for o, f, st in zip(coverage["outlet"], coverage["fact_id"], coverage["status"])]
    marked = coverage.assign(status=coverage["status"].where(~pd.Series(hit, index=coverage.index), CLOSE_SENTENCE))
    # A one-outlet fact has a row for its outlet only (the matrix lists no "absent" cells for it):
    # the cell of the outlet with the close sentence is added, after the fact's own row.
    present = set(zip(coverage["outlet"], coverage["fact_id"]))
    single = coverage[coverage["status"] == "single"].drop_duplicates("fact_id").set_index("fact_id")
    added = [dict(single.loc[f].to_dict(), fact_id=f, outlet=o, status=CLOSE_SENTENCE)
             for o, f in sorted(keys) if f in single.index and (o, f) not in present]
    if not added:
        return marked
    extra = pd.DataFrame(added, columns=coverage.columns)
    order = {f: i for i, f in enumerate(dict.fromkeys(coverage["fact_id"]))}
    joined = pd.concat([marked, extra], ignore_index=True)
    joined["_order"] = joined["fact_id"].map(order)
    return joined.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
