"""Writing a site all or nothing.

`write_site` builds the new site in a fresh folder beside the target and exchanges
the two atomically (Linux `renameat2(RENAME_EXCHANGE)`), so `site/` is at every
instant either the complete old site or the complete new one. Where the exchange is
not available it falls back to two renames and the next build recovers from a crash
between them. Leftover folders of killed builds (they carry the marker) are removed
by the next build. A file whose bytes the previous site already holds, unchanged
since (`output.manifest`), is linked rather than written again.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .files import digest as file_digest
from .folders import (
    MARKER,
    MARKER_TEXT,
    OutputError,
    describe,
    exchange,
    recover,
    remove_ours,
    work_prefix,
)
from .manifest import link_unchanged, read_manifest, write_manifest


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
        fresh = Path(tempfile.mkdtemp(prefix=work_prefix(out_dir, "new"), dir=parent))
    except OSError as exc:
        raise OutputError(describe(exc, out_dir)) from exc
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
            digest = file_digest(files, relative)  # an unchanged file is linked, never read
            info = link_unchanged(out_dir / relative, target, previous.get(relative), digest)
            if info is None:
                target.write_bytes(files[relative])
                info = target.stat()
            manifest[relative] = [digest, info.st_size, info.st_mtime_ns]
        os.chmod(fresh, 0o755)
        old = None
        if out_dir.exists() and exchange(fresh, out_dir):
            old = fresh  # it now holds the old site
        elif out_dir.exists():  # no atomic exchange here: two renames, recovered next time
            old = Path(tempfile.mkdtemp(prefix=work_prefix(out_dir, "old"), dir=parent))
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
            raise OutputError(describe(exc, out_dir)) from exc
        raise
    if manifest_file is not None:
        write_manifest(manifest_file, site_key, manifest)
    if old is not None:
        _discard_old(old, out_dir)
    return notes


def _discard_old(old: Path, out_dir: Path) -> None:
    """Remove the previous site once the new one is in place (it was ours, or an
    empty folder)."""
    try:
        remove_ours(old)
    except OSError as exc:
        raise OutputError(f"the new site is in {out_dir}, but the previous one could not be "
                          f"removed from {old}: {exc.strerror or exc}") from exc
