"""The pipeline: compile one story (pure, per story), then a whole project.

`compile_story` reads a story and its annotations and returns its page and its
diagnostics; it touches nothing outside. `compile_project` runs it for every
story (reusing unchanged results from a content-hash cache), adds the index
page and the static assets, and returns every output file as bytes plus all
diagnostics. Writing to disk is `output`'s job; printing is the CLI's.
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import os
import re
import traceback
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote as url_quote

import jinja2

from .anchoring import Anchor
from .annotations import load_annotations
from .attribution import check_story as check_attributions
from .cache import COUNTS, PAGES, REFERENCES, DiskCache, StoredFile, source_digest
from .diagnostics import Diagnostic, Position, error, has_errors, sorted_diagnostics, warning
from .directory import pages as directory_pages
from .directory import with_lines
from .feeds import site_files
from .images import IMAGES_DIR
from .images import prepare_story as prepare_pictures
from .model import AnnotationSet
from .openannotations import collection
from .originals import check_anchors as check_originals
from .output import SiteFiles
from .project import Project, SiteSettings, load_settings
from .quotations import AnchorIndex, Quotation, find_quotations
from .render import (
    StorySummary,
    TemplateRefused,
    make_environment,
    note_view,
    plain_text,
    reading_order,
    render_index,
    render_not_found,
    render_story_page,
    render_timeline,
    summary,
)
from .sourcefile import SourceText, decode_source, display_name, read_checked_bytes, read_source
from .story import Story, load_story
from .textfold import fold_query

MAX_ASSET_BYTES = 20 * 1024 * 1024  # a file under static/


@dataclass
class StoryResult:
    """One compiled story: plain data, small enough to cross process boundaries and
    to be cached on disk (see `cache`)."""

    slug: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    page: bytes | StoredFile | None = None  # StoredFile: left in the disk cache
    summary: StorySummary | None = None
    annotations: int = 0
    quotations: int = 0
    covered: int = 0
    files: dict[str, bytes | StoredFile] = field(default_factory=dict)  # beside the page
    draft: bool = False  # (known without the summary, which a build writing nothing skips)
    lines: bytes | StoredFile | None = None  # its lines of the people and sources pages


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


def template_problem(exc: Exception, templates_dir: Path, project_root: Path) -> Diagnostic:
    """A template error as a diagnostic at the template's line."""
    file, line = "templates", 0
    if isinstance(exc, TemplateRefused):
        return error(exc.code, str(exc), Position(f"templates/{exc.name}", 1, 1),
                     hint="copy the template into templates/ instead of linking to it")
    if isinstance(exc, jinja2.TemplateNotFound):
        return error("template-missing", f"templates/{exc.name} does not exist, and the "
                     "site needs it", Position(f"templates/{exc.name}", 0, 0),
                     hint=f"copy templates/{exc.name} from annostory's own templates folder "
                          "(templates/README.md lists every template)")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = f"templates/{exc.name or exc.filename or '?'}", exc.lineno or 0
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename and Path(frame.filename).resolve().is_relative_to(
                    templates_dir.resolve()):
                file = Path(frame.filename).resolve().relative_to(project_root.resolve()).as_posix()
                line = frame.lineno or 0
                break
    return error("template", f"template error: {exc}", Position(file, line, 1),
                 hint=_template_hint(str(exc)))


