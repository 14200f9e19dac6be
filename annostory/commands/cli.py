"""The command line: `build` (default), `check`, `stub`, `serve`.

Thin by design: parse arguments, call the pipeline, print diagnostics, choose
the exit code (0 success, 1 content errors, 2 usage errors).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

from ..build.cache import CACHE_DIR, DiskCache
from ..build.project import compile_project
from ..build.results import ProjectResult
from ..build.workers import default_jobs
from ..core.diagnostics import has_errors
from ..core.invocation import set_invocation
from ..inputs.project import DEFAULT_OUT, Project
from ..inputs.settings import base_url_problem
from ..output.atomic import write_site
from ..output.folders import OutputError, recover
from ..output.guard import check_output_dir
from ..output.lock import site_lock
from ..output.manifest import holds, is_current, read_manifest
from .report import SourceLines, format_json, format_text
from .schemas import keep_schemas

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def plural(count: int, word: str, words: str = "") -> str:
    """'1 error', '2 errors', '1 story', '0 stories'."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def summary_line(result: ProjectResult) -> str:
    c = result.counts()
    return (f"{plural(c['stories'], 'story', 'stories')}, "
            f"{plural(c['annotations'], 'annotation')}, {c['covered']} of "
            f"{plural(c['quotations'], 'quotation')} annotated, "
            f"{plural(c['errors'], 'error')}, {plural(c['warnings'], 'warning')}")


def print_diagnostics(result: ProjectResult, root: Path, fmt: str = "text") -> None:
    if fmt == "json":
        print(format_json(result.diagnostics))
        return
    if result.diagnostics:
        print(format_text(result.diagnostics, SourceLines(root)), file=sys.stderr)


def resolve_out(project: Project, out: str) -> Path:
    path = Path(out)
    return path if path.is_absolute() else project.root / path


def usage_problem(args: argparse.Namespace, project: Project) -> str:
    """Arguments that are wrong before anything is read: the output folder and the
    base URL. '' when all is well."""
    base_url = getattr(args, "base_url", None)
    if base_url is not None:
        problem = base_url_problem(base_url, allow_path=args.command == "serve")
        if problem:
            return f"--base-url: {problem}"
    if getattr(args, "out", None) is not None:
        problem = check_output_dir(resolve_out(project, args.out), project.root,
                                   project.protected())
        if problem:
            return f"--out: {problem}"
    return ""


