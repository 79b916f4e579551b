"""Emphasis: what each article and outlet puts first, what it buries, and its tone toward actors.

Takes ``sentences``, ``entities``, ``articles`` and ``facts``; gives the ``emphasis``,
``story_leaders``, ``leads_and_buries``, ``tone_sentences`` and ``tone`` tables (``EMPHASIS_COLUMNS`` …
``TONE_COLUMNS``).

An *aspect* is anything that can be mentioned in a sentence: an entity (its ``canonical`` name),
a frame (from :func:`helpers.compare.framing.score_frames`) or a fact cluster (any table with
``article_id, sent_id`` and a ``fact`` / ``fact_id`` / ``cluster`` / ``cluster_id`` column).

Prominence of aspect *a* in article *d* (:func:`emphasis`)::

    prominence(a, d) = H·in_headline + L·in_lead + Σ_{s ∋ a} (words_s / W_d) · (1.5 − position_s)

with H = 1.0, L = 0.5, ``s`` running over the distinct sentences of *d* that mention *a*,
``words_s`` the whitespace words of sentence *s*, ``W_d`` the words of all sentences of *d*
(headline included) and ``position_s`` ∈ [0, 1] the sentence's position (0 first, 1 last). The
sum is the aspect's share of the article's words, with each sentence weighted from 1.5 (top)
down to 0.5 (end) — on average 1, so an aspect spread evenly scores about its word share, one
packed at the top up to 1.5× it. The bonuses make being in the headline worth as much as
filling the whole article evenly, and being in the lead half that. Examples: an entity only in
the headline (5 of 30 words) scores 1 + 5/30·1.5 = 1.25; one only in the last sentence (5 of 30
words) scores 5/30·0.5 ≈ 0.083.

Tone (:func:`tone_sentences`, :func:`tone`): the VADER compound score (−1 … +1) of every sentence
that mentions an actor, averaged per outlet × actor. A sentence's tone is not necessarily the
tone *toward* that actor (a quote by the actor, or a sentence naming two actors, counts for
each); read the sentence table behind every mean.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from helpers import names
from helpers.annotate.tone import ACTOR_LABELS, compound_scores
from helpers.compare.overview import UNKNOWN_OUTLET
from helpers.compare.schema import EMPHASIS_COLUMNS, LEADER_COLUMNS, LEADS_COLUMNS, TONE_COLUMNS, TONE_SENT_COLUMNS
from helpers.text import whitespace_word_counts

HEADLINE_BONUS = 1.0
LEAD_BONUS = 0.5
FACT_COLUMNS = ("fact", "fact_id", "cluster", "cluster_id", "aspect")

def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _sentence_frame(sentences: pd.DataFrame) -> pd.DataFrame:
    """article_id, sent_id, words, position, in_headline, in_lead — with defaults for missing columns."""
    s = sentences[["article_id", "sent_id"]].copy()
    s["words"] = whitespace_word_counts(sentences["text"])
    if "position" in sentences:
        s["position"] = pd.to_numeric(sentences["position"], errors="coerce").fillna(0.0).clip(0, 1).to_numpy()
    else:
        rank = s.groupby("article_id")["sent_id"].rank(method="first") - 1
        n = s.groupby("article_id")["sent_id"].transform("size") - 1
        s["position"] = (rank / n.where(n > 0, 1)).fillna(0.0)
    for col in ("in_headline", "in_lead"):
        s[col] = sentences[col].fillna(False).astype(bool).to_numpy() if col in sentences else False
    return s.drop_duplicates(["article_id", "sent_id"])


def _entity_mentions(entities: pd.DataFrame | None, labels: Iterable[str] | None = None) -> pd.DataFrame:
    if entities is None or len(entities) == 0:
        return pd.DataFrame(columns=["article_id", "sent_id", "aspect_kind", "aspect"])
    e = entities
    if labels is not None and "label" in e:
        e = e[e["label"].isin(list(labels))]
    name = e["canonical"] if "canonical" in e else e["text"]
    name = name.fillna("").astype(str).where(name.fillna("").astype(str).str.strip() != "", e["text"].astype(str))
    if "label" in e:
        # a nationality is its country as an actor: "her German counterpart" gives Germany
        # prominence, as "Germany" does (names.country_of; one that names no country stays)
        countries = {n: names.country_of(n) for n in set(name[e["label"] == "NORP"])}
        name = name.where(e["label"] != "NORP", name.map(lambda n: countries.get(n) or n))
    return pd.DataFrame({"article_id": e["article_id"].to_numpy(), "sent_id": e["sent_id"].to_numpy(),
                         "aspect_kind": "entity", "aspect": name.str.strip().to_numpy()})


def _fact_mentions(facts: pd.DataFrame | None) -> pd.DataFrame:
    if facts is None or len(facts) == 0:
        return pd.DataFrame(columns=["article_id", "sent_id", "aspect_kind", "aspect"])
    col = next((c for c in FACT_COLUMNS if c in facts), None)
    if col is None:
        raise ValueError(f"facts needs article_id, sent_id and one of {', '.join(FACT_COLUMNS)}")
    return pd.DataFrame({"article_id": facts["article_id"].to_numpy(), "sent_id": facts["sent_id"].to_numpy(),
                         "aspect_kind": "fact", "aspect": facts[col].astype(str).to_numpy()})


def emphasis(articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame | None, *,
             frames: pd.DataFrame | None = None, facts: pd.DataFrame | None = None,
             entity_labels: Iterable[str] | None = None, headline_bonus: float = HEADLINE_BONUS,
             lead_bonus: float = LEAD_BONUS) -> pd.DataFrame:
    """Per article × aspect (entity, frame, fact): where and how much it appears.

    Returns ``article_id, aspect_kind, aspect, in_headline, in_lead, first_position, word_share,
    prominence, n_sentences``; ``first_position`` is the position (0–1) of the first sentence
    mentioning the aspect, ``word_share`` the words of the sentences mentioning it over all the
    article's words; ``prominence`` as in the module docstring. An entity is its canonical name,
    a nationality (NORP) its country ("German" → Germany, :func:`helpers.names.country_of`).
    ``entity_labels`` restricts entities to those NER labels (default: all). Only articles present
    in ``articles`` are kept.

    An article whose text holds no headline (``body_start`` 0) is read with the headline a reader
    sees for it — its ``title``, else its URL's words, as the front page shows them — and an
    entity that headline names (:func:`_named_in`) is ``in_headline``: otherwise only the outlets
    that print their headline in the text could put an actor in a headline, and their actors would
    look more prominent for that alone. Frames and facts are found in the text's sentences only.
    """
    if sentences is None or len(sentences) == 0 or articles is None or len(articles) == 0:
        return _empty(EMPHASIS_COLUMNS)
    parts = [_entity_mentions(entities, entity_labels), _fact_mentions(facts)]
    if frames is not None and len(frames):
        parts.append(pd.DataFrame({"article_id": frames["article_id"].to_numpy(), "sent_id": frames["sent_id"].to_numpy(),
                                   "aspect_kind": "frame", "aspect": frames["frame"].astype(str).to_numpy()}))
    parts = [p for p in parts if len(p)]
    if not parts:
        return _empty(EMPHASIS_COLUMNS)
    m = pd.concat(parts, ignore_index=True)
    m = m[m["article_id"].isin(set(articles["article_id"])) & (m["aspect"].astype(str).str.strip() != "")]
    m = m.drop_duplicates(["article_id", "sent_id", "aspect_kind", "aspect"])
    s = _sentence_frame(sentences)
    total = s.groupby("article_id")["words"].sum()
    m = m.merge(s, on=["article_id", "sent_id"], how="inner")
    if len(m) == 0:
        return _empty(EMPHASIS_COLUMNS)
    m["share"] = m["words"] / m["article_id"].map(total).replace(0, np.nan)
    m["share"] = m["share"].fillna(0.0)
    m["weighted"] = m["share"] * (1.5 - m["position"])
    # one reduction per column, not named aggregations: the same figures at half the fixed cost
    # (~7 ms a call), which a story of a few articles pays once per event
    grouped = m.groupby(["article_id", "aspect_kind", "aspect"], sort=True)
    g = pd.DataFrame({"in_headline": grouped["in_headline"].any(), "in_lead": grouped["in_lead"].any(),
                      "first_position": grouped["position"].min(), "word_share": grouped["share"].sum(),
                      "weighted": grouped["weighted"].sum(), "n_sentences": grouped["sent_id"].nunique()}).reset_index()
    g["in_headline"] = g["in_headline"].astype(bool) | _named_in_outside_headline(g, articles)
    g["prominence"] = (headline_bonus * g["in_headline"].astype(float) + lead_bonus * g["in_lead"].astype(float)
                       + g["weighted"])
    g = g.sort_values(["article_id", "aspect_kind", "prominence", "aspect"], ascending=[True, True, False, True])
    return g[EMPHASIS_COLUMNS].reset_index(drop=True)


def story_leaders(articles: pd.DataFrame, sentences: pd.DataFrame, entities: pd.DataFrame, *,
                  labels: Iterable[str] = ACTOR_LABELS, top: int = 3) -> pd.DataFrame:
    """Who leads the story: the first ``top`` distinct actors named in each article's headline and lead.

    Returns ``article_id, outlet, where ("headline"/"lead"), rank (1 = first named), actor
    (canonical), label, text`` (the surface form of that first mention), in reading order.
    """
    if any(x is None or len(x) == 0 for x in (articles, sentences, entities)):
        return _empty(LEADER_COLUMNS)
    # Plain Python over the entities: a story's headlines and leads name a handful of actors, and
    # a merge, two sorts and a group-by per call cost ~30 ms even for three articles (once per event).
    flags: dict[tuple, tuple[bool, bool]] = {}
    in_headline, in_lead = (sentences[c].fillna(False).astype(bool).tolist() if c in sentences
                            else [False] * len(sentences) for c in ("in_headline", "in_lead"))
    for key, flag in zip(zip(sentences["article_id"].tolist(), sentences["sent_id"].tolist()), zip(in_headline, in_lead)):
        flags.setdefault(key, flag)  # a sentence's first row, as the sentence frame keeps it
    e = entities[entities["label"].isin(list(labels))] if "label" in entities else entities
    ids, sids, starts, texts = (e[c].tolist() for c in ("article_id", "sent_id", "start", "text"))
    named = (e["canonical"].fillna("").astype(str) if "canonical" in e else e["text"].astype(str)).tolist()
    kinds = e["label"].tolist() if "label" in e else [""] * len(e)
    # the canonical name, or the words as written where it is blank
    actors = [t if isinstance(a, str) and a.strip() == "" else a for a, t in zip(named, texts)]
    rows = []
    for where, flag in (("headline", 0), ("lead", 1)):
        placed = [i for i, key in enumerate(zip(ids, sids)) if key in flags and flags[key][flag]]
        placed.sort(key=lambda i: (ids[i], sids[i], starts[i]))  # stable: ties keep the table's order
        seen: set[tuple] = set()
        rank: dict[object, int] = defaultdict(int)
        for i in placed:
            actor = actors[i]
            key = (ids[i], actor if isinstance(actor, str) else None)  # a missing name is one name
            if key in seen:
                continue
            seen.add(key)
            rank[ids[i]] += 1
            if rank[ids[i]] <= top:
                rows.append((ids[i], where, rank[ids[i]], actor, kinds[i], texts[i]))
    if not rows:
        return _empty(LEADER_COLUMNS)
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    outlet = {}
    if "outlet" in articles:
        for aid, name in zip(articles["article_id"].tolist(), articles["outlet"].tolist()):
            outlet.setdefault(aid, name)
    outlets = [outlet.get(r[0]) for r in rows]
    return pd.DataFrame({"article_id": [r[0] for r in rows],
                         "outlet": [o if isinstance(o, str) or not pd.isna(o) else "" for o in outlets],
                         "where": [r[1] for r in rows], "rank": np.asarray([r[2] for r in rows], dtype="int64"),
                         "actor": [r[3] for r in rows], "label": [r[4] for r in rows], "text": [r[5] for r in rows]})


#: How many times an outlet's own prominence of an aspect the other outlets' must be for the
#: outlet to bury it: half as much again (0.22 against 0.22 is the same place in the story).
BURY_MIN_RATIO = 1.5


def outlet_leads_and_buries(emph: pd.DataFrame, articles: pd.DataFrame, *, top: int = 5,
                            kinds: Iterable[str] | None = None, by: str = "outlet",
                            fact_rows: Callable[[list[str]], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Per outlet: the aspects it leads with and the aspects it buries, from :func:`emphasis`.

    For each outlet × aspect: ``prominence`` = mean prominence over the outlet's articles (an
    article not mentioning the aspect counts 0), ``others_prominence`` the same over all other
    outlets' articles, ``headline_share`` / ``lead_share`` / ``coverage`` the fraction of the
    outlet's articles with it in the headline / lead / anywhere, ``first_position`` the median
    position of its first mention where mentioned.

    * ``leads``: the ``top`` aspects by prominence among those in the outlet's headlines or leads.
    * ``buries``: aspects the outlet does mention but never in a headline or lead, while the other
      outlets give them clearly more prominence (at least :data:`BURY_MIN_RATIO` times its own: a
      sentence's place moves prominence a little, which is no burying) and it gives them no
      larger share of its words than the others do (an outlet that says more about an actor, late
      in its story, has not buried it); ranked by ``others_prominence − prominence``. Read
      against the text (``articles.text``): an actor the headline or lead of one of the outlet's
      articles names (any form of its name) is not buried, nor a fact one of the outlet's
      articles carrying it states in its headline and lead in other words: at least
      :data:`CONTENT_OVERLAP_CARRIES` of the content words of one of the fact's sentences (any
      outlet's wording of it) are there (the fact grouping missed a paraphrase in the opening:
      the coverage checks' test). ``fact_rows``: the ``facts`` table's rows (``fact_id, text``)
      of the fact ids given, asked once for the facts that could be buried (None: facts are not
      checked).
    """
    if emph is None or len(emph) == 0 or articles is None or len(articles) == 0:
        return _empty(LEADS_COLUMNS)
    art = articles[["article_id", by]].drop_duplicates("article_id")
    n_art = art.groupby(by)["article_id"].nunique()
    e = emph.merge(art, on="article_id", how="inner")
    if kinds is not None:
        e = e[e["aspect_kind"].isin(list(kinds))]
    if not len(e):
        return _empty(LEADS_COLUMNS)
    key = ["aspect_kind", "aspect"]
    opening_text = _opening_text_by(articles, by)
    fact_openings = _FactOpenings(e, articles, by, fact_rows) if fact_rows is not None and opening_text else None
    if "word_share" not in e.columns:  # an emphasis table without it: space is not compared
        e = e.assign(word_share=0.0)
    g = e.groupby([by] + key).agg(prom_sum=("prominence", "sum"), head=("in_headline", "sum"),
                                  lead=("in_lead", "sum"), n=("article_id", "nunique"),
                                  first_position=("first_position", "median"),
                                  share_sum=("word_share", "sum")).reset_index()
    g["n_articles"] = g[by].map(n_art)
    total_prom = g.groupby(key)["prom_sum"].transform("sum")
    total_art = len(art)
    g["prominence"] = g["prom_sum"] / g["n_articles"]
    others_n = total_art - g["n_articles"]
    g["others_prominence"] = ((total_prom - g["prom_sum"]) / others_n.where(others_n > 0, np.nan)).fillna(0.0)
    # the space given: mean share of the articles' words, the outlet's and the others'
    total_share = g.groupby(key)["share_sum"].transform("sum")
    own_space = g["share_sum"] / g["n_articles"]
    others_space = ((total_share - g["share_sum"]) / others_n.where(others_n > 0, np.nan)).fillna(0.0)
    g["_more_space"] = own_space > others_space
    g["headline_share"] = g["head"] / g["n_articles"]
    g["lead_share"] = g["lead"] / g["n_articles"]
    g["coverage"] = g["n"] / g["n_articles"]
    rows = []
    by_outlet = []
    for outlet, sub in g.groupby(by, sort=True):
        buried = sub[((sub["head"] + sub["lead"]) == 0)
                     & (sub["others_prominence"] > sub["prominence"])
                     & (sub["others_prominence"] >= BURY_MIN_RATIO * sub["prominence"])
                     & ~sub["_more_space"]].copy()
        buried["gap"] = buried["others_prominence"] - buried["prominence"]
        by_outlet.append((outlet, sub, buried.sort_values(["gap", "aspect"], ascending=[False, True], kind="stable")))
    if fact_openings is not None:
        # the facts' text, read once for every outlet's first candidates (a fact's text is in the
        # facts table, which on a large corpus is read in part)
        fact_openings.read([a for _, _, buried in by_outlet
                            for kind, a in zip(buried["aspect_kind"].head(_BURIED_CHECKED * top),
                                               buried["aspect"].head(_BURIED_CHECKED * top)) if kind == "fact"])
    for outlet, sub, buried in by_outlet:
        leads = sub[(sub["head"] + sub["lead"]) > 0].sort_values(["prominence", "aspect"], ascending=[False, True]).head(top)
        if len(buried) and opening_text is not None:
            # an actor named in the headline or lead of one of the outlet's articles is never
            # buried by it, even when that mention was not linked to the same canonical name;
            # checked in rank order until ``top`` are kept (the check searches the outlet's
            # openings, and an outlet can mention thousands of actors)
            opening = opening_text.get(outlet, "")
            kept: list[int] = []
            for i, (kind, aspect) in enumerate(zip(buried["aspect_kind"], buried["aspect"])):
                if len(kept) == top:
                    break
                if kind == "entity" and _named_in(aspect, opening):
                    continue
                if kind == "fact" and fact_openings is not None and fact_openings.opens_with(outlet, aspect):
                    continue
                kept.append(i)
            buried = buried.iloc[kept]
        buried = buried.head(top)
        for role, part in (("leads", leads), ("buries", buried)):
            part = part.copy()
            part["role"] = role
            part["rank"] = np.arange(1, len(part) + 1)
            rows.append(part)
    out = pd.concat(rows, ignore_index=True).rename(columns={by: "outlet"})
    return out[LEADS_COLUMNS].reset_index(drop=True)


