"""Anchoring: attach each annotation to the one passage of the story it quotes.

A markdown-it plugin in two halves:

* a core rule, `annotation_collect`, that runs at the end of the core chain of
  every parse (headline, dek, body) and records each inline token's visible text
  as a `TextRun`, with, for every character, the child token and offset it comes
  from;
* an `AnchorSession` that, once every part of the story is parsed, finds each
  quote (W3C TextQuoteSelector: exact + optional prefix/suffix, compared after
  `textfold`), reports what does not anchor exactly once, and then wraps each
  anchored passage in `annotation_open` / `annotation_close` tokens, splitting
  text tokens and closing/reopening inline markup so the HTML stays well nested.

Nothing is ever anchored approximately: no match, several matches and overlaps
are errors with positions and a suggested fix.
"""

from __future__ import annotations

import difflib
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .diagnostics import Diagnostic, Position, error
from .model import Annotation
from .textfold import FoldedText, find_all, fold, fold_query, trim_boundary

# The parts of a story in reading order (TextRun.part).
PART_ORDER = {"title": 0, "dek": 1, "body": 2}

# Child token types whose content is visible text, and those that read as a space.
_TEXT_TYPES = ("text", "code_inline")
_SPACE_TYPES = ("softbreak", "hardbreak")


@dataclass
class TextRun:
    """The visible text of one inline token (a paragraph, heading, list item...)."""

    part: str  # "title", "dek" or "body"
    token: Token
    text: str
    pieces: list[tuple[int, int]]  # (start in text, child index) of each text-bearing child
    source_lines: list[str]  # the file's lines, for positions
    file: str
    first_line: int  # 0-based line in the file where the block starts
    column_base: int = 0  # for one-line parts (front matter values): column of the value
    folded: FoldedText = field(init=False)

    def __post_init__(self) -> None:
        self.folded = fold(self.text)
        self._starts = [start for start, _ in self.pieces]

    def location(self, index: int) -> tuple[int, int]:
        """(child index, offset in that child's content) of character `index`."""
        k = bisect_right(self._starts, index) - 1
        start, child = self.pieces[k]
        return child, index - start

    @cached_property
    def child_starts(self) -> dict[int, int]:
        return _child_source_offsets(self.token)

    def position(self, index: int) -> Position:
        """File position of character `index` of `text`."""
        if not self.text:
            return Position(self.file, self.first_line + 1, self.column_base + 1)
        child, offset = self.location(min(max(index, 0), len(self.text) - 1))
        content = self.token.content
        at = min(self.child_starts.get(child, 0) + offset, len(content))
        line_in_block = content.count("\n", 0, at)
        line_start = content.rfind("\n", 0, at) + 1
        column_in_content = at - line_start
        line_no = self.first_line + line_in_block
        indent = 0
        if self.column_base:
            indent = self.column_base
        elif 0 <= line_no < len(self.source_lines):
            content_line = content[line_start:].split("\n", 1)[0]
            found = self.source_lines[line_no].find(content_line[:40]) if content_line else -1
            indent = max(found, 0)
        return Position(self.file, line_no + 1, indent + column_in_content + 1)


def _child_source_offsets(token: Token) -> dict[int, int]:
    """Where each text child starts in the inline token's Markdown source."""
    content_folded = fold(token.content)
    starts: dict[int, int] = {}
    cursor = 0  # in folded content
    for i, child in enumerate(token.children or []):
        if child.type not in _TEXT_TYPES or not child.content:
            continue
        needle = fold(child.content).text.strip()[:30]
        found = content_folded.text.find(needle, cursor) if needle else -1
        if found == -1:
            starts[i] = content_folded.origin[cursor] if cursor < len(
                content_folded.origin) else len(token.content)
            continue
        lead = len(child.content) - len(child.content.lstrip())
        starts[i] = max(content_folded.origin[found] - lead, 0)
        cursor = found + len(needle)
    return starts


