"""What the browser keeps, it does not send back: no callback on the server takes the
scene, the step, the playback pack or the figure as an input or a state. Dash sends every
input's and state's value with each request: the scene went up with every filter step
(3.8 MB at 100,000 claims), and at 1,000,000 claims it passed the request cap (5 MB), so
the map never drew."""

from __future__ import annotations

import pytest

from dashboard.web import ids
from dashboard.web.app import create_app

KEPT_IN_THE_BROWSER = {
    f"{ids.SCENE}.data",
    f"{ids.STEP}.data",
    f"{ids.PLAY_PACK}.data",
    f"{ids.NETWORK}.figure",
    f"{ids.OVERLAYS}.data",
}


@pytest.fixture(scope="module")
def app(bundled_dataset):
    return create_app(bundled_dataset)


def test_no_server_callback_is_sent_what_the_browser_keeps(app):
    server_side = [cb for cb in app.callback_map.values() if "callback" in cb]
    assert server_side
    for callback in server_side:
        sent = {f"{d['id']}.{d['property']}" for d in callback["inputs"] + callback["state"]}
        assert not sent & KEPT_IN_THE_BROWSER, (callback["output"], sent & KEPT_IN_THE_BROWSER)


def test_the_step_follows_a_layout_made_ready_by_its_timestamp(app):
    (step,) = [
        cb
        for key, cb in app.callback_map.items()
        if "callback" in cb and f"{ids.STEP}.data" in key and "@" not in key
    ]
    inputs = {f"{d['id']}.{d['property']}" for d in step["inputs"]}
    assert f"{ids.LAYOUT_READY}.modified_timestamp" in inputs
    assert not any(name.startswith(f"{ids.SCENE}.") for name in inputs)
