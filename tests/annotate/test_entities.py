import pandas as pd
import pytest

from helpers.annotate.entities import canonical_form, canonicalize


@pytest.mark.parametrize(
    "text, label, expected",
    [
        ("U.S.", "GPE", "United States"),
        ("the United States", "GPE", "United States"),
        ("US", "GPE", "United States"),
        ("America's", "GPE", "United States"),
        ("the Pentagon", "ORG", "Pentagon"),
        ("General Qamar Javed Bajwa", "PERSON", "Qamar Javed Bajwa"),
        ("Gen Bajwa", "PERSON", "Bajwa"),
        ("Lloyd J. Austin III", "PERSON", "Lloyd Austin"),
        ("Dr Moeed Yusuf", "PERSON", "Moeed Yusuf"),
        ("Pentagon Press Secretary John Kirby", "PERSON", "John Kirby"),
        ("", "ORG", ""),
    ],
)
def test_canonical_form(text, label, expected):
    assert canonical_form(text, label) == expected


def test_short_names_link_to_the_full_name_in_the_article_then_the_event():
    entities = pd.DataFrame({
        "article_id": ["a", "a", "a", "b", "c", "c"],
        "text": ["Lloyd Austin", "Austin", "Gen Bajwa", "Kirby", "John Kirby", "Jane Austin"],
        "label": ["PERSON"] * 6,
    })
    articles = pd.DataFrame({"article_id": ["a", "b", "c"], "event": ["e", "e", "f"]})
    assert canonicalize(entities, articles).tolist() == [
        "Lloyd Austin", "Lloyd Austin", "Bajwa", "Kirby", "John Kirby", "Jane Austin"]


def test_unique_full_name_in_the_event_is_used():
    entities = pd.DataFrame({"article_id": ["a", "b"], "text": ["Kirby", "John Kirby"], "label": ["PERSON"] * 2})
    articles = pd.DataFrame({"article_id": ["a", "b"], "event": ["e", "e"]})
    assert canonicalize(entities, articles).tolist() == ["John Kirby", "John Kirby"]


def test_empty_entities():
    empty = pd.DataFrame(columns=["article_id", "text", "label"])
    assert canonicalize(empty).empty