#: How many of an outlet's buried candidates (× ``top``) have their facts' text read for the check.
_BURIED_CHECKED = 4


class _FactOpenings:
    """Whether an outlet's article carrying a fact states it in its headline and lead in other
    words: at least :data:`CONTENT_OVERLAP_CARRIES` of the content-word stems
    (:func:`helpers.compare.findings.common.content_words`) of one of the fact's sentences (any
    outlet's wording; a sentence of fewer than three is not compared) among its opening's, as the
    coverage checks compare a fact with a sentence. ``emph``: the emphasis rows with ``by``; the
    facts' rows come from ``fact_rows`` for the ids given to :meth:`read`."""

    def __init__(self, emph: pd.DataFrame, articles: pd.DataFrame, by: str,
                 fact_rows: Callable[[list[str]], pd.DataFrame]):
        self._facts = emph.loc[emph["aspect_kind"] == "fact", [by, "aspect", "article_id"]]
        self._articles, self._fact_rows = articles, fact_rows
        self._asked: set[str] = set()
        self._wordings: dict[str, list[set[str]]] = defaultdict(list)  # fact id -> its sentences' content words
        self._carriers: dict[tuple[object, str], list[str]] = {}
        self._openings: dict[str, set[str]] = {}  # article id -> its headline and lead's content words

    def read(self, fact_ids: list[str]) -> None:
        """Read the rows of ``fact_ids`` (once each), their carrying articles and those articles'
        headline and lead."""
        from helpers.compare.findings.common import content_words

        wanted = sorted(set(fact_ids) - self._asked)
        if not wanted:
            return
        self._asked.update(wanted)
        found = self._fact_rows(wanted)
        for fact_id, text in zip(found["fact_id"], found["text"]):
            words = content_words(text)
            if len(words) >= 3:
                self._wordings[fact_id].append(words)
        rows = self._facts[self._facts["aspect"].isin(wanted)]
        for group, fact_id, article_id in rows.itertuples(index=False, name=None):
            self._carriers.setdefault((group, fact_id), []).append(article_id)
        opened = self._articles[self._articles["article_id"].isin(set(rows["article_id"]) - set(self._openings))]
        self._openings.update({a: content_words(text) for a, text in (_opening_text_by(opened, "article_id") or {}).items()})

    def opens_with(self, outlet: object, fact_id: str) -> bool:
        """True when an article of ``outlet`` carrying ``fact_id`` (read by :meth:`read`) holds one
        of the fact's wordings in its headline and lead."""
        from helpers.compare.findings.common import CONTENT_OVERLAP_CARRIES

        wordings = self._wordings.get(fact_id, [])
        for article_id in self._carriers.get((outlet, fact_id), ()):
            opening = self._openings.get(article_id, set())
            if any(len(words & opening) / len(words) >= CONTENT_OVERLAP_CARRIES for words in wordings):
                return True
        return False


