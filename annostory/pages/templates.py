"""The Jinja environment pages are rendered with, and template errors as diagnostics.

Templates come from the project's `templates/` (read through the same checks as every
other input: a template, or an included one, that links out of the project is
refused) and, for any name the project does not have, from the built-in theme
(`inputs.theme`). Autoescaping is on and undefined names are errors
(StrictUndefined): every value from YAML is escaped where it is inserted, and a
template typo fails the build with the template's name and line instead of printing
an empty string. Compiled templates are kept in the user's cache folder.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import traceback
from dataclasses import fields
from pathlib import Path

import jinja2
import jinja2.bccache

from ..core.diagnostics import Diagnostic, Position, error
from ..core.usercache import prune, user_cache
from ..inputs.files import read_checked_bytes
from ..inputs.project import TEMPLATES
from ..inputs.theme import THEME_TEMPLATES, built_in_templates
from .urls import link

# What templates can use, for "did you mean" on a misspelt name.
TEMPLATE_VARIABLES = frozenset({"site", "root", "story", "slug", "canonical", "title_html",
                                "dek_html", "body_html", "date_text", "date_machine", "notes",
                                "stories", "description", "promise", "feed_url", "json_ld",
                                "updated_text", "updated_machine", "corrections", "home",
                                "quotations", "covered", "documents", "heading",
                                "page_number", "page_count", "previous", "next",
                                "tag_slugs", "photo", "photo_sizes", "svg", "items",
                                "has_timeline", "title_text", "coverage_text", "link",
                                "annotations_url", "kind", "groups", "entry",
                                "quotes_html", "og_image"})


class TemplateRefused(jinja2.TemplateError):
    """A template file the reader refused (a link out of the project, not a file...)."""

    def __init__(self, name: str, message: str, code: str = "not-a-file") -> None:
        super().__init__(message)
        self.name = name
        self.code = code


class ProjectTemplateLoader(jinja2.BaseLoader):
    """Templates from the project's `templates/`, else from the built-in theme."""

    def __init__(self, templates_dir: Path, project_root: Path) -> None:
        self.templates_dir = templates_dir
        self.project_root = project_root

    def get_source(self, environment: jinja2.Environment, template: str):
        parts = [p for p in template.replace("\\", "/").split("/") if p not in ("", ".")]
        if ".." in parts or not parts:
            raise jinja2.TemplateNotFound(template)
        path = self.templates_dir.joinpath(*parts)
        if not path.exists() and not path.is_symlink():
            return _built_in(template, parts)
        raw, problems = read_checked_bytes(path, self.project_root)
        if raw is None:
            raise TemplateRefused(template, problems[0].message, problems[0].code)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateRefused(template, f"{TEMPLATES}/{template} is not UTF-8",
                                  "not-utf8") from exc
        mtime = path.stat().st_mtime
        return text, str(path), lambda: path.exists() and path.stat().st_mtime == mtime


def _built_in(template: str, parts: list[str]):
    path = THEME_TEMPLATES.joinpath(*parts)
    if not path.is_file():
        raise jinja2.TemplateNotFound(template)
    text = path.read_text("utf-8")
    return text, str(path), lambda: True


class KeptTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, where a file that cannot be read (truncated,
    damaged) is removed and the template compiled again, instead of failing every
    build (Jinja lets a broken pickle through)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # any damage: compile again
            bucket.reset()
            with contextlib.suppress(OSError):
                os.unlink(self._get_cache_filename(bucket))


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates, kept in the user's cache folder (outside the project, so
    nothing a project contains is ever run); Jinja keys them by the template's text.
    The folder is kept within its bounds (`core.usercache.prune`)."""
    folder = user_cache() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    prune(folder)
    return KeptTemplates(str(folder))


def make_environment(templates_dir: Path, project_root: Path | None = None
                     ) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=ProjectTemplateLoader(templates_dir, project_root or templates_dir.parent),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["link"] = link
    return env


def template_problem(exc: Exception, templates_dir: Path, project_root: Path) -> Diagnostic:
    """A template error as a diagnostic at the template's line."""
    file, line = TEMPLATES, 0
    if isinstance(exc, TemplateRefused):
        return error(exc.code, str(exc), Position(f"{TEMPLATES}/{exc.name}", 1, 1),
                     hint=f"copy the template into {TEMPLATES}/ instead of linking to it")
    if isinstance(exc, jinja2.TemplateNotFound):
        return error("template-missing", f"{TEMPLATES}/{exc.name} does not exist, and the "
                     "site needs it", Position(f"{TEMPLATES}/{exc.name}", 0, 0),
                     hint="the built-in templates are " + ", ".join(built_in_templates())
                     + f"; a template of the project's {TEMPLATES}/ may include only those "
                       "and its own")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = _shown(exc.filename, templates_dir, project_root) if exc.filename \
            else f"{TEMPLATES}/{exc.name or '?'}", exc.lineno or 0
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            shown = _shown(frame.filename, templates_dir, project_root) if frame.filename \
                else ""
            if shown:
                file, line = shown, frame.lineno or 0
                break
    return error("template", f"template error: {exc}", Position(file, line, 1),
                 hint=_template_hint(str(exc)))


def _shown(filename: str, templates_dir: Path, project_root: Path) -> str:
    """How a template file is named in messages ('' when it is not a template)."""
    path = Path(filename).resolve()
    if path.is_relative_to(templates_dir.resolve()):
        return path.relative_to(project_root.resolve()).as_posix()
    if path.is_relative_to(THEME_TEMPLATES):
        return f"{TEMPLATES}/{path.relative_to(THEME_TEMPLATES).as_posix()} (built in)"
    return ""


def _template_hint(message: str) -> str:
    """A "did you mean" for a misspelt template variable or field."""
    default = "check the name against the variables listed in templates/README.md"
    found = re.search(r"has no attribute '([^']+)'", message) or re.search(
        r"'([^']+)' is undefined", message)
    if not found:
        return default
    known = template_fields() if "has no attribute" in message else TEMPLATE_VARIABLES
    guess = difflib.get_close_matches(found.group(1), sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{guess[0]}'?" if guess else default


def template_fields() -> frozenset[str]:
    """Every field of the records templates are given."""
    from ..inputs.settings import SiteSettings
    from ..inputs.story import FrontMatter
    from .notes import NoteView
    from .summary import StorySummary

    return frozenset(f.name for cls in (SiteSettings, FrontMatter, NoteView, StorySummary)
                     for f in fields(cls))
