"""Matching: attach each annotation to the one passage of the story it quotes.

The W3C TextQuoteSelector idea: the quote's exact words, with an optional prefix and
suffix, compared after folding (`core.textfold`) in the story's text index
(`inputs.textindex`). A match must cover whole characters and whole words, stay in
one paragraph, and agree with the prefix and suffix. Nothing is ever anchored
approximately: no match, several matches and overlaps are errors with positions and
a suggested fix (`anchoring.explain`). The candidates of every quote are found in
one pass over the text (`all_candidates`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import ahocorasick

from ..core.diagnostics import Diagnostic, error
from ..core.model import Annotation
from ..core.textfold import fold_query, on_boundaries, trim_boundary
from ..inputs.textindex import TextIndex
from .anchors import Anchor, Match
from .explain import ambiguous, not_found

# Below this many quotes, one scan of the text per quote (str.find, in C) costs less
# than building the automaton.
ONE_PASS_FROM = 8


def candidates(index: TextIndex, quote: str) -> list[int]:
    """Every place (document offset) where the folded quote occurs."""
    doc = index.document
    found = []
    at = doc.find(quote) if quote else -1
    while at != -1:
        found.append(at)
        at = doc.find(quote, at + 1)
    return found


def all_candidates(index: TextIndex, quotes: Iterable[str]) -> dict[str, list[int]]:
    """Every place of every folded quote, found in one pass over the story's folded
    text (Aho-Corasick, with pyahocorasick: the cost grows with the text and the
    places found, not with the text times the number of quotes)."""
    wanted = {quote for quote in quotes if quote}
    found: dict[str, list[int]] = {quote: [] for quote in wanted}
    if len(wanted) < ONE_PASS_FROM:
        return {quote: candidates(index, quote) for quote in wanted}
    automaton = ahocorasick.Automaton()
    for quote in wanted:
        automaton.add_word(quote, quote)
    automaton.make_automaton()
    for end, quote in automaton.iter(index.document):
        found[quote].append(end - len(quote) + 1)
    return found


def classify(index: TextIndex, annotation: Annotation,
             places: dict[str, list[int]] | None = None
             ) -> tuple[list[Match], dict[str, list[Any]]]:
    """The places the annotation anchors to, and why the other candidates did not
    ('spans' across runs, 'partial' words, 'prefix'/'suffix' problems). `places`
    holds each quote's candidates when they were found for all quotes at once."""
    quote = fold_query(annotation.quote)
    prefix = trim_boundary(fold_query(annotation.prefix), left=False)
    suffix = trim_boundary(fold_query(annotation.suffix), left=True)
    matches: list[Match] = []
    rejected: dict[str, list[Any]] = {"spans": [], "partial": [], "prefix": [], "suffix": []}
    for at in (places[quote] if places is not None and quote in places
               else candidates(index, quote)):
        k, start = index.run_at(at)
        run = index.runs[k]
        end = start + len(quote)
        if end > len(run.folded.text):
            rejected["spans"].append((run, start))
            continue
        if not on_boundaries(run.folded, run.text, start, end):
            rejected["partial"].append((run, start, end))
            continue
        if prefix:
            ok, why = index.ends_with_before(at, prefix)
            if not ok:
                rejected["prefix"].append(why)
                continue
        if suffix:
            ok, why = index.starts_with_after(at + len(quote), suffix)
            if not ok:
                rejected["suffix"].append(why)
                continue
        matches.append(Match(run, start, end, at))
    return matches, rejected


def matches(index: TextIndex, annotation: Annotation) -> list[Match]:
    return classify(index, annotation)[0]


def resolve(index: TextIndex, annotations: Sequence[Annotation]
            ) -> tuple[list[Anchor], list[Diagnostic]]:
    """Each annotation's one passage, and a diagnostic for each that has none, or
    more than one, or overlaps another."""
    anchors: list[Anchor] = []
    diagnostics: list[Diagnostic] = []
    places = all_candidates(index, (fold_query(a.quote) for a in annotations))
    for annotation in annotations:
        quote = fold_query(annotation.quote)
        if not trim_boundary(trim_boundary(quote, left=True), left=False):
            diagnostics.append(error(
                "empty-quote", "the quote has no words", annotation.quote_position,
                hint="write the quoted words exactly as the story shows them"))
            continue
        found, rejected = classify(index, annotation, places)
        if len(found) == 1:
            match = found[0]
            o_start, o_end = match.run.folded.span(match.start, match.end)
            anchors.append(Anchor(annotation, match.run, o_start, o_end))
        elif not found:
            diagnostics.append(not_found(index, annotation, rejected))
        else:
            diagnostics.append(ambiguous(index, annotation, found))
    diagnostics.extend(overlaps(anchors))
    return anchors, diagnostics


def overlaps(anchors: list[Anchor]) -> list[Diagnostic]:
    """Two annotations sharing words: one passage carries one note."""
    found = []
    by_run: dict[int, list[Anchor]] = {}
    for anchor in anchors:
        by_run.setdefault(id(anchor.run), []).append(anchor)
    for group in by_run.values():
        group.sort(key=lambda a: (a.start, a.end))
        for a, b in zip(group, group[1:]):
            if b.start < a.end:
                found.append(error(
                    "anchor-overlap",
                    f"this quote overlaps the quote of another annotation "
                    f"(\u201c{a.run.text[a.start:a.end]}\u201d)",
                    b.annotation.quote_position,
                    hint="each passage can carry one note: shorten one quote so they "
                         "do not share words, or merge the two annotations",
                    related=[a.annotation.quote_position]))
    return found
