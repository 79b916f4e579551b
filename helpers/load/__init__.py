"""Stage 1, load: files or a table of articles in, the raw article table and the load report out.

* :mod:`helpers.load.corpus` -- read a folder or a .csv/.tsv/.jsonl/.parquet file into one raw row
  per article (``RAW_COLUMNS``) and a load report (one row per input: loaded, skipped, failed);
* :mod:`helpers.load.text_decoding` -- bytes to text (declared or detected encoding);
* :mod:`helpers.load.clean` -- boilerplate, datelines and embedded posts: the clean ``text`` with
  ``body_start`` and ``word_count``, and the ``cleaning`` and ``embeds`` tables.
"""
