"""Command line: ``python -m helpers run [--corpus PATH] [--metadata CSV] [--out DIR]
[--sample N --seed S] [-p NAME VALUE ...] [--no-cache] [--cache-dir DIR] [--engine local|dask]
[--scheduler ADDRESS] [--workers N] [--batch-size N]``.

Fatal problems print one line (``error: …``) and exit non-zero: 2 for a mistake in the command
(no corpus, an ``--out`` that is not safe to replace, an unknown ``-p`` name), refused before any
work; 1 when notebooks failed (the report is still written, the failures marked on its front
page). Bad inputs inside a corpus are never fatal: they are listed in ``tables/load_report.csv``.
SIGTERM (``kill``, a scheduler's time limit) ends the run as Ctrl-C does, exit code 143, with its
worker processes stopped (:func:`helpers.run.engine.stop_on_sigterm`).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from helpers.run.memory import prefer_system_allocator

COLUMN_ROLES = ("text", "title", "outlet", "published", "url", "id", "event", "country")


def parse_parameter(value: str) -> Any:
    """A ``-p`` value as data: integers, decimals, true/false, otherwise the string itself.

    Never evaluated as code; papermill writes it into the notebook as a Python literal.
    """
    if re.fullmatch(r"[+-]?\d{1,18}", value):
        return int(value)
    if re.fullmatch(r"[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?", value):
        return float(value)
    if value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description="Parallax workbook")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="load a corpus, run every notebook headless, write the report")
    run.add_argument("--corpus", help="folder or .csv/.tsv/.jsonl/.parquet file of articles (default: seeds/)")
    run.add_argument("--metadata", help="metadata CSV joined on its 'file' column (default: <corpus>/metadata.csv)")
    run.add_argument("--out", help="report folder (default: reports/<corpus name>/)")
    run.add_argument("--sample", type=int, help="analyse a seeded random sample of N articles")
    run.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    for role in COLUMN_ROLES:
        run.add_argument(f"--{role}-column", dest=f"{role}_column", help=f"column holding the {role}")
    order = run.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_true", default=None,
                       help="read ambiguous numeric dates such as 11/08/2021 day first (11 August)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_false",
                       help="read ambiguous numeric dates month first (8 November); default: as the other "
                            "dates of their column show, else left empty and listed in the load report")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="pass a notebook parameter (repeatable), e.g. -p event <id>")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    scale = run.add_argument_group("scale")
    scale.add_argument("--no-cache", action="store_true", help="recompute every article and execute every notebook (a cold run; the cache is not read or written)")
    scale.add_argument("--cache-dir", help="cache of per-article results (default: .cache/ in the project)")
    scale.add_argument("--engine", choices=("local", "dask"), default="local",
                       help="local: a process pool on this machine (default); dask: a distributed cluster")
    scale.add_argument("--scheduler", help="with --engine dask: the scheduler address (default: a local cluster)")
    scale.add_argument("--workers", type=int, help="processes for the per-article stages, the events' comparisons and the notebooks (default: the CPU count)")
    scale.add_argument("--batch-size", type=int, default=200, help="articles per batch (default 200)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    prefer_system_allocator()  # before anything imports pyarrow
    from helpers.load.corpus import CorpusError
    from helpers.run.report import NotebooksFailed, RunError, UsageError, run

    parameters: dict[str, Any] = {}
    for name, value in args.parameter:
        if not name.isidentifier():
            print(f"error: -p {name!r}: a parameter name must be a Python identifier", file=sys.stderr)
            return 2
        parameters[name] = parse_parameter(value)
    columns = {role: getattr(args, f"{role}_column") for role in COLUMN_ROLES if getattr(args, f"{role}_column")}
    from helpers.run.engine import stop_on_sigterm

    try:
        # SIGTERM ends the run as Ctrl-C does, stopping the worker processes with it
        with stop_on_sigterm():
            index = run(corpus=args.corpus, metadata=args.metadata, out=args.out, sample=args.sample,
                        seed=args.seed, columns=columns, parameters=parameters, progress=not args.quiet,
                        cache=not args.no_cache, cache_dir=args.cache_dir, engine=args.engine,
                        scheduler=args.scheduler, workers=args.workers, batch_size=args.batch_size,
                        dayfirst=args.dayfirst)
    except (CorpusError, UsageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except NotebooksFailed as exc:
        # The report is there (tables, the other notebooks, the failure on its front page), but a
        # script calling the runner must notice that part of it is missing.
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"report written: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
