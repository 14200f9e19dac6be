"""Notes are inline Markdown; a note without any is its own HTML (the parser is
skipped, which must change nothing)."""

from hypothesis import given
from hypothesis import strategies as st

from annostory.inputs.markdown import parsed_note, render_note

PIECES = list("abc XYZ 0123.,;:?!()-+*_[]<>&\"'`~\\\n\t") + [
    "(c)", "(tm)", "(p)", "(R)", "...", "--", "+-", ",,", "??", "\u00e9", "\u201c", "\u2014",
    "\U0001F600", "https://example.org", "mailto:x@y.z"]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_a_note_renders_as_the_parser_would(text):
    render_note.cache_clear()
    assert render_note(text) == parsed_note(text)


def test_plain_notes_skip_the_parser_and_markdown_does_not():
    render_note.cache_clear()
    assert render_note("Said at the end of the meeting") == (
        "Said at the end of the meeting", ())
    assert render_note("A *note*")[0] == "A <em>note</em>"
    assert render_note("It's here")[0] == "It\u2019s here"
