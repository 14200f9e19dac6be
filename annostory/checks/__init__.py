"""Checks: what is verified of an anchored story (coverage, originals, attribution,
images), in the order of `checks.registry`."""
