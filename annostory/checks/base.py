"""The shape every check has.

A check is a function of the story under check and of what the checks before it
found, returning a `CheckResult`: its diagnostics, what it found for each annotation
(by annotation id) and for the story as a whole. A check never changes the story, its
annotations or another check's findings; one that needs another's findings reads
them from `Findings` (and is registered after it: `checks.registry`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..anchoring.anchored import AnchoredStory
from ..core.diagnostics import Diagnostic
from ..inputs.files import ProjectFiles
from ..inputs.settings import SiteSettings


@dataclass(frozen=True)
class StoryUnderCheck:
    slug: str
    anchored: AnchoredStory
    files: ProjectFiles  # reads originals and images, recording what was read
    story_folder: str  # the folder of the story file, from the project ("content")
    settings: SiteSettings = SiteSettings()


@dataclass(frozen=True)
class CheckResult:
    diagnostics: tuple[Diagnostic, ...] = ()
    per_annotation: Mapping[str, Any] = field(default_factory=dict)
    story: Any = None


class Findings:
    """What each check found, by check name."""

    def __init__(self) -> None:
        self._results: dict[str, CheckResult] = {}

    def add(self, name: str, result: CheckResult) -> None:
        self._results[name] = result

    def of(self, check: str, annotation_id: str, default: Any = None) -> Any:
        result = self._results.get(check)
        return default if result is None else result.per_annotation.get(annotation_id,
                                                                         default)

    def story(self, check: str, default: Any = None) -> Any:
        result = self._results.get(check)
        return default if result is None or result.story is None else result.story

    def diagnostics(self) -> list[Diagnostic]:
        return [d for result in self._results.values() for d in result.diagnostics]


Check = Callable[[StoryUnderCheck, Findings], CheckResult]
