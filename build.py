#!/usr/bin/env python3
"""annostory command line: `python build.py [build|check|stub|serve] ...`.

See README.md. All the work happens in the `annostory` package.
"""

import sys

from annostory.cli import main

if __name__ == "__main__":
    sys.exit(main())
