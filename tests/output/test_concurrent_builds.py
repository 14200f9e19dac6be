"""Two builds of one site at once: the second waits for the first (a lock on the folder
that holds the site), never takes the first one's half-written folder for a leftover,
and the site is always complete and accepted by the next build. Once, the second
build deleted the first's folder, the first then published what was left (no feed,
no marker), and every later build refused to run."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, make_project

from annostory.commands.cli import main
from annostory.output.folders import MARKER, MARKER_TEXT
from annostory.output.lock import site_lock

BUILD = [sys.executable, str(REPO / "build.py")]


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_a_build_waits_for_a_live_build_and_leaves_its_folder_alone(tmp_path):
    root = make_project(tmp_path)
    assert main(["build", "--root", str(root)]) == 0
    live = root / f".site.new-{os.getpid()}-live"  # as a build still running makes it
    live.mkdir()
    (live / MARKER).write_bytes(MARKER_TEXT)
    (live / "half-written.html").write_text("...")
    with site_lock(root / "site"):
        second = subprocess.Popen(BUILD + ["build", "--root", str(root)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert second.poll() is None  # still waiting
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert "waiting for another build" in err
    assert (live / "half-written.html").exists()  # a live build's work is never touched
    assert (root / "site" / MARKER).is_file()
    assert main(["build", "--root", str(root)]) == 0


@pytest.mark.slow
def test_two_builds_at_once_leave_a_complete_site(tmp_path):
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    root = generate.make_site(tmp_path / "newsroom", 150)
    assert subprocess.run(BUILD + ["build", "--root", str(root)],
                          capture_output=True).returncode == 0  # a warm cache
    for attempt in range(3):
        log = (tmp_path / f"first-{attempt}.log").open("w")  # a pipe would fill and block
        first = subprocess.Popen(BUILD + ["build", "--root", str(root), "--base-url",
                                          f"https://example.org/{attempt}/"],
                                 stdout=log, stderr=subprocess.STDOUT)
        time.sleep(0.6)  # the first is compiling (about 2 s: a new base URL, a cold cache)
        assert first.poll() is None
        second = subprocess.run(BUILD + ["build", "--root", str(root)],
                                capture_output=True, text=True)
        first.wait(timeout=120)
        log.close()
        assert (first.returncode, second.returncode) == (0, 0), second.stderr
        assert "waiting for another build" in second.stderr
        site = files(root / "site")
        assert MARKER in site and "index.html" in site
        assert len([p for p in site if p.endswith("/index.html")]) >= 150
        assert not list(root.glob(".site.new-*")) and not list(root.glob(".site.old-*"))
        again = subprocess.run(BUILD + ["build", "--root", str(root)], capture_output=True,
                               text=True)
        assert again.returncode == 0, again.stderr
