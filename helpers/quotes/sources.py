"""Who an article cites: :func:`extract_sources`.

Takes ``articles`` and the ``quotes`` table; gives the ``sources`` table (``SOURCE_COLUMNS``: one row
per article and cited source -- people, outlets, agencies, official statements, social posts).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

from helpers import names
from helpers.quotes.lexicon import PRONOUNS
from helpers.quotes.speakers import (
    canonical_speaker, classify_source, _clean_surface, _looks_like_name, strip_titles)
from helpers.schema import SOURCE_COLUMNS


_CITING = re.compile(r"\b(?:citing|quoting|cited|quoted)\s+(?P<name>(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})")
_CREDIT = re.compile(r"(?:\||Image:|Photo:|Credit:)\s*(?P<name>[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){0,3})\s*(?:/|$)", re.M)


def extract_sources(quotes: pd.DataFrame, articles: pd.DataFrame, sentences: pd.DataFrame | None = None, *,
                    entities: pd.DataFrame | None = None) -> pd.DataFrame:
    """Who each article cites.

    Inputs: ``quotes`` from :func:`extract_quotes`, ``articles`` (``article_id``, ``text``), optional
    ``sentences`` (unused beyond validation, kept for a uniform signature) and ``entities`` (PERSON
    rows mark names as people). Sources are the quotes' canonical speakers plus names introduced by
    "citing X" / "quoting X" and photo credits ("| Bloomberg/Flickr").
    Output columns: ``article_id``, ``source`` (canonical name), ``source_kind`` (``person``,
    ``outlet``, ``organisation``, ``official statement``, ``social post``), ``n_mentions``; sorted by
    article then mentions (descending) then name.
    """
    persons: dict[str, set[str]] = defaultdict(set)
    bodies: dict[str, set[str]] = defaultdict(set)
    if entities is not None and len(entities):
        col = "canonical" if "canonical" in entities.columns else "text"
        ents = entities[entities["label"] == "PERSON"]
        # each distinct name once: an event's people are mentioned over and over
        stripped = {c: strip_titles(c).lower() for c in set(map(str, ents[col].tolist()))}
        for aid, c in zip(ents["article_id"].astype(str), ents[col]):
            persons[aid].add(stripped[str(c)])
        ents = entities[entities["label"].isin(["ORG", "GPE", "NORP"])]
        for aid, c in zip(ents["article_id"].astype(str), ents[col]):
            bodies[aid].add(str(c).lower())
    outlets = _corpus_outlets(articles)
    counts: Counter = Counter()
    kinds: dict[tuple[str, str], str] = {}
    if quotes is not None and len(quotes):
        for r in quotes.itertuples(index=False):
            name = (r.speaker_canonical or "").strip()
            if not name or name == names.UNRESOLVED:
                continue
            surface = r.speaker or name
            if r.cue == "posted":
                kind = "person"
            elif _clean_surface(surface).lower() in PRONOUNS or classify_source(name) == "person" and (
                    name.lower() in persons.get(r.article_id, set()) or _looks_like_name(name)):
                kind = "person"
            elif classify_source(surface) in {"official statement", "social post"}:
                kind = classify_source(surface)
            else:
                is_person = name.lower() in persons.get(r.article_id, set()) or (
                    _looks_like_name(name) and classify_source(name) == "person" and len(name.split()) >= 2)
                kind = classify_source(name, is_person=is_person, outlets=outlets, bodies=bodies[r.article_id])
                if kind == "person" and not _looks_like_name(name) and not is_person:
                    kind = classify_source(surface, is_person=False, outlets=outlets, bodies=bodies[r.article_id])
            key = (str(r.article_id), name)
            counts[key] += 1
            kinds.setdefault(key, kind)
            if r.cue == "posted":
                counts[(str(r.article_id), f"{name} (social post)")] += 1
                kinds.setdefault((str(r.article_id), f"{name} (social post)"), "social post")
    if articles is not None and len(articles):
        for aid, text in zip(articles["article_id"].astype(str), articles["text"]):
            if not isinstance(text, str):
                continue
            for m in _CITING.finditer(text):
                name = names.normalize_org(m.group("name"))
                if name.lower() in {"him", "her", "them", "sources", "officials"}:
                    continue
                name = canonical_speaker([name], known_names=sorted(persons.get(aid, set())))[0] or name
                key = (aid, strip_titles(name) if _looks_like_name(name) else name)
                counts[key] += 1
                kinds.setdefault(key, classify_source(key[1], is_person=_looks_like_name(key[1]) and
                                                      classify_source(key[1], outlets=outlets) == "person",
                                                      outlets=outlets, bodies=bodies[aid]))
            for m in _CREDIT.finditer(text):
                name = names.normalize_org(m.group("name"))
                if classify_source(name, outlets=outlets) == "outlet":
                    key = (aid, name)
                    counts[key] += 1
                    kinds.setdefault(key, "outlet")
    rows = [{"article_id": a, "source": s, "source_kind": kinds[(a, s)], "n_mentions": int(n)}
            for (a, s), n in counts.items()]
    out = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    if len(out):
        out = out.sort_values(["article_id", "n_mentions", "source"], ascending=[True, False, True]).reset_index(drop=True)
    out["n_mentions"] = out["n_mentions"].astype("int64")
    return out


def without_own_outlet(quotes: pd.DataFrame, articles: pd.DataFrame | None,
                       entities: pd.DataFrame | None = None) -> pd.DataFrame:
    """``quotes`` without the attributions an article makes to its own outlet ("…, LAKEPORT HERALD
    reported" in the Lakeport Herald's article): that is the outlet's own reporting credited in its
    byline style, not a voice it cites, and counted as one it would make the outlet a source of
    itself and its lead a quotation. Compared on ``speaker_canonical`` and the article's ``outlet``,
    case and spacing aside — unless ``entities`` (``article_id, label, canonical``) name a person
    of the article by that name or surname: "Fox told reporters" in an outlet called Fox quotes
    Ana Fox when the article names her. Other rows (and their order and ids) are kept."""
    if quotes is None or not len(quotes) or articles is None or "outlet" not in articles.columns:
        return quotes
    own = dict(zip(articles["article_id"].astype(str), articles["outlet"].fillna("").astype(str)))

    def key(name: object) -> str:
        return " ".join(str(name or "").lower().split())

    people: dict[str, set[str]] = defaultdict(set)
    if entities is not None and len(entities) and "label" in entities.columns:
        persons = entities[entities["label"] == "PERSON"]
        names_of = persons["canonical"] if "canonical" in persons.columns else persons["text"]
        for article, name in zip(persons["article_id"].astype(str), names_of):
            if words := key(name).split():
                people[article] |= {" ".join(words), words[-1]}
    mine = [bool(outlet := key(own.get(str(a), ""))) and key(s) == outlet and key(s) not in people.get(str(a), ())
            for a, s in zip(quotes["article_id"], quotes["speaker_canonical"])]
    return quotes[[not m for m in mine]].reset_index(drop=True) if any(mine) else quotes


#: What an issuer's statement is called in a canonical speaker ("Harbour Authority readout",
#: "Lakeport City Council statement": the statement names of
#: :func:`helpers.quotes.speakers.canonical_speaker`).
_STATEMENT_NAME = re.compile(r"(?P<issuer>[A-Z].*?)\s+(?:press\s+)?(?:statement|readout|read-out|release|"
                             r"communiqu[eé]|transcript|briefing|announcement|declaration|notice)s?")


#: Words that name no issuer: a statement called "The statement" or "Friday notice" by its
#: first capitalised word keeps its name (articles, pronouns, days and months).
_NOT_ISSUERS = frozenset("""the a an this that these those its his her their our my your new latest
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december""".split())


def statement_issuer(name: str) -> str:
    """The body a statement's canonical name says issued it ("Harbour Authority readout" ->
    "Harbour Authority"), else ``name``: the source of a readout, a press release or a statement
    is its issuer, so that "the Harbour Authority said", "a readout released by the Harbour
    Authority" and "a press release issued by the Harbour Authority" are one source, not three."""
    m = _STATEMENT_NAME.fullmatch(str(name or "").strip())
    if not m:
        return name
    # "Mr. Reyes’s release" is Mr. Reyes's: the possessive goes with the document
    issuer = re.sub(r"['’]s$", "", m.group("issuer").strip())
    return issuer if set(re.findall(r"[a-z]+", issuer.lower())) - _NOT_ISSUERS else name


