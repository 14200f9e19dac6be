"""Open annotations: a story's notes as a W3C Web Annotation collection.

`site/<slug>/annotations.jsonld` holds an `AnnotationCollection` (JSON-LD, context
`http://www.w3.org/ns/anno.jsonld`) with one `Annotation` per quote: its target is
the story page, selected both by a `TextQuoteSelector` (exact, prefix, suffix) and a
`TextPositionSelector` (start, end), and its body is the note as a `TextualBody`.
Annotation tools can import it.

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

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARACTERS = 32  # of prefix and suffix


def collection(html: str, notes: list[NoteView], page_url: str, title: str,
               language: str, creator: str) -> bytes:
    """annotations.jsonld for a story page (`page_url` may be relative)."""
    page = read_page(html)
    text = page.text
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
            "id": f"{page_url}#{note.ids['note']}",
            "type": "Annotation",
            "motivation": "commenting",
            "creator": {"type": "Organization", "name": creator},
            "body": {"type": "TextualBody", "format": "text/plain", "language": language,
                     "value": ". ".join(part.rstrip(".") for part in body_parts if part) + "."},
            "target": {
                "source": page_url,
                "selector": [
                    {"type": "TextQuoteSelector", "exact": text[start:end],
                     "prefix": text[max(0, start - CONTEXT_CHARACTERS):start],
                     "suffix": text[end:end + CONTEXT_CHARACTERS]},
                    {"type": "TextPositionSelector", "start": start, "end": end},
                ],
            },
        })
    data = {"@context": CONTEXT, "id": f"{page_url}annotations.jsonld"
            if page_url.endswith("/") else "annotations.jsonld",
            "type": "AnnotationCollection", "label": f"Notes on \u201c{title}\u201d",
            "total": len(items),
            "first": {"id": "#page-1", "type": "AnnotationPage", "startIndex": 0,
                      "items": items}}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


@lru_cache(maxsize=4096)
def _plain(html: str) -> str:
    return plain_words(html)


def annotations_file(context: PageContext, view: StoryView) -> Pages:
    """annotations.jsonld, read from the story page as made (registered after it)."""
    settings, story = context.settings, view.story
    page_url = f"{settings.base_url}{url_quote(story.slug)}/" if settings.base_url \
        else "index.html"
    creator = story.front.publisher or settings.organization or settings.title
    html = view.made["index.html"].decode("utf-8")
    return Pages({"annotations.jsonld": collection(
        html, view.notes, page_url, plain_text(story.front.title), settings.language,
        creator)})
