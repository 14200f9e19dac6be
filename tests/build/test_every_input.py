"""Every input a project declares (inputs.project.INPUTS) reaches the build: edited
after a build, `check` and `build` with the cache on see the change (an edited
original once went unseen until --no-cache); and no input may receive a site."""

import io

import pytest
from helpers import make_project
from PIL import Image

from annostory.commands.cli import main
from annostory.inputs.project import INPUTS

STORY = """---
title: Pier report
date: 2016-11-01
photo: {file: images/pier.png, alt: The pier}
---
Ortiz wrote that "the pier is safe for now" in a memo.
"""
NOTES = """sources:
  memo:
    type: memo
    original: sources/memo.txt
annotations:
  - quote: the pier is safe for now
    source: memo
    note: First note.
"""


def png(width: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, 40), (90, 90, 90)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def root(tmp_path):
    """A project that uses every kind of input."""
    root = make_project(tmp_path, example=False)
    (root / "content" / "pier.md").write_text(STORY)
    (root / "annotations" / "pier.yaml").write_text(NOTES)
    (root / "images").mkdir()
    (root / "images" / "pier.png").write_bytes(png(300))
    (root / "sources").mkdir()
    (root / "sources" / "memo.txt").write_text("Ben, the pier is safe for now. Zoe\n")
    (root / "static" / "extra.css").write_text("p { margin: 0 }\n")
    return root


def page(root) -> str:
    return (root / "site" / "pier" / "index.html").read_text()


# input name -> (edit, what the build shows afterwards)
EDITS = {
    "content": (lambda r: (r / "content" / "pier.md").write_text(
        STORY.replace("in a memo", "in a short memo")), lambda r: "in a short memo" in page(r)),
    "annotations": (lambda r: (r / "annotations" / "pier.yaml").write_text(
        NOTES.replace("First note.", "Second note.")), lambda r: "Second note." in page(r)),
    "templates": (lambda r: (r / "templates" / "story.html").write_text(
        (r / "templates" / "story.html").read_text().replace(
            "</article>", "<p>EDITED TEMPLATE</p></article>")),
        lambda r: "EDITED TEMPLATE" in page(r)),
    "settings": (lambda r: (r / "site.yaml").write_text("title: Renamed desk\n"),
                 lambda r: "Renamed desk" in page(r)),
    "static": (lambda r: (r / "static" / "extra.css").write_text("p { margin: 1em }\n"),
               lambda r: (r / "site" / "assets" / "extra.css").read_text() ==
               "p { margin: 1em }\n"),
    "images": (lambda r: (r / "images" / "pier.png").write_bytes(png(200)),
               lambda r: 'width="200"' in page(r)),
    "sources": (lambda r: (r / "sources" / "memo.txt").write_text(
        "Ben, the pier is fine for now. Zoe\n"), None),  # now a misquote: see the test
}


def test_every_declared_input_is_covered_here():
    assert sorted(EDITS) == sorted(kind.name for kind in INPUTS)


@pytest.mark.parametrize("name", sorted(EDITS))
def test_an_edited_input_is_seen_with_the_cache_on(root, capsys, name):
    assert main(["build", "--root", str(root)]) == 0, capsys.readouterr().err
    assert main(["check", "--root", str(root)]) == 0
    edit, shown = EDITS[name]
    edit(root)
    capsys.readouterr()
    if name == "sources":  # the quote is no longer in its original
        assert main(["check", "--root", str(root)]) == 1
        assert "[misquote]" in capsys.readouterr().err
        assert main(["build", "--root", str(root)]) == 1
        return
    assert main(["check", "--root", str(root)]) == 0
    assert main(["build", "--root", str(root)]) == 0, capsys.readouterr().err
    assert "up to date" not in capsys.readouterr().out
    assert shown(root)


def test_an_original_put_back_is_seen_too(root, capsys):
    """The cache records a missing original as missing: adding it is a change."""
    memo = root / "sources" / "memo.txt"
    text = memo.read_text()
    memo.unlink()
    assert main(["check", "--root", str(root)]) == 1
    assert "[original-not-found]" in capsys.readouterr().err
    memo.write_text(text)
    assert main(["check", "--root", str(root)]) == 0


@pytest.mark.parametrize("kind", INPUTS, ids=[kind.name for kind in INPUTS])
def test_no_input_may_receive_a_site(root, capsys, kind):
    target = f"{kind.path}/site" if kind.folder else kind.path
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    assert main(["build", "--root", str(root), "--out", target]) == 2
    assert "refusing to write the site" in capsys.readouterr().err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


@pytest.mark.slow
@pytest.mark.parametrize("name", ["images", "sources"])
def test_the_preview_rebuilds_when_a_file_read_on_demand_changes(root, name):
    """The preview watches every input (it once watched neither images/ nor sources/)."""
    from preview_helpers import Server

    srv = Server(root)
    try:
        srv.wait_status(lambda s: s["builds"] >= 1 and s["ok"])
        EDITS[name][0](root)
        if name == "sources":
            status = srv.wait_status(lambda s: not s["ok"])
            assert any(e["code"] == "misquote" for e in status["errors"])
        else:
            srv.wait_status(lambda s: s["builds"] >= 2)
            assert 'width="200"' in srv.get("/pier/index.html")[1]
    finally:
        srv.stop()
