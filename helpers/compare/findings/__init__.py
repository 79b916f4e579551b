"""Findings: the analyses' tables turned into plain statements of how the outlets differed.

Takes the workbook's tables (``articles``, ``sentences``, ``date_conflicts``, ``quantity_conflicts``,
``facts``, ``passages``, ``embeds``, ``quote_variants``, ``story_leaders``, optionally
``frame_contrasts``) and gives one tidy ``findings`` table, one row per finding:

``finding_id``  stable id within the run (``D1``, ``N1`` … by kind, then rank order)
``event``       the event the finding is about
``kind``        one of :data:`KINDS`
``statement``   one plain sentence that names the outlets
``outlets``     the outlets involved, ``"; "``-separated, in the order the statement names them
``article_ids`` the articles behind it, ``";"``-separated
``evidence``    the ``article_id:sent_id`` pairs behind it, ``";"``-separated; each resolves in ``sentences``
``strength``    the number the rule measured (its meaning is in ``rule``)
``rule``        the rule that produced the finding and what ``strength`` is
``score``       :data:`KIND_WEIGHT` × the share of the event's outlets involved × a kind-specific
                factor in [0, 1] (see each rule); the ranking key
``rank``        1 = the finding a reader should see first, within its event
``table``       the table (in ``tables/``) that holds the rows behind the finding
``section``     the notebook page and heading that shows it (``05-dates-and-timeline.html#...``)

Precision comes first: each rule lists a finding only when its evidence holds (thresholds are the
constants of :mod:`.common`, documented in the README), and a kind with no finding simply has no rows.
Every function is a pure function of its input tables.

The package, by job: :mod:`.common` (columns, kinds, thresholds, labels, text tests),
:mod:`.rules` (one rule per kind), :mod:`.coverage` (omissions and exclusives, checked against the
text), :mod:`.table` (all rules together: ``findings``, ``finding_evidence``), :mod:`.page` (the
front page's parts). Everything public is importable from ``helpers.compare.findings``.
"""

from __future__ import annotations

from helpers.compare.findings.common import (
    CONTENT_OVERLAP_CARRIES, FINDING_COLUMNS, KINDS, KIND_WEIGHT, NAMES_SHOWN, NUMBER_WORDS,
    OMISSION_MIN_CARRIERS, QUOTE_MIN_CHANGED_WORDS, QUOTE_MIN_SHARED, SECTION, SHARED_QUOTATION_MIN_WORDS,
    SHARED_TEXT_MIN_SHARE, SHARED_TEXT_MIN_WORDS, STORY_MAX_ARTICLES, TIMING_DAYS_SHOWN, article_labels,
    changed_words, content_words, human_date, join_names, lowercase_words, mentions, name_key, numbers_in,
    section_anchor, shared_word_share, shorten,
)
from helpers.compare.findings.rules import (
    contrast_findings, date_findings, first_person, lead_findings, number_findings,
    quote_variant_findings, shared_source_findings, shared_text_findings, timing_findings,
)
from helpers.compare.findings.coverage import (
    CLOSE_SENTENCE, COVERAGE_CHECK_COLUMNS, EXCLUSIVE_LABELS, coverage_check_summary, coverage_checks,
    coverage_findings, events_not_checked, with_close_sentences,
)
from helpers.compare.findings.table import (
    evidence_sentences, find_findings, finding_evidence, rank_findings,
)
from helpers.compare.findings.page import (
    NO_HEADLINE, URL_HEADLINE_MIN_WORDS, common_ground, describe_event, event_overview, findings_for_people,
    findings_html, headline_from_url, headlines, metadata_notes, own_and_shared_words, shared_words_by_outlet,
    widest_story,
)

__all__ = [
    "common_ground",
    "CONTENT_OVERLAP_CARRIES", "FINDING_COLUMNS", "KINDS", "KIND_WEIGHT", "NAMES_SHOWN", "NUMBER_WORDS",
    "OMISSION_MIN_CARRIERS", "QUOTE_MIN_CHANGED_WORDS", "QUOTE_MIN_SHARED", "SECTION", "SHARED_QUOTATION_MIN_WORDS",
    "SHARED_TEXT_MIN_SHARE", "SHARED_TEXT_MIN_WORDS", "STORY_MAX_ARTICLES", "TIMING_DAYS_SHOWN",
    "article_labels", "changed_words", "content_words", "human_date", "join_names", "lowercase_words",
    "mentions", "name_key", "numbers_in", "section_anchor", "shared_word_share", "shorten", "contrast_findings",
    "date_findings", "first_person", "lead_findings", "number_findings", "quote_variant_findings",
    "shared_source_findings", "shared_text_findings", "timing_findings", "CLOSE_SENTENCE", "COVERAGE_CHECK_COLUMNS",
    "EXCLUSIVE_LABELS", "coverage_check_summary", "coverage_checks", "coverage_findings", "events_not_checked", "with_close_sentences", "find_findings",
    "evidence_sentences", "finding_evidence", "rank_findings", "NO_HEADLINE", "URL_HEADLINE_MIN_WORDS", "describe_event", "event_overview",
    "findings_for_people", "findings_html", "headline_from_url", "headlines", "metadata_notes", "own_and_shared_words",
    "shared_words_by_outlet", "widest_story",
]
