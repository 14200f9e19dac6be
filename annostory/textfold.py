"""What counts as "the same text" when matching a quote against a story.

An author copies a quote into YAML; the story renders with curly quotes,
typographic ellipses and dashes, and line breaks where the Markdown wrapped.
Folding maps both sides to one plain form, while remembering, for every folded
character, the span of the original it came from, so a match in folded text maps
back to an exact span of the original.

The unit of folding is the extended grapheme cluster (Unicode UAX #29, from the
`regex` module's `\\X`): a cluster is folded as a whole (NFC, then the rules
below), and every character it folds to carries the cluster's whole span. A match
may only start at the first and end at the last folded character of a unit, so a
quote never cuts a cluster (an emoji sequence, a flag, a letter and its accents),
and it must start and end on a word boundary (UAX #29 again: ideographs and kana
break without spaces, "he is" never matches inside "the issue").

Folded away (invisible to a reader): curly vs straight quotes and apostrophes;
runs of whitespace (spaces, non-breaking spaces, line breaks) to one space; `…`
and runs of three or more dots to `...`; en and em dashes to `--` and `---` (what
the typographer makes of them); soft hyphens, zero-width spaces, word joiners;
composed vs decomposed accents (NFC); and compatibility characters that only
change presentation (NFKC for ligatures such as `ﬁ`, full-width and half-width
forms such as `ＮＨＫ`, Arabic presentation forms, non-breaking variants, font
variants). Superscripts, subscripts, fractions and circled characters are *not*
folded (`m²` is not `m2`), nor are letters and their case: a quote is exact words.
Zero-width joiners and non-joiners are kept: they change what a reader sees.
"""

from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

import regex

_CHAR_FOLDS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2026": "...",
    "\u2013": "--", "\u2014": "---",
    "\u00ad": "", "\u200b": "", "\u2060": "", "\ufeff": "",
}
QUOTE_MARKS = "\"'"

# Compatibility decompositions that only change how a character is drawn.
_PRESENTATION_TAGS = ("<compat>", "<wide>", "<narrow>", "<font>", "<noBreak>", "<small>",
                      "<vertical>", "<initial>", "<medial>", "<final>", "<isolated>",
                      "<square>")

# Printable ASCII and single spaces (but not three dots, and not a last character
# that a combining mark follows) is copied as is; the rest piece by piece.
_PIECES = regex.compile(r"""
    (?P<plain>(?:[\ !-\-/-~]|\.(?!\.\.))+(?![^\x00-\x7f]))
  | (?P<dots>\.{3,})
  | (?P<space>\s+)
  | (?P<cluster>\X)
""", regex.VERBOSE)

_WORD_BOUNDARY = regex.compile(r"(?w)\b")


@lru_cache(maxsize=4096)
def fold_cluster(cluster: str) -> str:
    """One grapheme cluster, folded."""
    text = unicodedata.normalize("NFC", cluster)
    out = []
    for ch in text:
        folded = _CHAR_FOLDS.get(ch)
        if folded is None:
            decomposition = unicodedata.decomposition(ch)
            if decomposition.startswith(_PRESENTATION_TAGS):
                folded = unicodedata.normalize("NFKC", ch)
                folded = "".join(_CHAR_FOLDS.get(c, c) for c in folded)
            else:
                folded = ch
        out.append(folded)
    result = "".join(out)
    return " " if result and result.isspace() else result


@dataclass(frozen=True)
class FoldedText:
    """Folded text; folded character i came from original[starts[i]:ends[i]]."""

    text: str
    starts: array
    ends: array

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for folded [start, end) (end > start)."""
        return self.starts[start], self.ends[end - 1]

    def at_unit_boundary(self, index: int) -> bool:
        """Is folded `index` between two units (grapheme clusters, whitespace runs,
        ellipses)? A match may only start and end there."""
        return index <= 0 or index >= len(self.text) or \
            self.starts[index] != self.starts[index - 1]


def fold(text: str) -> FoldedText:
    parts: list[str] = []
    starts = array("l")
    ends = array("l")
    for match in _PIECES.finditer(text):
        start, end = match.span()
        kind = match.lastgroup
        if kind == "plain":
            parts.append(match.group())
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
            continue
        if kind == "space":
            out = " "
        elif kind == "dots":
            out = "..."
        else:
            out = fold_cluster(match.group())
        parts.append(out)
        starts.extend([start] * len(out))
        ends.extend([end] * len(out))
    folded = "".join(parts)
    # An ellipsis next to dots ("….") still reads as one ellipsis, and spaces that
    # meet around an invisible character (" \u00ad ") as one space.
    if "...." in folded or "  " in folded:
        return _collapse_runs(folded, starts, ends)
    return FoldedText(folded, starts, ends)


def _collapse_runs(folded: str, starts: array, ends: array) -> FoldedText:
    chars: list[str] = []
    kept_starts = array("l")
    kept_ends = array("l")
    for ch, start, end in zip(folded, starts, ends):
        if ch == "." and len(chars) >= 3 and chars[-1] == chars[-2] == chars[-3] == ".":
            first = kept_starts[-3]
            for k in (-3, -2, -1):  # the ellipsis becomes one unit up to this dot
                kept_starts[k] = first
                kept_ends[k] = end
            continue
        if ch == " " and chars and chars[-1] == " ":
            kept_ends[-1] = end
            continue
        chars.append(ch)
        kept_starts.append(start)
        kept_ends.append(end)
    return FoldedText("".join(chars), kept_starts, kept_ends)


def fold_query(text: str) -> str:
    """A quote, prefix or suffix as written by an author, folded and trimmed."""
    return fold(text).text.strip()


def is_word_boundary(text: str, index: int) -> bool:
    """Unicode word boundary (UAX #29) at `index` of `text` (ends count)."""
    if index <= 0 or index >= len(text):
        return True
    return _WORD_BOUNDARY.match(text, index) is not None


def on_boundaries(folded: FoldedText, original: str, start: int, end: int) -> bool:
    """May a quote cover folded [start, end)? Only whole units (grapheme clusters,
    whitespace runs, ellipses), starting and ending on word boundaries."""
    if not (folded.at_unit_boundary(start) and folded.at_unit_boundary(end)):
        return False
    o_start, o_end = folded.span(start, end)
    return is_word_boundary(original, o_start) and is_word_boundary(original, o_end)


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


def describe_invisible(quote: str, passage: str) -> str:
    """Name the first character that differs between two texts that may look alike
    ("the story has U+FB01 LATIN SMALL LIGATURE FI where the quote has 'f'"), or ''."""
    for a, b in zip(quote, passage):
        if a != b:
            return (f"the story has {_name(b)} where the quote has {_name(a)}")
    if len(quote) != len(passage):
        longer, which = (quote, "quote") if len(quote) > len(passage) else (passage, "story")
        return f"the {which} has an extra {_name(longer[min(len(quote), len(passage))])}"
    return ""


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'character')}" + (
        f" ({ch!r})" if ch.isprintable() and not ch.isspace() else "")
