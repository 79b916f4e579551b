"""An interrupted run stops its worker processes: SIGTERM ends it as Ctrl-C does, and results no
longer wanted stop the tasks still running rather than waiting for them."""

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and /proc")

# A script (its own main module, so that the pool's workers can import its task): two workers
# take tasks that write their process id and then sleep far longer than the test waits.
SCRIPT = textwrap.dedent('''
    import os, sys, time
    from pathlib import Path
    from helpers.run.engine import LocalEngine, stop_on_sigterm

    def task(folder, seconds):
        Path(folder, f"worker-{os.getpid()}").touch()
        time.sleep(seconds)
        return seconds

    if __name__ == "__main__":
        folder, how = sys.argv[1], sys.argv[2]
        tasks = [(folder, 0)] + [(folder, 600)] * 5
        if how == "sigterm":
            with stop_on_sigterm():
                for _ in LocalEngine(2).map(task, tasks):
                    Path(folder, "first-result").touch()
        else:  # the results are no longer wanted after the first
            results = LocalEngine(2).map(task, tasks)
            next(results)
            while len(list(Path(folder).glob("worker-*"))) < 2:
                time.sleep(0.05)
            started = time.monotonic()
            results.close()
            print(f"closed in {time.monotonic() - started:.1f} s")
''')


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (ended, waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("how", ["sigterm", "close"])
def test_interrupted_map_stops_its_workers(tmp_path, how):
    script = tmp_path / "interrupted.py"
    script.write_text(SCRIPT)
    folder = tmp_path / "pids"
    folder.mkdir()
    process = subprocess.Popen([sys.executable, str(script), str(folder), how],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        # both workers busy with a long task (the first, short one done)
        assert _wait_for(lambda: len(list(folder.glob("worker-*"))) >= 2
                         and (how != "sigterm" or (folder / "first-result").exists()), 60), \
            process.communicate(timeout=5) if process.poll() is not None else "workers never started"
        workers = [int(p.name.split("-")[1]) for p in folder.glob("worker-*")]
        if how == "sigterm":
            process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
        # SIGTERM: exit code 143 (128 + 15) from SystemExit, not death by the signal (-15)
        assert process.returncode == (143 if how == "sigterm" else 0), err
        assert _wait_for(lambda: not any(_running(pid) for pid in workers), 10), \
            f"workers still running: {[pid for pid in workers if _running(pid)]}"
        if how == "close":
            assert float(out.split()[2]) < 30  # the sleeping tasks were not waited for
    finally:
        if process.poll() is None:
            process.kill()
        for pid in workers:
            if _running(pid):
                subprocess.run(["kill", "-9", str(pid)], check=False)


def test_stop_on_sigterm_restores_the_handler_before_it():
    from helpers.run.engine import stop_on_sigterm

    before = signal.getsignal(signal.SIGTERM)
    with stop_on_sigterm():
        assert signal.getsignal(signal.SIGTERM) is not before
        with pytest.raises(SystemExit) as ended:
            signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)
        assert ended.value.code == 143
    assert signal.getsignal(signal.SIGTERM) is before
