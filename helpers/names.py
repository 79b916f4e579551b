"""One canonical name per person and organisation, shared by every table that names an actor.

Entities (``entities.canonical``), quote speakers (``quotes.speaker_canonical``), sources, tone,
story leaders and actor labels all call the functions here, so "Secretary of Defense Lloyd J.
Austin III", "US Defence Secretary Lloyd Austin" and "Defence Lloyd Austin" (a mention the model
cut inside the title) are the same "Lloyd Austin" everywhere.

The general knowledge they use (honorifics, ranks, offices and the words of office names,
country names and demonyms of every country, short forms of countries and international bodies,
words that never name a speaker) is one data file, ``helpers/names.yaml``, with its sources.

Public functions:

* :func:`canonical_name` — the canonical form of one mention (text + NER label).
* :func:`strip_titles` — a person's name without titles, offices, demonyms, initials, suffixes.
* :func:`person_in_title` — the person inside a mention that starts with an office
  ("Defence Lloyd Austin" → "Lloyd Austin"), or "".
* :func:`normalize_org` — an organisation's name: leading article dropped, acronyms kept.
* :func:`is_non_speaker` — True for "two", "the two sides", "both": no person or body named.
* :func:`title_words`, :func:`country_of`, :func:`data` — the lists themselves.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

#: What a speaker that names no person or body is called.
UNRESOLVED = "unresolved"

_DATA_FILE = Path(__file__).with_name("names.yaml")


@dataclass(frozen=True)
class NamesData:
    """The lists of ``names.yaml``, lower-cased: see that file for what each holds."""

    forms_of_address: frozenset[str]
    honorifics: frozenset[str]
    ranks: frozenset[str]
    offices: frozenset[str]
    office_words: frozenset[str]
    connectives: frozenset[str]
    name_suffixes: frozenset[str]
    function_words: frozenset[str]
    aliases: dict[str, str]
    countries: dict[str, str]  # lower-case country name, demonym or short form -> country
    demonyms: frozenset[str]
    non_speakers: frozenset[str]
    org_words: frozenset[str]
    news_organisations: frozenset[str]


def _lower_set(values) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values or ())


@functools.lru_cache(maxsize=1)
def data() -> NamesData:
    """The parsed ``helpers/names.yaml`` (read once per process)."""
    raw = yaml.safe_load(_DATA_FILE.read_text(encoding="utf-8"))
    countries: dict[str, str] = {}
    demonyms: set[str] = set()
    for country, forms in (raw.get("countries") or {}).items():
        countries[country.lower()] = country
        for form in forms or ():
            countries.setdefault(str(form).lower(), country)
            demonyms.add(str(form).lower())
    aliases = {str(k).lower(): str(v) for k, v in (raw.get("aliases") or {}).items()}
    for key, value in aliases.items():
        if value in (raw.get("countries") or {}):
            countries.setdefault(key, value)
    return NamesData(
        forms_of_address=_lower_set(raw.get("forms_of_address")),
        honorifics=_lower_set(raw.get("honorifics")), ranks=_lower_set(raw.get("ranks")),
        offices=_lower_set(raw.get("offices")), office_words=_lower_set(raw.get("office_words")),
        connectives=_lower_set(raw.get("connectives")), name_suffixes=_lower_set(raw.get("name_suffixes")),
        function_words=_lower_set(raw.get("function_words")),
        aliases=aliases, countries=countries, demonyms=frozenset(demonyms),
        non_speakers=_lower_set(raw.get("non_speakers")), org_words=_lower_set(raw.get("org_words")),
        news_organisations=_lower_set(raw.get("news_organisations")),
    )


@functools.lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Every single word that may stand before a name as part of a title: forms of address, honorifics, ranks,
    offices, office words, connectives, and one-word country names, short forms and demonyms
    (each also with a trailing dot: "gen.", "u.s.")."""
    d = data()
    words = d.forms_of_address | d.honorifics | d.ranks | d.offices | d.office_words | d.connectives
    words |= {k for k in d.countries if " " not in k}
    return frozenset(words | {w + "." for w in words} | {w.replace(".", "") for w in words})


