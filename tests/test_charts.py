import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from helpers import charts


@pytest.fixture(autouse=True)
def _close_figures():
    """Each test's figures closed after it (pyplot keeps every open figure, and warns past 20)."""
    yield
    charts.plt.close("all")


def test_save_figure_writes_png_and_the_data_beside_it(tmp_path):
    data = pd.DataFrame({"outlet": ["A", "B"], "words": [10, 20]})
    fig = charts.barh(data, label="outlet", value="words", title="Words", xlabel="words")
    png = charts.save_figure(fig, data, "words", tmp_path / "figs")
    assert png == tmp_path / "figs" / "words.png" and png.stat().st_size > 0
    assert pd.read_csv(tmp_path / "figs" / "words.csv").equals(data)
    assert charts.save_figure(fig, data, "x", "") is None


def test_charts_are_titled_and_labelled():
    data = pd.DataFrame({"article": ["a", "a", "b"], "kind": ["x", "y", "x"], "share": [1.0, 2.0, 3.0]})
    fig = charts.barh(data, label="article", value="share", stack="kind", title="T", xlabel="X", ylabel="Y")
    ax = fig.axes[0]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("T", "X", "Y")
    grid = pd.DataFrame([[1, 2], [3, 4]], index=["r1", "r2"], columns=["c1", "c2"])
    fig = charts.heatmap(grid, title="H", xlabel="cols", ylabel="rows", colorbar_label="n")
    assert fig.axes[0].get_title() == "H" and fig.axes[0].get_xlabel() == "cols"


def test_stacked_bars_in_label_order_keep_periods_in_date_order_and_the_undated_last():
    data = pd.DataFrame({"period": ["2021-08", "(undated)", "2021-06", "2021-07", "2021-07"],
                         "country": ["IN", "PK", "IN", "PK", "IN"], "words": [5, 100, 1, 3, 2]})
    fig = charts.barh(data, label="period", value="words", stack="country", title="T", xlabel="X",
                      in_label_order=True)
    # barh's first tick is the bottom bar: top to bottom, the periods in date order, then "(undated)"
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()][::-1]
    assert shown == ["2021-06", "2021-07", "2021-08", "(undated)"]
    by_value = charts.barh(data, label="period", value="words", stack="country", title="T", xlabel="X")
    assert [t.get_text() for t in by_value.axes[0].get_yticklabels()][-1] == "(undated)", "largest on top"


@pytest.mark.parametrize("dates, note", [(["2021-08-10", "2021-08-11", ""], "(1 without"), (["", ""], "(2 without")])
def test_timeline_never_plots_missing_dates(dates, note):
    data = pd.DataFrame({"outlet": ["A", "B", "C"][: len(dates)], "published": dates})
    fig = charts.timeline(data, date="published", label="outlet", title="Published")
    assert note in fig.axes[0].get_title()


def test_event_timeline_and_ranked_terms():
    timeline = pd.DataFrame({"fact_id": ["f1", "f1", "f2"], "outlet": ["A", "B", "A"],
                             "value": ["2021-08-09", "2021-08-10", "XXXX-WXX-1"], "sentence": ["s1", "s1b", "s2"]})
    fig = charts.event_timeline(timeline, label="sentence", title="When")
    assert "1 date vaguer than a day" in fig.axes[0].get_title()
    terms = pd.DataFrame({"group": ["A", "A", "B"], "term": ["x", "y", "z"], "z": [2.0, 1.0, 3.0]})
    fig = charts.ranked_terms(terms, title="Terms", xlabel="z")
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["A", "B"]


