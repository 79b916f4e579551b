"""One canonical name per real-world entity.

"US", "U.S.", "the United States" → "United States"; "Gen Bajwa", "General Qamar Javed Bajwa"
→ "Qamar Javed Bajwa"; "Austin", "Lloyd J. Austin III" → "Lloyd Austin" when that full name is
used in the same article (or, failing that, uniquely in the same event).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

ENTITY_COLUMNS = ["article_id", "sent_id", "start", "end", "text", "label", "canonical"]
KEPT_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")

# Surface forms of common places and bodies, after dots and a leading "the" are removed.
ALIASES: dict[str, str] = {
    "us": "United States", "usa": "United States", "united states": "United States",
    "united states of america": "United States", "america": "United States", "washington": "Washington",
    "uk": "United Kingdom", "britain": "United Kingdom", "great britain": "United Kingdom",
    "united kingdom": "United Kingdom", "eu": "European Union", "european union": "European Union",
    "un": "United Nations", "united nations": "United Nations", "nato": "NATO",
    "pak": "Pakistan", "islamic republic of pakistan": "Pakistan", "afghan": "Afghanistan",
    "uae": "United Arab Emirates", "ussr": "Soviet Union", "prc": "China",
    "pentagon": "Pentagon", "department of defense": "Pentagon", "defense department": "Pentagon",
    "state department": "State Department", "department of state": "State Department",
    "white house": "White House", "taliban": "Taliban", "afghan taliban": "Taliban",
}
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "gen", "general", "lt", "lieutenant", "col", "colonel", "maj",
    "major", "capt", "captain", "adm", "admiral", "sen", "senator", "rep", "representative", "gov",
    "governor", "president", "vice", "prime", "minister", "secretary", "chief", "army", "press",
    "spokesman", "spokesperson", "spokeswoman", "sir", "dame", "lord", "sheikh", "king", "queen",
    "prince", "princess", "pope", "rev", "judge", "justice", "ambassador", "envoy", "coas", "nsa",
    "defence", "defense", "state", "us", "u.s.", "pentagon", "deputy", "former", "mayor", "officer",
}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md"}


def _strip(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip(" ,.;:-–—\"“”'‘’()")


def canonical_form(text: str, label: str) -> str:
    """Canonical name of one mention on its own (no context): aliases, titles and suffixes removed."""
    base = _strip(text)
    key = base.replace(".", "").lower()
    if key in ALIASES:
        return ALIASES[key]
    if label == "PERSON":
        tokens = [t for t in base.replace(".", ". ").split() if t]
        while len(tokens) > 1 and tokens[0].strip(".").lower() in TITLES:
            tokens.pop(0)
        while len(tokens) > 1 and tokens[-1].strip(".,").lower() in NAME_SUFFIXES:
            tokens.pop()
        # Initials ("Lloyd J. Austin", "J. Austin") are dropped so that the name links to "Lloyd Austin".
        if len(tokens) > 1:
            tokens = [t for t in tokens[:-1] if not re.fullmatch(r"[A-Z]\.?", t)] + [tokens[-1]]
        return " ".join(t.rstrip(",") for t in tokens)
    return base


def canonicalise(entities: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.Series:
    """Canonical names for an entities table (``article_id, text, label``), linking short person
    names to a full name that contains them: first within the article, then within its event
    (when ``articles`` with an ``event`` column is given and the full name there is unique).
    Returns a Series aligned with ``entities``."""
    if entities.empty:
        return pd.Series([], dtype=object, index=entities.index)
    forms = [canonical_form(t, l) for t, l in zip(entities["text"], entities["label"])]
    event_of = dict(zip(articles["article_id"], articles["event"])) if articles is not None and "event" in articles else {}
    # full names indexed by surname, so that each mention is compared with its namesakes only
    full_by_article: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    full_by_event: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for article_id, label, form in zip(entities["article_id"], entities["label"], forms):
        if label == "PERSON" and len(form.split()) >= 2:
            surname = form.split()[-1].lower()
            full_by_article[(article_id, surname)][form] += 1
            full_by_event[(event_of.get(article_id, ""), surname)][form] += 1
    empty: Counter[str] = Counter()
    out = []
    for article_id, label, form in zip(entities["article_id"], entities["label"], forms):
        if label == "PERSON" and form.split():
            surname = form.split()[-1].lower()
            form = _link_person(form, full_by_article.get((article_id, surname), empty)) or _link_person(
                form, full_by_event.get((event_of.get(article_id, ""), surname), empty), unique=True) or form
        out.append(form)
    return pd.Series(out, index=entities.index, dtype=object)


def _link_person(form: str, candidates: Counter[str], *, unique: bool = False) -> str:
    tokens = form.split()
    if not tokens:
        return ""
    last, first = tokens[-1].lower(), tokens[0].lower()
    matches = [name for name in candidates if name != form and name.split()[-1].lower() == last
               and (len(tokens) == 1 or name.split()[0].lower() == first)
               and len(name.split()) > len(tokens) - (0 if len(tokens) == 1 else 1)]
    if not matches:
        return ""
    if unique and len(matches) > 1:
        return ""
    # Most frequent, then longest, then alphabetical: a deterministic choice.
    return sorted(matches, key=lambda n: (-candidates[n], -len(n), n))[0]
