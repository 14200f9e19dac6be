"""The story's own attribution of each quote, checked against the annotation.

For every anchored quote in the body, the person the story names as its speaker is
looked for: a person of the annotations file (by full name or last name) named in
the same sentence outside the quotation marks, else a pronoun right after the quote
("she said", "he wrote") resolved to the last person named before it, else a person
named in the sentence before or after. When that person is not the annotation's
`speaker`, or not the sender of its source document (as its original completes it:
`checks.originals`), the check warns (`attribution-differs`) unless the annotation
records that it knows (`attribution: disputed` with `attribution_reason`), and finds,
for each such quote, the sentence the reader sees either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..anchoring.anchors import Anchor
from ..core.diagnostics import Diagnostic, warning
from ..core.model import Annotation, Person
from .base import CheckResult, Findings, StoryUnderCheck
from .originals import source_of

NAME = "attribution"

# Sentence ends: . ! ? (and a closing quote), then space and a capital or an opening
# quote; not after common abbreviations (titles, months, states, initials).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"\u201c\u2018A-Z])")
_ABBREVIATIONS = {"Sen", "Rep", "Gov", "Mr", "Mrs", "Ms", "Dr", "St", "Jan", "Feb", "Mar",
                  "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "Vt", "Mass", "Calif",
                  "Fla", "Ill", "Pa", "Gen", "Lt", "Col", "No", "Inc", "Corp", "Jr", "Sr",
                  "vs", "U.S", "D.C", "a.m", "p.m"}
_PRONOUN_AFTER = re.compile(r"^[\s,\u2014\u2013-]*[\"\u201d\u2019]?[\s,\u2014\u2013-]*"
                            r"(?:she|he|they)\s+(?:said|wrote|added|told|says|writes|asked"
                            r"|explained|continued|noted|replied)\b", re.IGNORECASE)
_QUOTED = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")
# A name right after these is who was spoken to, not who spoke ("She told Podesta").
_TO_WHOM = re.compile(r"\b(?:told|informed|asked|assured|urged|emailed|reminded|warned|"
                      r"convinced|wrote to|said to|texted|called on|thanked)\s+$",
                      re.IGNORECASE)
_STARTS_WITH_PRONOUN = re.compile(r"^\W*(?:she|he|they)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Attribution:
    """Who the story says spoke a quote, and how it differs from the annotation."""

    person: Person
    how: str  # "named in the sentence", "a pronoun after the quote", ...
    differs_from_speaker: bool
    differs_from_sender: bool

    @property
    def differs(self) -> bool:
        return self.differs_from_speaker or self.differs_from_sender


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].rstrip("\"'\u201d\u2019)")
        last_word = re.search(r"([\w.]+)\.$", before)
        if last_word and (last_word.group(1) in _ABBREVIATIONS or  # "Sen.", an initial "J."
                          (len(last_word.group(1)) == 1 and last_word.group(1).isalpha())):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _same(a: Person, b: Person | None) -> bool:
    return b is not None and (a.name == b.name or (bool(a.id) and a.id == b.id))


def _named(text: str, people: list[Person]) -> list[tuple[int, Person]]:
    """(offset, person) for each person named in `text` (full name or last name), with
    quotations blanked out (words inside quotation marks are not an attribution)."""
    plain = _QUOTED.sub(_blank, text)
    found = []
    for person in people:  # an organization by its whole name ("the House" is no name)
        for name in (_names_of(person.name) if person.kind != "organization" else
                     (person.name,)):
            if name not in plain:  # most people are not in most sentences: skip the regex
                continue
            match = next((m for m in _name_pattern(name).finditer(plain)
                          if not _TO_WHOM.search(plain, 0, m.start())), None)
            if match:
                found.append((match.start(), person))
                break
    return sorted(found, key=lambda item: item[0])


def _blank(match: re.Match) -> str:
    return " " * len(match.group())


@lru_cache(maxsize=1024)
def _names_of(name: str) -> tuple[str, ...]:
    """A person's full name, then the last name alone (when there is more than one)."""
    parts = name.split()
    return (name, parts[-1]) if len(parts) > 1 else (name,)


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def _last_subject(text: str, people: list[Person]) -> Person | None:
    """Whom a pronoun most likely means: the first person named (the subject, in
    English word order) in the last sentence before it that names anyone."""
    for paragraph in reversed(text.split("\n")):
        for start, end in reversed(sentences(paragraph)):
            named = _named(paragraph[start:end], people)
            if named:
                return named[0][1]
    return None


