"""The tone of each sentence that names an actor: VADER's compound score, one sentence at a time.

Takes the ``sentences`` and ``entities`` tables; gives ``article_id, sent_id, compound`` (−1 … +1)
for every sentence with an entity of :data:`ACTOR_LABELS`. A score depends on the sentence alone,
so it is computed with the per-article stages (cached with them) and read by
:func:`helpers.compare.emphasis.tone_sentences`, which compares it across outlets by actor.
"""

from __future__ import annotations

import functools
from typing import Iterable

import pandas as pd

#: The entity labels whose sentences are scored: people, organisations, nationalities or
#: religious/political groups, and countries/cities (spaCy's labels).
ACTOR_LABELS = ("PERSON", "ORG", "NORP", "GPE")
SENTENCE_TONE_COLUMNS = ["article_id", "sent_id", "compound"]


@functools.lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer()


def compound_scores(texts: Iterable[str]) -> list[float]:
    """VADER's compound score of each text, in order; a text met twice is scored once."""
    analyser = _vader()
    cache: dict[str, float] = {}
    scores = []
    for text in texts:
        if text not in cache:
            cache[text] = float(analyser.polarity_scores(text)["compound"])
        scores.append(cache[text])
    return scores


def sentence_tone(sentences: pd.DataFrame, entities: pd.DataFrame, *,
                  labels: Iterable[str] = ACTOR_LABELS) -> pd.DataFrame:
    """``article_id, sent_id, compound`` of each sentence (first row of an ``article_id, sent_id``
    pair) holding an entity whose ``label`` is among ``labels``, in the order of ``sentences``.
    Empty (with those columns) when either table is."""
    empty = pd.DataFrame({"article_id": pd.Series(dtype=object), "sent_id": pd.Series(dtype="int64"),
                          "compound": pd.Series(dtype="float64")})
    if sentences is None or entities is None or len(sentences) == 0 or len(entities) == 0:
        return empty
    named = entities[entities["label"].isin(list(labels))] if "label" in entities else entities
    keys = set(zip(named["article_id"].tolist(), named["sent_id"].tolist()))
    unique = sentences[["article_id", "sent_id", "text"]].drop_duplicates(["article_id", "sent_id"])
    chosen = unique[[key in keys for key in zip(unique["article_id"].tolist(), unique["sent_id"].tolist())]]
    if chosen.empty:
        return empty
    return pd.DataFrame({"article_id": chosen["article_id"].to_numpy(dtype=object),
                         "sent_id": chosen["sent_id"].astype("int64").to_numpy(),
                         "compound": compound_scores(chosen["text"].fillna("").astype(str).tolist())})
