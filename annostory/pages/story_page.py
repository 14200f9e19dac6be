"""The story's page: headline, dek, body with its anchored quotes, the notes grouped
by source document, the NewsArticle JSON-LD, and the pictures beside it."""

from __future__ import annotations

from urllib.parse import quote as url_quote

from markupsafe import Markup

from ..checks.images import SIZES as IMAGE_SIZES
from ..core.words import shorten
from ..inputs.markdown import story_markdown
from ..inputs.story import Story
from .base import PageContext, Pages, StoryView
from .markup import FIGURES, PICTURES, StoryRenderer, figures
from .notes import documents
from .share import SharedImage, story_share
from .text import coverage_text, inline_markdown, json_ld, plain_text
from .timeline import timeline_items, worth_a_timeline
from .urls import absolute_base, feed_url, tag_slug

_RENDERER = StoryRenderer()


def _opening(story: Story, limit: int = 160) -> str:
    """The story's first words, for a description when there is no dek."""
    for run in story.text.runs:
        if run.part == "body" and run.text.strip():
            text = " ".join(run.text.split())
            return shorten(text, limit)
    return ""


def promise(quotations: int, covered: int) -> str:
    """The footer's sentence, true of this page."""
    if quotations and covered == quotations:
        return ("Every quotation on this page carries a note: who said it, when, and in "
                "which source document.")
    if covered:
        return (f"{covered} of {quotations} quotations on this page carry a note: who said "
                "it, when, and in which source document.")
    return "No quotation on this page carries a note yet."


def story_page(context: PageContext, view: StoryView) -> Pages:
    """index.html, and the sizes of its pictures beside it."""
    files: dict[str, bytes] = {}
    pictures = view.pictures
    for picture in ([pictures.photo] if pictures.photo else []) + list(pictures.body.values()):
        files.update(picture.files)
    files["index.html"] = render_story_page(context, view).encode("utf-8")
    return Pages(files)


def render_story_page(context: PageContext, view: StoryView) -> str:
    settings, story = context.settings, view.story
    front, zone = story.front, settings.timezone
    canonical = f"{settings.base_url}{url_quote(story.slug)}/" if settings.base_url else ""
    description = plain_text(front.dek) if front.dek else (settings.description or
                                                             _opening(story))
    shared = story_share(settings, view)
    article = _article(context, story, description, canonical, shared)
    photo = None
    picture = view.pictures.photo
    if picture is not None and front.photo is not None:
        photo = {"src": picture.src, "srcset": picture.srcset, "width": picture.width,
                 "height": picture.height, "alt": "" if front.photo.decorative else
                 front.photo.alt, "caption": front.photo.caption,
                 "credit": front.photo.credit or front.photo_credit,
                 "url": canonical + picture.src if canonical else ""}
    corrections = [{"date_text": c.date.display(zone), "machine": c.date.machine(),
                    "html": inline_markdown(c.text)} for c in front.corrections]
    notes, docs = documents(view.notes)
    quotations, covered = view.coverage.quotations, view.coverage.covered
    md = story_markdown()
    env = {PICTURES: view.pictures.body, FIGURES: figures(story.body_tokens)}

    def html(tokens) -> Markup:
        return Markup(_RENDERER.render(tokens, md.options, env))
    return context.env.get_template("story.html").render(
        site=settings, root="../", story=front, slug=story.slug, canonical=canonical,
        title_text=plain_text(front.title), coverage_text=coverage_text(covered, quotations),
        description=description, promise=promise(quotations, covered),
        feed_url=feed_url(settings), json_ld=json_ld(article), quotations=quotations,
        covered=covered,
        updated_text=front.updated.display(zone) if front.updated else "",
        updated_machine=front.updated.machine() if front.updated else "",
        corrections=corrections, title_html=html(story.title_tokens),
        dek_html=html(story.dek_tokens), body_html=html(story.body_tokens),
        date_text=front.date.display(zone), date_machine=front.date.machine(), notes=notes,
        documents=docs, tag_slugs=[tag_slug(tag) for tag in front.tags], photo=photo,
        photo_sizes=IMAGE_SIZES, og_image=shared,
        annotations_url=canonical + "annotations.jsonld"
        if canonical and absolute_base(settings) else "",
        has_timeline=worth_a_timeline(timeline_items(view)))


def _article(context: PageContext, story: Story, description: str, canonical: str,
             shared: SharedImage | None) -> dict:
    """The schema.org NewsArticle of the page: headline, dates (modified falls back to
    published), authors (the byline's names, else the publisher), image, publisher
    with its logo."""
    front, settings = story.front, context.settings
    article: dict = {"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": plain_text(front.title)[:110],
                     "datePublished": front.date.machine(),
                     "dateModified": (front.updated or front.date).machine()}
    publisher_name = front.publisher or settings.organization or settings.title
    publisher: dict = {"@type": "Organization", "name": publisher_name}
    if not front.publisher and settings.organization_url:
        publisher["url"] = settings.organization_url
    base = absolute_base(settings)
    if base and settings.logo_src and not front.publisher:
        publisher["logo"] = {"@type": "ImageObject", "url": f"{base}assets/{settings.logo_src}",
                             "width": settings.logo_width, "height": settings.logo_height}
    article["publisher"] = publisher
    names = byline_names(front.byline)
    if names:
        authors = [{"@type": "Person", "name": name} for name in names]
        if front.byline_url and len(authors) == 1:
            authors[0]["url"] = front.byline_url
        article["author"] = authors if len(authors) > 1 else authors[0]
    else:
        article["author"] = {"@type": "Organization", "name": publisher_name}
    if shared is not None:
        article["image"] = {"@type": "ImageObject", "url": shared.url,
                            "width": shared.width, "height": shared.height}
    if description:
        article["description"] = description
    if canonical:
        article["url"] = canonical
        article["mainEntityOfPage"] = canonical
    if front.original_url:
        article["isBasedOn"] = front.original_url
    return article


def byline_names(byline: str) -> list[str]:
    """The names in a byline: 'By Jane Doe, John Roe and Ana Li' -> three names."""
    text = byline.strip()
    if text[:3].lower() == "by ":
        text = text[3:]
    parts = [p.strip() for chunk in text.split(",") for p in chunk.split(" and ")]
    return [p for p in parts if p]
