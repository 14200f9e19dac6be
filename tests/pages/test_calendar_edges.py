"""Dates at the calendar's edges never crash a build (they did: 'year 10000 is out of
range'): quote and source dates, a story's date and an email's Date header of year
9999, the last season of 9999, year 0001; year 0000 is refused with a message."""

import pytest
from helpers import make_project

from annostory.commands.cli import main


@pytest.mark.parametrize("when", ["9999-12", "9999", "9999-24", "9999-12-31", "0001-01-01",
                                  "0001", "9999-12-31T23:59+14:00", "0001-01-01T00:00-12:00",
                                  "9999-24~", "0001-21?"])
def test_edge_dates_build_with_their_timeline(tmp_path, when):
    root = make_project(tmp_path, example=False)
    (root / "content" / "t.md").write_text(
        f'---\ntitle: T\ndate: "{when[:10] if "T" in when else "9999-12-31"}"\n---\n'
        'She said "hello" and "goodbye".\n')
    (root / "annotations" / "t.yaml").write_text(
        f'annotations:\n  - quote: hello\n    date: "{when.split("T")[0]}"\n'
        '    source: {type: memo}\n'
        f'  - quote: goodbye\n    source: {{type: memo, sent: "{when}"}}\n')
    assert main(["build", "--root", str(root), "--base-url", "https://x.example/"]) == 0
    assert (root / "site" / "t" / "timeline" / "index.html").is_file()


def test_an_email_dated_9999_builds(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "sources").mkdir()
    (root / "sources" / "e.eml").write_text(
        "From: Ann Lee <a@example.org>\nDate: Fri, 31 Dec 9999 23:59:59 +0000\n"
        "Subject: End\n\nThe pier is safe.\n")
    (root / "content" / "t.md").write_text(
        '---\ntitle: T\ndate: 2016-01-01\n---\nShe said "the pier is safe" today.\n')
    (root / "annotations" / "t.yaml").write_text(
        "annotations:\n  - quote: the pier is safe\n    source: {type: email, original: "
        "sources/e.eml}\n")
    assert main(["build", "--root", str(root)]) == 0
    assert "Dec. 31, 9999" in (root / "site" / "t" / "index.html").read_text()


def test_year_zero_is_refused_with_a_message(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    (root / "content" / "t.md").write_text('---\ntitle: T\ndate: "0000"\n---\nHello.\n')
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "there is no year 0000" in err and "internal error" not in err
