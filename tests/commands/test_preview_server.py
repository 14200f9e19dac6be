"""The preview server, for real: a subprocess on a free port, HTTP requests and a
livereload WebSocket client (tornado's), files edited on disk."""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest
from preview_helpers import LiveClient, Server

pytestmark = pytest.mark.slow  # a real browser or server

NOTES = "annotations/trumka-not-motivated.yaml"


def edit(project: Path, old: str, new: str, file: str = NOTES) -> None:
    path = project / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_serves_the_site_with_the_reload_script(server):
    code, html = server.get("/trumka-not-motivated/index.html")
    assert code == 200
    assert "livereload.com/protocols/official-7" in html and "annostory-overlay" in html
    assert server.get("/")[0] == 200
    assert server.status()["ok"] is True


def test_an_edited_note_is_served_and_the_page_told_to_reload(server, project):
    client = LiveClient(server.port)
    edit(project, "Not found in other reports of the emails.", "A freshly edited note.")
    message = client.next_reload(timeout=5)
    assert message["command"] == "reload"
    html = server.get("/trumka-not-motivated/index.html")[1]
    assert "A freshly edited note." in html


def test_a_broken_file_shows_an_overlay_and_keeps_the_last_good_pages(server, project):
    client = LiveClient(server.port)
    edit(project, "  - id: annoying\n", "  - id: annoying\n   bad: [\n")
    client.next_reload()
    status = server.wait_status(lambda s: not s["ok"])
    assert status["errors"][0]["where"].startswith(NOTES + ":")
    html = server.get("/trumka-not-motivated/index.html")[1]
    assert "Sept. 6, 2015 (date uncertain)" in html, "the last good page is still served"
    assert f'"where": "{NOTES}:' in html.replace("\\u003c", "<")
    server.wait_for("build failed; still serving the last good pages")
    assert "Traceback" not in "".join(server.output)
    assert server.proc.poll() is None, "the server keeps running"

    edit(project, "   bad: [\n", "")
    client.next_reload()
    server.wait_status(lambda s: s["ok"])
    assert "annostory-overlay" in server.get("/trumka-not-motivated/index.html")[1]
    assert '"errors": []' in server.get("/trumka-not-motivated/index.html")[1]


def test_two_saves_a_second_apart_both_reload(server, project):
    client = LiveClient(server.port)
    edit(project, "Not found in other reports of the emails.", "First save.")
    client.next_reload()
    time.sleep(1)
    edit(project, "First save.", "Second save.")
    client.next_reload(timeout=5)
    assert "Second save." in server.get("/trumka-not-motivated/index.html")[1]


def test_a_burst_of_saves_rebuilds_once(server, project):
    client = LiveClient(server.port)
    before = server.status()["builds"]
    notes = project / "annotations" / "trumka-not-motivated.yaml"
    story = project / "content" / "trumka-not-motivated.md"
    text = notes.read_text()
    for i in range(3):  # an editor's "save all": several writes within a few ms
        notes.write_text(text.replace("Not found in other reports", f"Burst {i}"))
    story.write_text(story.read_text())
    client.next_reload()
    time.sleep(0.6)
    assert server.status()["builds"] == before + 1
    assert client.messages.empty(), "one reload for the burst"


def test_only_the_changed_story_is_recompiled(project):
    (project / "content" / "second.md").write_text(
        "---\ntitle: Second\ndate: 2017-01-01\n---\nShe said \"later\".\n")
    (project / "annotations" / "second.yaml").write_text(
        "annotations:\n  - quote: later\n    source: {type: statement}\n")
    srv = Server(project)
    try:
        edit(project, "later", "soon", "content/second.md")
        edit(project, "quote: later", "quote: soon", "annotations/second.yaml")
        assert "(1 of 2 stories compiled" in srv.wait_for(r"rebuilt in")
        template = project / "templates" / "base.html"
        template.write_text(template.read_text().replace("<footer", "<footer data-x=\"1\""))
        assert "(2 of 2 stories compiled" in srv.wait_for(r"templates/base.html: rebuilt")
    finally:
        srv.stop()


