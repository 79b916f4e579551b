import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from helpers.annotate.sentences import SENTENCE_COLUMNS, annotate, detect_language, paragraphs, sentence_of


def _articles(texts, body_starts=None, languages=None):
    n = len(texts)
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(n)], "text": texts,
                         "body_start": body_starts or [0] * n, "language": languages or ["en"] * n,
                         "event": ["e"] * n})


def test_sentences_index_into_the_text_and_never_cross_paragraphs():
    text = ("Headline about the talks\n\nWASHINGTON: The ministers met on Monday. They talked for an hour.\n\n"
            "A second paragraph follows. It has two sentences.\n\nThe last paragraph.")
    sentences, _ = annotate(_articles([text], body_starts=[len("Headline about the talks\n\n")]))
    assert list(sentences.columns) == SENTENCE_COLUMNS
    for row in sentences.itertuples():
        assert text[row.start:row.end] == row.text
    assert sentences["in_headline"].tolist()[0] is True and sentences["in_headline"].sum() == 1
    assert sentences.groupby("paragraph_id").size().tolist() == [1, 2, 2, 1]
    lead = sentences[sentences["in_lead"]]
    assert lead["paragraph_id"].unique().tolist() == [1]
    assert sentences["position"].iloc[0] == 0 and sentences["position"].iloc[-1] == 1
    assert sentences["sent_id"].tolist() == list(range(len(sentences)))


def test_lead_is_first_two_sentences_when_paragraphs_are_single_sentences():
    text = "One sentence.\n\nTwo sentence.\n\nThree sentence."
    sentences, _ = annotate(_articles([text]))
    assert sentences["in_lead"].tolist() == [True, True, False]


def test_entities_carry_sentence_and_canonical_name():
    text = ("General Qamar Javed Bajwa spoke with U.S. officials in Washington.\n\n"
            "Later, Gen Bajwa said the United States would help Pakistan.")
    sentences, entities = annotate(_articles([text]))
    assert (entities["sent_id"] >= 0).all()
    for row in entities.itertuples():
        assert text[row.start:row.end] == row.text
    canon = set(entities["canonical"])
    assert {"Qamar Javed Bajwa", "United States", "Pakistan"} <= canon
    assert "Bajwa" not in canon


def test_non_english_and_empty_articles_get_no_sentences():
    urdu = "پاکستان کے آرمی چیف نے امریکی وزیر دفاع سے ٹیلی فون پر بات کی۔ یہ ایک اہم بات ہے۔"
    sentences, entities = annotate(_articles([urdu, ""], languages=["ur", "en"]))
    assert sentences.empty and entities.empty and list(sentences.columns) == SENTENCE_COLUMNS


@pytest.mark.parametrize(
    "text, language",
    [
        ("The minister said that the talks were about security and the war in the region.", "en"),
        ("پاکستان کے آرمی چیف نے امریکی وزیر دفاع سے بات کی", "ur"),
        ("قال وزير الدفاع الأمريكي إن المحادثات كانت مثمرة", "ar"),
        ("Министр обороны провёл переговоры", "ru"),
        ("12345 678", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_sentence_of_maps_spans_to_their_sentence():
    sentences = pd.DataFrame({"article_id": ["a", "a", "b"], "start": [0, 10, 0], "sent_id": [0, 1, 0]})
    spans = pd.DataFrame({"article_id": ["a", "b", "a"], "start": [12, 3, 0]})
    assert sentence_of(spans, sentences).tolist() == [1, 0, 0]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_paragraphs_and_sentences_stay_inside_the_text(text):
    for start, end, chunk in paragraphs(text):
        assert 0 <= start <= end <= len(text) and text[start:end] == chunk
    sentences, entities = annotate(_articles([text]))
    for row in sentences.itertuples():
        assert 0 <= row.start <= row.end <= len(text) and text[row.start:row.end] == row.text


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("WASHINGTON: The talks went well.", [(0, 11), (12, 32)], [(0, 32)]),
        ("Yes. No way said he.", [(0, 4), (5, 20)], [(0, 20)]),
        ("One sentence here. Another one here.", [(0, 18), (19, 36)], [(0, 18), (19, 36)]),
        ("Alone:", [(0, 6)], [(0, 6)]),
        ("", [], []),
    ],
)
def test_merge_fragments(text, spans, expected):
    from helpers.annotate.sentences import merge_fragments

    assert merge_fragments(text, spans) == expected