def text_of_children(children: list[Token]) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    length = 0
    for i, child in enumerate(children):
        if child.type in _TEXT_TYPES and child.content:
            pieces.append((length, i))
            parts.append(child.content)
            length += len(child.content)
        elif child.type in _SPACE_TYPES:
            pieces.append((length, i))
            parts.append("\n")
            length += 1
    return "".join(parts), pieces


@dataclass
class Anchor:
    annotation: Annotation
    run: TextRun
    start: int  # in run.text
    end: int

    def position(self) -> Position:
        return self.run.position(self.start)


# --- the markdown-it plugin ----------------------------------------------------
def anchoring_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("annotation_collect", _collect_rule)
    md.add_render_rule("annotation_open", _render_open)
    md.add_render_rule("annotation_close", _render_close)


def _collect_rule(state: StateCore) -> None:
    session = state.env.get("anchoring")
    if not isinstance(session, AnchorSession):
        return
    part = state.env.get("part", "body")
    for token in state.tokens:
        if token.type == "inline" and token.children is not None:
            session.add_run(part, token, state.env)


def _attrs_html(attrs: dict[str, Any]) -> str:
    from markdown_it.common.utils import escapeHtml

    return "".join(f' {k}="{escapeHtml(str(v))}"' for k, v in attrs.items())


def _render_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return f"<{token.tag}{_attrs_html(token.attrs)}>"


