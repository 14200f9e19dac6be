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

import hashlib
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


def story_key(project: Project, slug: str, salt: bytes) -> tuple[str, dict[Path, bytes]]:
    """The story's cache key (a hash of its two files and everything shared), and
    the files as read for it."""
    digest = hashlib.sha256(salt)
    read: dict[Path, bytes] = {}
    for path in (project.story_file(slug), project.annotations_file(slug)):
        digest.update(path.name.encode())
        data, _ = read_checked_bytes(path, project.root)
        digest.update(b"\0missing" if data is None else len(data).to_bytes(8, "big") + data)
        if data is not None:
            read[path] = data
    return digest.hexdigest(), read


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
