"""Originals: the documents quotes are checked against, read by kind.

A source carries its original as a file under `sources/` (`original:`) or as a passage
(`excerpt:`, with where it was seen). Files are read by the reader registered for their
ending in `READERS` (an email, a text); adding a format is adding a reader there, with
the words a note uses for it ("Wording checked against the original email").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..core.characters import FROM_ORIGINALS, character_name, without_unsafe
from ..core.diagnostics import Diagnostic, Position, error, warning
from ..core.model import Source
from .emails import parse_email
from .files import ProjectFiles, decode_text, inside
from .project import SOURCES


@dataclass(frozen=True)
class Original:
    kind: str  # "email", "document" or "excerpt"
    text: str
    where: str = ""  # the file, or where the excerpt was seen
    headers: dict = field(default_factory=dict)  # from, to, cc (names), subject, sent
    against: str = ""  # how a note names it: "the original email"


@dataclass(frozen=True)
class Reader:
    kind: str
    against: str  # "the original email"
    read: Callable[[bytes, str], tuple[Original | None, list[Diagnostic]]]


def _email(raw: bytes, name: str) -> tuple[Original | None, list[Diagnostic]]:
    message = parse_email(raw, name)
    if not message.headers and message.diagnostics:
        return None, message.diagnostics
    return Original("email", message.text, name, message.headers), message.diagnostics


def _text(raw: bytes, name: str) -> tuple[Original | None, list[Diagnostic]]:
    text, problems = decode_text(raw, name)
    if text is None:
        return None, problems
    bad = FROM_ORIGINALS.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        problems = [warning("original-characters",
                            f"{name} holds invisible characters such as "
                            f"{character_name(bad.group())}; they were removed",
                            Position(name, line, bad.start() - text.rfind("\n", 0,
                                                                         bad.start())),
                            hint="nothing to do unless the words look wrong: the file is "
                                 "kept as it is, and the pages show it without them")]
        text = without_unsafe(text)
    return Original("document", text, name), problems


READERS: dict[str, Reader] = {
    ".eml": Reader("email", "the original email", _email),
    ".txt": Reader("document", "the original document", _text),
    ".md": Reader("document", "the original document", _text),
}


def load_original(files: ProjectFiles, source: Source, where: Position
                  ) -> tuple[Original | None, list[Diagnostic]]:
    """The original a source carries (file or excerpt), or None."""
    if source.original:
        name = source.original
        reader = READERS.get(PurePosixPath(name).suffix.lower())
        if reader is None:
            known = ", ".join(sorted(READERS))
            return None, [error("original-format", f"annostory cannot read {name}: "
                                f"originals are {known} files", where,
                                hint=f"save the original as one of {known} under {SOURCES}/")]
        if not inside(name, SOURCES) or files.leads_elsewhere(name, SOURCES):
            return None, [error("original-outside-sources",
                                f"{name} is not a file under {SOURCES}/", where,
                                hint=f"keep the originals in {SOURCES}/ and write their path "
                                     f"from the project folder, e.g. {SOURCES}/memo.eml")]
        if not files.exists(name):
            return None, [error("original-not-found", f"no file at {name}", where,
                                hint=f"put the original under {SOURCES}/ and write its path "
                                     "from the project folder")]
        raw, problems = files.read_bytes(name)
        if raw is None:
            return None, [p.at(where) for p in problems]
        original, problems = reader.read(raw, name)
        if original is None:
            return None, problems
        return Original(original.kind, original.text, original.where, original.headers,
                        reader.against), problems
    if source.excerpt:  # from YAML: control characters were refused there
        seen = source.excerpt_seen_at
        return Original("excerpt", source.excerpt, seen, {}, "an excerpt of the original" + (
            f" (seen at {seen})" if seen else "")), []
    return None, []
