#!/usr/bin/env python3
"""annostory command line: `python build.py [build|check|stub|serve] ...`.

See README.md. All the work happens in the `annostory` package. When the
dependencies are not importable (say, a system Python outside the project's
virtual environment), this re-runs itself with `.venv/bin/python` if that exists,
or says exactly what to run.
"""

import os
import sys
from pathlib import Path


def _dependencies_missing() -> str:
    from importlib.util import find_spec

    for module in ("jinja2", "markdown_it", "mdit_py_plugins", "yaml", "regex",
                   "fastjsonschema", "jsonschema"):
        if find_spec(module) is None:
            return module
    return ""


if __name__ == "__main__":
    missing = _dependencies_missing()
    if missing:
        here = Path(__file__).resolve().parent
        venv_python = here / ".venv" / "bin" / "python"
        if venv_python.exists() and Path(sys.prefix).resolve() != (here / ".venv").resolve():
            os.execv(str(venv_python), [str(venv_python), str(Path(__file__).resolve()),
                                        *sys.argv[1:]])
        print(f"annostory: the Python module '{missing}' is not installed for {sys.executable}.\n"
              f"Run 'make site' once in {here} (it creates .venv with everything needed), "
              "then run this command again;\nor install the dependencies yourself: "
              "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt",
              file=sys.stderr)
        sys.exit(2)
    from annostory.commands.cli import main

    sys.exit(main())
