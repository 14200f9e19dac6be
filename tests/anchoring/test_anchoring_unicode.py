"""Anchoring that never cuts what a reader sees as one thing, and positions that are
exact for every inline construct, tested on random text with
combining marks, emoji sequences, flags, NFD, full-width letters and CJK."""

import html
import re
import unicodedata

import pytest
import regex
import yaml
from helpers import anchored, render_body
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from annostory.anchoring.wrapping import element_ids
from annostory.core.textfold import fold, fold_query, is_word_boundary
from annostory.inputs.sourcemap import Child, align

FRONT = "---\ntitle: XYZ\ndate: 2016-11-01\n---\n"

# Pieces a reader sees as one character, or as one word.
CLUSTERS = ["a", "b", "e\u0301", "\u1eb9\u0300", "\U0001F469\u200d\U0001F52C", "\U0001F469",
            "\U0001F1FA\U0001F1F8", "\U0001F1E8\U0001F1E6", "\uff2e", "\uff28", "\ufb01",
            "\u8bb0", "\u8005", "\u3042", "\u30ab", "\u00df", "n\u0303", "\u0915\u093f"]
WORD = st.lists(st.sampled_from(CLUSTERS), min_size=1, max_size=4).map("".join)
TEXT = st.lists(WORD, min_size=1, max_size=8).map(" ".join)


def clusters(text: str) -> list[int]:
    """Grapheme cluster boundaries of `text` (UAX #29, the regex module's \\X)."""
    return [0] + [m.end() for m in regex.finditer(r"\X", text)]


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.data())
def test_a_match_never_cuts_a_grapheme_cluster_or_a_word(text, data):
    text = unicodedata.normalize("NFC", text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(quote.strip() and fold_query(quote))
    result = anchored(text + "\n", yaml.safe_dump([{"id": "q", "quote": quote,
                                                    "source": "s"}]), front=FRONT)
    bounds = set(clusters(text))
    for anchor in result.anchors:
        assert anchor.start in bounds and anchor.end in bounds
        assert is_word_boundary(text, anchor.start) and is_word_boundary(text, anchor.end)
    whole = start in bounds and end in bounds and is_word_boundary(text, start) and \
        is_word_boundary(text, end)
    if not whole:  # the cut place itself is refused, never widened or narrowed
        assert all((a.start, a.end) != (start, end) for a in result.anchors)
    for anchor in result.anchors:  # and whatever anchors holds exactly the quote
        assert fold(text[anchor.start:anchor.end]).text.strip() == fold_query(quote)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_folding_maps_back_to_whole_clusters(text):
    folded = fold(text)
    bounds = set(clusters(text))
    for a, b in zip(folded.starts, folded.ends):
        assert a in bounds and b in bounds and a < b


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["cafe", "e\u0301", "&#x301;", "&eacute;", "&amp;", " ",
                                 "x", "\u00e9"]), min_size=1, max_size=10).map("".join))
def test_nfd_through_character_references_maps_back_exactly(markdown):
    """Whatever the story's mix of composed, decomposed and referenced accents, a
    quote of any whole word highlights exactly that word."""
    result = anchored(markdown + " end\n", "[]")
    run = result.story.text.runs[-1]
    for m in regex.finditer(r"\w+", run.text):
        word = m.group()
        if run.text.count(word) != 1 or not is_word_boundary(run.text, m.end()):
            continue
        quote = unicodedata.normalize("NFC", word)
        again = anchored(markdown + " end\n", yaml.safe_dump([{"id": "q", "quote": quote,
                                                               "source": "s"}]))
        if len(again.anchors) == 1:
            anchor = again.anchors[0]
            assert fold(run.text[anchor.start:anchor.end]).text == fold(quote).text


# --- positions: exact for every inline construct -----------------------------------
PIECES = ["word", "\\*", "\\_", "&amp;", "&#233;", "&copy;", "`code`", "``a ` b``", "*em*",
          "**strong**", "[link text](https://example.org/a_(b) \"title\")",
          "<https://example.org/x>", "\"quoted\"", "it's", "...", "--", "---", "(c)",
          "![alt](https://example.org/i.png)", "_under_", "[ref]", "x\\\ny"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8),
       st.lists(st.sampled_from([" ", "\n", "\n  "]), min_size=8, max_size=8),
       st.sampled_from(["", "> ", "- ", "1. ", "# "]))
def test_every_visible_character_maps_to_its_source(pieces, separators, block):
    body = "".join(p + s for p, s in zip(pieces, separators)).strip()
    if block == "# ":
        body = body.replace("\n", " ")
    markdown = block + body.replace("\n", "\n" + (block if block == "> " else "   "
                                                  if block else "")) + \
        "\n\n[ref]: https://example.org/r\n"
    result = anchored(markdown, "[]")
    lines = (FRONT + markdown).split("\n")
    for run in result.story.text.runs:
        if run.part != "body":
            continue
        for i, ch in enumerate(run.text):
            pos = run.position(i)
            source = lines[pos.line - 1][pos.column - 1:]
            assert produces(source, ch), (i, ch, pos, source, run.text)


def produces(source: str, ch: str) -> bool:
    """Can the Markdown at the start of `source` show the visible character `ch`?"""
    if ch == "\n":
        return source == "" or source[0] in " \\" or source.startswith("  ")
    if source.startswith(ch) or source.startswith("\\" + ch):
        return True
    entity = re.match(r"&#?\w+;", source)
    if entity and ch in html.unescape(entity.group()):
        return True
    typographic = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                   "\u2026": "..", "\u2013": "--", "\u2014": "---", "\u00a9": "(c)"}
    return ch in typographic and source.startswith(typographic[ch])


def test_positions_after_escapes_and_references_are_exact():
    markdown = ("The mayor spoke.\nMembers \\*all\\* agreed.\n"
                "\\*Then\\* they said no. Later they said no again.\n")
    result = anchored(markdown, "- {id: a, quote: they said no}")
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert [str(p) for p in problem.related] == ["content/t.md:7:10", "content/t.md:7:30"]
    result = anchored("A &amp; B &copy; `x` [the link](https://e.org) and the end.\n",
                      "- {id: a, quote: the}")
    [problem] = [d for d in result.diagnostics if d.is_error]
    line = "A &amp; B &copy; `x` [the link](https://e.org) and the end."
    assert [p.column for p in problem.related] == [line.index("the link") + 1,
                                                   line.index("the end") + 1]


def test_child_snapshot_alignment_of_a_code_span():
    children = [Child("text", "a ", ""), Child("code_inline", "b c", "``"),
                Child("text", " d", "")]
    src = "a `` b c `` d"
    offsets = align(children, src)
    assert [src[o] for o in offsets] == ["a", " ", "b", " ", "c", " ", "d"]


# --- ids: unique by construction ------------------------------------------------------
@pytest.mark.slow
@given(st.lists(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True), min_size=2,
                max_size=6, unique=True))
def test_ids_of_different_annotations_never_collide(ids):
    made = [value for aid in ids for value in element_ids(aid).values()]
    assert len(made) == len(set(made))
    assert not {v for v in made} & {"main", "sources", "sources-heading", "annostory-popup"}


def test_quotes_a_and_a_text_keep_their_own_notes():
    result = anchored("x first and second\n", "- {id: a, quote: first}\n"
                                              "- {id: a-text, quote: second}")
    page = render_body(result)
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert 'aria-describedby="about-a"' in page and 'aria-describedby="about-a-text"' in page
