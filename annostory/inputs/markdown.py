"""The Markdown dialect: how stories and notes are parsed (one place to configure it).

CommonMark with the typographer (smart quotes, ellipses, dashes), raw HTML off
(so `<script>` in a story is shown as text, never run), and every link checked:
only http, https and mailto links, and in stories also links inside the site
(relative and #fragment), are published.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from .textindex import text_index_plugin

SAFE_SCHEMES = ("http", "https", "mailto")


def link_problem(url: str, *, allow_relative: bool) -> str:
    """Why `url` may not be published, or '' when it may."""
    cleaned = url.strip()
    if not cleaned.isprintable() or cleaned.split() != [cleaned]:  # rare: hidden characters
        cleaned = "".join(ch for ch in cleaned if ch.isprintable() and not ch.isspace())
    scheme = urlsplit(cleaned).scheme.lower() if ":" in cleaned else ""
    if scheme:
        if scheme in SAFE_SCHEMES:
            return ""
        return f"{scheme}: links are not allowed"
    if cleaned.startswith("//"):
        return "links must name their scheme (https://...)"
    if not allow_relative:
        return "links in notes must be full addresses (https://... or mailto:...)"
    return ""


def _base(md: MarkdownIt) -> MarkdownIt:
    md.options["typographer"] = True
    md.enable(["replacements", "smartquotes"])
    md.disable(["html_block", "html_inline"])
    md.validateLink = lambda url: True  # checked (with a diagnostic) by `unsafe_links`
    return md


# markdown-it silently drops text nested deeper than its `maxNesting`; we let it
# parse far deeper and refuse anything past MAX_NESTING ourselves, with a position.
PARSER_NESTING = 100
MAX_NESTING = 16


@cache
def story_markdown() -> MarkdownIt:
    md = _base(MarkdownIt("commonmark", {"html": False, "maxNesting": PARSER_NESTING}))
    md.use(front_matter_plugin)
    md.use(text_index_plugin)
    return md


@cache
def note_markdown() -> MarkdownIt:
    """Notes: inline Markdown only (emphasis, code, links)."""
    md = _base(MarkdownIt("commonmark", {"html": False}))
    md.disable(["image"])
    return md


def walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from walk(token.children)


def unsafe_links(tokens: list[Token], *, allow_relative: bool) -> list[tuple[Token, str]]:
    """(token, problem) for each link or image whose address may not be published."""
    found = []
    for token in walk(tokens):
        url = token.attrGet("href") if token.type == "link_open" else (
            token.attrGet("src") if token.type == "image" else None)
        if url is None:
            continue
        problem = link_problem(str(url), allow_relative=allow_relative)
        if problem:
            found.append((token, problem))
    return found


def without_links(tokens: list[Token]) -> list[Token]:
    """Inline tokens with every link reduced to its text (and images to nothing):
    for places that are themselves a link, such as an index card's headline."""
    result = []
    for token in tokens:
        if token.type in ("link_open", "link_close", "image"):
            continue
        if token.children:
            token = token.copy()
            token.children = without_links(token.children)
        result.append(token)
    return result


# What markdown-it-py (inline CommonMark, typographer) acts on in a note: escapes,
# code, emphasis, links, autolinks, entities, quotes, replacements, line breaks. A
# note with none of it renders as its own text.
_MARKUP = re.compile(r"""[\\`*_\[\]<>!&"'~\n\r\t\x00]|\.\.|--|\+-|,,|\?\?|\((?:c|r|tm|p)\)""",
                     re.IGNORECASE)


@lru_cache(maxsize=8192)
def render_note(text: str) -> tuple[str, tuple[str, ...]]:
    """A note (inline Markdown) parsed once: its HTML and why any of its links may
    not be published (notes take full addresses only). A note without any Markdown
    is its own HTML: the parser is skipped."""
    if not _MARKUP.search(text) and text == text.strip(" "):
        return text, ()
    return parsed_note(text)


def parsed_note(text: str) -> tuple[str, tuple[str, ...]]:
    """`render_note` through the parser, always."""
    md = note_markdown()
    tokens = md.parseInline(text, {})
    problems = tuple(problem for _, problem in unsafe_links(tokens, allow_relative=False))
    return md.renderer.render(tokens, md.options, {}), problems
