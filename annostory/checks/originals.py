"""Quotes checked against their sources' originals (`inputs.originals`).

Each anchored quote is compared with its source's original (`checks.comparison`). The
quote's words are the original's: checked. Only punctuation or capitals differ: a
warning, `punctuation-differs` (site.yaml's `punctuation_differs` makes it `ignore` or
`error`). Words differ: an error, `misquote`, naming the kinds of difference, with the
original's own passage and a word diff. An author accepts a finding, with a reason:
`verified: punctuation` (the story's punctuation, kept), `verified: misquoted` (the
story's words, kept as published; readers see the original's beside them), `verified:
paraphrase`. An acceptance the quote no longer needs is a warning (`stale-verified`).

Found for each annotation (`OriginalFinding`): the source as its original's headers
complete it (`checks.headers`), and what was found: its state, the sentence a note
states (computed, never claimed), the original's sentence around the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.diagnostics import Diagnostic, error, warning
from ..core.model import Annotation, Source
from ..core.textfold import fold_query
from ..inputs.originals import Original, load_original
from .base import CheckResult, Findings, StoryUnderCheck
from .comparison import Comparison, compare
from .headers import with_headers

NAME = "originals"
# What was found of a quote, for the notes and the documents' lines: its words are the
# original's (CHECKED; only punctuation differs: PUNCTUATION), or they differ and the
# author says so (MISQUOTED, PARAPHRASE).
CHECKED, PUNCTUATION, MISQUOTED, PARAPHRASE = "checked", "punctuation", "misquoted", "paraphrase"
_MARKED = ("mark deliberate changes: [sic], [your words] in brackets, \u2026 for left-out "
           "words; if the story misquotes it and keeps its words as published, record it: "
           "'verified: misquoted' with 'verified_reason:' (readers see the original's words), "
           "or 'verified: paraphrase' for a paraphrase")


@dataclass(frozen=True)
class OriginalFinding:
    source: Source  # completed from the original's headers
    state: str = ""  # CHECKED, PUNCTUATION, MISQUOTED, PARAPHRASE; '' when not checked
    verification: str = ""  # the sentence a note states; '' when not checked
    context: str = ""  # the sentence of the original around the quote
    differs: str = ""  # for MISQUOTED: the original's words, said plainly
    against: str = ""  # "the original email"


def check(story: StoryUnderCheck, findings: Findings) -> CheckResult:
    """Each anchored quote against its source's original or excerpt."""
    diagnostics: list[Diagnostic] = []
    found: dict[str, OriginalFinding] = {}
    loaded: dict[int, tuple[Original | None, Source]] = {}
    for anchor in story.anchored.anchors:
        annotation = anchor.annotation
        source = annotation.source
        if id(source) not in loaded:
            original, problems = load_original(story.files, source, annotation.position)
            diagnostics.extend(problems)
            filled = with_headers(source, original, annotation.position, diagnostics) \
                if original is not None and original.kind == "email" else source
            loaded[id(source)] = (original, filled)
        original, filled = loaded[id(source)]
        if original is None:
            if filled is not source:
                found[annotation.id] = OriginalFinding(filled)
            continue
        found[annotation.id] = _judged(annotation, original, filled, story, diagnostics)
    return CheckResult(tuple(diagnostics), per_annotation=found)


def _judged(annotation: Annotation, original: Original, source: Source,
            story: StoryUnderCheck, diagnostics: list[Diagnostic]) -> OriginalFinding:
    """What a quote's comparison with its original makes of it, with the author's
    acceptance; its diagnostics."""
    result = compare(annotation.quote, original.text)
    against = original.against
    accepted = annotation.verified
    if accepted == PARAPHRASE:
        return OriginalFinding(source, PARAPHRASE, "A paraphrase, not the original's words: "
                               f"{annotation.verified_reason}", result.context,
                               against=against)
    if result.exact:
        if accepted:
            diagnostics.append(warning(
                "stale-verified", f"the quote is the words of its source's {original.kind}: "
                f"'verified: {accepted}' is no longer needed", annotation.quote_position,
                hint="remove 'verified:' and 'verified_reason:'"))
        return OriginalFinding(source, CHECKED, f"Wording checked against {against}.",
                               _context(result, annotation), against=against)
    if not result.found:
        diagnostics.append(error("misquote", f"the quote is not in its source's "
                                 f"{original.kind} ({original.where or 'as given'})",
                                 annotation.quote_position,
                                 hint=f"no passage of the original is close to it; {_MARKED}"))
        return OriginalFinding(source, against=against)
    if result.words_differ:
        return _misquoted(annotation, original, source, result, diagnostics)
    level = story.settings.punctuation_differs
    if accepted != PUNCTUATION and level != "ignore":
        found = warning(
            "punctuation-differs", f"only the {' and '.join(result.classes())} of the quote "
            f"differ from its source's {original.kind}: {_examples(result)}",
            annotation.quote_position,
            hint=f"the original has \u201c{result.passage}\u201d; if the story's punctuation "
                 "is what it published, accept it: 'verified: punctuation' with "
                 "'verified_reason:' (or punctuation_differs: ignore in site.yaml)")
        diagnostics.append(found.as_error() if level == "error" else found)
    return OriginalFinding(source, PUNCTUATION, f"Wording checked against {against}; the "
                           "punctuation differs.", result.context, against=against)


def _misquoted(annotation: Annotation, original: Original, source: Source,
               result: Comparison, diagnostics: list[Diagnostic]) -> OriginalFinding:
    against = original.against
    if annotation.verified == MISQUOTED:
        return OriginalFinding(
            source, MISQUOTED, f"Checked against {against}: the story's words differ.",
            "", f"The original has \u201c{result.passage}\u201d.", against)
    diagnostics.append(error(
        "misquote", f"the quote's words differ from its source's {original.kind} "
        f"({original.where or 'as given'}): {', '.join(result.classes())}: "
        f"{_examples(result)}", annotation.quote_position,
        hint=f"the original has \u201c{result.context or result.passage}\u201d (difference: "
             f"{result.diff}); {_MARKED}"))
    return OriginalFinding(source, against=against)


def _examples(result: Comparison) -> str:
    """The first differences, in words: “a” where the original has “at”."""
    shown = []
    for difference in result.differences[:3]:
        if difference.kind == "dropped words":
            shown.append(f"\u201c{difference.original}\u201d left out")
        elif difference.kind == "added words":
            shown.append(f"\u201c{difference.quote}\u201d added")
        else:
            shown.append(f"\u201c{difference.quote}\u201d where the original has "
                         f"\u201c{difference.original}\u201d")
    more = len(result.differences) - len(shown)
    return "; ".join(shown) + (f" (and {more} more)" if more > 0 else "")


def _context(result: Comparison, annotation: Annotation) -> str:
    """The sentence around a quote found exactly, unless it holds no word the quote
    does not (the quote itself, give or take the sentence's closing mark)."""
    return result.context if _words(result.context) != _words(annotation.quote) else ""


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold_query(text).casefold())


def source_of(findings: Findings, annotation_id: str, declared: Source) -> Source:
    """The source of an annotation as its original completes it (or as declared)."""
    finding = findings.of(NAME, annotation_id)
    return finding.source if finding is not None else declared
