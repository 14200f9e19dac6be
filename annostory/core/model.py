"""Plain records of what an annotations file says: people, sources, annotations
(no behaviour beyond their display text)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import FuzzyDate
from .diagnostics import Position
from .words import join_names

SOURCE_TYPE_WORDS = {
    "email": "Email", "email-chain": "Email chain", "memo": "Memo", "article": "Article",
    "document": "Document", "statement": "Statement", "interview": "Interview",
    "report": "Report", "press-release": "Press release", "transcript": "Transcript",
    "letter": "Letter", "post": "Post",
}


def type_words(kind: str) -> str:
    """How a kind of document is named: the known ones as worded above, any other as
    written ('court filing' -> 'Court filing')."""
    known = SOURCE_TYPE_WORDS.get(kind)
    if known:
        return known
    text = kind.replace("-", " ").strip()
    return text[:1].upper() + text[1:]
VERIFICATION_WORDS = {  # what the author reports; the build's own checks say "checked"
    "original": "Reported as matching the original; not checked by this site.",
    "reports": "Known only from other reports of it; not checked against the original.",
    "unverified": "Not checked against the original.",
}


@dataclass(frozen=True)
class Person:
    """A person, or an organization (`kind`) that speaks or sends as a body."""

    id: str
    name: str
    role: str = ""
    url: str = ""
    kind: str = "person"  # or "organization"
    sort_as: str = ""  # how the name sorts in the people index, when not by its last word


@dataclass(frozen=True)
class Report:
    publisher: str
    title: str = ""
    date: FuzzyDate | None = None
    url: str = ""

    def describe(self, zone: str = "") -> str:
        parts = [self.publisher]
        if self.title:
            parts.append(f"\u201c{self.title}\u201d")
        if self.date:
            parts.append(self.date.display(zone))
        return ", ".join(parts)


@dataclass(frozen=True)
class Source:
    id: str
    type: str
    sender: Person | None = None
    recipients: tuple[Person, ...] = ()
    cc: tuple[Person, ...] = ()
    subject: str = ""
    title: str = ""
    publisher: str = ""
    sent: FuzzyDate | None = None
    url: str = ""
    verification: str = ""
    reported_by: tuple[Report, ...] = ()
    note: str = ""
    original: str = ""  # a file under sources/ (.eml, .txt, .md)
    excerpt: str = ""  # a passage of the original, verbatim
    excerpt_seen_at: str = ""

    def describe(self, zone: str = "") -> str:
        """E.g. "Email from John Podesta to Nikki Budzinski, 'Trumka', Nov. 3, 2015"
        (a time in the site's `zone` with its abbreviation, see FuzzyDate.display)."""
        text = type_words(self.type)
        if self.sender:
            text += f" from {self.sender.name}"
        if self.recipients:
            text += " to " + join_names([p.name for p in self.recipients])
        parts = [text]
        if self.subject:
            parts.append(f"\u2018{self.subject}\u2019")
        if self.title:
            parts.append(f"\u201c{self.title}\u201d")
        if self.publisher:
            parts.append(self.publisher)
        if self.sent:
            parts.append(self.sent.display(zone))
        return ", ".join(parts)

    def short(self) -> str:
        """The short form a note cites: "Email from John Podesta", "Memo", "Article,
        Politico" (the full citation is given once, under Sources)."""
        text = type_words(self.type)
        if self.sender:
            return f"{text} from {self.sender.name}"
        if self.publisher:
            return f"{text}, {self.publisher}"
        return text

    @property
    def verification_text(self) -> str:
        return VERIFICATION_WORDS.get(self.verification, "")


@dataclass(frozen=True)
class Annotation:
    id: str
    quote: str
    source: Source
    prefix: str = ""
    suffix: str = ""
    speaker: Person | None = None
    date: FuzzyDate | None = None
    note: str = ""  # Markdown (inline): links allowed
    attribution: str = ""  # "disputed": the author knows the story's attribution differs
    attribution_reason: str = ""  # Markdown (inline)
    verified: str = ""  # "paraphrase": not checked word for word against the original
    verified_reason: str = ""
    position: Position = field(default_factory=lambda: Position(""))  # the entry
    quote_position: Position = field(default_factory=lambda: Position(""))

    @property
    def shown_date(self) -> FuzzyDate | None:
        """The date of the words: the annotation's own, else the source's."""
        return self.date or self.source.sent


@dataclass(frozen=True)
class AnnotationSet:
    file: str
    people: dict[str, Person]
    sources: dict[str, Source]
    annotations: tuple[Annotation, ...]
    skipped: int = 0  # entries left out because of errors (reported where they are)
    not_quotations: tuple[NotQuotation, ...] = ()


@dataclass(frozen=True)
class NotQuotation:
    """Words in quotation marks that are not a quotation (a name, a title)."""

    text: str
    reason: str
    position: Position = field(default_factory=lambda: Position(""))
