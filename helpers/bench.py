"""``python -m helpers.bench …``: kept as the short name of :mod:`helpers.evaluate.bench` (no runtime
module imports it)."""

import sys

from helpers.evaluate.bench import main

if __name__ == "__main__":
    sys.exit(main())
