"""Quotes checked against their sources' originals.

A source may carry its original (`original: sources/x.eml`, an email as sent, or a
`.txt`/`.md` text) or an `excerpt:` (a passage as retrieved). Emails are read with the
standard library's `email` package: multipart, quoted-printable, base64 and encoded
headers are decoded, an HTML-only body is reduced to its text, and the headers (From,
To, Cc, Date, Subject) are returned as names (addresses are not published).

A quote is looked for in the original with the same folding as anchoring, ignoring
the `>` marks and line wrapping of replies. Authors mark deliberate differences:
`[sic]` / `(sic)` is ignored, an editorial bracket (`[the union]`) and an elision
(`…`, `...`) match any words in between. A quote that is not there is a `misquote`,
with the closest passage of the original and a word-by-word difference.
`check_anchors` does this for a story's anchored quotes and returns the verification
each note states (computed, never claimed), filling a source's missing fields from its
email's headers and warning where they disagree.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .dates import parse_date
from .diagnostics import Diagnostic, Position, error, warning
from .model import Person, Source
from .sourcefile import decode_source, read_checked_bytes
from .textfold import fold, fold_query

SOURCES_DIR = "sources"
_SIC = re.compile(r"\s*[\[(]sic[\])]", re.IGNORECASE)
_GAP = re.compile(r"\s*(?:\[[^\]]*\]|\u2026|\.\.\.)\s*")
_MAX_GAP_WORDS = 60


@dataclass(frozen=True)
class Original:
    kind: str  # "email", "document" or "excerpt"
    text: str
    where: str = ""  # the file, or where the excerpt was seen
    headers: dict = field(default_factory=dict)  # from, to, cc (names), subject, sent


def html_text(html: str) -> str:
    """The text of an HTML body (scripts and styles left out)."""
    from html.parser import HTMLParser

    parts: list[str] = []
    skip = [0]

    class Text(HTMLParser):
        def handle_starttag(self, tag, attrs) -> None:
            if tag in ("script", "style"):
                skip[0] += 1
            if tag in ("br", "p", "div", "li", "tr", "blockquote"):
                parts.append("\n")

        def handle_endtag(self, tag) -> None:
            if tag in ("script", "style"):
                skip[0] = max(skip[0] - 1, 0)

        def handle_data(self, data) -> None:
            if not skip[0]:
                parts.append(data)
    parser = Text(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return "".join(parts)


def _names(value) -> list[str]:
    import email.utils

    if not value:
        return []
    return [name for name, _ in email.utils.getaddresses([str(value)]) if name]


def parse_email(raw: bytes) -> tuple[str, dict]:
    """(body text, headers as names and text) of an RFC 5322 message (the email
    package is imported only when a story has an email original)."""
    import email
    import email.policy
    import email.utils

    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        content = body.get_content()
        text = html_text(content) if body.get_content_type() == "text/html" else content
    headers = {"from": _names(message.get("From")), "to": _names(message.get("To")),
               "cc": _names(message.get("Cc")), "subject": str(message.get("Subject") or ""),
               "sent": ""}
    if message.get("Date"):
        with contextlib.suppress(TypeError, ValueError):
            headers["sent"] = email.utils.parsedate_to_datetime(str(message["Date"])).isoformat(
                timespec="minutes")
    return text, headers


def load(project_root: Path, source, where: Position) -> tuple[Original | None,
                                                                list[Diagnostic]]:
    """The original a source carries (file or excerpt), or None."""
    if source.original:
        path = project_root / source.original
        if not path.exists() and not path.is_symlink():
            return None, [error("original-not-found", f"no file at {source.original}", where,
                                hint="put the original under sources/ and write its path "
                                     "from the project folder")]
        raw, problems = read_checked_bytes(path, project_root, source.original)
        if raw is None:
            return None, [Diagnostic(p.severity, p.code, p.message, where, p.hint)
                          for p in problems]
        if source.original.endswith(".eml"):
            text, headers = parse_email(raw)
            return Original("email", text, source.original, headers), []
        decoded, problems = decode_source(raw, source.original)
        if decoded is None:
            return None, problems
        return Original("document", decoded.text, source.original), []
    if source.excerpt:
        return Original("excerpt", source.excerpt, source.excerpt_seen_at), []
    return None, []


def unwrap(text: str) -> str:
    """The text of an email or document with reply marks (`>`) and wrapping removed."""
    lines = [re.sub(r"^(?:\s*>)+\s?", "", line) for line in text.split("\n")]
    return " ".join(line.strip() for line in lines if line.strip())


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
class Check:
    found: bool
    context: str = ""  # the sentence of the original around the quote
    closest: str = ""
    diff: str = ""


def check(quote: str, original: Original) -> Check:
    text = unwrap(original.text)
    folded = fold(text)
    pattern = _pattern(quote)
    if pattern is None:
        return Check(True)
    match = pattern.search(folded.text)
    if match:
        start, end = folded.span(match.start(), max(match.end(), match.start() + 1))
        return Check(True, _sentence(text, start, end))
    closest = _closest(fold(_SIC.sub("", quote)).text, folded.text)
    return Check(False, closest=closest, diff=word_diff(fold(_SIC.sub("", quote)).text,
                                                         closest))


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start),
               text.rfind("! ", 0, start))
    right = min([i for i in (text.find(". ", end), text.find("? ", end),
                             text.find("! ", end)) if i != -1] or [len(text) - 1])
    sentence = text[left + 2 if left != -1 else 0:right + 1].strip()
    return sentence if len(sentence) <= 400 else ""


def _closest(quote: str, text: str) -> str:
    words = text.split(" ")
    size = max(len(quote.split(" ")), 1)
    matcher = difflib.SequenceMatcher(autojunk=len(quote) > 200)
    matcher.set_seq2(quote)
    best, best_ratio = "", 0.0
    for first in range(0, max(len(words) - size + 1, 1)):
        window = " ".join(words[first:first + size])
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best if best_ratio >= 0.5 else ""


def word_diff(quote: str, original: str) -> str:
    """'quote [-word-] {+word+}' style difference, word by word."""
    a, b = quote.split(), original.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def check_anchors(project_root: Path, anchors: list,
                  diagnostics: list[Diagnostic]) -> dict[str, tuple[str, str]]:
    """Check each quote against its source's original or excerpt. Returns, by
    annotation id, the computed verification sentence and the sentence of the
    original around the quote. Email headers fill the source's missing fields (the
    anchors' annotations are updated); disagreements are warnings."""
    results: dict[str, tuple[str, str]] = {}
    loaded: dict[int, tuple[Original | None, Source]] = {}
    for anchor in anchors:
        annotation = anchor.annotation
        source = annotation.source
        if id(source) not in loaded:
            original, problems = load(project_root, source, annotation.position)
            diagnostics.extend(problems)
            filled = _with_headers(source, original, annotation.position, diagnostics) \
                if original is not None and original.kind == "email" else source
            loaded[id(source)] = (original, filled)
        original, filled = loaded[id(source)]
        if filled is not source:
            anchor.annotation = annotation = replace(annotation, source=filled)
        if original is None:
            continue
        if annotation.verified == "paraphrase":
            results[annotation.id] = (f"A paraphrase, not the original's words: "
                                      f"{annotation.verified_reason}", "")
            continue
        found = check(annotation.quote, original)
        if not found.found:
            hint = ("mark deliberate changes: [sic], [your words] in brackets, \u2026 for "
                    "left-out words, or 'verified: paraphrase' with 'verified_reason:'")
            if found.closest:
                hint = (f"the original has \u201c{found.closest}\u201d (difference: "
                        f"{found.diff}); {hint}")
            diagnostics.append(error(
                "misquote", f"the quote is not in its source's {original.kind} "
                f"({original.where or 'as given'})", annotation.quote_position, hint=hint))
            continue
        against = {"email": "the original email", "document": "the original document",
                   "excerpt": "an excerpt of the original" + (
                       f" (seen at {original.where})" if original.where else "")}
        context = found.context if fold_query(found.context) != fold_query(
            annotation.quote) else ""
        results[annotation.id] = (f"Wording checked against {against[original.kind]}.",
                                  context)
    return results


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
