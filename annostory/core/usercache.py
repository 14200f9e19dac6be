"""The user's cache folder (`$XDG_CACHE_HOME/annostory`, else `~/.cache/annostory`).

Compiled code (schema validators, Jinja templates) is kept here, outside every
project, so nothing a project folder contains is ever run; the compiled-story cache,
which holds only data, lives in the project (`build.cache`). What is kept here is
never trusted blindly (an entry that cannot be read is ignored and made again) and is
bounded: past `MAX_FILES` files or `MAX_BYTES`, the least recently used go.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

MAX_FILES = 400  # in each folder of the cache
MAX_BYTES = 64 * 1024 * 1024


def user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "annostory"


def prune(folder: Path, max_files: int = MAX_FILES, max_bytes: int = MAX_BYTES) -> int:
    """Keep `folder` within its bounds: remove the files used least recently (by
    access, else modification time) until it is within both. Returns how many went."""
    try:
        with os.scandir(folder) as entries:
            found = [(entry.path, entry.stat(follow_symlinks=False)) for entry in entries
                     if entry.is_file(follow_symlinks=False)]
    except OSError:
        return 0
    total = sum(info.st_size for _, info in found)
    if len(found) <= max_files and total <= max_bytes:
        return 0
    found.sort(key=lambda item: max(item[1].st_atime, item[1].st_mtime))
    removed = 0
    # down to three quarters of the bounds, so pruning is not done on every run
    while found and (len(found) > max_files * 3 // 4 or total > max_bytes * 3 // 4):
        path, info = found.pop(0)
        with contextlib.suppress(OSError):
            os.unlink(path)
            removed += 1
        total -= info.st_size
    return removed
