"""annostory's answers in the Language Server Protocol's types (`lsprotocol`).

Spans count characters; the client counts code units of its position encoding
(UTF-16 unless it chose otherwise): `Lines.range` converts, with the lines of the
file the span is in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path
from pygls.workspace import PositionCodec
from pygls.workspace.position_codec import ServerTextPosition

from ..core.diagnostics import Diagnostic
from .actions import Action
from .completion import Completion
from .navigation import Symbol
from .spans import Span, span_at

SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}
SYMBOL_KIND = {"section": lsp.SymbolKind.Namespace, "person": lsp.SymbolKind.Constant,
               "source": lsp.SymbolKind.File, "annotation": lsp.SymbolKind.String,
               "entry": lsp.SymbolKind.String}
COMPLETION_KIND = {"value": lsp.CompletionItemKind.EnumMember,
                   "field": lsp.CompletionItemKind.Property,
                   "reference": lsp.CompletionItemKind.Reference,
                   "quote": lsp.CompletionItemKind.Text}


def uri(path: Path) -> str:
    return from_fs_path(str(path)) or path.as_uri()


class Lines:
    """The lines of files, for converting spans into the client's units."""

    def __init__(self, codec: PositionCodec, text_of: Callable[[Path], str | None]) -> None:
        self.codec = codec
        self.text_of = text_of
        self._lines: dict[Path, list[str]] = {}

    def of(self, path: Path) -> list[str]:
        if path not in self._lines:
            self._lines[path] = (self.text_of(path) or "").split("\n")
        return self._lines[path]

    def range(self, span: Span) -> lsp.Range:
        lines = self.of(span.path)
        return lsp.Range(self._position(lines, span.line, span.character),
                         self._position(lines, span.end_line, span.end_character))

    def _position(self, lines: list[str], line: int, character: int) -> lsp.Position:
        if line >= len(lines):
            return lsp.Position(line=max(len(lines) - 1, 0) if lines else 0, character=0)
        return self.codec.position_to_client_units(lines, ServerTextPosition(line, character))

    def location(self, span: Span) -> lsp.Location:
        return lsp.Location(uri=uri(span.path), range=self.range(span))

    def diagnostic(self, path: Path, d: Diagnostic, path_of: Callable) -> lsp.Diagnostic:
        related = []
        for place in d.related:
            where = path_of(place)
            related.append(lsp.DiagnosticRelatedInformation(
                location=self.location(span_at(where, self.text_of(where), place)),
                message="another place" if d.code == "anchor-ambiguous" else "see here"))
        message = d.message + (f"\n{d.hint}" if d.hint else "")
        return lsp.Diagnostic(
            range=self.range(span_at(path, self.text_of(path), d.position)), message=message,
            severity=SEVERITY[d.severity], code=d.code, source="annostory",
            related_information=related or None)

    def symbol(self, symbol: Symbol) -> lsp.DocumentSymbol:
        where = self.range(symbol.span)
        return lsp.DocumentSymbol(
            name=symbol.name or "(empty)", detail=symbol.detail or None,
            kind=SYMBOL_KIND[symbol.kind], range=where, selection_range=where,
            children=[self.symbol(child) for child in symbol.children] or None)

    def completion(self, path: Path, item: Completion, line: int, character: int
                   ) -> lsp.CompletionItem:
        """A completion at (`line`, `character`) of `path`: replacing what was typed of
        it (from `item.replace_from`), so the client's own idea of a word does not
        matter."""
        text = item.insert or item.label
        edit = None
        if item.replace_from is not None:
            edit = lsp.TextEdit(range=self.range(Span(path, line, item.replace_from, line,
                                                      character)), new_text=text)
        documentation = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown,
                                          value=item.documentation) \
            if item.documentation else None
        return lsp.CompletionItem(
            label=item.label, detail=item.detail or None, documentation=documentation,
            kind=COMPLETION_KIND[item.kind], insert_text=text if edit is None else None,
            text_edit=edit, filter_text=text)

    def action(self, action: Action, diagnostics: list[lsp.Diagnostic]) -> lsp.CodeAction:
        changes: list = []
        for edit in action.edits:
            target = uri(edit.span.path)
            if edit.create:
                changes.append(lsp.CreateFile(uri=target, options=lsp.CreateFileOptions(
                    ignore_if_exists=True)))
                edit_range = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
            else:
                edit_range = self.range(edit.span)
            changes.append(lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=target,
                                                                           version=None),
                edits=[lsp.TextEdit(range=edit_range, new_text=edit.text)]))
        return lsp.CodeAction(title=action.title, kind=lsp.CodeActionKind.QuickFix,
                              diagnostics=diagnostics or None,
                              edit=lsp.WorkspaceEdit(document_changes=changes),
                              is_preferred=action.preferred or None)
