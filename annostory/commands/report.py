"""Diagnostics printed for people (text: an excerpt of the line with a caret under the
column, related places, a hint) and for editors and CI (JSON).

Only files the reader would accept are shown (`inputs.files`): a file that was
refused, say a link to /etc/passwd, never has its contents printed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..core.characters import printable as escaped
from ..core.diagnostics import SHOWN_PER_CODE, Diagnostic, condense, sorted_diagnostics
from ..core.invocation import shown
from ..inputs.files import read_checked_bytes, text_lines

EXCERPT_WIDTH = 100  # characters of a long line shown around the column


def printable(text: str) -> str:
    """Text of a diagnostic as printed: commands written out for where the user stands
    (`core.invocation`), unsafe characters escaped."""
    return escaped(shown(text))


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
    """The lines of files named in diagnostics, for excerpts, read through the same
    checks and the same decoding (line endings included) as the build."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._cache: dict[str, list[str]] = {}

    def lines(self, file: str) -> list[str]:
        if file not in self._cache:
            raw = None
            if self.root is not None:
                raw, _ = read_checked_bytes(self.root / file, self.root, file)
            self._cache[file] = [] if raw is None else text_lines(raw)
        return self._cache[file]


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
    return [{"file": printable(d.position.file), "line": d.position.line,
             "column": d.position.column, "severity": d.severity, "code": d.code,
             "message": printable(d.message), "hint": printable(d.hint),
             "related": [printable(str(r)) for r in d.related]}
            for d in sorted_diagnostics(diagnostics)]


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(to_json_list(diagnostics), indent=2, ensure_ascii=False)
