"""A build at the cost of the change, never a stale page: the pages of a person's or a
document's quotes kept between builds (`build.pagememo`), a story's files not read
again while their status is as recorded (`build.keys.FileStatuses`), cached pages read
only when the site does not hold them. Each is checked against a build from nothing:
whatever the sequence of edits, the site is the same byte for byte."""

import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, make_project

from annostory.build import keys
from annostory.build.cache import CACHE_DIR, DiskCache
from annostory.build.project import compile_project
from annostory.commands.cli import main
from annostory.inputs.project import Project
from annostory.pages import directory

sys.path.insert(0, str(REPO / "bench"))
from generate import story  # noqa: E402

SETTLED = 1_000_000_000  # a time long past (2001): far outside the racy margin


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def newsroom(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    for i in range(8):
        markdown, notes = story(i)
        (root / "content" / f"s{i}.md").write_text(markdown)
        (root / "annotations" / f"s{i}.yaml").write_text(notes)
    monkeypatch.setattr(directory, "QUOTES_PER_PAGE", 7)  # many pages per person
    return root


def files_of(root: Path, cached: bool) -> dict[str, bytes]:
    result = compile_project(Project(root), disk_cache=DiskCache(root) if cached else None,
                             jobs=1)
    assert result.ok, result.diagnostics
    return {path: result.files[path] for path in result.files}


def settle(root: Path) -> None:
    """Give every story and annotations file a modification time long past."""
    for folder in ("content", "annotations"):
        for path in (root / folder).iterdir():
            os.utime(path, ns=(SETTLED, SETTLED))


EDITS = [
    ("annotations", r"name: Alice Barnes", "name: Alice Barnes-Okafor"),  # a name: every page
    ("annotations", r"role: spokesman", "role: former spokesman"),
    ("content", r"^date: (\d{4})-", r"date: 2030-"),  # newest now: every rank moves
    ("annotations", r"subject: Plan number (\d)", r"subject: Plan \1 (revised)"),
    ("content", r'^title: "(.*)"$', r'title: "\1, again"'),
]


@pytest.mark.parametrize("seed", range(4))
def test_after_any_edits_the_kept_pages_are_the_pages_of_a_fresh_build(newsroom, seed,
                                                                      monkeypatch):
    """Random edits to random stories, one after another: the build that keeps pages
    (and trusts settled files' status) makes exactly what a build without any cache
    makes, and makes again only some of the pages."""
    made = []
    render = directory.Renderer.entry_page
    monkeypatch.setattr(directory.Renderer, "entry_page",
                        lambda self, page, runs: made.append(page.key) or render(self, page,
                                                                                runs))
    rng = random.Random(seed)
    settle(newsroom)
    assert files_of(newsroom, cached=True) == files_of(newsroom, cached=False)
    pages = len(made)
    for _ in range(3):
        folder, pattern, replacement = rng.choice(EDITS)
        suffix = "md" if folder == "content" else "yaml"
        path = newsroom / folder / f"s{rng.randrange(8)}.{suffix}"
        path.write_text(re.sub(pattern, replacement, path.read_text(), count=1,
                               flags=re.MULTILINE))
        settle(newsroom)  # and the status of the edited file still differs (its size,
        made.clear()      # or its change time)
        assert files_of(newsroom, cached=True) == files_of(newsroom, cached=False)
    assert pages > 20  # the fixture has many pages of quotes


def test_one_story_changed_makes_again_only_pages_of_the_entries_it_quotes(newsroom,
                                                                         monkeypatch):
    made = []
    render = directory.Renderer.entry_page
    monkeypatch.setattr(directory.Renderer, "entry_page",
                        lambda self, page, runs: made.append(page) or render(self, page,
                                                                            runs))
    files_of(newsroom, cached=True)
    everything = len(made)
    listed = {(page.kind, page.entry.folder) for page in made if "s3" in dict(page.runs)}
    made.clear()
    path = newsroom / "annotations" / "s3.yaml"
    path.write_text(path.read_text().replace("sent: 2015-", "sent: 2014-", 1))
    files_of(newsroom, cached=True)
    assert 0 < len(made) < everything / 2
    # the pages of the people and documents s3 quotes (or quoted: a document's date is
    # part of its address, so the old one loses s3's quotes)
    listed |= {(page.kind, page.entry.folder) for page in made if "s3" in dict(page.runs)}
    assert all((page.kind, page.entry.folder) in listed for page in made)
    made.clear()
    files_of(newsroom, cached=True)  # nothing changed since: nothing made again
    assert made == []


def test_a_settled_unchanged_file_is_not_read_again(newsroom, monkeypatch):
    monkeypatch.setattr(keys.FileStatuses, "MARGIN_NS", 10_000_000)  # (not 2 s) 10 ms
    settle(newsroom)
    time.sleep(0.02)  # the change times too are now settled
    files_of(newsroom, cached=True)
    files_of(newsroom, cached=True)  # the first build with a cache records the statuses
    time.sleep(0.02)
    reads = []
    read = keys.read_checked_bytes
    monkeypatch.setattr(keys, "read_checked_bytes",
                        lambda path, root, *a, **k: reads.append(path) or read(path, root,
                                                                               *a, **k))
    files_of(newsroom, cached=True)
    stories = [path for path in reads if path.parent.name in ("content", "annotations")]
    assert stories == [] and reads  # (the templates are read: they are small and few)
    reads.clear()
    path = newsroom / "annotations" / "s5.yaml"  # same size, same modification time
    text = path.read_text()
    path.write_text(text.replace("name: Alice Barnes", "name: Alice Barnez", 1))
    os.utime(path, ns=(SETTLED, SETTLED))
    page = files_of(newsroom, cached=True)["s5/index.html"]
    stories = [path for path in reads if path.parent.name in ("content", "annotations")]
    assert b"Alice Barnez" in page  # its change time gave it away: read, and compiled
    assert {path.name for path in stories} == {"s5.yaml", "s5.md"}


def test_a_file_saved_just_now_is_hashed_again_whatever_its_status(tmp_path, monkeypatch):
    """Within the margin a coarse clock may leave a file's times unchanged by a save:
    a file saved (or its times changed) that recently is read again, never trusted;
    once both its times are older than the margin, its status is enough."""
    monkeypatch.setattr(keys.FileStatuses, "MARGIN_NS", 50_000_000)  # (not 2 s) 50 ms
    project = Project(make_project(tmp_path))
    path = project.story_file("trumka-not-motivated")
    statuses = keys.FileStatuses(project)
    key, _ = keys.story_key(project, "trumka-not-motivated", b"salt", statuses)
    statuses.save()
    assert keys.FileStatuses(project).known(path) is None  # saved just before the record
    time.sleep(0.1)
    statuses = keys.FileStatuses(project)
    keys.story_key(project, "trumka-not-motivated", b"salt", statuses)
    statuses.save()
    trusted = keys.FileStatuses(project)
    assert trusted.known(path) is not None
    assert keys.story_key(project, "trumka-not-motivated", b"salt", trusted)[0] == key
    os.utime(path, ns=(SETTLED, SETTLED))  # an old time, but the change time is now
    assert keys.FileStatuses(project).known(path) is None


def test_a_link_is_never_trusted_by_its_status(tmp_path):
    root = make_project(tmp_path)
    project = Project(root)
    notes = project.annotations_file("trumka-not-motivated")
    outside = tmp_path / "outside.yaml"
    shutil.copy(notes, outside)
    notes.unlink()
    notes.symlink_to(outside)
    statuses = keys.FileStatuses(project)
    _, read = keys.story_key(project, "trumka-not-motivated", b"salt", statuses)
    assert notes not in read and statuses.now.get("annotations/trumka-not-motivated.yaml") \
        is None


@pytest.mark.parametrize("damage", ["page", "lines"])
def test_a_damaged_kept_page_or_story_lines_are_made_again(newsroom, damage, capsys):
    """A kept page changed on disk, or a story's quote lines, with the site gone: the
    build notices when it reads them, and makes them again from the sources."""
    assert main(["build", "--root", str(newsroom)]) == 0
    before = tree(newsroom / "site")
    if damage == "page":
        targets = sorted((newsroom / CACHE_DIR / "pages").rglob("*.html"))
    else:
        targets = sorted((newsroom / CACHE_DIR / "stories").rglob("*.html"))
        shutil.rmtree(newsroom / CACHE_DIR / "pages")  # every page made again: lines read
    assert targets
    for target in targets:
        data = bytearray(target.read_bytes())
        data[-2] ^= 1  # the end of a page, or a story's lines (the last part of its entry)
        target.write_bytes(bytes(data))
    shutil.rmtree(newsroom / "site")
    assert main(["build", "--root", str(newsroom)]) == 0
    assert tree(newsroom / "site") == before
    capsys.readouterr()
    shutil.rmtree(newsroom / "site")
    assert main(["build", "--root", str(newsroom)]) == 0  # and the cache is whole again
    assert ", 9 from the cache" in capsys.readouterr().out
    assert tree(newsroom / "site") == before