def _template_hint(message: str) -> str:
    """A "did you mean" for a misspelt template variable or field."""
    from .render import TEMPLATE_FIELDS, TEMPLATE_VARIABLES

    default = "check the name against the variables listed in templates/README.md"
    found = re.search(r"has no attribute '([^']+)'", message) or re.search(
        r"'([^']+)' is undefined", message)
    if not found:
        return default
    known = TEMPLATE_FIELDS if "has no attribute" in message else TEMPLATE_VARIABLES
    guess = difflib.get_close_matches(found.group(1), sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{guess[0]}'?" if guess else default


@dataclass
class AnchoredStory:
    """A parsed story with its annotations anchored (not yet rendered)."""

    story: Story | None
    annotation_set: AnnotationSet | None
    anchors: list[Anchor]
    quotations: list[Quotation]
    diagnostics: list[Diagnostic]


def anchor_story(slug: str, story_source: SourceText,
                 annotation_source: SourceText | None) -> AnchoredStory:
    """Parse a story and its annotations and anchor every quote. Pure: no file access."""
    diagnostics: list[Diagnostic] = []
    story, problems = load_story(slug, story_source)
    diagnostics.extend(problems)
    annotation_set = None
    if annotation_source is not None:
        annotation_set, problems = load_annotations(annotation_source)
        diagnostics.extend(problems)
    if story is None:
        return AnchoredStory(None, annotation_set, [], [], diagnostics)
    annotations = annotation_set.annotations if annotation_set else ()
    anchors, problems = story.session.resolve(annotations)
    diagnostics.extend(problems)
    quotations, problems = find_quotations(story.session.runs)
    diagnostics.extend(problems)
    if not has_errors(diagnostics):
        story.session.apply(anchors)
    return AnchoredStory(story, annotation_set, anchors, quotations, diagnostics)


EMAIL_FIELDS = ("subject", "sent", "from", "to", "cc")


def render_anchored(anchored: AnchoredStory, settings: SiteSettings,
                    env: jinja2.Environment, quotations: int, covered: int,
                    photo=None, attributions: dict[str, str] | None = None,
                    checks: dict[str, tuple[str, str]] | None = None
                    ) -> tuple[str, bytes, str | None, list]:
    """The story page and its notes as W3C Web Annotations (raises
    jinja2.TemplateError on template mistakes); `quotations` and `covered` are the
    story's quote coverage, for the texts that state it."""
    story = anchored.story
    assert story is not None
    attributions = attributions or {}
    ordered = reading_order(anchored.anchors, story)
    checks = checks or {}
    notes = [note_view(i + 1, a, attributions.get(a.annotation.id, ""),
                       checks.get(a.annotation.id))
             for i, a in enumerate(ordered)]
    timeline = render_timeline(env, settings, story, notes, anchored.anchors)
    html = render_story_page(env, settings, story, notes, quotations, covered, photo,
                             has_timeline=timeline is not None)
    page_url = f"{settings.base_url}{url_quote(story.slug)}/" if settings.base_url \
        else "index.html"
    creator = story.front.publisher or settings.organization or settings.title
    jsonld = collection(html, notes, page_url, plain_text(story.front.title),
                        settings.language, creator)
    return html, jsonld, timeline, notes


def _read(path: Path, root: Path, read_before: Mapping[Path, bytes]
          ) -> tuple[SourceText | None, list[Diagnostic]]:
    raw = read_before.get(path)
    if raw is None:  # not read yet (or refused then: read again, for the reason)
        return read_source(path, root)
    return decode_source(raw, display_name(path, root))


def compile_story(project: Project, slug: str, settings: SiteSettings,
                  env: jinja2.Environment,
                  read_before: Mapping[Path, bytes] | None = None) -> StoryResult:
    """Read one story and its annotations, anchor, check coverage, render.
    `read_before` holds files already read (for the story's cache key): the compile
    uses those very bytes, so a result is never stored under the key of other text."""
    read_before = read_before or {}
    result = StoryResult(slug)
    diagnostics = result.diagnostics
    story_source, problems = _read(project.story_file(slug), project.root, read_before)
    diagnostics.extend(problems)
    if story_source is None:
        return result
    annotation_path = project.annotations_file(slug)
    annotation_source = None
    annotations_unreadable = False
    if annotation_path in read_before or annotation_path.exists() or \
            annotation_path.is_symlink():
        annotation_source, problems = _read(annotation_path, project.root, read_before)
        diagnostics.extend(problems)
        annotations_unreadable = annotation_source is None
    else:
        diagnostics.append(warning(
            "no-annotations-file", f"the story has no annotations file ({annotation_path.name})",
            Position(story_source.display_name, 1, 1),
            hint=f"run 'python build.py stub {slug}' to create it"))
    anchored = anchor_story(slug, story_source, annotation_source)
    diagnostics.extend(anchored.diagnostics)
    if anchored.story is None:
        return result
    result.annotations = len(anchored.annotation_set.annotations) if anchored.annotation_set \
        else 0
    # Entries dropped for their errors leave their quotations "unsourced": a
    # consequence of those errors, not a problem of its own.
    annotations_failed = annotations_unreadable or (annotation_source is not None and (
        anchored.annotation_set is None or anchored.annotation_set.skipped > 0))
    not_quotations = anchored.annotation_set.not_quotations if anchored.annotation_set \
        else ()
    quotations = _without_not_quotations(anchored.quotations, not_quotations, diagnostics)
    result.quotations = len(quotations)
    index = AnchorIndex(anchored.anchors)
    for quotation in quotations:
        if annotations_failed:  # consequences of those errors, not problems of their own
            continue
        coverage = quotation.coverage(index)
        if coverage == "full":
            result.covered += 1
            continue
        if coverage == "partial":
            diagnostics.append(warning(
                "partly-annotated-quotation",
                f"only part of this quotation carries a note; not covered: "
                f"{_excerpt(quotation.uncovered_words(index))}",
                quotation.position(),
                hint="widen the annotation's quote to the whole quotation, or annotate the "
                     "rest separately"))
            continue
        diagnostics.append(warning(
            "unsourced-quotation", f"unsourced quotation {_excerpt(quotation.text)}",
            quotation.position(),
            hint=f"annotate it in annotations/{slug}.yaml "
                 f"(python build.py stub {slug} writes a stub)"))
    checks = check_originals(project.root, anchored.anchors, diagnostics)
    attributions = check_attributions(anchored.annotation_set, anchored.story.session.runs,
                                      anchored.anchors, diagnostics)
    story_folder = project.story_file(slug).parent.relative_to(project.root)
    pictures = prepare_pictures(project.root, story_folder, anchored.story, diagnostics)
    if has_errors(diagnostics) or annotations_unreadable:
        return result
    for picture in pictures.values():
        result.files.update(picture.files)
    try:
        html, jsonld, timeline, notes = render_anchored(anchored, settings, env, result.quotations,
                                       result.covered, pictures.get("photo"), attributions,
                                       checks)
        result.page = html.encode("utf-8")
        result.files["annotations.jsonld"] = jsonld
        if timeline is not None:
            result.files["timeline/index.html"] = timeline.encode("utf-8")
        result.summary, result.lines = with_lines(env, summary(anchored.story,
                                                               len(anchored.anchors), notes))
        result.draft = result.summary.draft
    except jinja2.TemplateError as exc:
        diagnostics.append(template_problem(exc, project.templates_dir, project.root))
        result.page, result.files, result.lines = None, {}, None
        return result
    return result


def _excerpt(text: str) -> str:
    """A quotation in a message: in quotation marks, at most 60 characters."""
    return "\u201c" + (text if len(text) <= 60 else text[:57] + "\u2026") + "\u201d"


def _without_not_quotations(quotations: list[Quotation], listed: tuple,
                            diagnostics: list[Diagnostic]) -> list[Quotation]:
    """Quotations minus those the annotations file lists as not quotations (a name,
    a title); a listed passage that matches no quotation is reported."""
    if not listed:
        return quotations
    wanted = {fold_query(entry.text): entry for entry in listed}
    used: set[str] = set()
    kept = []
    for quotation in quotations:
        key = fold_query(quotation.text)
        if key in wanted:
            used.add(key)
            continue
        kept.append(quotation)
    for key, entry in wanted.items():
        if key not in used:
            diagnostics.append(warning(
                "unused-not-quotation", f"no quotation in the story reads "
                f"\u201c{entry.text}\u201d", entry.position,
                hint="copy the words between the quotation marks exactly, or remove the "
                     "entry"))
    return kept


def _story_key(project: Project, slug: str, salt: bytes) -> tuple[str, dict[Path, bytes]]:
    """The story's cache key (a hash of its two files and everything shared), and
    the files as read for it."""
    digest = hashlib.sha256(salt)
    read: dict[Path, bytes] = {}
    for path in (project.story_file(slug), project.annotations_file(slug)):
        digest.update(path.name.encode())
        data, _ = read_checked_bytes(path, project.root)
        digest.update(b"\0missing" if data is None else len(data).to_bytes(8, "big") + data)
        if data is not None:
            read[path] = data
    return digest.hexdigest(), read


def _site_key(keys: dict[str, str], salt: bytes, include_drafts: bool,
              assets: dict[str, bytes]) -> str:
    """A hash of every input of the site: the stories (their keys), what they share,
    and the assets as read (read once); '' without story keys (no cache)."""
    if not keys:
        return ""
    digest = hashlib.sha256(repr(sorted(keys.items())).encode() + salt +
                            str(include_drafts).encode())
    for path, data in sorted(assets.items()):
        digest.update(f"\0{path}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def _tree_digest(root: Path, *folders: Path) -> bytes:
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                data, _ = read_checked_bytes(path, root, limit=MAX_ASSET_BYTES)
                digest.update(path.as_posix().encode())
                digest.update(b"\0refused" if data is None else data)
    return digest.digest()


class StoryCache:
    """Compiled stories in memory, by content hash (the preview keeps one)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, StoryResult]] = {}

    def get(self, slug: str, key: str) -> StoryResult | None:
        entry = self.entries.get(slug)
        return entry[1] if entry and entry[0] == key else None

    def put(self, slug: str, key: str, result: StoryResult) -> None:
        """Keep `result`; a page left in the disk cache is read into memory here, once,
        so that the preview's writer is handed the same bytes on every build (and
        never reads them again to compare). An entry that cannot be read is not kept."""
        kept = self.entries.get(slug)
        if kept is not None and kept[0] == key and kept[1] is result:
            return  # handed back by this cache: kept already
        def read(data):
            return data.read() if isinstance(data, StoredFile) else data
        try:
            page, lines = read(result.page), read(result.lines)
            files = {name: read(data) for name, data in result.files.items()}
        except OSError:
            return
        self.entries[slug] = (key, replace(result, page=page, files=files, lines=lines))


# --- compiling many stories on every core ------------------------------------------
_WORKER: dict = {}  # per process: the project, settings and Jinja environment


# A story's compile makes many short-lived objects (tokens, nodes, strings) and almost
# no reference cycles: the cycle collector runs far less often while stories compile
# (about 7% of a cold build), and a worker's inherited objects are frozen out of it.
FEWER_COLLECTIONS = (50_000, 20, 100)


@contextmanager
def fewer_collections():
    """Collect cycles less often for the duration (the previous setting is restored)."""
    previous = gc.get_threshold()
    gc.set_threshold(*FEWER_COLLECTIONS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _worker_setup(project: Project, settings: SiteSettings, disk_cache: DiskCache | None,
                  salt: bytes | None, pooled: bool = False) -> None:
    if pooled:  # a worker process of its own: what it inherited stays put
        gc.freeze()
        gc.set_threshold(*FEWER_COLLECTIONS)
    _WORKER.update(project=project, settings=settings, disk_cache=disk_cache, salt=salt,
                   env=make_environment(project.templates_dir, project.root))


def _worker_compile(slug: str) -> tuple[str, StoryResult]:
    """(cache key, result) of one story. With a cache, the files are read once for
    both: the key is the hash of the very bytes compiled, so a story saved during the
    build is never cached, nor written, under the key of another text."""
    project, salt = _WORKER["project"], _WORKER["salt"]
    key, read = _story_key(project, slug, salt) if salt is not None else ("", {})
    result = compile_story(project, slug, _WORKER["settings"], _WORKER["env"], read)
    if _WORKER["disk_cache"] is not None and key:
        # on the worker's core; the page then stays in the entry, not in memory
        result = _WORKER["disk_cache"].put(key, result)
    return key, result


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


def compile_stories(project: Project, slugs: list[str], settings: SiteSettings,
                    env: jinja2.Environment, jobs: int,
                    progress: Callable[[int], None] | None = None,
                    disk_cache: DiskCache | None = None,
                    salt: bytes | None = None) -> list[tuple[str, StoryResult]]:
    """(key, `compile_story`) for each slug, in order, on `jobs` processes. With a
    `salt` (the hash of what every story shares), each story's cache key is taken from
    the bytes it is compiled from, and the result is put in `disk_cache` under it.
    The output does not depend on `jobs`: each story is compiled alone, and results
    keep their order."""
    done: list[tuple[str, StoryResult]] = []
    if jobs <= 1 or len(slugs) < 4:
        _worker_setup(project, settings, disk_cache, salt)
        with fewer_collections():
            for slug in slugs:
                done.append(_worker_compile(slug))
                if progress:
                    progress(1)
        return done
    import multiprocessing  # only a build of many stories needs them
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    chunk = max(1, min(32, len(slugs) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=min(jobs, len(slugs)), mp_context=context,
                             initializer=_worker_setup,
                             initargs=(project, settings, disk_cache, salt, True)) as pool:
        for pair in pool.map(_worker_compile, slugs, chunksize=chunk):
            done.append(pair)
            if progress:
                progress(1)
    return done


def static_files(project: Project) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Everything under static/, as site/assets/...; links out of the project refused."""
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    if not project.static_dir.is_dir():
        return files, problems
    for path in sorted(project.static_dir.rglob("*")):
        if path.name.startswith(".") or (path.is_dir() and not path.is_symlink()):
            continue
        data, refused = read_checked_bytes(path, project.root, limit=MAX_ASSET_BYTES)
        if data is None:
            problems.extend(refused)
            continue
        files["assets/" + path.relative_to(project.static_dir).as_posix()] = data
    return files, problems


def compile_project(project: Project, *, base_url: str | None = None,
                    cache: StoryCache | None = None, disk_cache: DiskCache | None = None,
                    jobs: int = 1, progress: Callable[[int, int], None] | None = None,
                    up_to_date: Callable[[str], bool] | None = None,
                    include_drafts: bool = True, writing: bool = True) -> ProjectResult:
    """Compile every story (reusing what the caches hold), then the index and assets.
    `progress(done, total)` is told how many stories are done. `up_to_date(key)`
    says whether the output already holds the site of the inputs hashed as `key`;
    then no page is read back from the disk cache and none is rendered: the result
    has the stories' counts and diagnostics and no files (`ProjectResult.unchanged`).
    Without `writing` (check), cached pages are not read: the result's files are
    references to them, each checked only if it is ever read."""
    settings, diagnostics = load_settings(project, base_url)
    diagnostics = list(diagnostics)
    diagnostics.extend(project.file_name_problems())
    diagnostics.extend(project.orphan_annotations())
    env = make_environment(project.templates_dir, project.root)
    salt = _tree_digest(project.root, project.templates_dir, project.root / "schema",
                        project.root / IMAGES_DIR) + repr(settings).encode() + \
        source_digest().encode()
    slugs = project.slugs()
    if not slugs:
        diagnostics.append(error("no-stories", "no stories found in content/",
                                 Position("content"),
                                 hint="add a story as content/<slug>.md"))
    assets, problems = static_files(project)
    if settings.logo:  # the masthead's logo, read through the same checks
        logo, refused = read_checked_bytes(project.root / settings.logo, project.root,
                                           settings.logo, limit=MAX_ASSET_BYTES)
        problems.extend(refused)
        if logo is not None:
            assets["assets/logo" + Path(settings.logo).suffix.lower()] = logo
    keys: dict[str, str] = {}
    caching = cache is not None or disk_cache is not None
    # Stories' keys are taken first only where a cache may hold them; an empty cache
    # (a first or clean build) leaves it to the workers, which hash what they compile.
    if (cache is not None and cache.entries) or (disk_cache is not None and
                                                 not disk_cache.is_empty()):
        keys = {slug: _story_key(project, slug, salt)[0] for slug in slugs}
    site_key = _site_key(keys, salt, include_drafts, assets)
    # The site as last written from exactly these inputs: pages need not be read.
    with_pages = not (up_to_date is not None and site_key and up_to_date(site_key))
    reading = (PAGES if writing else REFERENCES) if with_pages else COUNTS
    found = _reused(keys, cache, disk_cache, reading)
    if not with_pages and len(found) < len(slugs):  # a damaged entry: write it all
        with_pages = True
        found = _reused(keys, cache, disk_cache, PAGES)
    reused = len(found)
    missing = [slug for slug in slugs if slug not in found]
    counter = [reused]

    def advance(n: int) -> None:
        counter[0] += n
        if progress:
            progress(counter[0], len(slugs))
    for key, result in compile_stories(project, missing, settings, env, jobs, advance,
                                       disk_cache, salt if caching else None):
        found[result.slug] = result
        if key:  # the key of the text compiled (an author may have saved since)
            keys[result.slug] = key
    if caching:
        site_key = _site_key(keys, salt, include_drafts, assets)
    results: list[StoryResult] = []
    drafts = 0
    for slug in slugs:
        result = found[slug]
        if cache is not None and slug in keys and with_pages:
            cache.put(slug, keys[slug], result)
        if result.draft and not include_drafts:
            drafts += 1  # left out of the site, its problems with it
            continue
        results.append(result)
        diagnostics.extend(result.diagnostics)
    if disk_cache is not None and writing and missing:  # new entries: old ones may go
        disk_cache.prune(set(keys.values()), most=3 * len(slugs) + 10)
    if not with_pages:  # the site of exactly these inputs is written, every page of it
        return ProjectResult(SiteFiles(), diagnostics + problems, results, settings, reused,
                             site_key=site_key, unchanged=True)
    outputs = OutputPlan()
    for result in results:
        if result.page is not None:
            source = project.story_file(result.slug).relative_to(project.root).as_posix()
            outputs.add(f"{result.slug}/index.html", result.page, source)
            for name, data in result.files.items():
                outputs.add(f"{result.slug}/{name}", data, source)
    summaries = [r.summary for r in results if r.summary is not None]
    try:
        for path, data in render_index(env, settings, summaries).items():
            outputs.add(path, data, "templates/index.html (the index and tag pages)")
        outputs.add("404.html", render_not_found(env, settings).encode("utf-8"),
                    "templates/404.html (the page for missing addresses)")
    except jinja2.TemplateError as exc:
        diagnostics.append(template_problem(exc, project.templates_dir, project.root))
    try:
        lines = SiteFiles()  # each story's lines, read from the cache in its turn
        for result in results:
            if result.summary is not None and result.lines is not None:
                lines[result.slug] = result.lines
        for path, data in directory_pages(env, settings, summaries, lines).items():
            outputs.add(path, data, "templates/directory.html (the people and sources pages)")
    except jinja2.TemplateError as exc:
        diagnostics.append(template_problem(exc, project.templates_dir, project.root))
    feeds, skipped = site_files(settings, summaries)
    for path, data in feeds.items():
        outputs.add(path, data, f"the {path.split('.')[0]} of every story")
    for path, data in assets.items():
        outputs.add(path, data, "static/" + path.removeprefix("assets/"))
    diagnostics.extend(problems)
    diagnostics.extend(outputs.collisions())
    if drafts:
        skipped.append(f"{drafts} draft {'story was' if drafts == 1 else 'stories were'} "
                       "left out (build --drafts to include them)")
    return ProjectResult(outputs.files, diagnostics, results, settings, reused,
                         site_key=site_key, notes=skipped)


def _reused(keys: dict[str, str], cache: StoryCache | None, disk_cache: DiskCache | None,
            reading: str) -> dict[str, StoryResult]:
    """The stories the caches hold for these keys (read from disk as `reading` says:
    see DiskCache.get)."""
    found: dict[str, StoryResult] = {}
    for slug, key in keys.items():
        hit = cache.get(slug, key) if cache is not None else None
        if hit is None and disk_cache is not None:
            hit = disk_cache.get(key, StoryResult, reading)
        if hit is not None and hit.slug == slug:
            found[slug] = hit
    return found


class OutputPlan:
    """The site's files by path, and who made each: two sources on one path (or a
    file where another needs a folder) are errors naming both, never a silent
    overwrite."""

    def __init__(self) -> None:
        self.files = SiteFiles()
        self.made_by: dict[str, str] = {}
        self.problems: list[Diagnostic] = []

    def add(self, path: str, data: bytes | StoredFile, source: str) -> None:
        if path in self.made_by:
            self.problems.append(self._collision(path, self.made_by[path], source))
            return
        self.files[path] = data
        self.made_by[path] = source

    def collisions(self) -> list[Diagnostic]:
        found = list(self.problems)
        for path, source in self.made_by.items():  # a file where a folder is needed
            parts = path.split("/")
            for k in range(1, len(parts)):
                folder = "/".join(parts[:k])
                if folder in self.made_by:
                    found.append(self._collision(folder, self.made_by[folder], source,
                                                 as_folder=path))
        return found

    @staticmethod
    def _collision(path: str, first: str, second: str, as_folder: str = "") -> Diagnostic:
        detail = (f"{first} makes the file site/{path}, and {second} needs a folder of that "
                  f"name (for site/{as_folder})" if as_folder else
                  f"{first} and {second} both make site/{path}")
        return error("output-collision", f"two outputs on one path: {detail}",
                     Position(second if not second.startswith("templates/") else first, 1, 1),
                     hint="rename one of them (a story called 'assets' or 'index.html' "
                          "collides with the site's own files)")
