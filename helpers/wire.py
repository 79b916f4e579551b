"""Wire-agency credits: which news agency an article says its text comes from.

The agencies are data (``helpers/agencies.yaml``: a world-wide list with aliases and country).
A *credit* is a place where the text says that it, or part of it, is an agency's copy:

- dateline credit: ``LAKEPORT, March 6 (Continental Press) -`` / ``WASHINGTON (AP) —`` /
  ``New Delhi, Jan 5 (PTI) The ...`` at the start of a paragraph. The name in the parentheses is
  taken as the agency even when it is not in the list, when a dash follows it (a dateline
  credit is how agencies sign their copy, whoever they are);
- credit line: ``(Reuters) -`` anywhere, ``(PTI)`` closing a paragraph, ``— AP`` ending a
  paragraph or alone on a line, an agency's name alone on a line;
- byline: ``By IANS``, ``By Reuters Staff``, ``By Jane Roe, Associated Press``;
- inputs credit: ``With inputs from PTI``, ``Additional reporting by Reuters and AFP``;
- copyright notice: ``Copyright 2021 The Associated Press``;
- feed note: ``auto-generated from a syndicated feed`` / ``from Press Trust of India (PTI) news
  service`` (the agency is "syndicated feed" when the note names none).

A mention in running text ("according to AP", "AP reported") is attribution of a fact, not a
credit for the text, and is not returned. An abbreviation (AP, PA, CP...) counts only inside one
of the credit forms above, never as a bare word. A credit naming the article's own outlet
(``WASHINGTON (Continental Press) —`` in Continental Press's own story) is its own byline, not
wire copy, and is left out when ``outlet`` is given.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = [
    "AGENCIES_FILE",
    "Agency",
    "WireCredit",
    "load_agencies",
    "agency_name",
    "find_wire_credits",
    "wire_agencies",
]

AGENCIES_FILE = Path(__file__).resolve().parent / "agencies.yaml"


@dataclass(frozen=True)
class Agency:
    """One agency of ``agencies.yaml``: display ``name``, ``aliases`` and ISO ``country``."""

    name: str
    aliases: tuple[str, ...]
    country: str


@dataclass(frozen=True)
class WireCredit:
    """One credit found in a text.

    ``agency``: the agency's display name from the list, or the text in the parentheses of a
    dateline credit naming an agency the list does not know; ``known``: whether it is in the list;
    ``kind``: dateline credit / credit line / byline / inputs credit / copyright notice / feed
    note; ``text``: the matched credit; ``start``, ``end``: character offsets into the text.
    """

    agency: str
    known: bool
    kind: str
    text: str
    start: int
    end: int


@functools.lru_cache(maxsize=4)
def load_agencies(path: str | Path | None = None) -> tuple[Agency, ...]:
    """The agencies of ``path`` (default :data:`AGENCIES_FILE`), in file order."""
    data = yaml.safe_load(Path(path or AGENCIES_FILE).read_text(encoding="utf-8")) or {}
    out = []
    for entry in data.get("agencies", []):
        aliases = tuple(str(a) for a in entry.get("aliases", []) or [])
        name = str(entry["name"])
        out.append(Agency(name, aliases if name in aliases else (name,) + aliases, str(entry.get("country", ""))))
    return tuple(out)


def _fold(text: str) -> str:
    """Case, accents and spacing folded, for comparing a credit with an outlet's name."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"^the\s+", "", text)).strip()


@functools.lru_cache(maxsize=4)
def _alias_table(path: str | Path | None = None) -> tuple[dict[str, str], str]:
    """alias as written (and its capitals form) -> agency name; and the regex alternation of all."""
    table: dict[str, str] = {}
    for agency in load_agencies(path):
        for alias in agency.aliases:
            for form in (alias, alias.upper()):
                table.setdefault(form, agency.name)
    alternation = "|".join(re.escape(a) for a in sorted(table, key=len, reverse=True))
    return table, alternation