def with_statement_issuers(quotes: pd.DataFrame) -> pd.DataFrame:
    """``quotes`` with each statement's canonical speaker replaced by its issuer
    (:func:`statement_issuer`); ``speaker`` (the article's words: "a readout released by …") and
    ``cue`` keep how it was cited, and the ``sources`` table keeps the kind (official statement)."""
    if quotes is None or not len(quotes):
        return quotes
    issuers = [statement_issuer(n) for n in quotes["speaker_canonical"].tolist()]
    if issuers == quotes["speaker_canonical"].tolist():
        return quotes
    return quotes.assign(speaker_canonical=issuers)


def _corpus_outlets(articles: pd.DataFrame | None) -> frozenset[str]:
    """The corpus's own outlet names, lower case: ``articles.outlet`` and, from ``url``, the
    registered domain's name ("https://www.example-news.com/…" -> "example-news.com", "example-news")."""
    if articles is None or not len(articles):
        return frozenset()
    out: set[str] = set()
    for col in ("outlet", "url"):
        if col not in articles:
            continue
        for value in articles[col].fillna("").astype(str):
            value = value.strip().lower()
            if not value:
                continue
            if col == "url":
                host = re.sub(r"^[a-z]+://", "", value).split("/", 1)[0].split(":", 1)[0]
                host = re.sub(r"^(?:www\d?|m|amp|en|staging)\.", "", host)
                if "." not in host:
                    continue
                out.add(host)
                value = host.split(".", 1)[0]
            if len(value) > 2:
                out.add(value)
    return frozenset(out)
