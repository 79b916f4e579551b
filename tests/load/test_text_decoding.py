import codecs

import pytest

from helpers.load.text_decoding import decode_bytes, normalize_newlines

TEXT = "Pakistan’s army chief spoke with the US defence secretary – twice."


@pytest.mark.parametrize(
    "data, encoding, has_warning",
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", False),
        (TEXT.encode("utf-16"), "utf-16", False),
        (TEXT.encode("utf-16-le"), "utf-16-le", False),
        (TEXT.encode("utf-16-be"), "utf-16-be", False),
        ("Café owners said the naïve plan failed – badly.".encode("cp1252"), "cp1252", True),
    ],
)
def test_decodes_known_encodings(data, encoding, has_warning):
    decoded = decode_bytes(data)
    assert decoded.problem == ""
    assert decoded.encoding == encoding
    assert bool(decoded.warnings) == has_warning
    assert "Pakistan" in decoded.text or "Café" in decoded.text


def test_truncated_utf8_is_decoded_with_a_warning():
    data = "The call lasted – minutes".encode("utf-8")
    cut = data[: data.index("–".encode("utf-8")) + 1]  # stops inside the 3-byte dash
    decoded = decode_bytes(cut)
    assert decoded.problem == ""
    assert decoded.text.startswith("The call lasted")
    assert any("truncated" in w for w in decoded.warnings)


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "empty file"),
        (b"   \n\t \r\n", "only whitespace"),
        (bytes(range(256)) * 20, "not text (binary content)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "not text (binary content)"),
    ],
)
def test_refuses_what_is_not_text(data, problem):
    assert decode_bytes(data).problem == problem


def test_newlines_are_normalised():
    assert normalize_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert decode_bytes(b"one\r\ntwo\rthree").text == "one\ntwo\nthree"