@pytest.mark.parametrize("path", [
    "/../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "//etc/passwd", "/assets/../../site.yaml", "/..%2f..%2fsite.yaml", "/outside-link/passwd"])
def test_no_request_reads_outside_the_site(server, project, path):
    os.symlink("/etc", server.site / "outside-link")
    code, body = server.get(path)
    assert code in (400, 403, 404)
    assert "root:" not in body and "title:" not in body


def test_a_port_in_use_moves_to_the_next_free_one(project):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        srv = Server(project, port=taken)
        try:
            assert srv.port != taken
            assert f"port {taken} is in use: serving on port {srv.port} instead" in \
                "".join(srv.output)
            assert srv.get("/")[0] == 200
        finally:
            srv.stop()


def test_binding_beyond_loopback_warns_loudly(project):
    srv = Server(project, "--host", "0.0.0.0")
    try:
        assert "WARNING: serving on 0.0.0.0" in "".join(srv.output)
    finally:
        srv.stop()


def test_a_sub_path_previews_as_deployed(project):
    srv = Server(project, "--base-url", "/stories/")
    try:
        assert srv.base == "/stories/"
        code, html = srv.get("/stories/trumka-not-motivated/index.html")
        assert code == 200 and 'href="../assets/style.css"' in html
        assert srv.get("/stories/assets/notes.js")[0] == 200
        assert srv.get("/trumka-not-motivated/index.html")[0] == 404
        request = urllib.request.Request(srv.url("/"))
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.url.endswith("/stories/")
    finally:
        srv.stop()


def test_ctrl_c_stops_cleanly(project):
    srv = Server(project)
    assert srv.stop(signal.SIGINT) == 0
    assert "preview stopped" in "".join(srv.output)
    assert "Traceback" not in "".join(srv.output)


def test_before_any_good_build_pages_still_get_the_overlay(project):
    notes = project / "annotations" / "trumka-not-motivated.yaml"
    good = notes.read_text()
    notes.write_text(good + "broken: [\n")
    srv = Server(project)
    try:
        client = LiveClient(srv.port)
        code, html = srv.get("/")
        assert code == 404
        assert "annostory-overlay" in html and "/livereload\"" in html
        assert f'"where": "{NOTES}:' in html
        notes.write_text(good)
        client.next_reload()
        assert srv.get("/")[0] == 200
    finally:
        srv.stop()


def add_generated_stories(project: Path, count: int) -> None:
    """`count` stories of the benchmark's generator, s0 to s<count - 1>."""
    import sys as _sys

    _sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import story

    for i in range(count):
        markdown, notes = story(i)
        (project / "content" / f"s{i}.md").write_text(markdown)
        (project / "annotations" / f"s{i}.yaml").write_text(notes)


def test_the_preview_answers_while_it_rebuilds(project):
    add_generated_stories(project, 250)
    srv = Server(project, timeout=60)
    try:
        before = srv.status()["builds"]
        edit(project, "<h2 id=\"sources-heading\">Sources</h2>",
             "<h2 id=\"sources-heading\">Our sources</h2>", "templates/story.html")
        during, slowest = 0, 0.0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            started = time.monotonic()
            code, _ = srv.get("/s1/index.html")
            slowest = max(slowest, time.monotonic() - started)
            assert code == 200
            status = srv.status()
            if status["builds"] > before:
                break
            during += 1
            time.sleep(0.02)
        assert during >= 5, "the rebuild ended before any request could be made"
        assert slowest < 1.0
        assert "Our sources" in srv.get("/s1/index.html")[1]
    finally:
        srv.stop()


def test_a_save_during_a_long_rebuild_is_shown_before_it_ends(project):
    """A story saved while the whole site rebuilds (here after a template edit) is
    on its page before that rebuild ends, not after it; the rebuild does not put the
    older text back; and once all is done the page has both changes."""
    add_generated_stories(project, 300)
    srv = Server(project, timeout=90)
    try:
        client = LiveClient(srv.port)
        before = srv.status()["builds"]
        edit(project, "<h2 id=\"sources-heading\">Sources</h2>",
             "<h2 id=\"sources-heading\">Our sources</h2>", "templates/story.html")
        time.sleep(0.5)  # the rebuild is under way
        assert srv.status()["builds"] == before, "the rebuild ended too soon to test"
        text = (project / "content" / "s7.md").read_text()
        (project / "content" / "s7.md").write_text(text + "\nA sentence saved meanwhile.\n")
        srv.wait_for(r"s7: page written first", timeout=20)
        reload = client.next_reload()
        assert "s7/index.html" in json.loads(reload["path"])
        assert "A sentence saved meanwhile." in srv.get("/s7/")[1]
        assert srv.status()["builds"] == before, "shown only when the rebuild ended"
        srv.wait_status(lambda status: status["builds"] >= before + 2, timeout=90)
        srv.wait_for(r"rebuilt in", timeout=30)
        page = srv.get("/s7/")[1]
        assert "A sentence saved meanwhile." in page and "Our sources" in page
    finally:
        srv.stop()


def test_a_page_replaced_while_it_is_served_is_sent_whole(project):
    """A rebuild replaces pages while the browser asks for them: each answer is one
    version, whole (once the length of one version went out with the bytes of the
    other, and the browser got a cut page or a closed connection)."""
    import http.client
    import threading

    srv = Server(project)
    page = srv.site / "trumka-not-motivated" / "index.html"
    text = page.read_bytes()
    stop = threading.Event()

    def rebuilds() -> None:
        k = 0
        while not stop.is_set():
            k += 1
            temporary = page.with_name(".index.html.tmp")
            temporary.write_bytes(text.replace(b"</html>", b" " * (k % 40) + b"</html>"))
            os.replace(temporary, page)
    churn = threading.Thread(target=rebuilds)
    churn.start()
    answers, broken = 0, []
    try:
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            try:
                code, body = srv.get("/trumka-not-motivated/index.html")
                assert code == 200 and body.rstrip().endswith("</html>")
                answers += 1
            except (http.client.HTTPException, ConnectionError) as exc:
                broken.append(repr(exc))
    finally:
        stop.set()
        churn.join()
        srv.stop()
    assert broken == [] and answers > 20


def test_the_preview_never_touches_the_deployed_site(project):
    """After a production build, a preview with a path base URL and an edit while it
    runs leaves site/ byte for byte (it once rewrote it: the feed and sitemap gone,
    canonical links relative)."""
    from annostory.commands.cli import main

    assert main(["build", "--root", str(project), "--base-url",
                 "https://example.org/stories/"]) == 0
    site = project / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert Path("feed.xml") in before
    srv = Server(project, "--base-url", "/stories/")
    try:
        assert srv.site != site and project / ".annostory-cache" in srv.site.parents
        edit(project, "fed up with AFL-CIO honcho", "fed up (edited)",
             "content/trumka-not-motivated.md")
        srv.wait_for(r"rebuilt in")
        assert srv.get("/stories/trumka-not-motivated/index.html")[0] == 200
    finally:
        srv.stop()
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not srv.site.exists()  # the preview's folder goes with it


def test_after_a_build_the_preview_serves_it_at_once_then_checks_every_file(project):
    """Started after `build`, the preview serves the built pages straight away (from
    site/ until they are linked into its own folder, never changed there), then
    checks every file and rebuilds what differs."""
    from annostory.commands.cli import main

    assert main(["build", "--root", str(project)]) == 0
    site = project / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    srv = Server(project)
    try:
        assert "serving the last build" in "".join(srv.output)
        code, html = srv.get("/trumka-not-motivated/")
        assert code == 200 and "fed up with AFL-CIO honcho" in html
        srv.wait_for(r"start: the last build's \d+ files linked")
        srv.wait_for(r"start: rebuilt in")
        code, html = srv.get("/trumka-not-motivated/")
        assert code == 200 and "fed up with AFL-CIO honcho" in html
        assert (srv.site / "trumka-not-motivated" / "index.html").is_file()
    finally:
        srv.stop()
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
