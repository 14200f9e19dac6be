"""Links between the site's own files: a build never publishes a page that links to a
file it did not write (an override template naming an asset that neither the project's
static/ nor the built-in theme has, a renamed built-in file).

Every page a template makes links the same assets, so a sample is read: a few site
pages of each shape (the home page, an index, a page of an index, a person's page...:
an archive has thousands of people's pages, all from one template), and the pages of
one story made by this build (a page waiting in the cache is not read for this).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from urllib.parse import unquote

from ..core.diagnostics import Diagnostic, Position, error
from ..inputs.project import TEMPLATES
from ..output.files import SiteFiles

_LINK = re.compile(r"""\b(href|src|srcset)="([^"]*)\"""")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def targets(page: str, html: str, base_url: str = "") -> list[str]:
    """The site files a page links to (paths from the site's root). Links to the
    site's address (`base_url`, absolute or a path) are the site's own; other
    addresses with a scheme, or from the host's root, are not."""
    found = []
    base_path = "/" + base_url.split("//", 1)[-1].split("/", 1)[-1] if \
        _SCHEME.match(base_url) else (base_url or "/")
    for attribute, value in _LINK.findall(html):
        values = [part.strip().split(" ")[0] for part in value.split(",")] \
            if attribute == "srcset" else [value]
        for link in values:
            link = link.replace("&amp;", "&")
            if base_url and _SCHEME.match(base_url) and link.startswith(base_url):
                link = base_path + link[len(base_url):]
            if not link or link.startswith(("#", "//")) or _SCHEME.match(link):
                continue
            path = unquote(link.split("#")[0].split("?")[0])
            if path.startswith("/"):
                if not path.startswith(base_path):
                    continue  # elsewhere on the host
                path, folder = path[len(base_path):], ""
            else:
                folder = posixpath.dirname(page)
            found.append(posixpath.normpath(posixpath.join(folder, path)))
    return found


def broken_links(files: Mapping[str, bytes], pages: Iterable[str], base_url: str = ""
                 ) -> list[Diagnostic]:
    problems = []
    reported: set[str] = set()
    for page in pages:
        for target in targets(page, files[page].decode("utf-8", "replace"), base_url):
            if target in (".", "") or target in files or \
                    posixpath.join(target, "index.html") in files or target in reported:
                continue
            reported.add(target)
            problems.append(error(
                "broken-link", f"site/{page} links to {target}, which the site does not have",
                Position(TEMPLATES),
                hint="a template names a file that neither static/ nor the built-in theme "
                     "has: check the project's templates/ ('annostory theme diff')"))
    return problems


PER_SHAPE = 2  # site pages read of each shape


def shape(path: str) -> tuple[str, int, bool]:
    """What pages made by one template share: their folder, depth, and whether they
    are a later page of a list ('people/page-2/index.html')."""
    parts = path.split("/")
    return parts[0], len(parts), any(part.startswith("page-") for part in parts)


def sample(files: SiteFiles, story_folders: Iterable[str]) -> list[str]:
    """The pages to read: a few HTML pages of each shape outside the stories' folders,
    and those of the first story this build made (held in memory)."""
    stories = set(story_folders)
    pages = [path for path in files if path.endswith(".html") and files.made_now(path)]
    made = sorted(path.split("/", 1)[0] for path in pages if path.split("/", 1)[0] in stories)
    first = made[0] if made else None
    seen: dict[tuple, int] = {}
    chosen = []
    for path in pages:
        folder = path.split("/", 1)[0]
        if folder in stories:
            if folder == first:
                chosen.append(path)
            continue
        kind = shape(path)
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= PER_SHAPE:
            chosen.append(path)
    return chosen
