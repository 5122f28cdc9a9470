"""Hand-made requests to the callback endpoint: an error status or an ignored value,
never a traceback page, a path or a hang."""

from __future__ import annotations

import json

import pytest

from dashboard.web.app import create_app


@pytest.fixture(scope="module")
def app(bundled_dataset):
    return create_app(bundled_dataset)


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def figure_callback(app) -> tuple[str, dict]:
    key = next(k for k in app.callback_map if "network.figure" in k and "@" not in k)
    return key, app.callback_map[key]


def request_for(app, values: dict | None = None, state=None) -> dict:
    key, spec = figure_callback(app)
    outputs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
        for p in key.strip(".").split("...")
    ]
    values = values or {}
    return {
        "output": key,
        "outputs": outputs,
        "inputs": [{**i, "value": values.get(i["id"])} for i in spec["inputs"]],
        "changedPropIds": ["time-range.value"],
        "state": [{**s, "value": state} for s in spec["state"]],
    }


def post(client, body, raw: bool = False):
    data = body if raw else json.dumps(body)
    return client.post("/_dash-update-component", data=data, content_type="application/json")


def assert_no_leak(response) -> None:
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    assert "/work/" not in text and ".py" not in text


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'"just a string"',
        b"{}",
        json.dumps({"output": "no-such.children", "outputs": {}, "inputs": []}).encode(),
        json.dumps({"output": 5}).encode(),
    ],
    ids=["not json", "a list", "a string", "empty object", "unknown output", "output not a string"],
)
def test_malformed_requests_are_refused(client, body):
    response = post(client, body, raw=True)
    assert response.status_code == 400
    assert_no_leak(response)


def test_wrong_number_of_inputs_is_refused(app, client):
    body = request_for(app)
    body["inputs"] = body["inputs"][:3]
    response = post(client, body)
    assert response.status_code == 400
    assert "inputs do not match" in response.get_json()["error"]


def test_inputs_for_other_components_are_refused(app, client):
    body = request_for(app)
    body["inputs"][0]["id"] = "something-else"
    assert post(client, body).status_code == 400


def test_huge_bodies_are_refused(client):
    response = client.post(
        "/_dash-update-component",
        data=b"{" + b" " * (6 * 1024 * 1024) + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413


GARBAGE = {
    "time-range": ["abc", {"x": 1}],
    "include-undated": {"a": [1, 2]},
    "source-filter": "9/11 Commission",
    "relation-filter": [1, None, ["x"]],
    "actor-type-filter": 42,
    "stance-filter": ["maybe"],
    "min-sources": "many",
    "focus-actor": ["iran"],
    "focus-depth": 1e300,
    "layout-choice": ["force"],
    "size-by": "<script>",
    "positions-override": {"layout": "force", "nodes": "all", "x": None},
    "layout-poll": "tick",
}


@pytest.mark.parametrize("field", list(GARBAGE))
def test_garbage_values_are_ignored(app, client, field):
    response = post(client, request_for(app, {field: GARBAGE[field]}))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    counts = response.get_json()["response"]["counts"]["children"]
    assert counts.endswith("claims (of 66)")


def test_all_garbage_at_once_shows_the_full_view(app, client):
    response = post(client, request_for(app, GARBAGE, state={"kind": "edge", "index": "x"}))
    assert response.status_code == 200
    assert (
        response.get_json()["response"]["counts"]["children"]
        == "28 actors · 50 edges · 66 claims (of 66)"
    )


def test_crafted_card_clicks_and_selections_are_ignored(app, client):
    key = next(k for k in app.callback_map if k == "selection.data")
    spec = app.callback_map[key]
    body = {
        "output": key,
        "outputs": {"id": "selection", "property": "data"},
        "inputs": [
            {**spec["inputs"][0], "value": {"points": [{"customdata": "javascript:alert(1)"}]}},
            [{"id": {"type": "card-edge", "edge": "nope"}, "property": "n_clicks", "value": 1}],
        ],
        "changedPropIds": ['{"edge":"nope","type":"card-edge"}.n_clicks'],
        "state": [],
    }
    response = post(client, body)
    assert response.status_code in (200, 204)
    assert_no_leak(response)


def test_a_real_bug_is_a_bare_500_without_details(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret /etc/path detail")

    monkeypatch.setattr("dashboard.web.callbacks.apply_filters", broken)
    response = post(client, request_for(app))
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "secret" not in text and "/etc/path" not in text
    assert_no_leak(response)
