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
import heapq
import json
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .diagnostics import Diagnostic, Position, error
from .model import Annotation
from .sourcemap import Child, align, content_line_indent, line_starts
from .textfold import (
    FoldedText,
    describe_invisible,
    fold,
    fold_query,
    is_word_boundary,
    on_boundaries,
    trim_boundary,
)

# The parts of a story in reading order (TextRun.part).
PART_ORDER = {"title": 0, "dek": 1, "body": 2}

# Child token types whose content is visible text, and those that read as a space.
_TEXT_TYPES = ("text", "code_inline")
_SPACE_TYPES = ("softbreak", "hardbreak")

SEPARATOR = " "  # what stands between two runs in the document's folded text
CLOSEST_BUDGET = 1_000_000  # words a "did you mean" search looks at, at most
CLOSEST_CANDIDATES = 5  # windows compared closely by a "did you mean" search
SHOWN_PLACES = 5  # places listed (and given a prefix/suffix) for an ambiguous quote


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


@dataclass(frozen=True)
class Match:
    """A place where a quote's folded words occur: run and folded [start, end)."""

    run: TextRun
    start: int
    end: int
    at: int  # start in the document's folded text


# --- the markdown-it plugin ----------------------------------------------------
def anchoring_plugin(md: MarkdownIt) -> None:
    md.core.ruler.push("annotation_collect", _collect_rule)
    md.add_render_rule("annotation_open", _render_open)
    md.add_render_rule("annotation_close", _render_close)
    md.add_render_rule("annotation_marker", _render_marker)


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
    return f"</{tokens[idx].tag}>"


def _render_marker(self, tokens, idx, options, env) -> str:
    """The focusable note link that follows a quote holding or inside a link."""
    return (f"<a{_attrs_html(tokens[idx].attrs)}><span class=\"anno-marker-label\">note</span>"
            "</a>")


def yaml_text(text: str) -> str:
    """`text` as a YAML scalar that reads back as exactly `text` (JSON strings are
    YAML 1.2), for hints an author pastes."""
    return json.dumps(text, ensure_ascii=False)


