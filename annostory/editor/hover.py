"""Hover: what the editor shows over a quote, an id, or a quotation of the story.

Over a `quote:` the story's sentence with the passage in bold and its status
(anchored, or why not; checked against the original, or not); over a person or
source id its definition; over a quotation in the story the note as a reader will
see it. Markdown, built from the checked story (never a second reading of it).
"""

from __future__ import annotations

import html
import re

from ..checks.originals import NAME as ORIGINALS
from ..core.diagnostics import Diagnostic
from ..core.model import Annotation, Person, Source
from .analysis import Analysis, setup_for
from .lookup import (
    SECTIONS,
    anchor_of,
    entry_annotation,
    passage_in_sentence,
    story_spot,
)
from .spans import YamlSpot, yaml_spot


def hover(analysis: Analysis, kind: str, line: int, character: int) -> str | None:
    if kind == "story":
        return _story_hover(analysis, line, character)
    if analysis.doc is None or analysis.annotations_text is None:
        return None
    spot = yaml_spot(analysis.doc, analysis.annotations_text, line, character)
    return _yaml_hover(analysis, spot) if spot else None


def _yaml_hover(analysis: Analysis, spot: YamlSpot) -> str | None:
    path = spot.path
    if len(path) >= 3 and path[0] == "annotations" and path[2] == "quote" and \
            isinstance(path[1], int):
        return _quote_hover(analysis, path[1])
    if len(path) == 2 and path[0] in ("people", "sources") and spot.is_key:
        return _definition(analysis, path[0], str(path[1]))
    field = next((step for step in reversed(path) if isinstance(step, str)), "")
    if not spot.is_key and isinstance(spot.value, str) and field in SECTIONS:
        return _definition(analysis, SECTIONS[field], spot.value)
    return None


def _quote_hover(analysis: Analysis, index: int) -> str | None:
    annotation = entry_annotation(analysis, index)
    if annotation is None:
        return "**Not checked yet**: this entry has errors (see the problems list)."
    anchor = anchor_of(analysis, annotation)
    if anchor is None:
        found = _problems_at(analysis, annotation)
        said = "; ".join(f"{d.message} ({d.hint})" if d.hint else d.message for d in found)
        return "**Not anchored**" + (f": {said}" if said else "")
    where = anchor.position()
    lines = [passage_in_sentence(anchor), "",
             f"**Anchored** in {where.file}, line {where.line}"]
    lines.append(_checked(analysis, annotation))
    return "\n".join(lines)


def _checked(analysis: Analysis, annotation: Annotation) -> str:
    findings = analysis.checked.findings
    finding = findings.of(ORIGINALS, annotation.id) if findings is not None else None
    if finding is not None and getattr(finding, "verification", ""):
        return f"\n{finding.verification}"
    source = annotation.source
    if source.original or source.excerpt:
        return "\nNot checked against the original (see the problems list)."
    return "\nNo original to check the wording against." + (
        f" {source.verification_text}" if source.verification_text else "")


def _problems_at(analysis: Analysis, annotation: Annotation) -> list[Diagnostic]:
    found = analysis.by_file.get(analysis.files.annotations, [])
    return [d for d in found if d.position in (annotation.quote_position, annotation.position)]


def _definition(analysis: Analysis, section: str, ident: str) -> str | None:
    anchored = analysis.checked.anchored
    found = anchored.annotation_set if anchored is not None else None
    if found is None:
        return None
    zone = _zone(analysis)
    if section == "people":
        person = found.people.get(ident)
        if person is None:
            return f"No person with the id `{ident}` under `people:`"
        cites = sum(a.speaker is not None and a.speaker.id == ident for a in found.annotations)
        return _person(person) + f"\n\nSpeaker of {_quotes(cites)} in this story"
    source = found.sources.get(ident)
    if source is None:
        return f"No source with the id `{ident}` under `sources:`"
    cites = sum(a.source.id == ident for a in found.annotations)
    return _source(source, zone) + f"\n\nCited by {_quotes(cites)} in this story"


def _quotes(n: int) -> str:
    return f"{n} quote{'s' if n != 1 else ''}"


def _zone(analysis: Analysis) -> str:
    return setup_for(analysis.project).settings.timezone


def _person(person: Person) -> str:
    text = f"**{person.name}**" + (f", {person.role}" if person.role else "")
    if person.kind == "organization":
        text += " (an organization)"
    return text + (f"\n\n<{person.url}>" if person.url else "")


def _source(source: Source, zone: str) -> str:
    text = f"**{source.describe(zone)}**"
    if source.original:
        text += f"\n\nOriginal: `sources/{source.original}`"
    if source.verification_text:
        text += f"\n\n{source.verification_text}"
    return text


def _story_hover(analysis: Analysis, line: int, character: int) -> str | None:
    anchor, quotation = story_spot(analysis, line, character)
    if anchor is None:
        if quotation is None:
            return None
        return ("**Unsourced quotation**: no annotation covers it. The code action "
                "\u201cAnnotate this quotation\u201d adds one to the annotations file.")
    return _note(analysis, anchor.annotation)


def _note(analysis: Analysis, annotation: Annotation) -> str:
    """The note as a reader sees it: who said it, when, where, and the author's note."""
    view = next((n for n in analysis.checked.notes if n.id == annotation.id), None)
    zone = _zone(analysis)
    if view is not None:
        said = view.speaker + (f", {view.speaker_role}" if view.speaker_role else "")
        lines = [f"**{said}**" if said else "**Speaker not named**"]
        if view.date_text:
            lines.append(view.date_text)
        lines.append(view.source_text)
        for extra in (view.verification, view.reported, view.attribution,
                      _text(view.attribution_reason), _text(view.note)):
            if extra:
                lines.append(extra)
        return "\n\n".join(lines)
    speaker = annotation.speaker
    lines = [f"**{speaker.name}**" if speaker else "**Speaker not named**"]
    if annotation.shown_date:
        lines.append(annotation.shown_date.display(zone))
    lines.append(annotation.source.describe(zone))
    if annotation.note:
        lines.append(annotation.note)
    return "\n\n".join(lines)


def _text(markup: object) -> str:
    """Markup as plain text (tags dropped, entities kept as characters)."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(markup))).strip()
