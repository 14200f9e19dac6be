"""The commands: build, check, stub, serve (the preview), and their printing."""
