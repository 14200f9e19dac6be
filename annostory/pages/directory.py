"""The site's people and sources pages, made from every story's notes.

`people/index.html` lists each speaker (name, role) with every quote of theirs across
all stories; `sources/index.html` lists each source document (its citation, link and
whether its wording was checked), every quote drawn from it, and flags such as "the
story's attribution differs". A document cited by several stories is one entry
(the same address, or the same citation).

Each quote's line on both pages is rendered with its story (`with_lines`, from
`templates/directory-quote.html`), so it is made on the story's core and cached
with it (like the page, it waits in the cache, not in memory); the pages themselves
only put the lines of every story together.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from collections.abc import Mapping
from dataclasses import replace
from types import SimpleNamespace

import jinja2
from markupsafe import Markup

from ..inputs.settings import SiteSettings
from .base import PageContext, Pages, SiteView
from .notes import document_line
from .summary import StorySummary, newest_first
from .urls import feed_url, person_key

LINE_TEMPLATE = "directory-quote.html"


# What the pages need of a quote once its lines are rendered (the rest of the note is
# in the lines, and is not kept in memory and in the cache a second time).
KEPT = ("speaker", "role", "source_key", "source", "url", "reported", "attribution", "state",
        "against")


def with_lines(env: jinja2.Environment, summary: StorySummary
               ) -> tuple[StorySummary, bytes]:
    """The summary keeping of each quote what the pages group by, and the quotes'
    lines for the people and the sources page, in order, as UTF-8 JSON pairs (they
    wait beside the story's page, in the cache, until the pages are made). Raises
    jinja2.TemplateError on template mistakes."""
    line = env.get_template(LINE_TEMPLATE).module.line  # type: ignore[attr-defined]
    quotes, lines = [], []
    for quote in summary.quotes:
        view = SimpleNamespace(**quote, story=summary.title_text,
                               href=f"../{summary.href}#quote-{quote['id']}")
        quotes.append(kept(quote))
        lines.append((str(line(view, "people")), str(line(view, "sources"))))
    return replace(summary, quotes=tuple(quotes)), json.dumps(
        lines, ensure_ascii=False).encode("utf-8")


def kept(quote: dict) -> dict:
    """What the pages group a quote by, its texts shared with every other quote's
    (a name or a source repeats across thousands of stories)."""
    return {key: sys.intern(str(quote[key])) for key in KEPT}


def pages(env: jinja2.Environment, settings: SiteSettings, stories: list[StorySummary],
          lines: Mapping[str, bytes]) -> dict[str, bytes]:
    """The people and sources pages. `lines` gives each story's quote lines (see
    `with_lines`) by slug, read when the story's turn comes."""
    if not any(story.quotes for story in stories):
        return {}
    people: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    for story in newest_first(stories):
        pairs = json.loads(lines[story.slug]) if story.quotes else []
        for quote, (people_line, sources_line) in zip(story.quotes, pairs, strict=True):
            if quote["speaker"]:
                key = person_key(quote["speaker"])
                entry = people.setdefault(key, {"key": key, "name": quote["speaker"],
                                                "url": "", "reported": "", "flags": set(),
                                                "role": quote["role"], "lines": []})
                entry["lines"].append(people_line.encode("utf-8"))
            entry = sources.setdefault(quote["source_key"], {"role": "",
                "key": quote["source_key"], "name": quote["source"], "url": quote["url"],
                "reported": quote["reported"], "lines": [], "flags": set(), "states": [],
                "against": ""})
            entry["lines"].append(sources_line.encode("utf-8"))
            entry["states"].append(quote["state"])
            entry["against"] = entry["against"] or quote["against"]
            if quote["attribution"]:
                entry["flags"].add("the story\u2019s attribution differs from the source")
    files = {}
    for folder, heading, entries in (
            ("people", "People quoted", sorted(people.values(), key=lambda e: e["name"])),
            ("sources", "Source documents", sorted(sources.values(),
                                                   key=lambda e: e["name"]))):
        canonical = f"{settings.base_url}{folder}/" if settings.base_url else ""
        # Each entry's lines go into the page where the template puts `quotes_html`:
        # the template is rendered with a stand-in for them, and the lines (UTF-8,
        # as read) are put in its place, so the largest part of the page is never
        # copied through the template engine (at 2,000 stories, 16 MB a page).
        token = secrets.token_hex(8)
        html = env.get_template("directory.html").render(
            site=settings, root="../", canonical=canonical, heading=heading, kind=folder,
            entries=[SimpleNamespace(key=e["key"], name=e["name"], url=e["url"],
                                     role=e["role"], reported=document_line(
                                         e.get("states", []), e.get("against", ""),
                                         e["reported"]),
                                     flags=sorted(e["flags"]), count=len(e["lines"]),
                                     quotes_html=Markup(f"<!--{token}:{i}-->"))
                     for i, e in enumerate(entries)],
            description=f"{heading} in the stories of {settings.title}", promise="",
            feed_url=feed_url(settings))
        pieces = re.split(f"<!--{token}:([0-9]+)-->", html)
        page = bytearray()
        for k, piece in enumerate(pieces):
            page += b"\n".join(entries[int(piece)]["lines"]) if k % 2 else \
                piece.encode("utf-8")
        files[f"{folder}/index.html"] = bytes(page)
    return files


def directory_pages(context: PageContext, site: SiteView) -> Pages:
    return Pages(pages(context.env, context.settings, site.stories, site.lines))
