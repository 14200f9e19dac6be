"""`annostory stub <slug>`: add a stub annotation for every quotation of a story that
has none yet.

The stub holds the quote (and, when the words occur more than once, the
shortest prefix or suffix that singles them out); speaker, date and source are
left for the author, so the build fails until they are filled in: an unsourced
quote is an error. The file is edited as text, so comments and layout stay as
the author wrote them; a new file starts with the schema modeline. Quotations
already covered by an entry (even one still missing its source) are skipped,
so running it twice adds nothing the second time.
"""

from __future__ import annotations

import sys

from ..anchoring.stubs import plan_stub
from ..inputs.files import read_source
from ..inputs.project import Project
from .report import SourceLines, format_text


def write_stub(project: Project, slug: str) -> int:
    story_path = project.story_file(slug)
    if not story_path.exists():
        known = ", ".join(project.slugs()) or "none"
        print(f"stub: no story content/{slug}.md (stories: {known})", file=sys.stderr)
        return 2
    story_source, problems = read_source(story_path, project.root)
    annotations_path = project.annotations_file(slug)
    annotations_text = None
    annotations_name = f"annotations/{slug}.yaml"
    if annotations_path.exists():
        source, more = read_source(annotations_path, project.root)
        problems += more
        annotations_text = source.text if source else None
    if story_source is None or problems:
        print(format_text(problems, SourceLines(project.root)), file=sys.stderr)
        return 1
    new_text, added, problems = plan_stub(story_source.text, story_source.display_name,
                                          annotations_text, annotations_name)
    if problems:
        print(format_text(problems, SourceLines(project.root)), file=sys.stderr)
        return 1
    if new_text is None:
        print(f"every quotation of {slug} already has an annotation: nothing added")
        return 0
    annotations_path.parent.mkdir(parents=True, exist_ok=True)
    annotations_path.write_text(new_text, encoding="utf-8")
    if added:
        print(f"added {added} stub{'s' if added != 1 else ''} to {annotations_name}: "
              "fill in speaker, date and source")
    if "# not_quotations:" in new_text and "# not_quotations:" not in (annotations_text or ""):
        print(f"suggested, commented out in {annotations_name}: names or titles in quotation "
              "marks that are not quotations (uncomment those that are not)")
    return 0

