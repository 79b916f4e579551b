import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from helpers import charts


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


@pytest.mark.parametrize("dates, note", [(["2021-08-10", "2021-08-11", ""], "(1 without"), (["", ""], "(2 without")])
def test_timeline_never_plots_missing_dates(dates, note):
    data = pd.DataFrame({"outlet": ["A", "B", "C"][: len(dates)], "published": dates})
    fig = charts.timeline(data, date="published", label="outlet", title="Published")
    assert note in fig.axes[0].get_title()


def test_event_timeline_and_ranked_terms():
    timeline = pd.DataFrame({"fact_id": ["f1", "f1", "f2"], "outlet": ["A", "B", "A"],
                             "value": ["2021-08-09", "2021-08-10", "XXXX-WXX-1"], "sentence": ["s1", "s1b", "s2"]})
    fig = charts.event_timeline(timeline, label="sentence", title="When")
    assert "1 dates not precise to a day" in fig.axes[0].get_title()
    terms = pd.DataFrame({"group": ["A", "A", "B"], "term": ["x", "y", "z"], "z": [2.0, 1.0, 3.0]})
    fig = charts.ranked_terms(terms, title="Terms", xlabel="z")
    assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["A", "B"]


def test_event_timeline_one_row_per_happening_part_of_day_plotted_and_bounded():
    # hand-made: one fire dated Monday by one outlet and Tuesday night by another, plus 20 other facts
    rows = [{"fact_id": "F1", "happening_id": "H1", "outlet": "Valley Post", "value": "2021-10-04", "sentence": "fire"},
            {"fact_id": "F2", "happening_id": "H1", "outlet": "Dunmore Herald", "value": "2021-10-05TNI", "sentence": "fire"}]
    rows += [{"fact_id": f"G{k}", "happening_id": f"G{k}", "outlet": "Valley Post", "value": "2021-10-01",
              "sentence": f"other {k}"} for k in range(20)]
    timeline = pd.DataFrame(rows)
    drawn = charts.event_timeline_rows(timeline, top=5)
    assert drawn.attrs["n_rows"] == 21 and drawn["_rank"].nunique() == 5
    first = drawn[drawn["_rank"] == 0]
    assert set(first["outlet"]) == {"Valley Post", "Dunmore Herald"}  # two dots on one row
    assert str(first["_day"].max().date()) == "2021-10-05"  # the part-of-day value is on its day
    fig = charts.event_timeline(timeline, label="sentence", title="When", top=5)
    assert "and 16 more" in fig.axes[0].get_title() and "not precise" not in fig.axes[0].get_title()
    assert len(fig.axes[0].get_yticks()) == 5
