"""Writing the site: where it may go, and all or nothing.

* `check_output_dir` is the guard every command that writes a site goes through:
  the output may only be a folder that does not exist yet, an empty folder, or a
  folder annostory made (it holds the marker file `MARKER`, written first by every
  build). Never the project, a folder that holds the project, a source folder or
  anything inside one, a file, a link, or a folder with other content.
* `write_site` builds the new site in a fresh folder beside the target and
  exchanges the two atomically (Linux `renameat2(RENAME_EXCHANGE)`), so `site/`
  is at every instant either the complete old site or the complete new one.
  Where the exchange is not available it falls back to two renames and the next
  build recovers from a crash between them. Leftover folders of killed builds
  (they carry the marker) are removed by the next build.
* `update_site` writes only files whose bytes changed (for the preview server),
  each atomically, and removes only files inside a folder annostory made.

The files come as a `SiteFiles` mapping: bytes, or references to files kept on
disk until written (the cache's StoredFile), read one at a time as they are written.

Failures of the file system (disk full, read-only folder, a file where a folder
should be) are `OutputError`s with a plain message, never tracebacks.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping, MutableMapping
from functools import cache
from pathlib import Path
from typing import Protocol

MARKER = ".annostory-site"
MARKER_TEXT = (b"This folder was made by annostory (a static site generator for annotated "
               b"stories).\nannostory replaces it on every build; do not keep other files "
               b"here.\n")
SOURCE_FOLDERS = ("content", "annotations", "templates", "static", "schema", "images",
                  ".git", ".annostory-cache")
SOURCE_FILES = ("site.yaml", "build.py", "Makefile", "README.md")


class OutputError(Exception):
    """Writing the site failed for a reason outside annostory (disk, permissions)."""


def _real(path: Path) -> Path:
    """The absolute path with every existing link resolved (the path need not exist)."""
    return Path(os.path.realpath(path))


def check_output_dir(out: Path, project_root: Path) -> str:
    """Why `out` may not receive a site, or '' when it may."""
    root = _real(project_root)
    shown = str(out)
    if out.is_symlink():
        return (f"refusing to write the site to {shown}: it is a link; give the folder it "
                "points to, or remove the link")
    target = _real(out)
    if target == root:
        return f"refusing to write the site to {shown}: that is the project folder itself"
    if root.is_relative_to(target):
        return (f"refusing to write the site to {shown}: that folder holds the project "
                f"({root})")
    for name in SOURCE_FOLDERS:
        folder = _real(root / name)
        if target == folder or target.is_relative_to(folder):
            return (f"refusing to write the site to {shown}: it is the project's {name}/ "
                    "folder or inside it, where the sources live")
    for name in SOURCE_FILES:
        if target == _real(root / name):
            return f"refusing to write the site to {shown}: that is the project's {name}"
    try:
        mode = target.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):  # the latter fails when writing
        return ""
    except OSError as exc:
        return f"refusing to write the site to {shown}: {exc.strerror or exc}"
    if not stat.S_ISDIR(mode):
        return f"refusing to write the site to {shown}: it is a file, not a folder"
    if (target / MARKER).is_file():
        return ""
    try:
        empty = not any(target.iterdir())
    except OSError as exc:
        return f"refusing to write the site to {shown}: {exc.strerror or exc}"
    if empty:
        return ""
    return (f"refusing to write the site to {shown}: the folder holds files that annostory "
            f"did not make (no {MARKER} marker in it); choose a new folder, or empty this "
            "one yourself if it is an old site")


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


def leftovers(out_dir: Path) -> list[Path]:
    """Folders left beside `out_dir` by killed builds: they carry the marker, or (killed
    between creating the folder and writing the marker) are empty."""
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


class Deferred(Protocol):
    """File content read only when needed (its SHA-256 known without reading it)."""

    sha256: str

    def read(self) -> bytes: ...


class SiteFiles(MutableMapping[str, bytes]):
    """Files by name (the site's by path; also each story's directory lines by slug).
    A value may be bytes or `Deferred`; reading an item always gives bytes (a deferred
    file is read then, and not kept)."""

    def __init__(self) -> None:
        self._values: dict[str, bytes | Deferred] = {}

    def __getitem__(self, path: str) -> bytes:
        value = self._values[path]
        return value if isinstance(value, bytes) else value.read()

    def __setitem__(self, path: str, value: bytes | Deferred) -> None:  # type: ignore[override]
        self._values[path] = value

    def __delitem__(self, path: str) -> None:
        del self._values[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def sha256(self, path: str) -> str:
        """The SHA-256 of a file, without reading a deferred one."""
        value = self._values[path]
        return hashlib.sha256(value).hexdigest() if isinstance(value, bytes) else value.sha256


def _digest(files: Mapping[str, bytes], path: str) -> str:
    if isinstance(files, SiteFiles):
        return files.sha256(path)
    return hashlib.sha256(files[path]).hexdigest()


def _describe(exc: OSError, out_dir: Path) -> str:
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


def write_site(out_dir: Path, files: Mapping[str, bytes], manifest_file: Path | None = None,
               site_key: str = "") -> list[str]:
    """Replace `out_dir` with exactly `files`, atomically. Call `check_output_dir`
    first. With a `manifest_file` (kept in the project's cache folder), a file whose
    bytes the previous site already holds, unchanged since, is linked rather than
    written again, and the manifest then records `site_key` (a hash of every input)
    and what was written, for `is_current`. Returns notes about recovered leftovers.
    Raises OutputError."""
    out_dir = Path(os.path.abspath(out_dir))
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        notes = recover(out_dir)
        fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    except OSError as exc:
        raise OutputError(_describe(exc, out_dir)) from exc
    try:
        (fresh / MARKER).write_bytes(MARKER_TEXT)  # first: a leftover is recognisably ours
        previous = read_manifest(manifest_file).get("files", {}) if manifest_file else {}
        manifest: dict[str, list] = {}
        made: set[Path] = {fresh}
        for relative in sorted(files):
            target = fresh / relative
            if target.parent not in made:  # once per folder, not once per file
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            digest = _digest(files, relative)  # an unchanged file is linked, never read
            info = _link_unchanged(out_dir / relative, target, previous.get(relative), digest)
            if info is None:
                target.write_bytes(files[relative])
                info = target.stat()
            manifest[relative] = [digest, info.st_size, info.st_mtime_ns]
        os.chmod(fresh, 0o755)
        old = None
        if out_dir.exists() and exchange(fresh, out_dir):
            old = fresh  # it now holds the old site
        elif out_dir.exists():  # no atomic exchange here: two renames, recovered next time
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            old.rmdir()
            out_dir.rename(old)
            fresh.rename(out_dir)
        else:
            fresh.rename(out_dir)
    except BaseException as exc:  # a failure or an interrupt: the half-made site goes
        if fresh.exists() and (fresh / MARKER).is_file():
            with contextlib.suppress(OSError):
                remove_ours(fresh)
        if isinstance(exc, OSError):
            raise OutputError(_describe(exc, out_dir)) from exc
        raise
    if manifest_file is not None:
        _write_manifest(manifest_file, site_key, manifest)
    if old is not None:
        _discard_old(old, out_dir)
    return notes


def read_manifest(manifest_file: Path) -> dict:
    """{"site_key": ..., "files": {path: [sha256, size, mtime_ns]}}, or {}."""
    try:
        data = json.loads(manifest_file.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else {}


def _write_manifest(manifest_file: Path, site_key: str, manifest: dict[str, list]) -> None:
    with contextlib.suppress(OSError):  # without it the next build only writes more
        manifest_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = manifest_file.with_name(manifest_file.name + f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"site_key": site_key, "files": manifest},
                                        sort_keys=True))
        os.replace(temporary, manifest_file)


def _unchanged_on_disk(path: Path, entry: list) -> os.stat_result | None:
    """The file's status when it is still the regular file the manifest entry
    describes (size and time), else None."""
    try:
        info = path.lstat()
    except OSError:
        return None
    if stat.S_ISREG(info.st_mode) and [info.st_size, info.st_mtime_ns] == entry[1:3]:
        return info
    return None


def _link_unchanged(old: Path, new: Path, entry: list | None, digest: str
                    ) -> os.stat_result | None:
    """Link `new` to the previous site's file when it holds the same bytes; the
    status they now share (one file, two names), or None when not linked."""
    if not entry or entry[0] != digest:
        return None
    info = _unchanged_on_disk(old, entry)
    if info is None:
        return None
    try:
        os.link(old, new)
    except OSError:
        return None
    return info


def is_current(out_dir: Path, manifest_file: Path, site_key: str) -> bool:
    """Does `out_dir` hold exactly the site built from inputs hashed as `site_key`,
    every file as it was written (and no other)?"""
    manifest = read_manifest(manifest_file)
    if not site_key or manifest.get("site_key") != site_key:
        return False
    if not (out_dir / MARKER).is_file():
        return False
    ok = all(isinstance(entry, list) and len(entry) == 3 and
             _unchanged_on_disk(out_dir / relative, entry) is not None
             for relative, entry in manifest["files"].items())
    return ok and _entries(str(out_dir)) == len(manifest["files"]) + 1


def _entries(folder: str) -> int:
    """How many entries other than folders are below `folder` (files, links, anything
    else: each one the manifest must account for)."""
    count = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                count += _entries(entry.path)
            else:
                count += 1
    return count


def _discard_old(old: Path, out_dir: Path) -> None:
    """Remove the previous site once the new one is in place (it was ours, or an
    empty folder)."""
    try:
        remove_ours(old)
    except OSError as exc:
        raise OutputError(f"the new site is in {out_dir}, but the previous one could not be "
                          f"removed from {old}: {exc.strerror or exc}") from exc


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
        raise OutputError(_describe(exc, out_dir)) from exc


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
