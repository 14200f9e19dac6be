"""annostory: a static site generator for annotated news stories.

The pipeline, one module a step (each takes plain data and returns plain data
plus a list of diagnostics):

    sourcefile   read a file safely (size, encoding, symlinks) -> text
    yamltree     YAML text -> plain values + positions (no code, no surprises)
    schema       validate those values against schema/annotations.schema.json
    dates        EDTF dates with precision -> honest display strings
    annotations  validated values -> Person / Source / Annotation records
    story        Markdown + front matter -> Story (token streams, metadata)
    textfold     what "the same text" means for matching quotes
    anchoring    markdown-it plugin: attach each annotation to its one passage
    quotations   find every quotation in a story (coverage)
    render       Jinja templates -> HTML pages
    output       write a site atomically
    pipeline     glue: compile one story, compile a project
"""

__version__ = "0.1.0"
