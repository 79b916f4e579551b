"""End-to-end: the command line on a small corpus, a broken one, and fatal cases."""

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.__main__ import parse_parameter
from helpers.report import RunError, render_index, run

from conftest import write_small_corpus


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", "run", "--quiet", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


def test_run_on_a_small_corpus_writes_the_whole_report(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    (corpus / "empty.txt").write_bytes(b"")
    out = tmp_path / "report"
    done = _cli("--corpus", str(corpus), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert (out / "index.html").is_file() and (out / "run.json").is_file()
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["engine"] == "local" and manifest["cache"] != "off"
    assert "load" in manifest["seconds"], "where the time went is recorded"
    for name in ("articles", "load_report", "cleaning", "embeds", "sentences", "entities"):
        assert (out / "tables" / f"{name}.csv").is_file()
    report = pd.read_csv(out / "tables" / "load_report.csv", keep_default_na=False)
    assert dict(zip(report["input"], report["status"]))["empty.txt"] == "skipped"
    assert len(report) == 4
    executed = sorted((out / "notebooks").glob("*.ipynb"))
    assert executed and all(p.with_suffix(".html").is_file() for p in executed)
    assert sorted((out / "figures").glob("*.png")) and sorted((out / "figures").glob("*.csv"))
    # Nothing else was written beside the report (staging folders are renamed or removed).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report", "small"]
    assert str(tmp_path / ".report") not in (out / "notebooks" / executed[0].name).read_text()


def test_fatal_problems_exit_non_zero_with_one_line(tmp_path):
    done = _cli("--corpus", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no such file or folder" in done.stderr
    assert not (tmp_path / "out").exists()


def test_parameters_are_data_never_code(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    marker = tmp_path / "pwned"
    done = _cli("--corpus", str(corpus), "--out", str(tmp_path / "out"),
                "-p", "event", f"__import__('os').system('touch {marker}')")
    assert done.returncode == 2 and "not in the corpus" in done.stderr
    assert not marker.exists()


@pytest.mark.parametrize(
    "value, parsed",
    [("3", 3), ("-2", -2), ("0.5", 0.5), ("true", True), ("False", False), ("seeds", "seeds"),
     ("1e5x", "1e5x"), ("__import__('os')", "__import__('os')"), ("", "")],
)
def test_parse_parameter(value, parsed):
    assert parse_parameter(value) == parsed and type(parse_parameter(value)) is type(parsed)


def test_failing_notebook_names_notebook_and_cell_and_leaves_no_report(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("corpus = ''", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("raise ValueError('broken on purpose')"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "99-broken.ipynb"
    nbformat.write(notebook, str(path))
    out = tmp_path / "out"
    with pytest.raises(RunError, match=r"99-broken.ipynb failed in cell \d+ .*ValueError: broken on purpose"):
        run(corpus=corpus, out=out, notebooks=[path], progress=False)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["99-broken.ipynb", "small"]


def test_same_input_gives_byte_identical_tables(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    first = run(corpus=corpus, out=tmp_path / "one", notebooks=[], progress=False).parent
    second = run(corpus=corpus, out=tmp_path / "two", notebooks=[], progress=False).parent
    names = sorted(p.name for p in (first / "tables").iterdir())
    assert names == sorted(p.name for p in (second / "tables").iterdir()) and names
    match, mismatch, errors = filecmp.cmpfiles(first / "tables", second / "tables", names, shallow=False)
    assert mismatch == [] and errors == []
    # a cold run without the cache, on a pool of two processes in batches of one, writes the same bytes
    cold = run(corpus=corpus, out=tmp_path / "three", notebooks=[], progress=False, cache=False, workers=2,
               batch_size=1, cache_dir=tmp_path / "unused").parent
    match, mismatch, errors = filecmp.cmpfiles(first / "tables", cold / "tables", names, shallow=False)
    assert mismatch == [] and errors == []
    assert not (tmp_path / "unused").exists(), "--no-cache reads and writes no cache"
    assert str(tmp_path) not in (first / "tables" / "articles.csv").read_text()


def test_index_escapes_untrusted_text():
    manifest = {"corpus": "/x/<script>alert(1)</script>", "metadata": "", "corpus_sha256": "0", "articles": 1,
                "inputs": 1, "skipped": 0, "sample": None, "seed": 0,
                "parameters": {"event": "<img src=x onerror=alert(1)>"}, "started": "", "finished": "",
                "versions": {"pandas": "x"}, "command": "run"}
    page = render_index(manifest, [("01-x.ipynb", "<b>t</b>")], Path("/nonexistent"))
    assert "<img src=x" not in page and "<script>alert" not in page and "&lt;img src=x" in page
