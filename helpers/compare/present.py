"""Tables as a reader sees them in a notebook: no index column, shares as percentages, every row
reachable, sortable and searchable where scripts run and still readable where they don't.

Takes any DataFrame; gives a pandas ``Styler`` rendered as a plain HTML table of class
``parallax-table`` (cell text and headers escaped). Long tables scroll inside a box of
``max_rows`` rows. :func:`interactive_tables`, shown once per notebook, turns every such table into
a DataTables table (sort, search, pages) with the DataTables build that the ``itables`` package
ships: nothing is downloaded, the script is the same bytes on every page, and the report's
Content-Security-Policy allows exactly that script by its hash (:func:`tables_script_hash`).
DataTables reads the escaped table already in the page, so no corpus text becomes markup.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import re
from importlib import resources
from typing import Iterable

import pandas as pd

#: The most rows a table carries into the page (its CSV in ``tables/`` holds every row).
ROWS_IN_PAGE = 1000


def plain_number(value: float) -> str:
    """A decimal as a reader writes it: whole numbers without decimals ("3", "1,200"), others with
    at most two ("0.25", "0.2"), and one that two decimals would show as zero with its first two
    significant digits ("0.0012", never "0": a q-value of 0.0012 is not nothing); missing values
    empty."""
    if pd.isna(value):
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) < 0.005:
        return f"{value:.2g}" if abs(value) >= 1e-4 else f"{value:.1e}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def with_sentence_text(rows: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """``rows`` keyed by ``article_id, sent_id`` with each sentence's ``text`` (from ``sentences``)
    as their last column, in their order; a key with no sentence gets no text. For a table that
    keeps the key, not the text (``tone_sentences``: a sentence's text once per actor it names
    would be millions of copies on a large corpus), when its rows are shown to a reader.
    A ValueError when ``sentences`` holds a key twice (the text would be ambiguous)."""
    text = sentences[["article_id", "sent_id", "text"]]
    out = rows.drop(columns="text", errors="ignore").merge(text, on=["article_id", "sent_id"], how="left",
                                                           validate="many_to_one")
    if len(out) != len(rows):  # a left join on unique keys keeps every row once
        raise AssertionError("joining the sentences' text changed the rows")
    return out.set_axis(rows.index)


#: Items of a listed cell (``"A; B; C"``) a table shows before "… and N more".
LIST_ITEMS_SHOWN = 10


def shorten_list(text: object, *, keep: int = LIST_ITEMS_SHOWN, sep: str = "; ") -> object:
    """A ``sep``-separated list cut to its first ``keep`` items and "… and N more" (text that is
    not a longer list is returned as it is): a cell naming 108 outlets is read as a count."""
    if not isinstance(text, str):
        return text
    items = text.split(sep)
    if len(items) <= keep:
        return text
    return sep.join(items[:keep]) + f" … and {len(items) - keep:,} more"


def without_empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the columns no row fills (every value missing or blank): a column of
    nothing tells a reader nothing (on a corpus with no wire copy, the passages' agency and origin).
    The table written to disk keeps them."""
    filled = [c for c in frame.columns
              if (frame[c].notna() & (frame[c].astype(str).str.strip() != "")).any()]
    return frame[filled]


def for_people(frame: pd.DataFrame, *, percent: Iterable[str] = (), decimals: dict[str, int] | None = None,
               max_rows: int = 50, caption: str = "", lists: Iterable[str] = (),
               total_rows: int | None = None) -> "pd.io.formats.style.Styler":
    """``frame`` without its index: ``percent`` columns (shares in [0, 1]) shown as "35 %",
    ``decimals`` columns rounded, other decimal columns by :func:`plain_number`, integers with
    thousands separators ("1,474,930"), true/false as
"yes"/"no". Every row up to
    :data:`ROWS_IN_PAGE` is in the table; ``max_rows`` is how many show at once (a scroll box
    without scripts, a page with them). The caption says how many rows there are (and when the
    page holds only the first :data:`ROWS_IN_PAGE`); an empty table says "no rows". ``lists``:
    columns of "; "-separated lists, each cut to :data:`LIST_ITEMS_SHOWN` items
    (:func:`shorten_list`; display only: ``frame`` keeps them all). ``total_rows``: the table's
    rows when ``frame`` holds only its first ones (read so), for the caption."""
    shown = frame.head(ROWS_IN_PAGE)
    listed = [c for c in lists if c in shown.columns]
    if listed:
        shown = shown.assign(**{c: shown[c].map(shorten_list) for c in listed})
    # Any other decimal column: at most two decimals, no trailing zeros ("0.2", not "0.200000").
    formats: dict[str, object] = {c: plain_number for c in shown.columns if pd.api.types.is_float_dtype(shown[c])}
    # Counts with thousands separators ("1,474,930"), as the sentences above the tables write them.
    formats.update({c: "{:,}" for c in shown.columns
                    if pd.api.types.is_integer_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])})
    # True/False as words ("yes" / "no").
    formats.update({c: (lambda v: "" if pd.isna(v) else ("yes" if v else "no"))
                    for c in shown.columns if pd.api.types.is_bool_dtype(shown[c])})
    formats.update({c: "{:.0%}" for c in percent if c in shown.columns})
    for column, digits in (decimals or {}).items():
        if column in shown.columns:
            formats[column] = "{:." + str(int(digits)) + "f}"
    # Cells and column headers both come from the corpus (a pivot's headers are outlet names): escape both.
    # A header may break after its underscores (<wbr>, added after escaping): "n_outlet_sentences"
    # otherwise runs into the next header when the columns are narrow.
    styler = (shown.style.hide(axis="index").format(formats, na_rep="", escape="html")
              .format_index(lambda label: str(label).replace("_", "_<wbr>"), escape="html", axis=1))
    note = caption
    in_table = len(frame) if total_rows is None else max(total_rows, len(frame))
    if in_table > max_rows:
        note += (" — " if note else "") + f"{in_table:,} rows"
        if len(shown) < in_table:
            note += f", the first {len(shown):,} here (every row in the table's CSV)"
    if frame.empty:
        note = (caption + ": " if caption else "") + "no rows."
    if note:
        styler = styler.set_caption(html.escape(note))
    box = []
    if len(shown) > max_rows:
        # Without scripts, a long table scrolls inside a box about max_rows rows high.
        box = [("display", "block"), ("max-height", f"{max(6, max_rows) * 2.2:.0f}em"), ("overflow", "auto")]
    return (styler.set_table_attributes(f'class="parallax-table" data-page-length="{int(max_rows)}"')
            .set_table_styles([{"selector": "", "props": box},
                               # a long unbroken header or value ("n_outlet_sentences", "crime_punishment")
                               # breaks where it would run into the next column; "break-word", not
                               # "anywhere", which would let a wide table squeeze its columns to a letter
                               {"selector": "td", "props": [("text-align", "left"), ("vertical-align", "top"),
                                                            ("overflow-wrap", "break-word")]},
                               {"selector": "th", "props": [("text-align", "left"), ("overflow-wrap", "break-word")]},
                               {"selector": "caption", "props": [("caption-side", "bottom"), ("color", "#555")]}]))


