"""More hostile inputs, each once a crash or a wrong page: noncharacters in a title
(they made the feed ill-formed XML), a headline's Markdown in <title>, thousands of
tags (tag pages grew as the square), a lone surrogate escape in YAML, an image with a
file: address, story files named with control characters or differing only in
capitals."""

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from helpers import make_project

from annostory.commands.cli import main


def story(root, front: str, body: str = "Hello.", slug: str = "t") -> None:
    (root / "content" / f"{slug}.md").write_text(f"---\n{front}\n---\n{body}\n")
    (root / "annotations" / f"{slug}.yaml").write_text("annotations: []\n")


@pytest.mark.parametrize("where", ["title", "byline", "site"])
@pytest.mark.parametrize("character", ["\\uFFFE", "\\uFFFF", "\\uFDD0", "\\U0010FFFF"])
def test_noncharacters_are_refused_wherever_they_are_written(tmp_path, capsys, where,
                                                             character):
    root = make_project(tmp_path, example=False)
    if where == "site":
        (root / "site.yaml").write_text(f'title: "A {character} B"\n')
        story(root, "title: T\ndate: 2016-11-01")
    elif where == "title":
        story(root, f'title: "A {character} B"\ndate: 2016-11-01')
    else:
        story(root, f'title: T\ndate: 2016-11-01\n{where}: "A {character} B"')
    assert main(["build", "--root", str(root), "--base-url", "https://x.example/"]) == 1
    assert "[control-character]" in capsys.readouterr().err


def test_the_feed_stays_well_formed_xml(tmp_path):
    root = make_project(tmp_path, example=False)
    story(root, 'title: "Tom & Jerry <3 ]]>"\ndate: 2016-11-01\nbyline: "A \\u00e9 B"')
    assert main(["build", "--root", str(root), "--base-url", "https://x.example/"]) == 0
    ET.parse(root / "site" / "feed.xml")
    ET.parse(root / "site" / "sitemap.xml")


def test_the_title_element_shows_the_headline_as_words(tmp_path):
    root = make_project(tmp_path, example=False)
    story(root, 'title: "The *real* story of `AT&T` [link](https://e.org)"\ndate: 2016-11-01'
          "\ntags: [x]", 'She said "a" and "b".')
    (root / "annotations" / "t.yaml").write_text(
        "annotations:\n  - {quote: a, source: {type: memo, sent: 2016-01-01}}\n"
        "  - {quote: b, source: {type: memo, sent: 2016-02-01}}\n")
    assert main(["build", "--root", str(root)]) == 0
    for page in ("t/index.html", "t/timeline/index.html"):
        soup = BeautifulSoup((root / "site" / page).read_text(), "html.parser")
        title = soup.title.get_text()
        assert "The real story of AT&T link" in title and "*" not in title and "](" not in title
    og = BeautifulSoup((root / "site" / "t" / "index.html").read_text(), "html.parser").find(
        "meta", property="og:title")["content"]
    assert og == "The real story of AT&T link"


def test_thousands_of_tags_are_refused_and_cards_show_a_few(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    tags = ", ".join(f"tag{i}" for i in range(2000))
    story(root, f"title: T\ndate: 2016-11-01\ntags: [{tags}]")
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "'tags' has 2,000 entries; at most 20 are allowed [too-many]" in err
    assert len(err) < 5000  # not the list itself
    story(root, "title: T\ndate: 2016-11-01\ntags: [" +
          ", ".join(f"tag{i}" for i in range(20)) + "]")
    assert main(["build", "--root", str(root)]) == 0
    card = BeautifulSoup((root / "site" / "tags" / "tag3" / "index.html").read_text(),
                         "html.parser").select_one(".story-card .tags")
    assert len(card.select("a")) == 5 and "and 15 more" in card.get_text()


def test_a_lone_surrogate_escape_is_named(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    story(root, 'title: "a \\ud800 b"\ndate: 2016-11-01')
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "this escape sequence is not a character" in err
    assert "closing quote is missing" not in err


def test_an_image_with_a_file_address_is_an_unsafe_link(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    story(root, "title: T\ndate: 2016-11-01", "![x](file:///etc/passwd)")
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "[unsafe-link]" in err and "images/" not in err and "root:" not in err


def test_story_files_named_with_control_characters_are_left_out(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    story(root, "title: T\ndate: 2016-11-01", slug="a\x1b[31mb")
    story(root, "title: T\ndate: 2016-11-01", slug="new\nline")
    story(root, "title: T\ndate: 2016-11-01", slug="ok")
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "content/a\\x1b[31mb.md" in err and "content/new\\nline.md" in err
    assert "\x1b" not in err and "new\nline" not in err
    assert "[bad-file-name]" in err


def test_names_that_differ_only_in_capitals_are_warned_about(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    story(root, "title: T\ndate: 2016-11-01", slug="Story")
    story(root, "title: U\ndate: 2016-11-01", slug="story")
    assert main(["check", "--root", str(root)]) == 0
    assert "content/Story.md and content/story.md differ only in capitals" in \
        capsys.readouterr().err


def test_a_path_out_of_the_project_is_not_called_a_link(tmp_path):
    from annostory.inputs.files import read_checked_bytes

    root = make_project(tmp_path, example=False)
    (tmp_path / "secret.txt").write_text("private")
    data, problems = read_checked_bytes(root / ".." / "secret.txt", root, "../secret.txt")
    assert data is None and "outside the project folder" in problems[0].message
    assert "link" not in problems[0].message and "private" not in problems[0].message
    (root / "linked.txt").symlink_to(tmp_path / "secret.txt")
    data, problems = read_checked_bytes(root / "linked.txt", root)
    assert data is None and "it is a link to" in problems[0].message
