"""`python build.py serve`: the preview server.

Serves the built site (`site/` by default) on 127.0.0.1, polls the project's
sources (content, annotations, templates, static assets, schema, settings)
every 50 ms, rebuilds what changed once a burst of saves has settled (unchanged
stories come from the content-hash cache), writes only the files that differ,
and tells every open page to reload over livereload's WebSocket.

A broken file never stops it: the last good pages keep being served, every
page shows an overlay listing the diagnostics, and the terminal prints them
once per change. Built on the `livereload` package (its WebSocket protocol,
browser script and file watcher) and tornado; livereload's 3-second reload
throttle does not apply because reloads are sent directly after each rebuild.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.handlers import StaticFileHandler as LivereloadStaticFileHandler
from livereload.watcher import Watcher
from tornado import ioloop, web

from ..build.cache import DiskCache
from ..build.memory import StoryCache
from ..build.project import compile_project
from ..core.characters import printable
from ..core.diagnostics import Position, condense, error, sorted_diagnostics
from ..inputs.files import display_name
from ..inputs.project import Project
from ..output.folders import MARKER, OutputError
from ..output.update import update_site
from .report import SourceLines, excerpt, format_text

POLL_SECONDS = 0.05
QUIET_SECONDS = 0.08  # a burst of saves is over when nothing changed for this long
LOOPBACK = ("127.0.0.1", "localhost", "::1")

LIVE_SCRIPT = (
    '<script>(function(){var s=document.createElement("script");'
    'var port=window.location.port||(window.location.protocol=="https:"?443:80);'
    's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    'document.head.appendChild(s);})();</script>')

OVERLAY_JS = (Path(__file__).resolve().parent / "preview_overlay.js").read_text("utf-8")


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

    def rebuild(self, reason: str = "start") -> bool:
        started = time.perf_counter()
        try:
            result = compile_project(self.project, base_url=self.base_url, cache=self.cache,
                                     disk_cache=self.disk_cache)
        except Exception as exc:  # never let a rebuild stop the server
            message = f"internal error while rebuilding (a bug in annostory): {exc!r}"
            print(f"annostory: {message}", file=sys.stderr)
            self.builds += 1
            self.ok = False
            self.browser_errors = [{"where": "annostory", "severity": "error",
                                    "message": printable(message), "hint": "", "code":
                                    "internal", "excerpt": ""}]
            return False
        self.diagnostics = sorted_diagnostics(result.diagnostics)
        written: list[str] = []
        write_problem = ""
        if result.ok:
            try:
                written = update_site(self.out, result.files, self.written)
            except OutputError as exc:
                write_problem = f"cannot write the site: {exc}"
                self.diagnostics.append(error("write-failed", write_problem,
                                              Position(display_name(self.out,
                                                                    self.project.root))))
        self.ok = result.ok and not write_problem
        self.browser_errors = self._errors_for_browser()
        self.builds += 1
        self.last_build_ms = (time.perf_counter() - started) * 1000
        if self.diagnostics:
            print(format_text(self.diagnostics, SourceLines(self.project.root)), file=sys.stderr)
        stories = len(result.stories)
        if self.ok:
            print(f"[{time.strftime('%H:%M:%S')}] {reason}: rebuilt in {self.last_build_ms:.0f} ms "
                  f"({stories - result.reused} of {stories} stories compiled, "
                  f"{len(written)} files written)", flush=True)
        else:
            print(f"[{time.strftime('%H:%M:%S')}] {reason}: build failed; still serving the "
                  "last good pages", file=sys.stderr, flush=True)
        return self.ok

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
        data = json.dumps({"errors": self.browser_errors, "build": self.builds})
        data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return (f"{LIVE_SCRIPT}<script>window.__annostoryPreview = {data};</script>"
                f"<script>{OVERLAY_JS}</script>").encode()

    def status(self) -> dict:
        return {"ok": self.ok, "builds": self.builds, "errors": self.browser_errors,
                "last_build_ms": round(self.last_build_ms, 1)}


class PollingWatcher(Watcher):
    """livereload's watcher, polled often by our own timer."""

    def ignore(self, filename: str) -> bool:
        name = os.path.basename(filename)
        return (name.startswith(".") or name.endswith("~") or name.endswith(".swp")
                or name.endswith(".tmp") or super().ignore(filename))


