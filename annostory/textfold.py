"""What counts as "the same text" when matching a quote against a story.

An author copies a quote into YAML; the story renders with curly quotes,
typographic ellipses and dashes, and line breaks where the Markdown wrapped.
Folding maps both sides to one plain form, while remembering, for every folded
character, which character of the original it came from, so a match in folded
text maps back to an exact span of the original.

Folded away: curly vs straight quotes and apostrophes, runs of whitespace
(spaces, non-breaking spaces, line breaks) to one space, `…` and runs of three or
more dots to `...`, en and em dashes to `--` and `---` (what the typographer
makes of them), soft hyphens and zero-width spaces. Letters and their case are
never folded: a quote is exact words.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_CHAR_FOLDS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2026": "...",
    "\u2013": "--", "\u2014": "---",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
}
QUOTE_MARKS = "\"'"


@dataclass(frozen=True)
class FoldedText:
    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original of folded character i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for folded [start, end) (end > start)."""
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> FoldedText:
    text = unicodedata.normalize("NFC", text)
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            chars.append(" ")
            origin.append(index)
            continue
        for out in _CHAR_FOLDS.get(ch, ch):
            if out == "." and len(chars) >= 3 and chars[-1] == chars[-2] == chars[-3] == ".":
                origin[-1] = index  # a run of dots stays "...", ending at the run's end
                continue
            chars.append(out)
            origin.append(index)
    return FoldedText("".join(chars), tuple(origin))


def fold_query(text: str) -> str:
    """A quote, prefix or suffix as written by an author, folded and trimmed."""
    return fold(text).text.strip()


def find_all(haystack: str, needle: str) -> list[int]:
    """Every start index of `needle` in `haystack`, overlapping ones included."""
    found = []
    if not needle:
        return found
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


def trim_boundary(text: str, *, left: bool) -> str:
    """Strip whitespace and quote marks at the side next to the quote."""
    chars = " " + QUOTE_MARKS
    return text.lstrip(chars) if left else text.rstrip(chars)
