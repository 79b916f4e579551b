"""helpers.compare.present: tables for people, escaped wherever corpus text can reach."""

import pandas as pd

from helpers.compare import present

HOSTILE = "<script>alert(1)</script>"


def test_cells_headers_and_caption_are_escaped():
    frame = pd.DataFrame({HOSTILE: [HOSTILE], "share": [0.353801]})
    page = present.for_people(frame, percent=["share"], caption=HOSTILE).to_html()
    assert "<script>" not in page and page.count("&lt;script&gt;") == 3
    assert "35%" in page and "0.353801" not in page


def test_no_index_column_and_the_rest_counted():
    page = present.for_people(pd.DataFrame({"n": range(60)}), max_rows=50).to_html()
    assert "first 50 of 60 rows" in page and 'class="row_heading' not in page


def test_an_empty_table_says_so():
    assert "no rows." in present.for_people(pd.DataFrame({"a": []}), caption="Inputs").to_html()