def agency_name(alias: str, *, path: str | Path | None = None) -> str | None:
    """The list's name for ``alias`` ("Press Trust of India" -> "PTI"), or None when unknown.
    Case-sensitive as in credits (``AP`` is the agency, ``Ap`` is not), plus the capitals form."""
    table, _ = _alias_table(path)
    alias = re.sub(r"\s+", " ", alias.strip())
    return table.get(alias) or table.get(re.sub(r"^(?:the|The|THE) ", "", alias))


_DASH = r"(?:-{1,2}|[–—])"


@functools.lru_cache(maxsize=4)
def _patterns(path: str | Path | None = None) -> tuple[tuple[str, re.Pattern], ...]:
    _, alt = _alias_table(path)
    one = rf"(?<![\w-])(?:the\s+|The\s+)?(?:{alt})(?![\w-])"
    # several agencies in one credit: "Reuters/AFP", "PTI, IANS and Reuters"
    many = rf"{one}(?:\s*(?:/|,|&|\band\b)\s*{one})*"
    return (
        # WASHINGTON (AP) — / LAKEPORT, March 6 (Continental Press) - / Islamabad, Aug 10 (APP):
        ("dateline credit", re.compile(
            r"(?m)^[ \t]*(?P<place>[A-Z][\w.'’-]*(?:[ \t/][A-Z][\w.'’-]*){0,3})"
            r"(?P<date>,[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,[ \t]*\d{4})?)?"
            rf"[ \t]*\((?P<ags>[^()\n]{{2,60}})\)[ \t]*(?P<sep>{_DASH}|:)?")),
        ("credit line", re.compile(rf"\((?P<ags>{many})\)[ \t]*(?:{_DASH}|:)")),
        ("credit line", re.compile(rf"(?m)\((?P<ags>{many})\)[ \t]*$")),
        ("credit line", re.compile(rf"(?m){_DASH}[ \t]*(?P<ags>{many})[ \t]*\.?[ \t]*$")),
        ("credit line", re.compile(rf"(?m)^[ \t]*(?P<ags>{many})[ \t]*$")),
        ("byline", re.compile(
            rf"(?m)^[ \t]*(?:By|BY)[ \t]+(?:(?P<ags>{many})(?:[ \t]+(?:Staff|staff|Reporters?|News))?"
            rf"|[^\n]{{1,80}}?[ \t]*[,|][ \t]*(?P<ags2>{many}))[ \t]*(?:[|,;][^\n]*)?$")),
        ("inputs credit", re.compile(
            rf"(?i:(?:with[ \t]+)?(?:additional[ \t]+)?(?:inputs?|reporting|input)[ \t]+(?:from|by))[ \t]+(?P<ags>{many})")),
        # "The Associated Press contributed to this report", "Jo Ames and Reuters contributed to this story"
        # (the clause before it is read by find_wire_credits: a lazy prefix in the pattern would be
        # tried at every character of every article)
        ("contribution credit", re.compile(r"\b(?:contributed|contributes)[ \t]+to[ \t]+this[ \t]+(?:report|story|article)")),
        ("copyright notice", re.compile(rf"(?:©|\([cC]\)|Copyright|COPYRIGHT)[ \t]*(?:\d{{4}}[ \t]*)?(?P<ags>{many})")),
        ("feed note", re.compile(
            rf"(?i:auto-generated|generated|published|sourced)[ \t]+from[ \t]+(?:an?[ \t]+|the[ \t]+)?"
            rf"(?:(?P<ags>{many})(?:[ \t]*\([^()\n]{{1,20}}\))?[ \t]+)?"
            r"(?i:syndicated[ \t]+)?(?i:news[ \t]+service|feed|wire)")),
    )


# a parenthesis that follows a name at a paragraph's start without being a credit: a party and
# state ("(R-Texas)"), an age, an abbreviation being spelt out after a lower-case word
_NOT_CREDIT = re.compile(r"^(?:[RDI]-|\d)|\d")


def _split_agencies(group: str, path: str | Path | None) -> list[str]:
    table, alt = _alias_table(path)
    return [table.get(m.group()) or table.get(m.group().upper(), m.group())
            for m in re.finditer(rf"(?<![\w-])(?:{alt})(?![\w-])", group)]


