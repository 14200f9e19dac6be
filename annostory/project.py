"""Where a project's files are, and its site settings (`site.yaml`).

A project is a folder with `content/`, `annotations/`, `templates/`, `static/`,
`schema/` and `site.yaml`. Stories are found by file name: `content/<slug>.md`
pairs with `annotations/<slug>.yaml`.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from . import schema
from .diagnostics import Diagnostic, Position, error, warning
from .sourcefile import read_source
from .yamltree import load_yaml

_LISTINGS: dict[Path, tuple[tuple[int, int, int], list[tuple[Path, str]]]] = {}
_NAMES: dict[tuple[int, str], tuple[list, dict[str, Path]]] = {}  # by listing


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def settings_file(self) -> Path:
        return self.root / "site.yaml"

    def story_file(self, slug: str) -> Path:
        return self._names("content", ".md").get(slug, self.content_dir / f"{slug}.md")

    def annotations_file(self, slug: str) -> Path:
        return self._names("annotations", ".yaml").get(
            slug, self.annotations_dir / f"{slug}.yaml")

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
        result = []
        for name in names:
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                continue
            result.append((directory / name, name))
        return result

    def file_name_problems(self) -> list[Diagnostic]:
        """Names a story or annotations file may not have: not UTF-8, or two names
        that differ only in Unicode normalisation."""
        found = []
        for folder in ("content", "annotations"):
            try:
                names = sorted(os.listdir(self.root / folder))
            except OSError:
                continue
            seen: dict[str, str] = {}
            for name in names:
                try:
                    name.encode("utf-8")
                except UnicodeEncodeError:
                    shown = os.fsencode(name).decode("ascii", "backslashreplace")
                    found.append(error(
                        "bad-file-name", f"the file name {folder}/{shown} is not valid UTF-8; "
                        "the file is left out", Position(folder),
                        hint="rename it with plain letters, digits and dashes"))
                    continue
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
        return sorted(self._names("content", ".md"))

    def orphan_annotations(self) -> list[Diagnostic]:
        """Annotation files whose story does not exist (usually a misspelt name)."""
        slugs = self.slugs()
        found = []
        for path, name in self._listing("annotations"):
            if name.startswith(".") or not (name.endswith(".yaml") or name.endswith(".yml")):
                continue
            stem = unicodedata.normalize("NFC", name.rsplit(".", 1)[0])
            if name.endswith(".yml"):
                found.append(error("wrong-extension", "annotation files end in .yaml",
                                   Position(f"annotations/{name}", 1, 1),
                                   hint=f"rename it to {path.stem}.yaml"))
                continue
            if stem not in slugs:
                guess = difflib.get_close_matches(stem, slugs, n=1, cutoff=0.5)
                hint = (f"did you mean annotations/{guess[0]}.yaml?" if guess else
                        f"the story would be content/{stem}.md")
                found.append(error("annotations-without-story",
                                   f"no story content/{stem}.md for this annotations file",
                                   Position(f"annotations/{name}", 1, 1), hint=hint))
        return found


_URL_TEXT = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=:@%/\[\]-]*")


def base_url_problem(value: str, *, allow_path: bool) -> str:
    """Why `value` cannot be the address the site is served from, or ''.
    An absolute http(s) address; for the preview also a path such as /stories/."""
    if not value:
        return ""
    if not _URL_TEXT.fullmatch(value):
        return (f"{value!r} holds characters that are not allowed in an address "
                "(spaces, quotes, <, >, control characters...)")
    if value.startswith("/") and allow_path:
        if value.startswith("//"):
            return f"{value!r} starts with '//'; write a path like /stories/"
        if any(part in (".", "..") for part in value.split("/")):
            return f"{value!r} contains '.' or '..' as a folder name"
        return ""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        expected = "an absolute http(s) address like https://example.org/stories/"
        if allow_path:
            expected += " or a path like /stories/"
        return f"{value!r} is not {expected}"
    if "@" in parts.netloc:
        return f"{value!r} contains a user name or password"
    return ""


@dataclass(frozen=True)
class SiteSettings:
    title: str = "Annotated stories"
    base_url: str = ""
    language: str = "en"
    description: str = ""
    footer: str = ""
    organization: str = ""
    organization_url: str = ""
    per_page: int = 20
    logo: str = ""  # a file under images/, copied to assets/


def load_settings(project: Project, base_url: str | None = None
                  ) -> tuple[SiteSettings, list[Diagnostic]]:
    settings = SiteSettings()
    diagnostics: list[Diagnostic] = []
    if project.settings_file.exists():
        source, diagnostics = read_source(project.settings_file, project.root)
        if source is not None:
            doc, diagnostics = load_yaml(source.text, source.display_name)
            if doc is not None:
                diagnostics = schema.validate(doc, "site.schema.json")
                problem = base_url_problem(doc.data.get("base_url", ""), allow_path=False) \
                    if not diagnostics else ""
                if problem:
                    diagnostics = [error("bad-url", f"'base_url': {problem}",
                                         doc.position(("base_url",)),
                                         hint="write it like https://example.org/stories/")]
                if not diagnostics:
                    data = doc.data
                    organization = data.get("organization", {})
                    settings = SiteSettings(title=data["title"],
                                            base_url=data.get("base_url", ""),
                                            language=data.get("language", "en"),
                                            description=data.get("description", ""),
                                            footer=data.get("footer", ""),
                                            organization=organization.get("name", ""),
                                            organization_url=organization.get("url", ""),
                                            per_page=data.get("per_page", 20),
                                            logo=data.get("logo", ""))
    else:
        diagnostics.append(warning("no-settings", "no site.yaml: using default settings",
                                   Position("site.yaml"),
                                   hint="create site.yaml with 'title:', 'base_url:', 'language:'"))
    if base_url is not None:
        settings = replace(settings, base_url=base_url)
    if settings.base_url and not settings.base_url.endswith("/"):
        settings = replace(settings, base_url=settings.base_url + "/")
    return settings, diagnostics
