"""``python -m helpers run …``: the command line of :mod:`helpers.run.command`."""

import sys

from helpers.run.command import main

if __name__ == "__main__":
    sys.exit(main())