# --- the session: find, report, wrap ---------------------------------------------
class AnchorSession:
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

    # the document: every run's folded text, in reading order, indexed once
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

    def _before(self, at: int, prefix: str) -> tuple[bool, str]:
        """Does the document before `at` end with `prefix` (quote marks and spaces
        next to the quote ignored, the prefix starting on a word boundary)?"""
        doc = self.document
        j = at
        while j > 0 and doc[j - 1] in " \"'":
            j -= 1
        if not doc.startswith(prefix, j - len(prefix)) or j < len(prefix):
            return False, "differs"
        if not is_word_boundary(doc, j - len(prefix)):
            return False, "starts inside a word"
        return True, ""

    def _after(self, at: int, suffix: str) -> tuple[bool, str]:
        doc = self.document
        j = at
        while j < len(doc) and doc[j] in " \"'":
            j += 1
        if not doc.startswith(suffix, j):
            return False, "differs"
        if not is_word_boundary(doc, j + len(suffix)):
            return False, "ends inside a word"
        return True, ""

    # finding
    def candidates(self, quote: str) -> list[int]:
        """Every place (document offset) where the folded quote occurs."""
        doc = self.document
        found = []
        at = doc.find(quote) if quote else -1
        while at != -1:
            found.append(at)
            at = doc.find(quote, at + 1)
        return found

    def classify(self, annotation: Annotation) -> tuple[list[Match], dict[str, list[Any]]]:
        """The places the annotation anchors to, and why the other candidates did not
        ('spans' across runs, 'partial' words, 'prefix'/'suffix' problems)."""
        quote = fold_query(annotation.quote)
        prefix = trim_boundary(fold_query(annotation.prefix), left=False)
        suffix = trim_boundary(fold_query(annotation.suffix), left=True)
        matches: list[Match] = []
        rejected: dict[str, list[Any]] = {"spans": [], "partial": [], "prefix": [],
                                          "suffix": []}
        for at in self.candidates(quote):
            k, start = self.run_at(at)
            run = self.runs[k]
            end = start + len(quote)
            if end > len(run.folded.text):
                rejected["spans"].append((run, start))
                continue
            if not on_boundaries(run.folded, run.text, start, end):
                rejected["partial"].append((run, start, end))
                continue
            if prefix:
                ok, why = self._before(at, prefix)
                if not ok:
                    rejected["prefix"].append(why)
                    continue
            if suffix:
                ok, why = self._after(at + len(quote), suffix)
                if not ok:
                    rejected["suffix"].append(why)
                    continue
            matches.append(Match(run, start, end, at))
        return matches, rejected

    def matches(self, annotation: Annotation) -> list[Match]:
        return self.classify(annotation)[0]

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
            matches, rejected = self.classify(annotation)
            if len(matches) == 1:
                match = matches[0]
                o_start, o_end = match.run.folded.span(match.start, match.end)
                anchors.append(Anchor(annotation, match.run, o_start, o_end))
            elif not matches:
                diagnostics.append(self._not_found(annotation, rejected))
            else:
                diagnostics.append(self._ambiguous(annotation, matches))
        diagnostics.extend(self._overlaps(anchors))
        return anchors, diagnostics

    def _not_found(self, annotation: Annotation, rejected: dict[str, list[Any]]) -> Diagnostic:
        quote = fold_query(annotation.quote)
        where = annotation.quote_position
        if rejected["partial"]:
            run, start, end = rejected["partial"][0]
            o_start, o_end = run.folded.span(start, end)
            if not (run.folded.at_unit_boundary(start) and run.folded.at_unit_boundary(end)):
                cut = start if not run.folded.at_unit_boundary(start) else end - 1
                c_start, c_end = run.folded.span(cut, cut + 1)
                return error("anchor-partial-character",
                             f"the quote cuts the character \u201c{run.text[c_start:c_end]}\u201d "
                             "in two (an emoji sequence, a flag or a letter with its accents is "
                             "one character to a reader)",
                             where, hint="quote whole characters, exactly as the story shows "
                                         "them", related=[run.position(o_start)])
            w_start, w_end = _widen_to_words(run.text, o_start, o_end)
            return error("anchor-partial-word",
                         f"the quote matches only part of a word: "
                         f"\u201c{run.text[w_start:w_end]}\u201d",
                         where, hint="quote whole words, exactly as the story shows them",
                         related=[run.position(o_start)])
        for side in ("prefix", "suffix"):
            reasons = rejected[side]
            if not reasons:
                continue
            value = annotation.prefix if side == "prefix" else annotation.suffix
            if all(r != "differs" for r in reasons):
                return error("anchor-context-mismatch",
                             f"the quote is in the story, but its {side} "
                             f"{yaml_text(value.strip())} {reasons[0]} there",
                             where, hint=f"make the {side} whole words, as the story shows "
                                         "them")
            return error("anchor-context-mismatch",
                         f"the quote is in the story, but not with this {side} "
                         f"({yaml_text(value.strip())})",
                         where, hint=f"check '{side}:' against the story, or remove it")
        if rejected["spans"]:
            run, start = rejected["spans"][0]
            return error("anchor-spans-paragraphs",
                         "the quote runs over two paragraphs", where,
                         hint="annotate the part in each paragraph separately",
                         related=[run.position(run.folded.span(start, start + 1)[0])])
        capitals = self._different_capitals(quote)
        if capitals is not None:
            run, o_start, o_end = capitals
            return error("anchor-not-found",
                         f"quote not found: the story has it with different capitals: "
                         f"\u201c{run.text[o_start:o_end]}\u201d",
                         where, hint="copy the words exactly as the story shows them",
                         related=[run.position(o_start)])
        guess, complete = self._closest(quote)
        if guess:
            run, o_start, o_end = guess
            shown = run.text[o_start:o_end]
            invisible = describe_invisible(quote, fold(shown).text) if \
                fold(shown).text.strip() != quote else ""
            message = "quote not found in the story"
            if invisible and len(fold(shown).text) == len(quote):
                message += f" ({invisible})"
            return error("anchor-not-found", message, where,
                         hint=f"did you mean \u201c{shown}\u201d ({run.position(o_start)})?",
                         related=[run.position(o_start)])
        hint = "copy the words exactly as the story shows them"
        if not complete:
            hint += " (the search for a similar passage stopped early: the story is long)"
        return error("anchor-not-found", "quote not found in the story", where, hint=hint)

    def _different_capitals(self, quote: str) -> tuple[TextRun, int, int] | None:
        """The passage that matches `quote` ignoring case (ß = SS too), or None."""
        wanted = quote.casefold()
        for run in self.runs:
            hay = run.folded.text
            if wanted not in hay.casefold():
                continue
            # map back character by character (casefolding may change lengths)
            folded_chars: list[str] = []
            owner: list[int] = []
            for i, ch in enumerate(hay):
                for c in ch.casefold():
                    folded_chars.append(c)
                    owner.append(i)
            at = "".join(folded_chars).find(wanted)
            if at == -1:
                continue
            start, end = owner[at], owner[at + len(wanted) - 1] + 1
            o_start, o_end = run.folded.span(start, end)
            return run, o_start, o_end
        return None

    def _closest(self, quote: str) -> tuple[tuple[TextRun, int, int] | None, bool]:
        """The passage of the story most like `quote` (about as many words), in time
        linear in the story: every window of the quote's length is scored by the
        letter trigrams it shares with the quote (a sliding sum), and only the best
        few are compared closely (difflib). Past CLOSEST_BUDGET words the search
        stops; the second value says whether it was complete."""
        words = quote.split(" ")
        size = len(words)
        grams = _trigrams(quote.lower())
        if not grams:
            return None, True
        scored: list[tuple[int, int, int]] = []  # (-score, run index, first word)
        budget = CLOSEST_BUDGET
        complete = True
        for k, run in enumerate(self.runs):
            tokens = run.folded.text.lower().split(" ")
            budget -= len(tokens)
            if budget < 0:
                complete = False
                break
            points = [sum(g in grams for g in _trigrams(t)) for t in tokens]
            window = sum(points[:size])
            for first in range(max(len(tokens) - size + 1, 1)):
                if first:
                    window += (points[first + size - 1] if first + size - 1 < len(points)
                               else 0) - points[first - 1]
                if window:
                    scored.append((-window, k, first))
        best: tuple[float, TextRun, int, int] | None = None
        # difflib is quadratic on long, repetitive text; past a few lines its "junk"
        # heuristic (popular characters ignored when finding matching blocks) keeps it fast.
        matcher = difflib.SequenceMatcher(autojunk=len(quote) > 200)
        matcher.set_seq2(quote)
        for _, k, first in heapq.nsmallest(CLOSEST_CANDIDATES, scored):
            run = self.runs[k]
            hay = run.folded.text
            starts = [0] + [i + 1 for i, ch in enumerate(hay) if ch == " "]
            for length in (size - 1, size, size + 1):
                if length < 1 or first >= len(starts):
                    continue
                stop = first + length
                end = starts[stop] - 1 if stop < len(starts) else len(hay)
                start = starts[first]
                matcher.set_seq1(hay[start:end].strip(" \"'"))
                if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                    continue
                ratio = matcher.ratio()
                if ratio >= 0.6 and (best is None or ratio > best[0]):
                    best = (ratio, run, start, end)
        return _trimmed(best), complete

    def _ambiguous(self, annotation: Annotation, matches: list[Match]) -> Diagnostic:
        places = [m.run.position(m.run.folded.span(m.start, m.end)[0]) for m in matches]
        hints = []
        for i in range(min(len(matches), SHOWN_PLACES)):
            suggestion = self.disambiguation(matches, i)
            if suggestion:
                key, text = suggestion
                hints.append(f"for the one at {places[i]}, add {key}: {yaml_text(text)}")
        if len(matches) > SHOWN_PLACES:
            hints.append(f"({len(matches) - SHOWN_PLACES} more places)")
        listing = ", ".join(f"line {p.line}" for p in places[:SHOWN_PLACES * 2])
        if len(places) > SHOWN_PLACES * 2:
            listing += ", \u2026"
        return error("anchor-ambiguous",
                     f"the quote appears {len(matches)} times in the story ({listing})",
                     annotation.quote_position,
                     hint="; ".join(hints) or "add a prefix: or suffix: to choose one",
                     related=places[:SHOWN_PLACES * 2])

    def context_words(self, match: Match, before: bool, words: int) -> tuple[str, str, bool]:
        """(folded, original, inside) context of `words` whole words next to a match;
        the original is the story's own characters (curly quotes and all) when the
        context stays inside the match's run (`inside`)."""
        doc = self.document
        if before:
            j = match.at
            while j > 0 and doc[j - 1] in " \"'":
                j -= 1
            i = j
            for _ in range(words):
                i = doc.rfind(" ", 0, i - 1) + 1 if i > 0 else 0
            folded = doc[i:j]
        else:
            i = match.at + (match.end - match.start)
            while i < len(doc) and doc[i] in " \"'":
                i += 1
            j = i
            for _ in range(words):
                nxt = doc.find(" ", j + 1)
                j = len(doc) if nxt == -1 else nxt
            folded = doc[i:j]
        k, start = self.run_at(i) if i < len(doc) else (len(self.runs) - 1, 0)
        run = self.runs[k]
        original = folded
        inside = bool(folded) and run is match.run and start + len(folded) <= len(
            run.folded.text) and k == self.run_at(max(j - 1, 0))[0]
        if inside:
            original = run.original(start, start + len(folded))
        return folded, original, inside

    def disambiguation(self, matches: list[Match], index: int) -> tuple[str, str] | None:
        """("prefix" or "suffix", text as the story shows it): the shortest context
        (in whole words) that singles out match `index`, or None."""
        for crossing in (False, True):  # words of the same paragraph first
            for words in range(1, 8):
                for before in (True, False):
                    found = self._single_out(matches, index, before, words, crossing)
                    if found:
                        return found
        return None

    def _single_out(self, matches: list[Match], index: int, before: bool, words: int,
                    crossing: bool) -> tuple[str, str] | None:
        mine, original, inside = self.context_words(matches[index], before, words)
        if not mine.strip() or (inside == crossing):
            return None
        key = "prefix" if before else "suffix"
        hits = [j for j, m in enumerate(matches)
                if (self._before(m.at, mine) if before else
                    self._after(m.at + m.end - m.start, mine))[0]]
        return (key, original) if hits == [index] else None

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


