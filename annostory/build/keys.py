"""Cache keys: what a compiled story, and a whole site, depend on.

A story's key hashes its own two files (as read for the compile, so a file saved
during the build is never cached under the key of another text) and what every story
shares: annostory's own code and built-in theme and schemas (`tool_digest`), the
project's templates and the site's settings (`shared_salt`). The files its compile
read on demand (originals, images) are recorded in its result and checked with
`Digests` before the result is used again. The site's key hashes the stories' keys,
what they read, the static files and whether drafts are in.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from collections.abc import Mapping
from pathlib import Path

from ..inputs.files import file_digest, read_checked_bytes
from ..inputs.project import Project
from ..inputs.settings import SiteSettings
from ..inputs.theme import MAX_ASSET_BYTES
from .cache import FORMAT
from .results import StoryResult

_TOOL_FILES = ("*.py", "*.js", "*.json", "*.html", "*.css", "*.svg")
_TOOL_DIGEST: str | None = None


def tool_digest() -> str:
    """A hash of annostory's own code, theme and schemas (its version, in effect)."""
    global _TOOL_DIGEST
    if _TOOL_DIGEST is None:
        digest = hashlib.sha256(str(FORMAT).encode())
        package = Path(__file__).resolve().parent.parent
        paths = sorted({path for pattern in _TOOL_FILES for path in package.rglob(pattern)
                        if "__pycache__" not in path.parts})
        for path in paths:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
        _TOOL_DIGEST = digest.hexdigest()
    return _TOOL_DIGEST


def tree_digest(root: Path, *folders: Path) -> bytes:
    """A hash of every file below `folders` (a file that may not be read counts as
    'refused')."""
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                data, _ = read_checked_bytes(path, root, limit=MAX_ASSET_BYTES)
                digest.update(path.relative_to(root).as_posix().encode())  # movable
                digest.update(b"\0refused" if data is None else data)
    return digest.digest()


def shared_salt(project: Project, settings: SiteSettings) -> bytes:
    """What every story's key shares: every input keyed as 'shared' (the project's
    templates; the settings, as read, with any --base-url), and the tool itself."""
    folders = [path for kind, path in project.inputs("shared") if kind.folder]
    return tree_digest(project.root, *folders) + repr(settings).encode() + \
        tool_digest().encode()


def story_key(project: Project, slug: str, salt: bytes,
              statuses: FileStatuses | None = None) -> tuple[str, dict[Path, bytes]]:
    """The story's cache key (a hash of its two files' hashes and everything shared),
    and the files as read for it. With `statuses`, a file unchanged since an earlier
    build hashed it is not read again (`FileStatuses`)."""
    digest = hashlib.sha256(salt)
    read: dict[Path, bytes] = {}
    for path in (project.story_file(slug), project.annotations_file(slug)):
        digest.update(path.name.encode() + b"\0")
        known = statuses.known(path) if statuses is not None else None
        if known is not None:
            digest.update(known.encode())
            continue
        before = _status(path)
        data, _ = read_checked_bytes(path, project.root)
        if data is None:
            digest.update(b"missing")
            continue
        file_hash = hashlib.sha256(data).hexdigest()
        digest.update(file_hash.encode())
        read[path] = data
        if statuses is not None and before is not None:
            statuses.note(path, before, file_hash)
    return digest.hexdigest(), read


def _status(path: Path) -> list[int] | None:
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


class FileStatuses:
    """What each story and annotations file was (device, inode, size, modification and
    change times) when a build last hashed it, and its hash (`.annostory-cache/
    files.json`): a file whose status is the same is not read again to take the
    story's key, as git and make trust a file's times. A file changed within
    `MARGIN_NS` of the recording is hashed again (its times may not have moved: a
    coarse clock), and only a regular file, not a link, in a folder inside the
    project is trusted; anything else is read the careful way."""

    MARGIN_NS = 2_000_000_000

    def __init__(self, project: Project) -> None:
        self.root = project.root
        self.record = project.cache_dir / "files.json"
        self.taken = time.time_ns()  # before any file is looked at
        self.earlier, self.earlier_taken = self._read()
        self.now: dict[str, list] = {}
        self.noted = False
        self._inside: dict[str, bool] = {}

    def _read(self) -> tuple[dict[str, list], int]:
        try:
            data = json.loads(self.record.read_bytes())
            return dict(data["files"]), int(data["taken"])
        except (OSError, ValueError, KeyError, TypeError):
            return {}, 0

    def _folder_inside(self, folder: str) -> bool:
        if folder not in self._inside:
            real, root = os.path.realpath(folder), os.path.realpath(self.root)
            self._inside[folder] = real == root or real.startswith(root.rstrip(os.sep) + os.sep)
        return self._inside[folder]

    def known(self, path: Path) -> str | None:
        """The file's hash when it is as an earlier build recorded it, else None."""
        relative = path.relative_to(self.root).as_posix()
        entry = self.earlier.get(relative)
        if not isinstance(entry, list) or len(entry) != 6:
            return None
        status = _status(path)
        settled = self.earlier_taken - self.MARGIN_NS
        if status is None or status != entry[:5] or not (entry[3] < settled and
                                                         entry[4] < settled):
            return None
        if not self._folder_inside(os.path.dirname(path)):
            return None
        self.now[relative] = entry
        return entry[5]

    def note(self, path: Path, status: list[int], file_hash: str) -> None:
        """Record a file just hashed, with its status taken before it was read."""
        self.now[path.relative_to(self.root).as_posix()] = [*status, file_hash]
        self.noted = True

    def save(self) -> None:
        """Record what this build found (the files it looked at), for the next."""
        if not self.noted and self.now.keys() == self.earlier.keys():
            return  # every file as recorded: the record stands
        with contextlib.suppress(OSError):
            self.record.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.record.with_name(f".files-{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"taken": self.taken, "files": self.now},
                                            separators=(",", ":")))
            os.replace(temporary, self.record)


class Digests:
    """What each file read on demand is now (`inputs.files.file_digest`), each file
    hashed at most once a build, however many stories read it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, str] = {}

    def now(self, relative: str) -> str:
        if relative not in self._known:
            self._known[relative] = file_digest(self.root / relative, self.root)
        return self._known[relative]

    def unchanged(self, result: StoryResult) -> bool:
        """Is every file the story's compile read still what it was?"""
        return all(self.now(path) == digest for path, digest in result.read.items())


def site_key(keys: Mapping[str, str], results: Mapping[str, StoryResult], salt: bytes,
             include_drafts: bool, assets: Mapping[str, bytes]) -> str:
    """A hash of every input of the site: the stories (their keys and what they read),
    what they share, and the static files as read; '' without story keys (no cache)."""
    if not keys:
        return ""
    digest = hashlib.sha256(repr(sorted(keys.items())).encode() + salt +
                            str(include_drafts).encode())
    for slug in sorted(keys):
        result = results.get(slug)
        if result is not None and result.read:
            digest.update(repr(sorted(result.read.items())).encode())
    for path, data in sorted(assets.items()):
        digest.update(f"\0{path}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()
