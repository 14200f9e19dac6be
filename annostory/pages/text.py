"""Text made for pages: inline Markdown as HTML or as plain words, and JSON-LD that no
text can break out of."""

from __future__ import annotations

import json
from functools import lru_cache

from markupsafe import Markup

from ..core.characters import script_safe
from ..inputs.markdown import render_note, story_markdown


def inline_markdown(text: str) -> Markup:
    """A note, a reason or a correction (inline Markdown, links checked) as HTML."""
    return Markup(render_note(text)[0]) if text else Markup("")


@lru_cache(maxsize=1024)
def plain_text(markdown: str) -> str:
    """Inline Markdown as the words a reader sees (for meta tags and feeds)."""
    md = story_markdown()
    tokens = md.parseInline(markdown, {})
    parts = [child.content for token in tokens for child in token.children or []
             if child.type in ("text", "code_inline")]
    return " ".join("".join(parts).split())


def json_ld(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json"> element: `<`, `>` and `&` escaped
    so no text can close the element."""
    return Markup(script_safe(json.dumps(data, ensure_ascii=False, sort_keys=True)))


def coverage_text(covered: int, quotations: int) -> str:
    """How many of a story's quotations carry a note: the same words on its page, its
    card, and in the feed."""
    if not quotations:
        return "No quotations"
    verb = "carries" if quotations == 1 else "carry"
    noun = "quotation" if quotations == 1 else "quotations"
    return f"{covered} of {quotations} {noun} {verb} a note"


def sentence_end(text: str) -> str:
    """`text` ending as a sentence does (a period added when it has no mark)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?\u2026\u201d\"'" else text + "."
