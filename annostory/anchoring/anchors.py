"""What anchoring finds: a `Match` (where a quote's words occur) and an `Anchor` (the
one passage an annotation is attached to)."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.diagnostics import Position
from ..core.model import Annotation
from ..inputs.textindex import TextRun


@dataclass
class Anchor:
    """An annotation and the passage it is attached to: run.text[start:end]."""

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
