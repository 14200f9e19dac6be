"""A quote aligned with its original, word by word, and its differences named.

Both texts are cut into words (letters and digits, with inner apostrophes); a word is
"the same" when it folds to the same text ignoring capitals (`core.textfold`). The
region of the original with the most of the quote's words is aligned with the quote
(difflib, on words), and every difference is classed: changed words, added words,
dropped words, spelling (one word for one, nearly the same letters), capitals, and
punctuation (what stands between two aligned words). What the author marked is not
a difference: `[sic]`, words in [brackets] (an editor's), an elision (`…`, `...`) where
the original's words are left out, a changed first capital, and a final period or
comma inside the closing quotation mark (the story's punctuation, US style).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..core.textfold import fold

WORD_CLASSES = ("changed words", "added words", "dropped words", "spelling")
MARK_CLASSES = ("capitals", "punctuation")
_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_SIC = re.compile(r"\s*[\[(]sic[\])]", re.IGNORECASE)
_MARKS = re.compile(r"\[[^\]]*\]|\u2026|\.\.\.+")
_SPELLING = 0.8  # letters alike, for one word in place of another


@dataclass(frozen=True)
class Word:
    text: str  # as written
    key: str  # what "the same word" means: folded, capitals ignored
    start: int  # in the text it comes from
    end: int
    after_gap: bool = False  # (a quote's word) an elision stands just before it
    editorial: bool = False  # (a quote's word) inside [brackets]


def _key(text: str) -> str:
    return fold(text).text.casefold()


def words(text: str) -> list[Word]:
    return [Word(m.group(), _key(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def quote_words(quote: str) -> tuple[str, list[Word]]:
    """The quote without [sic], and its words, marked editorial ([...]) or after an
    elision."""
    text = _SIC.sub("", quote)
    marks = [(m.start(), m.end(), m.group().startswith("[")) for m in _MARKS.finditer(text)]
    found = []
    for word in words(text):
        editorial = any(s < word.start < e for s, e, bracket in marks if bracket)
        gap = any(e <= word.start and not text[e:word.start].strip(" ,;:")
                  for s, e, bracket in marks if not bracket)
        found.append(Word(word.text, word.key, word.start, word.end, gap, editorial))
    return text, found


@dataclass(frozen=True)
class Difference:
    kind: str  # one of WORD_CLASSES or MARK_CLASSES
    quote: str  # the quote's words (or marks) there
    original: str  # the original's


class Differing:
    """What a record holding `differences` says of them (an alignment, a comparison)."""

    differences: tuple[Difference, ...]

    @property
    def words_differ(self) -> bool:
        return any(d.kind in WORD_CLASSES for d in self.differences)

    def classes(self) -> list[str]:
        return sorted({d.kind for d in self.differences},
                      key=(WORD_CLASSES + MARK_CLASSES).index)


@dataclass(frozen=True)
class Alignment(Differing):
    start: int  # the aligned passage of the original: text[start:end]
    end: int
    differences: tuple[Difference, ...]


def _region(quote: list[Word], original: list[Word]) -> tuple[int, int]:
    """The stretch of the original (a word range) most like the quote: the window of
    its length with the most of its words, and of its pairs of words in order, with
    room on both sides."""
    keys = {w.key for w in quote}
    pairs = {(a.key, b.key) for a, b in zip(quote, quote[1:])}
    size = len(quote)
    hits = [(w.key in keys) + 2 * (k + 1 < len(original) and
                                  (w.key, original[k + 1].key) in pairs)
            for k, w in enumerate(original)]
    best, at, window = -1, 0, sum(hits[:size])
    for first in range(max(len(original) - size + 1, 1)):
        if first:
            window += hits[first + size - 1] - hits[first - 1]
        if window > best:
            best, at = window, first
    return max(0, at - size), min(len(original), at + 2 * size + 1)


def align(quote: str, original: str) -> Alignment | None:
    """The quote aligned with the passage of `original` it comes from, or None when
    no passage holds at least half of its words."""
    text, mine = quote_words(quote)
    theirs_all = words(original)
    compared = [w for w in mine if not w.editorial]
    if not compared or not theirs_all:
        return None
    low, high = _region(compared, theirs_all)
    theirs = theirs_all[low:high]
    matcher = difflib.SequenceMatcher(a=[w.key for w in compared],
                                      b=[w.key for w in theirs], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if sum(b.size for b in blocks) * 2 < len(compared):
        return None
    first, last = blocks[0], blocks[-1]
    # the quote's unmatched first and last words, and as many of the original's next to
    # the match (within the sentence) as their counterpart
    before = _within_sentence(original, theirs[:first.b][::-1], first.a, backwards=True)
    after = _within_sentence(original, theirs[last.b + last.size:],
                             len(compared) - last.a - last.size, backwards=False)
    span = theirs[first.b - before:last.b + last.size + after]
    return Alignment(span[0].start, span[-1].end,
                     tuple(_differences(text, mine, original, span)))


def _within_sentence(text: str, nearest_first: list[Word], most: int, backwards: bool
                     ) -> int:
    """How many of `nearest_first` (the original's words next to the match, nearest
    first) to take, at most `most`, not crossing the end of a sentence."""
    taken = 0
    for k, word in enumerate(nearest_first[:most]):
        if k:
            previous = nearest_first[k - 1]
            between = text[word.end:previous.start] if backwards else \
                text[previous.end:word.start]
            if any(mark in between for mark in ".!?\n"):
                break
        taken += 1
    return taken


def _differences(quote: str, mine: list[Word], original: str, span: list[Word]
                 ) -> list[Difference]:
    compared = [w for w in mine if not w.editorial]
    editorial = any(w.editorial for w in mine)
    found: list[Difference] = []
    pairs: list[tuple[int, int]] = []  # aligned words: (quote index, original index)
    matcher = difflib.SequenceMatcher(a=[w.key for w in compared], b=[w.key for w in span],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        ours, theirs = compared[i1:i2], span[j1:j2]
        said = " ".join(w.text for w in ours)
        written = " ".join(w.text for w in theirs)
        if op == "equal":
            pairs += list(zip(range(i1, i2), range(j1, j2)))
        elif op == "insert":  # the original's words the quote leaves out
            gap = i1 < len(compared) and compared[i1].after_gap
            if not gap and not (editorial and _next_to_editorial(mine, compared, i1)):
                found.append(Difference("dropped words", "", written))
        elif op == "delete":
            found.append(Difference("added words", said, ""))
        elif len(ours) == 1 == len(theirs) and min(len(ours[0].key), len(theirs[0].key)) >= 4 \
                and difflib.SequenceMatcher(a=ours[0].key, b=theirs[0].key).ratio() >= _SPELLING:
            found.append(Difference("spelling", said, written))
        elif ours and ours[0].after_gap and len(theirs) > len(ours):
            found.append(Difference("changed words", said, " ".join(
                w.text for w in theirs[-len(ours):])))
        elif not (editorial and _next_to_editorial(mine, compared, i1)):
            found.append(Difference("changed words", said, written))
    ends = pairs and pairs[-1] == (len(compared) - 1, len(span) - 1)  # the last words align
    found += _marks(quote, original, [(compared[i], span[j], i, j) for i, j in pairs], ends)
    return found


def _next_to_editorial(mine: list[Word], compared: list[Word], index: int) -> bool:
    """Does an editor's [bracket] stand where compared word `index` is (or just before)?"""
    if index >= len(compared):
        return any(w.editorial for w in mine[mine.index(compared[-1]) + 1:]) if compared \
            else True
    position = mine.index(compared[index])
    return position > 0 and mine[position - 1].editorial


