"""The manifest of a written site (kept in the project's cache folder): what each file
of the site was when written (SHA-256, size, time), and a hash of every input it was
built from, so a build can tell the site is already up to date (`is_current`) and
link files that did not change instead of writing them again."""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path

from .folders import MARKER


def read_manifest(manifest_file: Path) -> dict:
    """{"site_key": ..., "files": {path: [sha256, size, mtime_ns]}}, or {}."""
    try:
        data = json.loads(manifest_file.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else {}


def holds(manifest: dict, out_dir: Path):
    """`present(path, sha256)` for a build: does `out_dir` hold that file already, as
    the manifest recorded it (so the build need not read it: it is linked, not
    written)?"""
    files = manifest.get("files", {})
    folder = os.path.join(out_dir, "")

    def present(path: str, sha256: str) -> bool:
        entry = files.get(path)
        return isinstance(entry, list) and len(entry) == 3 and entry[0] == sha256 and \
            unchanged_on_disk(folder + path, entry) is not None
    return present


def write_manifest(manifest_file: Path, site_key: str, manifest: dict[str, list],
                   generation: str = "") -> None:
    """Record the site written: its inputs' hash, each file, and the generation (a
    fresh token per build: the spare tree names the one it mirrors)."""
    with contextlib.suppress(OSError):  # without it the next build only writes more
        manifest_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = manifest_file.with_name(manifest_file.name + f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"site_key": site_key, "generation": generation,
                                         "files": manifest}, separators=(",", ":")))
        os.replace(temporary, manifest_file)


def unchanged_on_disk(path: Path | str, entry: list) -> os.stat_result | None:
    """The file's status when it is still the regular file the manifest entry
    describes (size and time), else None."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISREG(info.st_mode) and [info.st_size, info.st_mtime_ns] == entry[1:3]:
        return info
    return None


def link_unchanged(old: Path, new: Path, entry: list | None, digest: str
                    ) -> os.stat_result | None:
    """Link `new` to the previous site's file when it holds the same bytes; the
    status they now share (one file, two names), or None when not linked."""
    if not entry or entry[0] != digest:
        return None
    info = unchanged_on_disk(old, entry)
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
             unchanged_on_disk(out_dir / relative, entry) is not None
             for relative, entry in manifest["files"].items())
    return ok and entries(str(out_dir)) == len(manifest["files"]) + 1


def entries(folder: str) -> int:
    """How many entries other than folders are below `folder` (files, links, anything
    else: each one the manifest must account for)."""
    count = 0
    with os.scandir(folder) as found:
        for entry in found:
            if entry.is_dir(follow_symlinks=False):
                count += entries(entry.path)
            else:
                count += 1
    return count
