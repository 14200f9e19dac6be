"""Finding things in a checked story: the annotation an entry of the annotations
file became, the passage it anchored to, the quotation or passage under the cursor in
the story, the definition of an id."""

from __future__ import annotations

from ..anchoring.anchors import Anchor
from ..anchoring.quotations import Quotation
from ..core.model import Annotation
from .analysis import Analysis
from .spans import Span, anchor_span, quotation_span

PERSON_FIELDS = ("speaker", "from", "to", "cc")  # fields whose values are person ids
SECTIONS = {"speaker": "people", "from": "people", "to": "people", "cc": "people",
            "source": "sources"}


def annotations(analysis: Analysis) -> tuple[Annotation, ...]:
    found = analysis.checked.anchored
    if found is None or found.annotation_set is None:
        return ()
    return found.annotation_set.annotations


def anchors(analysis: Analysis) -> list[Anchor]:
    found = analysis.checked.anchored
    return found.anchors if found is not None else []


def quotations(analysis: Analysis) -> list[Quotation]:
    found = analysis.checked.anchored
    return found.quotations if found is not None else []


def entry_annotation(analysis: Analysis, index: int) -> Annotation | None:
    """What entry `index` of `annotations:` became (None when it was left out for its
    errors)."""
    if analysis.doc is None:
        return None
    where = analysis.doc.position(("annotations", index))
    return next((a for a in annotations(analysis) if a.position == where), None)


def entry_index(analysis: Analysis, annotation: Annotation) -> int | None:
    if analysis.doc is None or not isinstance(analysis.doc.data, dict):
        return None
    entries = analysis.doc.data.get("annotations")
    for i in range(len(entries) if isinstance(entries, list) else 0):
        if analysis.doc.position(("annotations", i)) == annotation.position:
            return i
    return None


def anchor_of(analysis: Analysis, annotation: Annotation) -> Anchor | None:
    return next((a for a in anchors(analysis) if a.annotation.position ==
                 annotation.position), None)


def story_spot(analysis: Analysis, line: int, character: int
               ) -> tuple[Anchor | None, Quotation | None]:
    """The annotated passage and the quotation under the cursor in the story; on a
    quotation's words outside its passage (its quotation marks, say), the first passage
    anchored in it."""
    path = analysis.files.story
    anchor = next((a for a in anchors(analysis)
                   if anchor_span(path, a).holds(line, character)), None)
    quotation = next((q for q in quotations(analysis)
                      if quotation_span(path, q).holds(line, character)), None)
    if anchor is None and quotation is not None:
        inside = quotation.anchored_in(anchors(analysis))
        anchor = inside[0] if inside else None
    return anchor, quotation


def definition_span(analysis: Analysis, section: str, ident: str) -> Span | None:
    """Where `ident` is defined under `people:` or `sources:`."""
    doc = analysis.doc
    if doc is None or (section, ident) not in doc.keys:
        return None
    at = doc.key_position((section, ident))
    return Span(analysis.files.annotations, at.line - 1, at.column - 1, at.line - 1,
                at.column - 1 + len(ident))


def passage_in_sentence(anchor: Anchor, room: int = 120) -> str:
    """The story's text around an annotated passage, the passage in bold (Markdown)."""
    text = anchor.run.text
    start = max(0, anchor.start - room)
    end = min(len(text), anchor.end + room)
    for stop in (". ", "? ", "! "):
        cut = text.rfind(stop, start, anchor.start)
        if cut != -1:
            start = max(start, cut + 2)
        after = text.find(stop, anchor.end, end)
        if after != -1:
            end = min(end, after + 1)
    before = ("\u2026" if start > 0 else "") + text[start:anchor.start]
    after_text = text[anchor.end:end] + ("\u2026" if end < len(text) else "")
    return f"{_plain(before)}**{_plain(text[anchor.start:anchor.end])}**{_plain(after_text)}"


def _plain(text: str) -> str:
    """Text shown as Markdown: its own syntax characters escaped."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)
