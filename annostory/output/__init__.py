"""Writing the site: where it may go, all or nothing, in place for the preview.
Depends only on the core."""
