"""A second story of our own (a fixture, not a real event) with everything a
page may have: a photo, tags, an update and a correction, a name in quotation marks,
a quotation only partly annotated, two source documents."""

import io
import json
import shutil

from bs4 import BeautifulSoup
from helpers import REPO, make_project
from PIL import Image

from annostory.commands.cli import main

DATA = REPO / "tests" / "data" / "second-story"


def test_the_second_story_builds_into_a_complete_page(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    shutil.copy(DATA / "story.md", root / "content" / "harbor-panel.md")
    shutil.copy(DATA / "annotations.yaml", root / "annotations" / "harbor-panel.yaml")
    (root / "images").mkdir()
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (120, 130, 140)).save(out, "PNG")
    (root / "images" / "harbor.png").write_bytes(out.getvalue())
    assert main(["build", "--root", str(root), "--base-url", "https://fixture.example/"]) == 0
    captured = capsys.readouterr()
    assert "2 of 3 quotations annotated" in captured.out  # the third only in part
    assert "partly-annotated-quotation" in captured.err and "Harbor Watch" not in captured.err
    page = BeautifulSoup((root / "site" / "harbor-panel" / "index.html").read_text(),
                         "html.parser")
    img = page.select_one("figure.lead-photo img")
    assert (img["width"], img["height"]) == ("1200", "800") and img["alt"]
    assert [a.get_text() for a in page.select(".story-meta a")] == [
        "The Fixture Gazette", "harbor", "city council", "Correction"]
    assert page.select_one("#corrections time")["datetime"] == "2026-03-13"
    documents = page.select("#sources li.document")
    assert [len(d.select("li.note")) for d in documents] == [2, 1]
    assert "2 of 3 quotations on this page carry a note" in page.select_one("footer").get_text()
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["image"]["url"].startswith("https://fixture.example/harbor-panel/photo-")
    assert data["dateModified"] == "2026-03-13"
    assert (root / "site" / "tags" / "city-council" / "index.html").is_file()
    feed = (root / "site" / "feed.xml").read_text()
    assert "Correction (2026-03-13): An earlier version misspelt the panel" in feed
