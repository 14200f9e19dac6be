"""The benchmark: `make bench` (never part of `make test`). Prints a table and writes
bench/results.json. Numbers, not assertions: the targets of issue 9 are checked by
reading the ratios, all measured in one run on this machine, contenders alternating.

Contenders on the same synthetic newsroom (bench/generate.py):
  annostory   cold build (empty cache), second build (nothing changed), rebuild after
              one story's annotations changed, `check`; peak memory of all processes
  annotated   the annotated floor: the same libraries doing only what any annotated
              page needs, on every core (read the story and its YAML, PyYAML's C
              loader, markdown-it-py for the story and each note, one Jinja2 template,
              write the page; a process pool over stories; nothing else)
  floor       a plain markdown-it-py + Jinja2 loop over the same pages (no notes)
  hugo        Debian's `hugo` with a one-line template, same Markdown (no notes)
  mkdocs      MkDocs in its own environment (bench/.venv-mkdocs), same Markdown
A contender that is not installed is reported as missing, never dropped silently.
Also: N=2000 against N=1000 (linearity), the pathological matching cases against an
ordinary story, the example site against the bare imports, and the preview's time
from save to reload.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO / "tests"), str(REPO)]

from generate import PATHOLOGICAL, make_site, pathological  # noqa: E402

PYTHON = sys.executable
MKDOCS_ENV = HERE / ".venv-mkdocs"
# Contenders run as a user's Python does: writing and reusing bytecode caches (some
# shells set PYTHONDONTWRITEBYTECODE, which makes every run compile annostory anew).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


# --- measuring -------------------------------------------------------------------
def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(seconds, peak MiB of the whole process tree) of one run of `command`."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=ENV)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            time.sleep(0.01)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - started
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed: {err.decode()[-2000:]}")
    return elapsed, peak[0] / 1024


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- contenders --------------------------------------------------------------------
def annostory(root: Path, *args: str) -> list[str]:
    return [PYTHON, str(REPO / "build.py"), *args, "--root", str(root)]


FLOOR = r'''
import sys, pathlib, jinja2
from markdown_it import MarkdownIt
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
md = MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes"])
env = jinja2.Environment(autoescape=True)
page = env.from_string("<!doctype html><html><head><title>{{ t }}</title></head>"
                       "<body>{{ body }}</body></html>")
for path in sorted((root / "content").glob("*.md")):
    text = path.read_text()
    body = text.split("---\n", 2)[2]
    html = page.render(t=path.stem, body=jinja2.utils.markupsafe.Markup(md.render(body)))
    target = out / path.stem / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html)
'''


ANNOTATED_FLOOR = r'''
import os, sys, pathlib, yaml, jinja2
from concurrent.futures import ProcessPoolExecutor
from markdown_it import MarkdownIt
from markupsafe import Markup
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
md = MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes"])
page = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><html><head><title>{{ t }}</title></head><body>{{ body }}<ol>"
    "{% for n in notes %}<li>{{ n.quote }}: {{ n.speaker }}, {{ n.source }}. {{ n.note }}</li>"
    "{% endfor %}</ol></body></html>")


def one(slug):
    text = (root / "content" / f"{slug}.md").read_text()
    data = yaml.load((root / "annotations" / f"{slug}.yaml").read_text(),
                     Loader=yaml.CSafeLoader)
    notes = [{"quote": a["quote"], "speaker": a.get("speaker", ""), "source": a.get("source"),
              "note": Markup(md.renderInline(a.get("note", "")))} for a in data["annotations"]]
    html = page.render(t=slug, body=Markup(md.render(text.split("---\n", 2)[2])), notes=notes)
    target = out / slug / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html)


if __name__ == "__main__":
    slugs = sorted(p.stem for p in (root / "content").glob("*.md"))
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(one, slugs, chunksize=64))
'''


BUDGET = r'''
import json, sys, time, pathlib, yaml, jinja2
from markdown_it import MarkdownIt
sys.path.insert(0, sys.argv[2])
from annostory.build.story import compile_story
from annostory.inputs.project import Project
from annostory.inputs.settings import load_settings
from annostory.pages.templates import make_environment
root, count = pathlib.Path(sys.argv[1]), int(sys.argv[3])
md = MarkdownIt("commonmark", {"typographer": True}).enable(["replacements", "smartquotes"])
page = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><html><head><title>{{ t }}</title></head><body>{{ body }}</body></html>")
slugs = [p.stem for p in sorted((root / "content").glob("*.md"))][:count]
texts = {s: ((root / "content" / f"{s}.md").read_text().split("---\n", 2)[2],
             (root / "annotations" / f"{s}.yaml").read_text()) for s in slugs}
notes = {s: [a.get("note", "") for a in yaml.load(texts[s][1], Loader=yaml.CSafeLoader)
             ["annotations"]] for s in slugs}
project = Project(root)
settings, _ = load_settings(project, None)
env = make_environment(project.templates_dir, project.root)
written = pathlib.Path(sys.argv[4])


def floor(s):
    text = (root / "content" / f"{s}.md").read_text()
    html = page.render(t=s, body=jinja2.utils.markupsafe.Markup(md.render(
        text.split("---\n", 2)[2])))
    target = written / s / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html)


steps = {
    "floor, all of it: read, markdown-it-py, Jinja2, write": floor,
    "markdown-it-py: parse the story": lambda s: md.parse(texts[s][0]),
    "PyYAML (C loader): load its annotations": lambda s: yaml.load(
        texts[s][1], Loader=yaml.CSafeLoader),
    "markdown-it-py: its 20 notes, inline": lambda s: [md.renderInline(n) for n in notes[s]],
    "annostory: compile_story, everything": lambda s: compile_story(project, s, settings, env),
}
out = {}
for name, step in steps.items():
    for s in slugs[:20]:
        step(s)  # warm up
    best = []
    for _ in range(3):
        started = time.perf_counter()
        for s in slugs:
            step(s)
        best.append((time.perf_counter() - started) / len(slugs) * 1000)
    out[name] = min(best)
print(json.dumps(out))
'''


def annotated_floor(work: Path) -> Path:
    """The annotated floor as a script (its pool's workers import it by name)."""
    script = work / "annotated_floor.py"
    script.write_text(ANNOTATED_FLOOR)
    return script


def budget(work: Path, count: int = 200) -> dict:
    """Milliseconds a story costs on one core, step by step, in one process: the
    floor loop's whole work (reading and writing its files too), the three library
    calls any annotated build must make (parse the story, load its annotations,
    parse its notes), and annostory's whole compile (without writing). It bounds
    what any number of optimisations can reach."""
    root = make_site(work / "budget", count)
    done = subprocess.run([PYTHON, "-c", BUDGET, str(root), str(REPO), str(count),
                           str(work / "budget-out")], capture_output=True, text=True, env=ENV,
                          check=True)
    return json.loads(done.stdout)


def hugo_site(root: Path) -> Path | None:
    if not shutil.which("hugo"):
        return None
    site = root.parent / (root.name + "-hugo")
    if site.exists():
        shutil.rmtree(site)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "content").mkdir()
    (site / "hugo.toml").write_text('baseURL = "http://127.0.0.1/"\ntitle = "bench"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts" / "_default" / "single.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head>"
        "<body>{{ .Content }}</body></html>")
    (site / "layouts" / "_default" / "list.html").write_text("<ul></ul>")
    (site / "layouts" / "index.html").write_text("<ul></ul>")
    for path in (root / "content").glob("*.md"):
        shutil.copy(path, site / "content" / path.name)
    return site


