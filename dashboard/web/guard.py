"""Refuse malformed callback requests before Dash parses them.

The page only ever sends well-formed requests; anything else was written by hand. Dash
would fail on it deep inside (a 500 and a traceback in the log), which hides real bugs
among noise. Here the request's shape is checked against the app's callbacks and a bad
one gets a short 400 answer. Values inside a well-formed request are checked by the
callbacks themselves (see callbacks.filter_state).
"""

from __future__ import annotations

import logging

from dash import Dash
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

_log = logging.getLogger(__name__)
MAX_BODY_BYTES = 5 * 1024 * 1024  # the page's largest request is a few kilobytes


def problem_with(body, callback_map: dict) -> str | None:
    """What is wrong with a callback request body, or None if its shape is right."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown output"
    spec = callback_map[output]
    for part, expected in (("inputs", spec["inputs"]), ("state", spec.get("state", []))):
        items = body.get(part, [])
        if not isinstance(items, list) or len(items) != len(expected):
            return f"{part} do not match the callback"
        for item, wanted in zip(items, expected, strict=True):
            if not _matches(item, wanted):
                return f"{part} do not match the callback"
    if not isinstance(body.get("outputs"), list | dict):
        return "outputs missing"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds must be a list of strings"
    return None


def _matches(item, wanted: dict) -> bool:
    if isinstance(item, list):  # pattern-matching inputs (ALL) arrive as lists of items
        return all(isinstance(i, dict) and i.get("property") == wanted["property"] for i in item)
    if not isinstance(item, dict) or item.get("property") != wanted["property"]:
        return False
    expected_id = wanted["id"]
    return (
        isinstance(item.get("id"), dict)
        if expected_id.startswith("{")
        else item.get("id") == expected_id
    )


def install_request_guard(app: Dash) -> None:
    server = app.server
    # Werkzeug stops reading any body at this size, a chunked one too (which has no
    # Content-Length to check beforehand), as long as the server marks its input as
    # terminated: waitress and gunicorn both do. `dashboard run` also gives waitress
    # the same cap, so that it does not buffer a larger body before the app sees it.
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    @server.before_request
    def refuse_malformed_callbacks():
        if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
            return None
        try:
            # At most MAX_BODY_BYTES are read; a longer body stops there, unread.
            size = len(request.get_data(cache=True))
        except RequestEntityTooLarge:  # a declared Content-Length over the cap
            size = MAX_BODY_BYTES
        if size >= MAX_BODY_BYTES:
            return {"error": "request too large"}, 413
        body = request.get_json(silent=True)
        problem = problem_with(body, app.callback_map)
        if problem is None:
            return None
        _log.warning("refused a malformed callback request: %s", problem)
        return {"error": f"malformed callback request: {problem}"}, 400