def is_title_word(token: str) -> bool:
    """True when one word may be part of a title before a name, countries and demonyms included
    (see :func:`title_words`)."""
    return _is_title_token(token, "")


@functools.lru_cache(maxsize=1)
def _office_words() -> frozenset[str]:
    """:func:`title_words` without the countries and demonyms."""
    d = data()
    words = d.forms_of_address | d.honorifics | d.ranks | d.offices | d.office_words | d.connectives
    return frozenset(words | {w + "." for w in words} | {w.replace(".", "") for w in words})


def _is_office_token(token: str) -> bool:
    bare = token.strip(",()").lower()
    if bare.endswith(("'s", "’s")):
        return True  # "Pakistan's", "the army's": a possessive before a name is part of the description
    if bare in _office_words() or bare.replace(".", "") in _office_words():
        return True
    # "Representative-elect", "ex-President", "Vice-Chancellor": every part a title word
    parts = [p for p in re.split(r"[-‐–]", bare) if p]
    return len(parts) > 1 and all(p in _office_words() for p in parts)


def _is_title_token(token: str, following: str | None = "") -> bool:
    """True when ``token`` is part of a title before a name. A country or demonym is only when a
    title word follows it ("German Chancellor …", "US Army …"): "Chad Wolf", "Jordan Lee" and
    "Georgia Vale" are names. ``following`` is the next word ("" when unknown: then a country
    word counts, as in a list of title words; None at the end of the name)."""
    if _is_office_token(token):
        return True
    bare = token.strip(",()").lower()
    if bare in title_words() or bare.replace(".", "") in title_words():
        return following == "" or (following is not None and _is_office_token(following))
    return False


def _next(tokens: list[str], k: int) -> str | None:
    return tokens[k + 1] if k + 1 < len(tokens) else None


def country_of(text: str) -> str:
    """The country a name, short form or demonym stands for ("U.S." → "United States",
    "German" → "Germany"), or ""."""
    key = _strip_punct(text).lower()
    d = data()
    return d.countries.get(key) or d.countries.get(key.replace(".", ""), "")


