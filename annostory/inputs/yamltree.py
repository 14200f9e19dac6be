"""YAML text -> plain Python values with the position of every value and key.

Hand-written YAML is the authoring interface, so this loader is strict and
predictable where PyYAML is surprising:

* nothing is ever constructed from tags: explicit tags (`!!python/object`, ...)
  are refused, so no code can run;
* scalars follow the YAML 1.2 core schema (what editors' YAML language server
  uses): `no`, `on`, `yes` stay text, `2015-10-21` stays text, `2016` is a number
  and `true`/`false` are booleans; the schema then says which types each field takes;
* duplicate keys, several documents in one file, alias bombs and very deep
  nesting are errors with a position, found in one streaming pass over the parser
  events before any tree is built (bounded time and memory);
* parser errors are rewritten in words a non-programmer understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..core.characters import REFUSED, character_name
from ..core.diagnostics import Diagnostic, Position, error

# The C parser is much faster; both give node positions.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composes nodes without resolving tags: plain scalars are typed by
    `resolve_plain_scalar` (YAML 1.2), and PyYAML's YAML 1.1 resolver, called for
    every scalar, was a third of the time spent composing."""

    def resolve(self, kind, value, implicit):  # noqa: ARG002 - PyYAML's signature
        return IMPLICIT_TAG


# What every node without an explicit tag carries (see Loader.resolve): any other
# tag was written in the file, and is refused.
IMPLICIT_TAG = "tag:annostory:implicit"

MAX_DEPTH = 32
MAX_ALIASES = 50
MAX_VALUES = 20_000
SAFE_FLOW_OPENERS = 2_000

Path_ = tuple[Any, ...]  # a path into the loaded data: keys and list indexes


@dataclass
class YamlDocument:
    """The loaded data and where each piece of it was written. Places are kept as
    (line, column) pairs (1-based) and become `Position`s only when asked for."""

    file: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def _at(self, place: tuple[int, int]) -> Position:
        return Position(self.file, place[0], place[1])

    def position(self, path: Path_) -> Position:
        """Position of the value at `path`, or of the nearest enclosing value."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self._at(self.values[path])
            path = path[:-1]
        return self._at(self.values.get((), (1, 1)))

    def key_position(self, path: Path_) -> Position:
        place = self.keys.get(tuple(path))
        return self._at(place) if place else self.position(path)

    @property
    def key_positions(self) -> dict[Path_, Position]:
        return {path: self._at(place) for path, place in self.keys.items()}


# --- YAML 1.2 core schema for plain (unquoted) scalars -----------------------
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF_NAN = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
            ".nan": float("nan")}


def resolve_plain_scalar(text: str) -> Any:
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if text.lower() in _INF_NAN:
        return _INF_NAN[text.lower()]
    return text


# --- parser errors in plain words --------------------------------------------
def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    if 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s#"'\-][^:#]*:\s+)?(["'])""")


@dataclass(frozen=True)
class _Mark:
    line: int  # 0-based, like PyYAML's marks
    column: int


def _unclosed_quote(text: str, before_line: int) -> _Mark | None:
    """The last value before `before_line` (0-based) that opens a quote and does not
    close it on its line: PyYAML reads on into the next lines and reports the
    mistake there, one line (or more) too late."""
    found = None
    for number, line in enumerate(text.split("\n")[:before_line]):
        match = _QUOTED_VALUE.match(line)
        if not match:
            continue
        quote, at = match.group(1), match.end(1)
        i, closed = at, False
        while i < len(line):
            if quote == '"' and line[i] == "\\":
                i += 2
                continue
            if line[i] == quote:
                if quote == "'" and line[i + 1:i + 2] == "'":
                    i += 2
                    continue
                closed = True
                break
            i += 1
        found = None if closed else _Mark(number, match.start(1))
    return found


