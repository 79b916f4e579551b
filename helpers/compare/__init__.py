"""Stage 4, compare: the per-article tables of all outlets in, the comparisons the notebooks show out.

* :mod:`helpers.compare.overview` -- who covered the event, when and how much;
* :mod:`helpers.compare.alignments` -- word runs two articles share (the input of reuse);
* :mod:`helpers.compare.reuse` -- shared passages, copied text, originality (``alignments``,
  ``passages``, ``reuse_pairs``, ``originality``);
* :mod:`helpers.compare.facts` -- facts reported by several articles, coverage, omissions, quantities;
* :mod:`helpers.compare.framing` -- frames from the YAML codebook in ``codebooks/``, frame and tone
  contrasts;
* :mod:`helpers.compare.emphasis` -- what each outlet puts first, tone towards actors;
* :mod:`helpers.compare.distinctive` -- each outlet's distinctive words and actor labels;
* :mod:`helpers.compare.voices` -- who each outlet quotes and cites, official or not, and how much
  of each article is quotation;
* :mod:`helpers.compare.findings` -- the findings of the front page, read from the tables above;
* :mod:`helpers.compare.present` -- those tables made readable (escaped HTML).
"""
