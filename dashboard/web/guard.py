"""Refuse malformed callback requests before Dash parses them.

The page only ever sends well-formed requests; anything else was written by hand. Dash
would fail on it deep inside (a 500 and a traceback in the log), which hides real bugs
among noise. Here the request's shape is checked against the app's callbacks (output,
outputs, inputs, state and changedPropIds, each naming the callback's own components)
and a bad one gets a short 400 answer. Values inside a well-formed request are checked
by each callback's parsers (see :mod:`wiring`), which no callback can skip.
"""

from __future__ import annotations

import json
import logging

from dash import Dash
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

_log = logging.getLogger(__name__)
MAX_BODY_BYTES = 5 * 1024 * 1024  # the page's largest request is a few kilobytes
MAX_DEPTH = 32  # the page's deepest request nests about 8 levels


def nesting_depth(value, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and dicts nest in ``value``, counted without recursion, stopping
    past ``limit``.

    >>> nesting_depth({"a": [1, {"b": []}]}), nesting_depth(1)
    (4, 0)
    """
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            stack.extend((child, depth + 1) for child in _children(item))
    return deepest


def _children(item):
    return item.values() if isinstance(item, dict) else item


def problem_with(body, callback_map: dict) -> str | None:
    """What is wrong with a callback request body, or None if its shape is right."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    if nesting_depth(body) > MAX_DEPTH:
        return "the body nests too deeply"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown output"
    spec = callback_map[output]
    if "callback" not in spec:
        return "that output is computed in the browser"
    if not _outputs_match(body.get("outputs"), spec["output"]):
        return "outputs do not match the callback"
    for part, expected in (("inputs", spec["inputs"]), ("state", spec.get("state", []))):
        items = body.get(part, [])
        if not isinstance(items, list) or len(items) != len(expected):
            return f"{part} do not match the callback"
        for item, wanted in zip(items, expected, strict=True):
            if not _matches(item, wanted):
                return f"{part} do not match the callback"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(
        isinstance(c, str) and _names_an_input(c, spec["inputs"]) for c in changed
    ):
        return "changedPropIds must name inputs of the callback"
    return None


def _outputs_match(outputs, declared) -> bool:
    declared = declared if isinstance(declared, list) else [declared]
    if isinstance(outputs, dict):
        outputs = [outputs]
    if not isinstance(outputs, list) or len(outputs) != len(declared):
        return False
    return all(
        isinstance(item, dict)
        and item.get("id") == wanted.component_id
        and isinstance(item.get("property"), str)
        and item["property"].split("@")[0] == wanted.component_property
        for item, wanted in zip(outputs, declared, strict=True)
    )


def _pattern_matches(candidate, wanted: str) -> bool:
    """A pattern-matching id (a dict) against its declaration (JSON with wildcards)."""
    try:
        declared = json.loads(wanted)
    except ValueError:
        return False
    return (
        isinstance(candidate, dict)
        and set(candidate) == set(declared)
        and candidate.get("type") == declared.get("type")
        and all(isinstance(v, str | int | float) for v in candidate.values())
    )


def _matches(item, wanted: dict) -> bool:
    if isinstance(item, list):  # pattern-matching inputs (ALL) arrive as lists of items
        return len(item) <= 10_000 and all(
            isinstance(i, dict)
            and i.get("property") == wanted["property"]
            and _pattern_matches(i.get("id"), wanted["id"])
            for i in item
        )
    if not isinstance(item, dict) or item.get("property") != wanted["property"]:
        return False
    expected_id = wanted["id"]
    if expected_id.startswith("{"):
        return _pattern_matches(item.get("id"), expected_id)
    return item.get("id") == expected_id


def _names_an_input(changed: str, inputs: list[dict]) -> bool:
    """``changedPropIds`` entries are ``<id>.<property>``; a pattern id is its JSON."""
    component, _, prop = changed.rpartition(".")
    for wanted in inputs:
        if prop != wanted["property"]:
            continue
        if wanted["id"].startswith("{"):
            try:
                candidate = json.loads(component)
            except ValueError:
                continue
            if _pattern_matches(candidate, wanted["id"]):
                return True
        elif component == wanted["id"]:
            return True
    return False


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
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # JSON nested thousands deep: Python's parser gives up
            body = None
        problem = problem_with(body, app.callback_map)
        if problem is None:
            return None
        _log.warning("refused a malformed callback request: %s", problem)
        return {"error": f"malformed callback request: {problem}"}, 400
