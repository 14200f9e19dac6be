"""A lead photo and body images: checked, measured, resized."""

import io

import pytest
from bs4 import BeautifulSoup
from helpers import SMALL_NOTES, make_project
from PIL import Image

from annostory.commands.cli import main


def image_bytes(size=(2000, 1000), mode="RGB", fmt="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 80, 40, 128) if mode == "RGBA" else (200, 80, 40)).save(
        out, fmt)
    return out.getvalue()


@pytest.fixture
def project(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "images").mkdir()
    (root / "images" / "lead.jpg").write_bytes(image_bytes())
    (root / "images" / "chart.png").write_bytes(image_bytes((300, 200), "RGBA", "PNG"))
    (root / "annotations" / "t.yaml").write_text(SMALL_NOTES)
    return root


def write_story(root, photo="", body=""):
    (root / "content" / "t.md").write_text(
        f"---\ntitle: T\ndate: 2016-11-01\n{photo}---\nShe said \"hello\".\n{body}")


def build(root, *args):
    return main(["build", "--root", str(root), *args])


def test_a_lead_photo_is_measured_resized_and_credited(project):
    write_story(project, "photo:\n  file: images/lead.jpg\n  alt: A red square\n"
                         "  caption: The square.\n  credit: Bench Photos\n")
    assert build(project, "--base-url", "https://news.example/") == 0
    soup = BeautifulSoup((project / "site" / "t" / "index.html").read_text(), "html.parser")
    img = soup.select_one("figure.lead-photo img")
    assert (img["width"], img["height"], img["alt"]) == ("1600", "800", "A red square")
    widths = [part.split()[1] for part in img["srcset"].split(", ")]
    assert widths == ["480w", "960w", "1600w"]
    for part in img["srcset"].split(", "):
        name, width = part.split()
        with Image.open(project / "site" / "t" / name) as made:
            assert made.size[0] == int(width[:-1])
    assert img["src"].endswith("-960.jpg")
    caption = soup.select_one("figcaption").get_text(" ", strip=True)
    assert caption == "The square. Bench Photos"
    og = soup.find("meta", property="og:image")["content"]
    assert og.startswith("https://news.example/t/photo-")


def test_photo_problems_are_errors_at_their_place(project, capsys):
    (project / "images" / "fake.jpg").write_text("not an image")
    cases = [("photo:\n  file: images/lead.jpg\n", "content/t.md:4:1: error: the photo has "
              "no 'alt' text [missing-alt]"),
             ("photo: {file: images/fake.jpg, alt: x}\n", "content/t.md:4:15: error: "
              "images/fake.jpg is not an image Pillow can read [not-an-image]"),
             ("photo: {file: content/t.md, alt: x}\n", "[image-outside-images]"),
             ("photo: {file: images/none.jpg, alt: x}\n", "no image at images/none.jpg "
              "[image-not-found]")]
    for photo, expected in cases:
        write_story(project, photo)
        assert build(project) == 1
        assert expected in capsys.readouterr().err
    write_story(project, "photo: {file: images/lead.jpg, decorative: true}\n")
    assert build(project) == 0


def test_a_photo_linking_out_of_the_project_is_refused(project, tmp_path, capsys):
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(image_bytes((50, 50)))
    (project / "images" / "link.jpg").symlink_to(outside)
    write_story(project, "photo: {file: images/link.jpg, alt: x}\n")
    assert build(project) == 1
    assert "file-outside-project" in capsys.readouterr().err


def test_body_images_get_sizes_and_missing_ones_are_errors(project, capsys):
    write_story(project, body="\n![A chart](../images/chart.png)\n")
    assert build(project) == 0
    soup = BeautifulSoup((project / "site" / "t" / "index.html").read_text(), "html.parser")
    img = soup.select_one(".story-body img")
    assert (img["width"], img["height"], img["alt"]) == ("300", "200", "A chart")
    assert img["src"].endswith("-300.png") and (project / "site" / "t" / img["src"]).is_file()
    write_story(project, body="\nSee ![a chart](../images/nope.png) here.\n")
    assert build(project) == 1
    assert "content/t.md:7:5: error: no image at images/nope.png" in capsys.readouterr().err


def test_photos_are_byte_identical_and_a_changed_image_is_rebuilt(project, tmp_path):
    write_story(project, "photo: {file: images/lead.jpg, alt: A square}\n")
    assert build(project, "--out", str(tmp_path / "a"), "--no-cache") == 0
    assert build(project, "--out", str(tmp_path / "b")) == 0
    a = {p.name: p.read_bytes() for p in (tmp_path / "a" / "t").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b" / "t").iterdir()}
    assert a == b and len(a) == 4  # page, three sizes (no annotations without an address)
    (project / "images" / "lead.jpg").write_bytes(image_bytes((1000, 1000)))
    assert build(project, "--out", str(tmp_path / "b")) == 0
    soup = BeautifulSoup((tmp_path / "b" / "t" / "index.html").read_text(), "html.parser")
    assert soup.select_one("figure img")["height"] == "1000"


def test_a_body_image_with_a_title_becomes_a_figure_with_its_caption(project):
    write_story(project, body='\n![A chart](../images/chart.png "Votes by <district>")\n\n'
                              'Inline ![b](../images/chart.png "not a caption") here.\n')
    assert build(project) == 0
    soup = BeautifulSoup((project / "site" / "t" / "index.html").read_text(), "html.parser")
    figure = soup.select_one(".story-body figure")
    assert figure.img["alt"] == "A chart" and not figure.img.get("title")
    assert figure.figcaption.get_text() == "Votes by <district>"
    assert len(soup.select(".story-body figure")) == 1
