"""annostory: a static site generator for annotated news stories.

The engine in layers, each a subpackage that imports only the layers before it
(tested: tests/structure/test_layers.py):

    core       diagnostics, dates, text folding, records, shared rules
    inputs     the project and its files: YAML, schemas, stories, annotations, originals
    anchoring  each quote attached to its one passage; every quotation found
    checks     coverage, originals, attribution, images (checks.registry)
    pages      every page kind of the site (pages.registry), through Jinja
    build      one story at a time, on every core, with caches; then the project
    output     writing the site (depends only on core)
    commands   build, check, stub, serve, new, theme

Plain data passes between steps; problems are diagnostics (core.diagnostics),
collected and printed together.
"""

from .core.version import VERSION as __version__  # noqa: E402, F401
