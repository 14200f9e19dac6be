"""The site's people, sources and tags: an index of each, and a page per person
(`people/<id>/`) and per source document (`sources/<id>/`) with their quotes.

`people/` lists everyone quoted, sorted by family name (`pages.names`) and filed
under letters; `sources/` lists the documents quoted, newest first (undated ones
last); `tags/` lists the tags. Each lists names and counts only, and is split into
pages of `NAMES_PER_PAGE`; a person's or a document's page lists its quotes (a
person's by the date of the words, newest first; a document's by story), `QUOTES_PER_PAGE`
a page, and the stories they are in. No page grows with the size of the archive.

Each quote's line on those pages is rendered with its story (`with_lines`, from
`templates/directory-quote.html`), so it is made on the story's core and cached with
it; the pages only put the lines of every story together. A line's links start with
`ROOT`, replaced by the way to the site's root of the page it goes on. Those pages
are most of a large site: each is planned first (`EntryPage`, with a key hashing what
it is made from), and only the pages an earlier build did not make (`PageMemo`) are
made, from the lines of their stories alone.
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
import secrets
import sys
from array import array
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import NamedTuple

import jinja2
from markupsafe import Markup

from ..core.spill import Spill
from ..inputs.settings import SiteSettings
from .base import PageContext, PageMemo, Pages, SiteView
from .names import collation_key, filed_under
from .notes import document_line
from .share import site_share
from .summary import StorySummary, newest_first
from .urls import feed_url, folder_link, href_part, pretty_links

LINE_TEMPLATE = "directory-quote.html"
ROOT = "<!--root-->"  # in a line's links; never in escaped text (it holds a '<')
NAMES_PER_PAGE = 300
QUOTES_PER_PAGE = 200
LETTERS_FROM = 20  # an index this long is filed under letters


def with_lines(context: PageContext, summary: StorySummary
               ) -> tuple[StorySummary, bytes]:
    """The summary keeping of each quote what the pages group by, and the quotes'
    lines for a person's and a document's page, in order, as UTF-8 JSON pairs (they
    wait beside the story's page, in the cache, until the pages are made). Raises
    jinja2.TemplateError on template mistakes."""
    env, pretty = context.env, pretty_links(context.settings)
    line = env.get_template(LINE_TEMPLATE).module.line  # type: ignore[attr-defined]
    quotes, lines = [], []
    for quote in summary.quotes:
        def to(folder: str) -> Markup:
            return Markup(ROOT) + folder_link(folder, pretty)
        view = SimpleNamespace(
            **quote, story=summary.title_text,
            href=to(f"{summary.href}#quote-{quote['id']}"),
            speaker_href=to(f"people/{href_part(quote['speaker_folder'])}/")
            if quote["speaker"] else "",
            source_href=to(f"sources/{href_part(quote['source_folder'])}/"))
        quotes.append(kept(quote))
        lines.append((str(line(view, "people")), str(line(view, "sources"))))
    return replace(summary, quotes=tuple(quotes)), json.dumps(
        lines, ensure_ascii=False).encode("utf-8")


class KeptQuote(NamedTuple):
    """What the pages need of a quote once its lines are rendered (the rest of the note
    is in the lines, not kept in memory and in the cache a second time): a tuple, a
    fraction of a dict's memory (200,000 of them at 10,000 stories), stored in the
    cache as a JSON list."""

    speaker: str
    role: str
    speaker_folder: str
    speaker_sort: str
    source: str
    source_short: str
    url: str
    source_folder: str
    document_date: str
    reported: str
    attribution: str
    state: str
    against: str
    date_machine: str


KEPT = KeptQuote._fields


def kept(quote: dict | list) -> KeptQuote:
    """What the pages group a quote by (from a note's dict, or the cache's list), its
    texts shared with every other quote's (a name or a source repeats across thousands
    of stories). Raises TypeError on a list of another length."""
    if isinstance(quote, dict):
        return KeptQuote(*(sys.intern(str(quote.get(key, ""))) for key in KEPT))
    if len(quote) != len(KEPT):
        raise TypeError("a kept quote of another shape")
    return KeptQuote._make(map(sys.intern, quote))  # TypeError on anything but text


@dataclass
class Entry:
    """A person or a document, as the pages list it."""

    folder: str
    name: str
    sort: tuple = ()
    role: str = ""
    url: str = ""
    date: str = ""  # a document's own date (machine form)
    reported: str = ""
    against: str = ""
    flags: set = field(default_factory=set)
    states: Counter = field(default_factory=Counter)  # how many quotes of each state
    lines: list = field(default_factory=list)  # (story's slug, quote order), in order
    # slug -> (title, href, date text, date machine), newest story first
    stories: dict = field(default_factory=dict)
    modified: str = ""  # the newest of its stories' (machine form)

    @property
    def check(self) -> str:
        return document_line(self.states, self.against, self.reported)


def gather(stories: list[StorySummary]) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """Every person and every document, with which quote of which story each of its
    lines is, in the order of their pages: newest story first; within a story, a
    person's by the date of the words (newest first, undated after), a document's as
    the story has them. The lines themselves are read only for the pages made again
    (`EntryPage`)."""
    people: dict[str, Entry] = {}
    sources: dict[str, Entry] = {}
    for story in newest_first(stories):
        about = (story.title_text, story.href, story.date_text, story.date_machine)
        said: dict[str, list] = {}  # a person's quotes in this story
        for order, quote in enumerate(story.quotes):
            if quote.speaker:
                person = people.get(quote.speaker_folder)
                if person is None:
                    person = people[quote.speaker_folder] = Entry(
                        quote.speaker_folder, quote.speaker,
                        collation_key(quote.speaker_sort or quote.speaker), role=quote.role)
                when = quote.date_machine
                said.setdefault(quote.speaker_folder, []).append(
                    (not when, _descending(when), order))
            document = sources.get(quote.source_folder)
            if document is None:
                document = sources[quote.source_folder] = Entry(
                    quote.source_folder, quote.source, url=quote.url,
                    date=quote.document_date, reported=quote.reported)
            document.lines.append((story.slug, order))
            document.states[quote.state] += 1
            document.against = document.against or quote.against
            if story.slug not in document.stories:
                document.stories[story.slug] = about
                document.modified = max(document.modified, story.modified)
            if quote.attribution:
                document.flags.add("the story\u2019s attribution differs from the source")
        for folder, quotes in said.items():
            person = people[folder]
            person.lines.extend((story.slug, order) for *_, order in sorted(quotes))
            person.stories[story.slug] = about
            person.modified = max(person.modified, story.modified)
    return people, sources


@functools.lru_cache(maxsize=4096)
def _descending(machine: str) -> tuple:
    """A date's machine form, sorting newest first."""
    return tuple(-ord(ch) for ch in machine)


