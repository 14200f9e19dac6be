"""How long the language server takes: from a keystroke (a change of the unsaved
annotations file that makes a quote wrong, or right again) to its diagnostics in the
client, on one story of a project. Used by bench/run.py; on its own:
`python bench/editor.py PROJECT SLUG [EDITS]` prints the milliseconds.

The server waits `editor.server.DEBOUNCE` after the last keystroke before it checks,
as it does for a person typing: that wait is part of what is measured (and printed).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent


async def _latencies(root: Path, slug: str, edits: int) -> tuple[float, list[float]]:
    client = LanguageClient("bench", "1")
    arrived: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        arrived.put_nowait((time.perf_counter(), params))

    started = time.perf_counter()
    await client.start_io(sys.executable, str(REPO / "build.py"), "lsp")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=root.as_uri()))
    client.initialized(types.InitializedParams())
    path = root / "annotations" / f"{slug}.yaml"
    uri = path.as_uri()
    text = path.read_text("utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))

    async def wait_for(wrong: bool) -> float:
        while True:
            at, params = await asyncio.wait_for(arrived.get(), 30)
            if params.uri == uri and bool(params.diagnostics) == wrong:
                return at
    await wait_for(False)
    ready = (time.perf_counter() - started) * 1000
    quote = next(line.split("quote:", 1)[1].strip() for line in text.split("\n")
                 if "quote:" in line and len(line.split("quote:", 1)[1].strip()) > 8)
    typo = text.replace(quote, quote[:-2] + "zz", 1)
    timings = []
    for i in range(edits):
        wrong = i % 2 == 0
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=i + 2),
            [types.TextDocumentContentChangeWholeDocument(text=typo if wrong else text)]))
        timings.append((await wait_for(wrong) - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return ready, timings


def latencies(root: Path, slug: str, edits: int = 10) -> tuple[float, list[float]]:
    """(ms from starting the server to the first diagnostics, ms from each edit to
    its diagnostics)."""
    return asyncio.run(_latencies(root, slug, edits))


if __name__ == "__main__":
    ready, timings = latencies(Path(sys.argv[1]).resolve(), sys.argv[2],
                               int(sys.argv[3]) if len(sys.argv) > 3 else 10)
    print(f"first diagnostics {ready:.0f} ms after start; edit -> diagnostics: median "
          f"{statistics.median(timings):.0f} ms ({min(timings):.0f}-{max(timings):.0f})")
