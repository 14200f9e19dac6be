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
import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..core.diagnostics import Diagnostic, Position, error
from ..inputs.files import ProjectFiles
from ..inputs.markdown import link_problem, walk
from ..inputs.project import IMAGES
from .base import CheckResult, Findings, StoryUnderCheck

NAME = "images"
WIDTHS = (480, 960, 1600)
MAX_IMAGE_BYTES = 20 * 1024 * 1024
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
    from PIL import Image, ImageOps, UnidentifiedImageError

    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or not parts or parts[0] != IMAGES:
        return None, [error("image-outside-images",
                            f"the image {relative!r} is not inside the project's images/ "
                            "folder", where,
                            hint="put the file in images/ and write its path from the "
                                 "project folder, e.g. images/trumka.jpg")]
    if not files.exists(relative):
        return None, [error("image-not-found", f"no image at {relative}", where,
                            hint="check the file name (letters and capitals count)")]
    data, problems = files.read_bytes(relative, limit=MAX_IMAGE_BYTES)
    if data is None:
        return None, [p.at(where) for p in problems]
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None, [error("not-an-image", f"{relative} is not an image Pillow can read",
                            where, hint="save it as JPEG, PNG or WebP")]
    keep_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    image = image.convert("RGBA" if keep_alpha else "RGB")
    suffix = "png" if keep_alpha else "jpg"
    width, height = image.size
    digest = hashlib.sha256(data).hexdigest()[:10]
    widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
    files = []
    for w in widths:
        h = max(1, round(height * w / width))
        resized = image if w == width else image.resize((w, h), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if keep_alpha:
            resized.save(out, "PNG", optimize=True)
        else:
            resized.save(out, "JPEG", quality=82, progressive=True, optimize=True)
        files.append((f"{stem}-{digest}-{w}.{suffix}", out.getvalue()))
    largest = widths[-1]
    shown_height = max(1, round(height * largest / width))
    fitting = [name for (name, _), w in zip(files, widths) if w <= 960]
    default = fitting[-1] if fitting else files[0][0]
    srcset = ", ".join(f"{name} {w}w" for (name, _), w in zip(files, widths))
    return Picture(default, srcset, largest, shown_height, tuple(files)), []


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
        if not src or link_problem(src, allow_relative=False) == "" or src.startswith("#"):
            continue  # an address on the web: published as it is
        relative = os.path.normpath(folder / unquote(src.split("#")[0]))
        picture, problems = prepare(story.files, relative, parsed.text.token_position(token),
                                    f"image-{number + 1}")
        diagnostics.extend(problems)
        if picture is not None:
            body[id(token)] = picture
    return CheckResult(tuple(diagnostics), story=Pictures(photo, body))
