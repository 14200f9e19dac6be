"""HTML pages from a compiled story, through the Jinja templates in `templates/`.

Autoescaping is on and undefined names are errors (StrictUndefined): every value
from YAML is escaped where it is inserted, and a template typo fails the build
instead of printing an empty string. Only HTML made by markdown-it (with raw
HTML off and links checked) is marked safe.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote as url_quote

import jinja2
from markupsafe import Markup

from .anchoring import Anchor, element_ids
from .images import SIZES as IMAGE_SIZES
from .markdown import render_note, story_markdown, without_links
from .model import Annotation, shorten
from .project import SiteSettings
from .sourcefile import read_checked_bytes
from .story import Story
from .usercache import user_cache


@dataclass(frozen=True)
class NoteView:
    """Everything a template shows about one annotation."""

    id: str
    ids: dict  # the page ids it owns: quote, note, about (see anchoring.element_ids)
    number: int
    quote: str
    speaker: str
    speaker_role: str
    date_text: str
    date_machine: str
    source_text: str
    source_url: str
    verification: str
    reports: tuple[tuple[str, str], ...]
    source_note: Markup
    note: Markup
    in_headline: bool
    source_short: str = ""
    source_number: int = 0  # the document's number under Sources
    source_key: int = 0  # notes citing one document share it
    attribution: str = ""  # the story's attribution differs: said plainly
    attribution_reason: Markup = Markup("")
    context: str = ""  # the sentence of the original around the quote
    reported: str = ""  # what the author reports of the source (not a check)
    speaker_key: str = ""  # the speaker's entry on the people page
    document_key: str = ""  # the document's entry on the sources page


@dataclass(frozen=True)
class DocumentView:
    """One source document under Sources: its full citation once, then its quotes."""

    number: int
    text: str
    url: str
    verification: str
    key: str
    reports: tuple[tuple[str, str], ...]
    source_note: Markup
    notes: tuple[NoteView, ...]


def documents(notes: list[NoteView]) -> tuple[list[NoteView], list[DocumentView]]:
    """Number the source documents in order of first citation, and group the notes
    (still in reading order within each document)."""
    numbers: dict[int, int] = {}
    for note in notes:
        numbers.setdefault(note.source_key, len(numbers) + 1)
    numbered = [replace(note, source_number=numbers[note.source_key]) for note in notes]
    grouped: dict[int, list[NoteView]] = {}
    for note in numbered:
        grouped.setdefault(note.source_number, []).append(note)
    docs = [DocumentView(number, group[0].source_text, group[0].source_url,
                         group[0].reported, group[0].document_key, group[0].reports,
                         group[0].source_note, tuple(group))
            for number, group in grouped.items()]
    return numbered, docs


@dataclass(frozen=True)
class StorySummary:
    """What the index, the feed and the sitemap know of a story (plain, cacheable)."""

    slug: str
    href: str  # relative to the site root
    title: Markup
    dek: Markup
    date_text: str
    date_machine: str
    annotated: int
    title_text: str = ""
    dek_text: str = ""
    byline: str = ""
    publisher: str = ""
    updated_machine: str = ""
    corrections: tuple = ()  # (date machine, plain text) pairs
    draft: bool = False
    tags: tuple = ()  # (name, slug) pairs
    quotes: tuple = ()  # one dict per note, for the people and sources pages


# What templates can use, for "did you mean" on a misspelt name.
TEMPLATE_VARIABLES = frozenset({"site", "root", "story", "slug", "canonical", "title_html",
                                "dek_html", "body_html", "date_text", "date_machine", "notes",
                                "stories", "description", "promise", "feed_url", "json_ld",
                                "updated_text", "updated_machine", "corrections", "home",
                                "quotations", "covered", "documents", "heading",
                                "page_number", "page_count", "previous", "next",
                                "tag_slugs", "photo", "photo_sizes", "svg", "items",
                                "has_timeline"})


def _fields() -> frozenset[str]:
    from dataclasses import fields

    from .story import FrontMatter

    return frozenset(f.name for cls in (SiteSettings, FrontMatter, NoteView, StorySummary)
                     for f in fields(cls))


class TemplateRefused(jinja2.TemplateError):
    """A template file the reader refused (a link out of the project, not a file...)."""

    def __init__(self, name: str, message: str, code: str = "not-a-file") -> None:
        super().__init__(message)
        self.name = name
        self.code = code


class ProjectTemplateLoader(jinja2.BaseLoader):
    """Templates from `templates/`, read through the same checks as every other input:
    a template (or an included one) that links out of the project is refused."""

    def __init__(self, templates_dir: Path, project_root: Path) -> None:
        self.templates_dir = templates_dir
        self.project_root = project_root

    def get_source(self, environment: jinja2.Environment, template: str):
        parts = [p for p in template.replace("\\", "/").split("/") if p not in ("", ".")]
        if ".." in parts:
            raise jinja2.TemplateNotFound(template)
        path = self.templates_dir.joinpath(*parts)
        if not path.exists() and not path.is_symlink():
            raise jinja2.TemplateNotFound(template)
        raw, problems = read_checked_bytes(path, self.project_root)
        if raw is None:
            raise TemplateRefused(template, problems[0].message, problems[0].code)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateRefused(template, f"templates/{template} is not UTF-8") from exc
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.exists() and path.stat().st_mtime == mtime


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates, kept in the user's cache folder (outside the project, so
    nothing a project contains is ever run); Jinja keys them by the template's text."""
    folder = user_cache() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def make_environment(templates_dir: Path, project_root: Path | None = None
                     ) -> jinja2.Environment:
    return jinja2.Environment(
        loader=ProjectTemplateLoader(templates_dir, project_root or templates_dir.parent),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def inline_markdown(text: str) -> Markup:
    return Markup(render_note(text)[0]) if text else Markup("")


def reading_order(anchors: list[Anchor], story: Story) -> list[Anchor]:
    """The session's runs are already in reading order (see story.load_story)."""
    runs = {id(run): i for i, run in enumerate(story.session.runs)}
    return sorted(anchors, key=lambda a: (runs[id(a.run)], a.start))


def note_view(number: int, anchor: Anchor, attribution: str = "",
              checked: tuple[str, str] | None = None) -> NoteView:
    """What a template shows of a note. `checked` is the verification the build
    computed against the original (sentence, context); without it the source's
    `verification:` field says what was reported, never "checked"."""
    a: Annotation = anchor.annotation
    date = a.shown_date
    source = a.source
    return NoteView(
        id=a.id, ids=element_ids(a.id), number=number,
        quote=anchor.run.text[anchor.start:anchor.end],
        speaker=a.speaker.name if a.speaker else "", speaker_role=a.speaker.role if a.speaker
        else "", date_text=date.display() if date else "",
        date_machine=date.machine() if date else "", source_text=source.describe(),
        source_url=source.url, verification=checked[0] if checked else "",
        reported=source.verification_text,
        reports=tuple((r.describe(), r.url) for r in source.reported_by),
        source_note=inline_markdown(source.note), note=inline_markdown(a.note),
        in_headline=anchor.run.part != "body", source_short=source.short(),
        source_key=id(source), attribution=attribution,
        attribution_reason=inline_markdown(a.attribution_reason) if attribution
        else Markup(""), context=checked[1] if checked else "",
        speaker_key=person_key(a.speaker.name) if a.speaker else "",
        document_key=source_key(source.describe(), source.url))


def page_href(slug: str) -> str:
    return f"{url_quote(slug)}/index.html"


@lru_cache(maxsize=1024)
def plain_text(markdown: str) -> str:
    """Inline Markdown as the words a reader sees (for meta tags and feeds)."""
    md = story_markdown()
    tokens = md.parseInline(markdown, {})
    parts = [child.content for token in tokens for child in token.children or []
             if child.type in ("text", "code_inline")]
    return " ".join("".join(parts).split())


def json_ld(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json"> element: `<`, `>` and `&` escaped
    so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "&", "\\u0026"))