def _headline_outside_text(articles: pd.DataFrame) -> dict[str, str]:
    """``article_id`` -> the headline of each article whose text holds none (``body_start`` 0):
    its ``title``, else the words of its URL (:func:`helpers.compare.findings.headline_from_url`);
    articles with an in-text headline, or with neither, are left out."""
    from helpers.compare.findings.page import headline_from_url

    if "body_start" not in articles:
        return {}
    outside = articles[articles["body_start"].fillna(0).astype(int) <= 0]
    titles = outside["title"].fillna("").astype(str) if "title" in outside else pd.Series("", index=outside.index)
    urls = outside["url"] if "url" in outside else pd.Series("", index=outside.index)
    found = {aid: title.strip() or headline_from_url(url) for aid, title, url in zip(outside["article_id"], titles, urls)}
    return {aid: headline for aid, headline in found.items() if headline}


def _named_in_outside_headline(rows: pd.DataFrame, articles: pd.DataFrame) -> np.ndarray:
    """For each ``rows`` (``article_id, aspect_kind, aspect``) entity, whether the headline of its
    article — when the text holds none (:func:`_headline_outside_text`) — names it."""
    headlines = _headline_outside_text(articles)
    named = np.zeros(len(rows), dtype=bool)
    if not headlines:
        return named
    for k, (article, kind, aspect) in enumerate(zip(rows["article_id"], rows["aspect_kind"], rows["aspect"])):
        headline = headlines.get(article)
        if headline is not None and kind == "entity":
            named[k] = _named_in(aspect, headline)
    return named


