"""One build at a time per site: a lock on the folder that holds the site.

A build holds the lock from the moment it looks at the site (is it up to date? are
there leftovers of killed builds?) until its new site is in place, so it never takes
another live build's half-written folder for a leftover, and `site/` is always a
complete site that the next build accepts. The lock is the system's own (flock on the
parent folder, released by the system if the build dies), so a killed build never
leaves a stale lock behind; a second build waits for the first, and says so.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from .folders import OutputError, describe


@contextlib.contextmanager
def site_lock(out_dir: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock of `out_dir` (created with its parent folder if need be);
    `waiting()` is called once if another build holds it."""
    parent = Path(os.path.abspath(out_dir)).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise OutputError(describe(exc, out_dir)) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:  # a file system without flock: nothing to hold
            pass
        yield
    finally:
        os.close(handle)  # releases the lock
