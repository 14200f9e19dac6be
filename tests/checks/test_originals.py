"""Quotes checked against their sources' originals (emails parsed
with the standard library: multipart, quoted-printable, base64, encoded headers,
quoted replies, HTML only) or excerpts; verification computed, never claimed."""

import shutil

import pytest
from bs4 import BeautifulSoup
from helpers import REPO, make_project

from annostory.commands.cli import main
from annostory.inputs.emails import parse_email

DATA = REPO / "tests" / "data" / "originals"


@pytest.fixture
def project(tmp_path):
    root = make_project(tmp_path, example=False)
    shutil.copytree(DATA, root / "sources")
    return root


def write(root, story, quote, source, extra=""):
    (root / "content" / "t.md").write_text(f"---\ntitle: T\ndate: 2016-11-01\n---\n{story}\n")
    (root / "annotations" / "t.yaml").write_text(
        f"sources:\n  s:\n{source}annotations:\n  - id: q\n    quote: \"{quote}\"\n"
        f"    source: s\n{extra}")


def build(root, capsys):
    code = main(["build", "--root", str(root)])
    return code, capsys.readouterr().err


def about(root, quote_id):
    soup = BeautifulSoup((root / "site" / "t" / "index.html").read_text(), "html.parser")
    return " ".join(soup.find(id=f"about-{quote_id}").get_text(" ").split())


def test_emails_are_decoded_to_text_and_names():
    message = parse_email((DATA / "multipart.eml").read_bytes())
    text, headers = message.text, message.headers
    assert message.diagnostics == []
    assert "east railing needs work" in text.replace("=\n", "") or "east rail" in text
    assert headers["from"] == ["Zo\u00eb Marsh"] and headers["cc"] == ["Carl Diaz"]
    assert headers["to"] == ["Ben Ortiz", "Ada Quinn"]
    assert headers["subject"] == "Pier safety \u2014 next steps"
    assert headers["sent"] == "2015-11-03T18:38-05:00"
    text = parse_email((DATA / "htmlonly.eml").read_bytes()).text
    assert "We owe the harbor a plan" in " ".join(text.split()) and "ignored" not in text


@pytest.mark.parametrize("file,story,quote", [
    ("multipart.eml", 'Marsh wrote that "the east railing needs work before the spring '
     'crowds arrive."', "the east railing needs work before the spring crowds arrive"),
    ("reply.eml", 'Ortiz quoted her: "the pier is safe for now, but the east railing needs '
     'work."', "the pier is safe for now, but the east railing needs work"),
    ("htmlonly.eml", 'Quinn wrote: "We owe the harbor a plan, and we owe it this spring."',
     "We owe the harbor a plan, and we owe it this spring"),
])
def test_a_quote_found_in_its_email_is_checked_and_shown_in_context(project, capsys, file,
                                                                    story, quote):
    write(project, story, quote, f"    type: email\n    original: sources/{file}\n")
    code, err = build(project, capsys)
    assert code == 0, err
    text = about(project, "q")
    assert "Wording checked against the original email." in text
    html = (project / "site" / "t" / "index.html").read_text()
    assert "@example.org" not in html  # names only, no addresses


def test_headers_fill_the_source_and_disagreements_are_warnings(project, capsys):
    write(project, 'She said "the pier is safe for now" today.', "the pier is safe for now",
          "    type: email\n    original: sources/multipart.eml\n")
    code, err = build(project, capsys)
    assert code == 0
    html = (project / "site" / "t" / "index.html").read_text()
    assert "Email from Zo\u00eb Marsh to Ben Ortiz and Ada Quinn, \u2018Pier safety \u2014 " \
        "next steps\u2019, Nov. 3, 2015" in html
    write(project, 'She said "the pier is safe for now" today.', "the pier is safe for now",
          "    type: email\n    subject: Harbor\n    original: sources/multipart.eml\n")
    code, err = build(project, capsys)
    assert code == 0
    assert "'subject' is 'Harbor' here but 'Pier safety \u2014 next steps' in the original " \
        "email [original-differs]" in err
    write(project, 'She said "the pier is safe for now" today.', "the pier is safe for now",
          "    type: email\n    to: [{name: Ben Ortiz}]\n    original: sources/multipart.eml\n")
    code, err = build(project, capsys)
    assert "'to' is 'Ben Ortiz' here but 'Ben Ortiz, Ada Quinn' in the original email" in err


def test_a_misquote_is_an_error_with_the_closest_passage_and_a_diff(project, capsys):
    write(project, 'She said "the pier is safe for good" today.', "the pier is safe for good",
          "    type: email\n    original: sources/multipart.eml\n")
    code, err = build(project, capsys)
    assert code == 1
    assert "the quote's words differ from its source's email (sources/multipart.eml): " \
        "changed words: \u201cgood\u201d where the original has \u201cnow\u201d [misquote]" in err
    assert "the original has \u201cThe pier is safe for now, but the east railing needs " \
        "work before the spring crowds arrive.\u201d" in err
    assert "(difference: The pier is safe for [-good-] {+now+})" in err


