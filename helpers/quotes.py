"""Who said what: direct quotes, reported speech, "according to" attributions, and sources.

Public functions (all pure: they read tidy tables and return new ones, never mutate inputs):

* :func:`extract_quotes` -- one row per attribution found in the articles.
* :func:`extract_sources` -- one row per (article, cited source): people, outlets, agencies,
  official statements and social posts.
* :func:`quote_variants` -- the same quote carried by several articles, with wording and speaker
  differences flagged.
* :func:`canonical_speaker` -- link the speaker surface forms of one article ("Pentagon Press
  Secretary John Kirby", "Kirby", "he") to one canonical name.
* :func:`strip_titles`, :func:`classify_source` -- the small helpers behind them.

All character offsets index into ``articles.text`` (see ``docs/data-model.md``).

How quotes are found
--------------------
1. *Direct quotes* come from scanning each paragraph for quotation marks (curly, straight, guillemets,
   and single quotes outside double ones). Straight quotes are classified as opening or closing from
   their neighbours, so mixed curly/straight text and an odd number of marks are tolerated: an
   unmatched opening mark runs to the end of its paragraph, an unmatched closing mark at most from
   the paragraph start. Quotes inside quotes stay part of the outer quote.
2. The speaker and cue of a direct quote come from the dependency parse: the nearest reporting verb
   (lexicon :data:`REPORTING_VERBS`) outside the quote in the same sentence(s), and its subject
   (inherited through ``conj``). ``"…" – Name`` and ``Name: "…"`` layouts are read with patterns.
   A quote with no cue of its own whose previous quote ended at most one sentence before is a
   *floating* quote and inherits that quote's speaker.
3. *Indirect speech*: a reporting verb with a clausal complement (``ccomp``) and a subject
   ("Kirby said the US was deeply concerned"; the content runs to the end of the sentence unless
   another attribution or a quote follows), or a reporting clause after the content
   ("…, ARY NEWS reported"). Also: the object of a speech act (:data:`OBJECT_SPEECH_VERBS`:
   "criticized the deal", "called Trump “crazy”"), "called for X", infinitives of requests and
   promises ("urged Congress to act"). The subject is inherited by participles ("…, saying that …")
   and relative pronouns are resolved ("Ryan, who said …" -> Ryan).
   ``NAME: words`` lines are attributions too: transcripts ("TAPPER: …", direct) and headlines
   ("Warren: Trump Is a ‘Proven Failure’", indirect); cue ``:``.
   Attributions inside a quotation are part of it, never separate rows.
4. *According to X*: the sentence minus the "according to X" phrase is the content, X the speaker.
5. *Embedded posts* (from ``embeds``, or detected from the ``— Name (@handle) Month D, YYYY``
   signature when ``embeds`` is None) are direct quotes of their author, cue ``posted``.

6. *Beliefs and intentions* (kind ``belief``, only with ``beliefs=True``): :data:`BELIEF_VERBS` with a
   clausal complement or an infinitive ("Trump believes …", "polls show …", "she wants to …"),
   third-person subjects only ("I think" is an aside). PolNeAR annotates them; the workbook's
   quote tables leave them out by default.

Two apostrophes are read as a double quotation mark (``''We will win,''`` in NYT archive text); the
parser is given a curly mark in their place (same offsets).

When an indirect span contains a direct quote, the longer span is kept once; it is ``direct`` when
the quoted words make up most of it.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import pandas as pd

from helpers import names
from helpers.clean import dateline_end, detect_dateline

QUOTE_COLUMNS: list[str] = [
    "quote_id", "article_id", "sent_id", "start", "end", "quote", "kind", "speaker",
    "speaker_canonical", "speaker_start", "speaker_end", "cue",
]
SOURCE_COLUMNS: list[str] = ["article_id", "source", "source_kind", "n_mentions"]
VARIANT_COLUMNS: list[str] = [
    "variant_group", "article_id", "outlet", "quote_id", "quote", "kind", "speaker_canonical",
    "n_articles", "wording_differs", "wording_diff", "speaker_differs",
]

#: Lemmas of verbs that introduce speech or a written statement.
REPORTING_VERBS: frozenset[str] = frozenset("""
say tell add state announce claim report explain note insist argue warn stress reveal confirm deny
write tweet post declare assert suggest acknowledge admit allege cite maintain contend remark reply
respond answer ask predict promise vow urge complain concede emphasize emphasise indicate mention
recall observe testify reiterate caution charge counter question assure inform agree disclose
boast quip joke lament predict pledge retort scoff shout told underline highlight recount express
""".split())

#: Speech-act verbs whose direct object is the content ("Trump criticized the deal", "she announced
#: her candidacy"); PolNeAR annotates these as attributions.
OBJECT_SPEECH_VERBS: frozenset[str] = frozenset("""
announce claim deny criticize criticise praise endorse propose reject condemn demand accuse blame
describe dismiss defend attack slam blast mock tout question echo repeat discuss reiterate acknowledge
admit promise pledge vow predict call decry denounce applaud welcome offer rule
""".split())

#: Verbs that introduce an intention or a request through an infinitive ("wants to build", "urged
#: Congress to act").
XCOMP_SPEECH_VERBS: frozenset[str] = frozenset("""
promise pledge vow threaten refuse decline urge ask call tell warn agree offer vote
""".split())

#: Beliefs, intentions, evidence: attributions that are not speech ("Trump believes …", "polls show
#: …", "she wants to …"). Returned as kind ``belief`` only when asked for (``beliefs=True``).
BELIEF_VERBS: frozenset[str] = frozenset("""
think believe feel expect hope want wish fear worry suspect doubt assume consider figure reckon
understand realize realise recognize recognise guess imagine plan intend decide show suggest indicate
find conclude learn prove estimate project forecast argue hold seek like prefer support oppose
favor favour view regard trust insist demonstrate reveal
""".split())
XCOMP_BELIEF_VERBS: frozenset[str] = frozenset("""
want hope wish plan intend decide seek expect like prefer aim
""".split())
_OTHER_SPEECH_VERBS = (OBJECT_SPEECH_VERBS | XCOMP_SPEECH_VERBS | {"push", "press"}) - REPORTING_VERBS
#: Subjects that make a belief a figure of speech or a quoted aside ("I think", "that means").
_BELIEF_SKIP_SUBJECTS = frozenset({"i", "we", "you", "it", "that", "this", "what", "which", "there"})

PRONOUNS: frozenset[str] = frozenset({"he", "she", "they", "it", "i", "we", "you", "who", "which"})
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she"})

#: Words stripped from the front of a name ("Pentagon Press Secretary John Kirby" -> "John Kirby"):
#: the general titles, offices, demonyms and countries of ``helpers/names.yaml``.
TITLE_WORDS: frozenset[str] = names.title_words()
NAME_SUFFIXES: frozenset[str] = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

def _agency_names() -> frozenset[str]:
    """The names and aliases of the wire agencies of ``helpers/agencies.yaml`` (the one agency
    list, read through :mod:`helpers.wire`), lower case."""
    from helpers.wire import load_agencies
    return frozenset(a.lower() for agency in load_agencies() for a in (agency.name, *agency.aliases))


#: News organisations: the world-wide broadcasters and newspapers of ``helpers/names.yaml`` and
#: the wire agencies of ``helpers/agencies.yaml``; the corpus's own outlets are added by
#: :func:`extract_sources` (``articles.outlet`` and the URL domains).
OUTLET_NAMES: frozenset[str] = names.data().news_organisations | _agency_names()
OUTLET_PATTERN = re.compile(
    r"\b(news|times|post|journal|tribune|herald|gazette|telegraph|press|tv|television|radio|"
    r"broadcasting|media|newspaper|magazine|daily|agency news|wire|channel)\b", re.I)
STATEMENT_PATTERN = re.compile(
    r"\b(statement|readout|read-out|release|communiqu[eé]|transcript|memo|memorandum|letter|"
    r"report|document|briefing|notice|announcement|bulletin|declaration|filing)s?\b", re.I)
SOCIAL_PATTERN = re.compile(
    r"\b(tweet|tweets|twitter|facebook|instagram|post on|posted|telegram channel|x\.com|social media)\b",
    re.I)
#: Generic words naming a public body (a country, a capital or a group named as a speaker is
#: recognised from the names data and the NER labels instead: :func:`classify_source`).
AGENCY_PATTERN = re.compile(
    r"\b(department|ministry|pentagon|white house|kremlin|office|agency|council|army|navy|military|government|"
    r"embassy|consulate|commission|police|un|united nations|administration|"
    r"committee|authority|authorities|bureau|court|parliament|congress|senate|cabinet|forces|"
    r"campaign|party|command|service|officials?|spokes(?:man|woman|person)|"
    r"regime|junta|militants?|insurgents?|rebels?|movement|group|organi[sz]ation|union|alliance)\b", re.I)

_WORD = re.compile(r"\w+", re.UNICODE)
_OPEN_DOUBLE = "“„«‟"
_CLOSE_DOUBLE = "”»"
_STRAIGHT_DOUBLE = '"'
_OPEN_SINGLE = "‘‚"
_CLOSE_SINGLE = "’"
_DASH_ATTR = re.compile(
    r"^[\s,]*[–—―]{1,2}\s*|^\s+-{1,2}\s+")
_NAME = re.compile(r"(?:[A-Z][\w.'’-]*|of|the)(?:\s+(?:[A-Z][\w.'’-]*|of|the|al|bin|van|von|de)){0,6}")
_EMBED_SIGNATURE = re.compile(
    r"[—–―]\s*(?P<author>[^\n(—–]{1,120}?)\s*\(@(?P<handle>\w{1,30})\)\s*"
    r"(?P<date>[A-Z][a-z]+\.? \d{1,2},? \d{4})")
_PIC_LINK = re.compile(r"\s*(?:pic\.twitter\.com/\S+|https?://t\.co/\S+)\s*$")


# --------------------------------------------------------------------------------------------
# names and source kinds


def _clean_surface(text: str) -> str:
    text = re.sub(r"\s+", " ", text or "").strip(" ,;:.-–—\"“”‘’'()")
    return text


def strip_titles(name: str) -> str:
    """A person's name without titles, offices, demonyms, middle initials and suffixes
    (:func:`helpers.names.strip_titles`): ``"Pentagon Press Secretary John Kirby"`` -> ``"John Kirby"``."""
    return names.strip_titles(name)


def _looks_like_name(text: str) -> bool:
    return names.looks_like_name(text)


def _normalise_org(text: str) -> str:
    return names.normalise_org(text)


def classify_source(surface: str, *, is_person: bool | None = None, outlets: Iterable[str] = (),
                    bodies: Iterable[str] = ()) -> str:
    """Kind of a cited source: ``person``, ``outlet``, ``agency``, ``official statement`` or
    ``social post``. ``is_person`` (from NER) overrides the lexicon when True; ``outlets``: the
    corpus's own outlet names (lower case) beside the general list; ``bodies``: names the NER
    labelled as organisations, places or groups (lower case): a country, city or group named as a
    speaker ("Beijing said", "the Taliban said") is a body, an ``agency``."""
    s = surface or ""
    low = s.lower().strip()
    low_nodet = re.sub(r"^(?:the|a|an)\s+", "", low)
    if SOCIAL_PATTERN.search(low):
        return "social post"
    if STATEMENT_PATTERN.search(low):
        return "official statement"
    corpus_outlets = frozenset(outlets)
    known_outlets = OUTLET_NAMES | corpus_outlets
    # a one-word name from the general lists ("Bloomberg", "Petra") is a person when NER says so;
    # a multi-word one, or the corpus's own outlet, is the outlet
    if low_nodet in known_outlets and not (is_person and " " not in low_nodet and low_nodet not in corpus_outlets):
        return "outlet"
    if any(low_nodet.startswith(o + " ") for o in known_outlets if " " in o or o in corpus_outlets):
        return "outlet"
    if is_person:
        return "person"
    if names.country_of(low_nodet) or low_nodet in frozenset(bodies):
        return "agency"
    if OUTLET_PATTERN.search(low) and not AGENCY_PATTERN.search(low.replace("press secretary", "")):
        return "outlet"
    if AGENCY_PATTERN.search(low):
        return "agency"
    return "person"


#: Words that make a speaker a role description ("the spokesperson", "the minister"): the offices
#: and ranks of ``helpers/names.yaml``; an article's own role abbreviations are added per article
#: (:func:`role_abbreviations`).
ROLE_WORDS: frozenset[str] = names.data().offices | names.data().ranks

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
            stripped.append(_normalise_org(s))
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


# --------------------------------------------------------------------------------------------
# quote marks


@dataclass
class _Span:
    start: int
    end: int
    words: int = 0
    closed: bool = True


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _find_quote_spans(text: str) -> list[_Span]:
    """Content spans (marks excluded) of quotations in ``text``; never crosses a line break."""
    spans: list[_Span] = []
    pos = 0
    for line in text.split("\n"):
        spans.extend(_line_quotes(line, pos))
        pos += len(line) + 1
    return spans


def _double_marks(line: str) -> list[tuple[int, str]]:
    marks = []
    skip = -1
    for i, ch in enumerate(line):
        if i <= skip:
            continue
        if line.startswith("''", i) or line.startswith("``", i):
            # two apostrophes (or backticks) used as a double quotation mark (NYT archive text)
            skip = i + 1
            prev = line[i - 1] if i > 0 else ""
            nxt = line[i + 2] if i + 2 < len(line) else ""
            if ch == "`" or ((_is_space(prev) or prev in "([{—–-/:") and not _is_space(nxt)):
                marks.append((i + 1, "open"))  # content starts after the second mark
            elif not _is_space(prev):
                marks.append((i, "close"))
            continue
        if ch in _OPEN_DOUBLE:
            marks.append((i, "open"))
        elif ch in _CLOSE_DOUBLE:
            marks.append((i, "close"))
        elif ch == _STRAIGHT_DOUBLE or ch == "″":
            prev = line[i - 1] if i > 0 else ""
            nxt = line[i + 1] if i + 1 < len(line) else ""
            if _is_space(prev) or prev in "([{—–-/:":
                marks.append((i, "open" if not _is_space(nxt) else "either"))
            elif _is_space(nxt) or nxt in ".,;:!?)]}—–-'’":
                marks.append((i, "close"))
            else:
                marks.append((i, "either"))
    return marks


def _pair(marks: list[tuple[int, str]], n: int) -> list[tuple[int, int, bool]]:
    """Pair open/close marks; returns (content_start, content_end, closed)."""
    out: list[tuple[int, int, bool]] = []
    open_at: int | None = None
    for i, kind in marks:
        if kind == "either":
            kind = "close" if open_at is not None else "open"
        if kind == "open":
            if open_at is not None:
                # a second opening mark: the first one was never closed (odd number of marks)
                if i - open_at > 1:
                    out.append((open_at + 1, i, False))
            open_at = i
        else:
            if open_at is None:
                if not out:  # stray closing mark: the opening one was lost
                    out.append((0, i, False))
                continue
            out.append((open_at + 1, i, True))
            open_at = None
    if open_at is not None and n - open_at > 1:
        out.append((open_at + 1, n, False))
    return out


def _line_quotes(line: str, offset: int) -> list[_Span]:
    spans = []
    doubles = _pair(_double_marks(line), len(line))
    taken = [(s, e) for s, e, _ in doubles]
    for s, e, closed in doubles:
        spans.append(_Span(offset + s, offset + e, 0, closed))
    # single quotes, outside double-quoted spans and two-apostrophe marks
    marks = []
    doubled = {j for m in re.finditer(r"''|``", line) for j in (m.start(), m.start() + 1)}
    for i, ch in enumerate(line):
        if i in doubled or any(s - 1 <= i <= e for s, e in taken):
            continue
        if ch not in "‘’'":
            continue
        prev = line[i - 1] if i > 0 else ""
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if ch in "‘" or (ch in "'’" and (_is_space(prev) or prev in "([{—–-\"“") and nxt.isalnum()):
            marks.append((i, "open"))
        elif ch in "’'" and not _is_space(prev) and (_is_space(nxt) or nxt in ".,;:!?)]}\"”—–-"):
            marks.append((i, "close"))
    open_at = None
    for i, kind in marks:
        if kind == "open":
            open_at = i
        elif open_at is not None:
            if 0 < i - open_at - 1 <= 400:
                spans.append(_Span(offset + open_at + 1, offset + i, 0, True))
            open_at = None
    for sp in spans:
        # trim spaces and a trailing comma inside the marks: “…,” -> …
        while sp.start < sp.end and line[sp.start - offset].isspace():
            sp.start += 1
        while sp.end > sp.start and (line[sp.end - 1 - offset].isspace() or line[sp.end - 1 - offset] in ","):
            sp.end -= 1
        sp.words = len(_WORD.findall(line[sp.start - offset:sp.end - offset]))
    return [sp for sp in spans if sp.words > 0]


# --------------------------------------------------------------------------------------------
# parsing


@dataclass
class _Sent:
    sent_id: int
    start: int
    end: int
    doc: Any = None


@dataclass
class _Article:
    article_id: str
    text: str
    sents: list[_Sent] = field(default_factory=list)
    persons: list[tuple[int, int, str]] = field(default_factory=list)  # start, end, canonical
    embeds: list[dict] = field(default_factory=list)
    body_start: int = 0
    dateline_end: int = -1  # helpers.clean.dateline_end: -1 without a dateline
    bodies: set[str] = field(default_factory=set)  # ORG / GPE / NORP names, lower case

    def in_dateline(self, pos: int) -> bool:
        """True when offset ``pos`` is inside the article's dateline."""
        return self.body_start <= pos < self.dateline_end


