"""Edges as Plotly traces: detailed (SVG curves) for small views, WebGL for large ones.

Detailed: each edge is a smooth quadratic Bezier, an arrowhead past its middle shows
direction, invisible markers every ~15 px along it make it clickable anywhere, and its
hover text says who, what, how many claims and sources, and when.

Bulk (more than ``DETAIL_EDGE_LIMIT`` edges): each edge is a three-point polyline bent
at its middle, so parallel relations still part; one hit marker per edge at the bend;
``scattergl`` throughout. Traces are plain dicts: Plotly's graph objects validate every
value, which took most of the time of a large figure. Measured in bench/: this keeps 20,000 edges under a second in
the browser and the JSON a few megabytes.

Clicks identify points by ``customdata``: an edge's number on the ``EDGE_HITS`` markers
(see :mod:`dashboard.draw.roles`). It is sent as a JSON list: dcc.Graph leaves typed
arrays (numpy's encoding) out of clickData.
"""

from __future__ import annotations

from html import escape

import numpy as np

from dashboard.draw import roles
from dashboard.draw.typed_arrays import typed
from dashboard.graph import UNDATED, day_years
from dashboard.query.filters import View
from dashboard.text import plural

CURVE_SAMPLES = 16
ARROW_AT = 0.62
BEND = 0.14  # how far (in edge lengths) each parallel rank bends from the straight line
LOOP_RADIUS = 0.05
HIT_SPACING = 0.04  # between hit markers along an edge, in the [-1, 1] frame (~15 px)
NODE_CLEARANCE = 0.05  # no edge hit markers this close to a node centre: clicks there pick the node
DETAIL_EDGE_LIMIT = 1500
BULK_ARROW_LIMIT = 5000  # above this many edges, arrowheads would be an unreadable carpet


def edge_curves(view: View, positions: np.ndarray, edges: np.ndarray, t: np.ndarray):
    """Points along each edge's curve, and the tangents there.

    ``t`` is either one row of fractions shared by all edges (giving arrays of
    len(edges) x len(t)) or one column with a fraction per edge (len(edges) x 1).
    """
    net = view.network
    p0 = positions[net.edge_from[edges]]
    p2 = positions[net.edge_to[edges]]
    offset = net.edge_pair_offsets[edges][:, None]
    delta = p2 - p0
    length = np.hypot(delta[:, 0], delta[:, 1])[:, None]
    loop = length[:, 0] == 0
    safe = np.where(length == 0, 1.0, length)
    normal = np.stack([-delta[:, 1], delta[:, 0]], axis=1) / safe
    control = (p0 + p2) / 2 + normal * offset * BEND * length
    s = t if t.ndim == 2 else t[None, :]
    x = (1 - s) ** 2 * p0[:, :1] + 2 * (1 - s) * s * control[:, :1] + s**2 * p2[:, :1]
    y = (1 - s) ** 2 * p0[:, 1:] + 2 * (1 - s) * s * control[:, 1:] + s**2 * p2[:, 1:]
    dx = 2 * (1 - s) * (control[:, :1] - p0[:, :1]) + 2 * s * (p2[:, :1] - control[:, :1])
    dy = 2 * (1 - s) * (control[:, 1:] - p0[:, 1:]) + 2 * s * (p2[:, 1:] - control[:, 1:])
    if loop.any():
        radius = LOOP_RADIUS * (1 + np.abs(offset[loop]))
        angle = 2 * np.pi * s
        x[loop] = p0[loop, :1] + radius * np.sin(angle)
        y[loop] = p0[loop, 1:] + radius * (1 - np.cos(angle))
        dx[loop] = np.cos(angle) * np.ones_like(radius)
        dy[loop] = np.sin(angle) * np.ones_like(radius)
    return x, y, dx, dy


def with_gaps(points: np.ndarray) -> np.ndarray:
    """Rows of points as one array with NaN between rows, so one trace draws many lines."""
    gapped = np.full((points.shape[0], points.shape[1] + 1), np.nan, dtype=points.dtype)
    gapped[:, :-1] = points
    return gapped.ravel()


