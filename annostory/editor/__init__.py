"""The editor layer: `annostory lsp`, a language server that answers from the very
compile `check` runs, on the editor's unsaved text (see `editor.server`)."""
