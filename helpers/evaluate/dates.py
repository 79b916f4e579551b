"""Score :func:`helpers.dates.grammar.find_temporal_expressions` against TimeML gold data.

Usage: ``python -m helpers.evaluate.dates PATH [PATH ...] [--errors N] [--group N]``

PATH is a folder (searched recursively) or a file: TempEval-3 TimeML ``.tml`` files
(TBAQ format; the document creation time is the TIMEX3 with
``functionInDocument="CREATION_TIME"``) or MEANTIME ``.xml`` files (tokens plus TIMEX3
token anchors). The extractor runs on each document's raw text anchored on its DCT and
the TempEval-3 Task A measures are printed: strict and relaxed extent P/R/F1, and value
and type accuracy and F1 (as the TempEval-3 scorer: relaxed-matched pairs with the same
attribute, over system for precision and over gold for recall).

Split: documents are assigned to "dev" or "heldout" by a hash of the file name (about 30%
held out), so the split is deterministic and independent of the folder layout; figures are
printed for all documents and for each part. Rules were developed looking only at dev.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from helpers.dates.grammar import find_temporal_expressions

HELDOUT_SHARE = 30  # percent of documents held out, by hash of the file name


@dataclass
class GoldTimex:
    start: int
    end: int
    type: str
    value: str


@dataclass
class GoldDoc:
    name: str
    text: str
    dct: dt.date | None
    timexes: list[GoldTimex]
    ignore: list[tuple[int, int]] = field(default_factory=list)  # spans not scored (e.g. a DCT line)


_TAG_RE = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>", re.S)
_ATTR_RE = re.compile(r'([A-Za-z_:]+)\s*=\s*"([^"]*)"')


def _attrs(s: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR_RE.findall(s)}


def _date(value: str) -> dt.date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not m:
        m2 = re.match(r"(\d{4})(\d{2})(\d{2})", value or "")
        m = m2
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_timeml(source: str, name: str = "") -> GoldDoc:
    """Parse one TimeML document (string) into raw text, DCT and gold TIMEX3 spans.

    The text is the content of ``<TEXT>`` with every tag removed and entities unescaped;
    gold offsets index that text.
    """
    dct = None
    for m in re.finditer(r"<TIMEX3([^>]*)>", source):
        a = _attrs(m.group(1))
        if a.get("functionInDocument") == "CREATION_TIME":
            dct = _date(a.get("value", ""))
            break
    m = re.search(r"<TEXT>(.*?)</TEXT>", source, re.S)
    body = m.group(1) if m else source
    out: list[str] = []
    pos = 0
    timexes: list[GoldTimex] = []
    open_timex: tuple[int, dict] | None = None
    last = 0
    for t in _TAG_RE.finditer(body):
        chunk = html.unescape(body[last:t.start()])
        out.append(chunk)
        pos += len(chunk)
        last = t.end()
        closing, tag, rest = t.group(1), t.group(2), t.group(3)
        if tag != "TIMEX3":
            continue
        if not closing and not t.group(4):
            open_timex = (pos, _attrs(rest))
        elif closing and open_timex is not None:
            s, a = open_timex
            open_timex = None
            if a.get("functionInDocument") == "CREATION_TIME":
                continue
            timexes.append(GoldTimex(s, pos, a.get("type", ""), a.get("value", "")))
    chunk = html.unescape(body[last:])
    out.append(chunk)
    text = "".join(out)
    timexes = [_trim(text, g) for g in timexes]
    return GoldDoc(name=name, text=text, dct=dct, timexes=[g for g in timexes if g.end > g.start])


def _trim(text: str, g: GoldTimex) -> GoldTimex:
    s, e = g.start, g.end
    while s < e and text[s] in " \t\r\n":
        s += 1
    while e > s and text[e - 1] in " \t\r\n,":
        e -= 1
    return GoldTimex(s, e, g.type, g.value)


_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "'s", "n't", "%", "'", "”", "’"}


def parse_meantime(source: str, name: str = "") -> GoldDoc:
    """Parse one MEANTIME document: tokens are joined (sentences by newline), TIMEX3
    token anchors become character spans; the creation-time span is not scored."""
    tokens: dict[str, tuple[int, int]] = {}
    parts: list[str] = []
    pos = 0
    prev_sentence = None
    prev_tok = ""
    for m in re.finditer(r'<token([^>]*)>(.*?)</token>', source, re.S):
        a = _attrs(m.group(1))
        tok = html.unescape(m.group(2))
        sent = a.get("sentence")
        if prev_sentence is None:
            sep = ""
        elif sent != prev_sentence:
            sep = "\n"
        elif tok in _NO_SPACE_BEFORE or prev_tok in ("(", "“", "$"):
            sep = ""
        else:
            sep = " "
        parts.append(sep)
        pos += len(sep)
        tokens[a.get("t_id", "")] = (pos, pos + len(tok))
        parts.append(tok)
        pos += len(tok)
        prev_sentence, prev_tok = sent, tok
    text = "".join(parts)
    timexes: list[GoldTimex] = []
    ignore: list[tuple[int, int]] = []
    dct = None
    for m in re.finditer(r"<TIMEX3([^>]*)>(.*?)</TIMEX3>", source, re.S):
        a = _attrs(m.group(1))
        ids = re.findall(r'<token_anchor t_id="([^"]+)"', m.group(2))
        spans = [tokens[i] for i in ids if i in tokens]
        if a.get("functionInDocument") == "CREATION_TIME":
            dct = _date(a.get("value", "")) or dct
            if spans:
                ignore.append((min(s for s, _ in spans), max(e for _, e in spans)))
            continue
        if not spans:
            continue
        timexes.append(GoldTimex(min(s for s, _ in spans), max(e for _, e in spans), a.get("type", ""), a.get("value", "")))
    # MEANTIME annotates only the first sentences: score only up to the last sentence
    # holding any markable (event, entity or time)
    sent_of = {a_["t_id"]: a_.get("sentence") for a_ in (_attrs(x) for x in re.findall(r"<token\s([^>]*)>", source))}
    anchored = [sent_of[i] for i in re.findall(r'<token_anchor t_id="([^"]+)"', source) if i in sent_of]
    if anchored:
        last = max((int(x) for x in anchored if x is not None and x.isdigit()), default=10**9)
        cut = max((tokens[t][1] for t, sn in sent_of.items() if sn is not None and sn.isdigit() and int(sn) <= last and t in tokens),
                  default=len(text))
        text = text[:cut]
    return GoldDoc(name=name, text=text, dct=dct, timexes=timexes, ignore=ignore)


def load_documents(paths: Iterable[str | Path]) -> list[GoldDoc]:
    """All .tml (TimeML) and .xml (MEANTIME) documents under the given paths, sorted by path."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(f for f in p.rglob("*") if f.suffix.lower() in (".tml", ".xml") and f.is_file())
        elif p.is_file():
            files.append(p)
    docs = []
    for f in sorted(set(files)):
        src = f.read_text(encoding="utf-8", errors="replace")
        if "<TimeML" in src or f.suffix.lower() == ".tml":
            docs.append(parse_timeml(src, f.name))
        elif "<token" in src:
            docs.append(parse_meantime(src, f.name))
    return docs


