"""What a page shows of each note (`NoteView`) and of each source document
(`DocumentView`), made from an anchor and what the checks found for it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from markupsafe import Markup

from ..anchoring.anchors import Anchor
from ..anchoring.wrapping import element_ids
from ..checks import attribution, originals
from ..checks.base import Findings
from ..checks.originals import CHECKED, MISQUOTED, PARAPHRASE, PUNCTUATION
from ..core.dates import FuzzyDate
from ..core.model import Annotation, Source
from ..core.textfold import fold, fold_query
from ..inputs.story import Story
from .names import sort_name
from .text import inline_markdown
from .urls import person_id, person_key, source_id, source_key


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
    speaker_folder: str = ""  # the speaker's page: people/<speaker_folder>/
    document_folder: str = ""  # the document's page: sources/<document_folder>/
    document_date: str = ""  # the document's own date (machine form), '' when unknown
    sender: str = ""  # who sent or issued the document
    speaker_sort: str = ""  # how the speaker's name sorts (pages.names)
    # Under Sources, what the note shows beside what its document already says
    # (`documents` sets them): the speaker, the date, the check of its wording.
    shows_speaker: bool = True
    shows_date: bool = True
    shows_check: bool = True
    # the context cut around the quote's words in it (before, the words, after), when
    # they are found there: Sources shows the quote within its sentence
    context_parts: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class DocumentView:
    """One source document under Sources: its full citation once, what all its quotes
    share (the speaker, the date), then its quotes, each showing only what differs."""

    number: int
    text: str
    url: str
    verification: str
    key: str
    reports: tuple[tuple[str, str], ...]
    source_note: Markup
    notes: tuple[NoteView, ...]
    folder: str = ""  # its page: sources/<folder>/
    speaker: str = ""  # the speaker of every quote, when they share one
    speaker_role: str = ""
    speaker_folder: str = ""
    date_text: str = ""  # the date of every quote, when the document has none of its own
    date_machine: str = ""


def documents(notes: list[NoteView]) -> tuple[list[NoteView], list[DocumentView]]:
    """Number the source documents in order of first citation, and group the notes
    (still in reading order within each document). A note keeps every fact (the
    popup and screen readers read them all); under Sources it shows only those its
    document does not already state."""
    numbers: dict[int, int] = {}
    for note in notes:
        numbers.setdefault(note.source_key, len(numbers) + 1)
    numbered = [replace(note, source_number=numbers[note.source_key]) for note in notes]
    grouped: dict[int, list[NoteView]] = {}
    for note in numbered:
        grouped.setdefault(note.source_number, []).append(note)
    docs = [_document(number, group) for number, group in grouped.items()]
    shown = {note.id: note for doc in docs for note in doc.notes}
    return [shown[note.id] for note in numbered], docs


def _document(number: int, group: list[NoteView]) -> DocumentView:
    first = group[0]
    speakers = {(n.speaker, n.speaker_role) for n in group}
    speaker, role = next(iter(speakers)) if len(speakers) == 1 else ("", "")
    # the sender named by the citation: said again only to give a role
    said_once = speaker if speaker and (speaker != first.sender or role) else ""
    dates = {(n.date_text, n.date_machine) for n in group}
    date_text, date_machine = next(iter(dates)) if len(dates) == 1 and \
        not first.document_date else ("", "")
    states = [n.state for n in group]
    same_check = len(set(states)) == 1
    own_date = first.document_date or date_machine
    shown = tuple(replace(
        note, shows_speaker=bool(note.speaker) and note.speaker != speaker,
        shows_date=bool(note.date_machine) and note.date_machine != own_date,
        shows_check=bool(note.verification) and not (same_check and note.state == CHECKED))
        for note in group)
    return DocumentView(number, first.source_text, first.source_url,
                        document_line(Counter(states), first.against, first.reported),
                        first.document_key, first.reports, first.source_note, shown,
                        folder=first.document_folder, speaker=said_once,
                        speaker_role=role if said_once else "",
                        speaker_folder=first.speaker_folder if said_once else "",
                        date_text=date_text, date_machine=date_machine)


def document_line(states: Counter[str], against: str, reported: str) -> str:
    """What a document's line says of its quotes, from what checking each found
    (`states`: how many quotes of each state): one truth for the document and its
    quotes. What was reported of it (`verification:`) only when none was checked."""
    total = sum(states.values())
    same = states[CHECKED] + states[PUNCTUATION]
    differ = states[MISQUOTED] + states[PARAPHRASE]
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


CONTEXT_AROUND = 100  # characters of the original sentence shown on each side, at most


def within(context: str, quote: str, room: int = CONTEXT_AROUND
           ) -> tuple[str, str, str] | None:
    """`context` cut around `quote`'s words in it (as folded: quotation marks,
    apostrophes, dashes and spaces of any kind), or None when they are not in it; at
    most `room` characters of whole words on each side (an ellipsis for the rest)."""
    folded = fold(context)
    wanted = fold_query(quote)
    at = folded.text.find(wanted) if wanted else -1
    if at < 0:
        return None
    start, end = folded.span(at, at + len(wanted))
    before, after = context[:start], context[end:]
    if len(before) > room:
        kept = before[-room:]
        before = "\u2026" + (kept.split(" ", 1)[1] if " " in kept else kept)
    if len(after) > room:
        kept = after[:room]
        after = (kept.rsplit(" ", 1)[0] if " " in kept else kept) + "\u2026"
    return before, context[start:end], after


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


def note_view(number: int, anchor: Anchor, findings: Findings, zone: str = "") -> NoteView:
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
        else "", date_text=date.display(zone) if date else "",
        date_machine=date.machine() if date else "", source_text=source.describe(zone),
        source_url=source.url, verification=checked.verification if checked else "",
        reported=source.verification_text,
        reports=tuple((r.describe(zone), r.url) for r in source.reported_by),
        source_note=inline_markdown(source.note), note=inline_markdown(a.note),
        in_headline=anchor.run.part != "body", source_short=source.short(),
        source_key=id(source), attribution=said,
        attribution_reason=inline_markdown(a.attribution_reason) if said else Markup(""),
        context=checked.context if checked else "",
        context_parts=within(checked.context, anchor.run.text[anchor.start:anchor.end])
        if checked and checked.context else None,
        speaker_key=person_key(a.speaker.name) if a.speaker else "",
        document_key=source_key(source.describe(), source.url),
        state=checked.state if checked else "", against=checked.against if checked else "",
        differs=checked.differs if checked else "",
        differs_reason=inline_markdown(a.verified_reason) if checked and checked.differs
        else Markup(""), speaker_folder=person_id(a.speaker.name) if a.speaker else "",
        document_folder=source_id(source.describe(), source.url, source.short() + (
            f" {source.sent.machine().split('T')[0]}" if source.sent else "")),
        document_date=source.sent.machine() if source.sent else "",
        sender=source.sender.name if source.sender else "",
        speaker_sort=sort_name(a.speaker.name, a.speaker.kind, a.speaker.sort_as)
        if a.speaker else "")
