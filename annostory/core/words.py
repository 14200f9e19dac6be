"""Small helpers for words in messages and pages: shortening, joining names, slugs."""

from __future__ import annotations

import hashlib
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


_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")


def key(name: str, max_words: int = 12) -> str:
    """A name for a folder or an id that never makes one of two distinct names: its
    letters and digits (of any script: 习近平, Путин, Zoë), lower case, words joined by
    dashes; when that leaves anything out (punctuation that tells names apart, words
    past `max_words`, or everything), a short hash of the whole name follows. Names
    that differ only in capitals or spacing are the same name."""
    canonical = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
    words = _LETTERS_AND_DIGITS.findall(canonical)
    readable = "-".join(words[:max_words])
    if words and len(words) <= max_words and " ".join(words) == canonical:
        return readable
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}" if readable else digest
