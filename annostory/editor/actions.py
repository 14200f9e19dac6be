"""Code actions: the fixes `check` suggests, as edits the editor applies.

In the story, on an unsourced quotation: "Annotate this quotation" (the stub `stub`
writes, for that quotation) and "Not a quotation" (an entry of `not_quotations:`).
In the annotations file, on an ambiguous quote: the prefix or suffix that singles out
each place; on a quote found nowhere: the story's own words. Every change is an edit
of the text (comments and layout kept); the server never writes a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..anchoring.explain import suggested_words
from ..anchoring.hints import disambiguation, yaml_text
from ..anchoring.matching import matches
from ..anchoring.stubs import looks_like_a_name, plan_stub, section_end
from ..core.diagnostics import Diagnostic
from ..core.model import Annotation
from ..inputs.annotations import SCHEMA_MODELINE
from ..inputs.files import display_name
from ..inputs.yamltree import load_yaml
from .analysis import Analysis
from .lookup import annotations, entry_index, quotations
from .spans import Span, span_at


@dataclass(frozen=True)
class Edit:
    """Replace `span` of a file with `text` (`create`: the file does not exist yet)."""

    span: Span
    text: str
    create: bool = False


@dataclass(frozen=True)
class Action:
    title: str
    edits: tuple[Edit, ...]
    fixes: tuple[Diagnostic, ...] = ()
    preferred: bool = False


def text_change(path: Path, old: str, new: str) -> Edit:
    """The smallest single edit that turns `old` into `new`."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    first = _place(old, start)
    last = _place(old, end_old)
    return Edit(Span(path, first[0], first[1], last[0], last[1]), new[start:end_new])


def _place(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)


def actions(analysis: Analysis, kind: str, line: int, end_line: int) -> list[Action]:
    """The fixes for the problems on lines [line, end_line] (0-based) of one file."""
    path = analysis.files.story if kind == "story" else analysis.files.annotations
    found: list[Action] = []
    for diagnostic in analysis.by_file.get(path, []):
        if not line <= diagnostic.position.line - 1 <= end_line:
            continue
        if diagnostic.code in ("unsourced-quotation", "partly-annotated-quotation"):
            found += _quotation_actions(analysis, diagnostic)
        elif diagnostic.code == "no-annotations-file":
            found += _stub_all(analysis, diagnostic)
        elif diagnostic.code == "anchor-ambiguous":
            found += _prefix_actions(analysis, diagnostic)
        elif diagnostic.code == "anchor-not-found":
            found += _words_actions(analysis, diagnostic)
    return found


def _annotations_edit(analysis: Analysis, new_text: str) -> Edit:
    path = analysis.files.annotations
    old = analysis.annotations_text
    if old is None:
        return Edit(Span(path, 0, 0, 0, 0), new_text, create=True)
    return text_change(path, old, new_text)


def _quotation_actions(analysis: Analysis, diagnostic: Diagnostic) -> list[Action]:
    story_text = analysis.story_text
    if story_text is None:
        return []
    files = analysis.files
    root = files.project.root
    found = []
    new_text, added, problems = plan_stub(
        story_text, display_name(files.story, root), analysis.annotations_text,
        display_name(files.annotations, root), only=diagnostic.position)
    if new_text is not None and added and not problems:
        found.append(Action("Annotate this quotation", (_annotations_edit(analysis, new_text),),
                            (diagnostic,), preferred=True))
    quotation = next((q for q in quotations(analysis) if q.position() == diagnostic.position),
                     None)
    if quotation is not None and diagnostic.code == "unsourced-quotation":
        reason = "a name or a title" if looks_like_a_name(quotation.text) else \
            "not a quotation: say why"
        new_text = _with_not_quotation(analysis.annotations_text, quotation.text, reason)
        if new_text is not None:
            found.append(Action("Not a quotation (list it under not_quotations:)",
                                (_annotations_edit(analysis, new_text),), (diagnostic,)))
    return found


def _stub_all(analysis: Analysis, diagnostic: Diagnostic) -> list[Action]:
    """The annotations file `stub` would write: every quotation with a stub."""
    files, story_text = analysis.files, analysis.story_text
    if story_text is None or analysis.annotations_text is not None:
        return []
    root = files.project.root
    new_text, _, problems = plan_stub(story_text, display_name(files.story, root), None,
                                      display_name(files.annotations, root))
    if new_text is None or problems:
        return []
    return [Action(f"Create {display_name(files.annotations, root)} with a stub for every "
                   "quotation", (_annotations_edit(analysis, new_text),), (diagnostic,),
                   preferred=True)]


