"""What a build makes: one compiled story (`StoryResult`, plain data, small enough to
cross process boundaries and to be cached on disk) and the whole project
(`ProjectResult`: the site's files and every diagnostic)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from ..inputs.settings import SiteSettings
from ..output.files import Deferred, SiteFiles
from ..pages.summary import StorySummary


@dataclass
class StoryResult:
    """One compiled story."""

    slug: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    page: bytes | Deferred | None = None  # Deferred: left in the disk cache
    summary: StorySummary | None = None
    annotations: int = 0
    quotations: int = 0
    covered: int = 0
    files: dict[str, bytes | Deferred] = field(default_factory=dict)  # beside the page
    draft: bool = False  # (known without the summary, which a build writing nothing skips)
    lines: bytes | Deferred | None = None  # its lines of the people and sources pages
    read: dict[str, str] = field(default_factory=dict)  # files read on demand -> digest


@dataclass
class ProjectResult:
    files: SiteFiles
    diagnostics: list[Diagnostic]
    stories: list[StoryResult]
    settings: SiteSettings
    reused: int = 0  # stories taken unchanged from the cache
    site_key: str = ""  # a hash of every input (when the caches were used)
    unchanged: bool = False  # the output already holds this site: nothing to write
    notes: list[str] = field(default_factory=list)  # what was left out, and why

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    def counts(self) -> dict[str, int]:
        unique = sorted_diagnostics(self.diagnostics)  # what is printed is what is counted
        return {
            "stories": len(self.stories),
            "annotations": sum(s.annotations for s in self.stories),
            "quotations": sum(s.quotations for s in self.stories),
            "covered": sum(s.covered for s in self.stories),
            "errors": sum(d.is_error for d in unique),
            "warnings": sum(not d.is_error for d in unique),
        }
