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
from bisect import bisect_right
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
    (?P<plain>(?:[!-\-/-~]+|\ (?!\s)|\.(?!\.\.))+(?![^\x00-\x7f]))
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
    """Folded text and where each of its characters came from, kept as segments:
    segment k starts at folded index `at[k]` and is either a plain copy of the
    original from `start[k]` (each character its own unit) or one unit (a cluster,
    a whitespace run, an ellipsis) spanning original [start[k], end[k])."""

    text: str
    at: list[int]
    start: list[int]
    end: list[int]
    plain: list[bool]

    def _segment(self, index: int) -> int:
        return bisect_right(self.at, index) - 1

    def origin(self, index: int) -> tuple[int, int]:
        """The original span folded character `index` came from."""
        k = self._segment(index)
        if self.plain[k]:
            begin = self.start[k] + index - self.at[k]
            return begin, begin + 1
        return self.start[k], self.end[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for folded [start, end) (end > start)."""
        return self.origin(start)[0], self.origin(end - 1)[1]

    def at_unit_boundary(self, index: int) -> bool:
        """Is folded `index` between two units (grapheme clusters, whitespace runs,
        ellipses)? A match may only start and end there."""
        if index <= 0 or index >= len(self.text):
            return True
        k = self._segment(index)
        return self.plain[k] or self.at[k] == index

    @property
    def starts(self) -> list[int]:
        return [self.origin(i)[0] for i in range(len(self.text))]

    @property
    def ends(self) -> list[int]:
        return [self.origin(i)[1] for i in range(len(self.text))]


def fold(text: str) -> FoldedText:
    parts: list[str] = []
    at: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    plain: list[bool] = []
    length = 0
    for match in _PIECES.finditer(text):
        start, end = match.span()
        kind = match.lastgroup
        if kind == "plain":
            out = match.group()
        elif kind == "space":
            out = " "
        elif kind == "dots":
            out = "..."
        else:
            out = fold_cluster(match.group())
            if not out:
                continue
        parts.append(out)
        at.append(length)
        starts.append(start)
        ends.append(end)
        plain.append(kind == "plain")
        length += len(out)
    folded = "".join(parts)
    result = FoldedText(folded, at, starts, ends, plain)
    # An ellipsis next to dots ("….") still reads as one ellipsis, and spaces that
    # meet around an invisible character (" \u00ad ") or a line break as one space.
    if "...." in folded or "  " in folded:
        return _collapse_runs(result)
    return result


def _collapse_runs(folded: FoldedText) -> FoldedText:
    """The rare slow path: character by character, then back into segments."""
    chars: list[str] = []
    spans: list[list[int]] = []
    for i, ch in enumerate(folded.text):
        start, end = folded.origin(i)
        if ch == "." and len(chars) >= 3 and chars[-1] == chars[-2] == chars[-3] == ".":
            first = spans[-3][0]
            for k in (-3, -2, -1):  # the ellipsis becomes one unit up to this dot
                spans[k] = [first, end]
            continue
        if ch == " " and chars and chars[-1] == " ":
            spans[-1][1] = end
            continue
        chars.append(ch)
        spans.append([start, end])
    at: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    plain: list[bool] = []
    for i, (start, end) in enumerate(spans):
        if i and spans[i - 1] == [start, end]:
            continue  # the same unit as the character before
        at.append(i)
        starts.append(start)
        ends.append(end)
        plain.append(False)
    return FoldedText("".join(chars), at, starts, ends, plain)


@lru_cache(maxsize=16384)
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


def trim_boundary(text: str, *, left: bool) -> str:
    """Strip whitespace and quote marks at the side next to the quote."""
    chars = " " + QUOTE_MARKS
    return text.lstrip(chars) if left else text.rstrip(chars)


def without_invisible(text: str) -> str:
    """`text` without the characters folding drops (soft hyphens, zero-width spaces,
    word joiners), spaces as single spaces."""
    return " ".join("".join(ch for ch in text if _CHAR_FOLDS.get(ch) != "").split())


_SHOWN_AS = {"-": "a hyphen (-)", "\u2013": "an en dash (\u2013)", "\u2014": "an em dash (\u2014)",
             "'": "a straight apostrophe (')", "\u2019": "a curly apostrophe (\u2019)",
             "\u2018": "an opening single quotation mark (\u2018)",
             '"': 'a straight quotation mark (")', "\u201c": "an opening quotation mark (\u201c)",
             "\u201d": "a closing quotation mark (\u201d)", " ": "a space",
             "\u00a0": "a non-breaking space", "\n": "a line break",
             "\u2026": "an ellipsis (\u2026)", ".": "a period", ",": "a comma"}
_MOST_SHOWN = 3  # characters of one difference named, at most


def character_difference(quote: str, passage: str) -> str:
    """The one small difference between a quote and a passage that look alike, in plain
    words ("the story has an en dash (–) where the quote has a hyphen (-)", "the
    story has 'i' where the quote has 't'"), or '' when they differ otherwise."""
    import difflib

    changes = [op for op in difflib.SequenceMatcher(a=quote, b=passage, autojunk=False)
               .get_opcodes() if op[0] != "equal"]
    if len(changes) != 1:
        return ""
    op, i1, i2, j1, j2 = changes[0]
    ours, theirs = quote[i1:i2], passage[j1:j2]
    if len(ours) > _MOST_SHOWN or len(theirs) > _MOST_SHOWN:
        return ""
    if op == "replace" and len(ours) == 1 == len(theirs) and ours.isalpha() and \
            theirs.isalpha() and _script(ours) != _script(theirs):  # look-alikes: say which
        return (f"the story has '{theirs}' ({unicodedata.name(theirs, '?')}) where the quote "
                f"has '{ours}' ({unicodedata.name(ours, '?')})")
    if op == "insert":
        return f"the story has {_shown(theirs)} that the quote has not"
    if op == "delete":
        return f"the quote has {_shown(ours)} that the story has not"
    return f"the story has {_shown(theirs)} where the quote has {_shown(ours)}"


def _script(letter: str) -> str:
    """The first word of a letter's name: LATIN, CYRILLIC, GREEK..."""
    return unicodedata.name(letter, "?").split(" ")[0]


def _shown(text: str) -> str:
    """Characters in plain words: their name when they look alike or do not show,
    else themselves ('i'); code points only for the invisible."""
    if text in _SHOWN_AS:
        return _SHOWN_AS[text]
    if all(ch.isprintable() and not ch.isspace() and
           unicodedata.category(ch) not in ("Cf", "Mn") for ch in text):
        return f"'{text}'"
    return " and ".join(_SHOWN_AS.get(ch) or (
        f"'{ch}'" if ch.isprintable() and not ch.isspace() and
        unicodedata.category(ch) not in ("Cf", "Mn")
        else f"the invisible U+{ord(ch):04X} {unicodedata.name(ch, 'character')}")
        for ch in text)
