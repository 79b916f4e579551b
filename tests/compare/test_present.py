"""helpers.compare.present: tables for people, escaped wherever corpus text can reach."""

import pandas as pd
import pytest

from helpers.compare import present

HOSTILE = "<script>alert(1)</script>"


def test_cells_headers_and_caption_are_escaped():
    frame = pd.DataFrame({HOSTILE: [HOSTILE], "share": [0.353801]})
    page = present.for_people(frame, percent=["share"], caption=HOSTILE).to_html()
    assert "<script>" not in page and page.count("&lt;script&gt;") == 3
    assert "35%" in page and "0.353801" not in page


def test_no_index_column_and_every_row_reachable():
    page = present.for_people(pd.DataFrame({"n": range(60)}), max_rows=50).to_html()
    assert page.count("<tr") == 61 and "60 rows" in page and 'class="row_heading' not in page
    assert 'class="parallax-table" data-page-length="50"' in page and "max-height" in page


def test_a_table_longer_than_the_page_holds_says_where_the_rest_is(monkeypatch):
    monkeypatch.setattr(present, "ROWS_IN_PAGE", 100)
    page = present.for_people(pd.DataFrame({"n": range(250)}), max_rows=20).to_html()
    assert page.count("<tr") == 101 and "250 rows, the first 100 here (every row in the table&#x27;s CSV)" in page


@pytest.mark.parametrize("held,total,said", [(100, 2_500_000, "2,500,000 rows, the first 100 here"),
                                              (100, 100, "100 rows"), (100, None, "100 rows")])
def test_a_table_read_in_part_says_how_many_rows_the_whole_has(monkeypatch, held, total, said):
    monkeypatch.setattr(present, "ROWS_IN_PAGE", 100)
    page = present.for_people(pd.DataFrame({"n": range(held)}), max_rows=20, total_rows=total).to_html()
    assert said in page and page.count("<tr") == 101
    assert ("the first" in page) == (total is not None and total > held)


def test_a_short_table_does_not_scroll():
    page = present.for_people(pd.DataFrame({"n": range(5)}), max_rows=20).to_html()
    assert "max-height" not in page and "rows" not in page


def test_the_interactive_tables_script_is_one_fixed_script_allowed_by_its_hash():
    import base64
    import hashlib

    script = present.tables_script()
    assert "</script" not in script.lower() and "\nexport" not in script[-3000:]
    assert "new DataTable(table" in script
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert present.tables_script_hash() == f"'sha256-{digest}'"
    assert f'<script type="module">{script}</script>' in present.interactive_tables().data


def test_an_empty_table_says_so():
    assert "no rows." in present.for_people(pd.DataFrame({"a": []}), caption="Inputs").to_html()


@pytest.mark.parametrize("value, shown", [(0.2, "0.2"), (0.25, "0.25"), (0.3333, "0.33"), (3.0, "3"), (1200.0, "1,200"),
                                          (float("nan"), ""), (0.0012, "0.0012"), (0.004987, "0.005"),
                                          (0.005, "0.01"), (-0.0031, "-0.0031"), (0.000042, "4.2e-05")])
def test_decimals_read_as_people_write_them(value, shown):
    assert present.plain_number(value) == shown
    html = present.for_people(pd.DataFrame({"threshold": [value]})).to_html()
    assert f">{shown}<" in html and "000000" not in html


def test_true_and_false_read_as_yes_and_no():
    html = present.for_people(pd.DataFrame({"wording_differs": [True, False]})).to_html()
    assert ">yes<" in html and ">no<" in html and "True" not in html


def test_long_headers_and_values_may_wrap_instead_of_running_into_the_next_column():
    html = present.for_people(pd.DataFrame({"n_outlet_sentences": [1], "frame": ["crime_punishment"]})).to_html()
    assert html.count("overflow-wrap: break-word") == 2, "td and th"
    assert "n_<wbr>outlet_<wbr>sentences" in html, "a header may break after its underscores"


def test_counts_are_written_with_thousands_separators():
    html = present.for_people(pd.DataFrame({"words": [1474930, 12], "sent_id": [3, 4]})).to_html()
    assert "1,474,930" in html and ">12<" in html and ">3<" in html


@pytest.mark.parametrize("text, expected", [
    ("A; B; C", "A; B; C"),
    ("", ""),
    (None, None),
    ("; ".join("ABCDEFGHIJKL"), "A; B; C; D; E; F; G; H; I; J … and 2 more"),
])
def test_a_long_list_in_a_cell_is_cut_to_its_first_items_and_a_count(text, expected):
    assert present.shorten_list(text) == expected


def test_listed_columns_are_shortened_for_display_only():
    frame = pd.DataFrame({"outlet_names": ["; ".join(f"O{i}" for i in range(30))], "n": [30]})
    html = present.for_people(frame, lists=["outlet_names"]).to_html()
    assert "O9 … and 20 more" in html and "O10" not in html
    assert frame["outlet_names"].iloc[0].count(";") == 29, "the frame itself is unchanged"


def test_with_sentence_text_joins_each_rows_sentence_in_row_order():
    sentences = pd.DataFrame({"article_id": ["a", "a", "b"], "sent_id": [0, 1, 0], "text": ["A0.", "A1.", "B0."],
                              "position": [0.0, 1.0, 0.0]})
    rows = pd.DataFrame({"compound": [-0.9, -0.5, 0.1, 0.2], "article_id": ["b", "a", "a", "c"], "sent_id": [0, 1, 1, 0],
                         "actor": ["X", "X", "Y", "X"]}, index=[7, 3, 5, 1])
    out = present.with_sentence_text(rows, sentences)
    assert list(out.columns) == ["compound", "article_id", "sent_id", "actor", "text"]
    assert list(out.index) == [7, 3, 5, 1]
    assert out["text"].tolist()[:3] == ["B0.", "A1.", "A1."] and pd.isna(out["text"].iloc[3])  # c:0 has no sentence
    # a stale text column is replaced, not doubled
    assert present.with_sentence_text(rows.assign(text="old"), sentences)["text"].tolist()[:3] == ["B0.", "A1.", "A1."]
    assert present.with_sentence_text(rows.iloc[0:0], sentences).empty


def test_with_sentence_text_refuses_a_key_held_twice():
    sentences = pd.DataFrame({"article_id": ["a", "a"], "sent_id": [0, 0], "text": ["one", "two"]})
    with pytest.raises(pd.errors.MergeError):
        present.with_sentence_text(pd.DataFrame({"article_id": ["a"], "sent_id": [0]}), sentences)


@pytest.mark.parametrize("frame, kept", [
    (pd.DataFrame({"a": ["x", ""], "b": ["", " "], "c": [None, None], "d": [0, 0]}), ["a", "d"]),
    (pd.DataFrame({"a": pd.Series([], dtype=object)}), []),
])
def test_without_empty_columns_drops_only_columns_no_row_fills(frame, kept):
    from helpers.compare.present import without_empty_columns

    assert list(without_empty_columns(frame).columns) == kept


def test_printed_answers_wrap_between_words():
    # JupyterLab's own style breaks a printed line anywhere ("eac h"); the page's style comes after it
    assert ".jp-OutputArea-output pre { word-break: normal; overflow-wrap: anywhere; }" in present.interactive_tables().data
