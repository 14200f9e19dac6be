"""Writing the site: all or nothing.

`write_site` builds the new site in a fresh folder beside the target and swaps
it into place only when every file was written, so a failed build (or a crash
halfway) leaves the previous `site/` exactly as it was. `update_site` writes
only files whose bytes changed (for the preview server), each atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_site(out_dir: Path, files: dict[str, bytes]) -> None:
    out_dir = out_dir.resolve()
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
    try:
        for relative, data in sorted(files.items()):
            target = fresh / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(fresh, 0o755)
        old = None
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            old.rmdir()
            out_dir.rename(old)
        fresh.rename(out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise


def update_site(out_dir: Path, files: dict[str, bytes]) -> list[str]:
    """Make `out_dir` hold exactly `files`, touching only what differs.
    Returns the relative paths written or removed."""
    changed = []
    out_dir.mkdir(parents=True, exist_ok=True)
    for relative, data in sorted(files.items()):
        target = out_dir / relative
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        changed.append(relative)
    for path in sorted(out_dir.rglob("*"), reverse=True):
        relative = path.relative_to(out_dir).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
            changed.append(relative)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed
