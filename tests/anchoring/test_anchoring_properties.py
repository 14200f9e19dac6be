"""Property-based tests of anchoring (hypothesis).

For random paragraphs with inline markup and a random sub-span of their visible
text as the quote: anchoring finds exactly that span, the HTML stays well nested,
and the visible text of the page is unchanged by anchoring.
"""

from html.parser import HTMLParser

import pytest
import yaml
from helpers import anchored, render_body
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annostory.core.textfold import fold, fold_query, is_word_boundary
from annostory.inputs.markdown import story_markdown

# A headline with none of the letters the paragraphs use, so quotes are unique.
FRONT = "---\ntitle: XYZ\ndate: 2016-11-01\n---\n"
# letters plus what the typographer rewrites (quotes, apostrophes, dots, dashes)
WORDS = st.text(alphabet="abcdefghij\"'.,", min_size=1, max_size=6).filter(
    lambda w: any(c.isalpha() for c in w))


@st.composite
def inline_piece(draw):
    words = " ".join(draw(st.lists(WORDS, min_size=1, max_size=4)))
    kind = draw(st.sampled_from(["plain", "plain", "em", "strong", "code", "link", "emstrong"]))
    if kind == "em":
        return f"*{words}*"
    if kind == "strong":
        return f"**{words}**"
    if kind == "emstrong":
        inner = " ".join(draw(st.lists(WORDS, min_size=1, max_size=2)))
        return f"**{words} *{inner}***"
    if kind == "code":
        return f"`{words}`"
    if kind == "link":
        return f"[{words}](https://example.org/x)"
    return words


@st.composite
def paragraph(draw):
    pieces = draw(st.lists(inline_piece(), min_size=1, max_size=6))
    separators = draw(st.lists(st.sampled_from([" ", "\n"]), min_size=len(pieces),
                               max_size=len(pieces)))
    return "".join(p + s for p, s in zip(pieces, separators)).strip()


class TextAndNesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text = []
        self.stack = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html):
    parser = TextAndNesting()
    parser.feed(html)
    parser.close()
    return "".join(parser.text), parser.ok and not parser.stack


def visible_text(markdown):
    md = story_markdown()
    tokens = md.parseInline(markdown, {})
    parts = []
    for child in tokens[0].children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraph(), st.data())
def test_random_span_anchors_exactly(markdown, data):
    text = visible_text(markdown)

    def inside_word(i):  # not a Unicode word boundary (UAX #29): quotes take whole words
        return not is_word_boundary(text, i)
    starts = [i for i, ch in enumerate(text) if not ch.isspace() and not inside_word(i)]
    assume(starts)
    start = data.draw(st.sampled_from(starts))
    ends = [j + 1 for j in range(start, len(text))
            if not text[j].isspace() and not inside_word(j + 1)]
    end = data.draw(st.sampled_from(ends))
    quote = text[start:end]
    assume(any(c.isalpha() for c in quote))  # a quote of punctuation alone is an error
    # Unique as the matcher sees text (line breaks are spaces), overlapping ones too.
    folded, folded_quote = fold(text).text, fold_query(quote)
    occurrences = sum(folded.startswith(folded_quote, i) for i in range(len(folded)))
    assume(occurrences == 1)

    entry = {"id": "q", "quote": quote, "source": "s"}
    result = anchored(markdown + "\n", yaml.safe_dump([entry]), front=FRONT)
    assert [d for d in result.diagnostics if d.is_error] == []
    assert len(result.anchors) == 1
    anchor = result.anchors[0]
    assert anchor.run.text[anchor.start:anchor.end] == quote
    assert (anchor.start, anchor.end) == (start, end)

    html = render_body(result)
    plain = story_markdown().render(FRONT + markdown + "\n")
    text_with, nested_with = parse_html(html)
    text_without, nested_without = parse_html(plain)
    assert nested_with and nested_without
    # The note marker after a quote holding a link adds the word "note"; nothing else.
    assert text_with.replace("note", "").strip() == text_without.replace("note", "").strip()
    # The anchored element holds exactly the quoted text.
    focusable = html.count('id="quote-q"')
    assert focusable == 1


class _Index:
    """The one thing the candidate search reads of a text index: its document."""

    def __init__(self, document: str) -> None:
        self.document = document


@given(st.text(alphabet="ab \u00e9\U0001F600", max_size=300),
       st.lists(st.text(alphabet="ab \u00e9\U0001F600", min_size=1, max_size=4),
                min_size=1, max_size=30))
def test_one_pass_finds_the_same_places_as_one_scan_per_quote(document, quotes):
    """Every place of every quote, overlapping ones too, whether found one quote at a
    time (str.find) or all at once (Aho-Corasick)."""
    from annostory.anchoring import matching

    index = _Index(document)
    expected = {quote: matching.candidates(index, quote) for quote in quotes}
    original = matching.ONE_PASS_FROM
    try:
        matching.ONE_PASS_FROM = 1  # the automaton, however few the quotes
        found = matching.all_candidates(index, quotes)
    finally:
        matching.ONE_PASS_FROM = original
    assert {quote: sorted(places) for quote, places in found.items()} == expected
