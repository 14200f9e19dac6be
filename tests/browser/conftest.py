"""Real-browser fixtures: the example site built once, served on 127.0.0.1, and
Debian's Chromium driven by Playwright (never `playwright install`).

Where Chromium is missing, these tests are skipped with a loud message on a
developer machine and fail in CI (CI=true)."""

from __future__ import annotations

import functools
import os
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from annostory.commands.cli import main

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from helpers import make_project  # noqa: E402

ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
SLUG = "trumka-not-motivated"


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    return candidate if candidate and Path(candidate).exists() else None


def missing(what: str) -> None:
    message = (f"\n\n*** BROWSER TESTS NOT RUN: {what}. Install it: "
               "apt-get install -y chromium fonts-liberation ; pip install -r requirements-dev.txt"
               " ***\n")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the Python package playwright is not installed")
    path = chromium_path()
    if path is None:
        missing("Debian's chromium was not found (or set CHROMIUM_PATH)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("browser-project"))
    out = tmp_path_factory.mktemp("browser-site") / "site"
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def base_url(site_dir):
    handler = functools.partial(_Quiet, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def story_url(base_url):
    return f"{base_url}{SLUG}/index.html"


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 375, "height": 667}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}


@pytest.fixture
def open_page(browser, story_url):
    """open_page(**context_options) -> a page on the example story."""
    contexts = []

    def opener(clock: bool = False, url: str | None = None, **options):
        context = browser.new_context(**{**DESKTOP, **options})
        contexts.append(context)
        page = context.new_page()
        page.outside_requests = []
        origin = (url or story_url).split("/")[2]
        page.on("request", lambda r: None if r.url.split("/")[2] == origin
                else page.outside_requests.append(r.url))
        if clock:
            page.clock.install()
        page.goto(url or story_url)
        page.wait_for_load_state("load")
        return page

    yield opener
    for context in contexts:
        context.close()