def mkdocs_site(root: Path) -> Path | None:
    mkdocs = MKDOCS_ENV / "bin" / "mkdocs"
    if not mkdocs.exists():
        return None
    site = root.parent / (root.name + "-mkdocs")
    if site.exists():
        shutil.rmtree(site)
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: bench\nuse_directory_urls: true\n")
    for path in (root / "content").glob("*.md"):
        shutil.copy(path, site / "docs" / path.name)
    return site


def ensure_mkdocs(install: bool) -> str:
    if (MKDOCS_ENV / "bin" / "mkdocs").exists():
        return "installed"
    if not install:
        return "missing (run with --install-mkdocs)"
    subprocess.run([sys.executable, "-m", "venv", str(MKDOCS_ENV)], check=True)
    done = subprocess.run([str(MKDOCS_ENV / "bin" / "pip"), "install", "-q", "mkdocs"],
                          capture_output=True)
    return "installed" if done.returncode == 0 else "missing (pip install mkdocs failed)"


# --- the runs --------------------------------------------------------------------
def newsroom(size: int, runs: int, work: Path) -> dict:
    root = make_site(work / f"n{size}", size)
    (root / "site.yaml").write_text(  # a published site: feed, W3C annotations, share cards
        "title: Bench Gazette\nlanguage: en\nbase_url: https://bench.example/\n")
    hugo = hugo_site(root)
    mkdocs = mkdocs_site(root)
    cache = root / ".annostory-cache"
    results: dict[str, list[float]] = {k: [] for k in (
        "cold", "nothing_changed", "one_changed", "check", "annotated", "floor", "hugo",
        "mkdocs", "cold_jobs1")}
    peaks: list[float] = []
    notes = root / "annotations" / "story-00007.yaml"
    original = notes.read_text()
    for run in range(runs):
        # alternate the contenders within each run
        shutil.rmtree(cache, ignore_errors=True)
        seconds, peak = timed(annostory(root, "build"))
        results["cold"].append(seconds)
        peaks.append(peak)
        results["nothing_changed"].append(timed(annostory(root, "build"))[0])
        notes.write_text(original.replace("Alice Barnes", f"Alice Barnes {run}"))
        results["one_changed"].append(timed(annostory(root, "build"))[0])
        notes.write_text(original)
        results["check"].append(timed(annostory(root, "check"))[0])
        floor_out = work / "floor-out"
        shutil.rmtree(floor_out, ignore_errors=True)
        results["annotated"].append(timed([PYTHON, str(annotated_floor(work)), str(root),
                                           str(floor_out)])[0])
        shutil.rmtree(floor_out, ignore_errors=True)
        results["floor"].append(timed([PYTHON, "-c", FLOOR, str(root), str(floor_out)])[0])
        if hugo:
            shutil.rmtree(hugo / "public", ignore_errors=True)
            results["hugo"].append(timed(["hugo", "--quiet", "-s", str(hugo)])[0])
        if mkdocs:
            results["mkdocs"].append(timed([str(MKDOCS_ENV / "bin" / "mkdocs"), "build", "-q",
                                            "-f", str(mkdocs / "mkdocs.yml")])[0])
        if run == 0:
            shutil.rmtree(cache, ignore_errors=True)
            results["cold_jobs1"].append(timed(annostory(root, "build", "--jobs", "1"))[0])
    out = {key: median(values) for key, values in results.items() if values}
    out["runs"] = runs
    out["peak_mib"] = max(peaks)
    out["editor_ms"] = editor_latency(root, "story-00007")
    out["preview"] = preview_archive(root)
    out["hugo_missing"] = hugo is None
    out["mkdocs_missing"] = mkdocs is None
    return out


