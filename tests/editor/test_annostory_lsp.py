"""`annostory lsp` end to end: a real LSP client (pytest-lsp) talks to the server over
stdio, on a copy of the example project, as an editor would: unsaved text, hover,
definitions, references, completion, fixes, outline."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.helpers import make_project

pytestmark = pytest.mark.slow  # a server process per test

SLUG = "trumka-not-motivated"
SERVER = [sys.executable, "-m", "annostory", "lsp"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, project: Path):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=project.as_uri()))
    yield
    await lsp_client.shutdown_session()


class Editor:
    """What the tests do with documents: open, retype, apply edits, wait."""

    def __init__(self, client: LanguageClient, project: Path) -> None:
        self.client = client
        self.story = project / "content" / f"{SLUG}.md"
        self.notes = project / "annotations" / f"{SLUG}.yaml"
        self.texts: dict[Path, str] = {}
        self.versions: dict[Path, int] = {}

    def open(self, path: Path, text: str | None = None) -> str:
        text = path.read_text("utf-8") if text is None else text
        self.texts[path], self.versions[path] = text, 1
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=path.as_uri(), language_id="yaml" if path.suffix ==
                                   ".yaml" else "markdown", version=1, text=text)))
        return text

    def retype(self, path: Path, text: str) -> None:
        """The whole buffer changed (not saved)."""
        self.texts[path] = text
        self.versions[path] += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=path.as_uri(),
                                                  version=self.versions[path]),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))

    def apply(self, edit: types.WorkspaceEdit) -> None:
        for change in edit.document_changes or []:
            if isinstance(change, types.TextDocumentEdit):
                path = Path(change.text_document.uri.removeprefix("file://"))
                text = self.texts.get(path, path.read_text("utf-8"))
                for e in change.edits:
                    text = _replace(text, e.range, e.new_text)
                self.retype(path, text) if path in self.texts else self.open(path, text)

    async def diagnostics(self, path: Path, until=lambda found: bool(found),
                          seconds: float = 10) -> list[types.Diagnostic]:
        for _ in range(int(seconds / 0.05)):
            found = self.client.diagnostics.get(path.as_uri())
            if found is not None and until(found):
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"no such diagnostics for {path.name}: "
                             f"{self.client.diagnostics.get(path.as_uri())}")

    def at(self, path: Path, needle: str, offset: int = 1) -> types.Position:
        """Where `needle` is in the buffer (UTF-16, as the client counts)."""
        text = self.texts[path]
        i = text.index(needle) + offset
        line = text.count("\n", 0, i)
        column = i - (text.rfind("\n", 0, i) + 1)
        row = text.split("\n")[line]
        return types.Position(line, len(row[:column].encode("utf-16-le")) // 2)

    def doc(self, path: Path) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(uri=path.as_uri())

    async def open_both(self) -> None:
        """Open the story and its annotations, and wait for the first check."""
        self.open(self.notes)
        self.open(self.story)
        await self.diagnostics(self.notes, until=lambda found: True)

    async def fixes(self, path: Path, found: list[types.Diagnostic]) -> list[types.CodeAction]:
        """The code actions offered for `found`, at the first one's range."""
        return await self.client.text_document_code_action_async(types.CodeActionParams(
            self.doc(path), found[0].range, types.CodeActionContext(diagnostics=found)))


def _replace(text: str, where: types.Range, new: str) -> str:
    lines = text.split("\n")

    def offset(p: types.Position) -> int:
        row = lines[p.line] if p.line < len(lines) else ""
        units = row.encode("utf-16-le")[:p.character * 2].decode("utf-16-le")
        return sum(len(r) + 1 for r in lines[:p.line]) + len(units)
    return text[:offset(where.start)] + new + text[offset(where.end):]


@pytest.fixture
def editor(client: LanguageClient, project: Path) -> Editor:
    return Editor(client, project)


def codes(found: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in found]


@pytest.mark.asyncio
async def test_a_typo_in_a_quote_is_reported_as_you_type_and_cleared_when_fixed(
        client, editor: Editor):
    text = editor.open(editor.notes)
    found = await editor.diagnostics(editor.notes, until=lambda f: True)
    assert codes(found) == [], found  # the example is clean
    editor.retype(editor.notes, text.replace("very damn near close", "very darn near close"))
    found = await editor.diagnostics(editor.notes)
    assert codes(found) == ["anchor-not-found"], found
    typo = found[0]
    assert typo.range.start == editor.at(editor.notes, "very darn", 0)
    assert typo.severity == types.DiagnosticSeverity.Error
    assert "very damn near close to 60%" in typo.message  # the did-you-mean hint
    assert typo.related_information, "the story's passage is a related place"
    assert typo.related_information[0].location.uri == editor.story.as_uri()
    editor.retype(editor.notes, text)
    await editor.diagnostics(editor.notes, until=lambda f: not f)


