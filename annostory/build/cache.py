"""The on-disk cache of compiled stories, under `.annostory-cache/` (git-ignored).

A compiled story (the plain `StoryResult`) is stored under a key that hashes every
input it depends on (`build.keys`): the story and annotations files, the templates,
the site settings and annostory's own code. Any change to any of them is a new key.
The files its compile read on demand (originals, images) are recorded in the entry
with what each was, and an entry is used again only while each is unchanged
(`build.keys.Digests`), so a stale page is never served.

An entry is two files: `<key>.html`, the page, the files beside it and the story's
lines of the people and sources pages, one after the other; and `<key>.json`, the
SHA-256 of the rest on its first line, then the diagnostics, counts, files read and
where each part is with its SHA-256, then the index summary. A corrupt, truncated or
unreadable entry is ignored (and rebuilt), never trusted: its meta is checked when
read, and each part when it is read (a part the site already holds is not read at
all); a damaged entry loses its meta, so the next build compiles the story again
(`build.project` does so at once). Entries are written
atomically (a temporary file renamed into place), so a killed build leaves at most a
stray temporary file, which the next write replaces. Pages are not held in memory: a
result read or written here points into its entry (`StoredFile`), and is read when
the site is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass, fields, replace
from pathlib import Path

from markupsafe import Markup

from ..core.diagnostics import Diagnostic, Position
from ..inputs.project import CACHE_FOLDER
from ..pages.directory import kept
from ..pages.summary import StorySummary
from .results import StoryResult

CACHE_DIR = CACHE_FOLDER
_KEY = re.compile("[0-9a-f]{64}")
LINES = "\0lines"  # the part holding a story's directory lines (no file can be named so)
FORMAT = 6  # of entries: part of every key (build.keys)


def _diagnostic_to_dict(d: Diagnostic) -> dict:
    return {"severity": d.severity, "code": d.code, "message": d.message,
            "position": [d.position.file, d.position.line, d.position.column],
            "hint": d.hint, "related": [[r.file, r.line, r.column] for r in d.related]}


def _diagnostic_from_dict(row: dict) -> Diagnostic:
    return Diagnostic(row["severity"], row["code"], row["message"], Position(*row["position"]),
                      row["hint"], tuple(Position(*r) for r in row["related"]))


class DamagedEntry(OSError):
    """A cached file that is no longer what its entry says (the entry is removed, so
    the next build makes it again)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"the cache entry {path} is damaged or changed while the site was "
                         "built; build again")
        self.path = path


@dataclass(frozen=True)
class StoredFile:
    """An output file left in its cache entry until the site is written, so that a
    build of thousands of stories does not hold every page in memory: where it is,
    and the SHA-256 it has, checked when the file is read. `discard` is the file to
    remove when it is found damaged (the entry's meta), so no build trusts it again."""

    path: str
    offset: int
    length: int
    sha256: str
    discard: str = ""

    def read(self) -> bytes:
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            data = handle.read(self.length)
        if len(data) != self.length or hashlib.sha256(data).hexdigest() != self.sha256:
            if self.discard:
                with contextlib.suppress(OSError):
                    os.unlink(self.discard)
            raise DamagedEntry(self.path)
        return data


