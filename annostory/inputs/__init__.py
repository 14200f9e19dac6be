"""Inputs: the project and its files, read safely; YAML, the schemas, stories,
annotations, the Markdown dialect and the story's text index; originals; the theme."""
