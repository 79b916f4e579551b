"""The table contracts of the comparisons: the columns of the tables :mod:`helpers.compare`
writes, by module (the per-article stages' are in :mod:`helpers.schema`).

Takes nothing; gives column lists (``*_COLUMNS``). Not among the per-article cache's versioned
modules: a comparison's table may change shape without any corpus being parsed again.
"""

from __future__ import annotations


# -------------------- compare: reuse (helpers.compare.reuse)

ALIGNMENT_COLUMNS = [
    "article_a", "start_a", "end_a", "article_b", "start_b", "end_b",
    "words_a", "words_b", "matched_words", "tok_start_a", "tok_end_a", "tok_start_b", "tok_end_b",
]
PASSAGE_COLUMNS = [
    "passage_id", "article_id", "start", "end", "text", "words", "n_articles",
    "source_kind", "source_detail", "origin_article_id", "origin_method", "source_agency",
]
PAIR_COLUMNS = ["article_a", "article_b", "shared_words", "shared_words_b", "share_a", "share_b", "n_alignments",
                "copied_share_a", "copied_share_b"]
ORIGINALITY_COLUMNS = ["article_id", "words", "own_share", "shared_share", "main_source_article", "shared_with",
                       "copied_share", "quoted_share", "main_source"]


# -------------------- compare: facts (helpers.compare.facts)

FACT_COLUMNS = ["fact_id", "article_id", "sent_id", "outlet", "match", "similarity", "n_articles",
                "n_outlets", "text"]
QUANTITY_COLUMNS = ["scope", "group", "unit", "values", "fact_id", "outlet", "article_id", "sent_id", "quantity",
                    "value", "kind", "noun", "predicate", "time", "compared"]


# -------------------- compare: framing (helpers.compare.framing)

FRAME_COLUMNS = ["article_id", "sent_id", "frame", "score", "cues"]
ARTICLE_FRAME_COLUMNS = ["article_id", "frame", "weighted_share", "n_sentences"]
SUMMARY_COLUMNS = ["outlet", "frame", "weighted_share", "article_share", "n_articles", "n_sentences"]
AUDIT_COLUMNS = ["sample", "article_id", "sent_id", "frame", "score", "cues", "text",
                 "coder_agrees", "coder_frame", "coder_note"]
CONTRAST_COLUMNS = ["outlet", "frame", "outlet_share", "others_share", "difference", "n_sentences",
                    "n_outlet_sentences", "n_others_with", "n_others_sentences", "p_value", "q_value",
                    "finding", "evidence"]
TONE_CONTRAST_COLUMNS = ["outlet", "actor", "outlet_mean", "others_mean", "difference", "n_sentences",
                         "n_others_sentences", "p_value", "q_value", "finding", "evidence"]


# -------------------- compare: emphasis and tone (helpers.compare.emphasis)

EMPHASIS_COLUMNS = ["article_id", "aspect_kind", "aspect", "in_headline", "in_lead", "first_position",
                    "word_share", "prominence", "n_sentences"]
LEADER_COLUMNS = ["article_id", "outlet", "where", "rank", "actor", "label", "text"]
LEADS_COLUMNS = ["outlet", "role", "rank", "aspect_kind", "aspect", "prominence", "others_prominence",
                 "headline_share", "lead_share", "coverage", "first_position"]
TONE_SENT_COLUMNS = ["article_id", "sent_id", "outlet", "actor", "compound"]
TONE_COLUMNS = ["outlet", "actor", "mean", "n_sentences", "n_articles", "sd"]


# -------------------- compare: distinctive words and actor labels (helpers.compare.distinctive)

LOG_ODDS_COLUMNS = ["group", "term", "log_odds", "z", "count_group", "count_rest"]
TERM_COLUMNS = LOG_ODDS_COLUMNS + ["q_value"]  # distinctive_terms: each cell's z adjusted over every cell compared
CONTEXT_COLUMNS = ["group", "term", "article_id", "sent_id", "left", "match", "right"]
LABEL_COLUMNS = ["outlet", "actor", "label", "rule", "head", "article_id", "sent_id", "start", "end"]
LABEL_SUMMARY_COLUMNS = ["actor", "outlet", "label", "count", "rules", "n_articles"]