def intact(stored: list[StoredFile]) -> bool:
    """Are these parts of one entry (one file) all as they were written? The file is
    read once; a damaged entry's meta is removed."""
    if not stored:
        return True
    try:
        with open(stored[0].path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return False
    for part in stored:
        if hashlib.sha256(blob[part.offset:part.offset + part.length]).hexdigest() != \
                part.sha256 or part.offset + part.length > len(blob):
            if part.discard:
                with contextlib.suppress(OSError):
                    os.unlink(part.discard)
            return False
    return True


def _plain_fields(summary: StorySummary) -> dict:
    """The summary's fields as they are: all plain values already, so not the deep
    copy `dataclasses.asdict` makes (which was most of the time of writing an entry)."""
    return {f.name: getattr(summary, f.name) for f in fields(summary)}


def encode(result: StoryResult) -> tuple[bytes, bytes, list[list]]:
    """A StoryResult as (meta, blob, parts). The blob is the page, then each file
    beside it in name order; `parts` says where each is in the blob and its SHA-256
    ([name, offset, length, sha256], name '' for the page). The meta is the SHA-256 of
    the rest on its first line, then a line of JSON with the diagnostics, counts and
    parts, then a line of JSON with the index summary."""
    parts = ([("", result.page)] if result.page is not None else []) + \
        sorted(result.files.items()) + \
        ([(LINES, result.lines)] if result.lines is not None else [])
    blob = b"".join(data for _, data in parts)
    places, offset = [], 0
    for name, data in parts:
        places.append([name, offset, len(data), hashlib.sha256(data).hexdigest()])
        offset += len(data)
    body = json.dumps({
        "slug": result.slug,
        "diagnostics": [_diagnostic_to_dict(d) for d in result.diagnostics],
        "has_page": result.page is not None,
        "parts": places,
        "draft": result.summary is not None and result.summary.draft,
        "counts": [result.annotations, result.quotations, result.covered],
        "read": result.read,
    }, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n" + json.dumps(
        _plain_fields(result.summary) if result.summary is not None else None,
        ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body, blob, places


def decode(meta: bytes, blob_path: str = "", meta_path: str = "") -> StoryResult | None:
    """The StoryResult in `meta`, or None when it is not exactly what was written. Its
    page, files and lines are StoredFile references into the blob at `blob_path`, each
    checked when it is read (`intact` checks several at once)."""
    head, _, body = meta.partition(b"\n")
    if not body or hashlib.sha256(body).hexdigest().encode() != head:
        return None
    try:
        first, _, second = body.partition(b"\n")
        row = json.loads(first)
        page = lines = None
        files: dict[str, StoredFile] = {}
        for name, offset, length, digest in row["parts"]:
            stored = StoredFile(blob_path, offset, length, digest, meta_path)
            if name == LINES:
                lines = stored
            elif name:
                files[name] = stored
            else:
                page = stored
        summary = json.loads(second)
        if summary is not None:
            summary = StorySummary(**{**summary, "title": Markup(summary["title"]),
                                      "dek": Markup(summary["dek"]),
                                      "quotes": tuple(map(kept, summary["quotes"]))})
        annotations, quotations, covered = row["counts"]
        return StoryResult(
            slug=row["slug"],
            diagnostics=[_diagnostic_from_dict(d) for d in row["diagnostics"]],
            page=page if row["has_page"] else None,
            summary=summary, annotations=annotations, quotations=quotations, covered=covered,
            files=files, draft=bool(row["draft"]), lines=lines, read=dict(row["read"]))
    except (ValueError, KeyError, TypeError):
        return None


class DiskCache:
    """Compiled stories on disk, by key: `<key>.json` (meta) and `<key>.html` (the
    page and the files beside it)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / CACHE_DIR / "stories"

    def manifest_for(self, out_dir: Path) -> Path:
        """Where the manifest of the site written to `out_dir` is kept."""
        name = hashlib.sha256(os.fsencode(os.path.abspath(out_dir))).hexdigest()[:32]
        return self.root / CACHE_DIR / "sites" / f"{name}.json"

    def is_empty(self) -> bool:
        """Does the cache hold no story at all (a first or clean build)?"""
        try:
            return not any(self.folder.iterdir())
        except OSError:
            return True

    def prune(self, keep: Collection[str], most: int) -> int:
        """When the cache holds more than `most` stories, remove every entry that is
        not in `keep` (the entries of the build just made), so the cache stays within
        a few times what the project needs however often templates, settings or
        annostory change. Only entries are removed (`stories/xx/<key>.json|html`), the
        meta file first (an entry without it is a miss). Returns how many."""
        found: set[str] = set()
        try:
            with os.scandir(self.folder) as folders:
                for folder in folders:
                    if not folder.is_dir(follow_symlinks=False) or len(folder.name) != 2:
                        continue
                    with os.scandir(folder.path) as entries:
                        for entry in entries:
                            key, dot, suffix = entry.name.partition(".")
                            if dot and suffix in ("json", "html") and _KEY.fullmatch(key):
                                found.add(key)
        except OSError:
            return 0
        if len(found) <= most:
            return 0
        removed = 0
        for key in found.difference(keep):
            for suffix in (".json", ".html"):
                with contextlib.suppress(OSError):
                    self._path(key, suffix).unlink()
            removed += 1
        return removed

    def _path(self, key: str, suffix: str) -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def get(self, key: str) -> StoryResult | None:
        """The cached result (None when missing or its meta damaged), its page, files
        and lines left on disk (StoredFile: see `intact`)."""
        blob_path, meta_path = self._path(key, ".html"), self._path(key, ".json")
        try:
            meta = meta_path.read_bytes()
        except OSError:
            return None
        return decode(meta, str(blob_path), str(meta_path))

    def put(self, key: str, result: StoryResult) -> StoryResult:
        """Store `result` under `key`; return it with its page and files left in the
        entry (StoredFile), or as it was when the cache cannot be written."""
        meta, blob, parts = encode(result)
        blob_path = self._path(key, ".html")
        try:
            folder = blob_path.parent
            folder.mkdir(parents=True, exist_ok=True)
            for suffix, data in ((".html", blob), (".json", meta)):  # meta last
                temporary = folder / (f".tmp-{os.getpid()}-{threading.get_ident()}-"
                                      f"{key}{suffix}")
                temporary.write_bytes(data)
                os.replace(temporary, self._path(key, suffix))
        except OSError:
            return result  # a cache that cannot be written only makes the next build slower
        where = {name: StoredFile(str(blob_path), offset, length, digest,
                                  str(self._path(key, ".json")))
                 for name, offset, length, digest in parts}
        return replace(result, page=where.get("") if result.page is not None else None,
                       files={name: where[name] for name in result.files},
                       lines=where.get(LINES) if result.lines is not None else None)
