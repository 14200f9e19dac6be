"""`python build.py build`: exit codes, determinism, all-or-nothing output, escaping."""

import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from helpers import REPO, make_project

from annostory.commands.cli import main


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(root: Path, *extra: str) -> int:
    return main(["build", "--root", str(root), *extra])


def test_build_twice_gives_byte_identical_sites(tmp_path):
    root = make_project(tmp_path)
    assert build(root, "--out", str(tmp_path / "a")) == 0
    assert build(root, "--out", str(tmp_path / "b")) == 0
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first == second and len(first) >= 4


def test_failed_build_leaves_previous_site_untouched(tmp_path, capsys):
    root = make_project(tmp_path)
    assert build(root) == 0
    before = tree(root / "site")
    path = root / "annotations" / "trumka-not-motivated.yaml"
    path.write_text(path.read_text().replace("quote: annoying", "quote: anoying"))
    assert build(root) == 1
    err = capsys.readouterr().err
    assert "annotations/trumka-not-motivated.yaml:" in err and "anchor-not-found" in err
    assert "did you mean \u201cannoying\u201d" in err
    assert "Traceback" not in err
    assert tree(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == [".site.spare"]


def test_template_typo_is_a_build_error_with_file_and_line(tmp_path, capsys):
    root = make_project(tmp_path)
    template = root / "templates" / "story.html"
    lines = template.read_text().splitlines(keepends=True)
    at = lines.index("{% block main %}\n") + 1
    lines.insert(at, "{{ story.titel }}\n")
    template.write_text("".join(lines))
    assert build(root) == 1
    err = capsys.readouterr().err
    assert f"templates/story.html:{at + 1}:1: error: template error" in err
    assert "titel" in err and "Traceback" not in err
    assert not (root / "site").exists()


def test_template_syntax_error_names_the_line(tmp_path, capsys):
    root = make_project(tmp_path)
    (root / "templates" / "index.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{% for %}\n")
    assert build(root) == 1
    assert "templates/index.html:3:1: error" in capsys.readouterr().err


def test_data_from_yaml_is_escaped_and_never_evaluated(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "content" / "x.md").write_text(
        "---\ntitle: 'A <b>bold</b> {{ 7*7 }} title'\ndate: 2016-11-01\n---\n"
        'He said "hello {% include \'base.html\' %}" <img src=x onerror=alert(1)>.\n')
    (root / "annotations" / "x.yaml").write_text(
        "people:\n  p: {name: '<script>alert(1)</script>', role: '\"><b>role</b>'}\n"
        "sources:\n  s: {type: email, subject: \"{{ 7*7 }}\", url: \"https://e.org/?a=1&b='x'\"}\n"
        "annotations:\n  - quote: hello {% include 'base.html' %}\n    speaker: p\n"
        "    source: s\n    note: '<img src=x onerror=alert(2)> {{ 7*7 }}'\n")
    assert build(root) == 0
    html = (root / "site" / "x" / "index.html").read_text()
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert "{% include \u2018base.html\u2019 %}" in html  # typographer quotes, no include
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".note-source a")["href"] == "https://e.org/?a=1&b='x'"
    assert soup.select_one("a.anno").get_text() == "hello {% include \u2018base.html\u2019 %}"


def test_unsafe_links_are_errors(tmp_path, capsys):
    root = make_project(tmp_path, example=False)
    (root / "content" / "x.md").write_text(
        "---\ntitle: T\ndate: 2016-11-01\n---\nSee [this](javascript:alert(1)) and \"hi\".\n")
    (root / "annotations" / "x.yaml").write_text(
        "sources:\n  s: {type: email, url: 'data:text/html,hi'}\n"
        "annotations:\n  - quote: hi\n    source: s\n")
    (root / "content" / "y.md").write_text("---\ntitle: T\ndate: 2016-11-01\n---\n\"hi\".\n")
    (root / "annotations" / "y.yaml").write_text(
        "annotations:\n  - quote: hi\n    source: {type: memo}\n"
        "    note: '[x](file:///etc/passwd)'\n")
    assert build(root) == 1
    err = capsys.readouterr().err
    assert "content/x.md:5:5: error: link not allowed: javascript: links are not allowed" in err
    assert "annotations/x.yaml:2:25: error: 'url': data: links are not allowed" in err
    assert "annotations/y.yaml:4:11: error: link in note not allowed: file:" in err


def test_base_url_gives_absolute_canonical_links_only(tmp_path):
    root = make_project(tmp_path)
    assert build(root, "--base-url", "https://example.org/stories") == 0
    html = (root / "site" / "trumka-not-motivated" / "index.html").read_text()
    assert ('<link rel="canonical" href="https://example.org/stories/trumka-not-motivated/">'
            in html)
    assert 'href="../assets/style.css"' in html


def test_several_stories_each_get_a_page_and_an_index_entry(tmp_path):
    root = make_project(tmp_path)
    (root / "content" / "second story é.md").write_text(
        "---\ntitle: Second\ndek: Another one\ndate: 2017-01\n---\nShe said \"later\".\n")
    (root / "annotations" / "second story é.yaml").write_text(
        "annotations:\n  - quote: later\n    source: {type: statement}\n")
    assert build(root) == 0
    index = BeautifulSoup((root / "site" / "index.html").read_text(), "html.parser")
    hrefs = [a["href"] for a in index.select(".story-card h2 a")]
    assert hrefs == ["second%20story%20%C3%A9/index.html", "trumka-not-motivated/index.html"]
    assert "Jan. 2017" in index.get_text() and "1 of 1 quotation carries a note" in \
        index.get_text()
    assert (root / "site" / "second story é" / "index.html").exists()


def test_exit_codes_from_the_command_line(tmp_path):
    root = make_project(tmp_path)
    run = [sys.executable, str(REPO / "build.py")]
    ok = subprocess.run(run + ["--root", str(root)], capture_output=True, text=True)
    assert ok.returncode == 0 and "13 of 13 quotations annotated" in ok.stdout
    usage = subprocess.run(run + ["build", "--bogus"], capture_output=True, text=True)
    assert usage.returncode == 2 and "unrecognized arguments" in usage.stderr
    (root / "annotations" / "trumka-not-motivated.yaml").write_text("annotations: [\n")
    bad = subprocess.run(run + ["build", "--root", str(root)], capture_output=True, text=True)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr


def test_a_static_file_linking_out_of_the_project_is_not_published(tmp_path, capsys):
    root = make_project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    (root / "static" / "leak.txt").symlink_to(secret)
    assert build(root) == 1
    err = capsys.readouterr().err
    assert "refusing to read static/leak.txt" in err and "private" not in err
    assert not (root / "site").exists()
