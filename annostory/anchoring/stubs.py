"""Planning stubs: for each quotation of a story that no annotation covers, the entry
`stub` adds (the quote, and the prefix or suffix that singles it out when the words
occur more than once), written into the annotations file as text so that comments
and layout stay as the author wrote them. Pure: text in, text out (`commands.stub`
writes the file; the language server offers the same edit).
"""

from __future__ import annotations

from ..core.diagnostics import Diagnostic, Position, error
from ..core.model import Annotation, Source
from ..core.textfold import fold_query
from ..inputs.annotations import SCHEMA_MODELINE
from ..inputs.files import SourceText
from ..inputs.story import load_story
from ..inputs.textindex import TextIndex
from ..inputs.yamltree import YamlDocument, load_yaml
from .hints import disambiguation, yaml_text
from .matching import matches as find_matches
from .matching import resolve
from .quotations import AnchorIndex, Quotation, find_quotations

_PLACEHOLDER = Source(id="stub", type="email")  # stands in for a source not written yet
HEADER = ("  # Added by `annostory stub`: fill in speaker, date and source\n"
          "  # (the build fails until every quote has its source).\n")


def _existing_entries(doc: YamlDocument | None) -> list[Annotation]:
    """Whatever quotes the file already has, valid or not."""
    if doc is None or not isinstance(doc.data, dict):
        return []
    entries = doc.data.get("annotations") or []
    found = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("quote"), str):
            found.append(Annotation(id="x", quote=entry["quote"], source=_PLACEHOLDER,
                                    prefix=str(entry.get("prefix") or ""),
                                    suffix=str(entry.get("suffix") or "")))
    return found


_CONNECTORS = {"of", "the", "and", "for", "in", "on", "a", "an", "to", "de", "la", "van"}


def looks_like_a_name(text: str) -> bool:
    """Two to four words in quotation marks, each with a capital (small connectors
    aside) and no sentence's marks: a name or a title ("Star Blizzard", "Harbor
    Watch"), most likely not a quotation (one word, "Yes", is most likely one)."""
    words = text.split()
    return 2 <= len(words) <= 4 and not any(ch in text for ch in ".,;:!?") and \
        words[0][:1].isupper() and all(w[:1].isupper() or w in _CONNECTORS for w in words)


def _suggestions(names: list[Quotation], text: str) -> str:
    """Names and titles in quotation marks, as commented-out not_quotations entries for
    the author to confirm (those already suggested are not suggested again)."""
    lines = []
    for quotation in names:
        line = f"#   - {{text: {yaml_text(quotation.text)}, reason: ...}}"
        if line not in text and line not in lines:
            lines.append(line)
    if not lines:
        return ""
    return ("# Added by `annostory stub`: these look like names or titles in quotation marks,\n"
            "# not quotations. If they are, uncomment them (and say why); if not, run stub\n"
            "# again after deleting this block, or annotate them.\n"
            "# not_quotations:\n" + "\n".join(lines) + "\n")


def _entry(quotation: Quotation, index: TextIndex) -> str:
    segment = max(quotation.segments, key=lambda s: len(s.text))
    quote = " ".join(segment.text.split())
    lines = [f"  - quote: {yaml_text(quote)}"]
    matches = find_matches(index, Annotation(id="x", quote=quote, source=_PLACEHOLDER))
    if len(matches) > 1:
        which = next((i for i, m in enumerate(matches) if m.run is segment.run and
                      m.run.folded.span(m.start, m.end)[0] <= segment.start <
                      m.run.folded.span(m.start, m.end)[1]), None)
        suggestion = disambiguation(index, matches, which) if which is not None else None
        if suggestion:
            key, text = suggestion
            lines.append(f"    {key}: {yaml_text(text)}")
    lines += ["    # speaker:", "    # date:", "    # source:", "    # note:"]
    return "\n".join(lines) + "\n"