@pytest.mark.asyncio
async def test_a_quote_is_checked_against_the_unsaved_story(client, editor: Editor):
    editor.open(editor.notes)
    story = editor.open(editor.story)
    await editor.diagnostics(editor.notes, until=lambda f: True)
    editor.retype(editor.story, story.replace("very damn near close to 60%",
                                              "very nearly 60%"))
    found = await editor.diagnostics(editor.notes)
    assert "anchor-not-found" in codes(found), found
    # the story's own buffer gets its new unsourced quotation, at its line
    in_story = await editor.diagnostics(editor.story)
    assert "unsourced-quotation" in codes(in_story), in_story
    assert editor.story.read_text("utf-8") == story, "the server never writes a file"


@pytest.mark.asyncio
async def test_an_ambiguous_quote_lists_every_place_and_offers_each_prefix(
        client, editor: Editor):
    text = editor.open(editor.notes)
    story = editor.open(editor.story)
    editor.retype(editor.story, story + "\nShe wrote it again: \u201cvery damn near close "
                  "to 60%\u201d, twice.\n")
    found = await editor.diagnostics(editor.notes)
    ambiguous = [d for d in found if d.code == "anchor-ambiguous"]
    assert ambiguous, found
    places = {(r.location.uri, r.location.range.start.line)
              for r in ambiguous[0].related_information}
    assert len(places) == 2 and {uri for uri, _ in places} == {editor.story.as_uri()}
    actions = await editor.fixes(editor.notes, ambiguous)
    titles = [a.title for a in actions]
    assert any(t.startswith("Add prefix:") or t.startswith("Add suffix:") for t in titles)
    assert len(actions) == 2, titles  # one for each place
    editor.apply(actions[0].edit)
    assert editor.texts[editor.notes] != text
    found = await editor.diagnostics(editor.notes, until=lambda f: "anchor-ambiguous" not in
                                     codes(f))
    assert "anchor-not-found" not in codes(found) and "anchor-context-mismatch" not in \
        codes(found), found
    assert "# Notes for content/" in editor.texts[editor.notes], "comments are kept"


@pytest.mark.asyncio
async def test_near_miss_fix_uses_the_storys_words(client, editor: Editor):
    text = editor.open(editor.notes)
    editor.retype(editor.notes, text.replace("quote: very damn near close to 60%",
                                             "quote: very damn near close to 60 percent"))
    found = await editor.diagnostics(editor.notes)
    actions = await editor.fixes(editor.notes, found)
    assert [a.title for a in actions] == [
        "Use the story's words: \u201cvery damn near close to 60%\u201d"]
    editor.apply(actions[0].edit)
    assert 'quote: "very damn near close to 60%"' in editor.texts[editor.notes]
    await editor.diagnostics(editor.notes, until=lambda f: not f)


@pytest.mark.asyncio
async def test_an_unsourced_quotation_is_annotated_or_listed_by_a_fix(client, editor: Editor):
    editor.open(editor.notes)
    story = editor.open(editor.story)
    editor.retype(editor.story, story + "\nThe memo called it \u201ca done deal\u201d.\n")
    found = await editor.diagnostics(editor.story)
    unsourced = [d for d in found if d.code == "unsourced-quotation"]
    assert unsourced, found
    actions = await editor.fixes(editor.story, unsourced)
    by_title = {a.title: a for a in actions}
    assert "Annotate this quotation" in by_title, list(by_title)
    stub = by_title["Annotate this quotation"]
    assert stub.edit.document_changes[0].text_document.uri == editor.notes.as_uri()
    before = editor.texts[editor.notes]
    editor.apply(stub.edit)
    after = editor.texts[editor.notes]
    assert after.startswith(before.rstrip("\n")[:200]) and '- quote: "a done deal"' in after
    assert after.count("- quote:") == before.count("- quote:") + 1, "only this quotation"
    # the stub has no source yet: an error in the annotations file, none in the story
    found = await editor.diagnostics(editor.notes)
    assert any(d.code.startswith("schema") or "source" in d.message for d in found), found
    await editor.diagnostics(editor.story, until=lambda f: "unsourced-quotation" not in
                             codes(f))
    # "Not a quotation", on the original annotations file instead
    editor.retype(editor.notes, before)
    found = await editor.diagnostics(editor.story, until=lambda f: "unsourced-quotation" in
                                     codes(f))
    unsourced = [d for d in found if d.code == "unsourced-quotation"]
    actions = await editor.fixes(editor.story, unsourced)
    listing = next(a for a in actions if a.title.startswith("Not a quotation"))
    editor.apply(listing.edit)
    assert 'text: "a done deal"' in editor.texts[editor.notes]
    await editor.diagnostics(editor.story, until=lambda f: "unsourced-quotation" not in
                             codes(f))
    assert not (await editor.diagnostics(editor.notes, until=lambda f: True))


