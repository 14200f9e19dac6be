"""The site's people and sources pages, made from every story's notes.

`people/index.html` lists each speaker (name, role) with every quote of theirs across
all stories; `sources/index.html` lists each source document (its citation, link and
whether its wording was checked), every quote drawn from it, and flags such as "the
story's attribution differs". A document cited by several stories is one entry
(the same address, or the same citation).
"""

from __future__ import annotations

from types import SimpleNamespace

import jinja2

from .project import SiteSettings
from .render import StorySummary, feed_url, newest_first, person_key


def pages(env: jinja2.Environment, settings: SiteSettings,
          stories: list[StorySummary]) -> dict[str, bytes]:
    if not any(story.quotes for story in stories):
        return {}
    people: dict[str, dict] = {}
    sources: dict[str, dict] = {}
    for story in newest_first(stories):
        for quote in story.quotes:
            item = SimpleNamespace(**quote, story=story.title_text,
                                   href=f"../{story.href}#quote-{quote['id']}")
            if quote["speaker"]:
                key = person_key(quote["speaker"])
                entry = people.setdefault(key, {"key": key, "name": quote["speaker"],
                                                "url": "", "reported": "", "flags": set(),
                                                "role": quote["role"], "quotes": []})
                entry["quotes"].append(item)
            entry = sources.setdefault(quote["source_key"], {"role": "",
                "key": quote["source_key"], "name": quote["source"], "url": quote["url"],
                "reported": quote["reported"], "quotes": [], "flags": set()})
            entry["quotes"].append(item)
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
            entries=[SimpleNamespace(**{**e, "flags": sorted(e.get("flags", ()))})
                     for e in entries],
            description=f"{heading} in the stories of {settings.title}", promise="",
            feed_url=feed_url(settings))
        files[f"{folder}/index.html"] = html.encode("utf-8")
    return files
