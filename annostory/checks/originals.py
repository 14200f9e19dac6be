"""Quotes checked against their sources' originals (`inputs.originals`).

A quote is looked for in the original with the same folding as anchoring, ignoring the
`>` marks and line wrapping of replies. Authors mark deliberate differences: `[sic]` /
`(sic)` is ignored, an editorial bracket (`[the union]`) and an elision (`…`, `...`)
match any words in between. A quote that is not there is a `misquote`, with the
closest passage of the original (`core.passages`) and a word-by-word difference.

Found for each annotation (`OriginalFinding`): the source as its original's headers
complete it (names only; a field the YAML gives differently is a warning,
`original-differs`), and, when the wording was checked, the sentence a note states
(computed, never claimed) and the sentence of the original around the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..core.dates import parse_date
from ..core.diagnostics import Diagnostic, Position, error, warning
from ..core.model import Person, Source
from ..core.passages import closest_passage, word_diff
from ..core.textfold import fold, fold_query
from ..inputs.emails import redact_addresses
from ..inputs.originals import Original, load_original
from .base import CheckResult, Findings, StoryUnderCheck

NAME = "originals"
_SIC = re.compile(r"\s*[\[(]sic[\])]", re.IGNORECASE)
_GAP = re.compile(r"\s*(?:\[[^\]]*\]|\u2026|\.\.\.)\s*")
_MAX_GAP_WORDS = 60


@dataclass(frozen=True)
class OriginalFinding:
    source: Source  # completed from the original's headers
    verification: str = ""  # the sentence a note states; '' when not checked
    context: str = ""  # the sentence of the original around the quote


_REPLY_MARKS = re.compile(r"^(?:\s*>)+\s?")


def unwrap(text: str) -> str:
    """The text of an email or document with reply marks (`>`) and wrapping removed:
    the lines of a paragraph joined by spaces, paragraphs (a blank line, or a change
    of how deeply a reply is quoted) by line breaks, which no sentence crosses."""
    paragraphs: list[list[str]] = []
    depth = None
    for line in text.split("\n"):
        marks = _REPLY_MARKS.match(line)
        level = marks.group().count(">") if marks else 0
        words = line[marks.end():].strip() if marks else line.strip()
        if not words:
            depth = None
            continue
        if level != depth or not paragraphs:
            paragraphs.append([])
        paragraphs[-1].append(words)
        depth = level
    return "\n".join(" ".join(lines) for lines in paragraphs)


def _pattern(quote: str) -> re.Pattern | None:
    """A regular expression over folded text for a quote with [sic], [brackets] and
    elisions (which match up to _MAX_GAP_WORDS words)."""
    cleaned = _SIC.sub("", quote)
    pieces = [fold(piece).text.strip() for piece in _GAP.split(cleaned)]
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        return None
    gap = rf"(?:\W+\S+){{0,{_MAX_GAP_WORDS}}}?\W*"
    escaped = [re.escape(piece) for piece in pieces]
    first = pieces[0][0]
    if first.lower() != first.upper():  # a quotation may start with a changed capital
        escaped[0] = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" + \
            re.escape(pieces[0][1:])
    return re.compile(gap.join(escaped))


@dataclass(frozen=True)
class Comparison:
    found: bool
    context: str = ""  # the sentence of the original around the quote
    closest: str = ""
    diff: str = ""


def compare(quote: str, original: Original) -> Comparison:
    text = unwrap(original.text)
    folded = fold(text)
    pattern = _pattern(quote)
    if pattern is None:
        return Comparison(True)
    match = pattern.search(folded.text)
    if match:
        start, end = folded.span(match.start(), max(match.end(), match.start() + 1))
        return Comparison(True, _sentence(text, start, end))
    wanted = fold(_SIC.sub("", quote)).text
    best, _ = closest_passage(wanted, [folded.text], minimum=0.5, spread=0)
    closest = folded.text[best.start:best.end] if best else ""
    return Comparison(False, closest=closest, diff=word_diff(wanted, closest))


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of `text` around [start, end) (never across a paragraph)."""
    starts = [i + 2 for i in (text.rfind(". ", 0, start), text.rfind("? ", 0, start),
                              text.rfind("! ", 0, start)) if i != -1]
    left = max(starts + [text.rfind("\n", 0, start) + 1])
    ends = [i + 1 for i in (text.find(". ", end), text.find("? ", end),
                            text.find("! ", end)) if i != -1]
    ends += [i for i in (text.find("\n", end),) if i != -1]
    right = min(ends or [len(text)])
    sentence = redact_addresses(text[left:right].strip())  # addresses are never shown
    return sentence if len(sentence) <= 400 else ""


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
            filled = _with_headers(source, original, annotation.position, diagnostics) \
                if original is not None and original.kind == "email" else source
            loaded[id(source)] = (original, filled)
        original, filled = loaded[id(source)]
        if original is None:
            if filled is not source:
                found[annotation.id] = OriginalFinding(filled)
            continue
        if annotation.verified == "paraphrase":
            found[annotation.id] = OriginalFinding(
                filled, f"A paraphrase, not the original's words: {annotation.verified_reason}")
            continue
        result = compare(annotation.quote, original)
        if not result.found:
            hint = ("mark deliberate changes: [sic], [your words] in brackets, \u2026 for "
                    "left-out words, or 'verified: paraphrase' with 'verified_reason:'")
            if result.closest:
                hint = (f"the original has \u201c{result.closest}\u201d (difference: "
                        f"{result.diff}); {hint}")
            diagnostics.append(error(
                "misquote", f"the quote is not in its source's {original.kind} "
                f"({original.where or 'as given'})", annotation.quote_position, hint=hint))
            found[annotation.id] = OriginalFinding(filled)
            continue
        context = result.context if fold_query(result.context) != fold_query(
            annotation.quote) else ""
        found[annotation.id] = OriginalFinding(
            filled, f"Wording checked against {original.against}.", context)
    return CheckResult(tuple(diagnostics), per_annotation=found)


