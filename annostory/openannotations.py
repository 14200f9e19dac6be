"""Open annotations: a story's notes as a W3C Web Annotation collection.

`site/<slug>/annotations.jsonld` holds an `AnnotationCollection` (JSON-LD, context
`http://www.w3.org/ns/anno.jsonld`) with one `Annotation` per quote: its target is
the story page, selected both by a `TextQuoteSelector` (exact, prefix, suffix) and a
`TextPositionSelector` (start, end), and its body is the note as a `TextualBody`.
Annotation tools can import it.

The selectors are computed from the page as built, so they are exact by
construction: the page's text is the text of its `<body>` (scripts and styles left
out), in document order, and each quote is found by the element that marks it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html.parser import HTMLParser

from .originals import html_text
from .render import NoteView

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARACTERS = 32  # of prefix and suffix


class _QuoteFinder(HTMLParser):
    """The page's text, and where the text of each marked quote starts and ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.in_body = False
        self.skip = 0
        self.open: list[tuple[str, str | None, int]] = []  # (tag, quote id, start)
        self.places: dict[str, tuple[int, int]] = {}
        self.last_span: tuple[int, int] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "body":
            self.in_body = True
        if tag in ("script", "style", "template"):
            self.skip += 1
        classes = (attributes.get("class") or "").split()
        quote_id = (attributes.get("id") or "").removeprefix("quote-")
        if tag == "a" and "anno" in classes and attributes.get("id", "").startswith("quote-"):
            self.open.append((tag, quote_id, self.length))
        elif tag == "span" and "anno-with-link" in classes:
            self.open.append((tag, None, self.length))
        elif tag == "a" and "anno-marker" in classes and self.last_span is not None:
            self.places[quote_id] = self.last_span  # the marker names the span before it
            self.last_span = None
        elif self.open:
            self.open.append((tag, "", self.length))

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "template"):
            self.skip = max(self.skip - 1, 0)
        if not self.open or self.open[-1][0] != tag:
            return
        _, quote_id, start = self.open.pop()
        if quote_id is None:
            self.last_span = (start, self.length)
        elif quote_id:
            self.places[quote_id] = (start, self.length)

    def handle_data(self, data) -> None:
        if self.in_body and not self.skip:
            self.parts.append(data)
            self.length += len(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def page_text(html: str) -> str:
    """The text selectors count in: the `<body>`'s text without scripts and styles."""
    finder = _QuoteFinder()
    finder.feed(html)
    finder.close()
    return finder.text


def collection(html: str, notes: list[NoteView], page_url: str, title: str,
               language: str, creator: str) -> bytes:
    """annotations.jsonld for a story page (`page_url` may be relative)."""
    finder = _QuoteFinder()
    finder.feed(html)
    finder.close()
    text = finder.text
    items = []
    for note in notes:
        if note.id not in finder.places:
            continue
        start, end = finder.places[note.id]
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
    return " ".join(html_text(html).split())
