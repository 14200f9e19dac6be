"""The preview's web server (tornado, with livereload's handlers): the site under its
base path, the reload WebSocket and script, a status page; every handler answers only
requests whose Host names this preview (against DNS rebinding), and every HTML page
gets the reload script and the error overlay before its `</head>`."""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import json
import os
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.handlers import StaticFileHandler as LivereloadStaticFileHandler
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.iostream import UnsatisfiableReadError

from ..output.folders import MARKER
from .preview import PreviewState


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
        if len(self.request.uri or "") > MAX_URL:
            raise web.HTTPError(414)
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
            built = state.serving_from  # the last build, until its files are linked here
            wanted = os.path.join(absolute_path, self.default_filename or "") \
                if os.path.isdir(absolute_path) else absolute_path
            if built is not None and not os.path.lexists(wanted):
                relative = os.path.relpath(absolute_path, root_arg)
                root_arg, absolute_path = str(built), os.path.join(built, relative)
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


MAX_URL = 8 * 1024  # longer addresses are answered 414
MAX_HEADERS = 64 * 1024  # a larger request head is answered 431
_TOO_LARGE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
              b"Connection: close\r\n\r\n")


class PreviewServer(HTTPServer):
    """Tornado's HTTP server, answering a request whose head is too large with 431
    before the connection closes (tornado closes it without a word)."""

    def handle_stream(self, stream, address) -> None:
        check = stream._check_max_bytes  # tornado's own limit check (tested)

        def answering(delimiter, size) -> None:
            try:
                check(delimiter, size)
            except UnsatisfiableReadError:
                with contextlib.suppress(OSError):
                    stream.socket.send(_TOO_LARGE)
                raise
        stream._check_max_bytes = answering
        super().handle_stream(stream, address)


def listen(app: web.Application, host: str, port: int, tries: int = 20) -> int:
    for candidate in range(port, port + tries):
        try:
            PreviewServer(app, max_header_size=MAX_HEADERS).listen(candidate, address=host)
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
