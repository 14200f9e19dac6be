"""One story checked for the editor: `build.story.check_story` (the very compile
`check` runs) on the editor's unsaved text, with what the editor's answers need
beside it: both files' text, the annotations file's tree with the place of every key
and value, and the diagnostics sorted by the file they are in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..build.story import CheckedStory, check_story
from ..core.diagnostics import Diagnostic, Position, sorted_diagnostics
from ..inputs.files import display_name, read_source
from ..inputs.project import Project
from ..inputs.settings import SiteSettings, load_settings
from ..inputs.yamltree import YamlDocument, load_yaml
from ..pages.templates import make_environment
from .locate import StoryFiles


@dataclass
class Setup:
    """What every story of a project is compiled with: settings and templates."""

    settings: SiteSettings
    env: jinja2.Environment
    stamp: tuple


_SETUPS: dict[Path, Setup] = {}


def _stamp(project: Project) -> tuple:
    stamps = []
    for path in (project.settings_file, project.templates_dir):
        try:
            info = path.stat()
            stamps.append((info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def setup_for(project: Project) -> Setup:
    """The project's settings and templates, loaded again when site.yaml or the
    templates folder change on disk."""
    stamp = _stamp(project)
    known = _SETUPS.get(project.root)
    if known is None or known.stamp != stamp:
        settings, _ = load_settings(project)  # its problems are check's to report
        known = Setup(settings, make_environment(project.templates_dir, project.root), stamp)
        _SETUPS[project.root] = known
    return known


@dataclass
class Analysis:
    """A story checked as the editor has it."""

    files: StoryFiles
    story_text: str | None  # as the compile read it (NFC, LF line endings)
    annotations_text: str | None
    checked: CheckedStory
    doc: YamlDocument | None  # the annotations file's tree, when it parses
    by_file: dict[Path, list[Diagnostic]] = field(default_factory=dict)

    @property
    def project(self) -> Project:
        return self.files.project

    def path_of(self, position: Position) -> Path:
        path = Path(position.file)
        return path if path.is_absolute() else self.project.root / path

    def text_of(self, path: Path) -> str | None:
        if path == self.files.story:
            return self.story_text
        if path == self.files.annotations:
            return self.annotations_text
        source, _ = read_source(path, self.project.root)
        return source.text if source else None


def analyse(files: StoryFiles, buffers: Mapping[Path, str]) -> Analysis:
    """Check the story with the editor's unsaved text of its files (`buffers`, by
    path) in place of what is on disk."""
    project = files.project
    setup = setup_for(project)
    unsaved = {path: text.encode("utf-8", "surrogatepass")
               for path, text in buffers.items() if path in (files.story, files.annotations)}
    checked = check_story(project, files.slug, setup.settings, setup.env, unsaved)
    # the texts the compile read (and its positions refer to), never read a second time
    story_text = checked.story_source.text if checked.story_source else None
    annotations_text = checked.annotations_source.text if checked.annotations_source \
        else None
    doc = None
    if annotations_text is not None:
        doc, _ = load_yaml(annotations_text, display_name(files.annotations, project.root))
    analysis = Analysis(files, story_text, annotations_text, checked, doc)
    for diagnostic in sorted_diagnostics(checked.result.diagnostics):
        analysis.by_file.setdefault(analysis.path_of(diagnostic.position), []).append(
            diagnostic)
    return analysis