def test_event_timeline_one_row_per_happening_part_of_day_plotted_and_bounded():
    # hand-made: one fire dated Monday by one outlet and Tuesday night by another, plus 20 other facts
    rows = [{"fact_id": "F1", "happening_id": "H1", "outlet": "Valley Post", "value": "2021-10-04", "sentence": "fire"},
            {"fact_id": "F2", "happening_id": "H1", "outlet": "Dunmore Herald", "value": "2021-10-05TNI", "sentence": "fire"}]
    rows += [{"fact_id": f"G{k}", "happening_id": f"G{k}", "outlet": outlet, "value": "2021-10-01",
              "sentence": f"other {k}"} for k in range(20) for outlet in ("Valley Post", "Dunmore Herald")]
    timeline = pd.DataFrame(rows)
    drawn = charts.event_timeline_rows(timeline, top=5)
    assert drawn.attrs["n_rows"] == 21 and drawn["_rank"].nunique() == 5
    first = drawn[drawn["_rank"] == 0]
    assert set(first["outlet"]) == {"Valley Post", "Dunmore Herald"}  # two dots on one row
    assert str(first["_day"].max().date()) == "2021-10-05"  # the part-of-day value is on its day
    fig = charts.event_timeline(timeline, label="sentence", title="When", top=5)
    assert "16 more" in fig.axes[0].get_title() and "vaguer" not in fig.axes[0].get_title()
    assert len(fig.axes[0].get_yticks()) == 5


def test_event_timeline_draws_only_happenings_two_outlets_date_when_there_are_some():
    # hand-made: one happening two outlets date differently, three that one outlet alone dates a month away
    rows = [{"happening_id": "H1", "outlet": "Valley Post", "value": "2021-10-04", "sentence": "fire"},
            {"happening_id": "H1", "outlet": "Dunmore Herald", "value": "2021-10-05", "sentence": "fire"}]
    rows += [{"happening_id": f"S{k}", "outlet": "Valley Post", "value": f"2021-11-0{k + 1}", "sentence": f"aside {k}"}
             for k in range(3)]
    drawn = charts.event_timeline_rows(pd.DataFrame(rows))
    assert set(drawn["_row"]) == {"H1"} and drawn.attrs["n_single"] == 3
    title = charts.event_timeline(pd.DataFrame(rows), label="sentence", title="When").axes[0].get_title()
    assert "not drawn: 3 happenings only one outlet dates" in " ".join(title.split())
    # With no happening two outlets date, the single-outlet rows are what there is to show.
    alone = charts.event_timeline_rows(pd.DataFrame(rows[2:]))
    assert alone["_row"].nunique() == 3 and alone.attrs["n_single"] == 0


# --------------------------------------------------------------------------- any input, bounded output

# Labels as a corpus may hold them: dollar amounts (two `$` read as mathtext), an unbalanced brace
# (mathtext raises on it at savefig), a line break, and great length.
AWKWARD = ["Norland $Post", "Eastmark {Herald", "The $5 million Gazette of $3 million {", "Line\nbreak Times",
           "Very long outlet name " * 8]


def _rows(case: str) -> pd.DataFrame:
    """Invented coverage rows: outlet, published, words, kind, term, fact_id, sentence, status."""
    if case == "empty":
        n, outlets, dates = 0, [], []
    elif case == "one point":
        n, outlets, dates = 1, AWKWARD[:1], ["2024-03-05"]
    elif case == "one day":
        n, outlets, dates = 5, AWKWARD, ["2024-03-05"] * 5
    elif case == "one outlet":
        n, outlets, dates = 5, AWKWARD[2:3] * 5, [f"2024-03-0{d}" for d in range(1, 6)]
    elif case == "all undated":
        n, outlets, dates = 5, AWKWARD, [""] * 5
    else:  # thousands of rows: 1,500 outlets over three years
        n = 3000
        outlets = [f"{AWKWARD[i % 5][:30]} {i % 1500}" for i in range(n)]
        dates = [str((pd.Timestamp("2021-01-01") + pd.Timedelta(days=i % 1100)).date()) for i in range(n)]
    return pd.DataFrame({
        "outlet": outlets, "published": dates, "words": [float(10 + i % 7) for i in range(n)],
        "kind": [["direct", "indirect", "$ {x"][i % 3] if n < 1000 else f"kind {i % 50}" for i in range(n)],
        "term": [f"${i % 2000} million" for i in range(n)], "fact_id": [f"f{i % 1000}" for i in range(n)],
        "sentence": [f"The {AWKWARD[i % 5]} paid $5 million and {{ $3 million, sentence {i}." for i in range(n)],
        "status": [i % 3 for i in range(n)]})


