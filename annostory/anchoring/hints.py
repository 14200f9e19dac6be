"""Disambiguation hints: the shortest prefix or suffix that singles out one place of a
quote that occurs several times (used by the `anchor-ambiguous` message and by `stub`)."""

from __future__ import annotations

import json

from ..inputs.textindex import TextIndex
from .anchors import Match

MAX_WORDS = 7  # of context tried before giving up


def yaml_text(text: str) -> str:
    """`text` as a YAML scalar that reads back as exactly `text` (JSON strings are
    YAML 1.2), for hints an author pastes."""
    return json.dumps(text, ensure_ascii=False)


def context_words(index: TextIndex, match: Match, before: bool, words: int
                  ) -> tuple[str, str, bool]:
    """(folded, original, inside) context of `words` whole words next to a match;
    the original is the story's own characters (curly quotes and all) when the
    context stays inside the match's run (`inside`)."""
    doc = index.document
    if before:
        j = match.at
        while j > 0 and doc[j - 1] in " \"'":
            j -= 1
        i = j
        for _ in range(words):
            i = doc.rfind(" ", 0, i - 1) + 1 if i > 0 else 0
        folded = doc[i:j]
    else:
        i = match.at + (match.end - match.start)
        while i < len(doc) and doc[i] in " \"'":
            i += 1
        j = i
        for _ in range(words):
            nxt = doc.find(" ", j + 1)
            j = len(doc) if nxt == -1 else nxt
        folded = doc[i:j]
    k, start = index.run_at(i) if i < len(doc) else (len(index.runs) - 1, 0)
    run = index.runs[k]
    original = folded
    inside = bool(folded) and run is match.run and start + len(folded) <= len(
        run.folded.text) and k == index.run_at(max(j - 1, 0))[0]
    if inside:
        original = run.original(start, start + len(folded))
    return folded, original, inside


def disambiguation(index: TextIndex, matches: list[Match], which: int
                   ) -> tuple[str, str] | None:
    """("prefix" or "suffix", text as the story shows it): the shortest context
    (in whole words) that singles out match `which`, or None."""
    for crossing in (False, True):  # words of the same paragraph first
        for words in range(1, MAX_WORDS + 1):
            for before in (True, False):
                found = _single_out(index, matches, which, before, words, crossing)
                if found:
                    return found
    return None


def _single_out(index: TextIndex, matches: list[Match], which: int, before: bool,
                words: int, crossing: bool) -> tuple[str, str] | None:
    mine, original, inside = context_words(index, matches[which], before, words)
    if not mine.strip() or (inside == crossing):
        return None
    key = "prefix" if before else "suffix"
    hits = [j for j, m in enumerate(matches)
            if (index.ends_with_before(m.at, mine) if before else
                index.starts_with_after(m.at + m.end - m.start, mine))[0]]
    return (key, original) if hits == [which] else None
