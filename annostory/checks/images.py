"""Photos: checked, measured and resized for phones and desktops (Pillow).

A story's lead photo (`photo:` in front matter) and the images in its body are files
under the project's `images/` folder. Each is read through the same checks as every
other input, opened with Pillow (a file that is not an image is an error with its
position), turned upright by its EXIF orientation, and written in a few widths
(`srcset`), never wider than the original, so the page can state `width` and
`height` and nothing shifts while it loads. Output is deterministic: the same image
gives the same bytes. Found for the story: `Pictures`, the photo and each local body
image by its token (the page writes their `src`, `srcset` and size).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.diagnostics import Diagnostic, Position
from ..inputs.files import ProjectFiles
from ..inputs.images import encode, read_image
from ..inputs.markdown import walk
from .base import CheckResult, Findings, StoryUnderCheck

NAME = "images"
WIDTHS = (480, 960, 1600)
SIZES = "(max-width: 42rem) 100vw, 40rem"


@dataclass(frozen=True)
class Picture:
    """An image ready for a page: the files to write (beside the page) and attributes."""

    src: str
    srcset: str
    width: int
    height: int
    files: tuple[tuple[str, bytes], ...]  # (name beside the page, bytes)


@dataclass(frozen=True)
class Pictures:
    photo: Picture | None
    body: dict  # id() of an image token of the story -> its Picture


def prepare(files: ProjectFiles, relative: str, where: Position, stem: str
            ) -> tuple[Picture | None, list[Diagnostic]]:
    """Read `relative` (a path inside images/), check it is an image, make its sizes."""
    from PIL import Image

    pixels, problems = read_image(files, relative, where)
    if pixels is None:
        return None, problems
    image = pixels.image
    suffix = "png" if pixels.alpha else "jpg"
    width, height = image.size
    digest = hashlib.sha256(pixels.data).hexdigest()[:10]
    widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
    made = []
    for w in widths:
        h = max(1, round(height * w / width))
        resized = image if w == width else image.resize((w, h), Image.Resampling.LANCZOS)
        made.append((f"{stem}-{digest}-{w}.{suffix}", encode(resized, pixels.alpha)))
    largest = widths[-1]
    shown_height = max(1, round(height * largest / width))
    fitting = [name for (name, _), w in zip(made, widths) if w <= 960]
    default = fitting[-1] if fitting else made[0][0]
    srcset = ", ".join(f"{name} {w}w" for (name, _), w in zip(made, widths))
    return Picture(default, srcset, largest, shown_height, tuple(made)), []


LOGO_HEIGHT = 64  # pixels: twice the masthead's 32, for sharp screens


def prepare_logo(files: ProjectFiles, relative: str, where: Position
                 ) -> tuple[Picture | None, list[Diagnostic]]:
    """The masthead's logo: the same checks as a photo, one PNG at most LOGO_HEIGHT
    pixels high, named logo.png."""
    from PIL import Image

    pixels, problems = read_image(files, relative, where)
    if pixels is None:
        return None, problems
    image = pixels.image
    width, height = image.size
    if height > LOGO_HEIGHT:
        width, height = max(1, round(width * LOGO_HEIGHT / height)), LOGO_HEIGHT
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    name = "logo.png"  # always a PNG (what older templates that name it expect)
    return Picture(name, "", width, height, ((name, encode(image, True)),)), []


def check(story: StoryUnderCheck, findings: Findings) -> CheckResult:
    """The lead photo and every local image of the body, made ready."""
    diagnostics: list[Diagnostic] = []
    parsed = story.anchored.story
    if parsed is None:
        return CheckResult()
    photo = None
    if parsed.front.photo is not None:
        front = parsed.front.photo
        photo, problems = prepare(story.files, front.file, front.position, "photo")
        diagnostics.extend(problems)
    body: dict = {}
    folder = Path(story.story_folder)
    for number, token in enumerate(t for t in walk(parsed.body_tokens) if t.type == "image"):
        src = str(token.attrGet("src") or "")
        if not src or src.startswith(("#", "//")) or urlsplit(src).scheme:
            continue  # an address (the story's link policy judges it), not a file
        relative = os.path.normpath(folder / unquote(src.split("#")[0]))
        picture, problems = prepare(story.files, relative, parsed.text.token_position(token),
                                    f"image-{number + 1}")
        diagnostics.extend(problems)
        if picture is not None:
            body[id(token)] = picture
    return CheckResult(tuple(diagnostics), story=Pictures(photo, body))
