"""The built-in theme: templates and static files that ship with annostory.

A project's own `templates/` and `static/` override these file by file; anything a
project does not have comes from here, so a project needs neither folder, and an
upgrade of annostory brings every fix to what the project did not change.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

from ..core.diagnostics import Diagnostic, Position, warning
from ..core.invocation import command
from .files import read_checked_bytes
from .project import STATIC, TEMPLATES, Project

THEME = Path(__file__).resolve().parent.parent / "theme"
THEME_TEMPLATES = THEME / "templates"
THEME_STATIC = THEME / "static"
MAX_ASSET_BYTES = 20 * 1024 * 1024  # a file under static/


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*")
                  if not path.name.startswith(".") and not (path.is_dir() and
                                                             not path.is_symlink()))


def static_files(project: Project) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """Every static file as site/assets/...: the project's own (read through the checks
    every input goes through; links out of the project refused), and the built-in
    theme's where the project has no file of that name."""
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    own: set[str] = set()  # the project's names, read or refused
    for path in _files(project.static_dir):
        name = "assets/" + path.relative_to(project.static_dir).as_posix()
        own.add(name)
        data, refused = read_checked_bytes(path, project.root, limit=MAX_ASSET_BYTES)
        if data is None:
            problems.extend(refused)
            continue
        files[name] = data
    for path in _files(THEME_STATIC):
        name = "assets/" + path.relative_to(THEME_STATIC).as_posix()
        if name not in own:
            files[name] = path.read_bytes()
    return dict(sorted(files.items())), problems


def built_in_templates() -> list[str]:
    return [path.relative_to(THEME_TEMPLATES).as_posix() for path in _files(THEME_TEMPLATES)
            if path.suffix == ".html"]


# An override started with `annostory theme copy` begins with a comment naming the
# built-in file it was copied from and a digest of it then.
_COPIED = re.compile(r"annostory theme: copied from annostory (\S+), (\S+) ([0-9a-f]{12})")


def built_in(relative: str) -> Path | None:
    """The built-in file `templates/NAME` or `static/NAME`, or None."""
    parts = PurePosixPath(relative).parts
    if len(parts) < 2 or parts[0] not in (TEMPLATES, STATIC) or ".." in parts:
        return None
    path = (THEME_TEMPLATES if parts[0] == TEMPLATES else THEME_STATIC).joinpath(*parts[1:])
    return path if path.is_file() else None


def short_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def copied_from(text: str) -> tuple[str, str, str] | None:
    """(version, built-in path, digest) an override records on its first line."""
    first = text.split("\n", 1)[0]
    found = _COPIED.search(first)
    return found.groups() if found else None


def outdated_overrides(project: Project) -> list[Diagnostic]:
    """A warning for each override copied from a built-in file that has changed since."""
    found = []
    for folder in (project.templates_dir, project.static_dir):
        for path in _files(folder):
            relative = path.relative_to(project.root).as_posix()
            original = built_in(relative)
            if original is None:
                continue
            data, _ = read_checked_bytes(path, project.root, limit=MAX_ASSET_BYTES)
            record = copied_from(data.decode("utf-8", "replace")) if data else None
            if record is None or record[2] == short_digest(original.read_bytes()):
                continue
            found.append(warning(
                "theme-override-outdated",
                f"{relative} was copied from annostory {record[0]}; the built-in "
                f"{record[1]} has changed since", Position(relative, 1, 1),
                hint=f"compare them: {command('theme', 'diff', relative)}"))
    return found
