"""HTML pages from a compiled story, through the Jinja templates in `templates/`.

Autoescaping is on and undefined names are errors (StrictUndefined): every value
from YAML is escaped where it is inserted, and a template typo fails the build
instead of printing an empty string. Only HTML made by markdown-it (with raw
HTML off and links checked) is marked safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote as url_quote

import jinja2
from markupsafe import Markup

from .anchoring import Anchor, element_ids
from .markdown import render_note, story_markdown, without_links
from .model import Annotation
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


@dataclass(frozen=True)
class StorySummary:
    slug: str
    href: str  # relative to the site root
    title: Markup
    dek: Markup
    date_text: str
    date_machine: str
    annotated: int


# What templates can use, for "did you mean" on a misspelt name.
TEMPLATE_VARIABLES = frozenset({"site", "root", "story", "slug", "canonical", "title_html",
                                "dek_html", "body_html", "date_text", "date_machine", "notes",
                                "stories"})


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


def note_view(number: int, anchor: Anchor) -> NoteView:
    a: Annotation = anchor.annotation
    date = a.shown_date
    source = a.source
    return NoteView(
        id=a.id, ids=element_ids(a.id), number=number,
        quote=anchor.run.text[anchor.start:anchor.end],
        speaker=a.speaker.name if a.speaker else "", speaker_role=a.speaker.role if a.speaker
        else "", date_text=date.display() if date else "",
        date_machine=date.machine() if date else "", source_text=source.describe(),
        source_url=source.url, verification=source.verification_text,
        reports=tuple((r.describe(), r.url) for r in source.reported_by),
        source_note=inline_markdown(source.note), note=inline_markdown(a.note),
        in_headline=anchor.run.part != "body")


def page_href(slug: str) -> str:
    return f"{url_quote(slug)}/index.html"


def render_story_page(env: jinja2.Environment, settings: SiteSettings, story: Story,
                      notes: list[NoteView]) -> str:
    md = story_markdown()
    render = md.renderer.render
    front = story.front
    canonical = f"{settings.base_url}{url_quote(story.slug)}/" if settings.base_url else ""
    return env.get_template("story.html").render(
        site=settings, root="../", story=front, slug=story.slug, canonical=canonical,
        title_html=Markup(render(story.title_tokens, md.options, story.env)),
        dek_html=Markup(render(story.dek_tokens, md.options, story.env)),
        body_html=Markup(render(story.body_tokens, md.options, story.env)),
        date_text=front.date.display(), date_machine=front.date.machine(), notes=notes)


def summary(story: Story, annotated: int) -> StorySummary:
    """An index card: headline and dek as text (the card is a link: no link in a link)."""
    md = story_markdown()
    title = Markup(md.renderer.render(without_links(md.parseInline(story.front.title)),
                                      md.options, {}))
    dek = Markup(md.renderer.render(without_links(md.parseInline(story.front.dek)), md.options,
                                    {})) if story.front.dek else Markup("")
    return StorySummary(story.slug, page_href(story.slug), title, dek,
                        story.front.date.display(), story.front.date.machine(), annotated)


def render_index(env: jinja2.Environment, settings: SiteSettings,
                 stories: list[StorySummary]) -> str:
    ordered = sorted(stories, key=lambda s: (s.date_machine, s.slug), reverse=True)
    canonical = settings.base_url or ""
    return env.get_template("index.html").render(site=settings, root="", stories=ordered,
                                                 canonical=canonical)


TEMPLATE_FIELDS = _fields()
