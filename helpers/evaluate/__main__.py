"""Score the workbook against gold data: ``python -m helpers.evaluate TASK PATH [options]``.

Tasks: ``dates`` (TimeML / MEANTIME: TempEval-3 Task A extent and value F1), ``quotes`` (PolNeAR
brat attributions: content-span F1 at 0.3 and 0.8 overlap, speaker accuracy). Each task's own
options follow PATH; ``python -m helpers.evaluate TASK --help`` lists them.
"""

from __future__ import annotations

import importlib
import sys

TASKS = {"dates": "helpers.evaluate.dates", "quotes": "helpers.evaluate.quotes", "reuse": "helpers.evaluate.reuse",
         "framing": "helpers.evaluate.framing"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in TASKS:
        print(f"usage: python -m helpers.evaluate {{{','.join(sorted(TASKS))}}} PATH [options]", file=sys.stderr)
        return 2
    try:
        module = importlib.import_module(TASKS[args[0]])
    except ImportError:
        print(f"error: the {args[0]} scorer is not available in this version", file=sys.stderr)
        return 2
    return int(module.main(args[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
