"""The picture a page is shared with (`og:image`): a story's lead photo; else a card
the build draws with Pillow (1200x630: the masthead, the headline and the dek, in
the site's type and colours); else the site's logo.

The site's type is a serif for headlines (Georgia, Liberation Serif or DejaVu Serif,
whichever this machine has) and a sans-serif for the rest; without any of them, the
font built into Pillow. A card is drawn only when its font has every character of
its words (a headline in a script the font lacks would show empty boxes): the site's
card, or the logo, is shared instead. Cards are PNG in a palette of the card's own
colours (about 12 KB, 6 ms to write), deterministic, and made with the story (cached
with it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote as url_quote

from PIL import Image, ImageColor, ImageDraw, ImageFont

from ..inputs.settings import SiteSettings
from .base import PageContext, Pages, StoryView
from .text import coverage_text, plain_text
from .urls import absolute_base

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND, TEXT, MUTED, ACCENT, RULE = "#fdfcf8", "#1d1b17", "#57534a", "#8a2c0d", "#d9d4c7"
CARD = "share.png"  # a story's card, beside its page; the site's is assets/share.png

FONT_FOLDERS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
                Path.home() / ".fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
                Path("C:/Windows/Fonts"))
SERIF_BOLD = ("Georgia Bold.ttf", "georgiab.ttf", "LiberationSerif-Bold.ttf",
              "DejaVuSerif-Bold.ttf", "NotoSerif-Bold.ttf")
SANS = ("LiberationSans-Regular.ttf", "DejaVuSans.ttf", "NotoSans-Regular.ttf",
        "Arial.ttf", "arial.ttf")
SANS_BOLD = ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf",
             "Arial Bold.ttf", "arialbd.ttf")


@dataclass(frozen=True)
class SharedImage:
    """What a page's `og:image` tags say: an absolute address, its size, its words."""

    url: str
    width: int
    height: int
    alt: str


@cache
def _font_file(names: tuple[str, ...]) -> str:
    """The first of `names` found in the usual font folders, or ''."""
    for name in names:
        for folder in FONT_FOLDERS:
            try:
                found = next(folder.rglob(name), None)
            except OSError:
                found = None
            if found is not None:
                return str(found)
    return ""


@cache
def font(names: tuple[str, ...], size: int) -> ImageFont.FreeTypeFont:
    path = _font_file(names)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


@lru_cache(maxsize=8192)
def _drawn(face: ImageFont.FreeTypeFont, ch: str) -> bytes:
    """The pixels `face` draws for `ch` (with their size)."""
    left, top, right, bottom = face.getbbox(ch)
    size = (max(right - left, 1) + 2, max(bottom - top, 1) + 2)
    image = Image.new("L", size)
    ImageDraw.Draw(image).text((1 - left, 1 - top), ch, font=face, fill=255)
    return repr(size).encode() + image.tobytes()


def has_glyphs(face: ImageFont.FreeTypeFont, text: str) -> bool:
    """Whether `face` draws every character of `text` (not its 'missing' box)."""
    missing = _drawn(face, "\U0010fffd")  # a private-use character no font has
    return all(_drawn(face, ch) != missing for ch in set(text) if not ch.isspace())


def wrap(face: ImageFont.FreeTypeFont, text: str, width: int, lines: int) -> list[str] | None:
    """`text` in at most `lines` lines of `width` pixels (the last one shortened with
    an ellipsis), or None when a single word is wider than a line."""
    words, result, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if face.getlength(trial) <= width:
            current = trial
            continue
        if not current:
            return None
        result.append(current)
        current = word
        if face.getlength(current) > width:
            return None
    if current:
        result.append(current)
    if len(result) > lines:
        last = result[lines - 1]
        while last and face.getlength(last + "\u2026") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        result = result[:lines - 1] + [last + "\u2026"]
    return result


def draw_card(masthead: str, headline: str, dek: str = "", footer: str = "") -> bytes | None:
    """A 1200x630 PNG card, or None when the fonts cannot draw its words."""
    try:
        title_font = font(SANS_BOLD, 30)
        body_font = font(SANS, 30)
    except OSError:
        return None
    for size in (68, 60, 52, 46, 40):
        head_font = font(SERIF_BOLD, size)
        head_lines = wrap(head_font, headline, WIDTH - 2 * MARGIN, 3)
        if head_lines is not None:
            break
    if head_lines is None or not all(has_glyphs(face, text) for face, text in (
            (title_font, masthead), (head_font, headline), (body_font, dek + footer))):
        return None
    # Drawn as palette indices: each colour has sixteen steps from the background
    # (`_palette`), and a letter's edge takes the step of its coverage. No colour
    # reduction afterwards, and a palette PNG is a third of the size to write.
    card = _blank(masthead).copy()
    y = 140
    layers: dict[int, Image.Image] = {}

    def write(at: tuple[int, int], text: str, face: ImageFont.FreeTypeFont, colour: int
              ) -> None:
        layer = layers.setdefault(colour, Image.new("L", (WIDTH, HEIGHT)))
        ImageDraw.Draw(layer).text(at, text, font=face, fill=255)
    for line in head_lines:
        write((MARGIN, y), line, head_font, TEXT_STEPS)
        y += int(head_font.size * 1.18)
    if dek:
        y += 18
        for line in wrap(body_font, dek, WIDTH - 2 * MARGIN, 2) or []:
            if y > HEIGHT - 120:
                break
            write((MARGIN, y), line, body_font, MUTED_STEPS)
            y += 42
    if footer:
        write((MARGIN, HEIGHT - 80), footer, font(SANS, 26), ACCENT_STEPS)
    for first, layer in layers.items():
        _lay(card, layer, first)
    out = io.BytesIO()
    _as_palette(card).save(out, format="PNG", compress_level=1)
    return out.getvalue()


