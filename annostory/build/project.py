"""Compiling a whole project: every story (reusing what the caches hold), then the
site's own pages and files, assembled from the page kinds (`pages.registry`).

`compile_project` returns every output file (bytes, or references into the disk
cache) and every diagnostic; writing to disk is `output`'s job, printing the
commands'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import jinja2

from ..checks.images import prepare_logo
from ..core.diagnostics import Diagnostic, Position, error
from ..inputs.files import ProjectFiles
from ..inputs.project import CACHE_FOLDER, CONTENT, SETTINGS, Project
from ..inputs.settings import SiteSettings, load_settings
from ..inputs.theme import outdated_overrides, static_files
from ..output.files import SiteFiles
from ..pages.base import PageContext, SiteView
from ..pages.registry import SITE_PAGES
from ..pages.templates import make_environment, template_problem
from .cache import DamagedEntry, DiskCache, StoredFile, intact
from .keys import Digests, FileStatuses, shared_salt, site_key, story_key
from .links import broken_links, sample
from .memory import StoryCache
from .pagememo import PageMemo, Present
from .plan import OutputPlan
from .results import ProjectResult, StoryResult
from .workers import compile_stories


@dataclass
class Caches:
    """Where compiled stories may come from, and how each is checked to still hold."""

    memory: StoryCache | None
    disk: DiskCache | None
    digests: Digests

    @property
    def any(self) -> bool:
        return self.memory is not None or self.disk is not None

    def hold_something(self) -> bool:
        return bool(self.memory is not None and self.memory.entries) or (
            self.disk is not None and not self.disk.is_empty())

    def reused(self, keys: dict[str, str]) -> dict[str, StoryResult]:
        """The stories the caches hold for these keys, every file they read unchanged
        (their pages and files left on disk: see DiskCache.get)."""
        found: dict[str, StoryResult] = {}
        for slug, key in keys.items():
            hit = self.memory.get(slug, key) if self.memory is not None else None
            if hit is None and self.disk is not None:
                hit = self.disk.get(key)
            if hit is not None and hit.slug == slug and self.digests.unchanged(hit):
                found[slug] = hit
        return found


def compile_project(project: Project, *, base_url: str | None = None,
                    cache: StoryCache | None = None, disk_cache: DiskCache | None = None,
                    jobs: int = 1, progress: Callable[[int, int], None] | None = None,
                    up_to_date: Callable[[str], bool] | None = None,
                    include_drafts: bool = True, writing: bool = True,
                    present: Present | None = None) -> ProjectResult:
    """Compile every story (reusing what the caches hold), then the site's pages.
    `progress(done, total)` is told how many stories are done. `up_to_date(key)`
    says whether the output already holds the site of the inputs hashed as `key`;
    then no page is read back from the disk cache and none is rendered: the result
    has the stories' counts and diagnostics and no files (`ProjectResult.unchanged`).
    The files taken from the caches are references, read only when written;
    `present(path, sha256)` says whether the output already holds one (then it is
    never read). Those that will be read are checked first, and a damaged entry is
    compiled again. Without `writing` (check), nothing cached is read or checked."""
    settings, diagnostics = load_settings(project, base_url)
    diagnostics = [*diagnostics, *project.file_name_problems(), *project.orphan_annotations()]
    slugs = project.slugs()
    if not slugs:
        diagnostics.append(error("no-stories", f"no stories found in {CONTENT}/",
                                 Position(CONTENT), hint=f"add a story as {CONTENT}/<slug>.md"))
    assets, problems = static_files(project)
    problems += outdated_overrides(project)
    settings, refused = _logo(project, settings, assets)
    problems += refused
    salt = shared_salt(project, settings)
    caches = Caches(cache, disk_cache, Digests(project.root))
    keys: dict[str, str] = {}
    # Stories' keys are taken first only where a cache may hold them; an empty cache
    # (a first or clean build) leaves it to the workers, which hash what they compile.
    if caches.hold_something():
        statuses = FileStatuses(project)
        keys = {slug: story_key(project, slug, salt, statuses)[0] for slug in slugs}
        statuses.save()
    found = caches.reused(keys)
    key = site_key(keys, found, salt, include_drafts, assets)
    if key and len(found) == len(slugs) and up_to_date is not None and up_to_date(key):
        stories, drafts = _kept(list(found.values()), include_drafts)
        return ProjectResult(SiteFiles(), diagnostics + _diagnostics(stories) + problems,
                             stories, settings, len(found), site_key=key, unchanged=True)
    if writing:
        found = {slug: r for slug, r in found.items() if _readable(r, present)}
    reused = len(found)
    compiler = Compiler(project, settings, jobs, disk_cache, salt if caches.any else None,
                        keys, found)
    compiler.compile([slug for slug in slugs if slug not in found], progress, len(slugs))
    if caches.any:
        key = site_key(keys, found, salt, include_drafts, assets)
    if cache is not None:
        for slug in slugs:
            if slug in keys:
                cache.put(slug, keys[slug], found[slug])
    if disk_cache is not None and writing and reused < len(slugs):  # old entries may go
        disk_cache.prune(set(keys.values()), most=3 * len(slugs) + 10)
    memo = PageMemo(project.root, salt, present, verify=writing) if disk_cache else None
    for _ in range(len(slugs) + 1):  # each turn compiles one more damaged entry again
        stories, drafts = _kept([found[slug] for slug in slugs], include_drafts)
        try:
            files, notes, more = _assemble(project, settings, stories, assets, memo)
            break
        except DamagedEntry as exc:  # a story's lines, read only now: compile it again
            damaged = [r.slug for r in stories if getattr(r.lines, "path", None) == exc.path]
            if not damaged:
                raise
            compiler.compile(damaged)
            reused -= len(damaged)
    else:
        raise OSError("the build cache keeps changing under the build; remove "
                      f"{CACHE_FOLDER}/ and build again")
    if memo is not None:
        memo.save()
    if drafts:
        notes.append(f"{drafts} draft {'story was' if drafts == 1 else 'stories were'} "
                     "left out (build --drafts to include them)")
    return ProjectResult(files, diagnostics + _diagnostics(stories) + problems + more,
                         stories, settings, reused, site_key=key, notes=notes)


@dataclass
class Compiler:
    """Compiles stories into the build's results (and their keys), on `jobs` cores."""

    project: Project
    settings: SiteSettings
    jobs: int
    disk_cache: DiskCache | None
    salt: bytes | None
    keys: dict[str, str]
    found: dict[str, StoryResult]

    def compile(self, slugs: list[str], progress: Callable[[int, int], None] | None = None,
                total: int = 0) -> None:
        counter = [total - len(slugs)]

        def advance(n: int) -> None:
            counter[0] += n
            if progress:
                progress(counter[0], total)
        for key, result in compile_stories(self.project, slugs, self.settings, self.jobs,
                                           advance, self.disk_cache, self.salt):
            self.found[result.slug] = result
            if key:  # the key of the text compiled (an author may have saved since)
                self.keys[result.slug] = key


