"""A real editor: Neovim (Debian's, headless) with its built-in LSP client runs
`annostory lsp` on a copy of the example, a quote gets a typo in the unsaved buffer,
and the diagnostic Neovim holds names the quote's line and the story's words."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import make_project

pytestmark = pytest.mark.slow

SCRIPT = Path(__file__).with_name("neovim_typo.lua")


@pytest.fixture
def nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        message = "Neovim is not installed (apt-get install neovim)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


def test_neovim_shows_a_typo_in_a_quote_at_its_line(nvim: str, tmp_path: Path):
    project = make_project(tmp_path)
    out = tmp_path / "diagnostics.txt"
    notes = project / "annotations" / "trumka-not-motivated.yaml"
    before = notes.read_text("utf-8")
    line = next(i for i, row in enumerate(before.split("\n"), 1) if "very damn near" in row)
    column = before.split("\n")[line - 1].index("very damn") + 1
    env = {**os.environ, "PROJECT": str(project), "OUT": str(out), "PYTHON": sys.executable,
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    subprocess.run([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-c",
                    f"luafile {SCRIPT}"], env=env, timeout=60, check=True,
                   stdin=subprocess.DEVNULL, capture_output=True)
    shown = out.read_text("utf-8").splitlines()
    assert shown, "Neovim received no diagnostics"
    assert shown[0].startswith(f"{line}:{column} quote not found in the story"), shown
    assert "very damn near close to 60%" in shown[0], shown  # the did-you-mean hint
    assert notes.read_text("utf-8") == before, "the buffer was not saved, nothing written"