def _friendly_parse_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, str, Any]:
    """(message, hint, mark) for a PyYAML syntax error."""
    problem = (exc.problem or str(exc)).strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if mark is not None and _char_at(text, exc.problem_mark) != "\t":
        opened = _unclosed_quote(text, mark.line)
        if opened is not None:
            return ("a quoted text starts here and its closing quote is missing",
                    "add the closing quote (\" or ') at the end of the text", opened)
    if _char_at(text, exc.problem_mark) == "\t" or "'\\t'" in problem:
        return ("a tab character is used for indentation",
                "YAML indents with spaces only: replace the tab with spaces", mark)
    if "escape" in problem and ("invalid" in problem or "unknown" in problem):
        return ("this escape sequence is not a character (half of a surrogate pair like "
                "\\ud800, a code past \\U0010FFFF, or an unknown escape)",
                "write the character itself, or the escape of a whole character "
                "(\\u00e9, \\U0001F600)", mark)
    if "quoted scalar" in context and exc.context_mark is not None:
        return ("a quoted text starts here and its closing quote is missing",
                "add the closing quote (\" or ') at the end of the text", exc.context_mark)
    if "mapping values are not allowed" in problem:
        return ("unexpected ':' here",
                "if the text contains ': ', put the whole text in quotes; otherwise check "
                "that this line is indented like the lines around it", mark)
    if ("expected <block end>" in problem or "expected <block mapping end>" in problem
            or "did not find expected '-' indicator" in problem
            or "did not find expected key" in problem):
        return ("this line is not indented like the lines around it",
                "align it with the other keys of the same entry (use spaces)", mark)
    if "could not find expected ':'" in problem:
        return ("a line here has no ':' after its key",
                "write 'key: value'; if a previous text has an unclosed quote, close it",
                exc.context_mark or mark)
    if "found undefined alias" in problem or "found undefined anchor" in problem:
        return ("an alias (*name) refers to an anchor (&name) that is not defined",
                "define the anchor first, or remove the alias", mark)
    if "block sequence entries are not allowed" in problem:
        return ("a list item '- ' is not allowed here",
                "start the list on its own line under the key, indented", mark)
    detail = f"{problem} ({context})" if context else problem
    return (f"YAML syntax error: {detail}",
            "compare this line with a working example in the README's Authoring section",
            mark)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str,
                    line_offset: int) -> Diagnostic:
    message, hint, mark = _friendly_parse_error(exc, text)
    return error("yaml-syntax", message, _pos(file, mark, line_offset), hint=hint)


def _pos(file: str, mark: Any, line_offset: int) -> Position:
    if mark is None:
        return Position(file, 1 + line_offset, 1)
    return Position(file, mark.line + 1 + line_offset, mark.column + 1)


def _scan_events(text: str, file: str, line_offset: int) -> list[Diagnostic]:
    """One streaming pass: syntax, tags, documents, depth and alias limits."""
    depth = 0
    aliases = 0
    documents = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return [error(
                        "yaml-several-documents",
                        "this file holds more than one YAML document ('---' separator)",
                        _pos(file, event.start_mark, line_offset),
                        hint="keep one document per file: remove the '---' line or move "
                             "the rest to its own file")]
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return [error("yaml-too-deep",
                                  f"values are nested more than {MAX_DEPTH} levels deep",
                                  _pos(file, event.start_mark, line_offset),
                                  hint="annotation files need only a few levels")]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return [error("yaml-too-many-aliases",
                                  f"more than {MAX_ALIASES} aliases (*name) in one file",
                                  _pos(file, event.start_mark, line_offset),
                                  hint="write the values out, or use ids (people:, sources:)")]
            tag = getattr(event, "tag", None)
            if tag is not None:
                implicit = getattr(event, "implicit", True)
                explicit = not (implicit[0] if isinstance(implicit, tuple) else implicit)
                if explicit:
                    return [error("yaml-tag-refused",
                                  f"YAML tag {tag!r} is not allowed in this file",
                                  _pos(file, event.start_mark, line_offset),
                                  hint="remove the tag; to force text, put the value in quotes")]
    except yaml.MarkedYAMLError as exc:
        return [_syntax_problem(exc, text, file, line_offset)]
    except (yaml.YAMLError, ValueError, RecursionError) as exc:  # reader errors and the like
        return [error("yaml-syntax", f"YAML could not be read: {exc}",
                      Position(file, 1 + line_offset, 1))]
    return []


