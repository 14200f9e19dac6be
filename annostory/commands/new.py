"""`annostory new DIR`: a complete starter project; `annostory new story SLUG`: a story
and its annotations file, from a template.

The starter is package data (`annostory/starter`): settings with every common key
(commented), a sample story whose notes show every common field, empty `sources/` and
`images/`, a `.gitignore`, a README for the newsroom, a CI workflow, and a
`requirements.txt` naming where annostory was installed from.
"""

from __future__ import annotations

import datetime
import json
import re
import shutil
import sys
from pathlib import Path

from ..core.invocation import command, shown
from ..inputs.project import ANNOTATIONS, CONTENT, Project
from .schemas import keep_schemas

STARTER = Path(__file__).resolve().parent.parent / "starter"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")
# starter file -> where it goes in the new project
PLACES = {"gitignore": ".gitignore", "github-workflow.yml": ".github/workflows/annostory.yml"}
TEMPLATES = ("story.md", "story.yaml")  # for `new story`, not copied into a project


def installed_from() -> str:
    """A requirements line for the annostory that runs now (PEP 610's record of how
    it was installed), or a commented example when that is not known."""
    from importlib import metadata

    try:
        dist = metadata.distribution("annostory")
        record = json.loads(dist.read_text("direct_url.json") or "{}")
        version = dist.version
    except (metadata.PackageNotFoundError, ValueError):
        record, version = {}, ""
    url = record.get("url", "")
    vcs = record.get("vcs_info", {})
    if url and vcs:
        commit = vcs.get("commit_id") or vcs.get("requested_revision") or ""
        return f"annostory @ git+{url}" + (f"@{commit}" if commit else "") + "\n"
    if url and not url.startswith("file:"):
        return f"annostory @ {url}\n"
    if version and not url:
        return f"annostory=={version}\n"
    return ("# Where CI installs annostory from: write its address here, e.g.\n"
            "# annostory @ git+https://example.org/you/annostory.git@v0.3.0\n")


def new_project(folder: Path) -> int:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"new: {folder} is not an empty folder: nothing was written (choose a new "
              "folder)", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(STARTER.rglob("*")):
        relative = path.relative_to(STARTER).as_posix()
        if path.is_dir() or relative in TEMPLATES or "__pycache__" in relative:
            continue
        target = folder / PLACES.get(relative, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (folder / "requirements.txt").write_text(installed_from())
    keep_schemas(Project(folder.resolve()))
    where = str(folder)
    print(f"made a new project in {folder}: a sample story, settings, a README and a CI "
          f"workflow. Next:\n  {shown(command('serve', '--root', where))}"
          f"    # the preview, live as you type\n"
          f"  {shown(command('new', 'story', 'my-first-story', '--root', where))}")
    if (folder / "requirements.txt").read_text().startswith("#"):
        print("note: requirements.txt does not say where CI installs annostory from; "
              "write it there", file=sys.stderr)
    return 0


def new_story(project: Project, slug: str, title: str = "") -> int:
    if not SLUG.fullmatch(slug):
        print(f"new story: {slug!r} cannot be a story's name: use lower-case letters, "
              "digits and dashes (it becomes the story's address)", file=sys.stderr)
        return 2
    story = project.root / CONTENT / f"{slug}.md"
    notes = project.root / ANNOTATIONS / f"{slug}.yaml"
    for path in (story, notes):
        if path.exists() or path.is_symlink():
            print(f"new story: {path.relative_to(project.root)} already exists: nothing was "
                  "written", file=sys.stderr)
            return 2
    today = datetime.date.today().isoformat()
    headline = (title or slug.replace("-", " ").capitalize()).replace('"', "'")
    values = {"slug": slug, "title": headline, "date": today}
    for path, template in ((story, "story.md"), (notes, "story.yaml")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((STARTER / template).read_text().format(**values))
    print(f"added {story.relative_to(project.root)} and {notes.relative_to(project.root)}: "
          f"write the story, then run '{shown(command('stub', slug))}'")
    return 0
