"""What a notebook calls first: tables read from the runner's folder, or computed (cached) from the corpus."""

import pandas as pd
import pytest

from helpers.run import pipeline, workbook
from helpers.run.tables import write_tables

from conftest import write_small_corpus


def test_tables_are_read_from_the_runners_folder_when_there(tmp_path):
    tables = {"articles": pd.DataFrame({"article_id": ["a"], "event": ["e"]})}
    write_tables(tables, tmp_path / "tables")
    got = workbook.open_tables(tables_dir=str(tmp_path / "tables"))
    assert list(got) == ["articles"] and got["articles"]["article_id"].tolist() == ["a"]


def test_without_tables_they_are_computed_as_the_runner_computes_them(tmp_path, monkeypatch, capsys):
    corpus = write_small_corpus(tmp_path / "small")
    monkeypatch.setattr("helpers.run.report.default_cache_dir", lambda: tmp_path / "cache")
    got = workbook.open_tables(corpus=str(corpus))
    expected = pipeline.compute(corpus, cache_dir=None, workers=1)
    for name in expected:
        pd.testing.assert_frame_equal(got[name], expected[name], obj=name)
    assert (tmp_path / "cache" / "annotate" / "index.parquet").is_file(), "computed through the cache"
    assert "article" in capsys.readouterr().err, "with a progress bar"


def test_an_unknown_event_is_refused():
    tables = {"articles": pd.DataFrame({"article_id": ["a"], "event": ["e"]})}
    with pytest.raises(ValueError, match="not in the corpus"):
        workbook.select_event(tables, "other")


def test_default_figures_never_go_into_a_report_the_runner_wrote():
    """A notebook run with default parameters (JupyterLab, papermill, nbval) saves its charts in a
    scratch folder, not in ``reports/<corpus>/figures`` where the runner's report lives."""
    from helpers.run.paths import REPORTS_DIR, SCRATCH_DIR, default_out_dir

    for corpus in ("", "/data/exports/city-council-2030", "/data/exports/council.csv"):
        folder = workbook.figures_folder("", corpus)
        report = default_out_dir(corpus or None)
        assert not folder.startswith(str(report) + "/") and folder != str(report)
        assert folder.startswith(str(SCRATCH_DIR) + "/") and SCRATCH_DIR.parent == REPORTS_DIR
    assert workbook.figures_folder("/tmp/x/figures", "") == "/tmp/x/figures", "the runner's folder wins"


def _two_event_tables() -> dict[str, pd.DataFrame]:
    return {"articles": pd.DataFrame({"article_id": ["a", "b", "c"], "event": ["quake", "quake", "flood"]}),
            "sentences": pd.DataFrame({"article_id": ["a", "c", "b"], "sent_id": [0, 0, 0]}),
            "coverage_matrix": pd.DataFrame({"fact_id": ["F1"], "outlet": ["O"], "status": ["absent"]}),
            "findings": pd.DataFrame({"finding_id": ["F1"], "event": ["flood"]})}


@pytest.mark.parametrize("event", ["", "quake"])
def test_a_notebook_reads_only_the_tables_it_names_and_its_event(tmp_path, event):
    """From the runner's folder: the named tables only, one event's rows when asked; a named table the
    run did not write (stage_failures) is left out, as reading them all would leave it out."""
    tables = _two_event_tables()
    write_tables(tables, tmp_path)
    names = ("articles", "sentences", "stage_failures")
    got = workbook.open_tables(tables_dir=str(tmp_path), event=event, names=names)
    expected = workbook.select_event(tables, event) if event else tables
    assert list(got) == ["articles", "sentences"]
    for name, frame in got.items():
        pd.testing.assert_frame_equal(frame, expected[name], obj=name)
    assert workbook.open_tables(tables_dir=str(tmp_path), names=("stage_failures",)) == {}
    with pytest.raises(ValueError, match="not in the corpus"):
        workbook.open_tables(tables_dir=str(tmp_path), event="drought", names=names)


def test_computed_tables_keep_only_the_named_ones(monkeypatch):
    """Run by hand (no tables_dir) every table is computed, then the notebook keeps the named ones."""
    tables = _two_event_tables()
    monkeypatch.setattr(pipeline, "compute", lambda *args, **kwargs: dict(tables))
    got = workbook.open_tables(event="quake", names=("sentences", "articles", "stage_failures"))
    assert list(got) == ["sentences", "articles"]
    assert got["sentences"]["article_id"].tolist() == ["a", "b"]
    assert list(workbook.open_tables()) == list(tables), "no names: every table"


@pytest.mark.parametrize("notebook", ["00-findings", "01-corpus", "02-coverage-and-reuse", "03-framing-and-emphasis",
                                      "04-voices", "05-dates-and-timeline"])
def test_each_notebook_names_exactly_the_tables_it_reads(notebook):
    """A table read but not named would be missing from the notebook (tables.get quietly so); one named
    but not read would be read for nothing. Read = ``tables["x"]`` or ``tables.get("x")`` in its code."""
    import ast

    import nbformat

    from helpers.run.paths import NOTEBOOKS_DIR

    cells = nbformat.read(str(NOTEBOOKS_DIR / f"{notebook}.ipynb"), as_version=4).cells
    tree = ast.parse("\n".join(c.source for c in cells if c.cell_type == "code"))
    named, read, by_name = None, set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "open_tables":
            named = next(ast.literal_eval(k.value) for k in node.keywords if k.arg == "names")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "tables":
            read.add(ast.literal_eval(node.slice))
            by_name.add(id(node.value))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
              and isinstance(node.func.value, ast.Name) and node.func.value.id == "tables"):
            read.add(ast.literal_eval(node.args[0]))
            by_name.add(id(node.func.value))
    whole = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "tables"
             and isinstance(n.ctx, ast.Load) and id(n) not in by_name]
    assert not whole, f"tables used whole (passed to a helper?) at code lines {whole}: name what it reads"
    assert named is not None, "the notebook names its tables"
    assert set(named) == read and len(named) == len(set(named))
