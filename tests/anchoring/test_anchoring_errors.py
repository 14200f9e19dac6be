"""Golden fixtures for anchoring errors: positions, messages, hints."""

import pytest
from helpers import FIXTURES, anchored, read_fixtures

CASES = read_fixtures(FIXTURES / "anchoring-errors.md", sections=3)


def describe(d):
    return f"{d.code} {d.position} {d.message} || {d.hint}"


@pytest.mark.parametrize("line,title,blocks", CASES, ids=[c[1] for c in CASES])
def test_anchoring_error_fixture(line, title, blocks):
    markdown, entries, expected = blocks
    result = anchored(markdown, entries)
    errors = [describe(d) for d in result.diagnostics if d.is_error]
    assert errors == expected.strip().splitlines()
    assert result.anchors == [] or len(errors) >= 1