def _opening(story: Story, limit: int = 160) -> str:
    """The story's first words, for a description when there is no dek."""
    for run in story.session.runs:
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


def feed_url(settings: SiteSettings) -> str:
    return f"{settings.base_url}feed.xml" if settings.base_url else ""


def render_story_page(env: jinja2.Environment, settings: SiteSettings, story: Story,
                      notes: list[NoteView], quotations: int = 0, covered: int = 0,
                      picture=None, has_timeline: bool = False) -> str:
    md = story_markdown()
    render = md.renderer.render
    front = story.front
    canonical = f"{settings.base_url}{url_quote(story.slug)}/" if settings.base_url else ""
    description = plain_text(front.dek) if front.dek else (settings.description or
                                                             _opening(story))
    article: dict = {"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": plain_text(front.title)[:110],
                     "datePublished": front.date.machine()}
    if front.updated:
        article["dateModified"] = front.updated.machine()
    if front.byline:
        article["author"] = {"@type": "Person", "name": front.byline}
    publisher = front.publisher or settings.organization
    if publisher:
        article["publisher"] = {"@type": "Organization", "name": publisher}
    if description:
        article["description"] = description
    if canonical:
        article["url"] = canonical
    if front.original_url:
        article["isBasedOn"] = front.original_url
    photo = None
    if picture is not None and front.photo is not None:
        photo = {"src": picture.src, "srcset": picture.srcset, "width": picture.width,
                 "height": picture.height, "alt": "" if front.photo.decorative else
                 front.photo.alt, "caption": front.photo.caption,
                 "credit": front.photo.credit or front.photo_credit,
                 "url": canonical + picture.src if canonical else ""}
        if photo["url"]:
            article["image"] = photo["url"]
    corrections = [{"date_text": c.date.display(), "machine": c.date.machine(),
                    "html": inline_markdown(c.text)} for c in front.corrections]
    notes, docs = documents(notes)
    return env.get_template("story.html").render(
        site=settings, root="../", story=front, slug=story.slug, canonical=canonical,
        description=description, promise=promise(quotations, covered),
        feed_url=feed_url(settings), json_ld=json_ld(article), quotations=quotations,
        covered=covered,
        updated_text=front.updated.display() if front.updated else "",
        updated_machine=front.updated.machine() if front.updated else "",
        corrections=corrections,
        title_html=Markup(render(story.title_tokens, md.options, story.env)),
        dek_html=Markup(render(story.dek_tokens, md.options, story.env)),
        body_html=Markup(render(story.body_tokens, md.options, story.env)),
        date_text=front.date.display(), date_machine=front.date.machine(), notes=notes,
        documents=docs, tag_slugs=[tag_slug(tag) for tag in front.tags], photo=photo,
        photo_sizes=IMAGE_SIZES, has_timeline=has_timeline)


