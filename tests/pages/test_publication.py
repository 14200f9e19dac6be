"""A publication, not a demo: addresses, time as a newsroom writes it, what a page is
shared with, NewsArticle, the feed's size, the sitemap's index, and what editors are
told about a bad value."""

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import make_project
from PIL import Image

from annostory.commands.cli import main
from annostory.core.dates import parse_date
from annostory.inputs.settings import SiteSettings
from annostory.output.files import SiteFiles
from annostory.pages import share
from annostory.pages.feeds import sitemaps
from annostory.pages.story_page import byline_names
from annostory.pages.urls import folder_link

BASE = "https://news.example/"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def site_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("**/*.html"))


@pytest.mark.parametrize("pretty", [True, False])
def test_links_end_in_a_slash_when_served_and_name_index_html_from_disk(tmp_path, pretty):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root), *(["--base-url", BASE] if pretty else [])]) == 0
    site = root / "site"
    for path in site_pages(site):
        for a in soup(path).find_all("a", href=True):
            href = a["href"]
            if href.startswith(("http:", "https:", "mailto:", "#")) or path.name == "404.html":
                continue
            target = href.split("#")[0]
            assert target.endswith("/") if pretty else target.endswith(".html") or \
                target.endswith((".svg", ".png", ".jpg", ".xml")), (path, href)
            file = (path.parent / target).resolve()
            assert (file / "index.html" if target.endswith("/") else file).is_file(), href


def test_a_folder_link_keeps_its_fragment_and_files_stay_files():
    assert folder_link("../people/a/#x", pretty=False) == "../people/a/index.html#x"
    assert folder_link("../people/a/#x", pretty=True) == "../people/a/#x"
    assert folder_link("", pretty=True) == "./"
    assert folder_link("../assets/style.css", pretty=False) == "../assets/style.css"


def timed_story(root: Path, zone: str) -> None:
    (root / "site.yaml").write_text(f"title: T\ntimezone: {zone}\n")
    (root / "content" / "t.md").write_text(
        "---\ntitle: T\ndate: 2024-07-25\n---\nHe said \"one\" and \"two\".\n")
    (root / "annotations" / "t.yaml").write_text(
        "sources:\n"
        "  a: {type: statement, sent: '2024-07-24T20:01-04:00'}\n"
        "  b: {type: post, sent: '2024-07-24T09:15+02:00'}\n"
        "annotations:\n  - {quote: one, source: a}\n  - {quote: two, source: b}\n")


def test_times_in_the_site_s_timezone_carry_its_abbreviation(tmp_path):
    root = make_project(tmp_path, example=False)
    timed_story(root, "America/New_York")
    assert main(["build", "--root", str(root)]) == 0
    text = soup(root / "site" / "t" / "index.html").get_text(" ")
    assert "July 24, 2024, 8:01 p.m. EDT" in text
    assert "July 24, 2024, 9:15 a.m. (UTC+02:00)" in text  # another offset keeps it
    assert "UTC\u221204:00" not in text


@pytest.mark.parametrize("stamp,zone,shown", [
    ("2024-01-15T08:00-05:00", "America/New_York", "8:00 a.m. EST"),
    ("2024-07-15T08:00-05:00", "America/New_York", "8:00 a.m. (UTC\u221205:00)"),
    ("2024-07-15T08:00+01:00", "Europe/London", "8:00 a.m. BST"),
    ("2024-07-15T08:00Z", "UTC", "8:00 a.m. UTC"),
    ("2024-11-03T01:30-04:00", "America/New_York", "1:30 a.m. EDT"),  # the hour twice
    ("2024-11-03T01:30-05:00", "America/New_York", "1:30 a.m. EST"),
    ("2024-03-10T02:30-05:00", "America/New_York", "2:30 a.m. (UTC\u221205:00)"),  # none
    ("2024-07-15T08:00+03:00", "Europe/Istanbul", "8:00 a.m. (UTC+03:00)"),  # "+03"
    ("2024-07-15T08:00", "America/New_York", "8:00 a.m."),  # no offset: no zone
])
def test_a_zone_is_named_only_when_its_clock_reads_the_same(stamp, zone, shown):
    when, problem, _ = parse_date(stamp)
    assert not problem
    assert when.display(zone).endswith(shown)


