"""Speakers and sources: strip titles, classify a cited source (person, outlet, organisation, statement,
social post) and link an article's speaker surface forms ("Pentagon Press Secretary John Kirby",
"Kirby", "he") to one canonical name (:func:`canonical_speaker`).

Takes strings and an article's entity mentions (``entities`` rows); gives the ``speaker_canonical``
and ``source_kind`` values of the ``quotes`` and ``sources`` tables.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from helpers import names
from helpers.quotes.lexicon import (
    AGENCY_PATTERN, OUTLET_NAMES, OUTLET_PATTERN, PERSON_PRONOUNS, PRONOUNS, ROLE_WORDS, SOCIAL_PATTERN,
    STATEMENT_PATTERN, TITLE_WORDS)
from helpers.quotes.marks import _Article, _Found


def _clean_surface(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip(" ,;:.-–—\"“”‘’'()")
    return text


def strip_titles(name: str) -> str:
    """A person's name without titles, offices, demonyms, middle initials and suffixes
    (:func:`helpers.names.strip_titles`): ``"Pentagon Press Secretary John Kirby"`` -> ``"John Kirby"``."""
    return names.strip_titles(name)


def _looks_like_name(text: str) -> bool:
    return names.looks_like_name(text)


def classify_source(surface: str, *, is_person: bool | None = None, outlets: Iterable[str] = (),
                    bodies: Iterable[str] = ()) -> str:
    """Kind of a cited source: ``person``, ``outlet``, ``organisation``, ``official statement`` or
    ``social post``. ``is_person`` (from NER) overrides the lexicon when True; ``outlets``: the
    corpus's own outlet names (lower case) beside the general list; ``bodies``: names the NER
    labelled as organisations, places or groups (lower case): a country, city or group named as a
    speaker ("Beijing said", "the Taliban said") is a body, an ``organisation`` (a country standing for its
    government, a department, a group; not a news agency, which is an ``outlet``)."""
    s = surface or ""
    low = s.lower().strip()
    low_nodet = re.sub(r"^(?:the|a|an)\s+", "", low)
    if SOCIAL_PATTERN.search(low):
        return "social post"
    if STATEMENT_PATTERN.search(low):
        return "official statement"
    corpus_outlets = outlets if isinstance(outlets, (set, frozenset)) else frozenset(outlets)

    def known_outlet(name: str) -> bool:
        return name in OUTLET_NAMES or name in corpus_outlets

    # a one-word name from the general lists ("Bloomberg", "Petra") is a person when NER says so;
    # a multi-word one, or the corpus's own outlet, is the outlet
    if known_outlet(low_nodet) and not (is_person and " " not in low_nodet and low_nodet not in corpus_outlets):
        return "outlet"
    # an outlet's name, then more ("Fox News host ..."): each word-start prefix looked up, rather
    # than every known outlet tested against the surface (hundreds of names, thousands of calls)
    for end in (i for i, ch in enumerate(low_nodet) if ch == " "):
        prefix = low_nodet[:end]
        if known_outlet(prefix) and (" " in prefix or prefix in corpus_outlets):
            return "outlet"
    if is_person:
        return "person"
    if names.country_of(low_nodet) or low_nodet in (bodies if isinstance(bodies, (set, frozenset)) else frozenset(bodies)):
        return "organisation"
    if OUTLET_PATTERN.search(low) and not AGENCY_PATTERN.search(low.replace("press secretary", "")):
        return "outlet"
    if AGENCY_PATTERN.search(low):
        return "organisation"
    return "person"


_ABBREVIATED = re.compile(
    r"((?:[A-Z][\w'’-]*|of|for|the|and|on)(?:\s+(?:[A-Z][\w'’-]*|of|for|the|and|on)){0,7})\s*\(([A-Z]{2,8})\)")


def role_abbreviations(text: str) -> frozenset[str]:
    """Abbreviations an article introduces for an office, lower case: "National Security Adviser
    (NSA)" -> "nsa", "Chief of Naval Staff (CNS)" -> "cns". The words before the parenthesis must
    spell the abbreviation (initials, with or without "of"/"for") and hold an office word;
    "Harbour Safety Board (HSB)" names a body, not a role."""
    out = set()
    offices = names.data().offices | names.data().ranks
    for m in _ABBREVIATED.finditer(text or ""):
        words, abbr = m.group(1).split(), m.group(2)
        for k in range(1, len(words) + 1):
            tail = words[-k:]
            with_connectives = "".join(w[0] for w in tail).upper()
            without = "".join(w[0] for w in tail if w[:1].isupper()).upper()
            if abbr in (with_connectives, without) and tail[0][:1].isupper():
                if any(w.lower() in offices for w in tail):
                    out.add(abbr.lower())
                break
    return frozenset(out)


#: Words that make a title a past one: a former holder is not "the president".
_FORMER = frozenset({"former", "ex", "late", "then", "outgoing", "past"})


def _title_words(surface: str, name: str) -> set[str]:
    title_part = _clean_surface(surface)
    for w in name.split():
        title_part = title_part.replace(w, " ")
    words = {w.lower().strip("()'’,") for w in re.findall(r"[\w'’()]+", title_part)}
    return {w[:-2] if w.endswith(("'s", "’s")) else w for w in words} - {"the", "a", "an", "of", "", "s"}


def _is_person_surface(surface: str) -> bool:
    if names.country_of(re.sub(r"^(?:the|a|an)\s+", "", _clean_surface(surface), flags=re.I)):
        return False  # "Saudi Arabia", "the U.S.": a country, not a titled person
    name = strip_titles(surface)
    return (classify_source(name) == "person" and classify_source(surface) not in {"official statement", "social post"}
            and _looks_like_name(name) and name.lower() not in PRONOUNS)


def _role_before(art, position: int) -> str:
    """The last role description ("the regional finance minister", "a spokesperson") in the sentence
    holding ``position``, before it: a determiner, up to three words, then an office or rank word."""
    sentence = next((sent for sent in art.sents if sent.start <= position < sent.end), None)
    if sentence is None:
        return ""
    text = art.text[sentence.start:position]
    found = ""
    for m in re.finditer(r"\b(?:the|a|an)\b((?:\s+[\w.’'-]+){1,4})", text, flags=re.I):
        words = m.group(1).split()
        last = max((k for k, w in enumerate(words) if w.lower().strip(".’'") in ROLE_WORDS), default=-1)
        if last >= 0:
            found = " ".join([m.group(0).split()[0], *words[:last + 1]])
    return found


def canonical_speaker(surfaces: Sequence[str], *, person: Sequence[bool | None] | None = None,
                      known_names: Sequence[str] = (), roles: Iterable[str] = (),
                      bodies: Iterable[str] = ()) -> list[str]:
    """Link the speaker surface forms of ONE article, given in reading order.

    Input: ``surfaces`` (as written: "Pentagon Press Secretary John Kirby", "Kirby", "he",
    "the Pentagon spokesperson"); optional ``person`` flags (True when the mention is a person, e.g.
    from NER; None: decide from the text); ``known_names``: other person mentions of the article,
    with their titles when available ("Pentagon Spokesperson John Kirby"), used for full names and
    role descriptions but not returned.
    Output: one canonical string per surface:

    * titles stripped, middle initials and suffixes dropped ("Lloyd J. Austin III" -> "Lloyd Austin");
    * a last name alone -> the full name with that last name ("Kirby" -> "John Kirby");
    * "he"/"she" -> the most recent person speaker before it ("" when none);
    * a role description ("the NSA", "the Pentagon spokesperson") made of the title words of a
      named person mentioned earlier (or in ``known_names``) -> that person; ``roles``: the
      article's role abbreviations (:func:`role_abbreviations`), lower case, which are role words
      there, never names;
    * ``bodies``: names the article's NER labelled as organisations, places or groups (lower case):
      such a surface ("Democrats", "the Taliban") is a body, never a person nor a surname;
    * statements: "A press release issued by the Pentagon" -> "Pentagon press release"; a later
      bare "the statement" -> the most recent statement;
    * organisations: leading article dropped, shouting case softened ("ARY NEWS" -> "ARY News").
    """
    flags: list[bool | None] = list(person) if person is not None else [None] * len(surfaces)
    roles = frozenset(r.lower() for r in roles)
    role_words = ROLE_WORDS | roles
    bodies = frozenset(b.lower() for b in bodies)

    def is_body(surface: str) -> bool:
        return re.sub(r"^(?:the|a|an)\s+", "", _clean_surface(surface), flags=re.I).lower() in bodies
    stripped: list[str] = []
    titles: list[tuple[set[str], str, int]] = []  # (title words, name, index; -1 for known names)
    for kn in known_names:
        name = strip_titles(kn)
        if _looks_like_name(name):
            tw = _title_words(kn, name)
            if tw:
                titles.append((tw, name, -1))
    for i, s in enumerate(surfaces):
        s = s or ""
        low = _clean_surface(s).lower()
        if low in PRONOUNS:
            stripped.append("")
            flags[i] = False
            continue
        if roles and {w.lower() for w in re.findall(r"\w+", s)} - {"the", "a", "an"} <= roles:
            flags[i] = False  # "the NSA" where the article spelled out "National Security Adviser (NSA)"
        if flags[i] is None:
            flags[i] = not is_body(s) and not is_body(strip_titles(s)) and _is_person_surface(s)
        if flags[i]:
            name = strip_titles(s)
            stripped.append(name)
            tw = _title_words(s, name)
            if tw:
                titles.append((tw, name, i))
        elif classify_source(s) == "official statement":
            stripped.append(_statement_name(s))
        else:
            stripped.append(names.normalize_org(s))
    full_names = [n for n, f in zip(stripped, flags) if f and len(n.split()) >= 2]
    full_names += [strip_titles(n) for n in known_names if len(strip_titles(n).split()) >= 2]
    by_last: dict[str, Counter] = defaultdict(Counter)
    for n in full_names:
        by_last[n.split()[-1].lower()][n] += 1

    def full(name: str) -> str:
        parts = name.split()
        if len(parts) == 1 and name.lower() in by_last:
            return by_last[name.lower()].most_common(1)[0][0]
        if len(parts) >= 2 and parts[-1].lower() in by_last:
            for cand, _ in by_last[parts[-1].lower()].most_common():
                if cand.split()[0].lower() == parts[0].lower() and len(cand) > len(name):
                    return cand
        return name

    out: list[str] = []
    last_person = ""
    last_statement = ""
    for i, s in enumerate(surfaces):
        low = _clean_surface(s or "").lower()
        if low in PERSON_PRONOUNS:
            out.append(last_person)
            continue
        if low in PRONOUNS:
            out.append("")
            continue
        if flags[i]:
            name = full(stripped[i])
            out.append(name)
            last_person = name
            continue
        bare = strip_titles(s or "")
        if not is_body(s or "") and not is_body(bare) and classify_source(s or "") not in {"official statement", "social post"} and re.fullmatch(r"[A-Z][\w'’-]+", bare or "") and bare.lower() in by_last:
            # one capitalised word that is the surname of a person named in the article ("Ruiz"
            # after "Ana Ruiz") is that person, even when the word is also a company's name
            name = full(bare)
            out.append(name)
            last_person = name
            continue
        words = {w.lower().strip("()'’,") for w in re.findall(r"[\w'’()]+", low)} - {"the", "a", "an", "of", ""}
        role_match = ""
        if words & role_words:
            # holders of the role: not a former holder unless the description says so ("the
            # president" is not "former President X"); the most often named holder first (a
            # role named in the text may belong to several people), then the most recent one
            holders = [(full(t_name), j) for t_words, t_name, j in titles
                       if j < i and words <= t_words and (words & _FORMER or not t_words & _FORMER)]
            if holders:
                mentions = Counter(name for name, _ in holders)
                role_match = max(holders, key=lambda h: (mentions[h[0]], h[1]))[0]
        if role_match:
            out.append(role_match)
            last_person = role_match
            continue
        if classify_source(s or "") == "official statement":
            name = stripped[i]
            if " " not in name and last_statement:  # "the statement" after "a press release issued by …"
                name = last_statement
            last_statement = name
            out.append(name)
            continue
        out.append(stripped[i])
    return out


def _entity_mentions_with_titles(art: _Article) -> list[str]:
    """PERSON mentions with the title words just before them ("Pentagon Spokesperson John Kirby")."""
    out = []
    for s, e, canon in art.persons:
        before = art.text[max(0, s - 80):s]
        words = before.split()
        keep: list[str] = []
        for w in reversed(words):
            bare = w.strip("(),")
            if bare.lower() in TITLE_WORDS or (bare[:1].isupper() and not w.endswith((".", ":")) and bare.isalpha()) \
                    or re.fullmatch(r"\([A-Z]{2,6}\)", w):
                keep.append(w)
                if len(keep) >= 6:
                    break
            else:
                break
        surface = " ".join(reversed(keep)) + " " + art.text[s:e]
        out.append(surface.strip())
        if canon and canon != art.text[s:e]:
            out.append(canon)
    return out


def _canonical_for(art: _Article, found: list[_Found]) -> list[str]:
    flags: list[bool | None] = []
    surfaces: list[str] = []
    for f in found:
        flag: bool | None = None
        surf = f.speaker
        if f.speaker_start >= 0 and _clean_surface(f.speaker).lower() not in PRONOUNS:
            inside = [p for p in art.persons if p[0] < f.speaker_end and p[1] > f.speaker_start]
            if inside and classify_source(f.speaker) not in {"official statement", "social post"}:
                flag = True
                ent_name = strip_titles(inside[-1][2])
                if not strip_titles(f.speaker).endswith(ent_name.split()[-1] if ent_name else "\0"):
                    surf = inside[-1][2]
        flags.append(flag)
        surfaces.append(surf)
    known = _entity_mentions_with_titles(art)
    for c_surface in surfaces:  # "Austin" with no PERSON entity for "Lloyd Austin": look in the text
        bare = strip_titles(c_surface or "")
        if re.fullmatch(r"[A-Z][\w'’-]+", bare) and bare.lower() not in PRONOUNS:
            for m in re.finditer(r"\b([A-Z][a-z'’-]+)\s+(?:[A-Z]\.\s+)?" + re.escape(bare) + r"\b", art.text):
                if m.group(1).lower() not in TITLE_WORDS:
                    known.append(f"{m.group(1)} {bare}")
    roles = role_abbreviations(art.text)
    canon = canonical_speaker(surfaces, person=flags, known_names=known, roles=roles, bodies=art.bodies)
    # "the details shared … on Twitter": the author of the article's embedded post
    authors = [canonical_speaker([f.speaker], person=[True])[0] for f in found if f.cue == "posted" and f.speaker]
    for i, f in enumerate(found):
        if authors and f.cue != "posted" and classify_source(f.speaker) == "social post":
            canon[i] = authors[0]
    # pronouns: a role description earlier in the pronoun's own sentence ("The finance minister
    # … where he said") when it names a known person; with no earlier person speaker either, the
    # most recent PERSON mention before the quote
    for i, (f, c) in enumerate(zip(found, canon)):
        if _clean_surface(f.speaker).lower() in PERSON_PRONOUNS:
            role = _role_before(art, f.speaker_start)
            if role:
                named = canonical_speaker([role], known_names=known, roles=roles, bodies=art.bodies)[0]
                if named and named != strip_titles(role):
                    canon[i] = named
                    continue
        if not c and _clean_surface(f.speaker).lower() in PERSON_PRONOUNS:
            # A platform the model tagged as a person ("shared on Twitter where he …") is no antecedent.
            before = [p for p in art.persons if p[1] <= f.speaker_start and not SOCIAL_PATTERN.search(p[2])]
            if before:
                canon[i] = canonical_speaker([before[-1][2]], person=[True], known_names=known, roles=roles)[0]
    # Speakers that name no one person or body: "the two (sides)", "both", or two people at once
    # ("X and Y discussed …", a joint account no one of them gave). What the article reports of
    # them comes from a statement it cited before (a readout): that statement is the speaker;
    # without one the speaker is unresolved, never one of the two.
    last_statement = ""
    for i, f in enumerate(found):
        if f.speaker and classify_source(f.speaker) == "official statement" and canon[i]:
            last_statement = canon[i]
            continue
        joint = _names_several(f.speaker) or (
            f.speaker_start >= 0 and re.search(r"\sand\s", f.speaker or "") is not None
            and len({p[2] for p in art.persons if f.speaker_start <= p[0] and p[1] <= f.speaker_end}) >= 2)
        if f.speaker and (joint or names.is_non_speaker(f.speaker)):
            canon[i] = last_statement or names.UNRESOLVED
        elif f.speaker and not canon[i]:
            canon[i] = names.UNRESOLVED
    return canon


def _names_several(surface: str) -> bool:
    """True when a speaker's words coordinate ("and") two or more named people or bodies ("Ruiz and
    Vale", "Mayor Ana Ruiz and Governor Tomas Vale"); a body whose own name holds "and"
    ("Department of Health and Human Services") is made of title words and is not."""
    # only a conjunction joins two speakers: a comma introduces an apposition ("Sen. Ana Ruiz,
    # R-Lakeport", "Ruiz, a former mayor"), never a second speaker
    # ("&" joins the parts of a firm's name, "Standard & Poor's", not two speakers)
    parts = [p for p in re.split(r"\s+and\s+", _clean_surface(surface or "")) if p.strip()]
    named = [strip_titles(p) for p in parts]
    return len(parts) >= 2 and sum(_looks_like_name(n) and all(w[:1].isupper() for w in n.split())
                                   for n in named) >= 2


def _statement_name(surface: str) -> str:
    """"a readout of their conversation released by the Pentagon" -> "Pentagon readout"."""
    s = _clean_surface(surface)
    m = STATEMENT_PATTERN.search(s)
    kind = m.group(0).lower() if m else "statement"
    by = re.search(r"\b(?:by|from|of)\s+(?:the\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})", s)
    owner = by.group(1) if by else ""
    if not owner:
        caps = re.findall(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*", s)
        owner = caps[0] if caps else ""
    return f"{owner} {kind}".strip()
