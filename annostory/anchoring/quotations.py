"""Find every quotation in a story, for quote coverage.

A quotation is a passage between double quotation marks (after the typographer:
“…”), with ‘…’ inside it belonging to it; in the headline and dek, single quotes
‘…’ count too (headline style). A quotation that continues over a paragraph
break in the English convention (no closing mark, next paragraph opens with “)
is one quotation with several segments. Quote marks inside `code` are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.diagnostics import Diagnostic, Position, warning
from ..inputs.textindex import TextRun
from .anchors import Anchor

_OPEN_DOUBLE, _CLOSE_DOUBLE = "\u201c", "\u201d"
_OPEN_SINGLE, _CLOSE_SINGLE = "\u2018", "\u2019"
_TRAILING = " ,;:\u2014\u2013-"
_MARKS = re.compile('["\u201c\u201d\u2018\u2019]')


@dataclass
class Segment:
    run: TextRun
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.run.text[self.start:self.end]


@dataclass
class Quotation:
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    def position(self) -> Position:
        first = self.segments[0]
        return first.run.position(first.start)

    def anchored_in(self, anchors: list[Anchor] | AnchorIndex) -> list[Anchor]:
        """The annotations anchored in this quotation (fully or in part)."""
        index = anchors if isinstance(anchors, AnchorIndex) else AnchorIndex(anchors)
        return [a for s in self.segments for a in index.in_run(s.run)
                if a.start < s.end and s.start < a.end]

    def covered_by(self, anchors: list[Anchor] | AnchorIndex) -> bool:
        """Does any annotation anchor in this quotation (fully or in part)?"""
        return bool(self.anchored_in(anchors))

    def uncovered_words(self, anchors: list[Anchor] | AnchorIndex) -> str:
        """The words of the quotation no annotation covers ('' when all are)."""
        index = anchors if isinstance(anchors, AnchorIndex) else AnchorIndex(anchors)
        left: list[str] = []
        for segment in self.segments:
            covered = [False] * (segment.end - segment.start)
            for a in index.in_run(segment.run):
                if a.run is segment.run:
                    for i in range(max(a.start, segment.start), min(a.end, segment.end)):
                        covered[i - segment.start] = True
            text = segment.text
            left.append("".join(ch if not done else " " for ch, done in zip(text, covered)))
        words = [w for w in " ".join(left).split() if any(c.isalnum() for c in w)]
        return " ".join(words)

    def coverage(self, anchors: list[Anchor] | AnchorIndex) -> str:
        """'full', 'partial' or 'none'."""
        index = anchors if isinstance(anchors, AnchorIndex) else AnchorIndex(anchors)
        if not self.covered_by(index):
            return "none"
        return "partial" if self.uncovered_words(index) else "full"


class AnchorIndex:
    """Anchors by the run they are in, so coverage is checked in time linear in the
    story (a quotation looks only at its own paragraphs' anchors)."""

    def __init__(self, anchors: list[Anchor]) -> None:
        self.by_run: dict[int, list[Anchor]] = {}
        for anchor in anchors:
            self.by_run.setdefault(id(anchor.run), []).append(anchor)

    def in_run(self, run: TextRun) -> list[Anchor]:
        return self.by_run.get(id(run), [])


def _segment(run: TextRun, start: int, end: int) -> Segment:
    while end > start and run.text[end - 1] in _TRAILING:
        end -= 1
    return Segment(run, start, end)


def _in_code(run: TextRun, index: int) -> bool:
    return run.child_type(index) == "code_inline"


def find_quotations(runs: list[TextRun]) -> tuple[list[Quotation], list[Diagnostic]]:
    quotations: list[Quotation] = []
    diagnostics: list[Diagnostic] = []
    carry: Quotation | None = None  # a quotation continuing from the previous paragraph
    for run_index, run in enumerate(runs):
        text = run.text
        headline = run.part in ("title", "dek")
        current: Quotation | None = None
        open_at: int | None = None
        single_at: int | None = None
        if carry is not None and text.startswith(_OPEN_DOUBLE):
            current, open_at = carry, 0
        elif carry is not None:
            diagnostics.append(_unclosed(carry))
            quotations.append(carry)
        carry = None
        for match in _MARKS.finditer(text):
            i, ch = match.start(), match.group()
            if _in_code(run, i):
                continue
            if ch in (_OPEN_DOUBLE, '"') and open_at is None:
                open_at = i
                current = Quotation()
            elif ch in (_CLOSE_DOUBLE, '"') and open_at is not None:
                assert current is not None
                current.segments.append(_segment(run, open_at + 1, i))
                quotations.append(current)
                open_at, current = None, None
            elif headline and open_at is None and ch == _OPEN_SINGLE:
                single_at = i
            elif headline and open_at is None and ch == _CLOSE_SINGLE and single_at is not None:
                following = text[i + 1:i + 2]
                if not following.isalpha():
                    quotations.append(Quotation([_segment(run, single_at + 1, i)]))
                    single_at = None
        if open_at is not None and current is not None:
            current.segments.append(_segment(run, open_at + 1, len(text)))
            next_run = runs[run_index + 1] if run_index + 1 < len(runs) else None
            if next_run is not None and next_run.part == run.part:
                carry = current
            else:
                diagnostics.append(_unclosed(current))
                quotations.append(current)
    if carry is not None:
        diagnostics.append(_unclosed(carry))
        quotations.append(carry)
    return [q for q in quotations if q.segments and q.text.strip()], diagnostics


def _unclosed(quotation: Quotation) -> Diagnostic:
    first = quotation.segments[0]
    return warning("unclosed-quotation", "this quotation mark is never closed",
                   first.run.position(max(first.start - 1, 0)),
                   hint="close the quotation, or, if it continues in the next paragraph, "
                        "open that paragraph with a quotation mark")
