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
from .feeds import feed_page, sitemap_page
from .jsonld import annotations_file
from .listing import index_pages, not_found_page
from .share import share_card, site_card_file
from .story_page import story_page
from .timeline import timeline_page


def _assets(context: PageContext, site: SiteView) -> Pages:
    """The static files (the project's, and the built-in theme's it does not replace),
    and the site's share card."""
    return Pages({**site_card_file(context.settings), **site.assets})  # static/ wins


STORY_PAGES: Ruler[PageKind[StoryView]] = Ruler()
STORY_PAGES.push("share", PageKind(share_card))  # before the pages that name it
STORY_PAGES.push("story", PageKind(story_page))
STORY_PAGES.push("timeline", PageKind(timeline_page))
STORY_PAGES.after("story", "annotations", PageKind(annotations_file))  # reads the page

SITE_PAGES: Ruler[PageKind[SiteView]] = Ruler()
SITE_PAGES.push("index", PageKind(
    index_pages, lambda path: "templates/index.html (the index and tag pages)"))
SITE_PAGES.push("404", PageKind(
    not_found_page, lambda path: "templates/404.html (the page for missing addresses)"))
SITE_PAGES.push("directory", PageKind(
    directory_pages, lambda path: "templates/directory.html (the people, sources and tags "
                                  "pages)"))
SITE_PAGES.push("feed", PageKind(feed_page, lambda path: "the feed of the newest stories"))
SITE_PAGES.push("assets", PageKind(
    _assets, lambda path: "static/" + path.removeprefix("assets/") + (
        " (or the site's share card)" if path == "assets/share.png" else "")))
SITE_PAGES.push("sitemap", PageKind(  # last: it lists the addresses of the pages before it
    sitemap_page, lambda path: "the sitemap of every page"))
