"""What an editor shows for a bad value: yaml-language-server (npm, the server behind
VS Code's YAML extension and most editors' YAML support), driven over stdio with
pytest-lsp, reads the schema named in the file's modeline and must explain a bad date
or id in words (the schema's patternErrorMessage), never with a regular expression."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
NODE = shutil.which("node") or shutil.which("nodejs") or "node"

pytestmark = pytest.mark.slow  # a node server


@pytest.fixture
def available() -> None:
    """node and the server from npm; in CI their absence fails the run."""
    if shutil.which(NODE) is None or not SERVER.exists():
        message = "yaml-language-server needs node and node_modules (npm ci --ignore-scripts)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[NODE, str(SERVER), "--stdio"]))
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params):  # the server registers for settings changes
        return None

    @lsp_client.feature(types.TELEMETRY_EVENT)
    def telemetry(params):
        return None

    lsp_client.set_configuration({"yaml": {"validate": True, "hover": True,
                                           "completion": True,
                                           "schemaStore": {"enable": False}}})
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=(REPO / "tests").as_uri()))
    yield
    await lsp_client.shutdown_session()


async def diagnostics_of(client: LanguageClient, path: Path, text: str) -> list[str]:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
    for _ in range(100):
        if client.diagnostics.get(uri):
            break
        await asyncio.sleep(0.1)
    return [d.message for d in client.diagnostics.get(uri, [])]


ANNOTATIONS = """# yaml-language-server: $schema=../schema/annotations.schema.json
sources:
  memo: {type: memo, sent: 2015-13-45}
annotations:
  - {id: Not An Id, quote: hello, source: memo}
"""


@pytest.mark.asyncio
async def test_a_bad_date_and_a_bad_id_are_explained_in_words(available, client: LanguageClient,
                                                               tmp_path):
    project = tmp_path / "project"
    (project / "annotations").mkdir(parents=True)
    shutil.copytree(REPO / "annostory" / "schemas", project / "schema")
    messages = await diagnostics_of(client, project / "annotations" / "t.yaml", ANNOTATIONS)
    assert messages, "the server reported nothing"
    joined = "\n".join(messages)
    assert "A date as precise as it is known" in joined or \
        "A date (2015-11-03" in joined, joined
    assert "An id is lower-case letters" in joined, joined
    for message in messages:
        assert "[0-9]" not in message and "(?:" not in message, message
        assert len(message) < 300, message
