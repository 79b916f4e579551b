"""The per-article stages on a Dask cluster (2 workers) give the in-process run's tables, row for row."""

import pandas as pd
import pytest

from helpers.run import pipeline

from conftest import SEEDS, write_small_corpus

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    # worker processes, as on a real cluster: every task and result is pickled across
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


@pytest.mark.parametrize("corpus_name", ["seeds", "small"])
def test_dask_engine_equals_in_process_run(tmp_path, client, corpus_name):
    corpus = SEEDS if corpus_name == "seeds" else write_small_corpus(tmp_path / "small")
    local = pipeline.compute(corpus, cache_dir=None, workers=1)
    on_dask = pipeline.compute(corpus, cache_dir=None, engine="dask", client=client, batch_size=2)
    assert set(local) == set(on_dask)
    for name in local:
        pd.testing.assert_frame_equal(on_dask[name], local[name], check_dtype=True, obj=name)


def test_process_pool_equals_in_process_run(tmp_path):
    corpus = write_small_corpus(tmp_path / "small")
    serial = pipeline.compute(corpus, cache_dir=None, workers=1)
    pooled = pipeline.compute(corpus, cache_dir=None, workers=2, batch_size=1)
    for name in serial:
        pd.testing.assert_frame_equal(pooled[name], serial[name], check_dtype=True, obj=name)


def test_unknown_engine_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown engine"):
        pipeline.compute(write_small_corpus(tmp_path / "small"), cache_dir=None, engine="spark")
