"""The preview's state: the last build's outcome and diagnostics, rebuilding after a
burst of saves (on a thread of its own, so the server keeps answering), what every
page is given (the reload script and the error overlay), and the file watcher."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from ..build.cache import DiskCache
from ..build.keys import shared_salt
from ..build.memory import StoryCache
from ..build.project import compile_project
from ..build.workers import compile_stories, default_jobs
from ..core.characters import script_safe
from ..core.diagnostics import Position, condense, error, has_errors, sorted_diagnostics
from ..inputs.files import display_name
from ..inputs.project import ANNOTATIONS, CONTENT, Project
from ..inputs.settings import SiteSettings, load_settings
from ..output.files import SiteFiles
from ..output.folders import OutputError
from ..output.update import holding, seed, update_site, write_files
from .report import SourceLines, excerpt, format_text, printable

QUIET_SECONDS = 0.08  # a burst of saves is over when nothing changed for this long

HERE = Path(__file__).resolve().parent
OVERLAY_JS = (HERE / "preview_overlay.js").read_text("utf-8")
RELOAD_JS = (HERE / "preview_reload.js").read_text("utf-8")


@dataclass
class PreviewState:
    """What the server knows: the last build's outcome and the diagnostics."""

    project: Project
    out: Path
    base_url: str | None
    cache: StoryCache = field(default_factory=StoryCache)
    disk_cache: DiskCache | None = None  # shared with `build`: a restart is quick
    builds: int = 0
    ok: bool = False
    diagnostics: list = field(default_factory=list)
    browser_errors: list = field(default_factory=list)  # what the overlay shows
    last_build_ms: float = 0.0
    written: dict = field(default_factory=dict)  # what update_site wrote, for the next
    base_path: str = "/"  # where the site is served
    settings: SiteSettings | None = None  # of the last good build
    stories: frozenset = frozenset()  # its stories' slugs
    # what the last rebuild tells open pages: None (nothing changed), "*" (reload every
    # page: the overlay comes or goes) or a JSON list of the files written
    reload: str | None = "*"
    compiled_first: int = 0  # stories the save's story-first step compiled
    # the last build, served where the preview's own folder lacks a file until its
    # files are linked there (at the start of the first rebuild), and its manifest
    serving_from: Path | None = None
    seed_from: dict | None = None
    # the preview's folder and `written` are changed by one thread at a time
    writing: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # files a story-first step wrote, by path: (when its compile began, its bytes or
    # the disk cache's reference); a rebuild begun before then may hold an older text
    fresher: dict = field(default_factory=dict, repr=False)

    def rebuild(self, reason: str = "start") -> bool:
        started, begun = time.perf_counter(), time.monotonic()
        if self.serving_from is not None and self.seed_from is not None:
            linked = seed(self.out, self.serving_from, self.seed_from, self.written,
                          self.writing)
            self.serving_from = self.seed_from = None
            print(f"[{time.strftime('%H:%M:%S')}] {reason}: the last build's {linked} files "
                  f"linked in {(time.perf_counter() - started) * 1000:.0f} ms", flush=True)
        try:
            result = compile_project(self.project, base_url=self.base_url, cache=self.cache,
                                     disk_cache=self.disk_cache, jobs=default_jobs(),
                                     present=holding(self.out, self.written))
        except Exception as exc:  # never let a rebuild stop the server
            message = f"internal error while rebuilding (a bug in annostory): {exc!r}"
            print(f"annostory: {message}", file=sys.stderr)
            self.builds += 1
            self.ok = False
            self.reload = "*"
            self.browser_errors = [{"where": "annostory", "severity": "error",
                                    "message": printable(message), "hint": "", "code":
                                    "internal", "excerpt": ""}]
            return False
        self.diagnostics = sorted_diagnostics(result.diagnostics)
        written: list[str] = []
        write_problem = ""
        if result.ok:
            try:
                with self.writing:
                    self._keep_fresher(result.files, begun)
                    written = update_site(self.out, result.files, self.written)
            except OutputError as exc:
                write_problem = f"cannot write the site: {exc}"
                self.diagnostics.append(error("write-failed", write_problem,
                                              Position(display_name(self.out,
                                                                    self.project.root))))
        was_ok = self.ok
        self.ok = result.ok and not write_problem
        self.reload = "*" if not self.ok or not was_ok else \
            json.dumps(written) if written else None
        if self.ok:
            self.settings = result.settings
            self.stories = frozenset(story.slug for story in result.stories)
        self.browser_errors = self._errors_for_browser()
        self.builds += 1
        self.last_build_ms = (time.perf_counter() - started) * 1000
        if self.diagnostics:
            print(format_text(self.diagnostics, SourceLines(self.project.root)), file=sys.stderr)
        stories = len(result.stories)
        self.compiled_first, compiled_first = 0, self.compiled_first
        if self.ok:
            print(f"[{time.strftime('%H:%M:%S')}] {reason}: rebuilt in {self.last_build_ms:.0f} ms "
                  f"({stories - result.reused + compiled_first} of {stories} stories "
                  "compiled, "
                  f"{len(written)} files written)", flush=True)
        else:
            print(f"[{time.strftime('%H:%M:%S')}] {reason}: build failed; still serving the "
                  "last good pages", file=sys.stderr, flush=True)
        return self.ok

    def _keep_fresher(self, files, begun: float) -> None:
        """A story's files written first after this rebuild began stay as written (the
        rebuild may have compiled the text before that save; the one the save starts
        next makes the whole site agree); the rest are this rebuild's own."""
        for path, (when, data) in list(self.fresher.items()):
            if when > begun:
                files[path] = data
            else:
                del self.fresher[path]

    def story_first(self, slugs: list[str]) -> str | None:
        """After a save of these stories' own files alone: compile them and write their
        pages before the rest of the site is checked, so the page being edited is
        shown at once (the rebuild that follows takes them from the cache); also while
        a rebuild runs, on a thread of its own (see `fresher`). The files
        written (as `reload` says them), or None when this cannot be done: the last
        build failed, or a story now has errors (the full rebuild reports them)."""
        if not self.ok or self.settings is None:
            return None
        begun = time.monotonic()
        try:
            salt = shared_salt(self.project, self.settings)
            compiled = compile_stories(self.project, slugs, self.settings, 1, None,
                                       self.disk_cache, salt)
            made: dict = {}  # bytes, or references to the disk cache's entries
            for key, result in compiled:
                if result.page is None or has_errors(result.diagnostics):
                    return None
                made[f"{result.slug}/index.html"] = result.page
                for name, data in result.files.items():
                    made[f"{result.slug}/{name}"] = data
                if key:
                    self.cache.put(result.slug, key, result)
            files = SiteFiles()
            files.update(made)
            with self.writing:
                written = write_files(self.out, files, self.written)
                self.fresher.update((path, (begun, data)) for path, data in made.items())
        except (OSError, OutputError, jinja2.TemplateError):
            return None  # the full rebuild says what went wrong
        except Exception as exc:  # a bug: the full rebuild still runs
            print(f"annostory: internal error writing {', '.join(slugs)} first (a bug in "
                  f"annostory): {exc!r}", file=sys.stderr)
            return None
        self.compiled_first = len(slugs)
        print(f"[{time.strftime('%H:%M:%S')}] {', '.join(slugs)}: page written first "
              f"({len(written)} files)", flush=True)
        return json.dumps(written) if written else None

    def start_from_build(self, site: Path, manifest: dict) -> None:
        """Serve the last build (site/, as its manifest says) until the first rebuild
        has linked its files in; a save meanwhile is shown first, as after a rebuild."""
        self.serving_from, self.seed_from = site, manifest
        settings, problems = load_settings(self.project, self.base_url)
        if not has_errors(problems):
            self.settings, self.ok = settings, True
            self.stories = frozenset(self.project.slugs())

    def saved_stories(self, names: list[str]) -> list[str]:
        """The stories whose own files are all that changed (paths relative to the
        project), or [] when anything else changed too."""
        slugs = set()
        for name in names:
            folder, _, file = name.partition("/")
            stem, dot, suffix = file.rpartition(".")
            if not dot or (folder, suffix) not in ((CONTENT, "md"), (ANNOTATIONS, "yaml")):
                return []
            slug = unicodedata.normalize("NFC", stem)
            if slug not in self.stories:
                return []
            slugs.add(slug)
        return sorted(slugs)

    def _errors_for_browser(self) -> list[dict]:
        lines = SourceLines(self.project.root)
        errors = [d for d in self.diagnostics if d.is_error] if not self.ok else []
        shown, omitted = condense(errors)
        rows = [{"where": printable(str(d.position)), "severity": d.severity,
                 "message": printable(d.message), "hint": printable(d.hint), "code": d.code,
                 "excerpt": excerpt(lines.lines(d.position.file), d.position.line,
                                    d.position.column) if d.position.line else ""}
                for d in shown]
        rows += [{"where": printable(file), "severity": "error", "code": code, "excerpt": "",
                  "message": f"and {count} more [{code}]", "hint": ""}
                 for (file, code), count in sorted(omitted.items())]
        return rows

    def injection(self) -> bytes:
        data = script_safe(json.dumps({"errors": self.browser_errors, "build": self.builds,
                                       "base": self.base_path}))
        return (f"<script>window.__annostoryPreview = {data};</script>"
                f"<script>{RELOAD_JS}</script><script>{OVERLAY_JS}</script>").encode()

    def status(self) -> dict:
        return {"ok": self.ok, "builds": self.builds, "errors": self.browser_errors,
                "last_build_ms": round(self.last_build_ms, 1)}


