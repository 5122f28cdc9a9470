"""What each trace of a network figure is for, as an explicit field: ``trace["meta"]["role"]``.

Clicks and highlight updates find traces by role, never by position or by a sign
convention in ``customdata``. A clickable trace's ``customdata`` holds plain numbers:
edge numbers on ``EDGE_HITS``, actor codes on ``ACTORS``.

>>> trace = tagged({"type": "scatter"}, ACTORS)
>>> roles_of({"data": [trace]})
['actors']
>>> decode_point(ACTORS, [3]), decode_point(EDGE_HITS, 12), decode_point(EDGE_LINES, 1)
(Selection(kind='node', index=3, other=None), Selection(kind='edge', index=12, other=None), None)
"""

from __future__ import annotations

import math

from dashboard.query.view_state import Selection

EDGE_LINES = "edge-lines"
EDGE_ARROWS = "edge-arrows"
EDGE_HITS = "edge-hits"  # invisible markers along edges; customdata: edge number
ACTORS = "actors"  # customdata: actor code
ACTOR_LABELS = "actor-labels"  # the labelled actors' names, when actors are drawn with WebGL
FOCUS_RING = "focus-ring"  # the focused actor, ringed
EDGE_LABELS = "edge-labels"  # relation names written on edges in small views
LEGEND = "legend"  # swatches only, no data
PATH_LINES = "path-lines"  # the chosen path between two actors (draw/path_overlay.py)
PATH_ACTORS = "path-actors"
PATH_HOP_NUMBERS = "path-hop-numbers"
CLICKABLE = {EDGE_HITS: "edge", ACTORS: "node"}


def tagged(trace: dict, role: str) -> dict:
    """``trace`` with its role recorded (Plotly keeps ``meta`` and ignores it)."""
    trace["meta"] = {"role": role}
    return trace


def roles_of(figure: dict) -> list[str]:
    """The role of each trace, in order."""
    return [
        (trace.get("meta") or {}).get("role", "") if isinstance(trace, dict) else ""
        for trace in figure.get("data", [])
    ]


def positions_of(roles: list[str], role: str) -> list[int]:
    return [i for i, r in enumerate(roles) if r == role]


def decode_point(role: str, customdata) -> Selection | None:
    """The Selection a clicked point stands for, given its trace's role, or None."""
    kind = CLICKABLE.get(role)
    if isinstance(customdata, list) and len(customdata) == 1:
        customdata = customdata[0]
    if kind is None or isinstance(customdata, bool) or not isinstance(customdata, int | float):
        return None
    if not math.isfinite(customdata) or customdata < 0 or customdata != int(customdata):
        return None
    return Selection(kind, int(customdata))
