"""Folders annostory makes: the marker that says so, removing only what it made, the
atomic exchange of two folders, cleaning up after a killed build, and plain messages
for what the file system refuses (`OutputError`)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
from functools import cache
from pathlib import Path

MARKER = ".annostory-site"
MARKER_TEXT = (b"This folder was made by annostory (a static site generator for annotated "
               b"stories).\nannostory replaces it on every build; do not keep other files "
               b"here.\n")


class OutputError(Exception):
    """Writing the site failed for a reason outside annostory (disk, permissions)."""


# --- atomic exchange of two folders (Linux) --------------------------------------
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@cache
def _renameat2():
    """libc's renameat2, or None; loaded on first use (ctypes costs start-up time)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap folders `a` and `b` in one step. False when the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


# --- removing what we made -----------------------------------------------------------
def _make_writable_and_retry(function, path, _exc_info) -> None:
    parent = os.path.dirname(path)
    for folder in (parent, path):
        with contextlib.suppress(OSError):
            os.chmod(folder, os.stat(folder).st_mode | stat.S_IWUSR | stat.S_IXUSR
                     | stat.S_IRUSR)
    function(path)


def remove_ours(folder: Path) -> None:
    """Delete a folder annostory made (it holds the marker), read-only parts too, or an
    empty one (made and killed before its marker, or accepted empty as an output)."""
    if folder.is_symlink():
        raise OutputError(f"not removing {folder}: it is a link")
    if not (folder / MARKER).is_file():
        try:
            folder.rmdir()  # fails, and removes nothing, unless the folder is empty
        except OSError as exc:
            raise OutputError(f"not removing {folder}: annostory did not make it") from exc
        return
    # The marker goes last: a removal killed half-way leaves a folder that is still
    # recognisably ours (marker) or empty, which the next build removes.
    with os.scandir(folder) as entries:
        children = list(entries)
    for child in children:
        if child.name == MARKER:
            continue
        if child.is_dir(follow_symlinks=False):
            _remove_tree(Path(child.path))
        else:
            _retrying(os.unlink, Path(child.path))
    _retrying(os.unlink, folder / MARKER)
    _retrying(os.rmdir, folder)


def _retrying(function, path: Path) -> None:
    try:
        function(path)
    except PermissionError:  # a read-only folder: made writable, then again
        _make_writable_and_retry(function, str(path), None)


def _remove_tree(folder: Path) -> None:
    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=_make_writable_and_retry)
    else:  # Python 3.11
        shutil.rmtree(folder, onerror=_make_writable_and_retry)


def work_prefix(out_dir: Path, kind: str) -> str:
    """The name a build's own folder beside `out_dir` starts with: `.site.new-<pid>-`
    (kind 'new' or 'old'), so a folder of a build still running is never taken for
    the leftover of a killed one."""
    return f".{out_dir.name}.{kind}-{os.getpid()}-"


def process_running(pid: int) -> bool:
    """Is process `pid` running (another user's counts)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _owner_alive(name: str) -> bool:
    """Is the build that made this folder (`.site.new-<pid>-...`) still running?"""
    parts = name.split("-")
    if len(parts) < 3 or not parts[1].isdigit() or int(parts[1]) == os.getpid():
        return False
    return process_running(int(parts[1]))


def leftovers(out_dir: Path) -> list[Path]:
    """Folders left beside `out_dir` by killed builds: they carry the marker, or (killed
    between creating the folder and writing the marker) are empty; never one whose
    build is still running."""
    found = []
    try:
        siblings = list(out_dir.parent.iterdir())
    except OSError:
        return found
    for path in siblings:
        name = path.name
        if not (name.startswith(f".{out_dir.name}.new-") or name.startswith(
                f".{out_dir.name}.old-")) or path.is_symlink() or not path.is_dir():
            continue
        if _owner_alive(name[len(out_dir.name) + 1:]):
            continue
        try:
            empty = not any(path.iterdir())
        except OSError:
            continue
        if empty or (path / MARKER).is_file():
            found.append(path)
    return sorted(found)


def recover(out_dir: Path) -> list[str]:
    """Clean up after a killed build: put an old site back if the site is missing
    (only possible without the atomic exchange), then remove every leftover.
    Returns what was done, for the log."""
    done = []
    found = leftovers(out_dir)
    if not out_dir.exists() and not out_dir.is_symlink():
        olds = [p for p in found if p.name.startswith(f".{out_dir.name}.old-")]
        if olds:
            olds[-1].rename(out_dir)
            found.remove(olds[-1])
            done.append(f"restored {out_dir.name}/ from {olds[-1].name}")
    for path in found:
        try:
            remove_ours(path)
            done.append(f"removed {path.name} (left by an interrupted build)")
        except OSError as exc:
            done.append(f"could not remove {path.name}: {exc.strerror or exc}")
    return done


def describe(exc: OSError, out_dir: Path) -> str:
    reason = exc.strerror or str(exc)
    where = exc.filename or out_dir
    if exc.errno == errno.ENOSPC:
        return f"the disk is full (while writing {where})"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"no permission to write {where} ({reason})"
    if exc.errno == errno.ENOTDIR or (exc.errno == errno.EEXIST and where and
                                      not os.path.isdir(where)):
        return f"a file stands where a folder is needed: {where}"
    return f"{reason}: {where}"
