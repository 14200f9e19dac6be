"""A golden output tree: a tiny project (tests/fixtures/tiny-project, no templates or
static files of its own) builds to exactly the files in tests/fixtures/tiny-site.txt
(each file after a line `=== path`), byte for byte, with the cache and without it.
Builds are deterministic, so any change to any page shows here as a diff to read.
After an intended change, regenerate with `UPDATE_GOLDEN=1 make test-fast` and read
the diff before committing it."""

import difflib
import io
import os
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, THEME
from PIL import Image

from annostory.commands.cli import main

PROJECT = FIXTURES / "tiny-project"
EXPECTED = FIXTURES / "tiny-site.txt"
HEADER = "=== "


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def pack(files: dict[str, bytes]) -> str:
    """Every file after a line naming it (each file ends with a newline, or gets one
    marked by a trailing `=== no newline`)."""
    out = []
    for path, data in sorted(files.items()):
        text = data.decode("utf-8")
        if any(line.startswith(HEADER) for line in text.splitlines()):
            raise ValueError(f"{path} has a line starting with {HEADER!r}")
        out.append(f"{HEADER}{path}\n{text}" + ("" if text.endswith("\n") else
                                                f"\n{HEADER}no newline\n"))
    return "".join(out)


def unpack(text: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    current = None
    for line in text.splitlines(keepends=True):
        if line.startswith(HEADER) and line.strip() == f"{HEADER}no newline":
            files[current] = files[current][:-1]
        elif line.startswith(HEADER):
            current = line[len(HEADER):].rstrip("\n")
            files[current] = b""
        else:
            files[current] += line.encode("utf-8")
    return files


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
    # the theme's files are copied as they are: compared with the theme, not kept twice;
    # share cards are drawn with this machine's fonts: kept as their size
    for path, data in list(built.items()):
        if path.endswith(".png"):
            with Image.open(io.BytesIO(data)) as image:
                built[path] = f"PNG {image.width}x{image.height} {image.mode}\n".encode()
        elif path.startswith("assets/"):
            assert data == (THEME / "static" / path.removeprefix("assets/")).read_bytes()
            del built[path]
    if os.environ.get("UPDATE_GOLDEN") and cache == "cold":
        EXPECTED.write_text(pack(built), "utf-8")
    expected = unpack(EXPECTED.read_text("utf-8"))
    assert sorted(built) == sorted(expected)
    for path in expected:
        if built[path] != expected[path]:
            diff = "\n".join(difflib.unified_diff(
                expected[path].decode().splitlines(), built[path].decode().splitlines(),
                f"expected/{path}", f"built/{path}", lineterm="", n=1))
            pytest.fail(f"{path} differs from the golden tree:\n{diff}")


def test_the_golden_file_format_reads_back_what_it_wrote():
    files = {"a.html": b"<p>x</p>\n", "b/c.txt": b"no newline", ".marker": b"x\n\n==\n"}
    assert unpack(pack(files)) == files
    with pytest.raises(ValueError):
        pack({"a": b"=== b\n"})
