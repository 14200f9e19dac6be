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
import tempfile
from dataclasses import asdict
from pathlib import Path

from markupsafe import Markup

from .diagnostics import Diagnostic, Position
from .render import StorySummary

CACHE_DIR = ".annostory-cache"
FORMAT = 1
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


def encode(result) -> bytes:
    """A StoryResult as bytes: JSON body, then its SHA-256 on the first line."""
    body = json.dumps({
        "slug": result.slug,
        "diagnostics": [_diagnostic_to_dict(d) for d in result.diagnostics],
        "page": result.page.decode("utf-8") if result.page is not None else None,
        "summary": asdict(result.summary) if result.summary is not None else None,
        "counts": [result.annotations, result.quotations, result.covered],
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def decode(data: bytes, result_type):
    """The StoryResult in `data`, or None when it is not exactly what was written."""
    head, _, body = data.partition(b"\n")
    if not body or hashlib.sha256(body).hexdigest().encode() != head:
        return None
    try:
        row = json.loads(body)
        summary = row["summary"]
        if summary is not None:
            summary = StorySummary(**{**summary, "title": Markup(summary["title"]),
                                      "dek": Markup(summary["dek"])})
        annotations, quotations, covered = row["counts"]
        return result_type(
            slug=row["slug"],
            diagnostics=[_diagnostic_from_dict(d) for d in row["diagnostics"]],
            page=row["page"].encode("utf-8") if row["page"] is not None else None,
            summary=summary, annotations=annotations, quotations=quotations, covered=covered)
    except (ValueError, KeyError, TypeError):
        return None


class DiskCache:
    """Compiled stories on disk, by key."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR / "stories"
        self.hits = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, result_type):
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        result = decode(data, result_type)
        self.hits += result is not None
        return result

    def put(self, key: str, result) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(encode(result))
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower
