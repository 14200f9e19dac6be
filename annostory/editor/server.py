"""`annostory lsp`: the language server, on stdio (pygls).

Each story is checked with `editor.analysis` (the compile `check` runs) on the
editor's unsaved text of both its files, a moment after the last keystroke; its
diagnostics are published for every file they are in, and cleared when fixed. Hover,
definitions, references, completion, code actions and the outline answer from the
latest check. A failure inside a request is logged and answered with nothing: the
server keeps running.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ..core.version import VERSION
from .actions import actions
from .analysis import Analysis, analyse
from .completion import complete
from .hover import hover
from .locate import Kind, StoryFiles, locate
from .navigation import definition, references, symbols
from .protocol import Lines, uri

DEBOUNCE = 0.15  # seconds after the last keystroke before a story is checked again


class AnnostoryServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("annostory", VERSION,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.generation = 0  # counts every change of every document
        self.latest: dict[StoryFiles, tuple[int, Analysis]] = {}
        self.pending: dict[StoryFiles, asyncio.Task] = {}
        self.published: dict[StoryFiles, set[str]] = {}

    # --- the documents ---------------------------------------------------------
    def buffers(self) -> dict[Path, str]:
        found = {}
        for key, document in self.workspace.text_documents.items():
            path = to_fs_path(key)
            if path:
                found[Path(path)] = document.source
        return found

    def analysis(self, files: StoryFiles) -> Analysis:
        """The story checked as the editor has it now (reused until anything changes)."""
        known = self.latest.get(files)
        if known is not None and known[0] == self.generation:
            return known[1]
        found = analyse(files, self.buffers())
        self.latest[files] = (self.generation, found)
        return found

    def lines(self, analysis: Analysis | None = None) -> Lines:
        def text_of(path: Path) -> str | None:
            document = self.workspace.text_documents.get(uri(path))
            if document is not None:
                return document.source
            return analysis.text_of(path) if analysis is not None else None
        return Lines(self.workspace.position_codec, text_of)

    def cursor(self, key: str, position: lsp.Position) -> tuple[int, int]:
        document = self.workspace.get_text_document(key)
        at = document.position_codec.position_from_client_units(document.lines, position)
        return at.line, at.character

    # --- diagnostics ---------------------------------------------------------------
    def changed(self, key: str, delay: float) -> None:
        self.generation += 1
        found = _located(key)
        if found is None:
            return
        files, _ = found
        task = self.pending.pop(files, None)
        if task is not None:
            task.cancel()
        self.pending[files] = asyncio.ensure_future(self._check_later(files, delay))

    async def _check_later(self, files: StoryFiles, delay: float) -> None:
        await asyncio.sleep(delay)
        self.pending.pop(files, None)
        try:
            self.publish(files, self.analysis(files))
        except Exception:  # a bug of ours: logged, and the server keeps serving
            self.log_failure("checking " + files.slug)

    def publish(self, files: StoryFiles, analysis: Analysis) -> None:
        lines = self.lines(analysis)
        now: set[str] = set()
        for path, found in analysis.by_file.items():
            key = uri(path)
            now.add(key)
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=key, diagnostics=[lines.diagnostic(path, d, analysis.path_of)
                                      for d in found]))
        cleared = (self.published.get(files, set()) | {uri(files.story), uri(
            files.annotations)}) - now
        for key in cleared:
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
                uri=key, diagnostics=[]))
        self.published[files] = now

    def log_failure(self, doing: str) -> None:
        print(f"annostory lsp: failed {doing}\n{traceback.format_exc()}", file=sys.stderr)
        self.window_log_message(lsp.LogMessageParams(
            type=lsp.MessageType.Error,
            message=f"annostory: internal error while {doing} (a bug in annostory, not in "
                    f"your files):\n{traceback.format_exc(limit=3)}"))


def _located(key: str) -> tuple[StoryFiles, Kind] | None:
    path = to_fs_path(key)
    return locate(Path(path)) if path else None


def _answer(server: AnnostoryServer, key: str, doing: str,
            work: Callable[[Analysis, Kind], Any]) -> Any:
    """Run a request on the story `key` belongs to; None for a file of no story, or
    when it fails (logged)."""
    found = _located(key)
    if found is None:
        return None
    files, kind = found
    try:
        return work(server.analysis(files), kind)
    except Exception:
        server.log_failure(doing)
        return None


def make_server() -> AnnostoryServer:
    server = AnnostoryServer()
    _documents(server)
    _reading(server)
    _editing(server)
    return server


def _documents(server: AnnostoryServer) -> None:
    """Opening, typing, saving, closing: the story is checked again."""

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AnnostoryServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AnnostoryServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, DEBOUNCE)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AnnostoryServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AnnostoryServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, 0)  # what is on disk counts again


def _reading(server: AnnostoryServer) -> None:
    """Hover, definitions, references."""

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: AnnostoryServer, params: lsp.HoverParams) -> lsp.Hover | None:
        key = params.text_document.uri
        line, character = ls.cursor(key, params.position)
        text = _answer(ls, key, "answering a hover",
                       lambda a, kind: hover(a, kind, line, character))
        if not text:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: AnnostoryServer, params: lsp.DefinitionParams
                      ) -> list[lsp.Location] | None:
        key = params.text_document.uri
        line, character = ls.cursor(key, params.position)
        return _answer(ls, key, "finding a definition", lambda a, kind: [
            ls.lines(a).location(s) for s in definition(a, kind, line, character)])

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def on_references(ls: AnnostoryServer, params: lsp.ReferenceParams
                      ) -> list[lsp.Location] | None:
        key = params.text_document.uri
        line, character = ls.cursor(key, params.position)
        declaration = params.context.include_declaration
        return _answer(ls, key, "finding references", lambda a, kind: [
            ls.lines(a).location(s)
            for s in references(a, kind, line, character, declaration)])


def _editing(server: AnnostoryServer) -> None:
    """Completion, fixes, the outline."""

    @server.feature(lsp.TEXT_DOCUMENT_COMPLETION,
                    lsp.CompletionOptions(trigger_characters=[":", "[", ","]))
    def on_completion(ls: AnnostoryServer, params: lsp.CompletionParams
                      ) -> lsp.CompletionList | None:
        key = params.text_document.uri
        line, character = ls.cursor(key, params.position)

        def work(a: Analysis, kind: Kind) -> lsp.CompletionList | None:
            if kind != "annotations":
                return None
            text = ls.workspace.get_text_document(key).source
            lines = ls.lines(a)
            path = a.files.annotations
            return lsp.CompletionList(is_incomplete=False, items=[
                lines.completion(path, item, line, character)
                for item in complete(a, text, line, character)])
        return _answer(ls, key, "completing", work)

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def on_code_action(ls: AnnostoryServer, params: lsp.CodeActionParams
                       ) -> list[lsp.CodeAction] | None:
        key = params.text_document.uri
        start, end = params.range.start.line, params.range.end.line
        sent = params.context.diagnostics

        def work(a: Analysis, kind: Kind) -> list[lsp.CodeAction]:
            lines = ls.lines(a)
            return [lines.action(action, [d for d in sent if d.code in {
                f.code for f in action.fixes}]) for action in actions(a, kind, start, end)]
        return _answer(ls, key, "finding fixes", work)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(ls: AnnostoryServer, params: lsp.DocumentSymbolParams
                   ) -> list[lsp.DocumentSymbol] | None:
        key = params.text_document.uri

        def work(a: Analysis, kind: Kind) -> list[lsp.DocumentSymbol] | None:
            if kind != "annotations":
                return None
            lines = ls.lines(a)
            return [lines.symbol(s) for s in symbols(a)]
        return _answer(ls, key, "listing the outline", work)


def serve() -> int:
    """Serve on stdin and stdout until the editor says goodbye."""
    make_server().start_io()
    return 0
