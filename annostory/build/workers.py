"""Compiling many stories on every core: a process pool (fork where there is one),
each worker compiling one story at a time and putting it in the disk cache, so its
page stays there rather than crossing back; results keep their order, and the
output does not depend on the number of workers."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager

from ..inputs.project import Project
from ..inputs.settings import SiteSettings
from ..pages.templates import make_environment
from .cache import DiskCache
from .keys import story_key
from .results import StoryResult
from .story import compile_story

_WORKER: dict = {}  # per process: the project, settings and Jinja environment


# A story's compile makes many short-lived objects (tokens, nodes, strings) and almost
# no reference cycles: the cycle collector runs far less often while stories compile
# (about 7% of a cold build), and a worker's inherited objects are frozen out of it.
FEWER_COLLECTIONS = (50_000, 20, 100)


_COLLECTING = threading.Lock()
_FEWER: list = []  # the setting to restore, while any thread compiles with fewer


@contextmanager
def fewer_collections():
    """Collect cycles less often for the duration; the previous setting is restored
    when the last of the threads using it is done (the setting is the process's)."""
    with _COLLECTING:
        if not _FEWER:
            _FEWER.append([gc.get_threshold(), 0])
            gc.set_threshold(*FEWER_COLLECTIONS)
        _FEWER[0][1] += 1
    try:
        yield
    finally:
        with _COLLECTING:
            _FEWER[0][1] -= 1
            if not _FEWER[0][1]:
                gc.set_threshold(*_FEWER.pop()[0])


def _worker_setup(project: Project, settings: SiteSettings, disk_cache: DiskCache | None,
                  salt: bytes | None) -> None:
    """What every story compiled in a worker process shares; what it inherited stays
    put (frozen out of the collector)."""
    gc.freeze()
    gc.set_threshold(*FEWER_COLLECTIONS)
    _WORKER.update(project=project, settings=settings, disk_cache=disk_cache, salt=salt,
                   env=make_environment(project.templates_dir, project.root))


def _worker_compile(slug: str) -> tuple[str, StoryResult]:
    return compile_one(_WORKER["project"], slug, _WORKER["settings"], _WORKER["env"],
                       _WORKER["disk_cache"], _WORKER["salt"])


def compile_one(project: Project, slug: str, settings: SiteSettings, env,
                disk_cache: DiskCache | None, salt: bytes | None) -> tuple[str, StoryResult]:
    """(cache key, result) of one story. With a cache, the files are read once for
    both: the key is the hash of the very bytes compiled, so a story saved during the
    build is never cached, nor written, under the key of another text."""
    key, read = story_key(project, slug, salt) if salt is not None else ("", {})
    result = compile_story(project, slug, settings, env, read)
    if disk_cache is not None and key:
        # on the worker's core; the page then stays in the entry, not in memory
        result = disk_cache.put(key, result)
    return key, result


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not Linux
        return max(os.cpu_count() or 1, 1)


def compile_stories(project: Project, slugs: list[str], settings: SiteSettings, jobs: int,
                    progress: Callable[[int], None] | None = None,
                    disk_cache: DiskCache | None = None,
                    salt: bytes | None = None) -> list[tuple[str, StoryResult]]:
    """(key, `compile_story`) for each slug, in order, on `jobs` processes. With a
    `salt` (the hash of what every story shares), each story's cache key is taken from
    the bytes it is compiled from, and the result is put in `disk_cache` under it.
    The output does not depend on `jobs`: each story is compiled alone, and results
    keep their order."""
    done: list[tuple[str, StoryResult]] = []
    if jobs <= 1 or len(slugs) < 4:  # here, with nothing shared with other threads
        env = make_environment(project.templates_dir, project.root)
        with fewer_collections():
            for slug in slugs:
                done.append(compile_one(project, slug, settings, env, disk_cache, salt))
                if progress:
                    progress(1)
        return done
    import multiprocessing  # only a build of many stories needs them
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    chunk = max(1, min(32, len(slugs) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=min(jobs, len(slugs)), mp_context=context,
                             initializer=_worker_setup,
                             initargs=(project, settings, disk_cache, salt)) as pool:
        for pair in pool.map(_worker_compile, slugs, chunksize=chunk):
            done.append(pair)
            if progress:
                progress(1)
    return done
