"""Callback requests as the page sends them, for replaying against the app's test client
or a served app. Callbacks are found by an output ("network.figure"), not by their key,
so the tests do not depend on how callbacks are declared."""

from __future__ import annotations

import json

from dash import Dash


def callback_key(app: Dash, output: str, duplicate: bool = False) -> str:
    """The callback_map key of the callback that writes ``output`` ("id.property").

    ``duplicate``: the one declared with allow_duplicate (its key part carries "@...").
    """
    for key in app.callback_map:
        for part in key.strip(".").split("..."):
            name, _, suffix = part.partition("@")
            if name == output and bool(suffix) == duplicate:
                return key
    raise KeyError(output)


def callback_body(app: Dash, key: str, values: dict | None = None, changed=None) -> dict:
    """A well-formed request for callback ``key``: each input and state takes its value
    from ``values`` by "id.property" (or by id), else None."""
    values = values or {}
    spec = app.callback_map[key]
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    outputs = [
        {"id": p.partition("@")[0].rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
        for p in parts
    ]

    def filled(item: dict) -> dict | list:
        if item["id"].startswith("{"):  # pattern-matching (ALL): no such components drawn
            return []
        name = f"{item['id']}.{item['property']}"
        return {**item, "value": values.get(name, values.get(item["id"]))}

    first_input = spec["inputs"][0]
    return {
        "output": key,
        "outputs": outputs if key.startswith("..") else outputs[0],
        "inputs": [filled(i) for i in spec["inputs"]],
        "state": [filled(s) for s in spec.get("state", [])],
        "changedPropIds": changed or [f"{first_input['id']}.{first_input['property']}"],
    }


def post_callback(client, app: Dash, output: str, values=None, changed=None, duplicate=False):
    """POST one callback request through a Flask test client; returns the response."""
    body = callback_body(app, callback_key(app, output, duplicate), values, changed)
    return client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
