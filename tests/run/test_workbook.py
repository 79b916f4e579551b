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


def _matrix() -> pd.DataFrame:
    return pd.DataFrame({"fact_id": ["F2", "F1", "F2", "F3", None], "outlet": ["O", "O", "P", "P", "Q"],
                         "n_outlets": [2, 1, 2, 1, 0], "status": ["verbatim", "single", "paraphrase", "single", "absent"],
                         "label": ["two", "one", "two", "three", "none"]})


@pytest.mark.parametrize("from_file", [True, False])
@pytest.mark.parametrize("values", [["F2"], ["F3", "F1", "F9"], [], [None, "F1"]])
def test_a_table_reader_gives_what_filtering_the_whole_table_gives(tmp_path, from_file, values):
    """The same columns, rows (in table order), dtypes and index from the runner's Parquet file as
    from the table in memory; a missing value asked for matches nothing."""
    matrix = _matrix()
    write_tables({"coverage_matrix": matrix}, tmp_path)
    whole = pd.read_parquet(tmp_path / "coverage_matrix.parquet")
    reader = workbook.TableReader(tmp_path / "coverage_matrix.parquet" if from_file else whole)
    wanted = {v for v in values if v is not None}
    pd.testing.assert_frame_equal(reader.rows("fact_id", values),
                                  whole[whole["fact_id"].isin(wanted)].reset_index(drop=True))
    pd.testing.assert_frame_equal(reader.columns("fact_id", "n_outlets"), whole[["fact_id", "n_outlets"]])
    pd.testing.assert_frame_equal(reader.whole(), whole)
    assert reader.n_rows() == len(whole) == 5


def _sentences() -> pd.DataFrame:
    return pd.DataFrame({"article_id": ["b", "a", "a", "c", "b", "a"], "sent_id": [0, 0, 1, 0, 1, 2],
                         "text": ["B zero.", "A zero.", "A one.", "C zero.", "B one.", "A two."],
                         "in_lead": [True, True, None, True, False, False]})


