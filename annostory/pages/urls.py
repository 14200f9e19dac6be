"""Where things are in the site: a story's page, a tag's folder, the entries of the
people and sources pages (one key per person and per document, wherever cited)."""

from __future__ import annotations

import hashlib
from urllib.parse import quote as url_quote

from ..core.words import slugify
from ..inputs.settings import SiteSettings


def page_href(slug: str) -> str:
    """A story's page, from the site's root."""
    return f"{url_quote(slug)}/index.html"


def person_key(name: str) -> str:
    return "person-" + slugify(name, words=8)


def source_key(text: str, url: str) -> str:
    """One document, wherever it is cited: by its address, else by its citation."""
    return "source-" + hashlib.sha256((url or text).encode()).hexdigest()[:12]


def tag_slug(tag: str) -> str:
    """The folder of a tag's page: 'Labor unions' -> 'labor-unions'."""
    return slugify(tag, words=12)


def feed_url(settings: SiteSettings) -> str:
    return f"{settings.base_url}feed.xml" if settings.base_url else ""
