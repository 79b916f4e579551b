"""The report treats article text, titles, outlets, URLs, file names and metadata as untrusted.

The corpus (``corpus_factory.write_hostile``, inside the shared end-to-end run) carries payloads
that, if they ever ran, add an element ``<b id="pwned-N">`` and set ``document.title`` to
``pwned-N``; the id is assembled at run time (``'pwn'+'ed-N'``), so the literal ``pwned-`` only
appears in a page whose payload ran. nbconvert's own scripts (require.js, MathJax loaders) cannot
produce it, so they need no special casing. Each page is opened in headless Chromium and its DOM
dumped after a virtual-time budget; a positive control shows the same check catches the payloads
when they are not escaped. A grep for unescaped payload tags is the second check.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import corpus_factory as factory
from helpers.compare import present

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom"]
FIRED = re.compile(r"pwned-\d+")
# A real tag (not escaped text) carrying a payload, or a javascript: link.
UNESCAPED = (
    re.compile(r"<(?:img|svg|script|details|body|style|a|iframe)\b[^<>]*'pwn'\+'ed-", re.IGNORECASE),
    re.compile(r"<script>var e=document", re.IGNORECASE),
    re.compile(r"<a\b[^<>]*href\s*=\s*[\"']?\s*javascript:", re.IGNORECASE),
)

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium): browser check skipped")


def dump_dom(page: Path) -> str:
    """The DOM of ``page`` after its scripts ran (plus Chromium's console log on stderr)."""
    with tempfile.TemporaryDirectory(prefix="parallax-chromium-") as profile:
        done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", page.resolve().as_uri()],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "</html>" in done.stdout.lower(), "Chromium dumped no DOM"
    return done.stdout + "\n" + done.stderr


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    run = factory.end_to_end_run(tmp_path_factory.mktemp("e2e"))
    assert run["done"].returncode == 0, run["done"].stderr[-3000:]
    return run["out"]


def pages(report: Path) -> list[Path]:
    found = [report / "index.html", *sorted((report / "notebooks").glob("*.html"))]
    assert len(found) >= 2
    return found


def test_the_hostile_corpus_reached_the_report(report):
    """Guard against a vacuous pass: the payload text is in the pages, escaped."""
    combined = "".join(p.read_text(encoding="utf-8") for p in pages(report))
    assert "&lt;img src=x onerror=" in combined or "&lt;img src=x onerror" in combined
    assert "&lt;script&gt;" in combined


def test_no_payload_appears_unescaped_in_the_html(report):
    for page in pages(report):
        text = page.read_text(encoding="utf-8")
        for payload in factory.hostile_payloads():
            assert payload not in text, (page.name, payload)
        for pattern in UNESCAPED:
            match = pattern.search(text)
            assert match is None, (page.name, text[max(0, match.start() - 200):match.end() + 200])


def test_no_notebook_output_carries_live_markup(report):
    """Every executed notebook's outputs (HTML and Markdown) escape the corpus's strings."""
    for notebook in sorted((report / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                markup = "".join(data.get("text/html", "")) + "".join(data.get("text/markdown", ""))
                for pattern in UNESCAPED:
                    assert pattern.search(markup) is None, (notebook.name, markup[:500])
                assert "](javascript:" not in "".join(data.get("text/markdown", "")), notebook.name


@needs_chromium
def test_positive_control_the_browser_check_catches_unescaped_payloads(tmp_path):
    page = tmp_path / "control.html"
    body = "\n".join(f"<p>{p}</p>" for p in factory.hostile_payloads())
    page.write_text(f"<!DOCTYPE html><html><head><title>control</title></head><body>{body}</body></html>",
                    encoding="utf-8")
    fired = set(FIRED.findall(dump_dom(page)))
    # img onerror, script, svg onload, a script after a table break-out, an attribute break-out.
    assert {"pwned-0", "pwned-1", "pwned-2", "pwned-3", "pwned-5"} <= fired, fired
    escaped = tmp_path / "escaped.html"
    escaped.write_text(f"<!DOCTYPE html><html><body><p>{html.escape(body)}</p></body></html>", encoding="utf-8")
    assert not FIRED.search(dump_dom(escaped))


@needs_chromium
def test_no_corpus_script_runs_in_a_real_browser(report):
    for page in pages(report):
        dom = dump_dom(page)
        assert not FIRED.search(dom), (page.name, FIRED.findall(dom))


@needs_chromium
def test_the_front_page_shows_the_findings_in_a_browser(report):
    """index.html, as Chromium renders it, opens with the findings notebook: its question, the
    findings (or the sentence that there are none) and, below them, the report's contents."""
    dom = dump_dom(report / "index.html")
    assert "What differed between the outlets?" in dom
    assert '<ol class="findings">' in dom or "No difference passed the rules" in dom
    assert dom.index("What differed between the outlets?") < dom.index('id="report-contents"')


# --- issue 18: the pages load nothing from the network and carry a Content-Security-Policy ------

class _Refs(HTMLParser):
    """Every script / stylesheet / frame reference of a page, and its CSP meta contents."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.remote: list[str] = []
        self.csp: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            self.scripts.append(values.get("src", "(inline)"))
        if tag == "meta" and values.get("http-equiv", "").lower() == "content-security-policy":
            self.csp.append(values.get("content", ""))
        for name in ("src", "href"):
            if tag in {"script", "link", "iframe", "img", "embed", "object"} and re.match(
                    r"\s*(https?:)?//", values.get(name, ""), re.IGNORECASE):
                self.remote.append(f"<{tag} {name}={values[name]}>")


def check_offline(text: str) -> _Refs:
    refs = _Refs()
    refs.feed(text)
    assert refs.remote == [], refs.remote
    # The only script a page may hold is the interactive-tables script, inline, allowed by its hash.
    assert set(refs.scripts) <= {"(inline)"}, refs.scripts
    allowed = f"script-src {present.tables_script_hash()};"
    assert refs.csp and all(allowed in c and "default-src 'self'" in c and "unsafe-inline' ;" not in c
                            for c in refs.csp), refs.csp
    assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", text), "a stylesheet imported from a host"
    return refs


def test_a_notebook_page_loads_nothing_from_the_network(tmp_path):
    """A hand-made notebook with inline math in its text and a table output: its page has no
    script at all (no require.js, MathJax, mermaid), so "$5 and $6" in article text stays text."""
    import nbformat

    from helpers.run.report import notebook_html

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Prices\nThe council paid $5 million and $6 million, $x^2$."),
        nbformat.v4.new_code_cell("df", outputs=[nbformat.v4.new_output(
            "execute_result", data={"text/html": "<table><tr><td>$5 and $6</td></tr></table>",
                                    "text/plain": "table"}, execution_count=1)])])
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, str(path))
    page = notebook_html(path)
    check_offline(page)
    assert "$5 and $6" in page


def test_every_report_page_loads_nothing_from_the_network(report):
    for page in pages(report):
        try:
            check_offline(page.read_text(encoding="utf-8"))
        except AssertionError as exc:
            raise AssertionError(f"{page.name}: {exc}") from None


@needs_chromium
def test_long_tables_are_interactive_under_the_csp_and_a_cell_script_stays_inert(tmp_path):
    """A page as the report writes it: the CSP meta, the interactive-tables script once, a long
    table whose cells hold the hostile payloads, and an extra inline script the hash does not
    cover. DataTables enhances the table; neither the cells nor the extra script run."""
    import pandas as pd

    from helpers.run.report import content_security_policy

    payloads = factory.hostile_payloads()
    frame = pd.DataFrame({"outlet": [payloads[k % len(payloads)] for k in range(40)], "n": range(40)})
    table = present.for_people(frame, max_rows=10).to_html()
    script = present.interactive_tables().data
    page = tmp_path / "tables.html"
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
                    f'content="{content_security_policy()}"><title>t</title></head><body>{script}{table}'
                    "<script>document.body.setAttribute('data-ran', 'extra-' + 'script')</script></body></html>", encoding="utf-8")
    dom = dump_dom(page)
    assert 'class="dt-container' in dom, "DataTables did not enhance the table"
    assert not FIRED.search(dom), FIRED.findall(dom)
    assert "extra-script" not in dom, "an inline script the CSP hash does not cover ran"
    # Where scripts do not run, the table is whole and scrolls in its box.
    assert table.count("<tr") == 41 and "max-height" in table


def test_a_chart_in_a_notebook_page_carries_its_title_as_alt_text(tmp_path):
    """charts.save_figure displays a figure with its title as metadata; the page writes it as alt."""
    import nbformat

    from helpers.run.report import notebook_html

    title = 'Words per outlet <"Herald">'
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": title},
        metadata={"image/png": {"alt": title}})])])
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, str(path))
    page = notebook_html(path)
    alts: list[str] = []

    class Images(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "img":
                alts.append(dict(attrs).get("alt"))

    Images().feed(page)
    assert alts == [title] and "<\"Herald\">" not in page  # the alt is the title, escaped in the markup


def test_a_notebook_page_is_the_document_nbconvert_writes(tmp_path):
    """The page skips nbconvert's second parse of the whole page (BeautifulSoup), adding the same
    attributes itself: parsed, it is the document nbconvert's own HTMLExporter writes — narrative
    and outputs focusable, the default alt text on an image without one, one with alt kept."""
    import nbformat
    from bs4 import BeautifulSoup
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    from helpers.run.report import _OFFLINE_TEMPLATE, content_security_policy, notebook_html

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Who covered it\nThree of five outlets, <b>bold</b>."),
        nbformat.v4.new_code_cell("df", outputs=[
            nbformat.v4.new_output("execute_result", data={"text/html": "<table><tr><td>1</td></tr></table>",
                                                           "text/plain": "table"}, execution_count=1),
            nbformat.v4.new_output("stream", name="stdout", text="3 of 5\n"),
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "a chart"}),
            nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "b"},
                                   metadata={"image/png": {"alt": "Words per outlet"}})]),
        nbformat.v4.new_markdown_cell("![a picture](data:image/png;base64,iVBORw0KGgo=) and text.")])
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, str(path))
    exporter = HTMLExporter(template_name="lab", template_file="parallax.html.j2",
                            extra_loaders=[DictLoader({"parallax.html.j2": _OFFLINE_TEMPLATE})])
    exporter.exclude_input = exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    expected, _ = exporter.from_notebook_node(nbformat.read(str(path), as_version=4),
                                              resources={"parallax_csp": content_security_policy()})
    page = notebook_html(path)
    assert page.count('tabindex="0"') == expected.count('tabindex="0"') >= 4
    assert "No description has been provided for this image" in page
    assert str(BeautifulSoup(page, "html.parser")) == str(BeautifulSoup(expected, "html.parser"))
