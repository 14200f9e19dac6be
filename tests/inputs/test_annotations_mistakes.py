"""Every mistake an author can make in an annotations file: one clear diagnostic
at file:line:col with a fix (golden fixtures in tests/fixtures/bad-annotations.md)."""

import time
from pathlib import Path

import pytest
from helpers import FIXTURES, read_fixtures

from annostory.anchoring.anchored import anchor_story
from annostory.core.diagnostics import sorted_diagnostics
from annostory.inputs.files import decode_source

CASES = read_fixtures(FIXTURES / "bad-annotations.md", sections=2)
STORY = (FIXTURES / "bad-annotations-story.md").read_bytes()


def diagnose(annotations: str) -> list[str]:
    story, _ = decode_source(STORY, "content/t.md")
    source, problems = decode_source(annotations.encode(), "annotations/t.yaml")
    assert source is not None, problems
    result = anchor_story("t", story, source)
    return [f"{d.position} {d.severity} {d.code}: {d.message} || {d.hint}"
            for d in sorted_diagnostics(result.diagnostics) if d.code != "unsourced-quotation"]


@pytest.mark.parametrize("line,title,blocks", CASES, ids=[c[1] for c in CASES])
def test_bad_annotations(line, title, blocks):
    annotations, expected = blocks
    started = time.perf_counter()
    assert diagnose(annotations) == expected.strip().splitlines()
    assert time.perf_counter() - started < 2, "refused quickly"


def test_unsafe_tag_was_never_executed():
    assert not Path("/tmp/annostory-pwned").exists()


def test_deep_nesting_is_refused_quickly():
    started = time.perf_counter()
    lines = diagnose("annotations: " + "[" * 5000 + "]" * 5000 + "\n")
    assert time.perf_counter() - started < 2
    assert lines == ["annotations/t.yaml:1:45 error yaml-too-deep: values are nested more than "
                     "32 levels deep || annotation files need only a few levels"]


def test_the_fixture_file_covers_the_issue_list():
    assert len(CASES) >= 20