def matching(work: Path) -> dict:
    """`check` on each pathological story, and on the same story with one ordinary
    annotation: the ratio is what matching costs."""
    rows = {}
    for kind in PATHOLOGICAL:
        bad = pathological(work / f"p-{kind}", kind)
        good = pathological(work / f"p-{kind}-ordinary", kind, ordinary=True)
        times = {"case": [], "ordinary": []}
        for _ in range(3):
            times["case"].append(timed(annostory(bad, "check", "--no-cache"))[0])
            times["ordinary"].append(timed(annostory(good, "check", "--no-cache"))[0])
        rows[kind] = {"case": median(times["case"]), "ordinary": median(times["ordinary"])}
    return rows


def example(runs: int) -> dict:
    imports = [timed([PYTHON, "-c", "import jinja2, markdown_it, yaml"])[0]
               for _ in range(runs)]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        command = [PYTHON, str(REPO / "build.py"), "--root", str(REPO), "--out", str(out),
                   "--no-cache"]
        timed(command)  # bytecode caches written once, as after any first run
        builds = [timed(command)[0] for _ in range(runs)]
    return {"imports": median(imports), "build": median(builds)}


def editor_latency(root: Path, slug: str, edits: int = 10) -> dict:
    """The language server on one story of a project: start to first diagnostics, and
    each edit to its diagnostics (the 150 ms debounce included)."""
    from editor import latencies

    ready, timings = latencies(root, slug, edits)
    return {"start": ready, "median": median(timings), "max": max(timings)}