def split_of(name: str) -> str:
    """'heldout' for about HELDOUT_SHARE% of file names (by md5), else 'dev'."""
    h = int(hashlib.md5(name.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "heldout" if h < HELDOUT_SHARE else "dev"


@dataclass
class Counts:
    gold: int = 0
    system: int = 0
    strict_gold: int = 0      # gold spans matched exactly by a system span
    strict_system: int = 0
    relaxed_gold: int = 0     # gold spans overlapped by a system span
    relaxed_system: int = 0
    pairs: int = 0            # relaxed-matched (gold, system) pairs used for attributes
    value_ok: int = 0
    type_ok: int = 0

    def add(self, other: "Counts") -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))


def score_document(doc: GoldDoc, system: Sequence) -> Counts:
    """Counts for one document. ``system`` items need start, end, type, value.

    Strict: identical (whitespace-trimmed) spans; relaxed: any character overlap. Each
    gold TIMEX3 is paired with the first overlapping system expression (and vice versa)
    to compare value and type.
    """
    sys_items = [s for s in system if not any(s.start < e and b < s.end for b, e in doc.ignore)]
    c = Counts(gold=len(doc.timexes), system=len(sys_items))
    gold_spans = {(g.start, g.end) for g in doc.timexes}
    sys_spans = {(s.start, s.end) for s in sys_items}
    c.strict_gold = sum((g.start, g.end) in sys_spans for g in doc.timexes)
    c.strict_system = sum((s.start, s.end) in gold_spans for s in sys_items)
    used: set[int] = set()
    for g in doc.timexes:
        hit = None
        for i, s in enumerate(sys_items):
            if s.start < g.end and g.start < s.end:
                if hit is None or (i not in used and hit in used):
                    hit = i
                if i not in used:
                    break
        if hit is not None:
            c.relaxed_gold += 1
            if hit not in used:
                used.add(hit)
                c.pairs += 1
                s = sys_items[hit]
                c.value_ok += s.value == g.value
                c.type_ok += s.type == g.type
    c.relaxed_system = sum(any(s.start < g.end and g.start < s.end for g in doc.timexes) for s in sys_items)
    return c


