"""Two periods compared, drawn over the map: edges only in A, only in B, in both, and
changed, each in its own colour with a legend entry, the rest of the map faded.

The traces are *overlays* (``{"traces": [...], "fade": ...}``): the figure's assemblers
(draw/assemble.py and assets/network.js) append them as they are and fade the map
under them, so the browser and the exports draw the same comparison.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.positions.compute import compute_layout
>>> from dashboard.query.compare import compare_periods
>>> from dashboard.query.filters import FilterState
>>> from dashboard.query.periods import parse_bound
>>> net = Network.from_dataset(load_or_raise("data"))
>>> result = compare_periods(net, FilterState(), (parse_bound("1991", 0), parse_bound("2000", 1)),
...                          (parse_bound("2001", 0), parse_bound("2010", 1)))
>>> overlay = compare_overlay(result, compute_layout(net, "force"))
>>> [t["name"] for t in overlay["traces"] if t.get("showlegend")]
['only in B: 4', 'only in A: 11', 'in both: 2']
"""

from __future__ import annotations

from html import escape

import numpy as np

from dashboard.arrays import distinct
from dashboard.draw import roles, style
from dashboard.draw.figures import edge_curves
from dashboard.draw.typed_arrays import typed
from dashboard.query.compare import CHANGED, GONE, KEPT, NEW, Comparison, compare_periods
from dashboard.query.filters import View
from dashboard.text import plural

COMPARE_LINES = "compare-lines"
COMPARE_HITS = "compare-hits"
COMPARE_ACTORS = "compare-actors"
FADE = 0.15
SHORT_NAMES = {NEW: "only in B", GONE: "only in A", KEPT: "in both", CHANGED: "changed"}
# Okabe and Ito again, apart from the families' blue and vermillion where possible.
LOOKS = {
    NEW: {"color": "#009E73", "width": 3, "dash": "solid"},
    GONE: {"color": "#E69F00", "width": 3, "dash": "dash"},
    KEPT: {"color": "#6B7280", "width": 2, "dash": "solid"},
    CHANGED: {"color": "#CC79A7", "width": 5, "dash": "solid"},
}


