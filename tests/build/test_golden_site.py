"""A golden output tree: a tiny project (tests/fixtures/tiny-project, no templates or
static files of its own) builds to exactly the files in tests/fixtures/tiny-site,
byte for byte, with the cache and without it. Builds are deterministic, so any change
to any page shows here as a diff to read. After an intended change, regenerate with
`UPDATE_GOLDEN=1 make test-fast` and read the diff before committing it."""

import difflib
import os
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, THEME

from annostory.commands.cli import main

PROJECT = FIXTURES / "tiny-project"
EXPECTED = FIXTURES / "tiny-site"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("cache", ["cold", "warm", "no-cache"])
def test_the_tiny_project_builds_to_the_golden_tree(tmp_path, cache):
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    args = ["build", "--root", str(root), "--jobs", "1"]
    if cache == "no-cache":
        args.append("--no-cache")
    assert main(args) == 0
    if cache == "warm":
        shutil.rmtree(root / "site")
        assert main(args) == 0
    built = tree(root / "site")
    # the theme's files are copied as they are: compared with the theme, not kept twice
    for path, data in list(built.items()):
        if path.startswith("assets/"):
            assert data == (THEME / "static" / path.removeprefix("assets/")).read_bytes()
            del built[path]
    if os.environ.get("UPDATE_GOLDEN") and cache == "cold":
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path, data in built.items():
            (EXPECTED / path).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / path).write_bytes(data)
    expected = tree(EXPECTED)
    assert sorted(built) == sorted(expected)
    for path in expected:
        if built[path] != expected[path]:
            diff = "\n".join(difflib.unified_diff(
                expected[path].decode().splitlines(), built[path].decode().splitlines(),
                f"expected/{path}", f"built/{path}", lineterm="", n=1))
            pytest.fail(f"{path} differs from the golden tree:\n{diff}")
