"""Charts for the notebooks: matplotlib, titled, labelled axes with units, each saved as a PNG
beside the CSV of the data behind it (``<figures_dir>/<name>.png`` and ``<name>.csv``)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter
import numpy as np
import pandas as pd

from helpers.compare.present import plain_number

plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 120, "axes.titleweight": "bold",
                     "axes.spines.top": False, "axes.spines.right": False,
                     "svg.hashsalt": "parallax", "pdf.fonttype": 42})


def save_figure(fig: "plt.Figure", data: pd.DataFrame, name: str, figures_dir: str | os.PathLike[str] | None) -> Path | None:
    """Save ``fig`` as ``<name>.png`` and ``data`` as ``<name>.csv`` in ``figures_dir``, and in a
    notebook show the figure with its title as the image's alternative text (:func:`alt_text`).

    Returns the PNG path, or None when ``figures_dir`` is empty (nothing saved, the figure shown).
    """
    png = None
    if figures_dir:
        folder = Path(figures_dir)
        folder.mkdir(parents=True, exist_ok=True)
        png = folder / f"{name}.png"
        fig.savefig(png, bbox_inches="tight", metadata={"Software": None})
        data.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    _show_with_alt(fig, png)
    return png


def alt_text(fig: "plt.Figure") -> str:
    """A figure's alternative text: its titles (the figure's, then each titled panel's)."""
    titles = [fig._suptitle.get_text()] if getattr(fig, "_suptitle", None) is not None else []
    titles += [ax.get_title() for ax in fig.axes if ax.get_visible() and ax.get_title()]
    return "; ".join(" ".join(t.split()) for t in titles if t.strip()) or "chart"


