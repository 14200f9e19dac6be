"""Benchmarks that print numbers (never asserted in tests): `make bench`.

1. Preview: time from saving an annotations file to the reload message on the
   livereload WebSocket, for the example story (median of several saves).
2. Build: a synthetic newsroom of N stories (~1,100 words, 10 annotated quotes
   each) built by annostory, compared in the same run with a plain
   markdown-it-py + Jinja2 loop over the same pages (the floor for any Python
   tool), and a rebuild after touching one story (content-hash cache).
3. Peak memory of the build process.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from helpers import make_project  # noqa: E402
from preview_helpers import LiveClient, Server  # noqa: E402

WORDS = ["union", "endorsement", "campaign", "labor", "vote", "member", "affiliate",
         "leadership", "memo", "email", "strategy", "primary", "caucus", "threshold",
         "support", "delegate", "statement", "national", "political", "director", "chairman",
         "outreach", "process", "official", "spokesman", "article"]


def measure_preview(saves: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp))
        server = Server(root)
        try:
            client = LiveClient(server.port)
            path = root / "annotations" / "trumka-not-motivated.yaml"
            original = path.read_text()
            timings = []
            for i in range(saves):
                time.sleep(0.4)
                started = time.perf_counter()
                path.write_text(original.replace("Not found in other reports of the emails.",
                                                 f"Edit number {i}."))
                client.next_reload(timeout=10)
                timings.append((time.perf_counter() - started) * 1000)
            return timings
        finally:
            server.stop()


def synthetic_story(rng: random.Random, index: int) -> tuple[str, str]:
    paragraphs, quotes = [], []
    for p in range(20):
        words = [rng.choice(WORDS) for _ in range(55)]
        text = " ".join(words).capitalize() + "."
        if p % 2 == 0:
            quote = f"quote {index} {p} " + " ".join(rng.choice(WORDS) for _ in range(8))
            text += f' She said "{quote}."'
            quotes.append(quote)
        paragraphs.append(text)
    story = (f"---\ntitle: Story number {index}\ndek: A synthetic story\n"
             f"date: 2016-{index % 12 + 1:02d}-01\n---\n\n" + "\n\n".join(paragraphs) + "\n")
    notes = ["people:\n  p: {name: A Person, role: aide}\nsources:\n  s:\n    type: email\n"
             "    from: p\n    sent: 2015-11-02\n    url: https://example.org/email\n"
             "annotations:\n"]
    for q in quotes:
        notes.append(f"  - quote: \"{q}\"\n    speaker: p\n    source: s\n    date: 2015-11~\n"
                     "    note: A note with a [link](https://example.org/x).\n")
    return story, "".join(notes)


def plain_loop(root: Path, out: Path) -> None:
    """The floor: markdown-it-py + Jinja2 and nothing else, same pages."""
    import jinja2
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes"])
    env = jinja2.Environment(autoescape=True)
    template = env.from_string("<!doctype html><html><head><title>{{ t }}</title></head>"
                               "<body>{{ body }}</body></html>")
    for path in sorted((root / "content").glob("*.md")):
        text = path.read_text()
        body = text.split("---\n", 2)[2]
        html = template.render(t=path.stem, body=jinja2.utils.markupsafe.Markup(md.render(body)))
        target = out / path.stem / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html)


def measure_build(n: int) -> dict:
    from annostory.output import write_site
    from annostory.pipeline import StoryCache, compile_project
    from annostory.project import Project

    rng = random.Random(2016)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp), example=False)
        for i in range(n):
            story, notes = synthetic_story(rng, i)
            (root / "content" / f"story-{i:05d}.md").write_text(story)
            (root / "annotations" / f"story-{i:05d}.yaml").write_text(notes)
        project = Project(root)
        started = time.perf_counter()
        plain_loop(root, Path(tmp) / "plain")
        plain = time.perf_counter() - started

        cache = StoryCache()
        started = time.perf_counter()
        result = compile_project(project, cache=cache)
        write_site(root / "site", result.files)
        full = time.perf_counter() - started
        assert result.ok, [str(d.position) + d.message for d in result.diagnostics][:5]

        (root / "annotations" / "story-00000.yaml").write_text(
            (root / "annotations" / "story-00000.yaml").read_text().replace("aide", "adviser"))
        started = time.perf_counter()
        compile_project(project, cache=cache)
        incremental = time.perf_counter() - started
        words = sum(len(p.read_text().split()) for p in (root / "content").glob("*.md")) / n
        return {"stories": n, "words": words, "plain": plain, "full": full,
                "incremental": incremental, "annotations": result.counts()["annotations"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=9)
    args = parser.parse_args()

    timings = measure_preview(args.saves)
    print(f"preview save -> reload message (example story, {len(timings)} saves): "
          f"median {statistics.median(timings):.0f} ms, min {min(timings):.0f} ms, "
          f"max {max(timings):.0f} ms")

    b = measure_build(args.stories)
    print(f"build of {b['stories']} stories (~{b['words']:.0f} words, "
          f"{b['annotations']} annotations): {b['full']:.2f} s "
          f"({b['full'] / b['stories'] * 1000:.1f} ms a story)")
    print(f"plain markdown-it-py + Jinja2 loop, same pages: {b['plain']:.2f} s; "
          f"annostory / plain = {b['full'] / b['plain']:.2f}")
    print(f"rebuild after one annotations file changed (cache): {b['incremental'] * 1000:.0f} ms")
    if shutil.which("hugo"):
        print("hugo is installed: compare with `hugo` on the same Markdown by hand")
    else:
        print("hugo: not installed here (apt-get install hugo) - no comparison this run")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
