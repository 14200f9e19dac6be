"""`annostory theme`: the built-in templates and static files, and a project's own.

`list` shows each built-in file and whether the project replaces it (and whether the
built-in one has changed since it was copied); `copy NAME` starts an override, a copy
whose first line records what it was copied from; `diff [NAME]` shows how an override
differs from the built-in file of the annostory that runs.
"""

from __future__ import annotations

import difflib
import sys

from ..core.version import VERSION as __version__
from ..inputs.project import STATIC, TEMPLATES, Project
from ..inputs.theme import THEME_STATIC, THEME_TEMPLATES, built_in, copied_from, short_digest

COMMENTS = {".html": ("{# ", " #}"), ".css": ("/* ", " */"), ".js": ("// ", ""),
            ".svg": ("<!-- ", " -->"), ".md": ("<!-- ", " -->")}


def _built_in_files() -> list[str]:
    found = []
    for folder, name in ((THEME_TEMPLATES, TEMPLATES), (THEME_STATIC, STATIC)):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found.append(f"{name}/{path.relative_to(folder).as_posix()}")
    return found


def _named(name: str) -> str:
    """'story.html' -> 'templates/story.html', 'style.css' -> 'static/style.css'."""
    if built_in(name) is not None:
        return name
    for folder in (TEMPLATES, STATIC):
        if built_in(f"{folder}/{name}") is not None:
            return f"{folder}/{name}"
    return ""


def _without_record(text: str) -> str:
    return text.split("\n", 1)[1] if copied_from(text) and "\n" in text else text


def theme_list(project: Project) -> int:
    for relative in _built_in_files():
        own = project.root / relative
        original = built_in(relative)
        assert original is not None
        if not own.is_file():
            state = "built in"
        else:
            text = own.read_text("utf-8", "replace")
            record = copied_from(text)
            if _without_record(text).encode() == original.read_bytes():
                state = "yours, the same as the built-in one"
            elif record and record[2] != short_digest(original.read_bytes()):
                state = f"yours; the built-in one has changed since annostory {record[0]}"
            else:
                state = "yours"
        print(f"{relative:36} {state}")
    return 0


def theme_copy(project: Project, names: list[str]) -> int:
    done = 0
    for name in names:
        relative = _named(name)
        if not relative:
            print(f"theme copy: {name} is not a built-in template or static file "
                  "('annostory theme list' lists them)", file=sys.stderr)
            return 2
        target = project.root / relative
        if target.exists() or target.is_symlink():
            print(f"theme copy: {relative} already exists: nothing was written "
                  f"(compare it: annostory theme diff {relative})", file=sys.stderr)
            return 2
        original = built_in(relative)
        assert original is not None
        data = original.read_bytes()
        start, end = COMMENTS.get(original.suffix, (None, None))
        target.parent.mkdir(parents=True, exist_ok=True)
        if start is None:  # a file that takes no comment (an image): as it is
            target.write_bytes(data)
        else:
            record = (f"{start}annostory theme: copied from annostory {__version__}, "
                      f"{relative} {short_digest(data)}{end}\n")
            target.write_bytes(record.encode() + data)
        print(f"copied the built-in {relative} into the project: edit it there")
        done += 1
    return 0 if done else 2


def theme_diff(project: Project, names: list[str]) -> int:
    wanted = [_named(n) or n for n in names] or [
        r for r in _built_in_files() if (project.root / r).is_file()]
    if not wanted:
        print("the project replaces no built-in template or static file")
    for relative in wanted:
        original, own = built_in(relative), project.root / relative
        if original is None or not own.is_file():
            print(f"theme diff: {relative} is not one of the project's own versions of a "
                  "built-in file", file=sys.stderr)
            return 2
        mine = _without_record(own.read_text("utf-8", "replace")).splitlines(keepends=True)
        theirs = original.read_text("utf-8", "replace").splitlines(keepends=True)
        diff = list(difflib.unified_diff(theirs, mine, f"built-in {relative}",
                                         f"yours {relative}"))
        sys.stdout.write("".join(diff) if diff else f"{relative}: the same as the built-in "
                         "one\n")
    return 0


def theme(project: Project, action: str, names: list[str]) -> int:
    actions = {"list": lambda: theme_list(project), "copy": lambda: theme_copy(project, names),
               "diff": lambda: theme_diff(project, names)}
    return actions[action]()



