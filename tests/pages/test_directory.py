"""The people and sources pages, across every story."""

import shutil

from bs4 import BeautifulSoup
from helpers import REPO, make_project

from annostory.commands.cli import main


def test_people_and_sources_pages_list_every_quote_across_stories(tmp_path):
    root = make_project(tmp_path)
    shutil.copy(REPO / "tests" / "data" / "second-story" / "story.md",
                root / "content" / "harbor.md")
    notes = (REPO / "tests" / "data" / "second-story" / "annotations.yaml").read_text()
    (root / "annotations" / "harbor.yaml").write_text(notes)
    story = (root / "content" / "harbor.md").read_text()
    (root / "content" / "harbor.md").write_text(
        "\n".join(line for line in story.split("\n")
                  if not line.startswith(("photo:", "  file:", "  alt:", "  caption:",
                                          "  credit:"))))
    assert main(["build", "--root", str(root)]) == 0
    site = root / "site"
    people = BeautifulSoup((site / "people" / "index.html").read_text(), "html.parser")
    names = [h2.get_text() for h2 in people.select(".directory-entry h2")]
    assert names == sorted(names)
    assert {"Nikki Budzinski", "John Podesta", "Ada Quinn", "Leo Park"} <= set(names)
    budzinski = people.find(id="person-nikki-budzinski")
    assert len(budzinski.select(".directory-quotes li")) == 11
    sources = BeautifulSoup((site / "sources" / "index.html").read_text(), "html.parser")
    trumka = [e for e in sources.select(".directory-entry") if "Trumka" in e.h2.get_text()][0]
    assert trumka.h2.a["href"] == "https://wikileaks.org/podesta-emails/emailid/48788"
    assert "the story\u2019s attribution differs from the source" in trumka.get_text()
    assert "Wording checked against an excerpt" in trumka.get_text()
    for page in (people, sources):  # every quote link resolves to its quote
        for a in page.select(".directory-quotes a"):
            target, fragment = a["href"].split("#")
            html = (site / "people" / target).resolve()
            assert BeautifulSoup(html.read_text(), "html.parser").find(id=fragment)
    story_page = BeautifulSoup((site / "trumka-not-motivated" / "index.html").read_text(),
                               "html.parser")
    assert story_page.find("a", href="../people/index.html")
    assert story_page.find("a", href="../sources/index.html")


def test_quote_lines_come_from_their_own_template_rendered_with_each_story(tmp_path, capsys):
    """templates/directory-quote.html makes each quote's line of the people and sources
    pages (with the story, cached with it); without the project's own, the built-in
    one is used; a template that exists in neither place is an error at its path,
    and the site is left alone."""
    root = make_project(tmp_path)
    line = root / "templates" / "directory-quote.html"
    line.write_text(line.read_text().replace("<li>", "<li class=\"mine\">"))
    assert main(["build", "--root", str(root)]) == 0
    people = BeautifulSoup((root / "site" / "people" / "index.html").read_text(),
                           "html.parser")
    assert len(people.select(".directory-quotes li.mine")) == 13  # the example's quotes
    line.unlink()
    assert main(["build", "--root", str(root)]) == 0
    people = (root / "site" / "people" / "index.html").read_text()
    assert "class=\"mine\"" not in people and "directory-quotes" in people
    before = (root / "site" / "people" / "index.html").read_bytes()
    line.write_text("{% include 'gone.html' %}")
    capsys.readouterr()
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "templates/gone.html: error: templates/gone.html does not exist" in err
    assert "[template-missing]" in err and "the built-in templates are" in err
    assert (root / "site" / "people" / "index.html").read_bytes() == before


def test_a_custom_people_page_gets_each_entry_s_lines_where_it_writes_them(tmp_path):
    """The lines go in where the template writes quotes_html (twice if it writes it
    twice), with `count`; names and roles stay escaped text around them."""
    root = make_project(tmp_path)
    page = root / "templates" / "directory.html"
    page.write_text(page.read_text().replace(
        "{{ entry.quotes_html }}",
        "{{ entry.quotes_html }}\n<!-- again -->\n{{ entry.quotes_html }}\n"
        "<li class=\"count\">{{ entry.count }} <!--x:0--> {{ entry.name }}</li>"))
    assert main(["build", "--root", str(root)]) == 0
    html = (root / "site" / "people" / "index.html").read_text()
    soup = BeautifulSoup(html, "html.parser")
    for entry in soup.select(".directory-entry"):
        count = int(entry.select_one("li.count").get_text().split()[0])
        quotes = entry.select(".directory-quotes li:not(.count)")
        assert count >= 1 and len(quotes) == 2 * count
        assert [q.get_text() for q in quotes[:count]] == [q.get_text() for q in quotes[count:]]
    assert "<!--x:0-->" in html  # the template's own text is left alone
