"""Where each visible character of an inline token comes from in its Markdown source.

markdown-it gives block tokens a line range but inline tokens no positions. A
reader sees `*all*` where the source has `\\*all\\*`, `café` where it has
`cafe&#x301;`, `“` where it has `"`, `…` for `...`, a link's text without its
`[`, `](address)`; positions in diagnostics must still be exact. `align` walks the
children of an inline token alongside its source (`token.content`) and returns,
for every character of the visible text (as `anchoring.text_of_children` builds
it), its offset in the source. Each construct is undone by a small rule:
backslash escapes, entities, typographic replacements and quotes, emphasis
markers, links and autolinks, images, code spans, line breaks.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_SYMBOLS = re.compile(r"\((?:c|r|tm)\)|\+-", re.IGNORECASE)
_MAX_SKIP = 16  # source characters skipped inside a text before giving up on a char


@dataclass(frozen=True)
class Child:
    """What `align` needs of an inline child token (a snapshot: tokens change later)."""

    type: str
    content: str
    markup: str


def _skip_balanced(src: str, c: int, open_ch: str, close_ch: str) -> int:
    """From an opening bracket at `c`, the index after its closing one."""
    depth = 0
    i = c
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch in "\"'" and open_ch == "(" and depth == 1 and i > c + 1:
            end = src.find(ch, i + 1)  # a title: brackets inside it do not count
            if end != -1:
                i = end
        i += 1
    return len(src)


def _skip_link_end(src: str, c: int) -> int:
    """After a link's text: `]` then `(destination "title")`, `[label]` or nothing."""
    at = src.find("]", c)
    if at == -1:
        return c
    c = at + 1
    if c < len(src) and src[c] == "(":
        return _skip_balanced(src, c, "(", ")")
    if c < len(src) and src[c] == "[":
        end = src.find("]", c)
        return end + 1 if end != -1 else c
    return c


def _align_text(visible: str, src: str, c: int, out: list[int]) -> int:
    i = 0
    n = len(src)
    while i < len(visible):
        ch = visible[i]
        skipped = 0
        while True:
            if c >= n or skipped > _MAX_SKIP:
                out.append(min(c, max(n - 1, 0)))
                i += 1
                break
            s = src[c]
            if s == ch:
                out.append(c)
                c += 1
                i += 1
                break
            if s == "\\" and c + 1 < n and src[c + 1] == ch and ch in _ASCII_PUNCT:
                out.append(c)
                c += 2
                i += 1
                break
            if s == "&":
                match = _ENTITY.match(src, c)
                if match:
                    decoded = html.unescape(match.group())
                    if decoded and visible.startswith(decoded, i):
                        out.extend([c] * len(decoded))
                        i += len(decoded)
                        c = match.end()
                        break
            if (ch in "\u201c\u201d" and s == '"') or (ch in "\u2018\u2019" and s == "'"):
                out.append(c)
                c += 1
                i += 1
                break
            if ch == "\u2026" and src.startswith("..", c):
                out.append(c)
                while c < n and src[c] == ".":
                    c += 1
                i += 1
                break
            if ch in "\u2013\u2014" and src.startswith("--", c):
                out.append(c)
                c += 3 if ch == "\u2014" and src.startswith("---", c) else 2
                i += 1
                break
            if ch in "\u00a9\u00ae\u2122\u00b1":
                match = _SYMBOLS.match(src, c)
                if match:
                    out.append(c)
                    c = match.end()
                    i += 1
                    break
            c += 1  # markup the reader does not see (or a character the typographer dropped)
            skipped += 1
    return c


def _align_code(child: Child, src: str, c: int, out: list[int]) -> int:
    ticks = child.markup or "`"
    at = src.find(ticks, c)
    if at == -1:
        out.extend([c] * len(child.content))
        return c
    start = at + len(ticks)
    end = src.find(ticks, start)
    end = len(src) if end == -1 else end
    raw = src[start:end]
    offset = 1 if len(raw) >= 2 and raw[0] in " \n" and raw[-1] in " \n" and raw.strip() else 0
    out.extend(min(start + offset + k, max(end - 1, start)) for k in range(len(child.content)))
    return end + len(ticks)


def align(children: list[Child], src: str, starts: dict[int, int] | None = None) -> list[int]:
    """For every character of the visible text of `children`, its offset in `src`.
    `starts`, when given, receives the offset where each link and image begins."""
    out: list[int] = []
    c = 0
    links: list[str] = []  # markup of the open links ("autolink" or "")
    starts = {} if starts is None else starts
    for index, child in enumerate(children):
        kind = child.type
        if kind == "text":
            c = _align_text(child.content, src, c, out)
        elif kind == "code_inline":
            c = _align_code(child, src, c, out)
        elif kind in ("softbreak", "hardbreak"):
            newline = src.find("\n", c)
            if newline == -1:
                out.append(min(c, max(len(src) - 1, 0)))
                continue
            out.append(newline)
            c = newline + 1
            while c < len(src) and src[c] in " \t":
                c += 1
        elif kind.endswith("_open") and kind != "link_open" or \
                kind.endswith("_close") and kind != "link_close":
            if child.markup:
                at = src.find(child.markup, c)
                if at != -1 and at - c <= _MAX_SKIP:
                    c = at + len(child.markup)
        elif kind == "link_open":
            links.append(child.markup)
            at = src.find("<" if child.markup == "autolink" else "[", c)
            if at != -1:
                starts[index] = at
                c = at + 1
        elif kind == "link_close":
            markup = links.pop() if links else ""
            if markup == "autolink":
                at = src.find(">", c)
                c = at + 1 if at != -1 else c
            else:
                c = _skip_link_end(src, c)
        elif kind == "image":
            at = src.find("![", c)
            if at != -1:
                starts[index] = at
                c = _skip_link_end(src, _skip_balanced(src, at + 1, "[", "]") - 1)
    return out


def line_starts(content: str) -> list[int]:
    """Offsets in `content` where each of its lines begins."""
    starts = [0]
    at = content.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = content.find("\n", at + 1)
    return starts


def content_line_indent(source_line: str, content_line: str) -> int:
    """Column (0-based) where a line of an inline token's content starts in its source
    line (block markers such as `> ` or list indentation come before it)."""
    stripped = source_line.rstrip()
    wanted = content_line.rstrip()
    if wanted and stripped.endswith(wanted):
        return len(stripped) - len(wanted)
    found = source_line.find(content_line[:40]) if content_line else -1
    return max(found, 0)