def _sentence_rows(articles: pd.DataFrame, sentences: pd.DataFrame | None) -> dict[str, list[_Sent]]:
    out: dict[str, list[_Sent]] = defaultdict(list)
    if sentences is None or len(sentences) == 0:
        return out
    texts = dict(zip(articles["article_id"].astype(str), articles["text"].fillna("").astype(str)))
    for aid, sid, s, e in zip(sentences["article_id"].astype(str), sentences["sent_id"],
                              sentences["start"], sentences["end"]):
        text = texts.get(aid)
        if text is None:
            continue
        s, e = max(0, int(s)), min(len(text), int(e))
        if e > s:
            out[aid].append(_Sent(int(sid), s, e))
    for aid in out:
        out[aid].sort(key=lambda x: (x.start, x.sent_id))
    return out


_ABBREVIATIONS = frozenset("""
mr. mrs. ms. dr. prof. sen. rep. gov. gen. lt. col. capt. sgt. st. jr. sr. rev. fr. u.s. no. vs. mt. ft. adm. maj.
""".split())


def _fallback_sentences(text: str) -> list[tuple[int, int]]:
    """Rule-based split used when an article has no sentence rows: lines, then . ! ? + capital."""
    out = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        for m in re.finditer(r"[.!?][”\"’']?\s+(?=[“\"‘'(]?[A-Z0-9])", line):
            end = pos + m.end()
            last = line[:m.start() + 1].split()[-1:]
            if last and last[0].lower().lstrip("“\"‘'(") in _ABBREVIATIONS:
                continue  # "Mr. Smith", "Sen. Warren"
            if line[:m.start()].split()[-1:] and len(line[start - pos:m.start()].strip()) > 0:
                out.append((start, end))
                start = end
        if line[start - pos:].strip():
            out.append((start, pos + len(line)))
        pos += len(line) + 1
    cleaned = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            cleaned.append((s, e))
    return cleaned