def host_of(value: str) -> str:
    """The host name of a Host header or Origin ('localhost:8000' -> 'localhost')."""
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).netloc
    if value.startswith("["):  # [::1]:8000
        return value[1:value.index("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def allowed_hosts(bound: str) -> Callable[[str], bool]:
    """Which Host values the preview answers (against DNS rebinding, as webpack-dev-server's
    and Vite's allowedHosts): the bound address, localhost, and the --host given; when
    bound to every address (0.0.0.0 or ::), also any IP address."""
    names = {"localhost", "127.0.0.1", "::1", host_of(bound)}
    everywhere = bound in ("0.0.0.0", "::", "")

    def allowed(value: str) -> bool:
        name = host_of(value)
        return name in names or (everywhere and is_ip_literal(name))
    return allowed


class HostChecked:
    """Mixin for every handler: other Host values get 403 before anything is read."""

    host_allowed: Callable[[str], bool] = staticmethod(lambda value: False)

    def prepare(self) -> None:
        if not self.host_allowed(self.request.host or ""):
            raise web.HTTPError(403, "Host not allowed")


class GuardedLiveReloadHandler(HostChecked, LiveReloadHandler):
    """livereload's WebSocket, answering only pages of this preview: the Origin must
    name an allowed host, and a message that is not the protocol's JSON is ignored."""

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).scheme in ("http", "https") and self.host_allowed(origin)

    def on_message(self, message) -> None:
        try:
            data = json.loads(message)
        except (TypeError, ValueError):
            return
        if isinstance(data, dict) and isinstance(data.get("command"), str):
            super().on_message(message)


class GuardedJSHandler(HostChecked, LiveReloadJSHandler):
    pass


def make_handlers(state: PreviewState, base_path: str, bound: str) -> list:
    root = str(state.out)
    allowed = allowed_hosts(bound)
    HostChecked.host_allowed = staticmethod(allowed)

    class SiteHandler(HostChecked, LivereloadStaticFileHandler):
        async def get(self, path: str, include_body: bool = True) -> None:
            # The site is mounted at base_path: compared as text, never as a pattern.
            full = "/" + path
            if any(not ch.isprintable() for ch in full):
                raise web.HTTPError(404)
            if not full.startswith(base_path):
                if full == "/":
                    self.redirect(base_path)
                    return
                raise web.HTTPError(404)
            await super().get(full[len(base_path):], include_body)

        def validate_absolute_path(self, root_arg: str, absolute_path: str) -> str | None:
            real_root = os.path.realpath(root_arg)
            real = os.path.realpath(absolute_path)
            if real != real_root and not real.startswith(real_root + os.sep):
                raise web.HTTPError(403, "outside the site")
            if os.path.basename(real) == MARKER:
                raise web.HTTPError(404)
            path = super().validate_absolute_path(root_arg, absolute_path)
            if path is not None and os.path.isfile(path):
                # One reading gives the size and the content: a page replaced by a
                # rebuild while it is served is sent whole, as it was (never with the
                # length of one version and the bytes of the other).
                try:
                    with open(path, "rb") as handle:
                        self.snapshot = handle.read()
                except OSError as exc:
                    raise web.HTTPError(404) from exc
            return path

        def get_content_size(self) -> int:
            return len(self.snapshot)

        def get_content(self, abspath: str, start: int | None = None,  # type: ignore[override]
                        end: int | None = None) -> bytes:
            return self.snapshot[start:end]

        def compute_etag(self) -> str | None:
            return None  # never cached (no-store); and no second reading for a hash

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", "no-store")

        def write_error(self, status_code: int, **kwargs) -> None:
            # An HTML page, so the reload script and the error overlay reach it too
            # (say, before the first successful build); none for a refused Host.
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            message = ("Nothing has been built here yet." if not state.ok and state.builds
                       else f"{status_code}: {self._reason}")
            head = "" if status_code == 403 else "</head>"
            self.finish(f"<!doctype html><html lang=en><head><meta charset=utf-8>"
                        f"<title>{status_code}</title>{head}<body><p>{message}</p>"
                        "</body></html>")

    class StatusHandler(HostChecked, web.RequestHandler):
        def get(self) -> None:
            self.set_header("Cache-Control", "no-store")
            self.write(state.status())

    return [
        (r"/livereload", GuardedLiveReloadHandler),
        (r"/livereload\.js", GuardedJSHandler),
        (r"/__annostory/status\.json", StatusHandler),
        (r"/(.*)", SiteHandler, {"path": root, "default_filename": "index.html"}),
    ]


def make_app(state: PreviewState, base_path: str, bound: str = "127.0.0.1") -> web.Application:
    class Inject(web.OutputTransform):
        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            if "html" in headers.get("Content-Type", "") and b"</head>" in chunk:
                extra = state.injection()
                chunk = chunk.replace(b"</head>", extra + b"</head>", 1)
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(int(headers["Content-Length"]) + len(extra))
            return status_code, headers, chunk

    return web.Application(make_handlers(state, base_path, bound), transforms=[Inject])


def listen(app: web.Application, host: str, port: int, tries: int = 20) -> int:
    for candidate in range(port, port + tries):
        try:
            app.listen(candidate, address=host)
            if candidate != port:
                print(f"port {port} is in use: serving on port {candidate} instead")
            return candidate
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
    raise OSError(errno.EADDRINUSE, f"ports {port}-{port + tries - 1} are all in use")


def split_base(base_url: str | None) -> tuple[str, str | None]:
    """(path the site is mounted at, absolute base for canonical links or None)."""
    if not base_url:
        return "/", None
    parts = urlsplit(base_url)
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    if not path.endswith("/"):
        path += "/"
    return unquote(path), (base_url if parts.scheme in ("http", "https") else None)


class Rebuilder:
    """Collects changes from the watcher and rebuilds once a burst has settled. The
    rebuild runs on a thread of its own, so the server keeps answering (from the
    last good site) while it works; changes that arrive meanwhile start one more
    rebuild when it ends."""

    def __init__(self, state: PreviewState, watcher: Watcher) -> None:
        self.state = state
        self.watcher = watcher
        self.pending: set[str] = set()
        self.timer = None
        self.running = False
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild")

    def changed(self, paths=None) -> None:
        self.pending.update(paths if isinstance(paths, list) else [self.watcher.filepath or "?"])
        loop = ioloop.IOLoop.current()
        if self.timer is not None:
            loop.remove_timeout(self.timer)
        self.timer = loop.call_later(QUIET_SECONDS, self.run)

    def run(self) -> None:
        self.timer = None
        if self.running or not self.pending:
            return  # _done starts the next one
        names = sorted(os.path.relpath(p, self.state.project.root) for p in self.pending
                       if p and p != "?")
        self.pending.clear()
        reason = ", ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")
        self.running = True
        loop = ioloop.IOLoop.current()
        future = loop.run_in_executor(self.executor, self.state.rebuild, reason or "change")
        loop.add_future(future, self._done)

    def _done(self, future) -> None:
        self.running = False
        if future.exception() is not None:  # rebuild() catches everything; be sure
            print(f"annostory: rebuild failed: {future.exception()!r}", file=sys.stderr)
        LiveReloadHandler.reload_waiters("*")
        if self.pending and self.timer is None:
            self.run()


