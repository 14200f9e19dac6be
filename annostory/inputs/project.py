"""A project: its folder, and every input it has, declared once (`INPUTS`).

Each input is a folder or a file of the project with its role, and how a change to it
reaches a build: a story's own files (`content/<slug>.md` and
`annotations/<slug>.yaml`, paired by name) key that story; shared inputs (templates,
settings) key every story; files a compile reads on demand (originals under
`sources/`, images under `images/`) are recorded by the compile that read them; the
site's own files (`static/`) key the site. The cache key, the preview's watch list,
the output guard and every module's folder names derive from `INPUTS`.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..core.characters import UNSAFE, printable
from ..core.diagnostics import Diagnostic, Position, error, warning

Keyed = Literal["story", "shared", "read", "site"]


@dataclass(frozen=True)
class Input:
    """One kind of input of a project."""

    name: str
    path: str  # relative to the project
    folder: bool
    role: str
    keyed: Keyed  # how a change to it reaches the build (see the module's docstring)


INPUTS = (
    Input("content", "content", True, "the stories, Markdown with front matter", "story"),
    Input("annotations", "annotations", True, "each story's notes, YAML", "story"),
    Input("templates", "templates", True, "page templates (Jinja) that replace built-in ones",
          "shared"),
    Input("settings", "site.yaml", False, "the site's settings", "shared"),
    Input("static", "static", True, "files published under assets/ (CSS, scripts...), "
          "replacing built-in ones", "site"),
    Input("images", "images", True, "photos, body images and the logo", "read"),
    Input("sources", "sources", True, "originals that quotes are checked against", "read"),
)
# Not inputs, but never a place for a site: what annostory keeps in the project
# (the editor schemas, the cache), and the repository.
CACHE_FOLDER = ".annostory-cache"
DEFAULT_OUT = "site"  # where `build` writes the site unless told (--out)
SCHEMA_FOLDER = "schema"
KEPT_FOLDERS = (SCHEMA_FOLDER, CACHE_FOLDER, ".git")


def usable_name(name: str) -> bool:
    """May a file of the project be called so (valid UTF-8, no control characters)?"""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not UNSAFE.search(name) and "\n" not in name and "\t" not in name


def input_named(name: str) -> Input:
    return next(kind for kind in INPUTS if kind.name == name)


CONTENT = input_named("content").path
ANNOTATIONS = input_named("annotations").path
TEMPLATES = input_named("templates").path
STATIC = input_named("static").path
IMAGES = input_named("images").path
SOURCES = input_named("sources").path
SETTINGS = input_named("settings").path

_LISTINGS: dict[Path, tuple[tuple[int, int, int], list[tuple[Path, str]]]] = {}
_NAMES: dict[tuple[int, str], tuple[list, dict[str, Path]]] = {}  # by listing


@dataclass(frozen=True)
class Project:
    root: Path

    def path(self, name: str) -> Path:
        """Where the input called `name` is (see INPUTS)."""
        return self.root / input_named(name).path

    @property
    def templates_dir(self) -> Path:
        return self.root / TEMPLATES

    @property
    def static_dir(self) -> Path:
        return self.root / STATIC

    @property
    def settings_file(self) -> Path:
        return self.root / SETTINGS

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_FOLDER

    def inputs(self, keyed: Keyed | None = None) -> list[tuple[Input, Path]]:
        """Every input (or those keyed as `keyed`) and where it is."""
        return [(kind, self.root / kind.path) for kind in INPUTS
                if keyed is None or kind.keyed == keyed]

    def protected(self) -> list[tuple[str, Path]]:
        """(name, path) of every folder and file a site may never be written to or
        into: the inputs, and what annostory keeps in the project."""
        return [(kind.path, path) for kind, path in self.inputs()] + [
            (name, self.root / name) for name in KEPT_FOLDERS]

    def story_file(self, slug: str) -> Path:
        found = self._names(CONTENT, ".md").get(slug)
        return found if found is not None else self.root / CONTENT / f"{slug}.md"

    def annotations_file(self, slug: str) -> Path:
        found = self._names(ANNOTATIONS, ".yaml").get(slug)
        return found if found is not None else self.root / ANNOTATIONS / f"{slug}.yaml"

    def _names(self, folder: str, suffix: str) -> dict[str, Path]:
        """NFC file stem -> path, for files ending in `suffix` with a usable name.
        Names are compared in Unicode NFC, so a story saved as 'Zoë' (composed) pairs
        with annotations saved as 'Zoë' (decomposed, as some file systems do)."""
        listing = self._listing(folder)
        cached = _NAMES.get((id(listing), suffix))
        if cached is not None and cached[0] is listing:
            return cached[1]
        found: dict[str, Path] = {}
        for path, name in listing:
            if name.endswith(suffix) and not name.startswith("."):
                found.setdefault(unicodedata.normalize("NFC", name[:-len(suffix)]), path)
        if len(_NAMES) > 64:  # the preview makes a new listing on every change
            _NAMES.clear()
        _NAMES[(id(listing), suffix)] = (listing, found)
        return found

    def _listing(self, folder: str) -> list[tuple[Path, str]]:
        """(path, name) of the folder's entries whose names are UTF-8, sorted; read
        again only when the folder changed (its modification time)."""
        directory = self.root / folder
        try:
            info = directory.stat()
            key = (info.st_ino, info.st_mtime_ns, info.st_size)
            cached = _LISTINGS.get(directory)
            if cached is not None and cached[0] == key:
                return cached[1]
            names = sorted(os.listdir(directory))
        except OSError:
            return []
        result = self._usable(directory, names)
        _LISTINGS[directory] = (key, result)
        return result

    @staticmethod
    def _usable(directory: Path, names: list[str]) -> list[tuple[Path, str]]:
        return [(directory / name, name) for name in names if usable_name(name)]

    def file_name_problems(self) -> list[Diagnostic]:
        """Names a story or annotations file may not have: not UTF-8, holding control
        characters (a story's name becomes a folder of the site), two names that differ
        only in Unicode normalisation, or only in capitals (one file on many hosts)."""
        found = []
        for folder in (CONTENT, ANNOTATIONS):
            try:
                names = sorted(os.listdir(self.root / folder))
            except OSError:
                continue
            seen: dict[str, str] = {}
            cased: dict[str, str] = {}
            for name in names:
                if not usable_name(name):
                    shown = printable(os.fsencode(name).decode("utf-8", "backslashreplace")
                                      ).replace("\n", "\\n").replace("\t", "\\t")
                    found.append(error(
                        "bad-file-name", f"the file name {folder}/{shown} is not valid UTF-8 "
                        "or holds control characters; the file is left out", Position(folder),
                        hint="rename it with plain letters, digits and dashes"))
                    continue
                folded = unicodedata.normalize("NFC", name).casefold()
                if folded in cased and not name.startswith("."):
                    found.append(warning(
                        "file-name-case", f"{folder}/{cased[folded]} and {folder}/{name} differ "
                        "only in capitals: on macOS, Windows and many web hosts they are one "
                        "file, and their pages one folder", Position(f"{folder}/{name}", 1, 1),
                        hint="rename one of them"))
                cased.setdefault(folded, name)
                key = unicodedata.normalize("NFC", name)
                if key in seen:
                    found.append(error(
                        "duplicate-file-name",
                        f"{folder}/{seen[key]!a} and {folder}/{name!a} have the same name, "
                        "written with different Unicode forms (composed and decomposed "
                        "accents)", Position(f"{folder}/{name}", 1, 1),
                        hint="keep one of them"))
                seen.setdefault(key, name)
        return found

    def slugs(self) -> list[str]:
        return sorted(self._names(CONTENT, ".md"))

    def orphan_annotations(self) -> list[Diagnostic]:
        """Annotation files whose story does not exist (usually a misspelt name)."""
        slugs = self.slugs()
        known = set(slugs)
        found = []
        for path, name in self._listing(ANNOTATIONS):
            if name.startswith(".") or not (name.endswith(".yaml") or name.endswith(".yml")):
                continue
            stem = unicodedata.normalize("NFC", name.rsplit(".", 1)[0])
            if name.endswith(".yml"):
                found.append(error("wrong-extension", "annotation files end in .yaml",
                                   Position(f"annotations/{name}", 1, 1),
                                   hint=f"rename it to {path.stem}.yaml"))
                continue
            if stem not in known:
                guess = difflib.get_close_matches(stem, slugs, n=1, cutoff=0.5)
                hint = (f"did you mean annotations/{guess[0]}.yaml?" if guess else
                        f"the story would be content/{stem}.md")
                found.append(error("annotations-without-story",
                                   f"no story content/{stem}.md for this annotations file",
                                   Position(f"annotations/{name}", 1, 1), hint=hint))
        return found
