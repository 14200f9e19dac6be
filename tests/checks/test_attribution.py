"""The story's own attribution of each quote, checked."""

import pytest
from helpers import make_project

from annostory.commands.cli import main


def run(root, capsys) -> str:
    main(["check", "--root", str(root)])
    return capsys.readouterr().err


def test_the_example_s_discrepancy_is_found_by_itself_and_nothing_else(tmp_path, capsys):
    root = make_project(tmp_path)
    notes = root / "annotations" / "trumka-not-motivated.yaml"
    text = notes.read_text()
    assert "attribution: disputed" in text
    notes.write_text("\n".join(line for line in text.split("\n")
                               if "attribution" not in line and
                               "The email that holds these words" not in line) + "\n")
    err = run(root, capsys)
    found = [line for line in err.split("\n") if "[attribution-differs]" in line]
    assert len(found) == 1
    assert found[0].startswith("annotations/trumka-not-motivated.yaml:")
    assert "The story attributes these words to Nikki Budzinski, but the words are John " \
        "Podesta\u2019s and the email was sent by John Podesta." in found[0]


PEOPLE = ("people:\n  ann: {name: Ann Lee}\n  bob: {name: Bob Roy}\n"
          "sources:\n  s: {type: email, from: ann}\n  t: {type: email, from: bob}\n")


@pytest.mark.parametrize("story,source,speaker,expected", [
    ('Ann Lee said the plan was "ready now" on Monday.\n', "s", "ann", None),
    ('Bob Roy said the plan was "ready now" on Monday.\n', "s", "ann", "Bob Roy"),
    ('Lee told Roy that it was "ready now" on Monday.\n', "s", "ann", None),
    ('Roy told Lee that it was "ready now" on Monday.\n', "t", "bob", None),
    ('Ann Lee spoke first.\n\n"It is ready now," she said.\n', "s", "ann", None),
    ('Bob Roy spoke first.\n\n"It is ready now," she said.\n', "s", "ann", "Bob Roy"),
    ('Ann Lee wrote on Monday.\n\n"It is ready now."\n', "s", "ann", None),
    ('Nobody is named here, yet "it is ready now" they say.\n', "s", "ann", None),
])
def test_attribution_cases(tmp_path, capsys, story, source, speaker, expected):
    root = make_project(tmp_path, example=False)
    (root / "content" / "t.md").write_text(f"---\ntitle: T\ndate: 2016-11-01\n---\n{story}")
    quote = "ready now" if "ready now\"" in story or "ready now\u201d" in story \
        else "It is ready now"
    (root / "annotations" / "t.yaml").write_text(
        PEOPLE + f"annotations:\n  - {{quote: {quote}, source: {source}, "
                 f"speaker: {speaker}}}\n")
    err = run(root, capsys)
    flagged = [line for line in err.split("\n") if "[attribution-differs]" in line]
    if expected is None:
        assert flagged == [], err
    else:
        assert len(flagged) == 1 and f"attributes these words to {expected}" in flagged[0]


def test_a_recorded_dispute_stops_the_warning_but_not_the_reader_s_notice(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    (root / "content" / "t.md").write_text(
        "---\ntitle: T\ndate: 2016-11-01\n---\nBob Roy said it was \"ready now\" today.\n")
    (root / "annotations" / "t.yaml").write_text(
        PEOPLE + "annotations:\n  - {quote: ready now, source: s, speaker: ann, "
                 "attribution: disputed, attribution_reason: The email is Ann's.}\n")
    assert main(["build", "--root", str(root)]) == 0
    assert "attribution-differs" not in capsys.readouterr().err
    page = (root / "site" / "t" / "index.html").read_text()
    assert "The story attributes these words to Bob Roy" in page and "The email is Ann" in page
    (root / "annotations" / "t.yaml").write_text(
        PEOPLE + "annotations:\n  - {quote: ready now, source: s, speaker: ann, "
                 "attribution: disputed}\n")
    assert main(["build", "--root", str(root)]) == 1
    assert "missing-attribution_reason" in capsys.readouterr().err
