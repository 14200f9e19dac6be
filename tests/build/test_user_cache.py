"""The user's cache of compiled code ($XDG_CACHE_HOME/annostory): a damaged entry is
ignored and made again (a truncated template once failed every build with
UnpicklingError until the folder was deleted by hand, a validator holding something
else with TypeError), and the folder stays bounded however many projects use it."""

import marshal
import subprocess
import sys

import pytest
from helpers import REPO, small_project

from annostory.core.usercache import MAX_FILES


def build(root, cache) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root", str(root),
                           "--no-cache"], capture_output=True, text=True,
                          env={"XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("damage", ["truncate", "empty", "other-object", "garbage"])
def test_a_damaged_entry_is_made_again(tmp_path, damage):
    root, cache = small_project(tmp_path), tmp_path / "cache"
    assert build(root, cache).returncode == 0
    kept = list((cache / "annostory").rglob("*"))
    entries = [p for p in kept if p.is_file()]
    assert any(p.parent.name == "templates" for p in entries)
    assert any(p.suffix == ".marshal" for p in entries)
    for path in entries:
        data = path.read_bytes()
        path.write_bytes({"truncate": data[:len(data) // 2], "empty": b"",
                          "other-object": marshal.dumps(42),
                          "garbage": b"\x80\x04\x95garbage" * 10}[damage])
    done = build(root, cache)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert build(root, cache).returncode == 0  # and it was made again, usable


def test_the_folder_stays_bounded(tmp_path):
    root, cache = small_project(tmp_path), tmp_path / "cache"
    folder = cache / "annostory" / "templates"
    folder.mkdir(parents=True)
    for i in range(MAX_FILES * 2):
        (folder / f"old-{i}.cache").write_bytes(b"x" * 100)
    assert build(root, cache).returncode == 0
    assert len(list(folder.iterdir())) <= MAX_FILES
