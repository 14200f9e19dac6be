"""The on-disk cache of compiled stories, under `.annostory-cache/` (git-ignored).

A compiled story (its page, index summary, counts and diagnostics: the plain
`StoryResult`) is stored as JSON under a key that hashes every input it depends on:
the story and annotations files, the templates, the schemas, the site settings and
annostory's own source. Any change to any of them is a new key, so a stale page is
never served. An entry carries the SHA-256 of its own body; a corrupt, truncated
or unreadable entry is ignored (and rebuilt), never trusted. Entries are written
atomically (a temporary file renamed into place), so a killed build leaves at most
a stray temporary file, which the next write replaces.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields
from pathlib import Path

from markupsafe import Markup

from .diagnostics import Diagnostic, Position
from .render import StorySummary

CACHE_DIR = ".annostory-cache"
FORMAT = 2
_SOURCE_DIGEST: str | None = None


def source_digest() -> str:
    """A hash of annostory's own code (its version, in effect)."""
    global _SOURCE_DIGEST
    if _SOURCE_DIGEST is None:
        digest = hashlib.sha256(str(FORMAT).encode())
        package = Path(__file__).resolve().parent
        for path in sorted(package.glob("*.py")) + sorted(package.glob("*.js")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        _SOURCE_DIGEST = digest.hexdigest()
    return _SOURCE_DIGEST


def _diagnostic_to_dict(d: Diagnostic) -> dict:
    return {"severity": d.severity, "code": d.code, "message": d.message,
            "position": [d.position.file, d.position.line, d.position.column],
            "hint": d.hint, "related": [[r.file, r.line, r.column] for r in d.related]}


def _diagnostic_from_dict(row: dict) -> Diagnostic:
    return Diagnostic(row["severity"], row["code"], row["message"], Position(*row["position"]),
                      row["hint"], tuple(Position(*r) for r in row["related"]))


def pack(files: dict[str, bytes]) -> bytes:
    """Files beside a page (photos) in one blob: name, size, bytes, in name order."""
    out = bytearray()
    for name in sorted(files):
        encoded = name.encode("utf-8")
        out += len(encoded).to_bytes(4, "big") + encoded
        out += len(files[name]).to_bytes(8, "big") + files[name]
    return bytes(out)


def unpack(blob: bytes) -> dict[str, bytes]:
    files, at = {}, 0
    while at < len(blob):
        size = int.from_bytes(blob[at:at + 4], "big")
        name = blob[at + 4:at + 4 + size].decode("utf-8")
        at += 4 + size
        length = int.from_bytes(blob[at:at + 8], "big")
        files[name] = blob[at + 8:at + 8 + length]
        at += 8 + length
    return files


def _plain_fields(summary: StorySummary) -> dict:
    """The summary's fields as they are: all plain values already, so not the deep
    copy `dataclasses.asdict` makes (which was most of the time of writing an entry)."""
    return {f.name: getattr(summary, f.name) for f in fields(summary)}


def encode(result) -> tuple[bytes, bytes]:
    """A StoryResult as (meta, page): the meta is one line of JSON holding the
    SHA-256 of the page and of its files, then its own SHA-256 on the first line;
    the page is stored as it is, and the page's files after it (see `pack`)."""
    page = (result.page or b"")
    blob = pack(result.files)
    body = json.dumps({
        "slug": result.slug,
        "diagnostics": [_diagnostic_to_dict(d) for d in result.diagnostics],
        "has_page": result.page is not None,
        "page_sha256": hashlib.sha256(page).hexdigest(),
        "page_size": len(page),
        "files_sha256": hashlib.sha256(blob).hexdigest(),
        "summary": _plain_fields(result.summary) if result.summary is not None else None,
        "counts": [result.annotations, result.quotations, result.covered],
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body, page + blob


def decode(meta: bytes, page: bytes | None, result_type):
    """The StoryResult in `meta` (and `page`, when given), or None when either is not
    exactly what was written. Without `page` the result has no page (page=None)."""
    head, _, body = meta.partition(b"\n")
    if not body or hashlib.sha256(body).hexdigest().encode() != head:
        return None
    try:
        row = json.loads(body)
        files: dict[str, bytes] = {}
        if page is not None:
            page, blob = page[:row["page_size"]], page[row["page_size"]:]
            if hashlib.sha256(page).hexdigest() != row["page_sha256"] or \
                    hashlib.sha256(blob).hexdigest() != row["files_sha256"]:
                return None
            files = unpack(blob)
        summary = row["summary"]
        if summary is not None:
            summary = StorySummary(**{**summary, "title": Markup(summary["title"]),
                                      "dek": Markup(summary["dek"])})
        annotations, quotations, covered = row["counts"]
        return result_type(
            slug=row["slug"],
            diagnostics=[_diagnostic_from_dict(d) for d in row["diagnostics"]],
            page=page if row["has_page"] and page is not None else None,
            summary=summary, annotations=annotations, quotations=quotations, covered=covered,
            files=files)
    except (ValueError, KeyError, TypeError):
        return None


class DiskCache:
    """Compiled stories on disk, by key: `<key>.json` (meta) and `<key>.html` (page)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = root / CACHE_DIR / "stories"

    def manifest_for(self, out_dir: Path) -> Path:
        """Where the manifest of the site written to `out_dir` is kept."""
        name = hashlib.sha256(os.fsencode(os.path.abspath(out_dir))).hexdigest()[:32]
        return self.root / CACHE_DIR / "sites" / f"{name}.json"

    def _path(self, key: str, suffix: str) -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def get(self, key: str, result_type, with_page: bool = True):
        """The cached result (None when missing or damaged). Without `with_page`, only
        the small meta file is read (diagnostics, counts, summary)."""
        try:
            meta = self._path(key, ".json").read_bytes()
            page = self._path(key, ".html").read_bytes() if with_page else None
        except OSError:
            return None
        return decode(meta, page, result_type)

    def put(self, key: str, result) -> None:
        meta, page = encode(result)
        try:
            folder = self._path(key, "").parent
            folder.mkdir(parents=True, exist_ok=True)
            for suffix, data in ((".html", page), (".json", meta)):  # meta last
                temporary = folder / f".tmp-{os.getpid()}-{key}{suffix}"
                temporary.write_bytes(data)
                os.replace(temporary, self._path(key, suffix))
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
