"""End-to-end: the command line on a small corpus, a broken one, and fatal cases."""

import filecmp
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.run.command import parse_parameter
from helpers.run.report import RunError, UsageError, render_index, run
from helpers.run.tables import CSV_MAX_ROWS

from conftest import write_small_corpus


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", "run", "--quiet", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


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


def test_failing_notebook_names_notebook_and_cell_and_still_writes_the_report(tmp_path):
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
    assert (out / "index.html").is_file() and (out / "tables" / "articles.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["99-broken.ipynb", "out", "small"]


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


def test_index_says_which_tables_csv_copies_are_capped(tmp_path):
    (tmp_path / "tables").mkdir()
    for name in ("coverage_matrix", "articles"):
        (tmp_path / "tables" / f"{name}.csv").write_text("x\n")
    manifest = {"corpus": "/x/c", "metadata": "", "corpus_sha256": "0", "articles": 1, "inputs": 1, "skipped": 0,
                "sample": None, "seed": 0, "parameters": {}, "started": "", "finished": "", "versions": {},
                "command": "run", "capped_tables": {"coverage_matrix": 5_292_336}}
    page = render_index(manifest, [], tmp_path)
    assert f"the first {CSV_MAX_ROWS:,} of 5,292,336 rows" in page
    assert page.count("rows;") == 1  # articles.csv is whole


# --- issue 18: what --out may replace, failures that keep the report, unknown -p names ---------

def _notebook(path: Path, *sources: str, parameters: str = "corpus = ''\ntables_dir = ''") -> Path:
    """A hand-made notebook: a ``parameters`` cell (by default ``corpus``, ``tables_dir``), then ``sources``."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        *(nbformat.v4.new_code_cell(source) for source in sources)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, str(path))
    return path


def test_out_holding_someone_elses_files_is_refused_and_left_alone(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    out = tmp_path / "my-thesis"
    out.mkdir()
    (out / "chapter1.docx").write_text("two years of work", encoding="utf-8")
    (out / "run.json").write_text('{"name": "not a Parallax manifest"}', encoding="utf-8")
    done = _cli("--corpus", str(corpus), "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: --out") and done.stderr.strip().count("\n") == 0, done.stderr
    assert "Traceback" not in done.stderr and "refusing to replace" in done.stderr
    assert (out / "chapter1.docx").read_text(encoding="utf-8") == "two years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-thesis", "small"], "no staging left behind"


@pytest.mark.parametrize("where", ["corpus itself", "inside the corpus", "parent of the corpus", "holds the metadata"])
def test_out_that_is_or_holds_the_inputs_is_refused(tmp_path, where):
    corpus = write_small_corpus(tmp_path / "data" / "small")
    metadata = tmp_path / "meta" / "outlets.csv"
    metadata.parent.mkdir()
    metadata.write_text((corpus / "metadata.csv").read_text(encoding="utf-8"), encoding="utf-8")
    out = {"corpus itself": corpus, "inside the corpus": corpus / "report", "parent of the corpus": tmp_path / "data",
           "holds the metadata": metadata.parent}[where]
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with pytest.raises(UsageError, match=r"^--out .*(corpus|metadata)"):
        run(corpus=corpus, metadata=metadata, out=out, notebooks=[], progress=False)
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_out_may_be_new_empty_or_an_earlier_report_and_staging_removes_only_its_own(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    out = tmp_path / "report"
    out.mkdir()
    # A folder that happens to carry the name the old runner gave its staging folder is not ours.
    lookalike = tmp_path / f".report.partial-{os.getpid()}"
    lookalike.mkdir()
    (lookalike / "keep.txt").write_text("mine", encoding="utf-8")
    first = run(corpus=corpus, out=out, notebooks=[], progress=False)
    assert json.loads((out / "run.json").read_text())["corpus_sha256"]
    second = run(corpus=corpus, out=out, notebooks=[], progress=False)  # an earlier report is replaced
    assert first == second and second.is_file()
    assert (lookalike / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert out.stat().st_mode & 0o777 == lookalike.stat().st_mode & 0o777, "the report is as readable as a mkdir"
    assert sorted(p.name for p in tmp_path.iterdir()) == [lookalike.name, "report", "small"]


def test_a_failing_notebook_keeps_the_report_marks_it_and_exits_1(tmp_path, monkeypatch, capsys):
    from helpers.run import command
    from helpers.run import report

    corpus = write_small_corpus(tmp_path / "small")
    books = tmp_path / "books"
    books.mkdir()
    broken = _notebook(books / "01-broken.ipynb", "# A broken chart\nraise ValueError('broken on purpose')",
                       "print('the cell after the broken one ran')")
    good = _notebook(books / "02-good.ipynb", "print('fine')")
    monkeypatch.setattr(report, "list_notebooks", lambda folder=None: [broken, good])
    out = tmp_path / "out"
    assert command.main(["run", "--quiet", "--corpus", str(corpus), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and re.search(r"01-broken.ipynb failed in cell \d+ .*ValueError: broken on purpose", err)
    manifest = json.loads((out / "run.json").read_text())
    assert [(f["notebook"], f["error"]) for f in manifest["failed_notebooks"]] == [
        ("01-broken.ipynb", "ValueError: broken on purpose")]
    assert isinstance(manifest["failed_notebooks"][0]["cell"], int)
    index = (out / "index.html").read_text()
    assert "1 notebook(s) failed" in index and "01-broken.ipynb" in index and "broken on purpose" in index
    assert (out / "tables" / "articles.csv").is_file(), "the tables are kept"
    assert (out / "notebooks" / "02-good.html").is_file(), "the next notebook still ran"
    assert (out / "notebooks" / "01-broken.html").is_file(), "the failed notebook's page shows the error"
    assert "the cell after the broken one ran" in (out / "notebooks" / "01-broken.ipynb").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books", "out", "small"]


def test_a_mistyped_parameter_is_refused_before_any_work(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    done = _cli("--corpus", str(corpus), "--out", str(tmp_path / "out"), "-p", "fact_treshold", "0.5")
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip()
    assert line.count("\n") == 0 and "Traceback" not in line
    assert "-p fact_treshold (did you mean fact_threshold?)" in line and "valid names:" in line
    assert "event" in line.split("valid names:")[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small"], "nothing was written"


def test_notebook_parameters_are_parsed_not_run(tmp_path):
    from helpers.run.report import check_parameters, notebook_parameters

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("x = 1", metadata={}),
        nbformat.v4.new_code_cell("# a comment\nalpha = 0.5\nlimit: int = 3\nfirst, second = 'a', 'b'\n"
                                  "__import__('os').system('false')", metadata={"tags": ["parameters"]})])
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, str(path))
    assert notebook_parameters(path) == {"alpha", "limit", "first", "second"}
    check_parameters({"alpha": 1, "second": "x"}, [path])
    with pytest.raises(UsageError, match=r"-p alpah \(did you mean alpha\?\); valid names: alpha, first, limit, second"):
        check_parameters({"alpah": 1}, [path])


def test_failures_on_the_front_page_are_escaped():
    from helpers.run.report import render_failures

    block = render_failures({"failed_notebooks": [
        {"notebook": "07-x.ipynb", "cell": 3, "execution_count": 2, "error": "KeyError: '<img src=x onerror=alert(1)>'"}]})
    assert "<img src=x" not in block and "&lt;img src=x" in block and "cell 3 (In [2])" in block
    assert render_failures({"failed_notebooks": []}) == "" and render_failures({}) == ""


def test_each_notebook_gets_only_the_parameters_it_defines(tmp_path, capfd):
    """-p threshold reaches the notebook that defines it; the other one is not handed a name its
    parameters cell lacks (papermill printed "Passed unknown parameter" once per notebook)."""
    corpus = write_small_corpus(tmp_path / "small")
    uses = tmp_path / "01-uses.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("corpus = ''\ntables_dir = ''\nthreshold = 0.1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("assert threshold == 0.7, threshold")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, str(uses))
    other = _notebook(tmp_path / "02-other.ipynb", "assert 'threshold' not in dir()")
    run(corpus=corpus, out=tmp_path / "out", notebooks=[uses, other], parameters={"threshold": 0.7}, progress=False,
        cache=False)  # executed, never an earlier run's pages
    assert "unknown parameter" not in capfd.readouterr().err
    executed = (tmp_path / "out" / "notebooks" / "02-other.ipynb").read_text()
    assert "threshold" not in executed.split("assert 'threshold'")[0]


# --- issue 21: an unchanged run reuses each notebook's page rather than executing it again -----

def _counting_notebook(path: Path, log: Path, *more: str) -> Path:
    """A notebook that notes each execution in ``log``, reads the articles' table and saves a
    figure's data in ``figures_dir``: what each of the workbook's notebooks does, in small."""
    counts = ("from pathlib import Path\nimport pandas as pd\n"
              f"with open({str(log)!r}, 'a') as handle:\n    handle.write('executed\\n')\n"
              "rows = len(pd.read_parquet(Path(tables_dir) / 'articles.parquet'))\n"
              "Path(figures_dir).mkdir(parents=True, exist_ok=True)\n"
              "(Path(figures_dir) / '99-rows.csv').write_text(f'label,rows\\n{label},{rows}\\n')\n"
              "print(f'{rows} articles, label {label}')")
    return _notebook(path, counts, *more, parameters="corpus = ''\ntables_dir = ''\nfigures_dir = ''\nlabel = 'a'")


def test_an_unchanged_run_reuses_each_notebooks_page_and_figures(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    log = tmp_path / "executions.log"
    notebook = _counting_notebook(tmp_path / "99-count.ipynb", log)
    first = run(corpus=corpus, out=tmp_path / "one", notebooks=[notebook], cache_dir=tmp_path / "cache",
                progress=False).parent
    second = run(corpus=corpus, out=tmp_path / "two", notebooks=[notebook], cache_dir=tmp_path / "cache",
                 progress=False).parent
    assert log.read_text().splitlines() == ["executed"], "the second run did not execute the notebook"
    assert json.loads((first / "run.json").read_text())["reused_notebooks"] == []
    assert json.loads((second / "run.json").read_text())["reused_notebooks"] == ["99-count.ipynb"]
    for name in ("notebooks/99-count.html", "figures/99-rows.csv", "tables/articles.parquet", "tables/articles.csv"):
        assert filecmp.cmp(first / name, second / name, shallow=False), name
    kept = (second / "notebooks" / "99-count.ipynb").read_text()
    assert str(second / "tables") in kept and str(first) not in kept and "PLACEHOLDER" not in kept
    assert "articles, label a" in kept
    index = (second / "index.html").read_text()
    assert "notebooks reused" in index and "notebooks reused" not in (first / "index.html").read_text()


@pytest.mark.parametrize("change", ["the notebook", "a parameter", "the corpus", "no cache"])
def test_a_notebook_executes_again_when_what_it_shows_may_differ(tmp_path, change):
    corpus = write_small_corpus(tmp_path / "small")
    log = tmp_path / "executions.log"
    notebook = _counting_notebook(tmp_path / "99-count.ipynb", log)
    run(corpus=corpus, out=tmp_path / "one", notebooks=[notebook], cache_dir=tmp_path / "cache", progress=False)
    options = {"parameters": {}, "cache": True}
    if change == "the notebook":
        _counting_notebook(notebook, log, "print('one more cell')")
    elif change == "a parameter":
        options["parameters"] = {"label": "b"}
    elif change == "the corpus":
        source = next(p for p in sorted(corpus.iterdir()) if p.suffix in (".txt", ".html"))
        source.write_text(source.read_text(encoding="utf-8") + "\nOne more sentence for the record.\n",
                          encoding="utf-8")
    else:
        options["cache"] = False
    second = run(corpus=corpus, out=tmp_path / "two", notebooks=[notebook], cache_dir=tmp_path / "cache",
                 progress=False, **options).parent
    assert log.read_text().splitlines() == ["executed", "executed"]
    assert json.loads((second / "run.json").read_text())["reused_notebooks"] == []


def test_a_failed_notebook_is_never_reused(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    log = tmp_path / "executions.log"
    notebook = _counting_notebook(tmp_path / "99-count.ipynb", log, "raise ValueError('broken on purpose')")
    for out in ("one", "two"):
        with pytest.raises(RunError, match="broken on purpose"):
            run(corpus=corpus, out=tmp_path / out, notebooks=[notebook], cache_dir=tmp_path / "cache", progress=False)
    assert log.read_text().splitlines() == ["executed", "executed"]
    assert not (tmp_path / "cache" / "notebooks").exists() or not any((tmp_path / "cache" / "notebooks").iterdir())


def test_a_reused_page_that_names_the_report_folder_is_rendered_for_the_new_one(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    log = tmp_path / "executions.log"
    notebook = _counting_notebook(tmp_path / "99-count.ipynb", log, "print('tables in', tables_dir)")
    run(corpus=corpus, out=tmp_path / "one", notebooks=[notebook], cache_dir=tmp_path / "cache", progress=False)
    second = run(corpus=corpus, out=tmp_path / "two", notebooks=[notebook], cache_dir=tmp_path / "cache",
                 progress=False).parent
    assert log.read_text().splitlines() == ["executed"]
    page = (second / "notebooks" / "99-count.html").read_text()
    assert f"tables in {second / 'tables'}" in page and str(tmp_path / "one") not in page


@pytest.mark.parametrize("workers", [1, 2])
def test_notebooks_executed_at_once_give_the_report_of_one_after_the_other(tmp_path, workers):
    """Two notebooks, the first slower, both writing a figure file of the same name and one of
    their own: whatever finishes first, the later notebook's file wins (as executed in order),
    each notebook names the report's figures folder, no folder of its own is left, and each one
    kept in the cache holds its own files."""
    corpus = write_small_corpus(tmp_path / "small")
    write = ("from pathlib import Path\nimport time\ntime.sleep({pause})\n"
             "Path(figures_dir).mkdir(parents=True, exist_ok=True)\n"
             "(Path(figures_dir) / 'shared.csv').write_text('{name}')\n"
             "(Path(figures_dir) / '{name}.csv').write_text('{name}')\n"
             "print('figures in', figures_dir)")
    parameters = "corpus = ''\ntables_dir = ''\nfigures_dir = ''"
    first = _notebook(tmp_path / "01-slow.ipynb", write.format(pause=3, name="slow"), parameters=parameters)
    second = _notebook(tmp_path / "02-quick.ipynb", write.format(pause=0, name="quick"), parameters=parameters)
    out = run(corpus=corpus, out=tmp_path / "out", notebooks=[first, second], cache_dir=tmp_path / "cache",
              workers=workers, progress=False).parent
    figures = out / "figures"
    assert sorted(p.name for p in figures.iterdir()) == ["quick.csv", "shared.csv", "slow.csv"]
    assert (figures / "shared.csv").read_text() == "quick"
    assert sorted(p.name for p in out.iterdir()) == ["figures", "index.html", "notebooks", "run.json", "tables"]
    for name in ("01-slow", "02-quick"):
        executed = (out / "notebooks" / f"{name}.ipynb").read_text()
        assert f"figures in {figures}" in executed and ".figures-" not in executed
    entries = [p for p in (tmp_path / "cache" / "notebooks").iterdir() if p.is_dir()]
    kept = sorted(sorted(f.read_text() for f in (e / "figures").iterdir()) for e in entries)
    assert kept == [["quick", "quick"], ["slow", "slow"]]


def test_notebooks_still_execute_when_the_process_pool_breaks(tmp_path, monkeypatch):
    """A worker process killed (out of memory, say) breaks the pool: the notebooks not yet done are
    executed in this process, and the report is whole."""
    from helpers.run import engine, report

    real_map = engine.LocalEngine.map

    def broken(self, fn, tasks):
        if fn is not report.execute_notebook:  # the per-article and events' stages run as ever
            yield from real_map(self, fn, tasks)
            return
        raise RuntimeError("A process in the process pool was terminated abruptly")

    monkeypatch.setattr(engine.LocalEngine, "map", broken)
    corpus = write_small_corpus(tmp_path / "small")
    books = [_notebook(tmp_path / f"0{i}-book.ipynb", f"print('book {i}')") for i in (1, 2)]
    out = run(corpus=corpus, out=tmp_path / "out", notebooks=books, cache=False, workers=2, progress=False).parent
    assert json.loads((out / "run.json").read_text())["failed_notebooks"] == []
    for i in (1, 2):
        assert f"book {i}" in (out / "notebooks" / f"0{i}-book.ipynb").read_text()
