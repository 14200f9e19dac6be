"""Organizations speak and send (a White House statement, a Justice Department
release), and a source's type is open: known types keep their wording, any other is
shown as written, and a near miss of a known one is a warning with did-you-mean."""

from bs4 import BeautifulSoup
from helpers import make_project

from annostory.commands.cli import main

STORY = """---
title: T
date: 2024-07-24
---
The White House said the plan was "ready for the summer" on Wednesday.
"""


def build(tmp_path, source_type: str, capsys):
    root = make_project(tmp_path, example=False)
    (root / "content" / "t.md").write_text(STORY)
    (root / "annotations" / "t.yaml").write_text(
        "people:\n  wh: {name: The White House, kind: organization}\n"
        f"sources:\n  s: {{type: {source_type}, from: wh, sent: 2024-07-24}}\n"
        "annotations:\n  - {id: q, quote: ready for the summer, speaker: wh, source: s}\n")
    code = main(["build", "--root", str(root)])
    return root, code, capsys.readouterr().err


def test_an_organization_speaks_and_sends(tmp_path, capsys):
    root, code, err = build(tmp_path, "statement", capsys)
    assert code == 0, err
    assert "attribution-differs" not in err  # "The White House said": its own words
    soup = BeautifulSoup((root / "site" / "t" / "index.html").read_text(), "html.parser")
    note = " ".join(soup.find(id="about-q").get_text(" ").split())
    assert "Statement from The White House" in note and "Said by The White House" in note


def test_an_open_type_is_shown_as_written(tmp_path, capsys):
    root, code, err = build(tmp_path, "press-release", capsys)
    assert code == 0 and "unknown-source-type" not in err
    assert "Press release from The White House" in (root / "site" / "t" / "index.html").read_text()
    (tmp_path / "other").mkdir()
    root, code, err = build(tmp_path / "other", "court filing", capsys)
    assert code == 0 and "unknown-source-type" not in err
    assert "Court filing from The White House" in (root / "site" / "t" / "index.html").read_text()


def test_a_near_miss_of_a_known_type_is_a_warning(tmp_path, capsys):
    _, code, err = build(tmp_path, "emial", capsys)
    assert code == 0
    assert "the type 'emial' is shown as written; did you mean 'email'? " \
        "[unknown-source-type]" in err