def serve(project: Project, *, host: str = "127.0.0.1", port: int = 8000, out: str = "site",
          base_url: str | None = None) -> int:
    loop = ioloop.IOLoop.current()
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C: stop the loop, print, exit 0
        loop.asyncio_loop.add_signal_handler(sig, loop.stop)
    out_dir = Path(out) if Path(out).is_absolute() else project.root / out
    for name in ("tornado.access", "tornado.general", "livereload"):
        logging.getLogger(name).setLevel(logging.ERROR)
    base_path, absolute_base = split_base(base_url)
    if host not in LOOPBACK:
        print("*" * 72 + f"\nWARNING: serving on {host}: other machines can reach this preview "
              "(it answers\nrequests for this address, localhost and IP addresses only). Use "
              "the default\n127.0.0.1 unless you mean it.\n" + "*" * 72, file=sys.stderr)
    state = PreviewState(project, out_dir, absolute_base or (base_path if base_url else None),
                         disk_cache=DiskCache(project.root))
    state.rebuild("start")
    if not out_dir.exists():
        out_dir.mkdir(parents=True)  # nothing good yet: serve an empty site with the overlay
    watcher = PollingWatcher()
    rebuilder = Rebuilder(state, watcher)
    for kind, path in project.inputs():  # every input, as the project declares them
        watcher.watch(str(path / "**" / "*") if kind.folder else str(path), rebuilder.changed)
    watcher.examine()  # record the current mtimes
    LiveReloadHandler.watcher = watcher
    LiveReloadHandler.live_css = False
    app = make_app(state, base_path, host)
    try:
        actual = listen(app, host, port)
    except OSError as exc:
        print(f"serve: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Serving {out_dir} at http://{shown_host}:{actual}{base_path} "
          "(rebuilds on save; Ctrl-C to stop)", flush=True)
    poller = ioloop.PeriodicCallback(watcher.examine, POLL_SECONDS * 1000)
    poller.start()
    with contextlib.suppress(KeyboardInterrupt):
        loop.start()
    poller.stop()
    print("preview stopped", flush=True)
    return 0
