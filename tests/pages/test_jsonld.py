"""Each story's notes as W3C Web Annotations (annotations.jsonld): the model's MUSTs
(written out here, and run from the W3C's own test suite when it is at hand),
selectors exact against the built page's text, contexts Hypothesis can match."""

import json
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import make_project
from hypothesis import given
from hypothesis import strategies as st
from test_pagetext import reference
from w3c_suite import SUITE_VARIABLE, Suite, must_failures, suite_folder

from annostory.commands.cli import main
from annostory.pages.jsonld import CONTEXT_UNITS, prefix_of, suffix_of

BASE = "https://news.example/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("open"))
    (root / "content" / "links.md").write_text(
        "---\ntitle: Links\ndate: 2016-11-01\n---\nRead the [motion on zoning]"
        "(https://example.org/m) today & \u201cthen *vote* now\u201d.\n")
    (root / "annotations" / "links.yaml").write_text(
        "sources:\n  s: {type: memo}\nannotations:\n  - {id: zoning, quote: on zoning, "
        "source: s}\n  - {id: vote, quote: then vote now, source: s, note: A *note*.}\n")
    (root / "content" / "emoji.md").write_text(  # astral characters before the quotes
        "---\ntitle: Emoji\ndate: 2016-11-01\n---\n\U0001F600\U0001F600\U0001F600 The "
        "\U0001F4E7email\U0001F4E7\U0001F4E7\U0001F4E7\U0001F4E7\U0001F4E7\U0001F4E7 said "
        "\u201cwe will win\u201d and \u201cwe will not lose\u201d \U0001F389\U0001F389"
        "\U0001F389\U0001F389\U0001F389\U0001F389\U0001F389\U0001F389\U0001F389.\n")
    (root / "annotations" / "emoji.yaml").write_text(
        "sources:\n  s: {type: email}\nannotations:\n  - {quote: we will win, source: s}\n"
        "  - {quote: we will not lose, source: s}\n")
    assert main(["build", "--root", str(root), "--base-url", BASE]) == 0
    return root / "site"


STORIES = [("trumka-not-motivated", 13), ("links", 2), ("emoji", 2)]


def absolute(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


@pytest.mark.parametrize("slug,count", STORIES)
def test_the_collection_has_the_model_s_shape_and_exact_selectors(built, slug, count):
    data = json.loads((built / slug / "annotations.jsonld").read_text())
    page_url = f"{BASE}{slug}/"
    # 5.1: a collection with an absolute id, its label, total, first and last page
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and absolute(data["id"])
    assert data["id"] == page_url + "annotations.jsonld"
    assert isinstance(data["label"], str) and data["label"]
    assert data["total"] == count == len(data["first"]["items"])
    # 5.2: an embedded page with an absolute id, part of the collection
    page = data["first"]
    assert page["type"] == "AnnotationPage" and absolute(page["id"])
    assert page["partOf"] == data["id"] and page["startIndex"] == 0
    assert data["last"] == page["id"]
    html = (built / slug / "index.html").read_text()
    text, _ = reference(html)  # the standard library's reading of the page
    ids = set()
    for item in page["items"]:
        # 3.1: each annotation can be read on its own: context, absolute id, type
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation" and absolute(item["id"])
        assert item["id"].startswith(page_url + "#note-") and item["id"] not in ids
        ids.add(item["id"])
        assert item["body"]["type"] == "TextualBody" and item["body"]["value"]
        assert "bodyValue" not in item
        assert item["target"]["source"] == page_url
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        assert 0 <= position["start"] <= position["end"]
        assert text[position["start"]:position["end"]] == quote["exact"]  # code points
        assert text[:position["start"]].endswith(quote["prefix"])
        assert text[position["end"]:].startswith(quote["suffix"])
        for context in (quote["prefix"], quote["suffix"]):
            assert len(context.encode("utf-16-le")) // 2 <= CONTEXT_UNITS
    soup = BeautifulSoup(html, "html.parser")
    link = soup.find("link", rel="alternate", type="application/ld+json")
    assert link["href"] == page_url + "annotations.jsonld"


@pytest.mark.parametrize("slug,count", STORIES)
def test_the_w3c_suite_finds_no_must_failure(built, slug, count):
    folder = suite_folder()
    if folder is None:
        pytest.skip(f"the W3C Web Annotation test suite is not here: set {SUITE_VARIABLE} "
                    "to a checkout of github.com/w3c/web-annotation-tests")
    data = json.loads((built / slug / "annotations.jsonld").read_text())
    ran, failures = must_failures(Suite(folder), data)
    assert ran > 50 * count // 2
    assert failures == []


def test_quotes_holding_markup_or_inside_links_are_selected_as_read(built):
    data = json.loads((built / "links" / "annotations.jsonld").read_text())
    exact = {item["id"].split("#note-")[1]: item["target"]["selector"][0]["exact"]
             for item in data["first"]["items"]}
    assert exact == {"zoning": "on zoning", "vote": "then vote now"}
    vote = [i for i in data["first"]["items"] if i["id"].endswith("vote")][0]
    assert vote["body"]["value"].endswith("A note.")


def test_without_an_address_no_collection_is_written_or_linked(tmp_path, capsys):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    assert "each story's annotations.jsonld were not written" in capsys.readouterr().err
    folder = root / "site" / "trumka-not-motivated"
    assert not (folder / "annotations.jsonld").exists()
    soup = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    assert soup.find("link", type="application/ld+json") is None


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


TEXT = st.text(alphabet=st.sampled_from("ab cd\u00e9\U0001F600\n-"), max_size=80)


@given(TEXT, st.data())
def test_contexts_are_short_whole_words_of_the_text(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    prefix, suffix = prefix_of(text, start), suffix_of(text, end)
    assert units(prefix) <= CONTEXT_UNITS and units(suffix) <= CONTEXT_UNITS
    assert text[:start].endswith(prefix) and text[end:].startswith(suffix)
    before = text[:start - len(prefix)]
    # whole words: the prefix starts where a word starts (or at a space), unless no
    # space in the last 32 units would allow it; the same for the suffix's end
    if prefix and before and not before[-1].isspace() and not prefix[0].isspace():
        assert not any(ch.isspace() for ch in prefix)
    after = text[end + len(suffix):]
    if suffix and after and not after[0].isspace() and not suffix[-1].isspace():
        assert not any(ch.isspace() for ch in suffix)
    # as much as fits: a whole-word context is never shorter than needed
    if start and not prefix:
        assert units(text[start - 1]) > CONTEXT_UNITS or text[start - 1].isspace() or \
            not any(ch.isspace() for ch in text[max(0, start - CONTEXT_UNITS):start])
