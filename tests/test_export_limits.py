"""Image export cannot be held: text is bounded where it enters, a render has a time
budget (Chromium killed when it is spent), and a render whose client has gone stops."""

from __future__ import annotations

import json
import os
import socket
import threading
import time

import numpy as np
import pytest
from click.testing import CliRunner
from waitress.server import create_server

from dashboard.cli import main
from dashboard.data import load_or_raise
from dashboard.draw.report_figure import render_image
from dashboard.heavy import HeavyWork, _descendants
from dashboard.query.centrality import BetweennessService
from dashboard.web.app import create_app
from dashboard.web.background import Background, client_gone_check
from tests.conftest import BUNDLED
from tests.dash_requests import callback_body, callback_key, post_callback

PATIENCE = 120  # seconds before a test gives up waiting (a failure, not a measure)


def slow_render(figure, file_format, scale):
    time.sleep(60)
    return b"never"


def export_values(title="A view", file_format="svg") -> dict:
    return {
        "export-figure.n_clicks": 1,
        "export-title.value": title,
        "export-format.value": file_format,
        "export-scale.value": 2,
        "include-undated.value": ["show"],
        "layout-choice.value": "force",
        "size-by.value": "claims",
    }


def export_status(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]["export-status"]["children"]


@pytest.fixture(scope="module")
def dataset():
    return load_or_raise(BUNDLED)


@pytest.fixture
def heavy():
    pool = HeavyWork(workers=1, max_waiting=1)
    yield pool
    pool.shutdown()


def app_with(dataset, heavy, **settings):
    background = Background(heavy, BetweennessService(heavy), **settings)
    return create_app(dataset, background=background)


def test_a_four_megabyte_title_is_refused_before_any_work(dataset, heavy):
    app = app_with(dataset, heavy, renderer=slow_render)
    response = post_callback(
        app.server.test_client(), app, "export-status.children", export_values("x" * 4_000_000)
    )
    assert export_status(response) == (
        "The title has 4,000,000 characters; at most 200 fit a figure. Shorten it."
    )
    assert heavy.outstanding() == 0 and heavy._pool is None  # nothing was started


def test_a_title_of_the_limit_exports(dataset):
    app = create_app(dataset)
    response = post_callback(
        app.server.test_client(), app, "export-status.children", export_values("t" * 200)
    )
    assert export_status(response).startswith("Exported ")


def test_a_render_over_its_budget_is_stopped_and_said(dataset, heavy):
    app = app_with(dataset, heavy, renderer=slow_render, export_budget=1)
    client = app.server.test_client()
    status = export_status(post_callback(client, app, "export-status.children", export_values()))
    assert status == (
        "The export took longer than 1 s and was stopped; narrow the filters "
        "(fewer edges draw faster) and try again."
    )


def test_a_busy_pool_says_so(dataset):
    pool = HeavyWork(workers=1, max_waiting=0)
    try:
        pool.submit(time.sleep, 5, budget=PATIENCE)
        app = app_with(dataset, pool, renderer=slow_render)
        response = post_callback(
            app.server.test_client(), app, "export-status.children", export_values()
        )
        assert "busy with other heavy work" in export_status(response)
    finally:
        pool.shutdown()


def heavy_figure() -> dict:
    """A figure Chromium takes seconds to draw on any machine: 200,000 labelled points."""
    rng = np.random.default_rng(0)
    n = 200_000
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers+text",
                "x": rng.random(n).tolist(),
                "y": rng.random(n).tolist(),
                "text": ["label"] * n,
            }
        ],
        "layout": {"width": 1400, "height": 900},
    }


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"  # a zombie is dead
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads processes from /proc")
def test_a_stopped_render_takes_its_browser_with_it(heavy):
    """A real render (kaleido, Chromium) stopped: no browser lives on."""
    # Stopped once its browser runs (however slowly the worker starts on a busy machine);
    # the budget's own stop is the same kill (test_a_render_over_its_budget_is_stopped...).
    job = heavy.submit(render_image, heavy_figure(), "png", 1, budget=120)
    browsers: set[int] = set()
    deadline = time.monotonic() + 90
    while not browsers and not job.done and time.monotonic() < deadline:
        browsers.update(p for p in _descendants(os.getpid()) if b"chrom" in _command(p))
        time.sleep(0.2)
    assert browsers, "Chromium was never started"
    job.future.cancel()
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in browsers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in browsers if alive(pid)] == []


def _command(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return b""


def test_a_render_whose_client_has_gone_is_stopped(dataset, heavy):
    """Served by waitress as `dashboard run` serves: the client sends an export and
    hangs up; the render stops rather than running to its budget."""
    app = app_with(dataset, heavy, renderer=slow_render, export_budget=PATIENCE)
    server = create_server(app.server, host="127.0.0.1", port=0, channel_request_lookahead=1)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        body = callback_body(app, callback_key(app, "export-status.children"), export_values())
        payload = json.dumps(body).encode()
        with socket.create_connection(("127.0.0.1", server.effective_port)) as connection:
            connection.sendall(
                b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                % (len(payload), payload)
            )
            deadline = time.monotonic() + PATIENCE
            while heavy.outstanding() == 0 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert heavy.outstanding() == 1  # the render is under way
        deadline = time.monotonic() + PATIENCE
        while heavy.outstanding() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert heavy.outstanding() == 0  # stopped long before its budget
    finally:
        server.close()


def test_a_closed_gunicorn_socket_is_noticed():
    ours, theirs = socket.socketpair()
    with ours:
        gone = client_gone_check({"gunicorn.socket": ours})
        assert gone() is False
        theirs.close()
        assert gone() is True
    assert client_gone_check({"waitress.client_disconnected": lambda: True})() is True
    assert client_gone_check({})() is False


def test_an_overlong_address_is_ignored_with_a_notice(dataset):
    app = create_app(dataset)
    response = post_callback(
        app.server.test_client(),
        app,
        "url-notice.children",
        {"url.pathname": "/", "url.search": "?" + "source=x&" * 2000},
    )
    assert response.status_code == 200
    assert "characters long (at most 8,192 are read)" in response.get_data(as_text=True)


def test_the_cli_refuses_an_overlong_title(tmp_path):
    result = CliRunner().invoke(
        main, ["export", str(BUNDLED), "--out", str(tmp_path / "x.svg"), "--title", "t" * 201]
    )
    assert result.exit_code == 2
    assert "at most 200 fit a figure" in result.output
