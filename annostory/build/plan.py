"""The site's files by path, and who made each: two makers on one path (or a file where
another needs a folder) are errors naming both, never a silent overwrite."""

from __future__ import annotations

from ..core.diagnostics import Diagnostic, Position, error
from ..output.files import Deferred, SiteFiles


class OutputPlan:
    """The site's files by path, and who made each: two sources on one path (or a
    file where another needs a folder) are errors naming both, never a silent
    overwrite."""

    def __init__(self) -> None:
        self.files = SiteFiles()
        self.made_by: dict[str, str] = {}
        self.problems: list[Diagnostic] = []

    def add(self, path: str, data: bytes | Deferred, source: str) -> None:
        if path in self.made_by:
            self.problems.append(self._collision(path, self.made_by[path], source))
            return
        self.files[path] = data
        self.made_by[path] = source

    def collisions(self) -> list[Diagnostic]:
        found = list(self.problems)
        for path, source in self.made_by.items():  # a file where a folder is needed
            parts = path.split("/")
            for k in range(1, len(parts)):
                folder = "/".join(parts[:k])
                if folder in self.made_by:
                    found.append(self._collision(folder, self.made_by[folder], source,
                                                 as_folder=path))
        return found

    @staticmethod
    def _collision(path: str, first: str, second: str, as_folder: str = "") -> Diagnostic:
        detail = (f"{first} makes the file site/{path}, and {second} needs a folder of that "
                  f"name (for site/{as_folder})" if as_folder else
                  f"{first} and {second} both make site/{path}")
        return error("output-collision", f"two outputs on one path: {detail}",
                     Position(second if not second.startswith("templates/") else first, 1, 1),
                     hint="rename one of them (a story called 'assets' or 'index.html' "
                          "collides with the site's own files)")