def edge_hover_texts(view: View, edges: np.ndarray, short: bool = False) -> list[str]:
    """Hover text per edge: from, relation, to, claims, sources, time span, contest.

    Assembled from pieces built a column at a time: a large view has tens of thousands.
    """
    net = view.network
    undated = np.bincount(
        net.claim_edge[view.claim_mask & (net.claim_start_day == UNDATED) & (net.claim_edge >= 0)],
        minlength=len(net.edges),
    )[edges].tolist()
    first_day = view.edge_first_day[edges]
    first, last = day_years(first_day).tolist(), day_years(view.edge_last_day[edges]).tolist()
    dated = (first_day != UNDATED).tolist()
    claims = [f"{n} claim" if n == 1 else f"{n} claims" for n in view.edge_claims[edges].tolist()]
    sources = [
        f"{n} source" if n == 1 else f"{n} sources" for n in view.edge_sources[edges].tolist()
    ]
    when = [
        ("undated" if not d else str(a) if a == b else f"{a}–{b}")
        + (f" (+{u} undated)" if d and u else "")
        for d, a, b, u in zip(dated, first, last, undated, strict=True)
    ]
    denials, opposed = view.edge_denials[edges].tolist(), view.edge_opposed[edges].tolist()
    contest = [
        f"<br>⚠ Contested: {plural(d, 'denial')}"
        if d
        else "<br>⚠ Contested: another source claims an opposing relation"
        if o
        else ""
        for d, o in zip(denials, opposed, strict=True)
    ]
    tail = "" if short else "<br><i>click for the evidence</i>"
    parts = zip(net.edge_labels[edges].tolist(), claims, sources, when, contest, strict=True)
    return [f"{label}<br>{c} · {s}<br>{w}{x}{tail}" for label, c, s, w, x in parts]


def _legend_group(relation: str, relations: np.ndarray) -> str:
    """Legend groups are ids: numbered, so that no text from the data goes into them."""
    return f"relation:{int(np.searchsorted(relations, relation))}"


def edge_traces(
    view: View, positions: np.ndarray, edges: np.ndarray, colours: dict[str, str]
) -> list:
    """Legend entries, then the lines, arrowheads and hit markers of ``edges``."""
    relation = view.network.edges["relation"].to_numpy()[edges]
    traces = [
        # Legend entries of one width; the drawn traces vary in width.
        roles.tagged(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "lines",
                "line": {"color": colours[rel], "width": 3},
                "name": escape(rel),
                "legendgroup": _legend_group(rel, view.network.relations),
                "legendgrouptitle": {"text": "Relations"} if i == 0 else {},
                "legendrank": 2000,
                "hoverinfo": "skip",
            },
            roles.LEGEND,
        )
        for i, rel in enumerate(sorted(set(relation.tolist())))
    ]
    if not len(edges):
        return traces
    detailed = len(edges) <= DETAIL_EDGE_LIMIT
    contested = view.edge_contested[edges]
    t = np.linspace(0, 1, CURVE_SAMPLES) if detailed else np.array([0.0, 0.5, 1.0])
    x, y, _, _ = edge_curves(view, positions, edges, t)
    traces += _line_traces(
        view, edges, x, y, relation, colours, "scatter" if detailed else "scattergl"
    )
    if detailed or len(edges) <= BULK_ARROW_LIMIT:
        traces.append(
            _arrow_trace(view, positions, edges, [colours[r] for r in relation], detailed)
        )
    traces.append(
        _detailed_hit_trace(view, positions, edges)
        if detailed
        else _bulk_hit_trace(view, edges, x, y)
    )
    if contested.any():
        traces.append(
            roles.tagged(
                {
                    "type": "scatter",
                    "x": [None],
                    "y": [None],
                    "mode": "lines",
                    "line": {"color": "#555", "width": 2, "dash": "dash"},
                    "name": "contested (dashed)",
                    "legendgroup": "relation:contested",
                    "legendrank": 2001,
                    "hoverinfo": "skip",
                },
                roles.LEGEND,
            )
        )
    return traces


def edge_width(n_sources: np.ndarray, bulk: bool = False) -> np.ndarray:
    """Line width by number of distinct sources (capped at 5); thinner in bulk views."""
    capped = np.minimum(n_sources, 5)
    return 0.6 + 0.5 * capped if bulk else 1 + 1.4 * capped


