"""The project's `schema/`: a copy of annostory's JSON Schemas for editors, kept in step
with the annostory that runs.

Every annotations file names `../schema/annotations.schema.json` on its first line, so
an editor's YAML language server checks it as you type. The copy is written by
`new`, and brought up to date by `build`, `check` and `serve` whenever it differs from
this version's schemas, so an upgrade needs no manual step. A folder that annostory
did not make (no README of ours in it) is never written into: a note says so.
"""

from __future__ import annotations

from pathlib import Path

from ..core.version import VERSION as __version__
from ..inputs.project import SCHEMA_FOLDER, Project
from ..inputs.schema import SCHEMA_DIR, SCHEMA_FILES

MARKER = "README.md"
MARKER_TEXT = ("This folder is kept by annostory: a copy of its JSON Schemas for your editor "
               "(the first line of each annotations file names it).\nannostory brings it up "
               "to date by itself (build, check, serve); do not edit it.\n")


def keep_schemas(project: Project) -> list[str]:
    """Bring `schema/` up to date; what was done or could not be, for the terminal."""
    folder = project.root / SCHEMA_FOLDER
    wanted = {name: (SCHEMA_DIR / name).read_bytes() for name in SCHEMA_FILES}
    try:
        ours = (folder / MARKER).read_text("utf-8").startswith(MARKER_TEXT[:40])
    except (OSError, UnicodeDecodeError):
        ours = False
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        return [f"{SCHEMA_FOLDER} is not a folder: editors will not find annostory's schemas"]
    present = {name: _read(folder / name) for name in SCHEMA_FILES}
    if folder.exists() and not ours and not _adoptable(folder, wanted):
        return [f"{SCHEMA_FOLDER}/ was not made by annostory, and its schemas are not "
                f"those of annostory {__version__}: editors may check against the wrong "
                f"ones (remove the folder and annostory makes it again)"]
    changed = [name for name, data in wanted.items() if present[name] != data]
    try:
        folder.mkdir(exist_ok=True)
        for name in changed:
            _replace(folder / name, wanted[name])
        if not ours:
            _replace(folder / MARKER, MARKER_TEXT.encode())
    except OSError as exc:
        return [f"could not write {SCHEMA_FOLDER}/ for editors: {exc.strerror or exc}"]
    if changed and any(present[name] is not None for name in changed):
        return [f"{SCHEMA_FOLDER}/ brought up to date with annostory {__version__} "
                f"({', '.join(changed)})"]
    return []


def _adoptable(folder: Path, wanted: dict[str, bytes]) -> bool:
    """May annostory take over a folder it did not mark: it is empty, or holds exactly
    this version's schemas and nothing else (written before the folder was marked)."""
    try:
        names = {path.name for path in folder.iterdir()}
    except OSError:
        return False
    return not names or (names == set(wanted) and
                         all(_read(folder / name) == data for name, data in wanted.items()))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
