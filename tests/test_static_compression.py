"""Static files: Dash's scripts compressed (once), cached by browsers, no file left open."""

from __future__ import annotations

import gc
import gzip
import re

import brotli
import pytest
from flask_compress import flask_compress
from flask_compress.compat import compression

from dashboard.data import load_or_raise
from dashboard.web.app import create_app
from tests.conftest import BUNDLED

DECODERS = {
    "zstd": compression.zstd.decompress,
    "br": brotli.decompress,
    "gzip": gzip.decompress,
}


@pytest.fixture(scope="module")
def client():
    return create_app(load_or_raise(BUNDLED)).server.test_client()


@pytest.fixture(scope="module")
def bundles(client) -> list[str]:
    """The versioned script URLs the page loads, largest last (Plotly, 1.6 MB)."""
    page = client.get("/").get_data(as_text=True)
    urls = [u for u in re.findall(r'src="([^"]+)"', page) if "/_dash-component-suites/" in u]
    assert urls, page[:500]
    sizes = {u: len(client.get(u, headers={"Accept-Encoding": "identity"}).data) for u in urls}
    return sorted(urls, key=sizes.get)


@pytest.mark.parametrize("encoding", ["zstd", "br", "gzip"])
def test_dash_scripts_are_sent_compressed_with_a_year_of_caching(client, bundles, encoding):
    url = bundles[-1]
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    response = client.get(url, headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    assert len(response.data) < len(plain.data) / 2
    assert DECODERS[encoding](response.data) == plain.data
    assert response.cache_control.max_age == 31_536_000


def test_a_script_is_compressed_once_then_served_from_memory(client, bundles, monkeypatch):
    url = bundles[0]
    first = client.get(url, headers={"Accept-Encoding": "zstd"})
    assert first.headers["Content-Encoding"] == "zstd"
    calls = []
    real = flask_compress._compress_data
    monkeypatch.setattr(
        flask_compress, "_compress_data", lambda *args: calls.append(args) or real(*args)
    )
    again = client.get(url, headers={"Accept-Encoding": "zstd"}).data
    assert again == first.data
    assert calls == []


def test_callback_answers_are_compressed_each_time_not_cached(client, monkeypatch):
    calls = []
    real = flask_compress._compress_data
    monkeypatch.setattr(
        flask_compress, "_compress_data", lambda *args: calls.append(args) or real(*args)
    )
    for _ in range(2):
        response = client.get("/_dash-layout", headers={"Accept-Encoding": "zstd"})
        assert response.headers["Content-Encoding"] == "zstd"
    assert len(calls) == 2


def test_an_unversioned_script_is_revalidated_by_its_etag(client):
    url = "/_dash-component-suites/dash/dcc/async-slider.js"
    response = client.get(url, headers={"Accept-Encoding": "zstd"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "zstd"
    etag = response.headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "zstd", "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_asset_files_are_sent_whole_and_closed(client):
    # Compressing a file streamed from disk, flask-compress leaves the file open: a
    # ResourceWarning, an error under this suite's warning filter.
    response = client.get("/assets/style.css", headers={"Accept-Encoding": "zstd"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"{" in response.data
    response.close()
    del response
    gc.collect()
