"""One canonical name per person and body, datelines, speakers that name no one (issue 17).

Every case is hand-made: invented people, places, outlets and bodies, world-wide titles."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.load import clean
from helpers.compare import emphasis, voices
from helpers.annotate import entities, sentences
from helpers import quotes
from helpers.quotes import speakers
from helpers.annotate.nlp import load_model


@pytest.fixture(scope="module")
def nlp():
    return load_model()


# ----------------------------------------------------------------------------- one canonicaliser

@pytest.mark.parametrize("surface, label, expected", [
    ("Norwegian Prime Minister Kari Nordmann", "PERSON", "Kari Nordmann"),
    ("Brazilian Foreign Minister Ana Souza", "PERSON", "Ana Souza"),
    ("Kenyan President Wanjiru Otieno", "PERSON", "Wanjiru Otieno"),
    ("Chief of Naval Staff Admiral Ines Marr", "PERSON", "Ines Marr"),
    ("Minister of Fisheries and Oceans Rua Tane", "PERSON", "Rua Tane"),
    ("Secretary of the Interior Tomas J. Vale Jr.", "PERSON", "Tomas Vale"),
    # a mention the model cut inside the title and labelled as an organisation is the person
    ("Interior Tomas Vale", "ORG", "Tomas Vale"),
    ("Fisheries Rua Tane", "ORG", "Rua Tane"),
])
def test_titles_offices_and_demonyms_are_dropped_the_same_way_everywhere(surface, label, expected):
    assert entities.canonical_form(surface, label) == expected
    # quotes (speakers, sources) use the same canonicaliser
    assert quotes.strip_titles(surface) == expected
    assert quotes.canonical_speaker([surface], person=[True])[0] == expected


@pytest.mark.parametrize("surface, expected", [
    ("NATO", "NATO"), ("UNICEF", "UNICEF"), ("KDPA", "KDPA"), ("the KDPA", "KDPA"),
    ("TIDEWATER NEWS", "TIDEWATER News"), ("Tidewater Herald", "Tidewater Herald"),
])
def test_acronyms_stay_acronyms(surface, expected):
    assert entities.canonical_form(surface, "ORG") == expected
    assert quotes.canonical_speaker([surface], person=[False])[0] == expected


def test_organisations_are_not_mistaken_for_titled_people():
    for org in ("Lakeport Army", "State Department", "Human Rights Watch", "General Motors",
                "National Fisheries Association", "Harbour Authority"):
        assert entities.canonical_form(org, "ORG") == org


def test_a_person_cut_inside_a_title_becomes_a_person_entity():
    frame = pd.DataFrame({"article_id": ["a", "a"], "start": [0, 60], "end": [19, 64],
                          "text": ["Interior Tomas Vale", "Vale"], "label": ["ORG", "PERSON"]})
    sents = pd.DataFrame({"article_id": ["a"], "sent_id": [0], "start": [0]})
    out = sentences._finish_entities(frame, sents, pd.DataFrame({"article_id": ["a"], "event": ["e"]}))
    assert out["label"].tolist() == ["PERSON", "PERSON"]
    assert out["canonical"].tolist() == ["Tomas Vale", "Tomas Vale"]


def test_a_person_mention_cut_after_a_title_is_extended_over_the_rest_of_the_name(nlp):
    from spacy.tokens import Span
    doc = nlp.make_doc("Navy chief Adm Tevita Lomu Fifita met the harbour board on Monday.")
    doc.ents = [Span(doc, 2, 4, label="PERSON")]  # "Adm Tevita": the model stopped inside the name
    end = sentences._extend_person(doc, doc.ents[0])
    assert doc.text[doc.ents[0].start_char:end] == "Adm Tevita Lomu Fifita"
    assert entities.canonical_form(doc.text[doc.ents[0].start_char:end], "PERSON") == "Tevita Lomu Fifita"


@pytest.mark.parametrize("text, cut, whole", [
    ("Police said Harkat-ul-Ansar claimed the attack.", (2, 3), "Harkat-ul-Ansar"),   # kept its first part
    ("Police said Harkat-ul-Ansar claimed the attack.", (6, 7), "Harkat-ul-Ansar"),   # kept its last part
    ("The Saint-Vallier council met on Monday.", (1, 4), "Saint-Vallier"),            # already whole
    ("The mayor - Ana Ruiz - spoke.", (3, 5), "Ana Ruiz"),                            # a dash between words
])
def test_a_mention_never_ends_or_starts_inside_a_hyphenated_word(nlp, text, cut, whole):
    from spacy.tokens import Span
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, *cut, label="ORG")]
    start, end = sentences._whole_hyphenated(doc, doc.ents[0])
    assert doc.text[start:end] == whole


def test_a_hyphenated_part_of_another_entity_stays_with_it(nlp):
    from spacy.tokens import Span
    doc = nlp.make_doc("Talks in Lakeport-Portville ended.")  # "Lakeport" and "Portville": two places
    doc.ents = [Span(doc, 2, 3, label="GPE"), Span(doc, 4, 5, label="GPE")]
    assert [doc.text[slice(*sentences._whole_hyphenated(doc, e))] for e in doc.ents] == ["Lakeport", "Portville"]


# ----------------------------------------------------------------------------- datelines

ARTICLE = ("LAKEPORT/PORTVILLE – Mayor Ana Ruiz met Governor Tomas Vale on Monday to discuss the flood barrier, "
           "the Tidewater Herald reported.\n\nRuiz said the barrier would be finished by spring.")


def _annotated(text: str, title: str = ""):
    cleaned = clean.clean_article(text, article_id="a", title=title)
    arts = pd.DataFrame({"article_id": ["a"], "text": [cleaned.text], "body_start": [cleaned.body_start],
                         "dateline": [cleaned.dateline], "language": ["en"], "event": ["e"],
                         "outlet": ["Tidewater Herald"], "url": ["https://www.tidewater-herald.example/x"]})
    sents, ents = sentences.annotate(arts)
    return arts, sents, ents


def test_a_dateline_is_never_an_entity_actor_or_speaker(nlp):
    arts, sents, ents = _annotated(ARTICLE)
    assert arts.at[0, "dateline"] == "LAKEPORT/PORTVILLE"
    assert not ents["text"].str.contains("LAKEPORT|PORTVILLE", case=False).any()
    leaders = emphasis.story_leaders(arts, sents, ents)
    assert not leaders["actor"].str.contains("LAKEPORT|PORTVILLE", case=False).any()
    q = quotes.extract_quotes(arts, sents, entities=ents, nlp=nlp)
    assert not q["speaker"].str.contains("LAKEPORT|PORTVILLE", case=False).any()
    s = quotes.extract_sources(q, arts, sents, entities=ents)
    assert not s["source"].str.contains("LAKEPORT|PORTVILLE", case=False).any()


@pytest.mark.parametrize("opening", ["PORTVILLE: ", "Portville: ", "PORTVILLE, March 6 (Continental Press) - "])
def test_a_dateline_line_is_not_a_speakers_line(nlp, opening):
    text = opening + "Harbour officials closed the Portville ferry after the storm damaged its pier, the Tidewater Herald reported."
    arts, sents, ents = _annotated(text)
    q = quotes.extract_quotes(arts, sents, entities=ents, nlp=nlp)
    assert "Portville" not in set(q["speaker_canonical"]) and "PORTVILLE" not in set(q["speaker"])
    s = quotes.extract_sources(q, arts, sents, entities=ents)
    assert not s["source"].str.lower().str.contains("portville").any()


# ----------------------------------------------------------------------------- speakers

def test_two_sides_and_both_are_never_person_speakers(nlp):
    text = ("The two sides discussed fishing quotas on Tuesday.\n\n"
            "Both said the talks would continue in May.")
    arts = pd.DataFrame({"article_id": ["a"], "text": [text]})
    q = quotes.extract_quotes(arts, pd.DataFrame(columns=["article_id", "sent_id", "start", "end"]), nlp=nlp)
    assert len(q) and set(q["speaker_canonical"]) == {"unresolved"}
    s = quotes.extract_sources(q, arts)
    assert s.empty  # "two sides" is not a source
    assert {voices.voice_type(a, b) for a, b in zip(q["speaker"], q["speaker_canonical"])} == {"unresolved"}


def test_what_two_people_discussed_is_credited_to_the_readout_that_reported_it(nlp):
    text = ("According to a statement issued by the Harbour Authority, Mayor Ana Ruiz and Governor Tomas Vale "
            "met on Monday.\n\nRuiz and Vale discussed the flood barrier and the ferry timetable.")
    arts = pd.DataFrame({"article_id": ["a"], "text": [text]})
    q = quotes.extract_quotes(arts, pd.DataFrame(columns=["article_id", "sent_id", "start", "end"]), nlp=nlp)
    r = q[q["quote"].str.contains("flood barrier")]
    assert len(r) == 1
    assert r.iloc[0]["speaker_canonical"] == "Harbour Authority statement"


def test_what_two_people_discussed_without_a_readout_is_unresolved(nlp):
    text = "Mayor Ana Ruiz and Governor Tomas Vale discussed the flood barrier and the ferry timetable."
    arts = pd.DataFrame({"article_id": ["a"], "text": [text]})
    q = quotes.extract_quotes(arts, pd.DataFrame(columns=["article_id", "sent_id", "start", "end"]), nlp=nlp)
    assert set(q["speaker_canonical"]) <= {"unresolved"}


def test_an_unresolved_speaker_is_no_speaker_difference():
    q = pd.DataFrame({
        "quote_id": ["a:q0", "b:q0", "c:q0"], "article_id": ["a", "b", "c"],
        "quote": ["the ferry will run again from the first of May, weather permitting"] * 3,
        "kind": ["direct"] * 3, "speaker_canonical": ["Ana Ruiz", "Ana Ruiz", "unresolved"]})
    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "Y", "Z"]})
    v = quotes.quote_variants(q, arts)
    assert not v["speaker_differs"].any()


def test_countries_and_the_corpus_outlets_are_classified_without_a_regional_list():
    assert quotes.classify_source("Norway") == "organisation"
    assert quotes.classify_source("the Tidewater Gazette") == "outlet"  # a generic news word
    assert quotes.classify_source("Lakeport Courier") == "person"  # unknown without the corpus
    assert quotes.classify_source("Lakeport Courier", outlets={"lakeport courier"}) == "outlet"
    assert quotes.classify_source("Portville", bodies={"portville"}) == "organisation"


# ----------------------------------------------------------------------------- leads and buries

def test_an_actor_named_in_the_lead_is_never_buried():
    # Outlet X names "Vale" in its lead, but the mention was not linked to "Tomas Vale" there
    # (e.g. the model cut it): it must not be reported as burying Tomas Vale.
    arts = pd.DataFrame({
        "article_id": ["x1", "y1"], "outlet": ["X", "Y"], "body_start": [0, 0],
        "text": ["Governor Vale opened the bridge.\n\nLater, Tomas Vale spoke.",
                 "Tomas Vale opened the bridge.\n\nHe spoke."]})
    emph = pd.DataFrame({
        "article_id": ["x1", "y1"], "aspect_kind": ["entity", "entity"], "aspect": ["Tomas Vale", "Tomas Vale"],
        "in_headline": [False, True], "in_lead": [False, True], "first_position": [1.0, 0.0],
        "word_share": [0.3, 0.5], "prominence": [0.2, 2.0], "n_sentences": [1, 1]})
    out = emphasis.outlet_leads_and_buries(emph, arts)
    assert out[(out["outlet"] == "X") & (out["role"] == "buries")].empty


# ----------------------------------------------------------------------------- headlines

def test_a_headline_line_holding_more_than_the_title_is_still_the_headline(nlp):
    raw = ("Residents queue for the ferry. | Photo Desk Lakeport ferry returns after storm repairs "
           "Residents say the timetable is still unclear.\n\nThe ferry ran again on Monday, the harbour office said.")
    title = "Lakeport ferry returns after storm repairs"
    cleaned = clean.clean_article(raw, article_id="a", title=title)
    assert cleaned.text.startswith(title + "\n\n")
    body = cleaned.text[cleaned.body_start:]
    assert "Photo Desk" not in body and "Lakeport ferry returns" not in body
    assert body.startswith("Residents say the timetable is still unclear.")
    assert cleaned.removals[0]["rule"] == "headline (moved to the title)"


def test_a_headline_without_the_page_titles_tail_is_the_headline():
    raw = "Lakeport ferry returns after storm repairs\n\nThe ferry ran again on Monday."
    cleaned = clean.clean_article(raw, article_id="a", title="Lakeport ferry returns after storm repairs : Tidewater Radio")
    assert cleaned.text[cleaned.body_start:] == "The ferry ran again on Monday."


# ----------------------------------------------------------------------------- roles and sentences

def test_a_role_abbreviation_the_article_spells_out_is_a_role_not_a_name():
    text = ("Chief of Naval Staff (CNS) Admiral Ines Marr visited the port. The Harbour Safety Board (HSB) "
            "inspected it.")
    assert quotes.role_abbreviations(text) == frozenset({"cns"})
    out = quotes.canonical_speaker(["Chief of Naval Staff (CNS) Admiral Ines Marr", "the CNS"],
                                   roles=quotes.role_abbreviations(text))
    assert out == ["Ines Marr", "Ines Marr"]


def test_a_sentence_cut_after_a_parenthesised_abbreviation_is_joined():
    text = ("PORTVILLE: Minister Ana Ruiz telephoned Chief of Naval Staff (CNS) Admiral Ines Marr to discuss "
            "fisheries, the Tidewater Herald reported. The call lasted an hour.")
    cut = text.index("Admiral")
    nxt = text.index("The call")
    merged = sentences.merge_fragments(text, [(0, cut - 1), (cut, nxt - 1), (nxt, len(text))])
    assert merged == [(0, nxt - 1), (nxt, len(text))]


def test_an_apposition_is_not_a_second_speaker_and_a_country_is_not_a_titled_name():
    out = quotes.canonical_speaker(["Sen. Ana Ruiz, R-Lakeport", "Ruiz, a former Democrat",
                                    "Ruiz, the senate's No. 2 Republican, and other supporters", "Saudi Arabia",
                                    "Tomas Vale, the governor and founder of the Vale Shipping empire"])
    assert out == ["Ana Ruiz", "Ana Ruiz", "Ana Ruiz", "Saudi Arabia", "Tomas Vale"]
    assert not speakers._names_several("Tomas Vale, the governor and founder of the Vale Shipping empire")
    assert speakers._names_several("Mayor Ana Ruiz and Governor Tomas Vale")


def test_a_surname_that_is_also_a_company_is_the_person_the_article_named():
    # "Reuters" is a news organisation, but after "Paul Reuters" the surname alone is that person
    out = quotes.canonical_speaker(["former mayor Paul Reuters", "Reuters"], person=[True, None])
    assert out == ["Paul Reuters", "Paul Reuters"]


def test_a_dateline_with_a_horizontal_bar_is_a_dateline():
    # HuffPost-style "CITY ― text" (U+2015), as well as en and em dashes
    assert clean.detect_dateline("PORTVILLE ― Ana Ruiz said the ferry would run.") == "PORTVILLE"


def test_a_country_named_by_its_demonym_in_the_lead_is_not_buried():
    arts = pd.DataFrame({
        "article_id": ["x1", "y1"], "outlet": ["X", "Y"], "body_start": [0, 0],
        "text": ["Lawmakers let families sue the Norwegian government.\n\nLater, Norway replied.",
                 "Norway rejects the bill.\n\nNorway replied."]})
    emph = pd.DataFrame({
        "article_id": ["x1", "y1"], "aspect_kind": ["entity", "entity"], "aspect": ["Norway", "Norway"],
        "in_headline": [False, True], "in_lead": [False, True], "first_position": [1.0, 0.0],
        "word_share": [0.3, 0.5], "prominence": [0.2, 2.0], "n_sentences": [1, 1]})
    out = emphasis.outlet_leads_and_buries(emph, arts)
    assert out[(out["outlet"] == "X") & (out["role"] == "buries")].empty
    # the short form of a country is matched as written in capitals only, never the pronoun "us"
    assert emphasis._named_in("United States", "The US voted.")
    assert not emphasis._named_in("United States", "Let us vote.")


@pytest.mark.parametrize("surface, expected", [
    ("Despite Ruiz", "Ruiz"),                      # a sentence-opening word the model took into the name
    ("Yet Harbour Commissioner Ana Ruiz", "Ana Ruiz"),
    ("Representative-elect Mikie Vale", "Mikie Vale"),  # hyphenated titles
    ("Governor-elect Tomas Vale", "Tomas Vale"),
    ("Will Ruiz", "Will Ruiz"),                    # a first name that is also a word stays
])
def test_function_words_and_hyphenated_titles_are_not_part_of_a_name(surface, expected):
    assert entities.canonical_form(surface, "PERSON") == expected
    assert quotes.strip_titles(surface) == expected


def test_a_role_description_is_its_current_and_most_named_holder():
    known = ["President Ana Ruiz", "President Ana Ruiz", "former President Tomas Vale"]
    assert quotes.canonical_speaker(["the president"], known_names=known) == ["Ana Ruiz"]
    assert quotes.canonical_speaker(["the former president"], known_names=known) == ["Tomas Vale"]


def test_an_ampersand_inside_a_firms_name_is_not_two_speakers():
    assert not speakers._names_several("an analysis from Vale & Ruiz")
    assert not speakers._names_several("Tidewater & Sons")


def test_a_group_the_article_names_is_a_body_not_a_person_or_a_surname(nlp):
    # "Passes Islanders" is a PERSON mention a model may make of a headline; the group "Islanders"
    # said something later: it is the group, not linked to that "full name".
    out = quotes.canonical_speaker(["Islanders", "harbour workers and Islanders"],
                                   known_names=["Passes Islanders"], bodies={"islanders"})
    assert out == ["Islanders", "harbour workers and Islanders"]
    text = ("Council Passes Islanders' Ferry Plan\n\nThe Islanders said the plan was late. "
            "Harbour workers and Islanders said the ferry must run daily.")
    arts = pd.DataFrame({"article_id": ["a"], "text": [text], "body_start": [38]})
    ents = pd.DataFrame({"article_id": ["a", "a", "a"], "sent_id": [0, 1, 2], "start": [8, 42, 96],
                         "end": [24, 51, 105], "text": ["Passes Islanders", "Islanders", "Islanders"],
                         "label": ["PERSON", "NORP", "NORP"],
                         "canonical": ["Passes Islanders", "Islanders", "Islanders"]})
    q = quotes.extract_quotes(arts, pd.DataFrame(columns=["article_id", "sent_id", "start", "end"]),
                              entities=ents, nlp=nlp)
    assert "Passes Islanders" not in set(q["speaker_canonical"])


def test_the_lead_checked_for_buried_actors_is_two_sentences_when_the_first_paragraph_is_one():
    arts = pd.DataFrame({
        "article_id": ["x1", "y1"], "outlet": ["X", "Y"], "body_start": [0, 0],
        "text": ["PORTVILLE – The ferry stopped on Monday.\n\nThe Harbour Authority said repairs would take a week."
                 "\n\nLater the Harbour Authority spoke again.",
                 "Harbour Authority closes ferry.\n\nIt spoke."]})
    emph = pd.DataFrame({
        "article_id": ["x1", "y1"], "aspect_kind": ["entity", "entity"],
        "aspect": ["Harbour Authority", "Harbour Authority"],
        "in_headline": [False, True], "in_lead": [False, True], "first_position": [0.5, 0.0],
        "word_share": [0.3, 0.5], "prominence": [0.2, 2.0], "n_sentences": [2, 1]})
    out = emphasis.outlet_leads_and_buries(emph, arts)
    assert out[(out["outlet"] == "X") & (out["role"] == "buries")].empty


@pytest.mark.parametrize("surface", ["Chad Vale", "Jordan Ruiz", "Georgia Marr", "Israel Tane"])
def test_a_first_name_that_is_also_a_country_stays(surface):
    # a country or demonym is a title word only before an office: "Norwegian Prime Minister …"
    assert entities.canonical_form(surface, "PERSON") == surface
    assert quotes.strip_titles(surface) == surface
    assert entities.canonical_form("Chadian Prime Minister " + surface, "PERSON") == surface


def test_wire_agencies_come_from_the_one_agency_list_and_a_person_keeps_an_agencys_name():
    from helpers.wire import load_agencies
    alias = next(a for agency in load_agencies() for a in agency.aliases if " " in a)
    assert quotes.classify_source(alias) == "outlet"
    assert quotes.classify_source("Reuters") == "outlet"
    # a person whose surname is a one-word agency or outlet name stays a person when NER says so
    assert quotes.classify_source("Reuters", is_person=True) == "person"


def test_a_standfirst_without_closing_punctuation_counts_as_a_lead_sentence():
    text = ("Ferry talks resume\n\nPortville and Lakeport discussed the ferry timetable\n\n"
            "Mayor Ana Ruiz met Governor Tomas Vale on Monday.\n\nThe Harbour Authority said repairs continue.")
    opening = emphasis._opening_text_by(pd.DataFrame({"article_id": ["a"], "outlet": ["X"], "text": [text],
                                                      "body_start": [20]}), "outlet")["X"]
    assert "Tomas Vale" in opening and "Harbour Authority" not in opening