def _opening_text_by(articles: pd.DataFrame, by: str) -> dict | None:
    """Per group (outlet): the headline and lead of its articles (first body paragraph, extended to
    two sentences as ``sentences.in_lead`` is), joined; None when ``articles`` has no ``text``.
    The headline is the text's own (before ``body_start``); when the text holds none, the
    ``title`` column's, else the words of the article's URL, as the front page's headlines show
    them (:func:`helpers.compare.findings.headline_from_url`): a reader who sees an outlet's
    headline name something is not told that the outlet buries it."""
    from helpers.compare.findings.page import headline_from_url

    if "text" not in articles:
        return None
    starts = articles["body_start"] if "body_start" in articles else pd.Series(0, index=articles.index)
    titles = articles["title"].fillna("").astype(str) if "title" in articles else pd.Series("", index=articles.index)
    urls = articles["url"] if "url" in articles else pd.Series("", index=articles.index)
    out: dict = {}
    for group, text, start, title, url in zip(articles[by], articles["text"].fillna("").astype(str),
                                              starts.fillna(0).astype(int), titles, urls):
        headline = text[:start] if start > 0 else (title.strip() or headline_from_url(url))
        # the lead as the sentences table counts it: the first body paragraph, or more paragraphs
        # until it holds two sentences
        paragraphs = [p for p in text[max(start, 0):].split("\n\n") if p.strip()]
        lead: list[str] = []
        n_sentences = 0
        for paragraph in paragraphs:
            lead.append(paragraph)
            # a paragraph is at least one sentence, closing punctuation or not (a standfirst)
            n_sentences += max(1, len(_SENTENCE_ENDS.findall(paragraph + " ")))
            if n_sentences >= 2:
                break
        # pieces joined once per group (adding to a growing string is quadratic in an outlet's articles)
        out.setdefault(group, []).append("\n" + headline + " " + " ".join(lead))
    return {group: "".join(pieces) for group, pieces in out.items()}