def _render_close(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    html = f"</{token.tag}>"
    marker = token.meta.get("marker")
    if marker:  # quotes containing a link: the focusable element follows the quote
        html += f'<a{_attrs_html(marker)}><span class="anno-marker-label">note</span></a>'
    return html


# --- the session: find, report, wrap ---------------------------------------------
class AnchorSession:
    def __init__(self, file: str, source_lines: list[str]) -> None:
        self.file = file
        self.source_lines = source_lines
        self.runs: list[TextRun] = []

    def add_run(self, part: str, token: Token, env: dict) -> None:
        text, pieces = text_of_children(token.children or [])
        first_line = token.map[0] if token.map else env.get("first_line", 0)
        self.runs.append(TextRun(part, token, text, pieces, self.source_lines, self.file,
                                 first_line, env.get("column_base", 0)))

    # finding
    def matches(self, annotation: Annotation) -> list[tuple[TextRun, int, int]]:
        quote = fold_query(annotation.quote)
        prefix = trim_boundary(fold_query(annotation.prefix), left=False)
        suffix = trim_boundary(fold_query(annotation.suffix), left=True)
        found = []
        for run in self.runs:
            hay = run.folded.text
            for start in find_all(hay, quote):
                end = start + len(quote)
                if whole_words(hay, start, end) and context_matches(hay, start, end, prefix,
                                                                     suffix):
                    found.append((run, start, end))
        return found

    def resolve(self, annotations: list[Annotation] | tuple[Annotation, ...]
                ) -> tuple[list[Anchor], list[Diagnostic]]:
        anchors: list[Anchor] = []
        diagnostics: list[Diagnostic] = []
        for annotation in annotations:
            quote = fold_query(annotation.quote)
            if not trim_boundary(trim_boundary(quote, left=True), left=False):
                diagnostics.append(error(
                    "empty-quote", "the quote has no words", annotation.quote_position,
                    hint="write the quoted words exactly as the story shows them"))
                continue
            matches = self.matches(annotation)
            if len(matches) == 1:
                run, start, end = matches[0]
                o_start, o_end = run.folded.span(start, end)
                anchors.append(Anchor(annotation, run, o_start, o_end))
            elif not matches:
                diagnostics.append(self._not_found(annotation))
            else:
                diagnostics.append(self._ambiguous(annotation, matches))
        diagnostics.extend(self._overlaps(anchors))
        return anchors, diagnostics

    def _not_found(self, annotation: Annotation) -> Diagnostic:
        quote = fold_query(annotation.quote)
        where = annotation.quote_position
        for run in self.runs:
            at = run.folded.text.find(quote)
            if at != -1 and not whole_words(run.folded.text, at, at + len(quote)):
                start = at
                while start > 0 and run.folded.text[start - 1].isalnum():
                    start -= 1
                end = at + len(quote)
                while end < len(run.folded.text) and run.folded.text[end].isalnum():
                    end += 1
                o_start, o_end = run.folded.span(start, end)
                return error("anchor-partial-word",
                             f"the quote matches only part of a word: "
                             f"\u201c{run.text[o_start:o_end]}\u201d",
                             where, hint="quote whole words, exactly as the story shows them",
                             related=[run.position(o_start)])
        if self._matches_without_context(annotation):
            return error("anchor-context-mismatch",
                         "the quote is in the story, but not with this prefix/suffix",
                         where, hint="check 'prefix:' and 'suffix:' against the story, "
                                     "or remove them")
        lowered = [(run, run.folded.text.lower().find(quote.lower())) for run in self.runs]
        for run, at in lowered:
            if at != -1:
                o_start, o_end = run.folded.span(at, at + len(quote))
                return error("anchor-not-found",
                             f"quote not found: the story has it with different capitals: "
                             f"\u201c{run.text[o_start:o_end]}\u201d",
                             where, hint="copy the words exactly as the story shows them",
                             related=[run.position(o_start)])
        for first, second in zip(self.runs, self.runs[1:]):
            joined = first.folded.text + " " + second.folded.text
            at = joined.find(quote)
            if at != -1 and at < len(first.folded.text) < at + len(quote):
                return error("anchor-spans-paragraphs",
                             "the quote runs over two paragraphs", where,
                             hint="annotate the part in each paragraph separately",
                             related=[first.position(first.folded.origin[at])])
        guess = self._closest(quote)
        if guess:
            run, o_start, o_end = guess
            return error("anchor-not-found", "quote not found in the story", where,
                         hint=f"did you mean \u201c{run.text[o_start:o_end]}\u201d "
                              f"({run.position(o_start)})?",
                         related=[run.position(o_start)])
        return error("anchor-not-found", "quote not found in the story", where,
                     hint="copy the words exactly as the story shows them")

    def _matches_without_context(self, annotation: Annotation) -> bool:
        quote = fold_query(annotation.quote)
        return any(whole_words(run.folded.text, at, at + len(quote))
                   for run in self.runs for at in find_all(run.folded.text, quote))

    def _closest(self, quote: str) -> tuple[TextRun, int, int] | None:
        """The passage of the story most like `quote` (same number of words)."""
        words = quote.split(" ")
        best: tuple[float, TextRun, int, int] | None = None
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(quote)
        for run in self.runs:
            hay = run.folded.text
            starts = [0] + [i + 1 for i, ch in enumerate(hay) if ch == " "]
            for k, start in enumerate(starts):
                for size in (len(words) - 1, len(words), len(words) + 1):
                    if size < 1:
                        continue
                    stop_index = k + size
                    end = starts[stop_index] - 1 if stop_index < len(starts) else len(hay)
                    window = hay[start:end].strip(" \"'")
                    matcher.set_seq1(window)
                    if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                        continue
                    ratio = matcher.ratio()
                    if ratio >= 0.6 and (best is None or ratio > best[0]):
                        best = (ratio, run, start, end)
        if best is None:
            return None
        _, run, start, end = best
        while start < end and hay_edge(run.folded.text[start]):
            start += 1
        while end > start and hay_edge(run.folded.text[end - 1]):
            end -= 1
        o_start, o_end = run.folded.span(start, end)
        return run, o_start, o_end

    def _ambiguous(self, annotation: Annotation,
                   matches: list[tuple[TextRun, int, int]]) -> Diagnostic:
        places = [run.position(run.folded.origin[start]) for run, start, _ in matches]
        hints = []
        for i in range(len(matches)):
            suggestion = disambiguation(matches, i)
            if suggestion:
                key, text = suggestion
                hints.append(f'for the one at {places[i]}, add {key}: "{text}"')
        listing = ", ".join(f"line {p.line}" for p in places)
        return error("anchor-ambiguous",
                     f"the quote appears {len(matches)} times in the story ({listing})",
                     annotation.quote_position,
                     hint="; ".join(hints) or "add a prefix: or suffix: to choose one",
                     related=places)

    def _overlaps(self, anchors: list[Anchor]) -> list[Diagnostic]:
        found = []
        by_run: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            by_run.setdefault(id(anchor.run), []).append(anchor)
        for group in by_run.values():
            group.sort(key=lambda a: (a.start, a.end))
            for a, b in zip(group, group[1:]):
                if b.start < a.end:
                    found.append(error(
                        "anchor-overlap",
                        f"this quote overlaps the quote of another annotation "
                        f"(\u201c{a.run.text[a.start:a.end]}\u201d)",
                        b.annotation.quote_position,
                        hint="each passage can carry one note: shorten one quote so they "
                             "do not share words, or merge the two annotations",
                        related=[a.annotation.quote_position]))
        return found

    # wrapping
    def apply(self, anchors: list[Anchor]) -> None:
        """Wrap every anchored passage (call only when resolve reported no errors)."""
        by_run: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            by_run.setdefault(id(anchor.run), []).append(anchor)
        for group in by_run.values():
            for anchor in sorted(group, key=lambda a: a.start, reverse=True):
                _wrap(anchor)


def whole_words(hay: str, start: int, end: int) -> bool:
    """A quote never starts or ends inside a word ("he is" does not match "the issue")."""
    if start > 0 and hay[start].isalnum() and hay[start - 1].isalnum():
        return False
    return not (end < len(hay) and hay[end - 1].isalnum() and hay[end].isalnum())


def hay_edge(ch: str) -> bool:
    """Characters trimmed from the edges of a "did you mean" passage."""
    return ch in " \"'.,;:()"


def context_matches(hay: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """Does the (folded) text around [start, end) carry this prefix and suffix?
    Quote marks and spaces next to the quote are ignored, and the prefix/suffix
    must begin/end on a word boundary ("He said" does not match "She said")."""
    if prefix:
        before = trim_boundary(hay[:start], left=False)
        if not before.endswith(prefix):
            return False
        if len(before) > len(prefix) and before[-len(prefix) - 1].isalnum() \
                and prefix[0].isalnum():
            return False
    if suffix:
        after = trim_boundary(hay[end:], left=True)
        if not after.startswith(suffix):
            return False
        if len(after) > len(suffix) and after[len(suffix)].isalnum() and suffix[-1].isalnum():
            return False
    return True


def disambiguation(matches: list[tuple[TextRun, int, int]],
                   index: int) -> tuple[str, str] | None:
    """("prefix" or "suffix", text): the shortest context (in whole words) that
    singles out match `index`, or None."""
    def context(i: int, before: bool, words: int) -> str:
        run, start, end = matches[i]
        hay = run.folded.text
        side = trim_boundary(hay[:start], left=False) if before else trim_boundary(
            hay[end:], left=True)
        parts = side.split(" ")
        chosen = parts[-words:] if before else parts[:words]
        return " ".join(chosen)

    for words in range(1, 8):
        for before in (True, False):
            mine = context(index, before, words)
            if not mine.strip():
                continue
            prefix, suffix = (mine, "") if before else ("", mine)
            hits = [j for j, (run, start, end) in enumerate(matches)
                    if context_matches(run.folded.text, start, end, prefix, suffix)]
            if hits == [index]:
                return ("prefix" if before else "suffix"), mine
    return None


def _split(children: list[Token], child: int, offset: int) -> int:
    """Split child `child` at `offset`; return the index where new tokens go."""
    token = children[child]
    if offset <= 0:
        return child
    if token.type not in _TEXT_TYPES or offset >= len(token.content):
        return child + 1
    tail = token.copy()
    tail.content = token.content[offset:]
    token.content = token.content[:offset]
    children.insert(child + 1, tail)
    return child + 1


def _matching_open(children: list[Token], close_index: int, stop: int) -> Token | None:
    depth = 0
    for i in range(stop - 1, -1, -1):
        t = children[i]
        if t.nesting == -1:
            depth += 1
        elif t.nesting == 1:
            if depth == 0 and t.tag == children[close_index].tag:
                return t
            depth -= 1
    return None


def _pairs(children: list[Token]) -> dict[int, int]:
    """Index of each opening token -> index of its closing token, and back."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, t in enumerate(children):
        if t.nesting == 1:
            stack.append(i)
        elif t.nesting == -1 and stack:
            j = stack.pop()
            pairs[i], pairs[j] = j, i
    return pairs


def _widen_over_markup(children: list[Token], open_at: int, close_at: int) -> tuple[int, int]:
    """Take in markup that opens just before / closes just after the passage when its
    other half is inside, so `*word*` quoted whole becomes <a><em>word</em></a>."""
    pairs = _pairs(children)
    changed = True
    while changed:
        changed = False
        if close_at < len(children) and children[close_at].nesting == -1 and \
                open_at <= pairs.get(close_at, -1) < close_at:
            close_at += 1
            changed = True
        if open_at > 0 and children[open_at - 1].nesting == 1 and \
                open_at <= pairs.get(open_at - 1, -1) < close_at:
            open_at -= 1
            changed = True
        if open_at > 0 and close_at < len(children) and \
                pairs.get(open_at - 1) == close_at:  # markup wrapping exactly the passage
            open_at, close_at = open_at - 1, close_at + 1
            changed = True
    return open_at, close_at


def _wrap(anchor: Anchor) -> None:
    annotation = anchor.annotation
    children = anchor.run.token.children
    assert children is not None
    end_child, end_offset = anchor.run.location(anchor.end - 1)
    start_child, start_offset = anchor.run.location(anchor.start)
    close_at = _split(children, end_child, end_offset + 1)
    open_at = _split(children, start_child, start_offset)
    if open_at > start_child:
        close_at += 1  # the start split added a token before the end
    open_at, close_at = _widen_over_markup(children, open_at, close_at)
    inner = children[open_at:close_at]
    has_link = any(t.type == "link_open" for t in inner)

    note_id = f"note-{annotation.id}"
    opener = Token("annotation_open", "a", 1)
    closer = Token("annotation_close", "a", -1)
    if has_link:  # no link inside a link: mark the text, put the link after it
        opener.tag = closer.tag = "span"
        opener.attrs = {"class": "anno anno-with-link"}
        closer.meta["marker"] = {"class": "anno-marker", "id": f"quote-{annotation.id}",
                                 "href": f"#{note_id}",
                                 "aria-describedby": f"{note_id}-text",
                                 "data-note": annotation.id}
    else:
        opener.attrs = {"class": "anno", "id": f"quote-{annotation.id}", "href": f"#{note_id}",
                        "aria-describedby": f"{note_id}-text", "data-note": annotation.id}

    # Keep nesting valid: markup that closes inside the passage is closed before it
    # and reopened inside; markup that opens inside is closed at its end and reopened after.
    unmatched_closes: list[Token] = []
    stack: list[Token] = []
    for t in inner:
        if t.nesting == 1:
            stack.append(t)
        elif t.nesting == -1:
            if stack:
                stack.pop()
            else:
                unmatched_closes.append(t)
    before: list[Token] = []
    reopen_inside: list[Token] = []
    for close in unmatched_closes:
        index = children.index(close)
        opened = _matching_open(children, index, open_at)
        before.append(close.copy())
        reopen_inside.insert(0, (opened or Token(close.type.replace("_close", "_open"),
                                                   close.tag, 1)).copy())
    close_inside = [Token(t.type.replace("_open", "_close"), t.tag, -1) for t in reversed(stack)]
    reopen_after = [t.copy() for t in stack]

    # The original unmatched closes inside now close the reopened copies.
    children[close_at:close_at] = close_inside + [closer] + reopen_after
    children[open_at:open_at] = before + [opener] + reopen_inside