def _chart(kind: str, rows: pd.DataFrame):
    if kind == "barh":
        return charts.barh(rows, label="outlet", value="words", title="Words $ per outlet", xlabel="words")
    if kind == "barh stacked":
        return charts.barh(rows, label="outlet", value="words", stack="kind", title="Words", xlabel="words")
    if kind == "heatmap":
        wide = rows.pivot_table(index="term", columns="outlet", values="words", aggfunc="sum", fill_value=0)
        return charts.heatmap(wide, title="Terms", xlabel="outlet", ylabel="term", colorbar_label="n")
    if kind == "timeline":
        return charts.timeline(rows, date="published", label="outlet", title="Published")
    if kind == "ranked_terms":
        return charts.ranked_terms(rows.rename(columns={"outlet": "group", "words": "z"}), title="Terms",
                                   xlabel="z")
    if kind == "event_timeline":
        return charts.event_timeline(rows.rename(columns={"published": "value"}), label="sentence", title="When")
    if kind == "coverage_grid":
        grid = rows.pivot_table(index="fact_id", columns="outlet", values="status", aggfunc="max", fill_value=0)
        return charts.coverage_grid(grid, dict(zip(rows["fact_id"], rows["sentence"])), title="Coverage")
    if kind == "line":
        return charts.line(rows.assign(n=rows["words"] * 2), x="words", ys=["words", "n"], title="Line",
                           xlabel="x", ylabel="y")
    raise AssertionError(kind)


CHARTS = ["barh", "barh stacked", "heatmap", "timeline", "ranked_terms", "event_timeline", "coverage_grid", "line"]
CASES = ["one point", "one day", "one outlet", "all undated", "empty", "thousands"]


def test_every_chart_function_is_tested_here():
    import inspect

    public = {name for name, fn in vars(charts).items() if inspect.isfunction(fn) and fn.__module__ == charts.__name__
              and not name.startswith("_") and name not in {"save_figure", "safe_text", "event_timeline_rows", "alt_text"}}
    assert public == {c.split()[0] for c in CHARTS}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", CHARTS)
def test_every_chart_saves_any_input_at_a_bounded_size_and_typesets_no_label(tmp_path, kind, case):
    from matplotlib import pyplot as plt
    from PIL import Image

    fig = _chart(kind, _rows(case))
    png = charts.save_figure(fig, pd.DataFrame({"x": [1]}), "chart", tmp_path)
    with Image.open(png) as image:
        width, height = image.size
    bound = charts.MAX_INCHES * plt.rcParams["savefig.dpi"] * 1.25  # tight bbox may add label overhang
    assert width <= bound and height <= bound, (width, height)
    # No text drawn from the corpus is read as mathtext: its `$` signs are plain dollar signs.
    for text in fig.findobj(lambda a: hasattr(a, "_preprocess_math") and hasattr(a, "get_text")):
        shown, math = text._preprocess_math(text.get_text())
        assert math is False, text.get_text()
    charts.plt.close(fig)


def test_dollar_signs_and_braces_are_drawn_as_written(tmp_path):
    label = "Aid of $5 million {and} $3 million } from Norland"
    assert charts.safe_text(label) == label.replace("$", r"\$")
    fig = charts.barh(pd.DataFrame({"outlet": [label], "words": [3]}), label="outlet", value="words",
                      title=label, xlabel="words")
    charts.save_figure(fig, pd.DataFrame(), "dollars", tmp_path)  # used to raise in mathtext
    tick = fig.axes[0].get_yticklabels()[0]
    shown, math = tick._preprocess_math(tick.get_text())
    assert math is False and shown.startswith("Aid of $5 million {and} $3 million")


