"""The site's listings: the index and a page for each tag (newest first, paginated),
and the page static hosts show for a missing address (404.html)."""

from __future__ import annotations

import jinja2

from ..inputs.settings import SiteSettings
from .base import PageContext, Pages, SiteView
from .share import site_share
from .summary import StorySummary, newest_first
from .urls import feed_url, folder_link, href_part, pretty_links


def render_listing(env: jinja2.Environment, settings: SiteSettings,
                   stories: list[StorySummary], folder: str = "", heading: str = "",
                   description: str = "") -> Pages:
    """The index (folder '') or a tag's page (folder 'tags/<slug>/'), newest first, split
    into pages of `settings.per_page`: folder/index.html, folder/page/2/index.html..."""
    ordered = newest_first(stories)
    size = max(settings.per_page, 1)
    chunks = [ordered[i:i + size] for i in range(0, len(ordered), size)] or [[]]
    made = Pages()
    pretty = pretty_links(settings)

    def path(number: int) -> str:
        return folder + (f"page/{number}/" if number > 1 else "")
    for number, chunk in enumerate(chunks, start=1):
        here = path(number)
        root = "../" * here.count("/")

        def href(target: int, here_root: str = root) -> str:
            return folder_link(here_root + href_part(path(target)), pretty)
        canonical = settings.base_url + href_part(here) if settings.base_url else ""
        html = env.get_template("index.html").render(
            site=settings, root=root, stories=chunk, canonical=canonical,
            heading=heading or settings.description or f"Stories from {settings.title}",
            description=description or settings.description or
            f"Annotated stories from {settings.title}",
            promise="Quotations in these stories carry notes: who said them, when, and in "
                    "which source document.", feed_url=feed_url(settings),
            page_number=number, page_count=len(chunks), og_image=site_share(settings),
            previous=href(number - 1) if number > 1 else "",
            next=href(number + 1) if number < len(chunks) else "")
        made.files[here + "index.html"] = html.encode("utf-8")
        made.addresses.append((here, max((s.modified for s in chunk), default="")))
    return made


def render_index(env: jinja2.Environment, settings: SiteSettings,
                 stories: list[StorySummary]) -> Pages:
    """The index pages and a page for each tag."""
    made = render_listing(env, settings, stories)
    tags: dict[str, tuple[str, list[StorySummary]]] = {}
    for story in stories:
        for name, slug in story.tags:
            tags.setdefault(slug, (name, []))[1].append(story)
    for slug, (name, tagged) in sorted(tags.items()):
        more = render_listing(env, settings, tagged, f"tags/{slug}/", heading=name,
                              description=f"Stories about {name} from {settings.title}")
        made.files.update(more.files)
        made.addresses += more.addresses
    return made


def render_not_found(env: jinja2.Environment, settings: SiteSettings) -> str:
    """404.html for static hosts: served at any address, so its links are absolute
    (to base_url, or to the host's root without one)."""
    home = settings.base_url or "/"
    return env.get_template("404.html").render(
        site=settings, root=home, canonical="", description="Page not found.",
        promise="", feed_url=feed_url(settings), home=home, og_image=site_share(settings))


def index_pages(context: PageContext, site: SiteView) -> Pages:
    return render_index(context.env, context.settings, site.stories)


def not_found_page(context: PageContext, site: SiteView) -> Pages:
    return Pages({"404.html": render_not_found(context.env, context.settings).encode("utf-8")})
