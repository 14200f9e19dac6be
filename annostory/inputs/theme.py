"""The built-in theme: templates and static files that ship with annostory.

A project's own `templates/` and `static/` override these file by file; anything a
project does not have comes from here, so a project needs neither folder, and an
upgrade of annostory brings every fix to what the project did not change.
"""

from __future__ import annotations

from pathlib import Path

from ..core.diagnostics import Diagnostic
from .files import read_checked_bytes
from .project import Project

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
