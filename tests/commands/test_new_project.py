"""`annostory new DIR` starts a complete project that checks and builds with 0 errors,
every local link of every page resolving, styled by the built-in theme (it has no
templates/ or static/ of its own); `annostory new story SLUG` adds a story; a project
overrides the theme file by file."""


import pytest
from bs4 import BeautifulSoup

from annostory.build.links import targets
from annostory.commands.cli import main
from annostory.commands.new import STARTER


def local_links_resolve(site) -> int:
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    count = 0
    for page in (f for f in files if f.endswith(".html")):
        for target in targets(page, (site / page).read_text()):
            assert target in ("", ".") or target in files or f"{target}/index.html" in files
            count += 1
    return count


@pytest.fixture
def newsroom(tmp_path):
    folder = tmp_path / "newsroom"
    assert main(["new", str(folder)]) == 0
    return folder


def test_a_new_project_checks_and_builds_with_every_link_resolving(newsroom, capsys):
    for name in ("site.yaml", "content/welcome.md", "annotations/welcome.yaml", ".gitignore",
                 "README.md", ".github/workflows/annostory.yml", "requirements.txt",
                 "sources/README.md", "images/README.md", "schema/annotations.schema.json"):
        assert (newsroom / name).is_file(), name
    assert not (newsroom / "templates").exists() and not (newsroom / "static").exists()
    capsys.readouterr()
    assert main(["check", "--root", str(newsroom), "--strict"]) == 0  # not even a warning
    assert main(["build", "--root", str(newsroom)]) == 0
    site = newsroom / "site"
    assert local_links_resolve(site) > 30
    for asset in ("style.css", "notes.js", "favicon.svg"):
        assert (site / "assets" / asset).is_file()
    page = BeautifulSoup((site / "welcome" / "index.html").read_text(), "html.parser")
    assert len(page.select("a.anno")) == 2
    assert "Wording checked against an excerpt of the original" in page.get_text()
    assert "site/" in (newsroom / ".gitignore").read_text()
    workflow = (newsroom / ".github" / "workflows" / "annostory.yml").read_text()
    assert "annostory check" in workflow and "annostory build" in workflow


def test_new_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    assert main(["new", str(folder)]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_new_story_adds_a_story_that_checks_and_stubs(newsroom, capsys):
    assert main(["new", "story", "city-budget", "--root", str(newsroom),
                 "--title", "Council Passes the Budget"]) == 0
    story = newsroom / "content" / "city-budget.md"
    assert "title: \"Council Passes the Budget\"" in story.read_text()
    assert main(["check", "--root", str(newsroom)]) == 0
    story.write_text(story.read_text() + '\nThe mayor said "it is done" on Friday.\n')
    assert main(["stub", "--root", str(newsroom), "city-budget"]) == 0
    assert "quote: \"it is done\"" in (newsroom / "annotations" / "city-budget.yaml").read_text()
    assert main(["new", "story", "city-budget", "--root", str(newsroom)]) == 2  # never over
    assert main(["new", "story", "Bad Name!", "--root", str(newsroom)]) == 2


def test_an_override_replaces_one_file_and_nothing_else(newsroom, capsys):
    assert main(["build", "--root", str(newsroom)]) == 0
    before = {p.relative_to(newsroom / "site").as_posix(): p.read_bytes()
              for p in (newsroom / "site").rglob("*") if p.is_file()}
    (newsroom / "templates").mkdir()
    (newsroom / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Nothing here, friend</h1>'
        "{% endblock %}\n")
    assert main(["build", "--root", str(newsroom)]) == 0
    after = {p.relative_to(newsroom / "site").as_posix(): p.read_bytes()
             for p in (newsroom / "site").rglob("*") if p.is_file()}
    assert b"Nothing here, friend" in after["404.html"]
    assert {k for k in after if after[k] != before.get(k)} == {"404.html"}


def test_theme_copy_list_and_diff(newsroom, capsys):
    assert main(["theme", "copy", "story.html", "style.css", "--root", str(newsroom)]) == 0
    copied = (newsroom / "templates" / "story.html").read_text()
    assert copied.startswith("{# annostory theme: copied from annostory")
    assert main(["build", "--root", str(newsroom)]) == 0  # the copy works as it is
    capsys.readouterr()
    assert main(["theme", "list", "--root", str(newsroom)]) == 0
    listing = capsys.readouterr().out
    assert "templates/story.html" in listing and "the same as the built-in one" in listing
    style = newsroom / "static" / "style.css"
    style.write_text(style.read_text() + "\nbody { color: #111 }\n")
    assert main(["theme", "diff", "style.css", "--root", str(newsroom)]) == 0
    assert "+body { color: #111 }" in capsys.readouterr().out
    assert main(["theme", "copy", "story.html", "--root", str(newsroom)]) == 2  # never over


def test_an_override_of_an_older_built_in_file_is_pointed_out(newsroom, capsys):
    assert main(["theme", "copy", "base.html", "--root", str(newsroom)]) == 0
    base = newsroom / "templates" / "base.html"
    first, rest = base.read_text().split("\n", 1)
    base.write_text(first[:-15] + "000000000000 #}\n" + rest)  # copied from another version
    assert main(["check", "--root", str(newsroom)]) == 0
    err = capsys.readouterr().err
    assert "templates/base.html was copied from annostory" in err
    assert "theme diff templates/base.html" in err and "[theme-override-outdated]" in err


def test_the_starter_is_complete_package_data():
    names = {p.relative_to(STARTER).as_posix() for p in STARTER.rglob("*") if p.is_file()}
    assert {"site.yaml", "content/welcome.md", "annotations/welcome.yaml", "README.md",
            "gitignore", "github-workflow.yml", "story.md", "story.yaml"} <= names
