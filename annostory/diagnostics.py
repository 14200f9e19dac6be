"""Diagnostics: errors and warnings as data, with a position, printed together.

Every step of the pipeline returns a list of `Diagnostic` instead of raising.
This module owns their shape, their order and how they are printed (text with an
excerpt and a caret under the column, or JSON for editors and CI).
"""

from __future__ import annotations

import json
import re
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


EXCERPT_WIDTH = 100  # characters of a long line shown around the column
SHOWN_PER_CODE = 5  # diagnostics of one code in one file printed before "and N more"

# Characters that must never reach a terminal or a page raw: C0 and C1 controls
# (ESC starts terminal escape sequences), DEL, and the bidirectional overrides,
# embeddings and isolates that reorder how text is displayed.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control character written as a visible escape (\\x1b)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xff
                       else f"\\x{ord(m.group()):02x}", text)


def excerpt(lines: list[str], line: int, column: int, width: int = EXCERPT_WIDTH) -> str:
    """The source line (a window of about `width` characters around `column` when the
    line is long) and a caret under `column` (both 1-based), or ''."""
    if not (1 <= line <= len(lines)):
        return ""
    text = lines[line - 1].rstrip("\n").expandtabs(1)
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in text)
    at = max(column, 1) - 1
    if len(text) > width:
        start = max(0, min(at - width // 2, len(text) - width))
        end = start + width
        shown = ("\u2026" if start else "") + text[start:end] + ("\u2026" if end < len(text)
                                                                 else "")
        at = at - start + (1 if start else 0)
        text = shown
    caret = " " * at + "^"
    gutter = f"{line:>5} | "
    return f"{gutter}{text}\n{' ' * (len(gutter) - 2)}| {caret}"


class SourceLines:
    """The lines of files named in diagnostics, for excerpts. Only files the reader
    would accept are shown: inside the project, regular, not too large (a file that
    was refused, say a link to /etc/passwd, never has its contents printed)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._cache: dict[str, list[str]] = {}

    def remember(self, file: str, text: str) -> None:
        self._cache[file] = text.split("\n")

    def lines(self, file: str) -> list[str]:
        if file not in self._cache:
            from .sourcefile import read_checked_bytes

            raw = None
            if self.root is not None:
                raw, _ = read_checked_bytes(self.root / file, self.root, file)
            self._cache[file] = [] if raw is None else raw.decode("utf-8", "replace").lstrip(
                "\ufeff").replace("\r\n", "\n").split("\n")
        return self._cache[file]


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


def format_text(diagnostics: Iterable[Diagnostic], sources: SourceLines | None = None) -> str:
    """Human-readable report, one block per diagnostic, in file order; after a few of
    one code in one file, "and N more"."""
    out: list[str] = []
    shown, omitted = condense(diagnostics)
    for i, d in enumerate(shown):
        out.append(printable(f"{d.position}: {d.severity}: {d.message} [{d.code}]"))
        if sources is not None and d.position.line > 0:
            ex = excerpt(sources.lines(d.position.file), d.position.line, d.position.column)
            if ex:
                out.append(ex)
        for rel in d.related[:SHOWN_PER_CODE]:
            out.append(printable(f"    see {rel}"))
        if len(d.related) > SHOWN_PER_CODE:
            out.append(f"    and {len(d.related) - SHOWN_PER_CODE} more places")
        if d.hint:
            out.append(printable(f"    hint: {d.hint}"))
        key = (d.position.file, d.code)
        last_of_kind = i + 1 == len(shown) or (shown[i + 1].position.file,
                                               shown[i + 1].code) != key
        if last_of_kind and key in omitted:
            out.append(printable(f"{d.position.file}: and {omitted[key]} more [{d.code}] "
                                 f"(run 'check --format json' to list them all)"))
    return "\n".join(out)


def to_json_list(diagnostics: Iterable[Diagnostic]) -> list[dict]:
    rows = []
    for d in sorted_diagnostics(diagnostics):
        row = asdict(d)
        pos = row.pop("position")
        rows.append({
            "file": printable(pos["file"]), "line": pos["line"], "column": pos["column"],
            "severity": d.severity, "code": d.code, "message": printable(d.message),
            "hint": printable(d.hint), "related": [printable(str(r)) for r in d.related],
        })
    return rows


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(to_json_list(diagnostics), indent=2, ensure_ascii=False)
