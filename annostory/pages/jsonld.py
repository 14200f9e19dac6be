"""Open annotations: a story's notes as a W3C Web Annotation collection.

`site/<slug>/annotations.jsonld` holds an `AnnotationCollection` (JSON-LD, context
`http://www.w3.org/ns/anno.jsonld`) with one `Annotation` per quote: its target is
the story page, selected both by a `TextQuoteSelector` (exact, prefix, suffix) and a
`TextPositionSelector` (start, end), and its body is the note as a `TextualBody`.
Annotation tools can import it.

Every id is an absolute address, so the file is written only when the site has one
(`base_url`); the build says so otherwise. Prefix and suffix are at most 32 UTF-16
units of whole words (what Hypothesis's anchoring libraries can match); positions
count code points, as the model requires.

The selectors are computed from the page as built, so they are exact by
construction: the page's text is the text of its `<body>` (scripts and styles left
out), in document order, and each quote is found by the element that marks it
(`pagetext.read_page`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import quote as url_quote

from .base import PageContext, Pages, StoryView
from .notes import NoteView
from .pagetext import plain_words, read_page
from .text import plain_text
from .urls import absolute_base

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_UNITS = 32  # of prefix and suffix, in UTF-16 code units (Hypothesis's own size)


def _units(text: str) -> int:
    """The length of `text` in UTF-16 code units (as JavaScript counts it)."""
    return len(text.encode("utf-16-le")) // 2


def _last_units(text: str, limit: int) -> str:
    """The longest end of `text` of at most `limit` UTF-16 units."""
    taken = text[-limit:] if limit else ""
    while _units(taken) > limit:  # a character outside the BMP counts two
        taken = taken[1:]
    return taken


def _first_units(text: str, limit: int) -> str:
    """The longest start of `text` of at most `limit` UTF-16 units."""
    taken = text[:limit]
    while _units(taken) > limit:
        taken = taken[:-1]
    return taken


def prefix_of(text: str, start: int, limit: int = CONTEXT_UNITS) -> str:
    """The text just before `start`: at most `limit` UTF-16 units, whole words (a cut
    word is left out, unless no whole word fits)."""
    taken = _last_units(text[max(0, start - limit):start], limit)
    if len(taken) < start and taken and not taken[0].isspace() and \
            not text[start - len(taken) - 1].isspace():
        cut = next((i for i, ch in enumerate(taken) if ch.isspace()), -1)
        if cut >= 0:
            taken = taken[cut:]
    return taken


def suffix_of(text: str, end: int, limit: int = CONTEXT_UNITS) -> str:
    """The text just after `end`: at most `limit` UTF-16 units, whole words."""
    taken = _first_units(text[end:end + limit], limit)
    after = end + len(taken)
    if after < len(text) and taken and not taken[-1].isspace() and \
            not text[after].isspace():
        cut = max((i for i, ch in enumerate(taken) if ch.isspace()), default=-1)
        if cut >= 0:
            taken = taken[:cut + 1]
    return taken


def collection(html: str, notes: list[NoteView], page_url: str, title: str,
               language: str, creator: str) -> bytes:
    """annotations.jsonld for a story page at `page_url` (absolute)."""
    page = read_page(html)
    text = page.text
    collection_id = f"{page_url}annotations.jsonld"
    items = []
    for note in notes:
        if note.id not in page.places:
            continue
        start, end = page.places[note.id]
        body_parts = [f"Said by {note.speaker}" + (f", {note.speaker_role}"
                                                   if note.speaker_role else "")
                      if note.speaker else "", note.date_text, note.source_text,
                      note.verification, _plain(note.note)]
        items.append({
            "@context": CONTEXT,  # each annotation can be read on its own
            "id": f"{page_url}#{url_quote(note.ids['note'])}",
            "type": "Annotation",
            "motivation": "commenting",
            "creator": {"type": "Organization", "name": creator},
            "body": {"type": "TextualBody", "format": "text/plain", "language": language,
                     "value": ". ".join(part.rstrip(".") for part in body_parts if part) + "."},
            "target": {
                "source": page_url,
                "selector": [
                    {"type": "TextQuoteSelector", "exact": text[start:end],
                     "prefix": prefix_of(text, start), "suffix": suffix_of(text, end)},
                    # positions in code points, as the model counts them
                    {"type": "TextPositionSelector", "start": start, "end": end},
                ],
            },
        })
    data = {"@context": CONTEXT, "id": collection_id,
            "type": "AnnotationCollection", "label": f"Notes on \u201c{title}\u201d",
            "total": len(items),
            "first": {"id": f"{collection_id}#page-1", "type": "AnnotationPage",
                      "partOf": collection_id, "startIndex": 0, "items": items},
            "last": f"{collection_id}#page-1"}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@lru_cache(maxsize=4096)
def _plain(html: str) -> str:
    return plain_words(html)


def annotations_file(context: PageContext, view: StoryView) -> Pages:
    """annotations.jsonld, read from the story page as made (registered after it);
    only when the site has an absolute address (every id in it is one)."""
    settings, story = context.settings, view.story
    base = absolute_base(settings)
    if not base:
        return Pages()
    page_url = f"{base}{url_quote(story.slug)}/"
    creator = story.front.publisher or settings.organization or settings.title
    html = view.made["index.html"].decode("utf-8")
    return Pages({"annotations.jsonld": collection(
        html, view.notes, page_url, plain_text(story.front.title), settings.language,
        creator)})