def person_key(name: str) -> str:
    from .annotations import slugify

    return "person-" + slugify(name, words=8)


def source_key(text: str, url: str) -> str:
    """One document, wherever it is cited: by its address, else by its citation."""
    import hashlib

    return "source-" + hashlib.sha256((url or text).encode()).hexdigest()[:12]


def summary(story: Story, annotated: int, notes: list[NoteView] = ()) -> StorySummary:
    """An index card: headline and dek as text (the card is a link: no link in a link)."""
    md = story_markdown()
    front = story.front
    title = Markup(md.renderer.render(without_links(md.parseInline(front.title)),
                                      md.options, {}))
    dek = Markup(md.renderer.render(without_links(md.parseInline(front.dek)), md.options,
                                    {})) if front.dek else Markup("")
    return StorySummary(
        story.slug, page_href(story.slug), title, dek, front.date.display(),
        front.date.machine(), annotated, title_text=plain_text(front.title),
        dek_text=plain_text(front.dek) if front.dek else "", byline=front.byline,
        publisher=front.publisher,
        updated_machine=front.updated.machine() if front.updated else "",
        corrections=tuple((c.date.machine(), plain_text(c.text)) for c in front.corrections),
        draft=front.draft, tags=tuple((tag, tag_slug(tag)) for tag in front.tags),
        quotes=tuple({"id": n.id, "quote": n.quote, "speaker": n.speaker,
                      "role": n.speaker_role, "date_text": n.date_text,
                      "source": n.source_text, "url": n.source_url,
                      "checked": n.verification, "reported": n.reported,
                      "attribution": n.attribution,
                      "source_key": source_key(n.source_text, n.source_url)}
                     for n in notes))


def newest_first(stories: list[StorySummary]) -> list[StorySummary]:
    """Newest first by publication date; on the same date, by headline (A-Z), then by
    file name."""
    by_title = sorted(stories, key=lambda s: (s.title_text.casefold(), s.slug))
    return sorted(by_title, key=lambda s: s.date_machine, reverse=True)


