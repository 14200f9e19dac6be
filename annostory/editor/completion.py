"""Completion in an annotations file: person and source ids (with who or what they
are), field names and their values from the schema (with its descriptions), and on a
`quote:` the story's quotations that no annotation covers yet.

Read from the line being typed (the file may not parse while it is typed), and from
the last check of the story for the ids and quotations.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from ..anchoring.hints import yaml_text
from ..anchoring.quotations import AnchorIndex
from ..core.model import SOURCE_TYPE_WORDS
from ..inputs.schema import SCHEMA_DIR
from .analysis import Analysis
from .lookup import SECTIONS, anchors, quotations

# What the entries of each top-level section are, in the schema's $defs.
ITEM_DEFS = {"people": "person", "sources": "source", "annotations": "annotation"}


@dataclass(frozen=True)
class Completion:
    label: str
    detail: str = ""
    documentation: str = ""
    insert: str = ""  # what is inserted, when not the label
    kind: str = "value"  # "value", "field", "reference", "quote"
    replace_from: int | None = None  # the character the inserted text starts at


@functools.cache
def _schema() -> dict:
    return json.loads((SCHEMA_DIR / "annotations.schema.json").read_text(encoding="utf-8"))


def _resolve(node: dict) -> dict:
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return {**_schema()["$defs"][ref[len("#/$defs/"):]], **{
            k: v for k, v in node.items() if k != "$ref"}}
    return node


def _properties(section: str) -> dict[str, Any]:
    """The fields of an entry of `section` (or of the file, for '')."""
    schema = _schema()
    if not section:
        return schema["properties"]
    if section == "not_quotations":
        return schema["properties"]["not_quotations"]["items"]["properties"]
    return schema["$defs"][ITEM_DEFS[section]]["properties"]


def _values(section: str, field: str) -> list[tuple[str, str]]:
    """The values the schema lists for a field: (value, what it means)."""
    node = _properties(section).get(field)
    if node is None:
        return []
    node = _resolve(node)
    values = [(str(v), "") for v in node.get("enum", [])]
    if section == "sources" and field == "type":
        values = [(kind, words) for kind, words in SOURCE_TYPE_WORDS.items()]
    return values


_VALUE = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_]+):\s*(.*)$")
_FLOW = re.compile(r"([A-Za-z_]+):\s*\[([^\]]*)$")
_KEY = re.compile(r"^(\s*)(-\s+)?([A-Za-z_]*)$")
_TOP = re.compile(r"^([A-Za-z_]+):")


def _section(lines: list[str], line: int) -> str:
    for row in reversed(lines[:line]):
        found = _TOP.match(row)
        if found:
            return found.group(1)
    return ""


def complete(analysis: Analysis, text: str, line: int, character: int) -> list[Completion]:
    """What may be typed at (0-based) `line`, `character` of the annotations file."""
    lines = text.split("\n")
    if line >= len(lines):
        return []
    before = lines[line][:character]
    section = _section(lines, line)
    flow = _FLOW.search(before)
    if flow and flow.group(1) in SECTIONS:
        typed = flow.group(2).rsplit(",", 1)[-1].strip()
        return _ids(analysis, text, SECTIONS[flow.group(1)], character - len(typed))
    value = _VALUE.match(before)
    if value:
        field, typed = value.group(2), value.group(3)
        start = character - len(typed)
        if field in SECTIONS and section in ("annotations", "sources"):
            return _ids(analysis, text, SECTIONS[field], start)
        if field == "quote" and section == "annotations":
            return _open_quotations(analysis, start)
        if section in ITEM_DEFS or section == "not_quotations":
            return [Completion(v, words, kind="value", replace_from=start)
                    for v, words in _values(section, field)]
        return []
    key = _KEY.match(before)
    if key is None:
        return []
    indent = len(key.group(1)) + len(key.group(2) or "")
    start = character - len(key.group(3))
    if indent == 0:
        fields = _properties("")
    elif section in ("people", "sources") and indent <= 2:
        return []  # an id of your own choosing
    elif section in ITEM_DEFS or section == "not_quotations":
        fields = _properties(section)
    else:
        return []
    return [Completion(name, "", _resolve(node).get("description", node.get(
        "description", "")), insert=f"{name}: ", kind="field", replace_from=start)
            for name, node in fields.items()]


def _ids(analysis: Analysis, text: str, section: str, start: int) -> list[Completion]:
    anchored = analysis.checked.anchored
    found = anchored.annotation_set if anchored is not None else None
    if found is not None:
        if section == "people":
            return [Completion(pid, p.name + (f", {p.role}" if p.role else ""),
                               kind="reference", replace_from=start)
                    for pid, p in found.people.items()]
        return [Completion(sid, s.describe(), kind="reference", replace_from=start)
                for sid, s in found.sources.items()]
    return [Completion(ident, "", kind="reference", replace_from=start)
            for ident in _ids_written(text, section)]


def _ids_written(text: str, section: str) -> list[str]:
    """The ids under `people:` or `sources:` as written, for a file that does not
    parse at the moment."""
    found, inside = [], False
    for row in text.split("\n"):
        top = _TOP.match(row)
        if top:
            inside = top.group(1) == section
            continue
        entry = re.match(r"^  ([a-z0-9][a-z0-9-]*):", row)
        if inside and entry:
            found.append(entry.group(1))
    return found


def _open_quotations(analysis: Analysis, start: int) -> list[Completion]:
    """The story's quotations that no annotation covers (fully), as quotes."""
    index = AnchorIndex(anchors(analysis))
    items = []
    for quotation in quotations(analysis):
        if quotation.coverage(index) == "full":
            continue
        segment = max(quotation.segments, key=lambda s: len(s.text))
        quote = " ".join(segment.text.split())
        where = segment.run.position(segment.start)
        items.append(Completion(quote, f"line {where.line} of the story, not annotated",
                                insert=yaml_text(quote), kind="quote", replace_from=start))
    return items
