"""The preview in a real browser: an open page reloads by itself after a save,
shows the error overlay for a broken file, and recovers when it is fixed."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import make_project  # noqa: E402
from preview_helpers import Server  # noqa: E402

pytestmark = pytest.mark.slow  # a real browser or server

NOTES = "annotations/trumka-not-motivated.yaml"


@pytest.fixture
def preview(tmp_path):
    root = make_project(tmp_path)
    server = Server(root)
    yield root, server
    server.stop()


def test_open_page_reloads_after_an_edit_and_shows_errors_until_fixed(browser, preview):
    root, server = preview
    page = browser.new_page()
    try:
        page.goto(server.url("/trumka-not-motivated/index.html"))
        page.wait_for_function("() => !!window.LiveReload")
        path = root / NOTES
        original = path.read_text()
        path.write_text(original.replace("Not found in other reports of the emails.",
                                         "Edited while the page was open."))
        page.wait_for_function("() => document.body.innerText.includes("
                               "'Edited while the page was open.')", timeout=10_000)

        path.write_text(original.replace("  - id: annoying\n", "  - id: annoying\n   x: [\n"))
        overlay = page.locator(".annostory-overlay")
        overlay.wait_for(state="visible", timeout=10_000)
        assert NOTES in overlay.inner_text()
        assert page.locator("#quote-annoying").count() == 1, "last good page under the overlay"

        path.write_text(original)
        overlay.wait_for(state="detached", timeout=10_000)
        assert "Not found in other reports of the emails." in page.locator("body").inner_text()
    finally:
        page.close()
