"""The run's memory: which allocator Arrow uses, and handing freed memory back to the system.

A run builds and drops tables of millions of rows step after step; what its main process holds
between steps should be what is alive, not what was freed. Two things decide that: the allocator
Arrow's buffers come from (:func:`prefer_system_allocator`, before pyarrow is imported) and
handing freed pages back after each large step (:func:`release_free_memory`, :func:`released`).
Nothing here imports the rest of the package, so every module of the run can call it directly.
"""

from __future__ import annotations

import os
from typing import TypeVar

_T = TypeVar("_T")


def prefer_system_allocator() -> None:
    """Make Arrow allocate with the C library's ``malloc`` (its "system" memory pool) in this
    process and the processes it starts (workers, notebook kernels), unless the user chose a pool
    with ``ARROW_DEFAULT_MEMORY_POOL``. Call it before pyarrow is imported.

    Why: Arrow's default pool (mimalloc) keeps the pages of freed tables resident, and a run frees
    tables of millions of rows step after step; on the full Article-Bias-Prediction file the main
    process then started each corpus-level step 0.1-0.45 GiB higher than on a 10,000-article
    sample with no table alive (mimalloc had 0.96 GiB committed, Arrow 0 bytes allocated). glibc
    gives the same pages back at each :func:`release_free_memory` (``malloc_trim``). Measured
    there: events' tables gathered 1.06 -> 0.87 GiB, corpus-wide framing 1.01 -> 0.76, the
    notebooks' runner 0.98 -> 0.55 (README, "5 December, evening")."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


#: A full collection is skipped when less than this many times its own duration has passed since
#: the last one ended: the garbage of steps that short is small, and in a process holding spaCy's
#: models each full collection costs ~0.1-0.2 s (18 of them were a third of a 4-article run).
#: Steps of a large corpus take far longer than that, so each still gets its full collection.
FULL_COLLECTION_EVERY = 10.0
_last_full_collection = {"ended": float("-inf"), "took": 0.0}


def release_free_memory(*, full: bool = True) -> None:
    """Hand the memory that freed objects leave behind back to the operating system.

    glibc's ``malloc`` and Arrow's memory pool keep freed pages for reuse; after stages that build
    and drop tables of millions of rows, that is gigabytes of resident memory no table holds
    (1.6 GB after the analysis of a 37,000-article corpus: ``malloc_trim`` returned 0.8 GB,
    the Arrow pool 0.8 GB). Dask's workers trim the same way. A no-op where neither is available.

    ``full``: collect every generation of garbage first (~0.2 s in a process holding spaCy's
    models) — unless the last full collection ended less than :data:`FULL_COLLECTION_EVERY` times
    its duration ago (a run of short steps: little garbage, and the collections would cost more
    than the steps); False: only the young ones — the garbage of the step that just ended — for
    calls repeated after every task or step (~1 ms). What is collected never changes a table."""
    import ctypes
    import gc
    import time

    import pyarrow as pa

    last = _last_full_collection
    if full and time.monotonic() - last["ended"] >= FULL_COLLECTION_EVERY * last["took"]:
        start = time.monotonic()
        gc.collect()
        last["ended"] = time.monotonic()
        last["took"] = last["ended"] - start
    else:
        gc.collect(1)
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def released(value: _T, *, full: bool = True) -> _T:
    """``value``, after :func:`release_free_memory` (``full`` as it takes it): wraps a stage step
    whose temporaries were large."""
    release_free_memory(full=full)
    return value
