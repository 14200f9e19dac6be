"""Where things are in the site, and how a link to them is written.

Every page lives in a folder (`<slug>/`, `tags/<slug>/`, `people/<id>/`,
`sources/<id>/`). Served from a known address (`base_url`), a link to a page ends in
`/`, the canonical form readers see and share; without one (a site opened from disk),
links name the folder's `index.html`, so `file://` browsing works (`folder_link`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote as url_quote

import jinja2

from ..core.words import key
from ..inputs.settings import SiteSettings

_WORDS = re.compile(r"[^\W_]+")


def page_href(slug: str) -> str:
    """A story's folder, from the site's root (percent-encoded, ends in '/')."""
    return f"{url_quote(slug)}/"


def folder_link(folder: str, pretty: bool) -> str:
    """A link to a page: `folder` (relative, percent-encoded, '' or ending in '/', with
    a '#fragment' kept after it) as written in the site."""
    path, hash_mark, fragment = folder.partition("#")
    if path and not path.endswith("/"):
        return folder  # a file, not a page
    written = path if pretty else path + "index.html"
    return (written or "./") + hash_mark + fragment


def pretty_links(settings: SiteSettings) -> bool:
    """Whether links to pages end in '/': when the site has an address to be served from."""
    return bool(settings.base_url)


@jinja2.pass_context
def link(context, folder: str = "") -> str:
    """The template function `link('people/')`: a link to a page from the page being
    rendered (its `root` before `folder`), written as `folder_link` says."""
    site = context.get("site")
    pretty = bool(site is not None and getattr(site, "base_url", ""))
    return folder_link(context.get("root", "") + folder, pretty)


def person_id(name: str) -> str:
    """A person's folder under people/ (any script, never shared by two names)."""
    return key(name, max_words=8)


def person_key(name: str) -> str:
    """A person's entry on a page (an id)."""
    return "person-" + person_id(name)


def source_id(text: str, url: str, short: str = "") -> str:
    """One document's folder under sources/, wherever it is cited: by its address,
    else by its citation; readable words of its short citation first."""
    digest = hashlib.sha256((url or text).encode()).hexdigest()[:8]
    words = "-".join(_WORDS.findall(unicodedata.normalize("NFKC", short).casefold())[:8])
    return f"{words}-{digest}" if words else digest


def source_key(text: str, url: str) -> str:
    """One document's entry on a page (an id)."""
    return "source-" + hashlib.sha256((url or text).encode()).hexdigest()[:12]


def tag_slug(tag: str) -> str:
    """The folder of a tag's page: 'Labor unions' -> 'labor-unions', '日本' -> '日本'
    (percent-encoded in links: `href_part`)."""
    return key(tag, max_words=12)


def href_part(text: str) -> str:
    """A folder name or fragment as it is written in a link (UTF-8, percent-encoded)."""
    return url_quote(text, safe="/")


def absolute_base(settings: SiteSettings) -> str:
    """The site's absolute address ('' without one, or with the preview's path)."""
    base = settings.base_url
    return base if base.startswith(("http://", "https://")) else ""


def feed_url(settings: SiteSettings) -> str:
    """The feed's address: only with an absolute base URL (the feed is written only
    then; the preview's path base URL has none)."""
    base = absolute_base(settings)
    return f"{base}feed.xml" if base else ""
