"""What other software reads from a built page, checked with its own code in Chromium:
Hypothesis's anchoring libraries (npm dom-anchor-text-quote and
dom-anchor-text-position, bundled with esbuild) resolve every selector of each
story's annotations.jsonld to its quote, on the page as shipped and after notes were
opened and closed (the page's text must not change when a note is read)."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import DESKTOP, PHONE, REPO, missing

from annostory.commands.cli import main

pytestmark = pytest.mark.slow  # a real browser

ESBUILD = REPO / "node_modules" / ".bin" / "esbuild"
BASE = "https://news.example/"
EMOJI_STORY = ("---\ntitle: Emoji\ndate: 2016-11-01\n---\n\U0001F600\U0001F600 The "
               "\U0001F4E7email\U0001F4E7\U0001F4E7\U0001F4E7\U0001F4E7\U0001F4E7\U0001F4E7"
               " said \u201cwe will win\u201d and \u201cwe will not lose\u201d "
               "\U0001F389\U0001F389\U0001F389\U0001F389\U0001F389\U0001F389\U0001F389.\n\n"
               "A [link with \u201cwe will win\u201d in it](https://example.org/) "
               "\u2014 and \u201cwe will win\u201d again.\n")
EMOJI_NOTES = ("sources:\n  s: {type: email}\nannotations:\n"
               "  - {quote: we will win, source: s, prefix: 'said \u201c'}\n"
               "  - {quote: we will not lose, source: s}\n"
               "  - {quote: we will win, source: s, prefix: 'link with \u201c'}\n"
               "  - {quote: we will win, source: s, prefix: '\u2014 and \u201c'}\n")


@pytest.fixture(scope="module")
def libraries() -> str:
    if not ESBUILD.exists() or not (REPO / "node_modules" / "dom-anchor-text-quote").is_dir():
        missing("the anchoring libraries are not installed (npm ci --ignore-scripts)")
    entry = ("export * as quote from 'dom-anchor-text-quote';\n"
             "export * as position from 'dom-anchor-text-position';\n")
    done = subprocess.run([str(ESBUILD), "--bundle", "--format=iife", "--global-name=anchoring",
                           "--log-level=warning"], input=entry, capture_output=True,
                          text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The example and a story with astral characters and a quote inside a link, built
    with an address, served on 127.0.0.1."""
    from helpers import make_project

    root = make_project(tmp_path_factory.mktemp("read"))
    (root / "content" / "emoji.md").write_text(EMOJI_STORY)
    (root / "annotations" / "emoji.yaml").write_text(EMOJI_NOTES)
    site = tmp_path_factory.mktemp("read-site") / "site"
    assert main(["build", "--root", str(root), "--out", str(site), "--base-url", BASE]) == 0

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


RESOLVE = """([items]) => {
  const body = document.body, text = body.textContent;
  const points = Array.from(text);  // code points, as the model counts positions
  const units = n => points.slice(0, n).join('').length;  // to UTF-16, as the DOM does
  return items.map(item => {
    const [quote, position] = item.target.selector;
    const id = item.id.split('#note-')[1];
    const marked = document.getElementById('quote-' + id);
    const holder = marked.classList.contains('anno-marker') ? marked.previousElementSibling
                                                             : marked;
    let byQuote = null, byPosition = null, error = '';
    try {
      const r = anchoring.quote.toRange(body, quote, {hint: units(position.start)});
      byQuote = r && r.toString();
      if (r && !holder.contains(r.startContainer)) byQuote = 'elsewhere: ' + byQuote;
    } catch (e) { error = String(e); }
    const r2 = anchoring.position.toRange(body, {start: units(position.start),
                                                  end: units(position.end)});
    byPosition = r2.toString();
    if (!holder.contains(r2.startContainer)) byPosition = 'elsewhere: ' + byPosition;
    return {id, exact: quote.exact, byQuote, byPosition, error};
  });
}"""


def check_every_selector(page, items) -> list[dict]:
    results = page.evaluate(RESOLVE, [items])
    return [r for r in results
            if r["byQuote"] != r["exact"] or r["byPosition"] != r["exact"] or r["error"]]


@pytest.mark.parametrize("slug", ["trumka-not-motivated", "emoji"])
def test_every_selector_resolves_as_shipped_and_after_notes_were_read(
        browser, served, libraries, slug):
    site, url = served
    items = json.loads((site / slug / "annotations.jsonld").read_text())["first"]["items"]
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(f"{url}{slug}/")
    page.add_script_tag(content=libraries)
    before = page.evaluate("() => document.body.textContent")
    assert check_every_selector(page, items) == []
    for item in items:  # open each note (tap, keyboard, hover), then close it
        quote = page.locator(f"#quote-{item['id'].split('#note-')[1]}")
        quote.click()
        assert page.locator("#annostory-popup").is_visible()
        page.keyboard.press("Escape")
        quote.focus()
        quote.hover()
        page.wait_for_timeout(200)
    page.mouse.move(1, 1)
    page.locator("h1").click()
    page.wait_for_function("() => !document.getElementById('annostory-popup')")
    assert page.evaluate("() => document.body.textContent") == before
    assert check_every_selector(page, items) == []
    context.close()


def test_a_note_held_open_is_outside_the_story_text(browser, served, libraries):
    """While a note is open its box is at the end of <body>, after every quote: a
    position selector still lands on its quote."""
    site, url = served
    items = json.loads((site / "trumka-not-motivated" / "annotations.jsonld").read_text()
                       )["first"]["items"]
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{url}trumka-not-motivated/")
    page.add_script_tag(content=libraries)
    page.locator("#quote-delegation-of-presidents").tap()
    assert page.evaluate("() => document.body.lastElementChild.id") == "annostory-popup"
    failed = [r for r in page.evaluate(RESOLVE, [items]) if r["byPosition"] != r["exact"]]
    assert failed == []
    context.close()


# --- layout, measured -----------------------------------------------------------

MEASURE = """() => {
  const first = document.querySelector('.story-body p');
  const article = document.querySelector('article.story');
  const sources = document.querySelector('section.sources');
  return {first: first.getBoundingClientRect().top + scrollY,
          article: article.getBoundingClientRect().height,
          sources: sources.getBoundingClientRect().height,
          overflow: document.documentElement.scrollWidth - innerWidth};
}"""


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """A report quoting one speech eight times: the kind of story whose Sources used
    to repeat the same card under every quote."""
    from helpers import make_project

    root = make_project(tmp_path_factory.mktemp("speech"), example=False)
    fixture = REPO / "tests" / "fixtures" / "speech-report"
    for name in ("content", "annotations", "sources"):
        shutil.copytree(fixture / name, root / name, dirs_exist_ok=True)
    site = tmp_path_factory.mktemp("speech-site") / "site"
    assert main(["build", "--root", str(root), "--out", str(site), "--base-url", BASE]) == 0
    return site


def measure(browser, site, slug: str, options: dict) -> dict:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/{slug}/")
    found = page.evaluate(MEASURE)
    context.close()
    server.shutdown()
    return found


@pytest.mark.parametrize("options", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_sources_are_no_taller_than_the_article(browser, served, speech, options):
    for site, slug in ((served[0], "trumka-not-motivated"), (speech, "oval-office-address")):
        found = measure(browser, site, slug, options)
        assert found["sources"] <= found["article"], (slug, found)
        assert found["overflow"] <= 0


def test_on_a_phone_the_story_starts_within_400_pixels(browser, served, speech):
    for site, slug in ((served[0], "trumka-not-motivated"), (speech, "oval-office-address")):
        found = measure(browser, site, slug, PHONE)
        assert found["first"] <= 400, (slug, found)