def people_order(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.sort, e.folder))


def sources_order(entries: list[Entry]) -> list[Entry]:
    """Newest first by the document's own date; undated documents after, A to Z."""
    dated = sorted((e for e in entries if e.date), key=lambda e: (e.date, e.name),
                   reverse=True)
    undated = sorted((e for e in entries if not e.date),
                     key=lambda e: (collation_key(e.name), e.folder))
    return dated + undated


@dataclass(frozen=True)
class Paged:
    """One page of a list split into pages: its folder, and its neighbours'."""

    folder: str  # e.g. 'people/' or 'people/page/2/'
    number: int
    count: int
    previous: str
    next: str


def paginate(folder: str, total: int, size: int) -> list[Paged]:
    """The pages a list of `total` items takes, `size` a page: folder/, then
    folder/page/2/, ..."""
    count = max(1, -(-total // size))

    def at(number: int) -> str:
        return folder + (f"page/{number}/" if number > 1 else "")
    return [Paged(at(n), n, count, at(n - 1) if n > 1 else "", at(n + 1) if n < count
                  else "") for n in range(1, count + 1)]


def _root(folder: str) -> str:
    return "../" * folder.count("/")


def _relative(target: str, here: str, pretty: bool) -> str:
    """A link from page `here` to page `target` (both folders from the site root,
    ending in '/'), the shortest way."""
    if not target:
        return ""
    path = posixpath.relpath(target or ".", here or ".")
    return folder_link("" if path == "." else href_part(path) + "/", pretty)


@dataclass(frozen=True)
class EntryPage:
    """One page of a person's or a document's quotes, before it is made: which quotes
    (story, and the quote's place in it), in order, and a key hashing everything the
    page is made from but the templates and settings (which the memo's own key adds):
    a page whose key an earlier build made is taken as it was."""

    kind: str
    entry: Entry
    page: Paged
    runs: tuple  # (story's slug, (quote order, ...)) in the page's order
    key: str


def planned(kind: str, entry: Entry, lines_sha: Mapping[str, str]) -> list[EntryPage]:
    """A person's or a document's pages: its quotes under the stories they are in
    (newest story first), `QUOTES_PER_PAGE` quotes a page."""
    ordered = entry.lines
    header = [kind, entry.name, entry.role, entry.url, entry.check if kind == "sources"
              else "", sorted(entry.flags), len(ordered), len(entry.stories)]
    made = []
    for page in paginate(f"{kind}/{entry.folder}/", len(ordered), QUOTES_PER_PAGE):
        start = (page.number - 1) * QUOTES_PER_PAGE
        runs: list[tuple[str, list[int]]] = []  # the quotes of each story, in turn
        for slug, order in ordered[start:start + QUOTES_PER_PAGE]:
            if not runs or runs[-1][0] != slug:
                runs.append((slug, []))
            runs[-1][1].append(order)
        key = hashlib.sha256(repr((header, page)).encode())
        for slug, orders in runs:  # a story's lines and its headline, date and link
            key.update("\0".join((slug, lines_sha[slug], *entry.stories[slug],
                                   str(len(orders)), "")).encode())
            key.update(array("q", orders).tobytes())
        made.append(EntryPage(kind, entry, page, tuple((slug, tuple(orders))
                                                       for slug, orders in runs),
                              key.hexdigest()))
    return made


class Renderer:
    """Renders the directory pages of one build."""

    def __init__(self, env: jinja2.Environment, settings: SiteSettings) -> None:
        self.env, self.settings = env, settings
        self.pretty = pretty_links(settings)
        self.addresses: list[tuple[str, str]] = []  # (folder, modified)
        self.shared = site_share(settings)

    def common(self, here: str) -> dict:
        base = self.settings.base_url
        return {"site": self.settings, "root": _root(here), "feed_url": feed_url(self.settings),
                "canonical": base + href_part(here) if base else "", "promise": "",
                "og_image": self.shared}

    def index(self, kind: str, heading: str, entries: list[dict], modified: str
              ) -> dict[str, bytes]:
        """An index (people, sources or tags), `NAMES_PER_PAGE` entries a page."""
        files = {}
        for page in paginate(f"{kind}/", len(entries), NAMES_PER_PAGE):
            start = (page.number - 1) * NAMES_PER_PAGE
            chunk = entries[start:start + NAMES_PER_PAGE]
            for entry in chunk:
                entry["href"] = _relative(entry["folder"], page.folder, self.pretty)
            letters = []  # (letter, entries) for people and tags; a short list is one
            for entry in chunk:
                if len(entries) < LETTERS_FROM:
                    entry = {**entry, "letter": ""}
                if not letters or letters[-1][0] != entry["letter"]:
                    letters.append((entry["letter"], []))
                letters[-1][1].append(SimpleNamespace(**entry))
            html = self.env.get_template("directory.html").render(
                **self.common(page.folder), kind=kind, heading=heading,
                description=f"{heading} in the stories of {self.settings.title}",
                groups=letters, page_number=page.number, page_count=page.count,
                previous=_relative(page.previous, page.folder, self.pretty),
                next=_relative(page.next, page.folder, self.pretty))
            files[page.folder + "index.html"] = html.encode("utf-8")
            self.addresses.append((page.folder, modified))
        return files

    def entry_page(self, made: EntryPage, runs: list[list[bytes]]) -> bytes:
        """A page of a person's or a document's quotes, given each story's quote lines
        (UTF-8, as the story's compile made them)."""
        page, entry, kind = made.page, made.entry, made.kind
        token = secrets.token_hex(8)
        groups = []
        for i, (slug, _) in enumerate(made.runs):
            title, href, date_text, date_machine = entry.stories[slug]
            groups.append(SimpleNamespace(
                title=title, href=folder_link(_root(page.folder) + href, self.pretty),
                date_text=date_text, date_machine=date_machine,
                quotes_html=Markup(f"<!--{token}:{i}-->")))
        html = self.env.get_template("directory-entry.html").render(
            **self.common(page.folder), kind=kind,
            heading=entry.name, description=_entry_description(kind, entry, self.settings),
            entry=SimpleNamespace(name=entry.name, role=entry.role, url=entry.url,
                                  check=entry.check if kind == "sources" else "",
                                  flags=sorted(entry.flags), count=len(entry.lines),
                                  story_count=len(entry.stories)),
            groups=groups, page_number=page.number, page_count=page.count,
            previous=_relative(page.previous, page.folder, self.pretty),
            next=_relative(page.next, page.folder, self.pretty))
        return _with_lines(html, token, runs, _root(page.folder).encode())


def _with_lines(html: str, token: str, runs: list[list[bytes]], root: bytes) -> bytes:
    """The page with each story's quote lines (UTF-8, as read) put where the template
    wrote that group's `quotes_html`, their links made relative to the page: the
    largest part of the page is never copied through the template engine."""
    pieces = re.split(f"<!--{token}:([0-9]+)-->", html)
    page = bytearray()
    for k, piece in enumerate(pieces):
        page += b"\n".join(runs[int(piece)]).replace(ROOT.encode(), root) if k % 2 \
            else piece.encode("utf-8")
    return bytes(page)


def _entry_description(kind: str, entry: Entry, settings: SiteSettings) -> str:
    count = len(entry.lines)
    quotes = "1 quote" if count == 1 else f"{count:,} quotes"
    if kind == "people":
        return f"{quotes} of {entry.name} in the stories of {settings.title}"
    return f"{quotes} from {entry.name}, in the stories of {settings.title}"


def _count_words(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def pages(env: jinja2.Environment, settings: SiteSettings, stories: list[StorySummary],
          lines: Mapping[str, bytes], lines_sha: Mapping[str, str],
          memo: PageMemo | None = None) -> tuple[dict[str, object], list[tuple[str, str]]]:
    """The people, sources and tags pages, and their addresses (folder, modified).
    `lines` gives each story's quote lines (see `with_lines`) by slug, and `lines_sha`
    their SHA-256. A page of a person's or a document's quotes that `memo` holds is
    taken from it (a build that changes one story makes again only the pages listing
    its quotes); only the lines of the pages made are read, each story's once, and
    kept in a temporary file (`core.spill`) with the pages made, not in memory."""
    people, sources = gather(stories)
    renderer = Renderer(env, settings)
    newest = max((s.modified for s in stories), default="")
    files: dict[str, object] = {}
    files.update(renderer.index("people", "People quoted", [
        {"folder": f"people/{e.folder}/", "name": e.name, "letter": filed_under(e.sort[1]),
         "role": e.role, "count": _count_words(len(e.lines), "quote", "quotes"),
         "stories": _count_words(len(e.stories), "story", "stories"), "check": ""}
        for e in people_order(list(people.values()))], newest))
    files.update(renderer.index("sources", "Source documents", [
        {"folder": f"sources/{e.folder}/", "name": e.name, "letter": "", "role": "",
         "count": _count_words(len(e.lines), "quote", "quotes"),
         "stories": _count_words(len(e.stories), "story", "stories"), "check": e.check}
        for e in sources_order(list(sources.values()))], newest))
    files.update(renderer.index("tags", "Tags", tag_entries(stories), newest))
    to_make: list[EntryPage] = []
    for kind, entries in (("people", people), ("sources", sources)):
        for entry in entries.values():
            for made in planned(kind, entry, lines_sha):
                path = made.page.folder + "index.html"
                renderer.addresses.append((made.page.folder, entry.modified))
                kept_page = memo.get(made.key, path) if memo is not None else None
                if kept_page is not None:
                    files[path] = kept_page
                else:
                    to_make.append(made)
    spill = Spill()
    places = _spilled_lines(spill, lines, {slug for made in to_make for slug, _ in made.runs})
    for made in to_make:
        side = 0 if made.kind == "people" else 1
        runs = [[spill.get(*places[slug][order][side]) for order in orders]
                for slug, orders in made.runs]
        html = renderer.entry_page(made, runs)
        stored = memo.put(made.key, html) if memo is not None else None
        files[made.page.folder + "index.html"] = stored if stored is not None \
            else spill.keep(html)
    return files, renderer.addresses


def _spilled_lines(spill: Spill, lines: Mapping[str, bytes], slugs: set[str]
                   ) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """The quote lines of these stories (JSON: [people line, sources line] per quote),
    each story's read once and kept in `spill`; where each line is."""
    places = {}
    for slug in sorted(slugs):
        encoded = [(a.encode("utf-8"), b.encode("utf-8")) for a, b in json.loads(lines[slug])]
        offset, _ = spill.put(b"".join(a + b for a, b in encoded))
        where = places[slug] = []
        for a, b in encoded:
            where.append(((offset, len(a)), (offset + len(a), len(b))))
            offset += len(a) + len(b)
    return places


def tag_entries(stories: list[StorySummary]) -> list[dict]:
    """Every tag, A to Z, with how many stories carry it."""
    tags: dict[str, list] = {}
    for story in stories:
        for name, slug in story.tags:
            tags.setdefault(slug, [name, 0])[1] += 1
    ordered = sorted(tags.items(), key=lambda item: (collation_key(item[1][0]), item[0]))
    return [{"folder": f"tags/{slug}/", "name": name, "letter": filed_under(name),
             "role": "", "count": _count_words(count, "story", "stories"), "stories": "",
             "check": ""} for slug, (name, count) in ordered]


def directory_pages(context: PageContext, site: SiteView) -> Pages:
    files, addresses = pages(context.env, context.settings, site.stories, site.lines,
                             site.lines_sha, site.memo)
    return Pages(files, addresses=addresses)

