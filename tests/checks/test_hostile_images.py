"""Images written to hurt, or only careless: what a camera or its software wrote never
reaches the site (comments, EXIF, GPS, profiles: only pixels, converted to sRGB),
16-bit, 32-bit and floating-point images keep their picture, a decompression bomb is
refused by its size before it is decoded, and the logo goes through the same checks
(confined to images/, an image Pillow reads, re-encoded)."""

import io

import pytest
from helpers import make_project
from PIL import Image, ImageCms

from annostory.commands.cli import main

STORY = "---\ntitle: T\ndate: 2016-11-01\nphoto: {file: images/p.%s, alt: A pier}\n---\nHello.\n"
SECRET = b"shot at 12 Elm St, source home"


@pytest.fixture
def root(tmp_path):
    root = make_project(tmp_path, example=False)
    (root / "images").mkdir()
    return root


def use(root, data: bytes, ext: str) -> None:
    (root / "images" / f"p.{ext}").write_bytes(data)
    (root / "content" / "t.md").write_text(STORY % ext)
    (root / "annotations" / "t.yaml").write_text("annotations: []\n")


def published(root) -> list[bytes]:
    return [p.read_bytes() for p in (root / "site" / "t").glob("photo-*")]


def saved(image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def test_comments_and_camera_data_are_not_published(root):
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0131] = "Software 1.0"
    sources = {
        "jpg": saved(Image.new("RGB", (800, 600), (10, 120, 200)), "JPEG", comment=SECRET,
                     exif=exif.tobytes()),
        "gif": saved(Image.new("P", (800, 600)), "GIF", comment=SECRET * 3000),  # over 64 KB
        "png": saved(Image.new("RGB", (800, 600), (10, 120, 200)), "PNG",
                     icc_profile=ImageCms.ImageCmsProfile(
                         ImageCms.createProfile("sRGB")).tobytes()),
    }
    for ext, data in sources.items():
        use(root, data, ext)
        assert main(["build", "--root", str(root)]) == 0, ext
        outputs = published(root)
        assert outputs
        for output in outputs:
            assert SECRET not in output and b"Camera Maker" not in output
            with Image.open(io.BytesIO(output)) as image:
                assert not {"comment", "exif", "icc_profile"} & set(image.info), (
                    ext, image.info.keys())


@pytest.mark.parametrize("make,expected", [
    (lambda: Image.new("I;16", (600, 400), 30000), 117),  # 16-bit grey: 30000/65535
    (lambda: Image.new("I", (600, 400), 30000), 117),  # 32-bit integers holding 16 bits
    (lambda: Image.new("F", (600, 400), 0.5), 127),  # floating point from 0 to 1
])
def test_deep_images_keep_their_picture(root, make, expected):
    image = make()
    image.putpixel((0, 0), 0)  # a range to read
    use(root, saved(image, "TIFF"), "tif")
    assert main(["build", "--root", str(root)]) == 0
    with Image.open(io.BytesIO(published(root)[0])) as out:
        value = out.convert("L").getpixel((300, 200))
    assert abs(value - expected) <= 3  # neither white nor black


def test_a_decompression_bomb_is_refused_by_its_size(root, capsys):
    use(root, saved(Image.new("1", (13000, 13000)), "PNG"), "png")
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "images/p.png is too large (13,000 x 13,000 pixels)" in err
    assert "[image-too-large]" in err


@pytest.mark.parametrize("logo,code", [
    ("images/../.git/config", "image-outside-images"),
    ("images/../sources/tip.eml", "image-outside-images"),
    ("images/logo.html", "not-an-image"),
    ("images/fake.png", "not-an-image"),
    ("images/logo.svg", "not-an-image"),
])
def test_a_logo_goes_through_the_checks_of_every_image(root, capsys, logo, code):
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\nsecret = 1\n")
    (root / "sources").mkdir()
    (root / "sources" / "tip.eml").write_text("From: a\n\nthe tip\n")
    (root / "images" / "logo.html").write_text("<script>alert(1)</script>")
    (root / "images" / "fake.png").write_text("not a picture")
    (root / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (root / "site.yaml").write_text(f"title: T\nlogo: {logo}\n")
    use(root, saved(Image.new("RGB", (100, 100)), "PNG"), "png")
    assert main(["build", "--root", str(root)]) == 1
    assert f"[{code}]" in capsys.readouterr().err
    assert not (root / "site").exists()


@pytest.mark.parametrize("name", ["images/logo", "images/v1.0/logo"])
def test_a_logo_without_an_extension_is_published_as_what_it_is(root, name):
    (root / name).parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x8825] = {2: (40.0, 44.0, 55.0)}  # a GPS position
    Image.new("RGB", (200, 100), (0, 0, 0)).save(root / name, "JPEG", exif=exif.tobytes())
    (root / "site.yaml").write_text(f"title: T\nlogo: {name}\n")
    use(root, saved(Image.new("RGB", (100, 100)), "PNG"), "png")
    assert main(["build", "--root", str(root)]) == 0
    logos = list((root / "site" / "assets").glob("logo*"))
    assert len(logos) == 1
    with Image.open(logos[0]) as image:
        assert image.size == (128, 64) and "exif" not in image.info
    assert f'src="assets/{logos[0].name}"' in (root / "site" / "index.html").read_text()