def _prf(tp_sys: int, n_sys: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_sys / n_sys if n_sys else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f


def measures(c: Counts) -> dict[str, float]:
    """TempEval-3 Task A figures (percent) from counts."""
    sp, sr, sf = _prf(c.strict_system, c.system, c.strict_gold, c.gold)
    rp, rr, rf = _prf(c.relaxed_system, c.system, c.relaxed_gold, c.gold)
    vp, vr, vf = _prf(c.value_ok, c.system, c.value_ok, c.gold)
    tp, tr, tf = _prf(c.type_ok, c.system, c.type_ok, c.gold)
    return {
        "docs_gold": float(c.gold), "system": float(c.system),
        "strict_P": sp, "strict_R": sr, "strict_F1": sf,
        "relaxed_P": rp, "relaxed_R": rr, "relaxed_F1": rf,
        "value_acc": 100 * c.value_ok / c.pairs if c.pairs else 0.0, "value_F1": vf,
        "type_acc": 100 * c.type_ok / c.pairs if c.pairs else 0.0, "type_F1": tf,
    }


def evaluate(docs: Sequence[GoldDoc]) -> tuple[dict[str, Counts], list[tuple[str, str, str, str, str]]]:
    """Run the extractor on each document; counts for 'all', 'dev', 'heldout' and dev errors."""
    totals = {"all": Counts(), "dev": Counts(), "heldout": Counts()}
    errors: list[tuple[str, str, str, str, str]] = []
    for doc in docs:
        found = find_temporal_expressions(doc.text, anchor=doc.dct)
        c = score_document(doc, found)
        totals["all"].add(c)
        part = split_of(doc.name)
        totals[part].add(c)
        if part == "dev":
            for g in doc.timexes:
                hits = [s for s in found if s.start < g.end and g.start < s.end]
                if not hits:
                    errors.append(("missed", doc.name, doc.text[g.start:g.end], g.value, ""))
                elif hits[0].value != g.value or (hits[0].start, hits[0].end) != (g.start, g.end):
                    errors.append(("value" if hits[0].value != g.value else "extent", doc.name,
                                   doc.text[g.start:g.end], g.value, f"{hits[0].expression} -> {hits[0].value}"))
            for s in found:
                if not any(s.start < g.end and g.start < s.end for g in doc.timexes) and \
                        not any(s.start < e and b < s.end for b, e in doc.ignore):
                    errors.append(("spurious", doc.name, s.expression, "", s.value))
    return totals, errors


_MONTH_WORD_RE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?")
_WEEKDAY_WORD_RE = re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_NUMBER_WORD_RE = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|a few|several)\b", re.I)


def error_pattern(kind: str, expression: str) -> str:
    """A coarse pattern of an error, to group similar ones: digits become 9, month names
    MONTH, weekdays WEEKDAY, small number words N, case folded."""
    p = _MONTH_WORD_RE.sub("MONTH", expression)
    p = _WEEKDAY_WORD_RE.sub("WEEKDAY", p)
    p = _NUMBER_WORD_RE.sub("N", p)
    p = re.sub(r"\d+", "9", p)
    p = re.sub(r"\s+", " ", p).strip()
    return f"{kind}: {p if p.isupper() else p.lower()}"


def group_errors(errors: Sequence[tuple[str, str, str, str, str]]) -> list[tuple[str, int, tuple]]:
    """Dev errors grouped by :func:`error_pattern`, most frequent first: (pattern, count, example)."""
    groups: dict[str, list] = {}
    for e in errors:
        groups.setdefault(error_pattern(e[0], e[2]), []).append(e)
    return sorted(((k, len(v), v[0]) for k, v in groups.items()), key=lambda x: (-x[1], x[0]))


def format_table(rows: dict[str, dict[str, float]]) -> str:
    cols = ["strict_P", "strict_R", "strict_F1", "relaxed_P", "relaxed_R", "relaxed_F1",
            "value_acc", "value_F1", "type_acc", "type_F1"]
    head = f"{'part':<22}{'gold':>6}{'sys':>6}" + "".join(f"{c:>11}" for c in cols)
    lines = [head]
    for name, m in rows.items():
        lines.append(f"{name:<22}{int(m['docs_gold']):>6}{int(m['system']):>6}" + "".join(f"{m[c]:>11.2f}" for c in cols))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.evaluate.dates", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="folders or files of TimeML .tml / MEANTIME .xml documents")
    parser.add_argument("--errors", type=int, default=0, help="print up to N dev-split errors")
    parser.add_argument("--group", type=int, default=0,
                        help="print the N most frequent dev-split error patterns (count, pattern, one example)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    rows: dict[str, dict[str, float]] = {}
    all_errors = []
    grand = {"all": Counts(), "dev": Counts(), "heldout": Counts()}
    for p in args.paths:
        docs = load_documents([p])
        if not docs:
            print(f"{p}: no TimeML/MEANTIME documents found", file=sys.stderr)
            continue
        totals, errors = evaluate(docs)
        all_errors.extend(errors)
        label = Path(p).name or str(p)
        n_docs = {part: sum(split_of(d.name) == part for d in docs) for part in ("dev", "heldout")}
        print(f"{label}: {len(docs)} documents ({n_docs['dev']} dev, {n_docs['heldout']} held out)")
        for part in ("all", "dev", "heldout"):
            rows[f"{label}/{part}"] = measures(totals[part])
            grand[part].add(totals[part])
    if not rows:
        return 2
    if len(args.paths) > 1:
        for part in ("all", "dev", "heldout"):
            rows[f"TOTAL/{part}"] = measures(grand[part])
    print(format_table(rows))
    for e in all_errors[: args.errors]:
        print("\t".join(e))
    for pattern, n, ex in group_errors(all_errors)[: args.group]:
        print(f"{n:>4}  {pattern:<45} e.g. {ex[2]!r} gold={ex[3]} sys={ex[4]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
