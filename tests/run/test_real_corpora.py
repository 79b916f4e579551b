"""The partitioned run on real corpora (opt-in, slow): BASIL's articles (100 events) and the first
2,000 rows of Article-Bias-Prediction (its topics as events) give the same table files, byte for
byte, whether the corpus-level stages run in one process, on a pool of 2 worker processes or on a
Dask ``LocalCluster`` of 2 — the hand-made corpora of ``test_partitions.py`` and ``test_engine.py``
at the size of real events.

Run with ``make test-real-corpora`` (``PARALLAX_REAL_CORPORA=1``; the corpora from ``../shared/eval``
beside the project): ~11 min on 2 cores (BASIL 115 s, ABP 543 s), so ``make test`` leaves it out. The per-article results
are parsed once (on the pool) and each run gets a copy of them without the events' partitions, so
every corpus-level step runs again on each engine."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.run import pipeline

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
PER_ARTICLE_STAGES = ("annotate", "quotes")  # the cache's per-article folders; not partitions, runs

pytestmark = pytest.mark.skipif(
    os.environ.get("PARALLAX_REAL_CORPORA") != "1", reason="opt-in: PARALLAX_REAL_CORPORA=1 (make test-real-corpora)")


def _basil(folder: Path) -> tuple[Path, dict | None]:
    return EVAL / "basil" / "articles", None


def _abp_first_2000(folder: Path) -> tuple[Path, dict | None]:
    path = folder / "abp-first-2000.parquet"
    pd.read_parquet(EVAL / "article_bias_prediction.parquet").head(2000).to_parquet(path, index=False)
    return path, {"event": "topic"}


def _per_article_copy(cache: Path, into: Path) -> Path:
    for stage in PER_ARTICLE_STAGES:
        shutil.copytree(cache / stage, into / stage, copy_function=os.link)
    return into


@pytest.mark.parametrize("corpus", [_basil, _abp_first_2000], ids=["basil", "abp-first-2000"])
def test_one_process_pool_and_dask_write_the_same_table_files(corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    path, columns = corpus(tmp_path)
    if not path.exists():
        pytest.skip(f"{path} is not there")
    pooled = tmp_path / "pooled"
    pipeline.compute(path, columns=columns, cache_dir=tmp_path / "cache", workers=2, tables_dir=pooled)
    one = tmp_path / "one"
    pipeline.compute(path, columns=columns, cache_dir=_per_article_copy(tmp_path / "cache", tmp_path / "cache-one"),
                     workers=1, tables_dir=one)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        with distributed.Client(cluster) as client:
            pipeline.compute(path, columns=columns, engine="dask", client=client, tables_dir=tmp_path / "dask",
                             cache_dir=_per_article_copy(tmp_path / "cache", tmp_path / "cache-dask"))
    finally:
        cluster.close()
    names = sorted(p.name for p in one.iterdir())
    assert len(names) >= 60, names  # every table, Parquet and CSV
    for other in (pooled, tmp_path / "dask"):
        assert sorted(p.name for p in other.iterdir()) == names, other.name
        differing = [name for name in names if (one / name).read_bytes() != (other / name).read_bytes()]
        assert differing == [], (other.name, differing)
