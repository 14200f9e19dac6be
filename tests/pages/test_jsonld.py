"""Each story's notes as W3C Web Annotations (annotations.jsonld),
checked against the model's required fields and against the built page's text."""

import json

import pytest
from bs4 import BeautifulSoup
from helpers import make_project
from test_pagetext import reference

from annostory.commands.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("open"))
    (root / "content" / "links.md").write_text(
        "---\ntitle: Links\ndate: 2016-11-01\n---\nRead the [motion on zoning]"
        "(https://example.org/m) today & \u201cthen *vote* now\u201d.\n")
    (root / "annotations" / "links.yaml").write_text(
        "sources:\n  s: {type: memo}\nannotations:\n  - {id: zoning, quote: on zoning, "
        "source: s}\n  - {id: vote, quote: then vote now, source: s, note: A *note*.}\n")
    assert main(["build", "--root", str(root), "--base-url", "https://news.example/"]) == 0
    return root / "site"


@pytest.mark.parametrize("slug,count", [("trumka-not-motivated", 13), ("links", 2)])
def test_the_collection_has_the_model_s_shape_and_exact_selectors(built, slug, count):
    data = json.loads((built / slug / "annotations.jsonld").read_text())
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["id"].startswith("https://")
    assert data["total"] == count == len(data["first"]["items"])
    assert data["first"]["type"] == "AnnotationPage"
    html = (built / slug / "index.html").read_text()
    text, _ = reference(html)  # the standard library's reading of the page
    page_url = f"https://news.example/{slug}/"
    for item in data["first"]["items"]:
        assert item["type"] == "Annotation" and item["id"].startswith(page_url + "#note-")
        assert item["body"]["type"] == "TextualBody" and item["body"]["value"]
        assert item["target"]["source"] == page_url
        quote, position = item["target"]["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        assert text[position["start"]:position["end"]] == quote["exact"]
        assert text[:position["start"]].endswith(quote["prefix"])
        assert text[position["end"]:].startswith(quote["suffix"])
        assert text.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
    soup = BeautifulSoup(html, "html.parser")
    link = soup.find("link", rel="alternate", type="application/ld+json")
    assert link["href"] == "annotations.jsonld"


def test_quotes_holding_markup_or_inside_links_are_selected_as_read(built):
    data = json.loads((built / "links" / "annotations.jsonld").read_text())
    exact = {item["id"].split("#note-")[1]: item["target"]["selector"][0]["exact"]
             for item in data["first"]["items"]}
    assert exact == {"zoning": "on zoning", "vote": "then vote now"}
    vote = [i for i in data["first"]["items"] if i["id"].endswith("vote")][0]
    assert vote["body"]["value"].endswith("A note.")