def plan_stub(story_text: str, story_name: str, annotations_text: str | None,
              annotations_name: str, only: Position | None = None
              ) -> tuple[str | None, int, list[Diagnostic]]:
    """(new annotations file text or None when nothing to add, stubs added, problems).
    With `only`, just the quotation that begins there (no suggestions)."""
    story, problems = load_story("stub", SourceText(story_name, story_text))
    if story is None:
        return None, 0, problems
    doc = None
    if annotations_text is not None:
        doc, problems = load_yaml(annotations_text, annotations_name)
        if doc is None:
            return None, 0, problems
    anchors, _ = resolve(story.text, _existing_entries(doc))
    quotations, _ = find_quotations(story.text.runs)
    listed = set()
    if doc is not None and isinstance(doc.data, dict):
        entries = doc.data.get("not_quotations") or []
        listed = {fold_query(e["text"]) for e in entries if isinstance(e, dict)
                  and isinstance(e.get("text"), str)}
    covered = AnchorIndex(anchors)
    missing = [q for q in quotations if not q.covered_by(covered)
               and fold_query(q.text) not in listed]
    if only is not None:
        missing = [q for q in missing if q.position() == only]
        names: list[Quotation] = []
    else:
        names = [q for q in missing if looks_like_a_name(q.text)]
        missing = [q for q in missing if q not in names]
    suggestions = _suggestions(names, annotations_text or "")
    if not missing:
        if not suggestions:
            return None, 0, []
        text = annotations_text or f"{SCHEMA_MODELINE}\n"
        return (text if text.endswith("\n") else text + "\n") + suggestions, 0, []
    stubs = "".join(_entry(q, story.text) for q in missing)
    result, added, problems = _with_stubs(annotations_text, doc, stubs, len(missing))
    return (result + suggestions if result is not None else None), added, problems


def _with_stubs(annotations_text: str | None, doc: YamlDocument | None, stubs: str,
                count: int) -> tuple[str | None, int, list[Diagnostic]]:
    """The annotations file with the stubs added under `annotations:`."""
    if annotations_text is None or not annotations_text.strip():
        return f"{SCHEMA_MODELINE}\nannotations:\n{HEADER}{stubs}", count, []
    text = annotations_text if annotations_text.endswith("\n") else annotations_text + "\n"
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
    if "annotations" not in data or data["annotations"] is None:
        if "annotations" in data:  # `annotations:` with nothing after it yet
            return text + HEADER + stubs, count, []
        return text + f"annotations:\n{HEADER}{stubs}", count, []
    lines = text.split("\n")
    key_line = doc.key_position(("annotations",)).line  # 1-based
    value_line = doc.position(("annotations",)).line
    if key_line == value_line and lines[key_line - 1].rstrip().endswith("]"):
        return None, 0, [error("stub-flow-list", "annotations: is written as a [flow, list]",
                               doc.position(("annotations",)),
                               hint="write it as a block list ('- quote: ...' lines) so "
                                    "stubs can be added")]
    insert_at = section_end(lines, doc, "annotations")
    block = (HEADER + stubs).rstrip("\n").split("\n")
    new_lines = lines[:insert_at] + block + lines[insert_at:]
    result = "\n".join(new_lines)
    return (result if result.endswith("\n") else result + "\n"), count, []




def section_end(lines: list[str], doc: YamlDocument, key: str) -> int:
    """Where new entries of the top-level `key` go (a 0-based index into `lines`, the
    file split at newlines): before the next top-level key and the blank and comment
    lines just above it, or at the end of the file."""
    key_line = doc.key_position((key,)).line  # 1-based
    later = [pos.line for path, pos in doc.key_positions.items()
             if len(path) == 1 and pos.line > key_line]
    if not later:
        return len(lines) - 1 if lines and lines[-1] == "" else len(lines)
    at = min(later) - 1
    while at > key_line and (not lines[at - 1].strip() or
                             lines[at - 1].lstrip().startswith("#")):
        at -= 1
    return at