_SENTENCE_ENDS = re.compile(r"[.!?…][\"”’')\]]*\s")


#: Capitalised words joined by hyphens ("Aus-NZ", "Swiss-Austrian"): a pair of places, often clipped.
_HYPHENATED_PAIR = re.compile(r"(?<![\w-])[A-Z][A-Za-z]{2,}(?:-[A-Z][A-Za-z]+)+(?![\w-])")


def _named_in(actor: str, text: str) -> bool:
    """True when ``actor`` (a canonical name) is written in ``text``: the whole name; for a
    country its demonym or short form too; for a person's name of two or more words its last
    word (a surname: "Ana Ruiz" in "… Ruiz said"); for a country also a clipped form of it in a
    hyphenated pair ("Aus-NZ relations" names Australia)."""
    actor = str(actor).strip()
    if not actor or not text:
        return False
    if re.search(r"(?<!\w)" + re.escape(actor) + r"(?!\w)", text, flags=re.IGNORECASE):
        return True
    country = names.country_of(actor)
    if country:
        # a country is also named by its demonym or short form ("Saudi Arabian", "U.S."); short
        # forms only as written in capitals ("US", never the pronoun "us")
        forms = [k for k, v in names.data().countries.items() if v == country]
        if any(re.search(r"(?<!\w)" + re.escape(f) + r"(?!\w)", text, flags=re.IGNORECASE) if len(f) > 3
               else re.search(r"(?<!\w)" + re.escape(f.upper()) + r"(?!\w)", text) for f in forms):
            return True
        # a clipped form in a hyphenated pair of countries ("Aus-NZ talks" for Australia and New
        # Zealand): a part of three letters or more that begins the country's name
        return any(len(part) >= 3 and country.lower().startswith(part.lower())
                   for pair in _HYPHENATED_PAIR.findall(text) for part in pair.split("-"))
    words = actor.split()
    person_like = (len(words) >= 2 and names.looks_like_name(actor) and not names.country_of(actor)
                   and not any(w.lower() in names.data().org_words for w in words))
    # the surname, capitalised as written: "Ruiz said", never "the united states"
    return person_like and len(words[-1]) > 2 and re.search(r"(?<!\w)" + re.escape(words[-1]) + r"(?!\w)", text) is not None


