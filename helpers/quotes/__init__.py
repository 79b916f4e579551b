"""Stage 3a, quotes: who said what -- direct quotes, reported speech, "according to" attributions,
and sources. Every function is pure: it reads tidy tables and returns new ones.

* :mod:`helpers.quotes.extraction` -- :func:`extract_quotes`: the ``quotes`` table (one row per
  attribution; the extraction rules are told in its docstring);
* :mod:`helpers.quotes.marks` -- quotation-mark spans, embedded posts, the article as the parser sees it;
* :mod:`helpers.quotes.speakers` -- :func:`canonical_speaker`, :func:`strip_titles`,
  :func:`classify_source`, :func:`role_abbreviations`: speakers' canonical names and source kinds;
* :mod:`helpers.quotes.lexicon` -- the verb lists and patterns (reporting, speech, belief verbs, ...);
* :mod:`helpers.quotes.sources` -- :func:`extract_sources`: the ``sources`` table;
* :mod:`helpers.quotes.variants` -- :func:`quote_variants`: the ``quote_variants`` table.

The per-outlet summaries notebook 04 shows (speakers, voice types, quotation share, sources by
outlet) are comparisons of these tables: :mod:`helpers.compare.voices`.

The names below are this package's public face (``from helpers import quotes; quotes.extract_quotes``);
each is defined in the module named above.
"""

from helpers.quotes.extraction import extract_quotes
from helpers.quotes.sources import extract_sources
from helpers.quotes.speakers import canonical_speaker, classify_source, role_abbreviations, strip_titles
from helpers.quotes.variants import quote_variants
from helpers.schema import QUOTE_COLUMNS, SOURCE_COLUMNS, VARIANT_COLUMNS

__all__ = ["QUOTE_COLUMNS", "SOURCE_COLUMNS", "VARIANT_COLUMNS", "canonical_speaker", "classify_source",
           "extract_quotes", "extract_sources", "quote_variants", "role_abbreviations", "strip_titles"]
