"""Originals written to hurt: no address from an email reaches any output (the sentence
shown, names, the subject, JSON-LD, the feed), control characters and bidirectional
overrides never reach a page (removed, with a warning naming the file and header),
unknown character sets and absurd nesting are clear messages, hidden HTML is not the
original's words, and an original must be a file under sources/."""

import base64
import re

import pytest
from helpers import make_project

from annostory.commands.cli import main


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


HEAD = "Date: Wed, 04 Nov 2015 09:10:00 -0500\nContent-Type: text/plain; charset=utf-8\n"
EMAILS = {
    "reply.eml": "From: Ben Ortiz <ben@example.org>\nTo: Zoe Marsh <zoe@example.org>\n"
                 "Subject: Re: Pier\n" + HEAD + "\nThanks. Write to me at "
                 "ben.ortiz@example.org if the pier is safe for now.\n\nOn Tue, Nov 3, 2015 "
                 "at 6:00 PM, Nikki Budzinski <nbudzinski@example.com> wrote:\n> Fine.\n",
    "names.eml": 'From: "john@example.com" <john@example.com>\nTo: "ann@example.com" '
                 '<ann@example.com>, Bob Roy <bob@example.com>\nCc: "carl@example.com" '
                 '<carl@example.com>\nSubject: Plans for john@example.com\n' + HEAD +
                 "\nThe pier is safe for now.\n",
    "controls.eml": "From: =?utf-8?b?" + b64("Zo\u202ee\x1b[2J Marsh\x00") + "?= "
                    "<x@example.org>\nSubject: =?utf-8?b?" + b64("Pier\x9b safety") + "?=\n"
                    + HEAD + "\nThe pier\x1b[31m is safe\x07 for now \u202e.\n",
    "charset.eml": "From: Ann Lee <ann@example.org>\nSubject: Pier\nContent-Type: text/plain; "
                   'charset="unknown-8bit"\n\nThe pier is safe for now.\n',
}
FORBIDDEN = re.compile("@example\\.|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                       "\ufffe\uffff]")


def write(root, name, story_quote="the pier is safe for now", slug=None):
    slug = slug or name.split(".")[0]
    (root / "content" / f"{slug}.md").write_text(
        f'---\ntitle: {slug}\ndate: 2016-11-01\n---\nShe wrote that "{story_quote}" today.\n')
    (root / "annotations" / f"{slug}.yaml").write_text(
        f"sources:\n  s: {{type: email, original: sources/{name}}}\nannotations:\n"
        f"  - quote: {story_quote}\n    source: s\n")


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "sources").mkdir()
    for name, text in EMAILS.items():
        (root / "sources" / name).write_bytes(text.encode("utf-8"))
        write(root, name)
    return root


def test_no_address_or_unsafe_character_from_an_email_reaches_any_output(root, capsys):
    assert main(["build", "--root", str(root), "--base-url", "https://x.example/"]) == 0
    err = capsys.readouterr().err
    outputs = [p for p in (root / "site").rglob("*") if p.is_file() and p.suffix in (
        ".html", ".jsonld", ".xml")]
    assert len(outputs) > 10
    for path in outputs:
        text = path.read_text("utf-8")
        assert not FORBIDDEN.search(text), (path, FORBIDDEN.search(text))
    page = (root / "site" / "reply" / "index.html").read_text()
    assert "Write to me at [address] if the pier is safe for now." in page  # redacted
    assert "Budzinski" not in page  # the reply's header is not the sentence
    names = (root / "site" / "names" / "index.html").read_text()
    assert "Email to Bob Roy" in names and "Plans for [address]" in names
    controls = (root / "site" / "controls" / "index.html").read_text()
    assert "Email from Zoe Marsh" in controls and "Pier safety" in controls
    for where in ("the body", "the Subject header", "the From header"):
        assert f"{where} of sources/controls.eml holds invisible characters" in err
    assert "sources/charset.eml says its text is in the character set 'unknown-8bit'" in err
    assert "[original-characters]" in err and "[original-charset]" in err


def test_an_email_nested_a_thousand_deep_is_a_clear_error(root, capsys):
    deep = "From: a@b.example\nSubject: deep\nMIME-Version: 1.0\n"
    for i in range(1000):
        deep += f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'
    deep += "Content-Type: text/plain\n\nThe pier is safe for now.\n"
    (root / "sources" / "deep.eml").write_text(deep)
    write(root, "deep.eml")
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "[original-unreadable]" in err and "internal error" not in err


def test_words_only_in_hidden_html_are_not_the_original_s(root, capsys):
    (root / "sources" / "hidden.eml").write_text(
        "From: Ben <ben@example.org>\nSubject: Pier\nContent-Type: text/html; charset=utf-8"
        "\n\n<html><head><title>the pier is safe for now</title></head><body>"
        '<p style="display: none">the railing is fine</p><div hidden>the vote is close</div>'
        "<p>Nothing else.</p></body></html>\n")
    for slug, quote in (("title", "the pier is safe for now"), ("styled", "the railing is fine"),
                        ("hidden", "the vote is close")):
        write(root, "hidden.eml", quote, slug=slug)
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.count("[misquote]") == 3


@pytest.mark.parametrize("path", ["sources/../content/title.md", "sources/link.txt"])
def test_an_original_is_a_file_under_sources(root, capsys, path):
    (root / "content" / "title.md").write_text(
        '---\ntitle: T\ndate: 2016-11-01\n---\nShe wrote that "the pier is safe" today.\n')
    (root / "sources" / "link.txt").symlink_to(root / "content" / "title.md")
    (root / "annotations" / "title.yaml").write_text(
        f"sources:\n  s: {{type: document, original: '{path}'}}\nannotations:\n"
        "  - quote: the pier is safe\n    source: s\n")
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"{path} is not a file under sources/ [original-outside-sources]" in err
