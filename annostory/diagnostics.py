"""Diagnostics: errors and warnings as data, with a position, printed together.

Every step of the pipeline returns a list of `Diagnostic` instead of raising.
This module owns their shape, their order and how they are printed (text with an
excerpt and a caret under the column, or JSON for editors and CI).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


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
    code: str  # short stable name, e.g. "anchor-not-found"
    message: str
    position: Position
    hint: str = ""
    related: tuple[Position, ...] = field(default_factory=tuple)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        p = self.position
        return (p.file, p.line, p.column, self.severity != "error", self.code, self.message)


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


def excerpt(lines: list[str], line: int, column: int) -> str:
    """The source line and a caret under `column` (both 1-based), or ''."""
    if not (1 <= line <= len(lines)):
        return ""
    text = lines[line - 1].rstrip("\n").expandtabs(1)
    text = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in text)
    caret = " " * (max(column, 1) - 1) + "^"
    gutter = f"{line:>5} | "
    return f"{gutter}{text}\n{' ' * (len(gutter) - 2)}| {caret}"


class SourceLines:
    """Reads (and caches) the lines of files named in diagnostics, for excerpts."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._cache: dict[str, list[str]] = {}

    def remember(self, file: str, text: str) -> None:
        self._cache[file] = text.split("\n")

    def lines(self, file: str) -> list[str]:
        if file not in self._cache:
            path = Path(file) if self.root is None else self.root / file
            try:
                raw = path.read_bytes()[: 4 * 1024 * 1024]
                self._cache[file] = raw.decode("utf-8", "replace").lstrip("\ufeff").replace(
                    "\r\n", "\n").split("\n")
            except OSError:
                self._cache[file] = []
        return self._cache[file]


def format_text(diagnostics: Iterable[Diagnostic], sources: SourceLines | None = None) -> str:
    """Human-readable report, one block per diagnostic, in file order."""
    out: list[str] = []
    for d in sorted_diagnostics(diagnostics):
        out.append(f"{d.position}: {d.severity}: {d.message} [{d.code}]")
        if sources is not None and d.position.line > 0:
            ex = excerpt(sources.lines(d.position.file), d.position.line, d.position.column)
            if ex:
                out.append(ex)
        for rel in d.related:
            out.append(f"    see {rel}")
        if d.hint:
            out.append(f"    hint: {d.hint}")
    return "\n".join(out)


def to_json_list(diagnostics: Iterable[Diagnostic]) -> list[dict]:
    rows = []
    for d in sorted_diagnostics(diagnostics):
        row = asdict(d)
        pos = row.pop("position")
        rows.append({
            "file": pos["file"], "line": pos["line"], "column": pos["column"],
            "severity": d.severity, "code": d.code, "message": d.message, "hint": d.hint,
            "related": [str(r) for r in d.related],
        })
    return rows


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(to_json_list(diagnostics), indent=2, ensure_ascii=False)
