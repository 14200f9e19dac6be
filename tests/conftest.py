import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpers import make_project  # noqa: E402
from preview_helpers import Server  # noqa: E402

from annostory.core import diagnostics  # noqa: E402

# Every diagnostic made in a test must have its code in core.codes, with its severity.
diagnostics.STRICT_CODES = True


@pytest.fixture
def project(tmp_path):
    """A copy of the example project (test files may define a smaller one)."""
    return make_project(tmp_path)


@pytest.fixture
def server(project):
    """The preview server, for real, running on `project`."""
    srv = Server(project)
    yield srv
    srv.stop()


def pytest_collection_modifyitems(session, config, items):
    """Tests that run an asyncio loop (language servers, through pytest-lsp) go first:
    Playwright's sync API keeps its own loop running in this thread from the first
    browser test to the end of the session, and asyncio cannot start a second one."""
    items.sort(key=lambda item: item.get_closest_marker("asyncio") is None)
