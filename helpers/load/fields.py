"""Field values of the loader: publication dates (:func:`normalize_date`, day-first or month-first
order of numeric dates, dates in URLs) and outlets (:func:`outlet_from_url`, :func:`normalize_outlets`).

Takes raw strings (a date cell, a URL, the outlets of the records); gives ISO dates
(``published``, ``published_source``) and outlet names (``outlet``, ``outlet_raw``) of the raw
articles table.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from typing import Any

import numpy as np
import pandas as pd


DATE_MARKER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s*")


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


_URL_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})-(?P<mon>[A-Za-z]{3})[a-z]*-(?P<y>(?:19|20)\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?!\d)"),
)


# Day and month in either order, then a four-digit year: 11/08/2021, 25.08.2021, 8-11-2021 (a time may follow).
_NUMERIC_DATE = re.compile(r"\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?!\d)")


def numeric_date_order(value: Any) -> str:
    """For a date written as two numbers and a year (``25/08/2021``): ``day-first`` or
    ``month-first`` when the numbers decide it (one is above 12), ``ambiguous`` when both
    readings are dates (``11/08/2021``), else "" (not that form, or no valid reading)."""
    match = _NUMERIC_DATE.match(str(value)) if isinstance(value, str) else None
    if not match:
        return ""
    a, b, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    day_first, month_first = _valid_date(year, b, a), _valid_date(year, a, b)
    if day_first and month_first:
        return "ambiguous" if day_first != month_first else "day-first"
    return "day-first" if day_first else "month-first" if month_first else ""


def normalize_date(value: Any, *, dayfirst: bool | None = None) -> str:
    """Return ``YYYY-MM-DD`` for a date-like value, or "" when it is empty or unparseable.

    Accepts ISO dates and timestamps (time and zone are dropped: the date as written),
    ``datetime``/``date``/``Timestamp`` objects, month-name forms, and two numbers and a year
    (``13/08/2021``) when only one reading is a date. When both are (``11/08/2021``: 11 August
    or 8 November), ``dayfirst`` decides (True: day first, False: month first); with None the
    result is "" — a wrong date is worse than none (see :func:`numeric_date_order`).
    Never invents a day: ``2021-08`` gives "".
    """
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return "" if pd.isna(value) else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    if not text or text.lower() in {"nan", "none", "null", "nat"}:
        return ""
    iso = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        return _valid_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    numeric = _NUMERIC_DATE.match(text)
    if numeric:
        # Read here, not by pandas: pandas reads 11/08/2021 month-first, which many countries
        # would read as 11 August.
        a, b, year = int(numeric.group(1)), int(numeric.group(3)), int(numeric.group(4))
        order = numeric_date_order(text)
        if order == "ambiguous":
            order = "" if dayfirst is None else "day-first" if dayfirst else "month-first"
        if order == "day-first":
            return _valid_date(year, b, a)
        return _valid_date(year, a, b) if order == "month-first" else ""
    if not re.search(r"\d{1,2}\D+\d{4}|\d{4}\D+\d{1,2}\D+\d{1,2}|[A-Za-z]{3,}\.?\s+\d{1,2},?\s+\d{4}", text):
        return ""
    try:
        parsed = pd.to_datetime(text, errors="raise")
    except (ValueError, TypeError, OverflowError):
        return ""
    return "" if pd.isna(parsed) else parsed.strftime("%Y-%m-%d")


def _valid_date(year: int, month: int, day: int) -> str:
    try:
        return dt.date(year, month, day).strftime("%Y-%m-%d")
    except ValueError:
        return ""


def date_from_url(url: str) -> str:
    """Publication date written in a URL (``/2021/08/10/``, ``-2021-08-10``, ``11-Aug-2021``), or ""."""
    if not url:
        return ""
    for pattern in _URL_DATE_PATTERNS:
        for match in pattern.finditer(url):
            parts = match.groupdict()
            month = _MONTHS.get(parts["mon"].lower()) if parts.get("mon") else int(parts["m"])
            if not month:
                continue
            found = _valid_date(int(parts["y"]), month, int(parts["d"]))
            if found:
                return found
    return ""


def outlet_from_url(url: str) -> str:
    """The URL's registered domain (``en.valleypost.com.au`` → ``valleypost.com.au``), or ""."""
    if not url or "." not in url:
        return ""
    import tldextract  # only needed when an outlet is missing

    extractor = _tld_extractor()
    parts = extractor(url)
    return parts.top_domain_under_public_suffix if hasattr(parts, "top_domain_under_public_suffix") else parts.registered_domain