@pytest.mark.parametrize("row_group_size", [None, 2])
@pytest.mark.parametrize("from_file", [True, False])
@pytest.mark.parametrize("pairs", [
    [("a", 1), ("b", 0)],
    [("a", 2), ("a", 0), ("c", 0), ("b", 1), ("b", 0), ("a", 1)],  # every row
    [("a", 7), ("z", 0)],  # an article's sentence it does not have; an article not in the table
    [("c", 0), ("c", 0)],  # asked twice, read once
    [],
])
def test_a_table_readers_rows_at_are_those_sentences_in_table_order(tmp_path, row_group_size, from_file, pairs):
    """Only the (article, sentence) pairs asked for, filtered batch by batch from the file: the rows
    (in table order), columns, dtypes (``in_lead`` holds a null elsewhere in the table) and index of
    filtering the whole table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "sentences.parquet"
    if row_group_size is None:
        write_tables({"sentences": _sentences()}, tmp_path)
    else:
        pq.write_table(pa.Table.from_pandas(_sentences(), preserve_index=False), path, row_group_size=row_group_size)
    whole = pd.read_parquet(path)
    reader = workbook.TableReader(path if from_file else whole)
    at = pd.DataFrame(pairs, columns=["article_id", "sent_id"]).astype({"sent_id": "int64"})
    keys = list(zip(whole["article_id"], whole["sent_id"]))
    expected = whole[[k in set(pairs) for k in keys]].reset_index(drop=True)
    pd.testing.assert_frame_equal(reader.rows_at(at), expected)


def test_rows_at_wants_an_id_and_one_column_of_the_table(tmp_path):
    write_tables({"sentences": _sentences()}, tmp_path)
    for source in (tmp_path / "sentences.parquet", _sentences()):
        with pytest.raises(ValueError, match="two columns"):
            workbook.TableReader(source).rows_at(pd.DataFrame({"article_id": ["a"], "paragraph": [0]}))


@pytest.mark.parametrize("from_file", [True, False])
@pytest.mark.parametrize("n", [0, 1, 3, 5, 9])
@pytest.mark.parametrize("by", [["n_outlets", "fact_id"], ["status"], ["outlet", "n_outlets"]])
def test_a_table_readers_first_rows_are_the_whole_tables_sorted_head(tmp_path, from_file, n, by):
    """The first n rows in a stable sort by ``by``, read by their ids (``fact_id``; a row
    without one makes it sort the whole table): the rows, order, dtypes and index of sorting the
    whole table; ties in table order."""
    write_tables({"coverage_matrix": _matrix()}, tmp_path)
    whole = pd.read_parquet(tmp_path / "coverage_matrix.parquet")
    reader = workbook.TableReader(tmp_path / "coverage_matrix.parquet" if from_file else whole)
    expected = whole.sort_values(by, kind="stable").head(n).reset_index(drop=True)
    pd.testing.assert_frame_equal(reader.first_rows(by, n, within="fact_id"), expected)


@pytest.mark.parametrize("event", ["", "quake"])
def test_a_notebook_gets_readers_for_the_tables_it_reads_in_part(tmp_path, event):
    """From the runner's folder without an event nothing of a reader's table is read until asked;
    with an event, or computed, the reader holds the rows a DataFrame would hold."""
    tables = {**_two_event_tables(), "facts": pd.DataFrame({"fact_id": ["F1"], "article_id": ["a"], "sent_id": [0]})}
    write_tables(tables, tmp_path)
    names = ("articles", "coverage_matrix")
    got = workbook.open_tables(tables_dir=str(tmp_path), event=event, names=names, readers=("coverage_matrix",))
    plain = workbook.open_tables(tables_dir=str(tmp_path), event=event, names=names)
    assert list(got) == list(names) and isinstance(got["coverage_matrix"], workbook.TableReader)
    pd.testing.assert_frame_equal(got["articles"], plain["articles"])
    pd.testing.assert_frame_equal(got["coverage_matrix"].whole(), plain["coverage_matrix"])
    assert ("in memory" in repr(got["coverage_matrix"])) == bool(event)
    with pytest.raises(TypeError):
        workbook.open_tables(tables_dir=str(tmp_path), names=names, readers="coverage_matrix")


def test_top_facts_chosen_from_two_columns_are_the_facts_the_grid_charts():
    from helpers.compare import facts

    matrix = _matrix()
    shown = facts.top_facts(matrix[["fact_id", "n_outlets"]], max_facts=2)
    assert shown == ["F2", "F1"]
    assert facts.coverage_grid(matrix, max_facts=2).index.tolist() == shown
    assert facts.coverage_grid(matrix[matrix["fact_id"].isin(shown)], max_facts=2).equals(
        facts.coverage_grid(matrix, max_facts=2)), "the chart from the chosen rows is the chart from all"
    assert facts.top_facts(matrix.iloc[0:0]) == []


@pytest.mark.parametrize(("among", "expected"), [(None, ["F2", "F1", "F3"]), ({"F3", "F1"}, ["F1", "F3"]),
                                                 ({"F2"}, ["F2"]), (set(), []), ({"F9"}, [])])
def test_top_facts_among_one_events_facts(among, expected):
    """A chart of one event's facts: the same order, only those facts."""
    from helpers.compare import facts

    assert facts.top_facts(_matrix(), max_facts=5, among=among) == expected


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
            readers = next((ast.literal_eval(k.value) for k in node.keywords if k.arg == "readers"), ())
            assert set(readers) <= set(named), "a reader is one of the tables the notebook names"
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


@pytest.mark.parametrize("event", ["", "quake"])
@pytest.mark.parametrize("computed", [False, True])
def test_a_notebook_may_read_some_columns_of_a_table_the_same_rows(tmp_path, monkeypatch, event, computed):
    """``columns``: only those columns of the tables it names, in that order, the rows and dtypes
    of the whole table's (from the runner's folder, one event's or all; or computed); the other
    tables whole."""
    tables = {**_two_event_tables(),
              "articles": pd.DataFrame({"article_id": ["a", "b", "c"], "event": ["quake", "quake", "flood"],
                                        "text": ["long text"] * 3, "outlet": ["X", "Y", None]})}
    write_tables(tables, tmp_path)
    monkeypatch.setattr(pipeline, "compute", lambda *args, **kwargs: dict(tables))
    where = {} if computed else {"tables_dir": str(tmp_path)}
    names = ("articles", "sentences")
    got = workbook.open_tables(**where, event=event, names=names, columns={"articles": ("outlet", "article_id")})
    whole = workbook.open_tables(**where, event=event, names=names)
    pd.testing.assert_frame_equal(got["articles"], whole["articles"][["outlet", "article_id"]])
    pd.testing.assert_frame_equal(got["sentences"], whole["sentences"])
    with pytest.raises(ValueError, match="reader"):
        workbook.open_tables(**where, names=names, readers=("articles",), columns={"articles": ("outlet",)})
