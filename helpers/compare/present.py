"""Tables as a reader sees them in a notebook: no index column, shares as percentages, long
tables cut to their first rows with the count of the rest said beneath.

Takes any DataFrame; gives a pandas ``Styler`` (rendered as a plain HTML table, so it reads the
same in JupyterLab, in the HTML report and where no script runs). Cell text is escaped.
"""

from __future__ import annotations

import html
from typing import Iterable

import pandas as pd


def for_people(frame: pd.DataFrame, *, percent: Iterable[str] = (), decimals: dict[str, int] | None = None,
               max_rows: int = 50, caption: str = "") -> "pd.io.formats.style.Styler":
    """``frame`` without its index: ``percent`` columns (shares in [0, 1]) shown as "35 %",
    ``decimals`` columns rounded, at most ``max_rows`` rows (the caption says how many more the
    table behind it holds; an empty table says "no rows")."""
    shown = frame.head(max_rows)
    formats: dict[str, object] = {c: "{:.0%}" for c in percent if c in shown.columns}
    for column, digits in (decimals or {}).items():
        if column in shown.columns:
            formats[column] = "{:." + str(int(digits)) + "f}"
    # Cells and column headers both come from the corpus (a pivot's headers are outlet names): escape both.
    styler = (shown.style.hide(axis="index").format(formats, na_rep="", escape="html")
              .format_index(escape="html", axis=1))
    rest = len(frame) - len(shown)
    note = caption + (f" (first {len(shown)} of {len(frame)} rows)" if rest > 0 else "")
    if frame.empty:
        note = (caption + ": " if caption else "") + "no rows."
    if note:
        styler = styler.set_caption(html.escape(note))
    return styler.set_table_styles([{"selector": "td", "props": [("text-align", "left"), ("vertical-align", "top")]},
                                    {"selector": "th", "props": [("text-align", "left")]},
                                    {"selector": "caption", "props": [("caption-side", "bottom"), ("color", "#555")]}])