@pytest.mark.asyncio
async def test_hover_shows_the_passage_the_definition_and_the_note(client, editor: Editor):
    await editor.open_both()
    over_quote = await editor.client.text_document_hover_async(types.HoverParams(
        editor.doc(editor.notes), editor.at(editor.notes, "quote: very damn", 9)))
    text = over_quote.contents.value
    assert "**very damn near close to 60%**" in text and "Anchored" in text, text
    assert "not checked against the original" in text, text
    over_id = await editor.client.text_document_hover_async(types.HoverParams(
        editor.doc(editor.notes), editor.at(editor.notes, "source: trumka-email", 10)))
    assert "Email from John Podesta" in over_id.contents.value, over_id.contents.value
    over_story = await editor.client.text_document_hover_async(types.HoverParams(
        editor.doc(editor.story), editor.at(editor.story, "damn near close")))
    note = over_story.contents.value
    assert "Nikki Budzinski" in note and "Feb. 17, 2016" in note, note


@pytest.mark.asyncio
async def test_definitions_and_references(client, editor: Editor):
    await editor.open_both()
    to_story = await editor.client.text_document_definition_async(types.DefinitionParams(
        editor.doc(editor.notes), editor.at(editor.notes, "quote: very damn", 9)))
    assert to_story[0].uri == editor.story.as_uri()
    assert to_story[0].range.start == editor.at(editor.story, "very damn near close", 0)
    to_person = await editor.client.text_document_definition_async(types.DefinitionParams(
        editor.doc(editor.notes), editor.at(editor.notes, "from: podesta", 7)))
    assert to_person[0].range.start == editor.at(editor.notes, "podesta:\n", 0)
    to_entry = await editor.client.text_document_definition_async(types.DefinitionParams(
        editor.doc(editor.story), editor.at(editor.story, "damn near close")))
    assert to_entry[0].uri == editor.notes.as_uri()
    assert to_entry[0].range.start == editor.at(editor.notes, "very damn near close", 0)
    cited = await editor.client.text_document_references_async(types.ReferenceParams(
        text_document=editor.doc(editor.notes),
        position=editor.at(editor.notes, "  vote-email:", 3),
        context=types.ReferenceContext(include_declaration=False)))
    text = editor.texts[editor.notes]
    quotes_citing = sum(1 for block in text.split("  - ")[1:] if "source: vote-email" in block)
    in_notes = [r for r in cited if r.uri == editor.notes.as_uri()]
    in_story = [r for r in cited if r.uri == editor.story.as_uri()]
    assert len(in_notes) == quotes_citing == len(in_story), cited


@pytest.mark.asyncio
async def test_completion_of_ids_values_fields_and_open_quotations(client, editor: Editor):
    text = editor.open(editor.notes)
    story = editor.open(editor.story)
    editor.retype(editor.story, story + "\nThe memo called it \u201ca done deal\u201d.\n")
    await editor.diagnostics(editor.story)
    lines = text.split("\n")
    where = next(i for i, row in enumerate(lines) if row.startswith("annotations:"))
    typed = lines[:where + 1] + ["  - quote: ", "    speaker: ", "    verified: ", "    "] + \
        lines[where + 1:]
    editor.retype(editor.notes, "\n".join(typed))

    async def labels(line: int, character: int) -> list[types.CompletionItem]:
        found = await editor.client.text_document_completion_async(types.CompletionParams(
            editor.doc(editor.notes), types.Position(line, character)))
        return found.items
    speakers = await labels(where + 2, len("    speaker: "))
    assert {"budzinski", "podesta"} <= {i.label for i in speakers}
    assert any(i.detail and "Nikki Budzinski" in i.detail for i in speakers)
    values = await labels(where + 3, len("    verified: "))
    assert {i.label for i in values} == {"paraphrase", "misquoted", "punctuation"}
    fields = await labels(where + 4, 4)
    assert {"quote", "speaker", "source", "note", "prefix"} <= {i.label for i in fields}
    assert all(i.documentation for i in fields), "each field with the schema's words"
    quotes = await labels(where + 1, len("  - quote: "))
    assert [i.label for i in quotes] == ["a done deal"], [i.label for i in quotes]
    assert quotes[0].text_edit.new_text == '"a done deal"'


@pytest.mark.asyncio
async def test_outline_and_a_broken_file_never_stop_the_server(client, editor: Editor):
    text = editor.open(editor.notes)
    outline = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(editor.doc(editor.notes)))
    sections = {s.name: s for s in outline}
    assert list(sections) == ["people", "sources", "annotations"]
    assert [c.name for c in sections["people"].children][:2] == ["budzinski", "podesta"]
    assert len(sections["annotations"].children) == text.count("\n  - id:")
    editor.retype(editor.notes, text.replace("people:\n", "people: [\n", 1))  # broken YAML
    found = await editor.diagnostics(editor.notes)
    assert found and found[0].severity == types.DiagnosticSeverity.Error
    assert found[0].code.startswith("yaml"), found
    hover = await editor.client.text_document_hover_async(types.HoverParams(
        editor.doc(editor.notes), editor.at(editor.notes, "budzinski")))
    assert hover is None  # nothing to say, and no crash
    editor.retype(editor.notes, text)
    await editor.diagnostics(editor.notes, until=lambda f: not f)
