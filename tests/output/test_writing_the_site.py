"""Where a site may be written, and that writing it is all or nothing: the output
guard, the atomic exchange, recovery after a killed build."""

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import EXAMPLE, REPO, make_project

from annostory.commands.cli import main
from annostory.inputs.project import Project
from annostory.output import atomic
from annostory.output import folders as output
from annostory.output.atomic import write_site
from annostory.output.folders import MARKER
from annostory.output.guard import check_output_dir as guard
from annostory.output.manifest import is_current
from annostory.output.update import update_site


def check_output_dir(out: Path, root: Path) -> str:
    return guard(out, root, Project(root).protected())


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def everything(root: Path) -> dict[str, bytes]:
    """Every file of the project (what a wrong --out would destroy)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and "site" not in p.parts}


@pytest.fixture
def project(tmp_path):
    root = make_project(tmp_path)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "schema").mkdir()
    (root / "schema" / "x.json").write_text("{}")
    return root


REFUSED = [".", "..", "../..", "content", "content/new", "annotations", "templates",
           "templates/sub/dir", "static", "schema", ".git", "site.yaml",
           "content/trumka-not-motivated.md", "./content/../annotations"]


@pytest.mark.parametrize("out", REFUSED)
def test_out_never_points_at_the_project_its_parents_or_its_sources(project, out, capsys):
    before = everything(project)
    parent_before = sorted(p.name for p in project.parent.iterdir())
    code = main(["build", "--root", str(project), "--out", out])
    assert code == 2
    err = capsys.readouterr().err
    assert "refusing to write the site to" in err and "--out" in err
    assert everything(project) == before
    assert sorted(p.name for p in project.parent.iterdir()) == parent_before


def test_out_refuses_a_folder_with_other_content_and_a_file(project, capsys):
    (project / "mine").mkdir()
    (project / "mine" / "notes.txt").write_text("keep me")
    (project / "a-file").write_text("keep me too")
    assert main(["build", "--root", str(project), "--out", "mine"]) == 2
    assert main(["build", "--root", str(project), "--out", "a-file"]) == 2
    err = capsys.readouterr().err
    assert "did not make" in err and "it is a file" in err
    assert (project / "mine" / "notes.txt").read_text() == "keep me"
    assert (project / "a-file").read_text() == "keep me too"


def test_out_refuses_a_link(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / "linked").symlink_to(elsewhere)
    assert "is a link" in check_output_dir(project / "linked", project)
    (project / "to-content").symlink_to(project / "content")
    assert check_output_dir(project / "to-content", project) != ""


def test_out_accepts_new_empty_and_annostory_folders(project):
    assert check_output_dir(project / "site", project) == ""
    assert check_output_dir(project / "public" / "deep", project) == ""
    (project / "empty").mkdir()
    assert check_output_dir(project / "empty", project) == ""
    assert main(["build", "--root", str(project), "--out", "empty"]) == 0
    assert (project / "empty" / MARKER).is_file()
    assert check_output_dir(project / "empty", project) == ""
    assert main(["build", "--root", str(project), "--out", "empty"]) == 0


def test_every_build_writes_the_marker_and_cleans_leftovers(project):
    assert main(["build", "--root", str(project)]) == 0
    site = project / "site"
    assert (site / MARKER).is_file()
    # leftovers of killed builds, recognisable by the marker
    for name in (".site.new-abc", ".site.old-def"):
        (project / name).mkdir()
        (project / name / MARKER).write_bytes(b"x")
        (project / name / "index.html").write_text("old")
    (project / ".site.new-not-ours").mkdir()  # no marker: not ours, never touched
    (project / ".site.new-not-ours" / "keep.txt").write_text("keep")
    (project / ".site.new-empty").mkdir()  # killed before its marker: empty, removed
    assert main(["build", "--root", str(project)]) == 0
    names = sorted(p.name for p in project.iterdir() if p.name.startswith(".site"))
    assert names == [".site.new-not-ours", ".site.spare"]  # the spare tree is kept
    assert (project / ".site.new-not-ours" / "keep.txt").read_text() == "keep"


class _Killed(BaseException):
    pass


def test_a_removal_killed_at_any_point_leaves_a_folder_the_next_build_removes(tmp_path,
                                                                              monkeypatch):
    """The old site is removed after the exchange; a kill during that removal must
    leave a folder that is still recognisably ours (marker) or empty. The marker is
    removed last (once it went first, and the leftover stayed forever)."""
    def make_old_site() -> Path:
        old = tmp_path / ".site.new-old"
        write_site(old, {"index.html": b"1", "a/index.html": b"2", "a/b/c.txt": b"3",
                         "z.json": b"4", "feed.xml": b"5"})
        return old
    removals = 0
    real_unlink, real_rmdir = os.unlink, os.rmdir
    for stop_at in range(1, 30):
        old = make_old_site()
        calls = [0]

        def counting(function, calls=calls, stop_at=stop_at):
            def call(path, *args, **kwargs):
                calls[0] += 1
                if calls[0] == stop_at:
                    raise _Killed()
                return function(path, *args, **kwargs)
            return call
        monkeypatch.setattr(os, "unlink", counting(real_unlink))
        monkeypatch.setattr(os, "rmdir", counting(real_rmdir))
        try:
            output.remove_ours(old)
        except _Killed:
            removals += 1
        monkeypatch.setattr(os, "unlink", real_unlink)
        monkeypatch.setattr(os, "rmdir", real_rmdir)
        if old.exists():
            assert (old / MARKER).is_file() or not any(old.iterdir()), stop_at
            assert old in output.leftovers(tmp_path / "site")
            output.remove_ours(old)  # what the next build does
        assert not old.exists()
    assert removals == 9  # each of the nine removals (6 files, 3 folders) interrupted once


def test_a_missing_site_is_restored_from_an_old_copy_before_writing(tmp_path):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"one"})
    old = tmp_path / ".site.old-x"
    out.rename(old)  # a crash between two renames (no atomic exchange)
    notes = output.recover(out)
    assert (out / "index.html").read_bytes() == b"one" and not old.exists()
    assert any("restored" in n for n in notes)


def test_without_the_atomic_exchange_two_renames_still_replace_the_site(tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(output, "_renameat2", lambda: None)  # no renameat2 here
    out = tmp_path / "site"
    write_site(out, {"index.html": b"one", "a/b.txt": b"b"})
    write_site(out, {"index.html": b"two"})
    assert tree(out) == {MARKER: output.MARKER_TEXT, "index.html": b"two"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_the_exchange_is_atomic_on_this_system(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    assert output.exchange(a, b) is True
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_a_read_only_old_site_is_replaced_and_removed(tmp_path):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"one", "deep/page.html": b"p"})
    for path in [out / "deep", out]:
        os.chmod(path, 0o555)
    write_site(out, {"index.html": b"two"})
    assert tree(out) == {MARKER: output.MARKER_TEXT, "index.html": b"two"}
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_out_below_a_file_is_a_clear_error_not_a_bug(project, capsys):
    (project / "plain").write_text("x")
    assert main(["build", "--root", str(project), "--out", "plain/site"]) == 1
    err = capsys.readouterr().err
    assert "cannot write the site" in err and "internal error" not in err
    assert "a file stands where a folder is needed" in err


def test_a_read_only_parent_is_a_clear_error(project, capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(project / "ro"))
    monkeypatch.setattr(atomic.tempfile, "mkdtemp", refuse)
    assert main(["build", "--root", str(project), "--out", "ro/site"]) == 1
    err = capsys.readouterr().err
    assert "no permission to write" in err and "internal error" not in err


def test_a_full_disk_leaves_the_old_site_and_no_litter(project, capsys, monkeypatch):
    assert main(["build", "--root", str(project)]) == 0
    before = tree(project / "site")
    real_write = Path.write_bytes

    def full(self, data):
        if self.name == "index.html":
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)
    monkeypatch.setattr(Path, "write_bytes", full)
    assert main(["build", "--root", str(project), "--no-cache"]) == 1
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert "the disk is full" in err and "internal error" not in err
    assert tree(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == [".site.spare"]
    assert main(["build", "--root", str(project), "--no-cache"]) == 0  # the spare is mended
    assert mirror(project / ".site.spare") == tree(project / "site")


def _many_stories(root: Path, count: int) -> None:
    story = (EXAMPLE / "content" / "trumka-not-motivated.md").read_text()
    notes = (EXAMPLE / "annotations" / "trumka-not-motivated.yaml").read_text()
    for i in range(count):
        (root / "content" / f"s{i:03}.md").write_text(story)
        (root / "annotations" / f"s{i:03}.yaml").write_text(notes)

@pytest.mark.slow
@pytest.mark.parametrize("cache", [["--no-cache"], []], ids=["full writes", "spare tree"])
def test_killing_builds_never_leaves_an_incomplete_or_missing_site(project, cache):
    """kill -9 at random moments: site/ is always the complete old or new site, and
    the next build removes every leftover (and mends the spare tree)."""
    _many_stories(project, 60)
    run = [sys.executable, str(REPO / "build.py"), "build", "--root", str(project),
           *cache, "--jobs", "1"]
    assert subprocess.run(run, capture_output=True).returncode == 0
    settings = project / "site.yaml"
    complete = {}
    for title in ("First title", "Second title"):
        settings.write_text(f"title: {title}\nlanguage: en\n")
        assert subprocess.run(run, capture_output=True).returncode == 0
        complete[title] = tree(project / "site")
    assert set(complete["First title"]) == set(complete["Second title"])
    rng = random.Random(8)
    killed = 0
    for attempt in range(16):
        title = ("First title", "Second title")[attempt % 2]
        settings.write_text(f"title: {title}\nlanguage: en\n")
        proc = subprocess.Popen(run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.15, 0.9))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        site = tree(project / "site")
        assert site in (complete["First title"], complete["Second title"]), attempt
    assert killed >= 4
    assert subprocess.run(run, capture_output=True).returncode == 0
    kept = [p.name for p in project.iterdir() if p.name.startswith(".site")]
    assert kept == ([] if cache else [".site.spare"])
    if not cache:
        settings.write_text("title: Third title\nlanguage: en\n")
        assert subprocess.run(run, capture_output=True).returncode == 0
        assert mirror(project / ".site.spare") == tree(project / "site")


def test_the_preview_skips_files_it_wrote_unless_they_changed_on_disk(tmp_path):
    """update_site remembers what it wrote: the same bytes object, unchanged on disk,
    is not read back; a file edited, replaced or added by someone else is still put
    right, and what the site no longer holds is removed, empty folders too."""
    out = tmp_path / "site"
    page, other = b"<p>page</p>", b"<p>other</p>"
    files = {"a/index.html": page, "b/c/index.html": other, "index.html": b"home"}
    written: dict = {}
    assert sorted(update_site(out, files, written)) == sorted(files)
    assert update_site(out, files, written) == []
    (out / "a" / "index.html").write_bytes(b"<p>edited by hand</p>")  # same object given
    (out / "b" / "c" / "index.html").unlink()
    (out / "b" / "c" / "index.html").symlink_to(out / "index.html")  # replaced by a link
    (out / "extra.txt").write_text("x")
    (out / "d" / "e").mkdir(parents=True)
    (out / "d" / "e" / "stray.html").write_text("x")
    changed = update_site(out, files, written)
    assert sorted(changed) == ["a/index.html", "b/c/index.html", "d/e/stray.html",
                               "extra.txt"]
    assert (out / "a" / "index.html").read_bytes() == page
    assert not (out / "b" / "c" / "index.html").is_symlink()
    assert (out / "b" / "c" / "index.html").read_bytes() == other
    assert not (out / "d").exists() and (out / MARKER).is_file()
    del files["b/c/index.html"]
    assert update_site(out, files, written) == ["b/c/index.html"]
    assert not (out / "b").exists()


# --- O(change): the spare tree ----------------------------------------------------
def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in sorted(folder.rglob("*")) if p.is_file()
            and p.name not in (atomic.SPARE_RECORD, MARKER)}


def mirror(spare: Path) -> dict[str, bytes]:
    """The spare's files, without its own record of what it mirrors."""
    return {path: data for path, data in tree(spare).items() if path != atomic.SPARE_RECORD}


