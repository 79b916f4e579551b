"""Tests for helpers.dates: the grammar, the dateparser traps, tables and conflicts."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from helpers.dates import (
    CONFLICT_COLUMNS, DATES_COLUMNS, EVENT_TIMELINE_COLUMNS, TIMELINE_COLUMNS,
    bound_publication_date, date_conflicts, event_timeline, extract_dates,
    find_temporal_expressions, infer_tense, publication_timeline, values_compatible,
)
from helpers.schema import CONFLICT_EXTRA_COLUMNS

TUE = dt.date(2021, 8, 10)  # a Tuesday
WED = dt.date(2021, 8, 11)


def one(text, anchor=TUE, **kw):
    found = find_temporal_expressions(text, anchor=anchor, **kw)
    return [(e.expression, e.type, e.value) for e in found]


# ---------------------------------------------------------------- traps (one test each)

def test_trap_weekday_on_its_own_day_is_that_day():
    assert one("The chief had a call on Tuesday.", anchor=TUE) == [("Tuesday", "DATE", "2021-08-10")]


def test_trap_weekday_reported_next_day_is_day_before():
    assert one("The chief had a call on Tuesday.", anchor=WED) == [("Tuesday", "DATE", "2021-08-10")]


def test_trap_weekday_future_tense_points_forward():
    assert one("The two will meet on Tuesday.", anchor=WED) == [("Tuesday", "DATE", "2021-08-17")]


def test_trap_by_august_31_is_this_year():
    assert one("The pullout ordered by Biden by August 31.") == [("August 31", "DATE", "2021-08-31")]
    assert one("The mission will end on Aug. 31.") == [("Aug. 31", "DATE", "2021-08-31")]


def test_trap_decade_is_not_seconds_ago():
    assert one("It ruled Afghanistan in the 1990s.") == [("the 1990s", "DATE", "199")]


def test_trap_bare_year_gets_no_invented_day():
    assert one("the American motive for the 2001 invasion") == [("2001", "DATE", "2001")]


def test_trap_abbreviated_month_with_dot_is_one_expression():
    found = find_temporal_expressions("It ends on Aug. 31, he said.", anchor=TUE)
    assert len(found) == 1 and found[0].expression == "Aug. 31" and found[0].value == "2021-08-31"


def test_trap_we_is_not_wednesday():
    assert one("We discussed our mutual interest. We will continue.") == []


def test_trap_may_modal_is_not_a_month():
    assert one("The Taliban advances may appear startling.") == []
    assert one("May I ask? It may rain.") == []
    assert one("The vote will be held in May.", anchor=TUE) == [("May", "DATE", "2022-05")]


def test_trap_20_year_is_a_duration():
    assert one("another generation of Americans to the 20-year war") == [("20-year", "DURATION", "P20Y")]


# ---------------------------------------------------------------- table of cases

CASES = [
    ("", []),
    ("   \n\n  ", []),
    ("On August 7, the group captured the city.", [("August 7", "DATE", "2021-08-07")]),
    ("On Aug 1, the adviser said so.", [("Aug 1", "DATE", "2021-08-01")]),
    ("— Secretary (@SecDef) August 9, 2021", [("August 9, 2021", "DATE", "2021-08-09")]),
    ("in August 2021", [("August 2021", "DATE", "2021-08")]),
    ("It happened yesterday.", [("yesterday", "DATE", "2021-08-09")]),
    ("Earlier today, I spoke with him.", [("Earlier today", "DATE", "2021-08-10")]),
    ("He returned earlier this week.", [("earlier this week", "DATE", "2021-W32")]),
    ("Khan last month said so.", [("last month", "DATE", "2021-07")]),
    ("Elections are due next year.", [("next year", "DATE", "2022")]),
    ("They took three capitals over the weekend.", [("the weekend", "DATE", "2021-W31-WE")]),
    ("A day earlier, the Taliban captured a capital.", [("A day earlier", "DATE", "2021-08-09")]),
    ("The talks lasted three days.", [("three days", "DURATION", "P3D")]),
    ("after 20 years of war", [("20 years", "DURATION", "P20Y")]),
    ("seized six capitals within days", [("days", "DURATION", "PXD")]),
    ("They meet every week.", [("every week", "SET", "P1W")]),
    ("The paper is printed daily.", [("daily", "SET", "P1D")]),
    ("The vote closes at 5 p.m. today.", [("5 p.m.", "TIME", "2021-08-10T17:00"), ("today", "DATE", "2021-08-10")]),
    ("He spoke this morning.", [("this morning", "TIME", "2021-08-10TMO")]),
    ("Prices are high now.", [("now", "DATE", "PRESENT_REF")]),
    ("Profit rose in the third quarter.", [("the third quarter", "DATE", "2021-Q3")]),
    ("a 6-year-old boy", []),
    ("It cost $2001 and 1999 people came, up 2010%.", []),
    ("<script>alert('Monday')</script> \x00\ufffd 2021-13-45 99/99/9999", [("Monday", "DATE", "2021-08-09")]),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_cases(text, expected):
    assert one(text) == expected


def test_no_anchor_leaves_values_unresolved():
    found = find_temporal_expressions("On Tuesday the mission ended by August 31.", anchor=None)
    assert [(e.value, e.resolved) for e in found] == [("XXXX-WXX-2", False), ("XXXX-08-31", False)]
    found = find_temporal_expressions("August 9, 2021 and 20 years", anchor=None)
    assert all(e.resolved for e in found)


def test_candidates_offer_other_direction():
    (e,) = find_temporal_expressions("They met on Monday.", anchor=WED)
    assert e.value == "2021-08-09" and e.candidates == ("2021-08-16",)


def test_tense_heuristic():
    text = "He said on Monday that they will meet on Friday."
    assert infer_tense(text, text.index("Monday"), text.index("Monday") + 6) == "past"
    assert infer_tense(text, text.index("Friday"), text.index("Friday") + 6) == "future"


def test_bound_anchor_takes_nearest_weekday():
    (e,) = find_temporal_expressions("He had a call on Tuesday.", anchor=dt.date(2021, 8, 9), anchor_is_bound=True)
    assert e.value == "2021-08-10"


def test_non_string_input():
    assert find_temporal_expressions(None, anchor=TUE) == []  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789 ,.-/'aAdeHMnoOrsTtuyWy\n") + [
    "August ", "Aug. ", "Tuesday", "May ", "1990s", "20-year", "last ", "next ", "week", "p.m.", "ago",
    "the ", "every ", "three ", "days", "today", "weekend", "quarter", "2021", "fiscal "]), max_size=40).map("".join),
    st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))))
def test_property_never_raises_and_offsets_inside(text, anchor):
    found = find_temporal_expressions(text, anchor=anchor)
    last_end = -1
    for e in found:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start:e.end] == e.expression
        assert e.start >= last_end
        last_end = e.end
        assert e.type in {"DATE", "TIME", "DURATION", "SET"}


# ---------------------------------------------------------------- tables

TEXT_A = ("Army chief General Bajwa on Tuesday had a telephonic conversation with US Secretary Austin.\n\n"
          "Earlier today, I spoke with General Bajwa. pic.twitter.com/x — Austin (@SecDef) August 9, 2021")
TEXT_B = ("During the phone call on Monday, Army chief General Bajwa had a telephonic conversation with "
          "US Secretary Austin.\n\nThe 2001 invasion was questioned.")


def _frames():
    articles = pd.DataFrame({
        "article_id": ["a", "b", "c"], "outlet": ["Daily Pakistan", "ThePrint", "ARY News"],
        "published": ["2021-08-11", "", "2021-08-10"], "event": ["e", "e", "e"],
        "text": [TEXT_A, TEXT_B, TEXT_A.replace("2021-08", "x")],
    })
    rows = []
    for aid, text in zip(articles.article_id, articles.text):
        start = 0
        for sid, para in enumerate(text.split("\n\n")):
            rows.append({"article_id": aid, "sent_id": sid, "start": start, "end": start + len(para), "text": para})
            start += len(para) + 2
    return articles, pd.DataFrame(rows)


def test_extract_dates_columns_anchors_and_embeds():
    articles, sentences = _frames()
    dates = extract_dates(articles, sentences)
    assert list(dates.columns) == DATES_COLUMNS
    for rec in dates.itertuples():
        text = articles.set_index("article_id").text[rec.article_id]
        assert text[rec.start:rec.end] == rec.expression
    a = dates[dates.article_id == "a"].set_index("expression")
    assert a.loc["Tuesday", "value"] == "2021-08-10" and a.loc["Tuesday", "anchor_source"] == "published"
    # the embedded tweet's "today" is the tweet's own date
    assert a.loc["Earlier today", "value"] == "2021-08-09" and a.loc["Earlier today", "anchor_source"] == "embed"
    b = dates[dates.article_id == "b"]
    # b has no publication date and no bound in its text: anchored on its event's earliest date
    assert set(b.anchor_source) == {"event_earliest"} and set(b.anchor) == {"2021-08-10"}
    alone = extract_dates(articles, sentences, event_anchor=False)
    b_alone = alone[alone.article_id == "b"]
    assert set(b_alone.anchor_source) == {"none"} and set(b_alone.resolved) == {"no", "yes"}
    assert dates.equals(extract_dates(articles, sentences))  # deterministic
    assert list(dates.sort_values(["article_id", "start", "end"]).index) == list(dates.index)


def test_extract_dates_empty_inputs():
    empty = extract_dates(pd.DataFrame(columns=["article_id", "text", "published"]),
                          pd.DataFrame(columns=["article_id", "sent_id", "start", "end"]))
    assert list(empty.columns) == DATES_COLUMNS and empty.empty


def test_bound_publication_date_sources():
    assert bound_publication_date(TEXT_A) == (dt.date(2021, 8, 9), "embed")
    assert bound_publication_date("It began on March 3, 2020 and on May 1, 2021.") == (dt.date(2021, 5, 1), "latest_mention")
    assert bound_publication_date("On Monday.") == (None, "none")
    assert bound_publication_date("x", embed_dates=["2021-08-09"]) == (dt.date(2021, 8, 9), "embed")


def test_undated_article_anchored_on_embed_bound():
    articles = pd.DataFrame({"article_id": ["x"], "published": [""], "text": [TEXT_A]})
    sentences = pd.DataFrame({"article_id": ["x"], "sent_id": [0], "start": [0], "end": [len(TEXT_A)]})
    d = extract_dates(articles, sentences).set_index("expression")
    assert d.loc["Tuesday", "anchor"] == "2021-08-09" and d.loc["Tuesday", "anchor_source"] == "embed"
    assert d.loc["Tuesday", "value"] == "2021-08-10"


def test_publication_timeline():
    articles, _ = _frames()
    t = publication_timeline(articles)
    assert list(t.columns) == TIMELINE_COLUMNS
    assert t.article_id.tolist() == ["c", "a", "b"] and t.lag_days.tolist()[:2] == [0, 1] and pd.isna(t.lag_days.iloc[2])


# The corpus of tests/compare/test_overview.py: the one publication timeline (overview's copy is gone)
_OVERVIEW_ARTICLES = pd.DataFrame({
    "article_id": ["a1", "a2", "b1", "c1"],
    "outlet": ["A", "A", "B", ""],
    "published": ["2021-08-10", "2021-08-12", "2021-08-11", ""],
})


def test_publication_timeline_lags_and_missing_dates():
    timeline = publication_timeline(_OVERVIEW_ARTICLES)
    assert timeline["article_id"].tolist() == ["a1", "b1", "a2", "c1"]
    assert timeline["lag_days"].tolist()[:3] == [0, 1, 2] and pd.isna(timeline["lag_days"].iloc[3])


@pytest.mark.parametrize("a,b,ok", [
    ("2021-08-10", "2021-08-10", True), ("2021-08", "2021-08-10", True),
    ("XXXX-WXX-2", "2021-08-10", True), ("XXXX-WXX-1", "2021-08-10", False),
    ("XXXX-08-31", "2021-08-31", True), ("2021-08-09", "2021-08-10", False), ("2020", "2021", False),
])
def test_values_compatible(a, b, ok):
    assert values_compatible(a, b) is ok and values_compatible(b, a) is ok


def test_date_conflicts_and_event_timeline():
    articles, sentences = _frames()
    dates = extract_dates(articles, sentences)
    conflicts = date_conflicts(dates, sentences, articles)
    assert list(conflicts.columns) == CONFLICT_COLUMNS + CONFLICT_EXTRA_COLUMNS
    assert set(conflicts.outlet) == {"Daily Pakistan", "ThePrint", "ARY News"}
    assert set(conflicts.value) == {"2021-08-10", "2021-08-09"}
    unanchored = extract_dates(articles, sentences, event_anchor=False)
    assert set(date_conflicts(unanchored, sentences, articles).value) == {"2021-08-10", "XXXX-WXX-1"}
    timeline = event_timeline(dates, sentences, articles)
    assert list(timeline.columns) == EVENT_TIMELINE_COLUMNS + ["when", "happening_id", "dated_words"] and len(timeline) == 3
    for sentence, words in zip(timeline["sentence"], timeline["dated_words"]):
        assert words.replace("… ", "").replace(" …", "") in sentence
    groups = pd.DataFrame({"article_id": ["a", "c"], "sent_id": [0, 0], "fact_id": ["f1", "f1"]})
    assert date_conflicts(dates, sentences, articles, fact_groups=groups).empty  # same date: no conflict


def test_date_conflicts_empty():
    articles, sentences = _frames()
    out = date_conflicts(pd.DataFrame(columns=DATES_COLUMNS), sentences, articles)
    assert list(out.columns) == CONFLICT_COLUMNS + CONFLICT_EXTRA_COLUMNS and out.empty


# ---------------------------------------------------------------- TimeML conventions (classes of dev errors)

NOV2 = dt.date(1989, 11, 2)  # a Thursday, in the reporting season after the third quarter

TIMEML_CASES = [
    # company results: "a year ago" is the same quarter of the year before
    ("Third-quarter net rose to $5 million from $3 million a year ago.",
     [("Third-quarter", "DATE", "1989-Q3"), ("a year ago", "DATE", "1988-Q3")]),
    ("It earned $2 million in the third quarter. In the year-earlier quarter it lost money.",
     [("the third quarter", "DATE", "1989-Q3"), ("the year-earlier quarter", "DATE", "1988-Q3")]),
    ("It earned $2 million in the third quarter, compared with year-earlier profit of $1 million.",
     [("the third quarter", "DATE", "1989-Q3"), ("year-earlier", "DATE", "1988-Q3")]),
    ("It lost $5 million for the quarter, against a profit for the quarter a year ago.",
     [("the quarter", "DATE", "1989-Q3"), ("the quarter a year ago", "DATE", "1988-Q3")]),
    ("Net sales for this year's third quarter fell from last year's quarter.",
     [("this year's third quarter", "DATE", "1989-Q3"), ("last year's quarter", "DATE", "1988-Q3")]),
    ("Revenue grew in the latest quarter.", [("the latest quarter", "DATE", "1989-Q3")]),
    ("Net for the year-earlier nine months rose.", [("the year-earlier nine months", "DURATION", "P9M")]),
    # ... but outside results "a year ago" stays a year
    ("Wages were 3.8 percent higher than a year ago, the quarter-century high.",
     [("a year ago", "DATE", "1988")]),
    ("Iraq imports about a quarter of its food.", []),
    # fiscal years
    ("Sales for the year ended March 31 rose.", [("the year", "DURATION", "P1Y"), ("March 31", "DATE", "1989-03-31")]),
    ("Shares hit a high for the year in June.", [("the year", "DATE", "1989"), ("June", "DATE", "1989-06")]),
    ("It expects sales in the current fiscal year to rise.", [("the current fiscal year", "DATE", "1989")]),
    # "N units later/after": the stretch, without the direction word
    ("Three days later, the bid was raised.", [("Three days", "DURATION", "P3D")]),
    ("The year after he left", []),
    # decades are counted in years; halves
    ("the lowest in almost two decades", [("almost two decades", "DURATION", "P20Y")]),
    ("It took 2 1/2 years and 5 1/2 hours.", [("2 1/2 years", "DURATION", "P2Y6M"), ("5 1/2 hours", "DURATION", "PT5H30M")]),
    # "recent": vague stretches for short units, PAST_REF for years; "in" is no part of it
    ("It rose in recent months and in recent years.",
     [("recent months", "DURATION", "PXM"), ("recent years", "DATE", "PAST_REF")]),
    ("More recently it has grown.", [("More recently", "DATE", "PAST_REF")]),
    # ages are not durations
    ("Mr. Reupke, 52 years old, resigned.", []),
    # modifiers that belong to the expression, and ones that do not
    ("It hopes to finish early next year.", [("early next year", "DATE", "1990")]),
    ("Earlier Friday, the offer was raised.", [("Friday", "DATE", "1989-10-27")]),
    ("It was issued in the third-quarter report.", [("third-quarter", "DATE", "1989-Q3")]),
    ("The company said its fourth quarter was weak.", [("fourth quarter", "DATE", "1989-Q4")]),
    # a clock time takes the day written after it
    ("Talks broke off at noon Saturday, police said.", [("noon Saturday", "TIME", "1989-10-28T12:00")]),
    ("The offer expires at 5 p.m. EST, Nov. 9.", [("5 p.m. EST, Nov. 9", "TIME", "1989-11-09T17:00")]),
    # year-less dates a few weeks ahead stay in this year despite a past-tense verb
    ("It declared a dividend payable Dec. 1 to stock of record Nov. 10.",
     [("Dec. 1", "DATE", "1989-12-01"), ("Nov. 10", "DATE", "1989-11-10")]),
    # "next to" and "due to the" are no future markers
    ("A bomb went off next to the embassy Friday.", [("Friday", "DATE", "1989-10-27")]),
    ("The offer had been due to expire Friday evening.", [("Friday evening", "TIME", "1989-10-27TEV")]),
    # spoken years in broadcast transcripts
    ("January nineteen ninety-seven. Atlanta again.", [("January nineteen ninety-seven", "DATE", "1997-01")]),
    ("by the year two thousand, but two thousand people came", [("the year two thousand", "DATE", "2000")]),
]


@pytest.mark.parametrize("text,expected", TIMEML_CASES)
def test_timeml_conventions(text, expected):
    assert one(text, anchor=NOV2) == expected


def test_tense_possessive_weekday_and_from_to_range():
    assert one("Its share before Friday's purchases was 5%.", anchor=dt.date(1989, 10, 30)) == [
        ("Friday", "DATE", "1989-10-27")]
    assert one("Parties will campaign ahead of Sunday's election.", anchor=dt.date(1989, 10, 30)) == [
        ("Sunday", "DATE", "1989-11-05")]
    assert one("It bought shares from Sept. 14 to Thursday.", anchor=dt.date(1989, 10, 30)) == [
        ("Sept. 14", "DATE", "1989-09-14"), ("Thursday", "DATE", "1989-10-26")]
    assert one("He must leave by Thursday.", anchor=dt.date(1989, 10, 30)) == [("Thursday", "DATE", "1989-11-02")]


def test_event_dates_from_a_larger_corpus_anchor_an_undated_article_of_a_batch():
    from helpers.dates import extract_dates

    text = "The call took place on Monday."
    batch = pd.DataFrame({"article_id": ["b"], "text": [text], "published": [""], "event": ["e"]})
    sentences = pd.DataFrame({"article_id": ["b"], "sent_id": [0], "start": [0], "end": [len(text)]})
    alone = extract_dates(batch, sentences)
    anchored = extract_dates(batch, sentences, event_dates={"e": "2021-08-03"})
    assert set(alone["anchor_source"]) != {"event_earliest"}
    assert set(anchored["anchor_source"]) == {"event_earliest"} and set(anchored["anchor"]) == {"2021-08-03"}
    assert "2021-08-02" in set(anchored["value"])


# ---------------------------------------------------------------- same happening (issue 17)
# Hand-made: a mill fire in an invented town, reported by three invented outlets.

def _corpus(texts: dict[str, str], outlets: dict[str, str], countries: dict[str, str] | None = None,
            published: str = "2021-10-07"):
    articles = pd.DataFrame({
        "article_id": list(texts), "outlet": [outlets[a] for a in texts], "published": published,
        "country": [(countries or {}).get(a, "") for a in texts], "event": "e", "text": list(texts.values()),
    })
    rows = []
    for aid, text in texts.items():
        start = 0
        for sid, para in enumerate(text.split("\n\n")):
            rows.append({"article_id": aid, "sent_id": sid, "start": start, "end": start + len(para), "text": para})
            start += len(para) + 2
    return articles, pd.DataFrame(rows)


FIRE_A = ("DUNMORE, Oct. 7 — A fire that broke out at the Kelby textile mill on Tuesday night destroyed two "
          "warehouses, the county fire chief said.\n\nFirefighters were called at 9:40 p.m. and fought the blaze until dawn.")
FIRE_B = ("A fire broke out at the Kelby textile mill late on Monday and destroyed two warehouses, the county "
          "fire chief said.\n\nNobody was hurt, officials said.")


@pytest.mark.parametrize("countries, datelines, note", [
    # clocks 15 hours apart at most (the US's zones against India's): the gap can be a time zone
    ({"a": "US", "b": "IN"}, {}, "outlets in IN, UTC+5:30 and US, UTC−10 to UTC−4: up to 15.5 hours apart"),
    ({"a": "India", "b": "Pakistan"}, {}, ""),          # half an hour apart: no ground
    ({"a": "XA", "b": "XB"}, {}, ""),                   # countries no time-zone table knows
    # datelines naming different places on the two sides, none on both
    ({}, {"a": "DUNMORE", "b": "Lakeport/Ridge City"}, "datelined in different places (DUNMORE / LAKEPORT, RIDGE CITY)"),
    ({}, {"a": "DUNMORE", "b": "Lakeport/Dunmore"}, ""),  # a place on both sides: no ground
])
def test_a_time_zone_explains_a_one_day_gap_only_on_grounds_shown(countries, datelines, note):
    articles, sentences = _corpus({"a": FIRE_A, "b": FIRE_B}, {"a": "Dunmore Herald", "b": "Valley Post"}, countries)
    articles["dateline"] = [datelines.get(a, "") for a in articles["article_id"]]
    conflicts = date_conflicts(extract_dates(articles, sentences), sentences, articles)
    assert len(conflicts) == 2
    notes = [n for n in conflicts.note if "time-zone" in n]
    assert (len(notes) == 2 and all(note in n for n in notes) and len(set(notes)) == 1) if note else not notes



@pytest.mark.parametrize("places, note", [
    # a happening between two places whose clocks are 12 hours apart: Japan UTC+9, Brazil UTC−5 to UTC−2
    ({("a", 0): ["Japan"], ("b", 0): ["Brazil"]}, "(Brazil, UTC−5 to UTC−2 and Japan, UTC+9)"),
    ({("a", 0): ["Japan", "Brazil"]}, "up to 14 hours apart"),  # one side's sentence names both
    ({("a", 0): ["France"], ("b", 0): ["Germany"]}, ""),          # the same clock: no ground
    ({("a", 0): ["Japan"]}, ""),                                  # one place only
    ({("a", 0): ["Dunmore"], ("b", 0): ["Kelby"]}, ""),            # places no time-zone table knows
    ({("a", 1): ["Japan"], ("b", 1): ["Brazil"]}, ""),             # named in other sentences, not the dated ones
    ({}, ""),                                                     # no place named at all
    ({("a", 0): ["Japan"], ("b", 0): ["BR", "Va."]}, ""),          # two letters: an abbreviation, not a code
])
def test_a_time_zone_explains_a_one_day_gap_when_the_happenings_sentences_name_places_hours_apart(places, note):
    """Outlets of one country (one clock), no datelines: the places the dated sentences name (GPE
    entities) are the ground shown, pooled over both sides."""
    articles, sentences = _corpus({"a": FIRE_A, "b": FIRE_B}, {"a": "Dunmore Herald", "b": "Valley Post"},
                                  {"a": "Iceland", "b": "Iceland"})
    entities = pd.DataFrame([{"article_id": a, "sent_id": s, "text": name, "label": "GPE", "canonical": name}
                             for (a, s), names in places.items() for name in names]
                            # an organisation named like a country is no place: with "Japan" alone, no note
                            + [{"article_id": "b", "sent_id": 0, "text": "Brazil Mills", "label": "ORG", "canonical": "Brazil"}])
    conflicts = date_conflicts(extract_dates(articles, sentences), sentences, articles, entities=entities)
    assert len(conflicts) == 2
    notes = [n for n in conflicts.note if "time-zone" in n]
    assert (len(notes) == 2 and all(note in n for n in notes) and len(set(notes)) == 1) if note else not notes
    if note:
        assert "the sentences name places" in notes[0]

def test_dateline_date_is_not_an_event_date_and_same_fire_conflicts():
    articles, sentences = _corpus({"a": FIRE_A, "b": FIRE_B}, {"a": "Dunmore Herald", "b": "Valley Post"},
                                  {"a": "US", "b": "IN"})
    conflicts = date_conflicts(extract_dates(articles, sentences), sentences, articles)
    # the dateline's Oct. 7 is the publication date; "Tuesday night" and "late on Monday" date the fire
    assert set(conflicts.expression) == {"Tuesday night", "Monday"}
    assert set(conflicts.value) == {"2021-10-05TNI", "2021-10-04"}
    assert "fire" in conflicts.happening.iloc[0] and conflicts.happening_id.nunique() == 1
    assert all("time-zone" in n for n in conflicts.note)  # one day apart, outlets' clocks hours apart


def test_dates_of_different_happenings_in_similar_sentences_do_not_conflict():
    a = "A fire broke out at the Kelby textile mill on Tuesday night, the county fire chief said."
    b = "The county fire chief said on Thursday that a fire broke out at the Kelby textile mill."
    articles, sentences = _corpus({"a": a, "b": b}, {"a": "Dunmore Herald", "b": "Valley Post"})
    assert date_conflicts(extract_dates(articles, sentences), sentences, articles).empty


def test_anchor_difference_is_noted():
    # the same words ("yesterday"), read from two publication dates
    a = "The Kelby textile mill was destroyed by a fire yesterday, the county fire chief said."
    b = "The Kelby textile mill was destroyed by a fire yesterday, county officials said."
    articles, sentences = _corpus({"a": a, "b": b}, {"a": "Dunmore Herald", "b": "Valley Post"})
    articles.loc[articles.article_id == "b", "published"] = "2021-10-09"
    conflicts = date_conflicts(extract_dates(articles, sentences), sentences, articles)
    assert set(conflicts.value) == {"2021-10-06", "2021-10-08"}
    assert all("anchor difference" in n for n in conflicts.note)


@pytest.mark.parametrize("a_when, b_when, b_published, conflict", [
    ("yesterday", "yesterday", "2021-10-09", True),     # two days apart: "yesterday" may be one day
    ("yesterday", "yesterday", "2021-10-14", False),    # a week apart: each article's own yesterday
    ("on Tuesday", "on Tuesday", "2021-10-21", False),  # two Tuesdays, two weeks apart
    ("on Oct. 5", "on Oct. 6", "2021-10-27", True),     # days named outright: compared three weeks apart
    ("on Oct. 5", "on Oct. 6", "2022-10-09", False),    # no year written, a year apart: two years' Octobers
    ("on Oct. 5, 2021", "on Oct. 6, 2021", "2022-10-09", True),  # the years written: compared whatever the gap
])
def test_a_day_named_relative_to_articles_a_week_apart_is_no_disagreement(a_when, b_when, b_published, conflict):
    a = f"The Kelby textile mill was destroyed by a fire {a_when}, the county fire chief said."
    b = f"The Kelby textile mill was destroyed by a fire {b_when}, county officials said."
    articles, sentences = _corpus({"a": a, "b": b}, {"a": "Dunmore Herald", "b": "Valley Post"})
    articles.loc[articles.article_id == "b", "published"] = b_published
    assert (not date_conflicts(extract_dates(articles, sentences), sentences, articles).empty) is conflict


def test_clock_time_takes_the_day_the_text_is_about():
    text = "A fire broke out at the Kelby mill on Tuesday night. Firefighters were called at 9:40 p.m. and stayed."
    found = {e.expression: e.value for e in find_temporal_expressions(text, anchor=dt.date(2021, 10, 7))}
    assert found["9:40 p.m."] == "2021-10-05T21:40"
    # with no day in the text, the anchor's day stays
    assert one("Firefighters were called at 9:40 p.m.", anchor=dt.date(2021, 10, 7)) == [
        ("9:40 p.m.", "TIME", "2021-10-07T21:40")]


def test_timeline_puts_one_happening_on_one_row():
    articles, sentences = _corpus({"a": FIRE_A, "b": FIRE_B}, {"a": "Dunmore Herald", "b": "Valley Post"})
    found = extract_dates(articles, sentences)
    conflicts = date_conflicts(found, sentences, articles)
    groups = pd.DataFrame({"article_id": ["a", "b"], "sent_id": [0, 0], "fact_id": ["F1", "F2"]})
    timeline = event_timeline(found, sentences, articles, fact_groups=groups, conflicts=conflicts)
    assert timeline.happening_id.nunique() == 1
    assert set(timeline.value) == {"2021-10-05TNI", "2021-10-04"}
    assert "night of Tue 5 Oct 2021" in set(timeline.when)


@pytest.mark.parametrize("value,words", [
    ("2021-08-10", "Tue 10 Aug 2021"), ("2021-08-10TNI", "night of Tue 10 Aug 2021"), ("199", "1990s"),
    ("19", "20th century (1900s)"), ("2021-08", "Aug 2021"), ("2021", "2021"), ("XXXX-WXX-2", "a Tuesday (week not known)"),
    ("2021-W32", "week 32 of 2021 (from Mon 9 Aug)"), ("2021-Q3", "quarter 3 of 2021"), ("P3D", "3 days"),
    ("PT30M", "30 minutes"), ("P1Y", "1 year"), ("PXY", "years (how many not said)"), ("2021-08-10T21:40", "21:40 on Tue 10 Aug 2021"),
    ("PRESENT_REF", "the present"), ("2021-SU", "summer 2021"), ("", ""), ("not a value", "not a value"),
])
def test_describe_timex(value, words):
    from helpers.dates import describe_timex
    assert describe_timex(value) == words


def test_event_words_follow_the_parse():
    from helpers.dates import event_words, same_happening
    from helpers.annotate.nlp import load_model
    nlp = load_model()

    def words(text, expr):
        i = text.index(expr)
        return event_words(nlp(text), i, i + len(expr))
    call = words("During the phone call on Monday, the minister raised the dam dispute.", "Monday")
    talk = words("The minister on Tuesday had a telephonic conversation with her Orlan counterpart.", "Tuesday")
    said = words("The minister said on Tuesday that the dam would open.", "Tuesday")
    assert "call" in call and "conversation" in talk and "say" in said
    assert same_happening(call, talk) and not same_happening(call, said)


def test_describe_conflicts_is_computed_from_the_table():
    from helpers.dates import describe_conflicts
    articles, sentences = _corpus({"a": FIRE_A, "b": FIRE_B}, {"a": "Dunmore Herald", "b": "Valley Post"})
    text = describe_conflicts(date_conflicts(extract_dates(articles, sentences), sentences, articles))
    assert text.startswith("1 happening dated differently")
    assert max(len(line) for line in text.splitlines()) <= 110  # wrapped between words, for plain-text output
    flat = " ".join(text.split())
    assert "Valley Post ('Monday'): Mon 4 Oct 2021" in flat and "night of Tue 5 Oct 2021" in flat
    assert "Washington" not in text and "Pakistan" not in text
    assert describe_conflicts(pd.DataFrame()) == "No two outlets date the same happening differently."


@pytest.mark.parametrize("anchor, source, note", [
    ("2030-03-06", "event_earliest", "no publication date, so days such as “Monday” are read from Wed 6 Mar 2030, "
                                     "the earliest publication date of the event's other articles"),
    ("2030-03-06", "latest_mention", "no publication date, so days such as “Monday” are read from Wed 6 Mar 2030, "
                                     "the latest full date the article's text writes"),
    ("", "none", "no publication date and no other date to read days such as “Monday” from"),
])
def test_an_undated_articles_note_says_in_words_which_date_its_days_were_read_from(anchor, source, note):
    from helpers.dates.conflicts import undated_note

    assert undated_note(anchor, source) == note


@pytest.mark.parametrize("sentence, expression, words", [
    # the row's label is what the date is the date of, not the sentence's first words
    ("Earlier in the day, the council said the mill was safe after fire destroyed its roof on Monday, along with "
     "two barns and a shed.", "on Monday", "… fire destroyed its roof on Monday, along with two barns …"),
    ("On Monday, the mill burned.", "On Monday", "On Monday, the mill burned."),
    ("The mill burned on Monday.", "on Monday", "The mill burned on Monday."),
    ("The mill burned.", "Friday", "The mill burned."),  # not in the sentence: its start
    ("", "Friday", ""),
])
def test_words_around_a_dated_expression(sentence, expression, words):
    from helpers.dates.conflicts import words_around

    assert words_around(sentence, expression) == words


def test_an_embedded_post_dating_the_happening_is_noted_with_the_side_it_agrees_with():
    post = "Earlier today a fire broke out at the Kelby textile mill, the county fire chief posted."
    articles, sentences = _corpus({"a": FIRE_A, "b": FIRE_B, "c": "Crews were at the mill.\n\n" + post},
                                  {"a": "Dunmore Herald", "b": "Valley Post", "c": "Ridge Times"})
    dates = extract_dates(articles, sentences)
    dates = dates[dates["article_id"] != "c"]
    start = articles.loc[articles["article_id"] == "c", "text"].iloc[0].index(post)
    embedded = {"article_id": "c", "sent_id": 1, "start": start, "end": start + len("Earlier today"),
                "expression": "Earlier today", "type": "DATE", "value": "2021-10-04", "anchor": "2021-10-04",
                "anchor_source": "embed", "resolved": True}
    with_post = pd.concat([dates, pd.DataFrame([embedded])], ignore_index=True)
    notes = set(date_conflicts(with_post, sentences, articles).note)
    expected = ("an embedded post dated Mon 4 Oct 2021 (carried by Ridge Times) dates it “Earlier today”: "
                "Mon 4 Oct 2021, as Valley Post says")
    assert notes and all(expected in n for n in notes)
    # without the post, no such note
    assert not any("embedded post" in n for n in date_conflicts(dates, sentences, articles).note)
    # a post of the event dating a day a year from both sides' is about another time: not cited
    other_year = dict(embedded, value="2022-10-04", anchor="2022-10-04")
    later = pd.concat([dates, pd.DataFrame([other_year])], ignore_index=True)
    assert not any("embedded post" in n for n in date_conflicts(later, sentences, articles).note)
