"""Site pages kept from one build to the next, under `.annostory-cache/pages/`: the
pages of a person's or a document's quotes (`pages.directory`), most of a large
site's files, each stored under a key hashing everything it is made from (its
quotes' lines, their stories, its place in the list) and what every page shares (the
templates, the settings, annostory itself: `build.keys.shared_salt`). A build that
changes one story makes again only the pages that list its quotes.

`index.json` says what each kept page is (SHA-256 and length), so a page the site
already holds is never read; a page that will be read is checked against it first,
and one found damaged is removed and made again. The index names the pages of the
last builds only: past three times what a build uses (and ten), the rest go.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from .cache import CACHE_DIR, StoredFile

_KEY = re.compile("[0-9a-f]{64}")
Present = Callable[[str, str], bool]  # (path, sha256): does the output hold it already?


class PageMemo:
    """The pages kept on disk, for one build (`pages.base.PageMemo`)."""

    def __init__(self, root: Path, salt: bytes, present: Present | None = None,
                 verify: bool = True) -> None:
        self.folder = root / CACHE_DIR / "pages"
        self.salt = salt
        self.present = present
        self.verify = verify  # False: nothing will be read (check), so nothing is checked
        self.known = self._read_index()
        self.used: dict[str, list] = {}

    def _read_index(self) -> dict[str, list]:
        try:
            data = json.loads((self.folder / "index.json").read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {key: row for key, row in data.items() if _KEY.fullmatch(key) and
                isinstance(row, list) and len(row) == 2 and isinstance(row[0], str) and
                isinstance(row[1], int)}

    def _key(self, key: str) -> str:
        return hashlib.sha256(self.salt + key.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.html"

    def get(self, key: str, path: str) -> StoredFile | None:
        """The page kept under `key`, or None. Unless the output already holds it at
        `path`, it is read and checked now: a damaged page is removed (and made
        again), never written out."""
        key = self._key(key)
        row = self.known.get(key)
        if row is None:
            return None
        page = self._path(key)
        stored = StoredFile(str(page), 0, row[1], row[0], discard=str(page))
        if self.verify and not (self.present is not None and self.present(path, row[0])):
            try:
                stored.read()
            except OSError:
                return None
        self.used[key] = row
        return stored

    def put(self, key: str, data: bytes) -> StoredFile | None:
        """Keep a page made under `key` (atomically: a killed build leaves at most a
        temporary file); the page as kept, or None when the cache cannot be written."""
        key = self._key(key)
        page = self._path(key)
        try:
            page.parent.mkdir(parents=True, exist_ok=True)
            temporary = page.with_name(f".tmp-{os.getpid()}-{page.name}")
            temporary.write_bytes(data)
            os.replace(temporary, page)
        except OSError:
            return None
        row = [hashlib.sha256(data).hexdigest(), len(data)]
        self.used[key] = row
        return StoredFile(str(page), 0, len(data), row[0], discard=str(page))

    def save(self) -> None:
        """Write the index: the pages this build used, and those of earlier builds
        while they are few; remove the pages it no longer names."""
        keep = dict(self.used)
        if len(self.known.keys() | keep.keys()) <= 3 * len(keep) + 10:
            keep = {**self.known, **keep}
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".index-{os.getpid()}.tmp"
            temporary.write_text(json.dumps(keep, separators=(",", ":")))
            os.replace(temporary, self.folder / "index.json")
        for key in self.known.keys() - keep.keys():
            with contextlib.suppress(OSError):
                self._path(key).unlink()
