"""The built example site honours the output contract (issue: the annotated story end to end)."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import make_project

from annostory.commands.cli import main

ARTICLE = (Path(__file__).resolve().parents[1] / "data" / "article.txt").read_text("utf-8")
SLUG = "trumka-not-motivated"


def straighten(text: str) -> str:
    return (text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"')
            .replace("\u201d", '"'))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("example"))
    out = tmp_path_factory.mktemp("site") / "site"
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def page(site):
    return BeautifulSoup((site / SLUG / "index.html").read_text("utf-8"), "html.parser")


def test_every_quote_is_one_focusable_element_described_by_its_note(page):
    quotes = page.select(".anno, .anno-marker")
    assert len(quotes) == 13
    ids = [q["id"] for q in quotes]
    assert len(set(ids)) == 13
    for q in quotes:
        assert q.name == "a" and q["href"].startswith("#note-")
        note = page.find(id=q["href"][1:])
        assert note is not None and note.name == "li"
        described = page.find(id=q["aria-describedby"])
        assert described is not None and described.find_parent("li") is note
        assert described.select_one(".note-source").get_text(strip=True)


def test_all_twelve_double_quoted_passages_and_the_headline_are_annotated(page):
    passages = re.findall(r'"([^"]+)"', ARTICLE)
    assert len(passages) == 12
    annotated = [straighten(a.get_text()) for a in page.select("a.anno")]
    for passage in passages:
        core = passage.rstrip(",. ")
        assert any(text.rstrip(".") == core.rstrip(".") for text in annotated), passage
    headline = page.select_one("h1 a.anno")
    assert headline is not None and headline.get_text() == "Not Motivated"


def test_story_words_are_exactly_as_published(page):
    paragraphs = [p for p in ARTICLE.split("\n\n")[3:] if p.strip()]  # after the credit + date
    shown = [straighten(p.get_text()) for p in page.select(".story-body p")]
    assert shown == [p.strip() for p in paragraphs]
    text = " ".join(shown)
    for kept in ("(sic)", "Its impossible", "that have endorse speak", "her .... this"):
        assert kept in text
    assert straighten(page.select_one("h1").get_text()) == ARTICLE.split("\n")[0]
    assert page.select_one(".dek").get_text() == ARTICLE.split("\n")[2]


def note_text(page, note_id):
    return " ".join(page.find(id=f"note-{note_id}").get_text(" ").split()).replace(" ,", ",")


def document_text(page, note_id):
    """The Sources entry of the document a note cites (its full citation)."""
    note = page.find(id=f"note-{note_id}")
    ref = note.select_one(".document-ref")["href"]
    assert note.find_parent("li", class_="document")["id"] == ref[1:]
    return " ".join(page.find(id=ref[1:]).select_one(".document-citation").get_text(
        " ").split()) + " " + " ".join(page.find(id=ref[1:]).get_text(" ").split())


def test_notes_hold_speaker_date_source_and_note(page):
    text = note_text(page, "delegation-of-presidents")
    assert "Nikki Budzinski, Clinton campaign labor outreach director" in text
    assert "Oct. 21, 2015, 12:16 p.m. (UTC\u221207:00)" in text
    assert "Source: Email from Nikki Budzinski [" in text  # the short form, and its number
    assert "Email from Nikki Budzinski to John Podesta, \u2018AFL-CIO Math\u2019" in \
        document_text(page, "delegation-of-presidents")
    link = page.find(id="note-delegation-of-presidents").select_one(".note-source a")
    assert link["href"] == "https://wikileaks.org/podesta-emails/emailid/16463"


def test_attribution_discrepancy_is_stated_plainly(page):
    text = note_text(page, "definitely-post-iowa-nh")
    assert "Said by John Podesta" in text
    assert ("Email from John Podesta to Nikki Budzinski, Amanda Renteria, Marlon Marshall, "
            "Robby Mook and Sara Latham, \u2018Trumka\u2019, Nov. 3, 2015") in \
        document_text(page, "definitely-post-iowa-nh")
    assert ("The story attributes these words to Nikki Budzinski, but the words are John "
            "Podesta\u2019s and the email was sent by John Podesta.") in text
    strong = page.find(id="note-definitely-post-iowa-nh").select_one(".note-attribution strong")
    assert "attributes these words to Nikki Budzinski" in strong.get_text()
    assert "sent by John Podesta, not by Budzinski" in text  # the author's reason
    assert len(page.select(".note-attribution")) == 1  # and no other quote flagged
    link = page.find(id="note-definitely-post-iowa-nh").select_one(".note-source a")
    assert link["href"] == "https://wikileaks.org/podesta-emails/emailid/48788"


def test_dates_are_shown_with_their_precision(page):
    assert "Sept. 6, 2015 (date uncertain)" in note_text(page, "annoying")
    assert "about Sept. 2015" in note_text(page, "call-and-say-sorry")
    assert "Feb. 17, 2016" in note_text(page, "near-sixty-percent")
    times = {t["datetime"] for t in page.select(".note-date time")}
    assert {"2015-09-06", "2015-09", "2016-02-17"} <= times


def test_no_invented_sources(page):
    """Only the two emails SOURCES.md checked have links; the rest say how they are known."""
    links = {a["href"] for a in page.select(".note-source a, .document-citation a")
             if not a["href"].startswith("#")}
    assert links == {"https://wikileaks.org/podesta-emails/emailid/16463",
                     "https://wikileaks.org/podesta-emails/emailid/48788"}
    assert "Known only from other reports" in document_text(page, "iowa-per-capita")
    assert "Not checked against the original" in document_text(page, "the-only-play")


def test_sources_list_each_document_once_with_its_quotes_in_reading_order(page):
    notes = page.select("#sources li.note")
    assert len(notes) == 13
    in_text = [a["id"].removeprefix("quote-") for a in page.select(".anno, .anno-marker")]
    assert sorted(n["id"].removeprefix("note-") for n in notes) == sorted(in_text)
    documents = page.select("#sources li.document")
    citations = [d.select_one(".document-citation").get_text(" ", strip=True)
                 for d in documents]
    assert len(citations) == len(set(citations))  # each document once
    first_seen = []  # documents are numbered in the order the story first cites them
    for quote_id in in_text:
        number = page.find(id=f"note-{quote_id}").find_parent("li", class_="document")["id"]
        if number not in first_seen:
            first_seen.append(number)
    assert first_seen == [d["id"] for d in documents]
    assert [d["id"] for d in documents] == [f"source-{i + 1}" for i in range(len(documents))]
    for document in documents:  # within a document, its quotes in reading order
        ids = [n["id"].removeprefix("note-") for n in document.select("li.note")]
        assert ids == [q for q in in_text if q in ids]
        for note in document.select("li.note"):
            assert note.select_one(".document-ref")["href"] == "#" + document["id"]
            assert int(note["value"]) == in_text.index(note["id"].removeprefix("note-")) + 1
    for n in notes:
        back = n.select_one("a.backlink")
        assert back["href"] == "#quote-" + n["id"].removeprefix("note-")
        assert page.find(id=back["href"][1:]) is not None


def test_links_inside_the_site_are_relative(site):
    """(404.html is served at any address: its links are checked below.)"""
    for path in site.rglob("*.html"):
        if path.name == "404.html":
            continue
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(["a", "link", "script", "img"]):
            url = tag.get("href") or tag.get("src")
            if url is None:
                continue
            if re.match(r"^(https?:|mailto:)", url):
                assert tag.name == "a" or tag.get("rel") == ["canonical"], url
                continue
            assert not url.startswith("/") and ":" not in url.split("/")[0], (path, url)
            target = (path.parent / url.split("#")[0]).resolve() if url.split("#")[0] else path
            assert target.exists(), (path, url)


def test_index_lists_the_story(site):
    soup = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
    cards = soup.select(".story-card")
    assert len(cards) == 1
    card = cards[0]
    assert card.select_one("a")["href"] == f"{SLUG}/index.html"
    assert straighten(card.select_one("h2").get_text()) == ARTICLE.split("\n")[0]
    assert "Nov. 1, 2016" in card.get_text() and "13 of 13 quotations carry a note" in \
        card.get_text()


def test_the_404_page_links_from_any_address(site):
    soup = BeautifulSoup((site / "404.html").read_text("utf-8"), "html.parser")
    urls = [tag.get("href") or tag.get("src") for tag in soup.find_all(["a", "link", "script"])]
    assert urls and all(u.startswith(("/", "#", "http")) for u in urls if u)
    assert soup.find("a", href="/") is not None
