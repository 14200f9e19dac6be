"""The preview in a real browser: an open page reloads by itself after a save,
shows the error overlay for a broken file, and recovers when it is fixed; a page the
save did not change is left as it is (the reader's place in it too)."""

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
        page.wait_for_function("() => window.__annostoryLive === true")
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


def test_only_the_pages_a_save_changed_reload(browser, preview):
    """A note edited: its story's page reloads (written first, before the rest of the
    site is checked); the index, which does not show notes, is left alone."""
    root, server = preview
    story, index = browser.new_page(), browser.new_page()
    try:
        for page, address in ((story, "/trumka-not-motivated/"), (index, "/")):
            page.goto(server.url(address))
            page.wait_for_function("() => window.__annostoryLive === true")
            page.evaluate("() => { window.__notReloaded = true; }")
        path = root / NOTES
        path.write_text(path.read_text().replace("Not found in other reports of the emails.",
                                                 "Edited with two pages open."))
        story.wait_for_function("() => document.body.innerText.includes("
                                "'Edited with two pages open.')", timeout=10_000)
        assert story.evaluate("() => window.__notReloaded") is None
        server.wait_for(r"trumka-not-motivated.yaml: rebuilt in")
        story.wait_for_timeout(500)  # any reload the full rebuild sent has arrived
        assert index.evaluate("() => window.__notReloaded") is True
        assert "page written first" in "".join(server.output)
    finally:
        story.close()
        index.close()
