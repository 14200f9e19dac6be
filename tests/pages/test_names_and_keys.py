"""Names in any script, and names made of punctuation, keep their own page and entry:
speakers 习近平, 李克强 and Владимир Путин were one person, and tags 日本, 中国, Россия,
'.', '..' and 'quote' shared one page."""

from urllib.parse import unquote

from bs4 import BeautifulSoup
from helpers import make_project
from hypothesis import given
from hypothesis import strategies as st

from annostory.commands.cli import main
from annostory.core.words import key

SPEAKERS = ["习近平", "李克强", "Владимир Путин", "Zoë Marsh", "Zoe Marsh"]
TAGS = ["日本", "中国", "Россия", ".", "..", "quote", "C++", "C"]


def test_distinct_people_and_tags_get_distinct_pages_and_entries(tmp_path):
    root = make_project(tmp_path, example=False)
    quotes = [f"words number {i}" for i in range(len(SPEAKERS))]
    body = "\n\n".join(f'It was said: "{q}".' for q in quotes)
    tags = ", ".join(f'"{t}"' for t in TAGS)
    (root / "content" / "t.md").write_text(
        f"---\ntitle: T\ndate: 2016-11-01\ntags: [{tags}]\n---\n{body}\n")
    entries = "".join(f"  - quote: {q}\n    speaker: {{name: {s}}}\n    source: {{type: memo}}\n"
                      for q, s in zip(quotes, SPEAKERS))
    (root / "annotations" / "t.yaml").write_text("annotations:\n" + entries)
    assert main(["build", "--root", str(root)]) == 0
    site = root / "site"
    tag_pages = sorted(p.parent.name for p in (site / "tags").glob("*/index.html"))
    assert len(tag_pages) == len(TAGS)
    for name in TAGS:  # each tag's page is headed by that tag alone
        page = BeautifulSoup((site / "tags" / key(name) / "index.html").read_text(),
                             "html.parser")
        assert page.h1.get_text() == name
    people = BeautifulSoup((site / "people" / "index.html").read_text(), "html.parser")
    headed = [a.get_text() for a in people.select(".directory-entry .entry-name")]
    assert sorted(headed) == sorted(SPEAKERS)
    story = BeautifulSoup((site / "t" / "index.html").read_text(), "html.parser")
    for link in story.select(".note-speaker a"):  # each speaker's link finds their page
        page = (site / "t" / unquote(link["href"])).resolve()
        person = BeautifulSoup(page.read_text(), "html.parser")
        assert person.h1.get_text() == link.get_text()
    for link in story.select(".story-meta a[href*='tags/']"):
        assert (site / "t" / unquote(link["href"])).resolve().is_file()


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_keys_of_different_names_differ(a, b):
    def same(name: str) -> str:
        return " ".join(name.casefold().split())
    import unicodedata

    if same(unicodedata.normalize("NFKC", a)) != same(unicodedata.normalize("NFKC", b)):
        assert key(a) != key(b)
    assert key(a) and "/" not in key(a) and key(a) not in (".", "..")


def test_plain_names_keep_their_readable_keys():
    assert key("John Podesta") == "john-podesta"
    assert key("2016 campaign") == "2016-campaign"
    assert key("日本") == "日本"
    assert key("C++") != key("C") and key("C++").startswith("c-")