def _line_traces(view: View, edges, x, y, relation, colours, trace_type: str) -> list:
    """One trace per (relation, width, dashed): a trace has one colour, width and dash."""
    bulk = trace_type == "scattergl"
    width = edge_width(view.edge_sources[edges], bulk)
    contested = view.edge_contested[edges]
    codes = view.network.edges["relation_code"].to_numpy()[edges]
    key = (codes.astype(np.int64) * 16 + np.minimum(view.edge_sources[edges], 5)) * 2 + contested
    order = np.argsort(key, kind="stable")
    starts = np.flatnonzero(np.diff(key[order], prepend=-1))
    traces = []
    for group in np.split(order, starts[1:]):
        first = group[0]
        rel, w, dashed = relation[first], width[first], bool(contested[first])
        traces.append(
            roles.tagged(
                {
                    "type": trace_type,
                    "x": typed(with_gaps(x[group])),
                    "y": typed(with_gaps(y[group])),
                    "mode": "lines",
                    "line": {
                        "color": colours[rel],
                        "width": float(w),
                        "dash": "dash" if dashed else "solid",
                    },
                    "opacity": 0.6 if bulk else 1.0,
                    "hoverinfo": "skip",
                    "name": escape(rel),
                    "legendgroup": _legend_group(rel, view.network.relations),
                    "showlegend": False,
                },
                roles.EDGE_LINES,
            )
        )
    return traces


def _arrow_trace(
    view: View, positions: np.ndarray, edges: np.ndarray, colours: list[str], detailed: bool
):
    x, y, dx, dy = edge_curves(view, positions, edges, np.array([ARROW_AT]))
    size = typed(7 + 1.6 * edge_width(view.edge_sources[edges])) if detailed else 6
    return roles.tagged(
        {
            "type": "scatter" if detailed else "scattergl",
            "x": typed(x[:, 0]),
            "y": typed(y[:, 0]),
            "mode": "markers",
            "marker": {
                "symbol": "triangle-up",
                "size": size,
                "angle": typed(np.degrees(np.arctan2(dx[:, 0], dy[:, 0]))),
                "color": colours,
                "line": {"width": 0},
            },
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "direction",
        },
        roles.EDGE_ARROWS,
    )


def _detailed_hit_trace(view: View, positions: np.ndarray, edges: np.ndarray):
    """Invisible markers every ``HIT_SPACING`` along each edge: hover or click anywhere
    on it, except right at its ends, which belong to the nodes."""
    net = view.network
    ends = positions[net.edge_to[edges]] - positions[net.edge_from[edges]]
    chord = np.hypot(ends[:, 0], ends[:, 1])
    length = chord * (1 + np.abs(net.edge_pair_offsets[edges]) * BEND)
    # Clickable between the nodes' clearances; a very short edge keeps its middle. The
    # chord, not the arc, sets the margin: a curve leaves its ends at least that fast.
    margin = np.minimum(NODE_CLEARANCE / np.maximum(chord, 1e-9), 0.4)
    span = 1 - 2 * margin
    per_edge = np.clip(np.ceil(length * span / HIT_SPACING) + 1, 3, 60).astype(int)
    edge_of_point = np.repeat(np.arange(len(edges)), per_edge)
    rank = np.arange(len(edge_of_point)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    t = margin[edge_of_point] + span[edge_of_point] * rank / (per_edge[edge_of_point] - 1)
    x, y, _, _ = edge_curves(view, positions, edges[edge_of_point], t[:, None])
    texts = edge_hover_texts(view, edges)
    return roles.tagged(
        {
            "type": "scatter",
            "x": typed(x[:, 0]),
            "y": typed(y[:, 0]),
            "mode": "markers",
            "marker": {"size": 16, "opacity": 0, "color": "#000"},
            "customdata": edges[edge_of_point].tolist(),
            "hovertext": [texts[i] for i in edge_of_point],
            "hoverinfo": "text",
            "hoverlabel": {"bgcolor": "white"},
            "showlegend": False,
            "name": "edges",
        },
        roles.EDGE_HITS,
    )


def _bulk_hit_trace(view: View, edges: np.ndarray, x: np.ndarray, y: np.ndarray):
    """One invisible marker per edge, at its bend, with short hover text."""
    return roles.tagged(
        {
            "type": "scattergl",
            "x": typed(x[:, 1]),
            "y": typed(y[:, 1]),
            "mode": "markers",
            "marker": {"size": 10, "opacity": 0, "color": "#000"},
            "customdata": edges.tolist(),
            "hovertext": edge_hover_texts(view, edges, short=True),
            "hoverinfo": "text",
            "hoverlabel": {"bgcolor": "white"},
            "showlegend": False,
            "name": "edges",
        },
        roles.EDGE_HITS,
    )
