"""The people, sources and tags indexes, and a page per person and per document."""

import posixpath
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import REPO, make_project

from annostory.commands.cli import main
from annostory.pages import directory
from annostory.pages.names import filed_under, sort_name


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(), "html.parser")


def resolve(site: Path, page: str, href: str) -> tuple[Path, str]:
    """The file a relative link of `page` (a path from the site root) leads to."""
    target, _, fragment = href.partition("#")
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    if target.endswith("/") or target == "":
        path = posixpath.join(path, "index.html")
    return site / path, fragment


def with_second_story(root: Path) -> None:
    shutil.copy(REPO / "tests" / "data" / "second-story" / "story.md",
                root / "content" / "harbor.md")
    notes = (REPO / "tests" / "data" / "second-story" / "annotations.yaml").read_text()
    (root / "annotations" / "harbor.yaml").write_text(notes)
    story = (root / "content" / "harbor.md").read_text()
    (root / "content" / "harbor.md").write_text(
        "\n".join(line for line in story.split("\n")
                  if not line.startswith(("photo:", "  file:", "  alt:", "  caption:",
                                          "  credit:"))))


@pytest.mark.parametrize("base", [[], ["--base-url", "https://news.example/"]])
def test_indexes_list_names_and_each_person_and_document_has_a_page(tmp_path, base):
    root = make_project(tmp_path)
    with_second_story(root)
    assert main(["build", "--root", str(root), *base]) == 0
    site = root / "site"
    people = soup(site / "people" / "index.html")
    names = [a.get_text() for a in people.select(".directory-entry .entry-name")]
    # by family name: Budzinski, Park, Podesta, Quinn, Renteria
    assert names == ["Nikki Budzinski", "Leo Park", "John Podesta", "Ada Quinn",
                     "Amanda Renteria"]
    assert "11 quotes in 1 story" in people.get_text(" ")
    assert people.select(".directory-quotes") == []  # names and counts, not every quote
    link = people.find("a", string="Nikki Budzinski")["href"]
    assert link == ("nikki-budzinski/" if base else "nikki-budzinski/index.html")
    page_path, _ = resolve(site, "people/index.html", link)
    person = soup(page_path)
    assert person.h1.get_text() == "Nikki Budzinski"
    assert len(person.select(".directory-quotes li")) == 11
    page = page_path.relative_to(site).as_posix()
    for a in person.select(".directory-quotes a, .story-group h2 a"):  # every link lands
        target, fragment = resolve(site, page, a["href"])
        assert target.is_file(), a["href"]
        if fragment:
            assert soup(target).find(id=fragment) is not None
    sources = soup(site / "sources" / "index.html")
    entries = sources.select(".directory-entry")
    citations = [e.select_one(".entry-name").get_text() for e in entries]
    assert {c.split(",")[0] for c in citations[:2]} == {  # 2026: newest first
        "Document", "Interview from Leo Park"}
    assert citations[-1] in ("Email chain", "Email from Amanda Renteria")  # undated last
    trumka = [e for e in entries if "\u2018Trumka\u2019" in e.get_text()][0]
    assert "Wording checked against an excerpt" in trumka.get_text()
    doc_path, _ = resolve(site, "sources/index.html", trumka.a["href"])
    document = soup(doc_path)
    assert document.h1.a["href"] == "https://wikileaks.org/podesta-emails/emailid/48788"
    assert "the story\u2019s attribution differs from the source" in document.get_text()
    tags = soup(site / "tags" / "index.html")
    assert [a.get_text() for a in tags.select(".entry-name")] == [
        "2016 campaign", "city council", "harbor", "labor"]


