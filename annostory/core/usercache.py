"""The user's cache folder (`$XDG_CACHE_HOME/annostory`, else `~/.cache/annostory`).

Compiled code (schema validators, Jinja templates) is kept here, outside every
project, so nothing a project folder contains is ever run; the compiled-story cache,
which holds only data, lives in the project (`cache`).
"""

from __future__ import annotations

import os
from pathlib import Path


def user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "annostory"
