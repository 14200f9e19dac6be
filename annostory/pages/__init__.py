"""Pages: every page kind of the site (`pages.registry`), rendered through Jinja."""