def _detect_embeds(text: str) -> list[dict]:
    """Embedded posts from their signature ``— Name (@handle) Month D, YYYY``."""
    out = []
    for m in _EMBED_SIGNATURE.finditer(text):
        body_end = m.start()
        line_start = text.rfind("\n", 0, body_end) + 1
        if not text[line_start:body_end].strip():  # signature on its own line: the post is above
            body_end = line_start - 1
            while body_end > 0 and text[body_end - 1] == "\n":
                body_end -= 1
            line_start = text.rfind("\n", 0, max(body_end, 0)) + 1
        body = text[line_start:max(body_end, line_start)]
        trimmed = _PIC_LINK.sub("", body)
        body_end = line_start + len(trimmed.rstrip())
        s = line_start + (len(trimmed) - len(trimmed.lstrip()))
        if body_end > s:
            out.append({"start": s, "end": body_end, "author": m.group("author").strip(),
                        "span_start": line_start, "span_end": m.end()})
    return out


def _embeds_from_table(text: str, rows: pd.DataFrame) -> list[dict]:
    out = []
    for r in rows.itertuples(index=False):
        s, e = int(getattr(r, "start", 0)), int(getattr(r, "end", 0))
        s, e = max(0, s), min(len(text), e)
        if e <= s:
            continue
        body = str(getattr(r, "text", "") or "")
        found = text.find(body, s, e) if body else -1
        if found >= 0 and body.strip():
            bs, be = found, found + len(body)
        else:
            region = text[s:e]
            cut = len(region)
            for pat in ("pic.twitter.com", "https://t.co", "— ", "– "):
                k = region.find(pat)
                if 0 < k < cut:
                    cut = k
            bs, be = s, s + cut
        chunk = _PIC_LINK.sub("", text[bs:be])
        be = bs + len(chunk.rstrip())
        bs += len(chunk) - len(chunk.lstrip())
        if be > bs:
            out.append({"start": bs, "end": be, "author": str(getattr(r, "author", "") or getattr(r, "handle", "") or ""),
                        "span_start": s, "span_end": e})
    return out


def _for_parser(text: str) -> str:
    """Two apostrophes used as a quotation mark become a curly mark plus a space (same length, so
    offsets are unchanged): the parser reads ``''We will win,'' he said`` as a quotation."""
    if "''" not in text:
        return text
    text = re.sub(r"(?<=\S)''(?!\w)", "” ", text)
    return re.sub(r"''(?=\S)", " “", text)


