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


@pytest.mark.parametrize("cuts", [[], [2], [2, 5], [3, 3, 6]])
def test_names_canonicalised_piece_by_piece_equal_the_whole_tables(cuts):
    """The event's names counted piece by piece and merged, then each piece canonicalised with
    them: the whole table's canonical names (each piece holds its articles whole; a piece may be
    empty)."""
    from helpers.annotate.entities import count_event_names

    entities = pd.DataFrame({
        "article_id": ["a", "a", "b", "c", "c", "d", "e"],
        "text": ["Orla Brandt", "Brandt", "Brandt", "Mayor Brandt", "Ivo Brandt", "Kessler", "Tom Kessler"],
        "label": ["PERSON"] * 7,
    })
    articles = pd.DataFrame({"article_id": list("abcde"), "event": ["flood", "flood", "flood", "vote", "vote"]})
    edges = [0, *cuts, len(entities)]
    pieces = [entities.iloc[lo:hi] for lo, hi in zip(edges[:-1], edges[1:])]
    names, memo = {}, {}
    for piece in pieces:
        count_event_names(piece, articles, into=names, memo=memo)
    joined = pd.concat([canonicalize(piece, articles, event_names=names, memo=memo) for piece in pieces])
    whole = canonicalize(entities, articles)
    assert joined.tolist() == whole.tolist()
    # a short name links within its article first, then to its event's full name when that is unique
    assert whole.tolist() == ["Orla Brandt", "Orla Brandt", "Brandt", "Ivo Brandt", "Ivo Brandt",
                              "Tom Kessler", "Tom Kessler"]
