"""Broken corpora for tests: plain functions that write one kind of bad input into a folder.

Each ``write_*`` function takes a folder (created when missing), writes its files and returns an
``Expected``: for each input name (as ``load_report.input`` spells it) the status set it may have
and a fragment its reason must contain, plus ``inputs`` (how many load_report rows the folder
gives) and ``loaded`` (how many articles load), when the case knows them.
"""

from __future__ import annotations

import codecs
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

LOADED = frozenset({"loaded"})
WARNED = frozenset({"loaded_with_warning"})
LOADS = frozenset({"loaded", "loaded_with_warning"})
SKIPPED = frozenset({"skipped"})

ENGLISH = ("The defence ministers of the two countries spoke by phone on Tuesday and discussed "
           "regional security, officials said in a statement.")
URDU = ("پاکستان اور امریکا کے وزرائے دفاع نے منگل کو ٹیلی فون پر بات چیت کی اور علاقائی سلامتی "
        "پر تبادلہ خیال کیا۔ حکام نے بتایا کہ دونوں ممالک تعاون جاری رکھیں گے۔")
ARABIC = ("تحدث وزيرا دفاع البلدين عبر الهاتف يوم الثلاثاء وناقشا الأمن الإقليمي، "
          "بحسب ما أفاد مسؤولون في بيان رسمي صدر عن الوزارة.")


@dataclass
class Expected:
    """What loading a case must give: ``reports`` maps input → (allowed statuses, reason fragment)."""

    reports: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    inputs: int | None = None
    loaded: int | None = None

    def merge(self, other: "Expected") -> "Expected":
        self.reports.update(other.reports)
        self.inputs = None if self.inputs is None or other.inputs is None else self.inputs + other.inputs
        self.loaded = None if self.loaded is None or other.loaded is None else self.loaded + other.loaded
        return self