def _strip_punct(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip(" ,;:.-–—\"“”‘’'()")
    return re.sub(r"[’']s$", "", text).strip()


def _clean_surface(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip(" ,;:.-–—\"“”‘’'()")


def looks_like_name(text: str) -> bool:
    """True when at least half the words are capitalised and not title words ("John Kirby",
    not "the Pentagon spokesperson")."""
    words = text.split()
    caps = [w for k, w in enumerate(words) if w[:1].isupper() and not _is_title_token(w, _next(words, k))]
    return bool(caps) and len(caps) >= len(words) / 2


def strip_titles(name: str) -> str:
    """Strip titles, offices, demonyms, middle initials and suffixes from a person's name.

    ``"Pentagon Press Secretary John Kirby"`` -> ``"John Kirby"``;
    ``"Secretary of Defense Lloyd J. Austin III"`` -> ``"Lloyd Austin"``;
    ``"German Chancellor Olaf Scholz"`` -> ``"Olaf Scholz"``. A string made only of title words is
    returned cleaned but otherwise unchanged ("the Pentagon spokesperson").
    """
    clean = _clean_surface(name)
    if country_of(clean):
        return clean  # "Saudi Arabia" is a country, not a demonym before a name
    clean = re.sub(r"\([^)]*\)", " ", clean)  # "(NSA)"
    if "," in clean:  # "councillor, Bismillah Sahil" / "Qader Malia, the deputy governor"
        parts = [p.strip() for p in clean.split(",") if p.strip()]
        named = [p for p in parts if any(w[:1].isupper() and not _is_title_token(w, _next(p.split(), k))
                                         for k, w in enumerate(p.split()))]
        if named:
            clean = named[-1] if len(named) > 1 and not looks_like_name(named[0]) else named[0]
    tokens = clean.split()
    titled = [k for k, t in enumerate(tokens[:-1]) if _is_title_token(t, tokens[k + 1])]
    if titled and all(t[:1].isupper() for t in tokens[titled[-1] + 1:]):
        tokens = tokens[titled[-1] + 1:]
    i = 0
    # titles, lower-case words, and a capitalised function word that opened the sentence
    # ("Despite Trump said …": the model took "Despite" into the name)
    while i < len(tokens) - 1 and (_is_title_token(tokens[i], tokens[i + 1]) or tokens[i][:1].islower()
                                   or tokens[i].lower().strip(",") in data().function_words):
        i += 1
    tokens = tokens[i:]
    suffixes = data().name_suffixes
    while len(tokens) > 1 and tokens[-1].lower().strip(",.") in suffixes:
        tokens = tokens[:-1]
    if len(tokens) > 2:  # drop middle initials: "Lloyd J. Austin" -> "Lloyd Austin"
        tokens = [tokens[0]] + [t for t in tokens[1:-1] if not re.fullmatch(r"[A-Z]\.?", t)] + [tokens[-1]]
    if len(tokens) == 2 and re.fullmatch(r"[A-Z]\.?", tokens[0]):  # "J. Austin" -> "Austin"
        tokens = tokens[1:]
    out = " ".join(tokens).strip(" ,;:'’")
    out = re.sub(r"['’]s$", "", out)
    return out or _clean_surface(name)


def person_in_title(text: str) -> str:
    """The person's name inside a mention that begins with an office or title and that a model
    labelled as something else ("Defence Lloyd Austin", "White House Press Secretary Jane Roe"):
    at least one leading title word, then two or more capitalised words that are neither title
    nor organisation words. "" when the mention is not of that shape ("Pakistan Army",
    "State Department", "Human Rights Watch")."""
    tokens = _clean_surface(re.sub(r"\([^)]*\)", " ", text)).split()
    i = 0
    while i < len(tokens) and _is_title_token(tokens[i], _next(tokens, i)):
        i += 1
    rest = tokens[i:]
    if i == 0 or len(rest) < 2:
        return ""
    org = data().org_words
    if not all(t[:1].isupper() and t.strip(".").lower() not in org and not _is_title_token(t, _next(rest, k))
               for k, t in enumerate(rest)):
        return ""
    return strip_titles(" ".join(rest))


def normalize_org(text: str) -> str:
    """An organisation's name as written, leading article dropped, and shouting case softened only
    for common words ("ARY NEWS" -> "ARY News", "NEWS AGENCY" -> "News Agency"); acronyms stay
    acronyms ("NATO", "NASA", "ISPR")."""
    clean = _clean_surface(text)
    clean = re.sub(r"^(?:the|a|an)\s+", "", clean, flags=re.I)
    org = data().org_words
    words = []
    for w in clean.split():
        if w.isupper() and len(w) > 1 and w.isalpha() and w.lower() in org:
            w = w.capitalize()
        words.append(w)
    return " ".join(words)


def is_non_speaker(surface: str) -> bool:
    """True when a speaker's words name no person or body: only numerals, quantifiers and words
    for the sides of a talk ("two", "The two sides", "both", "each other")."""
    words = [w for w in re.findall(r"[\w'’-]+", (surface or "").lower())]
    return bool(words) and all(w in data().non_speakers for w in words)


def canonical_name(text: str, label: str = "") -> str:
    """The canonical form of one mention, on its own (linking a surname to a full name needs the
    article and is done by :func:`helpers.annotate.entities.canonicalize`).

    Inputs: ``text`` as written, ``label`` its NER label (PERSON, ORG, GPE, NORP, LOC, FAC or "").
    Output: a short form of a country or international body -> its name ("U.S." -> "United
    States", "NATO" -> "NATO"); a person (PERSON, or any mention that is an office followed by a
    name) -> :func:`strip_titles`; an organisation -> :func:`normalize_org`; anything else
    trimmed of a leading article, a possessive and surrounding punctuation.
    """
    base = _strip_punct(text)
    base = re.sub(r"^(?:the|a|an)\s+", "", base, flags=re.IGNORECASE)
    key = base.replace(".", "").lower()
    aliases = data().aliases
    if key in aliases:
        return aliases[key]
    if label == "PERSON":
        return strip_titles(base)
    inner = person_in_title(base)
    if inner:
        return inner
    if label == "ORG":
        return normalize_org(base)
    return base
