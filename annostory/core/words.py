"""Small helpers for words in messages and pages: shortening, joining names, slugs."""

from __future__ import annotations

import re
import unicodedata


def shorten(text: str, limit: int) -> str:
    """`text`, or its first whole words and an ellipsis, at most `limit` characters."""
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "\u2026"


def join_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C' (AP style: no serial comma)."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def slugify(text: str, words: int = 6) -> str:
    """The first `words` ASCII words of `text`, lower case, joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(parts[:words]) or "quote"


def quoted_excerpt(text: str, limit: int = 60) -> str:
    """A quotation in a message: in quotation marks, at most `limit` characters."""
    return "\u201c" + (text if len(text) <= limit else text[:limit - 3] + "\u2026") + "\u201d"
