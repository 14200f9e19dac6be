"""An annotations file -> `AnnotationSet` (people, sources, annotations), checked.

The YAML is first validated against `schema/annotations.schema.json`; then this
module resolves references (speaker and source ids), gives every annotation a
stable id, checks note links, and reports what an author would want to know
(undefined ids with a "did you mean", duplicate ids, unused entries).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from ..core.dates import FuzzyDate, parse_date
from ..core.diagnostics import Diagnostic, Position, error, warning
from ..core.invocation import command
from ..core.model import (
    SOURCE_TYPE_WORDS,
    Annotation,
    AnnotationSet,
    NotQuotation,
    Person,
    Report,
    Source,
)
from ..core.words import slugify
from . import schema
from .files import SourceText
from .markdown import render_note
from .yamltree import YamlDocument, load_yaml

SCHEMA_MODELINE = "# yaml-language-server: $schema=../schema/annotations.schema.json"


def parsed_date(value: Any, doc: YamlDocument, path: tuple,
                diagnostics: list[Diagnostic]) -> FuzzyDate | None:
    """The date at `path` (the schema let it through); a date the schema cannot judge
    (year 0000) is an error here, never dropped silently."""
    if value is None:
        return None
    parsed, problem, hint = parse_date(value)
    if parsed is None:
        diagnostics.append(error("bad-date", f"'{path[-1]}': {problem}", doc.position(path),
                                 hint=hint))
    return parsed


class _Builder:
    def __init__(self, doc: YamlDocument, faulty: set[tuple] = frozenset()) -> None:
        self.doc = doc
        self.faulty = faulty  # entries with schema errors, already reported: skipped
        self.data: dict = doc.data or {}
        self.diagnostics: list[Diagnostic] = []
        self.people: dict[str, Person] = {}
        self.sources: dict[str, Source] = {}
        self.used: set[tuple[str, str]] = set()

    def date(self, value: Any, path: tuple) -> FuzzyDate | None:
        return parsed_date(value, self.doc, path, self.diagnostics)

    def person(self, value: Any, path: tuple) -> Person | None:
        if value is None:
            return None
        if isinstance(value, dict):
            return Person(id="", name=value["name"].strip(), role=value.get("role", "").strip(),
                          url=value.get("url", ""), kind=value.get("kind", "person"),
                          sort_as=value.get("sort_as", "").strip())
        if value in self.people:
            self.used.add(("people", value))
            return self.people[value]
        if ("people", value) in self.faulty:
            return None
        self._undefined("person", "people", value, path)
        return None

    def _undefined(self, kind: str, section: str, value: str, path: tuple) -> None:
        known = sorted(self.data.get(section) or {})
        guess = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else (
            f"define it under '{section}:'" + (f" (defined: {', '.join(known)})" if known else "")
            + (" or write it out: {name: ..., role: ...}" if kind == "person" else ""))
        self.diagnostics.append(error(f"undefined-{kind}",
                                      f"no {kind} with the id '{value}'",
                                      self.doc.position(path), hint=hint))

    def people_list(self, value: Any, path: tuple) -> tuple[Person, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        result = []
        for i, item in enumerate(items):
            person = self.person(item, path + ((i,) if isinstance(value, list) else ()))
            if person:
                result.append(person)
        return tuple(result)

    def source(self, sid: str, value: dict, path: tuple) -> Source:
        self.known_type(value["type"], path + ("type",))
        reports = tuple(Report(publisher=r["publisher"], title=r.get("title", ""),
                               date=self.date(r.get("date"), path + ("reported_by", i, "date")),
                               url=r.get("url", ""))
                        for i, r in enumerate(value.get("reported_by", [])))
        return Source(
            id=sid, type=value["type"],
            sender=self.person(value.get("from"), path + ("from",)),
            recipients=self.people_list(value.get("to"), path + ("to",)),
            cc=self.people_list(value.get("cc"), path + ("cc",)),
            subject=value.get("subject", ""), title=value.get("title", ""),
            publisher=value.get("publisher", ""),
            sent=self.date(value.get("sent"), path + ("sent",)),
            url=value.get("url", ""), verification=value.get("verification", ""),
            reported_by=reports, note=value.get("note", ""),
            original=value.get("original", ""),
            excerpt=(value.get("excerpt") or {}).get("text", ""),
            excerpt_seen_at=(value.get("excerpt") or {}).get("seen_at", ""))

    def known_type(self, kind: str, path: tuple) -> None:
        """A type close to a known one is most likely a typo ("emial"): any other is
        shown as written."""
        if kind in SOURCE_TYPE_WORDS:
            return
        guess = difflib.get_close_matches(kind, list(SOURCE_TYPE_WORDS), n=1, cutoff=0.75)
        if guess:
            self.diagnostics.append(warning(
                "unknown-source-type", f"the type '{kind}' is shown as written; did you "
                f"mean '{guess[0]}'?", self.doc.position(path),
                hint=f"write 'type: {guess[0]}' (or keep '{kind}' if that is what it is)"))

    def note_links(self, note: str, path: tuple) -> None:
        for problem in render_note(note)[1]:
            self.diagnostics.append(error("unsafe-link", f"link in note not allowed: {problem}",
                                          self.doc.position(path),
                                          hint="only http, https and mailto links are published"))

    def build(self) -> AnnotationSet:
        self.definitions()
        entries = [entry if ("annotations", i) not in self.faulty else None
                   for i, entry in enumerate(self.data.get("annotations") or [])]
        taken = self.explicit_ids(entries)
        annotations = []
        for i, entry in enumerate(entries):
            if entry is not None:
                annotation = self.annotation(i, entry, taken)
                if annotation is not None:
                    annotations.append(annotation)
        self.unused()
        not_quotations = tuple(
            NotQuotation(entry["text"], entry["reason"],
                         self.doc.position(("not_quotations", i, "text")))
            for i, entry in enumerate(self.data.get("not_quotations") or [])
            if ("not_quotations", i) not in self.faulty)
        return AnnotationSet(self.doc.file, dict(self.people), dict(self.sources),
                             tuple(annotations), skipped=len(entries) - len(annotations),
                             not_quotations=not_quotations)

    def definitions(self) -> None:
        """The people and sources defined by id."""
        for pid, value in (self.data.get("people") or {}).items():
            if ("people", pid) in self.faulty:
                continue
            self.people[pid] = Person(id=pid, name=value["name"].strip(),
                                      role=value.get("role", "").strip(), url=value.get("url", ""),
                                      kind=value.get("kind", "person"),
                                      sort_as=value.get("sort_as", "").strip())
        for sid, value in (self.data.get("sources") or {}).items():
            if ("sources", sid) in self.faulty:
                continue
            self.sources[sid] = self.source(sid, value, ("sources", sid))
            if value.get("note"):
                self.note_links(value["note"], ("sources", sid, "note"))

    def explicit_ids(self, entries: list) -> set[str]:
        """The ids annotations give themselves (each once: a second is an error)."""
        explicit: dict[str, Position] = {}
        for i, entry in enumerate(entries):
            if entry is not None and "id" in entry:
                where = self.doc.position(("annotations", i, "id"))
                if entry["id"] in explicit:
                    self.diagnostics.append(error(
                        "duplicate-id", f"two annotations have the id '{entry['id']}'", where,
                        hint="give each annotation its own id (or leave ids out)",
                        related=[explicit[entry["id"]]]))
                explicit.setdefault(entry["id"], where)
        return set(explicit)

    def annotation(self, i: int, entry: dict, taken: set[str]) -> Annotation | None:
        """Annotation `i` (0-based), its references resolved; None when its source
        is not defined (reported)."""
        path = ("annotations", i)
        aid = entry.get("id")
        if aid is None:
            base = slugify(entry["quote"])
            aid, n = base, 2
            while aid in taken:
                aid, n = f"{base}-{n}", n + 1
            taken.add(aid)
        source_value = entry["source"]
        if isinstance(source_value, dict):
            source = self.source(f"{aid}-source", source_value, path + ("source",))
        elif source_value in self.sources:
            self.used.add(("sources", source_value))
            source = self.sources[source_value]
        elif ("sources", source_value) in self.faulty:
            return None
        else:
            self._undefined("source", "sources", source_value, path + ("source",))
            return None
        for key in ("note", "attribution_reason"):
            if entry.get(key):
                self.note_links(entry[key], path + (key,))
        if entry.get("verified") and not entry.get("verified_reason"):
            self.diagnostics.append(error(
                "missing-verified_reason",
                f"annotation {i + 1} says its wording differs ('verified: "
                f"{entry['verified']}') but not why",
                self.doc.position(path + ("verified",)),
                hint="add 'verified_reason:' with what differs and why the story keeps it"))
        if entry.get("attribution") and not entry.get("attribution_reason"):
            self.diagnostics.append(error(
                "missing-attribution_reason",
                f"annotation {i + 1} says its attribution is disputed but not why",
                self.doc.position(path + ("attribution",)),
                hint="add 'attribution_reason:' with what you know about who said it"))
        return Annotation(
            id=aid, quote=entry["quote"], source=source, prefix=entry.get("prefix", ""),
            suffix=entry.get("suffix", ""),
            speaker=self.person(entry.get("speaker"), path + ("speaker",)),
            date=self.date(entry.get("date"), path + ("date",)),
            note=entry.get("note", "").strip(),
            attribution=entry.get("attribution", ""),
            attribution_reason=entry.get("attribution_reason", "").strip(),
            verified=entry.get("verified", ""),
            verified_reason=entry.get("verified_reason", "").strip(),
            position=self.doc.position(path),
            quote_position=self.doc.position(path + ("quote",)))

    def unused(self) -> None:
        """People and sources no annotation refers to. With any entry skipped for its
        errors, "never used" would be a consequence of those errors: not reported."""
        for section in ("people", "sources") if not self.faulty else ():
            for key in self.data.get(section) or {}:
                if (section, key) not in self.used and (section, key) not in self.faulty:
                    self.diagnostics.append(warning(
                        "unused-entry", f"'{key}' under {section}: is never used",
                        self.doc.key_position((section, key)),
                        hint="remove it, or refer to it from an annotation"))


def load_annotations(source: SourceText) -> tuple[AnnotationSet | None, list[Diagnostic]]:
    file = source.display_name
    doc, diagnostics = load_yaml(source.text, file)
    if doc is None:
        return None, diagnostics
    if doc.data is None:
        return AnnotationSet(file, {}, {}, ()), [warning(
            "empty-annotations", "the annotations file is empty", Position(file, 1, 1),
            hint=f"run '{command('stub', Path(file).stem)}' to list the story's "
                 "quotations")]
    diagnostics, faulty = schema.validate_entries(doc, "annotations.schema.json")
    if () in faulty:  # the file's shape is wrong: nothing more to check
        return None, diagnostics
    builder = _Builder(doc, faulty)
    result = builder.build()
    return result, diagnostics + builder.diagnostics