@pytest.mark.parametrize("story,quote", [
    ('"The pier is safe for now, but [the] east railing needs work," she wrote.',
     "The pier is safe for now, but [the] east railing needs work"),
    ('"The inspectors came back today \u2026 the east railing needs work," she wrote.',
     "The inspectors came back today \u2026 the east railing needs work"),
    ('"I will ask the council for the money on Thursday (sic)," she wrote.',
     "I will ask the council for the money on Thursday (sic)"),
])
def test_marked_changes_are_allowed(project, capsys, story, quote):
    write(project, story, quote, "    type: email\n    original: sources/multipart.eml\n")
    code, err = build(project, capsys)
    assert code == 0, err


def test_a_paraphrase_is_not_checked_word_for_word_and_says_so(project, capsys):
    write(project, 'She said the pier was "fine for the time being."', "fine for the time being",
          "    type: email\n    original: sources/multipart.eml\n",
          "    verified: paraphrase\n    verified_reason: The email says 'safe for now'.\n")
    code, err = build(project, capsys)
    assert code == 0, err
    assert "A paraphrase, not the original's words: The email says 'safe for now'." in \
        about(project, "q")


def test_an_excerpt_is_checked_and_named(project, capsys):
    write(project, 'He said "the vote is close" today.', "the vote is close",
          "    type: email\n    excerpt:\n      text: I think the vote is close.\n"
          "      seen_at: a printed copy\n")
    assert build(project, capsys)[0] == 0
    assert "Wording checked against an excerpt of the original (seen at a printed copy)." in \
        about(project, "q")
    write(project, 'He said "the vote is far" today.', "the vote is far",
          "    type: email\n    excerpt:\n      text: I think the vote is close.\n")
    code, err = build(project, capsys)
    assert code == 1 and "[misquote]" in err


def test_without_an_original_nothing_is_claimed_as_checked(project, capsys):
    write(project, 'He said "the vote is close" today.', "the vote is close",
          "    type: email\n    verification: original\n")
    assert build(project, capsys)[0] == 0
    html = (project / "site" / "t" / "index.html").read_text()
    assert "Wording checked" not in html
    assert "Reported as matching the original; not checked by this site." in html


def test_the_example_checks_what_sources_md_gives_and_claims_nothing_else(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    soup = BeautifulSoup((root / "site" / "trumka-not-motivated" / "index.html").read_text(),
                         "html.parser")
    checked = [div["id"] for div in soup.select(".note-body")
               if "Wording checked" in div.get_text()]
    assert checked == ["about-delegation-of-presidents", "about-definitely-post-iowa-nh"]
    context = soup.find(id="about-definitely-post-iowa-nh").select_one(".note-context")
    assert "He is aiming for an endorsement at mid-winter meeting" in context.get_text()


@pytest.mark.parametrize("setting,code,expected", [
    ("", 0, "warning: only the punctuation"), ("punctuation_differs: warn\n", 0, "warning:"),
    ("punctuation_differs: error\n", 1, "error: only the punctuation"),
    ("punctuation_differs: ignore\n", 0, None)])
def test_the_site_chooses_what_a_punctuation_difference_is(project, capsys, setting, code,
                                                            expected):
    (project / "site.yaml").write_text("title: T\n" + setting)
    write(project, 'He said "the pier is safe for now but the east railing needs work."',
          "the pier is safe for now but the east railing needs work",
          "    type: email\n    original: sources/multipart.eml\n")
    assert main(["check", "--root", str(project)]) == code
    err = capsys.readouterr().err
    if expected:
        assert expected in err and "[punctuation-differs]" in err
    else:
        assert "punctuation" not in err


def test_an_acceptance_needs_a_reason(project, capsys):
    write(project, 'He said "the pier is safe for now" today.', "the pier is safe for now",
          "    type: email\n    original: sources/multipart.eml\n", "    verified: misquoted\n")
    assert main(["check", "--root", str(project)]) == 1
    assert "[missing-verified_reason]" in capsys.readouterr().err


def test_a_misquote_kept_as_published_shows_the_original_s_words_in_bold(project, capsys):
    write(project, 'She said "the pier is safe for good" today.', "the pier is safe for good",
          "    type: email\n    original: sources/multipart.eml\n",
          "    verified: misquoted\n    verified_reason: The paper printed it so.\n")
    code, err = build(project, capsys)
    assert code == 0, err
    soup = BeautifulSoup((project / "site" / "t" / "index.html").read_text(), "html.parser")
    bold = soup.find(id="about-q").select_one(".note-differs strong").get_text()
    assert bold == "The original has \u201cThe pier is safe for now\u201d."
    assert "The paper printed it so." in about(project, "q")
