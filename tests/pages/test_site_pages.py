"""The pages around a story: truthful texts, the original publisher,
drafts, updates and corrections, sharing metadata, JSON-LD, the Atom feed, the
sitemap, the 404 page and the favicon."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from helpers import SMALL_NOTES, make_project

from annostory.commands.cli import main

FRONT = ("---\ntitle: \"{title}\"\ndate: {date}\n{extra}---\n"
         "She said \"hello\" and then \"goodbye\".\n")
ATOM = "{http://www.w3.org/2005/Atom}"


def story(title="T", date="2016-11-01", extra=""):
    return FRONT.format(title=title, date=date, extra=extra)


@pytest.fixture
def project(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "site.yaml").write_text(
        "title: The Bench Gazette\nlanguage: en\nbase_url: https://news.example/stories/\n"
        "description: Stories with their sources\nfooter: Published by the bench desk.\n"
        "organization: {name: Bench Media, url: 'https://media.example/'}\n")
    (root / "content" / "t.md").write_text(story(extra=(
        "dek: A day of [greetings](https://example.org/g)\nbyline: Ann Writer\n"
        "publisher: The Daily\noriginal_url: https://daily.example/t\nupdated: 2016-11-03\n"
        "corrections:\n  - date: 2016-11-03\n    text: An earlier version said *hi*.\n")))
    (root / "annotations" / "t.yaml").write_text(SMALL_NOTES)
    return root


def page(root, path="t/index.html"):
    return BeautifulSoup((root / "site" / path).read_text("utf-8"), "html.parser")


def build(root, *args):
    return main(["build", "--root", str(root), *args])


def test_the_header_links_the_publisher_and_states_updates_and_corrections(project):
    assert build(project) == 0
    soup = page(project)
    meta = soup.select_one(".story-meta")
    assert meta.find("a", href="https://daily.example/t").get_text() == "The Daily"
    assert "https://daily.example" not in meta.get_text()  # no raw address
    assert "Updated" in meta.get_text() and meta.find("a", href="#corrections")
    corrections = soup.select_one("#corrections")
    assert corrections.find("time")["datetime"] == "2016-11-03"
    assert corrections.find("em").get_text() == "hi"


def test_footers_say_only_what_is_true_of_the_page(project, tmp_path):
    assert build(project) == 0
    footer = page(project).select_one("footer").get_text(" ", strip=True)
    assert "1 of 2 quotations on this page carry a note" in footer
    assert "Every quotation" not in footer
    assert "Published by the bench desk." in footer and "Bench Media" in footer
    (tmp_path / "example").mkdir()
    example = make_project(tmp_path / "example")
    assert build(example) == 0
    text = page(example, "trumka-not-motivated/index.html").select_one("footer").get_text()
    assert "Every quotation on this page carries a note" in text
    index = page(example, "index.html")
    assert index.select_one("h1").get_text() != index.select_one(".masthead").get_text()


def test_sharing_metadata_and_json_ld(project):
    (project / "content" / "t.md").write_text(story(
        title="A </script><script>alert(1)</script> headline",
        extra="dek: A day of greetings\nbyline: Ann Writer\npublisher: The Daily\n"))
    assert build(project) == 0
    soup = page(project)
    assert soup.find("meta", attrs={"name": "description"})["content"] == "A day of greetings"
    assert soup.find("meta", property="og:type")["content"] == "article"
    assert soup.find("meta", property="og:url")["content"] == "https://news.example/stories/t/"
    assert soup.find("link", rel="icon")["href"] == "../assets/favicon.svg"
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@type"] == "NewsArticle" and data["datePublished"] == "2016-11-01"
    assert data["author"] == {"@type": "Person", "name": "Ann Writer"}
    assert data["publisher"]["name"] == "The Daily"
    assert "</script>" in data["headline"]  # kept as text, escaped in the HTML
    assert "alert(1)" not in "".join(s.get_text() for s in soup.find_all("script")
                                     if s.get("type") != "application/ld+json")
    assert (project / "site" / "assets" / "favicon.svg").is_file()


def test_the_feed_and_the_sitemap_parse_and_hold_every_story(project):
    (project / "content" / "u.md").write_text(story(title="U", date="2016-12-05"))
    assert build(project) == 0
    feed = ET.parse(project / "site" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for tag in ("title", "id", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["U", "T"]  # newest first
    assert entries[0].find(f"{ATOM}published").text == "2016-12-05T00:00:00Z"
    assert entries[1].find(f"{ATOM}id").text == "https://news.example/stories/t/"
    assert "Correction (2016-11-03): An earlier version said hi." in \
        entries[1].find(f"{ATOM}summary").text
    sitemap = ET.parse(project / "site" / "sitemap.xml").getroot()
    sm = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [u.find(f"{sm}loc").text for u in sitemap]
    assert {"https://news.example/stories/", "https://news.example/stories/t/",
            "https://news.example/stories/u/"} <= set(locs)
    assert all(re.fullmatch(r"\d{4}(-\d\d){0,2}", u.find(f"{sm}lastmod").text)
               for u in sitemap)
    # every page with a canonical address is listed, once, and nothing else
    canonical = set()
    for html in (project / "site").glob("**/*.html"):
        link = BeautifulSoup(html.read_text(), "html.parser").find("link", rel="canonical")
        if link is not None:
            canonical.add(link["href"])
    assert sorted(locs) == sorted(canonical) and len(locs) == len(set(locs))
    head = page(project, "index.html").find("link", type="application/atom+xml")
    assert head["href"] == "https://news.example/stories/feed.xml"


def test_without_a_base_url_the_build_says_what_it_skipped(project, capsys):
    (project / "site.yaml").write_text("title: The Bench Gazette\n")
    assert build(project) == 0
    err = capsys.readouterr().err
    assert "feed.xml, sitemap.xml and each story's annotations.jsonld were not written" in err
    assert not list((project / "site").glob("*/annotations.jsonld"))
    assert not (project / "site" / "feed.xml").exists()
    assert (project / "site" / "404.html").is_file()


def test_drafts_stay_out_of_the_build_unless_asked(project, capsys):
    (project / "content" / "d.md").write_text(story(title="Draft one", extra="draft: true\n"))
    assert build(project) == 0
    assert "1 draft story was left out" in capsys.readouterr().err
    assert not (project / "site" / "d").exists()
    assert "Draft one" not in (project / "site" / "index.html").read_text()
    assert "Draft one" not in (project / "site" / "feed.xml").read_text()
    assert build(project, "--drafts") == 0
    assert page(project, "d/index.html").select_one(".draft-banner") is not None
    assert "Draft one" in (project / "site" / "index.html").read_text()


def test_a_build_with_nothing_changed_still_leaves_drafts_out(project, capsys):
    """A build that finds its site up to date reads no summary from the cache; it
    must still know which stories are drafts (counts and problems left out)."""
    (project / "content" / "d.md").write_text(story(title="Draft one", extra="draft: true\n"))
    (project / "content" / "t.md").write_text(story())
    assert build(project) == 0
    first = capsys.readouterr().out.split(": ", 1)[1]
    assert build(project) == 0
    again = capsys.readouterr().out
    assert "up to date" in again and again.split(": ", 1)[1] == first
    assert first.startswith("1 story,")


def test_the_old_canonical_key_still_works_with_a_warning(project, capsys):
    (project / "content" / "t.md").write_text(story(
        extra="publisher: The Daily\ncanonical: https://daily.example/t\n"))
    assert build(project) == 0
    assert "renamed-key" in capsys.readouterr().err
    assert page(project).select_one(".story-meta a")["href"] == "https://daily.example/t"


def test_unsafe_links_in_corrections_are_errors(project, capsys):
    (project / "content" / "t.md").write_text(story(
        extra="corrections:\n  - date: 2016-11-02\n    text: \"[x](javascript:alert(1))\"\n"))
    assert build(project) == 1
    assert "content/t.md:6:11: error: link in a correction not allowed" in \
        capsys.readouterr().err


def test_index_cards_newest_first_then_by_headline(project):
    for slug, title, date in (("a", "Beta", "2016-11-01"), ("b", "Alpha", "2016-11-01"),
                              ("c", "Old", "2015-01-01")):
        (project / "content" / f"{slug}.md").write_text(
            story(title=title, date=date, extra="byline: Bo Byline\n"))
    assert build(project) == 0
    cards = page(project, "index.html").select(".story-card")
    assert [c.h2.get_text() for c in cards] == ["Alpha", "Beta", "T", "Old"]
    assert "By Bo Byline" in cards[0].get_text()


# --- item 7: names in quotation marks, and quotations only partly annotated ----------
RELEASE = ("---\ntitle: T\ndate: 2016-11-01\n---\nThe group known as \u201cStar Blizzard\u201d "
           "struck. \u201cWe will respond firmly and fast,\u201d the minister said.\n")


def test_names_in_quotation_marks_can_be_listed_with_a_reason(project, capsys):
    (project / "content" / "t.md").write_text(RELEASE)
    (project / "annotations" / "t.yaml").write_text(
        "sources:\n  s: {type: statement}\nannotations:\n"
        "  - {quote: 'We will respond firmly and fast', source: s}\n"
        "not_quotations:\n  - {text: Star Blizzard, reason: the name of a hacking group}\n"
        "  - {text: Nobody Said This, reason: stale}\n")
    assert main(["check", "--root", str(project)]) == 0
    captured = capsys.readouterr()
    assert "1 of 1 quotation annotated" in captured.out
    assert "Star Blizzard" not in captured.err.split("unused-not-quotation")[0]
    assert "annotations/t.yaml:7:12: warning: no quotation in the story reads " \
        "\u201cNobody Said This\u201d [unused-not-quotation]" in captured.err
    assert main(["check", "--root", str(project), "--strict"]) == 1


def test_a_quotation_only_partly_annotated_is_reported_as_such(project, capsys):
    (project / "content" / "t.md").write_text(RELEASE)
    (project / "annotations" / "t.yaml").write_text(
        "sources:\n  s: {type: statement}\nannotations:\n"
        "  - {quote: We will respond, source: s}\n"
        "not_quotations:\n  - {text: Star Blizzard, reason: a name}\n")
    assert main(["check", "--root", str(project)]) == 0
    captured = capsys.readouterr()
    assert "0 of 1 quotation annotated" in captured.out
    assert "only part of this quotation carries a note; not covered: \u201cfirmly and " \
        "fast\u201d [partly-annotated-quotation]" in captured.err


# --- item 9: tags and pagination ---------------------------------------------------
def test_tags_get_pages_and_long_lists_are_paginated(project):
    settings = project / "site.yaml"
    settings.write_text(settings.read_text() + "per_page: 2\n")
    for i in range(5):
        tags = "tags: [Labor, 2016 campaign]\n" if i % 2 == 0 else "tags: [labor]\n"
        (project / "content" / f"s{i}.md").write_text(
            story(title=f"Story {i}", date=f"2016-0{i + 1}-01", extra=tags))
    assert build(project) == 0
    site = project / "site"
    index = page(project, "index.html")
    assert [c.h2.get_text() for c in index.select(".story-card")] == ["T", "Story 4"]
    assert index.find("a", rel="next")["href"] == "page/2/"  # served: addresses end in /
    second = page(project, "page/2/index.html")
    assert [c.h2.get_text() for c in second.select(".story-card")] == ["Story 3", "Story 2"]
    assert second.find("a", rel="prev")["href"] == "../../"
    assert second.select_one(".story-card a")["href"] == "../../s3/"
    assert (site / "page" / "3" / "index.html").is_file()
    assert not (site / "page" / "4").exists()
    labor = page(project, "tags/labor/index.html")  # 'Labor' and 'labor' are one tag
    assert labor.h1.get_text() == "Labor"
    assert len(labor.select(".story-card")) == 2 and labor.find("a", rel="next")
    campaign = page(project, "tags/2016-campaign/index.html")
    assert [c.h2.get_text() for c in campaign.select(".story-card")] == ["Story 4", "Story 2"]
    story_page = page(project, "s4/index.html")
    assert story_page.select_one(".story-meta a[href='../tags/labor/']")
    for path in site.rglob("*.html"):  # every relative link resolves
        if path.name == "404.html":
            continue
        for a in BeautifulSoup(path.read_text(), "html.parser").find_all("a", href=True):
            href = a["href"].split("#")[0]
            if href and not href.startswith(("http", "mailto")):
                assert (path.parent / href).resolve().exists(), (path, href)


def test_a_masthead_logo_is_published_from_images(project, tmp_path, capsys):
    from PIL import Image

    (project / "images").mkdir()
    Image.new("RGBA", (300, 100), (200, 0, 0, 255)).save(project / "images" / "logo.png")
    settings = project / "site.yaml"
    settings.write_text(settings.read_text() + "logo: images/logo.png\n")
    assert build(project) == 0
    logo = page(project, "index.html").select_one(".masthead img.logo")
    assert logo["src"] == "assets/logo.png" and logo["alt"] == ""
    assert (logo["width"], logo["height"]) == ("96", "32")
    assert (project / "site" / logo["src"]).is_file()
    (project / "images" / "logo.png").unlink()
    (project / "images" / "logo.png").symlink_to(tmp_path)
    assert build(project) == 1
    assert "images/logo.png" in capsys.readouterr().err


def test_a_story_without_dek_or_site_description_still_has_a_description(project):
    (project / "site.yaml").write_text("title: The Bench Gazette\n")
    (project / "content" / "t.md").write_text(story())
    assert build(project) == 0
    meta = page(project).find("meta", attrs={"name": "description"})["content"]
    assert meta.startswith("She said \u201chello\u201d and then")
