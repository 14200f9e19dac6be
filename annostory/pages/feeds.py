"""The site's machine-readable pages: an Atom feed of stories (RFC 4287) and a
sitemap (sitemaps.org), made from the story summaries.

Both need absolute addresses, so they are written only when the site's `base_url`
is known; `skipped` says so otherwise. Dates keep their precision where the format
allows it and are completed to midnight UTC where a full timestamp is required.
"""

from __future__ import annotations

from html import escape as _escape

from ..inputs.settings import SiteSettings
from .base import PageContext, Pages, SiteView
from .summary import StorySummary, newest_first
from .text import sentence_end

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
    base = settings.base_url
    ordered = newest_first(stories)
    updated = max((timestamp(s.updated_machine or s.date_machine) for s in ordered),
                  default="1970-01-01T00:00:00Z")
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
        url = base + story.href.removesuffix("index.html")
        lines += ["<entry>", f"<title>{escape(story.title_text)}</title>",
                  f"<id>{escape(url)}</id>",
                  f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                  f"<published>{timestamp(story.date_machine)}</published>",
                  f"<updated>{timestamp(story.updated_machine or story.date_machine)}</updated>"]
        if story.byline:
            lines.append(f"<author><name>{escape(story.byline)}</name></author>")
        parts = [sentence_end(story.dek_text)] + [
            sentence_end(f"Correction ({date}): {text}") for date, text in story.corrections]
        parts.append(f"{story.coverage_text}.")
        lines.append(f"<summary>{escape(' '.join(p for p in parts if p))}</summary>")
        lines.append("</entry>")
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap(settings: SiteSettings, stories: list[StorySummary]) -> bytes:
    base = settings.base_url
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP}">',
             f"<url><loc>{escape(base)}</loc></url>"]
    for story in sorted(stories, key=lambda s: s.slug):
        url = base + story.href.removesuffix("index.html")
        modified = (story.updated_machine or story.date_machine).split("T")[0]
        lastmod = f"<lastmod>{modified}</lastmod>" if modified.count("-") == 2 else ""
        lines.append(f"<url><loc>{escape(url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def site_files(settings: SiteSettings, stories: list[StorySummary]
               ) -> tuple[dict[str, bytes], list[str]]:
    """(files, what was skipped and why)."""
    if not settings.base_url or not settings.base_url.startswith(("http://", "https://")):
        return {}, ["feed.xml and sitemap.xml were not written: they need the site's "
                    "address (set base_url in site.yaml, or --base-url)"]
    return {"feed.xml": atom_feed(settings, stories),
            "sitemap.xml": sitemap(settings, stories)}, []


def feed_and_sitemap(context: PageContext, site: SiteView) -> Pages:
    files, skipped = site_files(context.settings, site.stories)
    return Pages(files, skipped)