class Progress:
    """One updating line on a terminal: stories done of total, elapsed time."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.enabled = sys.stdout.isatty() and sys.stderr.isatty()
        self.shown = False
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        sys.stderr.write(f"\r{done} of {total} stories compiled, "
                         f"{now - self.started:.1f} s")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def compile_with_options(args: argparse.Namespace, project: Project, progress=None,
                         out: Path | None = None):
    disk_cache = None if args.no_cache else DiskCache(project.root)
    jobs = args.jobs or default_jobs()
    up_to_date = present = None
    if out is not None and disk_cache:
        manifest = disk_cache.manifest_for(out)
        up_to_date = lambda key: is_current(out, manifest, key)  # noqa: E731
        present = holds(read_manifest(manifest), out)
    return compile_project(project, base_url=args.base_url, disk_cache=disk_cache, jobs=jobs,
                           progress=progress, up_to_date=up_to_date,
                           include_drafts=getattr(args, "drafts", True),
                           writing=args.command == "build", present=present), disk_cache


def cmd_build(args: argparse.Namespace) -> int:
    project = Project(Path(args.root).resolve())
    out = resolve_out(project, args.out)

    def waiting() -> None:
        print(f"waiting for another build of {out} to finish", file=sys.stderr, flush=True)
    try:
        with site_lock(out, waiting):  # one build of a site at a time
            return _build(args, project, out)
    except OutputError as exc:
        print(f"build failed: cannot write the site: {exc}; {out} was left as it was",
              file=sys.stderr)
        return EXIT_CONTENT


def _build(args: argparse.Namespace, project: Project, out: Path) -> int:
    started = time.perf_counter()
    progress = Progress(started)
    result, disk_cache = compile_with_options(args, project, progress, out)
    progress.clear()
    print_diagnostics(result, project.root)
    if not result.ok:
        print(f"build failed: {summary_line(result)}; {out} was left as it was",
              file=sys.stderr)
        return EXIT_CONTENT
    if result.unchanged:
        with contextlib.suppress(OSError):  # leftovers of killed builds go all the same
            for note in recover(out):
                print(f"note: {note}", file=sys.stderr)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"{out} is up to date (nothing changed) in {elapsed:.0f} ms: "
              f"{summary_line(result)}")
        return EXIT_OK
    notes = write_site(out, result.files, disk_cache.manifest_for(out) if disk_cache
                       else None, result.site_key)
    for note in notes + result.notes:
        print(f"note: {note}", file=sys.stderr)
    elapsed = (time.perf_counter() - started) * 1000
    pages = sum(1 for path in result.files if path.endswith(".html"))
    reused = f", {result.reused} from the cache" if result.reused else ""
    print(f"built {len(result.files)} files ({pages} pages) into {out} in {elapsed:.0f} ms"
          f"{reused}: {summary_line(result)}")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    project = Project(Path(args.root).resolve())
    progress = Progress(time.perf_counter())
    result, _ = compile_with_options(args, project, progress)
    progress.clear()
    if args.format == "json":
        print_diagnostics(result, project.root, "json")
    else:
        print_diagnostics(result, project.root)
        print(summary_line(result))
    failed = has_errors(result.diagnostics) or (args.strict and bool(result.diagnostics))
    return EXIT_CONTENT if failed else EXIT_OK


def cmd_stub(args: argparse.Namespace) -> int:
    from .stub import write_stub

    project = Project(Path(args.root).resolve())
    return write_stub(project, args.slug)


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    project = Project(Path(args.root).resolve())
    return serve(project, host=args.host, port=args.port, base_url=args.base_url)


def cmd_new(args: argparse.Namespace) -> int:
    from .new import new_project, new_story

    if len(args.what) == 2 and args.what[0] == "story":
        return new_story(Project(Path(args.root).resolve()), args.what[1], args.title)
    if len(args.what) != 1:
        print("new: give a folder (annostory new DIR) or a story (annostory new story SLUG)",
              file=sys.stderr)
        return EXIT_USAGE
    return new_project(Path(args.what[0]))


def cmd_theme(args: argparse.Namespace) -> int:
    from .theme import theme

    return theme(Project(Path(args.root).resolve()), args.action, args.names)


def cmd_lsp(args: argparse.Namespace) -> int:
    from ..editor.server import serve

    return serve()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="annostory", description="Build annotated stories into "
                                "a static site.")
    p.add_argument("--root", default=".", help="project folder (default: current folder)")
    sub = p.add_subparsers(dest="command")

    def common(sp: argparse.ArgumentParser, base_help: str) -> None:
        sp.add_argument("--root", default=argparse.SUPPRESS, help="project folder")
        sp.add_argument("--base-url", default=None, metavar="URL", help=base_help)

    def speed(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="processes compiling stories (default: one per core; 1 to "
                             "debug)")
        sp.add_argument("--no-cache", action="store_true",
                        help=f"do not read or write the cache of compiled stories "
                             f"({CACHE_DIR}/)")

    out_help = ("output folder (default: site); it must be new, empty or made by annostory, "
                "and never a source folder")
    absolute = ("absolute address the site is served from, like https://example.org/stories/ "
                "(overrides site.yaml's base_url; used for canonical links)")
    b = sub.add_parser("build", help="build the site (default)")
    common(b, absolute)
    b.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help=out_help)
    b.add_argument("--drafts", action="store_true",
                   help="include stories marked 'draft: true' (left out by default)")
    speed(b)
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", help="report every problem without writing anything")
    common(c, absolute)
    c.add_argument("--strict", action="store_true", help="warnings count as errors")
    c.add_argument("--format", choices=("text", "json"), default="text",
                   help="text for people (default), json for editors and CI")
    speed(c)
    c.set_defaults(func=cmd_check)

    s = sub.add_parser("stub", help="add a stub annotation for every unannotated quotation")
    s.add_argument("--root", default=argparse.SUPPRESS, help="project folder")
    s.add_argument("slug", help="the story's file name without .md")
    s.set_defaults(func=cmd_stub)

    v = sub.add_parser("serve", help="preview: build into a folder of its own (never site/), "
                       "serve it, rebuild and reload on every save")
    common(v, "where the site will be deployed: a path like /stories/ (served there by the "
              "preview) or an absolute address like https://example.org/stories/")
    v.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1, this machine only)")
    v.add_argument("--port", type=int, default=8000,
                   help="port to listen on (default: 8000; the next free one if taken)")
    v.set_defaults(func=cmd_serve)

    n = sub.add_parser("new", help="start a project (new DIR) or a story (new story SLUG)")
    n.add_argument("--root", default=argparse.SUPPRESS, help="project folder (for a story)")
    n.add_argument("what", nargs="+", metavar="DIR | story SLUG")
    n.add_argument("--title", default="", help="the new story's headline")
    n.set_defaults(func=cmd_new)

    t = sub.add_parser("theme", help="the built-in templates and static files, and yours")
    t.add_argument("--root", default=argparse.SUPPRESS, help="project folder")
    t.add_argument("action", choices=("list", "copy", "diff"),
                   help="list them; copy one into the project to change it; diff yours "
                        "with the built-in one")
    t.add_argument("names", nargs="*", metavar="NAME", help="e.g. story.html, style.css")
    t.set_defaults(func=cmd_theme)

    e = sub.add_parser("lsp", help="the language server for editors (on stdin and stdout): "
                       "check, hover, go to definition, completion and fixes as you type")
    e.add_argument("--root", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    e.add_argument("--stdio", action="store_true",
                   help="talk on stdin and stdout (the default; accepted for editors that "
                        "pass it)")
    e.set_defaults(func=cmd_lsp)
    return p


COMMANDS = ("build", "check", "stub", "serve", "new", "theme", "lsp")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(a in COMMANDS for a in argv) and not any(a in ("-h", "--help") for a in argv):
        argv = ["build", *argv]
    args = parser().parse_args(argv)
    set_invocation(sys.argv[0], args.root)
    try:
        if getattr(args, "jobs", 0) < 0:
            print(f"annostory {args.command}: --jobs must be 1 or more", file=sys.stderr)
            return EXIT_USAGE
        if args.command in ("build", "check", "serve"):
            project = Project(Path(args.root).resolve())
            problem = usage_problem(args, project)
            if problem:
                print(f"annostory {args.command}: {problem}", file=sys.stderr)
                return EXIT_USAGE
            for note in keep_schemas(project):  # the editors' copy, in step with us
                print(f"note: {note}", file=sys.stderr)
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: never a traceback
        print(f"annostory: internal error: {exc!r}\n"
              "This is a bug in annostory, not in your files; please report it with the "
              "command you ran.", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """The `annostory` command installed by pip."""
    sys.exit(main())


if __name__ == "__main__":
    run()