def story_speaker(anchor: Anchor, people: list[Person], earlier: str = ""
                  ) -> tuple[Person, str] | None:
    """The person the story names as saying the anchored quote, and how it was found.
    `earlier` is the text of the paragraphs just before this one (for pronouns)."""
    text = anchor.run.text
    spans = sentences(text)
    index = next((k for k, (s, e) in enumerate(spans) if s <= anchor.start < e + 1),
                 len(spans) - 1)
    start, end = spans[index]
    # the sentence with the quote blanked out
    around = text[start:anchor.start] + " " * (anchor.end - anchor.start) + text[anchor.end:end]
    named = _named(around, people)
    if len(named) == 1 or (named and len({p.name for _, p in named}) == 1):
        return named[0][1], "named in the same sentence"
    if named:  # several: the one nearest the quote
        quote_at = anchor.start - start
        nearest = min(named, key=lambda item: abs(item[0] - quote_at))
        return nearest[1], "named nearest the quote in the same sentence"
    before = earlier + "\n" + text[:start]
    if _PRONOUN_AFTER.match(text[anchor.end:anchor.end + 40]) or \
            _STARTS_WITH_PRONOUN.match(around):
        subject = _last_subject(before, people)
        if subject is not None:
            return subject, "a pronoun, for the person the story last wrote about"
    # A sentence that is little more than the quotation: its neighbours may name the
    # speaker ("Budzinski wrote on Nov. 2." / "“...”").
    if len(_QUOTED.sub(" ", around).split()) > 3:
        return None
    for other in (index - 1, index + 1):
        if 0 <= other < len(spans):
            s, e = spans[other]
            named = _named(text[s:e], people)
            if len({p.name for _, p in named}) == 1:
                return named[0][1], ("named in the sentence before" if other < index
                                     else "named in the sentence after")
    return None


def attribution_of(anchor: Anchor, annotation: Annotation, people: list[Person],
                   earlier: str = "") -> Attribution | None:
    """The story's attribution of a body quote, or None when the story names nobody."""
    if anchor.run.part != "body":
        return None
    found = story_speaker(anchor, people, earlier)
    if found is None:
        return None
    person, how = found
    speaker = annotation.speaker
    sender = annotation.source.sender
    return Attribution(person, how,
                       differs_from_speaker=speaker is not None and not _same(person, speaker),
                       differs_from_sender=sender is not None and not _same(person, sender))


def describe(attribution: Attribution, annotation: Annotation) -> str:
    """One sentence for the reader: what the story says, and what the sources say."""
    said = []
    if attribution.differs_from_speaker and annotation.speaker:
        said.append(f"the words are {annotation.speaker.name}\u2019s")
    if attribution.differs_from_sender and annotation.source.sender:
        said.append(f"the {annotation.source.short().split(' from ')[0].lower()} was sent by "
                    f"{annotation.source.sender.name}")
    return (f"The story attributes these words to {attribution.person.name}, but "
            + " and ".join(said) + ".")


def check(story: StoryUnderCheck, findings: Findings) -> CheckResult:
    """The sentence a reader sees for each quote the story attributes to someone else
    than its speaker or its source's sender; a warning for those the author has not
    recorded as disputed."""
    anchored = story.anchored
    annotation_set = anchored.annotation_set
    if annotation_set is None or anchored.story is None:
        return CheckResult()
    people = list(annotation_set.people.values())
    people += [a.speaker for a in annotation_set.annotations
               if a.speaker is not None and not a.speaker.id]
    shown: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    runs = [run for run in anchored.story.text.runs if run.part == "body"]
    position = {id(run): k for k, run in enumerate(runs)}
    for anchor in anchored.anchors:
        k = position.get(id(anchor.run), 0)
        # a pronoun refers to someone recent: the three paragraphs before are enough,
        # and keep the check linear in the story's length
        earlier = "\n".join(r.text for r in runs[max(0, k - 3):k])
        annotation = anchor.annotation
        source = source_of(findings, annotation.id, annotation.source)
        if source is not annotation.source:
            annotation = replace(annotation, source=source)
        found = attribution_of(anchor, annotation, people, earlier)
        if found is None or not found.differs:
            continue
        text = describe(found, annotation)
        shown[annotation.id] = text
        if annotation.attribution != "disputed":
            diagnostics.append(warning(
                "attribution-differs", f"{text} (the story's speaker was found: {found.how})",
                annotation.quote_position,
                hint="check who said it; if the story is wrong and you know it, record it: "
                     "'attribution: disputed' with 'attribution_reason: ...' (readers see "
                     "the discrepancy either way)"))
    return CheckResult(tuple(diagnostics), per_annotation=shown)