def _prepare(articles: pd.DataFrame, sentences: pd.DataFrame | None, entities: pd.DataFrame | None,
             embeds: pd.DataFrame | None, nlp) -> list[_Article]:
    rows = _sentence_rows(articles, sentences)
    prepared: list[_Article] = []
    starts = articles["body_start"] if "body_start" in articles else pd.Series(0, index=articles.index)
    datelines = articles["dateline"] if "dateline" in articles else pd.Series(None, index=articles.index, dtype=object)
    for aid, text, body_start, dateline in zip(articles["article_id"].astype(str), articles["text"],
                                               starts.fillna(0).astype(int), datelines):
        text = text if isinstance(text, str) else ""
        if not isinstance(dateline, str):
            # no cleaning step before: the same rule on the text, upper-case datelines only (a
            # title-case "Warren: Trump Is …" may be a headline naming a speaker)
            dateline = detect_dateline(text[body_start:].split("\n", 1)[0])
            dateline = dateline if dateline.isupper() else ""
        art = _Article(aid, text, body_start=int(body_start),
                       dateline_end=dateline_end(text, int(body_start), dateline))
        sents = rows.get(aid) or []
        if not sents:
            sents = [_Sent(i, s, e) for i, (s, e) in enumerate(_fallback_sentences(text))]
        art.sents = sents
        if embeds is not None:
            if len(embeds) and "article_id" in embeds.columns:
                art.embeds = _embeds_from_table(text, embeds[embeds["article_id"].astype(str) == aid])
        else:
            art.embeds = _detect_embeds(text)
        prepared.append(art)
    if entities is not None and len(entities):
        ents = entities[entities["label"] == "PERSON"]
        canon_col = "canonical" if "canonical" in ents.columns else "text"
        by_article: dict[str, list] = defaultdict(list)
        for aid, s, e, c in zip(ents["article_id"].astype(str), ents["start"], ents["end"], ents[canon_col]):
            by_article[aid].append((int(s), int(e), str(c)))
        for art in prepared:
            art.persons = sorted(by_article.get(art.article_id, []))
        groups = entities[entities["label"].isin(["ORG", "GPE", "NORP"])]
        bodies_by: dict[str, set[str]] = defaultdict(set)
        for aid, t, c in zip(groups["article_id"].astype(str), groups["text"].astype(str),
                             groups[canon_col].astype(str)):
            bodies_by[aid].update({t.lower(), c.lower()})
        for art in prepared:
            art.bodies = bodies_by.get(art.article_id, set())
    # parse every sentence once, in one batched stream
    flat = [(art, sent) for art in prepared for sent in art.sents]
    if flat:
        if nlp is None:
            from helpers.nlp import load_model
            nlp = load_model()
        wanted = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"}
        if entities is None:
            wanted.add("ner")
        disable = [p for p in nlp.pipe_names if p not in wanted]
        texts = (_for_parser(art.text[s.start:s.end][:20000]) for art, s in flat)
        for (art, sent), doc in zip(flat, nlp.pipe(texts, batch_size=64, disable=disable)):
            sent.doc = doc
            if entities is None:
                art.persons.extend((sent.start + e.start_char, sent.start + e.end_char, e.text)
                                   for e in doc.ents if e.label_ == "PERSON")
        for art in prepared:
            art.persons.sort()
    return prepared


# --------------------------------------------------------------------------------------------
# speakers and cues from the parse

_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_NP_DEPS = {"agent", "compound", "amod", "det", "poss", "case", "nmod", "nummod", "flat", "appos", "prep", "pobj",
            "punct", "cc", "conj", "acl", "npadvmod", "quantmod", "advmod", "neg"}


def _np_tokens(head) -> list:
    statement = bool(STATEMENT_PATTERN.search(head.text)) or bool(SOCIAL_PATTERN.search(head.text))
    keep = [head]
    stack = [head]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ not in _NP_DEPS:
                continue
            if c.dep_ == "prep" and c.lower_ not in {"of", "for", "at", "from", "in", "on", "by", "to"}:
                continue
            if c.dep_ == "acl" and not statement:
                continue
            keep.append(c)
            stack.append(c)
    keep.sort(key=lambda t: t.i)
    # contiguous block around the head
    idx = {t.i for t in keep}
    lo = hi = head.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    toks = [t for t in keep if lo <= t.i <= hi]
    while toks and toks[0].is_punct:
        toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    return toks or [head]


def _is_reporting(tok) -> bool:
    if tok.pos_ not in {"VERB", "AUX"} and tok.tag_ not in {"VBD", "VBZ", "VBP", "VBN", "VBG", "VB"}:
        return False
    lemma = tok.lemma_.lower()
    if lemma == "point" and any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
        return True
    return lemma in REPORTING_VERBS


def _is_belief(tok) -> bool | None:
    """True for a verb of :data:`BELIEF_VERBS`, False for another verb, None for a non-verb."""
    if tok.pos_ not in {"VERB", "AUX"} and tok.tag_ not in {"VBD", "VBZ", "VBP", "VBN", "VBG", "VB"}:
        return None
    return tok.lemma_.lower() in BELIEF_VERBS


def _trim(toks: list) -> list:
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        if toks[-1].text in _CLOSE_DOUBLE + _STRAIGHT_DOUBLE + "''" and sum(
                t.text in _OPEN_DOUBLE + _STRAIGHT_DOUBLE + "''" for t in toks[:-1]) % 2 == 1:
            break  # keep the closing mark of a quote opened inside the content
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    return toks


def _object_content(tok, kind: str):
    """Content of a verb without a clausal complement: an infinitive ("wants to build a wall",
    "urged Congress to act"), "called for X", or the object of a speech act ("criticized the deal")."""
    lemma = tok.lemma_.lower()
    kids = list(tok.children)
    xverbs = XCOMP_SPEECH_VERBS if kind == "indirect" else XCOMP_BELIEF_VERBS
    if kind == "indirect" and lemma in {"call", "ask", "push", "press"}:
        for c in kids:
            if c.dep_ == "prep" and c.lower_ == "for" and c.i > tok.i:
                pobj = [g for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    end = max([pobj[0].right_edge.i] + [d.right_edge.i for d in kids if d.dep_ == "xcomp" and d.i > c.i])
                    toks = _trim(list(tok.doc[pobj[0].left_edge.i:end + 1]))
                    return toks if len([t for t in toks if not t.is_punct]) >= 2 else None
    if lemma in xverbs:
        for c in kids:
            if c.dep_ == "xcomp" and c.i > tok.i and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                first = min([c.left_edge.i] + [d.left_edge.i for d in kids if d.dep_ == "dobj" and d.i < c.i])
                toks = _trim(list(tok.doc[first:c.right_edge.i + 1]))
                if len([t for t in toks if not t.is_punct]) >= 3:
                    return toks
                return None
    if kind != "indirect":
        return None
    if lemma in OBJECT_SPEECH_VERBS:
        for c in kids:
            if c.dep_ == "dobj" and c.i > tok.i:
                end = c.right_edge.i
                for d in kids:  # "called Trump a liar", "described it as …"
                    if d.i > c.i and (d.dep_ == "oprd" or (d.dep_ == "prep" and d.lower_ == "as")):
                        end = max(end, d.right_edge.i)
                if lemma == "call" and end == c.right_edge.i:
                    return None  # "called him" / "called a meeting": not speech
                toks = _trim(list(tok.doc[c.left_edge.i:end + 1]))
                if len([t for t in toks if not t.is_punct]) >= 2 and toks[0].lower_ not in PRONOUNS:
                    return toks
                return None
    return None


def _subject(tok):
    """The subject of a reporting verb (inherited from the head verb through conj/xcomp)."""
    t = tok
    for _ in range(4):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "csubj")]
        if subj:
            return subj[0]
        agent = [c for c in t.children if c.dep_ == "agent"]
        if agent:
            pobj = [c for c in agent[0].children if c.dep_ == "pobj"]
            if pobj:
                return pobj[0]
        if t.dep_ == "conj" and t.head is not t:
            t = t.head
            continue
        if t.dep_ in {"advcl", "xcomp"} and t.tag_ == "VBG" and t.head is not t and t.head.i < t.i:
            t = t.head  # "…, saying that …": the subject of the main verb
            continue
        break
    return None


def _resolve_relative(subj):
    """"X, who said …": the noun the relative pronoun stands for."""
    if subj is not None and subj.lower_ in {"who", "that", "which"}:
        t = subj.head
        while t.dep_ == "conj" and t.head is not t:
            t = t.head
        if t.dep_ == "relcl" and t.head is not t:
            return t.head
    return subj


