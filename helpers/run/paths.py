"""Locations inside the project, resolved from the package (never from the working directory:
papermill and nbval start kernels in different folders)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent
SEEDS_DIR = PROJECT_DIR / "seeds"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_DIR = PROJECT_DIR / "reports"
# Where notebooks run outside the runner (JupyterLab, papermill or nbval with default parameters)
# save their charts: never inside a report the runner wrote (``reports/<corpus>/``), which would
# then mix figures of two runs. Git-ignored with the rest of ``reports/``.
SCRATCH_DIR = REPORTS_DIR / ".scratch"


def default_out_dir(corpus_path: str | Path | None) -> Path:
    """``reports/<corpus name>/`` for a corpus folder or file (``reports/seeds`` by default)."""
    path = Path(corpus_path) if corpus_path else SEEDS_DIR
    name = path.stem if path.suffix else path.resolve().name
    return REPORTS_DIR / (name or "corpus")


def default_scratch_dir(corpus_path: str | Path | None) -> Path:
    """``reports/.scratch/<corpus name>/``: the output folder of a notebook run with default
    parameters (same corpus name as :func:`default_out_dir`, under :data:`SCRATCH_DIR`)."""
    return SCRATCH_DIR / default_out_dir(corpus_path).name
