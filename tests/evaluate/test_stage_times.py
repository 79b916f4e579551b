"""helpers.evaluate.stage_times: seconds by stage, and exact comparison with another run's tables."""

import pickle

from conftest import write_small_corpus

from helpers.evaluate import stage_times
from helpers.run import pipeline
from helpers.run.tables import write_tables


def test_stage_times_saves_compares_and_finds_a_difference(tmp_path):
    corpus = write_small_corpus(tmp_path / "corpus")
    write_tables(pipeline.analyse(pipeline.build_tables(corpus)), tmp_path / "tables")
    seconds, none = stage_times.stage_times(tmp_path / "tables", save=tmp_path / "a")
    assert set(seconds) == set(pipeline.STAGES) and all(s >= 0 for s in seconds.values()) and none == []
    saved = sorted((tmp_path / "a").glob("*.pkl"))
    assert saved
    # the same code against itself: no difference
    assert stage_times.stage_times(tmp_path / "tables", against=tmp_path / "a")[1] == []
    # one changed value in one saved table is found, and named
    tables = pickle.loads(saved[0].read_bytes())
    name = next(n for n, frame in tables.items() if len(frame) and "article_id" in frame.columns)
    tables[name] = tables[name].assign(article_id="changed")
    saved[0].write_bytes(pickle.dumps(tables))
    found = stage_times.stage_times(tmp_path / "tables", against=tmp_path / "a")[1]
    assert [(row[1]) for row in found] == [name]
    assert stage_times.main([str(tmp_path / "tables"), "--against", str(tmp_path / "a")]) == 1
