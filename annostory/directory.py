"""The site's people and sources pages, made from every story's notes.

`people/index.html` lists each speaker (name, role) with every quote of theirs across
all stories; `sources/index.html` lists each source document (its citation, link and
whether its wording was checked), every quote drawn from it, and flags such as "the
story's attribution differs". A document cited by several stories is one entry
(the same address, or the same citation).

Each quote's line on both pages is rendered with its story (`with_lines`, from
`templates/directory-quote.html`), so it is made on the story's core and cached
with it; the pages themselves only put the lines of every story together.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import jinja2
from markupsafe import Markup

from .project import SiteSettings
from .render import StorySummary, feed_url, newest_first, person_key

LINE_TEMPLATE = "directory-quote.html"


# What the pages need of a quote once its lines are rendered (the rest of the note is
# in the lines, and is not kept in memory and in the cache a second time).
KEPT = ("speaker", "role", "source_key", "source", "url", "reported", "attribution")


def with_lines(env: jinja2.Environment, summary: StorySummary) -> StorySummary:
    """The summary with each quote's line for the people and the sources page
    (raises jinja2.TemplateError on template mistakes)."""
    line = env.get_template(LINE_TEMPLATE).module.line  # type: ignore[attr-defined]
    quotes = []
    for quote in summary.quotes:
        view = SimpleNamespace(**quote, story=summary.title_text,
                               href=f"../{summary.href}#quote-{quote['id']}")
        quotes.append({**{key: quote[key] for key in KEPT},
                       "people_line": str(line(view, "people")),
                       "sources_line": str(line(view, "sources"))})
    return replace(summary, quotes=tuple(quotes))


def pages(env: jinja2.Environment, settings: SiteSettings,
          stories: list[StorySummary]) -> dict[str, bytes]:
    if not any(story.quotes for story in stories):
        return {}
    people: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    for story in newest_first(stories):
        for quote in story.quotes:
            if quote["speaker"]:
                key = person_key(quote["speaker"])
                entry = people.setdefault(key, {"key": key, "name": quote["speaker"],
                                                "url": "", "reported": "", "flags": set(),
                                                "role": quote["role"], "lines": []})
                entry["lines"].append(quote["people_line"])
            entry = sources.setdefault(quote["source_key"], {"role": "",
                "key": quote["source_key"], "name": quote["source"], "url": quote["url"],
                "reported": quote["reported"], "lines": [], "flags": set()})
            entry["lines"].append(quote["sources_line"])
            if quote["attribution"]:
                entry["flags"].add("the story\u2019s attribution differs from the source")
    files = {}
    for folder, heading, entries in (
            ("people", "People quoted", sorted(people.values(), key=lambda e: e["name"])),
            ("sources", "Source documents", sorted(sources.values(),
                                                   key=lambda e: e["name"]))):
        canonical = f"{settings.base_url}{folder}/" if settings.base_url else ""
        html = env.get_template("directory.html").render(
            site=settings, root="../", canonical=canonical, heading=heading, kind=folder,
            entries=[SimpleNamespace(key=e["key"], name=e["name"], url=e["url"],
                                     role=e["role"], reported=e["reported"],
                                     flags=sorted(e["flags"]), count=len(e["lines"]),
                                     quotes_html=Markup("\n".join(e["lines"])))
                     for e in entries],
            description=f"{heading} in the stories of {settings.title}", promise="",
            feed_url=feed_url(settings))
        files[f"{folder}/index.html"] = html.encode("utf-8")
    return files
