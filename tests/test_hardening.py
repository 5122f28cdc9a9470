"""Protections of the page and the server: text from the data stays text in the page;
unknown files are 404s."""

from __future__ import annotations

import json

import pytest

from dashboard.data import load_or_raise
from dashboard.web.app import create_app
from tests.conftest import BUNDLED, write_data
from tests.hostile_strings import TITLES


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


def _page_title(page: str) -> str:
    """The <title> text as a browser reads it (entities decoded)."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.text, self.tags = False, "", []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.inside = tag == "title"

        def handle_endtag(self, tag):
            self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.text += data

    reader = Reader()
    reader.feed(page)
    return reader.text, reader.tags


@pytest.mark.parametrize("title", TITLES)
def test_a_hostile_title_is_text_in_the_page(tmp_path, title):
    folder = write_data(
        tmp_path / "data",
        (BUNDLED / "relations.csv").read_text(encoding="utf-8"),
        (BUNDLED / "actors.csv").read_text(encoding="utf-8"),
        {"dashboard.toml": f"title = {json.dumps(title)}\n"},
    )
    app = create_app(load_or_raise(folder))
    page = app.server.test_client().get("/").get_data(as_text=True)
    text, tags = _page_title(page)
    assert text == f"{title} · Actor Network Dashboard"
    assert not {"img", "svg", "iframe"} & set(tags)
    assert page.count('id="_dash-config"') == 1
    assert page.count('id="_dash-renderer"') == 1
    assert page.count("<title>") == 1
