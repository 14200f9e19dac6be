"""The tests keep their own copy of the example story (tests/fixtures/example), so a
newsroom that removes the repository's example keeps every test; while the repository
has its example, the two are the same."""

import pytest
from helpers import EXAMPLE, REPO


def files(root) -> dict[str, bytes]:
    found = {}
    for folder in ("content", "annotations"):
        for path in sorted((root / folder).glob("*")):
            found[f"{folder}/{path.name}"] = path.read_bytes()
    found["site.yaml"] = (root / "site.yaml").read_bytes()
    return found


def test_the_tests_copy_of_the_example_is_the_example():
    if not (REPO / "content" / "trumka-not-motivated.md").exists():
        pytest.skip("this repository has no example of its own (a newsroom removed it)")
    assert files(EXAMPLE) == files(REPO)


def test_no_test_reads_the_repository_s_own_project():
    """Only the copy: reading content/, annotations/ or site.yaml of the repository
    would fail once a newsroom removes them."""
    tests = REPO / "tests"
    wrong = []
    for path in tests.rglob("*.py"):
        text = path.read_text()
        for folder in ('REPO / "content"', 'REPO / "annotations"', 'REPO / "site.yaml"',
                       '"--root", str(REPO)'):
            if folder in text and path.name != "test_example_copy.py":
                wrong.append(f"{path.relative_to(tests)}: {folder}")
    assert wrong == []
