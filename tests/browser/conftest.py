"""Browser tests drive the real app in headless Chromium through dash.testing's dash_duo.

They need Debian's chromium and chromium-driver (`make test` installs them). They are
never skipped: a missing browser fails the run.
"""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.data import load_or_raise
from tests.conftest import BUNDLED


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def bundled_dataset():
    return load_or_raise(BUNDLED)


@pytest.fixture
def explorer(dash_duo, bundled_dataset):
    """The app on the bundled data, served and opened in the browser."""
    dash_duo.start_server(create_app(bundled_dataset))
    return dash_duo
