"""`annostory serve`: the preview server.

Serves a preview of the site on 127.0.0.1 from a folder of its own, starting from
the last build's files (linked) while it checks every file; polls the project's
sources (content, annotations, templates, static assets, schema, settings) every
50 ms (less often on a large project: `Poller`), rebuilds what changed once a burst
of saves has settled (a saved story's page first, then the site; unchanged stories
come from the caches), writes only the files that differ, and tells the open pages
those files are shown on to reload, over livereload's WebSocket protocol.

A broken file never stops it: the last good pages keep being served, every
page shows an overlay listing the diagnostics, and the terminal prints them
once per change. Built on the `livereload` package (its WebSocket protocol,
browser script and file watcher) and tornado; livereload's 3-second reload
throttle does not apply because reloads are sent directly after each rebuild.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

from livereload.handlers import LiveReloadHandler
from tornado import ioloop

from ..build.cache import DiskCache
from ..inputs.project import DEFAULT_OUT, Project
from ..output.folders import MARKER, process_running, remove_ours
from ..output.manifest import read_manifest
from .preview import PollingWatcher, PreviewState, Rebuilder
from .preview_http import listen, make_app, split_base

POLL_SECONDS = 0.05
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def preview_folder(project: Project) -> Path:
    """The folder this preview builds into: under the project's cache, one per preview
    running (never the deployed site/). Those of previews no longer running go, on a
    thread of their own (a large site's copy takes seconds to remove)."""
    base = project.cache_dir / "preview"
    dead = [old for old in sorted(base.glob("*")) if base.is_dir() and old.name.isdigit()
            and not process_running(int(old.name))]
    if dead:
        threading.Thread(target=lambda: [_remove(old) for old in dead], daemon=True).start()
    return base / str(os.getpid()) / "site"


class Poller:
    """Looks at the project's files every POLL_SECONDS, or, when one look takes longer
    (10,000 stories: 20,000 files, about 0.16 s), waits twice as long as it took, so
    the watching never takes more than a third of a core from the rebuilds and the
    server."""

    def __init__(self, watcher: PollingWatcher, loop: ioloop.IOLoop) -> None:
        self.watcher, self.loop, self.handle = watcher, loop, None

    def start(self) -> None:
        self.handle = self.loop.call_later(POLL_SECONDS, self._look)

    def _look(self) -> None:
        began = time.perf_counter()
        self.watcher.examine()
        took = time.perf_counter() - began
        self.handle = self.loop.call_later(max(POLL_SECONDS, 2 * took), self._look)

    def stop(self) -> None:
        if self.handle is not None:
            self.loop.remove_timeout(self.handle)


def _built_site(project: Project, state: PreviewState) -> tuple[Path, dict] | None:
    """The last `build` of the site (site/) and its manifest (in the cache), when there
    is one a preview can start from."""
    site = project.root / DEFAULT_OUT
    if state.disk_cache is None or not site.is_dir() or site.is_symlink() or \
            not (site / MARKER).is_file():
        return None
    manifest = read_manifest(state.disk_cache.manifest_for(site))
    return (site, manifest) if manifest.get("files") else None


def _remove(folder: Path) -> None:
    """A preview's folder: its site (made by annostory), then the folder if empty."""
    with contextlib.suppress(OSError):
        if (folder / "site").exists():
            remove_ours(folder / "site")
        folder.rmdir()


def serve(project: Project, *, host: str = "127.0.0.1", port: int = 8000,
          base_url: str | None = None) -> int:
    loop = ioloop.IOLoop.current()
    for sig in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C: stop the loop, print, exit 0
        loop.asyncio_loop.add_signal_handler(sig, loop.stop)
    out_dir = preview_folder(project)
    for name in ("tornado.access", "tornado.general", "livereload"):
        logging.getLogger(name).setLevel(logging.ERROR)
    base_path, absolute_base = split_base(base_url)
    if host not in LOOPBACK:
        print("*" * 72 + f"\nWARNING: serving on {host}: other machines can reach this preview "
              "(it answers\nrequests for this address, localhost and IP addresses only). Use "
              "the default\n127.0.0.1 unless you mean it.\n" + "*" * 72, file=sys.stderr)
    state = PreviewState(project, out_dir, absolute_base or (base_path if base_url else None),
                         disk_cache=DiskCache(project.root), base_path=base_path or "/")
    built = _built_site(project, state)
    if built is not None:  # served at once; linked, then every file checked, meanwhile
        state.start_from_build(*built)
        print(f"[{time.strftime('%H:%M:%S')}] start: serving the last build while checking "
              "every file", flush=True)
    else:
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
    poller = Poller(watcher, loop)
    poller.start()
    if built is not None:
        rebuilder.changed(["start"])
    with contextlib.suppress(KeyboardInterrupt):
        loop.start()
    poller.stop()
    _remove(out_dir.parent)
    print("preview stopped", flush=True)
    return 0
