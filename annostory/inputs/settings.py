"""The site's settings (`site.yaml`), read and checked, and the rule for the address a
site is served from (`base_url`, also `--base-url`)."""

from __future__ import annotations

import difflib
import re
import zoneinfo
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from ..core.diagnostics import Diagnostic, Position, error, warning
from . import schema
from .files import read_source
from .project import Project
from .yamltree import load_yaml

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


def timezone_problems(name: str, where: Position) -> list[Diagnostic]:
    """An error when `name` is not a time zone this machine knows (IANA names)."""
    try:
        zoneinfo.ZoneInfo(name)
        return []
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    known = sorted(zoneinfo.available_timezones())
    folded = {zone.casefold(): zone for zone in known}
    guess = folded.get(name.casefold()) or next(iter(difflib.get_close_matches(
        name, known, n=1, cutoff=0.6)), "")
    return [error("bad-timezone", f"'timezone': {name!r} is not a time zone",
                  where, hint=f"did you mean '{guess}'?" if guess else
                  "write an IANA name such as America/New_York, Europe/London or UTC")]


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
    logo: str = ""  # a file under images/, as site.yaml gives it
    # the logo as published (by the build: checked, re-encoded): its file under
    # assets/ and its size in pixels
    logo_src: str = ""
    logo_width: int = 0
    logo_height: int = 0
    punctuation_differs: str = "warn"  # or "error", "ignore": see checks.originals
    timezone: str = ""  # an IANA name: times in it are shown as "8:01 p.m. EDT"
    feed_size: int = 50  # the newest stories the feed carries


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
                if not diagnostics and doc.data.get("timezone"):
                    diagnostics = timezone_problems(doc.data["timezone"],
                                                    doc.position(("timezone",)))
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
                                            logo=data.get("logo", ""),
                                            punctuation_differs=data.get(
                                                "punctuation_differs", "warn"),
                                            timezone=data.get("timezone", ""),
                                            feed_size=data.get("feed_size", 50))
    else:
        diagnostics.append(warning("no-settings", "no site.yaml: using default settings",
                                   Position("site.yaml"),
                                   hint="create site.yaml with 'title:', 'base_url:', 'language:'"))
    if base_url is not None:
        settings = replace(settings, base_url=base_url)
    if settings.base_url and not settings.base_url.endswith("/"):
        settings = replace(settings, base_url=settings.base_url + "/")
    return settings, diagnostics
