"""Emails as sent (RFC 5322), read with the standard library's `email` package:
multipart, quoted-printable, base64 and encoded headers are decoded, an HTML-only body
is reduced to the text a reader sees, and the headers (From, To, Cc, Date, Subject)
are kept as names and text.

What an email holds that must not be published is taken out here, once, for every
page and file made from it: addresses (a display name that is an address is no name;
an address in the subject is replaced), and control characters, bidirectional
overrides and noncharacters (removed, with a warning naming the file and the header
or the body). The body keeps its addresses for matching quotes; the sentence shown
from it is redacted where it is shown (`redact_addresses`).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from ..core.characters import FROM_ORIGINALS, character_name, without_unsafe
from ..core.diagnostics import Diagnostic, Position, error, warning

ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
ADDRESS_SHOWN = "[address]"
MAX_PARTS = 200  # parts of one email looked at, at most
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                   "meta", "param", "source", "track", "wbr"})
_NEVER_SHOWN = frozenset({"head", "title", "script", "style", "template", "noscript"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "blockquote"})


def redact_addresses(text: str) -> str:
    return ADDRESS.sub(ADDRESS_SHOWN, text)


def html_text(html: str) -> str:
    """The text a reader of an HTML body sees: not the head or title, scripts,
    styles, or elements hidden (`hidden`, `display: none`, `visibility: hidden`)."""
    from html.parser import HTMLParser

    parts: list[str] = []
    open_tags: list[tuple[str, bool]] = []  # (tag, hidden from here on)

    class Text(HTMLParser):
        def handle_starttag(self, tag, attrs) -> None:
            values = dict(attrs)
            hidden = (tag in _NEVER_SHOWN or "hidden" in values or
                      bool(_HIDDEN_STYLE.search(values.get("style") or "")) or
                      (open_tags and open_tags[-1][1]))
            if tag in _BREAKS:
                parts.append("\n")
            if tag not in _VOID:
                open_tags.append((tag, bool(hidden)))

        def handle_endtag(self, tag) -> None:
            for k in range(len(open_tags) - 1, -1, -1):  # close what it closes
                if open_tags[k][0] == tag:
                    del open_tags[k:]
                    break

        def handle_data(self, data) -> None:
            if not (open_tags and open_tags[-1][1]):
                parts.append(data)
    parser = Text(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return "".join(parts)


@dataclass
class Email:
    text: str
    headers: dict = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _line_of(raw: bytes, header: str) -> int:
    """The line of the file where a header starts (1-based), or 1."""
    wanted = header.lower().encode() + b":"
    for number, line in enumerate(raw.split(b"\n")[:500], start=1):
        if line.lower().startswith(wanted):
            return number
    return 1


def _cleaned(text: str, raw: bytes, name: str, where: str, found: list[Diagnostic]) -> str:
    """`text` without the characters no page may show; a warning when there were any."""
    bad = FROM_ORIGINALS.search(text)
    if bad is None:
        return text
    line = _line_of(raw, where) if where != "body" else 1
    shown = f"the {where} header" if where != "body" else "the body"
    found.append(warning("original-characters",
                         f"{shown} of {name} holds invisible characters such as "
                         f"{character_name(bad.group())}; they were removed",
                         Position(name, line, 1),
                         hint="nothing to do unless the words look wrong: the email is "
                              "kept as it is, and the pages show it without them"))
    return without_unsafe(text)


def _names(value, raw: bytes, name: str, header: str, found: list[Diagnostic]) -> list[str]:
    """The display names of an address header; a name that is itself an address is no
    name (addresses are never published)."""
    import email.utils

    if not value:
        return []
    names = [_cleaned(person, raw, name, header, found)
             for person, _ in email.utils.getaddresses([str(value)]) if person]
    return [person.strip() for person in names if person.strip() and
            not ADDRESS.search(person)]


def _body(message, name: str, found: list[Diagnostic]) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeError):
        charset = body.get_content_charset() or "?"
        found.append(warning("original-charset",
                             f"{name} says its text is in the character set {charset!r}, "
                             "which is not known: read as UTF-8",
                             Position(name, 1, 1),
                             hint="if letters look wrong, save the email again from the "
                                  "mail program"))
        payload = body.get_payload(decode=True) or b""
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) \
            else str(payload)
    return html_text(content) if body.get_content_type() == "text/html" else content


def parse_email(raw: bytes, name: str = "the email") -> Email:
    """The body text and the headers (names and text) of an RFC 5322 message, with
    what was removed on the way (the email package is imported only when a story has
    an email original)."""
    import email
    import email.policy
    import email.utils

    found: list[Diagnostic] = []
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if sum(1 for _ in message.walk()) > MAX_PARTS:
            raise RecursionError
        text = _cleaned(_body(message, name, found), raw, name, "body", found)
        subject = _cleaned(str(message.get("Subject") or ""), raw, name, "Subject", found)
        headers = {"from": _names(message.get("From"), raw, name, "From", found),
                   "to": _names(message.get("To"), raw, name, "To", found),
                   "cc": _names(message.get("Cc"), raw, name, "Cc", found),
                   "subject": redact_addresses(subject), "sent": ""}
    except RecursionError:
        return Email("", {}, [error("original-unreadable",
                                    f"{name} has more than {MAX_PARTS} parts, or parts "
                                    "nested too deeply to read", Position(name, 1, 1),
                                    hint="save the message itself from the mail program")])
    if message.get("Date"):
        with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
            headers["sent"] = email.utils.parsedate_to_datetime(str(message["Date"])).isoformat(
                timespec="minutes")
    return Email(text, headers, found)
