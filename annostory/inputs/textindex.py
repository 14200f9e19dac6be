"""The text index of a story: its visible text, run by run, as markdown-it parsed it.

A markdown-it plugin, `text_index_plugin`, adds one core rule, `collect_text`, that runs
at the end of the core chain of every parse (headline, dek, body) and records each
inline token's visible text as a `TextRun`, with, for every character, the child token
and offset it comes from, and its exact position in the file (`inputs.sourcemap`).
`TextIndex` holds the runs in reading order and their folded text as one document
(`core.textfold`), which the anchoring layer searches. Nothing here changes a token.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..core.diagnostics import Position
from ..core.textfold import FoldedText, fold, is_word_boundary
from .sourcemap import Child, align, content_line_indent, line_starts

# The parts of a story in reading order (TextRun.part).
PART_ORDER = {"title": 0, "dek": 1, "body": 2}

# Child token types whose content is visible text, and those that read as a space.
TEXT_TYPES = ("text", "code_inline")
SPACE_TYPES = ("softbreak", "hardbreak")

SEPARATOR = " "  # what stands between two runs in the document's folded text
ENV_KEY = "textindex"  # where a parse's environment holds the index to fill


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
        # What the children were when parsed (anchoring splits them later).
        self.children = [Child(t.type, t.content, t.markup) for t in self.token.children or []]
        self.content = self.token.content
        self._offsets: list[int] | None = None
        self._line_starts: list[int] | None = None

    def location(self, index: int) -> tuple[int, int]:
        """(child index, offset in that child's content) of character `index`."""
        k = bisect_right(self._starts, index) - 1
        start, child = self.pieces[k]
        return child, index - start

    def child_type(self, index: int) -> str:
        """The type of the child token character `index` comes from ('text', ...)."""
        return self.children[self.location(index)[0]].type

    def _align(self) -> list[int]:
        if self._offsets is None:
            self._child_starts: dict[int, int] = {}
            self._offsets = align(self.children, self.content, self._child_starts)
        return self._offsets

    def source_offset(self, index: int) -> int:
        """Offset in the token's Markdown source of visible character `index`."""
        offsets = self._align()
        if not offsets:
            return 0
        return offsets[min(max(index, 0), len(offsets) - 1)]

    def position(self, index: int) -> Position:
        """Exact file position of character `index` of `text`."""
        if not self.text:
            return Position(self.file, self.first_line + 1, self.column_base + 1)
        return self.offset_position(self.source_offset(index))

    def child_position(self, child: int) -> Position:
        """Where a link or image child begins (its '[', '<' or '!')."""
        self._align()
        if child in self._child_starts:
            return self.offset_position(self._child_starts[child])
        following = [start for start, k in self.pieces if k >= child]
        return self.position(following[0] if following else len(self.text) - 1)

    def offset_position(self, at: int) -> Position:
        """File position of offset `at` of the token's Markdown source."""
        if self._line_starts is None:
            self._line_starts = line_starts(self.content)
        line_in_block = bisect_right(self._line_starts, at) - 1
        line_start = self._line_starts[line_in_block]
        column_in_content = at - line_start
        line_no = self.first_line + line_in_block
        if self.column_base:
            indent = self.column_base
        elif 0 <= line_no < len(self.source_lines):
            content_line = self.content[line_start:].split("\n", 1)[0]
            indent = content_line_indent(self.source_lines[line_no], content_line)
        else:
            indent = 0
        return Position(self.file, line_no + 1, indent + column_in_content + 1)

    def original(self, start: int, end: int) -> str:
        """The story's own characters for folded [start, end) of this run."""
        o_start, o_end = self.folded.span(start, end)
        return self.text[o_start:o_end]


def text_of_children(children: list[Token]) -> tuple[str, list[tuple[int, int]]]:
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    length = 0
    for i, child in enumerate(children):
        if child.type in TEXT_TYPES and child.content:
            pieces.append((length, i))
            parts.append(child.content)
            length += len(child.content)
        elif child.type in SPACE_TYPES:
            pieces.append((length, i))
            parts.append("\n")
            length += 1
    return "".join(parts), pieces


class TextIndex:
    """Every run of a story in reading order, and their folded text as one document
    (runs joined by SEPARATOR) for searching."""

    def __init__(self, file: str, source_lines: list[str]) -> None:
        self.file = file
        self.source_lines = source_lines
        self.runs: list[TextRun] = []
        self._document: str | None = None
        self._run_starts: list[int] = []

    def add_run(self, part: str, token: Token, env: dict) -> None:
        text, pieces = text_of_children(token.children or [])
        first_line = env.get("first_line", 0) + (token.map[0] if token.map else 0)
        self.runs.append(TextRun(part, token, text, pieces, self.source_lines, self.file,
                                 first_line, env.get("column_base", 0)))
        self._document = None

    def in_reading_order(self) -> None:
        """Sort the runs by part: headline, dek, body (stable within a part)."""
        self.runs.sort(key=lambda run: PART_ORDER[run.part])
        self._document = None

    @property
    def document(self) -> str:
        if self._document is None:
            starts, at = [], 0
            for run in self.runs:
                starts.append(at)
                at += len(run.folded.text) + len(SEPARATOR)
            self._run_starts = starts
            self._document = SEPARATOR.join(run.folded.text for run in self.runs)
        return self._document

    def run_at(self, at: int) -> tuple[int, int]:
        """(run index, offset in that run's folded text) of document offset `at`."""
        _ = self.document
        k = bisect_right(self._run_starts, at) - 1
        return k, at - self._run_starts[k]

    def ends_with_before(self, at: int, prefix: str) -> tuple[bool, str]:
        """Does the document before `at` end with `prefix` (quote marks and spaces
        next to the quote ignored, the prefix starting on a word boundary)? With why
        not: 'differs' or 'starts inside a word'."""
        doc = self.document
        j = at
        while j > 0 and doc[j - 1] in " \"'":
            j -= 1
        if not doc.startswith(prefix, j - len(prefix)) or j < len(prefix):
            return False, "differs"
        if not is_word_boundary(doc, j - len(prefix)):
            return False, "starts inside a word"
        return True, ""

    def starts_with_after(self, at: int, suffix: str) -> tuple[bool, str]:
        """Does the document from `at` start with `suffix` (as above)?"""
        doc = self.document
        j = at
        while j < len(doc) and doc[j] in " \"'":
            j += 1
        if not doc.startswith(suffix, j):
            return False, "differs"
        if not is_word_boundary(doc, j + len(suffix)):
            return False, "ends inside a word"
        return True, ""

    def token_position(self, token: Token) -> Position:
        """Where a link or image token of the story begins."""
        for run in self.runs:
            for index, child in enumerate(run.token.children or []):
                if child is token:  # identity: two identical links are two places
                    return run.child_position(index)
        return Position(self.file, 1, 1)


def text_index_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("collect_text", _collect_rule)


def _collect_rule(state: StateCore) -> None:
    index = state.env.get(ENV_KEY)
    if not isinstance(index, TextIndex):
        return
    part = state.env.get("part", "body")
    for token in state.tokens:
        if token.type == "inline" and token.children is not None:
            index.add_run(part, token, state.env)
