"""pagetext reads our pages in one regular-expression pass (the standard
library's HTML parser was a third of a story's build). Its answers are compared with
a reader built on `html.parser` (kept here as the reference), on every page of the
example site and on pages made of random pieces; the browser's own reading is
compared in tests/browser/test_notes.py."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from helpers import make_project
from hypothesis import given, settings
from hypothesis import strategies as st

from annostory.commands.cli import main
from annostory.inputs.emails import html_text
from annostory.pages.pagetext import plain_words, read_page

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Reference(HTMLParser):
    """The body's text without scripts, styles, templates and comments, and where each
    marked quote's text starts and ends, read by the standard library's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_body = False
        self.skip = 0
        self.open: list[list] = []  # [tag, quote id or None, start]
        self.places: dict[str, tuple[int, int]] = {}
        self.last_span: tuple[int, int] | None = None

    @property
    def length(self) -> int:
        return sum(map(len, self.parts))

    def handle_starttag(self, tag, attrs) -> None:
        attributes = {k: v or "" for k, v in reversed(attrs)}
        if tag == "body":
            self.in_body = True
        if tag in ("script", "style", "template"):
            self.skip += 1
            return
        if self.skip or tag in VOID:
            return
        classes = attributes.get("class", "").split()
        quote_id = attributes.get("id", "")
        if tag == "a" and "anno" in classes and quote_id.startswith("quote-"):
            self.open.append([tag, quote_id[6:], self.length])
        elif tag == "span" and "anno-with-link" in classes:
            self.open.append([tag, None, self.length])
        elif tag == "a" and "anno-marker" in classes and self.last_span is not None:
            self.places[quote_id[6:]] = self.last_span
            self.last_span = None
        elif self.open:
            self.open.append([tag, "", self.length])

    def handle_startendtag(self, tag, attrs) -> None:
        if tag == "body":
            self.in_body = True

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "template"):
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip or not self.open or self.open[-1][0] != tag:
            return
        _, quote_id, start = self.open.pop()
        if quote_id is None:
            self.last_span = (start, self.length)
        elif quote_id:
            self.places[quote_id] = (start, self.length)

    def handle_data(self, data) -> None:
        if self.in_body and not self.skip:
            self.parts.append(data)


def reference(html: str) -> tuple[str, dict]:
    reader = Reference()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts), reader.places


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("pagetext"))
    (root / "content" / "links.md").write_text(
        "---\ntitle: Links\ndate: 2016-11-01\n---\nRead the [motion on *zoning*]"
        "(https://example.org/m) today &amp; \u201cthen *vote* now\u201d.  \nAnd "
        "\u201cline  \nbreak\u201d and `<code>` too.\n")
    (root / "annotations" / "links.yaml").write_text(
        "sources:\n  s: {type: memo}\nannotations:\n  - {id: zoning, quote: on zoning, "
        "source: s}\n  - {id: vote, quote: then vote now, source: s, note: A *note*.}\n"
        "  - {id: break, quote: line break, source: s}\n")
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


def test_every_built_page_reads_as_the_standard_parser_reads_it(built):
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 8  # stories, timelines, index, tags, people, sources, 404
    quotes = 0
    for page in pages:
        html = page.read_text()
        text, places = reference(html)
        found = read_page(html)
        # the newline after </html> belongs to the body, as in a browser
        assert found.text.rstrip("\n") == text.rstrip("\n"), page
        assert found.places == places, page
        quotes += len(places)
    assert quotes >= 16  # the example's 13 and the three above


def test_quotes_holding_markup_links_or_breaks_keep_their_whole_text(built):
    page = read_page((built / "links" / "index.html").read_text())
    said = {key: page.text[start:end] for key, (start, end) in page.places.items()}
    assert said == {"zoning": "on zoning", "vote": "then vote now", "break": "line\nbreak"}


# --- pages made of random pieces ------------------------------------------------------
WORDS = st.sampled_from(["a", "vote", "&amp;", "&lt;b&gt;", "&#8220;", "caf\u00e9", " ", "\n",
                         "x > y", "&nbsp;", "it's"])
TEXT = st.lists(WORDS, max_size=4).map("".join)


@st.composite
def fragment(draw, depth: int = 0, quote_id: list | None = None) -> str:
    """A piece of HTML of the kinds our templates and Markdown make."""
    quote_id = quote_id if quote_id is not None else [0]
    kind = draw(st.sampled_from(["text", "text", "em", "br", "comment", "script", "quote",
                                 "linked-quote", "span", "attribute", "img"]))
    if kind == "text" or depth > 2:
        return draw(TEXT)
    inner = draw(st.lists(fragment(depth + 1, quote_id), max_size=3).map("".join))
    if kind == "em":
        return f"<em>{inner}</em>"
    if kind == "span":
        return f"<span class=\"x\">{inner}</span>"
    if kind == "br":
        return "<br>"
    if kind == "img":
        return '<img alt="a > b" src="p.jpg">'
    if kind == "comment":
        return f"<!-- <a class=\"anno\" id=\"quote-c\"> {draw(TEXT)} -->"
    if kind == "script":
        return f"<script>var s = '<a class=\"anno\" id=\"quote-s\">{draw(TEXT)}</a>';</script>"
    if kind == "attribute":
        return f"<a href=\"#x\" title='1 > 0'>{inner}</a>"
    if depth > 0:  # quotes are never inside quotes or links
        return f"<strong>{inner}</strong>"
    quote_id[0] += 1
    number = quote_id[0]
    if kind == "quote":
        return (f"<a class=\"anno\" id=\"quote-q{number}\" href=\"#note-q{number}\" "
                f"data-note=\"q{number}\">{inner}</a>")
    return (f"<span class=\"anno anno-with-link\">{draw(TEXT)}<a href=\"https://e.org/\">"
            f"{inner}</a></span><a class=\"anno-marker\" id=\"quote-q{number}\" "
            f"href=\"#note-q{number}\">*</a>")


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(fragment(), max_size=6).map("".join), TEXT)
def test_random_pages_read_as_the_standard_parser_reads_them(body, head_text):
    html = (f"<!doctype html><html><head><title>{head_text}</title>"
            f"<style>p > a {{ color: red }}</style></head>\n<body class=\"s\">{body}"
            "</body></html>")
    text, places = reference(html)
    found = read_page(html)
    assert found.text == text
    assert found.places == places


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["A ", "<em>note</em>", "<a href=\"https://e.org/\">link</a>",
                                 "&amp; ", "<br>", "<p>one</p>", "<p>two</p>", "caf\u00e9",
                                 "<code>&lt;x&gt;</code>", " \n "]), max_size=8).map("".join))
def test_a_note_reads_as_plain_words_as_the_standard_parser_reads_it(note):
    class Words(HTMLParser):  # block tags and breaks part words, on either side
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.parts.append(" " if tag in ("br", "p", "div", "li", "tr", "blockquote") else "")

        def handle_endtag(self, tag):
            self.handle_starttag(tag, [])

        def handle_data(self, data):
            self.parts.append(data)
    words = Words()
    words.feed(note)
    words.close()
    assert plain_words(note) == " ".join("".join(words.parts).split())
    assert plain_words(note).split() == html_text(note.replace("</p>", "</p> ")).split()
