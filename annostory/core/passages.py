"""The closest passage: where in some folded texts a query's words most nearly occur.

One search for every "did you mean" (a quote not found in the story, a quote not found
in its original), in time linear in the texts: every window of the query's length (in
words) is scored by the letter trigrams it shares with the query (a sliding sum), and
only the best few windows are compared closely (difflib). Past `budget` words the
search stops and says it was incomplete.
"""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Sequence
from dataclasses import dataclass

BUDGET = 1_000_000  # words a search looks at, at most
CANDIDATES = 5  # windows compared closely


@dataclass(frozen=True)
class Passage:
    """Folded text `texts[text][start:end]`, and how alike it is to the query (0-1)."""

    text: int
    start: int
    end: int
    ratio: float


def trigrams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def closest_passage(query: str, texts: Sequence[str], *, minimum: float = 0.6,
                    spread: int = 1, budget: int = BUDGET) -> tuple[Passage | None, bool]:
    """The window of whole words (the query's length, give or take `spread` words)
    most like `query`, with at least `minimum` similarity; and whether the search was
    complete. `query` and `texts` are folded (one space between words)."""
    size = len(query.split(" "))
    grams = trigrams(query.lower())
    if not grams:
        return None, True
    scored: list[tuple[int, int, int]] = []  # (-score, text index, first word)
    complete = True
    for k, text in enumerate(texts):
        tokens = text.lower().split(" ")
        budget -= len(tokens)
        if budget < 0:
            complete = False
            break
        points = [sum(g in grams for g in trigrams(t)) for t in tokens]
        window = sum(points[:size])
        for first in range(max(len(tokens) - size + 1, 1)):
            if first:
                window += (points[first + size - 1] if first + size - 1 < len(points)
                           else 0) - points[first - 1]
            if window:
                scored.append((-window, k, first))
    best: Passage | None = None
    # difflib is quadratic on long, repetitive text; past a few lines its "junk"
    # heuristic (popular characters ignored when finding matching blocks) keeps it fast.
    matcher = difflib.SequenceMatcher(autojunk=len(query) > 200)
    matcher.set_seq2(query)
    for _, k, first in heapq.nsmallest(CANDIDATES, scored):
        hay = texts[k]
        starts = [0] + [i + 1 for i, ch in enumerate(hay) if ch == " "]
        for length in range(size - spread, size + spread + 1):
            if length < 1 or first >= len(starts):
                continue
            stop = first + length
            end = starts[stop] - 1 if stop < len(starts) else len(hay)
            start = starts[first]
            matcher.set_seq1(hay[start:end].strip(" \"'"))
            if matcher.real_quick_ratio() < minimum or matcher.quick_ratio() < minimum:
                continue
            ratio = matcher.ratio()
            if ratio >= minimum and (best is None or ratio > best.ratio):
                best = Passage(k, start, end, ratio)
    return best, complete


def word_diff(quote: str, original: str) -> str:
    """'quote [-word-] {+word+}' style difference, word by word."""
    a, b = quote.split(), original.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)
