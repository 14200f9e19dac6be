"""Every core and an on-disk cache, never a stale page: output identical
whatever the number of workers and with or without the cache; a changed input
rebuilds exactly the pages that depend on it; a damaged cache entry is never trusted."""

import shutil
import sys
from pathlib import Path

import pytest
from helpers import REPO, make_project

from annostory.build import keys, workers
from annostory.build import project as build_project
from annostory.build.cache import CACHE_DIR, DiskCache
from annostory.build.project import compile_project
from annostory.commands.cli import main
from annostory.inputs.project import Project

sys.path.insert(0, str(REPO / "bench"))
from generate import story  # noqa: E402


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def newsroom(tmp_path):
    root = make_project(tmp_path)
    for i in range(8):
        markdown, notes = story(i)
        (root / "content" / f"s{i}.md").write_text(markdown)
        (root / "annotations" / f"s{i}.yaml").write_text(notes)
    return root


def compiled(root: Path):
    return compile_project(Project(root), disk_cache=DiskCache(root), jobs=2)


def test_the_site_is_the_same_whatever_the_workers_and_the_cache(newsroom, tmp_path):
    sites = []
    for k, args in enumerate([["--jobs", "1", "--no-cache"], ["--jobs", "2", "--no-cache"],
                              ["--jobs", "2"], ["--jobs", "2"], ["--jobs", "1"]]):
        out = tmp_path / f"out{k}"
        assert main(["build", "--root", str(newsroom), "--out", str(out), *args]) == 0
        sites.append(tree(out))
    assert all(site == sites[0] for site in sites)
    # 9 stories, the index, 404, the marker, 3 assets, the tags, people and sources
    # indexes; no annotations.jsonld without the site's address
    paths = set(sites[0])
    assert len({p for p in paths if p.count("/") == 1 and p.endswith("/index.html")
                and not p.startswith(("people/", "sources/", "tags/"))}) == 9
    assert {"index.html", "404.html", ".annostory-site", "assets/style.css",
            "tags/index.html", "people/index.html", "sources/index.html"} <= paths
    assert not any(p.endswith("annotations.jsonld") for p in paths)


def test_nothing_changed_comes_from_the_cache(newsroom):
    first = compiled(newsroom)
    assert first.reused == 0 and first.ok
    second = compiled(newsroom)
    assert second.reused == 9
    assert second.files == first.files
    assert [str(d) for d in second.diagnostics] == [str(d) for d in first.diagnostics]


def test_a_changed_annotations_file_rebuilds_exactly_its_page(newsroom):
    first = compiled(newsroom)
    notes = newsroom / "annotations" / "s3.yaml"
    notes.write_text(notes.read_text().replace("Alice Barnes", "Alicia Barnes"))
    second = compiled(newsroom)
    assert second.reused == 8
    changed = {path for path in set(first.files) | set(second.files)
               if first.files.get(path) != second.files.get(path)}
    # its own page, and the people and sources pages that list its quotes
    assert "s3/index.html" in changed and "people/index.html" in changed
    assert "people/alicia-barnes/index.html" in changed
    assert all(path.startswith(("s3/", "people/", "sources/")) for path in changed), changed
    assert b"Alicia Barnes" in second.files["s3/index.html"]


@pytest.mark.parametrize("edit", ["template", "settings"])
def test_a_shared_input_change_rebuilds_every_page(newsroom, edit):
    compiled(newsroom)
    if edit == "template":
        path = newsroom / "templates" / "story.html"
        path.write_text(path.read_text().replace("<h2 id=\"sources-heading\">Sources</h2>",
                                                 "<h2 id=\"sources-heading\">Our sources</h2>"))
    else:
        (newsroom / "site.yaml").write_text("title: Another title\nlanguage: en\n")
    again = compiled(newsroom)
    assert again.reused == 0
    if edit == "template":
        assert all(b"Our sources" in again.files[f"s{i}/index.html"] for i in range(8))
    if edit == "settings":
        assert all(b"Another title" in again.files[f"s{i}/index.html"] for i in range(8))


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "other-slug"])
def test_a_damaged_cache_entry_is_ignored_and_rebuilt(newsroom, damage):
    first = compiled(newsroom)
    entries = sorted((newsroom / CACHE_DIR / "stories").rglob("*.json"))
    assert len(entries) == 9
    for entry in entries:
        data = entry.read_bytes()
        if damage == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "flip":  # one character of the page changed
            middle = len(data) // 2
            entry.write_bytes(data[:middle] + (b"X" if data[middle:middle + 1] != b"X"
                                               else b"Y") + data[middle + 1:])
        elif damage == "garbage":
            entry.write_bytes(b"\x00\xff not json at all")
        elif damage == "empty":
            entry.write_bytes(b"")
    if damage == "other-slug":  # a valid entry filed under another story's key
        entries[1].write_bytes(entries[0].read_bytes())
    again = compiled(newsroom)
    assert again.files == first.files
    assert again.reused == (8 if damage == "other-slug" else 0)