# the first palette index of each colour's sixteen steps
TEXT_STEPS, MUTED_STEPS, ACCENT_STEPS, RULE_STEPS = 0, 16, 32, 48


# coverage (0-255) to the palette index of its step of a colour; any coverage to 255
_STEPS = {first: [first + round(value * 15 / 255) for value in range(256)]
          for first in (0, 16, 32, 48)}
_COVERED = [0] + [255] * 255


@cache
def _blank(masthead: str) -> Image.Image:
    """What every card of a site shares (as palette indices in an "L" image): the
    background, the bar, the masthead and the rule."""
    card = Image.new("L", (WIDTH, HEIGHT), TEXT_STEPS)  # step 0: the background
    pen = ImageDraw.Draw(card)
    pen.rectangle((0, 0, WIDTH, 12), fill=ACCENT_STEPS + 15)
    pen.line((MARGIN, 110, WIDTH - MARGIN, 110), fill=RULE_STEPS + 15, width=2)
    layer = Image.new("L", (WIDTH, HEIGHT))
    ImageDraw.Draw(layer).text((MARGIN, 56), masthead, font=font(SANS_BOLD, 30), fill=255)
    _lay(card, layer, TEXT_STEPS)
    return card


def _lay(card: Image.Image, layer: Image.Image, first: int) -> None:
    """Put the letters of a coverage layer on the card, in the steps of a colour
    (only where the layer has ink: the rest of the card is not touched)."""
    box = layer.getbbox()
    if box is None:
        return
    ink = layer.crop(box)
    card.paste(ink.point(_STEPS[first]), box[:2], ink.point(_COVERED))


def _as_palette(card: Image.Image) -> Image.Image:
    """The "L" image of indices as a palette image of the card's colours."""
    image = Image.frombytes("P", card.size, card.tobytes())
    image.putpalette(_palette().getpalette())
    return image


@cache
def _palette() -> Image.Image:
    """Sixteen steps from the background to each colour of the card."""
    background = ImageColor.getrgb(BACKGROUND)
    steps = []
    for colour in (TEXT, MUTED, ACCENT, RULE):
        rgb = ImageColor.getrgb(colour)
        steps += [tuple(round(background[i] + (rgb[i] - background[i]) * k / 15)
                        for i in range(3)) for k in range(16)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for step in steps for value in step])
    return palette


def site_card(settings: SiteSettings) -> bytes | None:
    """The site's card: its name and description (for every page but a story's)."""
    return draw_card(settings.title, settings.description or settings.title)


def story_card(settings: SiteSettings, headline: str, dek: str, footer: str) -> bytes | None:
    return draw_card(settings.title, headline, dek, footer)


def site_image(settings: SiteSettings, has_card: bool) -> SharedImage | None:
    """What a page other than a story's is shared with: the site's card, else its logo."""
    base = absolute_base(settings)
    if not base:
        return None
    if has_card:
        return SharedImage(f"{base}assets/{CARD}", WIDTH, HEIGHT, settings.title)
    if settings.logo_src:
        return SharedImage(f"{base}assets/{settings.logo_src}", settings.logo_width,
                           settings.logo_height, settings.title)
    return None


@cache
def _site_card(title: str, description: str) -> bytes | None:
    return draw_card(title, description or title)


def site_card_file(settings: SiteSettings) -> dict[str, bytes]:
    """assets/share.png, when the site has an address to share pages from."""
    if not absolute_base(settings):
        return {}
    card = _site_card(settings.title, settings.description)
    return {f"assets/{CARD}": card} if card else {}


def site_share(settings: SiteSettings) -> SharedImage | None:
    """What a page other than a story's is shared with: the site's card, else its logo."""
    return site_image(settings, bool(site_card_file(settings)))


def share_card(context: PageContext, view: StoryView) -> Pages:
    """A story's card (share.png), when it has no lead photo to be shared with."""
    settings, story = context.settings, view.story
    if not absolute_base(settings) or view.pictures.photo is not None:
        return Pages()
    front = story.front
    footer = " \u00b7 ".join(part for part in (
        front.publisher, front.date.display(settings.timezone),
        coverage_text(view.coverage.covered, view.coverage.quotations)
        if view.coverage.quotations else "") if part)
    card = story_card(settings, plain_text(front.title), plain_text(front.dek)
                      if front.dek else "", footer)
    return Pages({CARD: card}) if card else Pages()


def story_share(settings: SiteSettings, view: StoryView) -> SharedImage | None:
    """What a story's pages are shared with: its lead photo, else its card, else the
    site's card or logo."""
    base = absolute_base(settings)
    if not base:
        return None
    page_url = f"{base}{url_quote(view.slug)}/"
    picture, photo = view.pictures.photo, view.story.front.photo
    title = plain_text(view.story.front.title)
    if picture is not None and photo is not None:
        return SharedImage(page_url + picture.src, picture.width, picture.height,
                           photo.alt or title)
    if CARD in view.made:
        return SharedImage(page_url + CARD, WIDTH, HEIGHT, title)
    return site_share(settings)