class _Converter:
    def __init__(self, file: str, line_offset: int) -> None:
        self.doc = YamlDocument(file, None)
        self.file = file
        self.line_offset = line_offset
        self.count = 0
        self.aliases = 0
        self.seen: set[int] = set()  # collections already converted (aliases repeat them)
        self.diagnostics: list[Diagnostic] = []

    def pos(self, node: yaml.Node) -> Position:
        return _pos(self.file, node.start_mark, self.line_offset)

    def refuse_control(self, node: yaml.ScalarNode) -> None:
        """Control characters written as escapes ("\\e", "\\a") are refused like raw
        ones: they would reach pages and terminals."""
        found = REFUSED.search(node.value)
        if found:
            self.diagnostics.append(error(
                "control-character",
                f"this text holds the invisible control character "
                f"{character_name(found.group())} (written as an escape)",
                self.pos(node), hint="remove the escape sequence (\\e, \\a, \\b, \\x1b...)"))

    def place(self, node: yaml.Node) -> tuple[int, int]:
        mark = node.start_mark
        return mark.line + 1 + self.line_offset, mark.column + 1

    def convert(self, node: yaml.Node, path: Path_, depth: int = 0,
                aliased: bool = False) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(node)
        if node.tag != IMPLICIT_TAG:  # an explicit tag (the resolver was not asked)
            raise _Refused(error("yaml-tag-refused",
                                 f"YAML tag {node.tag!r} is not allowed in this file",
                                 self.pos(node),
                                 hint="remove the tag; to force text, put the value in quotes"))
        if id(node) in self.seen and not aliased:  # an alias: the same node again
            aliased = True
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(error("yaml-too-many-aliases",
                                     f"more than {MAX_ALIASES} aliases (*name) in one file",
                                     self.pos(node), hint="write the values out, or use ids "
                                                          "(people:, sources:)"))
        elif not isinstance(node, yaml.ScalarNode):
            self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(error("yaml-too-deep",
                                 f"values are nested more than {MAX_DEPTH} levels deep",
                                 self.pos(node), hint="annotation files need only a few levels"))
        self.doc.values.setdefault(path, self.place(node))
        if isinstance(node, yaml.ScalarNode):
            self.refuse_control(node)
            # plain (style None, or '' from the C parser): YAML 1.2 core schema
            if not node.style:
                return resolve_plain_scalar(node.value)
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,), depth + 1, aliased)
                    for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            first_seen: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.diagnostics.append(error(
                        "yaml-complex-key", "a key must be a simple name",
                        self.pos(key_node), hint="write 'name: value'"))
                    continue
                self.refuse_control(key_node)
                key = key_node.value
                if key in first_seen:
                    first = self.pos(first_seen[key])
                    self.diagnostics.append(error(
                        "yaml-duplicate-key",
                        f"key {key!r} appears twice in the same entry "
                        f"(first at line {first.line})",
                        self.pos(key_node),
                        hint="remove one of them; YAML would silently keep the last",
                        related=[first]))
                    continue
                first_seen[key] = key_node
                self.doc.keys[path + (key,)] = self.place(key_node)
                result[key] = self.convert(value_node, path + (key,), depth + 1, aliased)
            return result
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover


class _TooBig(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _Refused(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def load_yaml(text: str, file: str, line_offset: int = 0) -> tuple[YamlDocument | None,
                                                                   list[Diagnostic]]:
    """Load one YAML document. `line_offset` is added to reported line numbers
    (for front matter, which starts after the opening `---`)."""
    # Flow collections ([...], {...}) are the only way to nest deeply in a file of at
    # most 1 MiB (block nesting needs ever longer indentation: ~1,400 levels at most),
    # and PyYAML's C composer crashes at about 100,000 levels (20,000 were checked to
    # be fine). With fewer openers than SAFE_FLOW_OPENERS the text is composed
    # directly (tags, aliases and depth are then checked on the nodes); otherwise a
    # streaming pass over the parser's events checks it first.
    if text.count("[") + text.count("{") > SAFE_FLOW_OPENERS:
        problems = _scan_events(text, file, line_offset)
        if problems:
            return None, problems
    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.composer.ComposerError as exc:
        if "single document" in str(exc.context or exc.problem or ""):
            return None, [error("yaml-several-documents",
                                "this file holds more than one YAML document ('---' "
                                "separator)", _pos(file, exc.problem_mark, line_offset),
                                hint="keep one document per file: remove the '---' line or "
                                     "move the rest to its own file")]
        return None, [_syntax_problem(exc, text, file, line_offset)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, file, line_offset)]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, [error("yaml-syntax", f"YAML could not be read: {exc}",
                            Position(file, 1 + line_offset, 1))]
    converter = _Converter(file, line_offset)
    if node is None:
        converter.doc.data = None
        converter.doc.values[()] = (1 + line_offset, 1)
        return converter.doc, []
    try:
        converter.doc.data = converter.convert(node, ())
    except _Refused as refused:
        return None, [refused.diagnostic]
    except _TooBig as big:
        return None, [error("yaml-too-large",
                            f"the file expands to more than {MAX_VALUES:,} values "
                            "(aliases repeating aliases?)",
                            converter.pos(big.node),
                            hint="write the values out instead of nesting aliases")]
    if converter.diagnostics:
        return None, converter.diagnostics
    return converter.doc, []