def test_an_unknown_timezone_is_an_error_with_a_guess(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    timed_story(root, "America/New_Yrok")
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "site.yaml:2:11: error: 'timezone': 'America/New_Yrok' is not a time zone" in err
    assert "did you mean 'America/New_York'?" in err and "[bad-timezone]" in err


def test_every_page_is_shared_with_a_picture(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root), "--base-url", BASE]) == 0
    site = root / "site"
    for path in site_pages(site):
        parsed = soup(path)
        image = parsed.find("meta", property="og:image")
        assert image is not None, path
        assert image["content"].startswith(BASE)
        local = site / image["content"].removeprefix(BASE)
        with Image.open(local) as picture:
            assert picture.size == (int(parsed.find("meta", property="og:image:width")[
                "content"]), int(parsed.find("meta", property="og:image:height")["content"]))
    story = soup(site / "trumka-not-motivated" / "index.html")
    assert story.find("meta", property="og:image")["content"] == \
        BASE + "trumka-not-motivated/share.png"
    with Image.open(site / "trumka-not-motivated" / "share.png") as card:
        assert card.size == (1200, 630) and card.mode == "P"  # the card's own colours
    assert story.find("meta", attrs={"name": "twitter:card"})["content"] == \
        "summary_large_image"


def test_without_an_address_nothing_is_shared(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    for path in site_pages(root / "site"):
        assert soup(path).find("meta", property="og:image") is None
    assert not (root / "site" / "trumka-not-motivated" / "share.png").exists()


def test_a_card_is_drawn_only_when_its_font_has_every_character():
    assert share.draw_card("Site", "A plain headline", "A dek") is not None
    assert share.draw_card("Site", "\u0f00\u0f01\u0f02 \ue000\ue001") is None  # no glyphs
    face = share.font(share.SANS, 30)
    assert share.has_glyphs(face, "Zoë Adams") and not share.has_glyphs(face, "\ue000")


def test_a_card_that_cannot_be_drawn_shares_the_logo(tmp_path, monkeypatch):
    monkeypatch.setattr(share, "draw_card", lambda *args, **kwargs: None)
    share._site_card.cache_clear()
    settings = SiteSettings(title="T", base_url=BASE, logo_src="logo.png", logo_width=64,
                            logo_height=32)
    found = share.site_share(settings)
    share._site_card.cache_clear()
    assert found == share.SharedImage(BASE + "assets/logo.png", 64, 32, "T")


def test_cards_are_the_same_bytes_every_time():
    first = share.draw_card("Site", "Headline", "Dek", "Nov. 1, 2016")
    assert first == share.draw_card("Site", "Headline", "Dek", "Nov. 1, 2016")
    with Image.open(io.BytesIO(first)) as image:
        assert image.format == "PNG" and image.size == (share.WIDTH, share.HEIGHT)


def test_the_news_article_names_authors_dates_image_and_publisher(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "site.yaml").write_text(
        f"title: T\nbase_url: {BASE}\norganization: {{name: Bench Media, "
        "url: 'https://media.example/'}\n")
    (root / "content" / "t.md").write_text(
        "---\ntitle: T\ndate: 2016-11-01\nbyline: By Ann Writer and Bo Reed\n---\n"
        "She said \"hello\".\n")
    (root / "content" / "u.md").write_text(
        "---\ntitle: U\ndate: 2016-11-02\nbyline: Cy Lee\n"
        "byline_url: https://media.example/staff/cy-lee\n---\nHe said \"bye\".\n")
    (root / "annotations" / "t.yaml").write_text(
        "annotations:\n  - {quote: hello, source: {type: email}}\n")
    (root / "annotations" / "u.yaml").write_text(
        "annotations:\n  - {quote: bye, source: {type: email}}\n")
    assert main(["build", "--root", str(root)]) == 0

    def article(slug):
        page = soup(root / "site" / slug / "index.html")
        return json.loads(page.find("script", type="application/ld+json").string)
    t, u = article("t"), article("u")
    assert t["author"] == [{"@type": "Person", "name": "Ann Writer"},
                           {"@type": "Person", "name": "Bo Reed"}]
    assert u["author"] == {"@type": "Person", "name": "Cy Lee",
                           "url": "https://media.example/staff/cy-lee"}
    assert t["dateModified"] == t["datePublished"] == "2016-11-01"
    assert t["image"]["url"] == BASE + "t/share.png"
    assert t["publisher"] == {"@type": "Organization", "name": "Bench Media",
                              "url": "https://media.example/"}
    byline = soup(root / "site" / "u" / "index.html").select_one(".story-meta a")
    assert byline["href"] == "https://media.example/staff/cy-lee"


@pytest.mark.parametrize("byline,names", [
    ("Ann Writer", ["Ann Writer"]), ("By Ann Writer", ["Ann Writer"]),
    ("Ann Writer, Bo Reed and Cy Lee", ["Ann Writer", "Bo Reed", "Cy Lee"]),
    ("", [])])
def test_bylines_name_their_authors(byline, names):
    assert byline_names(byline) == names


def test_the_feed_carries_the_newest_stories_only(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "site.yaml").write_text(f"title: T\nbase_url: {BASE}\nfeed_size: 3\n")
    for day in range(1, 6):
        (root / "content" / f"s{day}.md").write_text(
            f"---\ntitle: S{day}\ndate: 2016-11-0{day}\n---\nNo quotes.\n")
    assert main(["build", "--root", str(root)]) == 0
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.find(f"{atom}title").text for e in feed.findall(f"{atom}entry")] == [
        "S5", "S4", "S3"]
    assert feed.find(f"{atom}updated").text == "2016-11-05T00:00:00Z"


