"""Locations inside the project, resolved from the package (never from the working directory:
papermill and nbval start kernels in different folders)."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
SEEDS_DIR = PROJECT_DIR / "seeds"
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
REPORTS_DIR = PROJECT_DIR / "reports"


def default_out_dir(corpus_path: str | Path | None) -> Path:
    """``reports/<corpus name>/`` for a corpus folder or file (``reports/seeds`` by default)."""
    path = Path(corpus_path) if corpus_path else SEEDS_DIR
    name = path.stem if path.suffix else path.resolve().name
    return REPORTS_DIR / (name or "corpus")
