"""The word lists of quote extraction: reporting, speech and belief verbs, pronouns, titles, the
patterns of outlets, agencies, statements and social posts, and the words of officials.

Takes the data files of :mod:`helpers.names` (``names.yaml``) and :mod:`helpers.wire`
(``agencies.yaml``); gives constants read by the other modules of :mod:`helpers.quotes`.
"""

from __future__ import annotations

import re

from helpers import names


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


#: Words that make a speaker a role description ("the spokesperson", "the minister"): the offices
#: and ranks of ``helpers/names.yaml``; an article's own role abbreviations are added per article
#: (:func:`role_abbreviations`).
ROLE_WORDS: frozenset[str] = names.data().offices | names.data().ranks


#: Words in a speaker's description that mark an official voice (government, military, agency).
#: Words in a speaker's description that mark an official voice (government, military, agency):
#: the offices and ranks of ``helpers/names.yaml`` plus generic words for public bodies.
OFFICIAL_WORDS: frozenset[str] = (names.data().offices | names.data().ranks) - frozenset(
    "analyst expert economist researcher scientist strategist campaigner activist journalist correspondent "
    "editor reporter columnist anchor host commentator coach owner founder cofounder co-founder candidate "
    "challenger nominee observer member members".split()) | frozenset(
    "pentagon department ministry government army military police administration embassy".split())
VOICE_TYPES = ("official", "outlet or agency", "other", "unresolved")
