"""Compiled stories in memory, by content hash (the preview keeps one between saves):
their summaries, diagnostics and what they read; their pages and files stay where
the compile left them (the disk cache's entries, `StoredFile`), so a preview of
10,000 stories does not hold 10,000 pages in memory. A reference is checked like a
disk cache hit: read only when the site does not hold that file yet, and a damaged
or vanished entry is compiled again."""

from __future__ import annotations

from .results import StoryResult


class StoryCache:
    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, StoryResult]] = {}

    def get(self, slug: str, key: str) -> StoryResult | None:
        entry = self.entries.get(slug)
        return entry[1] if entry and entry[0] == key else None

    def put(self, slug: str, key: str, result: StoryResult) -> None:
        self.entries[slug] = (key, result)