_TLD = None


def _tld_extractor():
    # The bundled Public Suffix List snapshot only: nothing is fetched at run time.
    global _TLD
    if _TLD is None:
        import tldextract

        _TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    return _TLD


def _outlet_key(name: str) -> str:
    """An outlet name folded for comparison: Unicode-normalised, case-folded, spacing collapsed,
    a leading "the" and a web address's scheme and ``www.`` dropped ("The  FOX" -> "fox")."""
    folded = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    folded = re.sub(r"^(?:https?://)?(?:www\.)?", "", folded).rstrip("/")
    return re.sub(r"^the ", "", folded)


def _is_domain(name: str) -> bool:
    return bool(re.fullmatch(r"(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+/?", name.strip().lower()))


def normalize_outlets(records: list[dict[str, Any]]) -> list[tuple[str, str, str, int]]:
    """One outlet, one name: merge the spellings of an outlet's name in ``records`` (in place).

    ``outlet_raw`` keeps each record's value as read (set here when the record has none yet);
    ``outlet`` (as read, or the URL's domain when none was given) becomes the merged name:
    - spellings that differ only in case, spacing, a leading "The" or ``www.`` (``FOX`` / ``fox``)
      are one outlet, named by its most frequent spelling (ties: the first in sorted order);
    - an outlet given as a web domain (``nytimes.com``) is the outlet whose articles' URLs are on
      that domain, when the corpus pairs the domain with exactly one outlet name that way (a
      domain that several names share, an aggregator's, stays as it is).
    Nothing is keyed to a list of outlets: only the corpus's own spellings and URLs are used.
    Each renamed record's load-report row says so (status ``loaded_with_warning``, reason
    ``outlet 'X' merged into 'Y' (…)``). Returns the merges: (from, to, why, records).
    """
    for record in records:
        record["outlet"] = record.get("outlet", "") or ""
        if "outlet_raw" not in record:
            record["outlet_raw"] = record["outlet"]
    spellings: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        if record["outlet"].strip():
            spellings[_outlet_key(record["outlet"])][record["outlet"]] += 1
    name_of = {key: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for key, counts in spellings.items()}
    # the corpus's own pairing of a domain with a name: articles named X whose URL is on domain d
    names_on_domain: dict[str, set[str]] = defaultdict(set)
    for record in records:
        key = _outlet_key(record["outlet"])
        if key and not _is_domain(key) and record.get("url"):
            domain = outlet_from_url(record["url"])
            if domain:
                names_on_domain[domain.lower()].add(key)
    target: dict[str, tuple[str, str]] = {}
    for key in spellings:
        if _is_domain(key):
            domain = outlet_from_url("http://" + key) or key
            paired = names_on_domain.get(domain.lower(), set())
            if len(paired) == 1:
                target[key] = (name_of[next(iter(paired))], f"the corpus pairs {domain} with this name by URL")
    merges: Counter = Counter()
    for record in records:
        raw = record["outlet"]
        if not raw.strip():
            continue
        key = _outlet_key(raw)
        merged, why = target.get(key, (name_of[key], "same name but for case or spacing"))
        record["outlet"] = merged
        if merged != raw:
            merges[(raw, merged, why)] += 1
            entry = record.get("_report")
            if entry is not None:
                note = f"outlet {raw!r} merged into {merged!r} ({why})"
                entry["reason"] = "; ".join(x for x in (entry["reason"], note) if x)
                entry["status"] = "loaded_with_warning"
    return [(a, b, why, n) for (a, b, why), n in sorted(merges.items())]