def _trigrams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole words (UAX #29) around text[start:end], for messages."""
    while start > 0 and not is_word_boundary(text, start):
        start -= 1
    while end < len(text) and not is_word_boundary(text, end):
        end += 1
    return start, end


def _trimmed(best: tuple[float, TextRun, int, int] | None) -> tuple[TextRun, int, int] | None:
    if best is None:
        return None
    _, run, start, end = best
    hay = run.folded.text
    while start < end and hay[start] in " \"'.,;:()":
        start += 1
    while end > start and hay[end - 1] in " \"'.,;:()":
        end -= 1
    if end <= start:
        return None
    o_start, o_end = run.folded.span(start, end)
    return run, o_start, o_end


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
    link_depth = _link_depth(children, open_at)
    uses_marker = link_depth > 0 or any(t.type == "link_open" for t in inner)

    ids = element_ids(annotation.id)
    opener = Token("annotation_open", "a", 1)
    closer = Token("annotation_close", "a", -1)
    marker = None
    note_attrs = {"id": ids["quote"], "href": f"#{ids['note']}",
                  "aria-describedby": ids["about"], "data-note": annotation.id}
    if uses_marker:  # no link inside a link: mark the text, put the note link after it
        opener.tag = closer.tag = "span"
        opener.attrs = {"class": "anno anno-with-link"}
        marker = Token("annotation_marker", "a", 0)
        marker.attrs = {"class": "anno-marker", **note_attrs}
    else:
        opener.attrs = {"class": "anno", **note_attrs}

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
    if marker is not None:  # after the passage, outside every link around it
        at = children.index(closer) + 1
        depth = _link_depth(children, at)
        while depth > 0 and at < len(children):
            if children[at].type == "link_close":
                depth -= 1
            elif children[at].type == "link_open":
                depth += 1
            at += 1
        children.insert(at, marker)


def element_ids(annotation_id: str) -> dict[str, str]:
    """The ids an annotation gives the page: the quote, its note (the permalink
    #note-ID) and the note's text (the quote's accessible description). Each kind has
    its own prefix and no prefix is a prefix of another, so ids of different
    annotations never collide ("a" and "a-text" once did)."""
    return {"quote": f"quote-{annotation_id}", "note": f"note-{annotation_id}",
            "about": f"about-{annotation_id}"}


def _link_depth(children: list[Token], index: int) -> int:
    """How many links are open just before children[index]."""
    depth = 0
    for token in children[:index]:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
    return depth