def test_one_day_of_publication_dates_ticks_days_only(tmp_path):
    data = pd.DataFrame({"outlet": ["Norland Post", "Eastmark Herald"], "published": ["2024-03-05"] * 2})
    fig = charts.timeline(data, date="published", label="outlet", title="Published")
    charts.save_figure(fig, data, "one-day", tmp_path)  # used to raise UnboundLocalError
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "2024-03-05" in ticks and all(len(t) == 10 for t in ticks if t)


def test_an_outlet_with_only_undated_articles_keeps_its_row():
    data = pd.DataFrame({"outlet": ["Norland Post", "Eastmark Herald"], "published": ["2024-03-05", ""]})
    fig = charts.timeline(data, date="published", label="outlet", title="Published")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Eastmark Herald", "Norland Post"]


def test_alt_text_is_the_charts_titles():
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2)
    left.set_title("Words per outlet")
    right.set_title("Sentences\nper outlet")
    assert charts.alt_text(fig) == "Words per outlet; Sentences per outlet"
    fig.suptitle("Coverage")
    assert charts.alt_text(fig).startswith("Coverage; ")
    charts.plt.close(fig)
    blank, _ = plt.subplots()
    assert charts.alt_text(blank) == "chart"
    plt.close(blank)


@pytest.mark.parametrize("value, text", [(1_246_014, "1,246,014"), (0, "0"), (0.25, "0.25"), (2.5, "2.5"), (12.7, "12.7")])
def test_bar_ticks_are_written_as_the_tables_write_numbers(value, text):
    fig = charts.barh(pd.DataFrame({"year": ["2020"], "words": [1]}), label="year", value="words", title="W", xlabel="w")
    assert fig.axes[0].xaxis.get_major_formatter()(value, 0) == text


def test_a_bar_chart_of_millions_has_no_offset_notation():
    fig = charts.barh(pd.DataFrame({"year": ["2019", "2020"], "words": [1_246_014, 1_083_210]}), label="year",
                      value="words", title="Words", xlabel="words")
    fig.canvas.draw()
    assert fig.axes[0].xaxis.get_offset_text().get_text() == ""
    assert any("," in t.get_text() for t in fig.axes[0].get_xticklabels())


def test_a_heatmap_leaves_a_missing_value_empty():
    wide = pd.DataFrame({"A": [0.5, float("nan")], "B": [0.25, 0.75]}, index=["economic", "legality"])
    fig = charts.heatmap(wide * 100, title="t", xlabel="outlet", ylabel="frame", colorbar_label="%")
    written = sorted(t.get_text() for t in fig.axes[0].texts)
    assert written == ["25", "50", "75"]  # no "nan" in a cell
    charts.plt.close(fig)


@pytest.mark.parametrize("rows, label", [(1, "% of the outlet's weighted text, by prominence of the sentence"),
                                         (5, "% of the outlet's weighted text"), (12, "%")])
def test_a_heatmaps_colour_bar_label_fits_the_figure(rows, label):
    """A heatmap of a few rows is shorter than a long colour-bar label: the label is wrapped onto
    lines no taller than the bar (it ran into the title, or off the figure); its words are all there."""
    wide = pd.DataFrame({"A": range(rows), "B": range(rows)}, index=[f"frame {i}" for i in range(rows)])
    fig = charts.heatmap(wide, title="A title as long as the figure is wide, over the colour bar too",
                         xlabel="outlet", ylabel="frame", colorbar_label=label)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    shown, bar = fig.axes[1].yaxis.label.get_window_extent(renderer), fig.axes[1].get_window_extent(renderer)
    assert bar.y0 - 1 <= shown.y0 and shown.y1 <= bar.y1 + 1, (shown, bar)
    assert fig.axes[1].yaxis.label.get_text().split() == label.split()
    charts.plt.close(fig)