def _span_of(tokens, base: int) -> tuple[int, int]:
    return base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text)


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    cue: str = ""
    speaker: str = ""
    speaker_start: int = -1
    speaker_end: int = -1
    quoted_words: int = 0
    floating: bool = False


def _cue_text(tok) -> str:
    parts = [tok]
    parts += [c for c in tok.children if c.dep_ in {"aux", "neg", "prt"} and c.i < tok.i + 3]
    parts.sort(key=lambda t: t.i)
    return " ".join(t.text for t in parts if t.dep_ != "aux" or t.i == tok.i or t.lower_ not in {"did", "do", "does"})


def _speaker_from_verb(verb, base: int, text: str, exclude: tuple[int, int] | None = None):
    subj = _resolve_relative(_subject(verb))
    if subj is None:
        return "", -1, -1
    toks = _np_tokens(subj)
    if exclude is not None:
        toks = [t for t in toks if not (exclude[0] <= base + t.idx < exclude[1])]
        if not toks:
            return "", -1, -1
    s, e = _span_of(toks, base)
    return text[s:e], s, e


def _indirect_from_sentence(sent: _Sent, text: str) -> list[_Found]:
    doc = sent.doc
    base = sent.start
    found: list[_Found] = []
    if doc is None:
        return found
    for tok in doc:
        # according to X
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            j = to.i + 1
            while j < len(doc) and doc[j].text not in {",", ";", "—", "–"} and not (
                    doc[j].is_punct and j == len(doc) - 1):
                j += 1
            src = [t for t in doc[to.i + 1:j] if not t.is_space]
            while src and src[-1].is_punct:
                src.pop()
            if not src:
                continue
            before = [t for t in doc[:tok.i]]
            after = [t for t in doc[j:]]
            if len([t for t in after if not t.is_punct]) >= len([t for t in before if not t.is_punct]):
                toks = after
            else:
                toks = before
            while toks and (toks[0].is_punct or toks[0].is_space):
                toks.pop(0)
            while toks and (toks[-1].is_punct or toks[-1].is_space):
                toks.pop()
            if len([t for t in toks if not t.is_punct]) < 2:
                continue
            cs, ce = _span_of(toks, base)
            ss, se = _span_of(src, base)
            found.append(_Found(cs, ce, "according_to", "according to", text[ss:se], ss, se))
            continue
        if _is_reporting(tok) or (_is_belief(tok) is not None and tok.lemma_.lower() in _OTHER_SPEECH_VERBS):
            kind = "indirect"
        elif _is_belief(tok):
            kind = "belief"
            subj = _subject(tok)
            if subj is None or subj.lower_ in _BELIEF_SKIP_SUBJECTS:
                continue
        else:
            continue
        lemma = tok.lemma_.lower()
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        for c in tok.children:  # "reported citing X that …", "said in a statement that …"
            if c.dep_ in {"advcl", "xcomp"} and c.lemma_.lower() in {"cite", "quote"}:
                comps += [g for g in c.children if g.dep_ == "ccomp"]
        if comps:
            comp = comps[0]
            sub = sorted(comp.subtree, key=lambda t: t.i)
            toks = [t for t in sub if t.i != tok.i]
            if toks and comp.i > tok.i and toks[0].i > tok.i:
                # PolNeAR-style content: from the complement clause to the end of the sentence
                # ("said the US was concerned, adding that …"), unless a quote starts later on
                rest = list(doc[toks[-1].i + 1:])
                if not any(t.text in _OPEN_DOUBLE + _STRAIGHT_DOUBLE or t.text == "''" or t.lower_ == "according"
                           or ((_is_reporting(t) or _is_belief(t)) and _subject(t) is not None) for t in rest):
                    toks = list(doc[toks[0].i:])
            subj = _subject(tok)
            if comp.i < tok.i and subj is not None and subj.i < tok.i:
                # content first ("…, Kirby said"): everything before the reporting clause
                toks = list(doc[:min(_np_tokens(subj)[0].i, tok.i)])
            if not toks:
                continue
            while toks and (toks[-1].is_punct or toks[-1].is_space):
                toks.pop()
            while toks and (toks[0].is_punct or toks[0].is_space):
                toks.pop(0)
            if len([t for t in toks if not t.is_punct]) < 3:
                continue
            cs, ce = _span_of(toks, base)
            sp, ss, se = _speaker_from_verb(tok, base, text, (cs, ce))
            if not sp:
                continue
            found.append(_Found(cs, ce, kind, _cue_text(tok), sp, ss, se))
            continue
        obj = _object_content(tok, kind)
        if obj is not None:
            cs, ce = _span_of(obj, base)
            sp, ss, se = _speaker_from_verb(tok, base, text, (cs, ce))
            if sp:
                found.append(_Found(cs, ce, kind, _cue_text(tok), sp, ss, se))
            continue
        if kind != "indirect":
            continue
        # "…, ARY NEWS reported." / "…, he said." : reporting clause after the content
        if tok.dep_ in {"parataxis", "ccomp", "advcl", "conj"} or tok.dep_ == "ROOT":
            subj = _subject(tok)
            if subj is None or subj.i < 1:
                continue
            head_clause = tok.head if tok.dep_ != "ROOT" else None
            own = sorted(tok.subtree, key=lambda t: t.i)
            clause_start = own[0].i
            if tok.dep_ == "ROOT":
                # spaCy sometimes makes the reporting verb the root and the content its left child
                lefts = [c for c in tok.lefts if c.dep_ in {"ccomp", "parataxis"}]
                if not lefts:
                    continue
            elif head_clause is None or head_clause.i > tok.i:
                continue
            clause_start = min(tok.i, _np_tokens(subj)[0].i)
            if clause_start < 3:
                continue
            prefix = doc[:clause_start]
            toks = list(prefix)
            while toks and (toks[-1].is_punct or toks[-1].is_space):
                toks.pop()
            while toks and (toks[0].is_punct or toks[0].is_space):
                toks.pop(0)
            if len([t for t in toks if not t.is_punct]) < 3:
                continue
            # the clause after the content must be short: subject + verb (+ modifiers)
            if len([t for t in own if not t.is_punct]) > 14 and tok.dep_ != "ROOT":
                continue
            cs, ce = _span_of(toks, base)
            sp, ss, se = _speaker_from_verb(tok, base, text, (cs, ce))
            if not sp:
                continue
            found.append(_Found(cs, ce, "indirect", _cue_text(tok), sp, ss, se))
    return found


def _sentences_overlapping(art: _Article, s: int, e: int) -> list[_Sent]:
    return [x for x in art.sents if x.start < e and x.end > s]


def _attribute_direct(art: _Article, span: _Span) -> _Found:
    text = art.text
    f = _Found(span.start, span.end, "direct", quoted_words=span.words)
    # "…" – Name
    close = span.end
    while close < len(text) and close < span.end + 3 and text[close] in ",.!?”\"’' ":
        close += 1
    tail = text[close:close + 120]
    m = _DASH_ATTR.match(tail)
    if m:
        nm = _NAME.match(tail[m.end():])
        if nm and nm.group(0)[:1].isupper():
            name = nm.group(0).rstrip()
            s = close + m.end()
            f.speaker, f.speaker_start, f.speaker_end, f.cue = name, s, s + len(name), ""
            return f
    # nearest reporting verb outside the quote, in the sentences the quote touches
    best = None
    for sent in _sentences_overlapping(art, span.start - 1, span.end + 1):
        if sent.doc is None:
            continue
        for tok in sent.doc:
            pos = sent.start + tok.idx
            if span.start - 1 <= pos < span.end + 1 or not _is_reporting(tok):
                continue
            if any(q[0] - 1 <= pos < q[1] + 1 for q in getattr(art, "_quote_spans", [])):
                continue
            dist = span.start - pos if pos < span.start else pos - span.end
            if best is None or dist < best[0]:
                best = (dist, tok, sent)
    if best is not None:
        dist, tok, sent = best
        sp, ss, se = _speaker_from_verb(tok, sent.start, text, (span.start - 1, span.end + 1))
        if sp and (dist <= 60 or span.words >= 4):
            f.cue, f.speaker, f.speaker_start, f.speaker_end = _cue_text(tok), sp, ss, se
            return f
    # Name: “…”
    head = text[max(0, span.start - 80):span.start]
    m = re.search(r"([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*:\s*[“\"‘']?\s*$", head)
    if m:
        s = span.start - len(head) + m.start(1)
        f.speaker, f.speaker_start, f.speaker_end = m.group(1), s, s + len(m.group(1))
        return f
    f.floating = True
    return f