def _show_with_alt(fig: "plt.Figure", png: Path | None) -> None:
    """In a notebook, display ``fig`` once as a PNG carrying :func:`alt_text` (the report's pages
    write it as the image's ``alt``), and close it so the inline backend does not show it again.
    Outside a notebook, nothing."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return
    if get_ipython() is None or not hasattr(get_ipython(), "kernel"):
        return
    import base64
    import io

    from IPython.display import display

    if png is not None:
        raw = png.read_bytes()
    else:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight", metadata={"Software": None})
        raw = buffer.getvalue()
    display({"image/png": base64.b64encode(raw).decode("ascii"), "text/plain": alt_text(fig)}, raw=True,
            metadata={"image/png": {"alt": alt_text(fig)}})
    plt.close(fig)


#: Most rows (bars, heatmap rows, facts, outlets, groups) and columns one chart draws: a chart of
#: thousands of outlets is unreadable and its figure would be metres tall. What is left out is said
#: in the title; the CSV saved beside the chart keeps every row.
MAX_ROWS = 40
MAX_COLUMNS = 30
MAX_GROUPS = 12
#: No figure side is larger than this (inches; × ``savefig.dpi`` 120 = 2,400 pixels).
MAX_INCHES = 20.0


def safe_text(value: object, limit: int | None = None) -> str:
    """Text taken from the corpus (outlet names, terms, sentences, ids), made safe to draw.

    matplotlib reads a string with two unescaped ``$`` as mathtext ("$5 million … $3 million" is
    typeset as a formula, and an unbalanced brace between them makes ``savefig`` raise), so every
    ``$`` is escaped (drawn as a plain dollar sign). Line breaks become spaces (a label is one
    line), and with ``limit`` the text is cut to that many characters, ending in "…".
    Every title, axis label, tick label, legend entry and annotation of this module goes through it.
    """
    text = " ".join(str(value).split()) if ("\n" in str(value) or "\r" in str(value)) else str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _label_for(value: object, limit: int = 40) -> str:
    return safe_text(value, limit)


def _inches(width: float, height: float) -> tuple[float, float]:
    """A figure size with both sides at most :data:`MAX_INCHES`."""
    return min(float(width), MAX_INCHES), min(float(height), MAX_INCHES)


def _shown(total: int, kept: int, what: str) -> str:
    """The title note for a chart that draws ``kept`` of ``total`` items."""
    return f" (first {kept} of {total:,} {what} shown)" if kept < total else ""


def _no_data(ax, what: str = "nothing to plot") -> None:
    """Say so on an empty chart instead of drawing empty axes."""
    ax.text(0.5, 0.5, what, ha="center", va="center", transform=ax.transAxes, color="#777777")
    ax.set_xticks([])
    ax.set_yticks([])


#: Every legend sits right of the plot, never over the data (tight_layout makes room for it).
LEGEND_OUTSIDE = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "fontsize": 8, "borderaxespad": 0.0}


def _date_axis(ax, when: pd.Series) -> None:
    """Day ticks (``YYYY-MM-DD``) over ``when`` padded by a day each side.

    Publication dates are days, so ticks never fall inside a day. The span is at least two days
    (the padding): up to three weeks a :class:`~matplotlib.dates.DayLocator` ticks every k days
    (at most nine ticks); beyond, the automatic locator's daily, monthly or yearly steps are used
    (with more than three weeks it never reaches hours). Emptying the automatic locator's hourly
    intervals instead made it raise UnboundLocalError when every date was the same day."""
    pad = pd.Timedelta(days=1)
    start, end = when.min() - pad, when.max() + pad
    ax.set_xlim(start, end)
    days = int((end - start).days)
    if days <= 21:
        locator = mdates.DayLocator(interval=max(1, -(-days // 8)))
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))


def barh(data: pd.DataFrame, *, label: str, value: str, title: str, xlabel: str,
         ylabel: str = "", stack: str | None = None, color: str = "#4C72B0",
         in_label_order: bool = False) -> "plt.Figure":
    """Horizontal bars of ``value`` per ``label`` (largest on top); stacked by ``stack`` when given.
    At most :data:`MAX_ROWS` bars (the largest) and :data:`MAX_GROUPS` stack parts (the largest;
    the rest summed as "(other)"); the title says when some were left out. ``in_label_order``
    (stacked bars only): the labels in their sorted order, the first on top — periods in date
    order — placeholders in parentheses ("(undated)") last, and the first :data:`MAX_ROWS` kept."""
    note = ""
    if stack:
        wide = data.pivot_table(index=label, columns=stack, values=value, aggfunc="sum", fill_value=0)
        if wide.shape[1] > MAX_GROUPS:
            biggest = wide.sum(axis=0).sort_values(ascending=False, kind="stable").index
            wide = wide[list(biggest[:MAX_GROUPS - 1])].assign(**{"(other)": wide[list(biggest[MAX_GROUPS - 1:])].sum(axis=1)})
        note = _shown(len(wide), min(len(wide), MAX_ROWS), "rows")
        if in_label_order:
            # placeholders such as "(undated)" after the labels; barh draws the first row at the
            # bottom: reversed, the first label is on top
            order = sorted(wide.index, key=lambda item: (str(item).startswith("("), str(item)))
            wide = wide.loc[order].iloc[:MAX_ROWS].iloc[::-1]
        else:
            wide = wide.loc[wide.sum(axis=1).sort_values(kind="stable").index]
            wide = wide.iloc[len(wide) - min(len(wide), MAX_ROWS):]
        fig, ax = plt.subplots(figsize=_inches(8, max(2.5, 0.4 * len(wide) + 1.2)))
        left = pd.Series(0.0, index=wide.index)
        for column in wide.columns:
            ax.barh([_label_for(i) for i in wide.index], wide[column], left=left, label=_label_for(column, 30))
            left = left + wide[column]
        if len(wide.columns):
            ax.legend(title=safe_text(stack, 30), **LEGEND_OUTSIDE)
    else:
        ordered = data.sort_values(value)
        note = _shown(len(ordered), min(len(ordered), MAX_ROWS), "rows")
        ordered = ordered.iloc[len(ordered) - min(len(ordered), MAX_ROWS):]
        fig, ax = plt.subplots(figsize=_inches(8, max(2.5, 0.4 * len(ordered) + 1.2)))
        ax.barh([_label_for(i) for i in ordered[label]], ordered[value], color=color)
    if data.empty:
        _no_data(ax)
    # values as the tables write them ("1,200,000"), not in matplotlib's offset notation ("1.2 1e6")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: plain_number(value)))
    ax.set_title(safe_text(title) + note)
    ax.set_xlabel(safe_text(xlabel))
    ax.set_ylabel(safe_text(ylabel))
    fig.tight_layout()
    return fig


def heatmap(wide: pd.DataFrame, *, title: str, xlabel: str, ylabel: str, colorbar_label: str,
            fmt: str = "{:.0f}", cmap: str = "Blues") -> "plt.Figure":
    """A labelled heatmap of a wide table (rows × columns), values written in the cells: the first
    :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns in the table's order (the title says when
    some were left out). A missing value (NaN: no value to show) is an empty grey cell with no number."""
    note = _shown(wide.shape[0], min(wide.shape[0], MAX_ROWS), "rows") + \
        _shown(wide.shape[1], min(wide.shape[1], MAX_COLUMNS), "columns")
    wide = wide.iloc[:MAX_ROWS, :MAX_COLUMNS]
    fig, ax = plt.subplots(figsize=_inches(max(5, 0.9 * wide.shape[1] + 3), max(2.5, 0.4 * wide.shape[0] + 1.5)))
    if wide.size == 0:
        _no_data(ax)
    else:
        colours = plt.get_cmap(cmap).with_extremes(bad="#eeeeee")
        image = ax.imshow(wide.to_numpy(dtype=float), aspect="auto", cmap=colours)
        ax.set_xticks(range(wide.shape[1]), [_label_for(c, 25) for c in wide.columns], rotation=40, ha="right")
        ax.set_yticks(range(wide.shape[0]), [_label_for(i) for i in wide.index])
        values = wide.to_numpy(dtype=float)
        top = np.nanmax(values) if np.isfinite(values).any() else 0
        for i, j in zip(*np.nonzero(np.isfinite(values))):
            v = values[i, j]
            ax.text(j, i, safe_text(fmt.format(v)), ha="center", va="center", fontsize=8,
                    color="white" if top and v > 0.6 * top else "black")
        bar = fig.colorbar(image, ax=ax, label=safe_text(colorbar_label))
    ax.set_title(safe_text(title) + note)
    ax.set_xlabel(safe_text(xlabel))
    ax.set_ylabel(safe_text(ylabel))
    fig.tight_layout()
    if wide.size:
        _fit_vertical_label(fig, bar.ax.yaxis.label, bar.ax)
    return fig


def _fit_vertical_label(fig: "plt.Figure", label: "plt.Text", span: "plt.Axes") -> None:
    """Wrap a vertical axis label (a colour bar's) onto as many lines as it needs to be no taller
    than the axes ``span`` it labels: on a heatmap of a few rows the label was taller than the
    bar, and its end ran into the title or off the figure."""
    renderer = fig.canvas.get_renderer()
    room = span.get_window_extent(renderer).height
    height = label.get_window_extent(renderer).height
    text = label.get_text()
    if height <= room or len(text) < 2:
        return
    width = max(8, int(len(text) * room / height))
    label.set_text(textwrap.fill(text, width=width))
    fig.tight_layout()


def timeline(data: pd.DataFrame, *, date: str, label: str, title: str, xlabel: str = "publication date",
             ylabel: str = "") -> "plt.Figure":
    """One dot per row at ``date`` (YYYY-MM-DD) on the row of its ``label``; rows without a date are listed
    in the title's note rather than plotted at an invented time."""
    values = data[date].fillna("").astype(str)
    when = pd.to_datetime(values.where(values.str.fullmatch(r"\d{4}-\d{2}-\d{2}"), None), errors="coerce",
                          format="%Y-%m-%d")
    dated = data[when.notna()].assign(_when=when[when.notna()])
    missing = len(data) - len(dated)
    # Every label has a row (an outlet with only undated articles too), at most MAX_ROWS: those
    # with the most dated rows, then the most rows (ties by name).
    dated_counts = dated[label].astype(str).value_counts()
    counts = data[label].astype(str).value_counts()
    ranked = sorted(counts.index, key=lambda v: (-dated_counts.get(v, 0), -counts[v], v))
    order = sorted(ranked[:MAX_ROWS])
    shown = dated[dated[label].astype(str).isin(set(order))]
    fig, ax = plt.subplots(figsize=_inches(8, max(2.5, 0.4 * len(order) + 1.5)))
    if not shown.empty:
        rows = {name: i for i, name in enumerate(order)}
        ax.scatter(shown["_when"], [rows[str(v)] for v in shown[label]], s=60, zorder=3)
        ax.set_yticks(range(len(order)), [_label_for(v) for v in order])
        ax.set_ylim(-0.5, len(order) - 0.5)
        ax.grid(axis="x", alpha=0.3)
        _date_axis(ax, shown["_when"])
        fig.autofmt_xdate()
    else:
        _no_data(ax, "no dated rows")
    note = f" ({missing} without a publication date, not plotted)" if missing else ""
    note += _shown(len(ranked), len(order), safe_text(label, 30) + "s")
    ax.set_title(safe_text(title) + note)
    ax.set_xlabel(safe_text(xlabel))
    ax.set_ylabel(safe_text(ylabel))
    fig.tight_layout()
    return fig


def ranked_terms(terms: pd.DataFrame, *, group: str = "group", term: str = "term", value: str = "z",
                 top: int = 8, title: str, xlabel: str) -> "plt.Figure":
    """Small multiples: for each group, its ``top`` terms ranked by ``value`` as horizontal bars."""
    every = sorted(terms[group].astype(str).unique())
    groups = every[:MAX_GROUPS]  # the first MAX_GROUPS by name; the title says how many in all
    top = max(1, min(int(top), MAX_ROWS))
    columns = min(3, max(1, len(groups)))
    rows = max(1, -(-len(groups) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=_inches(4.2 * columns, 0.32 * top * rows + 1.2 * rows),
                             squeeze=False)
    for ax, name in zip(axes.flat, groups):
        chosen = terms[terms[group].astype(str) == name].sort_values([value, term], ascending=[False, True]).head(top)[::-1]
        ax.barh([_label_for(t, 28) for t in chosen[term]], chosen[value], color="#4C72B0")
        ax.set_title(_label_for(name, 30), fontsize=10)
        ax.set_xlabel(safe_text(xlabel), fontsize=8)
        ax.tick_params(labelsize=8)
    if not groups:
        _no_data(axes.flat[0])
    for ax in list(axes.flat)[max(1, len(groups)):]:
        ax.set_visible(False)
    fig.suptitle(safe_text(title) + _shown(len(every), len(groups), "groups"), fontweight="bold")
    fig.tight_layout()
    return fig


EVENT_TIMELINE_ROWS = 15  # rows (happenings) the event timeline shows at most


def event_timeline_rows(timeline: pd.DataFrame, *, fact: str = "fact_id", outlet: str = "outlet",
                        value: str = "value", row: str = "happening_id", top: int = EVENT_TIMELINE_ROWS) -> pd.DataFrame:
    """The rows :func:`event_timeline` draws and the order it draws them in.

    Input: the ``timeline`` table (``row`` column, else ``fact``, groups its lines into one row per
    happening). A value counts when its day is known: ``YYYY-MM-DD`` with or without a time or a
    part of day (``2021-08-10TNI`` is plotted on 10 Aug). Rule: when some rows are dated by two or
    more outlets, only those are drawn (a row one outlet dates compares nothing, and its day would
    stretch the axis away from the comparisons); rows whose outlets give more than one day first
    (a disagreement), then rows dated by more outlets, then the earliest day; the first ``top``
    are kept. Output: the plottable lines of the kept rows plus ``_row`` (the row key), ``_day``
    (Timestamp) and ``_rank`` (0 = top row); ``attrs["n_rows"]`` holds how many rows there were
    in all and ``attrs["n_single"]`` how many of them one outlet alone dates and were left out.
    """
    key = row if row in timeline else fact
    frame = timeline.copy()
    day = frame[value].astype(str).str.extract(r"^(\d{4}-\d{2}-\d{2})", expand=False)
    frame = frame.assign(_row=frame[key].astype(str), _day=pd.to_datetime(day, errors="coerce"))
    frame = frame[frame["_day"].notna()]
    if frame.empty:
        out = frame.assign(_rank=pd.Series(dtype="int64"))
        out.attrs["n_rows"] = 0
        out.attrs["n_single"] = 0
        return out
    stats = frame.groupby("_row").agg(days=("_day", "nunique"), outlets=(outlet, "nunique"), first=("_day", "min"))
    stats = stats.assign(disagree=stats["days"] > 1).reset_index()
    n_rows = len(stats)
    single = stats["outlets"] < 2
    n_single = int(single.sum()) if not single.all() else 0
    if n_single:
        stats = stats[~single]
    stats = stats.sort_values(["disagree", "outlets", "first", "_row"], ascending=[False, False, True, True],
                              kind="stable")
    rank = {r: k for k, r in enumerate(stats["_row"].head(top))}
    out = frame[frame["_row"].isin(rank)].assign(_rank=lambda f: f["_row"].map(rank))
    out.attrs["n_rows"] = n_rows
    out.attrs["n_single"] = n_single
    return out.sort_values(["_rank", "_day", outlet], kind="stable")


def event_timeline(timeline: pd.DataFrame, *, title: str, fact: str = "fact_id", label: str = "label",
                   outlet: str = "outlet", value: str = "value", row: str = "happening_id",
                   top: int = EVENT_TIMELINE_ROWS) -> "plt.Figure":
    """Happenings on the vertical axis, the day each outlet gives on the horizontal, one marker per
    outlet: a disagreement is two markers on one row.

    Rows and their order come from :func:`event_timeline_rows` (at most ``top``: disagreements
    first, then the rows most outlets date, then the earliest; the title says how many more there
    are). A value precise to a part of a day or a time is plotted on its day; values with no
    known day (``XXXX-WXX-1``, a month, a year) are counted in the title, not plotted.
    """
    plotted = event_timeline_rows(timeline, fact=fact, outlet=outlet, value=value, row=row, top=top)
    day = timeline[value].astype(str).str.match(r"^\d{4}-\d{2}-\d{2}")
    missing = int((~day).sum())
    n_rows = plotted.attrs.get("n_rows", 0)
    shown = plotted["_rank"].nunique() if not plotted.empty else 0
    fig, ax = plt.subplots(figsize=_inches(11, max(3.5, 0.5 * shown + 2.0)))
    if not plotted.empty:
        labels = {r: (g[label].iloc[0] if label in g else r) for r, g in plotted.groupby("_row", sort=False)}
        order = list(dict.fromkeys(plotted.sort_values("_rank")["_row"]))
        rows = {r: shown - 1 - k for k, r in enumerate(order)}  # top-ranked row at the top
        markers = "osD^v<>ph*"
        # At most MAX_GROUPS outlets in the legend (those with the most dates); the others in grey.
        sizes = plotted[outlet].astype(str).value_counts()
        named = sorted(sizes.index, key=lambda o: (-sizes[o], o))[:MAX_GROUPS]
        n_outlets = min(len(sizes), MAX_GROUPS + 1)
        for index, name in enumerate(sorted(named)):
            group = plotted[plotted[outlet].astype(str) == name]
            offset = (index - n_outlets / 2) * 0.08
            ax.scatter(group["_day"], [rows[r] + offset for r in group["_row"]], label=_label_for(name, 25),
                       marker=markers[index % len(markers)], s=60, zorder=3)
        rest = plotted[~plotted[outlet].astype(str).isin(set(named))]
        if len(rest):
            ax.scatter(rest["_day"], [rows[r] + (len(named) - n_outlets / 2) * 0.08 for r in rest["_row"]],
                       label=f"{rest[outlet].astype(str).nunique():,} other outlets", color="#bbbbbb", marker=".",
                       s=30, zorder=2)
        ax.set_yticks([rows[r] for r in order], [_label_for(labels[r], 55) for r in order])
        _date_axis(ax, plotted["_day"])
        ax.grid(axis="x", alpha=0.3)
        ax.legend(title="outlet", **LEGEND_OUTSIDE)
        fig.autofmt_xdate()
    else:
        _no_data(ax, "no dates precise to a day")
    notes = []
    n_single = plotted.attrs.get("n_single", 0)
    if n_rows - n_single > shown:
        notes.append(f"top {shown}: disagreements, then most outlets; {n_rows - n_single - shown} more")
    if n_single:
        notes.append(f"{n_single} happening{'s' if n_single != 1 else ''} only one outlet dates")
    if missing:
        notes.append(f"{missing} date{'s' if missing != 1 else ''} vaguer than a day")
    ax.set_title(textwrap.fill(safe_text(title) + (f" (not drawn: {'; '.join(notes)})" if notes else ""), 75))
    ax.set_xlabel("day the outlet gives (resolved against its anchor)")
    ax.set_ylabel("happening")
    fig.tight_layout()
    return fig


def coverage_grid(grid: pd.DataFrame, labels: dict[str, str], *, title: str) -> "plt.Figure":
    """Facts (rows) × outlets (columns) of :func:`helpers.compare.facts.coverage_grid`: dark blue = verbatim,
    light blue = paraphrase, orange = single (only this outlet carries it), grey = a close sentence the grouping
    missed (code -1), white = absent; each row labelled with its fact id and the start of its representative
    sentence."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    colours = ["#d9d9d9", "#ffffff", "#fdae6b", "#9ecae1", "#08519c"]  # codes -1, 0, 1, 2, 3
    # The first MAX_ROWS facts (the caller orders them, most widely carried first) and MAX_COLUMNS outlets.
    note = _shown(grid.shape[0], min(grid.shape[0], MAX_ROWS), "facts") + \
        _shown(grid.shape[1], min(grid.shape[1], MAX_COLUMNS), "outlets")
    grid = grid.iloc[:MAX_ROWS, :MAX_COLUMNS]
    fig, ax = plt.subplots(figsize=_inches(max(6, 1.1 * grid.shape[1] + 6), max(2.5, 0.32 * grid.shape[0] + 1.8)))
    if grid.size:
        ax.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap=ListedColormap(colours), vmin=-1, vmax=3)
    else:
        _no_data(ax)
    ax.set_xticks(range(grid.shape[1]), [_label_for(c, 25) for c in grid.columns], rotation=40, ha="right")
    ax.set_yticks(range(grid.shape[0]), [f"{_label_for(f, 20)}: {_label_for(labels.get(f, ''), 60)}" for f in grid.index],
                  fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, grid.shape[1])], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, grid.shape[0])], minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.legend(handles=[Patch(facecolor=c, edgecolor="#999999", label=l) for c, l in
                       zip(colours[::-1], ["verbatim", "paraphrase", "only this outlet", "absent",
                                           "close sentence, not grouped"])],
              title="status", **LEGEND_OUTSIDE)
    ax.set_title(safe_text(title) + note)
    ax.set_xlabel("outlet")
    ax.set_ylabel("fact (most widely carried first)")
    fig.tight_layout()
    return fig


def line(data: pd.DataFrame, *, x: str, ys: list[str], title: str, xlabel: str, ylabel: str) -> "plt.Figure":
    """One line per column in ``ys`` against ``x``, with markers."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for column in ys[:MAX_GROUPS]:
        ax.plot(data[x], data[column], marker="o" if len(data) <= 200 else None,
                label=safe_text(str(column).replace("_", " "), 40))
    if data.empty:
        _no_data(ax)
    elif ys:
        ax.legend(**LEGEND_OUTSIDE)
    ax.grid(alpha=0.3)
    ax.set_title(safe_text(title))
    ax.set_xlabel(safe_text(xlabel))
    ax.set_ylabel(safe_text(ylabel))
    fig.tight_layout()
    return fig
