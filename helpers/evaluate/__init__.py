"""Scorers and the benchmark: the workbook's helpers against gold data. No runtime module imports them.

``python -m helpers.evaluate TASK PATH [options]`` (TASK: ``dates``, ``quotes``, ``reuse``,
``framing``; :mod:`helpers.evaluate.__main__`), ``python -m helpers.bench`` (or
``python -m helpers.evaluate.bench``), ``python -m helpers.evaluate.cue_audit``.
"""
