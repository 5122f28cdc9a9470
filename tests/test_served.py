"""Requests replayed against the real servers, `dashboard run` (waitress) and `dashboard
serve` (gunicorn), on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from tests.conftest import BUNDLED
from tests.served import raw_request, serving

MEGABYTE = 1024 * 1024


@pytest.fixture(scope="module", params=["run", "serve"])
def port(request, tmp_path_factory):
    options = ("--workers", "1", "--threads", "2") if request.param == "serve" else ()
    cache = tmp_path_factory.mktemp("cache")
    with serving(request.param, BUNDLED, *options, cache_dir=cache) as port:
        yield port


def padded_request(megabytes: int):
    """A callback request for no callback, padded to the given size, in 1 MB chunks."""
    yield b'{"output": "none.children", "pad": "'
    for _ in range(megabytes):
        yield b" " * MEGABYTE
    yield b'"}'


def test_a_chunked_body_over_the_cap_is_refused_unread(port):
    status, _, _ = raw_request(
        port, "POST", "/_dash-update-component", body_chunks=padded_request(50)
    )
    # 400 would mean the 50 MB were read and parsed; 413 that reading stopped at the cap.
    assert status == 413


def test_a_small_chunked_body_is_read(port):
    status, _, content = raw_request(
        port, "POST", "/_dash-update-component", body_chunks=padded_request(1)
    )
    assert status == 400
    assert b"unknown output" in content


def test_a_declared_length_over_the_cap_is_refused(port):
    body = json.dumps({"output": "none.children", "pad": " " * (6 * MEGABYTE)}).encode()
    status, _, _ = raw_request(port, "POST", "/_dash-update-component", body=body)
    assert status == 413
