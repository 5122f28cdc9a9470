"""Browser tests drive the real app in headless Chromium through dash.testing's dash_duo.

They need Debian's chromium and chromium-driver (`make test` installs them). They are
never skipped: a missing browser fails the run.
"""

from __future__ import annotations

import os

import pytest
from dash.testing.application_runners import BaseDashRunner

from dashboard.heavy import shutdown_all
from dashboard.web.app import create_app
from tests.browser.helpers import wait_for_map

# dash_duo numbers its servers' ports from 58050 in every process: runs of the suite side
# by side (two checkouts, say) would collide. Start each process somewhere of its own.
BaseDashRunner._next_port = 20_000 + (os.getpid() * 7) % 30_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _stop_worker_pools(dash_duo):
    """Stop the apps' worker pools before dash_duo stops its server: it stops every
    thread started since, which would leave a pool's own threads failing."""
    yield
    shutdown_all()


@pytest.fixture
def explorer(dash_duo, bundled_dataset):
    """The app on the bundled data, served and opened in the browser, figure drawn."""
    dash_duo.driver.set_window_size(1500, 1000)
    dash_duo.start_server(create_app(bundled_dataset))
    dash_duo.wait_for_contains_text("#counts", "claims (of 66)")
    dash_duo.wait_for_element("#network .scatterlayer .trace")
    wait_for_map(dash_duo)
    # The page is laid out once the strip under the map has its timeline and controls.
    dash_duo.wait_for_element("#timeline .main-svg")
    dash_duo.wait_for_element("#play-speed.dash-dropdown")
    return dash_duo