def _readable(result: StoryResult, present: Present | None) -> bool:
    """Is every cached file of the story that the output does not hold yet (and so
    will be read) as it was written? (Its lines are checked when read.)"""
    parts = [(f"{result.slug}/index.html", result.page)] + \
        [(f"{result.slug}/{name}", data) for name, data in result.files.items()]
    needed = [data for path, data in parts if isinstance(data, StoredFile) and
              not (present is not None and present(path, data.sha256))]
    return intact(needed)


def _kept(results: list[StoryResult], include_drafts: bool) -> tuple[list[StoryResult], int]:
    """The stories of the site (drafts left out, their problems with them), and how
    many drafts were left out."""
    kept = [r for r in results if include_drafts or not r.draft]
    return kept, len(results) - len(kept)


def _diagnostics(stories: list[StoryResult]) -> list[Diagnostic]:
    return [d for story in stories for d in story.diagnostics]


def _logo(project: Project, settings: SiteSettings, assets: dict[str, bytes]
          ) -> tuple[SiteSettings, list[Diagnostic]]:
    """The masthead's logo, through the checks every image goes through and re-encoded
    (nothing but its pixels is published), among the assets; the settings say where."""
    if not settings.logo:
        return settings, []
    files = ProjectFiles(project.root)
    picture, problems = prepare_logo(files, settings.logo, Position(SETTINGS, 1, 1))
    if picture is None:
        return settings, problems
    for name, data in picture.files:
        assets[f"assets/{name}"] = data
    return replace(settings, logo_src=picture.src, logo_width=picture.width,
                   logo_height=picture.height), problems


def _assemble(project: Project, settings: SiteSettings, stories: list[StoryResult],
              assets: dict[str, bytes], memo: PageMemo | None = None
              ) -> tuple[SiteFiles, list[str], list[Diagnostic]]:
    """The site's files: each story's page and the files beside it, then every site
    page kind; notes on what was left out; problems (template errors, collisions)."""
    outputs = OutputPlan()
    for result in stories:
        if result.page is not None:
            source = project.story_file(result.slug).relative_to(project.root).as_posix()
            outputs.add(f"{result.slug}/index.html", result.page, source)
            for name, data in result.files.items():
                outputs.add(f"{result.slug}/{name}", data, source)
    summaries = [r.summary for r in stories if r.summary is not None]
    lines = SiteFiles()  # each story's lines, read from the cache when needed
    for result in stories:
        if result.summary is not None and result.lines is not None:
            lines[result.slug] = result.lines
    context = PageContext(settings, make_environment(project.templates_dir, project.root))
    site = SiteView(summaries, lines, assets, {slug: lines.sha256(slug) for slug in lines},
                    memo)
    notes: list[str] = []
    problems: list[Diagnostic] = []
    for rule in SITE_PAGES:
        kind = rule.value
        try:
            made = kind.make(context, site)
        except jinja2.TemplateError as exc:
            problems.append(template_problem(exc, project.templates_dir, project.root))
            continue
        notes += made.notes
        site.addresses.extend(made.addresses)
        for path, data in made.files.items():
            outputs.add(path, data, kind.made_by(path) if kind.made_by else rule.name)
    if not problems:  # a template that failed made no page to read
        problems += broken_links(outputs.files, sample(
            outputs.files, (r.slug for r in stories if r.page is not None)),
            settings.base_url)
    return outputs.files, notes, problems + outputs.collisions()