def build(root: Path, capsys) -> str:
    assert main(["build", "--root", str(root)]) == 0
    return capsys.readouterr().out


def test_an_unchanged_project_leaves_the_site_alone(newsroom, capsys):
    build(newsroom, capsys)
    before = {p: p.stat().st_mtime_ns for p in (newsroom / "site").rglob("*")}
    out = build(newsroom, capsys)
    assert "is up to date" in out and "9 stories" in out
    assert {p: p.stat().st_mtime_ns for p in (newsroom / "site").rglob("*")} == before


@pytest.mark.parametrize("change", ["site-edited", "site-deleted", "site-added", "static",
                                    "story"])
def test_any_change_makes_a_new_site_identical_to_a_clean_build(newsroom, tmp_path, capsys,
                                                                 change):
    build(newsroom, capsys)
    site = newsroom / "site"
    if change == "site-edited":
        (site / "s2" / "index.html").write_text("edited by hand")
    elif change == "site-deleted":
        (site / "s2" / "index.html").unlink()
    elif change == "site-added":
        (site / "stray.html").write_text("x")
    elif change == "static":
        (newsroom / "static" / "style.css").write_text("body { color: red }\n")
    else:
        path = newsroom / "content" / "s4.md"
        path.write_text(path.read_text().replace("Synthetic Reporter", "A. Reporter"))
    out = build(newsroom, capsys)
    assert "is up to date" not in out
    clean = tmp_path / "clean"
    assert main(["build", "--root", str(newsroom), "--out", str(clean), "--no-cache"]) == 0
    assert tree(site) == tree(clean)


def _page(result, slug: str) -> str:
    return result.files[f"{slug}/index.html"].decode()


def patch_story_key(monkeypatch, function):
    """Every place a build takes a story's key (the main process, the workers)."""
    monkeypatch.setattr(build_project, "story_key", function)
    monkeypatch.setattr(workers, "story_key", function)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_story_edited_during_a_build_is_never_cached_under_the_old_text(newsroom,
                                                                          monkeypatch, jobs):
    """A story's cache key is the hash of the very bytes compiled: a story saved
    while a build runs (after its first reading) is cached under the key of the text
    compiled, so going back to the old text later never brings up the page of the
    new one (it once did)."""
    path = newsroom / "content" / "s3.md"
    before = path.read_text()
    edited = before.replace("in the end.", "in the very end.", 1)
    taking_key = keys.story_key

    def key_then_edit(project, slug, salt, statuses=None):
        found = taking_key(project, slug, salt, statuses)
        if slug == "s3":
            path.write_text(edited)  # saved by the author just after it was read
        return found
    patch_story_key(monkeypatch, key_then_edit)
    compile_project(Project(newsroom), disk_cache=DiskCache(newsroom), jobs=jobs)
    patch_story_key(monkeypatch, taking_key)
    assert "in the very end." in _page(compiled(newsroom), "s3")  # the saved text
    path.write_text(before)  # going back shows the old text again
    assert "in the very end." not in _page(compiled(newsroom), "s3")


