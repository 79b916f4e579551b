"""Stage 3b, dates: temporal expressions found, normalized to TIMEX3 values and resolved against
each article's anchor; the dates compared across outlets.

* :mod:`helpers.dates.grammar` -- :func:`find_temporal_expressions`: the rule grammar (candidates,
  normalizing rules, overlaps settled longest-first); its docstring lists the traps it handles;
* :mod:`helpers.dates.timex` -- the value record (:class:`TemporalExpression`), word lists,
  calendar arithmetic, :func:`infer_tense`, :func:`values_compatible`, :func:`describe_timex`;
* :mod:`helpers.dates.anchors` -- :func:`bound_publication_date`, :func:`embed_spans`: what an
  expression is resolved against;
* :mod:`helpers.dates.tables` -- :func:`extract_dates` (the ``dates`` table) and
  :func:`publication_timeline` (the ``publication_timeline`` table);
* :mod:`helpers.dates.conflicts` -- :func:`date_conflicts`, :func:`event_timeline`,
  :func:`describe_conflicts` (the ``date_conflicts`` and ``timeline`` tables; event words in
  ``event_words.yaml``).

The names below are this package's public face (``from helpers import dates``); each is defined
in the module named above.
"""

from helpers.dates.anchors import bound_publication_date, embed_spans
from helpers.dates.conflicts import (
    date_conflicts, describe_conflicts, event_timeline, event_words, same_happening)
from helpers.dates.grammar import find_temporal_expressions
from helpers.dates.tables import extract_dates, publication_timeline
from helpers.dates.timex import describe_timex, infer_tense, TemporalExpression, values_compatible
from helpers.schema import CONFLICT_COLUMNS, DATES_COLUMNS, EVENT_TIMELINE_COLUMNS, TIMELINE_COLUMNS

__all__ = ["CONFLICT_COLUMNS", "DATES_COLUMNS", "EVENT_TIMELINE_COLUMNS", "TIMELINE_COLUMNS", "TemporalExpression",
           "bound_publication_date", "date_conflicts", "describe_conflicts", "describe_timex", "embed_spans",
           "event_timeline", "event_words", "extract_dates", "find_temporal_expressions", "infer_tense",
           "publication_timeline", "same_happening", "values_compatible"]
