"""Quote coverage: every quotation of the story carries a note.

Quotations the annotations file lists under `not_quotations:` (a name, a title) are
left out; a listed passage that matches no quotation is reported. Each remaining
quotation is fully annotated, partly (`partly-annotated-quotation`) or not at all
(`unsourced-quotation`). When the annotations file failed, its quotations look
unsourced as a consequence of those errors, and are not reported again. Found for the
story: how many quotations, how many fully annotated.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..anchoring.quotations import AnchorIndex, Quotation
from ..core.diagnostics import Diagnostic, warning
from ..core.invocation import command
from ..core.model import NotQuotation
from ..core.textfold import fold_query
from ..core.words import quoted_excerpt
from ..inputs.project import ANNOTATIONS
from .base import CheckResult, Findings, StoryUnderCheck


@dataclass(frozen=True)
class Coverage:
    quotations: int
    covered: int


def check(story: StoryUnderCheck, findings: Findings) -> CheckResult:
    anchored = story.anchored
    diagnostics: list[Diagnostic] = []
    listed = anchored.annotation_set.not_quotations if anchored.annotation_set else ()
    quotations = without_not_quotations(anchored.quotations, listed, diagnostics)
    covered = 0
    index = AnchorIndex(anchored.anchors)
    for quotation in quotations:
        if anchored.annotations_failed:
            continue
        coverage = quotation.coverage(index)
        if coverage == "full":
            covered += 1
        elif coverage == "partial":
            diagnostics.append(warning(
                "partly-annotated-quotation",
                f"only part of this quotation carries a note; not covered: "
                f"{quoted_excerpt(quotation.uncovered_words(index))}",
                quotation.position(),
                hint="widen the annotation's quote to the whole quotation, or annotate the "
                     "rest separately"))
        else:
            diagnostics.append(warning(
                "unsourced-quotation", f"unsourced quotation {quoted_excerpt(quotation.text)}",
                quotation.position(),
                hint=f"annotate it in {ANNOTATIONS}/{story.slug}.yaml "
                     f"({command('stub', story.slug)} writes a stub)"))
    return CheckResult(tuple(diagnostics), story=Coverage(len(quotations), covered))


def without_not_quotations(quotations: list[Quotation], listed: tuple[NotQuotation, ...],
                           diagnostics: list[Diagnostic]) -> list[Quotation]:
    """Quotations minus those the annotations file lists as not quotations (a name,
    a title); a listed passage that matches no quotation is reported."""
    if not listed:
        return quotations
    wanted = {fold_query(entry.text): entry for entry in listed}
    used: set[str] = set()
    kept = []
    for quotation in quotations:
        key = fold_query(quotation.text)
        if key in wanted:
            used.add(key)
            continue
        kept.append(quotation)
    for key, entry in wanted.items():
        if key not in used:
            diagnostics.append(warning(
                "unused-not-quotation", f"no quotation in the story reads "
                f"\u201c{entry.text}\u201d", entry.position,
                hint="copy the words between the quotation marks exactly, or remove the "
                     "entry"))
    return kept
