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

import re
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


# Everything fold() changes: whitespace runs, the characters above, runs of 3+ dots.
# (A single plain space is left alone: it is already folded.)
_SPECIAL = re.compile(r"\s{2,}|[^\S ]|\.{3,}|[" + "".join(_CHAR_FOLDS) + "]")


def fold(text: str) -> FoldedText:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    parts: list[str] = []
    origin: list[int] = []
    last = 0
    for match in _SPECIAL.finditer(text):
        start, end = match.span()
        if start > last:  # unchanged text: copied in bulk
            parts.append(text[last:start])
            origin.extend(range(last, start))
        found = match.group()
        if found[0].isspace():
            parts.append(" ")
            origin.append(start)
        elif found[0] == ".":  # a run of dots is an ellipsis: "...", ending at the run's end
            parts.append("...")
            origin.extend((start, start + 1, end - 1))
        else:
            out = _CHAR_FOLDS[found]
            parts.append(out)
            origin.extend([start] * len(out))
        last = end
    if last < len(text):
        parts.append(text[last:])
        origin.extend(range(last, len(text)))
    folded = "".join(parts)
    # An ellipsis next to dots ("….") still reads as one ellipsis, and spaces that
    # met around an invisible character (" \u00ad ") as one space.
    if "...." in folded or "  " in folded:
        return _collapse_runs(folded, origin)
    return FoldedText(folded, tuple(origin))


def _collapse_runs(folded: str, origin: list[int]) -> FoldedText:
    chars: list[str] = []
    kept: list[int] = []
    for ch, where in zip(folded, origin):
        if ch == "." and len(chars) >= 3 and chars[-1] == chars[-2] == chars[-3] == ".":
            kept[-1] = where
            continue
        if ch == " " and chars and chars[-1] == " ":
            continue
        chars.append(ch)
        kept.append(where)
    return FoldedText("".join(chars), tuple(kept))


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
