"""Explanations: why a quote anchors nowhere or in several places, in an editor's words.

A quote that cuts a character or a word, a prefix or suffix that does not agree, a
quote over a paragraph break, different capitals, or (failing all those) the closest
passage of the story (`core.passages`), with the invisible difference named; a quote
that occurs several times lists every place with the prefix or suffix that would
choose it (`anchoring.hints`).
"""

from __future__ import annotations

from typing import Any

from ..core.diagnostics import Diagnostic, error
from ..core.model import Annotation
from ..core.passages import closest_passage, word_diff
from ..core.textfold import (
    character_difference,
    fold_query,
    is_word_boundary,
    without_invisible,
)
from ..inputs.textindex import TextIndex, TextRun
from .anchors import Match
from .hints import disambiguation, yaml_text

SHOWN_PLACES = 5  # places listed (and given a prefix/suffix) for an ambiguous quote


def not_found(index: TextIndex, annotation: Annotation, rejected: dict[str, list[Any]]
              ) -> Diagnostic:
    """Why an annotation anchors nowhere, in words, with the fix."""
    quote = fold_query(annotation.quote)
    where = annotation.quote_position
    if rejected["partial"]:
        run, start, end = rejected["partial"][0]
        o_start, o_end = run.folded.span(start, end)
        if not (run.folded.at_unit_boundary(start) and run.folded.at_unit_boundary(end)):
            cut = start if not run.folded.at_unit_boundary(start) else end - 1
            c_start, c_end = run.folded.span(cut, cut + 1)
            return error("anchor-partial-character",
                         f"the quote cuts the character \u201c{run.text[c_start:c_end]}\u201d "
                         "in two (an emoji sequence, a flag or a letter with its accents is "
                         "one character to a reader)",
                         where, hint="quote whole characters, exactly as the story shows "
                                     "them", related=[run.position(o_start)])
        w_start, w_end = widen_to_words(run.text, o_start, o_end)
        return error("anchor-partial-word",
                     f"the quote matches only part of a word: "
                     f"\u201c{run.text[w_start:w_end]}\u201d",
                     where, hint="quote whole words, exactly as the story shows them",
                     related=[run.position(o_start)])
    for side in ("prefix", "suffix"):
        reasons = rejected[side]
        if not reasons:
            continue
        value = annotation.prefix if side == "prefix" else annotation.suffix
        if all(r != "differs" for r in reasons):
            return error("anchor-context-mismatch",
                         f"the quote is in the story, but its {side} "
                         f"{yaml_text(value.strip())} {reasons[0]} there",
                         where, hint=f"make the {side} whole words, as the story shows "
                                     "them")
        return error("anchor-context-mismatch",
                     f"the quote is in the story, but not with this {side} "
                     f"({yaml_text(value.strip())})",
                     where, hint=f"check '{side}:' against the story, or remove it")
    if rejected["spans"]:
        run, start = rejected["spans"][0]
        return error("anchor-spans-paragraphs",
                     "the quote runs over two paragraphs", where,
                     hint="annotate the part in each paragraph separately",
                     related=[run.position(run.folded.span(start, start + 1)[0])])
    capitals = _different_capitals(index, quote)
    if capitals is not None:
        run, o_start, o_end = capitals
        return error("anchor-not-found",
                     f"quote not found: the story has it with different capitals: "
                     f"\u201c{run.text[o_start:o_end]}\u201d",
                     where, hint="copy the words exactly as the story shows them",
                     related=[run.position(o_start)])
    guess, complete = _closest(index, quote)
    if guess:
        run, o_start, o_end = guess
        shown = run.text[o_start:o_end]
        written, seen = without_invisible(annotation.quote), without_invisible(shown)
        what = character_difference(written, seen)
        message = "quote not found in the story" + (f" ({what})" if what else "")
        diff = word_diff(written, seen)
        return error("anchor-not-found", message, where,
                     hint=f"did you mean \u201c{shown}\u201d ({run.position(o_start)})? "
                          f"(difference: {diff})",
                     related=[run.position(o_start)])
    hint = "copy the words exactly as the story shows them"
    if not complete:
        hint += " (the search for a similar passage stopped early: the story is long)"
    return error("anchor-not-found", "quote not found in the story", where, hint=hint)

def suggested_words(index: TextIndex, quote: str) -> str | None:
    """The story's own words that a quote found nowhere most likely meant (the
    passage `not_found` suggests), or None."""
    folded = fold_query(quote)
    found = _different_capitals(index, folded) or _closest(index, folded)[0]
    if found is None:
        return None
    run, start, end = found
    return run.text[start:end]


def _different_capitals(index: TextIndex, quote: str) -> tuple[TextRun, int, int] | None:
    """The passage that matches `quote` ignoring case (ß = SS too), or None."""
    wanted = quote.casefold()
    for run in index.runs:
        hay = run.folded.text
        if wanted not in hay.casefold():
            continue
        # map back character by character (casefolding may change lengths)
        folded_chars: list[str] = []
        owner: list[int] = []
        for i, ch in enumerate(hay):
            for c in ch.casefold():
                folded_chars.append(c)
                owner.append(i)
        at = "".join(folded_chars).find(wanted)
        if at == -1:
            continue
        start, end = owner[at], owner[at + len(wanted) - 1] + 1
        o_start, o_end = run.folded.span(start, end)
        return run, o_start, o_end
    return None


def _closest(index: TextIndex, quote: str) -> tuple[tuple[TextRun, int, int] | None, bool]:
    """The passage of the story most like `quote`, trimmed of punctuation and quote
    marks at its ends, as (run, start, end) of the run's text; and whether the search
    was complete."""
    best, complete = closest_passage(quote, [run.folded.text for run in index.runs])
    if best is None:
        return None, complete
    run = index.runs[best.text]
    hay = run.folded.text
    start, end = best.start, best.end
    while start < end and hay[start] in " \"'.,;:()":
        start += 1
    while end > start and hay[end - 1] in " \"'.,;:()":
        end -= 1
    if end <= start:
        return None, complete
    o_start, o_end = run.folded.span(start, end)
    return (run, o_start, o_end), complete


def widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole words (UAX #29) around text[start:end], for messages."""
    while start > 0 and not is_word_boundary(text, start):
        start -= 1
    while end < len(text) and not is_word_boundary(text, end):
        end += 1
    return start, end


def ambiguous(index: TextIndex, annotation: Annotation, matches: list[Match]) -> Diagnostic:
    """Every place a quote occurs, and for each the context that would choose it."""
    places = [m.run.position(m.run.folded.span(m.start, m.end)[0]) for m in matches]
    hints = []
    for i in range(min(len(matches), SHOWN_PLACES)):
        suggestion = disambiguation(index, matches, i)
        if suggestion:
            key, text = suggestion
            hints.append(f"for the one at {places[i]}, add {key}: {yaml_text(text)}")
    if len(matches) > SHOWN_PLACES:
        hints.append(f"({len(matches) - SHOWN_PLACES} more places)")
    listing = ", ".join(f"line {p.line}" for p in places[:SHOWN_PLACES * 2])
    if len(places) > SHOWN_PLACES * 2:
        listing += ", \u2026"
    return error("anchor-ambiguous",
                 f"the quote appears {len(matches)} times in the story ({listing})",
                 annotation.quote_position,
                 hint="; ".join(hints) or "add a prefix: or suffix: to choose one",
                 related=places[:SHOWN_PLACES * 2])
