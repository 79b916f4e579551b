"""The run's memory: Arrow's allocator chosen by the command line, and freed memory handed back."""

import os
import subprocess
import sys

import pytest

from helpers.run import memory


def test_release_free_memory_is_safe_to_call():
    assert memory.release_free_memory() is None and memory.release_free_memory(full=False) is None
    assert memory.released("table") == "table" and memory.released("table", full=False) == "table"


@pytest.mark.parametrize("pause, full_again", [(0.0, False), (0.9, False), (1.5, True), (60.0, True)])
def test_a_full_collection_waits_until_ten_times_its_duration_has_passed(monkeypatch, pause, full_again):
    # in a 4-article run, 18 full collections of ~0.12 s each were a third of the run's time
    import gc
    import time

    clock = [1000.0]
    collected = []

    def collect(generation=2):
        collected.append(generation)
        clock[0] += 0.1  # each full collection takes 0.1 s: the next waits until 1 s has passed
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(memory, "_last_full_collection", {"ended": float("-inf"), "took": 0.0})
    memory.release_free_memory()
    assert collected == [2], "the first is a full collection"
    clock[0] += pause
    memory.release_free_memory()
    memory.release_free_memory(full=False)
    assert collected == [2, 2 if full_again else 1, 1]


@pytest.mark.parametrize("chosen, expected", [(None, "system"), ("mimalloc", "mimalloc"), ("jemalloc", "jemalloc")])
def test_a_run_allocates_arrow_memory_with_malloc_unless_the_user_chose_a_pool(tmp_path, chosen, expected):
    """The command line (``python -m helpers run``) makes Arrow use the system pool (glibc gives
    freed pages back) in its own process and the processes it starts, before anything imported
    pyarrow; a pool the user chose is kept. The run here stops at once (no such corpus)."""
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if chosen is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = chosen
    code = ("import os, subprocess, sys\n"
            "from helpers.run.command import main\n"
            f"assert main(['run', '--quiet', '--corpus', {str(tmp_path / 'nowhere')!r}, '--out', {str(tmp_path / 'out')!r}]) == 2\n"
            "import pyarrow as pa\n"
            "child = subprocess.run([sys.executable, '-c', 'import pyarrow as pa; print(pa.default_memory_pool().backend_name)'],\n"
            "                       capture_output=True, text=True, check=True).stdout.strip()\n"
            "print(os.environ['ARROW_DEFAULT_MEMORY_POOL'], pa.default_memory_pool().backend_name, child)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    import pyarrow as pa

    # a pool this pyarrow was not built with falls back to its default (and says so on stderr)
    built = set(pa.supported_memory_backends())
    name, own, child = done.stdout.split()
    assert name == expected
    if expected in built:
        assert own == child == expected