_COLON_LINE = re.compile(
    r"^[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|of|the|de|van|von|al|bin)){0,4})[ \t]*:[ \t]+"
    r"(?P<content>\S[^\n]*?)[ \t]*$", re.M)
_COLON_SKIP = frozenset("""
note update updated editor editors photo photos image images video watch read related source sources credit
caption follow q a question answer subscribe share see listen transcript correction clarification
disclosure warning breaking live tags tag topics by published posted click sign hint ps p.s. also
""".split())


def _colon_lines(text: str) -> list[_Found]:
    """``NAME: words`` lines: interview transcripts ("TAPPER: Do you think …", direct speech) and
    headlines ("Warren: Trump Is a ‘Proven Failure’", reported speech)."""
    out = []
    for m in _COLON_LINE.finditer(text):
        name = m.group("name")
        words = name.lower().replace("’", "'").split()
        if not words or words[0].strip(".") in _COLON_SKIP or words[-1].strip(".") in _COLON_SKIP:
            continue
        if "'s" in words[-1] or re.search(r"\d", name):
            continue
        content = m.group("content")
        if len(_WORD.findall(content)) < 3:
            continue
        kind = "direct" if name.isupper() and len(name) > 1 else "indirect"
        f = _Found(m.start("content"), m.end("content"), kind, ":", name, m.start("name"), m.end("name"))
        if kind == "direct":
            f.quoted_words = len(_WORD.findall(content))
        out.append(f)
    return out


def _sent_index(art: _Article, pos: int) -> int:
    for i, s in enumerate(art.sents):
        if s.start <= pos < s.end:
            return i
    # between sentences: the previous one
    prev = [i for i, s in enumerate(art.sents) if s.start <= pos]
    return prev[-1] if prev else 0


def _extract_article(art: _Article, beliefs: bool = False) -> list[_Found]:
    text = art.text
    if not text.strip():
        return []
    embed_regions = [(e["span_start"], e["span_end"]) for e in art.embeds]

    def in_embed(s: int, e: int) -> bool:
        return any(a <= s and e <= b + 1 for a, b in embed_regions)

    spans = [sp for sp in _find_quote_spans(text) if not in_embed(sp.start, sp.end)]
    art._quote_spans = [(sp.start, sp.end) for sp in spans]  # type: ignore[attr-defined]
    direct: list[_Found] = []
    for sp in spans:
        f = _attribute_direct(art, sp)
        if sp.words < 4 and not f.speaker:
            continue  # scare quotes / titles
        if sp.words < 4 and f.floating:
            continue
        if not sp.closed and sp.words < 4:
            continue
        direct.append(f)
    indirect: list[_Found] = []
    for sent in art.sents:
        indirect.extend(_indirect_from_sentence(sent, text))
    # "WASHINGTON: …" is a dateline, not a speaker's line
    indirect.extend(f for f in _colon_lines(text) if not art.in_dateline(f.speaker_start))
    indirect = [f for f in indirect if not in_embed(f.start, f.end) and (beliefs or f.kind != "belief")]
    for f in indirect:
        if art.in_dateline(f.start) and art.dateline_end < f.end:
            f.start = art.dateline_end  # the content starts after the dateline
    # attributions inside a quotation ("“… We agreed to talk again,” Kirby said") are part of it
    indirect = [f for f in indirect if not any(d.start <= f.start and f.end <= d.end for d in direct)]
    # merge: a direct quote inside an indirect span (partial quote) -> one attribution
    kept_direct: list[_Found] = []
    for d in direct:
        host = None
        for ind in indirect:
            if ind.start <= d.end and d.start <= ind.end:
                host = ind
                break
        if host is None:
            kept_direct.append(d)
            continue
        ind_words = len(_WORD.findall(text[host.start:host.end])) or 1
        if d.quoted_words / ind_words >= 0.7 or (d.start < host.start or d.end > host.end):
            # mostly quoted: keep the quote, take the verb's speaker when it has none
            if not d.speaker or d.floating:
                d.speaker, d.speaker_start, d.speaker_end, d.cue = host.speaker, host.speaker_start, host.speaker_end, host.cue
                d.floating = False
            if host.kind == "according_to" and d.start >= host.start and d.end <= host.end:
                host.quoted_words += d.quoted_words
                continue
            host.kind = "_drop"
            kept_direct.append(d)
        else:
            host.quoted_words += d.quoted_words
    indirect = [f for f in indirect if f.kind != "_drop"]
    # drop indirect spans nested in other indirect spans with the same cue sentence (keep longest)
    indirect.sort(key=lambda f: (f.start, -(f.end - f.start)))
    dedup: list[_Found] = []
    for f in indirect:
        if any(g.start <= f.start and f.end <= g.end for g in dedup):
            continue
        dedup = [g for g in dedup if not (f.start <= g.start and g.end <= f.end)]
        dedup.append(f)
    found = kept_direct + dedup
    for e in art.embeds:
        found.append(_Found(e["start"], e["end"], "direct", "posted", e["author"],
                            e["span_start"] + max(0, text.find(e["author"], e["span_start"], e["span_end"]) - e["span_start"])
                            if e["author"] and text.find(e["author"], e["span_start"], e["span_end"]) >= 0 else -1,
                            -1, quoted_words=len(_WORD.findall(text[e["start"]:e["end"]]))))
        last = found[-1]
        if last.speaker_start >= 0:
            last.speaker_end = last.speaker_start + len(last.speaker)
    found.sort(key=lambda f: (f.start, f.end))
    # floating quotes inherit the speaker of the previous quote (at most one sentence before)
    prev: _Found | None = None
    for f in found:
        if f.floating and prev is not None and prev.speaker:
            gap = _sent_index(art, f.start) - _sent_index(art, max(prev.end - 1, 0))
            if gap <= 1:
                f.speaker, f.speaker_start, f.speaker_end = prev.speaker, prev.speaker_start, prev.speaker_end
                f.cue = prev.cue
        if f.speaker and f.kind != "belief":
            prev = f
    for f in found:  # a speaker found inside the dateline ("WASHINGTON – …") is no speaker
        if f.speaker_start >= 0 and art.in_dateline(f.speaker_start):
            f.speaker, f.speaker_start, f.speaker_end = "", -1, -1
    found = [f for f in found if f.speaker or (f.kind == "direct" and f.quoted_words >= 4)]
    return found


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
    # pronouns with no earlier person speaker: the most recent PERSON mention before the quote
    for i, (f, c) in enumerate(zip(found, canon)):
        if not c and _clean_surface(f.speaker).lower() in PERSON_PRONOUNS:
            before = [p for p in art.persons if p[1] <= f.speaker_start]
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


