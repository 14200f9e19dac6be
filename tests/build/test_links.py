"""The site's own links: every local link of every page of a built site resolves (the
example, the starter project, a sub-path base URL), and a template that names an asset
the site does not have is an error (a project without static/ once got '0 errors' and
pages linking to style.css, notes.js and favicon.svg that were never written)."""

import pytest
from helpers import make_project

from annostory.build.links import targets
from annostory.commands.cli import main


def every_local_link_resolves(site, base_url: str = "") -> int:
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    count = 0
    for page in sorted(f for f in files if f.endswith(".html")):
        for target in targets(page, (site / page).read_text(), base_url):
            assert target in ("", ".") or target in files or f"{target}/index.html" in \
                files, (page, target)
            count += 1
    return count


@pytest.mark.parametrize("base_url", ["", "https://example.org/stories/", "/c++/"])
def test_every_local_link_of_the_example_resolves(tmp_path, base_url):
    root = make_project(tmp_path)
    args = ["build", "--root", str(root)] + (["--base-url", base_url] if base_url.startswith(
        "http") else [])
    assert main(args) == 0
    assert every_local_link_resolves(root / "site", base_url if base_url.startswith("http")
                                     else "") > 50


def test_a_template_naming_a_missing_asset_is_an_error(tmp_path, capsys):
    root = make_project(tmp_path)
    base = root / "templates" / "base.html"
    base.write_text(base.read_text().replace("assets/style.css", "assets/site.css"))
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "links to assets/site.css, which the site does not have [broken-link]" in err
    assert not (root / "site").exists()


def test_links_to_the_site_s_own_address_are_its_own():
    html = ('<a href="https://x.example/s/a/">a</a><a href="/s/b/index.html">b</a>'
            '<a href="/elsewhere">c</a><img srcset="p-1.jpg 480w, p-2.jpg 960w">'
            '<a href="https://other.example/">d</a><a href="#top">e</a>')
    assert targets("t/index.html", html, "https://x.example/s/") == [
        "a", "b/index.html", "t/p-1.jpg", "t/p-2.jpg"]