_INIT = """
const options = {order: []};
function enhance() {
  for (const table of document.querySelectorAll("table.parallax-table:not(.dataTable)")) {
    const rows = table.tBodies.length ? table.tBodies[0].rows.length : 0;
    const pageLength = parseInt(table.dataset.pageLength || "25", 10);
    if (rows <= pageLength) continue;  // a table that fits needs no controls
    table.style.display = "table";
    table.style.maxHeight = "none";
    const lengths = [...new Set([10, 25, 50, 100, pageLength])].sort((a, b) => a - b);
    const lengthMenu = [[...lengths, -1], [...lengths.map(String), "All"]];
    new DataTable(table, Object.assign({pageLength: pageLength, lengthMenu: lengthMenu}, options));
  }
}
enhance();
new MutationObserver(enhance).observe(document.body, {childList: true, subtree: true});
"""


@functools.lru_cache(maxsize=1)
def tables_script() -> str:
    """The one inline module script of :func:`interactive_tables`: itables' DataTables bundle with
    its export statement replaced by a local name, then the code that enhances every table of
    class ``parallax-table`` (now and as outputs appear)."""
    bundle = resources.files("itables").joinpath("html/dt_bundle.js").read_text(encoding="utf-8")
    exports = re.search(r"export\s*\{([^}]*)\}\s*;?\s*(?=(?:/\*.*?\*/\s*)*$)", bundle, flags=re.S)
    if exports is None:
        raise RuntimeError("itables' dt_bundle.js has no export statement at its end: check the pinned itables version")
    default = re.search(r"(\w+)\s+as\s+default\b", exports.group(1))
    if default is None:
        raise RuntimeError("itables' dt_bundle.js exports no default (DataTable): check the pinned itables version")
    code = bundle[:exports.start()] + f"\nconst DataTable = {default.group(1)};\n" + bundle[exports.end():] + _INIT
    # A "</script" inside the bundle would end the element early; the pinned bundle has none.
    if "</script" in code.lower():
        raise RuntimeError("itables' dt_bundle.js contains '</script': it cannot be inlined")
    if re.search(r"\\[^\x00-\x7f]", code):
        raise RuntimeError("itables' dt_bundle.js escapes a non-ASCII character: it cannot be made ASCII safely")
    # ASCII only (other characters as JavaScript \\u escapes): the browser then reads the same
    # bytes, and so the same hash, whatever character set a page declares.
    return "".join(ch if ord(ch) < 128 else _js_escape(ch) for ch in code)


def _js_escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def tables_script_hash() -> str:
    """The CSP source that allows :func:`tables_script` and nothing else: ``'sha256-…'``."""
    digest = hashlib.sha256(tables_script().encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def interactive_tables():
    """Shown once at the top of a notebook: DataTables' style sheet and :func:`tables_script`,
    which make the notebook's long tables sortable, searchable and paged (JupyterLab runs it in a
    trusted notebook; the report's pages allow it by hash). Without it, or where scripts don't
    run, the tables stay plain scrollable HTML."""
    from IPython.display import HTML

    css = resources.files("itables").joinpath("html/dt_bundle.css").read_text(encoding="utf-8")
    # a printed answer wraps between words: JupyterLab's style breaks its lines anywhere ("eac h")
    css += "\n.jp-OutputArea-output pre { word-break: normal; overflow-wrap: anywhere; }"
    return HTML(f"<style>{css}</style><script type=\"module\">{tables_script()}</script>")