def extract_quotes(articles: pd.DataFrame, sentences: pd.DataFrame, *, entities: pd.DataFrame | None = None,
                   embeds: pd.DataFrame | None = None, nlp=None, beliefs: bool = False) -> pd.DataFrame:
    """Find who said what in each article.

    Inputs: ``articles`` (``article_id``, ``text``), ``sentences`` (``article_id, sent_id, start, end``;
    articles without rows are split by a simple rule), optional ``entities`` (PERSON rows with
    ``canonical`` improve speaker names; when None spaCy's NER is used), optional ``embeds``
    (``article_id, start, end, author, text``; when None, tweet signatures are detected in the text),
    optional ``nlp`` (a spaCy pipeline; default :func:`helpers.nlp.load_model`).

    Output columns (one row per attribution, in reading order per article):
    ``quote_id`` (``"{article_id}:q{n}"``), ``article_id``, ``sent_id`` (sentence holding the quote's
    start), ``start``, ``end`` (content span in ``articles.text``), ``quote`` (that text), ``kind``
    (``direct`` / ``indirect`` / ``according_to``, and ``belief`` when ``beliefs`` is True), ``speaker``
    (as written; "" when unknown),
    ``speaker_canonical``, ``speaker_start``, ``speaker_end`` (-1 when the speaker is not in the text),
    ``cue`` (reporting verb, "according to", "posted", ":", or "").
    """
    if articles is None or len(articles) == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in {"sent_id", "start", "end", "speaker_start", "speaker_end"} else "object")
                             for c in QUOTE_COLUMNS})
    prepared = _prepare(articles, sentences, entities, embeds, nlp)
    rows: list[dict] = []
    for art in prepared:
        found = _extract_article(art, beliefs)
        # --- attribution tagger (helpers.attribution_model): the one hook; it merges the tagger's
        # spans with the rules' (boundaries, attributions the rules miss) ---
        from helpers import attribution_model
        found = attribution_model.refine(art, found, beliefs)
        # --- end of the attribution tagger hook ---
        canon = _canonical_for(art, found)
        for n, (f, c) in enumerate(zip(found, canon)):
            sid = art.sents[_sent_index(art, f.start)].sent_id if art.sents else 0
            rows.append({
                "quote_id": f"{art.article_id}:q{n}", "article_id": art.article_id, "sent_id": int(sid),
                "start": int(f.start), "end": int(f.end), "quote": art.text[f.start:f.end], "kind": f.kind,
                "speaker": f.speaker, "speaker_canonical": c or "", "speaker_start": int(f.speaker_start),
                "speaker_end": int(f.speaker_end), "cue": f.cue,
            })
    if not rows:
        return extract_quotes(articles.iloc[0:0], sentences)
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    for c in ("sent_id", "start", "end", "speaker_start", "speaker_end"):
        out[c] = out[c].astype("int64")
    return out


