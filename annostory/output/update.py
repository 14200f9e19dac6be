"""Updating a site in place, for the preview: only the files whose bytes changed are
written (each atomically), and only files inside a folder annostory made are removed."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from .folders import MARKER, MARKER_TEXT, OutputError, describe


def update_site(out_dir: Path, files: Mapping[str, bytes],
                written: dict[str, tuple[bytes, int, int]] | None = None) -> list[str]:
    """Make `out_dir` hold exactly `files`, touching only what differs.
    Returns the relative paths written or removed. Raises OutputError.
    `written`, kept by the caller from one call to the next, remembers what was
    written (the bytes object itself, its size and time on disk): a file given as the
    very same bytes object, unchanged on disk since, is not read back to compare."""
    try:
        return _update_site(out_dir, files, {} if written is None else written)
    except OSError as exc:
        raise OutputError(describe(exc, out_dir)) from exc


def _update_site(out_dir: Path, files: Mapping[str, bytes],
                 written: dict[str, tuple[bytes, int, int]]) -> list[str]:
    changed = []
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / MARKER
    if not marker.is_file():
        if any(out_dir.iterdir()):
            raise OutputError(f"{out_dir} holds files annostory did not make")
        marker.write_bytes(MARKER_TEXT)
    for relative in sorted(files):
        data = files[relative]  # one at a time: a deferred file is read now
        target = out_dir / relative
        known = written.get(relative)
        try:
            if known is not None and known[0] is data:
                info = target.lstat()
                if stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns) == known[1:]:
                    continue
            if target.read_bytes() == data:
                info = target.lstat()
                written[relative] = (data, info.st_size, info.st_mtime_ns)
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        info = target.lstat()
        written[relative] = (data, info.st_size, info.st_mtime_ns)
        changed.append(relative)
    _prune(str(out_dir), len(str(out_dir)) + 1, files, written, changed)
    return changed


def _prune(folder: str, skip: int, files: Mapping[str, bytes],
           written: dict[str, tuple[bytes, int, int]], changed: list[str]) -> bool:
    """Remove below `folder` every file (or link) that `files` does not hold, and the
    folders left empty; True when `folder` is left empty. `skip` is the length of the
    site's own path (and a slash), cut from each path to name it relatively."""
    empty = True
    with os.scandir(folder) as entries:
        found = list(entries)
    for entry in found:
        if entry.is_dir(follow_symlinks=False):
            if _prune(entry.path, skip, files, written, changed):
                os.rmdir(entry.path)
            else:
                empty = False
            continue
        relative = entry.path[skip:].replace(os.sep, "/")
        if relative == MARKER or relative in files:
            empty = False
            continue
        os.unlink(entry.path)
        written.pop(relative, None)
        changed.append(relative)
    return empty
