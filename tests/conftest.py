"""Shared fixtures: small corpora built in a temporary folder, good and broken."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

ARTICLE_A = (
    "WASHINGTON: The defence chiefs of two countries spoke by phone on Tuesday, officials said.\n\n"
    "They discussed regional security and stability, and the bilateral defence relationship more broadly.\n\n"
    "Also read: An unrelated story about something else entirely\n\n"
    "Subscribe to our channels on YouTube & Telegram\n"
)
ARTICLE_B = (
    "ISLAMABAD – Army chief General Jane Doe on Monday spoke with the visiting minister.\n\n"
    "“We discussed regional security and stability,” Doe said, adding that talks would continue.\n"
)


def write_small_corpus(folder: Path) -> Path:
    """Three good articles (txt, json, html) and a metadata file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(" date 2021-08-10 " + ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    (folder / "c.json").write_text(json.dumps({
        "title": "Ministers meet", "body": [["The ministers met on Monday.", "They talked."], ["Nothing else."]],
        "url": "https://example.org/2021/08/09/ministers-meet", "source": "Example Post"}), encoding="utf-8")
    (folder / "metadata.csv").write_text(
        "file,outlet,country,url,published\n"
        "a.txt,Outlet A,IN,https://a.example.com/story,\n"
        "b.txt,,PK,https://news.b-example.com.pk/11-Aug-2021/story,\n", encoding="utf-8")
    return folder


PLANTED = Path(__file__).resolve().parent / "fixtures" / "findings" / "planted-fire"


def two_events(folder: Path) -> Path:
    """The seeds (event ``a-call``) and the planted fire (event ``b-fire``) in one corpus."""
    folder.mkdir(parents=True)
    seeds = pd.read_csv(SEEDS / "metadata.csv", dtype=str).fillna("")
    fire = pd.read_csv(PLANTED / "metadata.csv", dtype=str).fillna("")
    rows = []
    for source, meta, event, prefix in ((SEEDS, seeds, "a-call", "s"), (PLANTED, fire, "b-fire", "f")):
        for record in meta.to_dict("records"):
            name = f"{prefix}-{record['file']}"
            shutil.copy(source / record["file"], folder / name)
            rows.append({"file": name, "outlet": record["outlet"], "country": record["country"],
                         "url": record["url"], "published": record["published"], "event": event})
    pd.DataFrame(rows).to_csv(folder / "metadata.csv", index=False)
    return folder


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    return write_small_corpus(tmp_path / "small")
