"""`python -m annostory`: the same commands as `annostory` and `python build.py`."""

from .commands.cli import run

run()
