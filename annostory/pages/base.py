"""The shape every page kind has.

A page kind is a function of the page context (settings, templates) and of what it is
made from, returning `Pages`: files by path, and notes on what was left out. A story
page kind is made from one compiled story (`StoryView`), on the story's core, and its
paths are relative to the story's folder; a site page kind is made from every story's
summary (`SiteView`) and its paths are relative to the site's root.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

import jinja2

from ..anchoring.anchored import AnchoredStory
from ..checks.base import Findings
from ..checks.coverage import Coverage
from ..checks.images import Pictures
from ..inputs.settings import SiteSettings
from ..inputs.story import Story
from .notes import NoteView
from .summary import StorySummary


@dataclass(frozen=True)
class PageContext:
    settings: SiteSettings
    env: jinja2.Environment


@dataclass
class Pages:
    files: dict = field(default_factory=dict)  # path -> bytes (or a deferred file)
    notes: list[str] = field(default_factory=list)  # what was left out, and why
    # the pages among them that have a canonical address: (folder from the site's
    # root, when it last changed), for the sitemap
    addresses: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class StoryView:
    """A compiled story, as its page kinds see it. `made` holds the files the kinds
    before this one made (a kind registered after another may read them)."""

    slug: str
    anchored: AnchoredStory
    findings: Findings
    notes: list[NoteView]  # in reading order, numbered
    coverage: Coverage
    pictures: Pictures
    made: dict[str, bytes] = field(default_factory=dict)

    @property
    def story(self) -> Story:
        assert self.anchored.story is not None
        return self.anchored.story


class PageMemo(Protocol):
    """Site pages an earlier build made, by a key hashing what each is made from (the
    memo adds the templates, the settings and annostory itself): a build that changes
    one story makes again only the pages that change with it."""

    def get(self, key: str, path: str) -> Any | None:
        """The page made under `key` (a deferred file), to be written at `path`."""

    def put(self, key: str, data: bytes) -> Any | None:
        """Keep a page made under `key`; the deferred file it now is (None when it
        cannot be kept)."""


@dataclass(frozen=True)
class SiteView:
    """Every story of the site, as the site's page kinds see them."""

    stories: list[StorySummary]
    lines: Mapping[str, bytes]  # each story's lines of the people and sources pages
    assets: Mapping[str, bytes]  # the static files, as read
    lines_sha: Mapping[str, str] = field(default_factory=dict)  # each story's lines' SHA-256
    memo: PageMemo | None = None  # site pages earlier builds made
    # the addresses of the site pages made so far (see Pages.addresses): a kind
    # registered after another reads them (the sitemap)
    addresses: list[tuple[str, str]] = field(default_factory=list)


T = TypeVar("T")


@dataclass(frozen=True)
class PageKind(Generic[T]):
    make: Callable[[PageContext, T], Pages]
    # who makes a path of a site page, in messages (a story's files are its story's)
    made_by: Callable[[str], str] | None = None
