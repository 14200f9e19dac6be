"""How the person at the terminal runs annostory, so a hint prints a command that works
where they stand: `annostory stub x`, `python build.py stub x`, with `--root DIR` when
the project is not the current folder.

Hints are made deep inside a build (and kept in the cache), so they carry a command as
a token, `command("stub", slug)`, that only printing turns into words (`shown`).
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

_TOKEN = re.compile("\x00([^\x00]*)\x00")
_program = "annostory"
_root = ""


def command(*words: str) -> str:
    """A command for a hint (see the module)."""
    return "\x00" + " ".join(shlex.quote(w) for w in words) + "\x00"


def set_invocation(argv0: str, root: str) -> None:
    """Remember how annostory was run (`sys.argv[0]`) and the project's folder."""
    global _program, _root
    name = Path(argv0).name
    if name == "build.py":
        shown = os.path.relpath(argv0) if os.path.isabs(argv0) else argv0
        _program = f"python {shlex.quote(shown)}"
    elif name == "__main__.py":
        _program = f"{Path(sys.executable).name} -m annostory"
    else:
        _program = "annostory"
    here = Path.cwd().resolve()
    _root = "" if Path(root).resolve() == here else f" --root {shlex.quote(root)}"


def shown(text: str) -> str:
    """`text` with every command token written out."""
    return _TOKEN.sub(lambda m: f"{_program} {m.group(1)}{_root}", text)