def tag_slug(tag: str) -> str:
    """The folder of a tag's page: 'Labor unions' -> 'labor-unions'."""
    from .annotations import slugify

    return slugify(tag, words=12)


def render_listing(env: jinja2.Environment, settings: SiteSettings,
                   stories: list[StorySummary], folder: str = "", heading: str = "",
                   description: str = "") -> dict[str, bytes]:
    """The index (folder '') or a tag's page (folder 'tags/<slug>/'), newest first, split
    into pages of `settings.per_page`: folder/index.html, folder/page/2/index.html..."""
    ordered = newest_first(stories)
    size = max(settings.per_page, 1)
    chunks = [ordered[i:i + size] for i in range(0, len(ordered), size)] or [[]]
    pages: dict[str, bytes] = {}

    def path(number: int) -> str:
        return folder + (f"page/{number}/" if number > 1 else "")
    for number, chunk in enumerate(chunks, start=1):
        here = path(number)
        root = "../" * here.count("/")

        def href(target: int, here_root: str = root) -> str:
            return here_root + path(target) + "index.html"
        canonical = settings.base_url + here if settings.base_url else ""
        html = env.get_template("index.html").render(
            site=settings, root=root, stories=chunk, canonical=canonical,
            heading=heading or settings.description or f"Stories from {settings.title}",
            description=description or settings.description or
            f"Annotated stories from {settings.title}",
            promise="Quotations in these stories carry notes: who said them, when, and in "
                    "which source document.", feed_url=feed_url(settings),
            page_number=number, page_count=len(chunks),
            previous=href(number - 1) if number > 1 else "",
            next=href(number + 1) if number < len(chunks) else "")
        pages[here + "index.html"] = html.encode("utf-8")
    return pages


def render_index(env: jinja2.Environment, settings: SiteSettings,
                 stories: list[StorySummary]) -> dict[str, bytes]:
    """The index pages and a page for each tag."""
    pages = render_listing(env, settings, stories)
    tags: dict[str, tuple[str, list[StorySummary]]] = {}
    for story in stories:
        for name, slug in story.tags:
            tags.setdefault(slug, (name, []))[1].append(story)
    for slug, (name, tagged) in sorted(tags.items()):
        pages.update(render_listing(env, settings, tagged, f"tags/{slug}/", heading=name,
                                    description=f"Stories about {name} from {settings.title}"))
    return pages


def render_not_found(env: jinja2.Environment, settings: SiteSettings) -> str:
    """404.html for static hosts: served at any address, so its links are absolute
    (to base_url, or to the host's root without one)."""
    home = settings.base_url or "/"
    return env.get_template("404.html").render(
        site=settings, root=home, canonical="", description="Page not found.",
        promise="", feed_url=feed_url(settings), home=home)


TEMPLATE_FIELDS = _fields()


def render_timeline(env: jinja2.Environment, settings: SiteSettings, story: Story,
                    notes: list[NoteView], anchors: list[Anchor]) -> str | None:
    """The story's timeline page (timeline/index.html), or None without dated quotes."""
    from .timeline import Item, items_in_order, svg

    by_id = {a.annotation.id: a.annotation for a in anchors}
    items = []
    for note in notes:
        when = by_id[note.id].shown_date
        if when is None:
            continue
        items.append(Item(shorten(note.quote, 70), note.source_short, when,
                          f"../index.html#{note.ids['quote']}"))
    if not items:
        return None
    ordered = [{"label": i.label, "source": i.source, "href": i.href,
                "date_text": i.when.display(), "machine": i.when.machine()}
               for i in items_in_order(items)]
    canonical = f"{settings.base_url}{url_quote(story.slug)}/timeline/" \
        if settings.base_url else ""
    return env.get_template("timeline.html").render(
        site=settings, root="../../", story=story.front, canonical=canonical,
        description=f"When each quoted source of \u201c{plain_text(story.front.title)}\u201d "
                    "was written", promise="", feed_url=feed_url(settings),
        title_html=plain_text(story.front.title),
        svg=svg(items, story.front.date), items=ordered,
        date_text=story.front.date.display(), date_machine=story.front.date.machine())
