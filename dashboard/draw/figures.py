"""A filtered view and node positions -> a Plotly figure; pure, no Dash here.

Colour encodes the relation (edges) and the actor type (nodes); edge width the number
of distinct sources; a dashed edge is contested; node size the chosen metric. Text from
the data is HTML-escaped: Plotly renders a subset of HTML in labels and hover text.

Every trace names its role (``meta.role``, see :mod:`dashboard.draw.roles`); clicks are
decoded by the role of the clicked trace. Large views are drawn with WebGL and, beyond
``MAX_DRAWN_EDGES``, only their strongest edges, with a notice on the figure.

Figures are plain dicts (``{"data": [...], "layout": {...}}``), which dcc.Graph takes as
they are; ``plotly.graph_objects.Figure(figure)`` turns one into an object when needed.
"""

from __future__ import annotations

from html import escape

import numpy as np
from plotly.colors import qualitative

from dashboard.draw import roles
from dashboard.draw.edge_traces import CURVE_SAMPLES, edge_curves, edge_traces, with_gaps
from dashboard.draw.path_overlay import path_overlay_traces
from dashboard.draw.typed_arrays import typed
from dashboard.query.filters import View
from dashboard.query.view_state import Selection
from dashboard.text import plural

NODE_PALETTE = qualitative.Set2 + qualitative.Pastel1
RELATION_PALETTE = qualitative.Dark24 + qualitative.Alphabet
LABEL_LIMIT = 40  # label at most this many nodes (the largest); hover shows every name
LABEL_CHARACTERS = 18
HIGHLIGHT_COLOUR = "#f59e0b"
MARGIN = 0.12
MAX_DRAWN_EDGES = 20_000  # about what a browser draws in under a second (bench/)
DETAIL_NODE_LIMIT = 2000  # above this, nodes are drawn with WebGL and short hover text


def relation_colours(relations: np.ndarray) -> dict[str, str]:
    """A fixed colour per relation, from the whole data set, so colours never shift."""
    return {r: RELATION_PALETTE[i % len(RELATION_PALETTE)] for i, r in enumerate(relations)}


def type_colours(types: np.ndarray) -> dict[str, str]:
    return {t: NODE_PALETTE[i % len(NODE_PALETTE)] for i, t in enumerate(types)}


def drawn_edges(view: View) -> tuple[np.ndarray, str | None]:
    """The edges to draw, and a notice when there are too many to draw them all."""
    edges = np.flatnonzero(view.edge_mask)
    if len(edges) <= MAX_DRAWN_EDGES:
        return edges, None
    strength = view.edge_claims[edges] * 1000 + view.edge_sources[edges]
    strongest = np.sort(edges[np.argsort(-strength, kind="stable")[:MAX_DRAWN_EDGES]])
    return strongest, (
        f"Drawing the {MAX_DRAWN_EDGES:,} edges with the most claims, of {len(edges):,}. "
        "Narrow the filters to see every edge."
    )


def node_sizes(view: View, metric: str, betweenness_of=None) -> np.ndarray:
    """Marker diameters in pixels by the chosen metric over the visible view: 12-44, or
    4-20 when the view is so large that bigger markers would hide every edge.

    ``betweenness_of(view)`` computes betweenness; the app passes a cached one.
    """
    if metric == "degree":
        values = view.node_degrees.astype(float)
    elif metric == "betweenness":
        from dashboard.graph import view_betweenness

        values = (betweenness_of or view_betweenness)(view)
    else:
        values = view.node_claim_counts.astype(float)
    shown = values[view.node_mask]
    top = shown.max() if len(shown) else 0
    scaled = np.sqrt(values / top) if top > 0 else np.zeros_like(values)
    smallest, span = (4, 16) if len(shown) > DETAIL_NODE_LIMIT else (12, 32)
    return smallest + span * scaled


def short_label(name: str) -> str:
    return name if len(name) <= LABEL_CHARACTERS else name[: LABEL_CHARACTERS - 1].rstrip() + "…"


