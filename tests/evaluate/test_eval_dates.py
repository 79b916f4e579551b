"""Tests for the TimeML scorer in helpers.evaluate.dates (fixture written by hand)."""

from pathlib import Path
from types import SimpleNamespace as Sys

import pytest

from helpers.evaluate.dates import (
    Counts, error_pattern, group_errors, main, measures, parse_meantime, parse_timeml, score_document, split_of,
)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "dates" / "tiny.tml"


def test_parse_timeml_offsets_and_dct():
    doc = parse_timeml(FIXTURE.read_text(), "tiny.tml")
    assert str(doc.dct) == "2021-08-10"
    assert [doc.text[g.start:g.end] for g in doc.timexes] == [
        "Tuesday", "20-year", "Aug. 31", "October 2001", "the past three days"]
    assert "officials said & added" in doc.text


def test_score_document_counts():
    doc = parse_timeml(FIXTURE.read_text(), "tiny.tml")
    spans = {doc.text[g.start:g.end]: g for g in doc.timexes}
    g_tue, g_aug, g_days = spans["Tuesday"], spans["Aug. 31"], spans["the past three days"]
    system = [
        Sys(start=g_tue.start, end=g_tue.end, type="DATE", value="2021-08-10"),          # strict, right value
        Sys(start=g_aug.start, end=g_aug.end - 3, type="DATE", value="2020-08"),         # relaxed, wrong value
        Sys(start=g_days.start + 9, end=g_days.end, type="DURATION", value="P3D"),       # relaxed, right value
        Sys(start=0, end=3, type="DATE", value="PRESENT_REF"),                           # spurious
    ]
    c = score_document(doc, system)
    assert (c.gold, c.system) == (5, 4)
    assert (c.strict_gold, c.strict_system) == (1, 1)
    assert (c.relaxed_gold, c.relaxed_system) == (3, 3)
    assert (c.pairs, c.value_ok, c.type_ok) == (3, 2, 3)
    m = measures(c)
    assert m["strict_P"] == pytest.approx(25.0) and m["strict_R"] == pytest.approx(20.0)
    assert m["relaxed_F1"] == pytest.approx(2 * 0.75 * 0.6 / 1.35 * 100)
    assert m["value_F1"] == pytest.approx(2 * 0.5 * 0.4 / 0.9 * 100)
    assert m["value_acc"] == pytest.approx(200 / 3)


def test_measures_empty():
    assert measures(Counts())["relaxed_F1"] == 0.0


def test_parse_meantime_tokens():
    src = ('<Document><token t_id="1" sentence="0">May</token><token t_id="2" sentence="0">14</token>'
           '<token t_id="3" sentence="0">,</token><token t_id="4" sentence="0">2009</token>'
           '<token t_id="5" sentence="1">It</token><token t_id="6" sentence="1">fell</token>'
           '<token t_id="7" sentence="1">yesterday</token>'
           '<Markables><TIMEX3 m_id="1" type="DATE" value="2009-05-14" functionInDocument="CREATION_TIME">'
           '<token_anchor t_id="1"/><token_anchor t_id="4"/></TIMEX3>'
           '<TIMEX3 m_id="2" type="DATE" value="2009-05-13" functionInDocument="NONE"><token_anchor t_id="7"/></TIMEX3>'
           '</Markables></Document>')
    doc = parse_meantime(src, "m.xml")
    assert doc.text == "May 14, 2009\nIt fell yesterday"
    assert str(doc.dct) == "2009-05-14" and doc.ignore == [(0, 12)]
    assert [(doc.text[g.start:g.end], g.value) for g in doc.timexes] == [("yesterday", "2009-05-13")]


def test_split_is_deterministic():
    assert split_of("ABC19980108.1830.0711.tml") == split_of("ABC19980108.1830.0711.tml")
    assert {split_of(f"doc{i}.tml") for i in range(50)} == {"dev", "heldout"}


def test_main_on_fixture(capsys):
    assert main([str(FIXTURE.parent)]) == 0
    out = capsys.readouterr().out
    assert "relaxed_F1" in out and "dates/all" in out


def test_error_patterns_group_similar_errors():
    assert error_pattern("value", "Aug. 6") == "value: MONTH 9"
    assert error_pattern("value", "Friday") == "value: WEEKDAY"
    assert error_pattern("extent", "nearly five Months") == "extent: nearly n months"
    errors = [("value", "a", "Friday", "x", "y"), ("missed", "b", "the year", "1989", ""),
              ("value", "c", "Tuesday", "x", "z")]
    groups = group_errors(errors)
    assert groups[0][:2] == ("value: WEEKDAY", 2) and groups[0][2] == errors[0]
    assert [g[0] for g in groups] == ["value: WEEKDAY", "missed: the year"]


def test_main_group_option(capsys):
    assert main([str(FIXTURE), "--group", "5"]) == 0
    assert "relaxed_F1" in capsys.readouterr().out
