"""Places in a file as an editor counts them, and what is under the cursor.

annostory's positions are 1-based lines and columns in characters (`core.diagnostics`);
an editor's are 0-based, and its ranges have an end. A `Span` is 0-based, in
characters (code points): `editor.protocol` turns it into the client's code units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..anchoring.anchors import Anchor
from ..anchoring.quotations import Quotation
from ..core.diagnostics import Position
from ..inputs.yamltree import YamlDocument


@dataclass(frozen=True)
class Span:
    """[start, end) in a file: 0-based lines and characters."""

    path: Path
    line: int
    character: int
    end_line: int
    end_character: int

    def holds(self, line: int, character: int) -> bool:
        return (self.line, self.character) <= (line, character) <= (
            self.end_line, self.end_character)


_CLOSING = {"\u201c": "\u201d", "\u2018": "\u2019", '"': '"', "'": "'", "[": "]", "{": "}"}
_WORD = re.compile(r"[\w.@/-]+")


def _end_on_line(text: str, at: int, yaml: bool = False) -> int:
    """Where the thing written at `at` of a line ends: a quoted or bracketed value at
    its closing mark, a `key: value` at the value's end; in YAML a plain value at the
    end of the line (or of its {flow, item}), else the word's end."""
    if at >= len(text):
        return at
    closing = _CLOSING.get(text[at])
    if closing:
        end = text.find(closing, at + 1)
        return end + 1 if end != -1 else len(text.rstrip())
    key = re.match(r"[\w-]+:\s", text[at:])
    if key:
        value = text[at:].split(" #", 1)[0].rstrip()
        return at + len(value)
    if yaml:
        value = text[at:].split(" #", 1)[0].rstrip()
        if "{" in text[:at] or "[" in text[:at]:
            value = re.split(r"[,}\]]", value, maxsplit=1)[0].rstrip()
        return at + max(len(value), 1)
    word = _WORD.match(text, at)
    return word.end() if word else at + 1


def span_at(path: Path, text: str | None, position: Position) -> Span:
    """The span of what begins at `position` (a diagnostic's place)."""
    line = max(position.line - 1, 0)
    character = max(position.column - 1, 0)
    lines = (text or "").split("\n")
    if position.line <= 0 or line >= len(lines):
        return Span(path, line if position.line > 0 else 0, 0, line if position.line > 0
                    else 0, 0)
    end = max(_end_on_line(lines[line], character, path.suffix == ".yaml"), character)
    return Span(path, line, character, line, end)


def between(path: Path, start: Position, end: Position) -> Span:
    return Span(path, start.line - 1, start.column - 1, end.line - 1, end.column - 1)


def anchor_span(path: Path, anchor: Anchor) -> Span:
    """Where an annotation's passage is in the story file."""
    start = anchor.run.position(anchor.start)
    last = anchor.run.position(max(anchor.end - 1, anchor.start))
    return Span(path, start.line - 1, start.column - 1, last.line - 1, last.column)


def quotation_span(path: Path, quotation: Quotation) -> Span:
    first, last = quotation.segments[0], quotation.segments[-1]
    start = first.run.position(first.start)
    end = last.run.position(max(last.end - 1, last.start))
    return Span(path, start.line - 1, start.column - 1, end.line - 1, end.column)


@dataclass(frozen=True)
class YamlSpot:
    """What the cursor is on in an annotations file: a key or a value, by its path
    in the data (`("annotations", 2, "quote")`, `("people", "podesta")`)."""

    path: tuple
    is_key: bool
    value: Any


def yaml_spot(doc: YamlDocument, text: str, line: int, character: int) -> YamlSpot | None:
    """The key or scalar value under (0-based) `line`, `character`."""
    lines = text.split("\n")
    if line >= len(lines):
        return None
    row = lines[line]
    best: tuple[int, tuple, bool] | None = None
    for table, is_key in ((doc.keys, True), (doc.values, False)):
        for path, (at_line, at_column) in table.items():
            start = at_column - 1
            if at_line - 1 != line or start > character or not path:
                continue
            if character > _end_on_line(row, start) and not (
                    not is_key and character >= start and _in_flow_item(row, start, character)):
                continue
            if best is None or start > best[0]:
                best = (start, path, is_key)
    if best is None:
        return None
    _, path, is_key = best
    value = value_at(doc.data, path)
    return YamlSpot(path, is_key, path[-1] if is_key else value)


def _in_flow_item(row: str, start: int, character: int) -> bool:
    return not any(ch in ",]}" for ch in row[start:character])


def value_at(data: Any, path: tuple) -> Any:
    """The value at `path` of loaded YAML data, or None."""
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data