class PollingWatcher(Watcher):
    """livereload's watcher, polled often by our own timer."""

    def ignore(self, filename: str) -> bool:
        name = os.path.basename(filename)
        return (name.startswith(".") or name.endswith("~") or name.endswith(".swp")
                or name.endswith(".tmp") or super().ignore(filename))


class Rebuilder:
    """Collects changes from the watcher and rebuilds once a burst has settled. The
    rebuild runs on a thread of its own, so the server keeps answering (from the
    last good site) while it works; changes that arrive meanwhile start one more
    rebuild when it ends, and a saved story's page is written first meanwhile, on a
    second thread, so a save is shown at once even during a long rebuild."""

    def __init__(self, state: PreviewState, watcher: Watcher) -> None:
        self.state = state
        self.watcher = watcher
        self.pending: set[str] = set()
        self.timer = None
        self.running = False
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild")
        self.meanwhile = ThreadPoolExecutor(max_workers=1, thread_name_prefix="first")

    def changed(self, paths=None) -> None:
        self.pending.update(paths if isinstance(paths, list) else [self.watcher.filepath or "?"])
        loop = ioloop.IOLoop.current()
        if self.timer is not None:
            loop.remove_timeout(self.timer)
        self.timer = loop.call_later(QUIET_SECONDS, self.run)

    def run(self) -> None:
        self.timer = None
        if not self.pending:
            return
        names = self._names()
        if self.running:  # _done starts the next rebuild; the saved page first, now
            slugs = self.state.saved_stories(names)
            if slugs:
                loop = ioloop.IOLoop.current()
                loop.add_future(loop.run_in_executor(self.meanwhile, self._first, slugs,
                                                     loop), self._first_done)
            return
        self.pending.clear()
        reason = ", ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")
        self.running = True
        loop = ioloop.IOLoop.current()
        future = loop.run_in_executor(self.executor, self._rebuild, names, reason or "change",
                                      loop)
        loop.add_future(future, self._done)

    def _names(self) -> list[str]:
        """The pending changes, relative to the project (or a reason: "start")."""
        return sorted(os.path.relpath(p, self.state.project.root) if os.path.isabs(p) else p
                      for p in self.pending if p and p != "?")

    def _first(self, slugs: list[str], loop) -> None:
        """These stories' pages written first, reloading the pages showing them."""
        first = self.state.story_first(slugs)
        if first is not None:
            loop.add_callback(LiveReloadHandler.reload_waiters, first)

    def _first_done(self, future) -> None:
        if future.exception() is not None:  # story_first catches everything; be sure
            print(f"annostory: writing a page first failed: {future.exception()!r}",
                  file=sys.stderr)

    def _rebuild(self, names: list[str], reason: str, loop) -> None:
        """A saved story's page first (reloading the pages showing it), then the whole
        site (reloading the pages it changed), on the rebuild thread."""
        slugs = self.state.saved_stories(names)
        if slugs:
            self._first(slugs, loop)
        self.state.rebuild(reason)

    def _done(self, future) -> None:
        self.running = False
        if future.exception() is not None:  # rebuild() catches everything; be sure
            print(f"annostory: rebuild failed: {future.exception()!r}", file=sys.stderr)
        if self.state.reload is not None:
            LiveReloadHandler.reload_waiters(self.state.reload)
        if self.pending and self.timer is None:
            self.run()
