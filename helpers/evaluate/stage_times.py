"""Seconds of each event-by-event stage over a run's tables, and whether two code versions agree.

``python -m helpers.evaluate.stage_times TABLES [--save DIR] [--against DIR] [--events A,B]``

Reads a runner's ``tables/`` folder (``articles, sentences, entities, embeds, quotes, dates``:
the per-article results), runs every stage of :data:`helpers.run.pipeline.STAGES` on each event's
articles in this process, as a partition task does (:func:`helpers.run.pipeline.local_stage`),
and prints the seconds of each stage summed over the events. ``--save DIR`` writes each event's
tables (one pickle per event); ``--against DIR`` compares each event's tables with those saved by
another run — another checkout of the code — exactly (``assert_frame_equal(check_exact=True)``)
and prints the differences. Run the old and the new code at the same time, one process each, to
measure a change side by side on the same machine load (the README's figures).
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
import time
from pathlib import Path

import pandas as pd

#: The per-article tables a partition reads that the runner writes (``sentence_tone`` is not
#: written: the framing stage scores tone here, as the in-process pipeline does).
INPUTS = ("articles", "sentences", "entities", "embeds", "quotes", "dates")


def stage_times(tables_dir: str | Path, *, save: str | Path | None = None, against: str | Path | None = None,
                events: list[str] | None = None) -> tuple[dict[str, float], list[tuple[str, str, str]]]:
    """Each stage's seconds over the events of ``tables_dir`` (``events``: those only), and the
    differences from the tables saved in ``against``: ``(event, table, message)`` rows, a table
    missing on either side included. ``save``: a folder for this run's tables, one pickle per event."""
    from helpers.run import pipeline
    from helpers.run.partitions import PER_ARTICLE_INPUTS, _rows_of, partition_plan

    tables = pipeline.read_tables(tables_dir, INPUTS)
    tables["dates"] = tables["dates"].drop(columns=["when"], errors="ignore")  # added by the dates stage
    plan = partition_plan(tables["articles"])  # the runner's partitions: one per event
    seconds = {stage: 0.0 for stage in pipeline.STAGES}
    differences: list[tuple[str, str, str]] = []
    if save is not None:
        Path(save).mkdir(parents=True, exist_ok=True)
    for event, ids in zip(plan["event"], plan["article_ids"]):
        if events and event not in events:
            continue
        own = {name: _rows_of(frame, ids) for name, frame in tables.items()}
        per_article = {name: own.pop(name) for name in PER_ARTICLE_INPUTS if name in own}
        inputs = set(own)
        for stage in pipeline.STAGES:
            clock = time.perf_counter()
            own.update(pipeline.local_stage(stage, own, per_article=per_article))
            seconds[stage] += time.perf_counter() - clock
        made = {name: frame for name, frame in own.items() if name not in inputs}
        if save is not None:
            (Path(save) / _file_name(event)).write_bytes(pickle.dumps(made))
        if against is not None:
            differences += _differences(event, made, Path(against) / _file_name(event))
    return seconds, differences


def _file_name(event: str) -> str:
    """A file name for an event's pickle: its name with anything but letters, digits, ``-_.``
    replaced (an event is any text), and a digest so that two names never share a file."""
    from helpers.run.cache import digest

    readable = re.sub(r"[^\w.-]+", "_", event)[:60]
    return f"{readable}-{digest(event)[:12]}.pkl"


def _differences(event: str, made: dict[str, pd.DataFrame], path: Path) -> list[tuple[str, str, str]]:
    if not path.is_file():
        return [(event, "", f"no saved tables at {path}")]
    saved = pickle.loads(path.read_bytes())
    out = []
    for name in sorted(set(made) | set(saved)):
        if name not in made or name not in saved:
            out.append((event, name, "missing in the " + ("saved run" if name not in saved else "this run")))
            continue
        try:
            pd.testing.assert_frame_equal(made[name], saved[name], check_exact=True)
        except AssertionError as exc:
            out.append((event, name, " ".join(str(exc).split())[:300]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.evaluate.stage_times", description=__doc__.split("\n\n")[0])
    parser.add_argument("tables", help="a runner's tables folder")
    parser.add_argument("--save", help="write each event's tables here (one pickle per event)")
    parser.add_argument("--against", help="compare with the tables another run saved here")
    parser.add_argument("--events", help="only these events (comma-separated)")
    args = parser.parse_args(argv)
    seconds, differences = stage_times(args.tables, save=args.save, against=args.against,
                                       events=args.events.split(",") if args.events else None)
    print("seconds by stage: " + ", ".join(f"{stage} {value:.1f}" for stage, value in seconds.items())
          + f"; all {sum(seconds.values()):.1f}")
    if args.against:
        print(f"differences from {args.against}: {len(differences)}")
        for event, name, message in differences[:20]:
            print(f"  {event} / {name}: {message}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
