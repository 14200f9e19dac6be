"""Outside checkers and looks: axe-core (WCAG 2.2 A/AA), the Nu Html Checker,
page weight, and screenshots to look at (written to test-artifacts/)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess

import pytest
from conftest import PHONE, REPO, missing

pytestmark = pytest.mark.slow  # a real browser or server

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def run_axe(page) -> list[dict]:
    if not AXE.exists():
        missing("axe-core is not installed (npm ci --ignore-scripts)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           TAGS)
    return [{"id": v["id"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_no_violations_with_notes_closed_and_open(open_page, size, scheme):
    options = {"color_scheme": scheme, **(PHONE if size == "phone" else {})}
    page = open_page(**options)
    assert run_axe(page) == []
    quote = page.locator("#quote-delegation-of-presidents")
    quote.focus()
    page.keyboard.press("Enter")  # a pinned note, links reachable
    assert page.locator("#annostory-popup").is_visible()
    page.wait_for_function("() => document.getAnimations().every(a => a.playState === 'finished')")
    violations = run_axe(page)
    assert violations == [], json.dumps(violations, indent=1)


PAGE_KINDS = ["index.html", "tags/labor/index.html", "tags/index.html", "404.html",
              "trumka-not-motivated/timeline/index.html", "people/index.html",
              "people/nikki-budzinski/index.html", "sources/index.html", "a source's page"]


def page_path(site_dir, path: str) -> str:
    if path == "a source's page":
        found = sorted((site_dir / "sources").glob("*/index.html"))[0]
        return found.relative_to(site_dir).as_posix()
    return path


@pytest.mark.parametrize("path", PAGE_KINDS)
@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_every_kind_of_page(open_page, base_url, site_dir, path, size, scheme):
    page = open_page(url=base_url + page_path(site_dir, path), color_scheme=scheme,
                     **(PHONE if size == "phone" else {}))
    assert run_axe(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")


def test_nu_html_checker_reports_no_errors(site_dir):
    java = shutil.which("java")
    if java is None or not VNU.exists():
        missing("the Nu Html Checker needs java and node_modules/vnu-jar (npm ci --ignore-scripts)")
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--skip-non-html",
                           str(site_dir)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.strip() == ""


def test_css_and_script_of_a_page_weigh_at_most_8_kb_gzipped(site_dir):
    total = sum(len(gzip.compress((site_dir / "assets" / name).read_bytes(), 9))
                for name in ("style.css", "notes.js"))
    assert total <= 8 * 1024, total


def test_screenshots_for_a_person_to_look_at(open_page, artifacts):
    page = open_page()
    page.screenshot(path=str(artifacts / "desktop.png"))
    page.locator("#quote-definitely-post-iowa-nh").focus()
    page.wait_for_timeout(400)  # let the fade-in finish
    page.screenshot(path=str(artifacts / "desktop-note-open.png"))
    assert page.locator("#annostory-popup").is_visible()
    phone = open_page(**PHONE)
    phone.locator("#quote-annoying").scroll_into_view_if_needed()
    phone.locator("#quote-annoying").tap()
    phone.wait_for_timeout(400)
    phone.screenshot(path=str(artifacts / "phone-note-open.png"))
    dark = open_page(color_scheme="dark")
    dark.locator("#quote-annoying").focus()
    dark.wait_for_timeout(400)
    dark.screenshot(path=str(artifacts / "desktop-dark-note-open.png"))
    printed = open_page()
    printed.emulate_media(media="print")
    printed.screenshot(path=str(artifacts / "print.png"), full_page=True)
    if os.environ.get("ANNOSTORY_PDF"):
        printed.pdf(path=str(artifacts / "print.pdf"))
    for name in ("desktop.png", "desktop-note-open.png", "phone-note-open.png", "print.png"):
        assert (artifacts / name).stat().st_size > 10_000


def test_screenshots_of_every_kind_of_page(open_page, base_url, site_dir, artifacts):
    """Each kind of page at 375 and 1280 pixels, light and dark, to look at
    (test-artifacts/pages/); each fills its width without scrolling sideways."""
    folder = artifacts / "pages"
    folder.mkdir(exist_ok=True)
    for path in PAGE_KINDS:
        stem = page_path(site_dir, path).replace("/index.html", "").replace("/", "_")
        for size in ("desktop", "phone"):
            for scheme in ("light", "dark"):
                page = open_page(url=base_url + page_path(site_dir, path), color_scheme=scheme,
                                 **(PHONE if size == "phone" else {}))
                target = folder / f"{stem}-{size}-{scheme}.png"
                page.screenshot(path=str(target), full_page=True)
                assert target.stat().st_size > 5_000
                assert page.evaluate(
                    "() => document.documentElement.scrollWidth <= innerWidth")
