"""The build: one story at a time (pure), on every core, with caches; then the
project, assembled from the page kinds."""