def build_figure(
    view: View,
    positions: np.ndarray,
    size_by: str = "claims",
    selection: Selection | None = None,
    revision: str = "",
    betweenness_of=None,
) -> dict:
    """The network figure for a view; every trace is tagged with its role (:mod:`roles`)."""
    edges, notice = drawn_edges(view)
    traces = edge_traces(view, positions, edges, relation_colours(view.network.relations))
    traces += _node_traces(view, positions, node_sizes(view, size_by, betweenness_of))
    traces += path_overlay_traces(view, positions, None)  # a path is patched in (web/paths_panel)
    traces += highlight_traces(view, positions, selection)
    return {"data": traces, "layout": _figure_layout(positions, revision, notice)}


def _node_traces(view: View, positions: np.ndarray, sizes: np.ndarray) -> list:
    net = view.network
    nodes = np.flatnonzero(view.node_mask)
    bulk = len(nodes) > DETAIL_NODE_LIMIT
    claims = view.node_claim_counts
    degrees = view.node_degrees
    labelled = label_choice(positions, nodes, sizes)
    colours = type_colours(net.actor_types)
    types = net.actor_type[nodes]
    aliases = net.actors["aliases"].to_numpy()
    traces = []
    for first, code in _first_flags(sorted(set(types.tolist()))):
        actor_type = net.actor_types[code]
        group = nodes[types == code]
        names = net.actor_names[group]
        escaped = net.escaped_names[group]
        if bulk:
            hover = escaped.tolist()  # the full name; the rest is on the actor's card
        else:
            hover = [
                f"<b>{name}</b><br>{escape(actor_type)}"
                + (f"<br>also: {escape(', '.join(aliases[n]))}" if len(aliases[n]) else "")
                + f"<br>{plural(claims[n], 'claim')} · {plural(degrees[n], 'edge')}"
                + "<br><i>click for the actor card</i>"
                for n, name in zip(group, escaped, strict=True)
            ]
        traces.append(
            roles.tagged(
                {
                    "type": "scattergl" if bulk else "scatter",
                    "x": typed(positions[group, 0]),
                    "y": typed(positions[group, 1]),
                    "mode": "markers+text",
                    "marker": {
                        "size": typed(sizes[group]),
                        "color": colours[actor_type],
                        "line": {"width": 0 if bulk else 1.5, "color": "#fff"},
                    },
                    "text": [
                        escape(short_label(name)) if labelled[n] else ""
                        for n, name in zip(group, names, strict=True)
                    ],
                    "textposition": "bottom center",
                    "textfont": {"size": 11, "color": "#1f2933"},
                    "customdata": group.tolist(),  # a list: see edge_traces
                    "hovertext": hover,
                    "hoverinfo": "text",
                    "name": escape(actor_type),
                    "legendgroup": f"type:{code}",  # an id: no text from the data
                    "showlegend": False,
                },
                roles.ACTORS,
            )
        )
        # The legend entry, apart: a swatch of one size, whatever the nodes' sizes.
        traces.append(
            roles.tagged(
                {
                    "type": "scatter",
                    "x": [None],
                    "y": [None],
                    "mode": "markers",
                    "marker": {"size": 11, "color": colours[actor_type]},
                    "name": escape(actor_type),
                    "legendgroup": f"type:{code}",
                    "legendgrouptitle": {"text": "Actor types"} if first else {},
                    "legendrank": 1000,
                    "hoverinfo": "skip",
                },
                roles.LEGEND,
            )
        )
    return traces


