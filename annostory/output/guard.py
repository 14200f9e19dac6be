"""Where a site may go: the guard every command that writes a site goes through.

The output may only be a folder that does not exist yet, an empty folder, or a folder
annostory made (it holds the marker file `MARKER`, written first by every build).
Never the project, a folder that holds the project, one of its inputs or anything
inside one (the caller names them: `inputs.project.Project.protected`), a file, a
link, or a folder with other content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .folders import MARKER


def _real(path: Path) -> Path:
    """The absolute path with every existing link resolved (the path need not exist)."""
    return Path(os.path.realpath(path))


def check_output_dir(out: Path, project_root: Path,
                     protected: list[tuple[str, Path]] = ()) -> str:
    """Why `out` may not receive a site, or '' when it may. `protected` names the
    project's inputs and what annostory keeps there (`Project.protected`)."""
    root = _real(project_root)
    shown = str(out)
    if out.is_symlink():
        return (f"refusing to write the site to {shown}: it is a link; give the folder it "
                "points to, or remove the link")
    target = _real(out)
    if target == root:
        return f"refusing to write the site to {shown}: that is the project folder itself"
    if root.is_relative_to(target):
        return (f"refusing to write the site to {shown}: that folder holds the project "
                f"({root})")
    for name, path in protected:
        place = _real(path)
        if target == place or target.is_relative_to(place):
            return (f"refusing to write the site to {shown}: it is the project's {name} "
                    "or inside it, where its inputs live")
    try:
        mode = target.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):  # the latter fails when writing
        return ""
    except OSError as exc:
        return f"refusing to write the site to {shown}: {exc.strerror or exc}"
    if not stat.S_ISDIR(mode):
        return f"refusing to write the site to {shown}: it is a file, not a folder"
    if (target / MARKER).is_file():
        return ""
    try:
        empty = not any(target.iterdir())
    except OSError as exc:
        return f"refusing to write the site to {shown}: {exc.strerror or exc}"
    if empty:
        return ""
    return (f"refusing to write the site to {shown}: the folder holds files that annostory "
            f"did not make (no {MARKER} marker in it); choose a new folder, or empty this "
            "one yourself if it is an old site")
