"""Emails as sent (RFC 5322), read with the standard library's `email` package:
multipart, quoted-printable, base64 and encoded headers are decoded, an HTML-only body
is reduced to its text, and the headers (From, To, Cc, Date, Subject) are returned as
names and text (addresses are never kept)."""

from __future__ import annotations

import contextlib


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
