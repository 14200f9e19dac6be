"""Compiled stories in memory, by content hash (the preview keeps one between saves)."""

from __future__ import annotations

from dataclasses import replace

from .results import StoryResult


class StoryCache:
    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, StoryResult]] = {}

    def get(self, slug: str, key: str) -> StoryResult | None:
        entry = self.entries.get(slug)
        return entry[1] if entry and entry[0] == key else None

    def put(self, slug: str, key: str, result: StoryResult) -> None:
        """Keep `result`; a page left in the disk cache is read into memory here, once,
        so that the preview's writer is handed the same bytes on every build (and
        never reads them again to compare). An entry that cannot be read is not kept."""
        kept = self.entries.get(slug)
        if kept is not None and kept[0] == key and kept[1] is result:
            return  # handed back by this cache: kept already

        def read(data):
            return data if data is None or isinstance(data, bytes) else data.read()
        try:
            page, lines = read(result.page), read(result.lines)
            files = {name: read(data) for name, data in result.files.items()}
        except OSError:
            return
        self.entries[slug] = (key, replace(result, page=page, files=files, lines=lines))
