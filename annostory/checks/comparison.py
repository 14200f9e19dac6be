"""A quote compared with its original: found as written (the same folding as
anchoring, with the author's marks: [sic], [brackets], elisions), or aligned word by
word (`checks.alignment`) with its differences classed, the original's own passage and
the sentence around it (addresses redacted), and a word-by-word difference."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.passages import word_diff
from ..core.textfold import fold
from ..inputs.emails import redact_addresses
from .alignment import Difference, Differing, align

_SIC = re.compile(r"\s*[\[(]sic[\])]", re.IGNORECASE)
_GAP = re.compile(r"\s*(?:\[[^\]]*\]|\u2026|\.\.\.)\s*")
_MAX_GAP_WORDS = 60
MAX_SHOWN = 400  # characters of the original shown around a quote


def unwrap(text: str) -> str:
    """The text of an email or document with reply marks (`>`) and wrapping removed:
    the lines of a paragraph joined by spaces, paragraphs (a blank line, or a change
    of how deeply a reply is quoted) by line breaks, which no sentence crosses."""
    paragraphs: list[list[str]] = []
    depth = None
    for line in text.split("\n"):
        marks = re.match(r"^(?:\s*>)+\s?", line)
        level = marks.group().count(">") if marks else 0
        words = line[marks.end():].strip() if marks else line.strip()
        if not words:
            depth = None
            continue
        if level != depth or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(words)
        depth = level
    return "\n".join(" ".join(lines) for lines in paragraphs)


def _pattern(quote: str) -> re.Pattern | None:
    """A regular expression over folded text for a quote with [sic], [brackets] and
    elisions (which match up to _MAX_GAP_WORDS words)."""
    cleaned = _SIC.sub("", quote)
    pieces = [fold(piece).text.strip() for piece in _GAP.split(cleaned)]
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        return None
    gap = rf"(?:\W+\S+){{0,{_MAX_GAP_WORDS}}}?\W*"
    escaped = [re.escape(piece) for piece in pieces]
    first = pieces[0][0]
    if first.lower() != first.upper():  # a quotation may start with a changed capital
        escaped[0] = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" + \
            re.escape(pieces[0][1:])
    return re.compile(gap.join(escaped))


@dataclass(frozen=True)
class Comparison(Differing):
    found: bool  # a passage of the original holds the quote (or most of its words)
    exact: bool = False  # the quote is the original's words (the author's marks aside)
    context: str = ""  # the sentence of the original around the passage
    passage: str = ""  # the passage itself, the original's own characters
    differences: tuple[Difference, ...] = ()
    diff: str = ""  # the quote against the passage, word by word


def compare(quote: str, original: str) -> Comparison:
    text = unwrap(original)
    folded = fold(text)
    pattern = _pattern(quote)
    if pattern is None:
        return Comparison(True, exact=True)
    match = pattern.search(folded.text)
    if match:
        start, end = folded.span(match.start(), max(match.end(), match.start() + 1))
        return Comparison(True, exact=True, context=sentence(text, start, end),
                          passage=text[start:end])
    aligned = align(quote, text)
    if aligned is None:
        return Comparison(False)
    passage = text[aligned.start:aligned.end]
    said = _SIC.sub("", quote).split()
    shown = passage.split()
    if said and shown and said[0].casefold() == shown[0].casefold():
        said[0] = shown[0]  # a changed first capital is no difference
    return Comparison(True, exact=not aligned.differences,
                      context=sentence(text, aligned.start, aligned.end),
                      passage=redact_addresses(passage), differences=aligned.differences,
                      diff=word_diff(" ".join(said), " ".join(shown)))


def sentence(text: str, start: int, end: int) -> str:
    """The sentence (or sentences) of `text` around [start, end), never across a
    paragraph, addresses redacted; at most MAX_SHOWN characters, cut at whole words
    around the passage when longer."""
    starts = [i + 2 for i in (text.rfind(". ", 0, start), text.rfind("? ", 0, start),
                              text.rfind("! ", 0, start)) if i != -1]
    left = max(starts + [text.rfind("\n", 0, start) + 1])
    # a passage that ends its sentence ("... president.") ends the context there
    after = end - 1 if end > start and text[end - 1] in ".?!" else end
    ends = [i + 1 for i in (text.find(". ", after), text.find("? ", after),
                            text.find("! ", after)) if i != -1]
    ends += [i for i in (text.find("\n", end),) if i != -1]
    right = min(ends or [len(text)])
    if right - left > MAX_SHOWN:
        left, right = _around(text, start, end, left, right)
    return redact_addresses(text[left:right].strip())


def _around(text: str, start: int, end: int, left: int, right: int) -> tuple[int, int]:
    """Whole words around [start, end), within [left, right), about MAX_SHOWN long."""
    room = max(0, (MAX_SHOWN - (end - start)) // 2)
    new_left = max(left, start - room)
    new_right = min(right, end + room)
    while new_left > left and not text[new_left - 1].isspace():
        new_left += 1
    while new_right < right and not text[new_right].isspace():
        new_right -= 1
    return max(new_left, left), max(new_right, end)
