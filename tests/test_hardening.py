"""HTTP-level protections: unknown files are 404s."""

from __future__ import annotations

import pytest

from dashboard.data import load_or_raise
from dashboard.web.app import create_app
from tests.conftest import BUNDLED


@pytest.fixture(scope="module")
def app():
    return create_app(load_or_raise(BUNDLED))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash/dcc/nope.v1_0_0m1.js",
        "/_dash-component-suites/dash/../../etc/passwd",
        "/_dash-component-suites/dash/%2e%2e/%2e%2e/etc/passwd",
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/os/x.py",
        "/_dash-component-suites/sys/x.js",
    ],
)
def test_unknown_component_files_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "registered" not in text


def test_real_component_files_are_served(app, client):
    page = client.get("/").get_data(as_text=True)
    script = next(
        part.split('"')[0]
        for part in page.split('src="')[1:]
        if part.startswith("/_dash-component-suites/")
    )
    assert client.get(script).status_code == 200
