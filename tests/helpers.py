"""Test helpers: fixture files, in-memory stories, temporary projects."""

from __future__ import annotations

import shutil
from pathlib import Path

from annostory.anchoring.anchored import AnchoredStory, anchor_story
from annostory.inputs.files import decode_source
from annostory.inputs.markdown import story_markdown

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
THEME = REPO / "annostory" / "theme"
# The example story, kept here for the tests: a newsroom that removes the repository's
# own example still has every test (tests/structure/test_example_copy.py keeps the two
# the same while the repository has one).
EXAMPLE = FIXTURES / "example"

FRONT = "---\ntitle: A test story\ndate: 2016-11-01\n---\n"


def read_fixtures(path: Path, sections: int) -> list[tuple[int, str, list[str]]]:
    """Cases separated by lines holding a single '.', like markdown-it's fixture
    files: a title line, then `sections` blocks each closed by a '.' line."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    cases = []
    i = 0
    while i < len(lines):
        if lines[i].strip() == "" or lines[i].startswith("#"):
            i += 1
            continue
        title, start_line = lines[i].strip(), i + 1
        assert lines[i + 1].rstrip("\n") == ".", f"{path}:{i + 2}: expected '.'"
        i += 2
        blocks = []
        for _ in range(sections):
            block: list[str] = []
            while lines[i].rstrip("\n") != ".":
                block.append(lines[i])
                i += 1
            blocks.append("".join(block))
            i += 1
        cases.append((start_line, title, blocks))
    return cases


def annotations_yaml(entries: str) -> str:
    """A whole annotations file around a YAML list of annotations, kept verbatim so
    that line N of `entries` is line N + 1 of the file, columns unchanged. One-line
    entries (`- {...}`) without a source get `source: s` (an email) at their end."""
    if entries.strip() in ("", "[]"):
        return "annotations: []\n"
    lines = []
    for line in entries.splitlines():
        if line.startswith("- {") and line.rstrip().endswith("}") and "source:" not in line:
            line = line.rstrip()[:-1] + ", source: s}"
        lines.append(line)
    return "annotations:\n" + "\n".join(lines) + "\nsources:\n  s: {type: email}\n"


def anchored(markdown: str, entries: str, *, front: str = FRONT) -> AnchoredStory:
    story_source, problems = decode_source((front + markdown).encode(), "content/t.md")
    assert story_source is not None, problems
    ann_source, problems = decode_source(annotations_yaml(entries).encode(),
                                         "annotations/t.yaml")
    assert ann_source is not None, problems
    return anchor_story("t", story_source, ann_source)


def render_body(result: AnchoredStory) -> str:
    md = story_markdown()
    assert result.story is not None
    return md.renderer.render(result.story.body_tokens, md.options, result.story.env)


def make_project(tmp_path: Path, *, example: bool = True) -> Path:
    """A project in a temporary folder: the built-in theme as its own templates and
    static files, the example's settings, and (with `example`) the example story."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("templates", "static"):  # a project overriding the whole theme
        shutil.copytree(THEME / name, root / name)
    shutil.copy(EXAMPLE / "site.yaml", root / "site.yaml")
    (root / "content").mkdir()
    (root / "annotations").mkdir()
    if example:
        for name in ("content", "annotations"):
            for path in (EXAMPLE / name).iterdir():
                shutil.copy(path, root / name / path.name)
    return root


SMALL_STORY = "---\ntitle: T\ndate: 2016-11-01\n---\nShe said \"hello\".\n"
SMALL_NOTES = "annotations:\n  - quote: hello\n    source: {type: email}\n"


def small_project(tmp_path: Path) -> Path:
    """A project with one one-line story `t` and its one annotation."""
    root = make_project(tmp_path, example=False)
    (root / "content" / "t.md").write_text(SMALL_STORY)
    (root / "annotations" / "t.yaml").write_text(SMALL_NOTES)
    return root
