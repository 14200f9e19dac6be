"""The editor's fixes on a story that has no annotations file yet (in process: the
same functions the server calls): every edit creates the file, with the schema line,
and the text it creates is what `stub` writes."""

from __future__ import annotations

from pathlib import Path

from helpers import make_project
from hypothesis import given
from hypothesis import strategies as st

from annostory.anchoring.stubs import plan_stub
from annostory.editor.actions import actions, text_change
from annostory.editor.analysis import analyse
from annostory.editor.locate import locate
from annostory.inputs.annotations import SCHEMA_MODELINE
from annostory.inputs.yamltree import load_yaml

STORY = '---\ntitle: Fresh\ndate: 2016-11-01\n---\nShe said "we will win" and "not yet".\n'


def test_fixes_for_a_story_without_an_annotations_file(tmp_path: Path):
    root = make_project(tmp_path, example=False)
    story = root / "content" / "fresh.md"
    story.write_text(STORY)
    files, kind = locate(story)
    assert kind == "story"
    analysis = analyse(files, {})
    found = actions(analysis, "story", 0, 10)
    by_title = {a.title.split(" (")[0]: a for a in found}
    assert set(by_title) == {"Create annotations/fresh.yaml with a stub for every quotation",
                             "Annotate this quotation", "Not a quotation"}, list(by_title)
    for action in found:
        (edit,) = action.edits
        assert edit.create and edit.span.path == files.annotations
        assert edit.text.startswith(SCHEMA_MODELINE + "\n"), edit.text
        doc, problems = load_yaml(edit.text, "annotations/fresh.yaml")
        assert doc is not None, problems
    every = by_title["Create annotations/fresh.yaml with a stub for every quotation"]
    expected, added, _ = plan_stub(STORY, "content/fresh.md", None, "annotations/fresh.yaml")
    assert added == 2 and every.edits[0].text == expected
    one = by_title["Annotate this quotation"].edits[0].text
    assert one.count("- quote:") == 1
    assert not files.annotations.exists(), "the server never writes a file"


def test_a_file_of_no_story_is_left_alone(tmp_path: Path):
    assert locate(tmp_path / "notes" / "todo.md") is None
    assert locate(tmp_path / "content" / "story.yaml") is None


def _apply(text: str, line: int, character: int, end_line: int, end_character: int,
           new: str) -> str:
    lines = text.split("\n")

    def offset(row: int, column: int) -> int:
        return sum(len(r) + 1 for r in lines[:row]) + column
    return text[:offset(line, character)] + new + text[offset(end_line, end_character):]


@given(st.text(alphabet="ab \n#:-é😀", max_size=40), st.text(alphabet="ab \n#:-é😀",
                                                            max_size=40))
def test_an_edit_turns_the_old_text_into_the_new_and_touches_only_what_differs(old, new):
    edit = text_change(Path("a.yaml"), old, new)
    span = edit.span
    assert _apply(old, span.line, span.character, span.end_line, span.end_character,
                  edit.text) == new
    assert len(edit.text) <= len(new)