def preview_archive(root: Path) -> dict:
    """The preview of a built project: seconds from start to serving (the last build's
    files), from a save made while it first checks every file to the reload of that
    page, to that check done, and, for saves of one story's annotations made while
    the preview is idle, from the save to the reload of its page (written first)
    and to the whole site rebuilt."""
    from preview_helpers import LiveClient, Server

    started = time.perf_counter()
    server = Server(root, timeout=600)
    start = time.perf_counter() - started
    path = root / "annotations" / "story-00007.yaml"
    original = path.read_text()
    try:
        client = LiveClient(server.port)
        time.sleep(1)  # the first check under way
        began = time.perf_counter()
        path.write_text(original.replace("Alice Barnes", "Alice Barnes M"))
        while "story-00007/" not in client.next_reload(timeout=900)["path"]:
            pass
        meanwhile = time.perf_counter() - began
        server.wait_for(r"start: (rebuilt in|build failed)", timeout=900)
        checked = time.perf_counter() - started
        server.wait_for(r"story-00007.yaml: (rebuilt in|build failed)", timeout=300)
        saves, sites = [], []
        for i in range(3):
            time.sleep(0.5)
            while not client.messages.empty():
                client.messages.get()
            began = time.perf_counter()
            path.write_text(original.replace("Alice Barnes", f"Alice Barnes {i}"))
            client.next_reload(timeout=120)
            saves.append(time.perf_counter() - began)
            server.wait_for(r"story-00007.yaml: (rebuilt in|build failed)", timeout=300)
            sites.append(time.perf_counter() - began)
        return {"start": start, "meanwhile": meanwhile, "checked": checked,
                "save": median(saves), "site": median(sites)}
    finally:
        path.write_text(original)
        server.stop()


def preview(saves: int) -> list[float]:
    from helpers import make_project
    from preview_helpers import LiveClient, Server

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000",
                        help="story counts (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs per contender (median; one above 2,000 stories)")
    parser.add_argument("--install-mkdocs", action="store_true",
                        help=f"create {MKDOCS_ENV.name} with mkdocs if it is missing")
    parser.add_argument("--json", default=str(HERE / "results.json"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    mkdocs_state = ensure_mkdocs(args.install_mkdocs)
    report: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                                "system": platform.platform()},
                    "hugo": shutil.which("hugo") and subprocess.run(
                        ["hugo", "version"], capture_output=True, text=True).stdout.strip()
                    or "missing", "mkdocs": mkdocs_state, "newsroom": {}}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in sizes:
            report["newsroom"][size] = newsroom(size, args.runs if size <= 2000 else 1, work)
            shutil.rmtree(work / f"n{size}", ignore_errors=True)
        report["matching"] = matching(work)
        report["budget_ms"] = budget(work)
    report["example"] = example(args.runs + 2)
    report["preview_ms"] = preview(7)
    with tempfile.TemporaryDirectory() as tmp:
        from helpers import make_project
        report["editor_example_ms"] = editor_latency(make_project(Path(tmp)),
                                                     "trumka-not-motivated")
    Path(args.json).write_text(json.dumps(report, indent=2, default=str))
    print_table(report)


