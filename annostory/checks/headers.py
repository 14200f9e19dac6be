"""A source completed from its original email's headers: the fields the YAML leaves out
(subject, sender, recipients, date) are taken from them, as names; a field the YAML
gives differently is a warning naming both (`original-differs`)."""

from __future__ import annotations

from dataclasses import replace

from ..core.dates import parse_date
from ..core.diagnostics import Diagnostic, Position, warning
from ..core.model import Person, Source
from ..core.textfold import fold_query
from ..inputs.originals import Original


def with_headers(source: Source, original: Original, where: Position,
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