def test_past_its_limit_the_sitemap_becomes_an_index_of_parts():
    settings = SiteSettings(title="T", base_url=BASE)
    pages = [(f"p{i}/", f"2016-11-0{i % 9 + 1}") for i in range(7)]
    files = sitemaps(settings, pages, limit=3)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    assert [s.find(f"{SM}loc").text for s in index] == [
        f"{BASE}sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = [u.find(f"{SM}loc").text for n in (1, 2, 3)
              for u in ET.fromstring(files[f"sitemap-{n}.xml"])]
    assert listed == [BASE + folder for folder, _ in pages]
    one = sitemaps(settings, pages)
    assert sorted(one) == ["sitemap.xml"]
    assert ET.fromstring(one["sitemap.xml"]).tag == f"{SM}urlset"


def test_asking_whether_a_file_is_there_never_reads_it():
    class Broken:
        sha256 = "0" * 64

        def read(self) -> bytes:
            raise OSError("damaged")
    files = SiteFiles()
    files["a.html"] = Broken()
    assert "a.html" in files and "b.html" not in files


def test_editors_get_readable_messages_for_dates_ids_and_addresses():
    """Every pattern in the schemas has a patternErrorMessage beside it (what
    yaml-language-server shows instead of the regular expression), in words."""
    folder = Path(__file__).resolve().parents[2] / "annostory" / "schemas"
    seen = 0

    def walk(node):
        nonlocal seen
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                seen += 1
                message = node.get("patternErrorMessage", "")
                assert message and len(message) <= 200, node
                assert not re.search(r"[\\^$]\(|\[0-9\]", message)  # not a regex
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    for path in folder.glob("*.schema.json"):
        walk(json.loads(path.read_text()))
    assert seen >= 15
    moment = json.loads((folder / "annotations.schema.json").read_text())["$defs"]["moment"]
    assert "2015-10-21T12:16-07:00" in moment["errorMessage"]


def test_sources_show_a_quote_within_at_most_a_little_of_its_sentence():
    from annostory.pages.notes import within

    sentence = ("So, I've decided the best way forward is to pass the torch to a new "
                "generation.")
    assert within(sentence, "pass the torch to a new generation") == (
        "So, I've decided the best way forward is to ", "pass the torch to a new generation",
        ".")
    assert within(sentence, "pass the torch to an old generation") is None
    assert within("He said it\u2019s \u201cfine.\u201d", "it's \"fine.\"")[1] == \
        "it\u2019s \u201cfine.\u201d"  # curly or straight, the same words
    long = " ".join(f"w{i}" for i in range(100))
    before, words, after = within(long, "w50 w51", room=20)
    assert before.startswith("\u2026") and after.endswith("\u2026")
    assert len(before) <= 21 and len(after) <= 21 and words == "w50 w51"
    assert long.find(before[1:]) >= 0 and before.endswith(" ")
