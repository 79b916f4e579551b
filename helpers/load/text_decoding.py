"""Turn the bytes of an input file into text, saying how, or why not.

Takes bytes; gives text with the encoding used (``articles.encoding``), or why it cannot be read.

UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when the NUL pattern shows it),
and legacy single-byte encodings (detected with charset-normalizer) are decoded; binary files
and files with no text are refused with a reason a person understands.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


@dataclass(frozen=True)
class Decoded:
    """``text`` (newlines normalised to ``\\n``), the ``encoding`` used, ``warnings`` for the
    load report, and ``problem``: a non-empty reason when the bytes are not usable text."""

    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)
    problem: str = ""


def _utf16_without_bom(data: bytes) -> str | None:
    # An odd length is a UTF-16 file cut by one byte: judge the pairs, the last byte is replaced.
    data = data[: len(data) - len(data) % 2]
    if len(data) < 4:
        return None
    even_nuls = data[0::2].count(0) / (len(data) / 2)
    odd_nuls = data[1::2].count(0) / (len(data) / 2)
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data``; never raises. See :class:`Decoded`."""
    if not data:
        return Decoded("", "", problem="empty file")
    warnings: list[str] = []
    encoding = ""
    text: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data) or ""
    if encoding:
        text = data.decode(encoding, errors="replace")
        if "\ufffd" in text:
            warnings.append(f"some bytes were not valid {encoding} and were replaced")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding, note = _decode_non_utf8(data, exc)
            if note:
                warnings.append(note)
    if _looks_binary(text):
        return Decoded("", encoding, problem="not text (binary content)")
    text = normalize_newlines(text.lstrip("\ufeff"))
    if "\x00" in text:
        text = text.replace("\x00", "")
        warnings.append("NUL characters removed")
    if not text.strip():
        return Decoded("", encoding, problem="only whitespace")
    return Decoded(text, encoding, warnings)


def _decode_non_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[str, str, str]:
    # A file cut in the middle of a multi-byte character is UTF-8 with a damaged tail.
    if exc.start >= len(data) - 3 and exc.reason in {"unexpected end of data", "invalid continuation byte"}:
        try:
            text = data[: exc.start].decode("utf-8")
            return text + "\ufffd", "utf-8", "truncated UTF-8 at the end of the file (last character replaced)"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        return data.decode("utf-8", errors="replace"), "utf-8", ""
    invalid = _count_invalid_utf8(data)
    multibyte_ok = _count_valid_multibyte(data)
    if multibyte_ok > 0 and invalid <= max(2, multibyte_ok // 20):
        return (data.decode("utf-8", errors="replace"), "utf-8",
                f"{invalid} invalid UTF-8 byte(s) replaced")
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    names = [m.encoding.replace("_", "-") for m in matches if m.encoding and not m.encoding.startswith("utf_8")]
    # cp1252 is the commonest legacy encoding of English news text: prefer it whenever it is a plausible reading.
    if "cp1252" in names:
        names = ["cp1252"] + [n for n in names if n != "cp1252"]
    for name in names:
        if name == "ascii":
            continue
        try:
            return data.decode(name), name, f"not UTF-8: decoded as {name}"
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1252", errors="replace"), "cp1252", "not UTF-8: decoded as cp1252 (guessed)"


def _count_invalid_utf8(data: bytes) -> int:
    """Invalid UTF-8 sequences in ``data`` (each replaced by one U+FFFD when decoding).

    One linear pass: U+FFFD characters produced by ``errors="replace"`` minus those the bytes
    already held as valid UTF-8 (``EF BF BD``: a lead byte, never swallowed by an invalid run).
    """
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")


def _count_valid_multibyte(data: bytes) -> int:
    """Non-ASCII characters in the valid UTF-8 parts of ``data`` (one linear pass in C)."""
    text = data.decode("utf-8", errors="ignore")
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) in _CONTROL)
    replaced = sample.count("\ufffd")
    return controls / len(sample) > 0.05 or replaced / len(sample) > 0.2
