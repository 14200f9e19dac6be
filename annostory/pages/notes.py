"""What a page shows of each note (`NoteView`) and of each source document
(`DocumentView`), made from an anchor and what the checks found for it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from markupsafe import Markup

from ..anchoring.anchors import Anchor
from ..anchoring.wrapping import element_ids
from ..checks import attribution, originals
from ..checks.base import Findings
from ..checks.originals import CHECKED, MISQUOTED, PARAPHRASE, PUNCTUATION
from ..core.dates import FuzzyDate
from ..core.model import Annotation, Source
from ..inputs.story import Story
from .text import inline_markdown
from .urls import person_key, source_key


@dataclass(frozen=True)
class NoteView:
    """Everything a template shows about one annotation."""

    id: str
    ids: dict  # the page ids it owns: quote, note, about (see anchoring.wrapping.element_ids)
    number: int
    quote: str
    speaker: str
    speaker_role: str
    date_text: str
    date_machine: str
    source_text: str
    source_url: str
    verification: str
    reports: tuple[tuple[str, str], ...]
    source_note: Markup
    note: Markup
    in_headline: bool
    source_short: str = ""
    source_number: int = 0  # the document's number under Sources
    source_key: int = 0  # notes citing one document share it
    attribution: str = ""  # the story's attribution differs: said plainly
    attribution_reason: Markup = Markup("")
    context: str = ""  # the sentence of the original around the quote
    reported: str = ""  # what the author reports of the source (not a check)
    speaker_key: str = ""  # the speaker's entry on the people page
    document_key: str = ""  # the document's entry on the sources page
    state: str = ""  # what checking its wording found (checks.originals), '' if unchecked
    against: str = ""  # "the original email", when checked
    differs: str = ""  # kept as published though the original differs: its words
    differs_reason: Markup = Markup("")


@dataclass(frozen=True)
class DocumentView:
    """One source document under Sources: its full citation once, then its quotes."""

    number: int
    text: str
    url: str
    verification: str
    key: str
    reports: tuple[tuple[str, str], ...]
    source_note: Markup
    notes: tuple[NoteView, ...]


def documents(notes: list[NoteView]) -> tuple[list[NoteView], list[DocumentView]]:
    """Number the source documents in order of first citation, and group the notes
    (still in reading order within each document)."""
    numbers: dict[int, int] = {}
    for note in notes:
        numbers.setdefault(note.source_key, len(numbers) + 1)
    numbered = [replace(note, source_number=numbers[note.source_key]) for note in notes]
    grouped: dict[int, list[NoteView]] = {}
    for note in numbered:
        grouped.setdefault(note.source_number, []).append(note)
    docs = [DocumentView(number, group[0].source_text, group[0].source_url,
                         document_line([n.state for n in group], group[0].against,
                                       group[0].reported),
                         group[0].document_key, group[0].reports, group[0].source_note,
                         tuple(group))
            for number, group in grouped.items()]
    return numbered, docs


def document_line(states: list[str], against: str, reported: str) -> str:
    """What a document's line says of its quotes, from what checking each found: one
    truth for the document and its quotes. What was reported of it (`verification:`)
    only when none was checked."""
    total = len(states)
    same = sum(state in (CHECKED, PUNCTUATION) for state in states)
    differ = sum(state in (MISQUOTED, PARAPHRASE) for state in states)
    if not same and not differ:
        return reported
    if not differ:
        if same == total == 1:
            return f"Wording checked against {against}."
        if same == total:
            return f"Wording of all {total} quotes checked against {against}."
        return f"Wording of {same} of {total} quotes checked against {against}."
    verb = "differs" if differ == 1 else "differ"
    return f"Checked against {against}: {differ} of {total} quotes {verb} from it."


def reading_order(anchors: list[Anchor], story: Story) -> list[Anchor]:
    """The text index's runs are already in reading order (see inputs.story)."""
    runs = {id(run): i for i, run in enumerate(story.text.runs)}
    return sorted(anchors, key=lambda a: (runs[id(a.run)], a.start))


def source_of(annotation: Annotation, findings: Findings) -> Source:
    """The annotation's source as its original completes it (`checks.originals`)."""
    return originals.source_of(findings, annotation.id, annotation.source)


def shown_date(annotation: Annotation, findings: Findings) -> FuzzyDate | None:
    """The date of the words: the annotation's own, else its source's."""
    return annotation.date or source_of(annotation, findings).sent


def note_view(number: int, anchor: Anchor, findings: Findings) -> NoteView:
    """What a template shows of a note. The verification is what the build computed
    against the original (`checks.originals`); without it the source's
    `verification:` field says what was reported, never "checked"."""
    a: Annotation = anchor.annotation
    checked = findings.of(originals.NAME, a.id)
    source = source_of(a, findings)
    said = findings.of(attribution.NAME, a.id, "")
    date = shown_date(a, findings)
    return NoteView(
        id=a.id, ids=element_ids(a.id), number=number,
        quote=anchor.run.text[anchor.start:anchor.end],
        speaker=a.speaker.name if a.speaker else "", speaker_role=a.speaker.role if a.speaker
        else "", date_text=date.display() if date else "",
        date_machine=date.machine() if date else "", source_text=source.describe(),
        source_url=source.url, verification=checked.verification if checked else "",
        reported=source.verification_text,
        reports=tuple((r.describe(), r.url) for r in source.reported_by),
        source_note=inline_markdown(source.note), note=inline_markdown(a.note),
        in_headline=anchor.run.part != "body", source_short=source.short(),
        source_key=id(source), attribution=said,
        attribution_reason=inline_markdown(a.attribution_reason) if said else Markup(""),
        context=checked.context if checked else "",
        speaker_key=person_key(a.speaker.name) if a.speaker else "",
        document_key=source_key(source.describe(), source.url),
        state=checked.state if checked else "", against=checked.against if checked else "",
        differs=checked.differs if checked else "",
        differs_reason=inline_markdown(a.verified_reason) if checked and checked.differs
        else Markup(""))
