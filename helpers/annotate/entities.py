"""One canonical name per real-world entity.

Takes entity mentions (``article_id, text, label``) and ``articles`` (``event``); gives the
``canonical`` column of the ``entities`` table (``ENTITY_COLUMNS``), through :mod:`helpers.names`.

"US", "U.S.", "the United States" → "United States"; "Gen Bajwa", "General Qamar Javed Bajwa"
→ "Qamar Javed Bajwa"; "Austin", "Lloyd J. Austin III" → "Lloyd Austin" when that full name is
used in the same article (or, failing that, uniquely in the same event).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pandas as pd

from helpers.names import canonical_name

KEPT_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")

def canonical_form(text: str, label: str) -> str:
    """Canonical name of one mention on its own (no context): :func:`helpers.names.canonical_name`
    (aliases, titles, demonyms, initials and suffixes removed; acronyms kept)."""
    return canonical_name(text, label)


def canonicalize(entities: pd.DataFrame, articles: pd.DataFrame | None = None) -> pd.Series:
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
