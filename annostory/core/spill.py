"""Bytes kept in an anonymous temporary file instead of in memory, read back by
offset: what a build of thousands of stories makes once and reads once or twice (the
quote lines of the people and sources pages, and those pages) need not all be held
at the same time. The file has no name and goes when the last reference does.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass


class Spill:
    """An append-only temporary file."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the Spill
        self._end = 0

    def put(self, data: bytes) -> tuple[int, int]:
        """Keep `data`; where it is: (offset, length)."""
        offset = self._end
        view = memoryview(data)
        while view:
            written = os.pwrite(self._file.fileno(), view, self._end)
            self._end += written
            view = view[written:]
        return offset, len(data)

    def get(self, offset: int, length: int) -> bytes:
        data = os.pread(self._file.fileno(), length, offset)
        if len(data) != length:
            raise OSError("a temporary file of the build was cut short")
        return data

    def keep(self, data: bytes) -> Spilled:
        """`data` kept here, as a file the site's files may refer to (`Deferred`)."""
        offset, length = self.put(data)
        return Spilled(self, offset, length, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Spilled:
    """A file's content kept in a `Spill`, with its SHA-256 (output.files.Deferred)."""

    spill: Spill
    offset: int
    length: int
    sha256: str

    def read(self) -> bytes:
        return self.spill.get(self.offset, self.length)
