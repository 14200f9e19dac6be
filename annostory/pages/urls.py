"""Where things are in the site: a story's page, a tag's folder, the entries of the
people and sources pages (one key per person and per document, wherever cited)."""

from __future__ import annotations

import hashlib
from urllib.parse import quote as url_quote

from ..core.words import key
from ..inputs.settings import SiteSettings


def page_href(slug: str) -> str:
    """A story's page, from the site's root."""
    return f"{url_quote(slug)}/index.html"


def person_key(name: str) -> str:
    """A person's entry on the people page (an id: any script, never shared by two
    names)."""
    return "person-" + key(name, max_words=8)


def source_key(text: str, url: str) -> str:
    """One document, wherever it is cited: by its address, else by its citation."""
    return "source-" + hashlib.sha256((url or text).encode()).hexdigest()[:12]


def tag_slug(tag: str) -> str:
    """The folder of a tag's page: 'Labor unions' -> 'labor-unions', '日本' -> '日本'
    (percent-encoded in links: `href_part`)."""
    return key(tag, max_words=12)


def href_part(text: str) -> str:
    """A folder name or fragment as it is written in a link (UTF-8, percent-encoded)."""
    return url_quote(text, safe="/")


def feed_url(settings: SiteSettings) -> str:
    """The feed's address: only with an absolute base URL (the feed is written only
    then; the preview's path base URL has none)."""
    absolute = settings.base_url.startswith(("http://", "https://"))
    return f"{settings.base_url}feed.xml" if absolute else ""
