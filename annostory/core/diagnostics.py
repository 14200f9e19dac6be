"""Diagnostics: errors and warnings as data, with a position.

Every step returns a list of `Diagnostic` instead of raising. This module owns their
shape and their order; `commands.report` prints them (text with an excerpt and a
caret under the column, or JSON for editors and CI). Every code is listed, with its
meaning and what to do, in `core.codes`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from .codes import CODES

Severity = Literal["error", "warning"]

# Tests set this: then every diagnostic's code must be in core.codes, with its severity.
STRICT_CODES = False


@dataclass(frozen=True)
class Position:
    """A place in a file: 1-based line, 1-based column counted in characters."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        return f"{self.file}:{self.line}:{max(self.column, 1)}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input."""

    severity: Severity
    code: str  # short stable name, e.g. "anchor-not-found" (see core.codes)
    message: str
    position: Position
    hint: str = ""
    related: tuple[Position, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if STRICT_CODES:
            entry = CODES.get(self.code)
            if entry is None or (entry.severity != self.severity and not entry.settable):
                raise ValueError(f"{self.severity} {self.code!r} is not in core.codes")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        p = self.position
        return (p.file, p.line, p.column, self.severity != "error", self.code, self.message)

    def as_error(self) -> Diagnostic:
        """The same problem as an error (for a code whose severity a setting chooses)."""
        return Diagnostic("error", self.code, self.message, self.position, self.hint,
                          self.related)

    def at(self, position: Position) -> Diagnostic:
        """The same problem reported at another place (say, the YAML line that named
        the file that was refused)."""
        return Diagnostic(self.severity, self.code, self.message, position, self.hint,
                          self.related)


def error(code: str, message: str, position: Position, hint: str = "",
          related: Iterable[Position] = ()) -> Diagnostic:
    return Diagnostic("error", code, message, position, hint, tuple(related))


def warning(code: str, message: str, position: Position, hint: str = "",
            related: Iterable[Position] = ()) -> Diagnostic:
    return Diagnostic("warning", code, message, position, hint, tuple(related))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file, line, column; exact duplicates dropped."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


SHOWN_PER_CODE = 5  # diagnostics of one code in one file printed before "and N more"


def condense(diagnostics: Iterable[Diagnostic], per_code: int = SHOWN_PER_CODE
             ) -> tuple[list[Diagnostic], dict[tuple[str, str], int]]:
    """Sorted diagnostics, keeping the first `per_code` of each code in each file, and
    how many of each (file, code) were left out."""
    shown: list[Diagnostic] = []
    counts: dict[tuple[str, str], int] = {}
    for d in sorted_diagnostics(diagnostics):
        key = (d.position.file, d.code)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= per_code:
            shown.append(d)
    omitted = {key: n - per_code for key, n in counts.items() if n > per_code}
    return shown, omitted
