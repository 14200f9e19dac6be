"""Every kind of page the site has, in order: `STORY_PAGES` (made from one compiled
story, beside its page) and `SITE_PAGES` (made from every story's summary).

To add a page kind: write a function `(PageContext, StoryView | SiteView) -> Pages` in
a module of this package (copy `listing.py`'s `not_found_page`), and register it here
with the words messages use for what makes its files.
"""

from __future__ import annotations

from ..core.ruler import Ruler
from .base import PageContext, PageKind, Pages, SiteView, StoryView
from .directory import directory_pages
from .feeds import feed_and_sitemap
from .jsonld import annotations_file
from .listing import index_pages, not_found_page
from .story_page import story_page
from .timeline import timeline_page


def _assets(context: PageContext, site: SiteView) -> Pages:
    """The static files (the project's, and the built-in theme's it does not replace)."""
    return Pages(dict(site.assets))


STORY_PAGES: Ruler[PageKind[StoryView]] = Ruler()
STORY_PAGES.push("story", PageKind(story_page))
STORY_PAGES.push("timeline", PageKind(timeline_page))
STORY_PAGES.after("story", "annotations", PageKind(annotations_file))  # reads the page

SITE_PAGES: Ruler[PageKind[SiteView]] = Ruler()
SITE_PAGES.push("index", PageKind(
    index_pages, lambda path: "templates/index.html (the index and tag pages)"))
SITE_PAGES.push("404", PageKind(
    not_found_page, lambda path: "templates/404.html (the page for missing addresses)"))
SITE_PAGES.push("directory", PageKind(
    directory_pages, lambda path: "templates/directory.html (the people and sources pages)"))
SITE_PAGES.push("feeds", PageKind(
    feed_and_sitemap, lambda path: f"the {path.split('.')[0]} of every story"))
SITE_PAGES.push("assets", PageKind(
    _assets, lambda path: "static/" + path.removeprefix("assets/")))
