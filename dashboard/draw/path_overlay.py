"""The chosen path between two actors drawn over the network: its hops in order, each
numbered at its middle, its actors ringed, and everything else faded.

:func:`path_overlay_traces` gives three traces tagged with roles (:mod:`roles`), empty
when there is no path; :func:`path_overlay` wraps them for the figure's assembler
(draw/assemble.py and assets/network.js), which draws them on top and fades the rest.

>>> from dashboard.data import load_or_raise
>>> from dashboard.graph import Network
>>> from dashboard.positions.compute import compute_layout
>>> from dashboard.query.filters import FilterState, apply_filters
>>> from dashboard.query.paths import PathQuery, find_paths
>>> net = Network.from_dataset(load_or_raise("data"))
>>> view = apply_filters(net, FilterState())
>>> path = find_paths(view, PathQuery("turkey", "iran")).paths[0]
>>> lines, actors, numbers = path_overlay_traces(view, compute_layout(net, "force"), path)
>>> [t["meta"]["role"] for t in (lines, actors, numbers)], numbers["text"]
(['path-lines', 'path-actors', 'path-hop-numbers'], ['1', '2', '3'])
>>> [t["x"] for t in path_overlay_traces(view, compute_layout(net, "force"), None)]
[[], [], []]
"""

from __future__ import annotations

import numpy as np

from dashboard.draw import roles
from dashboard.draw.figures import edge_curves
from dashboard.draw.style import CURVE_SAMPLES
from dashboard.query.filters import View
from dashboard.query.paths import Path, PathResult, describe_path, find_paths
from dashboard.text import plural

PATH_COLOUR = "#7c3aed"
FADED = 0.18  # the other edges' and actors' opacity while a path is shown
OVERLAY_ROLES = (roles.PATH_LINES, roles.PATH_ACTORS, roles.PATH_HOP_NUMBERS)


def _points(values: np.ndarray) -> list:
    """Plain lists with None for gaps: these go out in Patches, as JSON as they are."""
    return [None if np.isnan(v) else float(v) for v in values]


def path_overlay_traces(
    view: View, positions: np.ndarray, path: Path | None, numbers_at: float = 0.5
) -> list[dict]:
    """The path's lines, ringed actors and hop numbers, as three role-tagged traces.

    Each hop is drawn along one of its edges (the one with the most claims shown), from
    the hop's first actor to its second, so the line reads in the path's order; its
    number sits ``numbers_at`` of the way along (exports move it off the footnote marks).
    """
    xs: list = []
    ys: list = []
    middles = np.empty((0, 2))
    actors: list[int] = []
    if path is not None:
        net = view.network
        edges = np.array(
            [max(hop.edges, key=lambda e: (view.edge_claims[e], -e)) for hop in path.hops]
        )
        x, y, _, _ = edge_curves(view, positions, edges, np.linspace(0, 1, CURVE_SAMPLES))
        backwards = net.edge_from[edges] != np.array([hop.from_code for hop in path.hops])
        x[backwards], y[backwards] = x[backwards, ::-1], y[backwards, ::-1]
        gap = np.full((len(edges), 1), np.nan)
        xs = _points(np.hstack([x, gap]).ravel())
        ys = _points(np.hstack([y, gap]).ravel())
        along = np.where(backwards, 1 - numbers_at, numbers_at)[:, None]
        mx, my, _, _ = edge_curves(view, positions, edges, along)
        middles = np.column_stack([mx[:, 0], my[:, 0]])
        actors = list(path.actors)
    return [
        roles.tagged(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "line": {"color": PATH_COLOUR, "width": 6},
                "opacity": 0.8,
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "path",
            },
            roles.PATH_LINES,
        ),
        roles.tagged(
            {
                "type": "scatter",
                "x": positions[actors, 0].tolist(),
                "y": positions[actors, 1].tolist(),
                # The path's actors keep legible names while the rest fades.
                "mode": "markers+text",
                "text": [view.network.escaped_names[a] for a in actors],
                "hovertext": [view.network.escaped_names[a] for a in actors],
                "textposition": "top center",
                "textfont": {"size": 12, "color": "#4c1d95"},
                "marker": {
                    "size": 34,
                    "color": "rgba(0,0,0,0)",
                    "line": {"width": 3, "color": PATH_COLOUR},
                },
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "path actors",
            },
            roles.PATH_ACTORS,
        ),
        roles.tagged(
            {
                "type": "scatter",
                "x": middles[:, 0].tolist(),
                "y": middles[:, 1].tolist(),
                "mode": "markers+text",
                "text": [str(i) for i in range(1, len(middles) + 1)],
                "hovertext": [f"hop {i}" for i in range(1, len(middles) + 1)],
                "textposition": "middle center",
                "textfont": {"size": 12, "color": "#fff"},
                "marker": {
                    "size": 20,
                    "color": PATH_COLOUR,
                    "line": {"width": 1.5, "color": "#fff"},
                },
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "hop numbers",
            },
            roles.PATH_HOP_NUMBERS,
        ),
    ]


def path_overlay(
    view: View, positions: np.ndarray, path: Path | None, numbers_at: float = 0.5
) -> dict | None:
    """The path as overlays for the assembler: its traces on top, the rest faded."""
    if path is None:
        return None
    return {"traces": path_overlay_traces(view, positions, path, numbers_at), "fade": FADED}


def path_result(view: View, state) -> PathResult | None:
    """The paths a view state asks for (its ``path``), or None when it asks for none."""
    if state.path is None:
        return None
    return find_paths(view, state.path, state.filters)


def path_caption(view: View, result: PathResult) -> str:
    """The caption line for a report figure: the chosen path, or why there is none."""
    net = view.network
    query = result.query
    ends = " to ".join(net.actor_names[net.actor_code[a]] for a in (query.start, query.end))
    limit = f"at most {plural(query.max_hops, 'hop')}" + (
        ", following the direction of relations" if query.directed else ""
    )
    if result.chosen is None:
        return f"Path from {ends} ({limit}): none. {' '.join(result.hints)}"
    return (
        f"Path {result.chosen_index + 1} of {len(result.paths)} from {ends} ({limit}): "
        f"{describe_path(net, result.chosen)}; its sources come first in the list below."
    )
