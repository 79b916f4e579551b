"""Wire credits (helpers/wire.py) on hand-made texts: invented places, people and outlets."""

from __future__ import annotations

import pytest

from helpers.wire import agency_name, find_wire_credits, load_agencies, wire_agencies


def test_agency_list_is_world_wide_and_well_formed():
    agencies = load_agencies()
    assert len(agencies) >= 100
    countries = {a.country for a in agencies}
    # every inhabited continent has agencies in the list
    assert {"US", "GB", "FR", "IN", "PK", "CN", "JP", "KR", "RU", "BR", "NG", "EG", "AU", "TR"} <= countries
    aliases = [alias for a in agencies for alias in a.aliases]
    assert len(aliases) == len(set(aliases)), "an alias names two agencies"
    assert agency_name("Press Trust of India") == "PTI"
    assert agency_name("The Associated Press") == "Associated Press"
    assert agency_name("REUTERS") == "Reuters"
    assert agency_name("Ap") is None


@pytest.mark.parametrize("text, agency, kind", [
    ("MARLOW FALLS (Reuters) - The river council voted on Tuesday.", "Reuters", "dateline credit"),
    ("(Reuters) - The river council voted on Tuesday.", "Reuters", "credit line"),
    ("The river council voted on Tuesday, officials said. (PTI)", "PTI", "credit line"),
    ("The river council voted on Tuesday.\n\n— AP", "Associated Press", "credit line"),
    ("The river council voted on Tuesday. - AFP", "AFP", "credit line"),
    ("By IANS\n\nThe river council voted on Tuesday.", "IANS", "byline"),
    ("By Jane Quill, Associated Press\n\nThe river council voted.", "Associated Press", "byline"),
    ("The river council voted on Tuesday.\n\n(With inputs from Xinhua)", "Xinhua", "inputs credit"),
    ("The council voted.\nAdditional reporting by Yonhap", "Yonhap", "inputs credit"),
    ("The council voted.\nCopyright 2020 The Associated Press. All rights reserved.", "Associated Press",
     "copyright notice"),
    ("Islamabad, Aug 10 (APP): The river council voted.", "APP", "dateline credit"),
    ("The council voted. This story is auto-generated from a syndicated feed.", "syndicated feed", "feed note"),
])
def test_credit_forms(text, agency, kind):
    credits = find_wire_credits(text)
    assert [(c.agency, c.kind) for c in credits] == [(agency, kind)]
    assert text[credits[0].start:credits[0].end].strip() == credits[0].text


def test_dateline_credit_names_an_agency_the_list_does_not_know():
    credits = find_wire_credits("LAKEPORT, March 6 (Continental Press) - Flood waters rose along the Vell.")
    assert [(c.agency, c.known, c.kind) for c in credits] == [("Continental Press", False, "dateline credit")]


def test_several_agencies_in_one_credit():
    text = "The council voted.\n\nWith inputs from PTI, IANS and Reuters"
    assert wire_agencies(text) == ["PTI", "IANS", "Reuters"]
    assert wire_agencies("ORVANO (Reuters/AFP) — The council voted.") == ["Reuters", "AFP"]


@pytest.mark.parametrize("text", [
    "According to AP, residents of Vell reported heavy rain.",   # attribution of a fact, not a credit
    "AP reported that the Vell council had voted.",
    "The PA system failed during the Vell council meeting.",     # an abbreviation as a bare word
    "Senator Tom Brill (R-Vellshire) — who chairs the panel — voted no.",
    "Image: AP/Vell Council/Twitter",
    "Mayor Ana Roos (left) — here at the river — voted on Tuesday.",
])
def test_mentions_and_lookalikes_are_not_credits(text):
    assert find_wire_credits(text) == []


def test_an_outlets_own_dateline_credit_is_not_wire_copy():
    text = "LAKEPORT (Vell Courier) — Flood waters rose."
    assert wire_agencies(text) == ["Vell Courier"]
    assert wire_agencies(text, outlet="Vell Courier") == []
    assert wire_agencies(text, outlet="vell courier") == []


def test_contribution_credit_names_the_agency_among_reporters():
    text = "The council voted.\n\nJo Ames and The Associated Press contributed to this report."
    assert [(c.agency, c.kind) for c in find_wire_credits(text)] == [("Associated Press", "inputs credit")]
    assert find_wire_credits("The council voted.\n\nJo Ames contributed to this report.") == []


def test_a_transcript_speaker_label_is_not_a_dateline_credit():
    assert find_wire_credits("JANE ROE (CO-HOST): The council voted on Tuesday.") == []


def test_an_outlets_own_service_is_its_own_credit():
    assert wire_agencies("NEW YORK (VellMoney) -- Shares fell.", outlet="Vell (Web News)") == []
    # a credit to another agency is not the outlet's own because both names start with "News"
    assert wire_agencies("Vell, May 2 (News Network International) - Shares fell.",
                         outlet="news.vell.example") == ["NNI"]


def test_a_known_agency_in_a_dateline_needs_no_dash():
    assert wire_agencies("Vellport, Jan 5 (PTI) The harbour council voted on Tuesday.") == ["PTI"]
    # a name the list does not know needs the dash of a credit
    assert wire_agencies("Vellport, Jan 5 (Harbour Board) The council voted.") == []
    text = ("Jo Ames contributed to this report.\n\nThe council voted again.\n\n"
            "The Associated Press contributed to this report.")
    assert [(c.agency, c.kind) for c in find_wire_credits(text)] == [("Associated Press", "inputs credit")]


def test_dateline_lookalikes_and_partner_credits():
    assert find_wire_credits("UPDATE (first of many) - The count went on.") == []
    assert wire_agencies("LAKEPORT (VellTV/AP) — The council voted.") == ["Associated Press"]
