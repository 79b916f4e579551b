"""Read any news corpus into one raw-articles table and a load report.

Takes a folder or a .csv/.tsv/.jsonl/.parquet file (and a metadata CSV); gives the raw
articles (``RAW_COLUMNS``) and the ``load_report`` (``REPORT_COLUMNS``), in a :class:`LoadResult`.

Supported inputs:

* a folder (read recursively) of ``.txt`` files (optional leading `` date YYYY-MM-DD``
  marker), saved ``.html`` pages, ``.json`` files holding one article each, and tabular
  files (``.csv``, ``.tsv``, ``.jsonl``, ``.parquet``) holding one article per row;
* one tabular file.

Every input (file, or row of a tabular file) gets exactly one row in ``load_report``:
``loaded``, ``loaded_with_warning`` or ``skipped``, with a reason a person understands.
Fatal problems (no corpus, unreadable metadata, nothing loadable) raise
:class:`CorpusError`, whose message is one line naming the path and the cause.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from helpers.chunked import take_from_chunks
from helpers.load import text_decoding
from helpers.load.fields import (
    date_from_url, DATE_MARKER, normalize_date, normalize_outlets, numeric_date_order, outlet_from_url,
    _valid_date)
from helpers.schema import RAW_COLUMNS, REPORT_COLUMNS

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
TABULAR_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".parquet"}
METADATA_NAMES = {"metadata.csv"}

# Common column names in news exports (Media Cloud, Article-Bias-Prediction, BASIL, scrapers).
COLUMN_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "content_original", "body", "body-paragraphs", "body_paragraphs", "article", "story"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "media_name", "publisher", "site_name", "sitename"),
    "published": ("published", "publish_date", "date", "publication_date", "pub_date", "published_at"),
    "url": ("url", "link", "source_url"),
    "id": ("id", "ID", "stories_id", "uuid", "article_id"),
    "event": ("event", "event_id", "triplet-uuid", "triplet_uuid", "story_cluster"),
    "country": ("country", "media_country"),
}

# An article longer than the csv module's default 128 KiB field limit is still one article.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


class CorpusError(Exception):
    """A fatal problem with the corpus as a whole; the message is one line naming the cause."""


@dataclass
class LoadResult:
    """What :func:`load_corpus` returns.

    ``raw_articles`` has :data:`RAW_COLUMNS` plus metadata extras; ``load_report`` has
    :data:`REPORT_COLUMNS`, one row per input file or row.
    """

    raw_articles: pd.DataFrame
    load_report: pd.DataFrame
    corpus_name: str = ""


class _TextStore:
    """The loaded articles' texts, apart from their records: appended as Python strings and packed
    into Arrow arrays every :attr:`PACK` texts, so that a large corpus's text is held once, compactly,
    while it is read — not as Python strings beside the table then built from them (37,547 articles,
    0.22 GB of text: the load's peak 1.18 GB with Python strings, 0.84 GB packed)."""

    PACK = 2048

    def __init__(self) -> None:
        self._packed: list[pa.Array] = []
        self._pending: list[str] = []
        self._count = 0

    def add(self, text: str) -> int:
        """Keep ``text``; returns its position (0, 1, … in the order added)."""
        self._pending.append(text)
        self._count += 1
        if len(self._pending) >= self.PACK:
            self._pack()
        return self._count - 1

    def _pack(self) -> None:
        if self._pending:
            self._packed.append(pa.array(self._pending, type=pa.large_string()))
            self._pending = []

    def take(self, positions: Iterable[int]) -> pa.ChunkedArray:
        """The texts at ``positions``, in that order (:func:`helpers.chunked.take_from_chunks`: the
        packed texts and the taken ones, never a third copy)."""
        self._pack()
        return take_from_chunks(self._packed or [pa.array([], type=pa.large_string())], positions,
                                slice_rows=self.PACK)


@dataclass
class _Collector:
    records: list[dict[str, Any]] = field(default_factory=list)
    report: list[dict[str, Any]] = field(default_factory=list)
    texts: _TextStore = field(default_factory=_TextStore)

    def skip(self, input_name: str, reason: str, *, encoding: str = "") -> None:
        self.report.append({"input": input_name, "status": "skipped", "reason": reason,
                            "article_id": "", "encoding": encoding})

    def add(self, record: dict[str, Any], input_name: str, warnings: list[str]) -> None:
        entry = {
            "input": input_name,
            "status": "loaded_with_warning" if warnings else "loaded",
            "reason": "; ".join(warnings),
            "article_id": record["article_id"],
            "encoding": record.get("encoding", ""),
        }
        record["_report"] = entry  # the record's own load_report row, updated by later steps
        text = record.pop("raw_text")
        record["_content_key"] = _content_key(text)  # what duplicates are found by
        record["_text"] = self.texts.add(text)
        self.records.append(record)
        self.report.append(entry)


# --------------------------------------------------------------------------- dates

# --------------------------------------------------------------------------- columns

def detect_columns(columns: Iterable[str], overrides: dict[str, str | None] | None = None) -> dict[str, str | None]:
    """Map each role in :data:`COLUMN_CANDIDATES` to a column name (or None).

    Explicit ``overrides`` win; otherwise the first candidate present (case-insensitive).
    """
    present = list(columns)
    lower = {c.lower(): c for c in present}
    found: dict[str, str | None] = {}
    for role, candidates in COLUMN_CANDIDATES.items():
        chosen = (overrides or {}).get(role)
        if chosen:
            found[role] = chosen
            continue
        found[role] = next((lower[c.lower()] for c in candidates if c.lower() in lower), None)
    return found


def _clean_id(value: Any) -> str:
    text = re.sub(r"[^\w.-]+", "_", str(value).strip()).strip("_")
    return text[:120]


def _body_text(value: Any) -> str:
    """Article body from a cell: a string, or nested lists of paragraphs/sentences (BASIL)."""
    if value is None:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    if isinstance(value, (list, tuple, np.ndarray)):
        paragraphs = []
        for item in value:
            if isinstance(item, (list, tuple, np.ndarray)):
                paragraphs.append(" ".join(str(s).strip() for s in item if str(s).strip()))
            elif item is not None and str(item).strip():
                paragraphs.append(str(item).strip())
        return "\n\n".join(p for p in paragraphs if p)
    return str(value)


def _cell(row: dict[str, Any], column: str | None) -> str:
    if not column or column not in row:
        return ""
    value = row[column]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


# --------------------------------------------------------------------------- readers

def _record(article_id: str, source_file: str, raw_text: str, **fields: Any) -> dict[str, Any]:
    record = {column: "" for column in RAW_COLUMNS}
    record.update(article_id=article_id, source_file=source_file, raw_text=raw_text)
    record.update({k: ("" if v is None else v) for k, v in fields.items()})
    return record


def _decode_or_skip(path: Path, rel: str, out: _Collector) -> text_decoding.Decoded | None:
    """The file's text, or None after recording why it is not usable text."""
    decoded = text_decoding.decode_bytes(path.read_bytes())
    if decoded.problem:
        out.skip(rel, decoded.problem, encoding=decoded.encoding)
        return None
    return decoded


def _read_text_file(path: Path, rel: str, article_id: str, out: _Collector) -> None:
    decoded = _decode_or_skip(path, rel, out)
    if decoded is None:
        return
    text = decoded.text
    warnings = list(decoded.warnings)
    published, source = "", "none"
    marker = DATE_MARKER.match(text)
    if marker:
        published = _valid_date(*map(int, marker.group(1).split("-")))
        if published:
            source = "marker"
        else:
            warnings.append(f"date marker {marker.group(1)!r} is not a real date")
        text = text[marker.end():]
        if not text.strip():
            out.skip(rel, "only a date marker, no article text", encoding=decoded.encoding)
            return
    out.add(_record(article_id, rel, text, published=published, published_source=source,
                    encoding=decoded.encoding), rel, warnings)


def _read_html_file(path: Path, rel: str, article_id: str, out: _Collector) -> None:
    decoded = _decode_or_skip(path, rel, out)
    if decoded is None:
        return
    import trafilatura
    from htmldate import find_date

    html = decoded.text
    body = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True) or ""
    if not body.strip():
        out.skip(rel, "HTML page with no article text found", encoding=decoded.encoding)
        return
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta and meta.title else "") or ""
    url = (meta.url if meta and meta.url else "") or ""
    outlet = (meta.sitename if meta and meta.sitename else "") or ""
    try:
        published = normalize_date(find_date(html, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"))
    except Exception:  # htmldate raises on odd markup; a missing date is reported, not fatal
        published = ""
    warnings = list(decoded.warnings)
    out.add(_record(article_id, rel, body, title=title, url=url, outlet=outlet, published=published,
                    published_source="html" if published else "none", encoding=decoded.encoding), rel, warnings)


def _read_json_file(path: Path, rel: str, article_id: str, out: _Collector, overrides: dict[str, str | None]) -> None:
    decoded = _decode_or_skip(path, rel, out)
    if decoded is None:
        return
    try:
        obj = json.loads(decoded.text)
    except (ValueError, RecursionError) as exc:
        out.skip(rel, f"not valid JSON ({json_problem(exc)})", encoding=decoded.encoding)
        return
    if isinstance(obj, list):
        if len(obj) == 1 and isinstance(obj[0], dict):
            obj = obj[0]
        else:
            out.skip(rel, f"JSON file holds a list of {len(obj)} items, not one article (use .jsonl for many)",
                     encoding=decoded.encoding)
            return
    if not isinstance(obj, dict):
        out.skip(rel, "JSON file does not hold an article object", encoding=decoded.encoding)
        return
    _add_row(obj, detect_columns(obj.keys(), overrides), rel, article_id, out, decoded.encoding,
             list(decoded.warnings), id_from_row=False, overrides=overrides)


def json_problem(exc: Exception, *, line: bool = True) -> str:
    """Why ``json.loads`` refused a text, in words: a syntax error with its place (``line`` N or
    only the column, for one JSONL line), nesting too deep to read (RecursionError), or a value
    Python will not read, such as an integer of more than 4,300 digits (another ValueError)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}: {exc.msg}" if line else f"{exc.msg}; column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def _column_list(row: dict[str, Any], limit: int = 30) -> str:
    """The row's column names, comma-separated (the first ``limit``), for a reason."""
    names = [str(k) for k in row]
    return ", ".join(names[:limit]) + (f", … ({len(names)} in all)" if len(names) > limit else "") or "none"


def _add_row(row: dict[str, Any], columns: dict[str, str | None], input_name: str, fallback_id: str,
             out: _Collector, encoding: str, warnings: list[str], *, id_from_row: bool = True,
             id_prefix: str = "", overrides: dict[str, str | None] | None = None) -> None:
    text_column = columns["text"]
    if not text_column or text_column not in row:
        # Name what was missing and what the input holds: a mistyped --text-column must not read as
        # "no text column found … pass --text-column" when it was passed.
        held = _column_list(row)
        if text_column:
            origin = " (from --text-column)" if (overrides or {}).get("text") == text_column else ""
            reason = f"text column {text_column!r}{origin} is not in this input (its columns: {held})"
        else:
            reason = ("no text column found (looked for: " + ", ".join(COLUMN_CANDIDATES["text"])
                      + f"; its columns: {held}; pass --text-column)")
        out.skip(input_name, reason, encoding=encoding)
        return
    text = _body_text(row[text_column])
    if not text.strip():
        out.skip(input_name, f"empty text in column {text_column!r}", encoding=encoding)
        return
    article_id = fallback_id
    if id_from_row and columns["id"] and _cell(row, columns["id"]):
        article_id = _clean_id(_cell(row, columns["id"])) or fallback_id
        if id_prefix:
            article_id = f"{id_prefix}-{article_id}"
    url = _cell(row, columns["url"])
    raw_date = _cell(row, columns["published"])
    published = normalize_date(raw_date)
    ambiguous = numeric_date_order(raw_date) == "ambiguous"
    warnings = list(warnings)
    for role, chosen in sorted((overrides or {}).items()):
        if chosen and role != "text" and chosen not in row:
            warnings.append(f"{role} column {chosen!r} (from --{role}-column) is not in this input "
                            f"(its columns: {_column_list(row)})")
    if raw_date and not published and not ambiguous:  # ambiguous ones are settled by _settle_dates
        warnings.append(f"unparseable date {raw_date[:40]!r} in column {columns['published']!r}")
    extras = {k: _scalar_text(v) for k, v in row.items()
              if k not in {c for c in columns.values() if c} and isinstance(v, (str, int, float, bool))}
    record = _record(
        article_id, input_name, text,
        title=_cell(row, columns["title"]), outlet=_cell(row, columns["outlet"]), url=url,
        country=_cell(row, columns["country"]), event=_cell(row, columns["event"]),
        published=published, published_source="column" if published else "none", encoding=encoding,
    )
    for key, value in extras.items():
        record.setdefault(_extra_name(key), value)
    if numeric_date_order(raw_date):
        # Dates of one column follow one convention: kept for :func:`_settle_dates`.
        where = input_name.split("#", 1)[0] if "#" in input_name else "the JSON files"
        record["_numeric_date"] = (f"column {columns['published']!r} of {where}", raw_date, "column")
    out.add(record, input_name, warnings)


# Names the pipeline's own article columns use; a metadata column of the same name is kept as meta_<name>.
RESERVED_COLUMNS = set(RAW_COLUMNS) | {"text", "body_start", "word_count", "dateline", "language", "file"}


def _extra_name(key: str) -> str:
    name = re.sub(r"\W+", "_", str(key)).strip("_").lower() or "extra"
    return f"meta_{name}" if name in RESERVED_COLUMNS else name


def _scalar_text(value: Any) -> str:
    if isinstance(value, float):
        return "" if np.isnan(value) else (str(int(value)) if value.is_integer() else repr(value))
    return str(value)


def _iter_table_rows(path: Path, rel: str, out: _Collector) -> Iterator[tuple[str, dict[str, Any], str, list[str]]]:
    """Yield (input name, row dict, encoding, warnings) for each row of a tabular file.

    Rows that cannot be parsed are reported as skipped here.
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            parquet = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several types for a broken file
            raise _UnreadableFile(f"not a readable Parquet file ({type(exc).__name__}: {str(exc)[:120]})")
        row_number = 0
        for batch in parquet.iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                yield f"{rel}#row={row_number}", row, "parquet", []
                row_number += 1
        return
    decoded = text_decoding.decode_bytes(path.read_bytes())
    if decoded.problem:
        raise _UnreadableFile(decoded.problem)
    if suffix in {".jsonl", ".ndjson"}:
        for number, line in enumerate(decoded.text.splitlines(), start=1):
            if not line.strip():
                continue
            name = f"{rel}#line={number}"
            try:
                row = json.loads(line)
            except (ValueError, RecursionError) as exc:
                out.skip(name, f"not valid JSON ({json_problem(exc, line=False)})", encoding=decoded.encoding)
                continue
            if not isinstance(row, dict):
                out.skip(name, "JSON line is not an object", encoding=decoded.encoding)
                continue
            yield name, row, decoded.encoding, list(decoded.warnings)
        return
    yield from _iter_csv_rows(decoded.text, rel, suffix, decoded.encoding, decoded.warnings, out)


def _iter_csv_rows(text: str, rel: str, suffix: str, encoding: str, warnings: list[str],
                   out: _Collector) -> Iterator[tuple[str, dict[str, Any], str, list[str]]]:
    sample = text[:65536]
    delimiter = "\t" if suffix == ".tsv" else ","
    try:
        sniffed = csv.Sniffer().sniff(sample.split("\n", 20)[0] if sample else sample, delimiters=",;\t|")
        delimiter = sniffed.delimiter
    except csv.Error:
        pass
    # Physical lines, so that reading can resume on the line after a row whose quote is never
    # closed (the csv module would otherwise swallow every later row into that one field).
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])

    def reader_from(first: int):
        return csv.reader((lines[i] for i in range(first, len(lines))), delimiter=delimiter)

    reader, base = reader_from(0), 0
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise _UnreadableFile(f"CSV header cannot be read ({exc})")
    header = [h.strip() for h in header]
    row_number = 0
    while True:
        name = f"{rel}#row={row_number}"
        first_line = base + reader.line_num  # 0-based index of the row's first physical line
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            out.skip(name, f"CSV row cannot be parsed ({exc})", encoding=encoding)
            row_number += 1
            resume = max(base + reader.line_num, first_line + 1)
            reader, base = reader_from(resume), resume
            continue
        row_number += 1
        last_line = base + reader.line_num
        if not any(v.strip() for v in values):
            out.skip(name, "blank CSV row", encoding=encoding)
            continue
        if len(values) != len(header):
            if last_line - first_line > 1:
                # Not silent: the reason names every physical line the unclosed quote swallowed.
                out.skip(name, f"CSV row has {len(values)} fields, header has {len(header)}: a quote opened "
                               f"on line {first_line + 1} is not closed properly, so lines {first_line + 1}"
                               f"–{last_line} were read as this one row (broken quoting)", encoding=encoding)
                continue
            out.skip(name, f"CSV row has {len(values)} fields, header has {len(header)} "
                           f"(broken quoting or wrong delimiter {delimiter!r}?)", encoding=encoding)
            continue
        yield name, dict(zip(header, values)), encoding, list(warnings)


class _UnreadableFile(Exception):
    pass


def _read_table_file(path: Path, rel: str, stem_id: str, out: _Collector,
                     overrides: dict[str, str | None], prefix_ids: bool) -> None:
    columns: dict[str, str | None] | None = None
    before = len(out.report)
    try:
        for name, row, encoding, warnings in _iter_table_rows(path, rel, out):
            if columns is None:
                columns = detect_columns(row.keys(), overrides)
            # The fallback id is the input's own row (or line) number, so it never shifts when an
            # earlier row is skipped.
            unit, position = name.rsplit("#", 1)[-1].split("=", 1)
            fallback = f"{stem_id}-{unit}{position}" if prefix_ids else f"{unit}{position}"
            _add_row(row, columns, name, fallback, out, encoding, warnings,
                     id_prefix=stem_id if prefix_ids else "", overrides=overrides)
    except _UnreadableFile as exc:
        out.skip(rel, str(exc))
        return
    if len(out.report) == before:
        out.skip(rel, "table file with no article rows (only a header, or nothing but blank lines)")


# --------------------------------------------------------------------------- folders and metadata

def _inside(root: Path, candidate: Path) -> bool:
    try:
        candidate.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _list_files(root: Path, out: _Collector, exclude: set[Path]) -> list[Path]:
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        kept_dirs = []
        for name in sorted(dirnames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix() + "/"
            if path.is_symlink():
                where = "inside" if _inside(root, path) else "outside"
                out.skip(rel, f"symbolic link to a folder {where} the corpus folder (not followed)")
            elif name.startswith("."):
                out.skip(rel, "hidden folder (not read)")
            else:
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.resolve() in exclude:
                continue
            if name.startswith("."):
                out.skip(rel, "hidden file (not read)")
                continue
            if path.is_symlink() and not _inside(root, path):
                out.skip(rel, "symbolic link to a file outside the corpus folder (refused)")
                continue
            if not path.is_file():
                out.skip(rel, "not a regular file")
                continue
            files.append(path)
    return files


def read_metadata(path: Path) -> pd.DataFrame:
    """Read a metadata CSV (one row per file, joined on its ``file`` column).

    Raises CorpusError (one line naming the path) when it cannot be read or has no ``file`` column.
    """
    try:
        decoded = text_decoding.decode_bytes(path.read_bytes())
    except OSError as exc:
        raise CorpusError(f"metadata file {path}: cannot be read ({exc.strerror or exc})") from None
    if decoded.problem:
        raise CorpusError(f"metadata file {path}: {decoded.problem}")
    try:
        frame = pd.read_csv(io.StringIO(decoded.text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as exc:
        raise CorpusError(f"metadata file {path}: not a readable CSV ({str(exc).splitlines()[0]})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if "file" not in frame.columns:
        raise CorpusError(f"metadata file {path}: no 'file' column (columns: {', '.join(frame.columns)})")
    return frame


def _metadata_index(metadata: pd.DataFrame, root: Path, out: _Collector) -> dict[str, dict[str, str]]:
    """Map corpus-relative file path → metadata row; refuse rows that point outside the corpus."""
    index: dict[str, dict[str, str]] = {}
    for number, row in enumerate(metadata.to_dict("records")):
        name = str(row.get("file", "")).strip()
        label = f"metadata.csv#row={number} (file {name!r})"
        if not name:
            out.skip(label, "metadata row without a file name")
            continue
        candidate = Path(name)
        if candidate.is_absolute() or ".." in candidate.parts:
            out.skip(label, "metadata names a file outside the corpus folder (refused)")
            continue
        target = root / candidate
        if target.is_symlink() or not _inside(root, target):
            if not _inside(root, target):
                out.skip(label, "metadata names a file outside the corpus folder (refused)")
                continue
        key = candidate.as_posix()
        if key in index:
            out.skip(label, f"duplicate metadata row for {key} (the first row is used)")
            continue
        if not target.exists():
            out.skip(label, f"metadata row without a file: {key} is not in the corpus")
            continue
        if target.is_dir():
            out.skip(label, f"metadata row names a folder, not a file: {key}")
            continue
        index[key] = row
    return index


def _apply_metadata(record: dict[str, Any], row: dict[str, str]) -> list[str]:
    warnings: list[str] = []
    for key, value in row.items():
        if key == "file":
            continue
        value = "" if value is None else str(value).strip()
        if key == "published":
            if value:
                parsed = normalize_date(value)
                if numeric_date_order(value):
                    record["_numeric_date"] = ("the metadata's 'published' column", value, "metadata")
                if parsed:
                    record["published"], record["published_source"] = parsed, "metadata"
                elif numeric_date_order(value) != "ambiguous":  # settled by _settle_dates
                    warnings.append(f"unparseable published date {value[:40]!r} in metadata")
        elif key in {"outlet", "country", "url", "title", "event"}:
            if value:
                record[key] = value
        else:
            record[_extra_name(key)] = value
    return warnings


# --------------------------------------------------------------------------- entry point

def load_corpus(
    path: str | os.PathLike[str],
    *,
    metadata: str | os.PathLike[str] | None = None,
    columns: dict[str, str | None] | None = None,
    sample: int | None = None,
    seed: int = 0,
    dayfirst: bool | None = None,
) -> LoadResult:
    """Load a folder or a tabular file of articles.

    Parameters: ``path`` (folder or .csv/.tsv/.jsonl/.parquet file); ``metadata`` (CSV joined on
    ``file``; default: ``metadata.csv`` in the folder when present); ``columns`` (role → column
    overrides: text, title, outlet, published, url, id, event, country); ``sample``/``seed``
    (a seeded random draw of N loaded articles; the others are reported as not drawn);
    ``dayfirst`` (how to read an ambiguous numeric date such as ``11/08/2021``: True day first,
    False month first, None from the other dates of its column or else left empty; see
    :func:`_settle_dates`).

    Returns a :class:`LoadResult`. Raw articles are sorted by ``article_id`` and carry
    :data:`RAW_COLUMNS` plus metadata extras; exact duplicate texts after the first are skipped
    and reported as duplicates of the first.
    """
    root = Path(path)
    if not root.exists():
        raise CorpusError(f"corpus {root}: no such file or folder")
    corpus_name = root.stem if root.is_file() else root.resolve().name
    overrides = columns or {}
    out = _Collector()
    metadata_path = Path(metadata) if metadata else None
    refused_metadata: Path | None = None
    if metadata_path is None and root.is_dir():
        default = next((root / n for n in sorted(METADATA_NAMES) if (root / n).is_file()), None)
        # The same rule as the files metadata names: a metadata.csv found in the corpus folder is
        # read only when it really is inside it (a symlink out of the folder is refused and
        # listed; an explicit --metadata is the user's own choice and is read wherever it is).
        if default is not None and not _inside(root, default):
            refused_metadata, default = default, None
        metadata_path = default
    if metadata_path is not None and not metadata_path.exists():
        raise CorpusError(f"metadata file {metadata_path}: no such file")

    if root.is_file():
        if root.suffix.lower() not in TABULAR_SUFFIXES:
            raise CorpusError(f"corpus {root}: a single file must be .csv, .tsv, .jsonl or .parquet")
        _read_table_file(root, root.name, _clean_id(root.stem), out, overrides, prefix_ids=False)
        meta_index: dict[str, dict[str, str]] = {}
    else:
        exclude = {metadata_path.resolve()} if metadata_path else set()
        meta_index = _metadata_index(read_metadata(metadata_path), root, out) if metadata_path else {}
        if refused_metadata is not None:
            out.skip(refused_metadata.name, "metadata file is a symbolic link to a file outside the corpus folder "
                                            "(refused; pass --metadata to use it)")
            exclude.add(refused_metadata.resolve())
        files = _list_files(root, out, exclude)
        stems: dict[str, int] = {}
        for f in files:
            stems[_clean_id(f.stem)] = stems.get(_clean_id(f.stem), 0) + 1
        for f in files:
            rel = f.relative_to(root).as_posix()
            stem = _clean_id(f.stem)
            article_id = stem if stems[stem] == 1 else _clean_id(rel.rsplit(".", 1)[0].replace("/", "__"))
            _read_one_file(f, rel, article_id, out, overrides, prefix_ids=len(files) > 1)
        if metadata_path is not None:
            _join_metadata(out, meta_index)

    if not out.records:
        if not out.report:
            raise CorpusError(f"corpus {root}: no article files found")
        reasons = sorted({r["reason"] for r in out.report})[:3]
        raise CorpusError(f"corpus {root}: nothing loadable ({len(out.report)} inputs skipped: {'; '.join(reasons)})")

    # what the Parquet reader decoded is garbage now; Arrow's allocator keeps it unless asked
    pa.default_memory_pool().release_unused()
    for record in out.records:
        record["outlet_raw"] = record["outlet"]  # as read, before a domain fills a missing one
    _settle_dates(out, dayfirst)
    _finish_records(out, corpus_name)
    _deduplicate(out)
    normalize_outlets(out.records)
    if sample is not None:
        _draw_sample(out, sample, seed)
    # The table is sorted without its text, which is then taken once, in the sorted order, from the
    # packed texts: the raw text is never copied by the sort, nor held as Python strings.
    raw = pd.DataFrame([{k: v for k, v in r.items() if k not in _RECORD_ONLY} for r in out.records])
    raw["_text"] = [r["_text"] for r in out.records]
    raw = raw.sort_values("article_id", kind="stable").reset_index(drop=True)
    raw["raw_text"] = pd.array(out.texts.take(raw.pop("_text")), dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    del out.texts  # the packed texts go before the table is finished
    extra_columns = sorted(c for c in raw.columns if c not in RAW_COLUMNS)
    raw = raw[RAW_COLUMNS + extra_columns]
    for column in extra_columns:
        raw[column] = raw[column].fillna("").astype(str)
    report = pd.DataFrame(out.report, columns=REPORT_COLUMNS)
    report = report.sort_values(["input"], kind="stable").reset_index(drop=True)
    return LoadResult(raw_articles=raw, load_report=report, corpus_name=corpus_name)


def _read_one_file(path: Path, rel: str, article_id: str, out: _Collector,
                   overrides: dict[str, str | None], *, prefix_ids: bool) -> None:
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size == 0:
            out.skip(rel, "empty file")
            return
        if suffix in TEXT_SUFFIXES:
            _read_text_file(path, rel, article_id, out)
        elif suffix in HTML_SUFFIXES:
            _read_html_file(path, rel, article_id, out)
        elif suffix in JSON_SUFFIXES:
            _read_json_file(path, rel, article_id, out, overrides)
        elif suffix in TABULAR_SUFFIXES:
            _read_table_file(path, rel, article_id, out, overrides, prefix_ids=prefix_ids)
        else:
            out.skip(rel, f"not an article format ({suffix or 'no extension'}; "
                          "expected .txt, .html, .json, .csv, .tsv, .jsonl or .parquet)")
    except OSError as exc:
        out.skip(rel, f"cannot be read ({exc.strerror or exc})")


def _join_metadata(out: _Collector, meta_index: dict[str, dict[str, str]]) -> None:
    for record in out.records:
        key = record["source_file"].split("#", 1)[0]
        row = meta_index.get(key)
        entry = record["_report"]
        warnings = [entry["reason"]] if entry["reason"] else []
        if row is None:
            warnings.append("no metadata row")
        else:
            warnings.extend(_apply_metadata(record, row))
        entry["reason"] = "; ".join(w for w in warnings if w)
        entry["status"] = "loaded_with_warning" if entry["reason"] else "loaded"


def _settle_dates(out: _Collector, dayfirst: bool | None) -> None:
    """Read the ambiguous numeric dates (``11/08/2021``) of the loaded records.

    ``dayfirst`` given: every ambiguous date is read that way. Otherwise the column decides when
    it can: the dates of one column (one file's column, the JSON files' column, the metadata's
    ``published``) follow one convention, so a column whose unambiguous numeric dates are all
    day-first (``25/08/2021``) — or all month-first (``08/25/2021``) — has its ambiguous ones
    read the same way, with a warning naming an example. A column with no such evidence, or
    with both kinds, leaves its ambiguous dates empty, with a warning saying why and what to pass.
    """
    evidence: dict[str, dict[str, str]] = {}
    for record in out.records:
        found = record.get("_numeric_date")
        if found:
            order = numeric_date_order(found[1])
            if order in {"day-first", "month-first"}:
                evidence.setdefault(found[0], {}).setdefault(order, found[1])
    for record in out.records:
        found = record.pop("_numeric_date", None)
        if not found or numeric_date_order(found[1]) != "ambiguous":
            continue
        column, text, source = found
        readings = f"day-first {normalize_date(text, dayfirst=True)} or month-first {normalize_date(text, dayfirst=False)}"
        seen = evidence.get(column, {})
        note = ""
        if dayfirst is not None:
            chosen = dayfirst
        elif len(seen) == 1:
            order, example = next(iter(seen.items()))
            chosen = order == "day-first"
            note = (f"ambiguous date {text[:40]!r} read {order} as {normalize_date(text, dayfirst=chosen)}, like "
                    f"the other dates of {column} (e.g. {example[:40]!r})")
        else:
            chosen = None
            why = "has dates written both ways" if len(seen) == 2 else "has no date that tells"
            note = (f"ambiguous date {text[:40]!r} ({readings}) left empty: {column} {why}; "
                    "pass --dayfirst or --monthfirst")
        if chosen is not None:
            record["published"], record["published_source"] = normalize_date(text, dayfirst=chosen), source
        entry = record["_report"]
        if note:
            entry["reason"] = "; ".join(x for x in (entry["reason"], note) if x)
            entry["status"] = "loaded_with_warning"


def _finish_records(out: _Collector, corpus_name: str) -> None:
    seen: dict[str, int] = {}
    for record in out.records:
        entry = record["_report"]
        if not record["event"]:
            record["event"] = corpus_name
        if not record["published"]:
            from_url = date_from_url(record["url"])
            if from_url:
                record["published"], record["published_source"] = from_url, "url"
            else:
                record["published_source"] = "none"
        if not record["outlet"] and record["url"]:
            record["outlet"] = outlet_from_url(record["url"])
        base = record["article_id"]
        if base in seen:
            seen[base] += 1
            record["article_id"] = f"{base}-{seen[base]}"
            entry["article_id"] = record["article_id"]
            note = f"id {base!r} is used by an earlier input; renamed {record['article_id']!r}"
            entry["reason"] = "; ".join(x for x in (entry["reason"], note) if x)
            entry["status"] = "loaded_with_warning"
        else:
            seen[base] = 1


# A record's own bookkeeping (its load_report row, its text's position and content key), not columns.
_RECORD_ONLY = {"_report", "_text", "_content_key"}


def _content_key(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).lower().encode("utf-8")).hexdigest()


def _deduplicate(out: _Collector) -> None:
    first: dict[str, dict[str, Any]] = {}
    keep: list[dict[str, Any]] = []
    for record in out.records:
        key = record["_content_key"]
        if key in first:
            original = first[key]
            record["_report"].update(
                status="skipped", article_id="",
                reason=f"duplicate of {original['article_id']} ({original['source_file']}): same text")
            continue
        first[key] = record
        keep.append(record)
    out.records = keep


def _draw_sample(out: _Collector, n: int, seed: int) -> None:
    if n < 0:
        raise CorpusError(f"--sample must be a positive number of articles, not {n}")
    if n >= len(out.records):
        return
    ids = sorted(r["article_id"] for r in out.records)
    chosen = set(np.random.default_rng(seed).choice(len(ids), size=n, replace=False).tolist())
    keep_ids = {ids[i] for i in chosen}
    for record in out.records:
        if record["article_id"] not in keep_ids:
            record["_report"].update(status="skipped", article_id="",
                                     reason=f"not drawn in the random sample of {n} (seed {seed})")
    out.records = [r for r in out.records if r["article_id"] in keep_ids]
