"""Images of the project (photos, body images, the logo), read as pixels and nothing else.

An image must be a file under `images/` (after following links), at most 20 MB and
50 megapixels (news photos are far below: a larger image would cost a gigabyte of
memory to decode); Pillow must read it. It is turned upright by its EXIF orientation,
brought to 8 bits a channel by its real range (16-bit and 32-bit grey, floating
point), converted to sRGB from its colour profile, and written out with nothing the
camera or its software wrote: no EXIF, GPS, XMP, IPTC, comments or profile.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ..core.diagnostics import Diagnostic, Position, error
from .files import ProjectFiles, inside
from .project import IMAGES

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000


@dataclass(frozen=True)
class Pixels:
    """An image as read: its pixels (a PIL image, RGB or RGBA, no metadata) and the
    bytes of the file (for a name that changes when the file does)."""

    image: object
    data: bytes

    @property
    def alpha(self) -> bool:
        return self.image.mode == "RGBA"  # type: ignore[attr-defined]


def read_image(files: ProjectFiles, relative: str, where: Position
               ) -> tuple[Pixels | None, list[Diagnostic]]:
    """The pixels of the image at `relative` (a path from the project), or why not."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not inside(relative, IMAGES) or files.leads_elsewhere(relative, IMAGES):
        return None, [error("image-outside-images",
                            f"the image {relative!r} is not inside the project's {IMAGES}/ "
                            "folder", where,
                            hint=f"put the file in {IMAGES}/ and write its path from the "
                                 f"project folder, e.g. {IMAGES}/trumka.jpg")]
    if not files.exists(relative):
        return None, [error("image-not-found", f"no image at {relative}", where,
                            hint="check the file name (letters and capitals count)")]
    data, problems = files.read_bytes(relative, limit=MAX_IMAGE_BYTES)
    if data is None:
        return None, [p.at(where) for p in problems]
    # Pillow refuses outright past twice this (before it can say the size); below
    # that, the size is read first and judged here, with a clear message.
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS * 4
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > MAX_PIXELS:
                return None, [error(
                    "image-too-large", f"{relative} is too large ({width:,} x {height:,} "
                    f"pixels); the limit is {MAX_PIXELS // 1_000_000} megapixels", where,
                    hint="resize it to at most 8,000 pixels across before adding it")]
            opened.load()
            image = ImageOps.exif_transpose(opened)
            image = _in_srgb(_eight_bit(image), opened.info.get("icc_profile"))
    except Image.DecompressionBombError:
        return None, [error("image-too-large", f"{relative} is too large (over "
                            f"{MAX_PIXELS * 8 // 1_000_000} megapixels); the limit is "
                            f"{MAX_PIXELS // 1_000_000} megapixels", where,
                            hint="resize it to at most 8,000 pixels across before adding it")]
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None, [error("not-an-image", f"{relative} is not an image Pillow can read",
                            where, hint="save it as JPEG, PNG or WebP")]
    keep_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if keep_alpha else "RGB")
    image.info = {}  # nothing of the file's own: comments, profiles, text chunks
    return Pixels(image, data), []


def _eight_bit(image):
    """8 bits a channel, by the image's real range: 16-bit grey as 16-bit, 32-bit
    integers and floating point by what they hold (else they come out white or black)."""
    mode = image.mode
    if mode.startswith("I;16"):
        return image.convert("I").point(lambda v: v * (255 / 65535)).convert("L")
    if mode not in ("I", "F"):
        return image
    low, high = image.getextrema()
    if mode == "F" and low >= 0 and high <= 1:
        low, high = 0.0, 1.0
    elif mode == "I" and low >= 0 and high <= 255:
        return image.convert("L")
    elif mode == "I" and low >= 0 and high <= 65535:
        low, high = 0, 65535
    scale = 255 / (high - low) if high > low else 0
    return image.point(lambda v: (v - low) * scale).convert("L")


def _in_srgb(image, profile: bytes | None):
    """The pixels converted from their colour profile to sRGB (what the web assumes),
    so the profile need not be kept."""
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        return image.convert("RGB") if image.mode == "CMYK" else image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                         outputMode=mode)
    except (ImportError, OSError, ValueError, TypeError, ImageCms.PyCMSError):
        return image.convert("RGB") if image.mode == "CMYK" else image


def encode(image, alpha: bool) -> bytes:
    """PNG (with transparency) or JPEG, with no metadata, the same bytes every time."""
    out = io.BytesIO()
    image.info = {}
    if alpha:
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=82, progressive=True, optimize=True)
    return out.getvalue()
