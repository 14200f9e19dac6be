"""Photos: checked, measured and resized for phones and desktops (Pillow).

A story's lead photo (`photo:` in front matter) and the images in its body are files
under the project's `images/` folder. Each is read through the same checks as every
other input, opened with Pillow (a file that is not an image is an error with its
position), turned upright by its EXIF orientation, and written in a few widths
(`srcset`), never wider than the original, so the page can state `width` and
`height` and nothing shifts while it loads. Output is deterministic: the same image
gives the same bytes. `prepare_story` does this for a story's photo and the local
images of its body (their tokens get the new `src`, `srcset` and size), and turns a
lone image with a title into a figure with that caption.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .diagnostics import Diagnostic, Position, error
from .markdown import link_problem, walk
from .sourcefile import read_checked_bytes
from .story import token_position

IMAGES_DIR = "images"
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


def prepare(project_root: Path, relative: str, where: Position, stem: str
            ) -> tuple[Picture | None, list[Diagnostic]]:
    """Read `relative` (a path inside images/), check it is an image, make its sizes."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts or not parts or parts[0] != IMAGES_DIR:
        return None, [error("image-outside-images",
                            f"the image {relative!r} is not inside the project's images/ "
                            "folder", where,
                            hint="put the file in images/ and write its path from the "
                                 "project folder, e.g. images/trumka.jpg")]
    path = project_root / relative
    if not path.exists() and not path.is_symlink():
        return None, [error("image-not-found", f"no image at {relative}", where,
                            hint="check the file name (letters and capitals count)")]
    data, problems = read_checked_bytes(path, project_root, relative, limit=MAX_IMAGE_BYTES)
    if data is None:
        return None, [Diagnostic(p.severity, p.code, p.message, where, p.hint)
                      for p in problems]
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


def prepare_story(project_root: Path, story_folder: Path, story,
                  diagnostics: list[Diagnostic]) -> dict:
    """The lead photo ('photo') and every local image of the body (by token id), made
    ready; body image tokens get their new src, srcset, width and height."""
    pictures: dict = {}
    photo = story.front.photo
    if photo is not None:
        picture, problems = prepare(project_root, photo.file, photo.position, "photo")
        diagnostics.extend(problems)
        if picture is not None:
            pictures["photo"] = picture
    for number, token in enumerate(t for t in walk(story.body_tokens) if t.type == "image"):
        src = str(token.attrGet("src") or "")
        if not src or link_problem(src, allow_relative=False) == "" or src.startswith("#"):
            continue  # an address on the web: published as it is
        relative = os.path.normpath(story_folder / unquote(src.split("#")[0]))
        picture, problems = prepare(project_root, relative, token_position(story, token),
                                    f"image-{number + 1}")
        diagnostics.extend(problems)
        if picture is not None:
            token.attrSet("src", picture.src)
            token.attrSet("srcset", picture.srcset)
            token.attrSet("sizes", SIZES)
            token.attrSet("width", str(picture.width))
            token.attrSet("height", str(picture.height))
            token.attrSet("decoding", "async")
            pictures[id(token)] = picture
    _figures(story.body_tokens)
    return pictures


def _figures(tokens: list) -> None:
    """A paragraph holding only an image with a title becomes a figure whose caption
    is that title (escaped)."""
    from markdown_it.common.utils import escapeHtml
    from markdown_it.token import Token

    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i:i + 3]
        if opening.type != "paragraph_open" or inline.type != "inline" or \
                closing.type != "paragraph_close":
            continue
        children = [c for c in inline.children or [] if not (c.type == "text" and
                                                              not c.content.strip())]
        if len(children) != 1 or children[0].type != "image":
            continue
        title = str(children[0].attrGet("title") or "").strip()
        if not title:
            continue
        children[0].attrs.pop("title", None)
        opening.tag = closing.tag = "figure"
        caption = Token("html_inline", "", 0)
        caption.content = f"<figcaption>{escapeHtml(title)}</figcaption>"
        inline.children = [*(inline.children or []), caption]