def _folder(folder: Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def article(n: int, words: int = 0) -> str:
    """A distinct English article (two paragraphs); ``words`` > 0 pads the second paragraph."""
    body = f"Story number {n}: {ENGLISH}\n\nThe talks, the {n}th this year, will continue next week, they said."
    if words:
        body += " " + " ".join(f"word{i % 97}" for i in range(words))
    return body


# --------------------------------------------------------------------------- one case each

def write_empty_and_whitespace(folder: Path) -> Expected:
    root = _folder(folder)
    (root / "empty.txt").write_bytes(b"")
    (root / "spaces.txt").write_text("   \n\n\t  \r\n \u00a0 \u3000\n", encoding="utf-8")
    (root / "crlf-only.txt").write_bytes(b"\r\n\r\n\r\r\n")
    (root / "spaces-utf16.txt").write_bytes("   \n\t \n".encode("utf-16"))
    (root / "marker-only.txt").write_text(" date 2021-08-10 \n\n  ", encoding="utf-8")
    (root / "ok.txt").write_text(article(1), encoding="utf-8")
    return Expected({
        "empty.txt": (SKIPPED, "empty file"),
        "spaces.txt": (SKIPPED, "only whitespace"),
        "crlf-only.txt": (SKIPPED, "only whitespace"),
        "spaces-utf16.txt": (SKIPPED, "only whitespace"),
        "marker-only.txt": (SKIPPED, "only a date marker"),
        "ok.txt": (LOADED, ""),
    }, inputs=6, loaded=1)


def write_binary_as_text(folder: Path) -> Expected:
    root = _folder(folder)
    rng = random.Random(7)
    (root / "random.txt").write_bytes(rng.randbytes(8192))
    (root / "png.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    (root / "elf.txt").write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 64 + rng.randbytes(2048))
    import gzip

    (root / "gzip.txt").write_bytes(gzip.compress(article(2).encode() * 20, mtime=0))
    (root / "ok.txt").write_text(article(1), encoding="utf-8")
    return Expected({
        "random.txt": (SKIPPED, "not text (binary content)"),
        "png.txt": (SKIPPED, "not text (binary content)"),
        "elf.txt": (SKIPPED, "not text (binary content)"),
        "gzip.txt": (SKIPPED, "not text (binary content)"),
        "ok.txt": (LOADED, ""),
    }, inputs=5, loaded=1)


def write_encodings(folder: Path) -> Expected:
    root = _folder(folder)
    text = "Café talks: the naïve minister said “we agreed” — officials (€5m deal) confirmed. 日本 🙂"
    whole = text.encode("utf-8")
    (root / "utf8.txt").write_bytes(whole)
    (root / "utf8-bom.txt").write_bytes(codecs.BOM_UTF8 + ("Second " + text).encode("utf-8"))
    (root / "truncated-utf8.txt").write_bytes(("Third " + text).encode("utf-8")[:-2])  # cut inside the emoji
    (root / "utf16-le-bom.txt").write_bytes(("Fourth " + text).encode("utf-16"))  # BOM + LE on this platform
    (root / "utf16-be-bom.txt").write_bytes(codecs.BOM_UTF16_BE + ("Fifth " + text).encode("utf-16-be"))
    (root / "utf16-le-nobom.txt").write_bytes(("Sixth " + text).encode("utf-16-le"))
    (root / "utf16-be-nobom.txt").write_bytes(("Seventh " + text).encode("utf-16-be"))
    (root / "utf16-odd-length.txt").write_bytes(("Eighth " + ENGLISH).encode("utf-16-le")[:-1])
    legacy = "Café talks: the naïve minister said “we agreed” – officials confirmed a €5m deal."
    (root / "cp1252.txt").write_bytes(legacy.encode("cp1252"))
    (root / "stray-bytes.txt").write_bytes(("Ninth " + text * 3).encode("utf-8").replace(b"Caf", b"C\xffaf", 1))
    return Expected({
        "utf8.txt": (LOADED, ""),
        "utf8-bom.txt": (LOADED, ""),
        "truncated-utf8.txt": (WARNED, "truncated UTF-8"),
        "utf16-le-bom.txt": (LOADED, ""),
        "utf16-be-bom.txt": (LOADED, ""),
        "utf16-le-nobom.txt": (LOADED, ""),
        "utf16-be-nobom.txt": (LOADED, ""),
        "utf16-odd-length.txt": (WARNED, "were replaced"),
        "cp1252.txt": (WARNED, "cp1252"),
        "stray-bytes.txt": (WARNED, "invalid UTF-8 byte"),
    }, inputs=10, loaded=10)


def write_mixed_newlines(folder: Path) -> Expected:
    root = _folder(folder)
    raw = "First paragraph line one.\r\nline two.\r\n\r\nSecond paragraph.\r\rThird paragraph.\n\nFourth.\r\n"
    (root / "newlines.txt").write_bytes(raw.encode("utf-8"))
    return Expected({"newlines.txt": (LOADED, "")}, inputs=1, loaded=1)


def write_big_article(folder: Path, megabytes: int = 20) -> Expected:
    root = _folder(folder)
    paragraph = (ENGLISH + " ") * 8
    count = megabytes * 1_000_000 // (len(paragraph) + 2) + 1
    with (root / "big.txt").open("w", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(f"{n} {paragraph}\n\n")
    return Expected({"big.txt": (LOADED, "")}, inputs=1, loaded=1)


def write_many_one_liners(folder: Path, count: int = 10_000) -> Expected:
    root = _folder(folder)
    for n in range(count):
        (root / f"a{n:05d}.txt").write_text(f"Council meeting {n} voted {n % 13} times on the budget, officials said.\n",
                                            encoding="utf-8")
    return Expected({f"a{n:05d}.txt": (LOADED, "") for n in (0, count // 2, count - 1)}, inputs=count, loaded=count)


def write_duplicates(folder: Path) -> Expected:
    root = _folder(folder)
    (root / "sub").mkdir(exist_ok=True)
    (root / "a-original.txt").write_text(article(3), encoding="utf-8")
    (root / "b-copy.txt").write_text(article(3), encoding="utf-8")
    (root / "c-respaced.txt").write_text("  " + article(3).upper().replace(" ", "   ") + "\n\n", encoding="utf-8")
    (root / "sub" / "a-original.txt").write_text(article(3), encoding="utf-8")  # same stem, other folder
    (root / "d-copy.json").write_text(json.dumps({"text": article(3), "title": "x"}), encoding="utf-8")
    near = article(3).replace("Tuesday", "Wednesday")
    (root / "e-near.txt").write_text(near, encoding="utf-8")
    (root / "f-near.txt").write_text(article(3) + " One more sentence.", encoding="utf-8")
    return Expected({
        "a-original.txt": (LOADED, ""),
        "b-copy.txt": (SKIPPED, "a-original.txt): same text"),
        "c-respaced.txt": (SKIPPED, "a-original.txt): same text"),
        "sub/a-original.txt": (SKIPPED, "a-original.txt): same text"),
        "d-copy.json": (SKIPPED, "a-original.txt): same text"),
        "e-near.txt": (LOADED, ""),
        "f-near.txt": (LOADED, ""),
    }, inputs=7, loaded=3)


def write_other_scripts(folder: Path) -> Expected:
    root = _folder(folder)
    (root / "urdu.txt").write_text(URDU + "\n\n" + URDU.replace("منگل", "بدھ"), encoding="utf-8")
    (root / "arabic.txt").write_text(ARABIC + "\n\n" + ARABIC.replace("الثلاثاء", "الأربعاء"), encoding="utf-8")
    (root / "english.txt").write_text(article(4), encoding="utf-8")
    # Loading alone does not know the language: build_tables adds the warning (see the test).
    return Expected({"urdu.txt": (LOADED, ""), "arabic.txt": (LOADED, ""), "english.txt": (LOADED, "")},
                    inputs=3, loaded=3)


HTML_PAGE = """<!DOCTYPE html><html><head><title>Ministers talk security</title>
<style>body {{ color: red }} .ad {{ display: none }} p::after {{ content: "STYLE-LEAK" }}</style>
<script>var leaked = "SCRIPT-LEAK"; document.write("SCRIPT-LEAK");</script>
<meta property="og:site_name" content="Example Times"></head>
<body><nav>Home | World | SCRIPT-FREE-NAV</nav>
<article><h1>Ministers talk security</h1>
<p>{p1}</p><script>alert("SCRIPT-LEAK")</script><p>{p2}</p>
<noscript>NOSCRIPT-LEAK enable JavaScript</noscript></article>
<footer>Copyright footer</footer></body></html>"""


def write_html_pages(folder: Path) -> Expected:
    root = _folder(folder)
    p1 = ENGLISH + " " + ENGLISH.replace("Tuesday", "Monday")
    p2 = "Both sides agreed to meet again in September, a spokesman for the ministry told reporters in the capital."
    (root / "page.html").write_text(HTML_PAGE.format(p1=p1, p2=p2), encoding="utf-8")
    (root / "scripts-only.html").write_text(
        "<html><head><script>alert(1)</script><style>p{color:red}</style></head><body><script>x()</script></body></html>",
        encoding="utf-8")
    (root / "not-html.htm").write_bytes(random.Random(3).randbytes(4096))
    return Expected({
        "page.html": (LOADS, ""),
        "scripts-only.html": (SKIPPED, "no article text"),
        "not-html.htm": (SKIPPED, "binary"),
    }, inputs=3, loaded=1)


def write_csv_files(folder: Path) -> Expected:
    root = _folder(folder)
    (root / "quoted.csv").write_text(
        'text,title,outlet\n'
        '"First article, with a comma\nand a quoted newline.",One,Daily A\n'
        '"Second article said ""hello"" to all.",Two,Daily B\n', encoding="utf-8")
    (root / "broken.csv").write_text(
        'text,title\n'
        'Good article number one here.,One\n'
        'An article with,too,many,fields,Two\n'
        '\n'
        'Good article number three here.,Three\n'
        '"An unclosed quote runs on,Four\n'
        'and swallows this line.,Five\n', encoding="utf-8")
    (root / "semicolons.csv").write_text("text;title\nA semicolon article body.;S1\nAnother semicolon one.;S2\n",
                                         encoding="utf-8")
    (root / "wrongdelim.tsv").write_text("text,title\nComma article in a tab file.,T\n", encoding="utf-8")
    (root / "header-only.csv").write_text("text,title,outlet\n", encoding="utf-8")
    (root / "no-text-column.csv").write_text("headline,outlet\nJust a headline,Daily\n", encoding="utf-8")
    return Expected({
        "quoted.csv#row=0": (LOADED, ""),
        "quoted.csv#row=1": (LOADED, ""),
        "broken.csv#row=0": (LOADED, ""),
        "broken.csv#row=1": (SKIPPED, "fields"),
        "broken.csv#row=2": (SKIPPED, "blank CSV row"),
        "broken.csv#row=3": (LOADED, ""),
        "broken.csv#row=4": (SKIPPED, "not closed"),
        "semicolons.csv#row=0": (LOADED, ""),
        "semicolons.csv#row=1": (LOADED, ""),
        "wrongdelim.tsv#row=0": (LOADED, ""),
        "header-only.csv": (SKIPPED, "no article rows"),
        "no-text-column.csv#row=0": (SKIPPED, "no text column"),
    }, inputs=12, loaded=7)


def write_jsonl_and_json(folder: Path) -> Expected:
    root = _folder(folder)
    (root / "rows.jsonl").write_text(
        json.dumps({"text": article(10), "title": "A"}) + "\n"
        + '{"text": "cut off in the mid\n'
        + "\n"
        + json.dumps([1, 2]) + "\n"
        + json.dumps({"text": article(11), "title": "B"}) + "\n", encoding="utf-8")
    (root / "bad.json").write_text("{not json", encoding="utf-8")
    (root / "list.json").write_text(json.dumps([{"text": "a"}, {"text": "b"}]), encoding="utf-8")
    (root / "one.json").write_text(json.dumps({"content": article(12), "headline": "C"}), encoding="utf-8")
    (root / "broken.parquet").write_bytes(b"PAR1 this is not parquet")
    return Expected({
        "rows.jsonl#line=1": (LOADED, ""),
        "rows.jsonl#line=2": (SKIPPED, "not valid JSON"),
        "rows.jsonl#line=4": (SKIPPED, "not an object"),
        "rows.jsonl#line=5": (LOADED, ""),
        "bad.json": (SKIPPED, "not valid JSON"),
        "list.json": (SKIPPED, "list of 2 items"),
        "one.json": (LOADED, ""),
        "broken.parquet": (SKIPPED, "not a readable Parquet file"),
    }, inputs=8, loaded=3)


def write_metadata_escapes(folder: Path, outside: Path) -> Expected:
    """Metadata rows naming missing files, files outside the corpus (``../..``, absolute, symlinks
    out of the folder), a folder, and the same file twice; symlinks and hidden entries on disk."""
    root = _folder(folder)
    outside = _folder(outside)
    (outside / "secret.txt").write_text("SECRET text outside the corpus, officials said.", encoding="utf-8")
    (root / "sub").mkdir(exist_ok=True)
    (root / "a.txt").write_text(article(20), encoding="utf-8")
    (root / "sub" / "b.txt").write_text(article(21), encoding="utf-8")
    (root / "c.txt").write_text(article(22), encoding="utf-8")  # no metadata row
    os.symlink(outside / "secret.txt", root / "link-out.txt")
    os.symlink(outside, root / "dir-out")
    os.symlink(root / "a.txt", root / "link-in.txt")
    (root / ".hidden.txt").write_text(article(23), encoding="utf-8")
    (root / ".ipynb_checkpoints").mkdir(exist_ok=True)
    (root / ".ipynb_checkpoints" / "a-checkpoint.txt").write_text(article(20), encoding="utf-8")
    os.mkfifo(root / "pipe.txt")
    (root / "metadata.csv").write_text(
        "file,outlet,title\n"
        "a.txt,Outlet A,Title A\n"
        "./a.txt,Outlet A again,Again\n"
        "sub/b.txt,Outlet B,Title B\n"
        "missing.txt,Nobody,Missing\n"
        "../../etc/passwd,Escape,Up\n"
        f"{outside / 'secret.txt'},Absolute,Abs\n"
        "link-out.txt,Link,Link\n"
        "dir-out/secret.txt,Through dir link,Dir\n"
        "sub,A folder,Folder\n"
        ",No file,None\n", encoding="utf-8")
    m = "metadata.csv#row="
    return Expected({
        "a.txt": (LOADED, ""),
        "sub/b.txt": (LOADED, ""),
        "c.txt": (WARNED, "no metadata row"),
        "link-out.txt": (SKIPPED, "outside the corpus"),
        "dir-out/": (SKIPPED, "outside the corpus"),
        "link-in.txt": (SKIPPED, "duplicate of a (a.txt): same text"),
        ".hidden.txt": (SKIPPED, "hidden file"),
        ".ipynb_checkpoints/": (SKIPPED, "hidden folder"),
        "pipe.txt": (SKIPPED, "not a regular file"),
        f"{m}1 (file './a.txt')": (SKIPPED, "duplicate metadata row"),
        f"{m}3 (file 'missing.txt')": (SKIPPED, "without a file"),
        f"{m}4 (file '../../etc/passwd')": (SKIPPED, "outside the corpus"),
        f"{m}5 (file '{outside / 'secret.txt'}')": (SKIPPED, "outside the corpus"),
        f"{m}6 (file 'link-out.txt')": (SKIPPED, "outside the corpus"),
        f"{m}7 (file 'dir-out/secret.txt')": (SKIPPED, "outside the corpus"),
        f"{m}8 (file 'sub')": (SKIPPED, "folder"),
        f"{m}9 (file '')": (SKIPPED, "without a file name"),
    }, inputs=9 + 8, loaded=3)


def write_hostile(folder: Path, *, metadata: bool = True, prefix: str = "") -> tuple[Expected, list[str]]:
    """Articles, titles, outlets, URLs, file names and metadata built to run as code if not escaped.

    Every payload, when it runs, adds an element whose id is ``pwned-<n>`` assembled at run time
    (``'pwn'+'ed-'``), so that literal never appears in a page unless a payload ran. Returns the
    expectations and the metadata rows (``file`` prefixed with ``prefix``); writes ``metadata.csv``
    in ``folder`` when ``metadata`` is true.
    """
    root = _folder(folder)
    payloads = hostile_payloads()
    names = [f"h{n}.txt" for n in range(len(payloads))]
    names[0] = f"<img src=x onerror=\"{marker_js(90)}\">.txt"  # a hostile file name (in the load report)
    for n, (name, payload) in enumerate(zip(names, payloads)):
        (root / name).write_text(
            f"WASHINGTON: Officials from the two countries met on Tuesday and said {payload} the talks went well.\n\n"
            f"Also read: {payload}\n\n"
            f"The minister, quoted by reporters, said “{payload}” before leaving for Islamabad on {n + 1} August.\n",
            encoding="utf-8")
    rows = []
    for n, name in enumerate(names):
        payload = payloads[n]
        rows.append(",".join(_csv_cell(v) for v in (
            prefix + name, f"Outlet {n} {payload}", f"Title {n} {payload}", f"javascript:{marker_js(50 + n)}",
            f"PK{payload}", f"2021-08-1{n % 9}", f"[click me](javascript:{marker_js(70 + n)}) <b>{payload}</b>")))
    if metadata:
        (root / "metadata.csv").write_text(HOSTILE_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return Expected({prefix + name: (LOADED, "") for name in names}, inputs=len(names), loaded=len(names)), rows


HOSTILE_HEADER = "file,outlet,title,url,country,published,note"


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def marker_js(n: int) -> str:
    """JavaScript that adds ``<b id="pwned-n">`` when it runs; the id is assembled at run time."""
    return (f"var e=document.createElement('b');e.id='pwn'+'ed-{n}';"
            f"(document.body||document.documentElement).appendChild(e);document.title='pwn'+'ed-{n}';")


def hostile_payloads() -> list[str]:
    """HTML/JS injection attempts; each runs :func:`marker_js` with its own number if interpreted."""
    return [
        f"<img src=x onerror=\"{marker_js(0)}\">",
        f"<script>{marker_js(1)}</script>",
        f"<svg onload=\"{marker_js(2)}\"></svg>",
        f"</td></tr></table></div><script>{marker_js(3)}</script>",
        f"<details open ontoggle=\"{marker_js(4)}\">x</details>",
        f"\"><img src=x onerror=\"{marker_js(5)}\">",
        f"<a href=\"javascript:{marker_js(6)}\">click</a> [md](javascript:{marker_js(16)})",
        f"<style>@import 'x.css';</style><body onload=\"{marker_js(7)}\">",
    ]


ALL_CASES = {
    "empty_and_whitespace": write_empty_and_whitespace,
    "binary_as_text": write_binary_as_text,
    "encodings": write_encodings,
    "mixed_newlines": write_mixed_newlines,
    "duplicates": write_duplicates,
    "other_scripts": write_other_scripts,
    "html_pages": write_html_pages,
    "csv_files": write_csv_files,
    "jsonl_and_json": write_jsonl_and_json,
}


def write_everything(folder: Path, outside: Path) -> Expected:
    """The broken corpus of the end-to-end run: the metadata escapes at the top, every light case
    in its own subfolder (input names prefixed with it), and the hostile articles in ``hostile/``
    with their metadata rows in the top-level ``metadata.csv``.

    Duplicates and metadata warnings are judged corpus-wide here, so ``reports`` keep their
    reason fragments but the test only holds statuses strictly for skipped inputs.
    """
    root = _folder(folder)
    expected = write_metadata_escapes(root, outside)
    for name, writer in ALL_CASES.items():
        sub = writer(root / name)
        expected.merge(Expected({f"{name}/{k}": v for k, v in sub.reports.items()}, sub.inputs, None))
    hostile, rows = write_hostile(root / "hostile", metadata=False, prefix="hostile/")
    expected.merge(Expected(hostile.reports, hostile.inputs, None))
    import csv
    import io

    escapes = list(csv.reader(io.StringIO((root / "metadata.csv").read_text(encoding="utf-8"))))
    width = len(HOSTILE_HEADER.split(","))
    padded = [",".join(_csv_cell(v) for v in row + [""] * (width - len(row))) for row in escapes[1:]]
    (root / "metadata.csv").write_text("\n".join([HOSTILE_HEADER, *padded, *rows]) + "\n", encoding="utf-8")
    expected.loaded = None
    return expected


# --------------------------------------------------------------------------- one shared end-to-end run

_RUN: dict[str, object] = {}


def end_to_end_run(base: Path) -> dict[str, object]:
    """Run ``python -m helpers run --quiet`` once per test session on :func:`write_everything`'s
    corpus (broken and hostile at once) and return ``corpus``, ``out``, ``expected``, ``done``.
    Both the broken-corpus and the report-safety tests read this one run: each run executes every
    notebook, so it is done once."""
    if not _RUN:
        import subprocess
        import sys

        corpus = Path(base) / "broken"
        expected = write_everything(corpus, Path(base) / "outside")
        out = Path(base) / "report"
        done = subprocess.run([sys.executable, "-m", "helpers", "run", "--quiet", "--corpus", str(corpus),
                               "--out", str(out)], capture_output=True, text=True, timeout=1800)
        _RUN.update(corpus=corpus, out=out, expected=expected, done=done)
    return _RUN
