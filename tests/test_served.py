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


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/_dash-layout", 200),
        ("GET", "/assets/style.css", 200),
        ("GET", "/_dash-component-suites/nope/x.js", 404),
        ("POST", "/_dash-update-component", 400),
    ],
)
def test_every_answer_carries_the_security_headers(port, method, path, status):
    body = b"{}" if method == "POST" else None
    answer, headers, _ = raw_request(port, method, path, body=body)
    assert answer == status
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:80", "127.0.0.1.nip.io", "localhost.evil.example", ""]
)
def test_a_rebinding_host_is_refused(port, host):
    status, headers, content = raw_request(port, "GET", "/_dash-layout", host=host)
    assert status == 400
    assert b"host name" in content
    assert headers.get("x-frame-options") == "DENY"


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST:{port}", "127.0.0.1:{port}", "[::1]:{port}"]
)
def test_loopback_names_are_answered(port, host):
    status, _, _ = raw_request(port, "GET", "/_dash-layout", host=host.format(port=port))
    assert status == 200


def test_the_python_build_is_not_in_the_page(port):
    _, _, page = raw_request(port, "GET", "/")
    assert b"_dash-config" in page
    assert b"python_version" not in page and b"GCC" not in page


def test_allowed_hosts_are_answered_and_others_refused(tmp_path):
    with serving("run", BUNDLED, "--allowed-host", "dash.example.org", cache_dir=tmp_path) as port:
        assert raw_request(port, "GET", "/_dash-layout", host="dash.example.org:8050")[0] == 200
        assert raw_request(port, "GET", "/_dash-layout", host="other.example.org")[0] == 400
