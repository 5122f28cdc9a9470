"""A filtered view and node positions -> a Plotly figure; pure, no Dash here.

Edges are quadratic Bezier curves, bent apart when two actors have several relations;
an arrowhead past the middle of each curve shows direction; colour encodes the relation,
width the number of distinct sources, a dashed line a contested edge. Invisible markers
along each edge carry its number, so hovering or clicking anywhere along it finds it.
Text from the data is HTML-escaped: Plotly renders a subset of HTML in labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from .filters import View
from .graph import UNDATED
from .text import plural

NODE_PALETTE = qualitative.Set2 + qualitative.Pastel1
RELATION_PALETTE = qualitative.Dark24 + qualitative.Alphabet
CURVE_SAMPLES = 16
HIT_SPACING = 0.04  # between hit markers along an edge, in the [-1, 1] frame (~15 px)
NODE_CLEARANCE = 0.05  # no edge hit markers this close to a node centre: clicks there pick the node
ARROW_AT = 0.62
BEND = 0.14  # how far (in edge lengths) each parallel rank bends from the straight line
LOOP_RADIUS = 0.05
LABEL_LIMIT = 40  # label at most this many nodes (the largest); hover shows every name
LABEL_CHARACTERS = 18
SIZE_METRICS = {"claims": "Number of claims", "degree": "Degree", "betweenness": "Betweenness"}
HIGHLIGHT_COLOUR = "#f59e0b"
MARGIN = 0.12


@dataclass(frozen=True)
class Selection:
    """What the user clicked: an edge (by number) or a node (by actor code)."""

    kind: str
    index: int


def relation_colours(relations: np.ndarray) -> dict[str, str]:
    """A fixed colour per relation, from the whole data set, so colours never shift."""
    return {r: RELATION_PALETTE[i % len(RELATION_PALETTE)] for i, r in enumerate(relations)}


def type_colours(types: np.ndarray) -> dict[str, str]:
    return {t: NODE_PALETTE[i % len(NODE_PALETTE)] for i, t in enumerate(types)}


def edge_curves(view: View, positions: np.ndarray, edges: np.ndarray, t: np.ndarray):
    """Points along each edge's curve, and the tangents there.

    ``t`` is either one row of fractions shared by all edges (giving arrays of
    len(edges) x len(t)) or one column with a fraction per edge (len(edges) x 1).
    """
    net = view.network
    frame = net.edges
    p0 = positions[frame["from"].to_numpy()[edges]]
    p2 = positions[frame["to"].to_numpy()[edges]]
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


def _year_range(first_day: int, last_day: int) -> str:
    if first_day == UNDATED:
        return "undated"
    first = str(np.datetime64(int(first_day), "D"))[:4]
    last = str(np.datetime64(int(last_day), "D"))[:4]
    return first if first == last else f"{first}–{last}"


def edge_hover_texts(view: View, edges: np.ndarray) -> list[str]:
    """Hover text per edge: from, relation, to, claims, sources, time span, contest."""
    net = view.network
    frame = net.edges
    names = net.actor_names
    undated = np.bincount(
        net.claim_edge[view.claim_mask & (net.claim_start_day == UNDATED) & (net.claim_edge >= 0)],
        minlength=len(frame),
    )
    texts = []
    for e in edges.tolist():
        lines = [
            f"<b>{escape(names[frame['from'].iat[e]])}</b> {escape(frame['relation'].iat[e])} "
            f"<b>{escape(names[frame['to'].iat[e]])}</b>",
            f"{plural(view.edge_claims[e], 'claim')} · {plural(view.edge_sources[e], 'source')}",
            _year_range(view.edge_first_day[e], view.edge_last_day[e])
            + (
                f" (+{undated[e]} undated)"
                if undated[e] and view.edge_first_day[e] != UNDATED
                else ""
            ),
        ]
        if view.edge_denials[e]:
            lines.append(f"⚠ Contested: {plural(view.edge_denials[e], 'denial')}")
        elif view.edge_opposed[e]:
            lines.append("⚠ Contested: another source claims an opposing relation")
        lines.append("<i>click for the evidence</i>")
        texts.append("<br>".join(lines))
    return texts


def node_sizes(view: View, metric: str) -> np.ndarray:
    """Marker diameters in pixels (12-44), by the chosen metric over the visible view."""
    from .graph import betweenness

    if metric == "degree":
        values = view.node_degrees().astype(float)
    elif metric == "betweenness":
        edges = view.network.edges[view.edge_mask]
        values = betweenness(
            view.network.n_actors, edges["from"].to_numpy(), edges["to"].to_numpy()
        )
    else:
        values = view.node_claim_counts().astype(float)
    shown = values[view.node_mask]
    top = shown.max() if len(shown) else 0
    scaled = np.sqrt(values / top) if top > 0 else np.zeros_like(values)
    return 12 + 32 * scaled


def short_label(name: str) -> str:
    return name if len(name) <= LABEL_CHARACTERS else name[: LABEL_CHARACTERS - 1].rstrip() + "…"


def build_figure(
    view: View,
    positions: np.ndarray,
    size_by: str = "claims",
    selection: Selection | None = None,
    revision: str = "",
) -> go.Figure:
    """The network figure for a view; the last two traces hold the selection highlight."""
    edges = np.flatnonzero(view.edge_mask)
    traces = _edge_traces(view, positions, edges)
    traces += _node_traces(view, positions, size_by)
    traces += highlight_traces(view, positions, selection)
    figure = go.Figure(data=traces)
    figure.update_layout(_figure_layout(positions, revision))
    return figure


def _edge_traces(view: View, positions: np.ndarray, edges: np.ndarray) -> list:
    net = view.network
    colours = relation_colours(net.relations)
    relation = net.edges["relation"].to_numpy()[edges]
    width_bucket = np.minimum(view.edge_sources[edges], 5)
    contested = view.edge_contested[edges]
    t = np.linspace(0, 1, CURVE_SAMPLES)
    x, y, _, _ = edge_curves(view, positions, edges, t)
    traces = [
        # Legend entries of one width; the drawn traces below vary in width.
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            line={"color": colours[rel], "width": 3},
            name=escape(rel),
            legendgroup=f"relation:{rel}",
            legendgrouptitle={"text": "Relations"} if first else None,
            legendrank=2000,
            hoverinfo="skip",
        )
        for first, rel in _first_flags(sorted(set(relation.tolist())))
    ]
    for rel in sorted(set(relation.tolist())):
        for bucket in sorted(set(width_bucket[relation == rel].tolist())):
            for dashed in (False, True):
                group = (relation == rel) & (width_bucket == bucket) & (contested == dashed)
                if not group.any():
                    continue
                traces.append(
                    go.Scatter(
                        x=_with_gaps(x[group]),
                        y=_with_gaps(y[group]),
                        mode="lines",
                        line={
                            "color": colours[rel],
                            "width": 1 + 1.4 * bucket,
                            "dash": "dash" if dashed else "solid",
                        },
                        hoverinfo="skip",
                        name=escape(rel),
                        legendgroup=f"relation:{rel}",
                        showlegend=False,
                    )
                )
    if len(edges):
        traces.append(_arrow_trace(view, positions, edges, [colours[r] for r in relation]))
        traces.append(_edge_hit_trace(view, positions, edges))
    if contested.any():
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"color": "#555", "width": 2, "dash": "dash"},
                name="contested (dashed)",
                legendgroup="relation:contested",
                legendrank=2001,
                hoverinfo="skip",
            )
        )
    return traces


def _first_flags(items: list) -> list[tuple[bool, object]]:
    return [(i == 0, item) for i, item in enumerate(items)]


def _with_gaps(points: np.ndarray) -> np.ndarray:
    """Rows of points as one array with NaN between rows, so one trace draws many lines."""
    gapped = np.full((points.shape[0], points.shape[1] + 1), np.nan)
    gapped[:, :-1] = points
    return gapped.ravel()


def _arrow_trace(view: View, positions: np.ndarray, edges: np.ndarray, colours: list[str]):
    x, y, dx, dy = edge_curves(view, positions, edges, np.array([ARROW_AT]))
    width = 1 + 1.4 * np.minimum(view.edge_sources[edges], 5)
    return go.Scatter(
        x=x[:, 0],
        y=y[:, 0],
        mode="markers",
        marker={
            "symbol": "triangle-up",
            "size": 7 + 1.6 * width,
            "angle": np.degrees(np.arctan2(dx[:, 0], dy[:, 0])),
            "color": colours,
            "line": {"width": 0},
        },
        hoverinfo="skip",
        showlegend=False,
        name="direction",
    )


def _edge_hit_trace(view: View, positions: np.ndarray, edges: np.ndarray):
    """Invisible markers every ``HIT_SPACING`` along each edge: hover or click anywhere
    on it, except right at its ends, which belong to the nodes."""
    frame = view.network.edges
    ends = positions[frame["to"].to_numpy()[edges]] - positions[frame["from"].to_numpy()[edges]]
    chord = np.hypot(ends[:, 0], ends[:, 1])
    length = chord * (1 + np.abs(view.network.edge_pair_offsets[edges]) * BEND)
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
    return go.Scatter(
        x=x[:, 0],
        y=y[:, 0],
        mode="markers",
        marker={"size": 16, "opacity": 0, "color": "#000"},
        customdata=[["edge", int(edges[i])] for i in edge_of_point],
        hovertext=[texts[i] for i in edge_of_point],
        hoverinfo="text",
        hoverlabel={"bgcolor": "white"},
        showlegend=False,
        name="edges",
    )


def _node_traces(view: View, positions: np.ndarray, size_by: str) -> list:
    net = view.network
    nodes = np.flatnonzero(view.node_mask)
    sizes = node_sizes(view, size_by)
    claims = view.node_claim_counts()
    degrees = view.node_degrees()
    labelled = set(nodes.tolist())
    if len(nodes) > LABEL_LIMIT:
        labelled = set(nodes[np.argsort(-sizes[nodes], kind="stable")[:LABEL_LIMIT]].tolist())
    colours = type_colours(net.actor_types)
    types = net.actors["type"].to_numpy()
    aliases = net.actors["aliases"].to_numpy()
    traces = []
    present = [t for t in net.actor_types if (types[nodes] == t).any()]
    for first, actor_type in _first_flags(present):
        group = nodes[types[nodes] == actor_type]
        names = net.actor_names[group]
        hover = [
            f"<b>{escape(name)}</b><br>{escape(actor_type)}"
            + (f"<br>also: {escape(', '.join(aliases[n]))}" if len(aliases[n]) else "")
            + f"<br>{plural(claims[n], 'claim')} · {plural(degrees[n], 'edge')}"
            + "<br><i>click for the actor card</i>"
            for n, name in zip(group, names, strict=True)
        ]
        traces.append(
            go.Scatter(
                x=positions[group, 0],
                y=positions[group, 1],
                mode="markers+text",
                marker={
                    "size": sizes[group],
                    "color": colours[actor_type],
                    "line": {"width": 1.5, "color": "#fff"},
                },
                text=[
                    escape(short_label(name)) if n in labelled else ""
                    for n, name in zip(group, names, strict=True)
                ],
                textposition="bottom center",
                textfont={"size": 11, "color": "#1f2933"},
                customdata=[["node", int(n)] for n in group],
                hovertext=hover,
                hoverinfo="text",
                name=escape(actor_type),
                legendgroup=f"type:{actor_type}",
                legendgrouptitle={"text": "Actor types"} if first else None,
                legendrank=1000,
            )
        )
    return traces


def highlight_traces(
    view: View, positions: np.ndarray, selection: Selection | None
) -> list[go.Scatter]:
    """Two traces: the selected edge (or a node's edges) and the actors at their ends."""
    xs: np.ndarray = np.array([])
    ys: np.ndarray = np.array([])
    ends: list[int] = []
    net = view.network
    if selection is not None and selection.kind == "edge" and view.edge_mask[selection.index]:
        chosen = np.array([selection.index])
        ends = [
            int(net.edges["from"].iat[selection.index]),
            int(net.edges["to"].iat[selection.index]),
        ]
    elif selection is not None and selection.kind == "node" and view.node_mask[selection.index]:
        frame = net.edges
        touches = (frame["from"].to_numpy() == selection.index) | (
            frame["to"].to_numpy() == selection.index
        )
        chosen = np.flatnonzero(touches & view.edge_mask)
        ends = [selection.index]
    else:
        chosen = np.array([], dtype=int)
    if len(chosen):
        x, y, _, _ = edge_curves(view, positions, chosen, np.linspace(0, 1, CURVE_SAMPLES))
        xs, ys = _with_gaps(x), _with_gaps(y)
    return [
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": HIGHLIGHT_COLOUR, "width": 7},
            opacity=0.55,
            hoverinfo="skip",
            showlegend=False,
            name="selected",
        ),
        go.Scatter(
            x=positions[ends, 0],
            y=positions[ends, 1],
            mode="markers",
            marker={
                "size": 50,
                "color": "rgba(0,0,0,0)",
                "line": {"width": 4, "color": HIGHLIGHT_COLOUR},
            },
            hoverinfo="skip",
            showlegend=False,
            name="selected actors",
        ),
    ]


def _figure_layout(positions: np.ndarray, revision: str) -> dict:
    known = positions[~np.isnan(positions).any(axis=1)]
    low = known.min(axis=0) if len(known) else np.array([-1.0, -1.0])
    high = known.max(axis=0) if len(known) else np.array([1.0, 1.0])
    pad = (high - low) * MARGIN + 0.05
    axis = {"visible": False, "showgrid": False, "zeroline": False}
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
