"""A story with its annotations anchored: what every check and page starts from.

`anchor_story` parses a story and its annotations file (already read), anchors every
quote (`anchoring.matching`), finds every quotation (`anchoring.quotations`), and,
when nothing failed, wraps the anchored passages in the token stream
(`anchoring.wrapping`). Pure: no file access.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.diagnostics import Diagnostic, has_errors
from ..core.model import AnnotationSet
from ..inputs.annotations import load_annotations
from ..inputs.files import SourceText
from ..inputs.story import Story, load_story
from .anchors import Anchor
from .matching import resolve
from .quotations import Quotation, find_quotations
from .wrapping import wrap_all


@dataclass
class AnchoredStory:
    """A parsed story with its annotations anchored (not yet checked or rendered)."""

    story: Story | None
    annotation_set: AnnotationSet | None
    anchors: list[Anchor]
    quotations: list[Quotation]
    diagnostics: list[Diagnostic]
    # the annotations file could not be read, or some of its entries were left out
    # for their errors (their quotations then look unsourced: not a problem of its own)
    annotations_failed: bool = False


def anchor_story(slug: str, story_source: SourceText, annotation_source: SourceText | None,
                 annotations_unreadable: bool = False) -> AnchoredStory:
    """Parse a story and its annotations and anchor every quote.
    `annotations_unreadable`: the story has an annotations file that could not be read."""
    diagnostics: list[Diagnostic] = []
    story, problems = load_story(slug, story_source)
    diagnostics.extend(problems)
    annotation_set = None
    if annotation_source is not None:
        annotation_set, problems = load_annotations(annotation_source)
        diagnostics.extend(problems)
    failed = annotations_unreadable or annotation_source is not None and (
        annotation_set is None or annotation_set.skipped > 0)
    if story is None:
        return AnchoredStory(None, annotation_set, [], [], diagnostics, failed)
    annotations = annotation_set.annotations if annotation_set else ()
    anchors, problems = resolve(story.text, annotations)
    diagnostics.extend(problems)
    quotations, problems = find_quotations(story.text.runs)
    diagnostics.extend(problems)
    if not has_errors(diagnostics):
        wrap_all(anchors)
    return AnchoredStory(story, annotation_set, anchors, quotations, diagnostics, failed)