def find_wire_credits(text: str, *, outlet: str = "", path: str | Path | None = None) -> list[WireCredit]:
    """Every wire credit in ``text`` (forms in the module docstring), in reading order.

    ``outlet``: the article's own outlet; a credit naming it is its own byline and is left out.
    ``path``: another agencies file. Returns :class:`WireCredit` items, one per agency per
    credit, without repeats of the same (agency, start).
    """
    text = text or ""
    own = _fold(outlet) if outlet else ""
    found: dict[tuple[str, int], WireCredit] = {}
    for pattern_kind, rx in _patterns(path):
        for m in rx.finditer(text):
            kind = pattern_kind
            if kind == "contribution credit":
                kind = "inputs credit"
                head = text[max(0, m.start() - 200): m.start()]
                group = re.split(r"[.\n]", head)[-1]
            else:
                group = m.group("ags")
            if group is None and "ags2" in rx.groupindex:
                group = m.group("ags2")
            names: list[tuple[str, bool]]
            if kind == "dateline credit":
                inner = group.strip()
                known = _split_agencies(inner, path)
                place = m.group("place")
                if known and (_agencies_only(inner, path) or m.group("sep") not in (None, ":")):
                    # "New Delhi, Jan 5 (PTI) The ..." : a known agency needs no dash after it;
                    # "(CBSDC/AP) —": the known agency beside an unknown partner
                    names = [(k, True) for k in known]
                elif (_NOT_CREDIT.search(inner)
                      # a name the list does not know needs a dash: followed by a colon it is a
                      # transcript's speaker label ("JANE ROE (HOST):"), not a credit
                      or m.group("sep") in (None, ":")
                      or not re.fullmatch(r"[A-Z][\w&.'’-]*(?: [A-Z&][\w&.'’-]*){0,4}", inner)
                      or not (place.replace("/", " ").replace(" ", "").isupper() or m.group("date"))):
                    continue
                else:
                    names = [(inner, False)]
            elif kind == "feed note" and not group:
                names = [("syndicated feed", False)]
            else:
                names = [(n, True) for n in _split_agencies(group or "", path)]
            for name, known_flag in names:
                if own and _is_own(name, own):
                    continue
                key = (name, m.start())
                if not any(c.agency == name and c.start < m.end() and m.start() < c.end for c in found.values()):
                    found[key] = WireCredit(name, known_flag, kind, m.group().strip(), m.start(), m.end())
    # reading order; agencies named in one credit keep their order ("PTI, IANS and Reuters")
    order = {key: n for n, key in enumerate(found)}
    return [found[key] for key in sorted(found, key=lambda k: (k[1], order[k]))]


def _is_own(name: str, own: str) -> bool:
    """Whether a credited ``name`` is the article's own outlet (``own`` already folded): the same
    name, one inside the other, or a one-word name that the outlet's first word starts ("CNNMoney"
    in "CNN (Web News)")."""
    folded = _fold(name)
    if not folded or not own:
        return False
    first = own.split(" ")[0]
    return (folded == own or f" {folded} " in f" {own} " or f" {own} " in f" {folded} "
            or (len(first) >= 3 and " " not in folded and folded.startswith(first)))


def _agencies_only(inner: str, path: str | Path | None) -> bool:
    """Whether ``inner`` is nothing but known agency names and separators ("Reuters/AFP")."""
    _, alt = _alias_table(path)
    rest = re.sub(rf"(?<![\w-])(?:the\s+|The\s+)?(?:{alt})(?![\w-])", "", inner)
    return not re.sub(r"[\s/,&]|\band\b", "", rest)


def wire_agencies(text: str, *, outlet: str = "", path: str | Path | None = None) -> list[str]:
    """The distinct agencies ``text`` credits (see :func:`find_wire_credits`), first credited first."""
    out: dict[str, None] = {}
    for credit in find_wire_credits(text, outlet=outlet, path=path):
        out.setdefault(credit.agency, None)
    return list(out)