def manifest_of(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "manifest.json"


def test_a_change_writes_only_the_changed_files_and_the_spare_mirrors_the_site(tmp_path):
    out, manifest = tmp_path / "site", manifest_of(tmp_path)
    files = {f"s{i}/index.html": f"story {i}".encode() for i in range(50)}
    files["index.html"] = b"home 1"
    write_site(out, files, manifest, "k1")
    spare = atomic.spare_of(out)
    assert mirror(spare) == tree(out) and inodes(spare) == inodes(out)  # one file, two names
    before = inodes(out)
    files = {**files, "index.html": b"home 2", "s7/index.html": b"story 7, corrected",
             "new/index.html": b"new"}
    del files["s3/index.html"]
    write_site(out, files, manifest, "k2")
    after = inodes(out)
    rewritten = {path for path in after if before.get(path) != after[path]}
    assert rewritten == {"index.html", "s7/index.html", "new/index.html"}
    assert tree(out) == {MARKER: output.MARKER_TEXT, **files}
    assert not (out / "s3").exists()
    assert mirror(spare) == tree(out) and inodes(spare) == inodes(out)
    assert is_current(out, manifest, "k2")


def test_a_file_edited_in_place_in_the_site_is_written_again(tmp_path):
    out, manifest = tmp_path / "site", manifest_of(tmp_path)
    files = {"a.html": b"a", "b.html": b"b"}
    write_site(out, files, manifest, "k1")
    with open(out / "a.html", "r+b") as handle:  # the same inode, so the spare's too
        handle.write(b"X")
    write_site(out, {**files, "b.html": b"b2"}, manifest, "k2")
    assert tree(out) == {MARKER: output.MARKER_TEXT, "a.html": b"a", "b.html": b"b2"}


def test_a_file_added_to_the_site_by_hand_is_gone_after_the_next_build(tmp_path):
    out, manifest = tmp_path / "site", manifest_of(tmp_path)
    write_site(out, {"a.html": b"a"}, manifest, "k1")
    (out / "stray.html").write_text("not ours")
    write_site(out, {"a.html": b"a2"}, manifest, "k2")
    assert tree(out) == {MARKER: output.MARKER_TEXT, "a.html": b"a2"}
    assert mirror(atomic.spare_of(out)) == tree(out)


@pytest.mark.parametrize("stop_at", range(1, 9))
def test_a_build_killed_while_updating_the_spare_leaves_the_site_whole(tmp_path, monkeypatch,
                                                                        stop_at):
    out, manifest = tmp_path / "site", manifest_of(tmp_path)
    first = {f"p{i}.html": f"{i}".encode() for i in range(6)}
    write_site(out, first, manifest, "k1")
    second = {path: data + b"!" for path, data in first.items()}
    calls, real_replace = [0], os.replace

    def replace(source, target):
        calls[0] += 1
        if calls[0] == stop_at:
            raise _Killed()
        return real_replace(source, target)
    monkeypatch.setattr(os, "replace", replace)
    with contextlib.suppress(_Killed):
        write_site(out, second, manifest, "k2")
    monkeypatch.setattr(os, "replace", real_replace)
    assert tree(out) in ({MARKER: output.MARKER_TEXT, **first},
                         {MARKER: output.MARKER_TEXT, **second})
    third = {path: data + b"?" for path, data in first.items()}
    write_site(out, third, manifest, "k3")  # the next build puts everything right
    assert tree(out) == {MARKER: output.MARKER_TEXT, **third}
    assert mirror(atomic.spare_of(out)) == tree(out)


def test_without_hard_links_or_the_exchange_every_build_writes_in_full(tmp_path, monkeypatch):
    out, manifest = tmp_path / "site", manifest_of(tmp_path)

    def no_link(*args, **kwargs):
        raise OSError(1, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_link)
    write_site(out, {"a.html": b"a"}, manifest, "k1")
    write_site(out, {"a.html": b"b"}, manifest, "k2")
    assert tree(out) == {MARKER: output.MARKER_TEXT, "a.html": b"b"}
    assert not atomic.spare_of(out).exists()
    monkeypatch.undo()
    atomic.can_exchange.cache_clear()
    monkeypatch.setattr(output, "_renameat2", lambda: None)
    other = tmp_path / "other" / "site"
    write_site(other, {"a.html": b"a"}, manifest, "k3")
    write_site(other, {"a.html": b"c"}, manifest, "k4")
    assert tree(other) == {MARKER: output.MARKER_TEXT, "a.html": b"c"}
    assert not atomic.spare_of(other).exists()
    atomic.can_exchange.cache_clear()


def test_seeding_a_preview_lets_a_story_first_write_between_batches(tmp_path, monkeypatch):
    """The preview links the last build's files into its folder a batch at a time,
    holding the writers' lock only for a batch: a page written first in between (a
    save) is left as written, and every other file of the build is linked."""
    from annostory.build.cache import DiskCache
    from annostory.output import update
    from annostory.output.manifest import read_manifest
    from annostory.output.update import seed, write_files

    project = make_project(tmp_path)
    assert main(["build", "--root", str(project)]) == 0
    site = project / "site"
    manifest = read_manifest(DiskCache(project).manifest_for(site))
    monkeypatch.setattr(update, "SEED_BATCH", 3)
    out, written = tmp_path / "preview", {}
    saved = {"trumka-not-motivated/index.html": b"<html>saved meanwhile</html>"}

    class Lock:
        taken = 0

        def __enter__(self):
            Lock.taken += 1
            if Lock.taken == 3:  # after the marker and a first batch: a save
                assert write_files(out, saved, written) == list(saved)

        def __exit__(self, *exc):
            return False
    linked = seed(out, site, manifest, written, Lock())
    files = [p for p in manifest["files"] if p != MARKER]
    assert Lock.taken > 5 and linked == len(files) - 1
    assert (out / "trumka-not-motivated" / "index.html").read_bytes() == saved[
        "trumka-not-motivated/index.html"]
    for path in files:
        if path not in saved:
            assert os.path.samefile(out / path, site / path), path
