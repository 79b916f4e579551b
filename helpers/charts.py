"""Charts for the notebooks: matplotlib, titled, labelled axes with units, each saved as a PNG
beside the CSV of the data behind it (``<figures_dir>/<name>.png`` and ``<name>.csv``)."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 120, "axes.titleweight": "bold",
                     "axes.spines.top": False, "axes.spines.right": False,
                     "svg.hashsalt": "parallax", "pdf.fonttype": 42})


def save_figure(fig: "plt.Figure", data: pd.DataFrame, name: str, figures_dir: str | os.PathLike[str] | None) -> Path | None:
    """Save ``fig`` as ``<name>.png`` and ``data`` as ``<name>.csv`` in ``figures_dir``.

    Returns the PNG path, or None when ``figures_dir`` is empty (nothing saved).
    """
    if not figures_dir:
        return None
    folder = Path(figures_dir)
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / f"{name}.png"
    fig.savefig(png, bbox_inches="tight", metadata={"Software": None})
    data.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return png


def _label_for(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def barh(data: pd.DataFrame, *, label: str, value: str, title: str, xlabel: str,
         ylabel: str = "", stack: str | None = None, color: str = "#4C72B0") -> "plt.Figure":
    """Horizontal bars of ``value`` per ``label`` (largest on top); stacked by ``stack`` when given."""
    if stack:
        wide = data.pivot_table(index=label, columns=stack, values=value, aggfunc="sum", fill_value=0)
        wide = wide.loc[wide.sum(axis=1).sort_values().index]
        fig, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * len(wide) + 1.2)))
        left = pd.Series(0.0, index=wide.index)
        for column in wide.columns:
            ax.barh([_label_for(i) for i in wide.index], wide[column], left=left, label=str(column))
            left = left + wide[column]
        ax.legend(title=stack, fontsize=8, loc="lower right")
    else:
        ordered = data.sort_values(value)
        fig, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * len(ordered) + 1.2)))
        ax.barh([_label_for(i) for i in ordered[label]], ordered[value], color=color)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    return fig


def heatmap(wide: pd.DataFrame, *, title: str, xlabel: str, ylabel: str, colorbar_label: str,
            fmt: str = "{:.0f}", cmap: str = "Blues") -> "plt.Figure":
    """A labelled heatmap of a wide table (rows × columns), values written in the cells."""
    fig, ax = plt.subplots(figsize=(max(5, 0.9 * wide.shape[1] + 3), max(2.5, 0.4 * wide.shape[0] + 1.5)))
    image = ax.imshow(wide.to_numpy(dtype=float), aspect="auto", cmap=cmap)
    ax.set_xticks(range(wide.shape[1]), [_label_for(c, 25) for c in wide.columns], rotation=40, ha="right")
    ax.set_yticks(range(wide.shape[0]), [_label_for(i) for i in wide.index])
    values = wide.to_numpy(dtype=float)
    top = values.max() if values.size else 0
    for (i, j), v in pd.DataFrame(values).stack().items():
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=8,
                color="white" if top and v > 0.6 * top else "black")
    fig.colorbar(image, ax=ax, label=colorbar_label)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    return fig


def timeline(data: pd.DataFrame, *, date: str, label: str, title: str, xlabel: str = "publication date",
             ylabel: str = "") -> "plt.Figure":
    """One dot per row at ``date`` (YYYY-MM-DD) on the row of its ``label``; rows without a date are listed
    in the title's note rather than plotted at an invented time."""
    dated = data[data[date].astype(str).str.len() > 0].copy()
    missing = len(data) - len(dated)
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * data[label].nunique() + 1.5)))
    if not dated.empty:
        dated["_when"] = pd.to_datetime(dated[date])
        order = sorted(data[label].unique())
        rows = {name: i for i, name in enumerate(order)}
        ax.scatter(dated["_when"], [rows[v] for v in dated[label]], s=60, zorder=3)
        ax.set_yticks(range(len(order)), [_label_for(v) for v in order])
        ax.grid(axis="x", alpha=0.3)
        pad = pd.Timedelta(days=1)
        ax.set_xlim(dated["_when"].min() - pad, dated["_when"].max() + pad)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
        locator.intervald[mdates.HOURLY] = []  # publication dates are days: never tick inside a day
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        fig.autofmt_xdate()
    note = f" ({missing} without a publication date, not plotted)" if missing else ""
    ax.set_title(title + note)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    return fig


