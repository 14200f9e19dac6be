"""Golden fixtures for the checks, in the format of the anchoring fixtures: quotes
against their originals (tests/fixtures/checks-originals.md) and the story's own
attribution (tests/fixtures/checks-attribution.md)."""

import pytest
from helpers import FIXTURES, FRONT, read_fixtures

from annostory.anchoring.anchored import anchor_story
from annostory.checks import attribution, originals
from annostory.checks.base import StoryUnderCheck
from annostory.checks.registry import run_checks
from annostory.inputs.files import ProjectFiles, decode_source

ORIGINALS = read_fixtures(FIXTURES / "checks-originals.md", sections=4)
ATTRIBUTION = read_fixtures(FIXTURES / "checks-attribution.md", sections=3)
PEOPLE = ("people:\n  ann: {name: Ann Lee}\n  bob: {name: Bob Roy}\n"
          "sources:\n  s: {type: email, from: ann}\n  t: {type: email, from: bob}\n")


def checked(root, markdown: str, annotations: str):
    story, _ = decode_source((FRONT + markdown).encode(), "content/t.md")
    notes, _ = decode_source(annotations.encode(), "annotations/t.yaml")
    anchored = anchor_story("t", story, notes)
    assert [d for d in anchored.diagnostics if d.is_error] == []
    findings, diagnostics = run_checks(StoryUnderCheck("t", anchored, ProjectFiles(root),
                                                       "content"))
    ids = [a.annotation.id for a in anchored.anchors]
    return findings, diagnostics, ids


def first_clause(hint: str) -> str:
    """A hint up to what it says of this case (the advice that follows is the same
    for every case): through the difference, or the original's passage."""
    cuts = [hint.index(mark) + len(mark) - 2 for mark in ("); ", "\u201d; ") if mark in hint]
    return hint[:min(cuts)] if cuts else hint


def described(diagnostics, codes, hints: bool = True) -> list[str]:
    return [f"{d.code} {d.position} {d.message}" + (f" || {first_clause(d.hint)}" if hints
                                                     else "")
            for d in sorted(diagnostics, key=lambda d: d.sort_key()) if d.code in codes]


@pytest.mark.parametrize("line,title,blocks", ORIGINALS, ids=[c[1] for c in ORIGINALS])
def test_originals_fixture(tmp_path, line, title, blocks):
    original, markdown, entries, expected = blocks
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "o.txt").write_text(original)
    annotations = ("annotations:\n" + entries.replace("}\n", ", source: s}\n") +
                   "sources:\n  s: {type: document, original: sources/o.txt}\n")
    findings, diagnostics, ids = checked(tmp_path, markdown, annotations)
    lines = []
    for aid in ids:
        found = findings.of(originals.NAME, aid)
        lines.append(f"{aid}: {found.state} | {found.verification} | {found.context}".rstrip()
                     if found and found.state else f"{aid}: not checked")
    lines += described(diagnostics, {"misquote", "original-differs", "punctuation-differs",
                                     "stale-verified"})
    assert lines == expected.strip().splitlines()


@pytest.mark.parametrize("line,title,blocks", ATTRIBUTION, ids=[c[1] for c in ATTRIBUTION])
def test_attribution_fixture(tmp_path, line, title, blocks):
    markdown, entries, expected = blocks
    findings, diagnostics, ids = checked(tmp_path, markdown,
                                         "annotations:\n" + entries + PEOPLE)
    lines = [f"{aid}: {findings.of(attribution.NAME, aid) or '-'}" for aid in ids]
    lines += described(diagnostics, {"attribution-differs"}, hints=False)
    assert lines == expected.strip().splitlines()


def test_the_fixture_files_have_cases():
    assert len(ORIGINALS) >= 20 and len(ATTRIBUTION) >= 6
