"""Golden fixtures: story Markdown + annotations -> HTML (tests/fixtures/anchoring.md)."""

import pytest
from helpers import FIXTURES, anchored, read_fixtures, render_body

CASES = read_fixtures(FIXTURES / "anchoring.md", sections=3)


@pytest.mark.parametrize("line,title,blocks", CASES, ids=[c[1] for c in CASES])
def test_anchoring_fixture(line, title, blocks):
    markdown, entries, expected = blocks
    result = anchored(markdown, entries)
    assert [d for d in result.diagnostics if d.is_error] == []
    assert render_body(result) == expected


def test_fixture_file_has_cases():
    assert len(CASES) >= 15
