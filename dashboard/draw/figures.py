"""A filtered view and node positions -> a Plotly figure; pure, no Dash here.

Colour encodes the relation (edges) and the actor type (nodes); edge width the number
of distinct sources; a dashed edge is contested; node size the chosen metric. Text from
the data is HTML-escaped: Plotly renders a subset of HTML in labels and hover text.

Clicks identify points by ``customdata``: an edge's number (>= 0), or ``-(code + 1)``
for an actor; see :func:`decode_point`. Large views are drawn with WebGL and, beyond
``MAX_DRAWN_EDGES``, only their strongest edges, with a notice on the figure.

Figures are plain dicts (``{"data": [...], "layout": {...}}``), which dcc.Graph takes as
they are; ``plotly.graph_objects.Figure(figure)`` turns one into an object when needed.
"""

from __future__ import annotations

from html import escape

import numpy as np
from plotly.colors import qualitative

from dashboard.draw.edge_traces import CURVE_SAMPLES, edge_curves, edge_traces, with_gaps
from dashboard.draw.typed_arrays import typed
from dashboard.query.centrality import Sizing, betweenness_now
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


def decode_point(customdata) -> Selection | None:
    """The Selection a clicked point's customdata stands for, or None.

    >>> decode_point(12), decode_point(-1), decode_point("x")
    (Selection(kind='edge', index=12), Selection(kind='node', index=0), None)
    """
    if isinstance(customdata, list) and len(customdata) == 1:
        customdata = customdata[0]
    if isinstance(customdata, bool) or not isinstance(customdata, int | float):
        return None
    value = int(customdata)
    return Selection("edge", value) if value >= 0 else Selection("node", -value - 1)


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


def node_sizes(view: View, metric: str, betweenness: np.ndarray | None = None) -> np.ndarray:
    """Marker diameters in pixels by the chosen metric over the visible view: 12-44, or
    4-20 when the view is so large that bigger markers would hide every edge.

    ``betweenness``: scores per actor for the "betweenness" metric (see
    query/centrality.py); computed here when not given.
    """
    if metric == "degree":
        values = view.node_degrees.astype(float)
    elif metric == "betweenness":
        values = betweenness if betweenness is not None else betweenness_now(view).scores
    else:
        values = view.node_claim_counts.astype(float)
    shown = values[view.node_mask]
    top = shown.max() if len(shown) else 0
    scaled = np.sqrt(values / top) if top > 0 else np.zeros_like(values)
    smallest, span = (4, 16) if len(shown) > DETAIL_NODE_LIMIT else (12, 32)
    return smallest + span * scaled


def resolve_sizing(view: View, size_by: str, sizing: Sizing | None) -> tuple[str, Sizing | None]:
    """The metric to size nodes by now, and the size key to show with it.

    Betweenness comes from ``sizing`` (the app computes it in the background, and sizes
    by claims until it is ready); without one, it is computed here.
    """
    if size_by != "betweenness":
        return size_by, None
    if sizing is None:
        found = betweenness_now(view)
        sizing = Sizing(found.scores, found.describe(), pending=False)
    return ("betweenness" if sizing.values is not None else "claims"), sizing


def short_label(name: str) -> str:
    return name if len(name) <= LABEL_CHARACTERS else name[: LABEL_CHARACTERS - 1].rstrip() + "…"


def build_figure(
    view: View,
    positions: np.ndarray,
    size_by: str = "claims",
    selection: Selection | None = None,
    revision: str = "",
    sizing: Sizing | None = None,
) -> dict:
    """The network figure for a view; the last two traces hold the selection highlight.

    With betweenness sizing, the figure's first annotation is the size key: which
    betweenness the sizes show, or that it is being computed (see resolve_sizing).
    """
    edges, notice = drawn_edges(view)
    metric, sizing = resolve_sizing(view, size_by, sizing)
    sizes = node_sizes(view, metric, sizing.values if sizing is not None else None)
    traces = edge_traces(view, positions, edges, relation_colours(view.network.relations))
    traces += _node_traces(view, positions, sizes)
    traces += highlight_traces(view, positions, selection)
    size_key = sizing.note if sizing is not None else None
    return {"data": traces, "layout": _figure_layout(positions, revision, notice, size_key)}


def size_key_annotation(text: str) -> dict:
    """The size key, under the plot's bottom left corner, as text."""
    return {
        "text": escape(text),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 11, "color": "#374151"},
        "bgcolor": "rgba(255,255,255,0.85)",
    }


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
                "customdata": (-group - 1).tolist(),  # a list: see edge_traces
                "hovertext": hover,
                "hoverinfo": "text",
                "name": escape(actor_type),
                "legendgroup": f"type:{code}",  # an id: no text from the data
                "showlegend": False,
            }
        )
        # The legend entry, apart: a swatch of one size, whatever the nodes' sizes.
        traces.append(
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
            }
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
    ]


def _figure_layout(
    positions: np.ndarray, revision: str, notice: str | None, size_key: str | None = None
) -> dict:
    placed = not np.isnan(positions).all()
    low = np.nanmin(positions, axis=0) if placed else np.array([-1.0, -1.0])
    high = np.nanmax(positions, axis=0) if placed else np.array([1.0, 1.0])
    pad = (high - low) * MARGIN + 0.05
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    annotations = [size_key_annotation(size_key)] if size_key else []
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
            "groupclick": "togglegroup",
        },
    }