def _punctuation(text: str) -> str:
    """The marks between two words, as folding sees them (spaces and reply marks out)."""
    return "".join(ch for ch in fold(text).text if not ch.isspace() and ch != ">")


def _marks(quote: str, original: str, pairs: list[tuple[Word, Word, int, int]],
           ends: bool) -> list[Difference]:
    """Capitals of aligned words (but the first), and the marks between aligned
    words that follow each other in both texts."""
    found = []
    for ours, theirs, i, _ in pairs:
        if i and ours.text != theirs.text and ours.text.casefold() == theirs.text.casefold():
            found.append(Difference("capitals", ours.text, theirs.text))
    for (a, b, i, j), (c, d, k, m) in zip(pairs, pairs[1:]):
        if k != i + 1 or m != j + 1 or c.after_gap or c.start - a.end > 40:
            continue  # words between, an elision, or an editor's [bracket]
        said, written = _punctuation(quote[a.end:c.start]), _punctuation(original[b.end:d.start])
        if "[" in said or said == written:
            continue
        found.append(Difference("punctuation", f"{a.text}{quote[a.end:c.start]}{c.text}",
                                f"{b.text}{original[b.end:d.start]}{d.text}"))
    if ends:  # the quote's last marks: a final period or comma is the story's own
        last_ours, last_theirs, _, _ = pairs[-1]
        said = _punctuation(quote[last_ours.end:]).strip("\"'")
        if said not in ("", ".", ","):
            written = _punctuation(original[last_theirs.end:last_theirs.end + 3])[:len(said)]
            if said != written:
                found.append(Difference("punctuation", f"{last_ours.text}{said}",
                                        f"{last_theirs.text}{written}"))
    return found
