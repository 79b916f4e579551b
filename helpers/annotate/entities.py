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


#: Full person names by event and surname (``(event, surname) -> Counter of full names``): what
#: links a short name to a full one used elsewhere in its event. Counted piece by piece
#: (:func:`count_event_names`) and merged, a corpus's entities need never be held at once.
EventNames = dict[tuple[str, str], Counter]


def count_event_names(entities: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                      into: EventNames | None = None, memo: dict[tuple[str, str], str] | None = None
                      ) -> EventNames:
    """The full person names (two tokens or more) of ``entities`` (``article_id, text, label``)
    counted by the event of their article (``articles``: ``article_id, event``; none: one event,
    ``""``) and surname, added to ``into`` (a new dict when None) and returned: counting each piece
    of a table into one dict gives the counts of the whole table. ``memo``: as for
    :func:`canonicalize`."""
    into = {} if into is None else into
    if entities.empty:
        return into
    return _count_names(entities["article_id"].tolist(), entities["label"].tolist(), _forms(entities, memo),
                        _events_of(articles), into)


def _count_names(article_ids: list[str], labels: list[str], forms: list[str], event_of: dict[str, str],
                 into: EventNames) -> EventNames:
    for article_id, label, form in zip(article_ids, labels, forms):
        if label == "PERSON" and len(form.split()) >= 2:
            key = (event_of.get(article_id, ""), form.split()[-1].lower())
            into.setdefault(key, Counter())[form] += 1
    return into


def canonicalize(entities: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                 event_names: EventNames | None = None, memo: dict[tuple[str, str], str] | None = None
                 ) -> pd.Series:
    """Canonical names for an entities table (``article_id, text, label``), linking short person
    names to a full name that contains them: first within the article, then within its event
    (when ``articles`` with an ``event`` column is given and the full name there is unique).
    Returns a Series aligned with ``entities``.

    ``event_names``: the event's full names counted over a larger table (:func:`count_event_names`
    of all its pieces) — then ``entities`` may be one piece of it, holding every entity of each of
    its articles (the article's own names are counted from its rows); None: counted from
    ``entities``. ``memo``: the canonical form of each ``(text, label)`` met so far, shared by the
    calls over one table's pieces (filled as they go; None: one for this call).
    """
    if entities.empty:
        return pd.Series([], dtype=object, index=entities.index)
    forms = _forms(entities, memo)
    event_of = _events_of(articles)
    article_ids, labels = entities["article_id"].tolist(), entities["label"].tolist()
    by_event = _count_names(article_ids, labels, forms, event_of, {}) if event_names is None else event_names
    # full names indexed by surname, so that each mention is compared with its namesakes only
    full_by_article: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for article_id, label, form in zip(article_ids, labels, forms):
        if label == "PERSON" and len(form.split()) >= 2:
            full_by_article[(article_id, form.split()[-1].lower())][form] += 1
    empty: Counter[str] = Counter()
    out = []
    for article_id, label, form in zip(article_ids, labels, forms):
        if label == "PERSON" and form.split():
            surname = form.split()[-1].lower()
            form = _link_person(form, full_by_article.get((article_id, surname), empty)) or _link_person(
                form, by_event.get((event_of.get(article_id, ""), surname), empty), unique=True) or form
        out.append(form)
    return pd.Series(out, index=entities.index, dtype=object)


def _events_of(articles: pd.DataFrame | None) -> dict[str, str]:
    if articles is None or "event" not in articles:
        return {}
    return dict(zip(articles["article_id"].tolist(), articles["event"].tolist()))


def _forms(entities: pd.DataFrame, memo: dict[tuple[str, str], str] | None = None) -> list[str]:
    """:func:`canonical_form` of each mention, computed once per distinct ``(text, label)``: a
    corpus names the same people and places over and over (698,434 mentions, 12 % of them
    distinct, in 10,000 articles)."""
    seen = {} if memo is None else memo
    out = []
    for pair in zip(entities["text"].tolist(), entities["label"].tolist()):
        form = seen.get(pair)
        if form is None:
            form = seen[pair] = canonical_form(*pair)
        out.append(form)
    return out


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
