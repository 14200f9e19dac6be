"""The preview server against a hostile web page:
DNS rebinding (Host), foreign WebSockets (Origin), malformed messages, odd paths,
the base path as text, and no leak of a refused file."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
import json
import socket
import subprocess
import sys

import pytest
from helpers import REPO
from preview_helpers import Server
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

pytestmark = pytest.mark.slow  # a real browser or server


def raw_get(port: int, path: str, host: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


@pytest.mark.parametrize("path", ["/", "/trumka-not-motivated/index.html",
                                  "/__annostory/status.json", "/livereload.js"])
def test_a_foreign_host_is_refused(server, path):
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1.evil.example",
                 "localhost.evil.example:80"):
        code, body = raw_get(server.port, path, host)
        assert code == 403, (host, path)
        assert "Trumka" not in body and "errors" not in body
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", "localhost"):
        assert raw_get(server.port, path, host)[0] == 200, (host, path)


def _websocket(port: int, origin: str | None, messages: list[str]) -> list:
    async def run():
        headers = {"Origin": origin} if origin else {}
        request = HTTPRequest(f"ws://127.0.0.1:{port}/livereload", headers=headers)
        try:
            conn = await websocket_connect(request)
        except HTTPClientError as exc:
            return [exc.code]
        replies = []
        for message in messages:
            await conn.write_message(message)
        for _ in range(1):
            replies.append(await asyncio.wait_for(conn.read_message(), 5))
        conn.close()
        return replies
    # In a thread of its own: other tests may leave an event loop in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(run())).result(timeout=20)


def test_the_websocket_checks_the_origin(server):
    hello = json.dumps({"command": "hello", "protocols": []})
    assert _websocket(server.port, "http://evil.example", [hello]) == [403]
    assert _websocket(server.port, f"http://evil.example:{server.port}", [hello]) == [403]
    replies = _websocket(server.port, f"http://127.0.0.1:{server.port}", [hello])
    assert json.loads(replies[0])["command"] == "hello"


def test_a_malformed_websocket_message_is_ignored(server):
    origin = f"http://localhost:{server.port}"
    garbage = ["not json", "[1, 2]", '{"command": 5}', "null", '"text"']
    hello = json.dumps({"command": "hello", "protocols": []})
    replies = _websocket(server.port, origin, [*garbage, hello])
    assert json.loads(replies[0])["command"] == "hello"
    assert "Traceback" not in "".join(server.output)


@pytest.mark.parametrize("path", ["/%00", "/assets/%00style.css", "/%1b[31m", "/a%0d%0ab"])
def test_odd_paths_are_not_found_without_a_traceback(server, path):
    code, _ = server.get(path)
    assert code in (400, 404)
    assert server.get("/")[0] == 200
    assert "Traceback" not in "".join(server.output)


@pytest.mark.parametrize("base", ["/c++/", "/st(o)ries/", "/a.b/", "/x$y/"])
def test_the_base_path_is_text_not_a_pattern(project, base):
    srv = Server(project, "--base-url", base)
    try:
        assert srv.get(f"{base}trumka-not-motivated/index.html")[0] == 200
        if "." in base:
            assert srv.get(base.replace(".", "X") + "index.html")[0] == 404
    finally:
        srv.stop()


@pytest.mark.parametrize("base", ["javascript:alert(1)//", "/a b/", "//evil.example/",
                                  "/x/../y/", "data:text/html,x", "https://a\"b/"])
def test_a_bad_base_url_is_a_usage_error(project, base):
    for command in ("serve", "build", "check"):
        done = subprocess.run([sys.executable, str(REPO / "build.py"), command, "--root",
                               str(project), "--base-url", base, "--port", "1"]
                              if command == "serve" else
                              [sys.executable, str(REPO / "build.py"), command, "--root",
                               str(project), "--base-url", base],
                              capture_output=True, text=True, timeout=30)
        assert done.returncode == 2, (command, base, done.stderr)
        assert "--base-url" in done.stderr and "Traceback" not in done.stderr
    assert not (project / "site").exists()


def test_a_refused_link_never_shows_its_target(project, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:x:0:0:TOP-SECRET\n")
    notes = project / "annotations" / "trumka-not-motivated.yaml"
    notes.unlink()
    notes.symlink_to(secret)
    srv = Server(project)
    try:
        status = srv.status()
        assert not status["ok"]
        text = json.dumps(status)
        assert "refusing to read" in text and "TOP-SECRET" not in text
        code, html = srv.get("/")
        assert "TOP-SECRET" not in html
        assert "TOP-SECRET" not in "".join(srv.output)
    finally:
        srv.stop()


def test_a_write_failure_in_the_preview_shows_in_the_overlay(project, monkeypatch):
    from annostory.commands import preview as serve_module
    from annostory.inputs.project import Project
    from annostory.output.folders import OutputError

    state = serve_module.PreviewState(Project(project), project / "site", None)

    def fail(*args, **kwargs):
        raise OutputError("the disk is full (while writing site/index.html)")
    monkeypatch.setattr(serve_module, "update_site", fail)
    assert state.rebuild() is False
    status = state.status()
    assert status["ok"] is False
    assert "the disk is full" in status["errors"][0]["message"]
    assert b"the disk is full" in state.injection()


def test_thousands_of_errors_keep_the_preview_small(project):
    story = project / "content" / "trumka-not-motivated.md"
    links = " ".join(f"[l{i}](javascript:x{i})" for i in range(2000))
    story.write_text(story.read_text() + f"\n{links}\n")
    srv = Server(project)
    try:
        status = srv.status()
        assert not status["ok"] and len(json.dumps(status)) < 20_000
        assert any("and 1995 more" in e["message"] for e in status["errors"])
        code, html = srv.get("/")
        assert len(html) < 60_000
    finally:
        srv.stop()


def raw_status(port: int, request: bytes) -> str:
    """The status line the preview sends for a raw request ('' when it closes without
    one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        data = b""
        try:
            while b"\r\n" not in data:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                data += chunk
        except ConnectionResetError:
            pass
    return data.split(b"\r\n", 1)[0].decode("latin-1")


@pytest.mark.parametrize("request_bytes,status", [
    (b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "414"),
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"b" * 100_000 + b"\r\n\r\n", "431"),
    (b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "431"),
])
def test_overlong_addresses_and_headers_get_an_answer(server, request_bytes, status):
    assert raw_status(server.port, request_bytes).split(" ")[1:2] == [status]
    assert server.get("/")[0] == 200  # and the preview goes on


