"""What the site's own pages know of a story (`StorySummary`: the index card, the
feed and sitemap entry, the quotes for the people and sources pages): plain, small
and cacheable, made when the story is compiled."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..inputs.markdown import story_markdown, without_links
from ..inputs.story import Story
from .notes import NoteView
from .text import coverage_text, plain_text
from .urls import page_href, tag_slug


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
    quotations: int = 0  # the story's quotations (its coverage, as its page states it)
    covered: int = 0  # of which carry a note
    has_timeline: bool = False  # it has a timeline page (timeline/)

    @property
    def modified(self) -> str:
        """When it last changed (machine form): updated, else published."""
        return self.updated_machine or self.date_machine

    @property
    def coverage_text(self) -> str:
        return coverage_text(self.covered, self.quotations)


def summary(story: Story, annotated: int, notes: list[NoteView] = (), quotations: int = 0,
            covered: int = 0, zone: str = "", has_timeline: bool = False) -> StorySummary:
    """An index card: headline and dek as text (the card is a link: no link in a link)."""
    md = story_markdown()
    front = story.front
    title = Markup(md.renderer.render(without_links(md.parseInline(front.title)),
                                      md.options, {}))
    dek = Markup(md.renderer.render(without_links(md.parseInline(front.dek)), md.options,
                                    {})) if front.dek else Markup("")
    return StorySummary(
        story.slug, page_href(story.slug), title, dek, front.date.display(zone),
        front.date.machine(), annotated, title_text=plain_text(front.title),
        dek_text=plain_text(front.dek) if front.dek else "", byline=front.byline,
        publisher=front.publisher,
        updated_machine=front.updated.machine() if front.updated else "",
        corrections=tuple((c.date.machine(), plain_text(c.text)) for c in front.corrections),
        draft=front.draft, tags=tuple((tag, tag_slug(tag)) for tag in front.tags),
        quotes=tuple({"id": n.id, "quote": n.quote, "speaker": n.speaker,
                      "role": n.speaker_role, "date_text": n.date_text,
                      "date_machine": n.date_machine, "source": n.source_text,
                      "source_short": n.source_short, "url": n.source_url,
                      "checked": n.verification, "reported": n.reported,
                      "attribution": n.attribution, "state": n.state, "against": n.against,
                      "source_folder": n.document_folder, "document_date": n.document_date,
                      "speaker_folder": n.speaker_folder, "speaker_sort": n.speaker_sort}
                     for n in notes), quotations=quotations, covered=covered,
        has_timeline=has_timeline)


def newest_first(stories: list[StorySummary]) -> list[StorySummary]:
    """Newest first by publication date; on the same date, by headline (A-Z), then by
    file name."""
    by_title = sorted(stories, key=lambda s: (s.title_text.casefold(), s.slug))
    return sorted(by_title, key=lambda s: s.date_machine, reverse=True)