def _with_headers(source: Source, original: Original, where: Position,
                  diagnostics: list[Diagnostic]) -> Source:
    """The source with its missing fields taken from the email's headers; a field
    the YAML gives differently from the headers is a warning naming both."""
    headers = original.headers
    changes: dict = {}
    if headers.get("subject"):
        if not source.subject:
            changes["subject"] = headers["subject"]
        elif fold_query(source.subject) != fold_query(headers["subject"]):
            diagnostics.append(_differs(source, "subject", source.subject,
                                        headers["subject"], where))
    if headers.get("from"):
        sender = headers["from"][0]
        if source.sender is None:
            changes["sender"] = Person(id="", name=sender)
        elif source.sender.name != sender:
            diagnostics.append(_differs(source, "from", source.sender.name, sender, where))
    for key, attribute in (("to", "recipients"), ("cc", "cc")):
        names = headers.get(key) or []
        given = [person.name for person in getattr(source, attribute)]
        if names and not given:
            changes[attribute] = tuple(Person(id="", name=name) for name in names)
        elif names and sorted(given) != sorted(names):
            diagnostics.append(_differs(source, key, ", ".join(given), ", ".join(names),
                                        where))
    if headers.get("sent"):
        sent, _, _ = parse_date(headers["sent"])
        if source.sent is None and sent is not None:
            changes["sent"] = sent
        elif sent is not None and source.sent is not None and \
                source.sent.machine()[:10] != sent.machine()[:10]:
            diagnostics.append(_differs(source, "sent", source.sent.machine(),
                                        sent.machine(), where))
    return replace(source, **changes) if changes else source


def _differs(source: Source, field_name: str, yaml_value: str, header: str,
             where: Position) -> Diagnostic:
    return warning("original-differs",
                   f"source '{source.id}': '{field_name}' is {yaml_value!r} here but "
                   f"{header!r} in the original email", where,
                   hint="check which is right; the page shows what the YAML says")


def source_of(findings: Findings, annotation_id: str, declared: Source) -> Source:
    """The source of an annotation as its original completes it (or as declared)."""
    finding = findings.of(NAME, annotation_id)
    return finding.source if finding is not None else declared