class TestServingTheLastBuild:
    """While the preview links the last build's files into its own folder, a file it
    lacks is served from site/: with the same checks (nothing outside it, nor its
    marker), and an empty folder's index page found."""

    @pytest.fixture
    def app(self, project, tmp_path):
        from annostory.build.cache import DiskCache
        from annostory.commands.cli import main
        from annostory.commands.preview import PreviewState
        from annostory.commands.preview_http import make_app
        from annostory.inputs.project import Project

        assert main(["build", "--root", str(project)]) == 0
        (project / "secret.txt").write_text("not for the web")
        out = tmp_path / "preview"
        (out / "trumka-not-motivated").mkdir(parents=True)  # linking under way
        state = PreviewState(Project(project), out, None, disk_cache=DiskCache(project),
                             serving_from=project / "site", ok=True)
        return make_app(state, "/")

    def fetch(self, app, path: str) -> tuple[int, str]:
        from tornado.httpserver import HTTPServer
        from tornado.testing import bind_unused_port

        async def main():
            sock, port = bind_unused_port()
            server = HTTPServer(app)
            server.add_sockets([sock])
            try:
                return await asyncio.get_running_loop().run_in_executor(
                    None, raw_get, port, path, f"127.0.0.1:{port}")
            finally:
                server.stop()
        # In a thread of its own: other tests may leave an event loop in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(lambda: asyncio.run(main())).result(timeout=20)

    @pytest.mark.parametrize("path", ["/trumka-not-motivated/", "/people/", "/index.html"])
    def test_what_is_not_linked_yet_is_served_from_the_build(self, app, path):
        code, body = self.fetch(app, path)
        assert code == 200 and "<html" in body

    @pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt",
                                      "/.annostory-site", "/../.annostory-cache/"])
    def test_nothing_outside_the_build_nor_its_marker(self, app, path):
        code, body = self.fetch(app, path)
        assert code in (403, 404) and "not for the web" not in body
