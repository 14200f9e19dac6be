"""annostory's version: in the package metadata, the editor schemas' notes and the
record an override keeps of what it was copied from."""

VERSION = "0.3.0"
