"""The text of the HTML this tool writes, read in one regular-expression pass.

Annotation tools count a page's text as a browser does: the text of `<body>`, with
scripts, styles, templates and comments left out, character references decoded. This
module reads that text from a built page, and where the text of each marked quote
starts and ends in it (`read_page`), and gives a note's HTML as plain words
(`plain_words`).

It reads HTML we made (Jinja templates with escaping on, markdown-it-py without raw
HTML), so it needs no tree: a tag is `<name attributes>` with quoted attribute values
that may hold `>`, and the raw-text elements are skipped whole. The standard library's
`html.parser` reads the same pages to the same text (the tests compare them) at about
ten times the cost; foreign HTML, such as an email's, still goes through it
(`originals.html_text`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

_ATTRIBUTES = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
# Left out of the text: comments, and the elements whose content is not the page's text.
_SKIPPED = re.compile(rf"<!--.*?(?:-->|\Z)|<(script|style|template)\b{_ATTRIBUTES}>"
                      r".*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(rf"<(/?)([A-Za-z][^\s/>]*)({_ATTRIBUTES})>|<[!?][^>]*>")
_QUOTE_TAGS = re.compile(rf"<(/?)(a|span)\b({_ATTRIBUTES})>", re.IGNORECASE)
_BODY = re.compile(rf"<body\b{_ATTRIBUTES}>", re.IGNORECASE)
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
# Tags that separate words when a note is read as plain text.
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "blockquote"})


def attributes(text: str) -> dict[str, str]:
    """The attributes of a tag's attribute text (`class="a b" id=x`), decoded."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match.group(1).lower()
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        found.setdefault(name, unescape(value))
    return found


@dataclass
class PageText:
    """A page's text, and the (start, end) of each marked quote's text in it, by
    annotation id."""

    text: str
    places: dict[str, tuple[int, int]] = field(default_factory=dict)


def read_page(html: str) -> PageText:
    """The text of the page's body, and where each quote's text is. A quote is marked
    by `<a class="anno" id="quote-ID">`, or, when it holds a link, by
    `<span class="anno-with-link">` followed by its `<a class="anno-marker"
    id="quote-ID">`. Only `a` and `span` tags are looked at one by one; the text
    between the places that matter is taken a stretch at a time."""
    body = _BODY.search(html) or _HEAD_END.search(html)  # <body> may be left implied
    rest = _SKIPPED.sub("", html[body.end():] if body else html)
    parts: list[str] = []
    done = 0  # how much of `rest` is in `parts`
    length = 0

    def offset(at: int) -> int:
        nonlocal done, length
        if at > done:
            chunk = unescape(_TAG.sub("", rest[done:at]))
            parts.append(chunk)
            length += len(chunk)
            done = at
        return length

    places: dict[str, tuple[int, int]] = {}
    open_quotes: list[list] = []  # [tag, quote id (None: a span), start, depth]
    last_span: tuple[int, int] | None = None
    for match in _QUOTE_TAGS.finditer(rest):
        closing, name, attribute_text = match.groups()
        innermost = open_quotes[-1] if open_quotes else None
        if innermost is None and (closing or "anno" not in attribute_text):
            continue
        name = name.lower()
        if closing:
            if innermost is not None and innermost[0] == name:
                innermost[3] -= 1
                if innermost[3] == 0:
                    open_quotes.pop()
                    end = (innermost[2], offset(match.start()))
                    if innermost[1] is None:
                        last_span = end
                    else:
                        places[innermost[1]] = end
            continue
        if attribute_text.rstrip().endswith("/"):
            continue
        found = attributes(attribute_text) if "anno" in attribute_text else {}
        classes = found.get("class", "").split()
        quote_id = found.get("id", "")
        if name == "a" and "anno" in classes and quote_id.startswith("quote-"):
            open_quotes.append([name, quote_id.removeprefix("quote-"), offset(match.end()), 1])
        elif name == "span" and "anno-with-link" in classes:
            open_quotes.append([name, None, offset(match.end()), 1])
        elif name == "a" and "anno-marker" in classes and last_span is not None:
            places[quote_id.removeprefix("quote-")] = last_span  # names the span before it
            last_span = None
        elif innermost is not None and innermost[0] == name:
            innermost[3] += 1
    offset(len(rest))
    return PageText("".join(parts), places)


def plain_words(html: str) -> str:
    """A fragment of our HTML (a note) as plain words, one space between them."""
    def replace(match: re.Match) -> str:
        name = (match.group(2) or "").lower()
        return " " if name in _BREAKS else ""
    return " ".join(unescape(_TAG.sub(replace, _SKIPPED.sub("", html))).split())
