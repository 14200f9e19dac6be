"""How names sort in the site's indexes: people by family name, organizations by
their name, and the letter an entry is filed under.

A person's family name is the last word of the name, past suffixes such as "Jr." or
"III" ("Martin Luther King Jr." sorts under K). Names that do not follow that order
("Xi Jinping") are given `sort_as:` in the annotations file, used as written.
"""

from __future__ import annotations

import unicodedata

SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "phd", "ph.d.",
                      "md", "m.d.", "esq", "esq."})
ARTICLES = ("the ", "a ", "an ")


def sort_name(name: str, kind: str = "person", sort_as: str = "") -> str:
    """The text a name sorts by: 'Ramsey Ismail J.', 'White House', 'Xi Jinping'."""
    if sort_as:
        return sort_as
    if kind == "organization":
        lowered = name.casefold()
        for article in ARTICLES:
            if lowered.startswith(article):
                return name[len(article):]
        return name
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].casefold() in SUFFIXES:
        words.pop()
    if len(words) <= 1:
        return name
    return " ".join([words[-1]] + words[:-1])


def collation_key(text: str) -> tuple[str, str]:
    """Alphabetical order of any script, accents after the bare letter: (base, text)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    base = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return base, text


def filed_under(sort: str) -> str:
    """The letter an entry is filed under ('#' for a digit or a sign)."""
    base = collation_key(sort)[0].lstrip("\"'\u201c\u2018(")
    first = base[:1].upper()
    return first if first.isalpha() else "#"
