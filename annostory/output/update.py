"""Updating a site in place, for the preview: only the files whose bytes changed are
written (each atomically: a new file renamed over the old), only files inside a
folder annostory made are removed, and a preview starts from the last build's files,
linked (`seed`)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Mapping
from contextlib import AbstractContextManager
from pathlib import Path

from .files import digest as file_digest
from .folders import MARKER, MARKER_TEXT, OutputError, describe


def update_site(out_dir: Path, files: Mapping[str, bytes],
                written: dict[str, tuple[str, int, int]] | None = None) -> list[str]:
    """Make `out_dir` hold exactly `files`, touching only what differs.
    Returns the relative paths written or removed. Raises OutputError.
    `written`, kept by the caller from one call to the next, remembers what each file
    is (SHA-256, size and time on disk): a file whose SHA-256 is the same, unchanged
    on disk since, is neither read nor written (a page left in the build cache is
    not even read)."""
    try:
        return _update_site(out_dir, files, {} if written is None else written)
    except OSError as exc:
        raise OutputError(describe(exc, out_dir)) from exc


def holding(out_dir: Path, written: dict[str, tuple[str, int, int]]):
    """`present(path, sha256)` for a build into a site `update_site` keeps: does it
    hold that file already, as written?"""
    folder = os.path.join(out_dir, "")

    def present(path: str, sha256: str) -> bool:
        known = written.get(path)
        return known is not None and known[0] == sha256 and _same(folder + path, known)
    return present


def _same(path: str, known: tuple[str, int, int]) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns) == known[1:]


def _update_site(out_dir: Path, files: Mapping[str, bytes],
                 written: dict[str, tuple[str, int, int]]) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / MARKER
    if not marker.is_file():
        if any(out_dir.iterdir()):
            raise OutputError(f"{out_dir} holds files annostory did not make")
        marker.write_bytes(MARKER_TEXT)
    changed = _write_changed(out_dir, files, written)
    _prune(str(out_dir), len(str(out_dir)) + 1, files, written, changed)
    return changed


def write_files(out_dir: Path, files: Mapping[str, bytes],
                written: dict[str, tuple[str, int, int]]) -> list[str]:
    """Write these files of a site `update_site` keeps, where they changed (the rest
    of the site is left as it is). The paths written. Raises OutputError."""
    try:
        if not (out_dir / MARKER).is_file():
            raise OutputError(f"{out_dir} is not a site annostory made")
        return _write_changed(out_dir, files, written)
    except OSError as exc:
        raise OutputError(describe(exc, out_dir)) from exc


def _write_changed(out_dir: Path, files: Mapping[str, bytes],
                   written: dict[str, tuple[str, int, int]]) -> list[str]:
    changed = []
    folder = os.path.join(out_dir, "")
    for relative in sorted(files):
        digest = file_digest(files, relative)
        known = written.get(relative)
        if known is not None and known[0] == digest and _same(folder + relative, known):
            continue
        target = out_dir / relative
        if known is None and _holds(target, digest):  # made by an earlier preview
            info = target.lstat()
            written[relative] = (digest, info.st_size, info.st_mtime_ns)
            continue
        data = files[relative]  # one at a time: a deferred file is read now
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        info = target.lstat()
        written[relative] = (digest, info.st_size, info.st_mtime_ns)
        changed.append(relative)
    return changed


def _holds(target: Path, digest: str) -> bool:
    """Is `target` a regular file holding the bytes of SHA-256 `digest`?"""
    try:
        if not stat.S_ISREG(target.lstat().st_mode):
            return False
        return hashlib.sha256(target.read_bytes()).hexdigest() == digest
    except OSError:
        return False


SEED_BATCH = 1000  # files linked between two looks at whether another writer waits


def seed(out_dir: Path, site: Path, manifest: dict,
         written: dict[str, tuple[str, int, int]],
         lock: AbstractContextManager | None = None) -> int:
    """Fill a new, empty `out_dir` with the files of a built `site` (as its manifest
    recorded them), each linked (one file, two names: neither is ever changed in
    place, only replaced), so a preview starts from the last build at once. Files
    changed since the build are left out. How many were linked; 0 when linking is
    not possible (another file system). `lock` is held a batch of files at a time:
    another writer holding it in between (`write_files`, once the marker is there)
    may write files, which are then left as it wrote them."""
    linked = 0
    lock = lock or contextlib.nullcontext()
    try:
        with lock:
            out_dir.mkdir(parents=True, exist_ok=True)
            if any(out_dir.iterdir()) or not (site / MARKER).is_file():
                return 0
            (out_dir / MARKER).write_bytes(MARKER_TEXT)
        source, target = os.path.join(site, ""), os.path.join(out_dir, "")
        made: set[str] = set()
        files = list(manifest.get("files", {}).items())
        for start in range(0, len(files), SEED_BATCH):
            with lock:
                for relative, entry in files[start:start + SEED_BATCH]:
                    if not (isinstance(entry, list) and len(entry) == 3) or \
                            relative == MARKER or relative in written or \
                            not _same(source + relative, (entry[0], entry[1], entry[2])):
                        continue
                    parent = os.path.dirname(target + relative)
                    if parent not in made:
                        os.makedirs(parent, exist_ok=True)
                        made.add(parent)
                    os.link(source + relative, target + relative)
                    written[relative] = (entry[0], entry[1], entry[2])
                    linked += 1
    except OSError:
        return linked
    return linked


def _prune(folder: str, skip: int, files: Mapping[str, bytes],
           written: dict[str, tuple[str, int, int]], changed: list[str]) -> bool:
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
