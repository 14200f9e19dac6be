"""Quote coverage (every quotation found, unsourced ones warned) and `stub`."""

from helpers import anchored, make_project

from annostory.anchoring.stubs import plan_stub
from annostory.commands.cli import main

FRONT = "---\ntitle: T\ndate: 2016-11-01\n---\n"


def quotations(markdown: str, front: str = FRONT) -> list[str]:
    result = anchored(markdown, "[]", front=front)
    return [q.text for q in result.quotations]


def test_double_quotes_with_single_quotes_inside_are_one_quotation():
    assert quotations('He said "she told me \'no\' twice," and left.\n') == [
        "she told me \u2018no\u2019 twice"]


def test_apostrophes_are_not_quotations_and_code_is_ignored():
    assert quotations("Trumka's feet, the union's `\"x\"` vote.\n") == []


def test_a_quotation_continuing_over_a_paragraph_break_is_one_quotation():
    text = '"First part of the speech.\n\n"Second part," she said.\n'
    assert quotations(text) == ["First part of the speech. Second part"]


def test_headline_single_quotes_count():
    front = "---\ntitle: \"Trumka 'Not Motivated' to Support Hillary\"\ndate: 2016-11-01\n---\n"
    assert quotations("Body.\n", front=front) == ["Not Motivated"]


def test_an_unclosed_quotation_is_a_warning():
    result = anchored('She said "never closed.\n\nNext paragraph.\n', "[]")
    assert [(d.code, str(d.position)) for d in result.diagnostics] == [
        ("unclosed-quotation", "content/t.md:5:10")]


def test_coverage_counts_quotations_that_an_annotation_anchors_in():
    result = anchored('"one" and "two"\n', "- {quote: one}")
    covered = [q.text for q in result.quotations if q.covered_by(result.anchors)]
    assert covered == ["one"]


STORY = FRONT + 'She said "yes". He said "yes". They said "maybe".\n'


def test_stub_creates_the_file_with_the_modeline_and_unique_quotes():
    text, added, problems = plan_stub(STORY, "content/t.md", None, "annotations/t.yaml")
    assert problems == [] and added == 3
    assert text.startswith("# yaml-language-server: $schema=../schema/annotations.schema.json\n"
                           "annotations:\n")
    assert '  - quote: "yes"\n    prefix: "She said"\n' in text
    assert '  - quote: "yes"\n    prefix: "He said"\n' in text
    assert '  - quote: "maybe"\n    # speaker:\n    # date:\n    # source:\n' in text


def test_stub_twice_adds_nothing_and_keeps_comments_and_later_keys():
    existing = ("# my notes\nannotations:\n  - quote: maybe  # keep me\n    source: s\n\n"
                "# the sources\nsources:\n  s: {type: email}\n")
    text, added, _ = plan_stub(STORY, "content/t.md", existing, "annotations/t.yaml")
    assert added == 2
    assert text.startswith("# my notes\nannotations:\n  - quote: maybe  # keep me\n")
    assert text.index('prefix: "He said"') < text.index("# the sources\nsources:\n")
    again, added_again, _ = plan_stub(STORY, "content/t.md", text, "annotations/t.yaml")
    assert (again, added_again) == (None, 0)


def test_stub_command_and_the_build_then_asks_for_sources(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    (root / "content" / "t.md").write_text(STORY)
    assert main(["stub", "--root", str(root), "t"]) == 0
    assert "added 3 stubs to annotations/t.yaml" in capsys.readouterr().out
    assert main(["stub", "--root", str(root), "t"]) == 0
    assert "nothing added" in capsys.readouterr().out
    assert main(["check", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.count("has no 'source'") == 3
    assert main(["stub", "--root", str(root), "nope"]) == 2


def test_stub_on_the_example_adds_nothing(tmp_path, capsys):
    root = make_project(tmp_path)
    before = (root / "annotations" / "trumka-not-motivated.yaml").read_text()
    assert main(["stub", "--root", str(root), "trumka-not-motivated"]) == 0
    assert (root / "annotations" / "trumka-not-motivated.yaml").read_text() == before


def test_stub_suggests_names_in_quotation_marks_for_not_quotations():
    story = FRONT + ('The group calls itself "Star Blizzard" and said "we will be back '
                     'tomorrow" in a post.\n')
    text, added, problems = plan_stub(story, "content/t.md", None, "annotations/t.yaml")
    assert problems == [] and added == 1
    assert '  - quote: "we will be back tomorrow"' in text
    assert '#   - {text: "Star Blizzard", reason: ...}' in text
    assert 'quote: "Star Blizzard"' not in text
    again, added, _ = plan_stub(story, "content/t.md", text, "annotations/t.yaml")
    assert again is None and added == 0  # nothing new: the suggestion is not made twice
