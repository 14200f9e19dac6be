"""Compiling one story: read its two files, anchor, check, make its pages.

`compile_story` is pure but for reading the project's files: it returns a
`StoryResult` (its page and the files beside it, its summary for the site's pages,
its diagnostics, and the files it read on demand) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..anchoring.anchored import AnchoredStory, anchor_story
from ..checks.base import Findings, StoryUnderCheck
from ..checks.coverage import Coverage
from ..checks.images import NAME as IMAGES_CHECK
from ..checks.images import Pictures
from ..checks.registry import run_checks
from ..core.diagnostics import Diagnostic, Position, has_errors, warning
from ..core.invocation import command
from ..inputs.files import ProjectFiles, SourceText, decode_source, display_name, read_source
from ..inputs.project import Project
from ..inputs.settings import SiteSettings
from ..pages.base import PageContext, StoryView
from ..pages.directory import with_lines
from ..pages.notes import note_view, reading_order
from ..pages.registry import STORY_PAGES
from ..pages.summary import summary
from ..pages.templates import template_problem
from .results import StoryResult


def _read(path: Path, root: Path, read_before: Mapping[Path, bytes]
          ) -> tuple[SourceText | None, list[Diagnostic]]:
    raw = read_before.get(path)
    if raw is None:  # not read yet (or refused then: read again, for the reason)
        return read_source(path, root)
    return decode_source(raw, display_name(path, root))


def read_story(project: Project, slug: str, read_before: Mapping[Path, bytes]
               ) -> tuple[SourceText | None, SourceText | None, bool, list[Diagnostic]]:
    """(story, annotations file or None, whether an annotations file exists but could
    not be read, diagnostics)."""
    diagnostics: list[Diagnostic] = []
    story_source, problems = _read(project.story_file(slug), project.root, read_before)
    diagnostics.extend(problems)
    if story_source is None:
        return None, None, False, diagnostics
    path = project.annotations_file(slug)
    if path in read_before or path.exists() or path.is_symlink():
        annotations, problems = _read(path, project.root, read_before)
        diagnostics.extend(problems)
        return story_source, annotations, annotations is None, diagnostics
    diagnostics.append(warning(
        "no-annotations-file", f"the story has no annotations file ({path.name})",
        Position(story_source.display_name, 1, 1),
        hint=f"run '{command('stub', slug)}' to create it"))
    return story_source, None, False, diagnostics


@dataclass
class CheckedStory:
    """A story read, anchored and checked: the compile's result and what it was made
    from (the editor's language server answers from these)."""

    result: StoryResult
    story_source: SourceText | None = None  # the two files as compiled
    annotations_source: SourceText | None = None
    anchored: AnchoredStory | None = None
    findings: Findings | None = None
    notes: list = field(default_factory=list)  # pages.notes.NoteView, in reading order


def compile_story(project: Project, slug: str, settings: SiteSettings,
                  env: jinja2.Environment,
                  read_before: Mapping[Path, bytes] | None = None) -> StoryResult:
    """Read one story and its annotations, anchor, check, make its pages.
    `read_before` holds files already read (for the story's cache key): the compile
    uses those very bytes, so a result is never stored under the key of other text."""
    return check_story(project, slug, settings, env, read_before).result


def check_story(project: Project, slug: str, settings: SiteSettings,
                env: jinja2.Environment,
                read_before: Mapping[Path, bytes] | None = None) -> CheckedStory:
    """`compile_story`, keeping what the result was made from. `read_before` may
    also hold text not saved yet (an editor's buffers)."""
    result = StoryResult(slug)
    story_source, annotation_source, unreadable, problems = read_story(
        project, slug, read_before or {})
    checked = CheckedStory(result, story_source, annotation_source)
    result.diagnostics.extend(problems)
    if story_source is None:
        return checked
    anchored = anchor_story(slug, story_source, annotation_source, unreadable)
    checked.anchored = anchored
    result.diagnostics.extend(anchored.diagnostics)
    if anchored.story is None:
        return checked
    result.annotations = len(anchored.annotation_set.annotations) \
        if anchored.annotation_set else 0
    files = ProjectFiles(project.root)
    folder = project.story_file(slug).parent.relative_to(project.root).as_posix()
    findings, problems = run_checks(StoryUnderCheck(slug, anchored, files, folder, settings))
    checked.findings = findings
    result.diagnostics.extend(problems)
    result.read = dict(files.read)
    coverage = findings.story("coverage", Coverage(0, 0))
    result.quotations, result.covered = coverage.quotations, coverage.covered
    checked.notes = _notes(anchored, findings, settings.timezone)
    if has_errors(result.diagnostics) or unreadable:
        return checked
    view = StoryView(slug, anchored, findings, checked.notes,
                     coverage, findings.story(IMAGES_CHECK, Pictures(None, {})))
    try:
        _make_pages(PageContext(settings, env), view, result)
    except jinja2.TemplateError as exc:
        result.diagnostics.append(template_problem(exc, project.templates_dir, project.root))
        result.page, result.files, result.lines, result.summary = None, {}, None, None
    return checked


def _notes(anchored: AnchoredStory, findings, zone: str) -> list:
    assert anchored.story is not None
    ordered = reading_order(anchored.anchors, anchored.story)
    return [note_view(i + 1, anchor, findings, zone) for i, anchor in enumerate(ordered)]


def _make_pages(context: PageContext, view: StoryView, result: StoryResult) -> None:
    """Every story page kind, in order; the page, the files beside it, and the
    story's summary and lines for the site's pages. Raises jinja2.TemplateError."""
    for rule in STORY_PAGES:
        made = rule.value.make(context, view)
        view.made.update(made.files)
    has_timeline = "timeline/index.html" in view.made
    result.page = view.made.pop("index.html")
    result.files = dict(view.made)
    result.summary, result.lines = with_lines(
        context, summary(view.story, len(view.anchored.anchors), view.notes,
                         view.coverage.quotations, view.coverage.covered,
                         context.settings.timezone, has_timeline))
    result.draft = result.summary.draft
