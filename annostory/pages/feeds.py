"""The site's machine-readable pages: an Atom feed of stories (RFC 4287) and a
sitemap (sitemaps.org), made from the story summaries.

Both need absolute addresses, so they are written only when the site's `base_url`
is known; the build says so otherwise. The feed carries the newest `feed_size`
stories; the sitemap lists every page with a canonical address, and becomes a
sitemap index of parts past 50,000 addresses. Dates keep their precision where the format
allows it and are completed to midnight UTC where a full timestamp is required.
"""

from __future__ import annotations

from html import escape as _escape

from ..inputs.settings import SiteSettings
from .base import PageContext, Pages, SiteView
from .summary import StorySummary, newest_first
from .text import sentence_end
from .urls import absolute_base

ATOM = "http://www.w3.org/2005/Atom"


def escape(text: str) -> str:
    """Text for XML character data (xml.sax.saxutils would import urllib, http, ssl)."""
    return _escape(text, quote=False)


def quoteattr(text: str) -> str:
    """A double-quoted XML attribute value."""
    return '"' + _escape(text, quote=True) + '"'


SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def timestamp(machine: str) -> str:
    """An RFC 3339 timestamp for a `FuzzyDate.machine()` value (YYYY, YYYY-MM,
    YYYY-MM-DD or a date-time): the first moment it can mean, in UTC when no offset."""
    if "T" in machine:
        date, time = machine.split("T", 1)
        offset = ""
        for sign in ("+", "-"):
            if sign in time:
                time, rest = time.split(sign, 1)
                offset = sign + rest
        if len(time) == 5:
            time += ":00"
        return f"{date}T{time}{offset or 'Z'}"
    parts = (machine.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def atom_feed(settings: SiteSettings, stories: list[StorySummary]) -> bytes:
    """The newest `settings.feed_size` stories."""
    base = settings.base_url
    ordered = newest_first(stories)[:max(settings.feed_size, 1)]
    updated = max((timestamp(s.modified) for s in ordered), default="1970-01-01T00:00:00Z")
    author = settings.organization or settings.title
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="{ATOM}" xml:lang={quoteattr(settings.language)}>',
             f"<title>{escape(settings.title)}</title>"]
    if settings.description:
        lines.append(f"<subtitle>{escape(settings.description)}</subtitle>")
    lines += [f"<id>{escape(base)}</id>",
              f'<link rel="self" type="application/atom+xml" href={quoteattr(base + "feed.xml")}/>',
              f'<link rel="alternate" type="text/html" href={quoteattr(base)}/>',
              f"<updated>{updated}</updated>",
              f"<author><name>{escape(author)}</name></author>"]
    for story in ordered:
        url = base + story.href
        lines += ["<entry>", f"<title>{escape(story.title_text)}</title>",
                  f"<id>{escape(url)}</id>",
                  f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                  f"<published>{timestamp(story.date_machine)}</published>",
                  f"<updated>{timestamp(story.modified)}</updated>"]
        if story.byline:
            lines.append(f"<author><name>{escape(story.byline)}</name></author>")
        lines.append(f"<summary>{escape(feed_summary(story))}</summary>")
        lines.append("</entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def feed_summary(story: StorySummary) -> str:
    """The dek, each correction and the notes' coverage, each a sentence of its own."""
    parts = [sentence_end(story.dek_text)] + [
        sentence_end(f"Correction ({date}): {text}") for date, text in story.corrections]
    parts.append(f"{story.coverage_text}.")
    return " ".join(part for part in parts if part)


SITEMAP_LIMIT = 50_000  # addresses in one sitemap file (sitemaps.org)


def addresses(stories: list[StorySummary], made: list[tuple[str, str]]
              ) -> list[tuple[str, str]]:
    """Every page with a canonical address (folder from the site's root, modified):
    each story's page and timeline, and the site pages made before the sitemap."""
    found = list(made)
    for story in sorted(stories, key=lambda s: s.slug):
        found.append((story.href, story.modified))
        if story.has_timeline:
            found.append((story.href + "timeline/", story.modified))
    return found


def _lastmod(machine: str) -> str:
    """A W3C Datetime with the date's own precision (YYYY, YYYY-MM or YYYY-MM-DD)."""
    return f"<lastmod>{machine.split('T')[0]}</lastmod>" if machine else ""


def sitemaps(settings: SiteSettings, pages: list[tuple[str, str]],
             limit: int = SITEMAP_LIMIT) -> dict[str, bytes]:
    """sitemap.xml; past `limit` addresses, a sitemap index (sitemap.xml) of
    sitemap-1.xml, sitemap-2.xml, ... of `limit` addresses each."""
    base = settings.base_url
    chunks = [pages[i:i + limit] for i in range(0, len(pages), limit)] or [[]]

    def urlset(chunk: list[tuple[str, str]]) -> bytes:
        lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP}">']
        lines += [f"<url><loc>{escape(base + folder)}</loc>{_lastmod(modified)}</url>"
                  for folder, modified in chunk]
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode("utf-8")
    if len(chunks) == 1:
        return {"sitemap.xml": urlset(chunks[0])}
    files = {f"sitemap-{n}.xml": urlset(chunk) for n, chunk in enumerate(chunks, start=1)}
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{SITEMAP}">']
    for n, chunk in enumerate(chunks, start=1):
        newest = max((modified for _, modified in chunk), default="")
        lines.append(f"<sitemap><loc>{escape(base)}sitemap-{n}.xml</loc>"
                     f"{_lastmod(newest)}</sitemap>")
    lines.append("</sitemapindex>")
    files["sitemap.xml"] = ("\n".join(lines) + "\n").encode("utf-8")
    return files


NEEDS_ADDRESS = ("feed.xml, sitemap.xml and each story's annotations.jsonld were not "
                 "written: every address in them is absolute, and the site has none (set "
                 "base_url in site.yaml, or --base-url)")


def feed_page(context: PageContext, site: SiteView) -> Pages:
    """feed.xml, with an absolute base URL (the note without one speaks for every file
    that needs it)."""
    if not absolute_base(context.settings):
        return Pages(notes=[NEEDS_ADDRESS])
    return Pages({"feed.xml": atom_feed(context.settings, site.stories)})


def sitemap_page(context: PageContext, site: SiteView) -> Pages:
    """sitemap.xml (and its parts), with an absolute base URL: registered after every
    other site page kind, whose addresses it lists."""
    if not absolute_base(context.settings):
        return Pages()
    return Pages(sitemaps(context.settings, addresses(site.stories, site.addresses)))
