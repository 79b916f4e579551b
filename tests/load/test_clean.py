import re

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from helpers.load.clean import clean_article, clean_corpus, detect_dateline, find_repeated_lines

BODY = "Officials said the two sides discussed regional security on Monday.\n\nThe talks will continue, they said."


@pytest.mark.parametrize(
    "furniture, rule",
    [
        ("Text Size:", "page interface or image credit"),
        ("Image: AP/Someone/Twitter", "page interface or image credit"),
        ("Photo: Reuters", "page interface or image credit"),
        ("Two leaders (left) and (right) shake hands | Bloomberg/Flickr", "image caption or credit"),
        ("Also read: Another story about something else", "cross-link to another story"),
        ("Read NSA, DG ISI leave for crucial US trip", "cross-link to another story"),
        ("Subscribe to our channels on YouTube & Telegram", "page interface or image credit"),
    ],
)
def test_furniture_lines_are_removed_and_listed(furniture, rule):
    raw = f"{furniture}\n\n{BODY}" if "Read" not in furniture else f"{BODY}\n\n{furniture}\n\nA last sentence."
    cleaned = clean_article(raw, article_id="x")
    assert furniture not in cleaned.text
    assert [(r["rule"], r["removed"]) for r in cleaned.removals] == [(rule, furniture)]
    assert "regional security" in cleaned.text


def test_repeated_headline_becomes_the_title_once():
    headline = "Minister wants to ‘improve’ relations"
    raw = f"{headline}\n\nA standfirst line\n\n{headline}\n{headline}\n\n{BODY}"
    cleaned = clean_article(raw, article_id="x")
    assert cleaned.title == headline
    assert cleaned.text.startswith(headline + "\n\nA standfirst line\n\nOfficials said")
    assert cleaned.body_start == len(headline) + 2
    assert [r["rule"] for r in cleaned.removals] == ["headline (moved to the title)", "repeated headline", "repeated headline"]


def test_known_title_is_not_invented_when_absent():
    cleaned = clean_article(BODY, article_id="x")
    assert cleaned.title == "" and cleaned.body_start == 0 and cleaned.text == BODY


def test_appeal_block_at_the_end_is_removed_whole():
    raw = (BODY + "\n\nMore reporting here about the call and its aftermath.\n\n"
           "Why news media is in crisis & How you can fix it\n\nIndia needs free journalism.\n\n"
           "Reporters need readers like you to pay for it.\n\nSupport Our Journalism")
    cleaned = clean_article(raw, article_id="x")
    assert cleaned.text.endswith("aftermath.")
    assert [r["rule"] for r in cleaned.removals] == ["subscription or donation appeal"] * 4


def test_related_headline_at_the_end_is_removed():
    raw = BODY + "\n\nUS bombers target insurgents advancing in the north"
    cleaned = clean_article(raw, article_id="x")
    assert cleaned.text == BODY
    assert cleaned.removals[0]["rule"] == "related-story headline at the end"


def test_embedded_tweet_is_flagged_and_kept_with_its_attribution_line():
    tweet = "Earlier today, I spoke with the Army chief. pic.twitter.com/AbC123"
    attribution = "— Secretary of Defense Lloyd J. Austin III (@SecDef) August 9, 2021"
    cleaned = clean_article(f"{BODY}\n{tweet}\n{attribution}\nAfter the post came more text.", article_id="x")
    assert len(cleaned.embeds) == 1
    embed = cleaned.embeds[0]
    assert cleaned.text[embed["start"]:embed["end"]] == f"{tweet} {attribution}"
    assert (embed["handle"], embed["posted"], embed["platform"]) == ("SecDef", "2021-08-09", "twitter")
    assert embed["author"] == "Secretary of Defense Lloyd J. Austin III"
    assert cleaned.removals == []


@pytest.mark.parametrize(
    "paragraph, dateline",
    [
        ("WASHINGTON: United States officials said", "WASHINGTON"),
        ("ISLAMABAD/WASHINGTON – Army chief General", "ISLAMABAD/WASHINGTON"),
        ("Washington: US Defence Secretary", "Washington"),
        ("NEW DELHI (PTI) - The minister said", "NEW DELHI (PTI)"),
        ("Meanwhile: something happened", ""),
        ("The minister said: this is fine", ""),
        ("", ""),
    ],
)
def test_detect_dateline(paragraph, dateline):
    assert detect_dateline(paragraph) == dateline


def test_lines_an_outlet_repeats_are_furniture_only_for_that_outlet():
    footer = "Follow the Daily Example for more updates every day."
    raw = pd.DataFrame({
        "article_id": ["a", "b", "c", "d"],
        "outlet": ["Daily Example"] * 3 + ["Other"],
        "raw_text": [f"Story {i} about talks between ministers today.\n\n{footer}" for i in range(4)],
        "title": [""] * 4,
    })
    assert find_repeated_lines(raw) == {"Daily Example": {re.sub(r"\W+", " ", footer.lower()).strip()}}
    articles, cleaning, _ = clean_corpus(raw)
    assert (cleaning["rule"] == "line the outlet repeats across its articles").sum() == 3
    assert footer in articles.set_index("article_id").loc["d", "text"]


def test_empty_and_identical_inputs():
    assert clean_article("", article_id="x").text == ""
    twin = clean_article(BODY, article_id="x")
    assert clean_article(BODY, article_id="x") == twin


def _letters(text: str) -> int:
    return len(re.sub(r"\s", "", text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400),
       st.sampled_from(["", "Headline here"]))
def test_cleaning_never_removes_more_than_it_reports(raw, title):
    cleaned = clean_article(raw, article_id="x", title=title)
    reported = sum(_letters(r["removed"]) for r in cleaned.removals)
    # Only whitespace may disappear without a cleaning row.
    assert _letters(raw) <= _letters(cleaned.text) + reported
    for row in cleaned.removals:
        assert 0 <= row["raw_start"] <= row["raw_end"] <= len(raw)
    for embed in cleaned.embeds:
        assert 0 <= embed["start"] <= embed["end"] <= len(cleaned.text)


def test_a_paragraph_printed_twice_in_one_article_is_kept_once():
    """Issue 17: a synopsis or pull quote printed twice counted twice in shares and facts."""
    synopsis = "The Vell harbour board will close the eastern quay to heavy trucks until the storms pass."
    pull = "“We cannot risk the quay wall for one more winter,” said harbour master Ana Roos."
    raw = (f"{synopsis}\n\nLAKEPORT — The harbour board met on Friday.\n\n{pull}\n\n"
           f"{synopsis}\n\nEngineers had warned of erosion.\n\n{pull}\n\nYes.\n\nYes.")
    cleaned = clean_article(raw, article_id="x")
    assert cleaned.text.count(synopsis) == 1 and cleaned.text.count(pull) == 1
    repeated = [r for r in cleaned.removals if r["rule"] == "paragraph repeated within the article"]
    assert [r["removed"] for r in repeated] == [synopsis, pull]
    for r in repeated:   # the row points at the second occurrence in the raw text
        assert raw[r["raw_start"]:r["raw_end"]] == r["removed"] and r["raw_start"] > raw.index(r["removed"])
    assert cleaned.text.count("Yes.") == 2   # a short line may repeat in earnest
