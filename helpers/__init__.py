"""Parallax: compare how news outlets covered the same event.

The package holds all the workbook's logic as plain functions over tidy pandas
DataFrames; the notebooks in ``notebooks/`` only call into it and chart.
"""

__version__ = "0.1.0"
