"""Validation of YAML data against annostory's JSON Schemas (`annostory/schemas/`).

Two validators read the same files: `fastjsonschema` compiles each schema into
Python code once per process and answers "valid or not" quickly (the common case);
only when a document is invalid does `jsonschema` walk it to explain every problem
in plain words. Their verdicts are tested to agree.

The JSON Schema files are the one source of truth for what an annotations file,
a story's front matter and the site settings may contain: editors use them to
validate and autocomplete as the author types, and the build validates with the
very same files here. This module turns schema errors into diagnostics in plain
words, at the position of the offending key or value, with a "did you mean".
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import marshal
import os
import re
import sys
import types
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..core.dates import parse_date
from ..core.diagnostics import Diagnostic, Position, error
from ..core.usercache import prune, user_cache
from .yamltree import YamlDocument

# annostory's own schemas, the contract of this version (a project's schema/ folder is
# a copy kept for editors, never read here).
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
SCHEMA_FILES = ("annotations.schema.json", "story.schema.json", "site.schema.json")

_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number",
               "boolean": "true/false", "array": "a list", "object": "a set of 'key: value' lines",
               "null": "nothing"}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of 'key: value' lines"
    return f"the text {value!r}"


@cache
def _schemas() -> dict[str, dict]:
    return {name: json.loads((SCHEMA_DIR / name).read_text("utf-8")) for name in SCHEMA_FILES}


@cache
def validator(name: str):
    """The explaining validator (jsonschema, imported only when needed)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = _schemas()
    registry = Registry().with_resources(
        (key, Resource.from_contents(value)) for key, value in schemas.items())
    return Draft202012Validator(schemas[name], registry=registry)


@cache
def fast_validator(name: str):
    """The compiled validator (fastjsonschema): raises on the first problem. The code
    it generates is kept, compiled, in the user's cache folder (outside the project,
    so nothing a project contains is ever run), keyed by the schemas, fastjsonschema
    and Python versions: later runs skip the generation. A kept file that does not
    hold the validator (damaged, truncated) is made again."""
    import fastjsonschema

    schemas = _schemas()
    key = hashlib.sha256(json.dumps([name, schemas, fastjsonschema.VERSION, sys.version],
                                    sort_keys=True).encode()).hexdigest()[:32]
    folder = user_cache() / "validators"
    path = folder / f"{key}.marshal"
    entry = "validate_" + re.sub(r"[^A-Za-z0-9_]", "_", name)
    found = _kept_validator(path, entry)
    if found is not None:
        return found
    source = fastjsonschema.compile_to_code(
        schemas[name], handlers={"": lambda uri: schemas[uri]}, use_formats=False)
    code = compile(source, f"<schema {name}>", "exec")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(code))
        os.replace(temporary, path)
        prune(folder)
    except OSError:
        pass  # no cache folder: generate again next time
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    return namespace[entry]


def _kept_validator(path, entry: str):
    """The validator kept at `path`, or None when there is none that works."""
    namespace: dict[str, Any] = {}
    try:
        code = marshal.loads(path.read_bytes())
        if not isinstance(code, types.CodeType):
            raise TypeError("not compiled code")
        exec(code, namespace)
        validate = namespace[entry]
        if not callable(validate):
            raise TypeError("not a validator")
    except OSError:
        return None
    except Exception:  # damaged: any failure means make it again
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    return validate


