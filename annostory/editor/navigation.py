"""Going to definitions and references, and the annotations file as an outline.

Definition: a quote -> its passage in the story; a person or source id -> its entry
under `people:` or `sources:`; a quotation of the story -> its annotation's entry.
References: a person or source -> every quote that names it; a passage of the story
-> its annotation; a quote -> its passage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.model import Annotation
from .analysis import Analysis
from .lookup import (
    SECTIONS,
    anchor_of,
    annotations,
    definition_span,
    entry_annotation,
    story_spot,
)
from .spans import Span, anchor_span, span_at, value_at, yaml_spot


def _entry_span(analysis: Analysis, annotation: Annotation) -> Span:
    return span_at(analysis.files.annotations, analysis.annotations_text,
                   annotation.quote_position)


def _target(analysis: Analysis, kind: str, line: int, character: int
            ) -> tuple[str, str] | tuple[str, Annotation] | None:
    """What is under the cursor: ("people"|"sources", id) or ("quote", annotation)."""
    if kind == "story":
        anchor, _ = story_spot(analysis, line, character)
        return ("quote", anchor.annotation) if anchor is not None else None
    if analysis.doc is None or analysis.annotations_text is None:
        return None
    spot = yaml_spot(analysis.doc, analysis.annotations_text, line, character)
    if spot is None:
        return None
    path = spot.path
    if len(path) == 2 and path[0] in ("people", "sources") and spot.is_key:
        return str(path[0]), str(path[1])
    if len(path) >= 3 and path[0] == "annotations" and isinstance(path[1], int) and \
            path[2] == "quote":
        annotation = entry_annotation(analysis, path[1])
        return ("quote", annotation) if annotation is not None else None
    name = next((step for step in reversed(path) if isinstance(step, str)), "")
    if not spot.is_key and isinstance(spot.value, str) and name in SECTIONS:
        return SECTIONS[name], spot.value
    return None


def definition(analysis: Analysis, kind: str, line: int, character: int) -> list[Span]:
    target = _target(analysis, kind, line, character)
    if target is None:
        return []
    what, value = target
    if isinstance(value, Annotation):
        if kind == "story":
            return [_entry_span(analysis, value)]
        anchor = anchor_of(analysis, value)
        return [anchor_span(analysis.files.story, anchor)] if anchor else []
    found = definition_span(analysis, what, value)
    return [found] if found else []


def references(analysis: Analysis, kind: str, line: int, character: int,
               declaration: bool = True) -> list[Span]:
    target = _target(analysis, kind, line, character)
    if target is None:
        return []
    what, value = target
    if isinstance(value, Annotation):
        anchor = anchor_of(analysis, value)
        found = [_entry_span(analysis, value)]
        return found + ([anchor_span(analysis.files.story, anchor)] if anchor else [])
    spans: list[Span] = []
    if declaration:
        defined = definition_span(analysis, what, value)
        spans += [defined] if defined else []
    for annotation in annotations(analysis):
        if what == "sources" and annotation.source.id == value or what == "people" and (
                annotation.speaker is not None and annotation.speaker.id == value):
            spans.append(_entry_span(analysis, annotation))
            anchor = anchor_of(analysis, annotation)
            if anchor is not None:
                spans.append(anchor_span(analysis.files.story, anchor))
    if what == "people":
        spans += _person_mentions(analysis, value)
    return spans


def _person_mentions(analysis: Analysis, ident: str) -> list[Span]:
    """`from:`, `to:` and `cc:` of the sources that name a person."""
    doc = analysis.doc
    if doc is None:
        return []
    found = []
    for path, (line, column) in doc.values.items():
        if len(path) >= 3 and path[0] == "sources" and path[2] in ("from", "to", "cc") \
                and doc.data is not None and value_at(doc.data, path) == ident:
            found.append(Span(analysis.files.annotations, line - 1, column - 1, line - 1,
                              column - 1 + len(ident)))
    return found


@dataclass
class Symbol:
    """One entry of the outline: a section, a person, a source, an annotation."""

    name: str
    detail: str
    kind: str  # "section", "person", "source", "annotation", "entry"
    span: Span
    children: list[Symbol] = field(default_factory=list)


def symbols(analysis: Analysis) -> list[Symbol]:
    """The annotations file as an outline: people, sources, annotations."""
    doc = analysis.doc
    if doc is None or not isinstance(doc.data, dict):
        return []
    path = analysis.files.annotations
    text = analysis.annotations_text
    outline = []
    for section, value in doc.data.items():
        top = Symbol(str(section), "", "section", span_at(path, text, doc.key_position(
            (section,))))
        if isinstance(value, dict):
            for key, item in value.items():
                detail = ""
                if isinstance(item, dict):
                    detail = str(item.get("name") or item.get("title") or item.get("subject")
                                 or item.get("type") or "")
                kind = "person" if section == "people" else "source"
                top.children.append(Symbol(str(key), detail, kind, span_at(
                    path, text, doc.key_position((section, key)))))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    continue
                name = str(item.get("quote") or item.get("text") or f"entry {i + 1}")
                detail = str(item.get("speaker") or item.get("reason") or "")
                top.children.append(Symbol(name, detail, "annotation" if section ==
                                           "annotations" else "entry",
                                           span_at(path, text, doc.position((section, i)))))
        outline.append(top)
    return outline