def test_a_site_written_during_an_edit_is_not_taken_for_the_old_text(newsroom, monkeypatch,
                                                                     capsys):
    """A save between a build's first reading of a story and its compile: going back
    to the first text is built, never 'up to date' with the page of the other (once
    the compiled page was cached under the first text's key, and the site's key too)."""
    assert main(["build", "--root", str(newsroom), "--jobs", "1"]) == 0  # a warm cache
    path = newsroom / "content" / "s3.md"
    middle = path.read_text().replace("in the end.", "in the middle.", 1)
    edited = middle.replace("in the middle.", "in the very end.", 1)
    path.write_text(middle)
    taking_key = keys.story_key
    calls = []

    def key_then_edit(project, slug, salt, statuses=None):
        found = taking_key(project, slug, salt, statuses)
        if slug == "s3" and not calls:  # the build's first reading of s3, then a save
            calls.append(slug)
            path.write_text(edited)
        return found
    patch_story_key(monkeypatch, key_then_edit)
    assert main(["build", "--root", str(newsroom), "--jobs", "1"]) == 0
    assert "in the very end." in (newsroom / "site" / "s3" / "index.html").read_text()
    patch_story_key(monkeypatch, taking_key)
    path.write_text(middle)  # the author goes back
    capsys.readouterr()
    assert main(["build", "--root", str(newsroom), "--jobs", "1"]) == 0
    assert "up to date" not in capsys.readouterr().out
    assert "in the middle." in (newsroom / "site" / "s3" / "index.html").read_text()


