"""Which project, story and kind of file an editor's document is.

A story is `<project>/content/<slug>.md` and its notes `<project>/annotations/<slug>.yaml`
(`inputs.project`); any other document is none of annostory's business.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..inputs.project import ANNOTATIONS, CONTENT, Project

Kind = Literal["story", "annotations"]


@dataclass(frozen=True)
class StoryFiles:
    """A story of a project, and its two files."""

    project: Project
    slug: str

    @property
    def story(self) -> Path:
        return self.project.story_file(self.slug)

    @property
    def annotations(self) -> Path:
        return self.project.annotations_file(self.slug)

    def kind_of(self, path: Path) -> Kind | None:
        if path == self.story:
            return "story"
        if path == self.annotations:
            return "annotations"
        return None


def locate(path: Path) -> tuple[StoryFiles, Kind] | None:
    """The story a document belongs to and which of its files it is, or None."""
    folder = path.parent
    if path.suffix == ".md" and folder.name == CONTENT:
        kind: Kind = "story"
    elif path.suffix == ".yaml" and folder.name == ANNOTATIONS:
        kind = "annotations"
    else:
        return None
    slug = unicodedata.normalize("NFC", path.stem)
    return StoryFiles(Project(folder.parent), slug), kind