# --------------------------------------------------------------------------------------------
# sources

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
    ``outlet``, ``agency``, ``official statement``, ``social post``), ``n_mentions``; sorted by
    article then mentions (descending) then name.
    """
    persons: dict[str, set[str]] = defaultdict(set)
    bodies: dict[str, set[str]] = defaultdict(set)
    if entities is not None and len(entities):
        col = "canonical" if "canonical" in entities.columns else "text"
        ents = entities[entities["label"] == "PERSON"]
        for aid, c in zip(ents["article_id"].astype(str), ents[col]):
            persons[aid].add(strip_titles(str(c)).lower())
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
                name = _normalise_org(m.group("name"))
                if name.lower() in {"him", "her", "them", "sources", "officials"}:
                    continue
                name = canonical_speaker([name], known_names=sorted(persons.get(aid, set())))[0] or name
                key = (aid, strip_titles(name) if _looks_like_name(name) else name)
                counts[key] += 1
                kinds.setdefault(key, classify_source(key[1], is_person=_looks_like_name(key[1]) and
                                                      classify_source(key[1], outlets=outlets) == "person",
                                                      outlets=outlets, bodies=bodies[aid]))
            for m in _CREDIT.finditer(text):
                name = _normalise_org(m.group("name"))
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


# --------------------------------------------------------------------------------------------
# the same quote in several articles


def _norm_tokens(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def _shingles(tokens: list[str], n: int) -> set[int]:
    if len(tokens) < n:
        return {_h(" ".join(tokens))} if tokens else set()
    return {_h(" ".join(tokens[i:i + n])) for i in range(len(tokens) - n + 1)}


def _h(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")


def _diff(a: list[str], b: list[str]) -> str:
    """Word-level edits turning ``a`` (reference) into ``b``: "-word" removed, "+word" added."""
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if i2 > i1:
            out.append("-" + " ".join(a[i1:i2]))
        if j2 > j1:
            out.append("+" + " ".join(b[j1:j2]))
    return "; ".join(out)


def quote_variants(quotes: pd.DataFrame, articles: pd.DataFrame, *, ngram: int = 4, min_overlap: float = 0.5,
                   min_words: int = 5, max_bucket: int = 200) -> pd.DataFrame:
    """Link the same quote across articles and flag wording or speaker differences.

    Candidates share at least one hashed word ``ngram`` (an inverted index, never all pairs; buckets
    larger than ``max_bucket`` -- boilerplate -- are ignored). A pair is linked when the shared
    n-grams cover at least ``min_overlap`` of the shorter quote's n-grams; linked quotes form a group
    (union-find). Only groups spanning two or more articles are returned.

    Output columns: ``variant_group`` (int, by first appearance), ``article_id``, ``outlet``,
    ``quote_id``, ``quote``, ``kind``, ``speaker_canonical``, ``n_articles`` (articles in the group),
    ``wording_differs`` (bool), ``wording_diff`` (word edits against the group's most common wording,
    "" when identical after lowercasing and dropping punctuation), ``speaker_differs`` (True when the
    group has several speakers and this row's differs from the group's most common one).
    """
    if quotes is None or len(quotes) == 0:
        return pd.DataFrame(columns=VARIANT_COLUMNS)
    outlets = {}
    if articles is not None and len(articles) and "outlet" in articles.columns:
        outlets = dict(zip(articles["article_id"].astype(str), articles["outlet"].fillna("").astype(str)))
    q = quotes.reset_index(drop=True)
    toks = [_norm_tokens(t) for t in q["quote"]]
    sh = [_shingles(t, ngram) if len(t) >= min_words else set() for t in toks]
    index: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sh):
        for h in s:
            index[h].append(i)
    parent = list(range(len(q)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    aids = q["article_id"].astype(str).tolist()
    for i, s in enumerate(sh):
        shared: Counter = Counter()
        for h in s:
            bucket = index[h]
            if len(bucket) > max_bucket:
                continue
            for j in bucket:
                if j > i:
                    shared[j] += 1
        for j, n in shared.items():
            if n / max(1, min(len(sh[i]), len(sh[j]))) >= min_overlap:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(q)):
        if sh[i]:
            groups[find(i)].append(i)
    rows = []
    gid = 0
    for root in sorted(groups):
        members = groups[root]
        if len({aids[i] for i in members}) < 2:
            continue
        wordings = Counter(" ".join(toks[i]) for i in members)
        ref = max(wordings.items(), key=lambda kv: (kv[1], len(kv[0])))[0].split()
        # an unresolved speaker differs from no one: it is a missing name, not another speaker
        speakers = Counter(q.at[i, "speaker_canonical"] for i in members
                           if q.at[i, "speaker_canonical"] and q.at[i, "speaker_canonical"] != names.UNRESOLVED)
        main_speaker = speakers.most_common(1)[0][0] if speakers else ""
        n_articles = len({aids[i] for i in members})
        for i in members:
            d = _diff(ref, toks[i])
            sp = q.at[i, "speaker_canonical"]
            rows.append({
                "variant_group": gid, "article_id": aids[i], "outlet": outlets.get(aids[i], ""),
                "quote_id": q.at[i, "quote_id"], "quote": q.at[i, "quote"], "kind": q.at[i, "kind"],
                "speaker_canonical": sp, "n_articles": n_articles, "wording_differs": bool(d),
                "wording_diff": d, "speaker_differs": bool(len(speakers) > 1 and sp in speakers and sp != main_speaker),
            })
        gid += 1
    return pd.DataFrame(rows, columns=VARIANT_COLUMNS)


# --------------------------------------------------------------------------- per-outlet summaries

#: Words in a speaker's description that mark an official voice (government, military, agency).
#: Words in a speaker's description that mark an official voice (government, military, agency):
#: the offices and ranks of ``helpers/names.yaml`` plus generic words for public bodies.
OFFICIAL_WORDS: frozenset[str] = (names.data().offices | names.data().ranks) - frozenset(
    "analyst expert economist researcher scientist strategist campaigner activist journalist correspondent "
    "editor reporter columnist anchor host commentator coach owner founder cofounder co-founder candidate "
    "challenger nominee observer member members".split()) | frozenset(
    "pentagon department ministry government army military police administration embassy".split())
VOICE_TYPES = ("official", "outlet or agency", "other", "unresolved")


def voice_type(speaker: str, speaker_canonical: str, source_kind: str = "") -> str:
    """``official``, ``outlet or agency``, ``other`` or ``unresolved`` (no one named) for one attributed speaker.

    Official: the speaker is an official statement or social post of an official, or is described
    with an official title ("Pentagon Press Secretary John Kirby", "the State Department").
    """
    if speaker_canonical == names.UNRESOLVED or not (speaker or speaker_canonical):
        return "unresolved"  # no one named: neither an official nor another voice
    if source_kind == "outlet":
        return "outlet or agency"
    if source_kind in {"official statement", "agency"}:
        return "official"
    words = set(re.findall(r"[a-z]+", f"{speaker} {speaker_canonical}".lower()))
    return "official" if words & OFFICIAL_WORDS else "other"


def quote_table_with_outlets(quotes: pd.DataFrame, articles: pd.DataFrame,
                             sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """``quotes`` plus ``outlet``, ``words`` (words quoted) and ``voice`` (see :func:`voice_type`)."""
    outlets = dict(zip(articles["article_id"], articles["outlet"].where(articles["outlet"] != "", "(unknown outlet)")))
    kinds: dict[tuple[str, str], str] = {}
    if sources is not None and not sources.empty:
        kinds = {(a, s): k for a, s, k in zip(sources["article_id"], sources["source"], sources["source_kind"])}
    frame = quotes.copy()
    frame["outlet"] = frame["article_id"].map(outlets)
    frame["words"] = [len(re.findall(r"\w+", q)) for q in frame["quote"]]
    frame["voice"] = [voice_type(s, c, kinds.get((a, c), "")) for a, s, c in
                      zip(frame["article_id"], frame["speaker"], frame["speaker_canonical"])]
    # A speaker described once with an official title ("Pentagon spokesman John Kirby") stays
    # official when the article later calls him "Kirby" or "he".
    if not frame.empty:
        official = frame["voice"].eq("official").groupby([frame["article_id"], frame["speaker_canonical"]]).transform("any")
        frame.loc[official & (frame["speaker_canonical"].astype(str) != ""), "voice"] = "official"
    return frame


def speakers_by_outlet(quotes: pd.DataFrame, articles: pd.DataFrame, *, top: int = 20) -> pd.DataFrame:
    """Who is quoted by which outlet: ``speaker_canonical, outlet, quotes, words, quote_ids`` for the
    ``top`` speakers of the corpus (by quotes), sorted by speaker rank then outlet."""
    columns = ["speaker_canonical", "outlet", "quotes", "words", "quote_ids"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    frame = quote_table_with_outlets(quotes, articles)
    frame = frame[frame["speaker_canonical"].astype(str) != ""]
    totals = frame.groupby("speaker_canonical").size().rename("n").reset_index()
    ranked = totals.sort_values(["n", "speaker_canonical"], ascending=[False, True], kind="stable").head(top)
    rank = {name: i for i, name in enumerate(ranked["speaker_canonical"])}
    frame = frame[frame["speaker_canonical"].isin(rank)]
    grid = frame.groupby(["speaker_canonical", "outlet"]).agg(
        quotes=("quote_id", "size"), words=("words", "sum"),
        quote_ids=("quote_id", lambda ids: ";".join(sorted(ids)))).reset_index()
    grid["_rank"] = grid["speaker_canonical"].map(rank)
    return grid.sort_values(["_rank", "outlet"], kind="stable")[columns].reset_index(drop=True)


def quotation_share(quotes: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Share of each article's characters inside quotes, by kind: ``article_id, outlet, kind,
    characters, share`` (overlapping spans counted once per kind). Articles without quotes get a
    row of kind ``none`` with share 0, so every article appears."""
    columns = ["article_id", "outlet", "kind", "characters", "share"]
    lengths = dict(zip(articles["article_id"], articles["text"].str.len()))
    outlets = dict(zip(articles["article_id"], articles["outlet"]))
    rows = []
    for (article_id, kind), group in quotes.groupby(["article_id", "kind"], sort=True) if not quotes.empty else []:
        covered, last_end = 0, -1
        for start, end in sorted(zip(group["start"], group["end"])):
            start = max(start, last_end)
            if end > start:
                covered += end - start
                last_end = end
        rows.append({"article_id": article_id, "outlet": outlets.get(article_id, ""), "kind": kind,
                     "characters": covered, "share": round(covered / max(lengths.get(article_id, 0), 1), 6)})
    quoted = {r["article_id"] for r in rows}
    for article_id in articles["article_id"]:
        if article_id not in quoted:
            rows.append({"article_id": article_id, "outlet": outlets.get(article_id, ""), "kind": "none",
                         "characters": 0, "share": 0.0})
    return pd.DataFrame(rows, columns=columns).sort_values(["article_id", "kind"], kind="stable").reset_index(drop=True)


def voices_by_outlet(quotes: pd.DataFrame, articles: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Officials vs others: ``outlet, voice, quotes, share`` (share of the outlet's attributions)."""
    columns = ["outlet", "voice", "quotes", "share"]
    if quotes.empty:
        return pd.DataFrame(columns=columns)
    frame = quote_table_with_outlets(quotes, articles, sources)
    counts = frame.groupby(["outlet", "voice"]).size().rename("quotes").reset_index()
    counts["share"] = (counts["quotes"] / counts.groupby("outlet")["quotes"].transform("sum")).round(6)
    return counts.sort_values(["outlet", "voice"], kind="stable")[columns].reset_index(drop=True)


def sources_by_outlet(sources: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Each cited source with the outlets that carry it: ``source, source_kind, outlets, articles,
    mentions, outlet_names`` sorted by outlets then mentions."""
    columns = ["source", "source_kind", "outlets", "articles", "mentions", "outlet_names"]
    if sources.empty:
        return pd.DataFrame(columns=columns)
    outlets = dict(zip(articles["article_id"], articles["outlet"].where(articles["outlet"] != "", "(unknown outlet)")))
    frame = sources.assign(outlet=sources["article_id"].map(outlets))
    table = frame.groupby(["source", "source_kind"]).agg(
        outlets=("outlet", "nunique"), articles=("article_id", "nunique"), mentions=("n_mentions", "sum"),
        outlet_names=("outlet", lambda o: "; ".join(sorted(set(o))))).reset_index()
    return table.sort_values(["outlets", "mentions", "source"], ascending=[False, False, True],
                             kind="stable")[columns].reset_index(drop=True)