def ranked_terms(terms: pd.DataFrame, *, group: str = "group", term: str = "term", value: str = "z",
                 top: int = 8, title: str, xlabel: str) -> "plt.Figure":
    """Small multiples: for each group, its ``top`` terms ranked by ``value`` as horizontal bars."""
    groups = sorted(terms[group].unique())
    columns = min(3, max(1, len(groups)))
    rows = max(1, -(-len(groups) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 0.32 * top * rows + 1.2 * rows), squeeze=False)
    for ax, name in zip(axes.flat, groups):
        chosen = terms[terms[group] == name].sort_values([value, term], ascending=[False, True]).head(top)[::-1]
        ax.barh([_label_for(t, 28) for t in chosen[term]], chosen[value], color="#4C72B0")
        ax.set_title(_label_for(name, 30), fontsize=10)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return fig


def event_timeline(timeline: pd.DataFrame, *, title: str, fact: str = "fact_id", label: str = "label",
                   outlet: str = "outlet", value: str = "value") -> "plt.Figure":
    """Facts on the vertical axis, the date each outlet gives on the horizontal, one marker per outlet.

    Only day-precise values (``YYYY-MM-DD``) are plotted; the title says how many were not.
    """
    frame = timeline.copy()
    day = frame[value].astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    plotted, missing = frame[day].copy(), int((~day).sum())
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.5 * frame[fact].nunique() + 1.5)))
    if not plotted.empty:
        plotted["_when"] = pd.to_datetime(plotted[value])
        facts = list(dict.fromkeys(frame.sort_values(value)[fact]))
        labels = dict(zip(frame[fact], frame[label] if label in frame else frame[fact]))
        rows = {f: i for i, f in enumerate(facts)}
        markers = "osD^v<>ph*"
        for index, (name, group) in enumerate(plotted.groupby(outlet, sort=True)):
            offset = (index - plotted[outlet].nunique() / 2) * 0.08
            ax.scatter(group["_when"], [rows[f] + offset for f in group[fact]], label=_label_for(name, 25),
                       marker=markers[index % len(markers)], s=60, zorder=3)
        ax.set_yticks(range(len(facts)), [_label_for(labels[f], 55) for f in facts])
        pad = pd.Timedelta(days=1)
        ax.set_xlim(plotted["_when"].min() - pad, plotted["_when"].max() + pad)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=10))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        ax.grid(axis="x", alpha=0.3)
        ax.legend(title="outlet", fontsize=8, loc="best")
        fig.autofmt_xdate()
    note = f" ({missing} dates not precise to a day, not plotted)" if missing else ""
    ax.set_title(title + note)
    ax.set_xlabel("date the outlet gives (resolved against its anchor)")
    ax.set_ylabel("fact")
    fig.tight_layout()
    return fig


def coverage_grid(grid: pd.DataFrame, labels: dict[str, str], *, title: str) -> "plt.Figure":
    """Facts (rows) × outlets (columns): dark = verbatim, light = paraphrase or single (only this outlet), white = absent;
    each row labelled with its fact id and the start of its representative sentence."""
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    colours = ["#ffffff", "#9ecae1", "#08519c"]
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * grid.shape[1] + 6), max(2.5, 0.32 * grid.shape[0] + 1.8)))
    ax.imshow(grid.to_numpy(), aspect="auto", cmap=ListedColormap(colours), vmin=0, vmax=2)
    ax.set_xticks(range(grid.shape[1]), [_label_for(c, 25) for c in grid.columns], rotation=40, ha="right")
    ax.set_yticks(range(grid.shape[0]), [f"{f}: {_label_for(labels.get(f, ''), 60)}" for f in grid.index], fontsize=8)
    ax.set_xticks([x - 0.5 for x in range(1, grid.shape[1])], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, grid.shape[0])], minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.legend(handles=[Patch(facecolor=c, edgecolor="#999999", label=l) for c, l in
                       zip(colours[::-1], ["verbatim", "paraphrase or single", "absent"])],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title="status")
    ax.set_title(title)
    ax.set_xlabel("outlet")
    ax.set_ylabel("fact (most widely carried first)")
    fig.tight_layout()
    return fig


def line(data: pd.DataFrame, *, x: str, ys: list[str], title: str, xlabel: str, ylabel: str) -> "plt.Figure":
    """One line per column in ``ys`` against ``x``, with markers."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    for column in ys:
        ax.plot(data[x], data[column], marker="o", label=column.replace("_", " "))
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    return fig
