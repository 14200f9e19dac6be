"""The site's files as a mapping: bytes, or references to files kept on disk until
written (`Deferred`, such as the build cache's entries), read one at a time."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Protocol

from ..core.spill import Spilled


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

    def __contains__(self, path: object) -> bool:
        """Whether the site has the file, without reading it (Mapping's own test
        reads the item: a deferred file would be read, and a damaged one raise)."""
        return path in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def made_now(self, path: str) -> bool:
        """Was the file made by this build (held as bytes, or kept in a temporary file
        of the build), not taken from a cache?"""
        return isinstance(self._values[path], bytes | Spilled)

    def sha256(self, path: str) -> str:
        """The SHA-256 of a file, without reading a deferred one."""
        value = self._values[path]
        return hashlib.sha256(value).hexdigest() if isinstance(value, bytes) else value.sha256


def digest(files: Mapping[str, bytes], path: str) -> str:
    """The SHA-256 of a file of `files`, without reading a deferred one."""
    if isinstance(files, SiteFiles):
        return files.sha256(path)
    return hashlib.sha256(files[path]).hexdigest()