def tone_sentences(sentences: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame, *,
                   labels: Iterable[str] | None = ACTOR_LABELS, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sentence table behind :func:`tone`: one row per sentence × actor it mentions.

    Returns ``article_id, sent_id, outlet, actor, compound`` (VADER compound, −1 … +1), by
    article, sentence and actor. The sentence's text is not repeated here (once per actor it
    names; millions of rows on a large corpus): it is in ``sentences`` by ``article_id, sent_id``.
    ``scores``: sentences' compounds already computed (``article_id, sent_id, compound``, from
    :func:`helpers.annotate.tone.sentence_tone` in the per-article stage); a sentence without
    one is scored here.
    """
    if any(x is None or len(x) == 0 for x in (sentences, entities, articles)):
        return _empty(TONE_SENT_COLUMNS)
    m = _entity_mentions(entities, labels).drop_duplicates(["article_id", "sent_id", "aspect"])
    m = m.rename(columns={"aspect": "actor"}).drop(columns="aspect_kind")
    s = sentences[["article_id", "sent_id", "text"]].drop_duplicates(["article_id", "sent_id"])
    m = m.merge(s, on=["article_id", "sent_id"], how="inner")
    outlet = articles.drop_duplicates("article_id").set_index("article_id")["outlet"] if "outlet" in articles else None
    m = m[m["article_id"].isin(set(articles["article_id"]))]
    if not len(m):
        return _empty(TONE_SENT_COLUMNS)
    known = ({} if scores is None or scores.empty else
             dict(zip(zip(scores["article_id"].tolist(), scores["sent_id"].tolist()), scores["compound"].tolist())))
    found = [known.get(key) for key in zip(m["article_id"].tolist(), m["sent_id"].tolist())]
    todo = [i for i, value in enumerate(found) if value is None]
    if todo:
        texts = m["text"].fillna("").astype(str).tolist()
        for i, value in zip(todo, compound_scores(texts[i] for i in todo)):
            found[i] = value
    m["compound"] = found
    m["outlet"] = m["article_id"].map(outlet).fillna("") if outlet is not None else ""
    return m.sort_values(["article_id", "sent_id", "actor"]).reset_index(drop=True)[TONE_SENT_COLUMNS]


def tone(sentences: pd.DataFrame, entities: pd.DataFrame, articles: pd.DataFrame, *,
         labels: Iterable[str] | None = ACTOR_LABELS, min_sentences: int = 1,
         sentence_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tone toward each actor per outlet: mean VADER compound of the sentences mentioning it.

    Returns ``outlet, actor, mean, n_sentences, n_articles, sd``; pass ``sentence_table`` (from
    :func:`tone_sentences`) to avoid scoring twice. Rows with fewer than ``min_sentences`` are
    dropped.
    """
    t = sentence_table if sentence_table is not None else tone_sentences(sentences, entities, articles, labels=labels)
    if t is None or len(t) == 0:
        return _empty(TONE_COLUMNS)
    g = t.groupby(["outlet", "actor"]).agg(mean=("compound", "mean"), n_sentences=("sent_id", "size"),
                                           n_articles=("article_id", "nunique"), sd=("compound", "std")).reset_index()
    g["sd"] = g["sd"].fillna(0.0)
    g = g[g["n_sentences"] >= min_sentences]
    return g.sort_values(["outlet", "n_sentences", "actor"], ascending=[True, False, True]).reset_index(drop=True)[TONE_COLUMNS]


