"""Reading input files safely: size limit, symlinks, encoding, line endings.

`read_checked_bytes` reads a file only if it may be read (a regular file inside the
project, not too large); `decode_source` turns its bytes into text (UTF-8, BOM removed,
CRLF and CR turned into LF, NFC) or says exactly why it cannot be used; `text_lines`
decodes the same way, leniently, for showing lines in messages.
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..core.characters import REFUSED
from ..core.diagnostics import Diagnostic, Position, error

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: far above any real story or annotations file


@dataclass(frozen=True)
class SourceText:
    display_name: str  # the name used in diagnostics (relative to the project)
    text: str


def display_name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_checked_bytes(path: Path, root: Path, name: str | None = None,
                       limit: int = MAX_FILE_BYTES) -> tuple[bytes | None, list[Diagnostic]]:
    """The bytes of `path` if it may be read: a regular file, inside the project once
    links are followed, at most MAX_FILE_BYTES. Otherwise None and why. Nothing is
    opened before these checks pass (a FIFO would block, a link could leak)."""
    plain = _read_plain(path, root, limit)
    if plain is not None:
        return plain, []
    name = name or display_name(path, root)
    where = Position(name, 1, 1)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        return None, [error("file-unreadable", f"cannot read {name}: "
                            f"{getattr(exc, 'strerror', None) or exc}", where)]
    root_real = root.resolve()
    if real != root_real and root_real not in real.parents:
        written = Path(os.path.normpath(path if path.is_absolute() else root / path))
        if written != root and root not in written.parents:  # "../" out of the project
            return None, [error(
                "file-outside-project", f"refusing to read {name}: it is outside the "
                "project folder", where, hint="keep every file inside the project")]
        return None, [error(
            "file-outside-project",
            f"refusing to read {name}: it is a link to {real}, outside the project",
            where, hint="copy the file into the project instead of linking to it")]
    try:
        info = real.stat()
    except OSError as exc:
        return None, [error("file-unreadable", f"cannot read {name}: {exc.strerror}", where)]
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe, " \
            "socket or device)"
        return None, [error("not-a-file", f"refusing to read {name}: it is {kind}", where,
                            hint="stories, annotations, templates and assets must be "
                                 "ordinary files")]
    if info.st_size > limit:
        return None, [error(
            "file-too-large",
            f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes",
            where, hint="split the story, or check that this is the right file")]
    try:
        with open(real, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        return None, [error("file-unreadable", f"cannot read {name}: {exc.strerror}", where)]
    if len(raw) > limit:
        return None, [error("file-too-large", f"file is over {limit:,} bytes", where)]
    return raw, []


_PLAIN = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
    getattr(os, "O_CLOEXEC", 0)


def _read_plain(path: Path, root: Path, limit: int) -> bytes | None:
    """The common case, the quick way (a build of 10,000 stories reads 20,000 files):
    a regular file, not a link, at most `limit` bytes, in a folder inside the project
    once links are followed. None for anything else, which `read_checked_bytes`
    then examines (and explains) the careful way."""
    if not getattr(os, "O_NOFOLLOW", 0):
        return None
    folder, inside = os.path.realpath(path.parent), os.path.realpath(root)
    if folder != inside and not folder.startswith(inside.rstrip(os.sep) + os.sep):
        return None
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # nothing else is opened
            return None
        descriptor = os.open(path, _PLAIN)  # nor a link put there since; nothing blocks
    except OSError:
        return None
    with open(descriptor, "rb", closefd=True) as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


def read_source(path: Path, root: Path) -> tuple[SourceText | None, list[Diagnostic]]:
    name = display_name(path, root)
    raw, problems = read_checked_bytes(path, root, name)
    if raw is None:
        return None, problems
    return decode_source(raw, name)


def decode_text(raw: bytes, name: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text with a BOM removed, LF line endings, in NFC; or why it is not UTF-8."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        return None, [error(
            "not-utf8",
            f"file is not valid UTF-8: byte 0x{raw[exc.start]:02X} at byte offset {exc.start}",
            Position(name, line, col),
            hint="save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)")]
    return _normalized(text), []


def decode_source(raw: bytes, name: str) -> tuple[SourceText | None, list[Diagnostic]]:
    """The text of an input file, or why it cannot be used (not UTF-8, control
    characters)."""
    text, problems = decode_text(raw, name)
    if text is None:
        return None, problems
    diagnostics = []
    for match in REFUSED.finditer(text):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        diagnostics.append(error(
            "control-character",
            f"invisible control character U+{ord(match.group()):04X} in the text",
            Position(name, line, col),
            hint="delete it (it often comes from copying out of a PDF or a terminal)"))
    if diagnostics:
        return None, diagnostics
    return SourceText(name, text), []


def _normalized(text: str) -> str:
    """Without a BOM, with LF line endings (CRLF and CR alone too), in NFC."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def text_lines(raw: bytes) -> list[str]:
    """The lines of a file as the build reads them (undecodable bytes replaced)."""
    return _normalized(raw.decode("utf-8", "replace")).split("\n")


def file_digest(path: Path, root: Path) -> str:
    """What a file is now, for telling whether it changed since it was read: the
    SHA-256 of its bytes, or 'missing', 'outside' (a link out of the project) or
    'not-a-file'."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "missing"
    root_real = root.resolve()
    if real != root_real and root_real not in real.parents:
        return "outside"
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(real.stat().st_mode):
            return "not-a-file"
        with open(real, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return "missing"
    return digest.hexdigest()


class ProjectFiles:
    """Files a compile reads on demand (originals, images), read through the same
    checks as every input, and each recorded with what it was (`file_digest`), so a
    cached result is used again only while every file it read is unchanged."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.read: dict[str, str] = {}  # path from the project -> file_digest

    def exists(self, relative: str) -> bool:
        path = self.root / relative
        if path.exists() or path.is_symlink():
            return True
        self.read[relative] = "missing"
        return False

    def leads_elsewhere(self, relative: str, folder: str) -> bool:
        """Does the file at `relative` lead, once links are followed, to another place
        of the project than `folder` (a link from sources/ to content/ is not an
        original)? A link out of the project is the reader's to refuse."""
        real = Path(os.path.realpath(self.root / relative))
        root = self.root.resolve()
        base = root / folder
        inside_project = real == root or root in real.parents
        return inside_project and not (real == base or base in real.parents)

    def read_bytes(self, relative: str, limit: int = MAX_FILE_BYTES
                   ) -> tuple[bytes | None, list[Diagnostic]]:
        path = self.root / relative
        data, problems = read_checked_bytes(path, self.root, relative, limit)
        self.read[relative] = hashlib.sha256(data).hexdigest() if data is not None \
            else file_digest(path, self.root)
        return data, problems


def inside(relative: str, folder: str) -> bool:
    """Is `relative` (a path from the project, as written) a path under `folder`,
    without '..' or an absolute start?"""
    parts = PurePosixPath(relative).parts
    return (len(parts) > 1 and parts[0] == folder and ".." not in parts and
            not relative.startswith("/") and "\\" not in relative)