def _with_not_quotation(text: str | None, words: str, reason: str) -> str | None:
    entry = [f"  - text: {yaml_text(' '.join(words.split()))}", f"    reason: {yaml_text(reason)}"]
    if text is None or not text.strip():
        return f"{SCHEMA_MODELINE}\nnot_quotations:\n" + "\n".join(entry) + "\n"
    doc, _ = load_yaml(text, "annotations")
    if doc is None or not isinstance(doc.data, dict):
        return None
    lines = (text if text.endswith("\n") else text + "\n").split("\n")
    if "not_quotations" not in doc.data:
        return "\n".join(lines[:-1] + ["not_quotations:", *entry]) + "\n"
    if re.search(r"not_quotations:\s*\[", lines[doc.key_position(("not_quotations",)).line - 1]):
        return None  # a [flow, list]: left to the author
    at = section_end(lines, doc, "not_quotations")
    return "\n".join(lines[:at] + entry + lines[at:])


def _annotation_at(analysis: Analysis, diagnostic: Diagnostic) -> Annotation | None:
    return next((a for a in annotations(analysis) if a.quote_position == diagnostic.position),
                None)


def _prefix_actions(analysis: Analysis, diagnostic: Diagnostic) -> list[Action]:
    annotation = _annotation_at(analysis, diagnostic)
    anchored = analysis.checked.anchored
    if annotation is None or anchored is None or anchored.story is None:
        return []
    index = anchored.story.text
    places = matches(index, annotation)
    found = []
    for which, match in enumerate(places[:5]):
        suggestion = disambiguation(index, places, which)
        if suggestion is None:
            continue
        key, words = suggestion
        edit = _set_field(analysis, annotation, key, words)
        if edit is not None:
            line = match.run.position(match.run.folded.span(match.start, match.end)[0]).line
            found.append(Action(f"Add {key}: {yaml_text(words)} (the one at line {line} of "
                                "the story)", (edit,), (diagnostic,)))
    return found


def _words_actions(analysis: Analysis, diagnostic: Diagnostic) -> list[Action]:
    annotation = _annotation_at(analysis, diagnostic)
    anchored = analysis.checked.anchored
    if annotation is None or anchored is None or anchored.story is None:
        return []
    words = suggested_words(anchored.story.text, annotation.quote)
    if not words:
        return []
    edit = _set_field(analysis, annotation, "quote", words)
    if edit is None:
        return []
    return [Action(f"Use the story's words: \u201c{words}\u201d", (edit,), (diagnostic,),
                   preferred=True)]


def _set_field(analysis: Analysis, annotation: Annotation, key: str, value: str
               ) -> Edit | None:
    """An edit giving an annotation's entry `key: value`: its one-line value replaced,
    or a new line after the quote's (a new item in a {flow, mapping})."""
    doc, text = analysis.doc, analysis.annotations_text
    index = entry_index(analysis, annotation)
    if doc is None or text is None or index is None:
        return None
    path = analysis.files.annotations
    lines = text.split("\n")
    written = yaml_text(value)
    here = ("annotations", index, key)
    if here in doc.values:
        at = doc.position(here)
        span = span_at(path, text, at)
        row = lines[span.line]
        loaded, _ = load_yaml(f"x: {row[span.character:span.end_character]}", "x")
        if loaded is None or loaded.data != {"x": doc.data["annotations"][index][key]}:
            return None  # written over several lines: left to the author
        return Edit(span, written)
    quote = doc.key_position(("annotations", index, "quote"))
    row = lines[quote.line - 1]
    if "{" in row[:quote.column - 1]:  # - {quote: ..., source: ...}
        return Edit(Span(path, quote.line - 1, quote.column - 1, quote.line - 1,
                         quote.column - 1), f"{key}: {written}, ")
    indent = " " * (quote.column - 1)
    value_end = doc.position(("annotations", index, "quote")).line
    after = _scalar_last_line(lines, value_end - 1, quote.column - 1)
    return Edit(Span(path, after + 1, 0, after + 1, 0), f"{indent}{key}: {written}\n")


def _scalar_last_line(lines: list[str], line: int, indent: int) -> int:
    """The last line of a value that starts on `line` (continuation lines are more
    indented than its key)."""
    last = line
    for i in range(line + 1, len(lines)):
        row = lines[i]
        if row.strip() and len(row) - len(row.lstrip()) <= indent:
            break
        if row.strip():
            last = i
    return last
