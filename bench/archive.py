"""The size of an archive's pages: `python bench/archive.py [N]` (default 10,000; not
part of `make test`). Prints numbers, asserts nothing.

Builds a synthetic archive of N stories (bench/generate.py's stories, with their
speakers drawn from a pool of N/4 people, three documents of their own each, and
three tags from a pool of 300) with a base URL, then prints how many pages of each
kind the site has and the largest of each, in bytes: no page should grow with the
archive (the goal: none over 1 MB at 10,000 stories).
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from generate import empty_project, story  # noqa: E402

LIMIT = 1024 * 1024


def archive_story(index: int, people: int) -> tuple[str, str]:
    """A generated story whose speakers and documents vary across the archive."""
    markdown, notes = story(index)
    rng = random.Random(index)
    head, annotations = notes.split("annotations:\n", 1)
    pool = [rng.randrange(people) for _ in range(10)]
    lines = ["people:"]
    for k, person in enumerate(pool):
        lines.append(f"  p{k}: {{name: Person{person:05} Family{person % 997:03}, "
                     f"role: role {person % 40}}}")
    lines.append("sources:")
    for k in range(5):
        lines += [f"  email-{k}:", "    type: email", f"    from: p{k}", f"    to: [p{k + 5}]",
                  f"    subject: Story {index} plan {k % 3}",
                  f"    sent: 2015-{index % 12 + 1:02d}-{k % 3 + 1:02d}T09:3{k}:00-05:00",
                  f"    url: https://example.org/emails/{index}/{k % 3}"]
    ids = dict(zip(["alice-barnes", "boris-chen", "carla-diaz", "dev-ellis", "eva-fitz",
                    "frank-gold", "gina-hart", "hugo-ines", "ida-jones", "jon-kim"],
                   [f"p{k}" for k in range(10)], strict=True))
    annotations = re.sub(r"speaker: ([a-z-]+)", lambda m: f"speaker: {ids[m.group(1)]}",
                         annotations)
    tags = sorted({f"topic {rng.randrange(300)}" for _ in range(3)})
    markdown = markdown.replace("publisher: Bench Gazette\n",
                                f"publisher: Bench Gazette\ntags: [{', '.join(tags)}]\n")
    return markdown, "\n".join(lines) + "\nannotations:\n" + annotations


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        root = empty_project(Path(tmp) / "archive", "Archive Gazette")
        (root / "site.yaml").write_text("title: Archive Gazette\nlanguage: en\n"
                                        "base_url: https://archive.example/\n")
        for i in range(count):
            markdown, notes = archive_story(i, max(count // 4, 10))
            (root / "content" / f"story-{i:05}.md").write_text(markdown)
            (root / "annotations" / f"story-{i:05}.yaml").write_text(notes)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--root",
                               str(root)], capture_output=True, text=True)
        took = time.perf_counter() - started
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:])
            sys.exit(1)
        kinds: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for path in (root / "site").rglob("*"):
            if path.is_file():
                relative = path.relative_to(root / "site").as_posix()
                kinds[kind_of(relative)].append((path.stat().st_size, relative))
        print(f"{count:,} stories built in {took:.1f} s; "
              f"{sum(len(v) for v in kinds.values()):,} files")
        print(f"{'kind':<28}{'files':>8}{'largest (bytes)':>18}  largest file")
        over = 0
        for kind, found in sorted(kinds.items()):
            size, name = max(found)
            over += sum(1 for s, n in found if s > LIMIT and n.endswith(".html"))
            print(f"{kind:<28}{len(found):>8,}{size:>18,}  {name}")
        print(f"HTML pages over 1 MB: {over}")


def kind_of(path: str) -> str:
    """The kind of page a site path is."""
    patterns = [(r"people/index\.html|people/page/\d+/index\.html", "people index"),
                (r"people/[^/]+/(page/\d+/)?index\.html", "a person's pages"),
                (r"sources/index\.html|sources/page/\d+/index\.html", "sources index"),
                (r"sources/[^/]+/(page/\d+/)?index\.html", "a document's pages"),
                (r"tags/index\.html|tags/page/\d+/index\.html", "tags index"),
                (r"tags/[^/]+/(page/\d+/)?index\.html", "a tag's pages"),
                (r"(page/\d+/)?index\.html", "the index"),
                (r"[^/]+/timeline/index\.html", "timelines"),
                (r"[^/]+/index\.html", "story pages"),
                (r"[^/]+/annotations\.jsonld", "annotations.jsonld"),
                (r"[^/]+/share\.png", "share cards"),
                (r"sitemap.*\.xml", "sitemap"), (r"feed\.xml", "feed")]
    for pattern, kind in patterns:
        if re.fullmatch(pattern, path):
            return kind
    return "other"


if __name__ == "__main__":
    main()