def compare_overlay(comparison: Comparison, positions: np.ndarray) -> dict:
    """The comparison as overlay traces: one line trace per status (with its legend
    entry and count), hover markers at the edges' middles, and the actors at their ends."""
    net = comparison.network
    counts = comparison.counts()
    edges, status = comparison.edges, comparison.status
    if len(edges) > style.MAX_DRAWN_EDGES:  # the strongest, as the map draws them
        total = comparison.view_a.edge_claims[edges] + comparison.view_b.edge_claims[edges]
        keep = np.sort(np.argsort(-total, kind="stable")[: style.MAX_DRAWN_EDGES])
        edges, status = edges[keep], status[keep]
    bulk = len(edges) > style.DETAIL_EDGE_LIMIT
    t = np.array([0.0, 0.5, 1.0]) if bulk else np.linspace(0, 1, style.CURVE_SAMPLES)
    kind = "scattergl" if bulk else "scatter"
    traces = []
    for rank, code in enumerate((NEW, GONE, KEPT, CHANGED)):
        rows = np.flatnonzero(status == code)
        x, y = np.empty((0, len(t))), np.empty((0, len(t)))
        if len(rows):
            x, y, _, _ = edge_curves(comparison.view_a, positions, edges[rows], t)
        gap = np.full((len(rows), 1), np.nan)
        traces.append(
            roles.tagged(
                {
                    "type": kind,
                    "x": typed(np.hstack([x, gap]).ravel()),
                    "y": typed(np.hstack([y, gap]).ravel()),
                    "mode": "lines",
                    "line": LOOKS[code],
                    "opacity": 0.9,
                    "hoverinfo": "skip",
                    "name": f"{SHORT_NAMES[code]}: {counts[code]:,}",
                    "showlegend": bool(counts[code]),
                    "legendgroup": "compare",
                    "legendgrouptitle": {"text": "Periods A and B"} if rank == 0 else {},
                    "legendrank": 500 + rank,
                },
                COMPARE_LINES,
            )
        )
    mx, my, _, _ = edge_curves(comparison.view_a, positions, edges, np.array([0.5]))
    traces.append(
        roles.tagged(
            {
                "type": kind,
                "x": typed(mx[:, 0] if len(edges) else np.zeros(0)),
                "y": typed(my[:, 0] if len(edges) else np.zeros(0)),
                "mode": "markers",
                "marker": {"size": 12, "opacity": 0, "color": "#000"},
                "hovertext": [hover_text(comparison, e, s) for e, s in zip(edges.tolist(), status.tolist(), strict=True)],
                "hoverinfo": "text",
                "hoverlabel": {"bgcolor": "white"},
                "showlegend": False,
                "name": "compared edges",
            },
            COMPARE_HITS,
        )
    )  # fmt: skip
    actors = distinct(np.concatenate([net.edge_from[edges], net.edge_to[edges]]))
    labelled = len(actors) <= style.LABEL_LIMIT
    traces.append(
        roles.tagged(
            {
                "type": kind,
                "x": typed(positions[actors, 0]),
                "y": typed(positions[actors, 1]),
                "mode": "markers+text" if labelled else "markers",
                "marker": {"size": 9, "color": "#1f2933", "line": {"width": 1, "color": "#fff"}},
                "text": [net.escaped_names[a] for a in actors.tolist()] if labelled else None,
                "textposition": "bottom center",
                "textfont": {"size": 11, "color": "#1f2933"},
                "hovertext": [net.escaped_names[a] for a in actors.tolist()],
                "hoverinfo": "text",
                "showlegend": False,
                "name": "compared actors",
            },
            COMPARE_ACTORS,
        )
    )
    return {"traces": traces, "fade": FADE}


def hover_text(comparison: Comparison, edge: int, status: int) -> str:
    net = comparison.network
    a, b, r = net.edge_key(edge)
    names = net.escaped_names
    head = f"<b>{names[net.actor_code[a]]}</b> {escape(r)} <b>{names[net.actor_code[b]]}</b>"
    claims_a = int(comparison.view_a.edge_claims[edge])
    claims_b = int(comparison.view_b.edge_claims[edge])
    lines = [
        head,
        escape(comparison.status_names()[status]),
        f"A ({escape(comparison.label_a)}): {plural(claims_a, 'claim')}"
        + (f", {comparison.stance(edge, 'a')}" if claims_a else ""),
        f"B ({escape(comparison.label_b)}): {plural(claims_b, 'claim')}"
        + (f", {comparison.stance(edge, 'b')}" if claims_b else ""),
    ]
    return "<br>".join(lines)


def comparison_of(view: View, state) -> Comparison | None:
    """The comparison a view state asks for (``state.time.compare``), or None."""
    compare = getattr(getattr(state, "time", None), "compare", None)
    if compare is None:
        return None
    return compare_periods(view.network, state.filters, *compare)


def with_comparison(view: View, positions: np.ndarray, state, overlays: dict | None):
    """``overlays`` (a path's, or None) with the comparison ``state`` asks for on top."""
    comparison = comparison_of(view, state)
    if comparison is None:
        return overlays
    compared = compare_overlay(comparison, positions)
    if overlays is None:
        return compared
    return {
        "traces": [*compared["traces"], *overlays["traces"]],
        "fade": min(compared["fade"], overlays["fade"]),
    }


def comparison_caption(view: View, state) -> list[str]:
    """A caption line naming both periods and the counts, for exported figures."""
    comparison = comparison_of(view, state)
    if comparison is None:
        return []
    return [
        f"Compared periods: A = {comparison.label_a}, B = {comparison.label_b} (undated "
        f"claims left out). {comparison.summary()}. Changed: the pair of actors is linked "
        "in both periods, with another family or stance."
    ]