def print_table(report: dict) -> None:
    print(f"machine: {report['machine']}")
    print(f"hugo: {report['hugo']}; mkdocs: {report['mkdocs']}")
    for size, r in report["newsroom"].items():
        cold = r["cold"]
        print(f"\nN = {size} stories (medians of {r.get('runs', '?')} runs, seconds)")
        print("| contender | time | ratio to annostory cold |")
        print("|---|---|---|")
        rows = [("annostory cold (every core)", r["cold"]),
                ("annostory cold, --jobs 1", r.get("cold_jobs1")),
                ("annostory, nothing changed", r["nothing_changed"]),
                ("annostory, one story's annotations changed", r["one_changed"]),
                ("annostory check (cache warm)", r["check"]),
                ("annotated floor: read, YAML, story + notes, one template, every core",
                 r.get("annotated")),
                ("floor: markdown-it-py + Jinja2 loop", r["floor"]),
                ("hugo", None if r["hugo_missing"] else r.get("hugo")),
                ("mkdocs", None if r["mkdocs_missing"] else r.get("mkdocs"))]
        for name, value in rows:
            if value is None:
                print(f"| {name} | missing | |")
            else:
                print(f"| {name} | {value:.2f} | {value / cold:.2f} |")
        print(f"peak memory, all processes: {r['peak_mib']:.0f} MiB")
        if not r["hugo_missing"]:
            print(f"cold / hugo = {cold / r['hugo']:.2f}")
        if r.get("annotated"):
            print(f"cold / annotated floor = {cold / r['annotated']:.2f}")
        if "preview" in r:
            v = r["preview"]
            print(f"preview: serving after a build {v['start']:.2f} s (every file checked "
                  f"after {v['checked']:.1f} s; a save meanwhile on its page in "
                  f"{v['meanwhile']:.2f} s); a save on its page {v['save']:.2f} s, the "
                  f"site around it {v['site']:.2f} s")
        if "editor_ms" in r:
            e = r["editor_ms"]
            print(f"language server: first diagnostics {e['start']:.0f} ms after start, an "
                  f"edit's diagnostics {e['median']:.0f} ms (max {e['max']:.0f}, 150 ms "
                  "debounce included)")
        print(f"cold / floor = {cold / r['floor']:.2f}; nothing changed / cold = "
              f"{r['nothing_changed'] / cold:.2f}; one changed / cold = "
              f"{r['one_changed'] / cold:.2f}")
    sizes = sorted(report["newsroom"])
    if len(sizes) >= 2:
        a, b = report["newsroom"][sizes[0]], report["newsroom"][sizes[-1]]
        times = b["cold"] / a["cold"]
        print(f"\nlinearity: cold N={sizes[-1]} / N={sizes[0]} = {times:.2f} "
              f"({times / (sizes[-1] / sizes[0]):.2f} of proportional)")
    print("\nmatching: `check` seconds, the case and the same story with one ordinary "
          "annotation")
    print("| story | case | ordinary | ratio |")
    print("|---|---|---|---|")
    for kind, row in report["matching"].items():
        print(f"| {kind} | {row['case']:.2f} | {row['ordinary']:.2f} | "
              f"{row['case'] / row['ordinary']:.2f} |")
    b = report["budget_ms"]
    print("\na story's cost on one core (ms, 200 stories, best of 3)")
    print("| step | ms | x floor |")
    print("|---|---|---|")
    floor = next(iter(b.values()))
    for name, ms in b.items():
        print(f"| {name} | {ms:.2f} | {ms / floor:.1f} |")
    needed = sum(ms for name, ms in b.items() if not name.startswith(("floor", "annostory")))
    cores = report["machine"]["cores"] or 1
    print(f"the three library calls alone: {needed:.2f} ms = {needed / floor:.1f} x the floor's "
          f"whole story (its file reading and writing included); shared perfectly over "
          f"{cores} cores, with nothing else to do, they still make cold / floor "
          f"{needed / floor / cores:.2f}")
    e = report["example"]
    print(f"\nexample site: build {e['build']:.2f} s, bare imports {e['imports']:.2f} s, "
          f"ratio {e['build'] / e['imports']:.2f}")
    p = report["preview_ms"]
    print(f"preview save -> reload: median {median(p):.0f} ms ({min(p):.0f}-{max(p):.0f})")
    e = report["editor_example_ms"]
    print(f"language server on the example: an edit's diagnostics {e['median']:.0f} ms "
          f"(max {e['max']:.0f}; 150 ms debounce included)")


if __name__ == "__main__":
    main()