def prominence_by_outlet(emph: pd.DataFrame, articles: pd.DataFrame, *, aspect_kind: str = "entity",
                         top: int = 12) -> pd.DataFrame:
    """Mean prominence of each aspect per outlet (0 where an article does not mention it):
    ``outlet, aspect, prominence, articles_mentioning, articles`` for the ``top`` aspects of the corpus."""
    columns = ["outlet", "aspect", "prominence", "articles_mentioning", "articles"]
    chosen = emph[emph["aspect_kind"] == aspect_kind]
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    outlets = articles[["article_id", "outlet"]].assign(
        outlet=articles["outlet"].where(articles["outlet"].astype(str) != "", UNKNOWN_OUTLET))
    totals = chosen.groupby("aspect")["prominence"].sum().sort_values(ascending=False, kind="stable")
    keep = list(totals.head(top).index)
    grid = pd.MultiIndex.from_product([outlets["article_id"], keep], names=["article_id", "aspect"]).to_frame(index=False)
    grid = grid.merge(chosen[["article_id", "aspect", "prominence"]], on=["article_id", "aspect"], how="left",
                      validate="one_to_one")
    grid["mentioned"] = grid["prominence"].notna()
    grid["prominence"] = grid["prominence"].fillna(0.0)
    grid = grid.merge(outlets, on="article_id", how="left", validate="many_to_one")
    table = grid.groupby(["outlet", "aspect"]).agg(prominence=("prominence", "mean"),
                                                   articles_mentioning=("mentioned", "sum"),
                                                   articles=("article_id", "nunique")).reset_index()
    table["prominence"] = table["prominence"].round(6)
    rank = {a: i for i, a in enumerate(keep)}
    table["_rank"] = table["aspect"].map(rank)
    return table.sort_values(["_rank", "outlet"], kind="stable")[columns].reset_index(drop=True)
