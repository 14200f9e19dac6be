"""Writing a site all or nothing, at the cost of what changed.

Beside the site (`site/`) annostory keeps a spare tree (`.site.spare/`) that holds
the same files: every one a hard link to the site's own (one file, two names). A
build writes only the files that changed, each as a new file renamed into the spare
(never changed in place: the site's file, its other name, is untouched), removes
from the spare what the site no longer has, then exchanges the two trees in one step
(Linux `renameat2(RENAME_EXCHANGE)`), so `site/` is at every instant either the
complete old site or the complete new one. The old site, now the spare, is brought
up to date the same way (each changed file linked from the new site), ready for the
next build. A build that changes one story writes that story's files and the site
pages that list it, whatever the size of the site.

The spare is trusted only when it is the one the manifest (`output.manifest`, kept
in the project's cache folder) says it is: its record names the manifest's last
generation, and each file it shares with the site is still as the manifest recorded
it (size and time; a file edited in place is written again). Otherwise, and where
hard links or the exchange are missing, the site is written in full to a fresh
folder (files unchanged since the last build linked from the site, as before) and
exchanged, or, without the exchange, put in place by two renames (the next build
recovers from a crash between them). Leftover folders of killed builds (they carry
the marker) are removed by the next build; a spare a build was killed in the middle
of updating no longer names the current generation, and is made again.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Mapping
from functools import cache
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
from .manifest import (
    entries,
    link_unchanged,
    read_manifest,
    unchanged_on_disk,
    write_manifest,
)

SPARE_RECORD = ".annostory-spare"  # in the spare: the generation of the site it mirrors


@cache
def can_exchange(parent: Path) -> bool:
    """Can two folders in `parent` be exchanged in one step (tried once, on two
    empty folders)?"""
    try:
        a = Path(tempfile.mkdtemp(prefix=".annostory-try-", dir=parent))
        b = Path(tempfile.mkdtemp(prefix=".annostory-try-", dir=parent))
    except OSError:
        return False
    try:
        return exchange(a, b)
    except OSError:
        return False
    finally:
        for folder in (a, b):
            with contextlib.suppress(OSError):
                folder.rmdir()


def spare_of(out_dir: Path) -> Path:
    """The spare tree kept beside a site: `.site.spare` for `site`."""
    return out_dir.parent / f".{out_dir.name}.spare"


def write_site(out_dir: Path, files: Mapping[str, bytes], manifest_file: Path | None = None,
               site_key: str = "") -> list[str]:
    """Replace `out_dir` with exactly `files`, atomically. Call `check_output_dir`
    first. With a `manifest_file` (kept in the project's cache folder), only what
    changed since the last build is written (through the spare tree), and the
    manifest then records `site_key` (a hash of every input), what each file is, and
    a new generation, for `is_current`. Returns notes about recovered leftovers.
    Raises OutputError."""
    out_dir = Path(os.path.abspath(out_dir))
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        notes = recover(out_dir)
    except OSError as exc:
        raise OutputError(describe(exc, out_dir)) from exc
    previous = read_manifest(manifest_file) if manifest_file else {}
    before = previous.get("files", {})
    keep_spare = manifest_file is not None and can_exchange(out_dir.parent)
    generation = secrets.token_hex(8)
    manifest: dict[str, list] = {}
    try:
        if keep_spare and _changed_through_spare(out_dir, files, previous, manifest):
            old: Path | None = spare_of(out_dir)  # the previous site, exactly
        else:
            manifest.clear()
            old = _written_in_full(out_dir, files, before, manifest)
    except OSError as exc:
        raise OutputError(describe(exc, out_dir)) from exc
    if manifest_file is not None:
        write_manifest(manifest_file, site_key, manifest, generation)
    if keep_spare:
        _keep_as_spare(out_dir, old, files, before, generation)
    elif old is not None:
        _discard_old(old, out_dir)
    return notes


# --- the fast way: only what changed, through the spare ------------------------------
def _spare_is_current(spare: Path, previous: dict) -> bool:
    """Does the spare mirror the site the manifest describes (its last generation)?"""
    generation = previous.get("generation")
    if not generation or spare.is_symlink() or not (spare / MARKER).is_file():
        return False
    try:
        return (spare / SPARE_RECORD).read_text() == generation
    except OSError:
        return False


def _changed_through_spare(out_dir: Path, files: Mapping[str, bytes], previous: dict,
                           manifest: dict[str, list]) -> bool:
    """Write the changed files into the spare and exchange it with the site. False
    (nothing done to the site) when the spare cannot serve; the caller writes in full."""
    spare = spare_of(out_dir)
    before = previous.get("files", {})
    if not out_dir.is_dir() or not _spare_is_current(spare, previous) or \
            entries(str(out_dir)) != len(before) + 1:  # something else was put in the site
        return False
    (spare / SPARE_RECORD).unlink()  # from here on, a killed build leaves it untrusted
    made: set[Path] = set()
    prefix = os.path.join(spare, "")
    for relative in sorted(files):
        entry = before.get(relative)
        digest = file_digest(files, relative)  # an unchanged file is never read
        if entry and entry[0] == digest and \
                unchanged_on_disk(prefix + relative, entry) is not None:
            manifest[relative] = entry
            continue
        target = spare / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        manifest[relative] = _replace(target, files[relative], digest)
    _remove_missing(spare, before, files)
    return exchange(spare, out_dir)


def _replace(target: Path, data: bytes, digest: str) -> list:
    """`data` as a new file renamed over `target` (never written in place)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
    info = target.stat()
    return [digest, info.st_size, info.st_mtime_ns]


def _remove_missing(tree: Path, before: Mapping[str, list], files: Mapping[str, bytes]
                    ) -> None:
    """Remove from `tree` what the manifest had and `files` no longer has, and the
    folders it leaves empty."""
    for relative in before:
        if relative in files:
            continue
        path = tree / relative
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        folder = path.parent
        while folder != tree:
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent


def _keep_as_spare(out_dir: Path, old: Path | None, files: Mapping[str, bytes],
                   before: Mapping[str, list], generation: str) -> None:
    """Make the old site the spare, brought up to date (each changed file linked from
    the new site), or, when it cannot serve (none, or holding files the manifest does
    not know), a new spare linked file by file. Best effort: without a spare the next
    build writes in full."""
    spare = spare_of(out_dir)
    try:
        holds_previous = old == spare  # the fast way: the exchange put it there
        if old is not None and not holds_previous:
            if before and entries(str(old)) == len(before) + 1:
                if spare.exists() or spare.is_symlink():
                    remove_ours(spare)
                old.rename(spare)
                holds_previous = True
            else:
                _discard_old(old, out_dir)
        if holds_previous:
            _relink_changed(out_dir, spare, files, before)
        else:
            if spare.exists() or spare.is_symlink():
                remove_ours(spare)
            _link_tree(out_dir, spare, files)
        (spare / SPARE_RECORD).write_text(generation)
    except (OSError, OutputError):
        with contextlib.suppress(OSError, OutputError):
            if spare.exists():
                remove_ours(spare)


def _relink_changed(out_dir: Path, spare: Path, files: Mapping[str, bytes],
                    before: Mapping[str, list]) -> None:
    """Link into the spare each file of the site the previous generation did not
    have as it is now; remove what the site no longer has."""
    (spare / SPARE_RECORD).unlink(missing_ok=True)
    made: set[Path] = set()
    prefix = os.path.join(spare, "")
    for relative in sorted(files):
        entry = before.get(relative)
        if entry and entry[0] == file_digest(files, relative) and \
                unchanged_on_disk(prefix + relative, entry) is not None:
            continue
        target = spare / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        os.link(out_dir / relative, temporary)
        os.replace(temporary, target)
    _remove_missing(spare, before, files)


def _link_tree(source: Path, target: Path, files: Mapping[str, bytes]) -> None:
    """A new spare: every file of the site linked under a second name."""
    target.mkdir()
    (target / MARKER).write_bytes(MARKER_TEXT)  # first: a leftover is recognisably ours
    made: set[Path] = {target}
    for relative in sorted(files):
        path = target / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        os.link(source / relative, path)


# --- the full way: a fresh tree, exchanged ------------------------------------------
def _written_in_full(out_dir: Path, files: Mapping[str, bytes], previous: dict,
                     manifest: dict[str, list]) -> Path | None:
    """Write every file to a fresh folder beside the site (a file unchanged since the
    last build is linked from the site), then put it in place of the site. Returns
    the folder now holding the previous site (or None)."""
    parent = out_dir.parent
    fresh = Path(tempfile.mkdtemp(prefix=work_prefix(out_dir, "new"), dir=parent))
    try:
        (fresh / MARKER).write_bytes(MARKER_TEXT)  # first: a leftover is recognisably ours
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
    except BaseException:  # a failure or an interrupt: the half-made site goes
        if fresh.exists() and (fresh / MARKER).is_file():
            with contextlib.suppress(OSError):
                remove_ours(fresh)
        raise
    return old


def _discard_old(old: Path, out_dir: Path) -> None:
    """Remove the previous site once the new one is in place (it was ours, or an
    empty folder)."""
    try:
        remove_ours(old)
    except OSError as exc:
        raise OutputError(f"the new site is in {out_dir}, but the previous one could not be "
                          f"removed from {old}: {exc.strerror or exc}") from exc