def is_valid(data: Any, name: str) -> bool:
    import fastjsonschema

    try:
        fast_validator(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def reload() -> None:
    """Forget the loaded schemas (the preview calls this when schema/ changes)."""
    _schemas.cache_clear()
    validator.cache_clear()
    fast_validator.cache_clear()


def definitions() -> dict[str, dict]:
    return _schemas()["annotations.schema.json"]["$defs"]


def _def_name(schema: Any) -> str:
    for name, definition in definitions().items():
        if definition is schema or definition == schema:
            return name
    return ""


def _leaf_errors(err: Any) -> list[Any]:
    """For anyOf/oneOf, the errors that explain the failure for this value."""
    if err.validator not in ("anyOf", "oneOf") or not err.context:
        return [err]
    if _def_name(err.schema) == "moment":  # one message for "not a date"
        return [err]
    # Errors inside the value mean its type matched that branch: explain those.
    inside = [c for c in err.context if len(c.absolute_path) > len(err.absolute_path)]
    if inside:
        deepest = max(len(c.absolute_path) for c in inside)
        return [leaf for c in inside if len(c.absolute_path) == deepest
                for leaf in _leaf_errors(c)]
    useful = [c for c in err.context if c.validator != "type"]
    if not useful:  # no branch takes this kind of value
        return [err]
    return [leaf for c in useful for leaf in _leaf_errors(c)]


def validate(doc: YamlDocument, schema_name: str) -> list[Diagnostic]:
    """All schema problems of `doc`, as diagnostics."""
    return validate_entries(doc, schema_name)[0]


def validate_entries(doc: YamlDocument, schema_name: str) -> tuple[list[Diagnostic], set[tuple]]:
    """All schema problems, and the entries they are in: ('annotations', 2),
    ('sources', 'x'), or () when the file as a whole is wrong. The rest of the
    file can still be checked, so every problem is reported at once."""
    if is_valid(doc.data, schema_name):
        return [], set()
    found: list[tuple[tuple, Diagnostic]] = []
    faulty: set[tuple] = set()
    seen: set[tuple] = set()
    for err in validator(schema_name).iter_errors(doc.data):
        path = tuple(err.absolute_path)
        if err.validator == "propertyNames" and len(path) == 1:
            path = path + (err.instance,)
        faulty.add(path[:2] if len(path) >= 2 else ())
        for leaf in _leaf_errors(err):
            diagnostic = _to_diagnostic(leaf, doc)
            key = (diagnostic.code, diagnostic.position)
            if key not in seen:  # e.g. an empty text breaks both minLength and pattern
                seen.add(key)
                found.append((tuple(leaf.absolute_path), diagnostic))
    # A misspelt key ("sorce") also leaves its field missing: one mistake, one message.
    misspelt = {(path, d.hint.split("'")[1]) for path, d in found
                if d.code == "unknown-key" and d.hint.startswith("did you mean")}
    diagnostics = [d for path, d in found
                   if not (d.code.startswith("missing-") and
                           (path, d.code.removeprefix("missing-")) in misspelt)]
    return diagnostics, faulty


def _place(path: tuple) -> str:
    """Words for the entry at `path`: 'annotation 3', "source 'afl-cio-math'"."""
    if not path:
        return "the file"
    if path[0] == "annotations" and len(path) >= 2 and isinstance(path[1], int):
        return f"annotation {path[1] + 1}" + (f" ('{path[-1]}')" if len(path) > 2 else "")
    if path[0] in ("people", "sources") and len(path) >= 2:
        kind = "person" if path[0] == "people" else "source"
        return f"{kind} '{path[1]}'" + (f" ('{path[-1]}')" if len(path) > 2 else "")
    return f"'{path[-1]}'"


def _field(path: tuple) -> str:
    names = [p for p in path if isinstance(p, str)]
    return names[-1] if names else "file"


@dataclass(frozen=True)
class _Problem:
    """One schema error, as the messages need it."""

    path: tuple
    value: Any
    kind: str  # the schema keyword that failed
    schema: dict
    where: Position
    name: str  # the field

    @classmethod
    def of(cls, err: Any, doc: YamlDocument) -> _Problem:
        path = tuple(err.absolute_path)
        return cls(path, err.instance, err.validator,
                   err.schema if isinstance(err.schema, dict) else {}, doc.position(path),
                   _field(path))


def _to_diagnostic(err: Any, doc: YamlDocument) -> Diagnostic:
    problem = _Problem.of(err, doc)
    path, value, kind, schema, where, name = (problem.path, problem.value, problem.kind,
                                              problem.schema, problem.where, problem.name)
    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extras = [k for k in value if k not in allowed]
        key = extras[0] if extras else ""
        guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else f"allowed keys: {', '.join(allowed)}"
        if value.get(key) is None and " " in key.strip():  # `{role: A, B}`: B became a key
            hint = ("put the value in quotes: a comma inside {\u2026} starts a new key "
                    f"(here '{key.strip()}'); write it like role: \"..., {key.strip()}\"")
        return error("unknown-key", f"unknown key '{key}' in {_place(path)}",
                     doc.key_position(path + (key,)), hint=hint)
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else "?"
        what = _place(path)
        hints = {"quote": "add 'quote:' with the words exactly as the story shows them",
                 "source": "add 'source:' with the id of an entry under sources: "
                           "(every quote must be tied to its source document)",
                 "name": "add 'name:' with the person's full name",
                 "type": "add 'type:', e.g. 'type: email'",
                 "title": "add 'title:' with the headline",
                 "date": "add 'date:' with the publication date, e.g. 2016-11-01"}
        return error(f"missing-{missing}", f"{what} has no '{missing}'", where,
                     hint=hints.get(missing, f"add '{missing}:'"))
    if kind == "propertyNames":
        return error("bad-id", f"{value!r} cannot be used as an id",
                     doc.key_position(path + (value,)),
                     hint="use lower-case letters, digits and dashes, e.g. 'nikki-budzinski'")
    if kind == "maxItems" and isinstance(value, list):
        return error("too-many", f"'{name}' has {len(value):,} entries; at most "
                     f"{schema.get(kind, 0)} are allowed", where,
                     hint=f"keep the {name} that matter most")
    if kind == "minItems" and isinstance(value, list):
        return error("empty-value", f"'{name}' is an empty list", where,
                     hint=f"write the {name}, or remove the '{name}:' line")
    if kind == "enum":
        options = [str(o) for o in schema.get("enum", [])]
        guess = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"did you mean '{guess[0]}'?" if guess else f"use one of: {', '.join(options)}"
        return error("bad-value", f"'{name}' cannot be {_describe(value)}", where, hint=hint)

    return _value_problem(err, problem)


def _value_problem(err: Any, problem: _Problem) -> Diagnostic:
    """A value of the wrong kind: a date, an address, an id, a text, a type."""
    value, kind, schema, where, name = (problem.value, problem.kind, problem.schema,
                                        problem.where, problem.name)
    definition = _def_name(schema)
    if definition in ("date", "moment") or (kind == "anyOf" and _def_name(schema) == "moment"):
        _, problem, hint = parse_date(value)
        if not problem and kind in ("minimum", "maximum"):
            problem, hint = f"{value} is not a four-digit year", "write the year as YYYY"
        return error("bad-date", f"'{name}': {problem or f'{value!r} is not a valid date'}",
                     where, hint=hint or "write a date like 2015-11-03")
    if definition == "url":
        scheme = str(value).split(":", 1)[0].lower() if ":" in str(value) else ""
        if scheme and scheme not in ("http", "https", "mailto"):
            return error("unsafe-url", f"'{name}': {scheme}: links are not allowed", where,
                         hint="only http, https and mailto links are published")
        return error("bad-url", f"'{name}': {_describe(value)} is not a web address", where,
                     hint="write a full address starting with https:// (or mailto:)")
    if definition == "id" and isinstance(value, str):
        return error("bad-id", f"'{name}': {value!r} is not an id", where,
                     hint="an id is lower-case letters, digits and dashes; to write a person "
                          "or source out, use 'name: ...' lines instead")
    if definition == "text" or kind in ("minLength", "pattern"):
        if isinstance(value, str) and not value.strip():
            return error("empty-value", f"'{name}' is empty", where, hint=f"write the {name}, "
                         f"or remove the '{name}:' line")
        if kind == "maxLength":
            return error("too-long", f"'{name}' is too long ({len(value)} characters)", where)
    if kind == "type" or (kind == "anyOf" and all(c.validator == "type" for c in err.context)):
        expected = schema.get("type") or ""
        if kind == "anyOf":
            described = schema.get("description", "a different kind of value").rstrip(".")
            expected_words = described[:1].lower() + described[1:]
        elif isinstance(expected, list):
            expected_words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        else:
            expected_words = _TYPE_WORDS.get(expected, expected)
        hint = "if this is text, put it in quotes"
        if isinstance(value, bool):
            hint = "YAML reads true/false as a yes/no value: put the text in quotes"
        elif value is None:
            hint = f"write the {name} after the colon, or remove the line"
        elif isinstance(value, list):
            hint = "write a single value here, not a list"
        elif isinstance(value, dict):
            hint = "write a single value on the same line as the key"
        return error("wrong-type", f"'{name}' should be {expected_words}, not {_describe(value)}",
                     where, hint=hint)
    return error("schema", f"'{name}': {err.message}", where)