def label_choice(positions: np.ndarray, nodes: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Which actors get a label: the largest first, at most ``LABEL_LIMIT``, none
    overlapping another (labels are about 0.2 wide and 0.05 tall in the [-1, 1] frame)."""
    labelled = np.zeros(len(positions), dtype=bool)
    if len(nodes) <= LABEL_LIMIT:
        labelled[nodes] = True  # small views: the layout already keeps labels apart
        return labelled
    taken: list[np.ndarray] = []
    # The largest few hundred hold the labels' winners; no need to look further.
    for node in nodes[np.argsort(-sizes[nodes], kind="stable")][: LABEL_LIMIT * 10]:
        point = positions[node]
        if all(abs(point[0] - p[0]) > 0.2 or abs(point[1] - p[1]) > 0.05 for p in taken):
            taken.append(point)
            labelled[node] = True
            if len(taken) == LABEL_LIMIT:
                break
    return labelled


def _first_flags(items: list) -> list[tuple[bool, object]]:
    return [(i == 0, item) for i, item in enumerate(items)]


def highlight_traces(view: View, positions: np.ndarray, selection: Selection | None) -> list[dict]:
    """Two traces: the selected edge (or a node's edges) and the actors at their ends."""
    xs: list = []
    ys: list = []
    ends: list[int] = []
    net = view.network
    if selection is not None and selection.kind == "edge" and view.edge_mask[selection.index]:
        chosen = np.array([selection.index])
        ends = [int(net.edge_from[selection.index]), int(net.edge_to[selection.index])]
    elif selection is not None and selection.kind == "node" and view.node_mask[selection.index]:
        touches = (net.edge_from == selection.index) | (net.edge_to == selection.index)
        chosen = np.flatnonzero(touches & view.edge_mask)[:500]
        ends = [selection.index]
    else:
        chosen = np.array([], dtype=int)
    if len(chosen):
        x, y, _, _ = edge_curves(view, positions, chosen, np.linspace(0, 1, CURVE_SAMPLES))
        # Plain lists (None between edges): these go out in Patches, as JSON as they are.
        xs = [None if np.isnan(v) else float(v) for v in with_gaps(x)]
        ys = [None if np.isnan(v) else float(v) for v in with_gaps(y)]
    return [
        roles.tagged(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "line": {"color": HIGHLIGHT_COLOUR, "width": 7},
                "opacity": 0.55,
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "selected",
            },
            roles.HIGHLIGHT_EDGES,
        ),
        roles.tagged(
            {
                "type": "scatter",
                "x": positions[ends, 0].tolist(),
                "y": positions[ends, 1].tolist(),
                "mode": "markers",
                "marker": {
                    "size": 50,
                    "color": "rgba(0,0,0,0)",
                    "line": {"width": 4, "color": HIGHLIGHT_COLOUR},
                },
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "selected actors",
            },
            roles.HIGHLIGHT_ACTORS,
        ),
    ]


def _figure_layout(positions: np.ndarray, revision: str, notice: str | None) -> dict:
    placed = not np.isnan(positions).all()
    low = np.nanmin(positions, axis=0) if placed else np.array([-1.0, -1.0])
    high = np.nanmax(positions, axis=0) if placed else np.array([1.0, 1.0])
    pad = (high - low) * MARGIN + 0.05
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    annotations = []
    if notice:
        annotations.append(
            {
                "text": escape(notice),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": "#92400e"},
                "bgcolor": "#fffbeb",
            }
        )
    return {
        "xaxis": {**axis, "range": [low[0] - pad[0], high[0] + pad[0]]},
        "yaxis": {**axis, "range": [low[1] - pad[1], high[1] + pad[1]], "scaleanchor": "x"},
        # The top margin is the modebar's strip, so it never covers the legend.
        "margin": {"l": 10, "r": 10, "t": 36, "b": 10},
        "plot_bgcolor": "#fff",
        "paper_bgcolor": "#fff",
        "hovermode": "closest",
        "clickmode": "event",
        "dragmode": "pan",
        "uirevision": revision,
        "annotations": annotations,
        # Outside the plot, so it never covers a node or an edge.
        "legend": {
            "x": 1.01,
            "xanchor": "left",
            "y": 1,
            "font": {"size": 11},
            "tracegroupgap": 1,
            # A legend click would hide traces behind the filters' back (edges left
            # dangling, counts and URL unchanged): the filters are the one way to narrow.
            "itemclick": False,
            "itemdoubleclick": False,
        },
    }