def test_a_cache_entry_changed_before_the_site_is_written_is_never_published(newsroom,
                                                                            tmp_path):
    """Pages wait in their cache entries until written, and are checked again when
    read: an entry changed in between stops the write with a plain message, and the
    previous site stays as it was."""
    from annostory.output.atomic import write_site
    from annostory.output.folders import OutputError

    out = tmp_path / "out"
    first = compiled(newsroom)
    write_site(out, first.files)
    before = tree(out)
    again = compiled(newsroom)  # every page now a reference into the cache
    for blob in (newsroom / CACHE_DIR / "stories").rglob("*.html"):
        data = bytearray(blob.read_bytes())
        data[len(data) // 2] ^= 1
        blob.write_bytes(bytes(data))
    with pytest.raises(OutputError, match="changed while the site was built"):
        write_site(out, again.files)
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_the_preview_starts_from_the_cache_a_build_left(newsroom, tmp_path, capsys):
    """The preview shares the build's disk cache: started after a build it compiles
    nothing, and the pages it writes are the build's, byte for byte."""
    from annostory.commands.serve import PreviewState

    assert main(["build", "--root", str(newsroom)]) == 0
    state = PreviewState(Project(newsroom), tmp_path / "preview", None,
                         disk_cache=DiskCache(newsroom))
    capsys.readouterr()
    assert state.rebuild("start")
    assert "(0 of 9 stories compiled" in capsys.readouterr().out
    built, previewed = tree(newsroom / "site"), tree(tmp_path / "preview")
    assert {path: data for path, data in previewed.items() if path.endswith(".html")} == \
        {path: data for path, data in built.items() if path.endswith(".html")}
    notes = newsroom / "annotations" / "s3.yaml"
    notes.write_text(notes.read_text().replace("Alice Barnes", "Alicia Barnes"))
    assert state.rebuild("save")
    assert "(1 of 9 stories compiled" in capsys.readouterr().out
    assert b"Alicia Barnes" in (tmp_path / "preview" / "s3" / "index.html").read_bytes()


def test_a_page_written_first_during_a_rebuild_is_not_put_back_by_it(newsroom, tmp_path,
                                                                      monkeypatch):
    """A save while the preview rebuilds: the rebuild compiled the story before the
    save, the story's page was written first after it; the rebuild keeps the newer
    page (and forgets it once a rebuild begun after the save has made it itself)."""
    import annostory.commands.preview as preview
    from annostory.commands.serve import PreviewState

    state = PreviewState(Project(newsroom), tmp_path / "preview", None,
                         disk_cache=DiskCache(newsroom))
    assert state.rebuild("start")
    notes = newsroom / "annotations" / "s3.yaml"
    page = tmp_path / "preview" / "s3" / "index.html"
    real = preview.compile_project

    def compiled_then_saved(*args, **kwargs):
        result = real(*args, **kwargs)  # the text before the save
        notes.write_text(notes.read_text().replace("Alice Barnes", "Alicia Barnes"))
        assert state.story_first(["s3"]) is not None  # as the second thread does
        assert b"Alicia Barnes" in page.read_bytes()
        return result
    monkeypatch.setattr(preview, "compile_project", compiled_then_saved)
    assert state.rebuild("a template")
    assert b"Alicia Barnes" in page.read_bytes()
    assert state.fresher
    monkeypatch.setattr(preview, "compile_project", real)
    assert state.rebuild("s3 saved")
    assert b"Alicia Barnes" in page.read_bytes() and not state.fresher


def test_the_preview_keeps_no_page_in_memory_and_survives_its_cache_vanishing(
        newsroom, tmp_path):
    """The preview's memory holds what each story is, not its pages (10,000 stories'
    pages took 1.2 GB): they stay in the disk cache. When that cache is removed while
    the preview runs, a page the preview's folder lacks is compiled again, not lost."""
    from annostory.build.cache import StoredFile
    from annostory.commands.serve import PreviewState

    state = PreviewState(Project(newsroom), tmp_path / "preview", None,
                         disk_cache=DiskCache(newsroom))
    assert state.rebuild("start")
    kept = [result for _, result in state.cache.entries.values()]
    assert len(kept) == 9 and all(isinstance(r.page, StoredFile) for r in kept)
    assert all(not isinstance(data, bytes) for r in kept for data in r.files.values())
    page = tmp_path / "preview" / "s3" / "index.html"
    before = page.read_bytes()
    shutil.rmtree(newsroom / CACHE_DIR / "stories")
    page.unlink()
    assert state.rebuild("cache removed")
    assert page.read_bytes() == before


def test_check_reads_no_cached_page_and_still_trusts_none(newsroom, capsys):
    """`check` writes nothing, so it does not read the cached pages; it says what the
    build says. A damaged page is then found by the next build, which rebuilds it,
    and damaged people/sources lines (which check does read) are rebuilt by check."""
    assert main(["build", "--root", str(newsroom)]) == 0
    said = capsys.readouterr().out.split(": ", 1)[1]
    blobs = sorted((newsroom / CACHE_DIR / "stories").rglob("*.html"))
    for k, blob in enumerate(blobs):
        data = bytearray(blob.read_bytes())
        data[len(data) // 2 if k % 2 else len(data) - 2] ^= 1  # a page, or the lines
        blob.write_bytes(bytes(data))
    assert main(["check", "--root", str(newsroom)]) == 0
    assert capsys.readouterr().out.strip().endswith(said.strip())
    before = tree(newsroom / "site")
    shutil.rmtree(newsroom / "site")  # the next build must write every page
    assert main(["build", "--root", str(newsroom)]) == 0
    out = capsys.readouterr().out
    damaged_pages = len(blobs) // 2  # the lines were rebuilt by check, the pages not
    assert f", {9 - damaged_pages} from the cache" in out
    assert tree(newsroom / "site") == before  # rebuilt, never taken from a damaged entry


def test_the_cache_stays_within_a_few_times_what_the_project_needs(newsroom, capsys):
    """Every template change makes a new set of entries; past three times the stories
    (and ten), a build removes the entries it did not use, never its own."""
    entries = newsroom / CACHE_DIR / "stories"
    story_page = newsroom / "templates" / "story.html"
    original = story_page.read_text()
    counts = []
    for edit in range(6):
        story_page.write_text(original + f"\n{{# edit {edit} #}}\n")
        assert main(["build", "--root", str(newsroom)]) == 0
        counts.append(len(list(entries.rglob("*.json"))))
    assert counts[:4] == [9, 18, 27, 36]  # 9 stories: the bound is 3 * 9 + 10 = 37
    assert counts[4] == 9 and counts[5] == 18  # the fifth set passed it: the old ones went
    assert len(list(entries.rglob("*.html"))) == counts[-1]
    capsys.readouterr()
    assert main(["build", "--root", str(newsroom)]) == 0
    assert "up to date" in capsys.readouterr().out  # this build's own entries stayed