def test_the_story_page_links_each_speaker_and_document_to_its_page(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    site = root / "site"
    page = soup(site / "trumka-not-motivated" / "index.html")
    for a in page.select("#sources a"):
        href = a["href"]
        if href.startswith(("http", "#")):
            continue
        target, _ = resolve(site, "trumka-not-motivated/index.html", href)
        assert target.is_file(), href
    nav = [a.get_text() for a in page.select("nav.site-nav a")]
    assert nav == ["Stories", "People", "Sources", "Tags"]  # no feed without an address


def test_quote_lines_come_from_their_own_template_rendered_with_each_story(tmp_path, capsys):
    """templates/directory-quote.html makes each quote's line (with the story, cached
    with it); without the project's own, the built-in one is used; a template that
    exists in neither place is an error at its path, and the site is left alone."""
    root = make_project(tmp_path)
    line = root / "templates" / "directory-quote.html"
    line.write_text(line.read_text().replace("<li>", "<li class=\"mine\">"))
    assert main(["build", "--root", str(root)]) == 0
    pages = sorted((root / "site" / "people").glob("*/index.html"))
    assert sum(len(soup(p).select(".directory-quotes li.mine")) for p in pages) == 13
    line.unlink()
    assert main(["build", "--root", str(root)]) == 0
    budzinski = root / "site" / "people" / "nikki-budzinski" / "index.html"
    assert "class=\"mine\"" not in budzinski.read_text()
    before = budzinski.read_bytes()
    line.write_text("{% include 'gone.html' %}")
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "templates/gone.html: error: templates/gone.html does not exist" in err
    assert "[template-missing]" in err and "the built-in templates are" in err
    assert budzinski.read_bytes() == before


def test_a_custom_entry_page_gets_each_story_s_lines_where_it_writes_them(tmp_path):
    """The lines go in where the template writes a group's quotes_html (twice if it
    writes it twice); names stay escaped text around them, and the template's own
    comments are left alone."""
    root = make_project(tmp_path)
    page = root / "templates" / "directory-entry.html"
    page.write_text(page.read_text().replace(
        "{{ group.quotes_html }}",
        "{{ group.quotes_html }}\n<!-- again -->\n{{ group.quotes_html }}\n"
        "<li class=\"count\">{{ entry.count }} <!--x:0--> {{ entry.name }}</li>"))
    assert main(["build", "--root", str(root)]) == 0
    html = (root / "site" / "people" / "nikki-budzinski" / "index.html").read_text()
    parsed = BeautifulSoup(html, "html.parser")
    quotes = parsed.select(".directory-quotes li:not(.count)")
    assert len(quotes) == 22
    assert [q.get_text() for q in quotes[:11]] == [q.get_text() for q in quotes[11:]]
    assert "<!--x:0-->" in html and "<!--root-->" not in html


@pytest.mark.parametrize("name,kind,sort_as,expected", [
    ("Ismail J. Ramsey", "person", "", "Ramsey Ismail J."),
    ("Martin Luther King Jr.", "person", "", "King Martin Luther"),
    ("Karine Jean-Pierre", "person", "", "Jean-Pierre Karine"),
    ("Xi Jinping", "person", "Xi Jinping", "Xi Jinping"),
    ("Madonna", "person", "", "Madonna"),
    ("The White House", "organization", "", "White House"),
])
def test_names_sort_by_family_name_unless_told(name, kind, sort_as, expected):
    assert sort_name(name, kind, sort_as) == expected


def test_sort_as_and_organizations_order_the_people_index(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "content" / "t.md").write_text(
        "---\ntitle: T\ndate: 2024-07-24\n---\n"
        "Xi said \"one\". King said \"two\". The White House said \"three\". "
        "Zoë Adams said \"four\". Émile Zola said \"five\".\n")
    (root / "annotations" / "t.yaml").write_text(
        "people:\n"
        "  xi: {name: Xi Jinping, sort_as: Xi Jinping}\n"
        "  king: {name: Martin Luther King Jr.}\n"
        "  wh: {name: The White House, kind: organization}\n"
        "  adams: {name: Zoë Adams}\n"
        "  zola: {name: Émile Zola}\n"
        "sources:\n  s: {type: statement}\n"
        "annotations:\n"
        "  - {quote: one, speaker: xi, source: s}\n"
        "  - {quote: two, speaker: king, source: s}\n"
        "  - {quote: three, speaker: wh, source: s}\n"
        "  - {quote: four, speaker: adams, source: s}\n"
        "  - {quote: five, speaker: zola, source: s}\n")
    assert main(["build", "--root", str(root)]) == 0
    people = soup(root / "site" / "people" / "index.html")
    assert [a.get_text() for a in people.select(".entry-name")] == [
        "Zoë Adams", "Martin Luther King Jr.", "The White House", "Xi Jinping",
        "Émile Zola"]
    assert filed_under("Émile") == "E" and filed_under("12 Monkeys") == "#"


def test_long_lists_are_split_into_pages(tmp_path, monkeypatch):
    """No index or entry page grows with the archive: names and quotes go on pages
    of a fixed size, linked to each other, filed under letters when long."""
    monkeypatch.setattr(directory, "NAMES_PER_PAGE", 4)
    monkeypatch.setattr(directory, "QUOTES_PER_PAGE", 3)
    monkeypatch.setattr(directory, "LETTERS_FROM", 5)
    root = make_project(tmp_path, example=False)
    names = [f"Person {chr(65 + i)}{chr(97 + i)}" for i in range(10)]
    words = [f"w{i}x" for i in range(7)]
    body = " ".join(f'{n} said "{words[0]}{k}".' for k, n in enumerate(names)) + " " + \
        " ".join(f'Ann Lee said "{w}y".' for w in words)
    (root / "content" / "t.md").write_text(f"---\ntitle: T\ndate: 2024-07-24\n---\n{body}\n")
    notes = ["sources:\n  s: {type: statement}\nannotations:"]
    notes += [f"  - {{quote: {words[0]}{k}, speaker: {{name: {n}}}, source: s}}"
              for k, n in enumerate(names)]
    notes += [f"  - {{quote: {w}y, speaker: {{name: Ann Lee}}, source: s}}" for w in words]
    (root / "annotations" / "t.yaml").write_text("\n".join(notes) + "\n")
    assert main(["build", "--root", str(root), "--jobs", "1",
                 "--base-url", "https://news.example/"]) == 0
    site = root / "site"
    index_pages = sorted(p.relative_to(site).as_posix()
                         for p in (site / "people").glob("**/index.html")
                         if re.fullmatch(r"people/(page/\d+/)?index\.html",
                                         p.relative_to(site).as_posix()))
    assert index_pages == ["people/index.html", "people/page/2/index.html",
                           "people/page/3/index.html"]  # 11 names, 4 a page
    first = soup(site / "people" / "index.html")
    assert first.select_one("a[rel=next]")["href"] == "page/2/"
    assert first.select("h2.letter")  # filed under letters
    lee = sorted((site / "people" / "ann-lee").glob("**/index.html"))
    assert len(lee) == 3  # 7 quotes, 3 a page
    counts = [len(soup(p).select(".directory-quotes li")) for p in lee]
    assert sorted(counts) == [1, 3, 3]
    sitemap = (site / "sitemap.xml").read_text()
    assert "https://news.example/people/ann-lee/page/3/" in sitemap


def test_lines_never_carry_the_root_marker_into_a_page(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    for page in (root / "site").glob("**/*.html"):
        assert directory.ROOT not in page.read_text()
    text = (root / "site" / "people" / "nikki-budzinski" / "index.html").read_text()
    assert re.search(r'href="\.\./\.\./trumka-not-motivated/index\.html#quote-', text)
